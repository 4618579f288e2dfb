"""Tables read from page images (tthc/load/ocr_tables.py, ocr_cells.py, ocr_borderless.py,
ocr_labels.py) and the doubt OCR carries.

The image parts are tested on pictures drawn here (a grid with a merged header, a tilted
page, a frame around a stamp); the reading parts on the project's own form-table report,
written as a PDF and scanned by `corpus.scans` in a few kinds: the scan's record must hold
the text PDF's figures, with evidence that says OCR, the page and the cell.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.documents import Para, Table, write_pdf
from corpus.generate import TABLE_HEAD
from corpus.scans import compare, figures, kind_named, scan_copy
from tests.fixtures.reports import letterhead
from tthc.load import ocr, ocr_borderless, ocr_cells, ocr_labels, ocr_tables
from tthc.process import process_file, read_document
from tthc.schemas import OcrWord, RawDocument, RawLine

SCALE = 300 / 72  # pixels per point at 300 dpi


def _needs_ocr() -> None:
    problem = ocr.ocr_problem()
    if problem:
        pytest.skip(f"OCR unavailable: {problem}")


# ---------------------------------------------------------------------------------------
# Pictures drawn here


def _page(width: int = 1400, height: int = 900):
    import numpy as np

    return np.full((height, width), 255, np.uint8)


def _ruled(image, xs: list[int], ys: list[int], gaps: tuple = ()) -> None:
    """Ruling lines through `xs` and `ys`; `gaps` lists (x, y0, y1) vertical pieces left out
    (a merged cell)."""
    import cv2

    for y in ys:
        cv2.line(image, (xs[0], y), (xs[-1], y), 0, 3)
    for x in xs:
        cv2.line(image, (x, ys[0]), (x, ys[-1]), 0, 3)
    for x, y0, y1 in gaps:
        cv2.line(image, (x, y0 + 3), (x, y1 - 3), 255, 5)


def test_grid_with_a_merged_header_cell() -> None:
    """Three columns under one merged header: the merged cell spans them, as pdfplumber
    returns a text PDF's merged cell."""
    image = _page()
    xs, ys = [100, 400, 600, 800, 1000], [100, 200, 300, 400, 500]
    _ruled(image, xs, ys, gaps=[(600, 100, 200), (800, 100, 200)])
    ink = ocr_tables.ink_mask(image, SCALE)
    [grid] = ocr_tables.find_grids(ink, SCALE)
    assert (grid.n_rows, grid.n_cols) == (4, 4)
    merged = next(c for c in grid.cells if c.row == 0 and c.col == 1)
    assert (merged.rowspan, merged.colspan) == (1, 3)
    assert len(grid.cells) == 2 + 3 * 4


def test_grid_without_its_outer_side_lines() -> None:
    """A table drawn with rules between its columns but none at its left and right edges
    still gives every cell."""
    import cv2

    image = _page()
    for y in (100, 200, 300):
        cv2.line(image, (100, y), (1000, y), 0, 3)
    for x in (400, 700):
        cv2.line(image, (x, 100), (x, 300), 0, 3)
    [grid] = ocr_tables.find_grids(ocr_tables.ink_mask(image, SCALE), SCALE)
    assert (grid.n_rows, grid.n_cols) == (2, 3)


def test_a_frame_around_a_stamp_is_not_a_table() -> None:
    image = _page()
    _ruled(image, [300, 900], [200, 500])
    assert ocr_tables.find_grids(ocr_tables.ink_mask(image, SCALE), SCALE) == []


def test_skew_is_measured_and_undone() -> None:
    """Text-like lines tilted by 1.2°: the measured turn undoes it (to a twentieth of a
    degree), a straight page is left alone."""
    import cv2

    image = _page(1700, 2200)
    for y in range(200, 2000, 60):
        for x in range(150, 1500, 90):
            cv2.rectangle(image, (x, y), (x + 70, y + 25), 0, -1)
    assert ocr_tables.skew_angle(image) == 0.0
    assert ocr_tables.deskew(image) is image
    turn = cv2.getRotationMatrix2D((850, 1100), 1.2, 1.0)
    tilted = cv2.warpAffine(image, turn, (1700, 2200), borderValue=255)
    assert ocr_tables.skew_angle(tilted) == pytest.approx(-1.2, abs=0.051)


