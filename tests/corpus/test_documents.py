"""The document writers: what they put in a file, read back with the libraries themselves
(python-docx, pdfplumber) and, for round trips, with our loaders."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import documents as render
from corpus.documents import Para, Table, pdf_font, write_docx, write_pdf, write_txt
from tthc.load import load

ROWS = [
    ["Lĩnh vực", "Tổng số", "Trực tuyến", "Trực tiếp", "Đã giải quyết", "Đang giải quyết"],
    ["Hộ tịch", "1.234", "1.020", "214", "1.229", "5"],
    ["Chứng thực", "2.416", "865", "1.551", "2.416", "0"],
]
MOTTO = Table(
    [
        [
            "ỦY BAN NHÂN DÂN\nXÃ BÌNH MINH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        ],
        ["Số: 21/BC-UBND", "Bình Minh, ngày 05 tháng 12 năm 2024"],
    ],
    header_rows=0,
    borders=False,
    widths=[2, 3],
)
SENTENCE = (
    "Ủy ban nhân dân xã đã chỉ đạo Bộ phận Một cửa niêm yết công khai thủ tục hành chính, "
    "hướng dẫn người dân nộp hồ sơ trực tuyến và số hóa kết quả giải quyết."
)


def sample_blocks(paragraphs: int = 1) -> list[render.Block]:
    return [
        MOTTO,
        Para("BÁO CÁO", bold=True, align="center", size=14),
        Para("Tình hình thực hiện cơ chế một cửa năm 2024", italic=True, align="center"),
        *[Para(SENTENCE, align="justify") for _ in range(paragraphs)],
        Table(ROWS, widths=[3, 1, 1, 1, 1.2, 1.2]),
        Para("Nơi nhận:\n- UBND tỉnh;\n- Lưu: VT.", size=11),
    ]


# ---------------------------------------------------------------------------------------
# Plain text


def test_txt_table_styles(tmp_path: Path) -> None:
    blocks = [Para("Kết quả:"), Table([["Lĩnh vực", "Số hồ sơ"], ["Hộ\ntịch", "12"]])]
    tabs = write_txt(tmp_path / "a.txt", blocks).read_text(encoding="utf-8")
    pipes = write_txt(tmp_path / "b.txt", blocks, table_style="pipes").read_text(encoding="utf-8")
    flat = write_txt(tmp_path / "c.txt", blocks, table_style="flat").read_text(encoding="utf-8")
    assert tabs == "Kết quả:\nLĩnh vực\tSố hồ sơ\nHộ tịch\t12\n"
    assert pipes == "Kết quả:\nLĩnh vực | Số hồ sơ\nHộ tịch | 12\n"
    assert flat == "Kết quả:\nLĩnh vực\nSố hồ sơ\nHộ\ntịch\n12\n"


def test_txt_wraps_mid_sentence_and_keeps_decomposed_text(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", SENTENCE)
    out = write_txt(tmp_path / "w.txt", [Para(decomposed)], wrap=60).read_text(encoding="utf-8")
    lines = out.splitlines()
    assert len(lines) > 1 and all(len(ln) <= 60 for ln in lines)
    assert " ".join(lines) == decomposed  # written as given: no normalization


def test_bad_blocks_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="align"):
        write_txt(tmp_path / "x.txt", [Para("a", align="middle")])
    with pytest.raises(ValueError, match="widths"):
        write_docx(tmp_path / "x.docx", [Table([["a", "b"]], widths=[1])])
    with pytest.raises(ValueError, match="table_style"):
        write_txt(tmp_path / "x.txt", [], table_style="csv")


# ---------------------------------------------------------------------------------------
# Word


def test_docx_page_fonts_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document(str(write_docx(tmp_path / "r.docx", sample_blocks())))
    section = document.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)

    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.text == "BÁO CÁO" and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].bold and title.runs[0].font.size == Pt(14)
    assert paragraphs[1].runs[0].italic
    assert paragraphs[2].alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert paragraphs[3].text == "Nơi nhận:\n- UBND tỉnh;\n- Lưu: VT."  # line breaks

    motto, table = document.tables
    assert motto.style.name != "Table Grid"  # a layout table: no lines
    assert motto.cell(0, 0).text == "ỦY BAN NHÂN DÂN\nXÃ BÌNH MINH"
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == ROWS
    header = table.rows[0]
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert not any(r.bold for c in table.rows[1].cells for r in c.paragraphs[0].runs)
    widths = [c.width for c in table.rows[1].cells]
    assert widths[0] == pytest.approx(3 * widths[1], rel=0.01)


def test_docx_round_trip_through_the_loader(tmp_path: Path) -> None:
    doc = load(write_docx(tmp_path / "r.docx", sample_blocks()))
    assert [ln.cells for ln in doc.lines if ln.table == 1] == ROWS
    assert doc.lines[0].cells == [
        "ỦY BAN NHÂN DÂN XÃ BÌNH MINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
    ]
    assert [ln.text for ln in doc.lines[-3:]] == ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."]


# ---------------------------------------------------------------------------------------
# PDF


def test_pdf_ruled_table_is_found_and_layout_table_is_not(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "r.pdf", sample_blocks())
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        tables = page.find_tables()
        assert len(tables) == 1  # the borderless motto table draws no lines
        cells = [[(c or "").replace("\n", " ") for c in row] for row in tables[0].extract()]
        assert cells == ROWS
        fonts = {c["fontname"].split("+")[-1] for c in page.chars}
        assert fonts and all(f.startswith("LiberationSerif") for f in fonts)
        assert any("Bold" in f for f in fonts)
        width_mm = page.width * 25.4 / 72
        assert width_mm == pytest.approx(210, abs=0.5)
        x0 = tables[0].bbox[0] * 25.4 / 72  # the table starts at the left margin
        assert x0 == pytest.approx(render.MARGINS_MM["left"], abs=0.5)


def test_pdf_long_content_flows_onto_pages_with_page_numbers(tmp_path: Path) -> None:
    blocks = [*sample_blocks(paragraphs=12), Table([ROWS[0]] + [ROWS[1]] * 40)]
    path = write_pdf(tmp_path / "long.pdf", blocks, page_numbers=True)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3
        second = pdf.pages[1].extract_text_lines()
        assert second[0]["text"] == "2"
        for page in pdf.pages[1:]:  # header row repeated where the table runs on
            for table in page.find_tables():
                assert table.extract()[0][0] == "Lĩnh vực"


def test_writers_are_deterministic(tmp_path: Path) -> None:
    blocks = sample_blocks(paragraphs=3)
    for writer in (write_txt, write_docx, write_pdf):
        a = writer(tmp_path / f"a.{writer.__name__}", blocks).read_bytes()
        b = writer(tmp_path / f"b.{writer.__name__}", blocks).read_bytes()
        assert a == b, writer.__name__


def test_pdfs_are_set_in_the_one_pinned_font(tmp_path: Path) -> None:
    """Every style is Liberation Serif 2 from its fixed folder; the PDF embeds only it."""
    fonts = {(bold, italic): pdf_font(bold, italic=italic) for bold in (0, 1) for italic in (0, 1)}
    assert {f.parent for f in fonts.values()} == {render.PDF_FONT_DIR}
    assert fonts[(0, 0)].name == "LiberationSerif-Regular.ttf"
    assert fonts[(1, 1)].name == "LiberationSerif-BoldItalic.ttf"
    with pdfplumber.open(write_pdf(tmp_path / "f.pdf", sample_blocks(paragraphs=1))) as pdf:
        names = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}
    assert names and all(n.startswith("LiberationSerif") for n in names), names


def test_another_font_is_no_substitute(tmp_path: Path) -> None:
    """A folder holding another Vietnamese-capable font, but not the pinned one: an error
    naming what to install, never a silent fallback."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(render.PDF_FONT_DIR / "LiberationSans-Regular.ttf", other)
    with pytest.raises(render.FontMissing, match="fonts-liberation2"):
        pdf_font(font_dir=other)


