"""Dates as written in administrative documents.

"23/4/2018", "21.08.2023", "23-4-2018", "ngày 22 tháng 02 năm 2022", and partial dates
("tháng 5 năm 2023", "tháng 12/2023"). Patterns run on the matching view of the text
(lower case), so "Ngày" and "ngày" are one pattern. Every match keeps its offsets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.normalize import compile_vi

_D = r"(?P<d>[0-3]?\d)"
_M = r"(?P<m>[01]?\d)"
_Y = r"(?P<y>(?:19|20)\d{2})"

# Numeric dates: one separator kind per date ("23/4/2018", "21.08.2023", "23-4-2018").
NUMERIC_DATE = compile_vi(rf"(?<![\d/.]){_D}(?P<sep>[/.\-]){_M}(?P=sep){_Y}(?![\d])")
# Spelled dates: "ngày 22 tháng 02 năm 2022" (the "ngày" is optional, "năm" may be "/").
WORDED_DATE = compile_vi(rf"(?:ngày\s+)?{_D}\s+tháng\s+{_M}\s*(?:năm\s+|/\s*){_Y}(?!\d)")
@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    value: dt.date


def make_date(day: str | int, month: str | int, year: str | int) -> dt.date | None:
    """A valid date or None ("31/02/2023" is not a date)."""
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_dates(match_text: str, start: int = 0, end: int | None = None) -> Iterator[DateMatch]:
    """Every full date in match_text[start:end], in order, numeric and spelled alike."""
    end = len(match_text) if end is None else end
    found: list[DateMatch] = []
    for pattern in (NUMERIC_DATE, WORDED_DATE):
        for m in pattern.finditer(match_text, start, end):
            value = make_date(m["d"], m["m"], m["y"])
            if value is not None:
                found.append(DateMatch(m.start(), m.end(), value))
    found.sort(key=lambda d: (d.start, -d.end))
    last_end = -1
    for d in found:
        if d.start >= last_end:
            last_end = d.end
            yield d


def parse_date(s: str) -> dt.date | None:
    """The first full date in a short string, or None."""
    return next((d.value for d in find_dates(s.lower())), None)