# ---------------------------------------------------------------------------------------
# Two readings of a numeric cell


def _cell(text: str, conf: float = 96.0) -> ocr_cells.Reading:
    return ocr_cells.Reading([[(w, conf) for w in text.split()]] if text else [])


def test_two_readings_that_agree_carry_no_doubt() -> None:
    text, [word] = ocr_cells.reconcile(_cell("1.317", 90), _cell("1317", 95), 80)
    assert text == "1.317"  # the separators as the general reading saw them
    assert word == OcrWord(95.0, None)


def test_a_letter_read_for_a_digit_is_repaired_and_marked() -> None:
    text, [word] = ocr_cells.reconcile(_cell("S5"), _cell("55"), 80)
    assert text == "55"
    assert "S→5" in word.doubt and "bản scan" in word.doubt


def test_two_readings_that_disagree_are_marked() -> None:
    text, [word] = ocr_cells.reconcile(_cell("91"), _cell("51"), 80)
    assert text == "51"  # the digits-only reading is the surer one
    assert "91" in word.doubt and "51" in word.doubt


def test_a_low_confidence_reading_is_marked() -> None:
    text, [word] = ocr_cells.reconcile(_cell("11", 50), _cell("11", 52), 80)
    assert text == "11" and word.confidence == 52
    assert "độ tin cậy thấp" in word.doubt


def test_a_count_read_once_only_is_marked() -> None:
    text, [word] = ocr_cells.reconcile(_cell("48"), _cell(""), 80)
    assert text == "48" and "lần đọc thứ hai" in word.doubt
    assert ocr_cells.reconcile(_cell("Hộ tịch"), _cell(""), 80) == (None, [])


def test_noise_marks_are_dropped_from_a_label_cell() -> None:
    cell = ocr_cells.Reading([[("'Hộ", 90.0), ("tịch", 96.0), ("-", 40.0)]])
    text, words = ocr_cells.join_words(cell, 80)
    assert text == "Hộ tịch" and len(words) == 2


# ---------------------------------------------------------------------------------------
# Label words mended against the rules' phrases


@pytest.mark.parametrize(
    ("read", "mended"),
    [
        ("Tống cộng", "Tổng cộng"),  # tone mark confused
        ("Số kỳ trước chuyến qua", "Số kỳ trước chuyển qua"),
        ("Hộtịch", "Hộ tịch"),  # the space of a tight cell dropped
        ("Chứng thục", "Chứng thực"),
        ("Xã Tân An", "Xã Tân An"),  # not a phrase of the form: left as read
        ("Hộ tịch", "Hộ tịch"),
    ],
)
def test_label_words_are_mended(read: str, mended: str) -> None:
    assert ocr_labels.mend_labels(read) == mended


def test_quarter_numerals_read_as_look_alikes() -> None:
    words = [{"text": t} for t in ("Quý", "l", "năm", "2025", "quý", "1", "Quý", "Il")]
    assert [w["text"] for w in ocr_labels.mend_quarters(words)] == [
        "Quý",
        "I",
        "năm",
        "2025",
        "quý",
        "1",
        "Quý",
        "II",
    ]


# ---------------------------------------------------------------------------------------
# Borderless tables from word boxes


def _words(line: str, top: float, x0: float = 80, step: float = 40) -> list[dict]:
    """Words of one line: a cell every `step` points ("|" separates cells), words of a cell
    side by side."""
    out = []
    for k, cell in enumerate(line.split("|")):
        x = x0 + k * step
        for word in cell.split():
            width = 5.5 * len(word)
            out.append({"text": word, "x0": x, "x1": x + width, "top": top, "bottom": top + 11})
            x += width + 3
    return out


