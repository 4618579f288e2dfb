"""Reporting periods: where the text names one, and which one governs each figure.

Periods are written "Quý III năm 2025", "quý 1/2023", "9 tháng đầu năm 2023", "6 tháng đầu
năm", "năm 2022", "tháng 5 năm 2023", or as date ranges ("Từ ngày 15/12/2021 đến hết ngày
14/12/2022", "từ 15/12/2022-20/7/2023"). A range written right after a label gives that
label its dates ("7 tháng đầu năm 2024: (tính từ ngày 15/12/2023 đến 10/7/2024)").

Every period gets a comparable `key`: "2022" (a year), "2023-Q3", "2023-M9" (first nine
months), "2023-05" (one month), "2023-01..2023-06" (a span of months), or
"2022-12-15..2023-07-20" (a range that is none of these); tthc.schemas.period_key.PeriodKey
parses a key back into its kind, dates and Vietnamese name. The statistical year runs 15/12
to 14/12, so a range that covers exactly one statistical year or quarter takes that year's
or quarter's key. Dates are only ever the ones written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.dates import find_dates, make_date
from tthc.extract.readings import (
    ROMAN,
    PeriodIndex,
    PeriodMention,
    PeriodReadings,
    key_for_range,
    with_year,
)
from tthc.extract.structure import HEADING_LEVELS, heading_starts, marker_level
from tthc.rules.phrasing import alternation, period_words

_YEAR = r"(?P<y>(?:19|20)\d{2})"
_SEP = r"(?:\s*[/\-.]\s*|\s+)"  # "quý II/2021", "quý III-2020", "quý II.2021", "tháng 8.2023"


class _Patterns:
    """The period patterns: shapes here, words from tthc/rules/periods.toml. They run on the
    matching view of the text (lower case, one tone-mark style)."""

    def __init__(self) -> None:
        w = period_words()
        alt = alternation
        quarter, month, year, day = alt(w.quarter), alt(w.month), alt(w.year), alt(w.day)
        first, last = alt(w.first), alt(w.last)
        words = alt(list(w.word_numbers))
        year_sep = rf"(?:\s*{year}\s+|\s*[/\-.]\s*)"
        ocr = "".join(regex.escape(c) for c in w.ocr_i)
        self.ocr_i = str.maketrans(dict.fromkeys(w.ocr_i, "i"))
        self.quarter = regex.compile(
            rf"(?<![\p{{L}}]){quarter}\s+(?P<q>iv|iii|ii|i|[1-4]|[iv{ocr}]{{1,3}})(?![\p{{L}}\d])"
            # "trong quý 1.043 hồ sơ": a count after the word, not the first quarter
            rf"(?![.,]\d{{3}}(?!\d))(?:{year_sep}{_YEAR}(?!\d))?"
        )
        # "Quý ? năm 2025": a quarter whose numeral a scan garbled; it is the report's own.
        self.garbled_quarter = regex.compile(
            rf"(?<![\p{{L}}]){quarter}\s+(?P<q>[^\s\d]{{1,3}})\s*{year_sep}{_YEAR}(?!\d)"
        )
        # "9 tháng đầu năm 2023"; "9 tháng năm 2020" is the first nine months too.
        self.months = regex.compile(
            rf"(?<![\p{{L}}\d])(?P<n>\d{{1,2}}|{words})\s+{month}\s+"
            rf"(?:(?P<part>{first}|{last})\s+)?{year}(?:\s+{_YEAR})?(?!\d)"
        )
        # "Lũy kế 6 tháng, xã đã giải quyết …": the first months of the report's year
        self.cumulative_months = regex.compile(
            rf"(?<![\p{{L}}]){alt(w.cumulative)}\s+(?P<n>\d{{1,2}}|{words})\s+{month}"
            rf"(?![\p{{L}}\d]|\s+(?:{first}|{last}|{year}|\d))"
        )
        self.cumulative = regex.compile(rf"{alt(w.cumulative)}(?![\p{{L}}])")
        # "lũy kế từ đầu năm (2025) đến hết quý III (năm 2025)": the first 3×N months
        self.to_quarter = regex.compile(
            rf"(?<![\p{{L}}]){alt(w.year_start)}(?:\s+{alt(w.year_start)})?"
            rf"(?:\s+(?:{year}\s+)?(?P<y1>(?:19|20)\d{{2}}))?\s+(?:{alt(w.range_to)})\s+"
            rf"{quarter}\s+(?P<q>iv|iii|ii|i|[1-4])(?![\p{{L}}\d])(?:{year_sep}{_YEAR}(?!\d))?"
        )
        # "Lũy kế từ đầu năm, …" with no end: to the report's end (resolved with the report);
        # one followed by its days ("(01/01/2024 - 19/4/2024)", "đến 14/6") is their range
        self.year_to_date = regex.compile(
            rf"(?<![\p{{L}}]){alt(w.year_to_date)}(?:\s+(?:{year}\s+)?(?P<y>(?:19|20)\d{{2}}))?"
            rf"(?![\p{{L}}\d]|\s*[\d(]|\s*(?:{alt(w.range_to)})(?![\p{{L}}]))"
        )
        self.first_word = regex.compile(first)
        self.month = regex.compile(rf"{month}\s+(?P<m>[01]?\d){year_sep}{_YEAR}(?!\d)")
        # "tính đến cuối tháng 5 năm 2017": the months from the year's start to then.
        self.until = regex.compile(
            rf"(?<![\p{{L}}]){alt(w.until)}\s+(?:{alt(w.end_of)}\s+)?{month}\s+(?P<m>[01]?\d)"
            rf"(?:{year_sep}{_YEAR})?(?![\d/.\-])"
        )
        self.year = regex.compile(rf"(?<![\p{{L}}]){year}\s+{_YEAR}(?![\d/])")
        self.to_day = regex.compile(
            rf"(?<![\p{{L}}]){alt(w.year_start)}(?:\s+{alt(w.year_start)})?"
            rf"(?:\s+(?:19|20)\d{{2}})?\s+"  # "lũy kế từ đầu năm 2025 đến ngày 14.6.2025"
            rf"(?:{alt(w.range_to)})\s+(?:{day}\s+)?"
            rf"(?P<d>\d{{1,2}})[/.\-](?P<m>\d{{1,2}})[/.\-](?P<y>(?:19|20)\d{{2}})(?![\d/])"
        )
        date = (
            rf"\d{{1,2}}[/.\-]\d{{1,2}}(?:[/.\-]\d{{4}})?"
            rf"|\d{{1,2}}\s+{month}\s+\d{{1,2}}(?:\s+{year}\s+\d{{4}})?"
        )
        # "đến 17 giờ 00 ngày 19.4.2024": the hour of a cut-off says nothing of its day
        hour = r"\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?"
        self.range = regex.compile(
            rf"(?:(?P<from>{alt(w.range_from)})\s+(?:{day}\s+)?)?(?P<a>{date})"
            rf"\s*(?:-|–|(?:{alt(w.range_to)})(?:\s+{hour})?(?:\s+{day})?)\s*(?:{day}\s+)?"
            rf"(?P<b>{date})(?![\d/])"
        )
        span_end = rf"(?:{month}\s+(?P<mI>[01]?\d)\s*(?:{year}\s+|/\s*))?(?P<yI>(?:19|20)\d{{2}})"
        self.span = regex.compile(
            rf"{alt(w.range_from)}\s+(?:{year}\s+)?"
            + span_end.replace("I>", "1>")
            + rf"\s+(?:{alt(w.range_to)})\s+(?:{year}\s+)?"
            + span_end.replace("I>", "2>")
        )
        self.report_period = regex.compile(
            rf"{alt(w.report_period)}(?!\s+{alt(w.not_report_period)})"
        )
        # A period named only to compare with ("so với năm 2022") governs nothing.
        comparison = alt(w.comparison)
        self.comparison = regex.compile(
            rf"(?<![\p{{L}}]){comparison}\s*(?:{alt(w.comparison)}\s*)?$"
        )
        # "Cùng kỳ năm 2022 có 1 hồ sơ …", "(cùng kỳ 2022 có 6 hồ sơ trễ hạn)": the report's
        # period a year earlier, governing its own sentence or bracket.
        self.same_period = regex.compile(
            rf"(?<![\p{{L}}]){alt(w.same_period)}(?:\s+{year})?(?:\s+(?P<y>(?:19|20)\d{{2}})|"
            rf"\s+{year}\s+{alt(w.previous_year)})(?!\d)"
        )
        self.carried_after = regex.compile(rf"\s*{alt(w.carried_after)}(?![\p{{L}}])")
        self.carried_before = regex.compile(rf"(?<![\p{{L}}]){alt(w.carried_before)}\s*$")
        self.word_numbers = dict(w.word_numbers)
        self.planned = regex.compile(rf"(?<![\p{{L}}]){alt(w.planned)}(?![\p{{L}}])")
        # "Luật Đất đai năm 2024": the name's words (capitalised) right before the year
        self.named_after = regex.compile(
            rf"(?<![\p{{L}}])(?i:{alt(w.named_after)})(?:\s+\p{{Lu}}[\p{{L}}]*)(?:\s+[\p{{L}}]+){{0,5}}\s+$"
        )
        self.aim = regex.compile(rf"(?<![\p{{L}}]){alt(w.target)}(?![\p{{L}}])")
        self.target = regex.compile(rf"(?<![\p{{L}}]){alt(w.target)}(?![\p{{L}}])[^,;.:()\n]*$")


@cache
def patterns() -> _Patterns:
    return _Patterns()


def _quarter_number(written: str, with_year: bool) -> int | None:
    """ "iii" → 3, "2" → 2; a scan's "l", "ll", "lv" (and "|" before a year) → 1, 2, 4."""
    if written.isdigit():
        return int(written)
    pats = patterns()
    if not with_year and any(c in written for c in "|!"):
        return None
    return ROMAN.get(written.translate(pats.ocr_i))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else patterns().word_numbers[" ".join(word.split())]


