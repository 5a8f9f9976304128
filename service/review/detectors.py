"""Special detectors a requirement can name in the catalog (`detector:`), for evidence that
patterns alone miss: e.g. dose groups given only as numbers in a dose table."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from corpus.catalog import Requirement
from service.domain import Document, Passage, ProductProfile
from service.review.regimen import administration_counts
from service.review.text import sentences
from service.review.timepoints import SAMPLING_CUE, time_points_days

if TYPE_CHECKING:
    from service.review.rules import Hit

_DOSE = re.compile(
    r"(\d+(?:\.\d+)?\s*(?:[×xX*]\s*10\s*\^?\s*[-−]?\d+|[eE][+-]?\d+)|\d+(?:[.,]\d+)?)\s*"
    r"(?:vg|GC|gc|vp|VP|pfu|PFU|CFU|cfu|TU|IU|copies|拷贝|mg|μg|ug|µg)\b",
)
_CONTROL = re.compile(r"对照|溶媒|辅料|空载体|空衣壳|假手术|安慰剂|平衡盐|缓冲液|生理盐水|制剂缓冲|vehicle|control|placebo|sham|"
                      r"empty (?:vector|capsid)|\bsaline\b|\bPBS\b|\bBSS\b|\bbuffer\b|"
                      r"null transgene|formulation buffer", re.IGNORECASE)
_TOX_CONTEXT = re.compile(r"毒性|毒理|GLP|tox", re.IGNORECASE)


def _norm_dose(raw: str) -> str:
    return re.sub(r"\s+", "", raw).replace("X", "x").replace("×", "x").replace("−", "-").lower()


_DOSE_HEADER = re.compile(r"剂量|浓度|dose|titer|titre|concentration|滴度", re.IGNORECASE)
_UNIT = re.compile(r"vg|GC|vp|pfu|CFU|TU|IU|copies|拷贝|mg|μg|ug|µg", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?\s*(?:[×xX*]\s*10\s*\^?\s*[-−]?\d+|[eE][+-]?\d+)?)\s*$")


def _table_rows(doc: Document, table_id: int) -> list[Passage]:
    return [p for p in doc.passages if p.table_id == table_id and p.kind == "table_row"]


def _table_doses(rows: list[Passage]) -> list[str]:
    """Distinct non-zero dose levels of a dose table: numbers with a unit in any cell, or bare
    numbers in the column whose header names the dose and its unit ("剂量 (vg/眼)")."""
    cells = [[c.strip() for c in r.text.split("|")] for r in rows]
    dose_col = None
    if cells:
        for i, head in enumerate(cells[0]):
            if _DOSE_HEADER.search(head) and _UNIT.search(head):
                dose_col = i
                break
    doses: list[str] = []
    for row in cells[1:] if dose_col is not None else cells:
        value = None
        if dose_col is not None and dose_col < len(row):
            m = _BARE_NUMBER.match(row[dose_col]) or _DOSE.search(row[dose_col])
            value = m.group(1) if m else None
        if value is None:
            m = _DOSE.search(" | ".join(row))
            value = m.group(1) if m else None
        if value is not None:
            d = _norm_dose(value)
            if d not in doses and not re.fullmatch(r"0+(?:\.0+)?", d):
                doses.append(d)
    return doses


def dose_groups(req: Requirement, doc: Document, topic: list[Passage], profile: ProductProfile,
                hits: dict[str, Hit], negated: dict[str, Hit]) -> None:
    """Count distinct dose levels and a control row in dose tables of toxicology studies."""
    from service.review.rules import Hit

    table_ids = {p.table_id for p in topic if p.table_id is not None}
    best: tuple[int, bool, list[Passage]] = (0, False, [])
    for tid in table_ids:
        rows = _table_rows(doc, tid)
        context = " ".join([rows[0].section if rows else ""] + [r.text for r in rows[:1]])
        if not _TOX_CONTEXT.search(context) and not any(_TOX_CONTEXT.search(r.text) for r in rows):
            continue
        doses = _table_doses(rows)
        has_control = any(_CONTROL.search(r.text) for r in rows[1:])
        if len(doses) > best[0]:
            best = (len(doses), has_control, rows)
    count, has_control, rows = best
    if count == 0:
        return
    dose_rows = [r for r in rows[1:] if not _CONTROL.search(r.text) and re.search(r"\d", r.text)] or rows
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
    elif count == 2 and "mid_dose" not in hits:
        negated.setdefault("mid_dose", Hit(dose_rows[-1], dose_rows[-1].text, True))  # known absent
    if has_control and control_rows:
        mark("control", control_rows[0])


def dose_levels(req: Requirement, doc: Document, topic: list[Passage], profile: ProductProfile,
                hits: dict[str, Hit], negated: dict[str, Hit]) -> None:
    """Several dose levels given only as numbers in a design table of the pharmacology study
    ("Grp 2 | 3 x 10^8 TU/kg", "组3 | 1×10^12 vg/kg")."""
    from service.review.rules import Hit

    if "dose_levels" in hits:
        return
    for tid in sorted({p.table_id for p in topic if p.table_id is not None}):
        rows = _table_rows(doc, tid)
        if len(_table_doses(rows)) >= 3:
            dose_rows = [r for r in rows[1:] if _DOSE.search(r.text)] or rows
            hits["dose_levels"] = Hit(dose_rows[0], dose_rows[0].text)
            negated.pop("dose_levels", None)
            return


def _sampling_times(req: Requirement, topic: list[Passage]) -> tuple[list[float], Passage | None, str]:
    """Time points of sentences that schedule sampling or necropsy for this requirement's study,
    and the richest such sentence. Sentences under a heading on the topic are preferred; other
    sentences that mention the topic are used only when the plan has no such section."""
    from service.review.rules import compile_terms

    on_topic = compile_terms(tuple(req.topic.all()))
    in_section = [p for p in topic if on_topic and on_topic.search(p.headings)]
    for passages, need_mention in ((in_section, False), (topic, True)):
        times: set[float] = set()
        best: tuple[int, Passage | None, str] = (0, None, "")
        for p in passages:
            for a, b in sentences(p.text, hard=True):
                sent = p.text[a:b]
                if not SAMPLING_CUE.search(sent) or (need_mention and not (on_topic and on_topic.search(sent))):
                    continue
                found = time_points_days(sent)
                times.update(found)
                if len(found) > best[0]:
                    best = (len(found), p, sent.strip())
        if best[1] is not None:
            return sorted(times), best[1], best[2]
    return [], None, ""


def timepoints(req: Requirement, doc: Document, topic: list[Passage], profile: ProductProfile,
               hits: dict[str, Hit], negated: dict[str, Hit], *, expression_peak: bool = False) -> None:
    """Peak and plateau from the sampling schedule when the plan gives days rather than words:
    an early point (within a week) catches the peak; a late one catches the plateau — for
    products with long-term expression only at 8 weeks or later. For necropsies the peak is the
    transgene's expression peak, which for a persisting vector lies in the first month."""
    from service.review.rules import Hit

    times, passage, sentence = _sampling_times(req, topic)
    if passage is None or len(times) < 2:
        return
    hit = Hit(passage, sentence)
    plateau_after = 56.0 if profile.long_term_expression else 14.0
    peak_by = 35.0 if expression_peak and profile.long_term_expression else 7.0
    early, late = times[0] <= peak_by, times[-1] >= plateau_after and len(times) >= 3
    for name, present in (("multiple_necropsies", True), ("peak", early), ("plateau", late),
                          ("steady_state", late)):
        if present and name not in hits and name not in negated and any(e.name == name for e in req.elements):
            hits[name] = hit


