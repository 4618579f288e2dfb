"""Write an export of the provincial TTHC information system, as vendors print it.

The national form "Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết
TTHC" (Biểu số 06/VPCP/KSTT): a title block (the reporting unit, "Từ ngày … đến ngày …"), a
three-row merged header over the 13 columns and a numbering row (1)…(13), then one row per
unit under group rows. The vendors' variations are options of `ExportStyle`: names written
"UBND xã X - tỉnh Y", provincial agencies and land-registry branches in groups of their own,
a section per system ("Trên Hệ thống các Bộ", "Trên Hệ thống tỉnh") with each unit's figures
split between them, rate columns (15 columns), and the HTML table a web system saves under
an .xls name. The district generator writes one with the true figures
(corpus/generate.py --system); corpus/system_fixtures.py writes the vendor fixtures.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = (
    "received_total",
    "received_online",
    "received_offline",
    "received_carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
)
PARTS = ("received_carried_over", "received_online", "received_offline", "resolved_early",
         "resolved_on_time", "resolved_late", "pending_in_time", "pending_overdue")  # fmt: skip


@dataclass
class ExportUnit:
    name: str
    level: str  # xã | phường | thị trấn
    figures: dict[str, int]  # the 11 figures of the form


@dataclass
class ExportStyle:
    fmt: str = "xlsx"  # xlsx | html (an HTML table saved as .xls)
    names: str = "plain"  # plain: "Xã Tân Hòa"; ubnd: "UBND xã Tân Hòa"; province: "… - tỉnh Y"
    agencies: bool = False  # provincial agencies and land-registry branches in their own groups
    sections: tuple[str, ...] = ()  # one section per system, each unit's figures split
    rates: bool = False  # rate columns after the received and resolved groups
    bold_groups: bool = True
    numbering: bool = True


@dataclass
class Export:
    province: str
    reporting: str  # "UBND tỉnh Bình Lĩnh"
    period_label: str
    start: dt.date
    end: dt.date
    units: list[ExportUnit]
    style: ExportStyle = field(default_factory=ExportStyle)


def completed(parts: dict[str, int]) -> dict[str, int]:
    """The 11 figures from the independent parts (the totals add up by construction)."""
    out = {k: parts.get(k, 0) for k in PARTS}
    out["received_total"] = (
        out["received_carried_over"] + out["received_online"] + out["received_offline"]
    )
    out["resolved_total"] = out["resolved_early"] + out["resolved_on_time"] + out["resolved_late"]
    out["pending_total"] = out["pending_in_time"] + out["pending_overdue"]
    return {k: out[k] for k in FIELDS}


def split(figures: dict[str, int], share: float) -> tuple[dict[str, int], dict[str, int]]:
    """A unit's figures in two systems: each part divided, the totals recomputed."""
    first = {k: int(figures[k] * share) for k in PARTS}
    second = {k: figures[k] - first[k] for k in PARTS}
    return completed(first), completed(second)


def _name(unit: ExportUnit, style: ExportStyle, province: str) -> str:
    level = unit.level[:1].upper() + unit.level[1:]
    if style.names == "plain":
        return f"{level} {unit.name}"
    text = f"UBND {unit.level} {unit.name}"
    return f"{text} - tỉnh {province}" if style.names == "province" else text


def _columns(style: ExportStyle) -> list[tuple[str, str, str]]:
    """(group, sub, label) of each figure column; a rate column's field is ''."""
    r = "Số hồ sơ nhận giải quyết"
    d = "Số hồ sơ đã giải quyết"
    p = "Số hồ sơ đang giải quyết"
    cols = [
        (r, "Tổng số", "Tổng số"),
        (r, "Trong đó", "Số mới tiếp nhận trực tuyến"),
        (r, "Trong đó", "Số mới tiếp nhận trực tiếp, qua dịch vụ bưu chính công ích"),
        (r, "Trong đó", "Số từ kỳ trước chuyển qua"),
    ]
    if style.rates:
        cols.append((r, "Tỷ lệ (%)", "Tỷ lệ tiếp nhận trực tuyến"))
    cols += [
        (d, "Tổng số", "Tổng số"),
        (d, "Trong đó", "Trả trước hạn"),
        (d, "Trong đó", "Trả đúng hạn"),
        (d, "Trong đó", "Trả quá hạn"),
    ]
    if style.rates:
        cols.append((d, "Tỷ lệ (%)", "Tỷ lệ giải quyết trước hạn, đúng hạn"))
    cols += [(p, "Tổng số", "Tổng số"), (p, "Trong đó", "Trong hạn"), (p, "Trong đó", "Quá hạn")]
    return cols


