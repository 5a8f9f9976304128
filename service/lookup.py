"""Clause lookup: a reviewer's question (zh or en) → ranked guideline clauses, or "no match".

The clause index is built once (dense vectors persisted with a manifest under the cache dir)
and rebuilt when the guideline, glossary, catalog or model changes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from corpus.catalog import load_catalog
from corpus.clause_docs import OFF_TOPIC_PREFIX, clause_documents, off_topic_documents
from corpus.guideline import load_guideline
from index.embedder import Embedder, get_embedder
from index.hybrid import FusionMode, HybridIndex, SearchResult
from service.errors import InvalidQuery, NotFound
from service.settings import Settings, get_settings

# Besides the reject documents below, a question whose best clause is neither close in meaning
# (dense cosine) nor shares rare vocabulary (BM25 scaled by the query's ideal score) is no-match.
# Both floors sit below every answerable question of evals/lookup/queries.jsonl (docs/MEASUREMENTS.md).
NO_MATCH_DENSE = 0.80
NO_MATCH_SPARSE = 0.30
# A reject document (off_topics.yaml) must beat the best clause by this much in fused score: on
# the project's questions no-match ones won by ≥ 0.27 and answerable ones by ≤ 0.07.
REJECT_MARGIN = 0.15
_HAS_WORD = re.compile(r"[\w\u4e00-\u9fff]")


@dataclass
class ClauseHit:
    anchor: str
    path: list[str]
    title: str
    text: str
    score: float
    requirement_ids: list[str]


@dataclass
class LookupResult:
    no_match: bool
    hits: list[ClauseHit] = field(default_factory=list)
    message: str | None = None


_lock = threading.Lock()
_indexes: dict[str, HybridIndex] = {}


def build_clause_index(
    settings: Settings, *, force: bool = False, progress: Callable[[int, int], None] | None = None
) -> HybridIndex:
    embedder: Embedder = get_embedder(settings)
    docs = clause_documents(load_guideline(), load_catalog()) + off_topic_documents()
    folder = settings.index_dir / "clauses"
    expect = {"model_id": embedder.model_id, "corpus_sha256": load_guideline().sha256}
    index = None if force else HybridIndex.load_if_fresh(folder, docs, embedder, expect)
    if index is None:
        index = HybridIndex(docs, embedder, progress=progress)
        if settings.embedder != "fake":
            index.save(folder, expect)
    return index


def index_ready(settings: Settings) -> bool:
    return f"{settings.embedder}:{settings.index_dir}" in _indexes


def clause_index(settings: Settings | None = None) -> HybridIndex:
    settings = settings or get_settings()
    key = f"{settings.embedder}:{settings.index_dir}"
    with _lock:
        if key not in _indexes:
            _indexes[key] = build_clause_index(settings)
        return _indexes[key]


def is_no_match(result: SearchResult, mode: FusionMode = "hybrid") -> bool:
    if not result.hits or result.hits[0].key.startswith(OFF_TOPIC_PREFIX):
        return True
    dense_weak = result.top_dense < NO_MATCH_DENSE
    sparse_weak = result.top_sparse < NO_MATCH_SPARSE
    if mode == "bm25":
        return sparse_weak
    if mode == "dense":
        return dense_weak
    return dense_weak and sparse_weak


def search_clauses(index: HybridIndex, question: str, k: int, mode: FusionMode = "hybrid") -> SearchResult:
    """Search clauses and reject documents together. When a reject document ranks first it leads
    the hits (so is_no_match() holds); other reject documents never appear."""
    result = index.search(question, k=len(index.docs), mode=mode)
    clauses = [h for h in result.hits if not h.key.startswith(OFF_TOPIC_PREFIX)]
    lead = []
    if result.hits and result.hits[0].key.startswith(OFF_TOPIC_PREFIX):
        best_clause = clauses[0].score if clauses else float("-inf")
        if result.hits[0].score - best_clause > REJECT_MARGIN:
            lead = result.hits[:1]
    top_dense = max((h.dense for h in clauses), default=0.0)
    top_sparse = max((h.sparse for h in clauses), default=0.0)
    return SearchResult(lead + clauses[:k], top_dense, top_sparse)


def validate_question(question: str, k: int, settings: Settings) -> str:
    q = (question or "").strip()
    if not q:
        raise InvalidQuery("the question is empty")
    if len(q) > settings.lookup_max_query_chars:
        raise InvalidQuery(
            f"the question has {len(q)} characters; the limit is {settings.lookup_max_query_chars}"
        )
    if not 1 <= k <= settings.lookup_max_k:
        raise InvalidQuery(f"k must be between 1 and {settings.lookup_max_k}, got {k}")
    return q


def lookup(
    question: str, k: int = 5, *, settings: Settings | None = None, mode: FusionMode = "hybrid"
) -> LookupResult:
    settings = settings or get_settings()
    q = validate_question(question, k, settings)
    if not _HAS_WORD.search(q):
        return LookupResult(no_match=True, message="the question has no words to search for")
    result = search_clauses(clause_index(settings), q, k, mode)
    if is_no_match(result, mode):
        return LookupResult(
            no_match=True, message="the guideline does not appear to address this question"
        )
    return LookupResult(no_match=False, hits=[clause_hit(h.key, round(h.score, 4)) for h in result.hits[:k]])


def clause_hit(anchor: str, score: float = 1.0) -> ClauseHit:
    clause = load_guideline().get(anchor)
    if clause is None:
        raise NotFound(f"no clause with anchor {anchor!r}")
    return ClauseHit(
        anchor=clause.anchor,
        path=clause.path,
        title=clause.title,
        text=clause.text or _children_text(anchor),
        score=score,
        requirement_ids=load_catalog().by_anchor().get(anchor, []),
    )


def _children_text(anchor: str) -> str:
    g = load_guideline()
    clause = g.get(anchor)
    parts = []
    for child in clause.children if clause else []:
        c = g.get(child)
        if c:
            heading = "" if c.anchor.endswith((".0", "(0)")) else f"{c.title}\n"
            parts.append(heading + (c.text or _children_text(child)))
    return "\n".join(parts)
