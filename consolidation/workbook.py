"""The render stage's spreadsheets: the summary workbook, the flags CSV, the outcomes CSV.

Everything here reads only a `DistrictSummary`. The district officer opens the workbook in
Excel or LibreOffice, so every word is Vietnamese (labels.toml, schemas/field_names.toml),
numbers show the Vietnamese way (30.566; 83,87) through a Vietnamese-locale number format
rather than text, so they stay numbers that can be summed, and a cell whose figure the
checks doubt is coloured by severity with the flag's message in a comment: the officer
sees where to look without reading the flags sheet first.

The small helpers at the top (labels, unit names, period labels, values) are shared with
`consolidation.notice`.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from consolidation.safe_io import csv_field, put_text
from extractors.numbers import format_vi
from schemas.names import field_label, measure_label
from schemas.record import Evidence, Flag
from schemas.summary import RATE_DEFINITIONS, CommuneRow, DistrictSummary, FileOutcome

# ---------------------------------------------------------------- shared helpers

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@cache
def labels() -> dict[str, Any]:
    """The render stage's Vietnamese words (consolidation/labels.toml)."""
    return tomllib.loads((Path(__file__).parent / "labels.toml").read_text(encoding="utf-8"))


def period_label(key: str | None) -> str | None:
    """A period key as an officer writes it: "2024-Q4" → "Quý IV năm 2024"."""
    if not key:
        return None
    if m := regex.fullmatch(r"(\d{4})", key):
        return f"năm {m[1]}"
    if m := regex.fullmatch(r"(\d{4})-Q([1-4])", key):
        return f"Quý {_ROMAN[int(m[2])]} năm {m[1]}"
    if m := regex.fullmatch(r"(\d{4})-M(\d{1,2})", key):
        return f"{int(m[2])} tháng đầu năm {m[1]}"
    if m := regex.fullmatch(r"(\d{4})-(\d\d)", key):
        return f"tháng {int(m[2])} năm {m[1]}"
    if m := regex.fullmatch(r"(\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d)", key):
        a, b = (dt.date.fromisoformat(x) for x in (m[1], m[2]))
        return f"từ ngày {a.day}/{a.month}/{a.year} đến ngày {b.day}/{b.month}/{b.year}"
    return key


def unit_levels(summary: DistrictSummary) -> dict[str, str]:
    """Commune name → its level word (xã, phường, thị trấn), from the summary's rows."""
    return {row.commune: row.level for row in summary.communes}


COMMUNE_LEVEL_ORDER = ("xã", "phường", "thị trấn")


def communes_word(summary: DistrictSummary) -> str:
    """ "xã, thị trấn" or "xã, phường": the levels the roster's communes actually have."""
    present = {r.level for r in summary.communes if r.level}
    ordered = [lvl for lvl in COMMUNE_LEVEL_ORDER if lvl in present]
    ordered += sorted(present - set(ordered))
    return ", ".join(ordered) or "xã"


def unit_name(name: str | None, level: str | None, capital: bool = False) -> str:
    """ "xã Ngọc Giang"; at the start of a cell "Xã Ngọc Giang". The level word is kept
    because a commune may share its name with the district (thị trấn An Trì)."""
    if not name:
        return ""
    text = f"{level} {name}" if level else name
    return text[:1].upper() + text[1:] if capital else text


def fmt_count(value: int | float | None) -> str:
    """A dossier count the Vietnamese way (30.566); "…" when the figure is unknown."""
    return "…" if value is None else format_vi(round(value))


