"""Okapi BM25 over pre-tokenized documents (small corpora: a guideline, one plan)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from index.tokenize import tokenize


class BM25:
    def __init__(
        self,
        docs: Sequence[str],
        *,
        k1: float = 1.2,
        b: float = 0.75,
        tokenizer: Callable[[str], list[str]] = tokenize,
    ) -> None:
        self.tokenizer = tokenizer
        self.k1, self.b = k1, b
        tokenized = [tokenizer(d) for d in docs]
        self.doc_len = [len(t) for t in tokenized]
        self.avgdl = (sum(self.doc_len) / len(docs)) if docs else 1.0
        self.tf = [Counter(t) for t in tokenized]
        df: Counter[str] = Counter()
        for t in tokenized:
            df.update(set(t))
        n = len(docs)
        self.idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}

    def __len__(self) -> int:
        return len(self.tf)

    def score_tokens(self, query_tokens: list[str]) -> list[float]:
        scores = [0.0] * len(self.tf)
        terms = [t for t in dict.fromkeys(query_tokens) if t in self.idf]
        for i, tf in enumerate(self.tf):
            norm = self.k1 * (1 - self.b + self.b * self.doc_len[i] / self.avgdl)
            s = 0.0
            for term in terms:
                f = tf.get(term)
                if f:
                    s += self.idf[term] * f * (self.k1 + 1) / (f + norm)
            scores[i] = s
        return scores

    def scores(self, query: str) -> list[float]:
        return self.score_tokens(self.tokenizer(query))

    def max_possible(self, query: str) -> float:
        """Score of an ideal document holding every known query term once: scales scores to 0..1."""
        terms = [t for t in dict.fromkeys(self.tokenizer(query)) if t in self.idf]
        return sum(self.idf[t] for t in terms) * (self.k1 + 1) / (1 + self.k1)