def _day_month(s: str) -> tuple[int, int] | None:
    m = regex.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})", s.strip())
    if not m or not (1 <= int(m[1]) <= 31 and 1 <= int(m[2]) <= 12):
        return None
    return int(m[1]), int(m[2])


def _range_mention(m: regex.Match, text: str) -> PeriodMention | None:
    """ "từ 15/12/2021 đến 14/12/2022"; "từ 1/7 đến 22/9/2025" (the start takes the end's
    year); "từ ngày 2.6 đến ngày 8.6" (no year: the report's year completes it later)."""
    a = next(find_dates(m["a"]), None)
    b = next(find_dates(m["b"]), None)
    label = text[m.start() : m.end()]
    if a is None and not m["from"]:
        return None  # a yearless start only with "từ": "1.5 - 2.3" alone is not a period
    if a is None and b is not None:
        dm = _day_month(m["a"])
        start = make_date(dm[0], dm[1], b.value.year) if dm else None
        if start is None or start > b.value:
            return None
        key, kind = key_for_range(start, b.value)
        return PeriodMention(m.start(), m.end(), label, key, kind, b.value.year, start, b.value)
    if a is None and b is None:
        da, db = _day_month(m["a"]), _day_month(m["b"])
        if da is None or db is None or (da[1], da[0]) > (db[1], db[0]):
            return None
        return PeriodMention(m.start(), m.end(), label, None, "range", days=(*da, *db))
    if a and b and a.value <= b.value:
        key, kind = key_for_range(a.value, b.value)
        return PeriodMention(m.start(), m.end(), label, key, kind, b.value.year, a.value, b.value)
    return None


