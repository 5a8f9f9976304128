"""The checks every LLM answer passes before it may change a checklist item.

Nothing the model says is trusted: its quote must be on the page it names (and that page must be one
of the passages it was shown), long enough to be evidence, not an instruction-like sentence planted in
the plan; an argued omission must read like one (an omission and a reason), a present element must
not be stated as absent; and the status change it implies must be one the LLM is allowed to make.
These checks prove the quote is real and of the right kind, not that it fully supports the verdict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.domain import Status
from service.review.text import OMISSION
from service.textnorm import loose, normalize_ws, quote_on_page

MIN_QUOTE_CHARS = 6  # after loose normalisation; "AAV" or "见上" is not evidence
MAX_QUOTE_CHARS = 400

# The only transitions an LLM answer may cause (anything else is refused).
ALLOWED_TRANSITIONS: frozenset[tuple[Status, Status]] = frozenset(
    {
        (Status.MISSING, Status.JUSTIFIED),  # omission argued with a scientific reason
        (Status.MISSING, Status.PARTIAL),  # an element found that the rules missed
        (Status.PARTIAL, Status.MET),  # every missing element found
    }
)

# Sentences that address a reader/model rather than describe a study plan. A quote containing one is
# never evidence, even when it is verbatim on the page (a planted instruction is "on the page").
_INJECTION = re.compile(
    r"(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|preceding|foregoing)"
    r"|(previous|prior|above)\s+instructions"
    r"|mark\s+(every|all|each)\b"
    r"|(system|developer)\s+prompt"
    r"|you\s+are\s+(now\s+)?(an?\s+)?(ai|assistant|language model|chatgpt)"
    r"|忽略.{0,12}(指令|指示|提示|要求|规则)"
    r"|(无视|不要理会|忘记).{0,12}(指令|指示|提示|规则)"
    r"|(所有|全部|每个|每一)(项目|要求|条目|项).{0,6}(标记|标为|判定|判为|视为)"
    r"|(标记|标为|判定为).{0,4}(符合|已满足|满足|met|justified)"
    r"|(系统|开发者)提示",
    re.IGNORECASE,
)


# The rules' own omission cue; whether the stated reason is scientific is the question the LLM
# answers (the rules only see reason keywords), so only the omission itself is checked here.
_OMISSION = OMISSION
_SENTENCE_END = re.compile(r"[。！？；!?;]|\.(?=\s|$)")


def context_of(exact: str, page_text: str, neighbours: int = 1) -> str:
    """The sentence(s) of the normalised page around `exact`, with `neighbours` sentences on each side."""
    page = normalize_ws(page_text)
    at = page.find(exact)
    if at < 0:
        return exact
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(page)] + [len(page)]
    first = max(i for i, b in enumerate(bounds) if b <= at)
    last = min(i for i, b in enumerate(bounds) if b >= at + len(exact))
    return page[bounds[max(0, first - neighbours)] : bounds[min(len(bounds) - 1, last + neighbours)]]


def argues_omission(exact: str, page_text: str) -> bool:
    """The quote, with a sentence either side, states an omission (the LLM judged its reason)."""
    return bool(_OMISSION.search(context_of(exact, page_text)))


def states_absence(exact: str, page_text: str) -> bool:
    """The quote's own sentence says the thing is not done ("未设中剂量组"): evidence of absence."""
    return bool(_OMISSION.search(context_of(exact, page_text, neighbours=0)))


def looks_like_injection(text: str) -> bool:
    return bool(_INJECTION.search(normalize_ws(text)))


def transition_allowed(old: Status, new: Status) -> bool:
    return (old, new) in ALLOWED_TRANSITIONS


def verbatim_quote(quote: str, page_text: str) -> str | None:
    """The page's own text (whitespace-normalised) that `quote` matches, or None when it is not there.

    Matching uses textnorm.loose (spaces between CJK and Latin/digits do not count); the returned
    string is cut from normalize_ws(page_text), so it is a verbatim substring of the normalised page.
    """
    if not quote_on_page(quote, page_text):
        return None
    page = normalize_ws(page_text)
    kept: list[int] = []  # for each char of loose(page), its index in page
    for i, ch in enumerate(page):
        if ch == " " and 0 < i < len(page) - 1 and len(loose(page[i - 1 : i + 2])) == 2:
            continue  # a space that loose() drops
        kept.append(i)
    loose_page = "".join(page[i] for i in kept)
    q = loose(quote)
    at = loose_page.find(q)
    if at < 0:  # loose() of the whole page and of windows disagree: keep the checked quote
        return normalize_ws(quote)
    return page[kept[at] : kept[at + len(q) - 1] + 1]


def check_quote(
    page: int, quote: str, document_pages: list[str], shown: Sequence[tuple[int, str]]
) -> tuple[str | None, str]:
    """(verbatim quote, "") when the answer's evidence holds, else (None, reason).

    `shown` are the (page, passage) pairs the model was given: the quote must lie in one of them.
    """
    if not isinstance(page, int) or not 1 <= page <= len(document_pages):
        return None, "page_out_of_range"
    if page not in {p for p, _ in shown}:
        return None, "page_not_shown"
    q = loose(quote or "")
    if len(q) < MIN_QUOTE_CHARS:
        return None, "quote_too_short"
    if len(q) > MAX_QUOTE_CHARS:
        return None, "quote_too_long"
    if looks_like_injection(quote):
        return None, "quote_is_instruction"
    exact = verbatim_quote(quote, document_pages[page - 1])
    if exact is None:
        return None, "quote_not_on_page"
    if not any(p == page and quote_on_page(quote, text) for p, text in shown):
        return None, "quote_not_in_passages"
    return exact, ""
