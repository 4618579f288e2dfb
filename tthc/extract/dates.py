"""Dates as written in administrative documents.

"23/4/2018", "21.08.2023", "23-4-2018", "ngày 22 tháng 02 năm 2022", and partial dates
("tháng 5 năm 2023", "tháng 12/2023"). Patterns run on the matching view of the text
(lower case), so "Ngày" and "ngày" are one pattern. Every match keeps its offsets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.rules.phrasing import alternation, connectives
from tthc.textkit.forms import compile_vi

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


# ---------------------------------------------------------------- date-like numbers
# A time of day: "06:12", "19:22", "16h30" (never a count).
# A time of day ("16:45", "16h45", "7 g 30"); "mức độ 3: 58" (a label and its count) is not.
TIME = regex.compile(r"(?<![\d.,:/])(?:[01]?\d|2[0-3])(?::|\s?[hg]\s?)[0-5]\d(?![\d:]|[.,]\d|\s*%)")
# A day and a month without a year: "12/10", "27.8", "1-7".
DAY_MONTH = regex.compile(
    r"(?<![\d.,/\-])(?P<d>[0-3]?\d)(?P<sep>[/.\-])(?P<m>[01]?\d)(?![\d%]|[/.\-]\d)"
)


@cache
def _day_month_lead() -> regex.Pattern:
    words = connectives().dates
    lead = alternation([*words.before_day_month, *words.weekdays])
    return regex.compile(rf"(?<![\p{{L}}])(?:{lead})[\s,]*(?:ngày\s+)?$")


def find_times(match_text: str) -> list[tuple[int, int]]:
    """Spans of times of day ("16:45"): numbers there are never counts."""
    return [(m.start(), m.end()) for m in TIME.finditer(match_text)]


def find_day_months(match_text: str) -> list[tuple[int, int]]:
    """Spans of a day and month written without a year where the words before say it is a
    date ("Sáng 12/10", "ngày 27/8", "từ 1/7 đến 22/9/2025", "Thứ Ba, 15/02"), or where it
    is one end of a range of such ("từ 2.6 đến 8.6")."""
    lead = _day_month_lead()
    found = []
    for m in DAY_MONTH.finditer(match_text):
        if not (1 <= int(m["d"]) <= 31 and 1 <= int(m["m"]) <= 12):
            continue
        if lead.search(match_text[max(0, m.start() - 16) : m.start()]):
            found.append((m.start(), m.end()))
    return found


# A telephone number: a leading 0 (or an area code in brackets), its groups set apart by
# spaces, dots or hyphens ("0915 203 661", "0270.3.861.205", "(0238) 3 712 456").
_PHONE = regex.compile(
    r"(?<![\d.,/])(?:\(0\d{2,3}\)[ .]?|0\d{1,4}[ .\-]?)\d{1,4}(?:[ .\-]?\d{1,4}){0,3}(?!\d|[.,]\d)"
)
_PHONE_DIGITS = (9, 11)


def find_phone_numbers(match_text: str) -> list[tuple[int, int]]:
    """Spans of the telephone numbers in the text (9 to 11 digits from a leading 0)."""
    lo, hi = _PHONE_DIGITS
    return [
        (m.start(), m.end())
        for m in _PHONE.finditer(match_text)
        if lo <= sum(ch.isdigit() for ch in m.group()) <= hi
    ]


@Language.component("tthc_dates", requires=["doc._.text"], assigns=["doc._.claimed"])
def date_reader(doc: Doc) -> Doc:
    """Claims every date, time of day, day-month and telephone number: their numbers are
    never counts ("… niêm yết 318 thủ tục; đường dây nóng 0915 203 661" has no 661)."""
    match = doc._.text.match
    doc._.claimed.extend((d.start, d.end) for d in find_dates(match))
    doc._.claimed.extend(find_times(match) + find_day_months(match))
    doc._.claimed.extend(find_phone_numbers(match))
    return doc
