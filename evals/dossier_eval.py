"""Run a review function (and baselines) over dossier folders, score the labelled ones.

`review_fn(pdf_path)` returns `(review_dict, seconds)` or just the review dict (then it is timed
here); a review that raises is recorded as an error for that dossier and scored as all wrong
(see evals/scorer.py). Dossiers whose path has a `heldout` folder component form the "heldout"
set, the others "dev"; set scores are keyed "<system> (<split>)", e.g. "rules (dev)".
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.report import render_markdown_report, render_text_summary
from evals.scorer import (
    METRIC_NAMES,
    SPEC_REQUIREMENT_IDS,
    DossierScore,
    LabelledDossier,
    SetScore,
    aggregate,
    everything_met_review,
    load_labelled_set,
    score_dossier,
)

ReviewFn = Callable[[Path], Any]  # -> (review dict, seconds) | review dict
ProgressFn = Callable[[int, int, str], None]  # (done, total, message)
SPLITS = ("dev", "heldout")


@dataclass
class SystemRun:
    """One system on one dossier."""

    review: dict[str, Any] | None
    seconds: float | None
    error: str | None = None
    score: DossierScore | None = None  # None for an unlabelled dossier


@dataclass
class DossierRun:
    dossier: LabelledDossier
    systems: dict[str, SystemRun] = field(default_factory=dict)
    results_file: Path | None = None


@dataclass
class EvalRun:
    system: str  # name of the reviewed system; baselines follow it in `systems`
    systems: list[str]
    dossiers: list[DossierRun]
    set_scores: dict[str, SetScore]  # "<system> (<split>)" -> score, only for non-empty sets

    @property
    def unlabelled(self) -> list[LabelledDossier]:
        return [r.dossier for r in self.dossiers if not r.dossier.labelled]

    @property
    def errors(self) -> list[tuple[str, str, str]]:
        """(system, dossier id, error message) for every review that raised."""
        return [(name, r.dossier.dossier_id, run.error) for r in self.dossiers
                for name, run in r.systems.items() if run.error]

    def to_json(self) -> dict[str, Any]:
        systems: dict[str, dict[str, Any]] = {}
        for name in self.systems:
            for split in SPLITS:
                score = self.set_scores.get(set_name(name, split))
                if score is not None:
                    c = score.counts
                    systems.setdefault(name, {})[split] = {
                        **score.metrics(), "dossiers": c.dossiers, "items": c.items,
                        "seconds_mean": score.seconds_mean}
        dossiers = []
        for r in self.dossiers:
            entry: dict[str, Any] = {
                "id": r.dossier.dossier_id, "folder": str(r.dossier.folder), "split": r.dossier.split,
                "labelled": r.dossier.labelled,
                "results_file": str(r.results_file) if r.results_file else None, "systems": {}}
            for name, run in r.systems.items():
                entry["systems"][name] = {
                    "seconds": run.seconds, "error": run.error,
                    **({"scope_ok": run.score.scope_ok, **run.score.metrics()} if run.score else {})}
            dossiers.append(entry)
        return {"metrics": list(METRIC_NAMES), "main_system": self.system, "systems": systems,
                "dossiers": dossiers, "unlabelled": [str(d.folder) for d in self.unlabelled],
                "errors": [{"system": s, "dossier": d, "error": e} for s, d, e in self.errors]}

    def markdown_report(self, title: str = "Dossier review evaluation") -> str:
        details = [k for k in self.set_scores if k.startswith(f"{self.system} (")]
        return render_markdown_report(
            self.set_scores, details, title=title, errors=self.errors,
            unlabelled=[str(d.folder) for d in self.unlabelled])

    def text_summary(self) -> str:
        return render_text_summary(self.set_scores)


def set_name(system: str, split: str) -> str:
    return f"{system} ({split})"


def everything_met_baseline(catalog_ids: Iterable[str] = SPEC_REQUIREMENT_IDS) -> ReviewFn:
    """A ReviewFn for the "everything met" baseline over the given requirement IDs."""
    ids = tuple(catalog_ids)
    return lambda pdf: (everything_met_review(ids), 0.0)


def _as_dict(review: Any) -> dict[str, Any]:
    if hasattr(review, "model_dump"):  # a pydantic ReviewResult
        review = review.model_dump(mode="json")
    if not isinstance(review, Mapping):
        raise TypeError(f"review is {type(review).__name__}, not a JSON object")
    return dict(review)


def _call(fn: ReviewFn, pdf: Path) -> tuple[dict[str, Any] | None, float, str | None]:
    start = time.perf_counter()
    try:
        out = fn(pdf)
        if isinstance(out, tuple) and len(out) == 2:
            return _as_dict(out[0]), float(out[1]), None
        return _as_dict(out), time.perf_counter() - start, None
    except Exception as exc:  # noqa: BLE001 - one broken dossier must not stop the run
        return None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"


def _result_names(dossiers: list[LabelledDossier]) -> list[str]:
    """`<folder name>.json`; folder names that repeat get their parent's name as a prefix."""
    repeated = Counter(d.folder.name for d in dossiers)
    return [f"{d.folder.parent.name}__{d.folder.name}.json" if repeated[d.folder.name] > 1
            else f"{d.folder.name}.json" for d in dossiers]


def run_dossier_eval(
    dirs: Iterable[Path], review_fn: ReviewFn, *, results_out: Path | None = None,
    baselines: Mapping[str, ReviewFn] | None = None, progress: ProgressFn | None = None,
    system: str = "service",
) -> EvalRun:
    """Review every plan.pdf under `dirs`, write results, score labelled dossiers and baselines.

    results_out: when given, the main system's review of each dossier is written there as
    `<dossier folder name>.json` (a failed review as {"error": {"code", "message"}}).
    Baselines (same signature as review_fn) run on labelled dossiers only.
    """
    found = load_labelled_set(dirs)
    baselines = dict(baselines or {})
    if system in baselines:
        raise ValueError(f"baseline name {system!r} clashes with the system name")
    if results_out is not None:
        results_out.mkdir(parents=True, exist_ok=True)
    runs: list[DossierRun] = []
    for i, (dossier, fname) in enumerate(zip(found, _result_names(found), strict=True), start=1):
        run = DossierRun(dossier=dossier)
        fns = {system: review_fn, **(baselines if dossier.labelled else {})}
        for name, fn in fns.items():
            review, seconds, error = _call(fn, dossier.pdf)
            score = None
            if dossier.labels is not None:
                score = score_dossier(dossier.labels, review, seconds=seconds, error=error)
                score.dossier_id = dossier.dossier_id
            run.systems[name] = SystemRun(review=review, seconds=seconds, error=error, score=score)
        if results_out is not None:
            main = run.systems[system]
            body = main.review if main.review is not None else {
                "error": {"code": "review_failed", "message": main.error}}
            run.results_file = results_out / fname
            run.results_file.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
        runs.append(run)
        if progress is not None:
            main = run.systems[system]
            state = f"error: {main.error}" if main.error else f"{main.seconds:.1f}s"
            progress(i, len(found), f"{dossier.dossier_id} ({dossier.split}): {state}")
    names = [system, *baselines]
    set_scores: dict[str, SetScore] = {}
    for name in names:
        for split in SPLITS:
            runs_in = [r.systems.get(name) for r in runs if r.dossier.split == split]
            kept = [r.score for r in runs_in if r is not None and r.score is not None]
            if kept:
                set_scores[set_name(name, split)] = aggregate(kept)
    return EvalRun(system=system, systems=names, dossiers=runs, set_scores=set_scores)
