"""Hybrid search over keyed documents: dense (FAISS inner product on normalised e5 vectors)
plus sparse (BM25), fused per key. Knows nothing of requirements or clauses: callers give
documents as (key, dense texts, sparse text).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import faiss
import numpy as np

from index.bm25 import BM25
from index.embedder import Embedder

FusionMode = Literal["hybrid", "rrf", "bm25", "dense"]
INDEX_FORMAT = 1


@dataclass(frozen=True)
class IndexDoc:
    key: str
    dense_texts: tuple[str, ...]  # each embedded as a passage; the key scores its best one
    sparse_text: str


@dataclass
class Hit:
    key: str
    score: float
    dense: float  # best cosine of the key's passages
    sparse: float  # BM25 score scaled to 0..1 by the query's ideal score


@dataclass
class SearchResult:
    hits: list[Hit]
    top_dense: float = 0.0
    top_sparse: float = 0.0
    diagnostics: dict[str, float] = field(default_factory=dict)


def corpus_fingerprint(docs: Sequence[IndexDoc]) -> str:
    h = hashlib.sha256()
    for d in docs:
        h.update(json.dumps([d.key, list(d.dense_texts), d.sparse_text], ensure_ascii=False).encode())
    return h.hexdigest()


class HybridIndex:
    """Search `docs` by query. Dense weight `alpha` in weighted fusion; RRF as an alternative."""

    def __init__(
        self,
        docs: Sequence[IndexDoc],
        embedder: Embedder | None,
        vectors: np.ndarray | None = None,
        *,
        alpha: float = 0.6,
        rrf_k: int = 60,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.docs = list(docs)
        self.keys = [d.key for d in self.docs]
        self.embedder = embedder
        self.alpha, self.rrf_k = alpha, rrf_k
        self.bm25 = BM25([d.sparse_text for d in self.docs])
        self.owner: list[int] = [i for i, d in enumerate(self.docs) for _ in d.dense_texts]
        self.faiss: faiss.IndexFlatIP | None = None
        self._query_cache: dict[str, np.ndarray] = {}
        if embedder is not None:
            if vectors is None:
                vectors = embed_in_batches(embedder, [t for d in self.docs for t in d.dense_texts], progress)
            self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            self.faiss = faiss.IndexFlatIP(self.vectors.shape[1])
            self.faiss.add(self.vectors)

    # ------------------------------------------------------------------ search
    def dense_scores(self, query: str) -> np.ndarray:
        best = np.full(len(self.docs), -1.0, dtype=np.float32)
        if self.faiss is None or self.embedder is None or self.faiss.ntotal == 0:
            return best
        q = self._query_vector(query)
        sims, idx = self.faiss.search(q, self.faiss.ntotal)
        for s, i in zip(sims[0], idx[0], strict=True):
            owner = self.owner[i]
            if s > best[owner]:
                best[owner] = s
        return best

    def _query_vector(self, query: str) -> np.ndarray:
        """Query embeddings are cached: a reviewer repeats questions, and evals ask each one per system."""
        cached = self._query_cache.get(query)
        if cached is None:
            assert self.embedder is not None
            cached = self.embedder.embed_queries([query])
            if len(self._query_cache) >= 1024:
                self._query_cache.pop(next(iter(self._query_cache)))
            self._query_cache[query] = cached
        return cached

    def search(self, query: str, k: int = 5, mode: FusionMode = "hybrid") -> SearchResult:
        dense = self.dense_scores(query) if mode != "bm25" else np.zeros(len(self.docs), np.float32)
        raw_sparse = np.asarray(self.bm25.scores(query), dtype=np.float32)
        ideal = self.bm25.max_possible(query)
        sparse = raw_sparse / ideal if ideal > 0 else raw_sparse
        if mode == "bm25":
            fused = sparse
        elif mode == "dense":
            fused = dense
        elif mode == "rrf":
            fused = _rrf([dense, sparse], self.rrf_k)
        else:
            fused = self.alpha * _minmax(dense) + (1 - self.alpha) * _minmax(sparse)
            fused = fused + 0.5 * dense  # keep absolute similarity visible in the score
        order = np.argsort(-fused, kind="stable")[:k]
        hits = [Hit(self.keys[i], float(fused[i]), float(dense[i]), float(sparse[i])) for i in order]
        return SearchResult(hits, float(dense.max(initial=0.0)), float(sparse.max(initial=0.0)))

    # ------------------------------------------------------------- persistence
    def save(self, folder: Path, manifest: Mapping[str, object]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "vectors.faiss.tmp"
        if self.faiss is not None:
            faiss.write_index(self.faiss, str(tmp))
            tmp.replace(folder / "vectors.faiss")
        full = {**manifest, "format": INDEX_FORMAT, "fingerprint": corpus_fingerprint(self.docs),
                "vectors": int(self.faiss.ntotal if self.faiss else 0), "built_at": time.time()}
        (folder / "manifest.json").write_text(json.dumps(full, indent=2, ensure_ascii=False))

    @classmethod
    def load_if_fresh(
        cls, folder: Path, docs: Sequence[IndexDoc], embedder: Embedder, expect: Mapping[str, object]
    ) -> HybridIndex | None:
        """The persisted index when its manifest matches these docs and this model; None when stale."""
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, ValueError):
            return None
        wanted = {**expect, "format": INDEX_FORMAT, "fingerprint": corpus_fingerprint(docs)}
        if any(manifest.get(k) != v for k, v in wanted.items()):
            return None
        try:
            stored = faiss.read_index(str(folder / "vectors.faiss"))
        except RuntimeError:
            return None
        vectors = stored.reconstruct_n(0, stored.ntotal)
        if vectors.shape[0] != sum(len(d.dense_texts) for d in docs):
            return None
        return cls(docs, embedder, vectors)


def embed_in_batches(
    embedder: Embedder, texts: list[str], progress: Callable[[int, int], None] | None, batch: int = 16
) -> np.ndarray:
    out = []
    for start in range(0, len(texts), batch):
        out.append(embedder.embed_passages(texts[start : start + batch]))
        if progress:
            progress(min(start + batch, len(texts)), len(texts))
    if not out:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack(out)


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min(initial=0.0)), float(x.max(initial=0.0))
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def _rrf(score_lists: list[np.ndarray], k: int) -> np.ndarray:
    fused = np.zeros_like(score_lists[0])
    for scores in score_lists:
        ranks = np.empty(len(scores), dtype=np.int64)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
        fused += 1.0 / (k + ranks)
    return fused