def _mentions_of(match_text: str, text: str) -> Iterable[PeriodMention]:
    """Every period pattern's matches; overlaps are resolved by the caller."""
    pats = patterns()
    for m in pats.range.finditer(match_text):
        found = _range_mention(m, text)
        if found is not None:
            yield found
    for m in pats.span.finditer(match_text):
        ends = [f"{m[f'y{i}']}-{int(m[f'm{i}']):02d}" if m[f"m{i}"] else m[f"y{i}"] for i in (1, 2)]
        if ends[0] != ends[1]:
            yield PeriodMention(
                m.start(),
                m.end(),
                text[m.start() : m.end()],
                f"{ends[0]}..{ends[1]}",
                "span",
                int(m["y2"]),
            )
    for m in pats.quarter.finditer(match_text):
        q = _quarter_number(m["q"], bool(m["y"]))
        if q is None:
            continue
        year = int(m["y"]) if m["y"] else None
        key = f"{year}-Q{q}" if year else None
        yield PeriodMention(m.start(), m.end(), text[m.start() : m.end()], key, "quarter", year)
    for m in pats.months.finditer(match_text):
        n = _number(m["n"])
        year = int(m["y"]) if m["y"] else None
        first = m["part"] is None or pats.first_word.fullmatch(m["part"])
        code = f"M{n}" if first else f"L{n}"  # first / last n months
        key = f"{year}-{code}" if year else None
        label = text[m.start() : m.end()]
        yield PeriodMention(m.start(), m.end(), label, key, "months", year, number=n)
    for m in pats.cumulative_months.finditer(match_text):
        label = text[m.start() : m.end()]
        yield PeriodMention(
            m.start(), m.end(), label, None, "months", number=_number(m["n"]), cumulative=True
        )
    for m in pats.to_quarter.finditer(match_text):
        q = _quarter_number(m["q"], True)
        year = int(m["y"] or m["y1"]) if (m["y"] or m["y1"]) else None
        if q is None:
            continue
        yield PeriodMention(
            m.start(),
            m.end(),
            text[m.start() : m.end()],
            f"{year}-M{3 * q}" if year else None,
            "months",
            year,
            number=3 * q,
            cumulative=True,
        )
    for m in pats.year_to_date.finditer(match_text):
        year = int(m["y"]) if m["y"] else None
        label = text[m.start() : m.end()]
        yield PeriodMention(m.start(), m.end(), label, None, "year_to_date", year, cumulative=True)
    for m in pats.until.finditer(match_text):
        n, year = int(m["m"]), int(m["y"]) if m["y"] else None
        if 1 <= n <= 12:
            key = f"{year}-M{n}" if year else None
            yield PeriodMention(m.start(), m.end(), text[m.start() : m.end()], key, "months", year)
    for m in pats.to_day.finditer(match_text):
        end = make_date(m["d"], m["m"], m["y"])
        if end is not None:
            start = end.replace(month=1, day=1)
            key, kind = key_for_range(start, end)
            if end.day == 14:
                # "lũy kế từ đầu năm đến ngày 14/6": the year's first months to the
                # statistical cut-off, as "6 tháng đầu năm" says it (to a month's end, as
                # "đến ngày 30/9", is a calendar span apart from "9 tháng" to 14/9)
                key, kind = f"{end.year}-M{end.month}", "months"
            label = text[m.start() : m.end()]
            cumulative = bool(pats.cumulative.match(match_text, m.start()))
            yield PeriodMention(
                m.start(), m.end(), label, key, kind, end.year, start, end, cumulative=cumulative
            )
    for m in pats.month.finditer(match_text):
        month, year = int(m["m"]), int(m["y"])
        if 1 <= month <= 12:
            yield PeriodMention(
                m.start(), m.end(), text[m.start() : m.end()], f"{year}-{month:02d}", "month", year
            )
    for m in pats.year.finditer(match_text):
        year = int(m["y"])
        yield PeriodMention(m.start(), m.end(), text[m.start() : m.end()], str(year), "year", year)
    for m in pats.garbled_quarter.finditer(match_text):
        if _quarter_number(m["q"], True) is None:  # read as the report's own period
            yield PeriodMention(m.start(), m.end(), text[m.start() : m.end()], None, "report")
    for m in pats.same_period.finditer(match_text):
        year = int(m["y"]) if m["y"] else None
        yield PeriodMention(
            m.start(), m.end(), text[m.start() : m.end()], None, "same_period", year
        )
    for m in pats.report_period.finditer(match_text):
        yield PeriodMention(m.start(), m.end(), text[m.start() : m.end()], None, "report")


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def find_periods(
    match_text: str, text: str, exclude: list[tuple[int, int]] = ()
) -> list[PeriodMention]:
    """Period mentions in order, longest first where they overlap.

    `exclude` holds spans (citations with their subjects, for instance) where a period is
    part of something else ("Kế hoạch ... năm 2023") and must not be read as a period.
    Dates written as dates ("ngày 22 tháng 02 năm 2022") are never periods.
    """
    dates = [(d.start, d.end) for d in find_dates(match_text)]
    found = sorted(_mentions_of(match_text, text), key=lambda p: (p.start, -(p.end - p.start)))
    kept: list[PeriodMention] = []
    for p in found:
        if kept and p.start < kept[-1].end:
            continue
        if _inside(exclude, p.start, p.end):
            continue
        if p.kind != "range" and _inside(dates, p.start, p.end):
            continue
        before = match_text[max(0, p.start - 25) : p.start]
        pats = patterns()
        clause = match_text[max(0, p.start - 60) : p.start]
        governs_not = (
            pats.comparison.search(before)
            or pats.target.search(clause)
            or pats.named_after.search(text[max(0, p.start - 60) : p.start])
            or pats.carried_before.search(before)
            or pats.carried_after.match(match_text, p.end)
        )
        label = " ".join(p.label.split())
        p = replace(p, planned=_planned(p, match_text))
        if _in_heading(text, p):  # "2. So sánh với cùng kỳ năm 2024 (5 tháng đầu năm 2024)"
            kept.append(replace(p, label=label, comparison=False, reach=None))
            continue
        reach = _reach(match_text, p) if p.kind == "same_period" else _governs_to(match_text, p)
        kept.append(replace(p, label=label, comparison=bool(governs_not), reach=reach))
    return _attach_ranges(kept, match_text)


