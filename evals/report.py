"""Render set scores for people: a Markdown report and a compact terminal table.

Metrics with an empty denominator are None and printed "n/a".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evals.scorer import ABSENT, METRIC_NAMES, STATUSES, ItemResult, SetScore

SHORT = {
    "gap_precision": "gap P", "gap_recall": "gap R", "gap_f1": "gap F1", "status_accuracy": "status",
    "applicability_accuracy": "applic.", "evidence_page_hit": "page hit", "scope_accuracy": "scope",
}


def fmt_metric(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def fmt_seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _cell(text: Any) -> str:
    return str(text).replace("\n", " ").replace("|", "\\|")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _summary_rows(set_scores: Mapping[str, SetScore]) -> list[list[str]]:
    rows = []
    for name, score in set_scores.items():
        c, m = score.counts, score.metrics()
        rows.append([name, str(c.dossiers), str(c.items), *(fmt_metric(m[k]) for k in METRIC_NAMES),
                     fmt_seconds(score.seconds_mean)])
    return rows


SUMMARY_HEADER = ["system", "dossiers", "items", *(SHORT[k] for k in METRIC_NAMES), "s/dossier"]


def render_text_summary(set_scores: Mapping[str, SetScore]) -> str:
    """An aligned plain-text table of every metric for each named set score."""
    rows = [SUMMARY_HEADER, *_summary_rows(set_scores)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(SUMMARY_HEADER))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _evidence(it: ItemResult, limit: int) -> str:
    if not it.evidence:
        return "none"
    return "; ".join(f'p. {e.get("page")} "{_clip(str(e.get("quote") or ""), limit)}"' for e in it.evidence)


def _failure_lines(score: SetScore, max_items: int, quote_limit: int) -> list[str]:
    lines = ["### Most frequent failures", ""]
    failures = score.failures()
    if not failures:
        return lines + ["No status errors.", ""]
    per_req = score.per_requirement()
    for rank, (rid, wrong) in enumerate(failures, start=1):
        lines += [f"#### {rank}. {rid}: {len(wrong)} wrong of {per_req[rid].n}", ""]
        wrong = sorted(wrong, key=lambda w: w[0].error is not None)  # failed reviews last
        for d, it in wrong[:max_items]:
            how = f" (decided by {it.decided_by})" if it.decided_by else ""
            err = f" — review failed: {d.error}" if d.error else ""
            pages = ", ".join(str(p) for p in it.gold_pages) or "none"
            lines.append(f"- **{d.dossier_id}**: gold `{it.gold}` → predicted `{it.pred}`{how}{err}")
            quote = f' "{_clip(it.gold_quote, quote_limit)}"' if it.gold_quote else ""
            why = f" — why: {_clip(it.gold_why, quote_limit)}" if it.gold_why else ""
            lines.append(f"  - gold: p. {pages}{quote}{why}")
            lines.append(f"  - predicted evidence: {_evidence(it, quote_limit)}")
            if it.rationale:
                lines.append(f"  - rationale: {_clip(it.rationale, quote_limit)}")
        if len(wrong) > max_items:
            lines.append(f"- … and {len(wrong) - max_items} more")
        lines.append("")
    return lines


def _detail_lines(name: str, score: SetScore, max_items: int, quote_limit: int) -> list[str]:
    lines = [f"## {name}", "", "### Per dossier", ""]
    rows = []
    for d in score.dossiers:
        m = d.metrics()
        rows.append([d.dossier_id, d.language or "", "yes" if d.scope_ok else f"no ({d.pred_scope or 'error'})",
                     fmt_metric(m["status_accuracy"]), fmt_metric(m["gap_precision"]),
                     fmt_metric(m["gap_recall"]), fmt_metric(m["evidence_page_hit"]),
                     fmt_seconds(d.seconds), _clip(d.error or "", 80)])
    lines += _table(["dossier", "lang", "scope ok", "status", "gap P", "gap R", "page hit", "seconds",
                     "error"], rows)
    confusion = score.confusion()
    golds = [s for s in STATUSES if any(g == s for g, _ in confusion)]
    golds += sorted({g for g, _ in confusion} - set(golds))
    preds = [*STATUSES, *sorted({p for _, p in confusion} - {*STATUSES, ABSENT}), ABSENT]
    lines += ["", "### Status confusion (rows gold, columns predicted)", ""]
    lines += _table(["gold \\ pred", *preds], ([g, *(str(confusion[(g, p)]) for p in preds)] for g in golds))
    lines += ["", "### Per requirement", ""]
    req_rows = []
    for rid, st in sorted(score.per_requirement().items(), key=lambda kv: (-kv[1].errors, kv[0])):
        off = ", ".join(f"{g}→{p} ×{n}" for (g, p), n in st.confusion.most_common() if g != p)
        req_rows.append([rid, st.n, fmt_metric(st.accuracy), st.errors, off])
    lines += _table(["requirement", "n", "accuracy", "errors", "confusions (gold→pred)"], req_rows)
    misses = [(d, it) for d in score.dossiers for it in d.items if it.page_hit is False and it.correct]
    lines += ["", *_failure_lines(score, max_items, quote_limit)]
    if misses:
        lines += ["### Evidence page misses (status right, no gold page cited)", ""]
        lines += [f"- {it.requirement_id} in **{d.dossier_id}**: gold p. "
                  f"{', '.join(map(str, it.gold_pages))}; cited {_evidence(it, quote_limit)}" for d, it in misses]
        lines.append("")
    return lines


def render_markdown_report(
    set_scores: Mapping[str, SetScore], details: Iterable[str] | None = None, *,
    title: str = "Dossier review evaluation", errors: Iterable[tuple[str, str, str]] = (),
    unlabelled: Iterable[str] = (), max_items_per_requirement: int = 20, quote_limit: int = 300,
) -> str:
    """Summary of every named set score, then for each name in `details` (default: the first)
    its per-dossier table, status confusion, per-requirement table and most frequent failures."""
    names = list(details) if details is not None else list(set_scores)[:1]
    lines = [f"# {title}", "", "## Summary", ""]
    lines += _table(SUMMARY_HEADER, _summary_rows(set_scores))
    lines += ["", "Gap = missing or partial; micro-averaged over items (scope: over dossiers); "
              "`absent` = not in the review (missing item, out-of-scope prediction or failed review); "
              "n/a = empty denominator.", ""]
    errors = list(errors)
    if errors:
        lines += ["## Review errors", ""] + [f"- {s} / **{d}**: {_clip(e, 300)}" for s, d, e in errors] + [""]
    unlabelled = list(unlabelled)
    if unlabelled:
        lines += ["## Unlabelled dossiers (reviewed, not scored)", ""] + [f"- {u}" for u in unlabelled] + [""]
    for name in names:
        if name in set_scores:
            lines += _detail_lines(name, set_scores[name], max_items_per_requirement, quote_limit)
    return "\n".join(lines).rstrip() + "\n"