def fmt_rate(value: float | None, decimals: int = 2) -> str:
    """A percentage the Vietnamese way (83,87%), trailing zeros dropped (100%, 80,5%)."""
    if value is None:
        return "…"
    text = format_vi(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


def fmt_value(value: Any) -> str:
    """A flag's expected/actual value as text an officer reads (Vietnamese numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return labels()["files"]["yes"] if value else labels()["files"]["no"]
    if isinstance(value, int):
        return format_vi(value)
    if isinstance(value, float):
        if value.is_integer():
            return format_vi(int(value))
        decimals = min(len(repr(value).split(".")[1]), 4)
        return format_vi(value, decimals)
    if isinstance(value, dict):
        return "; ".join(f"{label_of(str(k))}: {fmt_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return "; ".join(fmt_value(v) for v in value)
    return str(value)


def fmt_evidence(evidence: Iterable[Evidence]) -> str:
    """Each quote with where to find it: "Trang 2, dòng 41: “…”", one per line."""
    out = []
    for e in evidence:
        where = f"Trang {e.page}, dòng {e.line}" if e.page else f"Dòng {e.line}"
        out.append(f"{where}: “{e.quote.strip()}”")
    return "\n".join(out)


def label_of(field: str) -> str:
    """Vietnamese name of a flagged field: a figure (field_names.toml) or a citation part."""
    name = field_label(field)
    return labels()["fields"].get(field, name) if name == field else name


def severity_label(severity: str) -> str:
    return labels()["severity"].get(severity, severity)


# ---------------------------------------------------------------- styles

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_MISSING_FILL = PatternFill("solid", fgColor="EDEDED")
SEVERITY_FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="D9E1F2"),
}
_SEVERITY_FONTS = {"error": "9C0006", "warning": "7F6000", "info": "1F3864"}
_STATUS_FILLS = {
    "failed": SEVERITY_FILLS["error"],
    "partial": SEVERITY_FILLS["warning"],
    "ignored": _MISSING_FILL,
    "missing": _MISSING_FILL,
}
# Vietnamese locale (LCID 0x042A): LibreOffice, and Excel on a Vietnamese system, show
# "30.566" and "83,87" while the cells stay numbers.
FMT_COUNT = "[$-42A]#,##0"
FMT_RATE = "[$-42A]0.00"
FMT_COUNT_CHANGE = "[$-42A]+#,##0;-#,##0;0"
FMT_RATE_CHANGE = "[$-42A]+0.00;-0.00;0.00"
FONT = "Times New Roman"


def _font(bold: bool = False, italic: bool = False, size: float = 11,
          color: str | None = None) -> Font:
    return Font(name=FONT, bold=bold, italic=italic, size=size, color=color)


# ---------------------------------------------------------------- summary sheet layout


@dataclass(frozen=True)
class Column:
    """One column of the summary sheet: what it shows and how."""

    key: str  # dossier field, rate name or change key
    kind: str  # count | rate | change_count | change_rate
    group: str  # header over several columns; "" when the header spans both rows
    label: str


def summary_columns(summary: DistrictSummary) -> list[Column]:
    """The national form's columns, the recomputed rates, and the change against the
    previous period when the store had one. Optional columns appear only when used."""
    lab = labels()["summary"]
    used = _fields_in_use(summary)
    cols: list[Column] = []
    for spec in lab["columns"]:
        for key, label in zip(spec["fields"], spec["labels"], strict=True):
            if key in spec.get("optional", ()) and key not in used:
                continue
            cols.append(Column(key, "count", spec["group"], label))
    for key, label in lab["rates"].items():
        cols.append(Column(key, "rate", lab["rates_group"], label))
    changes = _change_keys(summary)
    if changes:
        group = lab["previous_group"].format(
            previous=period_label(summary.previous_period_key) or "kỳ trước")
        for key in changes:
            kind = "change_rate" if key in RATE_DEFINITIONS else "change_count"
            cols.append(Column(key, kind, group, lab["changes"][key]))
    return cols


def _fields_in_use(summary: DistrictSummary) -> set[str]:
    used = {k for k, v in summary.totals.model_dump().items() if v is not None}
    for row in summary.communes:
        used |= {k for k, v in row.dossiers.model_dump().items() if v is not None}
        used |= set(row.flagged_fields)
    return used


def change_value(row: CommuneRow, key: str) -> float | None:
    """A row's change for a key; consolidation keys rates as "rate_online"."""
    if key in RATE_DEFINITIONS:
        return row.change.get(f"rate_{key}", row.change.get(key))
    return row.change.get(key)


def _change_keys(summary: DistrictSummary) -> list[str]:
    """Change columns that some commune has a value for, in labels.toml's order."""
    wanted = labels()["summary"]["changes"]
    return [k for k in wanted if any(change_value(r, k) is not None for r in summary.communes)]


def _cell_value(row: CommuneRow, col: Column) -> float | None:
    if col.kind == "count":
        return getattr(row.dossiers, col.key)
    if col.kind == "rate":
        return row.rates.get(col.key)
    return change_value(row, col.key)


def _total_value(summary: DistrictSummary, col: Column) -> float | None:
    if col.kind == "count":
        return getattr(summary.totals, col.key)
    if col.kind == "rate":
        return summary.total_rates.get(col.key)
    return previous_totals(summary).change.get(col.key)


_FORMATS = {"count": FMT_COUNT, "rate": FMT_RATE,
            "change_count": FMT_COUNT_CHANGE, "change_rate": FMT_RATE_CHANGE}


# ---------------------------------------------------------------- previous period, district-wide


@dataclass
class PreviousTotals:
    """The district's change against the previous period, from the communes' own rows.

    Counts: the sum of the communes' changes (communes stating the figure in both periods).
    Rates: recomputed from the summed previous counts, and only when every commune with a
    current figure also has a previous one, so both rates cover the same communes."""

    covered: int  # communes with a previous period
    reporting: int  # communes with current figures
    previous: dict[str, float | None]
    change: dict[str, float | None]


def previous_totals(summary: DistrictSummary) -> PreviousTotals:
    rows = [r for r in summary.communes if r.status != "missing"]
    with_prev = [r for r in rows if r.previous is not None]
    previous: dict[str, float | None] = {}
    change: dict[str, float | None] = {}
    for key in labels()["summary"]["changes"]:
        if key in RATE_DEFINITIONS:
            continue
        pairs = [(getattr(r.dossiers, key), getattr(r.previous, key)) for r in with_prev]
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        previous[key] = sum(b for _, b in pairs) if pairs else None
        change[key] = sum(a - b for a, b in pairs) if pairs else None
    full = bool(with_prev) and len(with_prev) == len(rows)
    for key, (num, den) in RATE_DEFINITIONS.items():
        prev = _rate_over(with_prev, num, den) if full else None
        previous[key] = prev
        now = summary.total_rates.get(key)
        change[key] = round(now - prev, 2) if prev is not None and now is not None else None
    return PreviousTotals(len(with_prev), len(rows), previous, change)


def _rate_over(rows: list[CommuneRow], num: Sequence[str], den: Sequence[str]) -> float | None:
    values = [r.previous.model_dump() for r in rows if r.previous is not None]
    if not values or any(v.get(f) is None for v in values for f in (*num, *den)):
        return None
    denominator = sum(v[f] for v in values for f in den)
    if not denominator:
        return None
    return round(100 * sum(v[f] for v in values for f in num) / denominator, 2)


# ---------------------------------------------------------------- flags on cells


def flag_messages(row: CommuneRow, field: str) -> list[Flag]:
    """The row's flags about one field (whole-unit scope), worst first."""
    found = [f for f in row.flags if field in f.fields and f.scope in (None, "all")]
    return sorted(found, key=lambda f: -SEVERITY_ORDER.get(f.severity, 0))


def _comment_text(row: CommuneRow, field: str, severity: str) -> str:
    lines = []
    for f in flag_messages(row, field):
        line = f"[{severity_label(f.severity)}] {f.message}"
        if f.suggestion:
            line += f" Gợi ý sửa: {f.suggestion}."
        lines.append(line)
    if not lines:
        lines.append(f"[{severity_label(severity)}] {label_of(field)}: cần kiểm tra lại.")
    return "\n".join(lines)


def _column_for_field(field: str, index: dict[tuple[str, str], int]) -> int | None:
    """The summary column a flagged field belongs to: its count column, or the rate
    column of the same name (a digitized count flags its rate)."""
    for kind in ("count", "rate"):
        if (kind, field) in index:
            return index[(kind, field)]
    return None


# ---------------------------------------------------------------- sheets


def write_workbook(summary: DistrictSummary, path: Path | str) -> Path:
    """The consolidated workbook: summary, flags, ranks, files, missing reports."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = labels()["sheets"]
    wb = Workbook()
    _summary_sheet(wb.active, summary)
    wb.active.title = names["summary"]
    _flags_sheet(wb.create_sheet(names["flags"]), summary)
    _ranks_sheet(wb.create_sheet(names["ranks"]), summary)
    _files_sheet(wb.create_sheet(names["files"]), summary)
    _missing_sheet(wb.create_sheet(names["missing"]), summary)
    for ws in wb.worksheets:
        _escape_underscores(ws)
    wb.save(path)
    return path


_OOXML_ESCAPE = regex.compile(r"_(x[0-9A-Fa-f]+_)")


def _escape_underscores(ws: Worksheet) -> None:
    """Keep "_xa_" in "03_xa_ngoc_giang.txt" as written. OOXML reads "_xHHHH_" as an
    escaped character and LibreOffice even decodes "_xa_" as a line break, so a file
    name with "xã" in it would be cut in two; "_x005F_" is the escape for "_" itself."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "_x" in cell.value:
                put_text(cell, _OOXML_ESCAPE.sub(r"_x005F_\1", cell.value))


HEADER_ROW = 5  # first of the two header rows on the summary sheet
FIRST_DATA_ROW = HEADER_ROW + 2
FIXED = ("index", "unit", "status")  # the frozen columns before the figures


def _summary_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    cols = summary_columns(summary)
    last = len(FIXED) + len(cols)
    _title_rows(ws, summary, last)
    _two_row_header(ws, cols)
    index = {(c.kind, c.key): len(FIXED) + i + 1 for i, c in enumerate(cols)}
    rows = _rows_in_roster_order(summary)
    r = FIRST_DATA_ROW
    for n, row in enumerate(rows, 1):
        _commune_line(ws, r, n, row, cols, index)
        r += 1
    _total_line(ws, r, summary, cols)
    _legend(ws, r + 2)
    widths = {1: 5, 2: 20, 3: 15}
    for i in range(1, last + 1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(i, 11.5)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, len(FIXED) + 1)
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW + 1}")


