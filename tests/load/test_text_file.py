"""Plain-text reports: the encodings communes save them in, pages, pasted tables, and the
files that are not text, each with the officer's reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc.load.limits import MAX_TEXT_FILE_BYTES
from tthc.load.text_file import load_text
from tthc.schemas import LoadError
from tthc.schemas.document import CELL_SEP

REPORT = "UBND XÃ LONG HÒA\nBÁO CÁO Quý I năm 2025\nTổng số hồ sơ tiếp nhận: 1.125 hồ sơ."
PATH = Path("long_hoa.txt")


def texts(data: bytes) -> list[str]:
    return [line.text for line in load_text(PATH, data).lines]


@pytest.mark.parametrize(
    "data,encoding",
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8"),
        (REPORT.encode("utf-16"), "utf-16"),
    ],
    ids=["utf-8", "utf-8 with a BOM", "utf-16 with a BOM"],
)
def test_unicode_files_read_as_written(data: bytes, encoding: str) -> None:
    doc = load_text(PATH, data)
    assert [line.text for line in doc.lines] == REPORT.split("\n")
    assert doc.encoding == encoding and doc.format == "txt" and doc.warnings == []
    assert doc.pages == 1 and all(line.page is None for line in doc.lines)


def test_a_form_feed_starts_a_new_page() -> None:
    doc = load_text(PATH, "Trang một\nvẫn trang một\fTrang hai".encode())
    assert doc.pages == 2
    assert [(line.text, line.page) for line in doc.lines] == [
        ("Trang một", 1),
        ("vẫn trang một", 1),
        ("Trang hai", 2),
    ]


def test_lines_cut_by_tabs_are_a_pasted_table() -> None:
    text = "Bảng 1\nSTT\tLĩnh vực\tTiếp nhận\n1\tHộ tịch\t 90 \n2\tĐất đai\t12\nHết bảng\tmột tab"
    lines = load_text(PATH, text.encode()).lines
    rows = [line for line in lines if line.cells]
    assert [r.cells for r in rows] == [
        ["STT", "Lĩnh vực", "Tiếp nhận"],
        ["1", "Hộ tịch", "90"],
        ["2", "Đất đai", "12"],
    ]
    assert {r.table for r in rows} == {0}
    assert rows[1].text == CELL_SEP.join(["1", "Hộ tịch", "90"])
    assert lines[0].cells is None and lines[-1].cells is None  # one tab is not a table


def test_lines_cut_by_pipes_are_a_typed_table_and_its_rulers_go() -> None:
    text = (
        "Bảng số liệu\n"
        "Chỉ tiêu        | Toàn xã | Lĩnh vực hộ tịch\n"
        "----------------+---------+-----------------\n"
        "Tổng số hồ sơ   |   310   |       95\n"
        "| Đã giải quyết | 300 | 90 |\n"
        "Một dòng có | dấu gạch đứng thôi"
    )
    lines = load_text(PATH, text.encode()).lines
    rows = [line for line in lines if line.cells]
    assert [r.cells for r in rows] == [
        ["Chỉ tiêu", "Toàn xã", "Lĩnh vực hộ tịch"],
        ["Tổng số hồ sơ", "310", "95"],
        ["Đã giải quyết", "300", "90"],
    ]
    assert lines[2].text == "" and lines[2].cells is None  # the ruler
    assert lines[-1].cells is None  # two cells, alone: not a table


def test_one_line_with_tabs_is_not_a_table() -> None:
    (line,) = load_text(PATH, b"a\tb\tc").lines
    assert not line.cells and line.text == "a\tb\tc"


def test_a_few_damaged_bytes_are_read_with_a_warning_that_counts_them() -> None:
    data = (REPORT * 5).encode("utf-8").replace("ồ".encode(), b"\xc3", 2)
    doc = load_text(PATH, data)
    assert doc.encoding == "utf-8"
    assert "\ufffd" in doc.lines[2].text
    (warning,) = doc.warnings
    assert "2 chỗ lỗi mã UTF-8" in warning


def test_a_binary_file_named_txt_is_refused_with_a_reason() -> None:
    with pytest.raises(LoadError, match="không phải văn bản"):
        load_text(PATH, b"\x00\x01\x02\x03\xff\xfe\xfd" * 50)


def test_a_file_beyond_the_size_no_report_reaches_is_refused() -> None:
    with pytest.raises(LoadError, match="MB"):
        load_text(PATH, b"a" * (MAX_TEXT_FILE_BYTES + 1))


def test_eight_bit_text_that_is_no_vietnamese_code_is_refused() -> None:
    with pytest.raises(LoadError, match="UTF-8"):
        load_text(PATH, "Résumé - naïve café, Größe. ".encode("latin-1") * 20)
