"""The draft notice: its text read back with python-docx, its layout, its template, and
(when LibreOffice is installed) the PDF a clerk would print. Districts are consolidated by
the real code from records built by tests/factories.py."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from tests.conftest import SEEDS, runs_shared_with_seeds
from tests.factories import (
    TRICKY,
    consistent,
    failed,
    percentage,
    record,
    roster,
    small_district,
    summary,
)
from tthc.process import process_file
from tthc.render.notice import TEMPLATE, jinja_env, notice_context, write_notice
from tthc.render.preview import soffice, to_pdf
from tthc.render.workbook import write_workbook
from tthc.schemas.summary import DistrictSummary


def all_text(document: docx.document.Document) -> str:
    """Body paragraphs, table cells and the page header, in one string."""
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def render(s: DistrictSummary, folder: Path, name: str = "tb.docx") -> tuple[Path, str]:
    path = write_notice(s, folder / name)
    return path, all_text(docx.Document(str(path)))


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return render(small_district("huyện"), tmp_path_factory.mktemp("tb"))


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return render(small_district("tỉnh"), tmp_path_factory.mktemp("tb"))


# ---------------------------------------------------------------------------------------
# What the notice says


def test_names_the_district_committee(district: tuple[Path, str]) -> None:
    _, text = district
    assert "ỦY BAN NHÂN DÂN\nHUYỆN PHÚ LÂM" in text
    assert "UBND huyện Phú Lâm" in text and "THÔNG BÁO" in text
    assert "Kết luận kiểm tra công tác kiểm soát thủ tục hành chính" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "/TB-UBND" in text and "Phú Lâm, ngày" in text


def test_figures_are_the_reconciled_ones_and_say_who_is_left_out(
    district: tuple[Path, str],
) -> None:
    _, text = district
    s = small_district()
    rc = s.reconciled
    assert "tổng hợp từ báo cáo của 2 đơn vị có số liệu hồ sơ đầy đủ, thống nhất" in text
    assert "chưa tính xã Tây Sơn (số liệu chưa thống nhất, nêu tại Mục III)" in text
    received = f"{rc.value('received_total'):,}".replace(",", ".")
    assert f"Tổng số hồ sơ tiếp nhận: {received} hồ sơ" in text  # 12.571
    assert f"kỳ trước chuyển sang {rc.value('received_carried_over')} hồ sơ" in text
    assert "đạt tỷ lệ 99,9%" in text  # 12.359/12.371 early or on time


def test_the_notice_passes_the_toolkits_own_checks(district: tuple[Path, str]) -> None:
    """Every whole printed next to its parts adds up, the balance holds, and no figure is
    stated twice: the per-unit sentences of Mục III are read as those units', not the
    district's."""
    path, _ = district
    record = process_file(path)
    codes = ("sum.", "balance", "impossible", "ratio", "delta", "conflict.value")
    assert not [f for f in record.flags if f.code.startswith(codes)], record.flags
    whole = next(p for p in record.periods if p.scope == "all")
    assert whole.dossiers.received_total == small_district().reconciled.value("received_total")


def test_rates_come_from_counts_with_their_coverage(district: tuple[Path, str]) -> None:
    _, text = district
    s = small_district()
    online = s.rates["online"]
    assert f"({online.numerator:,}/{online.denominator:,} hồ sơ".replace(",", ".") in text
    assert "Tỷ lệ số hóa hồ sơ khi tiếp nhận toàn huyện đạt 96%" in text
    assert "tính trên 1 đơn vị có số liệu; chưa tính thị trấn Đông Hòa do chỉ ghi tỷ lệ" in text


def test_below_target_lists_the_rates_the_communes_wrote(district: tuple[Path, str]) -> None:
    _, text = district
    assert (
        "Tỷ lệ tiếp nhận trực tuyến chưa đạt chỉ tiêu 80% tại 2 đơn vị: xã Tây Sơn 41,78%; "
        "thị trấn Đông Hòa 72,58%" in text
    )
    assert "thị trấn Đông Hòa 98,5%" in text  # as written: 98,5 not 98,50


def test_data_errors_read_like_an_officers_text(district: tuple[Path, str]) -> None:
    _, text = district
    assert (
        "+ Xã Tây Sơn: Tổng số hồ sơ tiếp nhận đơn vị ghi là 1.406 hồ sơ, nhưng cộng số mới "
        "tiếp nhận trong kỳ 1.393, kỳ trước chuyển qua 16 thì được 1.409 hồ sơ"
    ) in text
    assert "Nếu kỳ trước chuyển qua đúng là 13 (không phải 16)" in text
    assert "Tổng số đang giải quyết được ghi hai giá trị khác nhau (22 và 23 hồ sơ)" in text
    for tool_word in ("Gợi ý sửa", "→", "sum.received", "conflict.value", "Theo cơ sở dữ liệu"):
        assert tool_word not in text


