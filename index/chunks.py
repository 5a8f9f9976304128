"""Clause-aware chunking: a chunk never spans two keys; a long text splits at sentence
ends into overlapping pieces that each keep their key."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[。！？；;.!?])\s*")


@dataclass(frozen=True)
class Chunk:
    key: str  # e.g. the clause anchor
    text: str
    start: int  # offset of the chunk inside the keyed text
    end: int


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > pos and m.start() > pos:
            spans.append((pos, m.start()))
            pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def chunk_text(key: str, text: str, max_chars: int = 320, overlap: int = 80) -> list[Chunk]:
    """Pack whole sentences into chunks of at most max_chars (a longer sentence is cut hard);
    each next chunk starts with up to `overlap` characters of trailing sentences of the previous."""
    if not text.strip():
        return []
    pieces: list[tuple[int, int]] = []
    for s, e in _sentences(text):
        while e - s > max_chars:
            pieces.append((s, s + max_chars))
            s += max_chars - overlap
        pieces.append((s, e))
    chunks: list[Chunk] = []
    i = 0
    while i < len(pieces):
        start, end, j = pieces[i][0], pieces[i][1], i + 1
        while j < len(pieces) and pieces[j][1] - start <= max_chars:
            end, j = pieces[j][1], j + 1
        chunks.append(Chunk(key, text[start:end], start, end))
        if j >= len(pieces):
            break
        # step back over trailing sentences that fit in the overlap
        k = j
        while k - 1 > i and end - pieces[k - 1][0] <= overlap:
            k -= 1
        i = k if k > i else j
    return chunks