def _reach(match_text: str, p: PeriodMention) -> int:
    """Where a period named in passing stops governing: its bracket's end, or its sentence's."""
    before = match_text[max(0, p.start - 200) : p.start]
    if before.rfind("(") > before.rfind(")"):
        close = match_text.find(")", p.end)
        if close >= 0:
            return close
    for end in regex.finditer(r"[.;](?!\d)|\n", match_text[p.end :]):
        at = p.end + end.start()
        if end.group() != ";" or _BACK_TO_OWN.match(match_text, at + 1):
            return at
        # "Cùng kỳ năm 2024, tổng số … 6.748 hồ sơ (…); đã giải quyết 6.622 hồ sơ": the
        # clauses after ";" go on about the same period unless they name the report's own
    return len(match_text)


# After ";": the report's own period again ("…; năm nay không có hồ sơ trễ hạn").
_BACK_TO_OWN = regex.compile(
    r"\s*(?:còn\s+|trong\s+khi\s+)?(?:năm\s+nay|kỳ\s+này|quý\s+này|tháng\s+này|kỳ\s+báo\s+cáo"
    r"|trong\s+kỳ|trong\s+quý|trong\s+năm|trong\s+tháng|hiện\s+nay|hiện)(?![\p{L}])"
)


# What may open a sentence before the period that governs it ("Trong năm 2023, …",
# "a) Năm 2022:", "Tính đến hết tháng 9, …", "Kết quả quý III: …").
_OPENS = regex.compile(
    r"[\s\-+•*]*(?:(?:\d{1,2}|[ivx]{1,4}|[a-zđ])[.)]\s*)?"
    # an opening clause with no figure ("Nếu tính theo năm dương lịch, lũy kế …")
    r"(?:[^\d.;:,()\n]{2,50},\s*)?"
    r"(?:(?:trong|tính\s+đến|tính\s+từ|tính|lũy\s+kế|cộng\s+dồn|đến\s+hết|từ|"
    r"kết\s+quả|số\s+liệu|riêng|"
    r"cũng\s+trong|đối\s+với|về)\s+)*\s*"
)


