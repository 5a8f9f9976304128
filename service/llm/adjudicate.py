"""LLM adjudication: narrow questions on the items the rules are unsure of, verified before use.

Only items decided by a rule, below the confidence threshold, with status missing or partial are put
to the LLM, and only two questions exist: "is the omission argued?" and "is element X present?". An
answer changes an item only when its quote is verbatim on a page the model was shown, is not a
planted instruction, and the change is an allowed one (missing→justified, missing→partial,
partial→met). Everything else is left exactly as the rules decided it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict

from prompts.loader import get_template, neutralise, plan_block, render
from service.domain import Evidence, ReviewItem, Status
from service.errors import LlmError
from service.llm.cache import LlmCache, cache_key, cached_complete
from service.llm.client import LLM, TokenBudget
from service.llm.verify import (
    argues_omission,
    check_quote,
    looks_like_injection,
    states_absence,
    transition_allowed,
)
from service.settings import Settings
from service.textnorm import is_cjk_text, normalize_ws

log = logging.getLogger("dossier_review.llm")

T = TypeVar("T", bound=BaseModel)
Lang = Literal["zh", "en"]
Candidates = Mapping[str, Sequence[tuple[int, str]]]  # requirement_id -> [(page, passage text)]
RequirementInfo = Mapping[str, tuple[str, str, Sequence[str]]]  # id -> (title, clause text, element labels)
MAX_ERRORS = 3  # after this many failed calls the LLM is not asked again in this review


# Field order is the order a grammar-constrained model writes them in: reasoning before the verdict
# (measured with a 1.5B model: verdict-first contradicted its own rationale).
class OmissionAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rationale: str
    page: int
    quote: str
    verdict: Literal["justified", "not_justified", "not_omitted"]


class ElementAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rationale: str
    page: int
    quote: str
    present: bool


class RationaleAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rationale: str


@dataclass
class AdjudicationStats:
    eligible: int = 0  # items that met the conditions to be asked
    questions: int = 0  # questions put (answered from the cache or by a call)
    calls: int = 0  # HTTP calls made (or fake-LLM calls)
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0  # wall time of adjudicate()
    changed: int = 0
    errors: int = 0
    budget_exhausted: bool = False
    skipped_no_passages: int = 0
    rejected: Counter[str] = field(default_factory=Counter)  # reason -> answers refused

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def as_dict(self) -> dict[str, object]:
        return {
            "eligible": self.eligible, "questions": self.questions, "calls": self.calls,
            "cache_hits": self.cache_hits, "tokens": self.tokens, "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens, "seconds": round(self.seconds, 3),
            "changed": self.changed, "errors": self.errors, "budget_exhausted": self.budget_exhausted,
            "skipped_no_passages": self.skipped_no_passages, "rejected": dict(self.rejected),
        }  # fmt: skip


class Adjudication(NamedTuple):
    items: list[ReviewItem]
    stats: AdjudicationStats


def is_eligible(item: ReviewItem, threshold: float) -> bool:
    return (
        item.decided_by == "rule"
        and item.confidence < threshold
        and item.status in (Status.MISSING, Status.PARTIAL)
    )


def adjudicate(
    items: Sequence[ReviewItem],
    candidates: Candidates,
    document_pages: list[str],
    requirement_info: RequirementInfo,
    llm: LLM | None,
    settings: Settings,
    cache: LlmCache | None = None,
    *,
    lang: Lang | None = None,
    budget: TokenBudget | None = None,
) -> Adjudication:
    """The items with LLM-verified changes applied (same order, same length) and the call statistics."""
    started = time.monotonic()
    stats = AdjudicationStats()
    out = [item.model_copy(deep=True) for item in items]
    if llm is None:
        return Adjudication(out, stats)
    lang = lang or ("zh" if is_cjk_text(" ".join(document_pages[:5])) else "en")
    run = _Run(
        llm, settings, cache, budget or TokenBudget(settings.llm_token_budget), document_pages, lang, stats
    )
    todo = [i for i, item in enumerate(out) if is_eligible(item, settings.llm_confidence_threshold)]
    stats.eligible = len(todo)
    with ThreadPoolExecutor(max_workers=max(1, settings.llm_concurrency)) as pool:
        results = list(pool.map(lambda i: run.item(out[i], candidates, requirement_info), todo))
    for i, new in zip(todo, results, strict=True):
        if new is not None:
            out[i] = new
            stats.changed += 1
    stats.seconds = time.monotonic() - started
    log.info("LLM adjudication: %s", stats.as_dict())
    return Adjudication(out, stats)


class _Run:
    """One review's adjudication: shared LLM, cache, budget and statistics."""

    def __init__(self, llm: LLM, settings: Settings, cache: LlmCache | None, budget: TokenBudget,
                 pages: list[str], lang: Lang, stats: AdjudicationStats) -> None:  # fmt: skip
        self.llm, self.settings, self.cache, self.budget = llm, settings, cache, budget
        self.pages, self.lang, self.stats = pages, lang, stats
        self._lock = threading.Lock()

    def ask(self, name: str, schema: type[T], **variables: object) -> T | None:
        with self._lock:
            if self.stats.errors >= MAX_ERRORS or self.stats.budget_exhausted:
                return None
            self.stats.questions += 1
        rendered = render(name, self.lang, **variables)
        key = cache_key(self.llm.model, name, rendered.template.version_hash, variables)
        try:
            answer, usage = cached_complete(
                self.llm,
                self.cache,
                key,
                rendered.messages,
                schema,
                max_tokens=self.settings.llm_max_answer_tokens,
                budget=self.budget,
            )
        except LlmError as exc:
            log.warning("LLM call failed (%s): %s", name, exc.message)
            with self._lock:
                self.stats.errors += 1
            return None
        with self._lock:
            self.stats.calls += usage.calls
            self.stats.cache_hits += int(usage.cached)
            self.stats.prompt_tokens += usage.prompt_tokens
            self.stats.completion_tokens += usage.completion_tokens
            self.stats.budget_exhausted |= usage.skipped_budget
            if answer is None and not usage.skipped_budget:
                self.stats.rejected["invalid_answer"] += 1
        return answer

    def reject(self, reason: str) -> None:
        with self._lock:
            self.stats.rejected[reason] += 1

    def item(self, item: ReviewItem, candidates: Candidates, info: RequirementInfo) -> ReviewItem | None:
        """The changed item, or None to keep it as the rules decided."""
        title, clause, elements = info.get(item.requirement_id, (item.clause.title, item.clause.text, ()))
        limit = self.settings.llm_passage_chars
        shown = [
            (p, t[:limit]) for p, t in candidates.get(item.requirement_id, ()) if 1 <= p <= len(self.pages)
        ]
        shown = shown[: self.settings.llm_max_passages]
        if not shown:
            with self._lock:
                self.stats.skipped_no_passages += 1
            return None
        common = {"requirement_id": item.requirement_id, "title": title, "clause": clause,
                  "passages": "\n\n".join(plan_block(p, t) for p, t in shown)}  # fmt: skip
        labels = list(elements) or [title]
        if item.status == Status.MISSING:
            om = self.ask("adjudicate_omission", OmissionAnswer, **common)
            if om is not None and om.verdict == "justified":
                ev = self.verified(om.page, om.quote, shown, kind="omission")
                if ev is None:
                    return None
                return self.change(item, Status.JUSTIFIED, "adjudicate_omission", [ev], om.rationale)
            if om is None or om.verdict != "not_omitted":
                return None
            for label in labels:  # one element present is enough for partial
                ev, why = self.element(label, common, shown)
                if ev is not None:
                    return self.change(item, Status.PARTIAL, "adjudicate_element", [ev], why)
            return None
        found: list[Evidence] = []  # partial -> met needs every listed element, each with a verified quote
        whys: list[str] = []
        for label in labels:
            ev, why = self.element(label, common, shown)
            if ev is None:
                return None
            found.append(ev)
            whys.append(why)
        return self.change(item, Status.MET, "adjudicate_element", found, whys[0])

    def element(
        self, label: str, common: Mapping[str, object], shown: list[tuple[int, str]]
    ) -> tuple[Evidence | None, str]:
        """(verified evidence, the model's rationale) when the element is present, else (None, "")."""
        el = self.ask("adjudicate_element", ElementAnswer, element=label, **common)
        if el is None or not el.present:
            return None, ""
        return self.verified(el.page, el.quote, shown, kind="element"), el.rationale

    def verified(
        self, page: int, quote: str, shown: list[tuple[int, str]], *, kind: Literal["omission", "element"]
    ) -> Evidence | None:
        exact, reason = check_quote(page, quote, self.pages, shown)
        if exact is not None and kind == "omission" and not argues_omission(exact, self.pages[page - 1]):
            exact, reason = None, "no_omission_argument"
        if exact is not None and kind == "element" and states_absence(exact, self.pages[page - 1]):
            exact, reason = None, "element_stated_absent"
        if exact is None:
            self.reject(reason)
            return None
        return Evidence(page=page, quote=exact)

    def change(self, item: ReviewItem, new: Status, prompt: str, evidence: list[Evidence],
               finding: str) -> ReviewItem | None:  # fmt: skip
        if not transition_allowed(item.status, new):
            self.reject("transition_forbidden")
            return None
        template = get_template(prompt, self.lang)
        known = {(e.page, e.quote) for e in item.evidence}
        added = [e for e in evidence if (e.page, e.quote) not in known]
        return item.model_copy(
            update={
                "status": new,
                "evidence": [*item.evidence, *added],
                "rationale": self.rationale(item, new, evidence[0], finding),
                "confidence": max(item.confidence, self.settings.llm_confidence_threshold),
                "decided_by": "llm",
                "model": self.llm.model,
                "prompt": template.prompt_id,
            },
            deep=True,
        )

    def rationale(self, item: ReviewItem, new: Status, ev: Evidence, finding: str) -> str:
        prefix = "【LLM 辅助判定，引文已核对】" if self.lang == "zh" else "[LLM-assisted; quote verified] "
        fallback = f"第 {ev.page} 页：“{ev.quote}”" if self.lang == "zh" else f'Page {ev.page}: "{ev.quote}"'
        text = _clean(finding)
        if self.settings.llm_write_rationale:
            ans = self.ask("rationale", RationaleAnswer, requirement_id=item.requirement_id,
                           title=item.clause.title, status=new.value, finding=text or "-",
                           page=ev.page, quote=neutralise(ev.quote))  # fmt: skip
            text = _clean(ans.rationale) if ans is not None else text
        return prefix + (text or fallback)


def _clean(text: str, limit: int = 300) -> str:
    """One line, bounded, and never an instruction-like sentence."""
    text = normalize_ws(text or "")
    if looks_like_injection(text):
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
