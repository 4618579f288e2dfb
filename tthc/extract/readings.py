"""The intermediate types the readers share, and what they write onto the spaCy Doc.

Every reader of the pipeline (pipeline.py lists them in order) is a spaCy component that
declares the Doc extensions it requires and assigns (`EXTENSIONS` below); it reads what
earlier readers left there and writes its own typed readings:
- `doc._.text`, `doc._.settings`: the normalized `Text` (two views with shared offsets) the
  Doc was made from, and the readers' thresholds (settings.py): the pipeline's inputs;
- `doc._.claimed`: the character spans already claimed by earlier readers (a date, a period,
  a citation, a rate), whose numbers no later reader may take as a figure;
- one extension per reading: `doc._.periods`, `doc._.unit`, `doc._.counts`, `doc._.figures` …
`record_from_doc` (assemble.py) reads the finished Doc into a Record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import regex
from spacy.tokens import Doc

from tthc.extract.dates import make_date
from tthc.extract.settings import DEFAULT, ReaderSettings
from tthc.schemas.period_key import PeriodKey

if TYPE_CHECKING:
    from tthc.schemas import Text

Span = tuple[int, int]  # character offsets, shared by both views of a Text


# ---------------------------------------------------------------------------- periods
@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int
    end: int
    label: str  # as written
    key: str | None
    kind: str  # year | quarter | months | month | range | report | year_to_date | …
    year: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    comparison: bool = False  # named only as the reference of a comparison
    days: tuple[int, int, int, int] | None = None  # a range written without its year: d, m, d, m
    reach: int | None = None  # where its governing ends (its sentence, its bracket); None: on
    planned: bool = False  # named for the tasks ahead ("Phương hướng, nhiệm vụ quý IV")
    number: int | None = None  # the quarter's or months' number, however written ("sáu")
    cumulative: bool = False  # "lũy kế …": a running total of its own, never the report's


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def key_for_range(a: dt.date, b: dt.date) -> tuple[str, str]:
    """A range's (key, kind): a statistical year or quarter takes that key."""
    key = PeriodKey.from_dates(a, b)
    return str(key), key.kind


def with_year(p: PeriodMention, year: int | None) -> PeriodMention:
    """Complete a mention written without its year ("quý 2", "6 tháng đầu năm", "từ ngày
    2.6 đến ngày 8.6") with the report's year."""
    if p.key is not None or year is None:
        return p
    if p.kind == "range" and p.days is not None:
        start, end = make_date(p.days[0], p.days[1], year), make_date(p.days[2], p.days[3], year)
        if start is None or end is None:
            return p
        key, kind = key_for_range(start, end)
        return replace(p, key=key, kind=kind, year=year, start_date=start, end_date=end)
    if p.kind not in ("quarter", "months"):
        return p
    suffix = {"quarter": "Q", "months": "M"}[p.kind]
    n = regex.search(r"\d+|iv|iii|ii|i", p.label.lower())
    if p.number is None and not n:
        return p
    value = p.number or ROMAN.get(n.group()) or int(n.group())
    if (
        p.kind == "months"
        and "cuối" in p.label.lower()
        and not regex.search(r"tháng\s+\d", p.label.lower())
    ):
        suffix = "L"
    return replace(p, key=f"{year}-{suffix}{value}", year=year)


def same_period_before(report: PeriodMention | None, year: int | None) -> PeriodMention | None:
    """ "Cùng kỳ (năm 2025)": the report's own kind of period, a year earlier (or in `year`)."""
    if report is None or report.key is None:
        return None
    key = PeriodKey.parse(report.key)
    if key is None or key.kind not in ("year", "quarter", "months", "last_months", "month"):
        return _days_a_year_before(report, year)
    before = PeriodKey(key.kind, year or key.year - 1, key.number)
    start, end = before.dates
    return _moved(report, str(before), report.kind, start, end)


def year_to_date(report: PeriodMention | None) -> PeriodMention | None:
    """ "Lũy kế từ đầu năm" beside a report of a quarter or a month: the year's first months
    to the report's end (quý II → 6 tháng đầu năm, tháng 10 → 10 tháng đầu năm)."""
    if report is None or report.key is None:
        return None
    key = PeriodKey.parse(report.key)
    if key is None:
        return None
    months = {"quarter": 3 * (key.number or 0), "month": key.number, "months": key.number}
    n = months.get(key.kind)
    if not n:
        return None
    ytd = PeriodKey.first_months(key.year, n)
    start, end = ytd.dates
    return _moved(report, str(ytd), "months", start, end)


