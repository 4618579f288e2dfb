"""Loaders on real files: DOCX and PDF written by corpus.documents, and damaged inputs.

Every input is generated inside tmp_path; the Vietnamese text is our own. What is checked
is what the later stages depend on: reading order, one RawLine per table row with its
cells, page numbers, exact text, and a Vietnamese LoadError for each unreadable file.
"""

from __future__ import annotations

import io
import os
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml

from corpus.documents import Para, Table, pdf_font, write_docx, write_pdf, write_txt
from tests.fixtures.reports import fit_numbers, letterhead
from tthc.load import load
from tthc.load.formats import sniff_format
from tthc.normalize.text import normalize
from tthc.schemas import LoadError, RawDocument

HEADER = ["Lĩnh vực", "Tổng số", "Trực tuyến", "Trực tiếp", "Đã giải quyết", "Đang giải quyết"]
DATA = [
    ["Hộ tịch", "1.234", "1.020", "214", "1.229", "5"],
    ["Chứng thực", "2.416", "865", "1.551", "2.416", "0"],
    ["Đất đai", "37", "12", "25", "30", "07"],
]
INTRO = (
    "Trong quý III năm 2024, Ủy ban nhân dân xã Hòa Thuận tiếp tục rà soát, công khai đầy "
    "đủ thủ tục hành chính tại Bộ phận Một cửa và trên Cổng dịch vụ công trực tuyến."
)
BEFORE_TABLE = "Kết quả tiếp nhận và giải quyết hồ sơ theo từng lĩnh vực như sau:"
AFTER_TABLE = (
    "Nhìn chung, hồ sơ được giải quyết đúng hạn; một số hồ sơ đất đai còn chậm do phải "
    "xác minh nguồn gốc sử dụng đất với các cơ quan liên quan."
)
FILLER = (
    "Cán bộ một cửa hướng dẫn người dân nộp hồ sơ qua dịch vụ công trực tuyến, số hóa thành "
    "phần hồ sơ khi tiếp nhận và trả kết quả điện tử đúng quy định; những vướng mắc phát "
    "sinh được báo cáo kịp thời để Chủ tịch Ủy ban nhân dân xã chỉ đạo xử lý."
)


def report_blocks(filler_paragraphs: int = 0, extra_rows: int = 0) -> list[Para | Table]:
    """A small report: title, paragraphs, a ruled dossier table, a closing paragraph."""
    rows = [HEADER, *DATA]
    rows += [[f"Lĩnh vực bổ sung {i}", str(i), "0", str(i), str(i), "0"] for i in range(extra_rows)]
    return [
        Para("BÁO CÁO", bold=True, align="center", size=14),
        Para("Kết quả kiểm soát thủ tục hành chính quý III năm 2024", bold=True, align="center"),
        Para(INTRO, align="justify"),
        *[Para(FILLER, align="justify") for _ in range(filler_paragraphs)],
        Para(BEFORE_TABLE),
        fit_numbers(Table(rows, widths=[3, 1.4, 1.4, 1.4, 1.6, 1.6])),
        Para(AFTER_TABLE, align="justify"),
    ]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def index_of(doc: RawDocument, startswith: str) -> int:
    return next(i for i, ln in enumerate(doc.lines) if ln.text.startswith(startswith))


def rows_of(doc: RawDocument) -> list[list[str]]:
    return [ln.cells for ln in doc.lines if ln.cells is not None]


# ---------------------------------------------------------------------------------------
# DOCX


def test_docx_paragraphs_table_paragraphs_in_order(tmp_path: Path) -> None:
    doc = load(write_docx(tmp_path / "bao_cao.docx", report_blocks()))
    assert doc.format == "docx" and doc.pages is None and len(doc.sha256 or "") == 64
    texts = [ln.text for ln in doc.lines]
    assert texts[:3] == [
        "BÁO CÁO",
        "Kết quả kiểm soát thủ tục hành chính quý III năm 2024",
        INTRO,
    ]
    first_row, closing = index_of(doc, "Lĩnh vực"), index_of(doc, "Nhìn chung")
    assert index_of(doc, "Kết quả tiếp nhận") < first_row < closing
    table_lines = doc.lines[first_row:closing]
    assert [ln.cells for ln in table_lines] == [HEADER, *DATA]
    assert {ln.table for ln in table_lines} == {0}
    assert table_lines[1].text == "Hộ tịch | 1.234 | 1.020 | 214 | 1.229 | 5"
    assert all(ln.cells is None and ln.table is None for ln in doc.lines if ln not in table_lines)


