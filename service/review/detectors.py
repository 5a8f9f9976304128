"""Special detectors a requirement can name in the catalog (`detector:`), for evidence that
patterns alone miss: e.g. dose groups given only as numbers in a dose table."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from corpus.catalog import Requirement
from service.domain import Document, Passage, ProductProfile

if TYPE_CHECKING:
    from service.review.rules import Hit

_DOSE = re.compile(
    r"(\d+(?:\.\d+)?\s*(?:[×xX*]\s*10\s*\^?\s*[-−]?\d+|[eE][+-]?\d+)|\d+(?:[.,]\d+)?)\s*"
    r"(?:vg|GC|gc|vp|VP|pfu|PFU|CFU|cfu|TU|IU|copies|拷贝|mg|μg|ug|µg)\b",
)
_CONTROL = re.compile(r"对照|溶媒|辅料|空载体|空衣壳|假手术|安慰剂|vehicle|control|placebo|sham|empty (?:vector|capsid)|"
                      r"null transgene|formulation buffer", re.IGNORECASE)
_TOX_CONTEXT = re.compile(r"毒性|毒理|GLP|tox", re.IGNORECASE)


def _norm_dose(raw: str) -> str:
    return re.sub(r"\s+", "", raw).replace("X", "x").replace("×", "x").replace("−", "-").lower()


def dose_groups(req: Requirement, doc: Document, topic: list[Passage], profile: ProductProfile,
                hits: dict[str, Hit], negated: dict[str, Hit]) -> None:
    """Count distinct dose levels and a control row in dose tables of toxicology studies."""
    from service.review.rules import Hit

    table_ids = {p.table_id for p in topic if p.table_id is not None}
    best: tuple[int, bool, list[Passage]] = (0, False, [])
    for tid in table_ids:
        rows = [p for p in doc.passages if p.table_id == tid and p.kind == "table_row"]
        context = " ".join([rows[0].section if rows else ""] + [r.text for r in rows[:1]])
        if not _TOX_CONTEXT.search(context) and not any(_TOX_CONTEXT.search(r.text) for r in rows):
            continue
        doses: list[str] = []
        has_control = False
        for r in rows:
            if _CONTROL.search(r.text) and not _DOSE.search(r.text.split("|", 2)[-1] if "|" in r.text else ""):
                has_control = True
                continue
            for m in _DOSE.finditer(r.text):
                d = _norm_dose(m.group(1))
                if d not in doses and not d.startswith("0"):
                    doses.append(d)
                break
        if len(doses) > best[0]:
            best = (len(doses), has_control, rows)
    count, has_control, rows = best
    if count == 0:
        return
    dose_rows = [r for r in rows if _DOSE.search(r.text)]
    control_rows = [r for r in rows if _CONTROL.search(r.text)]

    def mark(name: str, row: Passage) -> None:
        if name not in hits and name not in negated:
            hits[name] = Hit(row, row.text)

    if count >= 1 and dose_rows:
        mark("low_dose", dose_rows[0])
    if count >= 2:
        mark("high_dose", dose_rows[-1])
    if count >= 3:
        mark("mid_dose", dose_rows[1])
    if has_control and control_rows:
        mark("control", control_rows[0])


def _noop(*_: object) -> None:
    return None


DETECTORS: dict[str, Callable[..., None]] = {
    "dose_groups": dose_groups,
    "timepoints": _noop,  # peak/plateau are worded, not tabulated: the element patterns decide
    "sexes": _noop,
}


def apply(name: str, req: Requirement, doc: Document, topic: list[Passage], profile: ProductProfile,
          hits: dict[str, Hit], negated: dict[str, Hit]) -> None:
    try:
        detector = DETECTORS[name]
    except KeyError as exc:
        raise ValueError(f"{req.id}: unknown detector {name!r}") from exc
    detector(req, doc, topic, profile, hits, negated)
