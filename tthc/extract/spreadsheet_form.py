"""The national form in a spreadsheet: a `Grid` → the rows of "Tình hình, kết quả giải quyết
TTHC", read by their words.

One reader for both things an office receives as a spreadsheet: the provincial TTHC
information system's export (one row per unit, sometimes per field under a unit, under
group rows and sections per system: `read_export` → `SystemExport`) and a commune's own form
attached to its report (rows per field and a total: `record_from_grid` → that commune's
`Record`). The header is found by its words (tthc/rules/form_sheet.toml, rapidfuzz over the
header rows with merged cells resolved), not by position; the period and the reporting
unit are read from the title block above it by the same readers as a report's text. Every
figure carries its cell as evidence (sheet, row, column).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import regex
from rapidfuzz import fuzz

from tthc.extract.assemble import extract
from tthc.normalize import normalize
from tthc.rules.form_sheet import FormSheetRules, form_sheet_rules
from tthc.schemas import (
    DOSSIER_FIELDS,
    Evidence,
    Period,
    RawDocument,
    RawLine,
    Record,
    Source,
    Unit,
)
from tthc.schemas.sheets import EXPORT_KIND, ExportRow, Grid, Sheet, SystemExport
from tthc.textkit.forms import match_form
from tthc.textkit.numbers import parse_count

HEADER_SEARCH_ROWS = 60  # the header of a form starts within its first rows
MAX_HEADER_ROWS = 6
MIN_FIELD_COLUMNS = 3  # fewer figure columns found: not the form
_NUMBERING = regex.compile(r"^\(?\s*\d{1,2}\s*\)?$")
_ROMAN = regex.compile(r"^(?:[IVX]{1,5}|[A-Z])\.?$")
_ARABIC = regex.compile(r"^\d{1,4}\.?$")


class NotAForm(ValueError):
    """The spreadsheet does not hold the form; the message (Vietnamese) says why."""


# ---------------------------------------------------------------------------------------
# Words


def _folded(text: str) -> str:
    return " ".join(match_form(str(text)).split())


def has_phrase(phrase: str, text: str, threshold: int) -> bool:
    """Whether a phrase is in a text: literally, or as a run of as many words that
    rapidfuzz finds at least `threshold` alike (a typo, a lost diacritic)."""
    phrase, text = _folded(phrase), _folded(text)
    if not phrase or not text:
        return False
    if phrase in text:
        return True
    want, words = phrase.split(), text.split()
    n = len(want)
    return any(
        fuzz.ratio(phrase, " ".join(words[i : i + n])) >= threshold
        for i in range(len(words) - n + 1)
    )


def _any(phrases: list[str], text: str, rules: FormSheetRules) -> bool:
    return any(has_phrase(p, text, rules.threshold) for p in phrases)


def _starts(phrases: list[str], text: str) -> bool:
    folded = _folded(text)
    return any(folded == p or folded.startswith(p + " ") for p in map(_folded, phrases))


# ---------------------------------------------------------------------------------------
# The header


@dataclass
class Header:
    """Where the form sits on a sheet: the header rows, the first data row, the columns."""

    sheet: Sheet
    first: int  # first header row
    last: int  # last header row
    data: int  # first data row
    label: int  # the column of the unit (or field) names
    index: int | None  # the STT column
    fields: dict[str, int] = field(default_factory=dict)  # dossier field → column
    headers: dict[str, str] = field(default_factory=dict)  # dossier field → header as written
    ignored: list[str] = field(default_factory=list)  # columns set aside (rates …)


def _merged_value(sheet: Sheet) -> dict[tuple[int, int], Any]:
    """Every cell a merged area covers → the area's value (for reading headers)."""
    out: dict[tuple[int, int], Any] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 5000:
            continue
        value = sheet.value(r1, c1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                out[(r, c)] = value
    return out


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numbering_row(values: list[Any]) -> bool:
    """ "(1) (2) … (13)", or 1 2 3 … written as numbers under the header."""
    filled = [v for v in values if v not in (None, "")]
    if len(filled) < 4:
        return False
    if all(isinstance(v, str) and _NUMBERING.match(v) for v in filled):
        return True
    ints = [v for v in filled if isinstance(v, int)]
    return len(ints) == len(filled) and ints == list(range(ints[0], ints[0] + len(ints)))


def find_header(sheet: Sheet, rules: FormSheetRules | None = None) -> Header | None:
    """The form's header on a sheet, or None when the sheet does not hold the form."""
    rules = rules or form_sheet_rules()
    cover = _merged_value(sheet)
    groups = [*rules.groups.received, *rules.groups.resolved, *rules.groups.pending]

    def cell(r: int, c: int) -> str:
        return _text(cover.get((r, c), sheet.value(r, c)))

    width = sheet.width
    start = None
    for r in range(1, min(len(sheet.rows), HEADER_SEARCH_ROWS) + 1):
        texts = {cell(r, c) for c in range(1, width + 1)} - {""}
        if sum(1 for t in texts if _any(groups, t, rules)) >= 2:
            start = r
            break
    if start is None:
        return None
    first = start
    for r in range(start - 1, max(0, start - 3), -1):  # "STT", "Đơn vị" a row above
        texts = [cell(r, c) for c in range(1, width + 1)]
        if any(_starts(rules.rows.index_header, t) for t in texts):
            first = r
    last = start
    for r in range(start + 1, min(start + MAX_HEADER_ROWS, len(sheet.rows)) + 1):
        values = sheet.rows[r - 1]
        if _numbering_row(values):
            last = r
            break
        if sum(1 for v in values[2:] if _is_number(v)) >= 2:
            break
        if not any(_text(v) for v in values) and not any(cell(r, c) for c in range(1, width + 1)):
            break
        last = r
    header = Header(sheet, first, last, last + 1, label=0, index=None)
    _columns(header, cell, rules)
    if len(header.fields) < MIN_FIELD_COLUMNS or not header.label:
        return None
    return header


def _carried_groups(header: Header, cell: Any, rules: FormSheetRules) -> dict[tuple[int, int], str]:
    """A group's words written once in its first cell, the cells to its right left blank
    (not merged): each blank cell of that header row → the group's words, up to the next
    written cell. Only a column with words of its own lower down takes them."""
    out: dict[tuple[int, int], str] = {}
    for r in range(header.first, header.last + 1):
        carry: str | None = None
        for c in range(1, header.sheet.width + 1):
            t = cell(r, c)
            if t:
                carry = t if _group_of([t], rules) is not None else None
            elif carry is not None and any(
                cell(below, c) for below in range(r + 1, header.last + 1)
            ):
                out[(r, c)] = carry
            else:
                carry = None
    return out


def _columns(header: Header, cell: Any, rules: FormSheetRules) -> None:
    """Each column's field from its header texts, top to bottom."""
    rows = range(header.first, header.last + 1)
    carried = _carried_groups(header, cell, rules)
    for c in range(1, header.sheet.width + 1):
        texts = list(
            dict.fromkeys(
                t
                for r in rows
                if (t := cell(r, c) or carried.get((r, c), "")) and not _NUMBERING.match(t)
            )
        )
        if not texts:
            continue
        if header.index is None and any(_starts(rules.rows.index_header, t) for t in texts):
            header.index = c
            continue
        group = _group_of(texts, rules)
        if group is None and any(_any(rules.rows.label_header, t, rules) for t in texts):
            if not header.label:
                header.label = c
            continue
        kind = _leaf_of(texts, group, rules)
        fields = getattr(rules.fields, group or "none")
        name = fields.get(kind) if kind else None
        if kind is None and group is not None:
            name = fields.get("total")
        shown = " / ".join(texts)
        if name is None:
            if group is not None or kind is not None:
                header.ignored.append(shown)
            continue
        if name in header.fields:
            header.ignored.append(shown)
            continue
        header.fields[name] = c
        header.headers[name] = shown
    if not header.label:  # no "Đơn vị" word: the first text column left of the figures
        first_figure = min(header.fields.values(), default=0)
        header.label = next((c for c in range(1, first_figure) if c != header.index), 0)


def _group_of(texts: list[str], rules: FormSheetRules) -> str | None:
    for t in texts:
        for name in ("pending", "resolved", "received"):  # "đang giải quyết" before "giải quyết"
            if _any(getattr(rules.groups, name), t, rules):
                return name
    return None


def _leaf_of(texts: list[str], group: str | None, rules: FormSheetRules) -> str | None:
    """The column's kind: from its lowest header cell up, the group's own cell excepted
    (unless it is the only one: a group of one column counts its total)."""
    own = [t for t in texts if _group_of([t], rules) is None or t == texts[-1]]
    for t in reversed(own):
        if group is not None and _group_of([t], rules) == group and t != texts[-1]:
            continue
        for leaf in rules.leaves:
            if any(has_phrase(w, t, rules.threshold) for w in leaf.words):
                if leaf.kind == "total" and _group_of([t], rules) not in (None, group):
                    continue
                return leaf.kind
        if _folded(t).startswith("trong đó"):
            continue
    return None


# ---------------------------------------------------------------------------------------
# Rows


@dataclass
class FormRow:
    name: str
    kind: str  # unit | field | group | section | total
    row: int
    group: str | None
    commune_group: bool
    section: str | None
    unit: str | None
    figures: dict[str, int]
    cells: dict[str, Evidence]
    bold: bool


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).replace(" ", "").replace("\xa0", "")
    return parse_count(text) if text and text[0].isdigit() else None


