"""The render stage's spreadsheets: the summary workbook, the flags CSV, the outcomes CSV.

Everything here reads only a `DistrictSummary`. The first sheet is the national periodic
form "Tình hình, kết quả giải quyết thủ tục hành chính" (13 numbered columns: STT, unit,
received total / online / in person or by post / carried over, resolved total / early /
on time / late, pending total / in time / overdue), with its header (form code, reporting
and receiving units, "Từ ngày … đến ngày …", "Đơn vị tính: hồ sơ"), a total row of SUM
formulas (a correction typed into a cell flows into the total), a signature area and page
numbers. A cell whose figure the checks doubt is coloured by severity with the flag's
message in a comment; a figure the report does not state but its own parts determine is
in italics. Numbers stay numbers with a Vietnamese-locale format (30.566; 83,87).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
from lxml import etree
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tthc.consolidate import ACTIVITY_METRICS
from tthc.render.columns import (
    COMPARISON_PARTS,
    CORRECTIONS,
    FILES,
    FLAGS,
    FMT_COUNT,
    FMT_RATE,
    FORM_NOTE_WIDTH,
    INDEX_WIDTH,
    RANKS,
    RATE_NOTE_WIDTH,
    RATE_UNCLASSIFIED_WIDTH,
    RATE_WIDTH,
    SENDERS,
    STATEMENTS,
    UNIT_WIDTH,
    Table,
    activities_table,
    comparison_table,
    form_widths,
)
from tthc.rules.flags import SEVERITY_RANK, flag_words
from tthc.schemas import Dossiers, with_technical
from tthc.schemas.names import field_label
from tthc.schemas.summary import CommuneRate, CommuneRow, DistrictSummary, FileOutcome, SplitGap
from tthc.textkit.numbers import format_vi
from tthc.textkit.safe_io import put_text
from tthc.wording import (
    communes_word,
    date_padded,
    fmt_count,
    fmt_evidence,
    fmt_rate,
    fmt_stated_rate,
    fmt_value,
    join_units,
    label_of,
    labels,
    measure_name,
    period_label,
    severity_label,
    unit_name,
)

BOARD_OF_JUSTICE_FROM = dt.date(2026, 1, 10)  # Nghị định 09/2026/NĐ-CP

# ---------------------------------------------------------------- styles

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_MISSING_FILL = PatternFill("solid", fgColor="EDEDED")
_RECONCILED_FILL = PatternFill("solid", fgColor="E2EFDA")
# A blank the officer fills in: yellow, as the notice highlights its "[……]".
BLANK_FILL = PatternFill("solid", fgColor="FFFF00")
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
    "unreadable": SEVERITY_FILLS["error"],
    "not_report": SEVERITY_FILLS["warning"],
}
FONT = "Times New Roman"
FOOTER = "Trang &P/&N"


def _font(
    bold: bool = False, italic: bool = False, size: float = 11, color: str | None = None
) -> Font:
    return Font(name=FONT, bold=bold, italic=italic, size=size, color=color)


def rate_format(decimals: int | None) -> str:
    """A rate with the number of decimals the commune wrote (96,40 stays 96,40)."""
    return "[$-42A]0" + (("." + "0" * decimals) if decimals else "")


# ---------------------------------------------------------------- the form's columns


@dataclass(frozen=True)
class Column:
    key: str  # a dossier field
    group: str  # the header over several columns
    sub: str  # "Tổng số" / "Trong đó" under the group ("" for a column of its own)
    label: str
    number: int  # (1) … (13), then the added columns


def form_columns(summary: DistrictSummary) -> list[Column]:
    """The national form's columns, then the added ones (when some report uses them)."""
    lab = labels()["form"]
    cols: list[Column] = []
    number = 3
    for spec in lab["columns"]:
        for key, sub, label in zip(spec["fields"], spec["subs"], spec["labels"], strict=True):
            cols.append(Column(key, spec["group"], sub, label, number))
            number += 1
    used = _fields_in_use(summary)
    for key, label in lab["extra"].items():
        if key in used:
            cols.append(Column(key, lab["extra_group"], "", label, number))
            number += 1
    return cols


def _fields_in_use(summary: DistrictSummary) -> set[str]:
    used = {k for k, f in summary.figures.items() if f.value is not None}
    for row in summary.communes:
        used |= set(row.flagged_fields)
    return used


# ---------------------------------------------------------------- the workbook


@dataclass
class Book:
    """What the writer keeps while it lays the sheets out: the cell of each place the
    statements name ("'Tỷ lệ'!E25"), and the value of each formula cell, stored with the
    formula so that a reader without a spreadsheet engine (pandas, a viewer, a script)
    sees the totals."""

    cells: dict[tuple[str, str, str], str] = dataclasses.field(default_factory=dict)
    cached: dict[tuple[str, str], float] = dataclasses.field(default_factory=dict)

    def mark(self, sheet: str, row: str, column: str, ws: Worksheet, r: int, c: int) -> None:
        self.cells[(sheet, row, column)] = f"'{ws.title}'!{get_column_letter(c)}{r}"

    def formula(self, ws: Worksheet, r: int, c: int, formula: str, value: float) -> Any:
        self.cached[(ws.title, f"{get_column_letter(c)}{r}")] = value
        return ws.cell(r, c, formula)


