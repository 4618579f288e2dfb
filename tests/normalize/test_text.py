"""Normalization: NFC, one tone style for matching, re-joined lines, dropped page numbers and
URLs, glued symbol hyphens, and a map back to raw lines and pages."""

from __future__ import annotations

import unicodedata

from tthc.normalize.text import normalize
from tthc.schemas import RawDocument, RawLine
from tthc.textkit.forms import compile_vi, match_form


def _norm(*lines: str, **kw):
    return normalize(
        RawDocument(path="t.txt", format="txt", lines=[RawLine(text=s, **kw) for s in lines])
    )


def _lines(text):
    return [text.text[ln.start : ln.end] for ln in text.lines]


def test_decomposed_text_becomes_nfc():
    t = _norm(unicodedata.normalize("NFD", "Tổng số hồ sơ tiếp nhận: 120"))
    assert t.text.strip() == "Tổng số hồ sơ tiếp nhận: 120"
    assert unicodedata.is_normalized("NFC", t.text)


def test_match_view_has_one_tone_style_and_same_offsets():
    t = _norm("Số hoá hồ sơ tại UBND xã Thuỷ Sơn; số hóa kết quả; Quý II")
    assert len(t.match) == len(t.text)
    assert t.match.count("số hóa") == 2
    assert "thủy sơn" in t.match and "quý ii" in t.match  # "qu" + "ý" is left alone
    assert match_form("Uỷ ban") == match_form("Ủy ban")


def test_compile_vi_applies_the_tone_style_to_literals():
    assert compile_vi(r"kế\s+hoạch").search(match_form("Kế hoạch số 12"))
    assert compile_vi(r"toàn\s+xã").search(match_form("Toàn xã đạt 90%"))


def test_wrapped_lines_and_blank_lines_inside_a_paragraph_are_joined():
    t = _norm(
        "Trong quý, UBND xã đã tiếp nhận tổng số 1.204 hồ sơ thủ tục hành chính của tổ chức và",
        "",
        "công dân trên địa bàn, trong đó trực tuyến 900 hồ sơ.",
        "- Kỳ trước chuyển sang: 04 hồ sơ",
    )
    assert _lines(t) == [
        "Trong quý, UBND xã đã tiếp nhận tổng số 1.204 hồ sơ thủ tục hành chính của tổ chức và "
        "công dân trên địa bàn, trong đó trực tuyến 900 hồ sơ.",
        "- Kỳ trước chuyển sang: 04 hồ sơ",
    ]


def test_title_then_blank_then_capital_is_a_new_paragraph():
    t = _norm(
        "Kết quả kiểm soát thủ tục hành chính quý III năm 2025 của UBND phường Tân An",
        "",
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 02/7/2025, UBND phường báo cáo như sau:",
    )
    assert len(t.lines) == 2


def test_function_word_at_line_end_continues_into_a_capital():
    t = _norm(
        "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 8/6/2010 của", "", "Chính phủ về kiểm soát TTHC;"
    )
    assert len(t.lines) == 1


def test_headings_and_bullets_start_new_lines():
    t = _norm(
        "1.Công tác chỉ đạo",
        "a) Tiếp nhận hồ sơ",
        "- Đã giải quyết: 10",
        "+ Trước hạn: 9",
        "-hộ tịch nằm trong dòng trên",
    )
    assert _lines(t) == [
        "1.Công tác chỉ đạo",
        "a) Tiếp nhận hồ sơ",
        "- Đã giải quyết: 10",
        "+ Trước hạn: 9 -hộ tịch nằm trong dòng trên",  # "-hộ tịch" continues, it is no bullet
    ]


def test_page_numbers_and_url_lines_are_dropped():
    t = _norm(
        "Số hồ sơ đã giải quyết là",
        "",
        "3",
        "",
        "412 hồ sơ.",
        "https://example.gov.vn/van-ban/123",
        "Tổng cộng: 5",
    )
    assert _lines(t) == ["Số hồ sơ đã giải quyết là 412 hồ sơ.", "Tổng cộng: 5"]