def _cell_name(r: int, c: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(c)}{r}"


def cell_evidence(sheet: Sheet, r: int, c: int, value: Any) -> Evidence:
    """A cell as evidence: the sheet, row, column and the cell's name ("D12"); the quote is
    the cell as written."""
    return Evidence(
        line=r, start=0, end=0, quote=_text(value), sheet=sheet.name, row=r, column=c,
        cell=_cell_name(r, c),
    )  # fmt: skip


def read_rows(header: Header, rules: FormSheetRules | None = None) -> list[FormRow]:
    """Every row under the header, each with its kind, group, section and figures."""
    rules = rules or form_sheet_rules()
    sheet = header.sheet
    out: list[FormRow] = []
    group: str | None = None
    commune_group = False
    section: str | None = None
    unit: str | None = None
    for r in range(header.data, len(sheet.rows) + 1):
        values = sheet.rows[r - 1]
        if _numbering_row(values):
            continue
        label = _text(sheet.value(r, header.label))
        index = _text(sheet.value(r, header.index)) if header.index else ""
        figures: dict[str, int] = {}
        cells: dict[str, Evidence] = {}
        for name, c in header.fields.items():
            value = sheet.value(r, c)
            count = _count(value)
            if count is not None:
                figures[name] = count
                cells[name] = cell_evidence(sheet, r, c, value)
        if not label:
            if not figures:
                continue
            label = index
        bold = (r, header.label) in sheet.bold
        kind = _row_kind(label, index, bold, figures, unit, group, rules)
        if kind == "section":
            section, group, commune_group, unit = label, None, False, None
        elif kind == "group":
            group, unit = label, None
            commune_group = _any(rules.rows.commune_groups, label, rules)
        elif kind == "unit":
            unit = label
        elif kind == "total":
            unit = None
        out.append(
            FormRow(
                label, kind, r, group, commune_group, section,
                unit if kind == "field" else None, figures, cells, bold,
            )
        )  # fmt: skip
    return out


