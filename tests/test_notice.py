"""The draft notice: its text read back with python-docx, its layout, its template, and
(when LibreOffice is installed) the PDF a clerk would print."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from consolidation.notice import TEMPLATE, jinja_env, notice_context, write_notice
from consolidation.preview import soffice, to_pdf
from consolidation.workbook import write_workbook
from extractors.numbers import format_vi
from schemas.record import Dossiers
from schemas.summary import CommuneRow, DistrictSummary, ParentUnit
from tests.conftest import SEEDS, runs_shared_with_seeds
from tests.test_workbook import TRICKY, make_summary

SEEDS_DIR = SEEDS


def all_text(document: docx.document.Document) -> str:
    """Body paragraphs, table cells and the page header, in one string."""
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = write_notice(make_summary("huyện"), tmp_path_factory.mktemp("tb") / "tb.docx")
    return path, all_text(docx.Document(str(path)))


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = write_notice(make_summary("tỉnh"), tmp_path_factory.mktemp("tb") / "tb.docx")
    return path, all_text(docx.Document(str(path)))


# ---------------------------------------------------------------------------------------
# What the notice says


def test_names_the_district_committee(district: tuple[Path, str]) -> None:
    _, text = district
    assert "ỦY BAN NHÂN DÂN\nHUYỆN PHÚ LÂM" in text
    assert "UBND huyện Phú Lâm" in text
    assert "THÔNG BÁO" in text
    assert "Kết luận kiểm tra công tác kiểm soát thủ tục hành chính" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "/TB-UBND" in text
    assert "Phú Lâm, ngày" in text
    assert "UBND các xã, thị trấn" in text


def test_figures_written_the_vietnamese_way(district: tuple[Path, str]) -> None:
    _, text = district
    summary = make_summary()
    t = summary.totals
    assert f"Tổng số hồ sơ tiếp nhận: {format_vi(t.received_total)} hồ sơ" in text  # 13.977
    assert "13.977" in text and "12.000" not in text.replace("(12.000)", "")
    assert f"mới tiếp nhận trong kỳ {format_vi(t.received_new)} hồ sơ" in text
    assert f"trực tuyến {format_vi(t.received_online)} hồ sơ" in text
    assert f"kỳ trước chuyển sang {format_vi(t.received_carried_over)} hồ sơ" in text
    assert f"Số hồ sơ đã giải quyết: {format_vi(t.resolved_total)} hồ sơ" in text
    assert f"quá hạn {t.resolved_late} hồ sơ" in text
    online = summary.total_rates["online"]
    assert f"{format_vi(online, 2)}%" in text  # 74,1% style: comma decimal mark
    assert "," in format_vi(online, 2)
    assert f"Số hồ sơ đang giải quyết: {format_vi(t.pending_total)} hồ sơ" in text
    on_time = format_vi(summary.total_rates["on_time"], 2)  # 13.680 / 13.692
    assert f"trước hạn, đúng hạn {format_vi(t.resolved_early_or_on_time)} hồ sơ, đạt tỷ lệ {on_time}%" in text


def test_late_dossiers_by_unit_and_field(district: tuple[Path, str]) -> None:
    _, text = district
    assert "Hồ sơ giải quyết quá hạn theo đơn vị: thị trấn Đông Hòa 10; xã Tây Sơn 02" in text
    assert "theo lĩnh vực: đất đai 09; hộ tịch 03" in text


def test_missing_and_below_target_communes_named(district: tuple[Path, str]) -> None:
    _, text = district
    summary = make_summary()
    for name in summary.missing:
        assert f"xã {name}" in text
    assert "chưa gửi báo cáo: xã Bắc Lý" in text
    for item in summary.below_target["online"]:
        assert item.commune in text
    assert "Tỷ lệ tiếp nhận trực tuyến chưa đạt chỉ tiêu 80% tại 3 đơn vị" in text
    assert "xã Nam Phong 48,39%" in text


def test_inconsistent_reports_listed_with_their_messages(district: tuple[Path, str]) -> None:
    _, text = district
    assert "+ Thị trấn Đông Hòa: Tổng số hồ sơ tiếp nhận ghi 12.245" in text
    assert TRICKY in text  # "&" and "<" survive the XML
    assert "Gợi ý sửa: 38 → 37; 61/2018/QĐ-TTg → 61/2018/NĐ-CP." in text
    assert "Tệp PDF bị hỏng & không mở được <lỗi cấu trúc>" in text  # the unreadable file
    # the info note alone does not make a report inconsistent; two reports have warnings or errors
    assert "Có 2 báo cáo có số liệu chưa thống nhất" in text
    assert "UBND thị trấn Đông Hòa, xã Tây Sơn: đối chiếu số liệu" in text


def test_comparison_with_previous_period(district: tuple[Path, str]) -> None:
    _, text = district
    assert "3. So sánh với Quý IV năm 2024" in text
    assert "Tổng số hồ sơ tiếp nhận: 13.884 hồ sơ (Quý IV năm 2024: 12.500 hồ sơ), tăng 1.384 hồ sơ" in text
    assert "tính trên 2/3 đơn vị có báo cáo của cả hai kỳ" in text
    assert "4. Các nội dung khác" in text


def test_placeholders_marked_and_highlighted(district: tuple[Path, str]) -> None:
    path, text = district
    for placeholder in ("[Họ và tên]", "[Đoàn kiểm tra bổ sung", "[tên các đơn vị được kiểm tra",
                        "[Đoàn kiểm tra nêu nguyên nhân"):
        assert placeholder in text
    document = docx.Document(str(path))
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs]
    highlighted = [r.text for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert "[Họ và tên]" in highlighted
    assert all(h.startswith("[") and h.endswith("]") for h in highlighted)
    # every bracketed placeholder in the body is highlighted
    bracketed = [r.text for r in runs if r.text.startswith("[") and r.text.endswith("]")]
    assert set(bracketed) <= set(highlighted)


def test_distribution_list_and_signature(district: tuple[Path, str]) -> None:
    path, text = district
    assert "Nơi nhận:" in text
    assert "- UBND tỉnh Bình Lĩnh (để báo cáo);" in text
    assert "- Văn phòng HĐND và UBND huyện;" in text
    assert "- Lưu: VT" in text
    closing = docx.Document(str(path)).tables[-1].rows[0].cells
    assert closing[0].text.startswith("Nơi nhận:")
    assert closing[1].text.split("\n")[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_no_template_markup_left(district: tuple[Path, str], province: tuple[Path, str]) -> None:
    for _, text in (district, province):
        assert not re.search(r"\{\{|\}\}|\{%|%\}|\{#", text)
        assert "&amp;" not in text and "&lt;" not in text  # escaped once, not twice


def test_province_parent_never_says_huyen(province: tuple[Path, str]) -> None:
    _, text = province
    assert "huyện" not in text.casefold()
    assert "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LĨNH" in text
    assert "UBND tỉnh Bình Lĩnh" in text
    assert "UBND các xã, phường" in text and "thị trấn" not in text
    assert "- Văn phòng Chính phủ (để báo cáo);" in text
    assert "Văn phòng UBND tỉnh" in text
    assert "toàn tỉnh" in text


def test_district_where_nobody_reported_still_renders(tmp_path: Path) -> None:
    summary = DistrictSummary(
        parent=ParentUnit(name="Hải Châu", level="thành phố"), period_key=None,
        period_label=None, generated_on=dt.date(2025, 8, 1),
        communes=[CommuneRow(commune="Thạch Thang", level="phường", status="missing")],
        totals=Dossiers(), missing=["Thạch Thang"])
    text = all_text(docx.Document(str(write_notice(summary, tmp_path / "tb.docx"))))
    assert "UBND thành phố Hải Châu" in text and "phường Thạch Thang" in text
    assert "Tổng số hồ sơ tiếp nhận: … hồ sơ" in text  # unknown, not zero
    assert "không có hồ sơ giải quyết quá hạn" not in text
    assert "- Văn phòng Chính phủ (để báo cáo);" in text  # a centrally-run city
    assert write_workbook(summary, tmp_path / "th.xlsx").exists()


# ---------------------------------------------------------------------------------------
# Layout (Nghị định 30/2020/NĐ-CP)


def test_page_is_a4_with_administrative_margins(district: tuple[Path, str]) -> None:
    section = docx.Document(str(district[0])).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.left_margin, section.bottom_margin)
    assert [round(m.mm) for m in margins] == [20, 15, 30, 20]
    assert section.different_first_page_header_footer  # page numbers from page 2


def test_font_is_times_new_roman_13_to_14(district: tuple[Path, str]) -> None:
    document = docx.Document(str(district[0]))
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14


def test_header_and_signature_tables_have_no_borders(district: tuple[Path, str]) -> None:
    document = docx.Document(str(district[0]))
    assert len(document.tables) == 2
    for table in document.tables:
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None
        assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    header = document.tables[0]
    assert header.rows[0].cells[1].paragraphs[0].runs[0].bold  # national title in bold
    date_line = header.rows[1].cells[1].paragraphs[0]
    assert all(r.italic for r in date_line.runs if r.text.strip())


# ---------------------------------------------------------------------------------------
# The template


def test_template_uses_only_variables_the_code_provides() -> None:
    template = DocxTemplate(str(TEMPLATE))
    used = template.get_undeclared_template_variables(jinja_env())
    provided = set(notice_context(make_summary()))
    assert used <= provided, used - provided


def test_office_can_supply_its_own_template(tmp_path: Path) -> None:
    own = tmp_path / "mau_rieng.docx"
    document = docx.Document()
    document.add_paragraph("{{ committee }} – {{ t.received_total|so }} hồ sơ – {{ r.online|tyle }}")
    document.save(str(own))
    summary = make_summary()
    out = write_notice(summary, tmp_path / "out.docx", template=own)
    online = format_vi(summary.total_rates["online"], 2)  # 10.209 / 13.693 = 74,56%
    assert docx.Document(str(out)).paragraphs[0].text == f"UBND huyện Phú Lâm – 13.977 hồ sơ – {online}%"


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="../shared/seeds is not here")
def test_no_twelve_word_run_shared_with_a_seed(district: tuple[Path, str],
                                               province: tuple[Path, str]) -> None:
    for _, text in (district, province):
        shared = runs_shared_with_seeds(text)
        assert not shared, shared[:3]


# ---------------------------------------------------------------------------------------
# LibreOffice opens it


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_notice_converts_to_pdf_with_vietnamese_text(district: tuple[Path, str], tmp_path: Path) -> None:
    import pdfplumber

    result = to_pdf(district[0], tmp_path, profile=tmp_path / "lo-profile")
    assert result.pdf is not None, result.message
    with pdfplumber.open(str(result.pdf)) as pdf:
        first = pdf.pages[0].extract_text() or ""
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        size = (round(pdf.pages[0].width), round(pdf.pages[0].height))
    assert size == (595, 842)  # A4 in points
    assert "ỦY BAN NHÂN DÂN" in first and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first and "THÔNG BÁO" in first
    assert "13.977" in text and "Nơi nhận:" in text and "PHÓ CHỦ TỊCH" in text
    assert TRICKY in text.replace("\n", " ")



def test_lien_thong_figures_appear_only_when_reported(tmp_path: Path) -> None:
    summary = make_summary("huyện")
    without = all_text(docx.Document(str(write_notice(summary, tmp_path / "a.docx"))))
    assert "thực hiện liên thông" not in without
    summary.lien_thong_totals = Dossiers(received_total=403, resolved_total=384, pending_total=19)
    summary.lien_thong_units = 12
    text = all_text(docx.Document(str(write_notice(summary, tmp_path / "b.docx"))))
    assert "liên thông (theo báo cáo của 12 đơn vị): tiếp nhận 403 hồ sơ" in text
    assert "đang giải quyết 19 hồ sơ" in text
