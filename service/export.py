"""Checklist exports: JSON with human overrides alongside, Markdown to hand on, and an xlsx workbook.

Every function reads the review result JSON (the exchange format) and a mapping
requirement_id -> override {status, comment, author, at}; the machine `status` is never changed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

Overrides = Mapping[str, Mapping[str, Any]]

STATUSES = ("met", "partial", "missing", "justified", "not_applicable")
GAPS = ("missing", "partial")
STATUS_LABELS = {
    "en": {"met": "met", "partial": "partial", "missing": "missing", "justified": "justified",
           "not_applicable": "not applicable"},
    "zh": {"met": "符合", "partial": "部分符合", "missing": "缺失", "justified": "已说明理由",
           "not_applicable": "不适用"},
}
SECTION_EN = {"1": "Introduction", "2.0": "Non-clinical studies: general", "2.1": "Pharmacology",
              "2.2": "Pharmacokinetics", "2.3": "Toxicology",
              "3": "Non-clinical considerations supporting clinical trials"}
_TEXT = {
    "en": {"title": "Non-clinical study plan review: checklist", "summary": "Summary", "profile": "Product profile",
           "checklist": "Checklist", "status": "Status", "count": "Machine", "effective": "After overrides",
           "gaps": "Gaps (missing or partial)", "overrides": "Human overrides", "field": "Field",
           "value": "Value", "evidence": "Evidence", "requirement": "Requirement", "clause": "Clause",
           "rationale": "Rationale", "out_of_scope": "Out of scope for this guideline",
           "no_checklist": "No checklist is produced for an out-of-scope product.",
           "override_by": "override", "total": "Total"},
    "zh": {"title": "非临床研究计划审评核查表", "summary": "概要", "profile": "产品特征", "checklist": "核查表",
           "status": "结论", "count": "机器结论", "effective": "人工复核后", "gaps": "缺口（缺失或部分符合）",
           "overrides": "人工复核", "field": "字段", "value": "取值", "evidence": "依据", "requirement": "要求",
           "clause": "条款", "rationale": "理由", "out_of_scope": "不属于本指导原则的适用范围",
           "no_checklist": "不适用本指导原则的产品不生成核查表。", "override_by": "人工复核",
           "total": "合计"},
}


# ------------------------------------------------------------------ shared


def apply_overrides(result: Mapping[str, Any], overrides: Overrides) -> dict[str, Any]:
    """The result with `override: {status, comment, author, at}` (or null) beside each machine status."""
    out = copy.deepcopy(dict(result))
    for item in out.get("items") or []:
        o = overrides.get(item.get("requirement_id", ""))
        item["override"] = None if o is None else {k: o.get(k) for k in ("status", "comment", "author", "at")}
    return out


def effective_status(item: Mapping[str, Any], overrides: Overrides) -> str:
    o = overrides.get(item.get("requirement_id", ""))
    return str(o["status"]) if o and o.get("status") else str(item.get("status", ""))


def status_counts(result: Mapping[str, Any], overrides: Overrides) -> dict[str, tuple[int, int]]:
    """status -> (machine count, count after overrides)."""
    items = result.get("items") or []
    return {s: (sum(1 for i in items if i.get("status") == s),
                sum(1 for i in items if effective_status(i, overrides) == s)) for s in STATUSES}


def section_key(anchor: str) -> str:
    """The guideline section a clause belongs to: 1, 2.0, 2.1, 2.2, 2.3 or 3."""
    parts = anchor.split(".")
    return ".".join(parts[:2]) if parts[0] == "2" and len(parts) > 1 else parts[0]


def _anchor_order(anchor: str) -> tuple[int, ...]:
    return tuple(int("".join(ch for ch in p if ch.isdigit()) or 0) for p in anchor.replace("(", ".").split("."))


@lru_cache(maxsize=1)
def _guideline_titles() -> dict[str, str]:
    try:
        from corpus.guideline import load_guideline

        return {a: c.title for a, c in load_guideline().clauses.items()}
    except Exception:  # noqa: BLE001 - exports still work without the guideline data
        return {}


@lru_cache(maxsize=1)
def requirement_titles() -> dict[str, dict[str, str]]:
    try:
        from corpus.catalog import load_catalog

        return {r.id: r.title.model_dump() for r in load_catalog().requirements}
    except Exception:  # noqa: BLE001 - fall back to the bare requirement IDs
        return {}


def section_title(key: str, lang: str) -> str:
    zh = _guideline_titles().get(key, "")
    if lang == "en" and key in SECTION_EN:
        return f"{key} {SECTION_EN[key]}" + (f" ({zh})" if zh else "")
    return f"{key} {zh}".strip()


def requirement_label(requirement_id: str, lang: str) -> str:
    title = requirement_titles().get(requirement_id, {}).get(lang)
    return f"{requirement_id}: {title}" if title else requirement_id


def profile_rows(profile: Mapping[str, Any]) -> list[tuple[str, str, int | None, str]]:
    """(field, value, evidence page, evidence quote) for every profile field but `evidence`."""
    evidence = profile.get("evidence") or {}
    rows = []
    for name, value in profile.items():
        if name == "evidence":
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value).lower() \
            if isinstance(value, bool) else str(value)
        ev = evidence.get(name) or {}
        rows.append((name, shown or "—", ev.get("page"), str(ev.get("quote") or "")))
    return rows


def render(result: Mapping[str, Any], overrides: Overrides, fmt: str, *, lang: str | None = None,
           title: str | None = None) -> bytes:
    """The checklist as json (overrides alongside), md or xlsx bytes."""
    if fmt == "json":
        return json.dumps(apply_overrides(result, overrides), ensure_ascii=False, indent=2).encode()
    if fmt == "md":
        return to_markdown(result, overrides, lang or str(result.get("language") or "en"), title=title).encode()
    if fmt == "xlsx":
        return to_xlsx(result, overrides)
    raise ValueError(f"unknown format {fmt!r}; use json, md or xlsx")


# ------------------------------------------------------------------ Markdown


def _cell(text: Any, limit: int = 400) -> str:
    s = " ".join(str(text if text is not None else "").split())
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s.replace("|", "\\|")


def _page(page: Any, lang: str) -> str:
    return f"第 {page} 页" if lang == "zh" else f"p. {page}"


def _evidence_md(item: Mapping[str, Any], lang: str) -> str:
    parts = [f"{_page(ev.get('page'), lang)}: “{_cell(ev.get('quote'), 240)}”" for ev in item.get("evidence") or []]
    return "<br>".join(parts) or "—"


def to_markdown(result: Mapping[str, Any], overrides: Overrides, lang: str = "en", *, title: str | None = None) -> str:
    lang = lang if lang in _TEXT else "en"
    t, labels = _TEXT[lang], STATUS_LABELS[lang]
    lines = [f"# {t['title']}", ""]
    if title:
        lines += [f"**{_cell(title)}**", ""]
    if result.get("scope") == "out_of_scope":
        lines += [f"## {t['out_of_scope']}", "", str(result.get("scope_reason") or "—"), "", t["no_checklist"], ""]
    else:
        counts = status_counts(result, overrides)
        lines += [f"## {t['summary']}", "", f"| {t['status']} | {t['count']} | {t['effective']} |", "|---|---:|---:|"]
        lines += [f"| {labels[s]} | {m} | {e} |" for s, (m, e) in counts.items()]
        items = result.get("items") or []
        gaps = sum(counts[g][0] for g in GAPS), sum(counts[g][1] for g in GAPS)
        lines += [f"| **{t['total']}** | {len(items)} | {len(items)} |", "",
                  f"{t['gaps']}: {gaps[0]} → {gaps[1]}; {t['overrides']}: {len(overrides)}", ""]
    lines += [f"## {t['profile']}", "", f"| {t['field']} | {t['value']} | {t['evidence']} |", "|---|---|---|"]
    for name, value, page, quote in profile_rows(result.get("profile") or {}):
        ev = f"{_page(page, lang)}: “{_cell(quote, 240)}”" if page is not None else "—"
        lines.append(f"| {name} | {_cell(value)} | {ev} |")
    lines.append("")
    if result.get("scope") != "out_of_scope":
        lines += [f"## {t['checklist']}", ""]
        lines += _checklist_md(result.get("items") or [], overrides, lang)
    return "\n".join(lines).rstrip() + "\n"


def _checklist_md(items: list[Mapping[str, Any]], overrides: Overrides, lang: str) -> list[str]:
    t, labels = _TEXT[lang], STATUS_LABELS[lang]
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for item in items:
        groups.setdefault(section_key((item.get("clause") or {}).get("anchor", "") or "0"), []).append(item)
    lines: list[str] = []
    for key in sorted(groups, key=_anchor_order):
        lines += [f"### {section_title(key, lang)}", "",
                  f"| {t['requirement']} | {t['clause']} | {t['status']} | {t['evidence']} | {t['rationale']} |",
                  "|---|---|---|---|---|"]
        for item in groups[key]:
            clause = item.get("clause") or {}
            status = labels.get(str(item.get("status")), str(item.get("status")))
            status = f"**{status}**" if item.get("status") in GAPS else status
            o = overrides.get(str(item.get("requirement_id")))
            if o and o.get("status"):
                who = f" ({_cell(o.get('author'))})" if o.get("author") else ""
                note = f": {_cell(o.get('comment'), 300)}" if o.get("comment") else ""
                status = f"~~{status}~~ → {labels.get(str(o['status']), o['status'])}<br>{t['override_by']}{who}{note}"
            lines.append(f"| {_cell(requirement_label(str(item.get('requirement_id')), lang))} "
                         f"| {clause.get('anchor', '')} {_cell(clause.get('title', ''))} | {status} "
                         f"| {_evidence_md(item, lang)} | {_cell(item.get('rationale'), 600)} |")
        lines.append("")
    return lines


# ------------------------------------------------------------------ xlsx

_FILLS = {"met": "C6EFCE", "partial": "FFEB9C", "missing": "FFC7CE", "justified": "DDEBF7",
          "not_applicable": "EDEDED"}
_CHECKLIST_COLUMNS = [("Requirement", 30), ("Clause anchor", 12), ("Clause title", 18), ("Status", 14),
                      ("Human override", 15), ("Override comment", 36), ("Override author", 16),
                      ("Override at", 20), ("Confidence", 11), ("Decided by", 13), ("Evidence pages", 12),
                      ("Evidence quotes", 70), ("Rationale", 60)]


def to_xlsx(result: Mapping[str, Any], overrides: Overrides) -> bytes:
    """A workbook with Checklist, Profile and Summary sheets."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    checklist = wb.active
    assert checklist is not None
    checklist.title = "Checklist"
    _fill_checklist(checklist, result, overrides)
    profile = wb.create_sheet("Profile")
    _table(profile, [("Field", 28), ("Value", 30), ("Evidence page", 14), ("Evidence quote", 90)],
           [list(r) for r in profile_rows(result.get("profile") or {})])
    summary = wb.create_sheet("Summary")
    rows: list[list[Any]] = [["scope", result.get("scope"), None]]
    if result.get("scope_reason"):
        rows.append(["scope reason", result.get("scope_reason"), None])
    if result.get("scope") != "out_of_scope":
        rows += [[s, m, e] for s, (m, e) in status_counts(result, overrides).items()]
        rows.append(["total", len(result.get("items") or []), len(result.get("items") or [])])
    _table(summary, [("Status", 18), ("Machine", 40), ("After overrides", 16)], rows)
    for row in summary.iter_rows(min_row=2, min_col=1, max_col=1):
        _colour(row[0], str(row[0].value))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill_checklist(ws: Any, result: Mapping[str, Any], overrides: Overrides) -> None:
    if result.get("scope") == "out_of_scope":
        _table(ws, [("Scope", 16), ("Reason", 100)], [["out_of_scope", result.get("scope_reason") or ""]])
        return
    rows = []
    for item in result.get("items") or []:
        clause = item.get("clause") or {}
        evidence = item.get("evidence") or []
        o = overrides.get(str(item.get("requirement_id"))) or {}
        rows.append([
            requirement_label(str(item.get("requirement_id")), "en"), clause.get("anchor", ""),
            clause.get("title", ""), item.get("status", ""), o.get("status") or "", o.get("comment") or "",
            o.get("author") or "", o.get("at") or "", item.get("confidence"), item.get("decided_by", ""),
            ", ".join(dict.fromkeys(str(e.get("page")) for e in evidence)),
            "\n".join(f"p. {e.get('page')}: {e.get('quote', '')}" for e in evidence), item.get("rationale", ""),
        ])
    _table(ws, _CHECKLIST_COLUMNS, rows)
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=5):
        for cell in row:
            _colour(cell, str(cell.value or ""))
    for row in ws.iter_rows(min_row=2, min_col=9, max_col=9):
        row[0].number_format = "0.00"


def _table(ws: Any, columns: list[tuple[str, int]], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append([name for name, _ in columns])
    for row in rows:
        ws.append(row)
    header_fill = PatternFill("solid", fgColor="1F4E78")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"


def _colour(cell: Any, status: str) -> None:
    from openpyxl.styles import PatternFill

    if status in _FILLS:
        cell.fill = PatternFill("solid", fgColor=_FILLS[status])
