"""Text embedders: the real multilingual-e5-small (sentence-transformers, CPU, offline) and a
hermetic fake for unit tests. Importing this module is cheap: torch and sentence-transformers
are imported only when an `E5Embedder` is built.

Every embedder returns float32 arrays of shape (len(texts), dim) with L2-normalised rows, so an
inner product is a cosine. Queries and passages are embedded differently (e5 prefixes
"query: " / "passage: "), hence two methods.
"""

from __future__ import annotations

import json
import os
import threading
import unicodedata
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from service.settings import Settings

E5_BATCH_SIZE = 32
E5_NUM_THREADS = 2


@runtime_checkable
class Embedder(Protocol):
    model_id: str  # identifies the vector space: changes whenever vectors would change
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


# --------------------------------------------------------------------------- fake


class FakeEmbedder:
    """Deterministic, dependency-free embedder: signed feature hashing of character 1-3 grams
    (after NFKC + casefold), L2-normalised. Strings sharing many n-grams get similar vectors.
    Queries and passages share one space."""

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        self.dim = dim
        self.model_id = f"fake-ngram13-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        s = unicodedata.normalize("NFKC", text).casefold()
        s = " ".join(s.split())
        for n in (1, 2, 3):
            for i in range(len(s) - n + 1):
                h = zlib.crc32(f"{n}:{s[i : i + n]}".encode())
                v[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        norm = float(np.linalg.norm(v))
        if norm == 0.0:  # empty text (or perfectly cancelling features): a fixed unit vector
            v[:] = 0.0
            v[0] = 1.0
            return v
        return v / norm

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = self._vector(t)
        return out

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts))


# --------------------------------------------------------------------------- e5


def _set_offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class E5Embedder:
    """multilingual-e5-small from a converted sentence-transformers folder (see
    index.model_convert), on CPU, strictly offline. `encode_query` / `encode_document` add the
    e5 prefixes configured in the folder."""

    def __init__(
        self, model_dir: Path, *, batch_size: int = E5_BATCH_SIZE, num_threads: int | None = E5_NUM_THREADS
    ) -> None:
        _set_offline()
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar in service logs
        if num_threads:
            torch.set_num_threads(num_threads)
        self.model_dir = Path(model_dir)
        self.batch_size = batch_size
        self._model: Any = SentenceTransformer(str(self.model_dir), device="cpu", local_files_only=True)
        self._model.eval()
        dim = self._model.get_embedding_dimension()
        if not dim:
            raise RuntimeError(f"{self.model_dir}: model reports no embedding dimension")
        self.dim: int = int(dim)
        self.model_id: str = _model_id(self.model_dir)
        self._bert: Any = self._model[0].auto_model
        self._tokenizer = self._model.tokenizer
        self._max_length = int(self._model.max_seq_length or 512)
        self._lock = threading.Lock()  # one forward pass at a time; torch already uses all threads

    def _encode(self, method: str, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vecs = getattr(self._model, method)(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Queries are short and on the lookup's hot path: tokenizer, forward pass and mean pooling
        directly — the same vectors as encode_query (cosine 1.0), ~20% less time per query."""
        import torch

        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prefix = self._model.prompts.get("query", "")
        with self._lock:
            enc = self._tokenizer([prefix + t for t in texts], return_tensors="pt", padding=True,
                                  truncation=True, max_length=self._max_length)
            with torch.inference_mode():
                hidden = self._bert(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
        return np.ascontiguousarray(pooled.numpy(), dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode("encode_document", texts)


def _model_id(model_dir: Path) -> str:
    """'<folder name>@<first 12 hex of the source weights' sha256>' when the folder was made by
    index.model_convert, else the folder name."""
    try:
        marker = json.loads((model_dir / "conversion.json").read_text(encoding="utf-8"))
        return f"{model_dir.name}@{str(marker['source_sha256'])[:12]}"
    except (OSError, ValueError, KeyError, TypeError):
        return model_dir.name


# --------------------------------------------------------------------------- factory

_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(settings: Settings) -> Embedder:
    """The embedder `settings` asks for: FakeEmbedder when `settings.embedder == "fake"`, else
    the real e5 model (converted on first use) — one shared instance per model folder."""
    kind = settings.embedder.strip().lower()
    if kind == "fake":
        return FakeEmbedder()
    if kind not in ("e5", ""):
        raise ValueError(f"unknown embedder {settings.embedder!r} (expected 'e5' or 'fake')")
    key = str(Path(settings.model_dir).resolve())
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            from index.model_convert import ensure_model

            cached = E5Embedder(ensure_model(Path(settings.model_dir)))
            _CACHE[key] = cached
        return cached