def test_senders_missing_and_unreadable(tmp_path: Path) -> None:
    the_roster = roster(("A", "xã"), ("Chợ Vàng", "thị trấn"), ("E", "xã"))
    s = summary(
        consistent("A"),
        failed("02_thi_tran_cho_vang.pdf", "Tệp PDF bị hỏng (lỗi kỹ thuật: PdfiumError)."),
        the_roster=the_roster,
    )
    _, text = render(s, tmp_path)
    assert "1/3 đơn vị đã gửi báo cáo Quý I năm 2025" in text
    assert "1 đơn vị gửi tệp không đọc được nội dung (thị trấn Chợ Vàng)" in text
    assert "1 đơn vị chưa gửi báo cáo: xã E" in text
    assert "PdfiumError" not in text and "lỗi kỹ thuật" not in text
    assert "Chưa gửi báo cáo Quý I năm 2025 theo quy định: xã E." in text  # not Chợ Vàng


def test_without_a_roster_the_notice_claims_nothing_about_who_did_not_send(tmp_path: Path) -> None:
    _, text = render(summary(consistent("A"), consistent("B"), roster_given=False), tmp_path)
    assert "đã nhận báo cáo Quý I năm 2025 của 2 đơn vị (xã A, xã B)" in text
    body = text.split("Thực hiện [Kế hoạch")[1]  # after the note to the officer
    assert "chưa gửi" not in body.replace("xác định đơn vị chưa gửi", "")
    assert "đơn vị đã gửi báo cáo" not in text  # no "n/N" claim without the list of units
    assert "[Lưu ý khi soát dự thảo:" in text


def test_date_from_the_options_or_left_blank_never_the_clock(tmp_path: Path) -> None:
    _, blank = render(small_district(), tmp_path, "a.docx")
    assert "Phú Lâm, ngày [……] tháng [……] năm 2025" in blank and "2026" not in blank
    _, given = render(small_district(notice_date=dt.date(2025, 4, 10)), tmp_path, "b.docx")
    assert "Phú Lâm, ngày 10 tháng 4 năm 2025" in given


def test_a_district_after_the_reform_gets_a_warning_in_the_draft(tmp_path: Path) -> None:
    _, text = render(small_district(notice_date=dt.date(2025, 8, 1)), tmp_path)
    assert "[Lưu ý khi soát dự thảo: Từ ngày 01/7/2025 không còn cấp huyện" in text


def test_lien_thong_figures_appear_only_when_reported(
    district: tuple[Path, str], tmp_path: Path
) -> None:
    _, text = district
    assert (
        "Đối với nhóm thủ tục liên thông, theo báo cáo của 1 đơn vị: đã tiếp nhận 120 hồ sơ" in text
    )
    _, without = render(summary(consistent("A")), tmp_path)
    assert "liên thông, theo báo cáo" not in without


def test_placeholders_marked_and_highlighted(district: tuple[Path, str]) -> None:
    path, text = district
    for placeholder in ("[Họ và tên]", "[Đoàn kiểm tra", "[tên các đơn vị được kiểm tra"):
        assert placeholder in text
    document = docx.Document(str(path))
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [
        r
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    highlighted = [r.text for r in runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert "[Họ và tên]" in highlighted and "[……]" in highlighted  # the date's blanks
    bracketed = [r.text for r in runs if r.text.startswith("[") and r.text.endswith("]")]
    assert set(bracketed) <= set(highlighted)


def test_a_province_the_roster_does_not_name_is_a_blank_to_fill(tmp_path: Path) -> None:
    """Without the province, the distribution list does not say "UBND tỉnh  (để báo cáo)":
    it leaves the officer a highlighted blank, like every other blank of the draft."""
    s = summary(consistent("A"), the_roster=roster(("A", "xã"), province=None))
    path, text = render(s, tmp_path)
    assert "- UBND tỉnh [……] (để báo cáo);" in text
    closing = docx.Document(str(path)).tables[-1].rows[0].cells[0]
    runs = [r for p in closing.paragraphs for r in p.runs if r.text == "[……]"]
    assert runs and all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in runs)


def test_distribution_list_and_signature(district: tuple[Path, str]) -> None:
    path, text = district
    assert "Nơi nhận:" in text and "- UBND tỉnh Bình Lĩnh (để báo cáo);" in text
    assert "- Văn phòng HĐND và UBND huyện;" in text and "- Lưu: VT" in text
    closing = docx.Document(str(path)).tables[-1].rows[0].cells
    assert closing[0].text.startswith("Nơi nhận:")
    assert closing[1].text.split("\n")[:3] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]


