"""Small text helpers for rules: sentence spans, quotes around a match, negation and
justification language in both languages."""

from __future__ import annotations

import re

_SENT_END = re.compile(r"[。！？；;!?]|\.(?=\s|$)")
_HARD_END = re.compile(r"[。！？!?]|\.(?=\s|$)")
MAX_QUOTE = 220

NEGATION = re.compile(
    r"未设|未设置|不设|不设置|未开展|不开展|不进行|未进行|暂不|无需|不需要|不需|不计划|未计划|未纳入|不纳入|"
    r"未包括|不包括|不包含|未包含|豁免|省略|未考察|不考察|不检测|未检测|不评估|未评估|不单独|没有|"
    r"未采集|不采集|未采用|不采用|未在|无(?![法线功关论需明显异])|"
    r"\bnot\b|\bno\b|\bnone\b|\bwithout\b|\bwaive[ds]?\b|\bomit(?:ted)?\b|\bexclud\w*|\babsent\b|"
    r"\bneither\b|\bnor\b|\bwill not\b|\bisn't\b|\baren't\b|\bwon't\b",
    re.IGNORECASE,
)
OMISSION = re.compile(
    r"未设|不设|未开展|不开展|不进行|未进行|暂不|(?:无需|不需要)(?:单独|另行|再)?(?:开展|进行|设置|设立|检测|评价|考察|研究|试验)|不拟|不计划|未计划|未纳入|不纳入|不适用|豁免|省略|"
    r"不单独开展|不另行|不另设|不单设|不设置|不设立|未考察|不考察|未评估|不评估|推迟|延后|暂缓|"
    r"仅(?:选用|采用|使用|用)?(?:健康)?(?:雄性|雌性)|单一性别|只(?:选用|采用|使用|用)(?:雄性|雌性)|"
    r"\b(?:only|solely|exclusively) (?:male|female)s?\b|\b(?:males|females) only\b|\bsingle[- ]sex\b|"
    r"\b(?:do|does|did|will|shall) not (?:plan|propose|intend|conduct|perform|include|assess|measure|evaluate|"
    r"test|run|undertake)\b|\bdeferred\b|\bpostponed\b|\bnot (?:yet )?(?:be )?(?:scheduled|foreseen)|"
    r"\bnot (?:be )?(?:conducted|performed|planned|proposed|intended|foreseen|envisaged|included|required|"
    r"warranted|assessed|evaluated|"
    r"undertaken|done|measured|necessary|needed|applicable|considered necessary|being conducted)|"
    r"\bno\b[^.;]{0,50}?\b(?:study|studies|assessment|group|groups|arm|evaluation|testing|analysis|phase|period|"
    r"cohort)\b[^.;]{0,20}?"
    r"\b(?:is|are|will be|was|were|has been|have been)\s+(?:planned|conducted|performed|required|included|"
    r"warranted|proposed|added|foreseen|scheduled)|"
    r"\bwaive[ds]?\b|\bomitted\b|\bdeemed unnecessary\b|\bwill not\b|\bnot applicable\b|\bis not (?:expected|"
    r"anticipated)",
    re.IGNORECASE,
)
REASON = re.compile(
    r"因为|因(?![素此而子])|由于|鉴于|理由|原因|基于|考虑到|依据|(?:根据|按照|依照|参照|依据)[^。]{0,12}(?:指导原则|ICH|特点|特性|数据|结果)|故|因此|因而|"
    r"科学合理|不会|不具备|无法|不能|仅限|非复制|不复制|不能复制|不具有感染|"
    r"\bneither\b|\bnon-?replicat\w*|\bnot replicat\w*|\bnon-?infectious\b|\bnot infectious\b|"
    r"\bbecause\b|\bsince\b|\bgiven (?:that|the)\b|\bdue to\b|\bas the\b|\bas this\b|\bas it\b|\bjustif\w*|"
    r"\brationale\b|\bin view of\b|\bon the basis\b|\bbased on\b|\bconsidering\b|\bowing to\b|\btherefore\b|"
    r"\bso (?:no|that|there)\b|\bno (?:realistic|plausible|measurable|meaningful|credible) (?:pathway|exposure|route|mechanism)\b|"
    r"\bwithout (?:any )?(?:systemic|measurable|detectable|meaningful) exposure\b|不存在|不纳入|不入组|不涉及|无(?:全身|系统)暴露|"
    r"\bcan not occur\b|\bper ICH\b|\bconsistent with ICH\b|\bin line with ICH\b|\b(?:in accordance with|according to|following) ICH\b|\bis not expected\b|\bcannot\b|\bunable\b",
    re.IGNORECASE,
)


