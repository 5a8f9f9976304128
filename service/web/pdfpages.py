"""Page images of an uploaded plan, with an evidence quote highlighted from the characters' boxes.

A quote is "verbatim after whitespace normalisation" (service/textnorm.py): PDF line breaks and
spaces are not part of it, and Chinese has no spaces at all. So the quote and the page are
compared with every whitespace removed (NFKC-folded), and each character of the match maps back
to a pdfplumber char with its box. Table-row quotes ("cell | cell | cell") are matched cell by
cell. The page is searched in reading order (lines top to bottom, left to right), then in the
PDF's own stream order (which keeps a wrapped table cell together), then fragment by fragment.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from PIL import Image, ImageDraw

from service.errors import InvalidPdf, NotFound

RESOLUTION = 144  # dpi: an A4 page is 1190 px wide, sharp on a laptop's high-density screen
HIGHLIGHT_FILL = (255, 214, 0, 96)
HIGHLIGHT_EDGE = (196, 120, 0, 255)
_PAD = 1.5  # points around each highlighted line box
_CELL_SPLIT = re.compile(r"\s*\|\s*")
_FRAGMENT_SPLIT = re.compile(r"[，。；：、！？,;:!?（）()“”\"…]+")
_MIN_FRAGMENT = 4
# pdfium is not thread-safe: one render at a time across the process.
_render_lock = threading.Lock()

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points (origin top-left)


@dataclass
class Highlight:
    boxes: list[Box] = field(default_factory=list)
    chars: int = 0  # characters highlighted
    found: bool = False  # every part of the quote was located


def squash(text: str) -> str:
    """The comparison key: NFKC, no whitespace at all."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def reading_order(chars: Sequence[dict[str, Any]]) -> list[int]:
    """Indices of `chars` in reading order: lines by vertical overlap, then left to right."""
    order = sorted(range(len(chars)), key=lambda i: chars[i]["top"])
    rows: list[list[int]] = []
    cur_top = cur_bottom = 0.0
    for i in order:
        top, bottom = chars[i]["top"], chars[i]["bottom"]
        if rows and min(bottom, cur_bottom) - top >= 0.5 * min(bottom - top, cur_bottom - cur_top):
            rows[-1].append(i)
            cur_bottom = max(cur_bottom, bottom)
            continue
        rows.append([i])
        cur_top, cur_bottom = top, bottom
    return [i for row in rows for i in sorted(row, key=lambda j: chars[j]["x0"])]


class _Text:
    """The page's characters in one order, squashed, with each key character's source char."""

    def __init__(self, chars: Sequence[dict[str, Any]], order: Sequence[int]) -> None:
        key: list[str] = []
        self.owners: list[int] = []
        for i in order:
            for ch in squash(chars[i].get("text", "")):
                key.append(ch)
                self.owners.append(i)
        self.key = "".join(key)

    def find(self, needle: str, after: int = 0) -> set[int] | None:
        pos = self.key.find(needle, after)
        if pos < 0 and after:
            pos = self.key.find(needle)
        return set(self.owners[pos: pos + len(needle)]) if pos >= 0 else None


def locate(chars: Sequence[dict[str, Any]], quote: str) -> tuple[set[int], bool]:
    """Indices of the chars that make up the quote, and whether all of it was found."""
    texts = [_Text(chars, reading_order(chars)), _Text(chars, range(len(chars)))]
    matched: set[int] = set()
    complete = True
    for part in _CELL_SPLIT.split(quote):
        needle = squash(part)
        if not needle:
            continue
        hit = next((h for t in texts if (h := t.find(needle)) is not None), None)
        if hit is not None:
            matched |= hit
            continue
        complete = False
        for fragment in _FRAGMENT_SPLIT.split(part):
            piece = squash(fragment)
            if len(piece) >= _MIN_FRAGMENT:
                hit = next((h for t in texts if (h := t.find(piece)) is not None), None)
                matched |= hit or set()
    return matched, complete and bool(matched)


def line_boxes(chars: Sequence[dict[str, Any]], indices: set[int]) -> list[Box]:
    """One box per run of matched chars on a line (a quote may span several lines)."""
    boxes: list[list[float]] = []
    subset = [chars[j] for j in sorted(indices)]
    for k in reading_order(subset):
        c = subset[k]
        x0, top, x1, bottom = c["x0"], c["top"], c["x1"], c["bottom"]
        if boxes:
            b = boxes[-1]
            same_line = min(bottom, b[3]) - max(top, b[1]) >= 0.5 * min(bottom - top, b[3] - b[1])
            if same_line and x0 - b[2] < 1.2 * max(c.get("size", 10.0), 1.0):
                b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], top), max(b[2], x1), max(b[3], bottom)
                continue
        boxes.append([x0, top, x1, bottom])
    return [(b[0], b[1], b[2], b[3]) for b in boxes]