def write_workbook(summary: DistrictSummary, path: Path | str) -> Path:
    """The consolidated workbook: the national form, the figures the notice states, liên
    thông and per-field tables when reported, TTHC control counts, rates by measure,
    comparison, flags, ranks, senders and files."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = labels()["sheets"]
    book = Book()
    wb = Workbook()
    ws = wb.active
    ws.title = names["summary"]
    statements_ws = wb.create_sheet(names["statements"])
    sent = {x.commune: x.status for x in summary.senders}
    lines = [_commune_line(r, sent=sent.get(r.commune)) for r in summary.communes]
    _form_sheet(ws, summary, lines, "summary", book)
    if summary.lien_thong is not None and summary.lien_thong.units:
        lines = [_commune_line(r, "lien_thong") for r in summary.communes if r.lien_thong]
        _form_sheet(wb.create_sheet(names["lien_thong"]), summary, lines, "lien_thong", book)
    if summary.fields:
        _fields_sheet(wb.create_sheet(names["fields"]), summary, book)
    if any(name in summary.metrics for name in ACTIVITY_METRICS):
        _activities_sheet(wb.create_sheet(names["activities"]), summary, book)
    _rates_sheet(wb.create_sheet(names["rates"]), summary, book)
    if summary.comparison.lines:
        _comparison_sheet(wb.create_sheet(names["comparison"]), summary, book)
    if summary.crosscheck is not None:
        from tthc.render.crosscheck_sheet import write_crosscheck_sheet

        write_crosscheck_sheet(wb.create_sheet(names["crosscheck"]), summary, book)
    _flags_sheet(wb.create_sheet(names["flags"]), summary)
    _ranks_sheet(wb.create_sheet(names["ranks"]), summary)
    _senders_sheet(wb.create_sheet(names["senders"]), summary, book)
    _files_sheet(wb.create_sheet(names["files"]), summary)
    _statements_sheet(statements_ws, summary, book)
    for sheet in wb.worksheets:
        _escape_underscores(sheet)
    wb.calculation.fullCalcOnLoad = True  # the SUM formulas are computed again when opened
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(store_formula_values(buffer.getvalue(), wb.sheetnames, book.cached))
    return path


def store_formula_values(
    package: bytes, sheets: list[str], values: dict[tuple[str, str], float]
) -> bytes:
    """The .xlsx with each formula's value stored beside it (`<v>`), as a spreadsheet
    saves it. openpyxl writes formulas without values, so a file that was never opened
    in Excel or LibreOffice would read as an empty total row everywhere else."""
    by_part = {f"xl/worksheets/sheet{i}.xml": title for i, title in enumerate(sheets, 1)}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            title = by_part.get(info.filename)
            if title is not None:
                mine = {ref: v for (t, ref), v in values.items() if t == title}
                if mine:
                    data = _with_values(data, mine)
            dst.writestr(info, data)
    return out.getvalue()


def _with_values(xml: bytes, values: dict[str, float]) -> bytes:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    root = etree.fromstring(xml)
    for cell in root.iterfind(".//m:sheetData/m:row/m:c", ns):
        ref = cell.get("r")
        if ref not in values or cell.find("m:f", ns) is None:
            continue
        v = cell.find("m:v", ns)
        if v is None:
            v = etree.SubElement(cell, f"{{{ns['m']}}}v")
        value = values[ref]
        v.text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_OOXML_ESCAPE = regex.compile(r"_(x[0-9A-Fa-f]+_)")


def _escape_underscores(ws: Worksheet) -> None:
    """Keep "_xa_" in "03_xa_ngoc_giang.txt" as written. OOXML reads "_xHHHH_" as an
    escaped character and LibreOffice even decodes "_xa_" as a line break, so a file
    name with "xã" in it would be cut in two; "_x005F_" is the escape for "_" itself."""
    for row in ws.iter_rows():
        for cell in row:
            if (
                isinstance(cell.value, str)
                and "_x" in cell.value
                and not cell.value.startswith("=")
            ):
                cell.value = _OOXML_ESCAPE.sub(r"_x005F_\1", cell.value)


# ---------------------------------------------------------------- the form sheet


@dataclass
class FormLine:
    """One line of a form table: a commune (or a field) and its figures."""

    label: str
    dossiers: Dossiers | None  # None: the commune sent nothing readable
    derived: tuple[str, ...] = ()
    flagged: dict[str, str] | None = None  # field → worst severity
    row: CommuneRow | None = None
    note: str = ""
    scope: str = "all"


def _commune_line(row: CommuneRow, scope: str = "all", sent: str | None = None) -> FormLine:
    """A commune's line; the note says what it sent when it has no figures to show, and
    why a cell is coloured or in italics, in the words the notice uses."""
    name = unit_name(row.commune, row.level, capital=True)
    if scope == "lien_thong":
        return FormLine(
            name, row.lien_thong, tuple(row.lien_thong_derived), row=row, scope="lien_thong"
        )
    notes = []
    if row.status == "missing" and sent:
        notes.append(labels()["senders"]["status"].get(sent, ""))
    elif row.status != "ok":
        notes.append(labels()["status"].get(row.status, row.status))
    notes += [f"{severity_label(n.severity)}: {n.text}" for n in row.notes]
    return FormLine(
        name,
        None if row.status == "missing" else row.dossiers,
        tuple(row.derived),
        row.flagged_fields,
        row,
        "\n".join(n for n in notes if n),
    )


HEAD = 6  # first header row of a form sheet


def _form_sheet(
    ws: Worksheet, summary: DistrictSummary, lines: list[FormLine], sheet: str, book: Book
) -> None:
    """The national form: header, one line per unit, the total row, the figures the notice
    states (the units it sums), why a column total is not the sum of its parts, the legend
    and the signatures."""
    cols = form_columns(summary)
    last = 2 + len(cols) + 1  # STT, unit, the figures, the note
    _form_header(ws, summary, last, labels()["sheets"][sheet])
    _form_column_heads(ws, cols, last)
    first = HEAD + 4
    r = first
    rows: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        _form_row(ws, r, n, line, cols, last)
        if line.row is not None:
            rows[line.row.commune] = r
            for i, col in enumerate(cols, 3):
                book.mark(sheet, line.row.commune, col.key, ws, r, i)
        r += 1
    _form_total(ws, r, first, cols, last, book, sheet)
    r += 1
    reconciled = summary.reconciled if sheet == "summary" else summary.lien_thong
    if reconciled is not None and sheet in ("summary", "lien_thong"):
        _reconciled_row(ws, r, reconciled, rows, cols, last, book, sheet)
        r += 1
        r = _split_notes(ws, r, summary.splits.get(reconciled.scope, []), summary, cols, last)
    if sheet == "summary" and summary.scope_note:  # which scope the figures are (centres)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last)
        cell = put_text(ws.cell(r, 2), summary.scope_note)
        cell.font = _font(italic=True, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = sum(form_widths(len(cols))[1:])  # merged from the unit to the note
        ws.row_dimensions[r].height = row_height([summary.scope_note], [width], [1])
        r += 1
    end = _legend(ws, r + 1)
    _signature(ws, end + 1, last, summary)
    for i, width in enumerate(form_widths(len(cols)), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(first, 3)
    _print_setup(ws, f"{HEAD}:{HEAD + 3}")


def _reconciled_row(
    ws: Worksheet,
    r: int,
    rc: Any,
    rows: dict[str, int],
    cols: list[Column],
    last: int,
    book: Book,
    sheet: str,
) -> None:
    """The units whose figures the notice prints, summed: a SUM over their rows, so the
    notice's figures stand on the form itself."""
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    text = labels()["form"]["reconciled_row"].format(n=len(rc.units))
    put_text(ws.cell(r, 1), text)
    kept = sorted(rows[c] for c in rc.units if c in rows)
    for i, col in enumerate(cols, 3):
        figure = rc.figures.get(col.key)
        if figure is None or figure.value is None or not kept:
            continue
        letter = get_column_letter(i)
        cell = book.formula(ws, r, i, f"=SUM({_ranges(letter, kept)})", figure.value)
        cell.number_format = FMT_COUNT
        book.mark(sheet, "reconciled", col.key, ws, r, i)
    for c in range(1, last + 1):
        cell = ws.cell(r, c)
        cell.font = _font(bold=True, italic=True, size=10)
        cell.fill = _RECONCILED_FILL
        cell.border = _BORDER
    ws.cell(r, 1).alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[r].height = 3 * LINE_PT + 3


