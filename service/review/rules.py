"""Deterministic rules: from a requirement's data (topic terms, elements) and the plan's
passages to a status with verbatim evidence and a confidence.

Coverage of the requirement's required elements decides (see architecture.md):
all present → met; some → partial; none, omission argued → justified; none → missing.
An element mentioned under a negation or an omission ("未设中剂量组", "will not be assessed")
is evidence of absence, not presence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.catalog import Element, Requirement
from corpus.patterns import compile_any
from service.domain import Document, Evidence, Passage, ProductProfile, Status
from service.review import detectors
from service.review.text import (
    MAX_QUOTE,
    NOT_AN_OMISSION,
    OMISSION,
    REASON,
    RISK_CONCLUSION,
    clause_at,
    is_negated,
    sentences,
)


def compile_terms(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return compile_any(patterns)


@dataclass
class Hit:
    passage: Passage
    sentence: str
    negated: bool = False


@dataclass
class Finding:
    """What the rules saw for one requirement; the verdict and the raw material for an LLM."""

    status: Status
    confidence: float
    rationale: str
    evidence: list[Evidence]
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    candidates: list[Passage] = field(default_factory=list)


def topic_passages(req: Requirement, doc: Document, relevance: dict[int, float] | None = None) -> list[Passage]:
    """Passages that discuss the requirement: they mention its topic, or sit under a heading that does.

    `relevance` (passage idx → 0..1, from BM25 retrieval of the requirement's bilingual text over
    the plan) breaks ties between passages that treat the subject equally deeply."""
    rx = compile_terms(tuple(req.topic.all()))
    if rx is None:
        return []
    element_rxs = [r for r in (compile_terms(tuple(e.patterns.all())) for e in req.elements) if r]
    scored = []
    for p in doc.passages:
        in_section = bool(p.section and rx.search(p.section))
        in_chapter = bool(p.context and rx.search(p.context))  # e.g. "4.2 Design" under "4 Biodistribution"
        mentions = len(rx.findall(p.text))
        if not (mentions or in_section or in_chapter):
            continue
        # Where the plan treats the subject in depth (its own section, several elements) comes
        # first, so evidence cites the detailed design rather than an overview table.
        elements = sum(1 for r in element_rxs if r.search(p.text))
        depth = (2 * elements + 3 * in_section + in_chapter + min(mentions, 3)
                 + (relevance or {}).get(p.idx, 0.0))
        scored.append((-depth, p.idx, p))
    ranked = [p for *_, p in sorted(scored, key=lambda t: (t[0], t[1]))]
    where = compile_terms(tuple(req.sections.all()))
    if where is not None:
        inside = [p for p in ranked if where.search(p.headings)]
        return inside or ranked
    return ranked


def find_contradiction(element: Element, passages: list[Passage], topic: re.Pattern[str] | None) -> Hit | None:
    """A sentence that takes the element back, on the requirement's subject (the sentence or its
    section mentions the topic), e.g. a biodistribution assay that is only qualified."""
    rx = compile_terms(tuple(element.contradicted_by.all()))
    if rx is None:
        return None
    unless = compile_terms(tuple(element.unless.all()))
    if unless is not None and any(unless.search(p.text) for p in passages):
        return None
    for p in passages:
        on_subject = bool(topic and topic.search(p.headings))
        for s, e in sentences(p.text, hard=True):
            sent = p.text[s:e]
            if rx.search(sent) and (on_subject or (topic and topic.search(sent))):
                return Hit(p, sent.strip(), True)
    return None


def find_element(element: Element, passages: list[Passage]) -> tuple[Hit | None, Hit | None]:
    """(first positive hit, first negated hit) of the element among the passages."""
    rx = compile_terms(tuple(element.patterns.all()))
    if rx is None:
        return None, None
    near = compile_terms(tuple(element.in_passage_with.all()))
    positive = negative = None
    for p in passages:
        if p.kind == "heading":
            continue
        if near is not None and not near.search(f"{p.section} {p.text}"):
            continue
        for s, e in sentences(p.text):
            sent = p.text[s:e]
            sentence_negated = False  # a negated subject negates the items listed with it
            for m in rx.finditer(sent):
                clause = clause_at(sent, m.start(), m.end())
                omitted = bool(OMISSION.search(clause)) and not NOT_AN_OMISSION.search(sent)
                neg = sentence_negated or is_negated(sent, m.start(), m.end()) or omitted
                # "germline integration is not a credible risk" concludes an assessment of the
                # element; it does not say the element is absent
                neg = neg and (omitted or not RISK_CONCLUSION.search(sent))
                sentence_negated = sentence_negated or neg
                hit = Hit(p, sent.strip(), neg)
                if neg and negative is None:
                    negative = hit
                elif not neg and positive is None:
                    positive = hit
            if positive:
                return positive, negative
    return positive, negative


@dataclass
class Omission:
    hit: Hit
    reasoned: bool
    whole: bool = False  # the sentence itself says the requirement's study is not done


_STUDY = re.compile(r"试验|研究|分析|评估|\bstud(?:y|ies)\b|\bassessment\b|\banalys[ie]s\b|\bevaluation\b", re.I)
# The guideline itself does not expect these (standard genotoxicity battery, rodent bioassay):
# leaving them out is not an omission of the requirement.
_ROUTINE = re.compile(r"标准|常规|组合试验|啮齿类(?:动物)?致癌|两年|\bstandard\b|\broutine\b|\bconventional\b|\bbattery\b|"
                      r"\brodent (?:carcinogenicity )?bioassay|\b2-year\b|\btwo-year\b", re.I)


def _moved_elsewhere(sentence: str, omission_at: int) -> bool:
    """The omission only moves the work into another study ("不单独开展…，相关终点纳入GLP毒理学试验")
    or replaces it ("…, instead a weight-of-evidence assessment"). Words inside the stated reason
    ("理由是：结合…") do not count."""
    tail = sentence[omission_at:]
    reason = REASON.search(tail)
    return bool(NOT_AN_OMISSION.search(tail[: reason.start()] if reason else tail))


_STANDALONE = re.compile(r"不单独|不另行|不另设|不单设|\bstand-?alone\b|\bseparate\b|\bdedicated\b", re.I)


def find_omission(passages: list[Passage], topic: re.Pattern[str] | None,
                  elements: re.Pattern[str] | None, integrable: bool = False,
                  document: list[Passage] | None = None) -> Omission | None:
    """A sentence stating an omission that concerns the requirement, and whether it gives a reason.

    The reason may sit in the same sentence or the next one ("…不开展。理由如下：…"). A sentence
    that only moves the work into another study ("纳入GLP毒理学试验") is not an omission."""
    for p in passages:
        if p.kind == "heading":
            continue
        spans = sentences(p.text)
        for i, (s, e) in enumerate(spans):
            sent = p.text[s:e]
            found = OMISSION.search(sent)
            if found and integrable and _STANDALONE.search(sent[max(0, found.start() - 30): found.end() + 30]):
                found = OMISSION.search(sent, found.end())  # only the standalone study is left out
            if not found or _moved_elsewhere(sent, found.start()):
                continue
            # what is omitted sits next to the omission words ("不开展脱落研究", "EFD studies are
            # not planned"), not anywhere in a long sentence that also gives the reason
            if "\u4e00" <= found.group(0)[0] <= "\u9fff":  # Chinese: the object follows the verb
                near = sent[max(0, found.start() - 8) : found.end() + 30]
            else:  # English: "EFD studies are not planned" / "we do not plan EFD studies"
                near = sent[max(0, found.start() - 60) : found.end() + 60]
            on_element = bool(elements and elements.search(near))
            on_topic = bool(topic and topic.search(near))
            if not (on_element or on_topic):
                continue
            # the reason may open the next paragraph or bullet ("- Justification: …")
            nxt = p.text[spans[i + 1][0] : spans[i + 1][1]] if i + 1 < len(spans) else _opening_of_next(document, p)
            # "…are deferred: women of childbearing potential are excluded" — a colon after the
            # omission introduces its reason
            after = sent[found.end():]
            reasoned = bool(REASON.search(sent) or REASON.search(nxt) or re.search(r"^[^:：]{0,40}[:：]\s*.{12,}", after))
            whole = bool(on_topic and _STUDY.search(near) and not _ROUTINE.search(near))
            return Omission(Hit(p, sent.strip()), reasoned, whole)
    return None


def find_conclusion(passages: list[Passage], topic: re.Pattern[str] | None) -> Hit | None:
    """A sentence on the requirement's topic that states a risk conclusion."""
    for p in passages:
        for s, e in sentences(p.text, hard=True):
            sent = p.text[s:e]
            if RISK_CONCLUSION.search(sent) and (topic is None or topic.search(sent)):
                return Hit(p, sent.strip())
    return None


