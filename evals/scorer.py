"""Score checklist reviews against labelled dossiers: pure functions, plain dicts in and out.

Inputs are the "Review result" JSON and the "labels.json" of the checklist spec, both as dicts.
Every metric is micro-averaged: counts are summed over all scored items (or dossiers) of a set,
then divided once.

* Scored items are the requirements present in a dossier's labels ("gold items"). Items the review
  lists but the labels do not (e.g. requirements the catalog added later) are ignored and counted
  in ``unscored_items``; if a review lists a requirement twice, the first entry counts.
* ``absent``: a gold item the review does not list, every gold item of a gold in-scope dossier the
  review declared out of scope (its items, if any, are not read) and every gold item of a failed
  review get the placeholder predicted status ``absent``. It never equals a gold status, is not a
  gap and is neither ``not_applicable`` nor applicable: it is wrong for status and applicability
  accuracy, lowers gap recall where the gold is a gap and leaves gap precision untouched.
* scope_accuracy is per dossier: predicted scope == gold scope (a failed review is wrong). A gold
  out-of-scope dossier has no gold items, so it counts for scope accuracy only, whatever the review
  predicted for it.
* gap = ``missing`` or ``partial``. gap_precision = both gap / predicted gaps; gap_recall = both gap /
  gold gaps; gap_f1 = their harmonic mean (0.0 when both are 0, None when either is None).
* status_accuracy: exact 5-way match / gold items. applicability_accuracy: gold items where
  (gold == not_applicable) == (predicted == not_applicable), ``absent`` always wrong.
* evidence_page_hit: over gold items with status met/partial/justified and at least one gold page,
  the share whose predicted evidence cites a page among the gold pages (whatever status was
  predicted; no evidence is a miss). Such items without gold pages are skipped.
* A metric whose denominator is empty is None (printed "n/a"), never 0 or 1.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ABSENT = "absent"
GAP_STATUSES = frozenset({"missing", "partial"})
EVIDENCED_STATUSES = frozenset({"met", "partial", "justified"})
STATUSES = ("met", "partial", "missing", "justified", "not_applicable")
METRIC_NAMES = (
    "gap_precision", "gap_recall", "gap_f1", "status_accuracy",
    "applicability_accuracy", "evidence_page_hit", "scope_accuracy",
)
# The stable requirement IDs of the checklist spec (the catalog may add more; pass them explicitly).
SPEC_REQUIREMENT_IDS = tuple("""
    GEN-GLP GEN-SPECIES-RELEVANCE GEN-NONSTANDARD-SPECIES GEN-TEST-ARTICLE GEN-BRIDGING PD-MODEL
    PD-POC-INVITRO PD-POC-INVIVO PD-DOSE-RESPONSE PD-ROUTE-REGIMEN PD-SURROGATE PD-SAFETY-PHARM
    PK-BD-DESIGN PK-BD-TIMEPOINTS PK-BD-TIMING PK-BD-METHOD-VALIDATION PK-SHEDDING
    PK-SHEDDING-INFECTIVITY TOX-SURROGATE TOX-SPECIES TOX-SEX-AGE TOX-DOSE-SELECTION TOX-GROUPS
    TOX-REGIMEN TOX-LONG-EXPRESSION TOX-DURATION-RECOVERY TOX-NECROPSY-TIMEPOINTS
    TOX-ENDPOINTS-SPECIAL TOX-SATELLITE-BD IMM-RESPONSES IMM-PREEXISTING IMM-COMPLEMENT
    IMM-IMMUNOTOX REPRO-RISK-ASSESSMENT REPRO-EFD-PPND REPRO-FERTILITY REPRO-GERMLINE
    GENO-INTEGRATION GENO-INSERTIONAL GENO-OFFTARGET CARC-WOE RCV-RISK LOCAL-TOLERANCE FIH-DOSE