def _values(figures: dict[str, int], style: ExportStyle) -> list[float | int | None]:
    out: list[float | int | None] = [figures[k] for k in FIELDS[:4]]
    if style.rates:
        new = figures["received_online"] + figures["received_offline"]
        out.append(round(100 * figures["received_online"] / new, 2) if new else None)
    out += [figures[k] for k in FIELDS[4:8]]
    if style.rates:
        done = figures["resolved_total"]
        good = figures["resolved_early"] + figures["resolved_on_time"]
        out.append(round(100 * good / done, 2) if done else None)
    out += [figures[k] for k in FIELDS[8:]]
    return out


def _agencies(province: str) -> list[tuple[str, list[tuple[str, dict[str, int]]]]]:
    sample = completed(
        {"received_online": 120, "received_offline": 40, "resolved_early": 150,
         "resolved_on_time": 5, "pending_in_time": 5}
    )  # fmt: skip
    branch = completed(
        {"received_online": 30, "received_offline": 210, "resolved_early": 180,
         "resolved_on_time": 20, "resolved_late": 12, "pending_in_time": 28}
    )  # fmt: skip
    return [
        ("Sở, ban, ngành", [("Sở Tư pháp", sample), ("Sở Nội vụ", sample)]),
        (
            "Chi nhánh Văn phòng đăng ký đất đai",
            [(f"Chi nhánh Văn phòng đăng ký đất đai khu vực I tỉnh {province}", branch)],
        ),
    ]


def table_rows(export: Export) -> list[tuple[str, str, list, bool]]:
    """(STT, label, values, bold) of every row under the header."""
    style = export.style
    rows: list[tuple[str, str, list, bool]] = []
    blocks: list[tuple[str | None, dict[str, dict[str, int]]]] = []
    if style.sections:
        halves = {u.name: split(u.figures, 0.3) for u in export.units}
        for k, section in enumerate(style.sections[:2]):
            blocks.append((section, {u.name: halves[u.name][k] for u in export.units}))
    else:
        blocks.append((None, {u.name: u.figures for u in export.units}))
    roman = iter(("I", "II", "III", "IV", "V", "VI"))
    for section, figures in blocks:
        if section:
            rows.append((next(roman), section, [], True))
        if style.agencies:
            for group, members in _agencies(export.province):
                rows.append(("A" if not section else "", group, [], style.bold_groups))
                for n, (name, values) in enumerate(members, 1):
                    rows.append((str(n), name, _values(values, style), False))
        rows.append(("" if section else "B" if style.agencies else "I", "Xã, phường, thị trấn",
                     [], style.bold_groups))  # fmt: skip
        for n, unit in enumerate(export.units, 1):
            rows.append(
                (
                    str(n),
                    _name(unit, style, export.province),
                    _values(figures[unit.name], style),
                    False,
                )
            )
    return rows


def _title(export: Export) -> list[str]:
    return [
        export.reporting.upper(),
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI "
        "QUYẾT THỦ TỤC HÀNH CHÍNH",
        f"Kỳ báo cáo: {export.period_label} (Từ ngày {export.start:%d/%m/%Y} đến ngày "
        f"{export.end:%d/%m/%Y})",
        f"Đơn vị báo cáo: {export.reporting}",
    ]


def write_export(path: Path, export: Export) -> Path:
    if export.style.fmt == "html":
        return _write_html(path, export)
    return _write_xlsx(path, export)


