"""The summary workbook, read back with openpyxl, on a
small district consolidated by the real code (tests/factories.py)."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.factories import (
    TRICKY,
    consistent,
    flag,
    percentage,
    roster,
    small_district,
    summary,
)
from tthc.evaluate.outputs import FORM_COLUMNS
from tthc.render.preview import soffice, to_pdf
from tthc.render.workbook import SEVERITY_FILLS, flag_table, write_workbook
from tthc.schemas.summary import DistrictSummary
from tthc.wording import labels, unit_name

FORM_FIELDS = FORM_COLUMNS  # the national form's numbered columns (the evaluator's oracle)


def numbers_row(ws) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == "(1)")


def form_rows(ws) -> dict[str, int]:
    start = numbers_row(ws) + 1
    return {
        ws.cell(r, 2).value: r
        for r in range(start, ws.max_row + 1)
        if isinstance(ws.cell(r, 2).value, str)
    }


def total_row(ws) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Tổng cộng")


def test_sheets_in_order(book: Path) -> None:
    names = labels()["sheets"]
    assert load_workbook(book).sheetnames == [
        names["summary"],
        names["statements"],
        names["lien_thong"],
        names["fields"],
        names["rates"],
        names["flags"],
        names["ranks"],
        names["senders"],
        names["files"],
    ]


def test_form_header_names_the_units_the_period_and_the_measure(book: Path) -> None:
    ws = load_workbook(book).worksheets[0]
    top = [ws.cell(r, c).value for r in range(1, 6) for c in range(1, ws.max_column + 1)]
    assert "Đơn vị báo cáo: UBND huyện Phú Lâm" in top
    assert "Đơn vị nhận báo cáo: UBND tỉnh Bình Lĩnh" in top
    assert "Biểu số 06" in top and "Đơn vị tính: hồ sơ" in top
    period = next(v for v in top if v and str(v).startswith("Kỳ báo cáo"))
    assert "Quý I năm 2025" in period and "Từ ngày 15/12/2024 đến ngày 14/03/2025" in period


def test_columns_are_numbered_like_the_national_form(book: Path) -> None:
    ws = load_workbook(book).worksheets[0]
    r = numbers_row(ws)
    numbers = [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
    assert numbers[:13] == [f"({n})" for n in range(1, 14)]
    heads = " ".join(
        str(ws.cell(rr, c).value or "") for rr in range(r - 3, r) for c in range(1, 14)
    )
    for words in (
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
        "Trực tuyến".lower(),
        "Trả trước hạn",
        "Trả đúng hạn",
        "Trả quá hạn",
        "Trong hạn",
        "Số kỳ trước chuyển qua",
    ):
        assert words.lower() in heads.lower(), words


def test_every_commune_row_shows_its_figures(book: Path, district: DistrictSummary) -> None:
    ws = load_workbook(book).worksheets[0]
    rows = form_rows(ws)
    for commune in district.communes:
        r = rows[unit_name(commune.commune, commune.level, capital=True)]
        for c, field in FORM_FIELDS.items():
            want = None if commune.status == "missing" else getattr(commune.dossiers, field)
            assert ws.cell(r, c).value == want, (commune.commune, field)
    missing = rows["Xã Bắc Lý"]
    assert ws.cell(missing, 1).fill.fgColor.rgb.endswith("EDEDED")


def test_total_row_is_a_sum_formula_over_the_rows(book: Path, district: DistrictSummary) -> None:
    ws = load_workbook(book).worksheets[0]
    rows = form_rows(ws)
    first, last = min(rows.values()), max(r for r in rows.values() if r < total_row(ws))
    t = total_row(ws)
    stored = load_workbook(book, data_only=True).worksheets[0]
    for c, field in FORM_FIELDS.items():
        letter = ws.cell(t, c).column_letter
        cells = [ws.cell(r, c).value for r in range(first, last + 1)]
        summed = (
            sum(v for v in cells if isinstance(v, int))
            if any(isinstance(v, int) for v in cells)
            else None
        )
        assert summed == district.figures[field].value, field
        # a column no unit reports is blank, not 0; the others a SUM with its value stored
        formula = f"=SUM({letter}{first}:{letter}{last})" if summed is not None else None
        assert ws.cell(t, c).value == formula
        assert stored.cell(t, c).value == summed, field


def test_flagged_cells_carry_the_message_and_derived_ones_are_italic(book: Path) -> None:
    ws = load_workbook(book).worksheets[0]
    r = form_rows(ws)["Xã Tây Sơn"]
    received = ws.cell(r, 3)
    assert received.fill.fgColor.rgb == SEVERITY_FILLS["error"].fgColor.rgb
    assert "1.409" in received.comment.text and "16 → 13" in received.comment.text
    pending = ws.cell(r, 11)
    assert pending.fill.fgColor.rgb == SEVERITY_FILLS["warning"].fgColor.rgb
    assert TRICKY in pending.comment.text
    dong_hoa = form_rows(ws)["Thị trấn Đông Hòa"]
    early_or_on_time = [
        c
        for c in range(14, ws.max_column + 1)
        if "gộp" in str(ws.cell(numbers_row(ws) - 3, c).value or "")
        or "gộp" in str(ws.cell(numbers_row(ws) - 2, c).value or "")
    ]
    assert early_or_on_time
    assert ws.cell(dong_hoa, 7).font.i is False  # stated
    assert ws.cell(dong_hoa, 12).value == 60  # pending in time: stated


def test_lien_thong_and_field_sheets(book: Path) -> None:
    wb = load_workbook(book)
    lt = wb[labels()["sheets"]["lien_thong"]]
    r = form_rows(lt)["Thị trấn Đông Hòa"]
    assert (lt.cell(r, 3).value, lt.cell(r, 7).value, lt.cell(r, 11).value) == (120, 110, 10)
    fields = wb[labels()["sheets"]["fields"]]
    r = form_rows(fields)["Hộ tịch"]
    assert fields.cell(r, 3).value == 900 and fields.cell(r, 10).value == 1


def test_rates_sheet_shows_each_communes_written_rate(book: Path) -> None:
    ws = load_workbook(book)[labels()["sheets"]["rates"]]
    heads = {ws.cell(4, c).value: c for c in range(3, ws.max_column + 1) if ws.cell(4, c).value}
    online = heads["Tỷ lệ tiếp nhận trực tuyến"]
    rows = {ws.cell(r, 2).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 2).value}
    assert ws.cell(rows["Xã Tây Sơn"], online).value == 41.78
    assert ws.cell(rows["Xã Tây Sơn"], online).number_format.endswith("0.00")
    district_row = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value == "Toàn huyện")
    digitized = heads["Tỷ lệ số hóa hồ sơ khi tiếp nhận"]
    assert ws.cell(district_row, digitized + 1).value == 96.0  # only Nam Phong gives counts
    assert ws.cell(district_row + 2, digitized + 1).value == "1/3"


def test_senders_sheet(book: Path) -> None:
    ws = load_workbook(book)[labels()["sheets"]["senders"]]
    status = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(5, ws.max_row + 1)}
    assert status["Xã Bắc Lý"] == "Chưa gửi báo cáo"
    assert status["Thị trấn Đông Hòa"] == "Đã gửi, đọc được"


def test_flags_sheet_says_where_in_the_file(book: Path) -> None:
    ws = load_workbook(book)[labels()["sheets"]["flags"]]
    header = [c.value for c in ws[1]]
    rows = [
        dict(zip(header, [c.value for c in row], strict=True)) for row in ws.iter_rows(min_row=2)
    ]
    received = next(r for r in rows if r["Mã"] == "sum.received")
    assert received["Trích dẫn (trang, dòng)"].startswith("Trang 2, dòng 3:")


def test_printing_a4_with_page_numbers(book: Path) -> None:
    ws = load_workbook(book).worksheets[0]
    assert (
        int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        and ws.page_setup.orientation == "landscape"
    )
    assert "&P" in ws.oddFooter.center.text
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "NGƯỜI LẬP BIỂU" in values and "THỦ TRƯỞNG ĐƠN VỊ" in values


def test_province_receives_from_communes_and_reports_to_the_centre(tmp_path: Path) -> None:
    wb = load_workbook(write_workbook(small_district("tỉnh"), tmp_path / "t.xlsx"))
    top = [c.value for row in wb.worksheets[0].iter_rows(max_row=5) for c in row if c.value]
    assert "Đơn vị báo cáo: UBND tỉnh Bình Lĩnh" in top
    assert "Đơn vị nhận báo cáo: Văn phòng Chính phủ" in top
    assert any("TẠI UBND CÁC PHƯỜNG" in str(v) for v in top)


def test_a_district_where_nobody_reported_still_renders(tmp_path: Path) -> None:
    s = summary(
        the_roster=roster(
            ("Thạch Thang", "phường"), level="thành phố", name="Hải Châu", province=None
        )
    )
    ws = load_workbook(write_workbook(s, tmp_path / "x.xlsx")).worksheets[0]
    assert ws.cell(total_row(ws), 3).value is None  # nothing reported: blank, not 0


def test_pandas_reads_the_total_row_without_a_spreadsheet_engine(
    book: Path, district: DistrictSummary
) -> None:
    import pandas as pd

    frame = pd.read_excel(book, sheet_name=0, header=None)
    total = frame[frame[0] == "Tổng cộng"].iloc[0]
    assert total[2] == district.figures["received_total"].value
    assert total[10] == district.figures["pending_total"].value


def test_the_reconciled_units_are_summed_on_the_form(book: Path, district: DistrictSummary) -> None:
    ws = load_workbook(book).worksheets[0]
    stored = load_workbook(book, data_only=True).worksheets[0]
    r = total_row(ws) + 1
    assert ws.cell(r, 1).value.startswith("Cộng 2 đơn vị có số liệu hồ sơ đầy đủ, thống nhất")
    rows = form_rows(ws)
    assert ws.cell(r, 3).value == (f"=SUM(C{rows['Thị trấn Đông Hòa']},C{rows['Xã Nam Phong']})")
    assert stored.cell(r, 3).value == district.reconciled.value("received_total")


def test_a_coloured_cell_is_explained_in_the_note_column(book: Path) -> None:
    ws = load_workbook(book).worksheets[0]
    note = next(
        c for c in range(1, ws.max_column + 1) if ws.cell(numbers_row(ws) - 3, c).value == "Ghi chú"
    )
    text = ws.cell(form_rows(ws)["Xã Tây Sơn"], note).value
    assert text.startswith("Lỗi: Tổng số hồ sơ tiếp nhận đơn vị ghi là 1.406 hồ sơ")
    assert "1.409" in text and "13 (không phải 16)" in text and "Cảnh báo:" in text


def test_a_footnote_says_why_a_column_total_is_not_its_parts(book: Path) -> None:
    ws = load_workbook(book).worksheets[0]
    texts = [str(ws.cell(r, 2).value or "") for r in range(total_row(ws), ws.max_row + 1)]
    received = next(t for t in texts if t.startswith("Cột (3)"))
    # Tây Sơn writes 1.406 for 582 + 811 + 16 = 1.409
    assert "nhỏ hơn tổng các cột (4)+(5)+(6) 3 hồ sơ" in received
    assert "xã Tây Sơn (−3)" in received
    resolved = next(t for t in texts if t.startswith("Cột (7)"))
    assert "không ghi đủ số liệu chi tiết" in resolved


def test_every_statement_of_the_notice_is_on_its_sheet_with_its_cells(
    book: Path, district: DistrictSummary
) -> None:
    wb = load_workbook(book, data_only=True)
    ws = wb[labels()["sheets"]["statements"]]
    header = [c.value for c in ws[5]]
    rows = {r[header.index("Mã")]: r for r in ws.iter_rows(min_row=6, values_only=True) if r[0]}
    assert set(rows) == {s.key for s in district.statements}
    for statement in district.statements:
        row = rows[statement.key]
        assert row[header.index("Giá trị")] == statement.value, statement.key
        for ref in filter(None, (row[header.index("Cũng có tại ô")] or "").split(", ")):
            sheet, cell = ref.rsplit("!", 1)
            value = wb[sheet.strip("'")][cell].value
            if isinstance(value, str):  # "3.600/4.960": the counts of a rate
                assert f"{statement.value:,}".replace(",", ".") in value, statement.key
            else:
                assert value == statement.value, (statement.key, ref)
    online = rows["rate.online"]
    assert "'Tỷ lệ'!" in online[header.index("Cũng có tại ô")]
    received = rows["dossiers.received_total"]
    assert "(số liệu chưa thống nhất)" in received[header.index("Đơn vị chưa tính (lý do)")]


def test_rates_sheet_marks_a_rate_the_check_calls_wrong(tmp_path: Path) -> None:
    wrong = consistent(
        "Ngọc Giang",
        received=1513,
        carried=2,
        online=729,
        percentages=[percentage(48.75, "online", 729, 1511, decimals=2)],
        flags=[
            flag(
                "ratio",
                [],
                expected=48.25,
                actual=48.75,
                message="Tỷ lệ ghi 48,75% nhưng 729/1.511 = 48,25%.",
            )
        ],
    )
    s = summary(wrong)
    ws = load_workbook(write_workbook(s, tmp_path / "x.xlsx"))[labels()["sheets"]["rates"]]
    heads = {ws.cell(4, c).value: c for c in range(3, ws.max_column + 1) if ws.cell(4, c).value}
    online, note = heads["Tỷ lệ tiếp nhận trực tuyến"], heads["Ghi chú"]
    assert ws.cell(6, online).value == 48.75
    assert ws.cell(6, online).fill.fgColor.rgb == SEVERITY_FILLS["error"].fgColor.rgb
    assert ws.cell(6, online + 1).value == 48.25  # the computed rate beside it
    assert "729/1.511 = 48,25%" in ws.cell(6, note).value


def test_a_flag_of_no_period_shows_the_reports_period(tmp_path: Path) -> None:
    cited = consistent(
        "Ngọc Giang",
        flags=[
            flag("citation.code", ["code"]).model_copy(
                update={"period": None, "period_key": None, "scope": None}
            )
        ],
    )
    rows = flag_table(summary(cited))
    assert rows[0]["period"] == "Quý I năm 2025"


# ---------------------------------------------------------------------------------------
# LibreOffice opens it, computes the totals, and a corrected cell flows into them


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_computes_the_totals_and_a_correction_flows_in(tmp_path: Path) -> None:
    s = summary(consistent("A", received=120), consistent("B", received=300))
    path = write_workbook(s, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    r = form_rows(ws)["Xã A"]
    ws.cell(r, 3).value = 125  # the officer corrects a figure in the sheet
    wb.save(path)
    done = subprocess.run(
        [
            soffice(),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = tmp_path / "t-Biểu tổng hợp.csv"
    if not out.exists():
        out = tmp_path / "t.csv"
    if not out.exists():
        pytest.skip(f"LibreOffice Calc could not convert: {done.stderr[:200]}")
    lines = list(csv.reader(out.open(encoding="utf-8")))
    total = next(line for line in lines if line and line[0] == "Tổng cộng")
    assert total[2].replace(".", "") == "425"


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_workbook_converts_to_pdf_with_vietnamese_text(book: Path, tmp_path: Path) -> None:
    import pdfplumber

    result = to_pdf(book, tmp_path, profile=tmp_path / "lo-profile")
    if result.pdf is None and "could not be loaded" in result.message:
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    assert result.pdf is not None, result.message
    with pdfplumber.open(str(result.pdf)) as pdf:
        first = pdf.pages[0].extract_text() or ""
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in first
    assert "Tổng cộng" in first and "Trang 1/" in first
    assert "13.977" in first  # the SUM computed, in the Vietnamese-locale number format