def test_no_template_markup_left(district: tuple[Path, str], province: tuple[Path, str]) -> None:
    for _, text in (district, province):
        assert not re.search(r"\{\{|\}\}|\{%|%\}|\{#", text)
        assert "&amp;" not in text and "&lt;" not in text  # escaped once, not twice
        assert TRICKY not in text  # a conflict is worded plainly, not quoted from the tool


def test_province_parent_never_says_huyen(province: tuple[Path, str]) -> None:
    _, text = province
    assert "huyện" not in text.casefold()
    assert "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LĨNH" in text and "UBND tỉnh Bình Lĩnh" in text
    assert "UBND các phường" in text and "thị trấn" not in text
    assert "- Văn phòng Chính phủ (để báo cáo);" in text and "Văn phòng UBND tỉnh" in text
    assert "toàn tỉnh" in text


def test_district_where_nobody_reported_still_renders(tmp_path: Path) -> None:
    s = summary(
        the_roster=roster(
            ("Thạch Thang", "phường"), level="thành phố", name="Hải Châu", province=None
        )
    )
    _, text = render(s, tmp_path)
    assert "UBND thành phố Hải Châu" in text and "phường Thạch Thang" in text
    assert "Tổng số hồ sơ tiếp nhận: … hồ sơ" in text  # unknown, not zero
    assert "không có hồ sơ giải quyết quá hạn" not in text
    assert "- Văn phòng Chính phủ (để báo cáo);" in text  # a centrally-run city
    assert write_workbook(s, tmp_path / "th.xlsx").exists()


def test_a_unit_name_with_xml_characters_survives(tmp_path: Path) -> None:
    odd = roster(("A & <B>", "xã"))
    low = [percentage(12.5, "online")]
    _, text = render(
        summary(
            record("A & <B>", received_total=5, resolved_total=5, pending_total=0, percentages=low),
            the_roster=odd,
        ),
        tmp_path,
    )
    assert "xã A & <B>" in text


def test_other_activities_are_reported_with_their_coverage(tmp_path: Path) -> None:
    a = consistent("A", metrics={"petitions_received": 2, "petitions_resolved": 2})
    b = consistent("B", metrics={"petitions_received": 0})
    _, text = render(summary(a, b), tmp_path)
    assert (
        "theo báo cáo của 2 đơn vị, trong kỳ tiếp nhận 2 phản ánh, kiến nghị, đã xử lý 2 phản ánh, kiến nghị "
        "(theo báo cáo của 1 đơn vị)"
    ) in text


def test_percentages_written_without_counts_are_not_summed(tmp_path: Path) -> None:
    a = consistent("A", percentages=[percentage(91.0, "digitized_result")])
    _, text = render(summary(a), tmp_path)
    assert "Tỷ lệ số hóa kết quả chưa đạt chỉ tiêu 100% tại 1 đơn vị: xã A 91%" in text
    assert "Tỷ lệ số hóa kết quả toàn" not in text  # no counts: no district rate


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
    provided = set(notice_context(small_district()))
    assert used <= provided, used - provided


def test_office_can_supply_its_own_template(tmp_path: Path) -> None:
    own = tmp_path / "mau_rieng.docx"
    document = docx.Document()
    document.add_paragraph(
        "{{ committee }} – {{ t.received_total|so }} hồ sơ – {{ r.online|tyle }}"
    )
    document.save(str(own))
    s = small_district()
    out = write_notice(s, tmp_path / "out.docx", template=own)
    online = f"{s.rates['online'].value:.2f}".replace(".", ",").rstrip("0").rstrip(",")
    total = f"{s.reconciled.value('received_total'):,}".replace(",", ".")
    assert docx.Document(str(out)).paragraphs[0].text == (
        f"UBND huyện Phú Lâm – {total} hồ sơ – {online}%"
    )


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not here")
def test_no_twelve_word_run_shared_with_a_seed(
    district: tuple[Path, str], province: tuple[Path, str]
) -> None:
    for _, text in (district, province):
        # the grounds are facts (a document's kind, number, date, issuer and official title,
        # from the registry and tthc/rules/notice.toml), not prose
        prose = "\n".join(line for line in text.split("\n") if not GROUND.match(line))
        assert prose.count("\n") < text.count("\n")  # the grounds were there, and left out
        shared = runs_shared_with_seeds(prose)
        assert not shared, shared[:3]


GROUND = re.compile(r"Căn cứ (?:Nghị định|Thông tư|Luật|Quyết định|Nghị quyết) số \S+/\d{4}/")


