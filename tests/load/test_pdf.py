"""The fast PDF path (pdfium characters) gives the same lines as pdfplumber on every PDF.

`load_pdf(fast=False)` reads every text page with pdfplumber, the reference; the default
path reads pages without ruling lines from pdfium's characters and keeps pdfplumber for
table pages. Text, reading order, page numbers and table rows must be identical on all
our test PDFs: tables across pages, a two-column header, page numbers, fake bold, a hyphen
at a line end, text drawn through scaled matrices, legacy fonts, generated reports.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF

import tthc.load.pdf as pdf_loader
from corpus.documents import Para, Table, pdf_font, write_pdf
from corpus.fuzz import build_pdf
from tests.fixtures.reports import letterhead, write_legacy_pdf, write_report
from tests.load.test_formats import FILLER, report_blocks
from tthc.normalize.text import clean_line, normalize


def _fpdf() -> FPDF:
    pdf = FPDF()
    pdf.add_font("VN", "", str(pdf_font()))
    pdf.set_font("VN", "", 13)
    pdf.add_page()
    return pdf


def hyphen_at_line_end(path: Path) -> Path:
    pdf = _fpdf()
    pdf.text(30, 30, "Thực hiện Kế hoạch số 17/KH-")
    pdf.text(30, 36, "UBND ngày 02/3/2024 của Ủy ban nhân dân xã về kiểm soát thủ tục hành chính,")
    pdf.text(30, 42, "hồ sơ được tiếp nhận tại bộ-")
    pdf.text(30, 48, "phận một cửa.")
    pdf.output(str(path))
    return path


def fake_bold(path: Path) -> Path:
    pdf = _fpdf()
    for dx in (0, 0.15):
        pdf.text(30 + dx, 30, "KẾT QUẢ GIẢI QUYẾT HỒ SƠ")
    pdf.text(30, 40, "Đã giải quyết 1.229 hồ sơ.")
    pdf.output(str(path))
    return path


def _raw_pdf(content: bytes) -> bytes:
    """One page in Helvetica (not embedded) drawing `content`."""
    stream = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return build_pdf(objects)


def scaled_matrices(path: Path) -> Path:
    """Text sized by the text matrix (Tf 1) and by the CTM, and a second column."""
    path.write_bytes(
        _raw_pdf(
            b"BT /F1 1 Tf 13 0 0 13 72 700 Tm (Tong so ho so tiep nhan: 681 ho so) Tj ET\n"
            b"BT /F1 12 Tf 330 700 Td (Cot ben phai) Tj ET\n"
            b"q 0.5 0 0 0.5 0 0 cm BT /F1 22 Tf 144 1360 Td (Da giai quyet 675 ho so.) Tj ET Q\n"
            b"BT /F1 11 Tf 72 640 Td (Dang giai quyet 6 ho so.) Tj ET"
        )
    )
    return path


def header_columns(path: Path) -> Path:
    header = letterhead()
    return write_pdf(path, [header, Para("Nội dung báo cáo.")])


def broken_codes(path: Path) -> Path:
    table = Table(
        [
            ["Nhiệm vụ", "Văn bản"],
            ["Rà soát thủ tục hành chính nội bộ năm 2024", "Kế hoạch số 17/KH-UBND"],
        ],
        widths=[1, 0.42],
    )
    return write_pdf(path, [table])


MAKERS: dict[str, Callable[[Path], Path]] = {
    "table": lambda p: write_pdf(p, report_blocks()),
    "multipage_table": lambda p: write_pdf(
        p, report_blocks(filler_paragraphs=9, extra_rows=25), page_numbers=True
    ),
    "long_prose": lambda p: write_pdf(p, report_blocks(filler_paragraphs=30)[:-3]),
    "header_columns": header_columns,
    "broken_codes": broken_codes,
    "our_report": lambda p: write_report(p),
    "fake_bold": fake_bold,
    "hyphen": hyphen_at_line_end,
    "scaled_matrices": scaled_matrices,
    "tcvn3_fonts": lambda p: write_legacy_pdf(p, "tcvn3"),
    "vni_fonts": lambda p: write_legacy_pdf(p, "vni"),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The PDFs of a generated district (prose and the national form's table)."""
    from corpus.generate import generate_district

    folder = tmp_path_factory.mktemp("district")
    generate_district(folder, n_communes=9, seed=5)
    return sorted(folder.glob("*.pdf"))


