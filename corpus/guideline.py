"""The guideline as data: clean the PDF-extracted text, parse it into a clause tree with anchors.

Anchors follow checklist-spec.md: `2.3.1(3)` for 二、>（三）>1.>（3）; text that opens a clause
before its first child gets index 0 at the child's level (`2.0`, `2.1.0`, `2.3.1(0)`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
RAW_PATH = DATA_DIR / "guideline.zh.txt"
CLEAN_PATH = DATA_DIR / "guideline.zh.clean.txt"
GUIDELINE_ID = "cde-gene-therapy-nonclinical-zh"

_CN_NUM = "一二三四五六七八九十"
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_LEVEL1 = re.compile(rf"^([{_CN_NUM}]+)、\s*(\S.{{0,24}})$")
_LEVEL2 = re.compile(rf"^（([{_CN_NUM}]+)）\s*(\S.{{0,24}})$")
_LEVEL3 = re.compile(r"^(\d{1,2})\.\s*(\S.{0,14})$")
_LEVEL4 = re.compile(r"^（(\d{1,2})）\s*(\S.{0,14})$")
_HEADINGS = (_LEVEL1, _LEVEL2, _LEVEL3, _LEVEL4)
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9,;:)\]]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9(\[]")


def _cn_to_int(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _CN_NUM.index(numeral[1]) + 1
    return _CN_NUM.index(numeral[0]) + 1


def heading_of(line: str) -> tuple[int, int, str] | None:
    """(level 1..4, number, title) when the line is a guideline heading."""
    stripped = line.strip()
    if len(stripped) > 26 or stripped.endswith(("。", "，", "；")):
        return None
    for level, pattern in enumerate(_HEADINGS, start=1):
        m = pattern.match(stripped)
        if m:
            num = _cn_to_int(m.group(1)) if level <= 2 else int(m.group(1))
            return level, num, m.group(2).strip()
    return None


def _join(left: str, right: str) -> str:
    if _ASCII_WORD_END.search(left) and _ASCII_WORD_START.search(right):
        return f"{left} {right}"
    return left + right


def clean_guideline_text(raw: str) -> str:
    """Drop stray page numbers and blank lines, re-join lines broken mid-sentence.

    Output: one heading or one paragraph a line.
    """
    lines = [ln.strip() for ln in raw.splitlines()]
    lines = [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]
    out: list[str] = []
    current = ""
    for ln in lines:
        if heading_of(ln):
            if current:
                out.append(current)
                current = ""
            out.append(re.sub(r"\s+", "", ln) if not re.search(r"[A-Za-z]", ln) else ln)
            continue
        current = _join(current, ln) if current else ln
        if ln.endswith(("。", "：")):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n".join(out) + "\n"


@dataclass
class Clause:
    anchor: str
    title: str
    level: int
    path: list[str]  # titles from the top heading down to this clause
    text: str = ""  # body text held directly by this clause (leaves and index-0 clauses)
    start: int = 0  # character offsets of `text` in the cleaned guideline
    end: int = 0
    children: list[str] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def path_str(self) -> str:
        return " > ".join(self.path)


@dataclass
class Guideline:
    id: str
    text: str
    clauses: dict[str, Clause]  # in document order

    def anchors(self) -> list[str]:
        return list(self.clauses)

    def leaves(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.is_leaf]

    def get(self, anchor: str) -> Clause | None:
        return self.clauses.get(anchor)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def _anchor(numbers: list[int]) -> str:
    base = ".".join(str(n) for n in numbers[:3])
    return base + (f"({numbers[3]})" if len(numbers) > 3 else "")


def parse_guideline(text: str, guideline_id: str = GUIDELINE_ID) -> Guideline:
    clauses: dict[str, Clause] = {}
    stack: list[Clause] = []  # open headings, one per level
    numbers: list[int] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        body = line.rstrip("\n")
        if not body.strip():
            continue
        h = heading_of(body)
        if h:
            level, num, title = h
            numbers = numbers[: level - 1] + [num]
            stack = stack[: level - 1]
            clause = Clause(_anchor(numbers), title, level, [c.title for c in stack] + [title])
            if stack:
                stack[-1].children.append(clause.anchor)
            clauses[clause.anchor] = clause
            stack.append(clause)
            continue
        if not stack:
            raise ValueError(f"text before the first heading: {body[:40]!r}")
        holder = stack[-1]
        if holder.children:
            raise ValueError(f"text after children of {holder.anchor}: {body[:40]!r}")
        holder_anchor = holder.anchor
        # Text of a heading that will get children is moved to its index-0 clause once they appear.
        if not holder.text:
            holder.start = start
        holder.text = (holder.text + "\n" + body) if holder.text else body
        holder.end = start + len(body)
        clauses[holder_anchor] = holder
    _split_index_zero(clauses)
    return Guideline(guideline_id, text, clauses)


def _split_index_zero(clauses: dict[str, Clause]) -> None:
    """A clause with both opening text and children: move the text to an index-0 child."""
    ordered: dict[str, Clause] = {}
    for anchor, clause in list(clauses.items()):
        ordered[anchor] = clause
        if clause.text and clause.children:
            zero_anchor = f"{anchor}(0)" if clause.level == 3 else f"{anchor}.0"
            zero = Clause(zero_anchor, clause.title, clause.level + 1, [*clause.path],
                          clause.text, clause.start, clause.end)
            clause.text, clause.start, clause.end = "", 0, 0
            clause.children.insert(0, zero_anchor)
            ordered[zero_anchor] = zero
    clauses.clear()
    clauses.update(ordered)


@lru_cache(maxsize=1)
def load_guideline() -> Guideline:
    return parse_guideline(CLEAN_PATH.read_text(encoding="utf-8"))