def _days_a_year_before(report: PeriodMention, year: int | None) -> PeriodMention | None:
    """A report period written as days ("từ 15/12/2025 đến 14/02/2026"): the same days a
    year earlier (or ending in `year`)."""
    if not (report.start_date and report.end_date):
        return None
    back = report.end_date.year - (year or report.end_date.year - 1)

    def shift(d: dt.date) -> dt.date:
        try:
            return d.replace(year=d.year - back)
        except ValueError:  # 29/2
            return d.replace(year=d.year - back, day=28)

    start, end = shift(report.start_date), shift(report.end_date)
    return _moved(report, *key_for_range(start, end), start, end)


def _moved(
    report: PeriodMention, key: str, kind: str, start: dt.date, end: dt.date
) -> PeriodMention:
    """The report's period moved to other days (a year earlier), governing as a heading's."""
    parsed = PeriodKey.parse(key)
    label = parsed.label_vi() if parsed else f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    return replace(
        report,
        label=label,
        key=key,
        kind=kind,
        year=end.year,
        start_date=start,
        end_date=end,
        comparison=False,
        reach=None,
        planned=False,
    )


def dates_of(m: PeriodMention) -> tuple[dt.date, dt.date] | None:
    if m.start_date and m.end_date:
        return m.start_date, m.end_date
    key = PeriodKey.parse(m.key)
    return key.dates if key else None


def ahead_of(
    p: PeriodMention | None, report: PeriodMention | None, written_on: dt.date | None
) -> bool:
    """A period named for the tasks ahead ("III. Phương hướng, nhiệm vụ 3 tháng cuối năm",
    "Năm 2026, xã đặt mục tiêu … không có hồ sơ trễ hạn") that does not begin before the
    report's, or one that begins after the day the report was written: what is said of it
    is a plan."""
    if p is None or (report is not None and p.key == report.key):
        return False
    mine = dates_of(p)
    covered = dates_of(report) if report is not None else None
    if p.planned:
        return mine is None or covered is None or mine[0] > covered[0]
    return mine is not None and written_on is not None and mine[0] > written_on