def _row_kind(
    label: str,
    index: str,
    bold: bool,
    figures: dict[str, int],
    unit: str | None,
    group: str | None,
    rules: FormSheetRules,
) -> str:
    """What a row is: a total, a section per system, a group (the communes', or provincial
    agencies', land-registry branches'), a unit, or a field of the unit above it."""
    rows = rules.rows
    heading = not figures or bool(_ROMAN.match(index))
    if _starts(rows.totals, label):
        return "total"
    if _any(rows.sections, label, rules) and not names_unit(label, rules) and heading:
        return "section"
    if _any(rows.commune_groups, label, rules) and not names_unit(label, rules):
        return "group"
    if names_unit(label, rules):
        return "unit"
    if _any(rows.other_groups, label, rules) and heading:
        return "group"
    if _starts(rows.field_prefixes, label):
        return "field"
    if _ROMAN.match(index) and (bold or not figures):
        return "group"
    if group is not None and (_ARABIC.match(index) or unit is None):
        return "unit"
    return "field"


def names_unit(label: str, rules: FormSheetRules | None = None) -> bool:
    """ "UBND xã Tân Hòa - tỉnh Bình Lĩnh", "Phường 3", "Xã Tân Hòa": a commune-level unit."""
    rules = rules or form_sheet_rules()
    return unit_of(label, rules) is not None