def _in_heading(text: str, p: PeriodMention) -> bool:
    """A period named in a numbered heading ("2. So sánh với cùng kỳ năm 2024") is its
    section's, whatever words stand before it."""
    line_start = text.rfind("\n", 0, p.start) + 1
    line_end = text.find("\n", p.end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return (
        marker_level(line) <= HEADING_LEVELS
        and len(line) <= 160
        and not regex.search(r"\d[\d.,]*\s*(?:hồ\s+sơ|hs)", line, regex.I)
    )


def _governs_to(match_text: str, p: PeriodMention) -> int | None:
    """How far a period named in the text governs: one opening its sentence ("Năm 2022,
    phường tiếp nhận …", "Năm 2022:") on to the next heading; one named inside a sentence
    ("…, trong khi năm 2022 tỷ lệ này …") its own sentence only."""
    line_start = match_text.rfind("\n", 0, p.start) + 1
    line_end = match_text.find("\n", p.end)
    line_end = len(match_text) if line_end < 0 else line_end
    head = match_text[line_start : p.start]
    cut = list(regex.finditer(r"[.;!?](?!\d)\s", head))
    sentence_start = line_start + (cut[-1].end() if cut else 0)
    if _OPENS.fullmatch(match_text, sentence_start, p.start):
        return None  # it opens its sentence: it governs on, to the next heading
    end = regex.search(r"[.;!?](?!\d)", match_text[p.end : line_end])
    return p.end + end.start() if end else line_end


def _attach_ranges(mentions: list[PeriodMention], match_text: str) -> list[PeriodMention]:
    """A range right after a label ("…năm 2023: (tính từ 15/12/2022 đến 29/5/2023)") gives
    the label its dates; the range itself is then not a separate period."""
    out: list[PeriodMention] = []
    for p in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and p.start_date is not None  # written with its days
            and prev.kind in ("months", "quarter", "year", "month", "report")
            and prev.start_date is None
            and (
                regex.fullmatch(r"[\s:,(]*", match_text[prev.end : p.start] or "")
                # "Kỳ báo cáo năm của phường được tính từ ngày … đến ngày …"
                or (
                    prev.kind == "report"
                    and regex.fullmatch(r"[^\d.;:\n]{0,40}", match_text[prev.end : p.start])
                )
            )
        ):
            key = prev.key if prev.kind != "report" else p.key
            label = prev.label if prev.kind != "report" else f"{prev.label} ({p.label})"
            out[-1] = replace(
                prev,
                end=p.end,
                key=key,
                label=label,
                start_date=p.start_date,
                end_date=p.end_date,
                year=prev.year or p.year,
            )
            continue
        out.append(p)
    return out


