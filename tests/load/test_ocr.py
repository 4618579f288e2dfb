"""Scanned PDFs: pages without a text layer are read by Tesseract (Vietnamese model).

The scan is made here: our own report is written as a PDF, its page rendered to a grayscale
image and put back into a PDF with no text layer, as a scanner would. Its record must hold
the same dossier figures as the text PDF's, with evidence marked as read by OCR. Without
Tesseract (or its Vietnamese data) the file gets a reason naming what to install.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.documents import Para, pdf_font, write_pdf
from tests.fixtures.reports import DOSSIERS, record_view, scan_pdf, write_report
from tthc.load import load, ocr
from tthc.process import process_file, read_file
from tthc.schemas import LoadError


def _needs_ocr() -> None:
    problem = ocr.ocr_problem()
    if problem:
        pytest.skip(f"OCR unavailable: {problem}")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("scan")
    text_pdf = write_report(folder / "bao_cao.pdf")
    return text_pdf, scan_pdf(text_pdf, folder / "bao_cao_scan.pdf")


def test_scan_has_no_text_layer(scanned: tuple[Path, Path]) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(scanned[1]))
    try:
        assert pdf[0].get_textpage().get_text_range().strip() == ""
    finally:
        pdf.close()


def test_scanned_report_gives_the_text_pdf_figures(scanned: tuple[Path, Path]) -> None:
    _needs_ocr()
    text_pdf, scan = scanned
    record = process_file(scan)
    assert record.status == "ok", record.errors
    assert record.source.ocr_pages == [1]
    assert record_view(record) == record_view(process_file(text_pdf))
    period = record.periods[0]
    assert period.dossiers.model_dump(exclude_none=True) == DOSSIERS
    evidence = period.evidence["received_total"]
    assert evidence.ocr is True and evidence.page == 1
    assert "1.254" in evidence.quote


def test_scanned_lines_are_marked_and_laid_out(scanned: tuple[Path, Path]) -> None:
    _needs_ocr()
    doc = load(scanned[1])
    assert doc.ocr_pages == [1] and doc.warnings == []
    assert all(ln.ocr and ln.page == 1 for ln in doc.lines)
    texts = [ln.text for ln in doc.lines]
    assert texts[0].startswith("ỦY BAN NHÂN DÂN    CỘNG HÒA")  # two columns, one line
    assert "BÁO CÁO" in texts


def test_text_page_and_scanned_page_in_one_file(tmp_path: Path) -> None:
    """Only the page without a text layer is OCR'd; page numbers stay right."""
    _needs_ocr()
    import pypdfium2 as pdfium

    first = write_pdf(tmp_path / "p1.pdf", [Para("Phụ lục kèm theo báo cáo quý III năm 2024.")])
    scan = scan_pdf(write_report(tmp_path / "r.pdf"), tmp_path / "r_scan.pdf")
    merged = pdfium.PdfDocument.new()
    for part in (first, scan):
        src = pdfium.PdfDocument(str(part))
        merged.import_pages(src)
        src.close()
    merged.save(str(tmp_path / "mixed.pdf"))
    merged.close()
    doc = load(tmp_path / "mixed.pdf")
    assert doc.ocr_pages == [2]
    assert doc.lines[0].text == "Phụ lục kèm theo báo cáo quý III năm 2024."
    assert not doc.lines[0].ocr and doc.lines[0].page == 1
    assert {ln.page for ln in doc.lines if ln.ocr} == {2}


def test_without_tesseract_the_reason_names_the_packages(scanned: tuple[Path, Path]) -> None:
    missing = ocr.OcrSettings(tesseract="khong-co-tesseract")
    with pytest.raises(LoadError) as info:
        load(scanned[1], ocr_settings=missing)
    reason = str(info.value)
    assert "bản scan" in reason and "Tesseract" in reason
    assert "tesseract-ocr" in reason and "tesseract-ocr-vie" in reason
    record = read_file(scanned[1], ocr_settings=missing)
    assert record.status == "failed" and "Tesseract" in record.errors[0]