class PeriodIndex:
    """Which period governs a position in the text.

    The latest period named before the position governs, back to the last heading; a
    period named only for comparison governs nothing. When nothing is named before it in
    its section, a period named later in the same sentence ("… 120 hồ sơ trong quý I")
    governs, and otherwise the report's own period.
    """

    def __init__(
        self,
        mentions: list[PeriodMention],
        report: PeriodMention | None,
        headings: list[int],
        same_days: int = 20,
        shift_days: int = 5,
    ) -> None:
        self.report = report
        self.mentions = [m for m in mentions if not m.comparison]
        self.headings = headings
        self.same_days = same_days
        self.shift_days = shift_days

    def resolve(self, m: PeriodMention | None) -> PeriodMention | None:
        """Fill what a mention leaves to the report ("kỳ báo cáo", "quý 2" without year)."""
        if m is None:
            return self.report
        if m.kind == "same_period":  # "Cùng kỳ năm 2022 có …": the report's period of 2022
            return same_period_before(self.report, m.year) or m
        if m.kind == "year_to_date":  # "Lũy kế từ đầu năm, …": to the report's end
            return self._year_to_date(m)
        if m.kind == "report":
            if self.report is None:
                return m if m.key else None
            if m.key and m.start_date and self.report.key and m.key != self.report.key:
                # "Năm 2022 (kỳ báo cáo từ ngày 15.12.2021 đến ngày 14.12.2022)": a reporting
                # period written with other days than the report's is that other period
                return with_year(m, m.year)
            if m.start_date and not self.report.start_date:
                return replace(self.report, start_date=m.start_date, end_date=m.end_date)
            return self.report
        if m.key is None:
            m = with_year(m, self.report.year if self.report else None)
        if self.report is None or m is self.report:
            return m
        if self._other_window(m):
            # "lũy kế từ đầu năm đến hết ngày 31/12/2023" beside a report year written
            # "từ 15/12/2022 đến 14/12/2023": two windows, even under one year's key
            if m.key == self.report.key:
                m = replace(m, key=f"{m.start_date.isoformat()}..{m.end_date.isoformat()}")
            return m
        if self._same_as_report(m) and not m.cumulative:
            return self.report  # "Ba tháng đầu năm 2026", "từ 01/01 đến 31/3/2026" in a Q1 report
        return m

    def _year_to_date(self, m: PeriodMention) -> PeriodMention:
        """The year's first months to the report's end (quý III → 9 tháng đầu năm). Where
        those months are the report's own (a year, a first quarter, "6 tháng đầu năm") two
        different figures can only mean other days than the report's, which the text does
        not give; so there, in another year, or with no report period, the mention stays
        unplaced (key None) and its counts are shown unread."""
        report = self.report
        if report is None or (m.year is not None and m.year != report.year):
            return m
        key = PeriodKey.parse(report.key)
        ytd = year_to_date(report)
        if ytd is None or key is None or key.kind not in ("quarter", "month"):
            return m
        if key.number == 1:
            return m
        return replace(ytd, cumulative=True)

    def _other_window(self, m: PeriodMention) -> bool:
        """Both the mention and the report written with their days, and the days differ."""
        r = self.report
        return bool(
            m.start_date
            and m.end_date
            and r.start_date
            and r.end_date
            and (m.start_date, m.end_date) != (r.start_date, r.end_date)
        )

    def _same_as_report(self, m: PeriodMention) -> bool:
        """The report's own period named otherwise: its days within `same_days` of the
        report's at both ends (the calendar quarter of a statistical one)."""
        mine, theirs = dates_of(m), dates_of(self.report)
        if mine is None or theirs is None:
            return False
        limit = dt.timedelta(days=self.same_days)
        shift = (mine[0] - theirs[0], mine[1] - theirs[1])
        # the same days, or the same window moved ("từ 15/12/2022 đến 14/3/2023" for quý I);
        # not one that ends later ("lũy kế từ đầu năm đến ngày 15/6" beside "5 tháng")
        return (
            abs(shift[0]) <= limit
            and abs(shift[1]) <= limit
            and abs(shift[0] - shift[1]) <= dt.timedelta(days=self.shift_days)
        )

    def at(self, offset: int, sentence_end: int | None = None) -> PeriodMention | None:
        section = max((h for h in self.headings if h <= offset), default=0)
        before = [
            m
            for m in self.mentions
            if section <= m.start < offset and (m.reach is None or offset < m.reach)
        ]
        if before:
            return self.resolve(before[-1])
        if sentence_end is not None:
            after = [
                m for m in self.mentions if offset <= m.start < sentence_end and m.reach is None
            ]
            if after:
                return self.resolve(after[0])
        return self.report


# ---------------------------------------------------------------------------- scopes
@dataclass(frozen=True, slots=True)
class Foreign:
    """A stretch of text whose figures are not the unit's own total: a part of the unit (its
    figures are kept under their own scope), another unit, or an average."""

    start: int
    end: int
    name: str
    subset: bool = False  # a part of the unit's own dossiers ("Riêng …", "Trong số … có")
    kind: str = "other"  # part (a level, desk, agency, competence block) | other | average
    scope: str | None = None  # for a part: the record's scope ("part:cấp xã", "lien_thong")
    carried: bool = False  # no subject of its own: the paragraph's earlier subject carries


def inside(spans: list[Foreign], offset: int) -> Foreign | None:
    """The foreign stretch holding `offset`, if any."""
    for f in spans:
        if f.start <= offset < f.end:
            return f
    return None


# ---------------------------------------------------------------------------- counts
@dataclass(slots=True)
class Count:
    """A number of the text read as a count, with what the words around it make of it.

    `why` says why it cannot be a dossier figure of the unit (None: it may be one): "index"
    ("mức độ 3"), "list" (a list item's number "1."), "change" ("tăng 120 hồ sơ"), "other"
    (it counts something else: "119 TTHC"), "noun" (a word after it names what it counts),
    "procedure" ("3 hồ sơ cấp sổ đỏ": one procedure's count), "ratio" (a side of "a/b").
    """

    start: int
    end: int  # end of the numeral, or of its multiplier ("61,3 ngàn")
    value: int
    unit_end: int  # end of "hồ sơ" after it, or `end`
    dossier_unit: bool  # a counting noun of dossiers follows ("hồ sơ", "HS", "trường hợp")
    lead: int = -1  # where its words start: an approximation before it ("hơn 41.000")
    approx: bool = False
    bound: str | None = None  # "at_least" | "at_most" | None (lexicon.CountReading)
    why: str | None = None

    def __post_init__(self) -> None:
        if self.lead < 0:
            self.lead = self.start