# "Not a standalone study, but within the GLP toxicology study" (an integrated design) and "no
# rodent bioassay; instead a weight-of-evidence assessment" (an alternative) are not omissions.
NOT_AN_OMISSION = re.compile(
    r"而是|取而代之|代之以|改为采用|替代为|[，,]\s*(?:改为|转而)?(?:采用|改用|通过)|\binstead\b|\brather\b|\bin lieu of\b|\bin place of\b|"
    r"(?<![不未])纳入|结合(?:在|于)?[^。]{0,12}(?:试验|研究)|整合(?:在|于|到)[^。]{0,12}(?:试验|研究)|合并(?:在|于|到)|伴随|"
    r"\bintegrated (?:in|into|within)|\bincorporated (?:in|into)|\bas part of\b|在[^。；]{1,20}中(?:评价|考察|观察|检测|进行|开展)|"
    r"\b(?:assessed|evaluated|examined|covered|captured|addressed) (?:in|within|by) (?:the )?(?:GLP|general|repeat|pivotal|main|toxicity|toxicology)|"
    r"\bembedded in\b|\bcombined with\b|\bwithin the (?:GLP|general|repeat|pivotal|main)",
    re.IGNORECASE,
)


# A reasoned risk conclusion ("整合可能性极低", "is not expected to integrate") is an assessment.
RISK_CONCLUSION = re.compile(
    r"可能性(?:很|极|较)?低|风险(?:很|极|较)?低|极低|不会(?:整合|插入|传递|导致|进入)|不太可能|不预期|预计不会|无(?:明显)?风险|"
    r"可忽略|无(?:相关|明显)?(?:致癌|整合|生殖|遗传毒性)?风险|\bunlikely\b|\bnot (?:expected|anticipated|considered (?:plausible|likely|relevant))|\bnegligible\b|"
    r"\bnot (?:a )?(?:credible|plausible|realistic|meaningful) (?:risk|concern|pathway)|\bwithout (?:a )?plausible (?:pathway|mechanism)|"
    r"\bnot plausible\b|\bremote\b|\blow (?:\w+ )?risk\b|\bminimal risk\b|\bdoes not (?:integrate|enter the nucleus|persist)|"
    r"\bno (?:mechanism|potential) (?:for|to)\b|\bcannot (?:integrate|be reverse)",
    re.IGNORECASE,
)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `text` around [start, end)."""
    left = 0
    for m in _SENT_END.finditer(text, 0, start):
        left = m.end()
    nxt = _SENT_END.search(text, end)
    right = nxt.end() if nxt else len(text)
    return left, right


def first_match_quote(text: str, match: re.Match[str], limit: int = MAX_QUOTE) -> str:
    """A verbatim quote around a match: its sentence, trimmed to `limit` characters around it."""
    s, e = sentence_span(text, match.start(), match.end())
    if e - s <= limit:
        return text[s:e].strip()
    half = limit // 2
    a = max(s, match.start() - half)
    b = min(e, a + limit)
    return text[a:b].strip()


def sentences(text: str, *, hard: bool = False) -> list[tuple[int, int]]:
    """Sentence spans; clauses split at semicolons too unless `hard`."""
    spans, pos = [], 0
    for m in (_HARD_END if hard else _SENT_END).finditer(text):
        if m.end() > pos:
            spans.append((pos, m.end()))
            pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_CLAUSE_END = re.compile(r"[，,：:；;]")


def _depths(sentence: str) -> list[int]:
    """Parenthesis depth at each character."""
    depth, out = 0, []
    for ch in sentence:
        if ch in "(（":
            depth += 1
        out.append(depth)
        if ch in ")）" and depth:
            depth -= 1
    return out


def clause_at(sentence: str, start: int, end: int) -> str:
    """The comma-delimited clause of a sentence around [start, end). Commas inside parentheses
    do not end it: in "No DART studies (EFD, PPND) are planned" the omission covers both."""
    depth = _depths(sentence)
    cuts = [m.start() for m in _CLAUSE_END.finditer(sentence) if depth[m.start()] == 0]
    left = max((c + 1 for c in cuts if c < start), default=0)
    right = min((c for c in cuts if c >= end), default=len(sentence))
    return sentence[left:right]


_PAREN = re.compile(r"[(（][^()（）]*[)）]")
_NEGATED_PREDICATE = re.compile(
    r"^[^,;，；。]{0,60}?(?:\b(?:is|are|was|were|will|would|shall|has|have)\s+not\b|\bwill not\b|"
    r"(?:不|未|无需|不会)(?:进行|开展|检测|测定|纳入|包括|考察|评估|设置|采集))",
    re.IGNORECASE,
)


# "A dedicated immunotoxicity study, such as a TDAR assay, was not conducted": the example set off
# by commas belongs to the negated subject
_IN_APPOSITION = re.compile(r"[,，]\s*(?:such as|e\.g\.|for example|including|i\.e\.|如|例如)[^,;，；]*$", re.I)


def is_negated(sentence: str, match_start: int, match_end: int, window: int = 14) -> bool:
    """A negation word shortly before the match, or a negated predicate after it in the same
    clause ("Complement markers (C3a, C5a) are not included", "补体指标不进行检测")."""
    before = sentence[max(0, match_start - window) : match_start]
    if NEGATION.search(before):
        return True
    after = _PAREN.sub("", sentence[match_end:])
    if _IN_APPOSITION.search(sentence[:match_start]):  # skip to the predicate after the example
        cut = re.search(r"[,，]", after)
        after = after[cut.end():] if cut else after
    return bool(_NEGATED_PREDICATE.search(after))