def _docx(tmp_path: Path, build: Callable[[DocxDocument], object]) -> Path:
    document = docx.Document()
    build(document)
    path = tmp_path / "t.docx"
    document.save(str(path))
    return path


def test_docx_merged_cells_keep_the_grid_without_repeating_text(tmp_path: Path) -> None:
    def build(d: DocxDocument) -> None:
        t = d.add_table(rows=3, cols=4)
        t.cell(0, 0).merge(t.cell(1, 0)).text = "Lĩnh vực"  # vertical merge
        t.cell(0, 1).merge(t.cell(0, 2)).text = "Số hồ sơ nhận"  # horizontal merge
        t.cell(0, 3).text = "Đã giải quyết"
        for col, value in enumerate(["", "Trực tuyến", "Trực tiếp", ""], start=0):
            if value:
                t.cell(1, col).text = value
        for col, value in enumerate(["Hộ tịch", "12", "12", "24"]):  # equal values stay
            t.cell(2, col).text = value

    doc = load(_docx(tmp_path, build))
    assert rows_of(doc) == [
        ["Lĩnh vực", "Số hồ sơ nhận", "", "Đã giải quyết"],
        ["", "Trực tuyến", "Trực tiếp", ""],
        ["Hộ tịch", "12", "12", "24"],
    ]


def test_docx_nested_table_rows_follow_the_outer_row(tmp_path: Path) -> None:
    def build(d: DocxDocument) -> None:
        d.add_paragraph("Trước bảng.")
        outer = d.add_table(rows=2, cols=2)
        outer.cell(0, 0).text = "Nội dung"
        outer.cell(0, 1).text = "Kết quả"
        outer.cell(1, 0).text = "Tiếp nhận hồ sơ"
        cell = outer.cell(1, 1)
        cell.text = "Chi tiết:"
        inner = cell.add_table(rows=2, cols=2)
        for r, row in enumerate([["Trực tuyến", "40"], ["Trực tiếp", "60"]]):
            for c, value in enumerate(row):
                inner.cell(r, c).text = value
        d.add_paragraph("Sau bảng.")

    doc = load(_docx(tmp_path, build))
    got = [(ln.table, ln.cells or ln.text) for ln in doc.lines]
    assert got == [
        (None, "Trước bảng."),
        (0, ["Nội dung", "Kết quả"]),
        (0, ["Tiếp nhận hồ sơ", "Chi tiết:"]),
        (1, ["Trực tuyến", "40"]),
        (1, ["Trực tiếp", "60"]),
        (None, "Sau bảng."),
    ]


_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _run(text: str) -> str:
    return f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>"