def _ev(hit: Hit) -> Evidence:
    quote = hit.sentence if len(hit.sentence) <= MAX_QUOTE else hit.sentence[:MAX_QUOTE]
    return Evidence(page=hit.passage.page, quote=quote.strip())


def _dedupe(evs: list[Evidence], limit: int = 3) -> list[Evidence]:
    seen, out = set(), []
    for e in evs:
        if e.quote and (e.page, e.quote) not in seen:
            seen.add((e.page, e.quote))
            out.append(e)
    return out[:limit]


def required_elements(req: Requirement, profile: ProductProfile) -> list[Element]:
    return [e for e in req.elements if e.required and (e.when is None or e.when.evaluate(profile))]


def triggered_elements(req: Requirement, passages: list[Passage]) -> list[Element]:
    """Optional elements that the plan's own wording makes required (`required_if`)."""
    out = []
    for e in req.elements:
        rx = None if e.required else compile_terms(tuple(e.required_if.all()))
        if rx is not None and any(rx.search(p.text) for p in passages):
            out.append(e)
    return out


# An item whose absent elements are only unmentioned (not stated as absent) counts as met when at
# least this share of its required elements is found: plans name things in ways no term list
# foresees, and on the development set this cut false gaps without losing stated ones.
LENIENCY = 0.75