def test_without_the_vietnamese_model_the_reason_says_so(scanned: tuple[Path, Path]) -> None:
    _needs_ocr()
    with pytest.raises(LoadError, match="tesseract-ocr-vie"):
        load(scanned[1], ocr_settings=ocr.OcrSettings(lang="khong_co_ngon_ngu"))


def test_tsv_words_keep_tesseract_lines_together() -> None:
    """Words of one Tesseract line share the line's top, so diacritics above some words
    cannot split the line; pixel boxes become points."""
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "4\t1\t1\t1\t1\t0\t100\t200\t800\t60\t-1\t",
        "5\t1\t1\t1\t1\t1\t100\t212\t200\t48\t96\tTổng",
        "5\t1\t1\t1\t1\t2\t320\t200\t120\t60\t95\tsố",
        "5\t1\t1\t1\t1\t3\t460\t215\t30\t40\t3\t~",  # noise: confidence 3
    ]
    words = ocr.tsv_words("\n".join([header, *rows]), scale=300 / 72)
    assert [w["text"] for w in words] == ["Tổng", "số"]
    assert {w["top"] for w in words} == {200 * 72 / 300}
    assert words[0]["x0"] == pytest.approx(24.0)
    assert [w["conf"] for w in words] == [96.0, 95.0]
    assert not any("doubt" in w for w in words)


def test_a_word_read_with_low_confidence_carries_its_doubt(monkeypatch: pytest.MonkeyPatch) -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    row = "5\t1\t1\t1\t1\t1\t100\t212\t200\t48\t62\t1.254"
    [word] = ocr.tsv_words("\n".join([header, row]), scale=300 / 72)
    assert word["conf"] == 62.0 and "độ tin cậy thấp (62/100)" in word["doubt"]
    lenient = ocr.OcrSettings(doubt_below=60)  # the threshold is a setting
    [word] = ocr.tsv_words("\n".join([header, row]), scale=300 / 72, settings=lenient)
    assert "doubt" not in word
    monkeypatch.setenv(ocr.DOUBT_ENV, "60")  # ... which the environment may set
    [word] = ocr.tsv_words("\n".join([header, row]), scale=300 / 72)
    assert "doubt" not in word


def test_ocr_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ocr.JOBS_ENV, "3")
    monkeypatch.setenv(ocr.DOUBT_ENV, "ba mươi")  # not a number: the default stays
    settings = ocr.OcrSettings.from_env()
    assert settings.pages_at_once() == 3 and settings.doubt_below == ocr.OcrSettings().doubt_below
    monkeypatch.setenv(ocr.JOBS_ENV, "0")
    assert ocr.OcrSettings.from_env().pages_at_once() == 1


def test_scanned_page_with_a_signature_stamp_is_still_read_by_ocr(tmp_path: Path) -> None:
    """A scan signed digitally carries a few words of text (the signature stamp) over a
    page-sized image: the page is read by OCR, not from the stamp alone."""
    _needs_ocr()
    import pypdfium2 as pdfium
    from fpdf import FPDF

    source = write_report(tmp_path / "r.pdf")
    pdf = pdfium.PdfDocument(str(source))
    image = pdf[0].render(scale=200 / 72, grayscale=True).to_pil()
    pdf.close()
    image.save(tmp_path / "page.png")
    signed = FPDF(unit="mm", format="A4")
    signed.add_font("VN", "", str(pdf_font()))
    signed.add_page()
    signed.image(str(tmp_path / "page.png"), x=0, y=0, w=210, h=297)
    signed.set_font("VN", "", 7)
    signed.text(150, 290, "Ký bởi: Ủy ban nhân dân xã Tân An")
    signed.output(str(tmp_path / "signed.pdf"))
    record = process_file(tmp_path / "signed.pdf")
    assert record.source.ocr_pages == [1]
    assert record.periods[0].dossiers.model_dump(exclude_none=True) == DOSSIERS