""".split())


@dataclass(frozen=True)
class LabelledDossier:
    folder: Path  # absolute path of the folder holding plan.pdf
    labels: dict[str, Any] | None  # None: unlabelled (no labels.json)
    split: str = "dev"  # "heldout" when the path (as given, below the dir passed in) has a `heldout` part

    @property
    def pdf(self) -> Path:
        return self.folder / "plan.pdf"

    @property
    def labelled(self) -> bool:
        return self.labels is not None

    @property
    def dossier_id(self) -> str:
        return str((self.labels or {}).get("id") or self.folder.name)


def load_labelled_set(dirs: Iterable[Path]) -> list[LabelledDossier]:
    """Every folder under `dirs` (recursively, the dirs themselves included) holding plan.pdf,
    sorted by path, each folder once. A labels.json that is not a JSON object raises ValueError."""
    splits: dict[Path, str] = {}
    for d in dirs:
        root = Path(d).absolute()
        if not root.is_dir():
            raise ValueError(f"not a directory: {d}")
        for pdf in root.rglob("plan.pdf"):
            shown = Path(d) / pdf.parent.relative_to(root)
            if pdf.is_file():
                splits.setdefault(pdf.parent, "heldout" if "heldout" in shown.parts else "dev")
    out = []
    for folder, split in sorted(splits.items()):
        labels_path, labels = folder / "labels.json", None
        if labels_path.is_file():
            try:
                labels = json.loads(labels_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ValueError(f"{labels_path}: unreadable labels: {exc}") from exc
            if not isinstance(labels, dict):
                raise ValueError(f"{labels_path}: labels must be a JSON object")
        out.append(LabelledDossier(folder=folder, labels=labels, split=split))
    return out


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Counts:
    """Summable counts; every metric is a ratio of two of them."""
    items: int = 0
    status_correct: int = 0
    applicability_correct: int = 0
    gap_both: int = 0
    gold_gaps: int = 0
    pred_gaps: int = 0
    page_hits: int = 0
    page_total: int = 0
    dossiers: int = 0
    scope_correct: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def metrics(self) -> dict[str, float | None]:
        p, r = _ratio(self.gap_both, self.pred_gaps), _ratio(self.gap_both, self.gold_gaps)
        f1 = None if p is None or r is None else (2 * p * r / (p + r) if p + r else 0.0)
        return {
            "gap_precision": p, "gap_recall": r, "gap_f1": f1,
            "status_accuracy": _ratio(self.status_correct, self.items),
            "applicability_accuracy": _ratio(self.applicability_correct, self.items),
            "evidence_page_hit": _ratio(self.page_hits, self.page_total),
            "scope_accuracy": _ratio(self.scope_correct, self.dossiers),
        }


@dataclass(frozen=True)
class ItemResult:
    requirement_id: str
    gold: str
    pred: str  # a status, or ABSENT
    gold_pages: tuple[int, ...] = ()
    gold_quote: str = ""
    gold_why: str = ""
    evidence: tuple[dict[str, Any], ...] = ()  # predicted [{"page", "quote"}]
    rationale: str = ""
    decided_by: str = ""
    page_hit: bool | None = None  # None: not counted for evidence_page_hit

    @property
    def correct(self) -> bool:
        return self.gold == self.pred


@dataclass
class DossierScore:
    dossier_id: str
    language: str | None
    gold_scope: str
    pred_scope: str | None  # None when the review failed
    items: list[ItemResult]
    counts: Counts
    seconds: float | None = None
    error: str | None = None
    unscored_items: int = 0

    @property
    def scope_ok(self) -> bool:
        return self.gold_scope == self.pred_scope

    def metrics(self) -> dict[str, float | None]:
        return self.counts.metrics()


def _pages(raw: Any) -> tuple[int, ...]:
    """Page numbers from an int, a digit string or a list of them; anything else is dropped."""
    values = raw if isinstance(raw, list) else [raw]
    return tuple(int(p) for p in values if isinstance(p, int | str) and str(p).strip().isdigit())


def score_dossier(labels: Mapping[str, Any], review: Mapping[str, Any] | None, *,
                  seconds: float | None = None, error: str | None = None) -> DossierScore:
    """Score one review (None: the review failed, see `error`) against one dossier's labels."""
    gold_scope = str(labels.get("scope", "in_scope"))
    pred_scope = None if review is None else str(review.get("scope"))
    predicted: dict[str, Mapping[str, Any]] = {}
    if review is not None and pred_scope == "in_scope":
        for it in review.get("items") or []:
            if isinstance(it, Mapping) and "requirement_id" in it:
                predicted.setdefault(str(it["requirement_id"]), it)
    gold_items: Mapping[str, Any] = (labels.get("requirements") or {}) if gold_scope == "in_scope" else {}
    counts = Counts(dossiers=1, scope_correct=int(gold_scope == pred_scope))
    items = []
    for rid, g in gold_items.items():
        g = g if isinstance(g, Mapping) else {"status": g}
        gold = str(g.get("status"))
        p = predicted.get(rid)
        pred = str(p.get("status")) if p is not None else ABSENT
        evidence = tuple(e for e in (p.get("evidence") or []) if isinstance(e, Mapping)) if p else ()
        gold_pages = _pages(g.get("pages") or [])
        page_hit = None
        if gold in EVIDENCED_STATUSES and gold_pages:
            page_hit = any(set(_pages(e.get("page"))) & set(gold_pages) for e in evidence)
            counts.page_total += 1
            counts.page_hits += int(page_hit)
        counts.items += 1
        counts.status_correct += int(gold == pred)
        counts.applicability_correct += int(pred != ABSENT and
                                            (gold == "not_applicable") == (pred == "not_applicable"))
        counts.gold_gaps += int(gold in GAP_STATUSES)
        counts.pred_gaps += int(pred in GAP_STATUSES)
        counts.gap_both += int(gold in GAP_STATUSES and pred in GAP_STATUSES)
        items.append(ItemResult(
            requirement_id=rid, gold=gold, pred=pred, gold_pages=gold_pages,
            gold_quote=str(g.get("quote") or ""), gold_why=str(g.get("why") or ""),
            evidence=tuple(dict(e) for e in evidence),
            rationale=str(p.get("rationale") or "") if p else "",
            decided_by=str(p.get("decided_by") or "") if p else "", page_hit=page_hit))
    return DossierScore(
        dossier_id=str(labels.get("id") or ""), language=labels.get("language"),
        gold_scope=gold_scope, pred_scope=pred_scope, items=items, counts=counts,
        seconds=seconds, error=error, unscored_items=len(set(predicted) - set(gold_items)))