def evaluate(req: Requirement, doc: Document, profile: ProductProfile, lang: str,
             relevance: dict[int, float] | None = None) -> Finding:
    topic = topic_passages(req, doc, relevance)
    if not topic:
        return Finding(Status.MISSING, 0.8, _say(lang, "计划中未找到相关内容。", "The plan does not address it."), [])
    topic_rx = compile_terms(tuple(req.topic.all()))
    omission = find_omission(topic, topic_rx, compile_terms(tuple(p for e in req.elements for p in e.patterns.all())),
                             req.integrable, doc.passages)

    wanted = required_elements(req, profile) + triggered_elements(req, topic)
    hits: dict[str, Hit] = {}
    negated: dict[str, Hit] = {}
    contradictions: list[Hit] = []
    for element in req.elements:
        pos, neg = find_element(element, topic)
        contradiction = find_contradiction(element, topic, topic_rx)
        if contradiction:
            pos, neg = None, contradiction
            contradictions.append(contradiction)
        if pos:
            hits[element.name] = pos
        elif neg:
            negated[element.name] = neg
    if req.detector:
        detectors.apply(req.detector, req, doc, topic, profile, hits, negated)

    present = [e for e in wanted if e.name in hits]
    absent = [e for e in wanted if e.name not in hits]
    labels = {e.name: (e.label.zh if lang == "zh" else e.label.en) for e in req.elements}
    evidence = _dedupe([_ev(hits[e.name]) for e in present] + [_ev(hits[n]) for n in hits if n not in labels])
    sep = "、" if lang == "zh" else ", "
    absent_names = sep.join(labels[e.name] for e in absent)
    names = ([e.name for e in present], [e.name for e in absent])

    conclusion = find_conclusion(topic, topic_rx) if req.assessment else None
    reasoned_omission = omission.hit if omission and omission.reasoned else None
    met_by_reason = req.reasoned_omission == "met" or (req.assessment and not req.justifiable)
    if absent and (conclusion or (reasoned_omission and met_by_reason)):
        # a risk conclusion (or, where the clause allows it, a reasoned omission) is what it asks for
        basis = conclusion or reasoned_omission
        return Finding(Status.MET, 0.65, _say(lang, "计划给出了有理由的评估结论。", "The plan gives a reasoned conclusion."),
                       _dedupe(([_ev(basis)] if basis else []) + evidence), *names, topic)
    # with every element there, a "not done" sentence of an integrable clause only concerns a standalone study
    standalone_only = req.integrable and wanted and not absent
    if omission and omission.whole and omission.reasoned and req.justifiable and not met_by_reason and not standalone_only:
        return Finding(Status.JUSTIFIED, 0.7, _say(lang, "计划说明了不开展的科学理由。", "The plan argues why it is not done."),
                       _dedupe([_ev(omission.hit)] + evidence), *names, topic)
    if not absent:
        status = Status(req.met_status)
        return Finding(status, 0.9 if wanted else 0.7,
                       _say(lang, "计划涵盖了条款要求的各项内容。", "The plan covers what the clause asks."),
                       evidence or _dedupe([Evidence(page=topic[0].page, quote=_first_sentence(topic[0]))]),
                       *names, topic)
    if omission and omission.reasoned and req.justifiable:
        return Finding(Status.JUSTIFIED, 0.7,
                       _say(lang, f"计划说明了未开展/未包括的理由（{absent_names}）。",
                            f"The plan argues the omission ({absent_names})."),
                       _dedupe([_ev(omission.hit)] + evidence), *names, topic)
    silent = [e for e in absent if e.name not in negated]
    if present and not req.strict and len(silent) == len(absent) and len(present) / len(wanted) >= LENIENCY:
        return Finding(Status.MET, 0.55,
                       _say(lang, f"基本涵盖；未明确见到：{absent_names}。", f"Largely covered; not explicit: {absent_names}."),
                       evidence, *names, topic)
    if present:
        return Finding(Status.PARTIAL, 0.7 if len(absent) == 1 else 0.6,
                       _say(lang, f"缺少：{absent_names}。", f"Missing: {absent_names}."),
                       _dedupe(evidence + [_ev(c) for c in contradictions]), *names, topic)
    if omission:
        return Finding(Status.MISSING, 0.7,
                       _say(lang, "计划声明不开展，但未给出科学理由。", "The plan omits it without a scientific reason."),
                       [_ev(omission.hit)], *names, topic)
    return Finding(Status.MISSING, 0.5,
                   _say(lang, f"计划提及相关内容，但未见：{absent_names}。", f"Mentioned, but without: {absent_names}."),
                   [], *names, topic)


def _opening_of_next(document: list[Passage] | None, p: Passage) -> str:
    """The first sentence of the passage after `p` in the document (same page or the next)."""
    if not document or p.idx + 1 >= len(document):
        return ""
    nxt = document[p.idx + 1]
    if nxt.kind == "heading" or nxt.page - p.page > 1:
        return ""
    spans = sentences(nxt.text)
    return nxt.text[spans[0][0] : spans[0][1]] if spans else ""


def _first_sentence(p: Passage) -> str:
    spans = sentences(p.text)
    s, e = spans[0] if spans else (0, len(p.text))
    return p.text[s:e].strip()[:MAX_QUOTE]


def _say(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en