# ---------------------------------------------------------------------------------------
# LibreOffice opens it


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_notice_converts_to_pdf_with_vietnamese_text(
    district: tuple[Path, str], tmp_path: Path
) -> None:
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
    assert "Nơi nhận:" in text and "PHÓ CHỦ TỊCH" in text


def test_counts_whose_sum_means_little_are_given_as_a_range(tmp_path: Path) -> None:
    a = consistent("A", metrics={"procedures_published": 101, "online_services_full": 40})
    b = consistent("B", metrics={"procedures_published": 127, "desk_staff": 5})
    _, text = render(summary(a, b), tmp_path)
    assert "các đơn vị đang niêm yết, công khai từ 101 đến 127 thủ tục hành chính" in text
    assert "theo báo cáo của 1 đơn vị, mỗi đơn vị cung cấp 40 dịch vụ" in text
    assert "theo báo cáo của 1 đơn vị, có 5 công chức làm việc tại Bộ phận Một cửa" in text


# ---------------------------------------------------------------------------------------
# The issuer, grounds and recipients after the reform


def _province_notice(
    tmp_path: Path, key: str, day: dt.date | None, **notice: object
) -> tuple[Path, str]:
    """A province's notice to its communes for a period, through consolidation."""
    from tthc.schemas.summary import NoticeSettings

    the_roster = roster(
        ("Tân Hòa", "xã"), ("Đông Sơn", "phường"), level="tỉnh", name="Bình Lĩnh", period_key=key
    )
    the_roster.notice = NoticeSettings(**notice)
    s = summary(
        consistent("Tân Hòa", period_key=key),
        consistent("Đông Sơn", "phường", period_key=key),
        the_roster=the_roster,
        notice_date=day,
    )
    return render(s, tmp_path, f"{key}.docx")


def _grounds(text: str) -> list[str]:
    return re.findall(r"Căn cứ (?:Nghị định|Thông tư) số (\d+/\d{4}/[\w-]+)", text)


def _recipients(text: str) -> list[str]:
    return [line for line in text.split("Nơi nhận:")[1].split("\n") if line.startswith("- ")]


def test_a_province_quarter_iii_2025_notice(tmp_path: Path) -> None:
    path, text = _province_notice(tmp_path, "2025-Q3", dt.date(2025, 10, 10))
    assert "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LĨNH" in text and "huyện" not in text.casefold()
    assert "/TB-UBND" in text
    assert _recipients(text)[0] == "- Văn phòng Chính phủ (để báo cáo);"
    assert "Bộ Tư pháp" not in text
    assert _grounds(text) == [
        "63/2010/NĐ-CP", "118/2025/NĐ-CP", "02/2017/TT-VPCP", "03/2025/TT-VPCP"
    ]  # fmt: skip
    assert "61/2018" not in text and "01/2018/TT-VPCP" not in text and "367/2025" not in text
    assert "(từ ngày 1/7/2025 đến ngày 14/9/2025)" in text  # the new communes' first quarter
    closing = docx.Document(str(path)).tables[-1].rows[0].cells
    assert closing[1].text.split("\n")[:2] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]


def test_a_province_quarter_i_2026_notice_by_its_office(tmp_path: Path) -> None:
    path, text = _province_notice(
        tmp_path, "2026-Q1", dt.date(2026, 4, 10), issuer="van_phong", signing="TM"
    )
    assert "UBND TỈNH BÌNH LĨNH\nVĂN PHÒNG" in text and "/TB-VP" in text
    assert _recipients(text)[0] == "- Bộ Tư pháp (để báo cáo);"
    assert not any("Văn phòng Chính phủ" in line for line in _recipients(text))
    assert "(được sửa đổi, bổ sung bởi Nghị định số 367/2025/NĐ-CP)" in text
    assert "309/2026" not in text  # not yet signed on 10/4/2026
    closing = docx.Document(str(path)).tables[-1].rows[0].cells
    assert closing[1].text.split("\n")[0] == "CHÁNH VĂN PHÒNG"


def test_a_province_may_leave_the_central_body_out(tmp_path: Path) -> None:
    _, text = _province_notice(tmp_path, "2026-Q1", dt.date(2026, 4, 10), central_recipient=False)
    assert "Bộ Tư pháp" not in text
    assert _recipients(text)[0] == "- Chủ tịch, các PCT UBND tỉnh;"
    # between the two central bodies (1/1–9/1/2026) the officer fills the recipient in
    _, gap = _province_notice(tmp_path, "2025-Q4", dt.date(2026, 1, 5))
    assert "[cơ quan trung ương phụ trách kiểm soát TTHC] (để báo cáo);" in gap