def find_highlight(page: Any, quote: str) -> Highlight:
    if not quote.strip():
        return Highlight()
    chars = page.dedupe_chars().chars
    indices, complete = locate(chars, quote)
    return Highlight(line_boxes(chars, indices), len(indices), complete)


def _draw(image: Image.Image, boxes: Sequence[Box], scale: float) -> Image.Image:
    base = image.convert("RGBA")
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for x0, top, x1, bottom in boxes:
        rect = ((x0 - _PAD) * scale, (top - _PAD) * scale, (x1 + _PAD) * scale, (bottom + _PAD) * scale)
        draw.rectangle(rect, fill=HIGHLIGHT_FILL)
        draw.line([(rect[0], rect[3]), (rect[2], rect[3])], fill=HIGHLIGHT_EDGE, width=max(2, int(scale)))
    return Image.alpha_composite(base, overlay).convert("RGB")


@dataclass
class RenderedPage:
    png: bytes
    page: int
    pages: int
    width: float  # page size in points
    height: float
    highlight: Highlight

    def meta(self) -> dict[str, Any]:
        """Highlight boxes as fractions of the page, for the viewer to scroll to."""
        fr = [[round(b[0] / self.width, 4), round(b[1] / self.height, 4), round(b[2] / self.width, 4),
               round(b[3] / self.height, 4)] for b in self.highlight.boxes]
        return {"page": self.page, "pages": self.pages, "found": self.highlight.found,
                "chars": self.highlight.chars, "boxes": fr}


def page_count(pdf_path: Path) -> int:
    with _render_lock, _open(pdf_path) as pdf:
        return len(pdf.pages)


def _open(pdf_path: Path) -> Any:
    if not pdf_path.is_file():
        raise NotFound("the uploaded PDF is no longer stored")
    try:
        return pdfplumber.open(pdf_path)
    except Exception as exc:  # noqa: BLE001 - any parser error: the file cannot be shown
        raise InvalidPdf(f"the PDF cannot be opened for display: {type(exc).__name__}") from None


def render_page(pdf_path: Path, number: int, quote: str = "", resolution: int = RESOLUTION) -> RenderedPage:
    """Render 1-based page `number` as PNG with `quote` highlighted (404 for a page out of range)."""
    with _render_lock, _open(pdf_path) as pdf:
        if not 1 <= number <= len(pdf.pages):
            raise NotFound(f"the plan has {len(pdf.pages)} page(s); there is no page {number}")
        page = pdf.pages[number - 1]
        highlight = find_highlight(page, quote)
        image = page.to_image(resolution=resolution).original
        image = _draw(image, highlight.boxes, resolution / 72.0)
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        return RenderedPage(buf.getvalue(), number, len(pdf.pages), float(page.width), float(page.height),
                            highlight)


class PageCache:
    """Rendered pages on disk in the upload's own folder of derived files (removed with the
    upload), keyed by page, resolution and quote."""

    def __init__(self, folder_of: Callable[[str], Path]) -> None:
        self.folder_of = folder_of

    def _stem(self, sha: str, number: int, quote: str, resolution: int) -> Path:
        q = hashlib.sha256(quote.encode()).hexdigest()[:16]
        return self.folder_of(sha) / f"page-{number}-r{resolution}-{q}"

    def get(self, pdf_path: Path, sha: str, number: int, quote: str = "",
            resolution: int = RESOLUTION) -> tuple[bytes, dict[str, Any]]:
        stem = self._stem(sha, number, quote, resolution)
        png, meta = stem.with_suffix(".png"), stem.with_suffix(".json")
        if png.is_file() and meta.is_file():
            return png.read_bytes(), json.loads(meta.read_text(encoding="utf-8"))
        rendered = render_page(pdf_path, number, quote, resolution)
        stem.parent.mkdir(parents=True, exist_ok=True)
        data = rendered.meta()
        _write(meta, json.dumps(data).encode())
        _write(png, rendered.png)
        return rendered.png, data


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.part")
    tmp.write_bytes(data)
    tmp.replace(path)