def _signed(value: int) -> str:
    """ "+1.127" (dossiers the parts do not cover), "−3" (parts larger than the whole)."""
    return ("+" if value > 0 else "−") + fmt_count(abs(value))


def _ranges(letter: str, rows: list[int]) -> str:
    """ "C10:C12,C14,C17:C20": the rows as the fewest ranges (a formula takes 255 terms)."""
    spans: list[list[int]] = []
    for r in rows:
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    return ",".join(f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}" for a, b in spans)


def _split_notes(
    ws: Worksheet,
    r: int,
    gaps: list[SplitGap],
    summary: DistrictSummary,
    cols: list[Column],
    last: int,
) -> int:
    """Under the totals, why a column total is not the sum of its parts' totals: the
    units that give no split (and how many dossiers they leave unsplit), and those whose
    parts do not add up. Returns the next free row."""
    if not gaps:
        return r
    lab = labels()["form"]
    levels = {row.commune: row.level for row in summary.communes}
    number = {col.key: col.number for col in cols}
    ws.cell(r, 2, lab["split_title"]).font = _font(bold=True, italic=True, size=10)
    r += 1
    for gap in gaps:
        reasons = []
        for units, key in ((gap.unsplit, "split_unsplit"), (gap.mismatch, "split_mismatch")):
            if units:
                named = [f"{unit_name(c, levels.get(c))} ({_signed(v)})" for c, v in units.items()]
                reasons.append(lab[key].format(units=join_units(named)))
        text = lab["split_more" if gap.amount > 0 else "split_less"].format(
            whole=number[gap.whole],
            parts="+".join(f"({number[p]})" for p in gap.parts if p in number),
            amount=fmt_count(abs(gap.amount)),
            reasons="; ".join(reasons),
        )
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=last)
        cell = put_text(ws.cell(r, 2), text)
        cell.font = _font(italic=True, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = sum(form_widths(len(cols))[1:])  # merged from the unit to the note
        ws.row_dimensions[r].height = row_height([text], [width], [1])
        r += 1
    return r


def receiver(summary: DistrictSummary) -> str:
    """Who the consolidated form goes to: the province for a district, the central body
    in charge of TTHC control for a province (Văn phòng Chính phủ, Bộ Tư pháp since
    10/1/2026)."""
    lab = labels()["form"]
    parent = summary.parent
    if parent.is_district:
        return lab["receiver_district"].format(province=parent.province or lab["blank"])
    if summary.notice.issuer:  # the body in charge on the notice's date (consolidation)
        return summary.notice.central or lab["blank"]
    end = summary.period_end
    late = end is not None and end >= BOARD_OF_JUSTICE_FROM
    return lab["receiver_central_2026" if late else "receiver_central"]


def _form_header(ws: Worksheet, summary: DistrictSummary, last: int, title: str) -> None:
    lab = labels()["form"]
    half = max(3, last // 2)
    _merged(
        ws,
        1,
        1,
        half,
        lab["reporting"].format(unit=summary.parent.committee),
        _font(bold=True, size=11),
        "left",
    )
    _merged(
        ws,
        2,
        1,
        half,
        lab["receiving"].format(unit=receiver(summary)),
        _font(bold=True, size=11),
        "left",
    )
    if lab["blank"] in receiver(summary):
        ws.cell(2, 1).fill = BLANK_FILL
    _merged(ws, 1, half + 1, last, lab["code"], _font(bold=True, size=11), "right")
    heading = lab["title"].format(levels=communes_word(r.level for r in summary.communes).upper())
    if title != labels()["sheets"]["summary"]:
        heading = f"{heading} – {title.upper()}"
    _merged(ws, 3, 1, last, heading, _font(bold=True, size=13), "center")
    period = summary.period_label or period_label(summary.period_key) or ""
    span = (
        lab["span"].format(
            start=date_padded(summary.period_start), end=date_padded(summary.period_end)
        )
        if summary.period_start and summary.period_end
        else ""
    )
    _merged(
        ws, 4, 1, last, f"{lab['period']} {period} {span}".strip(), _font(italic=True), "center"
    )
    _merged(ws, 5, last - 2, last, lab["unit"], _font(italic=True, size=10), "right")
    ws.row_dimensions[3].height = 22


def _merged(ws: Worksheet, r: int, c1: int, c2: int, text: str, font: Font, align: str) -> None:
    if c2 > c1:
        ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
    cell = put_text(ws.cell(r, c1), text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)


def _form_column_heads(ws: Worksheet, cols: list[Column], last: int) -> None:
    """Three header rows (group, "Tổng số"/"Trong đó", the column) and the numbers row."""
    lab = labels()["form"]
    top, mid, low, nums = HEAD, HEAD + 1, HEAD + 2, HEAD + 3
    for c, text in ((1, lab["index"]), (2, lab["unit_col"]), (last, lab["note"])):
        ws.merge_cells(start_row=top, start_column=c, end_row=low, end_column=c)
        ws.cell(top, c, text)
    ws.cell(nums, 1, "(1)")
    ws.cell(nums, 2, "(2)")
    ws.cell(nums, last, f"({cols[-1].number + 1})")
    start = 3
    for group, members in _groups(cols):
        end = start + len(members) - 1
        ws.merge_cells(start_row=top, start_column=start, end_row=top, end_column=end)
        ws.cell(top, start, group)
        k = start
        for sub, subs in _subgroups(members):
            if sub == lab["total_sub"] or not sub:
                for j, col in enumerate(subs):
                    ws.merge_cells(start_row=mid, start_column=k + j, end_row=low, end_column=k + j)
                    ws.cell(mid, k + j, sub if sub else col.label)
            else:
                ws.merge_cells(
                    start_row=mid, start_column=k, end_row=mid, end_column=k + len(subs) - 1
                )
                ws.cell(mid, k, sub)
                for j, col in enumerate(subs):
                    ws.cell(low, k + j, col.label)
            k += len(subs)
        for j, col in enumerate(members):
            ws.cell(nums, start + j, f"({col.number})")
        start = end + 1
    for r in (top, mid, low, nums):
        for c in range(1, last + 1):
            cell = ws.cell(r, c)
            cell.font = _font(bold=r != nums, italic=r == nums, size=10)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[top].height = 30
    ws.row_dimensions[mid].height = 20
    ws.row_dimensions[low].height = 58


def _groups(cols: list[Column]) -> list[tuple[str, list[Column]]]:
    out: list[tuple[str, list[Column]]] = []
    for col in cols:
        if out and out[-1][0] == col.group:
            out[-1][1].append(col)
        else:
            out.append((col.group, [col]))
    return out


def _subgroups(cols: list[Column]) -> list[tuple[str, list[Column]]]:
    out: list[tuple[str, list[Column]]] = []
    for col in cols:
        if out and out[-1][0] == col.sub and col.sub:
            out[-1][1].append(col)
        else:
            out.append((col.sub, [col]))
    return out


def _form_row(ws: Worksheet, r: int, n: int, line: FormLine, cols: list[Column], last: int) -> None:
    missing = line.dossiers is None
    ws.cell(r, 1, n).alignment = Alignment(horizontal="center")
    put_text(ws.cell(r, 2), line.label)
    put_text(ws.cell(r, last), line.note)
    for i, col in enumerate(cols, 3):
        value = None if missing else getattr(line.dossiers, col.key)
        cell = ws.cell(r, i, value)
        cell.number_format = FMT_COUNT
    for c in range(1, last + 1):
        cell = ws.cell(r, c)
        cell.border = _BORDER
        cell.font = _font(italic=missing, size=10)
        if missing:
            cell.fill = _MISSING_FILL
    ws.cell(r, last).alignment = Alignment(wrap_text=True, vertical="top")
    if line.note:
        ws.row_dimensions[r].height = row_height([line.note], [FORM_NOTE_WIDTH], [1])
        for c in range(1, last):
            old = ws.cell(r, c).alignment
            ws.cell(r, c).alignment = Alignment(horizontal=old.horizontal, vertical="top")
    index = {col.key: i for i, col in enumerate(cols, 3)}
    for field in line.derived:
        if field in index:
            cell = ws.cell(r, index[field])
            cell.font = _font(italic=True, size=10)
            cell.comment = _comment(labels()["form"]["derived_comment"])
    if line.row is not None and line.flagged:
        _mark_flags(ws, r, line.row, line.flagged, index)
    if line.row is not None and line.dossiers is not None:
        _mark_corrections(ws, r, line.row, line.scope, index)


def _mark_corrections(
    ws: Worksheet, r: int, row: CommuneRow, scope: str, index: dict[str, int]
) -> None:
    """A figure the officer corrected says so in its cell's comment (with any flag's)."""
    for c in row.corrections:
        if c.kind not in ("value", "assign") or c.scope != scope or c.field not in index:
            continue
        cell = ws.cell(r, index[c.field])
        text = correction_comment(c)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n{text}"
        cell.comment = _comment(text)


def correction_comment(c: Any) -> str:
    return labels()["corrections"]["comment"].format(
        before=fmt_count(c.before),
        after=fmt_count(c.after),
        why=c.why,
        who=c.who,
        at=f"{c.at:%H:%M %d/%m/%Y}",
    )


def _mark_flags(
    ws: Worksheet, r: int, row: CommuneRow, flagged: dict[str, str], index: dict[str, int]
) -> None:
    """Colour each flagged figure's cell by its worst severity, the messages in a
    comment; a flag on something without a column (a citation) marks the unit's cell."""
    by_cell: dict[int, list[tuple[str, str]]] = {}
    for field, severity in flagged.items():
        by_cell.setdefault(index.get(field, 2), []).append((field, severity))
    for c, items in by_cell.items():
        worst = max((s for _, s in items), key=lambda s: SEVERITY_RANK.get(s, 0))
        cell = ws.cell(r, c)
        cell.fill = SEVERITY_FILLS.get(worst, SEVERITY_FILLS["warning"])
        cell.font = _font(
            bold=True,
            italic=bool(cell.font and cell.font.italic),
            size=10,
            color=_SEVERITY_FONTS.get(worst),
        )
        texts = dict.fromkeys(_comment_text(row, f, s) for f, s in items)
        cell.comment = _comment("\n".join(texts))


def flag_messages(row: CommuneRow, field: str) -> list[Any]:
    """The row's flags about one field (whole-unit scope), worst first."""
    found = [f for f in row.flags if field in f.fields and f.scope in (None, "all")]
    return sorted(found, key=lambda f: -SEVERITY_RANK.get(f.severity, 0))


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


def _comment(text: str) -> Comment:
    comment = Comment(text, labels()["summary"]["comment_author"])
    comment.width = 320
    comment.height = max(80, 18 * (text.count("\n") + 2 + len(text) // 45))
    return comment


def _form_total(
    ws: Worksheet, r: int, first: int, cols: list[Column], last: int, book: Book, sheet: str
) -> None:
    """The total row: SUM formulas, so a figure corrected in the sheet flows into it, each
    with its value stored; a column no unit reports stays blank, not 0."""
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.cell(r, 1, labels()["summary"]["total_row"])
    for i in range(3, 3 + len(cols)):
        letter = get_column_letter(i)
        values = [ws.cell(rr, i).value for rr in range(first, r)]
        numbers = [v for v in values if isinstance(v, int | float)]
        if numbers:
            formula = f"=SUM({letter}{first}:{letter}{r - 1})"
            book.formula(ws, r, i, formula, sum(numbers)).number_format = FMT_COUNT
            book.mark(sheet, "total", cols[i - 3].key, ws, r, i)
    for c in range(1, last + 1):
        cell = ws.cell(r, c)
        cell.font = _font(bold=True, size=10)
        cell.fill = _TOTAL_FILL
        cell.border = _BORDER
    ws.cell(r, 1).alignment = Alignment(horizontal="center")


def _legend(ws: Worksheet, r: int) -> int:
    """What the colours mean, under the table; returns the next free row."""
    ws.cell(r, 2, "Chú thích:").font = _font(bold=True, size=10)
    legend = labels()["summary"]["legend"]
    for i, (swatch, text) in enumerate(legend, 1):
        cell = ws.cell(r + i, 2, swatch.get("text", ""))
        cell.font = _font(size=10, italic=swatch.get("italic", False))
        cell.border = _BORDER
        if "fill" in swatch:
            cell.fill = SEVERITY_FILLS.get(swatch["fill"]) or _MISSING_FILL
        ws.cell(r + i, 3, text).font = _font(italic=True, size=10)
    return r + len(legend) + 1


def _signature(ws: Worksheet, r: int, last: int, summary: DistrictSummary) -> None:
    """The preparer on the left, the head of the office on the right, as the form asks."""
    lab = labels()["form"]
    half = max(3, last // 2)
    place = summary.parent.name
    date = summary.notice.date
    when = (
        lab["date_line"].format(place=place, day=date.day, month=date.month, year=date.year)
        if date
        else lab["date_blank"].format(place=place, year=summary.notice.year or "……")
    )
    _merged(ws, r, half + 1, last, when, _font(italic=True), "center")
    if date is None:
        ws.cell(r, half + 1).fill = BLANK_FILL  # the officer fills the date in
    for k, (left, right) in enumerate(zip(lab["sign_left"], lab["sign_right"], strict=True), 1):
        _merged(ws, r + k, 1, half, left, _font(bold=k == 1, italic=k > 1), "center")
        _merged(ws, r + k, half + 1, last, right, _font(bold=k == 1, italic=k > 1), "center")


def _print_setup(ws: Worksheet, title_rows: str | None, landscape: bool = True) -> None:
    """A4, fitted to the page width, page numbers in the footer: the sheets are printed
    and signed."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = FONT
    if title_rows:
        ws.print_title_rows = title_rows


# ---------------------------------------------------------------- per field


def _fields_sheet(ws: Worksheet, summary: DistrictSummary, book: Book) -> None:
    """The form's layout with one line per field (hộ tịch, chứng thực …), each summed over
    the communes that give that field's figures."""
    lines = []
    for name, figures in summary.fields.items():
        values = Dossiers(**{k: f.value for k, f in figures.items()})
        units = max((len(f.units) for f in figures.values()), default=0)
        lines.append(
            FormLine(
                name[:1].upper() + name[1:],
                values,
                note=labels()["form"]["field_note"].format(n=units),
            )
        )
    _form_sheet(ws, summary, lines, "fields", book)
    ws.cell(HEAD, 2, labels()["form"]["field_col"])


# ---------------------------------------------------------------- rates


def _rates_sheet(ws: Worksheet, summary: DistrictSummary, book: Book) -> None:
    """Each measure: the rate each commune wrote, the tool's computation where it
    differs, the counts; the district's rate from summed counts with its coverage; why a
    cell is coloured, in the "Ghi chú" column."""
    lab = labels()["rates_sheet"]
    measures = [m for m, rate in summary.rates.items() if rate.communes or rate.target]
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    period = summary.period_label or period_label(summary.period_key) or ""
    put_text(ws.cell(2, 1), f"{summary.parent.committee} – {period}").font = _font(italic=True)
    top, sub = 4, 5
    for c, text in ((1, lab["index"]), (2, lab["unit"])):
        ws.merge_cells(start_row=top, start_column=c, end_row=sub, end_column=c)
        ws.cell(top, c, text)
    col = 3
    starts = {}
    for m in measures:
        starts[m] = col
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 2)
        ws.cell(top, col, measure_name(m))
        for j, text in enumerate(lab["subs"]):
            ws.cell(sub, col + j, text)
        col += 3
    ws.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
    ws.cell(top, col, lab["unclassified"])
    notes_col = col + 1
    last = notes_col
    ws.merge_cells(start_row=top, start_column=notes_col, end_row=sub, end_column=notes_col)
    ws.cell(top, notes_col, labels()["form"]["note"])
    r = sub + 1
    for n, row in enumerate(summary.communes, 1):
        ws.cell(r, 1, n)
        put_text(ws.cell(r, 2), unit_name(row.commune, row.level, capital=True))
        notes = []
        for m in measures:
            rate = row.rates.get(m)
            notes += _rate_cells(ws, r, starts[m], rate, row, summary.rates[m].target, book)
        if row.unclassified_rates:
            ws.cell(
                r,
                col,
                "; ".join(
                    format_vi(v, 2).rstrip("0").rstrip(",") + "%" for v in row.unclassified_rates
                ),
            )
        if notes:
            text = "\n".join(notes)
            cell = put_text(ws.cell(r, notes_col), text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = row_height([text], [RATE_NOTE_WIDTH], [1])
        if row.status == "missing":
            for c in range(1, last + 1):
                ws.cell(r, c).fill = _MISSING_FILL
        r += 1
    r = _district_rate_rows(ws, r, summary, measures, starts, book)
    for rr in range(top, r):
        for c in range(1, last + 1):
            cell = ws.cell(rr, c)
            cell.border = _BORDER
            if rr in (top, sub):
                cell.font = _font(bold=True, size=10)
                cell.fill = _HEADER_FILL
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            elif cell.font is None or not cell.font.bold:
                cell.font = _font(
                    size=10,
                    bold=cell.font.bold if cell.font else False,
                    color=cell.font.color.rgb
                    if cell.font and cell.font.color and isinstance(cell.font.color.rgb, str)
                    else None,
                )
    ws.row_dimensions[top].height = 32
    ws.row_dimensions[sub].height = 45
    ws.column_dimensions["A"].width = INDEX_WIDTH
    ws.column_dimensions["B"].width = UNIT_WIDTH
    for c in range(3, col):
        ws.column_dimensions[get_column_letter(c)].width = RATE_WIDTH
    ws.column_dimensions[get_column_letter(col)].width = RATE_UNCLASSIFIED_WIDTH
    ws.column_dimensions[get_column_letter(notes_col)].width = RATE_NOTE_WIDTH
    note = ws.cell(r + 1, 2, lab["note"])
    note.font = _font(italic=True, size=10)
    ws.freeze_panes = ws.cell(sub + 1, 3)
    _print_setup(ws, f"{top}:{sub}")


def _rate_cells(
    ws: Worksheet,
    r: int,
    c: int,
    rate: CommuneRate | None,
    row: CommuneRow,
    target: float | None,
    book: Book,
) -> list[str]:
    """A commune's rate of one measure; returns the notes the "Ghi chú" column says."""
    if rate is None:
        return []
    stated = ws.cell(r, c, rate.stated)
    stated.number_format = rate_format(rate.decimals)
    book.mark("rates", row.commune, f"{rate.measure}.stated", ws, r, c)
    computed = rate.computed
    rounded_up = (
        target is not None
        and rate.value is not None
        and rate.exact is not None
        and rate.exact < target <= rate.value
    )
    if rate.source == "computed" or rate.note or rounded_up:
        cell = ws.cell(r, c + 1, computed)
        cell.number_format = FMT_RATE
        book.mark("rates", row.commune, f"{rate.measure}.computed", ws, r, c + 1)
    if rate.numerator is not None and rate.denominator:
        ws.cell(r, c + 2, f"{format_vi(rate.numerator)}/{format_vi(rate.denominator)}")
    notes = []
    severity = row.flagged_fields.get(f"rate.{rate.measure}")
    if severity or rate.note:
        target_cell = stated if rate.stated is not None else ws.cell(r, c + 1)
        target_cell.fill = SEVERITY_FILLS.get(severity or "info")
        text = "\n".join(
            f"[{severity_label(f.severity)}] {f.message}"
            for f in row.flags
            if f"rate.{rate.measure}" in f.fields
        )
        target_cell.comment = _comment(text or rate.note or "")
        label = measure_name(rate.measure)
        said = rate.note or text
        notes.append(said if said.startswith(label) else f"{label}: {said}")
    if rounded_up:
        notes.append(
            labels()["rates_sheet"]["rounded_up"].format(
                label=measure_name(rate.measure),
                stated=fmt_stated_rate(rate.stated, rate.decimals),
                exact=fmt_rate(computed),
                target=fmt_rate(target),
            )
        )
    return notes


def _district_rate_rows(
    ws: Worksheet,
    r: int,
    summary: DistrictSummary,
    measures: list[str],
    starts: dict[str, int],
    book: Book,
) -> int:
    lab = labels()["rates_sheet"]
    reporting = sum(1 for row in summary.communes if row.status != "missing")
    level = summary.parent.level
    for text, fill in (
        (lab["district"].format(level=level), _TOTAL_FILL),
        (lab["target"], None),
        (lab["coverage"], None),
    ):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.cell(r, 1, text).font = _font(bold=True, size=10)
        for m in measures:
            rate, c = summary.rates[m], starts[m]
            if text == lab["target"]:
                cell = ws.cell(r, c + 1, rate.target)
                cell.number_format = FMT_RATE
                book.mark("rates", "target", m, ws, r, c + 1)
            elif text == lab["coverage"]:
                ws.cell(r, c + 1, f"{len(rate.units)}/{reporting}")
            else:
                cell = ws.cell(r, c + 1, rate.value)
                cell.number_format = FMT_RATE
                cell.font = _font(bold=True, size=10)
                book.mark("rates", "district", m, ws, r, c + 1)
                if rate.numerator is not None:
                    ws.cell(r, c + 2, f"{format_vi(rate.numerator)}/{format_vi(rate.denominator)}")
                    for part in ("numerator", "denominator"):
                        book.mark("rates", "district", f"{m}.{part}", ws, r, c + 2)
        if fill is not None:
            for c in range(1, max(starts.values(), default=2) + 3):
                ws.cell(r, c).fill = fill
        r += 1
    return r


# ---------------------------------------------------------------- TTHC control


def _activities_sheet(ws: Worksheet, summary: DistrictSummary, book: Book) -> None:
    """The counts beyond dossiers (procedures published and reviewed, feedback,
    communication, online services, payments, surveys), per unit, with their total,
    smallest, largest and how many units give each: what the notice's section on TTHC
    control states."""
    lab = labels()["activities"]
    names = [n for n in ACTIVITY_METRICS if n in summary.metrics]
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    period = summary.period_label or period_label(summary.period_key) or ""
    put_text(ws.cell(2, 1), f"{summary.parent.committee} – {period}").font = _font(italic=True)
    spec = activities_table(lab["index"], lab["unit"], {n: field_label(n) for n in names})
    rows = [
        {
            "index": n,
            "unit": unit_name(row.commune, row.level, capital=True),
            **{name: row.metrics.get(name) if row.status != "missing" else None for name in names},
        }
        for n, row in enumerate(summary.communes, 1)
    ]
    end = _table(ws, spec, rows, start=4)
    columns = len(spec.columns)
    first, last_row = 5, end - 1
    totals = (
        ("total", lab["total"], "SUM", lambda f: f.value),
        ("low", lab["low"], "MIN", lambda f: f.low),
        ("high", lab["high"], "MAX", lambda f: f.high),
        ("units", lab["units"], "COUNT", lambda f: len(f.units)),
    )
    for k, (key, text, function, value_of) in enumerate(totals):
        r = end + k
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        ws.cell(r, 1, text)
        for name in names:
            i, letter = spec.number(name), spec.letter(name)
            formula = f"={function}({letter}{first}:{letter}{last_row})"
            cell = book.formula(ws, r, i, formula, value_of(summary.metrics[name]))
            cell.number_format = FMT_COUNT
            book.mark("activities", key, name, ws, r, i)
        for c in range(1, columns + 1):
            cell = ws.cell(r, c)
            cell.font = _font(bold=True, size=10)
            cell.fill = _TOTAL_FILL
            cell.border = _BORDER
    for r in range(first, last_row + 1):
        if summary.communes[r - first].status == "missing":
            for c in range(1, columns + 1):
                ws.cell(r, c).fill = _MISSING_FILL
    ws.cell(end + len(totals) + 1, 2, lab["note"]).font = _font(italic=True, size=10)
    ws.row_dimensions[4].height = 58
    ws.freeze_panes = ws.cell(first, 3)
    _print_setup(ws, "4:4")


# ---------------------------------------------------------------- the notice's figures


def _statements_sheet(ws: Worksheet, summary: DistrictSummary, book: Book) -> None:
    """Every figure the draft notice states: what it counts, its value, the units it
    covers and those it leaves out with the reason, and the cells of the other sheets
    that show it. Written last, when every place has its cell."""
    lab = labels()["statements"]
    levels = {r.commune: r.level for r in summary.communes}
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    period = summary.period_label or period_label(summary.period_key) or ""
    put_text(ws.cell(2, 1), f"{summary.parent.committee} – {period}").font = _font(italic=True)
    ws.cell(3, 1, lab["note"]).font = _font(italic=True, size=10)
    rows = []
    for n, st in enumerate(summary.statements, 1):
        reasons: dict[str, list[str]] = {}
        for commune, why in st.left_out.items():
            reasons.setdefault(why, []).append(unit_name(commune, levels.get(commune)))
        left = "; ".join(f"{join_units(units)} ({why})" for why, units in reasons.items())
        cells = [
            book.cells[key] for p in st.places if (key := (p.sheet, p.row, p.column)) in book.cells
        ]
        rows.append(
            {
                "index": n,
                "label": st.label,
                "value": st.value,
                "unit": st.unit,
                "units": len(st.units) or None,
                "left_out": left,
                "cells": ", ".join(cells),
                "key": st.key,
            }
        )
    end = _table(ws, STATEMENTS, rows, start=5)
    value = STATEMENTS.number("value")
    for r, st in zip(range(6, end), summary.statements, strict=True):
        ws.cell(r, value).number_format = FMT_RATE if st.unit == "%" else FMT_COUNT
    ws.freeze_panes = "C6"
    ws.auto_filter.ref = f"A5:{get_column_letter(len(STATEMENTS.columns))}{max(end - 1, 5)}"
    ws.row_dimensions[5].height = 30
    _print_setup(ws, "5:5")


# ---------------------------------------------------------------- previous period


def _comparison_sheet(ws: Worksheet, summary: DistrictSummary, book: Book) -> None:
    lab = labels()["comparison"]
    previous = period_label(summary.previous_period_key) or "kỳ trước"
    ws.cell(1, 1, lab["title"].format(previous=previous)).font = _font(bold=True, size=13)
    keys = list(lab["columns"])
    heads = [text.format(previous=previous) for text in lab["subs"]]
    spec = comparison_table(lab["index"], lab["unit"], heads, keys)
    rows = []
    for n, row in enumerate(summary.communes, 1):
        values: dict[str, Any] = {
            "index": n,
            "unit": unit_name(row.commune, row.level, capital=True),
        }
        for key in keys:
            now = getattr(row.dossiers, key) if row.status != "missing" else None
            before = getattr(row.previous, key) if row.previous is not None else None
            values |= _comparison_parts(key, before, now, row.change.get(key))
        rows.append(values)
    comparison = summary.comparison
    total: dict[str, Any] = {
        "index": "",
        "unit": lab["total"].format(n=comparison.covered, of=comparison.reporting),
    }
    lines = {line.key: line for line in comparison.lines}
    for key in keys:
        line = lines.get(key)
        parts = (line.previous, line.current, line.change) if line else (None, None, None)
        total |= _comparison_parts(key, *parts)
    rows.append(total)
    end = _table(ws, spec, rows, start=3)
    for c in range(1, len(spec.columns) + 1):
        ws.cell(end - 1, c).font = _font(bold=True, size=10)
        ws.cell(end - 1, c).fill = _TOTAL_FILL
    for key in keys:
        for part in COMPARISON_PARTS:
            column = spec.number(f"{key}.{part}")
            book.mark("comparison", "total", f"{key}.{part}", ws, end - 1, column)
    for key in keys:
        ws.cell(2, spec.number(f"{key}.previous"), lab["columns"][key]).font = _font(
            bold=True, size=10
        )
    ws.row_dimensions[3].height = 45
    _print_setup(ws, "3:3")


def _comparison_parts(key: str, *values: Any) -> dict[str, Any]:
    """A figure's previous value, current value and change, by their columns' keys."""
    return {f"{key}.{part}": v for part, v in zip(COMPARISON_PARTS, values, strict=True)}


# ---------------------------------------------------------------- simple tables


def _table(
    ws: Worksheet,
    spec: Table,
    rows: Sequence[Mapping[str, Any]],
    start: int = 1,
    widths: Sequence[float] | None = None,
) -> int:
    """A header row and data rows (column key → value) with borders, laid out by the
    spec: its headers, widths, wrapped columns and number formats. `widths` are given for
    a table on the columns of the one above it. Returns the next free row."""
    lines = [spec.sheet_line(row) for row in rows]
    if widths is None:
        widths = spec.widths(lines)
    wrap = spec.wrapped()
    formats = [c.fmt for c in spec.columns]
    for c, text in enumerate(spec.headers(), 1):
        cell = ws.cell(start, c, text)
        cell.font = _font(bold=True, size=10)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = start + 1
    for values in lines:
        for c, value in enumerate(values, 1):
            cell = put_text(ws.cell(r, c), value)
            cell.font = _font(size=10)
            cell.border = _BORDER
            cell.alignment = Alignment(
                vertical="top", wrap_text=c in wrap, horizontal="center" if c == 1 else None
            )
            if formats[c - 1] is not None:
                cell.number_format = formats[c - 1]
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


def _file_formats(summary: DistrictSummary) -> dict[str, str]:
    return {Path(o.path).name: Path(o.path).suffix.lstrip(".").lower() for o in summary.outcomes}


def flag_table(summary: DistrictSummary) -> list[dict[str, Any]]:
    """One row per flag, by the keys of the FLAGS columns (sheet and CSV alike)."""
    levels = {r.commune: r.level for r in summary.communes}
    periods = {r.commune: r.period_label for r in summary.communes}
    default = summary.period_label or period_label(summary.period_key) or ""
    codes = flag_words().codes
    formats = _file_formats(summary)
    out = []
    for n, row in enumerate(summary.flags, 1):
        f = row.flag
        # a flag of no period of its own (a citation) is of the report's period
        period = f.period or period_label(f.period_key) or periods.get(row.commune or "")
        out.append(
            {
                "index": n,
                "unit": unit_name(row.commune, levels.get(row.commune or ""), capital=True)
                or "(chưa xác định)",
                "file": row.file,
                "period": period or default,
                "severity": severity_label(f.severity),
                "code": f.code,
                "kind": codes.get(f.code, ""),
                "message": f.message,
                "fields": ", ".join(label_of(x) for x in f.fields),
                "expected": fmt_value(f.expected),
                "actual": fmt_value(f.actual),
                "suggestion": f.suggestion or "",
                "evidence": fmt_evidence(f.evidence, formats.get(row.file)),
            }
        )
    return out


def _flags_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    rows = flag_table(summary)
    end = _table(ws, FLAGS, rows)
    severity = FLAGS.number("severity")
    for r, flag_row in enumerate(summary.flags, 2):
        cell = ws.cell(r, severity)
        cell.fill = SEVERITY_FILLS.get(flag_row.flag.severity, SEVERITY_FILLS["warning"])
        cell.font = _font(bold=True, size=10, color=_SEVERITY_FONTS.get(flag_row.flag.severity))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FLAGS.columns))}{max(end - 1, 1)}"
    ws.row_dimensions[1].height = 30
    _corrections_table(ws, summary, end + 1)
    _print_setup(ws, "1:1")


def correction_table(summary: DistrictSummary) -> list[dict[str, Any]]:
    """One row per correction in force, under the flags: what, the value the report gave
    and the one used, the flag it settled, why, who and when (by CORRECTIONS' keys)."""
    words = labels()["corrections"]
    out = []
    for row in summary.communes:
        for c in row.corrections:
            out.append(
                {
                    "index": len(out) + 1,
                    "unit": unit_name(row.commune, row.level, capital=True),
                    "files": ", ".join(row.files),
                    "kind": words[c.kind],
                    "field": label_of(c.field) + ("" if c.scope == "all" else f" ({c.scope})")
                    if c.field
                    else "",
                    "before": fmt_count(c.before) if c.field else "",
                    "after": fmt_count(c.after) if c.field else "",
                    "flag": c.flag_text or "",
                    "why": c.why,
                    "who": c.who,
                    "at": f"{c.at:%H:%M %d/%m/%Y}",
                }
            )
    return out


def _corrections_table(ws: Worksheet, summary: DistrictSummary, r: int) -> None:
    """Under the flags, on their columns: the widths are those the flags' table set."""
    rows = correction_table(summary)
    if not rows:
        return
    columns = range(1, len(CORRECTIONS.columns) + 1)
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in columns]
    ws.cell(r, 1, labels()["corrections"]["title"]).font = _font(bold=True, size=11)
    _table(ws, CORRECTIONS, rows, r + 1, widths)


# ---------------------------------------------------------------- ranks


def _ranks_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    lab = labels()["ranks"]
    levels = {r.commune: r.level for r in summary.communes}
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    value = RANKS.number("value")
    r = 3
    for name, items in summary.ranks.items():
        spec = lab["names"].get(name, {"title": name, "unit": ""})
        ws.cell(r, 1, f"{spec['title']} ({spec['unit']})").font = _font(bold=True, size=11)
        rows = [
            {
                "rank": k,
                "unit": unit_name(i.commune, levels.get(i.commune), capital=True),
                "value": i.value,
            }
            for k, i in enumerate(items, 1)
        ]
        end = _table(ws, RANKS.only("rank", "unit", "value"), rows, start=r + 1)
        for rr in range(r + 2, end):
            ws.cell(rr, value).number_format = FMT_RATE if spec["unit"] == "%" else FMT_COUNT
        r = end + 1
    for measure, rate in summary.rates.items():
        if rate.target is None or not rate.communes:
            continue
        title = lab["below_title"].format(
            measure=measure_name(measure), target=format_vi(rate.target, 0) + "%"
        )
        ws.cell(r, 1, title).font = _font(bold=True, size=11)
        if not rate.below:
            ws.cell(r + 1, 1, lab["none_below"]).font = _font(italic=True, size=10)
            r += 3
            continue
        rows = [
            {
                "rank": k,
                "unit": unit_name(i.commune, levels.get(i.commune), capital=True),
                "value": i.value,
                "target": rate.target,
                "assessment": lab["below"],
            }
            for k, i in enumerate(rate.below, 1)
        ]
        end = _table(ws, RANKS, rows, start=r + 1)
        for rr, item in zip(range(r + 2, end), rate.below, strict=False):
            ws.cell(rr, value).number_format = (
                rate_format(item.decimals) if item.source == "stated" else FMT_RATE
            )
            ws.cell(rr, RANKS.number("assessment")).fill = SEVERITY_FILLS["warning"]
        r = end + 1
    _print_setup(ws, None, landscape=False)


# ---------------------------------------------------------------- senders and files


def _senders_sheet(ws: Worksheet, summary: DistrictSummary, book: Book) -> None:
    lab = labels()["senders"]
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    period = summary.period_label or period_label(summary.period_key) or ""
    put_text(ws.cell(2, 1), f"{summary.parent.committee} – {period}").font = _font(italic=True)
    if not summary.roster_given:
        ws.cell(3, 1, lab["no_roster"]).font = _font(italic=True, size=10)
    rows = [
        {
            "index": n,
            "unit": unit_name(s.commune, s.level, capital=True),
            "status": lab["status"][s.status],
            "files": ", ".join(s.files),
            "reasons": "; ".join(s.reasons),
        }
        for n, s in enumerate(summary.senders, 1)
    ]
    end = _table(ws, SENDERS, rows, start=4)
    status = SENDERS.number("status")
    for r, sender in zip(range(5, end), summary.senders, strict=True):
        book.mark("senders", sender.commune, "status", ws, r, status)
        if sender.status in _STATUS_FILLS:
            ws.cell(r, status).fill = _STATUS_FILLS[sender.status]
    _print_setup(ws, "4:4")


def outcome_table(summary: DistrictSummary) -> list[dict[str, Any]]:
    """One row per file, by the keys of the FILES columns (sheet and CSV alike)."""
    levels = {r.commune: r.level for r in summary.communes}
    lab = labels()
    return [
        {
            "index": n,
            "file": Path(o.path).name,
            "unit": unit_name(o.commune, levels.get(o.commune or ""), capital=True),
            "written_name": o.written_name or "",
            "match_score": o.match_score,
            "period": period_label(o.period_key) or "",
            "status": lab["files"]["status"].get(o.status, o.status),
            "figures": lab["files"]["figures"].format(n=o.figures_read, m=o.figures_seen)
            if o.figures_read is not None
            else "",
            "reason": with_technical(o.reason or "", o.technical),
            "flags": o.flags,
            "reused": lab["files"]["yes"] if o.reused else lab["files"]["no"],
            "sha256": o.sha256 or "",
        }
        for n, o in enumerate(summary.outcomes, 1)
    ]


def _files_sheet(ws: Worksheet, summary: DistrictSummary) -> None:
    end = _table(ws, FILES, outcome_table(summary))
    status = FILES.number("status")
    for r, outcome in enumerate(summary.outcomes, 2):
        _status_fill(ws.cell(r, status), outcome)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FILES.columns))}{max(end - 1, 1)}"
    ws.row_dimensions[1].height = 30
    _print_setup(ws, "1:1")


def _status_fill(cell: Any, outcome: FileOutcome) -> None:
    if outcome.status in _STATUS_FILLS:
        cell.fill = _STATUS_FILLS[outcome.status]


# ---------------------------------------------------------------- CSV