def unit_of(label: str, rules: FormSheetRules | None = None) -> tuple[str, str] | None:
    """(level, name) of a label naming a commune-level unit (tthc.rules.form_sheet)."""
    return (rules or form_sheet_rules()).unit_of(label)


# ---------------------------------------------------------------------------------------
# Title block


@dataclass
class Title:
    lines: list[tuple[str, Evidence]]
    record: Record | None = None


def _title(sheet: Sheet, header: Header) -> Title:
    """The lines above the header, each with its first cell."""
    lines = []
    for r in range(1, header.first):
        texts = []
        first_cell = None
        for c, v in enumerate(sheet.rows[r - 1], 1):
            t = _text(v)
            if t and t not in texts:
                texts.append(t)
                first_cell = first_cell or (c, v)
        if texts:
            lines.append((" ".join(texts), cell_evidence(sheet, r, first_cell[0], first_cell[1])))
    return Title(lines)


def _read_title(title: Title, path: str) -> Record:
    """The title block read as a report's first lines are: its unit, its period."""
    raw = RawDocument(path=path, format="txt", lines=[RawLine(text=t) for t, _ in title.lines])
    if not raw.lines:
        raw.lines = [RawLine(text=" ")]
    return extract(normalize(raw), raw)


def _period_evidence(title: Title) -> Evidence | None:
    for text, evidence in title.lines:
        if regex.search(r"(?i)từ\s+(?:ngày\s+)?\d|kỳ\s+báo\s+cáo|quý|tháng|năm\s+\d{4}", text):
            return evidence.model_copy(update={"quote": text})
    return None


# ---------------------------------------------------------------------------------------
# The whole workbook


@dataclass
class FormSheets:
    """Every sheet that holds the form, with its rows, and the title of the first."""

    headers: list[Header]
    rows: list[tuple[Header, list[FormRow]]]
    title: Title


def read_form(grid: Grid) -> FormSheets:
    """The form on every sheet that holds it. Raises NotAForm with the reason."""
    rules = form_sheet_rules()
    headers = [h for s in grid.sheets if (h := find_header(s, rules)) is not None]
    if not headers:
        raise NotAForm(
            'Bảng tính không có biểu "Tình hình, kết quả giải quyết TTHC": không tìm thấy '
            "hàng tiêu đề với các cột số hồ sơ tiếp nhận, đã giải quyết, đang giải quyết."
        )
    rows = [(h, read_rows(h, rules)) for h in headers]
    return FormSheets(headers, rows, _title(headers[0].sheet, headers[0]))


def unit_rows(form: FormSheets) -> list[FormRow]:
    return [row for _, rows in form.rows for row in rows if row.kind == "unit"]


def is_export(form: FormSheets) -> bool:
    """Several commune-level units in the rows: a table of many units (an export), not one
    commune's own form."""
    return len({_folded(r.name) for r in unit_rows(form)}) >= 2


def read_export(grid: Grid) -> SystemExport:
    """The provincial system's export: every row under its header, the sections per system
    (sections within a sheet, or one sheet per system), the title block's unit and period."""
    form = read_form(grid)
    if not unit_rows(form):
        raise NotAForm(
            'Bảng tính có biểu "Tình hình, kết quả giải quyết TTHC" nhưng không có dòng nào '
            "của một xã, phường, thị trấn: không phải tệp xuất số liệu các đơn vị."
        )
    title = _read_title(form.title, grid.path)
    export = SystemExport(
        path=grid.path,
        sha256=grid.sha256,
        format=grid.format,
        reporting_unit=_reporting_unit(form.title),
        period_label=title.report.period,
        period_key=title.report.period_key,
        period_evidence=_period_evidence(form.title),
    )
    export.period_start, export.period_end = _title_dates(form.title)
    many = len(form.headers) > 1
    for header, rows in form.rows:
        for name in header.fields:
            export.columns.setdefault(name, header.headers[name])
        export.ignored_columns += [c for c in header.ignored if c not in export.ignored_columns]
        for row in rows:
            section = row.section or (header.sheet.name if many else None)
            if section and section not in export.sections:
                export.sections.append(section)
            export.rows.append(
                ExportRow(
                    name=row.name,
                    kind=row.kind,
                    sheet=header.sheet.name,
                    row=row.row,
                    group=row.group if row.kind != "group" and not row.commune_group else None,
                    section=section,
                    unit=row.unit,
                    figures=row.figures,
                    cells=row.cells,
                )
            )
    return export


