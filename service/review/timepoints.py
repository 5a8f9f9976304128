"""Sampling and necropsy time points read from plan text, in days ("Days 7, 14 and 28",
"0.5, 2 and 6 h", "第7天和第28天", "给药后第2、28和182天", "Week 13", "6个月")."""

from __future__ import annotations

import re

_NUM = r"\d+(?:\.\d+)?"
_SEP = r"\s*(?:,|，|、|and|or|和|及|与|或|至|to|-|–)\s*"
_UNIT_DAYS = {
    "h": 1 / 24, "hr": 1 / 24, "hrs": 1 / 24, "hour": 1 / 24, "hours": 1 / 24, "小时": 1 / 24,
    "d": 1, "day": 1, "days": 1, "天": 1, "日": 1,
    "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7, "周": 7,
    "month": 30, "months": 30, "个月": 30, "月": 30,
}
# "Day 7", "Days 7, 14 and 28", "Week 13", "Weeks 4 and 26"
_PREFIXED = re.compile(rf"\b(Days?|D|Weeks?|Months?)\s*({_NUM}(?:{_SEP}(?:Days?\s*|D)?{_NUM})*)", re.IGNORECASE)
# "第7天", "第2、28和182天", "第4周"
_ZH = re.compile(rf"第\s*({_NUM}(?:{_SEP}(?:第\s*)?{_NUM})*)\s*(天|日|周|个月|月)")
# "0.5, 2, 6 and 24 h", "28 days", "26周", "6个月"
_SUFFIXED = re.compile(
    rf"(?<![0-9A-Za-z.])({_NUM}(?:{_SEP}{_NUM})*)\s*(hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|小时|天|日|周|个月)(?![a-zA-Z])"
)
SAMPLING_CUE = re.compile(
    r"采样|取样|采集|解剖|剖检|处死|安乐死|时间点|检测时间|sampl|necrops|sacrific|euthan|collect|harvest|"
    r"time ?points?|terminat|kill|timepoint",
    re.IGNORECASE,
)


def _numbers(run: str) -> list[float]:
    return [float(x) for x in re.findall(_NUM, run)]


def time_points_days(text: str) -> list[float]:
    """Distinct time points in days, ascending."""
    found: set[float] = set()
    for m in _PREFIXED.finditer(text):
        unit = m.group(1).lower()
        factor = 7 if unit.startswith("week") else 30 if unit.startswith("month") else 1
        found.update(n * factor for n in _numbers(m.group(2)))
    for m in _ZH.finditer(text):
        found.update(n * _UNIT_DAYS[m.group(2)] for n in _numbers(m.group(1)))
    for m in _SUFFIXED.finditer(text):
        unit = m.group(2).lower()
        found.update(n * _UNIT_DAYS.get(unit, 1) for n in _numbers(m.group(1)))
    return sorted(t for t in found if 0 < t <= 3650)
