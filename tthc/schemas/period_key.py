"""The reporting period a figure belongs to, as a value: `PeriodKey`.

Records carry a period as a plain string key (the JSON contract); code that needs its dates,
its kind, the period before it or its Vietnamese name parses the string once with
`PeriodKey.parse` instead of matching the string again. The forms the extractor writes:

    "2025"                      a year              (statistical year: 15/12/2024 – 14/12/2025)
    "2025-Q1"                   a quarter           (statistical: 15/12/2024 – 14/3/2025)
    "2025-M6"                   the first n months  (15/12/2024 – 14/6/2025)
    "2025-L6"                   the last n months   (15/6/2025 – 14/12/2025)
    "2025-05"                   one calendar month  (1/5/2025 – 31/5/2025)
    "2023-01..2023-06"          a span of months or years written "từ tháng 01/2023 đến
                                tháng 6/2023" (each end as its own key: 1/1/2023 – 30/6/2023)
    "2024-12-15..2025-07-20"    a range of days that is none of the above

The statistical calendar runs from the 15th of the month before to the 14th, as the
one-stop desks count their dossiers; a month named alone keeps its calendar dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Two-tier local government began on this day: the new communes counted their first quarter,
# Quý III/2025, from it rather than from 15/6/2025 (a range written "từ 01/7/2025 đến
# 14/9/2025" is that quarter).
TWO_TIER_START = dt.date(2025, 7, 1)

YEAR, QUARTER, MONTHS, LAST_MONTHS, MONTH, SPAN, RANGE = (
    "year",
    "quarter",
    "months",
    "last_months",
    "month",
    "span",
    "range",
)
KINDS = (YEAR, QUARTER, MONTHS, LAST_MONTHS, MONTH, SPAN, RANGE)

_END = r"\d{4}(?:-\d\d)?"  # one end of a span: a year or a month
_FORMS = (
    (YEAR, re.compile(r"(?P<y>\d{4})")),
    (QUARTER, re.compile(r"(?P<y>\d{4})-Q(?P<n>[1-4])")),
    (MONTHS, re.compile(r"(?P<y>\d{4})-M(?P<n>\d{1,2})")),
    (LAST_MONTHS, re.compile(r"(?P<y>\d{4})-L(?P<n>\d{1,2})")),
    (MONTH, re.compile(r"(?P<y>\d{4})-(?P<n>\d\d)")),
    (SPAN, re.compile(rf"(?P<a>{_END})\.\.(?P<b>{_END})")),
    (RANGE, re.compile(r"(?P<a>\d{4}-\d\d-\d\d)\.\.(?P<b>\d{4}-\d\d-\d\d)")),
)


def statistical_year(year: int) -> tuple[dt.date, dt.date]:
    """The statistical year Y runs from 15/12/(Y-1) to 14/12/Y."""
    return dt.date(year - 1, 12, 15), dt.date(year, 12, 14)


def statistical_quarter(year: int, q: int) -> tuple[dt.date, dt.date]:
    """Quarter q of statistical year Y: from 15 of the month before to 14 of its last month."""
    first = dt.date(year - 1, 12, 15) if q == 1 else dt.date(year, 3 * q - 3, 15)
    return first, dt.date(year, 3 * q, 14)


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _date_vi(d: dt.date) -> str:
    """15/12/2024: no leading zeros, as dates are usually written."""
    return f"{d.day}/{d.month}/{d.year}"


@dataclass(frozen=True, slots=True)
class PeriodKey:
    """One reporting period. Build it with `parse` or the named constructors; `str()` gives
    the canonical key a record stores."""

    kind: str
    year: int  # the year the period belongs to (the last one for spans and ranges)
    number: int | None = None  # the quarter, the count of months, or the month
    ends: tuple[PeriodKey, PeriodKey] | None = None  # a span's first and last year or month
    days: tuple[dt.date, dt.date] | None = None  # a range's first and last day

    # ------------------------------------------------------------------ construction

    @classmethod
    def parse(cls, key: str | None) -> PeriodKey | None:
        """The period a key names, or None for an empty or unknown key (never raises)."""
        if not key:
            return None
        for kind, form in _FORMS:
            if m := form.fullmatch(key.strip()):
                return cls._build(kind, m)
        return None

    @classmethod
    def _build(cls, kind: str, m: re.Match) -> PeriodKey | None:
        if kind in (SPAN, RANGE):
            return cls._between(kind, m["a"], m["b"])
        year = int(m["y"])
        if kind == YEAR:
            return cls.of_year(year)
        n = int(m["n"])
        limit = 4 if kind == QUARTER else 12
        return cls(kind, year, n) if 1 <= n <= limit else None

    @classmethod
    def _between(cls, kind: str, a: str, b: str) -> PeriodKey | None:
        if kind == RANGE:
            try:
                first, last = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
            except ValueError:
                return None
            return cls.of_days(first, last) if first <= last else None
        ends = cls.parse(a), cls.parse(b)
        if None in ends or ends[0] == ends[1] or ends[0].start > ends[1].end:
            return None
        return cls(SPAN, ends[1].year, ends=ends)

    @classmethod
    def of_year(cls, year: int) -> PeriodKey:
        return cls(YEAR, year)

    @classmethod
    def of_quarter(cls, year: int, q: int) -> PeriodKey:
        return cls(QUARTER, year, q)

    @classmethod
    def of_month(cls, year: int, month: int) -> PeriodKey:
        return cls(MONTH, year, month)

    @classmethod
    def first_months(cls, year: int, n: int) -> PeriodKey:
        return cls(MONTHS, year, n)

    @classmethod
    def last_months(cls, year: int, n: int) -> PeriodKey:
        return cls(LAST_MONTHS, year, n)

    @classmethod
    def of_days(cls, first: dt.date, last: dt.date) -> PeriodKey:
        """A range of days as written, whatever it covers (see `from_dates`)."""
        return cls(RANGE, last.year, days=(first, last))

    @classmethod
    def from_dates(cls, a: dt.date, b: dt.date) -> PeriodKey:
        """The key of a written range: a statistical year or quarter, the first months of a
        statistical year, or a calendar year take that key; any other range is a range."""
        for year in (b.year, b.year + 1):
            if (a, b) == statistical_year(year):
                return cls.of_year(year)
            for q in range(1, 5):
                if (a, b) == statistical_quarter(year, q):
                    return cls.of_quarter(year, q)
        if a == TWO_TIER_START and b == statistical_quarter(a.year, 3)[1]:
            return cls.of_quarter(a.year, 3)
        if (a.month, a.day) == (12, 15) and b.day == 14 and b.year == a.year + 1:
            return cls.first_months(b.year, b.month)
        if (a.month, a.day) == (1, 1) and (b.month, b.day) == (12, 31) and a.year == b.year:
            return cls.of_year(a.year)
        if a.day == 1 and (a.year, a.month) == (b.year, b.month) and _last_day(b):
            return cls.of_month(a.year, a.month)  # "từ ngày 01/02 đến hết ngày 28/02/2026"
        return cls.of_days(a, b)

    # ------------------------------------------------------------------ what it names

    def __str__(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == MONTHS:
            return f"{self.year}-M{self.number}"
        if self.kind == LAST_MONTHS:
            return f"{self.year}-L{self.number}"
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == SPAN:
            return f"{self.ends[0]}..{self.ends[1]}"
        return f"{self.days[0].isoformat()}..{self.days[1].isoformat()}"

    @property
    def start(self) -> dt.date:
        return self.dates[0]

    @property
    def commune_dates(self) -> tuple[dt.date, dt.date]:
        """The days a commune's report of this period covers: the statistical dates, except
        that Quý III/2025 starts on 1/7/2025, the day the new communes began."""
        first, last = self.dates
        if first < TWO_TIER_START <= last and self.kind == QUARTER:
            return TWO_TIER_START, last
        return first, last

    @property
    def end(self) -> dt.date:
        return self.dates[1]

    @property
    def dates(self) -> tuple[dt.date, dt.date]:
        """First and last day, for comparisons only (a record keeps the dates written)."""
        y, n = self.year, self.number
        if self.kind == YEAR:
            return statistical_year(y)
        if self.kind == QUARTER:
            return statistical_quarter(y, n)
        if self.kind == MONTHS:
            return dt.date(y - 1, 12, 15), dt.date(y, n, 14)
        if self.kind == LAST_MONTHS:
            first = dt.date(y - 1, 12, 15) if n == 12 else dt.date(y, 12 - n, 15)
            return first, dt.date(y, 12, 14)
        if self.kind == MONTH:
            return _month_start(y, n), _month_end(y, n)
        if self.kind == SPAN:
            return self.ends[0].start, self.ends[1].end
        return self.days

    def previous(self) -> PeriodKey:
        """The period just before, of the same kind: the quarter, month or year before; the
        same months of the year before for first/last months; the span of as many months or
        years, or the range of as many days, that ends before this one starts."""
        y, n = self.year, self.number
        if self.kind in (YEAR, MONTHS, LAST_MONTHS):
            return PeriodKey(self.kind, y - 1, n)
        if self.kind == QUARTER:
            return PeriodKey.of_quarter(y, n - 1) if n > 1 else PeriodKey.of_quarter(y - 1, 4)
        if self.kind == MONTH:
            return PeriodKey.of_month(y, n - 1) if n > 1 else PeriodKey.of_month(y - 1, 12)
        if self.kind == SPAN:
            return self._previous_span()
        length = self.days[1] - self.days[0]
        last = self.days[0] - dt.timedelta(days=1)
        return PeriodKey.of_days(last - length, last)

    def _previous_span(self) -> PeriodKey:
        a, b = self.ends
        if a.kind == b.kind == MONTH:
            count = _month_index(b) - _month_index(a) + 1
            ends = (_months_back(a, count), _months_back(b, count))
        else:  # a span of years (or from a year to a month): as many years before
            count = b.year - a.year + 1
            ends = (_years_back(a, count), _years_back(b, count))
        return PeriodKey(SPAN, ends[1].year, ends=ends)

    def label_vi(self) -> str:
        """The period as an officer writes it: "Quý IV năm 2024", "6 tháng đầu năm 2025",
        "tháng 5 năm 2025", "từ tháng 1 đến tháng 6 năm 2023", "từ ngày 15/12/2024 đến ngày
        20/7/2025"."""
        y, n = self.year, self.number
        if self.kind == YEAR:
            return f"năm {y}"
        if self.kind == QUARTER:
            return f"Quý {_ROMAN[n]} năm {y}"
        if self.kind == MONTHS:
            return f"{n} tháng đầu năm {y}"
        if self.kind == LAST_MONTHS:
            return f"{n} tháng cuối năm {y}"
        if self.kind == MONTH:
            return f"tháng {n} năm {y}"
        if self.kind == SPAN:
            a, b = self.ends
            if a.kind == b.kind == MONTH and a.year == b.year:
                return f"từ tháng {a.number} đến tháng {b.number} năm {y}"
            return f"từ {a.label_vi()} đến {b.label_vi()}"
        return f"từ ngày {_date_vi(self.days[0])} đến ngày {_date_vi(self.days[1])}"


def _month_index(k: PeriodKey) -> int:
    return k.year * 12 + k.number - 1


def _months_back(k: PeriodKey, count: int) -> PeriodKey:
    index = _month_index(k) - count
    return PeriodKey.of_month(index // 12, index % 12 + 1)


def _years_back(k: PeriodKey, count: int) -> PeriodKey:
    return PeriodKey(k.kind, k.year - count, k.number)


def _last_day(d: dt.date) -> bool:
    """Whether `d` is the last day of its month."""
    return (d + dt.timedelta(days=1)).day == 1
