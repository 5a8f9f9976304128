"""Clause-lookup evaluation: Recall@1, Recall@5, MRR@10 per language and the no-match rate,
for the hybrid system and its BM25-only and dense-only baselines, on any query file in the
spec's JSON Lines format."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

DEFAULT_QUERIES = Path(__file__).parent / "lookup" / "queries.jsonl"
SYSTEMS = ("hybrid", "rrf", "bm25", "dense")


class LookupQuery(BaseModel):
    id: str
    lang: str
    query: str
    gold: list[str]
    also_ok: list[str] = Field(default_factory=list)
    kind: str = ""


@dataclass
class Answer:
    id: str
    anchors: list[str]
    no_match: bool


def load_queries(path: Path) -> list[LookupQuery]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(LookupQuery.model_validate_json(line))
        except ValidationError as exc:
            raise ValueError(f"{path}:{n}: not a lookup query: {exc.errors()[0]['msg']}") from exc
    if not out:
        raise ValueError(f"{path}: no queries")
    return out


def _rank(q: LookupQuery, a: Answer) -> int | None:
    ok = set(q.gold) | set(q.also_ok)
    if a.no_match:
        return None
    for i, anchor in enumerate(a.anchors, start=1):
        if anchor in ok:
            return i
    return None


def score(queries: list[LookupQuery], answers: dict[str, Answer]) -> dict[str, dict[str, float | int | None]]:
    """Metrics per language and overall. Answerable queries: R@1, R@5, MRR@10 (a no-match
    answer is a miss); no-match queries: share answered no-match; plus the share of answerable
    queries wrongly answered no-match."""
    groups: dict[str, list[LookupQuery]] = {"all": queries}
    for q in queries:
        groups.setdefault(q.lang, []).append(q)
    out: dict[str, dict[str, float | int | None]] = {}
    for name, qs in groups.items():
        answerable = [q for q in qs if q.gold]
        unanswerable = [q for q in qs if not q.gold]
        ranks = [_rank(q, answers[q.id]) for q in answerable]
        n = len(answerable)
        out[name] = {
            "queries": len(qs),
            "recall_at_1": _mean([r == 1 for r in ranks]) if n else None,
            "recall_at_5": _mean([r is not None and r <= 5 for r in ranks]) if n else None,
            "mrr_at_10": _mean([1 / r if r and r <= 10 else 0.0 for r in ranks]) if n else None,
            "no_match_rate": _mean([answers[q.id].no_match for q in unanswerable]) if unanswerable else None,
            "false_no_match": _mean([answers[q.id].no_match for q in answerable]) if n else None,
        }
    return out


def _mean(xs: Iterable[float | bool]) -> float:
    vals = [float(x) for x in xs]
    return round(sum(vals) / len(vals), 4) if vals else 0.0


def run(
    queries: list[LookupQuery],
    answer_fn: Callable[[str, str], Answer],
    systems: Iterable[str] = SYSTEMS,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, dict], dict[str, dict[str, Answer]]]:
    """answer_fn(query_text, system) → Answer. Returns (metrics by system, answers by system)."""
    systems = list(systems)
    metrics, answers = {}, {}
    total, done = len(queries) * len(systems), 0
    for system in systems:
        got = {}
        for q in queries:
            a = answer_fn(q.query, system)
            got[q.id] = Answer(q.id, a.anchors, a.no_match)
            done += 1
            if progress:
                progress(done, total)
        answers[system] = got
        metrics[system] = score(queries, got)
    return metrics, answers


def write_results(path: Path, answers: dict[str, Answer]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for a in answers.values():
            fh.write(json.dumps({"id": a.id, "anchors": a.anchors, "no_match": a.no_match}, ensure_ascii=False))
            fh.write("\n")


def format_table(metrics: dict[str, dict]) -> str:
    cols = ["recall_at_1", "recall_at_5", "mrr_at_10", "no_match_rate", "false_no_match"]
    lines = [f"{'system':8} {'lang':4} {'n':>3} " + " ".join(f"{c:>14}" for c in cols)]
    for system, by_lang in metrics.items():
        for lang, m in by_lang.items():
            vals = " ".join(f"{'n/a' if m[c] is None else format(m[c], '.3f'):>14}" for c in cols)
            lines.append(f"{system:8} {lang:4} {m['queries']:>3} {vals}")
    return "\n".join(lines)
