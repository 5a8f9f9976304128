"""Tokenizer for BM25 over mixed Chinese/English text: jieba for CJK runs, words + Snowball
stems for English, stop words dropped from both."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import snowballstemmer

jieba.setLogLevel(logging.WARNING)

_RUNS = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z][A-Za-z0-9\-']*|\d+(?:\.\d+)?")
_STEMMER = snowballstemmer.stemmer("english")

EN_STOP = frozenset(
    """a an the and or of to in on for with by at from as is are was were be been being do does did
    this that these those it its we our you your they their he she his her what which who whom when
    where why how should must can could would will shall may might need needs there here than then
    any all each some such not no nor only own same so too very just about into over under after
    before between during through up down out off again further once if else also i me my us""".split()
)
ZH_STOP = frozenset(
    "的 了 和 与 及 或 在 是 应 对 为 等 中 以 其 而 并 也 时 要 吗 呢 吧 啊 如何 什么 哪些 怎么 怎样 是否 需要 "
    "应该 可以 进行 开展 有 没有 一个 这个 那个 我们 你们 他们 如果 一般 通常 相关 基因治疗 产品 "
    "基因 治疗 指导 原则 指导原则 ， 。".split()
)


@lru_cache(maxsize=50000)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _RUNS.findall(text):
        first = run[0]
        if "\u4e00" <= first <= "\u9fff":
            for tok in jieba.cut_for_search(run):
                if tok not in ZH_STOP and (len(tok) > 1 or tok in "毒"):
                    tokens.append(tok)
        elif first.isdigit():
            continue
        else:
            low = run.lower().strip("-'")
            if low and low not in EN_STOP and len(low) > 1:
                tokens.append(_stem(low))
    return tokens