def test_docx_reads_text_python_docx_paragraph_text_drops(tmp_path: Path) -> None:
    """Tracked insertions, content controls and text boxes hold real figures."""
    box = f"<w:txbxContent><w:p>{_run('Ghi chú trong khung')}</w:p></w:txbxContent>"
    xml = (
        f"<w:p {_NS}>{_run('Tổng số hồ sơ tiếp nhận: ')}"
        f"<w:ins w:id='1' w:author='A'>{_run('681')}</w:ins>"
        f"<w:del w:id='2' w:author='A'><w:r><w:delText>680</w:delText></w:r></w:del>"
        f"{_run(' hồ sơ; đã giải quyết ')}"
        f"<w:sdt><w:sdtPr/><w:sdtContent>{_run('675')}</w:sdtContent></w:sdt>"
        f"{_run(' hồ sơ.')}"
        "<w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>"
        "</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )

    def build(d: DocxDocument) -> None:
        d.add_paragraph("Mở đầu.")
        d.element.body.insert(1, parse_xml(xml))

    doc = load(_docx(tmp_path, build))
    assert [ln.text for ln in doc.lines] == [
        "Mở đầu.",
        "Tổng số hồ sơ tiếp nhận: 681 hồ sơ; đã giải quyết 675 hồ sơ.",
        "Ghi chú trong khung",  # once: the Fallback copy is not read again
    ]


def test_docx_soft_line_break_and_tab(tmp_path: Path) -> None:
    def build(d: DocxDocument) -> None:
        p = d.add_paragraph("Số: 15/BC-UBND\tHòa Thuận, ngày 02 tháng 10 năm 2024")
        p.add_run().add_break()
        p.add_run("dòng thứ hai")

    doc = load(_docx(tmp_path, build))
    assert [ln.text for ln in doc.lines] == [
        "Số: 15/BC-UBND\tHòa Thuận, ngày 02 tháng 10 năm 2024",
        "dòng thứ hai",
    ]


def test_docx_without_text_is_refused(tmp_path: Path) -> None:
    path = _docx(tmp_path, lambda d: (d.add_paragraph(""), d.add_paragraph("   ")))
    with pytest.raises(LoadError, match="không có chữ"):
        load(path)


def test_docx_with_invalid_xml_values_is_a_load_error(tmp_path: Path) -> None:
    def build(d: DocxDocument) -> None:
        cell = d.add_table(rows=1, cols=2).cell(0, 0)
        cell.text = "Hộ tịch"
        span = parse_xml(f"<w:gridSpan {_NS} w:val='hai'/>")  # must be a number
        cell._tc.get_or_add_tcPr().append(span)

    with pytest.raises(LoadError, match="bị hỏng"):
        load(_docx(tmp_path, build))


def test_docx_end_to_end_normalize_keeps_rows_and_cell_spans(tmp_path: Path) -> None:
    text = normalize(load(write_docx(tmp_path / "r.docx", report_blocks())))
    rows = [ln for ln in text.lines if ln.cells is not None]
    assert len(rows) == 1 + len(DATA)
    for line, expected in zip(rows, [HEADER, *DATA], strict=True):
        assert [text.text[a:b] for a, b in line.cells] == expected
        assert line.table == 0
        assert "\n" not in text.text[line.start : line.end]
    assert text.text[rows[1].start : rows[1].end] == "Hộ tịch | 1.234 | 1.020 | 214 | 1.229 | 5"
    paragraphs = [text.text[ln.start : ln.end] for ln in text.lines if ln.cells is None]
    assert BEFORE_TABLE in paragraphs and AFTER_TABLE in paragraphs


# ---------------------------------------------------------------------------------------
# PDF


def test_pdf_multipage_table_reading_order_and_exact_text(tmp_path: Path) -> None:
    blocks = report_blocks(filler_paragraphs=9, extra_rows=25)
    path = write_pdf(tmp_path / "bao_cao.pdf", blocks)
    import pdfplumber  # noqa: F401 - imported before the clock starts

    started = time.perf_counter()
    doc = load(path)
    per_page = (time.perf_counter() - started) * 1000 / (doc.pages or 1)
    print(f"\nPDF load: {per_page:.0f} ms/page over {doc.pages} pages")

    assert doc.format == "pdf" and doc.pages is not None and doc.pages >= 2
    assert doc.warnings == []
    pages = [ln.page for ln in doc.lines]
    assert pages[0] == 1 and pages[-1] == doc.pages and pages == sorted(pages)

    table_lines = [ln for ln in doc.lines if ln.cells is not None]
    expected_rows = next(b for b in blocks if isinstance(b, Table)).rows
    assert [ln.cells for ln in table_lines] == expected_rows  # header not repeated
    assert {ln.table for ln in table_lines} == {0}  # one table across the page break
    assert {ln.page for ln in table_lines} == {1, 2}
    assert table_lines[1].text == "Hộ tịch | 1.234 | 1.020 | 214 | 1.229 | 5"

    first_row, closing = index_of(doc, "Lĩnh vực |"), index_of(doc, "Nhìn chung")
    assert index_of(doc, INTRO[:30]) < index_of(doc, BEFORE_TABLE) < first_row < closing
    assert doc.lines[closing].page == doc.pages

    running = " ".join(ln.text for ln in doc.lines if ln.cells is None)
    expected = " ".join(b.text for b in blocks if isinstance(b, Para))
    assert nfc(running) == nfc(expected)


def test_pdf_layout_table_without_lines_is_text_with_column_gaps(tmp_path: Path) -> None:
    header = letterhead()
    doc = load(write_pdf(tmp_path / "h.pdf", [header, Para("Nội dung báo cáo.")]))
    assert all(ln.cells is None for ln in doc.lines)
    assert doc.lines[0].text == "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert doc.lines[1].text == "XÃ HÒA THUẬN"
    assert doc.lines[2].text == "Số: 15/BC-UBND    Hòa Thuận, ngày 02 tháng 10 năm 2024"
    text = normalize(doc)
    assert "Số: 15/BC-UBND\tHòa Thuận" in text.text


def test_pdf_cell_lines_are_joined_and_broken_codes_glued(tmp_path: Path) -> None:
    table = Table(
        [
            ["Nhiệm vụ", "Văn bản"],
            ["Rà soát thủ tục hành chính nội bộ năm 2024", "Kế hoạch số 17/KH-UBND"],
        ],
        widths=[1, 0.42],
    )
    doc = load(write_pdf(tmp_path / "c.pdf", [table]))
    assert rows_of(doc) == [
        ["Nhiệm vụ", "Văn bản"],
        ["Rà soát thủ tục hành chính nội bộ năm 2024", "Kế hoạch số 17/KH-UBND"],
    ]


def _pdf_with_blank_page(path: Path, blank_pages: set[int], pages: int) -> Path:
    """Pages with text, except those in `blank_pages` which only carry a drawn rectangle."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("VN", "", str(pdf_font()))
    pdf.set_font("VN", "", 12)
    for n in range(1, pages + 1):
        pdf.add_page()
        if n in blank_pages:
            pdf.rect(20, 20, 120, 80)  # what a scan without a text layer looks like to us
        else:
            pdf.cell(0, 10, f"Trang {n}: nội dung có lớp chữ.")
    pdf.output(str(path))
    return path


def test_pdf_some_pages_without_text_give_a_warning(tmp_path: Path) -> None:
    doc = load(_pdf_with_blank_page(tmp_path / "mixed.pdf", {2, 4}, pages=4))
    assert doc.pages == 4
    assert [(ln.page, ln.text) for ln in doc.lines] == [
        (1, "Trang 1: nội dung có lớp chữ."),
        (3, "Trang 3: nội dung có lớp chữ."),
    ]
    assert len(doc.warnings) == 1
    assert "2, 4" in doc.warnings[0] and "scan" in doc.warnings[0]


def test_pdf_fake_bold_drawn_twice_is_read_once(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("VN", "", str(pdf_font()))
    pdf.set_font("VN", "", 13)
    pdf.add_page()
    for dx in (0, 0.15):  # the same line drawn twice, shifted a fraction of a point
        pdf.text(30 + dx, 30, "KẾT QUẢ GIẢI QUYẾT HỒ SƠ")
    pdf.text(30, 40, "Đã giải quyết 1.229 hồ sơ.")
    pdf.output(str(tmp_path / "bold.pdf"))
    doc = load(tmp_path / "bold.pdf")
    assert [ln.text for ln in doc.lines] == [
        "KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "Đã giải quyết 1.229 hồ sơ.",
    ]


def test_pdf_end_to_end_normalize_keeps_rows(tmp_path: Path) -> None:
    text = normalize(load(write_pdf(tmp_path / "r.pdf", report_blocks())))
    rows = [ln for ln in text.lines if ln.cells is not None]
    assert [[text.text[a:b] for a, b in ln.cells] for ln in rows] == [HEADER, *DATA]
    paragraphs = [text.text[ln.start : ln.end] for ln in text.lines if ln.cells is None]
    assert INTRO in paragraphs and AFTER_TABLE in paragraphs  # wrapped lines re-joined
    segment = text.segment(rows[2].start)
    assert segment is not None and segment.page == 1


def test_pdf_is_sniffed_by_content_not_name(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "a.pdf", [Para("Báo cáo tháng 9.")])
    renamed = tmp_path / "bao_cao.txt"
    renamed.write_bytes(b"\r\n" + pdf.read_bytes())  # junk before %PDF is allowed
    doc = load(renamed)
    assert doc.format == "pdf" and [ln.text for ln in doc.lines] == ["Báo cáo tháng 9."]


# ---------------------------------------------------------------------------------------
# Plain text


def test_txt_with_decomposed_diacritics_loads_as_written(tmp_path: Path) -> None:
    sentence = "Ủy ban nhân dân xã Hòa Thuận tiếp nhận 1.234 hồ sơ trực tuyến."
    decomposed = unicodedata.normalize("NFD", sentence)
    path = write_txt(tmp_path / "nfd.txt", [Para(decomposed), Table([["Hộ tịch", "12"]])])
    doc = load(path)
    assert doc.format == "txt" and doc.encoding == "utf-8"
    assert doc.lines[0].text == decomposed  # normalization is the next stage's job
    assert nfc(doc.lines[0].text) == sentence
    assert doc.lines[1].text == "Hộ tịch\t12"


def test_sniff_format() -> None:
    assert sniff_format(b"%PDF-1.7\n", ".txt") == "pdf"
    assert sniff_format(b"PK\x03\x04rest", ".pdf") == "docx"
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".docx") == "doc"
    assert sniff_format(b"{\\rtf1\\ansi", ".doc") == "rtf"
    assert sniff_format(b"plain", ".pdf") == "pdf"
    assert sniff_format(b"plain", ".TXT") == "txt"


# ---------------------------------------------------------------------------------------
# Files that cannot be read: each gives a Vietnamese reason with a key word


def _encrypted_pdf(path: Path, user_password: str | None = "nguoi-doc") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("VN", "", str(pdf_font()))
    pdf.add_page()
    pdf.set_font("VN", "", 12)
    pdf.cell(0, 10, "Báo cáo có mật khẩu.")
    pdf.set_encryption(owner_password="chu-so-huu", user_password=user_password)
    pdf.output(str(path))
    return path


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    """Permissions without an open password do not stop reading the text."""
    doc = load(_encrypted_pdf(tmp_path / "owner.pdf", user_password=None))
    assert [ln.text for ln in doc.lines] == ["Báo cáo có mật khẩu."]


def _truncated_pdf(path: Path) -> None:
    full = write_pdf(path.with_name("full.pdf"), report_blocks()).read_bytes()
    path.write_bytes(full[: len(full) // 2])


def _corrupt_docx(path: Path) -> None:
    full = write_docx(path.with_name("full.docx"), report_blocks()).read_bytes()
    path.write_bytes(full[:200] + os.urandom(300) + full[500:900])


def _zip_not_word(path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("bang_tong_hop.csv", "Lĩnh vực;Tổng số\nHộ tịch;12\n")
    path.write_bytes(buf.getvalue())


def _ole(path: Path, body: bytes = b"") -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + body)


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes as old Vietnamese Windows software wrote them: letters with a
    circumflex, breve or horn are precomposed, tone marks are combining characters."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        head = unicodedata.normalize("NFC", parts[:2])
        if len(head) == 1 and len(parts) > 2:
            parts = head + parts[2:]
        out += (ch if len(ch.encode("cp1258", "ignore")) else parts).encode("cp1258")
    return out


CP1258_SENTENCE = "Báo cáo của xã Phú Mỹ, số hồ sơ đã giải quyết: 12 hồ sơ đúng hạn"


def _garbage_txt(path: Path) -> None:
    """High bytes that are neither UTF-8 nor any Vietnamese encoding."""
    path.write_bytes(bytes(range(0x80, 0x100)) * 8)


BAD_FILES = {
    "empty.txt": (lambda p: p.write_bytes(b""), "rỗng"),
    "blank.pdf": (lambda p: p.write_bytes(b"  \n\t "), "rỗng"),
    "random.pdf": (lambda p: p.write_bytes(os.urandom(4096)), "PDF bị hỏng"),
    "truncated.pdf": (_truncated_pdf, "PDF bị hỏng"),
    "encrypted.pdf": (_encrypted_pdf, "mật khẩu"),
    "scan.pdf": (lambda p: _pdf_with_blank_page(p, {1, 2}, pages=2), "scan"),
    "old.doc": (_ole, "97-2003"),
    "password.docx": (lambda p: _ole(p, "EncryptedPackage".encode("utf-16-le")), "mật khẩu"),
    "corrupt.docx": (_corrupt_docx, "bị hỏng"),
    "not_word.docx": (_zip_not_word, "không phải văn bản Word"),
    "garbage.txt": (_garbage_txt, "UTF-8"),
    "binary.txt": (lambda p: p.write_bytes(b"\x00\x01\x02\xff" * 64), "không phải văn bản"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_files_raise_load_error_in_vietnamese(tmp_path: Path, name: str) -> None:
    make, key = BAD_FILES[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(LoadError) as info:
        load(path)
    assert key in str(info.value)


def test_windows_1258_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.txt"
    path.write_bytes(_cp1258(CP1258_SENTENCE))
    doc = load(path)
    assert doc.encoding == "cp1258"
    assert [nfc(ln.text) for ln in doc.lines] == [CP1258_SENTENCE]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="Không tìm thấy tệp"):
        load(tmp_path / "khong_co.pdf")
    with pytest.raises(LoadError, match="thư mục"):
        load(tmp_path)
