"""The workbook's "Đối chiếu hệ thống" sheet: each unit's figures as its report states them,
as the provincial TTHC information system's export counts them, and the difference.

One line per roster unit (a unit that sent no readable report shows the system's figures
alone), one group of three columns per figure of the export (báo cáo ghi, Hệ thống ghi,
chênh lệch = báo cáo − Hệ thống, a formula stored with its value). A difference is yellow,
one explained by the counting convention blue, with the reason in "Ghi chú". When the
export could not be compared, the sheet says why. Like every writer here it prints what
consolidation computed and nothing else.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tthc.render.columns import (
    CROSSCHECK,
    CROSSCHECK_FIGURE,
    CROSSCHECK_NOTE,
    FMT_COUNT_CHANGE,
)
from tthc.render.workbook import (
    _BORDER,
    _HEADER_FILL,
    _MISSING_FILL,
    SEVERITY_FILLS,
    Book,
    _font,
    _print_setup,
    row_height,
)
from tthc.schemas.names import field_label
from tthc.schemas.summary import CrossCheck, CrossUnit, DistrictSummary
from tthc.textkit.safe_io import put_text
from tthc.wording import labels, unit_name

DIFFERS_FILL = SEVERITY_FILLS["warning"]
CONVENTION_FILL = SEVERITY_FILLS["info"]
FIRST = len(CROSSCHECK.columns) + 1  # the first figure column


def write_crosscheck_sheet(ws: Worksheet, summary: DistrictSummary, book: Book) -> None:
    check = summary.crosscheck
    if check is None:
        return
    lab = labels()["crosscheck"]
    ws.cell(1, 1, lab["title"]).font = _font(bold=True, size=13)
    put_text(ws.cell(2, 1), _source(check)).font = _font(italic=True)
    if check.status != "compared":
        cell = put_text(ws.cell(4, 1), lab["no_comparison"].format(reason=check.reason or ""))
        cell.font = _font(bold=True, size=11, color="9C0006")
        ws.column_dimensions["A"].width = 120
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return
    for r, key, label in ((3, "units", "units_label"), (4, "differing", "differing_label")):
        ws.cell(r, 2, lab[label]).font = _font(bold=True, size=10)
        value = len(check.differing) if key == "differing" else _compared(check)
        ws.cell(r, 4, value).font = _font(bold=True, size=10)
        book.mark("crosscheck", "summary", key, ws, r, 4)
    top, sub = 6, 7
    columns = check.columns
    last = FIRST + 3 * len(columns)  # the note column
    for c, text in enumerate(CROSSCHECK.headers(), 1):
        ws.merge_cells(start_row=top, start_column=c, end_row=sub, end_column=c)
        ws.cell(top, c, text)
    for j, name in enumerate(columns):
        c = FIRST + 3 * j
        ws.merge_cells(start_row=top, start_column=c, end_row=top, end_column=c + 2)
        ws.cell(top, c, field_label(name))
        for k, text in enumerate(lab["subs"]):
            ws.cell(sub, c + k, text)
    ws.merge_cells(start_row=top, start_column=last, end_row=sub, end_column=last)
    ws.cell(top, last, lab["note"])
    for r in (top, sub):
        for c in range(1, last + 1):
            cell = ws.cell(r, c)
            cell.font = _font(bold=True, size=9)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r = sub + 1
    levels = {row.commune: row.level for row in summary.communes}
    status_words = labels()["senders"]["status"]
    for n, unit in enumerate(check.units, 1):
        _unit_row(ws, r, n, unit, columns, last, levels, status_words, book)
        r += 1
    r += 1
    if check.unmatched:
        text = lab["unmatched"].format(names="; ".join(check.unmatched))
        put_text(ws.cell(r, 2), text).font = _font(italic=True, size=10)
        r += 1
    ws.cell(r, 2, lab["legend"]).font = _font(italic=True, size=10)
    widths = [*CROSSCHECK.widths([]), *([CROSSCHECK_FIGURE.width] * (last - FIRST))]
    for c, width in enumerate([*widths, CROSSCHECK_NOTE.width], 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[top].height = 45
    ws.row_dimensions[sub].height = 30
    ws.freeze_panes = ws.cell(sub + 1, FIRST)
    _print_setup(ws, f"{top}:{sub}")


def _compared(check: CrossCheck) -> int:
    return sum(1 for u in check.units if u.values and u.status in ("read", "partial"))


def _source(check: CrossCheck) -> str:
    lab = labels()["crosscheck"]
    sections = lab["sections"].format(names="; ".join(check.sections)) if check.sections else ""
    return lab["source"].format(
        file=check.file,
        unit=f" – {check.reporting_unit}" if check.reporting_unit else "",
        period=f" – {check.period_label}" if check.period_label else "",
        sections=sections,
    )


def _unit_row(
    ws: Worksheet,
    r: int,
    n: int,
    unit: CrossUnit,
    columns: list[str],
    last: int,
    levels: dict[str, str],
    status_words: dict[str, str],
    book: Book,
) -> None:
    lab = labels()["crosscheck"]
    ws.cell(r, 1, n).alignment = Alignment(horizontal="center", vertical="top")
    put_text(ws.cell(r, 2), unit_name(unit.commune, levels.get(unit.commune), capital=True))
    put_text(ws.cell(r, 3), status_words.get(unit.status, unit.status))
    put_text(ws.cell(r, 4), "; ".join(unit.written) or lab["not_in_export"])
    values = {v.field: v for v in unit.values}
    notes = [unit.note] if unit.note else []
    reported = unit.status in ("read", "partial")
    for j, name in enumerate(columns):
        c = FIRST + 3 * j
        v = values.get(name)
        if v is None:
            continue
        if reported:
            ws.cell(r, c, v.stated).number_format = CROSSCHECK_FIGURE.fmt
            book.mark("crosscheck", unit.commune, f"{name}.stated", ws, r, c)
        ws.cell(r, c + 1, v.system).number_format = CROSSCHECK_FIGURE.fmt
        book.mark("crosscheck", unit.commune, f"{name}.system", ws, r, c + 1)
        if v.difference is not None:
            a, b = get_column_letter(c), get_column_letter(c + 1)
            cell = book.formula(ws, r, c + 2, f"={a}{r}-{b}{r}", v.difference)
            cell.number_format = FMT_COUNT_CHANGE
        fill: PatternFill | None = {"differs": DIFFERS_FILL, "convention": CONVENTION_FILL}.get(
            v.kind
        )
        if fill is not None:
            for k in (0, 2):
                ws.cell(r, c + k).fill = fill
    if reported:
        missing = [field_label(v.field).lower() for v in unit.values if v.kind == "not_stated"]
        if missing:
            notes.append(
                f"{lab['not_stated'][:1].upper()}{lab['not_stated'][1:]}: {', '.join(missing)}."
            )
    note = "\n".join(notes)
    put_text(ws.cell(r, last), note)
    for c in range(1, last + 1):
        cell = ws.cell(r, c)
        cell.border = _BORDER
        cell.font = _font(size=9, italic=not reported)
        if not reported and cell.fill.fgColor.rgb in (None, "00000000"):
            cell.fill = _MISSING_FILL
    for c in CROSSCHECK.wrapped() + ((last,) if CROSSCHECK_NOTE.wrap else ()):
        ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    if note:
        ws.row_dimensions[r].height = row_height([note], [CROSSCHECK_NOTE.width], [1])
