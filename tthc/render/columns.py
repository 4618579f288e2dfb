"""The column specs of the workbook's tables and of the CSV files, column by column, by name.

A table's columns used to be matched by position in three places: the headers in
render_labels.toml, the workbook (its widths, the wrap and number-format column numbers, the
cell a fill colours) and the CSV writer (the value it writes its own way). Adding a column
meant shifting numbers in each. Here every table lists its columns once, as data: a key (the
rows are written as key → value, and the writers address a column by its key), a width, whether
its text wraps, its number format, and how the sheet or the CSV shows a value when the two
differ. The CSV files and their workbook sheets share one spec, so they cannot drift apart.

A column's header is its key's entry in the `columns` table of its section in
render_labels.toml (the office may reword it there). The keys there are checked against the
specs when a header is first asked for: a typo on either side is a `RulesError` that names the
section, the unknown keys and the expected ones. A row with a key no column has (or lacking
one) is a `ValueError` naming the table and the keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from tthc.rules.phrasing import RulesError
from tthc.textkit.numbers import format_vi
from tthc.wording import labels

# Vietnamese locale (LCID 0x042A): LibreOffice, and Excel on a Vietnamese system, show
# "30.566" and "83,87" while the cells stay numbers.
FMT_COUNT = "[$-42A]#,##0"
FMT_RATE = "[$-42A]0.00"
FMT_SCORE = "[$-42A]0.0"  # a name-match score (87,5)
FMT_COUNT_CHANGE = "[$-42A]+#,##0;-#,##0;0"

Width = float | Callable[[Sequence[Any]], float]  # a width, or one computed from the values


@dataclass(frozen=True)
class Col:
    """One column: `width` is Excel's unit (a function of the column's values when the
    values decide it; None when the table sits on the columns of a table above it),
    `fmt` the number format of its data cells, `sheet`/`csv` how each output shows a value
    when it is not the value itself. `header` is given only for the columns a table makes
    from the data (a measure's name); the others take theirs from render_labels.toml."""

    key: str
    width: Width | None = None
    wrap: bool = False
    fmt: str | None = None
    sheet: Callable[[Any], Any] | None = None
    csv: Callable[[Any], Any] | None = None
    header: str | None = None


@dataclass(frozen=True)
class Table:
    """A table's columns in order; `section` is its render_labels.toml section."""

    section: str
    columns: tuple[Col, ...]

    def __post_init__(self) -> None:
        keys = self.keys()
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        if doubled:
            raise ValueError(f"table {self.section}: column keys given twice: {doubled}")

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def only(self, *keys: str) -> Table:
        """The same table with fewer columns (a short variant on the same sheet)."""
        for key in keys:
            self.number(key)
        return Table(self.section, tuple(c for c in self.columns if c.key in keys))

    def number(self, key: str) -> int:
        """The 1-based column number of a key: a misspelt key is an error here, never a
        write to the wrong column."""
        if key not in self.keys():
            raise ValueError(f"table {self.section}: no column {key!r} in {self.keys()}")
        return self.keys().index(key) + 1

    def letter(self, key: str) -> str:
        return get_column_letter(self.number(key))

    def headers(self) -> list[str]:
        from_labels = any(c.header is None for c in self.columns)
        words = _header_words(self.section) if from_labels else {}
        return [c.header if c.header is not None else words[c.key] for c in self.columns]

    def values(self, row: Mapping[str, Any]) -> list[Any]:
        """A row's values in column order; its keys must be the table's."""
        if row.keys() != set(self.keys()):
            unknown = sorted(set(row) - set(self.keys()))
            missing = [k for k in self.keys() if k not in row]
            raise ValueError(
                f"table {self.section}: a row's keys are not its columns "
                f"(unknown: {unknown}, missing: {missing})"
            )
        return [row[k] for k in self.keys()]

    def sheet_line(self, row: Mapping[str, Any]) -> list[Any]:
        """A row as the workbook shows it."""
        pairs = zip(self.columns, self.values(row), strict=True)
        return [c.sheet(v) if c.sheet else v for c, v in pairs]

    def csv_line(self, row: Mapping[str, Any]) -> list[Any]:
        """A row as the CSV writes it."""
        pairs = zip(self.columns, self.values(row), strict=True)
        return [c.csv(v) if c.csv else v for c, v in pairs]

    def widths(self, lines: Sequence[Sequence[Any]]) -> list[float]:
        """Each column's width; a computed one from the column's values in `lines`."""
        out = []
        for n, c in enumerate(self.columns):
            if c.width is None:
                raise ValueError(f"table {self.section}: column {c.key!r} has no width")
            out.append(c.width([line[n] for line in lines]) if callable(c.width) else c.width)
        return out

    def wrapped(self) -> tuple[int, ...]:
        """The 1-based numbers of the columns whose text wraps."""
        return tuple(n for n, c in enumerate(self.columns, 1) if c.wrap)


def file_width(names: Sequence[Any]) -> float:
    """A file-name column wide enough not to wrap: LibreOffice breaks "03_xa_…" after
    the digits, and a broken file name is hard to find in the folder."""
    return min(max((len(n) for n in names), default=10) * 0.95 + 2, 45)


def _score_text(value: float | None) -> str:
    """The match score the Vietnamese way in the CSV, as the sheet's format shows it."""
    return "" if value is None else format_vi(value, 1)


# ---------------------------------------------------------------- shared widths

INDEX_WIDTH = 5  # "STT"
UNIT_WIDTH = 22  # a unit's name on the form-like sheets (the form, comparison, cross-check)
LIST_UNIT_WIDTH = 24  # a unit's name on the list sheets (senders, ranks, TTHC control)

# ---------------------------------------------------------------- the national form

FORM_FIGURE_WIDTH = 10.5
FORM_NOTE_WIDTH = 60  # the "Ghi chú" column of a form sheet

# ---------------------------------------------------------------- the rates sheet

RATE_WIDTH = 10  # each of a measure's three columns
RATE_UNCLASSIFIED_WIDTH = 16
RATE_NOTE_WIDTH = 45

# ---------------------------------------------------------------- the tables

FLAGS = Table(
    "flags",
    (
        Col("index", INDEX_WIDTH),
        Col("unit", 16, wrap=True),
        Col("file", file_width),
        Col("period", 11),
        Col("severity", 9),
        Col("code", 13),
        Col("kind", 20, wrap=True),
        Col("message", 45, wrap=True),
        Col("fields", 18, wrap=True),
        Col("expected", 9),
        Col("actual", 9),
        Col("suggestion", 14, wrap=True),
        Col("evidence", 40, wrap=True),
    ),
)

# Under the flags, on the flags sheet's columns (their widths are the flags').
CORRECTIONS = Table(
    "corrections",
    (
        Col("index"),
        Col("unit", wrap=True),
        Col("files"),
        Col("kind", wrap=True),
        Col("field", wrap=True),
        Col("before"),
        Col("after"),
        Col("flag", wrap=True),
        Col("why", wrap=True),
        Col("who"),
        Col("at"),
    ),
)

FILES = Table(
    "files",
    (
        Col("index", INDEX_WIDTH),
        Col("file", file_width),
        Col("unit", 18, wrap=True),
        Col("written_name", 18, wrap=True),
        Col("match_score", 9, fmt=FMT_SCORE, csv=_score_text),
        Col("period", 14),
        Col("status", 16),
        Col("figures", 19, wrap=True),
        Col("reason", 45, wrap=True),
        Col("flags", 9),
        Col("reused", 11),
        # the whole hash is in the CSV; the sheet shows enough to compare
        Col("sha256", 14, sheet=lambda v: v[:12]),
    ),
)

SENDERS = Table(
    "senders",
    (
        Col("index", INDEX_WIDTH),
        Col("unit", LIST_UNIT_WIDTH),
        Col("status", 22),
        Col("files", 34, wrap=True),
        Col("reasons", 50, wrap=True),
    ),
)

STATEMENTS = Table(
    "statements",
    (
        Col("index", INDEX_WIDTH),
        Col("label", 46, wrap=True),
        Col("value", 12),  # a count or a rate: its format is the row's
        Col("unit", 9),
        Col("units", 9, fmt=FMT_COUNT),
        Col("left_out", 50, wrap=True),
        Col("cells", 28, wrap=True),
        Col("key", 24),
    ),
)

RANKS = Table(
    "ranks",
    (
        Col("rank", 7),
        Col("unit", LIST_UNIT_WIDTH),
        Col("value", 12),  # a count or a rate: its format is the rank's
        Col("target", 10, fmt=FMT_RATE),
        Col("assessment", 12),
    ),
)

# The cross-check sheet's first columns; the figures' groups of three and the note follow.
CROSSCHECK = Table(
    "crosscheck",
    (
        Col("index", INDEX_WIDTH),
        Col("unit", UNIT_WIDTH, wrap=True),
        Col("status", 14),
        Col("written", 24, wrap=True),
    ),
)
CROSSCHECK_FIGURE = Col("figure", 8.5, fmt=FMT_COUNT)
CROSSCHECK_NOTE = Col("note", 50, wrap=True)

# The tables whose headers render_labels.toml gives, checked against its keys.
TABLES = (FLAGS, CORRECTIONS, FILES, SENDERS, STATEMENTS, RANKS, CROSSCHECK)


def activities_table(index: str, unit: str, metrics: Mapping[str, str]) -> Table:
    """The TTHC-control sheet: a unit per row, a column per count (key → its name)."""
    return Table(
        "activities",
        (
            Col("index", INDEX_WIDTH, header=index),
            Col("unit", LIST_UNIT_WIDTH, header=unit),
            *(Col(k, 12, fmt=FMT_COUNT, header=name) for k, name in metrics.items()),
        ),
    )


COMPARISON_PARTS = {"previous": FMT_COUNT, "current": FMT_COUNT, "change": FMT_COUNT_CHANGE}


def comparison_table(index: str, unit: str, heads: Sequence[str], keys: Sequence[str]) -> Table:
    """The previous-period sheet: per figure, its value then, now, and the change (keys
    `figure.previous`, `figure.current`, `figure.change`), under `heads` in that order."""
    figures = (
        Col(f"{key}.{part}", 11, fmt=fmt, header=head)
        for key in keys
        for (part, fmt), head in zip(COMPARISON_PARTS.items(), heads, strict=True)
    )
    return Table(
        "comparison",
        (
            Col("index", INDEX_WIDTH, header=index),
            Col("unit", UNIT_WIDTH, wrap=True, header=unit),
            *figures,
        ),
    )


def _header_words(section: str) -> Mapping[str, str]:
    """The section's `columns` of render_labels.toml, checked against the tables' keys."""
    words = labels()[section]["columns"]
    expected = {c.key for t in TABLES if t.section == section for c in t.columns if not c.header}
    unknown, missing = sorted(set(words) - expected), sorted(expected - set(words))
    if unknown or missing:
        raise RulesError(
            f"render_labels.toml: [{section}.columns]: unknown column keys {unknown}, "
            f"missing {missing}; the table's columns are {sorted(expected)}"
        )
    return words


def form_widths(figures: int) -> list[float]:
    """A form sheet's widths: STT, the unit, each figure column, the note."""
    return [INDEX_WIDTH, UNIT_WIDTH, *([FORM_FIGURE_WIDTH] * figures), FORM_NOTE_WIDTH]
