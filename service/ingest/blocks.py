"""Lines and tables of cleaned pages to passages: paragraphs re-joined, headings found,
one passage per table row. Page text is built from the passages, so every passage is
verbatim on its page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from service.domain import Passage, Table
from service.ingest.layout import Line, PageLayout, TableBlock
from service.textnorm import normalize_ws

_CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_TERMINATORS = frozenset("。！？；：.!?;:")
_NO_HEADING_END = frozenset("。；;，,.、")
_NUMBERED = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇]"
    r"|[一二三四五六七八九十百]+[、．.]"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|[（(]\d{1,2}[）)]"
    r"|\d{1,2}(?:\.\d{1,2}){0,4}[.、．]?(?=\s|[\u4e00-\u9fff])"
    r"|[IVX]{1,5}\.(?=\s))"
    r"\s*\S"
)
_CAPTION = re.compile(r"^(?:表|图|附表|附图|Table|Figure|Fig\.)\s*[A-Z]?\d", re.IGNORECASE)
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…+|·{3,})\s*\d{1,4}$")  # "2.1 Design ....... 12"
_HYPHEN_END = re.compile(r"([A-Za-z]+)-$")
_WORD_START = re.compile(r"^([a-z]+)")


def is_numbered_heading(text: str) -> bool:
    return bool(_NUMBERED.match(text))


_LEVELS = (
    (re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+[章部分篇]|Part\s+[IVX\d]+\b|Chapter\s+\d+|[IVX]{1,5}\.\s)", re.I), 0),
    (re.compile(r"^[一二三四五六七八九十百]+[、．.]"), 1),
    (re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+节|[（(][一二三四五六七八九十百]+[）)])"), 2),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 6),
)
_DOTTED = re.compile(r"^\d{1,2}((?:\.\d{1,2}){0,4})")
_CJK_NUMBERED_BELOW = 3  # "1." in a Chinese plan sits under "（一）"


def heading_level(text: str) -> int | None:
    """Nesting depth of a numbered heading (smaller = outer), None for an unnumbered one
    (a caption or a bold run-in title), which nests under whatever heading is open."""
    for rx, level in _LEVELS:
        if rx.match(text):
            return level
    m = _DOTTED.match(text)
    if m:
        depth = m.group(1).count(".")
        cjk_single = depth == 0 and _CJK_CHAR.search(text[:12]) is not None
        return _CJK_NUMBERED_BELOW if cjk_single else 1 + depth
    return None


class HeadingPath:
    """The open headings above the current line, outermost first: a passage under
    "4.1.1 Design" also belongs to "4.1 Biodistribution" and "4 Pharmacokinetics"."""

    def __init__(self) -> None:
        self._open: list[tuple[int, str]] = []

    def enter(self, text: str) -> None:
        level = heading_level(text)
        if level is None:
            level = (self._open[-1][0] + 1) if self._open else 99
        else:
            while self._open and self._open[-1][0] >= level:
                self._open.pop()
        self._open.append((level, text))

    @property
    def section(self) -> str:
        """The nearest heading ("" before the first one)."""
        return self._open[-1][1] if self._open else ""

    @property
    def ancestors(self) -> str:
        """The headings that enclose the nearest one, joined (empty at top level)."""
        return " > ".join(t for _, t in self._open[:-1])


def _heading_len_ok(text: str) -> bool:
    if not text or _CAPTION.match(text):  # a table/figure caption is not a section heading
        return False
    return len(text) <= (40 if _CJK_CHAR.search(text) else 100) and text[-1] not in _NO_HEADING_END


@dataclass(slots=True)
class _Stats:
    body_size: float
    body_bold: bool
    gap: float  # typical vertical gap between lines of one paragraph
    vocab: frozenset[str]  # lower-cased words of the document, for de-hyphenation


def _stats(pages: Sequence[PageLayout], body_size: float) -> _Stats:
    gaps: list[float] = []
    bold = Counter[bool]()
    hyphens = False
    for p in pages:
        for a, b in zip(p.lines, p.lines[1:], strict=False):
            if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5:
                g = b.top - a.bottom
                if 0 <= g < 2 * body_size:
                    gaps.append(g)
        for ln in p.lines:
            if abs(ln.size - body_size) < 0.5:
                bold[ln.bold] += len(ln.text)
            hyphens = hyphens or ln.text.endswith("-")
    gaps.sort()
    gap = gaps[len(gaps) * 3 // 10] if gaps else 0.3 * body_size
    vocab: frozenset[str] = frozenset()
    if hyphens:
        text = " ".join(ln.text for p in pages for ln in p.lines)
        vocab = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text))
    return _Stats(body_size, bold[True] > bold[False], gap, vocab)


def join_lines(a: str, b: str, vocab: frozenset[str] = frozenset()) -> str:
    """Join a line broken mid-paragraph: no space around CJK, de-hyphenate a clear word split."""
    a, b = a.rstrip(), b.lstrip()
    if not a or not b:
        return a or b
    m, w = _HYPHEN_END.search(a), _WORD_START.match(b)
    if m and w:
        head, tail = m.group(1).lower(), w.group(1)
        if head + tail in vocab and f"{head}-{tail}" not in vocab:
            return a[:-1] + b  # "treat-" + "ment": the word occurs whole elsewhere
        return a + b  # a real hyphen at the line end: "dose-" + "response"
    if _CJK_CHAR.match(a[-1]) or _CJK_CHAR.match(b[0]):
        return a + b
    return f"{a} {b}"


class _PageBuilder:
    def __init__(self, page: PageLayout, st: _Stats) -> None:
        self.page, self.st = page, st
        body = [ln for ln in page.lines if abs(ln.size - st.body_size) < 0.5] or page.lines
        xs = sorted(ln.x1 for ln in body)
        self.left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0] if body else 0.0
        self.right = xs[(len(xs) - 1) * 9 // 10] if xs else page.width
        self.width = max(self.right - self.left, 1.0)

    def _short(self, ln: Line, cjk_margin: float = 1.5) -> bool:
        margin = cjk_margin * ln.size if _CJK_CHAR.search(ln.text[-1:]) else 0.15 * self.width
        return ln.x1 < self.right - margin

    def starts_block(self, prev: Line, ln: Line) -> bool:
        st = self.st
        if ln.top - prev.bottom > st.gap + 0.45 * max(ln.size, prev.size):
            return True
        if abs(ln.size - prev.size) > 0.12 * st.body_size:
            return True
        if ln.bold != prev.bold and (self._short(ln) or self._short(prev)):
            return True
        if _TOC_ENTRY.search(prev.text):
            return True
        indent = ln.x0 > prev.x0 + 0.8 * ln.size
        ends = prev.text[-1:] in _TERMINATORS
        return (
            (ends and (indent or self._short(prev)))
            or (indent and self._short(prev))
            or (prev.x1 < self.right - 0.3 * self.width)
        )

    def is_heading(self, ln: Line) -> bool:
        """For a line that starts a block: short, no sentence end, and set in a larger or
        bold font, or numbered ("一、", "（1）", "2.1", "II.") and not running to the margin."""
        text = normalize_ws(ln.text)
        if not _heading_len_ok(text):
            return False
        if ln.size >= self.st.body_size * 1.12 or (ln.bold and not self.st.body_bold):
            return True
        return is_numbered_heading(text) and self._short(ln, cjk_margin=2.0)

    def blocks(self) -> list[tuple[str, list[Line]] | TableBlock]:
        items: list[Line | TableBlock] = sorted([*self.page.lines, *self.page.tables], key=lambda x: x.top)
        out: list[tuple[str, list[Line]] | TableBlock] = []
        cur: tuple[str, list[Line]] | None = None
        for it in items:
            if isinstance(it, TableBlock):
                out.append(it)
                cur = None
                continue
            prev = cur[1][-1] if cur else None
            starts = prev is None or cur is None or cur[0] == "heading" or self.starts_block(prev, it)
            if cur and cur[0] == "heading" and prev and self._heading_continues(prev, it):
                cur[1].append(it)
                continue
            if starts:
                cur = ("heading" if self.is_heading(it) else "paragraph", [it])
                out.append(cur)
            else:
                assert cur is not None
                cur[1].append(it)
        return out

    def _heading_continues(self, prev: Line, ln: Line) -> bool:
        """A long heading set in a distinct font, wrapped onto a second line."""
        return (
            (prev.size >= self.st.body_size * 1.12 or (prev.bold and not self.st.body_bold))
            and abs(prev.size - ln.size) < 0.5
            and prev.bold == ln.bold
            and ln.top - prev.bottom < 0.6 * ln.size
            and not is_numbered_heading(ln.text)
            and prev.text[-1:] not in _TERMINATORS
        )


def build_passages(
    pages: Sequence[PageLayout], body_size: float
) -> tuple[list[str], list[Passage], list[Table]]:
    st = _stats(pages, body_size)
    page_texts: list[str] = []
    passages: list[Passage] = []
    tables: list[Table] = []
    path = HeadingPath()

    def add(page: int, kind: str, text: str, table_id: int | None = None) -> None:
        passages.append(
            Passage(
                idx=len(passages),
                page=page,
                text=text,
                kind=kind,  # type: ignore[arg-type]
                section=path.section,
                context=path.ancestors,
                table_id=table_id,
            )
        )

    for page in pages:
        start = len(passages)
        for block in _PageBuilder(page, st).blocks():
            if isinstance(block, TableBlock):
                tid = len(tables)
                tables.append(Table(table_id=tid, page=page.number, rows=block.rows))
                for row in block.rows:
                    if any(row):
                        add(page.number, "table_row", normalize_ws(" | ".join(row)), tid)
                continue
            kind, lines = block
            text = lines[0].text
            for ln in lines[1:]:
                text = join_lines(text, ln.text, st.vocab)
            text = normalize_ws(text)
            if not text:
                continue
            if kind == "heading":
                path.enter(text)
            add(page.number, kind, text)
        page_texts.append("\n".join(p.text for p in passages[start:]))
    return page_texts, passages, tables