def test_borderless_table_from_word_positions() -> None:
    page = _words("Kết quả giải quyết hồ sơ trong quý như sau:", 100, step=400)
    page += _words("Lĩnh vực|Tiếp nhận|Đã giải quyết|Đang giải quyết", 130, step=90)
    page += _words("Hộ tịch|120|100|20", 150, step=90)
    page += _words("Chứng thực|45|45|0", 170, step=90)
    page += _words("Tổng cộng|165|145|20", 190, step=90)
    page += _words("Các hồ sơ đều được giải quyết đúng quy định.", 240, step=400)
    [table], rest = ocr_borderless.borderless_tables(page)
    assert table.rows == [
        ["Lĩnh vực", "Tiếp nhận", "Đã giải quyết", "Đang giải quyết"],
        ["Hộ tịch", "120", "100", "20"],
        ["Chứng thực", "45", "45", "0"],
        ["Tổng cộng", "165", "145", "20"],
    ]
    assert " ".join(w["text"] for w in rest).startswith("Kết quả giải quyết")
    assert table.top == 130


def test_running_text_with_numbers_is_not_a_table() -> None:
    page = _words("Tiếp nhận 120 hồ sơ, giải quyết 100 hồ sơ, còn 20 hồ sơ.", 100, step=400)
    page += _words("Trong quý tiếp nhận 90 hồ sơ, giải quyết 80 hồ sơ, còn 10.", 116, step=400)
    assert ocr_borderless.borderless_tables(page) == ([], page)


# ---------------------------------------------------------------------------------------
# Doubt travels into the evidence


