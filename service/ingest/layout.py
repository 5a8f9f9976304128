"""Page geometry to text lines, and removal of running headers/footers and page numbers.

One pass over a page's chars: sort by top, cluster into lines by vertical overlap, order
each line by x and put a space where the horizontal gap says there is one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from service.textnorm import loose

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|hei|黑|[,-]b$|[,-]bd$", re.IGNORECASE)


@dataclass(slots=True)
class Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool


@dataclass(slots=True)
class TableBlock:
    top: float
    bottom: float
    rows: list[list[str]]


@dataclass(slots=True)
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)

    def char_count(self) -> int:
        n = sum(len(ln.text) - ln.text.count(" ") for ln in self.lines)
        return n + sum(len("".join(row)) for t in self.tables for row in t.rows)


@lru_cache(maxsize=256)
def is_bold_font(fontname: str) -> bool:
    name = fontname.split("+", 1)[-1]  # drop the subset tag "ABCDEF+"
    return bool(_BOLD_FONT.search(name))


def _inside(c: dict[str, Any], boxes: Sequence[BBox]) -> bool:
    cx = (c["x0"] + c["x1"]) / 2
    cy = (c["top"] + c["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def chars_to_lines(chars: Iterable[dict[str, Any]], skip: Sequence[BBox] = ()) -> list[Line]:
    """Cluster chars into lines (top to bottom). Chars inside `skip` boxes (tables) and
    rotated chars (watermarks) are left out."""
    kept = [c for c in chars if c.get("upright", True) and not (skip and _inside(c, skip))]
    kept.sort(key=lambda c: c["top"])
    rows: list[list[dict[str, Any]]] = []
    cur_top = cur_bottom = 0.0
    for c in kept:
        top, bottom = c["top"], c["bottom"]
        if rows:
            overlap = min(bottom, cur_bottom) - top
            if overlap >= 0.5 * min(bottom - top, cur_bottom - cur_top):
                rows[-1].append(c)
                cur_bottom = max(cur_bottom, bottom)
                continue
        rows.append([c])
        cur_top, cur_bottom = top, bottom
    lines = [_row_to_line(r) for r in rows]
    return [ln for ln in lines if ln is not None]


def _row_to_line(row: list[dict[str, Any]]) -> Line | None:
    row.sort(key=lambda c: c["x0"])
    parts: list[str] = []
    sizes: Counter[float] = Counter()
    bold = visible = 0
    prev: dict[str, Any] | None = None
    first = last = None
    for c in row:
        text = c["text"]
        if prev is not None:
            if text == prev["text"] and abs(c["x0"] - prev["x0"]) < 1 and abs(c["top"] - prev["top"]) < 1:
                continue  # over-printed (fake bold) duplicate
            gap = c["x0"] - prev["x1"]
            if gap > 0.18 * min(c["size"], prev["size"]) and parts[-1] != " ":
                parts.append(" ")
        if text.isspace():
            if parts and parts[-1] != " ":
                parts.append(" ")
        else:
            parts.append(text)
            sizes[round(c["size"], 1)] += 1
            visible += 1
            bold += is_bold_font(c.get("fontname", ""))
            first = first or c
            last = c
        prev = c
    if first is None or last is None:
        return None
    top = min(c["top"] for c in row)
    bottom = max(c["bottom"] for c in row)
    size = sizes.most_common(1)[0][0]
    return Line("".join(parts).strip(), top, bottom, first["x0"], last["x1"], size, bold * 2 > visible)


# ------------------------------------------------------------ running headers/footers

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—‐\s]*\d{1,4}[-–—‐\s]*"
    r"|第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|(?:page|p\.|pg\.?)\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|\d+\s*(?:/|of)\s*\d+"
    r"|[ivxlc]{1,6})$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
EDGE_LINES = 3  # how many lines at the top/bottom of a page may be running text
EDGE_BAND = 0.15  # ... and only within this fraction of the page height


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _running_key(text: str) -> str:
    return loose(_DIGITS.sub("#", text))


def _edge_lines(page: PageLayout) -> list[tuple[int, str]]:
    n = len(page.lines)
    out = [(i, "top") for i in range(min(EDGE_LINES, n)) if page.lines[i].top < EDGE_BAND * page.height]
    lo = max(n - EDGE_LINES, len(out))
    out += [(i, "bottom") for i in range(lo, n) if page.lines[i].bottom > (1 - EDGE_BAND) * page.height]
    return out


def strip_running(pages: Sequence[PageLayout], body_size: float) -> None:
    """Drop, in place, lines at the top/bottom of pages that repeat (digits ignored) on at
    least half of the pages, and bare page numbers there."""
    counts: Counter[tuple[str, str]] = Counter()
    edges = [_edge_lines(p) for p in pages]
    for page, edge in zip(pages, edges, strict=True):
        counts.update({(band, _running_key(page.lines[i].text)) for i, band in edge})
    need = max(2, math.ceil(0.5 * len(pages)))
    for page, edge in zip(pages, edges, strict=True):
        drop = set()
        for i, band in edge:
            line = page.lines[i]
            repeated = counts[(band, _running_key(line.text))] >= need and line.size <= body_size * 1.1
            if repeated or is_page_number(line.text):
                drop.add(i)
        if drop:
            page.lines = [ln for i, ln in enumerate(page.lines) if i not in drop]


def body_font_size(pages: Sequence[PageLayout]) -> float:
    """The size most text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0