def test_write_pdf_without_the_font_says_so(tmp_path: Path) -> None:
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "LiberationSerif-Regular.ttf").write_bytes(b"not a font")
    with pytest.raises(render.FontMissing, match="Vietnamese"):
        write_pdf(tmp_path / "x.pdf", [Para("Không có phông chữ.")], font_dir=tmp_path / "fonts")
    with pytest.raises(render.FontMissing, match="install fonts-liberation2"):
        write_pdf(tmp_path / "y.pdf", [Para("Không có phông chữ.")], font_dir=tmp_path / "none")


def test_fixture_tables_keep_every_number_on_one_line() -> None:
    from tests.extract.test_project_fixtures import _form_blocks
    from tests.fixtures.reports import numbers_fit
    from tests.load.test_formats import report_blocks

    tables = [b for b in [*_form_blocks(), *report_blocks(extra_rows=3)] if isinstance(b, Table)]
    assert len(tables) == 2
    assert all(numbers_fit(t) for t in tables)


def test_a_narrow_number_column_is_widened(tmp_path: Path) -> None:
    """Squeezed to a few millimetres, "1.234.567" would wrap; fitted, it reads whole."""
    from tests.fixtures.reports import fit_numbers, numbers_fit, text_width_mm

    narrow = Table([["Lĩnh vực", "Số hồ sơ"], ["Hộ tịch", "1.234.567"]], widths=[30, 1])
    assert not numbers_fit(narrow)
    fitted = fit_numbers(narrow)
    assert numbers_fit(fitted)
    assert fitted.widths[1] > text_width_mm("1.234.567")
    assert sum(fitted.widths) == pytest.approx(165.0)
    doc = load(write_pdf(tmp_path / "n.pdf", [fitted]))
    assert "1.234.567" in [w for line in doc.lines for w in line.text.split()]


# ---------------------------------------------------------------------------------------
# Round trips with generated text

VOCABULARY = (
    "ủy ban nhân dân xã phường hồ sơ tiếp nhận giải quyết trực tuyến đúng hạn quá hạn "
    "thủ tục hành chính số hóa kết quả năm 2024 1.234 83,4% 17/KH-UBND Đắk Lắk Thừa Thiên "
    "Huế ngày 05/12/2024 chứng thực hộ tịch đất đai bưu chính công ích"
)
WORDS = st.sampled_from(VOCABULARY.split())
PARAGRAPHS = st.lists(
    st.lists(WORDS, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=4
)


@given(paragraphs=PARAGRAPHS)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_docx_round_trip_keeps_every_paragraph(tmp_path: Path, paragraphs: list[str]) -> None:
    doc = load(write_docx(tmp_path / "h.docx", [Para(p) for p in paragraphs]))
    assert [ln.text for ln in doc.lines] == paragraphs


@given(paragraphs=PARAGRAPHS)
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_pdf_round_trip_keeps_every_word(tmp_path: Path, paragraphs: list[str]) -> None:
    doc = load(write_pdf(tmp_path / "h.pdf", [Para(p, align="justify") for p in paragraphs]))
    assert " ".join(ln.text for ln in doc.lines).split() == " ".join(paragraphs).split()
