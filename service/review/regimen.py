"""How many administrations a sentence schedules ("4 weekly doses", "up to 12 injections",
"共给药3次", "注射4次"), for comparing the toxicology regimen with the clinical one.

Only explicit counts are read: frequencies ("twice daily", "every 3 weeks") and dose levels
("three doses of 1, 3 and 10 mg/kg") say nothing about how many times one animal is dosed."""

from __future__ import annotations

import re

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "single": 1}
_ZH_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_NUM = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_ACTS = r"(?:administrations|injections|infusions|instillations|nebuli[sz]ations|inhalations|dosing occasions|treatments|applications)"
_EN = re.compile(
    rf"\b{_EN_NUM}\s+(?:(?:separate|consecutive|repeated?|weekly|monthly|biweekly|daily|intratumou?ral|intravenous|"
    rf"subcutaneous|intramuscular|intravesical|IV|IT|IM|SC|total)\s+){{0,2}}(?:{_ACTS}|(?:weekly|monthly|biweekly|repeat(?:ed)?|consecutive) doses)\b",
    re.IGNORECASE,
)
_ZH_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,2})"
_ZH = re.compile(rf"(?:共|累计|总计|最多|至多)?\s*(?:给药|注射|输注|灌注|雾化|吸入|给予)\s*(?:共)?\s*{_ZH_NUM}\s*次|"
                 rf"{_ZH_NUM}\s*次[\u4e00-\u9fff]{{0,4}}?(?:给药|注射|输注|灌注|滴注|雾化吸入)")


def _zh_value(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token.startswith("十"):
        return 10 + _ZH_DIGITS.get(token[1:], 0)
    if len(token) == 2 and token[1] == "十":
        return _ZH_DIGITS[token[0]] * 10
    return _ZH_DIGITS.get(token, 0)


def administration_counts(text: str) -> list[int]:
    """Explicit numbers of administrations in the text."""
    counts = [int(m.group(1)) if m.group(1).isdigit() else _WORDS[m.group(1).lower()] for m in _EN.finditer(text)]
    for m in _ZH.finditer(text):
        token = m.group(1) or m.group(2)
        counts.append(_zh_value(token))
    return [c for c in counts if 0 < c <= 60]