def _title_rows(ws: Worksheet, summary: DistrictSummary, last: int) -> None:
    lab = labels()["summary"]
    levels = communes_word(summary)
    period = summary.period_label or period_label(summary.period_key) or ""
    texts = [
        (lab["title"], _font(bold=True, size=14)),
        (f"{summary.parent.committee} – {period}".strip(" –"), _font(bold=True, size=12)),
        (lab["source"].format(levels=levels, date=summary.generated_on.strftime("%d/%m/%Y")),
         _font(italic=True, size=10)),
    ]
    for i, (text, font) in enumerate(texts, 1):
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=last)
        cell = put_text(ws.cell(i, 1), text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 22


def _two_row_header(ws: Worksheet, cols: list[Column]) -> None:
    lab = labels()["summary"]
    top, sub = HEADER_ROW, HEADER_ROW + 1
    for i, key in enumerate(FIXED, 1):
        ws.merge_cells(start_row=top, start_column=i, end_row=sub, end_column=i)
        ws.cell(top, i, lab[key])
    start = len(FIXED) + 1
    for group, members in _groups(cols):
        end = start + len(members) - 1
        if group:
            ws.merge_cells(start_row=top, start_column=start, end_row=top, end_column=end)
            ws.cell(top, start, group)
            for j, col in enumerate(members):
                ws.cell(sub, start + j, col.label)
        else:
            for j, col in enumerate(members):
                ws.merge_cells(start_row=top, start_column=start + j,
                               end_row=sub, end_column=start + j)
                ws.cell(top, start + j, col.label)
        start = end + 1
    for r in (top, sub):
        for c in range(1, start):
            cell = ws.cell(r, c)
            cell.font = _font(bold=True, size=10)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[top].height = 32
    ws.row_dimensions[sub].height = 62


def _groups(cols: list[Column]) -> list[tuple[str, list[Column]]]:
    """Consecutive columns under the same group header; ungrouped ones stand alone."""
    out: list[tuple[str, list[Column]]] = []
    for col in cols:
        if col.group and out and out[-1][0] == col.group:
            out[-1][1].append(col)
        else:
            out.append((col.group, [col]))
    return out


def _rows_in_roster_order(summary: DistrictSummary) -> list[CommuneRow]:
    """The summary's rows (roster order), plus a row for any missing commune the rows lack."""
    rows = list(summary.communes)
    known = {r.commune for r in rows}
    rows += [CommuneRow(commune=name, level="", status="missing")
             for name in summary.missing if name not in known]
    return rows


def _commune_line(ws: Worksheet, r: int, n: int, row: CommuneRow, cols: list[Column],
                  index: dict[tuple[str, str], int]) -> None:
    status = labels()["status"]
    missing = row.status == "missing"
    ws.cell(r, 1, n)
    put_text(ws.cell(r, 2), unit_name(row.commune, row.level, capital=True))
    ws.cell(r, 3, status.get(row.status, row.status))
    for i, col in enumerate(cols, len(FIXED) + 1):
        value = None if missing else _cell_value(row, col)
        cell = ws.cell(r, i, value)
        cell.number_format = _FORMATS[col.kind]
        if col.kind == "count" and col.key in row.derived:
            cell.font = _font(italic=True)
    for c in range(1, len(FIXED) + len(cols) + 1):
        cell = ws.cell(r, c)
        cell.border = _BORDER
        if cell.font is None or not cell.font.italic:
            cell.font = _font(italic=missing)
        if missing:
            cell.fill = _MISSING_FILL
    ws.cell(r, 1).alignment = Alignment(horizontal="center")
    _mark_derived(ws, r, row, index)
    _mark_flags(ws, r, row, index)


def _mark_derived(ws: Worksheet, r: int, row: CommuneRow,
                  index: dict[tuple[str, str], int]) -> None:
    for field in row.derived:
        c = index.get(("count", field))
        if c is not None and field not in row.flagged_fields:
            ws.cell(r, c).comment = _comment(labels()["summary"]["derived_note"])


def _mark_flags(ws: Worksheet, r: int, row: CommuneRow, index: dict[tuple[str, str], int]) -> None:
    """Colour each flagged field's cell by its worst severity, its messages in a comment;
    a field without a column of its own marks the unit's name cell."""
    by_cell: dict[int, list[tuple[str, str]]] = {}
    for field, severity in row.flagged_fields.items():
        c = _column_for_field(field, index) or 2
        by_cell.setdefault(c, []).append((field, severity))
    for c, items in by_cell.items():
        worst = max((s for _, s in items), key=lambda s: SEVERITY_ORDER.get(s, 0))
        cell = ws.cell(r, c)
        cell.fill = SEVERITY_FILLS.get(worst, SEVERITY_FILLS["warning"])
        cell.font = _font(bold=True, italic=bool(cell.font and cell.font.italic),
                          color=_SEVERITY_FONTS.get(worst))
        texts = dict.fromkeys(_comment_text(row, f, s) for f, s in items)
        cell.comment = _comment("\n".join(texts))


def _comment(text: str) -> Comment:
    comment = Comment(text, labels()["summary"]["comment_author"])
    comment.width = 320
    comment.height = max(80, 18 * (text.count("\n") + 2 + len(text) // 45))
    return comment


def _total_line(ws: Worksheet, r: int, summary: DistrictSummary, cols: list[Column]) -> None:
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(FIXED))
    ws.cell(r, 1, labels()["summary"]["total_row"])
    for i, col in enumerate(cols, len(FIXED) + 1):
        cell = ws.cell(r, i, _total_value(summary, col))
        cell.number_format = _FORMATS[col.kind]
    for c in range(1, len(FIXED) + len(cols) + 1):
        cell = ws.cell(r, c)
        cell.font = _font(bold=True)
        cell.fill = _TOTAL_FILL
        cell.border = _BORDER
    ws.cell(r, 1).alignment = Alignment(horizontal="center")


def _legend(ws: Worksheet, r: int) -> None:
    """What the colours mean, under the table: a coloured swatch, then its meaning."""
    ws.cell(r, 2, "Chú thích:").font = _font(bold=True, size=10)
    for i, (swatch, text) in enumerate(labels()["summary"]["legend"], 1):
        cell = ws.cell(r + i, 2, swatch.get("text", ""))
        cell.font = _font(size=10, italic=swatch.get("italic", False))
        cell.border = _BORDER
        if "fill" in swatch:
            cell.fill = SEVERITY_FILLS.get(swatch["fill"]) or _MISSING_FILL
        ws.cell(r + i, 3, text).font = _font(italic=True, size=10)


def _print_setup(ws: Worksheet, title_rows: str | None, landscape: bool = True) -> None:
    """A4, fitted to the page width: the sheets are printed and signed."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if title_rows:
        ws.print_title_rows = title_rows


def _table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]],
           widths: Sequence[float], start: int = 1, wrap: Sequence[int] = ()) -> int:
    """A header row and data rows with borders; returns the next free row."""
    for c, text in enumerate(header, 1):
        cell = ws.cell(start, c, text)
        cell.font = _font(bold=True, size=10)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = start + 1
    for values in rows:
        for c, value in enumerate(values, 1):
            cell = put_text(ws.cell(r, c), value)
            cell.font = _font(size=10)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=c in wrap,
                                       horizontal="center" if c == 1 else None)
        ws.row_dimensions[r].height = row_height(values, widths, wrap)
        r += 1
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    return r


LINE_PT = 13.0  # height of one line of 10 pt Times New Roman
CHARS_PER_WIDTH = 1.45  # characters of 10 pt Times per unit of Excel column width


def row_height(values: Sequence[Any], widths: Sequence[float], wrap: Sequence[int]) -> float:
    """Enough height for the longest wrapped cell. Neither openpyxl nor LibreOffice sizes
    rows of a generated file, and wrapped text would otherwise overlap the next row."""
    lines = 1
    for c in wrap:
        if c > len(values) or values[c - 1] is None:
            continue
        per_line = max(int(widths[c - 1] * CHARS_PER_WIDTH), 1)
        text = str(values[c - 1])
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    return LINE_PT * lines + 3


# ---------------------------------------------------------------- flags


def _file_width(names: Iterable[str]) -> float:
    """A file-name column wide enough not to wrap: LibreOffice breaks "03_xa_…" after
    the digits, and a broken file name is hard to find in the folder."""
    return min(max((len(n) for n in names), default=10) * 0.95 + 2, 45)


def flag_table(summary: DistrictSummary) -> list[list[Any]]:
    """One line per flag, in labels.toml [flags] columns order (sheet and CSV alike)."""
    levels = unit_levels(summary)
    codes = labels()["flag_codes"]
    out = []
    for n, row in enumerate(summary.flags, 1):
        f = row.flag
        out.append([
            n,
            unit_name(row.commune, levels.get(row.commune or ""), capital=True)
            or "(chưa xác định)",
            row.file,
            f.period or period_label(f.period_key) or "",
            severity_label(f.severity),
            f.code,
            codes.get(f.code, ""),
            f.message,
            ", ".join(label_of(x) for x in f.fields),
            fmt_value(f.expected),
            fmt_value(f.actual),
            f.suggestion or "",
            fmt_evidence(f.evidence),
        ])
    return out


def _flags_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    header = labels()["flags"]["columns"]
    rows = flag_table(summary)
    widths = [5, 16, _file_width(r[2] for r in rows), 11, 9, 13, 20, 45, 18, 9, 9, 14, 40]
    end = _table(ws, header, rows, widths, wrap=(2, 7, 8, 9, 12, 13))
    for r, flag_row in enumerate(summary.flags, 2):
        cell = ws.cell(r, 5)
        cell.fill = SEVERITY_FILLS.get(flag_row.flag.severity, SEVERITY_FILLS["warning"])
        cell.font = _font(bold=True, size=10, color=_SEVERITY_FONTS.get(flag_row.flag.severity))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(end - 1, 1)}"
    ws.row_dimensions[1].height = 30
    _print_setup(ws, "1:1")


# ---------------------------------------------------------------- ranks


def _ranks_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    lab = labels()["ranks"]
    levels = unit_levels(summary)
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    r = 3
    for name, items in summary.ranks.items():
        spec = lab["names"].get(name, {"title": name, "unit": ""})
        rate = spec.get("rate")
        target = summary.targets.get(rate) if rate else None
        below = {i.commune for i in summary.below_target.get(rate, [])} if rate else set()
        ws.cell(r, 1, f"{spec['title']} ({spec['unit']})").font = _font(bold=True, size=11)
        rows = [[k, unit_name(i.commune, levels.get(i.commune), capital=True), i.value,
                 target, (lab["below"] if i.commune in below else lab["met"]) if target else ""]
                for k, i in enumerate(items, 1)]
        end = _table(ws, lab["columns"], rows, [7, 24, 12, 10, 12], start=r + 1)
        _format_values(ws, r + 2, end, spec["unit"] == "%")
        r = end + 1
    for rate, items in summary.below_target.items():
        target = summary.targets.get(rate)
        title = lab["below_title"].format(measure=measure_label(rate) or rate,
                                          target=fmt_rate(target) if target is not None else "")
        ws.cell(r, 1, title).font = _font(bold=True, size=11)
        if not items:
            ws.cell(r + 1, 1, lab["none_below"]).font = _font(italic=True, size=10)
            r += 3
            continue
        rows = [[k, unit_name(i.commune, levels.get(i.commune), capital=True), i.value, target,
                 lab["below"]] for k, i in enumerate(items, 1)]
        end = _table(ws, lab["columns"], rows, [7, 24, 12, 10, 12], start=r + 1)
        _format_values(ws, r + 2, end, True)
        r = end + 1
    _print_setup(ws, None, landscape=False)


def _format_values(ws: Worksheet, first: int, end: int, rate: bool) -> None:
    for r in range(first, end):
        ws.cell(r, 3).number_format = FMT_RATE if rate else FMT_COUNT
        ws.cell(r, 4).number_format = FMT_RATE
        if ws.cell(r, 5).value == labels()["ranks"]["below"]:
            ws.cell(r, 5).fill = SEVERITY_FILLS["warning"]


# ---------------------------------------------------------------- files and missing


def outcome_table(summary: DistrictSummary) -> list[list[Any]]:
    """One line per file, in labels.toml [files] columns order (sheet and CSV alike)."""
    levels = unit_levels(summary)
    lab = labels()
    return [[
        n,
        Path(o.path).name,
        unit_name(o.commune, levels.get(o.commune or ""), capital=True),
        o.written_name or "",
        o.match_score,
        period_label(o.period_key) or "",
        lab["files"]["status"].get(o.status, o.status),
        o.reason or "",
        o.flags,
        lab["files"]["yes"] if o.reused else lab["files"]["no"],
        o.sha256 or "",
    ] for n, o in enumerate(summary.outcomes, 1)]


def _files_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    header = labels()["files"]["columns"]
    table = outcome_table(summary)
    for line in table:  # the whole hash is in the CSV; the sheet shows enough to compare
        line[-1] = line[-1][:12]
    widths = [5, _file_width(r[1] for r in table), 18, 18, 9, 14, 16, 45, 9, 11, 14]
    end = _table(ws, header, table, widths, wrap=(3, 4, 8))
    for r, outcome in enumerate(summary.outcomes, 2):
        ws.cell(r, 5).number_format = "[$-42A]0.0"
        _status_fill(ws.cell(r, 7), outcome)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(end - 1, 1)}"
    ws.row_dimensions[1].height = 30
    _print_setup(ws, "1:1")


def _status_fill(cell: Any, outcome: FileOutcome) -> None:
    if outcome.status in _STATUS_FILLS:
        cell.fill = _STATUS_FILLS[outcome.status]


def _missing_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    lab = labels()["missing"]
    levels = unit_levels(summary)
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    period = summary.period_label or period_label(summary.period_key) or ""
    put_text(ws.cell(2, 1), f"{summary.parent.committee} – {period}".strip(" –")).font = _font(
        italic=True)
    if not summary.missing:
        ws.cell(4, 1, lab["none"]).font = _font(italic=True)
        return
    rows = [[n, unit_name(name, levels.get(name), capital=True), levels.get(name, "")]
            for n, name in enumerate(summary.missing, 1)]
    _table(ws, lab["columns"], rows, [6, 28, 12], start=4)
    _print_setup(ws, None, landscape=False)


# ---------------------------------------------------------------- CSV


def _write_csv(path: Path | str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """UTF-8 with a byte-order mark: Excel then reads the Vietnamese letters correctly."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([csv_field(v) for v in header])
        writer.writerows([csv_field(v) for v in row] for row in rows)
    return path


def write_flags_csv(summary: DistrictSummary, path: Path | str) -> Path:
    """Every flag, one line each, with the same columns as the "Cảnh báo" sheet."""
    return _write_csv(path, labels()["flags"]["columns"], flag_table(summary))


def write_outcomes_csv(summary: DistrictSummary, path: Path | str) -> Path:
    """What happened to every file, with the same columns as the "Tệp đã xử lý" sheet."""
    table = outcome_table(summary)
    for line in table:  # the match score the Vietnamese way, as on the sheet
        line[4] = "" if line[4] is None else format_vi(line[4], 1)
    return _write_csv(path, labels()["files"]["columns"], table)