def test_a_lone_number_after_a_colon_is_kept():
    t = _norm("Tổng số hồ sơ tiếp nhận:", "", "95", "")
    assert "95" in t.text


def test_symbol_hyphen_at_line_end_is_glued_back():
    t = _norm("Thực hiện Kế hoạch số 52/KH-", "UBND ngày 14/4/2024 của UBND huyện.")
    assert "52/KH-UBND ngày" in t.text


def test_pdfium_hyphen_mark_becomes_a_hyphen():
    t = _norm("Nghị định số 45/2020/NĐ\ufffe", "CP ngày 08/4/2020")
    assert "45/2020/NĐ-CP" in t.text


def test_table_rows_stay_rows_with_cell_spans():
    doc = RawDocument(
        path="t.docx",
        format="docx",
        lines=[
            RawLine(text="Lĩnh vực | Tổng số", cells=["Lĩnh vực", "Tổng số"], table=0),
            RawLine(text="hộ tịch | 12", cells=["hộ tịch", "12"], table=0),
        ],
    )
    t = normalize(doc)
    assert len(t.lines) == 2
    s, e = t.lines[1].cells[1]
    assert t.text[s:e] == "12"


def test_docx_paragraph_ends_are_never_joined():
    doc = RawDocument(
        path="t.docx",
        format="docx",
        lines=[
            RawLine(text="Tình hình giải quyết hồ sơ", para_end=True),
            RawLine(text="tiếp nhận 12 hồ sơ", para_end=True),
        ],
    )
    assert len(normalize(doc).lines) == 2


def test_evidence_maps_back_to_raw_line_and_page():
    doc = RawDocument(
        path="t.pdf",
        format="pdf",
        lines=[
            RawLine(text="Báo cáo quý I", page=1),
            RawLine(text="Số hồ sơ đang giải quyết là 7 hồ sơ", page=2),
        ],
    )
    t = normalize(doc)
    start = t.text.index("7 hồ sơ")
    ev = t.evidence(start, start + 7)
    assert (ev.page, ev.source_line, ev.line, ev.quote) == (2, 2, 2, "7 hồ sơ")


def test_column_gap_becomes_a_tab():
    t = _norm("Nơi nhận:            TM. ỦY BAN NHÂN DÂN")
    assert "\t" in t.text


def test_a_page_number_that_breaks_a_sentence_after_a_colon_is_dropped():
    """ "… quá hạn:" / "2" / "0.": the document's next page number between two halves of a
    sentence is page furniture; a lone value after a colon that nothing continues is kept."""
    t = _norm("- Đã giải quyết: 40; trong đó quá hạn:", "", "", "2", "", "0.", "Hết.")
    assert _lines(t)[0] == "- Đã giải quyết: 40; trong đó quá hạn: 0."
    kept = _norm("Tổng số hồ sơ quá hạn:", "", "2", "", "Kết luận chung.")
    assert "2" in kept.text


def test_a_pdf_page_number_at_the_top_of_its_page_is_dropped():
    doc = RawDocument(
        path="t.pdf",
        format="pdf",
        lines=[
            RawLine(text="Hồ sơ nộp trực tiếp tại Bộ phận Một cửa:", page=1),
            RawLine(text="3", page=3),
            RawLine(text="415 hồ sơ.", page=3),
        ],
    )
    assert _lines(normalize(doc)) == ["Hồ sơ nộp trực tiếp tại Bộ phận Một cửa: 415 hồ sơ."]


def test_running_headers_and_footers_are_dropped():
    lines = []
    for page in range(1, 5):
        lines += [
            RawLine(text="UBND xã Tân Lập - Báo cáo quý II", page=page),
            RawLine(text=f"Nội dung trang {page} của báo cáo.", page=page),
            RawLine(text=f"Trang {page}/4", page=page),
        ]
    t = normalize(RawDocument(path="t.pdf", format="pdf", lines=lines))
    assert "Tân Lập" not in t.text and "Trang" not in t.text
    assert "Nội dung trang 3 của báo cáo." in t.text


