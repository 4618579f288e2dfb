"""The vendor-variation fixtures of the system's export, and communes' own forms.

    python3 -m corpus.system_fixtures [--out corpus/fixtures/system]

Writes each fixture and `expected.json`: for every file, whether tthc must read it (and
what it must find: the period, each commune's figures, the sections summed, the columns set
aside) or refuse it (and a word of the reason). The figures and names are the project's
own; the layouts are the vendors' as domain.md describes them: a three-row merged header,
group rows for provincial agencies and land-registry branches, a section per system with
each unit's figures split, rate columns widening the form to 15 columns, an HTML table saved
as .xls, an Excel 97-2003 .xls (converted by LibreOffice when it is installed), names written
"UBND xã X - tỉnh Y", another period, and a unit whose system counts its returned dossiers as
resolved on time. The output depends only on this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from corpus.system_export import Export, ExportStyle, ExportUnit, completed, split, write_export

OUT = Path(__file__).resolve().parent / "fixtures" / "system"
PROVINCE = "Bình Lĩnh"
Q3 = ("Quý III năm 2025", dt.date(2025, 7, 1), dt.date(2025, 9, 14))
Q2 = ("Quý II năm 2025", dt.date(2025, 3, 15), dt.date(2025, 6, 14))

# The fixture district's roster: three communes of the province, Quý III/2025.
ROSTER = [("Tân Hòa", "xã"), ("Đông Sơn", "phường"), ("An Phú", "xã")]
FIGURES = {
    "Tân Hòa": completed(
        {"received_carried_over": 5, "received_online": 52, "received_offline": 63,
         "resolved_early": 96, "resolved_on_time": 8, "resolved_late": 2,
         "pending_in_time": 13, "pending_overdue": 1}
    ),
    "Đông Sơn": completed(
        {"received_carried_over": 12, "received_online": 310, "received_offline": 95,
         "resolved_early": 371, "resolved_on_time": 20, "resolved_late": 0,
         "pending_in_time": 26, "pending_overdue": 0}
    ),
    "An Phú": completed(
        {"received_carried_over": 0, "received_online": 41, "received_offline": 77,
         "resolved_early": 90, "resolved_on_time": 15, "resolved_late": 4,
         "pending_in_time": 9, "pending_overdue": 0}
    ),
}  # fmt: skip
# An Phú keeps 6 returned dossiers apart in its report; the "returns" fixture's system counts
# them as resolved on time.
AN_PHU_RETURNED = 6


def _units(figures: dict[str, dict[str, int]] | None = None) -> list[ExportUnit]:
    figures = figures or FIGURES
    return [ExportUnit(name, level, dict(figures[name])) for name, level in ROSTER]


def _export(style: ExportStyle, period=Q3, figures=None) -> Export:
    return Export(PROVINCE, f"UBND tỉnh {PROVINCE}", *period, _units(figures), style)


def _read(expected_units: dict[str, dict[str, int]] | None = None, **more) -> dict:
    return {
        "read": True,
        "period_key": "2025-Q3",
        "units": expected_units or {n: dict(f) for n, f in FIGURES.items()},
        **more,
    }


def build(out: Path = OUT) -> dict[str, dict]:
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict] = {}

    write_export(out / "merged_header.xlsx", _export(ExportStyle()))
    expected["merged_header.xlsx"] = _read(sections=[], ignored_columns=0)

    write_export(out / "group_rows.xlsx", _export(ExportStyle(names="ubnd", agencies=True)))
    expected["group_rows.xlsx"] = _read(
        sections=[], ignored_columns=0, note="agencies and land-registry branch are not communes"
    )

    style = ExportStyle(names="ubnd", sections=("Trên Hệ thống các Bộ", "Trên Hệ thống tỉnh"),
                        rates=True)  # fmt: skip
    write_export(out / "sections_rates.xlsx", _export(style))
    expected["sections_rates.xlsx"] = _read(
        sections=["Trên Hệ thống các Bộ", "Trên Hệ thống tỉnh"], ignored_columns=2
    )

    style = ExportStyle(fmt="html", names="province", agencies=True)
    write_export(out / "html_saved_as.xls", _export(style))
    expected["html_saved_as.xls"] = _read(sections=[], ignored_columns=0, format="html")

    _sheets_per_system(out / "sheets_per_system.xlsx")
    expected["sheets_per_system.xlsx"] = _read(
        sections=["Hệ thống các Bộ", "Hệ thống tỉnh"], ignored_columns=0
    )

    write_export(out / "other_period.xlsx", _export(ExportStyle(), period=Q2))
    expected["other_period.xlsx"] = {"read": True, "period_key": "2025-Q2", "refused": "kỳ"}

    returns = {n: dict(f) for n, f in FIGURES.items()}
    returns["An Phú"]["resolved_on_time"] += AN_PHU_RETURNED
    returns["An Phú"] = completed(returns["An Phú"])
    write_export(out / "returns_on_time.xlsx", _export(ExportStyle(names="ubnd"), figures=returns))
    expected["returns_on_time.xlsx"] = _read(
        returns, sections=[], ignored_columns=0, convention={"An Phú": AN_PHU_RETURNED}
    )

    _not_an_export(out / "not_an_export.xlsx")
    expected["not_an_export.xlsx"] = {"read": False, "refused": "không có biểu"}

    (out / "renamed_text.xls").write_text(
        "Danh sách cán bộ một cửa\nNguyễn Văn A\n", encoding="utf-8"
    )
    expected["renamed_text.xls"] = {"read": False, "refused": "không phải bảng tính"}

    _commune_form(out / "commune_form_tan_hoa.xlsx")
    expected["commune_form_tan_hoa.xlsx"] = {
        "read": True,
        "commune_form": True,
        "commune": "Tân Hòa",
        "period_key": "2025-Q3",
        "all": FIGURES["Tân Hòa"],
        "fields": {"hộ tịch": 70, "chứng thực": 50},
    }

    if _excel97(out / "merged_header.xlsx", out / "excel97.xls"):
        expected["excel97.xls"] = _read(sections=[], ignored_columns=0, format="xls")
    (out / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return expected


def _sheets_per_system(path: Path) -> None:
    """One sheet per system ("Hệ thống các Bộ", "Hệ thống tỉnh"), each the whole form."""
    from openpyxl import load_workbook

    halves = {n: split(f, 0.4) for n, f in FIGURES.items()}
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for k in range(2):
            figures = {n: halves[n][k] for n in FIGURES}
            p = Path(tmp) / f"{k}.xlsx"
            write_export(p, _export(ExportStyle(), figures=figures))
            parts.append(p)
        book = load_workbook(parts[0])
        book.active.title = "Hệ thống các Bộ"
        other = load_workbook(parts[1]).active
        ws = book.create_sheet("Hệ thống tỉnh")
        for row in other.iter_rows():
            for cell in row:
                ws.cell(cell.row, cell.column, cell.value)
        for merged in other.merged_cells.ranges:
            ws.merge_cells(str(merged))
        book.save(path)


def _not_an_export(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH CÔNG CHỨC LÀM VIỆC TẠI BỘ PHẬN MỘT CỬA"])
    ws.append(["STT", "Họ và tên", "Chức vụ", "Số năm công tác"])
    ws.append([1, "Nguyễn Văn Bình", "Công chức tư pháp - hộ tịch", 6])
    ws.append([2, "Trần Thị Lan", "Công chức địa chính", 3])
    wb.save(path)


def _commune_form(path: Path) -> None:
    """Tân Hòa's own form: the title block names the commune and the period; a row per
    field and the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    total = FIGURES["Tân Hòa"]
    hotich = completed(
        {"received_carried_over": 2, "received_online": 30, "received_offline": 38,
         "resolved_early": 60, "resolved_on_time": 3, "resolved_late": 0, "pending_in_time": 7}
    )  # fmt: skip
    other = {k: total[k] - hotich[k] for k in total}
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu"
    ws.append(["UBND XÃ TÂN HÒA"])
    ws.append(["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"])
    ws.append(["Kỳ báo cáo: Quý III năm 2025 (từ ngày 01/7/2025 đến ngày 14/9/2025)"])
    ws.append(["STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết", None, None, None,
               "Số hồ sơ đã giải quyết", None, None, None, "Số hồ sơ đang giải quyết"])  # fmt: skip
    ws.append([None, None, "Tổng số", "Trong đó", None, None, "Tổng số", "Trong đó", None, None,
               "Tổng số", "Trong đó"])  # fmt: skip
    ws.append([None, None, None, "Trực tuyến", "Trực tiếp, bưu chính", "Kỳ trước chuyển qua",
               None, "Trước hạn", "Đúng hạn", "Quá hạn", None, "Trong hạn", "Quá hạn"])  # fmt: skip
    for rng in ("A4:A6", "B4:B6", "C4:F4", "G4:J4", "K4:M4", "C5:C6", "D5:F5", "G5:G6",
                "H5:J5", "K5:K6", "L5:M5"):  # fmt: skip
        ws.merge_cells(rng)
    order = ("received_total", "received_online", "received_offline", "received_carried_over",
             "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
             "pending_total", "pending_in_time", "pending_overdue")  # fmt: skip
    ws.append([1, "Hộ tịch", *(hotich[k] for k in order)])
    ws.append([2, "Chứng thực", *(other[k] for k in order)])
    ws.append([None, "Tổng cộng", *(total[k] for k in order)])
    ws["B9"].font = Font(bold=True)
    wb.save(path)


def _excel97(source: Path, target: Path) -> bool:
    """The same export as an Excel 97-2003 .xls, converted by LibreOffice (False when it is
    not installed: the fixture is then kept as committed)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return target.exists()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "xls", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        shutil.copy(Path(tmp) / (source.stem + ".xls"), target)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    expected = build(args.out)
    print(f"{len(expected)} tệp mẫu → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