_TITLE_KINDS = ("span", "range", "months", "quarter", "year", "month", "report")


def _first_lines_end(text: str, n: int) -> int:
    """Where the first n non-empty lines end: a text without headings (a news item) has its
    title and lead there."""
    count, pos = 0, 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        if line.strip():
            count += 1
            if count == n:
                break
    return pos


def _planned(m: PeriodMention, text: str) -> bool:
    """ "… quý III và nhiệm vụ trọng tâm quý IV năm 2025": a period named for the tasks
    ahead, not the one the figures are of (in its own sentence)."""
    line_start = text.rfind("\n", 0, m.start) + 1
    before = text[max(line_start, m.start - 45) : m.start].lower()
    before = regex.split(r"[.;!?](?:\s|$)", before)[-1]
    if patterns().planned.search(before):
        return True
    # "Năm 2026, xã đặt mục tiêu …": a period whose own sentence sets a target
    after = regex.split(r"[.;!?](?:\s|$)|\n", text[m.end : m.end + 80])[0]
    return bool(patterns().aim.search(after))


def _with_title_year(
    title: list[PeriodMention],
    mentions: list[PeriodMention],
    text: str,
    written: list[PeriodMention] = (),
) -> list[PeriodMention]:
    """A title period written without its year takes the year the title gives next to it
    ("quý III và nhiệm vụ quý IV năm 2025": quý III of 2025)."""
    years = [m.year for m in mentions if m.year and m.start < 1500]
    out = []
    for m in title:
        later = [o.year for o in mentions if o.start > m.start and o.year and o.start - m.end < 80]
        # "Quý I không để hồ sơ trễ hẹn" in a headline, "quý I năm 2024" in the body: the
        # same period written whole gives the year, before any date nearby
        same = [
            o.year
            for o in [*mentions, *written]
            if o is not m
            and o.key
            and o.year
            and o.kind == m.kind
            and _numbered_alike(o, m)
            and o.start < 1500
        ]
        year = later[0] if later else (same[0] if same else (years[0] if years else None))
        out.append(with_year(m, year) if m.key is None else m)
    return out


