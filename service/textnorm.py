"""Whitespace normalisation that makes "verbatim" well defined for PDF text.

PDF extraction breaks lines anywhere; in Chinese a line break inside a sentence is
not a space. normalize_ws() collapses whitespace runs to one space and drops the
space entirely between two CJK characters (or CJK punctuation), so a quote matches
its page whatever the line breaks were.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_CJK_LEFT = re.compile(rf"(?<=[{_CJK}]) (?=[\w(（])")
_CJK_RIGHT = re.compile(rf"(?<=[\w)）.,;:%]) (?=[{_CJK}])")


def normalize_ws(text: str) -> str:
    text = _WS.sub(" ", text.replace("\u00a0", " ")).strip()
    return _CJK_GAP.sub("", text)


def loose(text: str) -> str:
    """A stricter key for matching: also drops spaces between CJK and Latin/digits.

    Chinese PDFs put or omit spaces around numbers and Latin words inconsistently
    ("3 个剂量组" vs "3个剂量组"); quotes are compared on this key.
    """
    text = normalize_ws(text)
    text = _CJK_LEFT.sub("", text)
    return _CJK_RIGHT.sub("", text)


def quote_on_page(quote: str, page_text: str) -> bool:
    q = loose(quote)
    return bool(q) and q in loose(page_text)


def is_cjk_text(text: str, threshold: float = 0.2) -> bool:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return False
    cjk = sum(1 for c in letters if "\u4e00" <= c <= "\u9fff")
    return cjk / len(letters) >= threshold
