"""The intermediate types the readers share, and what they write onto the spaCy Doc.

Every reader of the pipeline (pipeline.py lists them in order) reads what earlier readers
left on the Doc and adds its own typed readings:
- `doc._.text`: the normalized `Text` (two views with shared offsets) the Doc was made from;
- `doc._.tthc`: the `Readings` so far (citations, periods, unit, rates, figures …);
- `doc._.claimed`: the character spans already claimed by earlier readers (a date, a period,
  a citation, a rate), whose numbers no later reader may take as a figure.
`extract_document` (assemble.py) reads the finished Doc into a Record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

if TYPE_CHECKING:
    from extractors.extract.citations import Mention
    from schemas import Citation, Percentage, ReportMeta, Text, Unit

Span = tuple[int, int]  # character offsets, shared by both views of a Text


# ---------------------------------------------------------------------------- periods
@dataclass(frozen=True, slots=True)
class PeriodMention:
    start: int
    end: int
    label: str  # as written
    key: str | None
    kind: str  # year | quarter | months | month | range | report
    year: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    comparison: bool = False  # named only as the reference of a comparison
    days: tuple[int, int, int, int] | None = None  # a range written without its year: d, m, d, m


class PeriodIndex:
    """Which period governs a position in the text.

    The latest period named before the position governs, back to the last heading; a
    period named only for comparison governs nothing. When nothing is named before it in
    its section, a period named later in the same sentence ("… 120 hồ sơ trong quý I")
    governs, and otherwise the report's own period.
    """

    def __init__(
        self, mentions: list[PeriodMention], report: PeriodMention | None, headings: list[int]
    ) -> None:
        self.report = report
        self.mentions = [m for m in mentions if not m.comparison]
        self.headings = headings

    def resolve(self, m: PeriodMention | None) -> PeriodMention | None:
        """Fill what a mention leaves to the report ("kỳ báo cáo", "quý 2" without year)."""
        # periods.py reads mentions into this type: its year completion is imported late.
        from extractors.extract.periods import with_year

        if m is None:
            return self.report
        if m.kind == "report":
            if self.report is None:
                return m if m.key else None
            if m.start_date and not self.report.start_date:
                return replace(self.report, start_date=m.start_date, end_date=m.end_date)
            return self.report
        if m.key is None:
            return with_year(m, self.report.year if self.report else None)
        return m

    def at(self, offset: int, sentence_end: int | None = None) -> PeriodMention | None:
        section = max((h for h in self.headings if h <= offset), default=0)
        before = [m for m in self.mentions if section <= m.start < offset]
        if before:
            return self.resolve(before[-1])
        if sentence_end is not None:
            after = [m for m in self.mentions if offset <= m.start < sentence_end]
            if after:
                return self.resolve(after[0])
        return self.report


# ---------------------------------------------------------------------------- scopes
@dataclass(frozen=True, slots=True)
class Foreign:
    """A stretch of text whose figures belong to `name` (a sub-unit, a part), not the unit."""

    start: int
    end: int
    name: str
    subset: bool = False  # a part of the unit's own dossiers ("Riêng …", "Trong số … có")


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


# ---------------------------------------------------------------------------- the Doc
@dataclass(slots=True)
class Readings:
    """What the readers have read so far (`doc._.tthc`), each field written by one reader."""

    mentions: list[Mention] = field(default_factory=list)  # citations: every mention
    citations: list[Citation] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)  # periods: where sections start
    periods: list[PeriodMention] = field(default_factory=list)
    report: PeriodMention | None = None  # the period the whole report covers
    index: PeriodIndex | None = None
    unit: Unit | None = None  # units: the reporting unit and the report's own metadata
    meta: ReportMeta | None = None
    foreign: list[Foreign] = field(default_factory=list)  # scopes: other units' stretches
    percentages: list[Percentage] = field(default_factory=list)  # rates
    tables: TableFigures | None = None  # tables: figures of form-like tables, rows consumed
    figures: FigureResult = field(default_factory=FigureResult)  # tables + prose + activities


def _register() -> None:
    """The Doc extensions, registered once per process (getters would share one default)."""
    for name in ("text", "tthc", "claimed"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_register()


def start_doc(doc: Doc, text: Text) -> Doc:
    """Prepare a Doc made from `text.match` for the readers."""
    doc._.text = text
    doc._.tthc = Readings()
    doc._.claimed = []
    return doc