def test_a_wrap_before_a_spaced_hyphen_is_not_a_bullet():
    t = _norm(
        "Theo lĩnh vực, hồ sơ tiếp nhận gồm: hộ tịch 301; chứng thực 1.020; thi đua",
        "- khen thưởng 3; môi trường 2.",
        "- Số hồ sơ đang giải quyết: 12.",
    )
    assert len(_lines(t)) == 2 and "thi đua - khen thưởng 3" in _lines(t)[0]


def test_a_line_ending_in_a_comma_goes_on_after_a_blank_line():
    t = _norm("Đối với thủ tục liên thông (khai sinh, khai tử),", "", "UBND xã tiếp nhận 40 hồ sơ.")
    assert len(_lines(t)) == 1


def test_eth_reads_as_d_with_stroke():
    t = _norm("QUYẾT ÐỊNH số 12/QÐ-UBND")
    assert _lines(t) == ["QUYẾT ĐỊNH số 12/QĐ-UBND"]


def test_ocr_slashes_read_as_one_slash():
    t = _norm("Trong quý II/\u20442025 và 6\u22157/2025, ngày 5\uff0f7; xem https://dvc.gov.vn")
    assert _lines(t) == ["Trong quý II/2025 và 6/7/2025, ngày 5/7; xem https://dvc.gov.vn"]


def test_a_page_break_inside_a_sentence_is_no_paragraph_break():
    t = _norm(
        "- Hồ sơ nộp qua dịch vụ công trực tuyến: 420 hồ sơ; nộp trực tiếp tại Bộ phận",
        "",
        "",
        "2",
        "",
        "Một cửa: 315 hồ sơ.",
    )
    assert _lines(t) == [
        "- Hồ sơ nộp qua dịch vụ công trực tuyến: 420 hồ sơ; nộp trực tiếp tại Bộ phận "
        "Một cửa: 315 hồ sơ."
    ]


def test_a_line_wrapped_after_a_slash_joins_without_a_space():
    t = _norm(
        "Đã giải quyết 498 hồ sơ của công dân và tổ chức trên địa bàn xã (trước hạn/",
        "đúng hạn: 273/225), còn 38 hồ sơ.",
    )
    assert _lines(t) == [
        "Đã giải quyết 498 hồ sơ của công dân và tổ chức trên địa bàn xã (trước hạn/đúng hạn: "
        "273/225), còn 38 hồ sơ."
    ]


def test_a_conclusion_arrow_opens_its_own_paragraph():
    t = _norm("  + Cấp xã: tiếp nhận 300, đã giải quyết 280 hồ sơ", "  => Tổng cộng: 900 hồ sơ.")
    assert len(_lines(t)) == 2


def test_a_count_wrapped_to_the_start_of_a_line_is_no_heading() -> None:
    """ "… đúng hạn 1.022, trễ hạn" / "21. Còn 69 hồ sơ …": the line goes on with its count;
    a numbered heading after a finished sentence stays a heading."""
    lines = [
        "- Sở Xây dựng: đã giải quyết 2.406 hồ sơ: trước hạn 1.363, đúng hạn 1.022, trễ hạn",
        "21. Còn 69 hồ sơ đang giải quyết.",
        "Các phòng đã giải quyết xong toàn bộ hồ sơ trong tháng, không có hồ sơ trễ hạn.",
        "2. Kết quả giải quyết",
    ]
    text = normalize(
        RawDocument(path="t.txt", format="txt", lines=[RawLine(text=t) for t in lines])
    )
    paragraphs = [text.text[ln.start : ln.end] for ln in text.lines]
    assert paragraphs[0].endswith("trễ hạn 21. Còn 69 hồ sơ đang giải quyết.")
    assert "2. Kết quả giải quyết" in paragraphs