def _write_xlsx(path: Path, export: Export) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    style = export.style
    cols = _columns(style)
    width = 2 + len(cols)
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 06"
    for r, text in enumerate(_title(export), 1):
        ws.cell(r, 1, text).font = Font(bold=r <= 2)
        if r > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.cell(1, width - 1, "Biểu số 06/VPCP/KSTT")
    top = len(_title(export)) + 2
    ws.cell(top, 1, "STT")
    ws.cell(top, 2, "Đơn vị")
    ws.merge_cells(start_row=top, start_column=1, end_row=top + 2, end_column=1)
    ws.merge_cells(start_row=top, start_column=2, end_row=top + 2, end_column=2)
    c = 3
    while c < 3 + len(cols):
        group = cols[c - 3][0]
        end = c
        while end + 1 < 3 + len(cols) and cols[end + 1 - 3][0] == group:
            end += 1
        ws.cell(top, c, group)
        ws.merge_cells(start_row=top, start_column=c, end_row=top, end_column=end)
        k = c
        while k <= end:
            sub = cols[k - 3][1]
            if sub != "Trong đó":
                ws.cell(top + 1, k, cols[k - 3][2] if sub.startswith("Tỷ lệ") else sub)
                ws.merge_cells(start_row=top + 1, start_column=k, end_row=top + 2, end_column=k)
                k += 1
                continue
            last = k
            while last + 1 <= end and cols[last + 1 - 3][1] == "Trong đó":
                last += 1
            ws.cell(top + 1, k, "Trong đó")
            if last > k:
                ws.merge_cells(start_row=top + 1, start_column=k, end_row=top + 1, end_column=last)
            for j in range(k, last + 1):
                ws.cell(top + 2, j, cols[j - 3][2])
            k = last + 1
        c = end + 1
    for r in range(top, top + 3):
        for j in range(1, width + 1):
            ws.cell(r, j).alignment = Alignment(wrap_text=True, horizontal="center")
            ws.cell(r, j).font = Font(bold=True)
    r = top + 3
    if style.numbering:
        for j in range(1, width + 1):
            ws.cell(r, j, f"({j})")
        r += 1
    for index, label, values, bold in table_rows(export):
        ws.cell(r, 1, index or None)
        ws.cell(r, 2, label).font = Font(bold=bold)
        for j, v in enumerate(values, 3):
            ws.cell(r, j, v)
        r += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _write_html(path: Path, export: Export) -> Path:
    """The HTML a web system saves as .xls: a table with rowspan/colspan header cells."""
    style = export.style
    cols = _columns(style)
    out = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
           "</head><body>"]  # fmt: skip
    out += [f"<p><b>{html.escape(t)}</b></p>" for t in _title(export)]
    out.append('<table border="1">')
    groups: list[tuple[str, int]] = []
    for g, _, _ in cols:
        if groups and groups[-1][0] == g:
            groups[-1] = (g, groups[-1][1] + 1)
        else:
            groups.append((g, 1))
    head = ['<tr><th rowspan="3">STT</th><th rowspan="3">Đơn vị</th>']
    head += [f'<th colspan="{n}">{html.escape(g)}</th>' for g, n in groups]
    out.append("".join(head) + "</tr>")
    second, third = [], []
    i = 0
    while i < len(cols):
        g, sub, label = cols[i]
        if sub != "Trong đó":
            text = label if sub.startswith("Tỷ lệ") else sub
            second.append(f'<th rowspan="2">{html.escape(text)}</th>')
            i += 1
            continue
        j = i
        while j + 1 < len(cols) and cols[j + 1][1] == "Trong đó" and cols[j + 1][0] == g:
            j += 1
        second.append(f'<th colspan="{j - i + 1}">Trong đó</th>')
        third += [f"<th>{html.escape(cols[k][2])}</th>" for k in range(i, j + 1)]
        i = j + 1
    out.append("<tr>" + "".join(second) + "</tr>")
    out.append("<tr>" + "".join(third) + "</tr>")
    if style.numbering:
        out.append("<tr>" + "".join(f"<td>({j})</td>" for j in range(1, len(cols) + 3)) + "</tr>")
    for index, label, values, bold in table_rows(export):
        name = f"<b>{html.escape(label)}</b>" if bold else html.escape(label)
        cells = "".join("<td></td>" if v is None else f"<td>{_html_number(v)}</td>" for v in values)
        out.append(f"<tr><td>{html.escape(index)}</td><td>{name}</td>{cells}</tr>")
    out.append("</table></body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def _html_number(v: float | int) -> str:
    if isinstance(v, float):
        return f"{v:.2f}".replace(".", ",")
    return f"{v:,}".replace(",", ".")