@dataclass
class RequirementStats:
    n: int = 0
    correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, pred) -> count

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.correct, self.n)

    @property
    def errors(self) -> int:
        return self.n - self.correct


@dataclass
class SetScore:
    dossiers: list[DossierScore]

    @property
    def counts(self) -> Counts:
        total = Counts()
        for d in self.dossiers:
            total.add(d.counts)
        return total

    def metrics(self) -> dict[str, float | None]:
        return self.counts.metrics()

    @property
    def seconds_mean(self) -> float | None:
        secs = [d.seconds for d in self.dossiers if d.seconds is not None]
        return sum(secs) / len(secs) if secs else None

    def confusion(self) -> Counter[tuple[str, str]]:
        """(gold status, predicted status) -> item count over the set."""
        return Counter((it.gold, it.pred) for d in self.dossiers for it in d.items)

    def per_requirement(self) -> dict[str, RequirementStats]:
        out: dict[str, RequirementStats] = {}
        for d in self.dossiers:
            for it in d.items:
                st = out.setdefault(it.requirement_id, RequirementStats())
                st.n += 1
                st.correct += int(it.correct)
                st.confusion[(it.gold, it.pred)] += 1
        return dict(sorted(out.items()))

    def failures(self) -> list[tuple[str, list[tuple[DossierScore, ItemResult]]]]:
        """Wrong-status items grouped by requirement, most errors first (then by ID)."""
        groups: dict[str, list[tuple[DossierScore, ItemResult]]] = {}
        for d in self.dossiers:
            for it in d.items:
                if not it.correct:
                    groups.setdefault(it.requirement_id, []).append((d, it))
        return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def aggregate(scores: Iterable[DossierScore]) -> SetScore:
    return SetScore(dossiers=list(scores))


def score_set(pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any] | None]]) -> SetScore:
    """Score (labels, review) pairs; a None review counts as failed. For seconds or errors per
    dossier, build the DossierScores with `score_dossier` and pass them to `aggregate`."""
    return aggregate(score_dossier(labels, review) for labels, review in pairs)


def everything_met_review(catalog_ids: Iterable[str] = SPEC_REQUIREMENT_IDS,
                          scope: str = "in_scope") -> dict[str, Any]:
    """Baseline: in scope, every requirement met, no evidence (out of scope: no items)."""
    items = [] if scope != "in_scope" else [
        {"requirement_id": rid, "status": "met", "evidence": [], "rationale": "baseline: everything met",
         "confidence": 0.0, "decided_by": "rule"} for rid in catalog_ids]
    return {"scope": scope, "scope_reason": None if scope == "in_scope" else "baseline",
            "profile": {}, "items": items}
