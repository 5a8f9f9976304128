"""The "retrieval only" baseline: a similarity threshold and no rules, so the rules' worth is
visible as a number. Each requirement's bilingual text is searched among the plan's passages
(BM25 through index/); a hit above the threshold counts as met, else missing."""

from __future__ import annotations

from corpus.catalog import load_catalog
from index.hybrid import HybridIndex, IndexDoc
from service.domain import Document, Evidence, ReviewItem, ReviewResult, Status
from service.review.pipeline import clause_ref, verified
from service.review.profile import detect_profile

THRESHOLD = 0.35


def passage_index(doc: Document) -> HybridIndex:
    return HybridIndex([IndexDoc(str(p.idx), (), p.text) for p in doc.passages], embedder=None)


def retrieval_only_review(doc: Document, threshold: float = THRESHOLD) -> ReviewResult:
    index = passage_index(doc)
    by_idx = {str(p.idx): p for p in doc.passages}
    items = []
    for req in load_catalog().requirements:
        query = " ".join([req.title.zh, req.title.en, req.summary.zh, req.summary.en])
        hits = index.search(query, k=1, mode="bm25").hits
        top = hits[0] if hits else None
        if top is not None and top.sparse >= threshold:
            p = by_idx[top.key]
            status, evidence = Status.MET, verified([Evidence(page=p.page, quote=p.text[:200])], doc)
        else:
            status, evidence = Status.MISSING, []
        items.append(ReviewItem(requirement_id=req.id, status=status, clause=clause_ref(req), evidence=evidence,
                                rationale=f"similarity {top.sparse if top else 0:.2f}", confidence=0.5))
    return ReviewResult(scope="in_scope", language=doc.language, profile=detect_profile(doc), items=items)