def lines_of(path: Path, fast: bool) -> list[tuple]:
    doc = pdf_loader.load_pdf(path, path.read_bytes(), fast=fast)
    return [(ln.text, ln.page, ln.cells, ln.table, ln.ocr) for ln in doc.lines]


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_fast_path_gives_the_slow_path_lines(tmp_path: Path, name: str) -> None:
    path = MAKERS[name](tmp_path / f"{name}.pdf")
    fast = lines_of(path, fast=True)
    assert fast, "nothing read"
    assert fast == lines_of(path, fast=False)


def test_fast_path_on_generated_reports(generated: list[Path]) -> None:
    assert len(generated) >= 2
    for path in generated:
        assert lines_of(path, fast=True) == lines_of(path, fast=False), path.name


def _plumber_pages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record which pages the fast path hands to pdfplumber."""
    seen: list[int] = []
    original = pdf_loader._plumber_scans

    def spy(data: bytes, numbers: list[int], infos: list, fast: bool) -> dict:
        seen.extend(numbers)
        return original(data, numbers, infos, fast)

    monkeypatch.setattr(pdf_loader, "_plumber_scans", spy)
    return seen


def test_only_table_pages_go_to_pdfplumber(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _plumber_pages(monkeypatch)
    prose = write_report(tmp_path / "prose.pdf")
    pdf_loader.load_pdf(prose, prose.read_bytes())
    assert seen == []  # no ruling lines: pdfium alone
    table = write_pdf(tmp_path / "table.pdf", [*report_blocks(), *[Para(FILLER)] * 16])
    doc = pdf_loader.load_pdf(table, table.read_bytes())
    assert doc.pages is not None and doc.pages >= 2
    assert seen == [1] == sorted({ln.page for ln in doc.lines if ln.cells is not None})


def test_line_end_hyphen_is_a_plain_hyphen_end_to_end(tmp_path: Path) -> None:
    path = hyphen_at_line_end(tmp_path / "h.pdf")
    doc = pdf_loader.load_pdf(path, path.read_bytes())
    assert doc.lines[0].text == "Thực hiện Kế hoạch số 17/KH-"
    assert not any("\ufffe" in ln.text or "\x02" in ln.text for ln in doc.lines)
    text = normalize(doc).text
    assert "Kế hoạch số 17/KH-UBND ngày 02/3/2024" in text
    assert "\ufffe" not in text


def test_normalize_maps_pdfium_hyphen() -> None:
    assert clean_line("17/KH\ufffe") == "17/KH-"


def _table_page(number: int, rows: list[list[str]]) -> pdf_loader._PageScan:
    return pdf_loader._PageScan(number, True, tables=[(100.0, rows, None)])


HEAD = ["Lĩnh vực", "Tiếp nhận", "Đã giải quyết"]


def test_a_row_cut_by_the_page_break_is_one_row() -> None:
    """A wrapped label cell split by the page break ("Hộ" / "tịch và chứng thực") goes on
    the row that closed the page; a row of its own on the new page stays a row."""
    first = _table_page(1, [HEAD, ["Đất đai", "172", "171"], ["Hộ", "854", "850"]])
    second = _table_page(2, [["tịch và chứng thực", "", ""], ["Tổng", "1.026", "1.021"]])
    rows = [ln.cells for ln in pdf_loader._pdf_lines([first, second])]
    assert rows == [
        HEAD,
        ["Đất đai", "172", "171"],
        ["Hộ tịch và chứng thực", "854", "850"],
        ["Tổng", "1.026", "1.021"],
    ]


def test_a_new_row_at_the_top_of_a_page_is_not_glued() -> None:
    first = _table_page(1, [HEAD, ["Đất đai", "172", "171"]])
    for top in (["Hộ tịch", "", ""], ["trong đó 12 hồ sơ", "", ""]):
        second = _table_page(2, [top, ["Tổng", "172", "171"]])
        rows = [ln.cells for ln in pdf_loader._pdf_lines([first, second])]
        assert rows[2] == top


def test_a_large_title_keeps_its_descenders_on_its_line() -> None:
    """A news item whose 22-point title LibreOffice set with the "g" glyphs' loose boxes
    lower than the other letters (written for round 15): placed by its baseline, each "g"
    stays in its word ("Đông Nghĩa", not "Đôn N hĩa" and a line of g's)."""
    path = Path(__file__).parent / "data" / "large_title_news_item.pdf"
    fast = lines_of(path, fast=True)
    assert fast == lines_of(path, fast=False)
    assert "Huyện Đông Nghĩa: 5 tháng đầu năm 2025" in fast[2][0]
