"""Tables as clerks make them (issue 17 §6): a label column and one value column, or one per
period, field or liên thông, read like the national form; what cannot be placed is unread.
Each table here is written for the test as real Word tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.documents import Para, Table, write_docx
from tthc.process import process_file

TITLE = [Para("UBND XÃ AN PHÚ"), Para("BÁO CÁO kết quả giải quyết TTHC quý I năm 2026")]


def read(tmp_path: Path, rows: list[list[str]], header_rows: int = 1, before=()) -> dict:
    path = write_docx(tmp_path / "t.docx", [*TITLE, *before, Table(rows, header_rows=header_rows)])
    record = process_file(path)
    out = {}
    for p in record.periods:
        for k, v in p.dossiers.model_dump(exclude_none=True).items():
            out[(p.key, p.scope, k)] = v
    return out, record


Q1, ALL = "2026-Q1", "all"

TABLES = [
    (
        "TT | Nội dung | Số hồ sơ",
        [
            ["TT", "Nội dung", "Số hồ sơ"],
            ["1", "Tổng số hồ sơ tiếp nhận", "420"],
            ["", "- Trực tuyến", "318"],
            ["", "- Trực tiếp, qua bưu chính", "102"],
            ["2", "Số hồ sơ đã giải quyết", "400"],
            ["", "- Trước hạn", "350"],
            ["", "- Đúng hạn", "45"],
            ["", "- Quá hạn", "5"],
            ["3", "Số hồ sơ đang giải quyết", "20"],
            ["", "- Trong hạn", "20"],
        ],
        {
            "received_total": 420,
            "received_online": 318,
            "received_offline": 102,
            "resolved_total": 400,
            "resolved_early": 350,
            "resolved_on_time": 45,
            "resolved_late": 5,
            "pending_total": 20,
            "pending_in_time": 20,
        },
    ),
    (
        "Chỉ tiêu | Số lượng | Ghi chú",
        [
            ["Chỉ tiêu", "Số lượng", "Ghi chú"],
            ["Hồ sơ kỳ trước chuyển sang", "8", ""],
            ["Hồ sơ mới tiếp nhận", "412", "tăng so với quý trước"],
            ["Hồ sơ đã giải quyết", "400", ""],
            ["Tỷ lệ đúng hạn (%)", "98,75", ""],
        ],
        {"received_carried_over": 8, "received_new": 412, "resolved_total": 400},
    ),
]


@pytest.mark.parametrize(("name", "rows", "expected"), TABLES, ids=[t[0] for t in TABLES])
def test_a_label_column_and_a_value_column(tmp_path, name, rows, expected):
    found, record = read(tmp_path, rows)
    assert found == {(Q1, ALL, k): v for k, v in expected.items()}
    assert not record.unread


def test_a_value_column_per_period_and_liên_thông(tmp_path):
    rows = [
        ["Nội dung", "Quý I/2026", "Cùng kỳ năm 2025", "Liên thông"],
        ["Tiếp nhận", "420", "380", "64"],
        ["Đã giải quyết", "400", "370", "60"],
        ["Tăng/giảm so với cùng kỳ", "+40", "", ""],
    ]
    found, record = read(tmp_path, rows)
    assert found[(Q1, ALL, "received_total")] == 420
    assert found[("2025-Q1", ALL, "received_total")] == 380  # the same quarter a year before
    assert found[(Q1, "lien_thong", "resolved_total")] == 60
    assert not record.unread


def test_fields_as_rows_and_two_figure_columns(tmp_path):
    rows = [
        ["STT", "Lĩnh vực", "Tiếp nhận", "Đã giải quyết"],
        ["1", "Hộ tịch", "150", "148"],
        ["2", "Chứng thực", "230", "230"],
        ["", "Tổng cộng", "380", "378"],
    ]
    found, _ = read(tmp_path, rows)
    assert found[(Q1, "hộ tịch", "received_total")] == 150
    assert found[(Q1, "chứng thực", "resolved_total")] == 230
    assert found[(Q1, ALL, "received_total")] == 380


def test_a_row_of_procedures_fills_nothing_and_a_row_no_one_can_place_is_unread(tmp_path):
    rows = [
        ["TT", "Nội dung", "Số lượng"],
        ["1", "Số TTHC được công bố, công khai", "112"],
        ["2", "Số hồ sơ tiếp nhận", "420"],
        ["3", "Số hồ sơ chờ công dân bổ sung", "7"],
    ]
    found, record = read(tmp_path, rows)
    assert found == {(Q1, ALL, "received_total"): 420}
    assert [u.value for u in record.unread] == [7]


def test_a_note_after_the_values_is_no_part_of_the_rows_label(tmp_path):
    found, _ = read(
        tmp_path,
        [
            ["Chỉ tiêu", "Số lượng", "Ghi chú"],
            ["Hồ sơ mới tiếp nhận", "410", ""],
            ["Hồ sơ nộp qua mạng", "300", "bằng 73,17% (300/410 hồ sơ mới tiếp nhận)"],
            ["Hồ sơ đã giải quyết", "400", "đã giải quyết trước hạn là chủ yếu"],
        ],
    )
    assert found == {
        (Q1, ALL, "received_new"): 410,
        (Q1, ALL, "received_online"): 300,
        (Q1, ALL, "resolved_total"): 400,
    }


def test_a_national_form_whose_header_is_flattened_to_one_row(tmp_path):
    header = [
        "STT", "Lĩnh vực", "Tổng số", "Kỳ trước chuyển qua", "Mới tiếp nhận", "Trực tuyến",
        "Trực tiếp", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết",
        "Trong hạn", "Quá hạn",
    ]  # fmt: skip
    numbers = [f"({k})" for k in range(1, 15)]
    total = ["", "Tổng cộng", "420", "10", "410", "300", "110", "400", "350", "47", "3", "20",
             "18", "2"]  # fmt: skip
    found, record = read(tmp_path, [header, numbers, total], header_rows=2)
    assert found[(Q1, ALL, "resolved_late")] == 3
    assert found[(Q1, ALL, "pending_in_time")] == 18
    assert found[(Q1, ALL, "pending_overdue")] == 2
    assert not record.unread


def test_a_table_typed_with_tabs_in_a_text_file(tmp_path):
    path = tmp_path / "bao_cao.txt"
    path.write_text(
        "UBND XÃ AN PHÚ\nBÁO CÁO kết quả giải quyết TTHC quý I năm 2026\n\n"
        "STT\tNội dung\tSố hồ sơ\tGhi chú\n"
        "1\tTổng số hồ sơ tiếp nhận\t420\t\n"
        "2\tSố hồ sơ đã giải quyết\t400\tđúng hạn\n"
        "3\tSố hồ sơ đang giải quyết\t20\t\n",
        encoding="utf-8",
    )
    record = process_file(path)
    found = {
        k: v for p in record.periods for k, v in p.dossiers.model_dump(exclude_none=True).items()
    }
    assert found == {"received_total": 420, "resolved_total": 400, "pending_total": 20}
    assert not record.unread