def _numbered_alike(a: PeriodMention, b: PeriodMention) -> bool:
    """Two mentions of the same quarter or months, whatever their numerals ("quý I", "quý 1")."""
    if a.kind not in ("quarter", "months") or b.kind != a.kind:
        return False
    na, nb = with_year(a, 2000).key, with_year(b, 2000).key
    return bool(na and nb and "-" in na and "-" in nb) and na.split("-")[-1] == nb.split("-")[-1]


def report_period(
    mentions: list[PeriodMention],
    text: str,
    headings: list[int],
    written: list[PeriodMention] = (),
) -> PeriodMention | None:
    """The period the whole report covers: the one named in its title, before the first
    heading (in the first lines of a text without headings); else the reporting period
    written with dates ("kỳ báo cáo (từ … đến …)"); else the first period named at all."""
    headings = [h for h in headings if h > 0]  # a masthead opening the text is no section
    first_heading = headings[0] if headings else _first_lines_end(text, 4)
    title = [
        m
        for m in mentions
        if m.start < min(first_heading, 1500) and not m.comparison and not m.planned
    ]
    # a period written with its year ("Quý II năm 2025") names the report before one the
    # title's year completes ("các đơn vị đã báo cáo đến hết tháng 6 …" in the lead)
    whole = [m for m in title if m.key or m.start_date]
    title = _with_title_year(title, mentions, text, written)
    dated = [m for m in mentions if m.kind == "report" and m.start_date]

    def with_days(m: PeriodMention) -> PeriodMention:
        """The title's period takes the days the text gives the reporting period ("Kỳ báo
        cáo năm … được tính từ ngày 15/12/2022 đến ngày 14/12/2023")."""
        same = next((d for d in dated if d.key == m.key), None)
        if m.start_date or same is None:
            return m
        return replace(m, start_date=same.start_date, end_date=same.end_date)

    if not headings:  # a news item: the first period its title and lead name
        first = next((m for m in title if m.key or m.start_date), None)
        if first is not None:
            return with_days(first)
    for candidates in (whole, title):
        for kind in _TITLE_KINDS:
            for m in candidates:
                if m.kind == kind and (m.key or m.start_date):
                    return with_days(m)
    if dated:
        return dated[0]
    keyed = [m for m in mentions if m.key and not m.comparison]
    return keyed[0] if keyed else None


@Language.component(
    "tthc_periods",
    requires=["doc._.text", "doc._.settings", "doc._.mentions", "doc._.claimed"],
    assigns=["doc._.periods", "doc._.claimed"],
)
def period_reader(doc: Doc) -> Doc:
    """The periods named, the report's own and which governs where; claims each period.
    A period inside a citation ("Kế hoạch … năm 2023") is part of its subject: skipped."""
    text = doc._.text
    cited = [(c.start, max(c.after_end, c.end)) for c in doc._.mentions]
    headings = heading_starts(text)
    mentions = find_periods(text.match, text.text, exclude=cited)
    # every period written, cited ones too ("Theo Báo cáo số 185/BC-UBND … quý I năm 2024"
    # under a headline's "Quý I"): only to complete a title's period with its year
    written = find_periods(text.match, text.text) if cited else mentions
    report = report_period(mentions, text.text, headings, written)
    settings = doc._.settings
    index = PeriodIndex(
        mentions, report, headings, settings.same_period_days, settings.same_period_shift_days
    )
    doc._.periods = PeriodReadings(mentions, report, headings, index)
    doc._.claimed.extend((p.start, p.end) for p in mentions)
    return doc
