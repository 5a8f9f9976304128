"""Compiling the catalog's and profile's regexes.

Python's `\\b` treats CJK characters as word characters, so `\\bAAV` never matches in
"采用AAV9载体". Patterns are written with `\\b` for readability and compiled with an ASCII
word boundary instead: a boundary between an ASCII letter/digit and anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

ASCII_BOUNDARY = r"(?:(?<![A-Za-z0-9])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?![A-Za-z0-9]))"


def with_ascii_boundaries(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(ASCII_BOUNDARY if pattern[i + 1] == "b" else pattern[i : i + 2])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{with_ascii_boundaries(p)})" for p in patterns), re.IGNORECASE)


def compile_any(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of the patterns (None for no patterns)."""
    return _compile(tuple(patterns))