def test_ocr_confidence_and_doubt_reach_the_figure_evidence() -> None:
    """A table row read by OCR: the figure's evidence says OCR, its page and cell, the
    confidence of the word it was read from, and the doubt when there is one."""
    head = ["Lĩnh vực", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết", "Đang giải quyết"]
    rows = [head, ["Tổng cộng", "120", "100", "20"]]
    sure, unsure = OcrWord(96.0), OcrWord(41.0, "số liệu đọc từ bản scan với độ tin cậy thấp")
    lines = [RawLine(text="Báo cáo quý III năm 2024", page=1, ocr=True)]
    for k, cells in enumerate(rows):
        words = [[sure] * len(c.split()) for c in cells]
        if k == 1:
            words[3] = [unsure]
        lines.append(
            RawLine(" | ".join(cells), page=2, cells=cells, table=0, ocr=True, ocr_words=words)
        )
    record = read_document(RawDocument(path="scan.pdf", format="pdf", lines=lines))
    [period] = record.periods
    assert period.dossiers.pending_total == 20
    received, pending = period.evidence["received_total"], period.evidence["pending_total"]
    assert received.ocr and received.page == 2
    assert (received.table, received.row, received.column) == (1, 2, 2)
    assert received.confidence == 96.0 and received.doubt is None
    assert (pending.row, pending.column) == (2, 4) and pending.confidence == 41.0
    assert "bản scan" in pending.doubt


def test_prose_figure_takes_the_confidence_of_its_own_word() -> None:
    text = "Tổng số hồ sơ tiếp nhận là 1.254 hồ sơ."
    conf = [96.0] * len(text.split())
    conf[7] = 55.0  # "1.254"
    words = [[OcrWord(c, "nghi ngờ" if c < 80 else None) for c in conf]]
    lines = [RawLine(text, page=1, ocr=True, ocr_words=words)]
    record = read_document(RawDocument(path="scan.pdf", format="pdf", lines=lines))
    evidence = record.periods[0].evidence["received_total"]
    assert evidence.confidence == 55.0 and evidence.doubt == "nghi ngờ"
    assert evidence.column is None and evidence.table is None


def test_a_rate_read_by_ocr_carries_the_doubt_of_its_numbers() -> None:
    """Evidence built without a figure's own span (rates, itemized lists) takes the OCR
    words of the numbers in its quote."""
    text = "Tỷ lệ hồ sơ tiếp nhận trực tuyến đạt 582/1.393 = 41,78%."
    conf = [96.0] * len(text.split())
    conf[9] = 48.0  # "582/1.393"
    words = [[OcrWord(c, "nghi ngờ" if c < 80 else None) for c in conf]]
    lines = [RawLine(text, page=1, ocr=True, ocr_words=words)]
    record = read_document(RawDocument(path="scan.pdf", format="pdf", lines=lines))
    [rate] = record.percentages
    assert rate.numerator == 582 and rate.evidence.confidence == 48.0
    assert rate.evidence.doubt == "nghi ngờ"


# ---------------------------------------------------------------------------------------
# Scans of the project's own form-table report


ROWS = [
    ["Hộ tịch", "214", "6", "150", "58", "205", "190", "12", "3", "9", "8", "1"],
    ["Chứng thực", "1.408", "10", "602", "796", "1.390", "1.390", "0", "0", "18", "18", "0"],
    ["Đất đai", "37", "4", "10", "23", "30", "25", "4", "1", "7", "5", "2"],
    ["Tổng cộng", "1.659", "20", "762", "877", "1.625", "1.605", "16", "4", "34", "31", "3"],
]


def _form_report(path: Path, borders: bool = True) -> Path:
    """A one-page commune report whose figures are all in the national form's table."""
    table = Table(
        [list(r) for r in TABLE_HEAD] + ROWS,
        header_rows=2,
        borders=borders,
        widths=[1.5, 1.1, 1.2, 1.1, 1.1, 1.0, 1.2, 1.1, 1.0, 1.0, 1.2, 1.0],
    )
    blocks = [
        letterhead("XÃ PHÚ LƯƠNG", "Số: 41/BC-UBND", "Phú Lương, ngày 20 tháng 6 năm 2024"),
        Para("BÁO CÁO", bold=True, align="center", size=14),
        Para("Kết quả giải quyết thủ tục hành chính quý II năm 2024", bold=True, align="center"),
        Para("Số hồ sơ tiếp nhận và giải quyết trong quý được tổng hợp theo bảng sau:"),
        table,
        Para("Các hồ sơ quá hạn đã được xin lỗi người dân theo quy định."),
    ]
    return write_pdf(path, blocks)


@pytest.fixture(scope="module")
def form_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    pdf = _form_report(tmp_path_factory.mktemp("form") / "bang.pdf")
    record = process_file(pdf)
    assert len(figures(record)) == 44  # 4 rows × 11 columns read from the text PDF's table
    assert not [f for f in record.flags if f.severity == "error"]
    return pdf, record


@pytest.mark.parametrize("kind", ["200 dpi xám", "300 dpi đen trắng", "điện thoại"])
def test_scanned_form_table_gives_the_text_pdf_figures(
    form_pdf: tuple[Path, object], kind: str, tmp_path: Path
) -> None:
    _needs_ocr()
    pdf, truth = form_pdf
    scan = scan_copy(pdf, tmp_path / "scan.pdf", kind_named(kind))
    record = process_file(scan)
    assert record.source.ocr_pages == [1]
    agreement = compare(truth, record)
    assert agreement.equal == agreement.expected, agreement.wrong + agreement.missing
    assert agreement.new_errors == []
    period = next(p for p in record.periods if p.scope == "all")
    evidence = period.evidence["received_total"]
    assert evidence.ocr and evidence.page == 1
    assert (evidence.table, evidence.row, evidence.column) == (1, 6, 2)
    assert evidence.confidence is not None and "1.659" in evidence.quote


def test_scanned_borderless_form_table_gives_the_ruled_table_figures(
    form_pdf: tuple[Path, object], tmp_path: Path
) -> None:
    """The same report printed without ruling lines: columns come from the words' places,
    and the figures are those of the ruled table."""
    _needs_ocr()
    _, truth = form_pdf
    bare = _form_report(tmp_path / "khong_ke.pdf", borders=False)
    record = process_file(scan_copy(bare, tmp_path / "scan.pdf", kind_named("300 dpi xám")))
    agreement = compare(truth, record)
    assert agreement.equal == agreement.expected, agreement.wrong + agreement.missing
    assert agreement.new_errors == []
