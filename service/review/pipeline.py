"""The review: plan PDF → Document → scope and profile → per requirement applicability and
rules → verified, cited checklist (the spec's review JSON)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from corpus.catalog import Catalog, Requirement, load_catalog
from corpus.guideline import load_guideline
from index.bm25 import BM25
from service.domain import ClauseRef, Document, Evidence, ProductProfile, ReviewItem, ReviewResult, Status
from service.review.profile import apply_overrides, detect_profile, detect_scope
from service.review.rules import Finding, evaluate
from service.settings import Settings, get_settings

if TYPE_CHECKING:
    from service.llm import LLM
from service.textnorm import quote_on_page

Progress = Callable[[str, float], None]


def _noop(stage: str, fraction: float) -> None:
    return None


def review_pdf(
    data: bytes,
    *,
    overrides: dict[str, Any] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    isolate: bool = True,
) -> ReviewResult:
    from service.ingest.sandbox import parse_pdf_bytes

    settings = settings or get_settings()
    progress = progress or _noop
    progress("parsing", 0.02)
    doc = parse_pdf_bytes(data, settings, isolate=isolate)
    return review_document(doc, overrides=overrides, settings=settings, progress=progress)


def review_document(
    doc: Document,
    *,
    overrides: dict[str, Any] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    catalog: Catalog | None = None,
    llm: LLM | None = None,
    llm_stats: dict[str, Any] | None = None,
) -> ReviewResult:
    """Review a parsed plan. LLM assistance runs when `llm` is given or the settings enable it;
    its counters (calls, tokens, seconds…) are added to `llm_stats` when a dict is passed."""
    progress = progress or _noop
    catalog = catalog or load_catalog()
    lang = doc.language
    progress("profiling", 0.3)
    profile = apply_overrides(detect_profile(doc), overrides)
    scope = detect_scope(doc)
    if scope.scope == "out_of_scope":
        progress("done", 1.0)
        return ReviewResult(scope="out_of_scope", scope_reason=scope.reason, language=lang, profile=profile)
    items: list[ReviewItem] = []
    findings: dict[str, Finding] = {}
    total = len(catalog.requirements)
    search = PassageSearch(doc)
    for i, req in enumerate(catalog.requirements):
        item, finding = review_requirement_with_finding(req, doc, profile, lang, search.relevance(req))
        items.append(item)
        if finding is not None:
            findings[req.id] = finding
        progress("checking requirements", 0.35 + 0.5 * (i + 1) / total)
    llm = llm if llm is not None else build_llm_or_none(settings)
    if llm is not None:
        progress("LLM adjudication", 0.86)
        items, stats = assist_with_llm(items, findings, doc, catalog, llm, settings or get_settings())
        if llm_stats is not None:
            llm_stats.update(stats)
    progress("done", 1.0)
    return ReviewResult(scope="in_scope", language=lang, profile=profile, items=items)


_LLM_CACHES: dict[str, Any] = {}


def _llm_cache(settings: Settings) -> Any:
    """One database-backed answer cache per database URL (an engine is not built per review)."""
    from service.llm.cache_db import DbLlmCache
    from service.store.repository import Repository

    url = settings.effective_database_url
    if url not in _LLM_CACHES:
        _LLM_CACHES[url] = DbLlmCache(Repository(url, settings.uploads_dir).session)
    return _LLM_CACHES[url]


def build_llm_or_none(settings: Settings | None) -> LLM | None:
    from service.llm import build_llm

    return build_llm(settings or get_settings())


def assist_with_llm(
    items: list[ReviewItem], findings: dict[str, Finding], doc: Document, catalog: Catalog, llm: LLM,
    settings: Settings,
) -> tuple[list[ReviewItem], dict[str, Any]]:
    """Narrow LLM questions on low-confidence rule items; every answer is re-verified on the page."""
    from service.llm import adjudicate, adjudication_inputs

    candidates, info = adjudication_inputs(catalog.requirements, findings, doc.language)
    result = adjudicate(items, candidates, doc.pages, info, llm, settings, _llm_cache(settings),
                        lang=doc.language)
    return list(result.items), result.stats.as_dict()


class PassageSearch:
    """Lexical retrieval over the plan's passages (BM25 from index/, jieba + English stems): how
    close each passage is to a requirement's bilingual title, summary and clause text."""

    def __init__(self, doc: Document) -> None:
        self.keys = [p.idx for p in doc.passages]
        self.bm25 = BM25([p.text for p in doc.passages])

    def relevance(self, req: Requirement) -> dict[int, float]:
        query = " ".join([req.title.zh, req.title.en, req.summary.zh, req.summary.en])
        scores = self.bm25.scores(query)
        top = max(scores, default=0.0)
        return {k: sc / top for k, sc in zip(self.keys, scores, strict=True) if sc > 0} if top > 0 else {}


def clause_ref(req: Requirement) -> ClauseRef:
    clause = load_guideline().clauses[req.anchors[0]]
    return ClauseRef(anchor=clause.anchor, title=clause.title, text=clause.text)


def review_requirement(req: Requirement, doc: Document, profile: ProductProfile, lang: str) -> ReviewItem:
    return review_requirement_with_finding(req, doc, profile, lang)[0]


def review_requirement_with_finding(
    req: Requirement, doc: Document, profile: ProductProfile, lang: str,
    relevance: dict[int, float] | None = None,
) -> tuple[ReviewItem, Finding | None]:
    if req.applies is not None and not req.applies.evaluate(profile):
        reason = req.not_applicable_reason
        text = (reason.zh if lang == "zh" else reason.en) if reason else ""
        return ReviewItem(requirement_id=req.id, status=Status.NOT_APPLICABLE, clause=clause_ref(req),
                          rationale=text, confidence=0.95, decided_by="applicability"), None
    finding = evaluate(req, doc, profile, lang, relevance)
    return item_from_finding(req, finding, doc), finding


def item_from_finding(req: Requirement, finding: Finding, doc: Document) -> ReviewItem:
    return ReviewItem(
        requirement_id=req.id,
        status=finding.status,
        clause=clause_ref(req),
        evidence=verified(finding.evidence, doc),
        rationale=finding.rationale,
        confidence=round(finding.confidence, 2),
        decided_by="rule",
    )


def verified(evidence: list[Evidence], doc: Document) -> list[Evidence]:
    """Only quotes that are verbatim on their page (after whitespace normalisation) are returned."""
    return [e for e in evidence if 1 <= e.page <= doc.page_count and quote_on_page(e.quote, doc.pages[e.page - 1])]