_ANIMALS = re.compile(r"毒性|毒理|动物|大鼠|小鼠|猴|犬|兔|猪|\btoxic|\banimals?\b|\brats?\b|\bmice\b|\bmouse\b|"
                      r"\bmonkeys?\b|\bdogs?\b|\brabbits?\b|\b(?:mini)?pigs?\b|\bNHPs?\b|\bcynomolgus\b", re.IGNORECASE)


def _counted(passages: list[Passage], keep: Callable[[Passage, str], bool]) -> tuple[int, Passage | None, str]:
    best: tuple[int, Passage | None, str] = (0, None, "")
    for p in passages:
        for a, b in sentences(p.text, hard=True):
            sent = p.text[a:b]
            if not keep(p, sent):
                continue
            counts = administration_counts(sent)
            if counts and max(counts) > best[0]:
                best = (max(counts), p, sent.strip())
    return best


def regimen_count(req: Requirement, doc: Document, topic: list[Passage], profile: ProductProfile,
                  hits: dict[str, Hit], negated: dict[str, Hit]) -> None:
    """Fewer administrations in toxicology than in the clinic ("two instillations" against "up to
    eight") means the regimen does not mirror the clinical one, whatever else the plan says."""
    from service.review.profile import profile_rules
    from service.review.rules import Hit, compile_terms

    clinical_rx = compile_terms(tuple(profile_rules()["clinical_context"]))
    if clinical_rx is None:
        return
    clinical, _, _ = _counted(doc.passages, lambda p, s: bool(clinical_rx.search(f"{p.section} {s}"))
                              and not _ANIMALS.search(s) and not _ANIMALS.search(p.section))
    tox, passage, sentence = _counted(topic, lambda p, s: True)
    if clinical and tox and passage is not None and tox < clinical:
        hits.pop("clinical_mirror", None)
        negated["clinical_mirror"] = Hit(passage, sentence, True)


DETECTORS: dict[str, Callable[..., None]] = {
    "dose_groups": dose_groups,
    "dose_levels": dose_levels,
    "regimen_count": regimen_count,
    "timepoints": timepoints,
    "necropsy_timepoints": partial(timepoints, expression_peak=True),
}


def apply(name: str, req: Requirement, doc: Document, topic: list[Passage], profile: ProductProfile,
          hits: dict[str, Hit], negated: dict[str, Hit]) -> None:
    try:
        detector = DETECTORS[name]
    except KeyError as exc:
        raise ValueError(f"{req.id}: unknown detector {name!r}") from exc
    detector(req, doc, topic, profile, hits, negated)