_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_RANGE = regex.compile(
    rf"(?i)từ\s+(?:ngày\s+)?{_DATE}\s*(?:đến|-|–)\s*(?:hết\s+)?(?:ngày\s+)?{_DATE}"
)


def _title_dates(title: Title) -> tuple[dt.date | None, dt.date | None]:
    """ "Từ ngày 15/06/2025 đến ngày 14/09/2025" in the title block."""
    for text, _ in title.lines:
        m = _RANGE.search(text)
        if m:
            try:
                a = dt.date(int(m[3]), int(m[2]), int(m[1]))
                b = dt.date(int(m[6]), int(m[5]), int(m[4]))
            except ValueError:
                continue
            if a <= b:
                return a, b
    return None, None


def _reporting_unit(title: Title) -> str | None:
    for text, _ in title.lines:
        m = regex.search(r"(?i)đơn\s+vị\s+báo\s+cáo\s*:\s*(.+)", text)
        if m:
            return m[1].strip()
    for text, _ in title.lines:
        if regex.match(r"(?i)\s*(ubnd|ủy ban nhân dân|uỷ ban nhân dân|văn phòng)\b", text):
            return text.strip()
    return None


def record_from_grid(grid: Grid) -> Record:
    """A commune's own form as its report: the unit from the title block (or the one unit
    row), the period from the title block, the total row as the unit's figures and each
    field row as that field's, every figure with its cell. A table of many units is an
    export of the system, not a commune's report: the record says so (`report.kind`)."""
    source = Source(path=grid.path, sha256=grid.sha256, format=grid.format)
    try:
        form = read_form(grid)
    except NotAForm as exc:
        return Record(source=source, status="failed", errors=[str(exc)])
    title = _read_title(form.title, grid.path)
    record = Record(source=source, unit=title.unit, report=title.report)
    record.report.kind = "biểu"
    if is_export(form):
        record.report.kind = EXPORT_KIND
        return record
    units = unit_rows(form)
    if not record.unit.name and units:
        level, name = unit_of(units[0].name) or (None, None)
        record.unit = Unit(name=name, level=level, evidence={})
    record.report.title = "Tình hình, kết quả giải quyết TTHC"
    key, label = record.report.period_key, record.report.period or "không rõ kỳ báo cáo"
    start, end = _title_dates(form.title)
    totals = [row for _, rows in form.rows for row in rows if row.kind == "total" and row.figures]
    whole = totals[0] if totals else (units[0] if len(units) == 1 and units[0].figures else None)
    periods: list[Period] = []
    if whole is not None:
        periods.append(_period(label, key, start, end, "all", whole))
    for _, rows in form.rows:
        for row in rows:
            if row.kind == "field" and row.figures:
                scope = _field_scope(row.name)
                periods.append(_period(label, key, start, end, scope, row))
    record.periods = periods
    return record


def _field_scope(name: str) -> str:
    """ "Lĩnh vực Hộ tịch" → "hộ tịch"."""
    text = regex.sub(r"(?i)^\s*(?:\d+[.)]|[a-zđ][.)]|-)\s*", "", name)
    text = regex.sub(r"(?i)^lĩnh\s+vực\s+", "", text)
    return match_form(" ".join(text.split())).strip(" .:")


def _period(label, key, start, end, scope: str, row: FormRow) -> Period:
    period = Period(label=label, key=key, kind=None, start=start, end=end, scope=scope)
    for name, value in row.figures.items():
        if name in DOSSIER_FIELDS:
            setattr(period.dossiers, name, value)
            period.evidence[name] = row.cells[name]
    return period
