"""The summary workbook and the CSV files, read back with openpyxl and the csv module.

`make_summary` builds a small district by hand (three communes that reported, one that
did not, flags of every severity with "&" and "<" in their text, a previous period); the
notice tests use it too.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from consolidation.preview import soffice, to_pdf
from consolidation.workbook import (
    SEVERITY_FILLS,
    labels,
    write_flags_csv,
    write_outcomes_csv,
    write_workbook,
)
from schemas.record import DOSSIER_FIELDS, Dossiers, Evidence, Flag
from schemas.summary import (
    RATE_DEFINITIONS,
    CommuneRow,
    DistrictSummary,
    FileOutcome,
    FlagRow,
    ParentUnit,
    RankItem,
)

TRICKY = 'ghi "37 & 38" <khác nhau>'  # XML's special characters in a flag's text

# ---------------------------------------------------------------------------------------
# A district built by hand


def _rates(d: Dossiers, metrics: dict[str, int] | None = None) -> dict[str, float | None]:
    values = {**d.model_dump(), **(metrics or {})}
    out: dict[str, float | None] = {}
    for name, (num, den) in RATE_DEFINITIONS.items():
        if any(values.get(f) is None for f in (*num, *den)):
            out[name] = None
            continue
        denominator = sum(values[f] for f in den)
        out[name] = round(100 * sum(values[f] for f in num) / denominator, 2) if denominator else None
    return out


def _sum(rows: list[CommuneRow]) -> Dossiers:
    totals = {}
    for f in DOSSIER_FIELDS:
        values = [getattr(r.dossiers, f) for r in rows if getattr(r.dossiers, f) is not None]
        totals[f] = sum(values) if values else None
    return Dossiers(**totals)


def _evidence(line: int, quote: str, page: int | None = None) -> Evidence:
    return Evidence(page=page, line=line, start=0, end=len(quote), quote=quote)


def make_summary(level: str = "huyện") -> DistrictSummary:
    """Three communes that reported and one that did not, at a huyện or a tỉnh."""
    province_level = level != "huyện"
    town_level = "phường" if province_level else "thị trấn"
    parent = (ParentUnit(name="Bình Lĩnh", level="tỉnh") if province_level
              else ParentUnit(name="Phú Lâm", level="huyện", province="Bình Lĩnh"))
    sum_flag = Flag(
        code="sum.received", severity="error", period="Quý I năm 2025", period_key="2025-Q1",
        scope="all", fields=["received_total", "received_new"], expected=12345, actual=12245,
        suggestion="12.245 → 12.345",
        message="Tổng số hồ sơ tiếp nhận ghi 12.245 nhưng mới tiếp nhận (12.000) + kỳ trước "
                "chuyển qua (345) = 12.345.",
        evidence=[_evidence(41, "Tổng số hồ sơ tiếp nhận: 12.245 hồ sơ", page=2)])
    info_flag = Flag(code="missing", severity="info", scope="all", fields=["returned"],
                     message="Số hồ sơ trả lại chỉ nêu trong phần đánh giá.",
                     evidence=[_evidence(80, "trả lại 15 hồ sơ")])
    conflict = Flag(code="conflict.value", severity="warning", period="Quý I năm 2025",
                    period_key="2025-Q1", scope="all", fields=["pending_total"],
                    expected=37, actual=[37, 38], suggestion="38 → 37",
                    message=f"Tổng số đang giải quyết {TRICKY}.",
                    evidence=[_evidence(23, "37 hồ sơ đang giải quyết"),
                              _evidence(35, "38 hồ sơ <đang> giải quyết & chờ")])
    citation = Flag(code="citation.code", severity="warning", scope=None,
                    fields=["code", "issuer"], suggestion="61/2018/QĐ-TTg → 61/2018/NĐ-CP",
                    message="Văn bản 61/2018/QĐ-TTg: ký hiệu không phù hợp với Nghị định.",
                    evidence=[_evidence(9, "Nghị định 61/2018/QĐ-TTg")])
    a = CommuneRow(
        commune="Đông Hòa", level=town_level, status="ok", files=["01_dong_hoa.pdf"],
        period_key="2025-Q1", period_label="Quý I năm 2025",
        dossiers=Dossiers(received_total=12245, received_new=12000, received_online=9000,
                          received_offline=3000, received_carried_over=345,
                          resolved_total=12000, resolved_early=11000, resolved_on_time=990,
                          resolved_early_or_on_time=11990, resolved_late=10, pending_total=245,
                          pending_in_time=243, pending_overdue=2, returned=15),
        derived=["resolved_early_or_on_time"],
        metrics={"digitized_intake": 11900, "digitized_result": 11800},
        late_by_field={"đất đai": 7, "hộ tịch": 3},
        previous=Dossiers(received_total=11000, received_online=7000, received_offline=3700,
                          resolved_total=10800, resolved_early=10000, resolved_on_time=780,
                          resolved_early_or_on_time=10780, resolved_late=20),
        flags=[sum_flag, info_flag],
        flagged_fields={"received_total": "error", "received_new": "error", "returned": "info"},
    )
    b = CommuneRow(
        commune="Tây Sơn", level="xã", status="partial", files=["02_tay_son.docx"],
        period_key="2025-Q1", period_label="Quý I năm 2025",
        dossiers=Dossiers(received_total=1639, received_new=1600, received_online=1164,
                          received_offline=436, received_carried_over=39,
                          resolved_total=1602, resolved_early_or_on_time=1600,
                          resolved_late=2, pending_total=37, pending_in_time=37,
                          pending_overdue=0),
        derived=["received_new"],
        late_by_field={"đất đai": 2},
        previous=Dossiers(received_total=1500, received_online=1000, received_offline=470,
                          resolved_total=1480),
        flags=[conflict, citation],
        flagged_fields={"pending_total": "warning", "code": "warning", "issuer": "warning"},
    )
    c = CommuneRow(
        commune="Nam Phong", level="xã", status="ok", files=["03_nam_phong.txt"],
        period_key="2025-Q1", period_label="Quý I năm 2025",
        dossiers=Dossiers(received_total=93, received_new=93, received_online=45,
                          received_offline=48, received_carried_over=0, resolved_total=90,
                          resolved_early=80, resolved_on_time=10, resolved_early_or_on_time=90,
                          resolved_late=0, pending_total=3, pending_in_time=3, pending_overdue=0),
        derived=["resolved_early_or_on_time"],
    )
    d = CommuneRow(commune="Bắc Lý", level="xã", status="missing")
    for row in (a, b, c):
        row.rates = _rates(row.dossiers, row.metrics)
        if row.previous is not None:
            row.previous_rates = _rates(row.previous)
            row.change = {f: getattr(row.dossiers, f) - getattr(row.previous, f)
                          for f in DOSSIER_FIELDS
                          if getattr(row.dossiers, f) is not None
                          and getattr(row.previous, f) is not None}
            row.change.update({f"rate_{k}": round(v - row.previous_rates[k], 2)
                               for k, v in row.rates.items()
                               if v is not None and row.previous_rates.get(k) is not None})
    rows = [a, b, c, d]
    totals = _sum(rows)
    metrics = {"digitized_intake": 11900, "digitized_result": 11800}
    below = sorted((r for r in (a, b, c) if r.rates["online"] < 80), key=lambda r: r.rates["online"])
    return DistrictSummary(
        parent=parent,
        period_key="2025-Q1",
        period_label="Quý I năm 2025",
        previous_period_key="2024-Q4",
        generated_on=dt.date(2025, 4, 2),
        communes=rows,
        totals=totals,
        total_metrics=metrics,
        total_rates=_rates(totals, metrics),
        ranks={"online_lowest": [RankItem(commune=r.commune, value=r.rates["online"])
                                 for r in sorted((a, b, c), key=lambda r: r.rates["online"])],
               "late_most": [RankItem(commune="Đông Hòa", value=10), RankItem(commune="Tây Sơn", value=2)]},
        targets={"online": 80.0, "digitized_intake": 100.0},
        below_target={"online": [RankItem(commune=r.commune, value=r.rates["online"]) for r in below],
                      "digitized_intake": []},
        missing=["Bắc Lý"],
        outcomes=[
            FileOutcome(path="/in/01_dong_hoa.pdf", sha256="a" * 64, status="ok", commune="Đông Hòa",
                        written_name="Đông Hoà", match_score=96.5, period_key="2025-Q1", flags=2),
            FileOutcome(path="/in/02_tay_son.docx", sha256="b" * 64, status="partial",
                        reason="Bảng số liệu thiếu một cột.", commune="Tây Sơn",
                        written_name="Tây Sơn", match_score=100.0, period_key="2025-Q1",
                        reused=True, flags=2),
            FileOutcome(path="/in/03_nam_phong.txt", status="ok", commune="Nam Phong",
                        written_name="Nam Phong", match_score=100.0, period_key="2025-Q1"),
            FileOutcome(path="/in/hong.pdf", status="failed",
                        reason="Tệp PDF bị hỏng & không mở được <lỗi cấu trúc>."),
            FileOutcome(path="/in/04_xa_bac_ly_cu.doc", status="ignored",
                        reason="Tệp Word cũ, không đọc được bảng."),
        ],
        flags=[FlagRow(commune="Đông Hòa", file="01_dong_hoa.pdf", flag=sum_flag),
               FlagRow(commune="Đông Hòa", file="01_dong_hoa.pdf", flag=info_flag),
               FlagRow(commune="Tây Sơn", file="02_tay_son.docx", flag=conflict),
               FlagRow(commune="Tây Sơn", file="02_tay_son.docx", flag=citation)],
    )


# ---------------------------------------------------------------------------------------
# Fixtures and helpers

HEADER, SUB, FIRST = 5, 6, 7


@pytest.fixture(scope="module")
def summary() -> DistrictSummary:
    return make_summary()


@pytest.fixture(scope="module")
def book(summary: DistrictSummary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(summary, tmp_path_factory.mktemp("wb") / "tong_hop.xlsx")


def header_map(ws) -> dict[tuple[str, str], int]:
    """(group header, sub-header) → column, read from the two merged header rows."""
    top = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == HEADER:
            for c in range(rng.min_col, rng.max_col + 1):
                top[c] = ws.cell(HEADER, rng.min_col).value
    out = {}
    for c in range(1, ws.max_column + 1):
        group = top.get(c, ws.cell(HEADER, c).value)
        sub = ws.cell(SUB, c).value
        if group:
            out[(group, sub or "")] = c
    return out


def data_rows(ws) -> dict[str, int]:
    """Unit name cell text → row, down to the "Tổng cộng" row (included)."""
    out = {}
    for r in range(FIRST, ws.max_row + 1):
        name = ws.cell(r, 2).value
        if ws.cell(r, 1).value == "Tổng cộng":
            out["Tổng cộng"] = r
            break
        out[name] = r
    return out


COLUMN_OF_FIELD = {
    "received_total": ("Số hồ sơ nhận giải quyết", "Tổng số"),
    "received_carried_over": ("Số hồ sơ nhận giải quyết", "Kỳ trước chuyển qua"),
    "received_new": ("Số hồ sơ nhận giải quyết", "Mới tiếp nhận trong kỳ"),
    "received_online": ("Số hồ sơ nhận giải quyết", "Mới tiếp nhận trực tuyến"),
    "received_offline": ("Số hồ sơ nhận giải quyết", "Mới tiếp nhận trực tiếp, bưu chính"),
    "resolved_total": ("Số hồ sơ đã giải quyết", "Tổng số"),
    "resolved_early": ("Số hồ sơ đã giải quyết", "Trước hạn"),
    "resolved_on_time": ("Số hồ sơ đã giải quyết", "Đúng hạn"),
    "resolved_early_or_on_time": ("Số hồ sơ đã giải quyết", "Trước hạn, đúng hạn (ghi gộp)"),
    "resolved_late": ("Số hồ sơ đã giải quyết", "Quá hạn"),
    "pending_total": ("Số hồ sơ đang giải quyết", "Tổng số"),
    "pending_in_time": ("Số hồ sơ đang giải quyết", "Trong hạn"),
    "pending_overdue": ("Số hồ sơ đang giải quyết", "Quá hạn"),
    "returned": ("Trả lại, không đủ điều kiện", ""),
}


# ---------------------------------------------------------------------------------------
# The summary sheet


def test_sheet_names_in_order(book: Path) -> None:
    wb = load_workbook(book)
    assert wb.sheetnames == ["Tổng hợp", "Cảnh báo", "Xếp hạng", "Tệp đã xử lý", "Thiếu báo cáo"]


def test_title_names_the_parent_and_period(book: Path) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    titles = " ".join(str(ws.cell(r, 1).value) for r in range(1, 4))
    assert "UBND huyện Phú Lâm" in titles
    assert "Quý I năm 2025" in titles
    assert "02/04/2025" in titles


def test_two_row_header_follows_the_national_form(book: Path) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    cols = header_map(ws)
    for key in COLUMN_OF_FIELD.values():
        assert key in cols, key
    assert ("Tỷ lệ (%)", "Tiếp nhận trực tuyến") in cols
    assert ("Tỷ lệ (%)", "Giải quyết trước hạn, đúng hạn") in cols
    assert any(g.startswith("So với Quý IV năm 2024") for g, _ in cols)
    assert ws.cell(HEADER, 1).value == "STT" and ws.cell(HEADER, 2).value == "Đơn vị"
    # the group header spans its sub-columns
    spans = {ws.cell(HEADER, r.min_col).value: r.max_col - r.min_col + 1
             for r in ws.merged_cells.ranges if r.min_row == HEADER == r.max_row}
    assert spans["Số hồ sơ đã giải quyết"] == 5
    assert spans["Số hồ sơ đang giải quyết"] == 3


def test_rows_in_roster_order_and_missing_commune_marked(book: Path, summary: DistrictSummary) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    rows = data_rows(ws)
    assert list(rows) == ["Thị trấn Đông Hòa", "Xã Tây Sơn", "Xã Nam Phong", "Xã Bắc Lý", "Tổng cộng"]
    r = rows["Xã Bắc Lý"]
    assert ws.cell(r, 3).value == "Chưa gửi báo cáo"
    assert all(ws.cell(r, c).value is None for c in range(4, ws.max_column + 1))


def test_totals_row_is_the_sum_of_the_rows(book: Path) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    cols, rows = header_map(ws), data_rows(ws)
    units = [r for name, r in rows.items() if name != "Tổng cộng"]
    for field, key in COLUMN_OF_FIELD.items():
        c = cols[key]
        values = [ws.cell(r, c).value for r in units if ws.cell(r, c).value is not None]
        assert ws.cell(rows["Tổng cộng"], c).value == (sum(values) if values else None), field
    assert ws.cell(rows["Tổng cộng"], cols[COLUMN_OF_FIELD["received_total"]]).value == 13977


def test_numbers_are_numbers_with_vietnamese_format(book: Path) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    cols, rows = header_map(ws), data_rows(ws)
    cell = ws.cell(rows["Thị trấn Đông Hòa"], cols[COLUMN_OF_FIELD["received_total"]])
    assert cell.value == 12245 and "[$-42A]" in cell.number_format and "#,##0" in cell.number_format
    rate = ws.cell(rows["Xã Tây Sơn"], cols[("Tỷ lệ (%)", "Tiếp nhận trực tuyến")])
    assert rate.value == pytest.approx(72.75) and rate.number_format == "[$-42A]0.00"


def test_highlighted_cells_are_exactly_the_flagged_fields(book: Path, summary: DistrictSummary) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    cols, rows = header_map(ws), data_rows(ws)
    colour = {fill.fgColor.rgb[-6:]: sev for sev, fill in SEVERITY_FILLS.items()}
    found = set()
    for name, r in rows.items():
        if name == "Tổng cộng":
            continue
        for c in range(2, ws.max_column + 1):
            rgb = ws.cell(r, c).fill.fgColor.rgb
            if ws.cell(r, c).fill.fill_type == "solid" and isinstance(rgb, str) and rgb[-6:] in colour:
                found.add((name, c, colour[rgb[-6:]]))
    expected = {("Thị trấn Đông Hòa", cols[COLUMN_OF_FIELD[f]], s)
                for f, s in summary.communes[0].flagged_fields.items()}
    expected.add(("Xã Tây Sơn", cols[COLUMN_OF_FIELD["pending_total"]], "warning"))
    expected.add(("Xã Tây Sơn", 2, "warning"))  # citation parts have no column: the name cell
    assert found == expected


def test_comments_hold_the_flag_messages(book: Path) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    cols, rows = header_map(ws), data_rows(ws)
    total = ws.cell(rows["Thị trấn Đông Hòa"], cols[COLUMN_OF_FIELD["received_total"]])
    assert "[Lỗi] Tổng số hồ sơ tiếp nhận ghi 12.245" in total.comment.text
    assert "12.245 → 12.345" in total.comment.text
    pending = ws.cell(rows["Xã Tây Sơn"], cols[COLUMN_OF_FIELD["pending_total"]])
    assert TRICKY in pending.comment.text and "[Cảnh báo]" in pending.comment.text
    name = ws.cell(rows["Xã Tây Sơn"], 2)
    assert "61/2018/QĐ-TTg" in name.comment.text
    returned = ws.cell(rows["Thị trấn Đông Hòa"], cols[COLUMN_OF_FIELD["returned"]])
    assert returned.comment.text.startswith("[Lưu ý]")


def test_derived_figure_is_italic_with_a_note(book: Path) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    cols, rows = header_map(ws), data_rows(ws)
    cell = ws.cell(rows["Xã Tây Sơn"], cols[COLUMN_OF_FIELD["received_new"]])
    assert cell.font.italic and "tính từ các số liệu thành phần" in cell.comment.text


def test_frozen_header_and_first_columns(book: Path) -> None:
    wb = load_workbook(book)
    assert wb["Tổng hợp"].freeze_panes == "D7"
    assert wb["Cảnh báo"].freeze_panes == "C2"
    assert wb["Tệp đã xử lý"].freeze_panes == "C2"
    assert wb["Tổng hợp"].column_dimensions["B"].width >= 18


def test_change_against_previous_period(book: Path) -> None:
    ws = load_workbook(book)["Tổng hợp"]
    cols, rows = header_map(ws), data_rows(ws)
    group = next(g for g, _ in cols if g.startswith("So với"))
    c = cols[(group, "Hồ sơ tiếp nhận (hồ sơ)")]
    assert ws.cell(rows["Thị trấn Đông Hòa"], c).value == 1245
    assert ws.cell(rows["Xã Tây Sơn"], c).value == 139
    assert ws.cell(rows["Xã Nam Phong"], c).value is None
    assert ws.cell(rows["Tổng cộng"], c).value == 1245 + 139


# ---------------------------------------------------------------------------------------
# The other sheets


def test_flags_sheet_lists_every_flag_with_evidence(book: Path, summary: DistrictSummary) -> None:
    ws = load_workbook(book)["Cảnh báo"]
    header = [c.value for c in ws[1]]
    assert header == labels()["flags"]["columns"]
    lines = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(lines) == len(summary.flags)
    by_code = {line[5]: dict(zip(header, line, strict=True)) for line in lines}
    assert {line[4] for line in lines} == {"Lỗi", "Cảnh báo", "Lưu ý"}
    conflict = by_code["conflict.value"]
    assert TRICKY in conflict["Nội dung"]
    assert conflict["Giá trị đúng"] == "37" and conflict["Giá trị đã ghi"] == "37; 38"
    assert conflict["Gợi ý sửa"] == "38 → 37"
    assert "Dòng 35: “38 hồ sơ <đang> giải quyết & chờ”" in conflict["Trích dẫn (trang, dòng)"]
    error = by_code["sum.received"]
    assert error["Đơn vị"] == "Thị trấn Đông Hòa"
    assert error["Trích dẫn (trang, dòng)"].startswith("Trang 2, dòng 41:")
    assert error["Giá trị đúng"] == "12.345"
    assert error["Số liệu liên quan"] == "Tổng số hồ sơ tiếp nhận, Số mới tiếp nhận trong kỳ"
    assert by_code["citation.code"]["Số liệu liên quan"] == "Ký hiệu văn bản, Cơ quan ban hành"


def test_ranks_sheet_names_units_below_target(book: Path) -> None:
    ws = load_workbook(book)["Xếp hạng"]
    text = [[c.value for c in row] for row in ws.iter_rows()]
    flat = " | ".join(str(v) for row in text for v in row if v is not None)
    assert "Các đơn vị có tỷ lệ tiếp nhận trực tuyến thấp nhất" in flat
    assert "Tỷ lệ tiếp nhận trực tuyến: các đơn vị chưa đạt chỉ tiêu 80%" in flat
    below = [row for row in text if row[4] == "Chưa đạt"]
    assert {row[1] for row in below} == {"Xã Nam Phong", "Xã Tây Sơn", "Thị trấn Đông Hòa"}
    assert "Tất cả các đơn vị có số liệu đều đạt chỉ tiêu." in flat  # digitized_intake: none below


def test_files_sheet_translates_outcomes(book: Path) -> None:
    ws = load_workbook(book)["Tệp đã xử lý"]
    header = [c.value for c in ws[1]]
    lines = [dict(zip(header, [c.value for c in row], strict=True)) for row in ws.iter_rows(min_row=2)]
    by_file = {line["Tệp"]: line for line in lines}
    assert by_file["hong.pdf"]["Kết quả"] == "Không đọc được"
    assert by_file["hong.pdf"]["Lý do"] == "Tệp PDF bị hỏng & không mở được <lỗi cấu trúc>."
    assert by_file["02_tay_son.docx"]["Dùng lại kết quả đã đọc"] == "Có"
    assert by_file["02_tay_son.docx"]["Kết quả"] == "Đọc được một phần"
    assert by_file["01_dong_hoa.pdf"]["Mức khớp tên (%)"] == 96.5
    assert by_file["01_dong_hoa.pdf"]["Tên đơn vị ghi trong tệp"] == "Đông Hoà"
    # "_xa_" escaped so that Excel and LibreOffice do not read it as a line break
    assert by_file["04_x005F_xa_bac_ly_cu.doc"]["Kết quả"] == "Không sử dụng"


def test_missing_sheet_lists_missing_communes(book: Path) -> None:
    ws = load_workbook(book)["Thiếu báo cáo"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Xã Bắc Lý" in values


def test_province_parent_in_title(tmp_path: Path) -> None:
    ws = load_workbook(write_workbook(make_summary("tỉnh"), tmp_path / "t.xlsx"))["Tổng hợp"]
    assert "UBND tỉnh Bình Lĩnh" in ws.cell(2, 1).value
    assert "xã, phường" in ws.cell(3, 1).value
    assert "Phường Đông Hòa" in data_rows(ws)


# ---------------------------------------------------------------------------------------
# CSV files


def test_flags_csv_reopens_with_vietnamese_intact(summary: DistrictSummary, tmp_path: Path) -> None:
    path = write_flags_csv(summary, tmp_path / "canh_bao.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(summary.flags)
    assert list(rows[0]) == labels()["flags"]["columns"]
    conflict = next(r for r in rows if r["Mã"] == "conflict.value")
    assert TRICKY in conflict["Nội dung"] and conflict["Đơn vị"] == "Xã Tây Sơn"
    assert "\n" in conflict["Trích dẫn (trang, dòng)"]  # two quotes, two lines, one field
    assert {r["Mức độ"] for r in rows} == {"Lỗi", "Cảnh báo", "Lưu ý"}


def test_outcomes_csv_reopens_with_vietnamese_intact(summary: DistrictSummary, tmp_path: Path) -> None:
    path = write_outcomes_csv(summary, tmp_path / "ket_qua.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["Tệp"] for r in rows] == ["01_dong_hoa.pdf", "02_tay_son.docx", "03_nam_phong.txt",
                                        "hong.pdf", "04_xa_bac_ly_cu.doc"]
    assert rows[0]["Mức khớp tên (%)"] == "96,5"
    assert rows[0]["Mã SHA-256"] == "a" * 64
    assert rows[3]["Kết quả"] == "Không đọc được" and "<lỗi cấu trúc>" in rows[3]["Lý do"]


# ---------------------------------------------------------------------------------------
# LibreOffice opens it


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_workbook_converts_to_pdf_with_vietnamese_text(book: Path, tmp_path: Path) -> None:
    import pdfplumber

    result = to_pdf(book, tmp_path, profile=tmp_path / "lo-profile")
    if result.pdf is None and "could not be loaded" in result.message:
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    assert result.pdf is not None, result.message
    with pdfplumber.open(str(result.pdf)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "BẢNG TỔNG HỢP KẾT QUẢ TIẾP NHẬN" in text
    assert "Chưa gửi báo cáo" in text and "Tổng cộng" in text
    assert "13.977" in text  # the Vietnamese-locale number format at work
    assert "04_xa_bac_ly_cu.doc" in text  # one line, not cut at "_xa_"