# ---------------------------------------------------------------------------- figures
@dataclass(slots=True)
class Figure:
    field: str
    value: int
    start: int  # the number
    end: int
    quote_start: int
    quote_end: int
    period: PeriodMention | None
    scope: str
    approx: bool = False  # "hơn 41.000", "12,6 nghìn": never exact
    bound: str | None = None
    weak: bool = False  # a reading another statement of the field replaces (joint labels)
    doubt: str | None = None  # why the value may not be what it seems (Vietnamese)
    quantifier: str | None = None  # "đều trong hạn", "không có … trễ hạn": stated for all/none
    joined: bool = False  # the sum of two parts stated apart (returned, then withdrawn)


@dataclass(slots=True)
class Item:
    name: str
    value: int
    start: int
    end: int


@dataclass(slots=True)
class FoundBreakdown:
    of: str | None
    total: int | None
    items: list[Item]
    partial: bool
    start: int
    end: int
    period: PeriodMention | None
    scope: str
    lead_start: int = 0  # the words before the first item ("Hồ sơ quá hạn thuộc lĩnh vực")


@dataclass(slots=True)
class FoundMissing:
    field: str
    start: int
    end: int
    period: PeriodMention | None
    scope: str


@dataclass(slots=True)
class FigureResult:
    figures: list[Figure] = field(default_factory=list)
    breakdowns: list[FoundBreakdown] = field(default_factory=list)
    missing: list[FoundMissing] = field(default_factory=list)


@dataclass(slots=True)
class TableFigures:
    figures: list[Figure]
    lines: set[int]  # indexes of the text lines (rows) this reader consumed
    decided: list[Span] = field(default_factory=list)  # cells of rates, notes, changes
    # value cells under a column headed by a period ("Cùng kỳ năm 2022"): that period
    cell_periods: dict[Span, PeriodMention] = field(default_factory=dict)

    def period_at(self, offset: int) -> PeriodMention | None:
        return next((p for (s, e), p in self.cell_periods.items() if s <= offset < e), None)


# ---------------------------------------------------------------------------- the Doc
@dataclass(slots=True)
class PeriodReadings:
    """What the period reader leaves on the Doc (`doc._.periods`)."""

    mentions: list[PeriodMention] = field(default_factory=list)  # every period named
    report: PeriodMention | None = None  # the period the whole report covers
    headings: list[int] = field(default_factory=list)  # where sections start
    index: PeriodIndex | None = None  # which period governs each place


# The Doc's extensions: the Text the Doc was made from and the settings (given to the
# pipeline), then one per reading; each component declares those it requires and assigns.
INPUTS = ("text", "settings")
EXTENSIONS = (
    *INPUTS,
    "claimed",  # spans earlier readers claimed (dates, citations, periods, rates)
    "mentions",  # every mention of a cited document (citations.Mention)
    "citations",  # the citations they make
    "periods",  # PeriodReadings
    "unit",  # the reporting unit (tthc.schemas.Unit)
    "meta",  # the report's own number, date, signer (tthc.schemas.ReportMeta)
    "parts",  # stretches about a part of the unit or another unit (Foreign)
    "rates",  # rates and ratios (tthc.schemas.Percentage)
    "counts",  # every number read as a count, with what it counts (Count)
    "tables",  # figures of the tables (TableFigures)
    "figures",  # dossier figures, breakdowns, announced totals (FigureResult)
    "activities",  # what the unit did (Figures of metrics)
    "unread",  # counts of dossiers no reader used (Unread)
)


def _register() -> None:
    """The Doc extensions, registered once per process (getters would share one default)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_register()


def start_doc(doc: Doc, text: Text, settings: ReaderSettings = DEFAULT) -> Doc:
    """Prepare a Doc made from `text.match` for the readers."""
    doc._.text = text
    doc._.settings = settings
    doc._.claimed = []
    return doc


@dataclass(slots=True)
class Unread:
    """A count of dossiers no reader used (`doc._.unread`): shown, never dropped."""

    count: Count
    why: str  # "dossier_noun" | "table" | "label"
    period: PeriodMention | None
    quote_start: int
    quote_end: int
