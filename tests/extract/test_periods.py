"""Periods: mentions, keys, the report's own period, and which one governs a figure."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import extract_text
from tthc.extract.periods import find_periods, key_for_range
from tthc.textkit.forms import match_form


def _keys(text: str) -> list[tuple[str | None, str]]:
    return [(p.key, p.kind) for p in find_periods(match_form(text), text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý III năm 2025", [("2025-Q3", "quarter")]),
        ("quý 1/2023", [("2023-Q1", "quarter")]),
        ("9 tháng đầu năm 2023", [("2023-M9", "months")]),
        ("sáu tháng đầu năm 2024", [("2024-M6", "months")]),
        ("năm 2022", [("2022", "year")]),
        ("tháng 5 năm 2023", [("2023-05", "month")]),
        ("Từ năm 2021 đến tháng 5 năm 2023", [("2021..2023-05", "span")]),
        ("Từ ngày 15/12/2021 đến hết ngày 14/12/2022", [("2022", "year")]),
        ("từ 15/12/2022-20/7/2023", [("2022-12-15..2023-07-20", "range")]),
    ],
)
def test_period_keys(text, expected):
    assert _keys(text) == expected


def test_dates_are_not_periods():
    assert _keys("ngày 22 tháng 02 năm 2022") == []


def test_range_after_a_label_gives_it_dates():
    text = "7 tháng đầu năm 2024: (tính từ ngày 15/12/2023 đến 10/7/2024)"
    (p,) = find_periods(match_form(text), text)
    assert (p.key, p.start_date, p.end_date) == (
        "2024-M7",
        dt.date(2023, 12, 15),
        dt.date(2024, 7, 10),
    )


def test_comparison_periods_are_marked():
    text = "đạt 91,5% tăng 11,2% so với năm 2023 (80,3%)"
    (p,) = find_periods(match_form(text), text)
    assert p.comparison


def test_written_ranges_take_the_statistical_keys():
    assert key_for_range(dt.date(2024, 12, 15), dt.date(2025, 3, 14)) == ("2025-Q1", "quarter")
    assert key_for_range(dt.date(2023, 12, 15), dt.date(2024, 6, 14)) == ("2024-M6", "months")
    assert key_for_range(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == ("2023", "year")
    assert key_for_range(dt.date(2023, 1, 2), dt.date(2023, 6, 8)) == (
        "2023-01-02..2023-06-08",
        "range",
    )


def test_figures_follow_the_period_named_before_them():
    r = extract_text("""BÁO CÁO
Kết quả giải quyết TTHC từ năm 2022 đến quý I năm 2024
1. Kết quả
Năm 2023:
+ Tổng số hồ sơ tiếp nhận: 300 hồ sơ
Quý I năm 2024:
+ Tổng số hồ sơ tiếp nhận: 80 hồ sơ
+ Số hồ sơ đã giải quyết: 75 hồ sơ""")
    got = {
        (p.key, name): v
        for p in r.periods
        for name, v in p.dossiers.model_dump(exclude_none=True).items()
    }
    assert got == {
        ("2023", "received_total"): 300,
        ("2024-Q1", "received_total"): 80,
        ("2024-Q1", "resolved_total"): 75,
    }


def test_quarter_without_year_takes_the_report_year():
    r = extract_text("""Báo cáo 9 tháng đầu năm 2024
quý 2: hồ sơ tiếp nhận 210 hồ sơ""")
    assert [p.key for p in r.periods] == ["2024-Q2"]


def test_period_inside_a_citation_subject_is_not_a_period():
    r = extract_text("""THÔNG BÁO
Thực hiện Kế hoạch số 34/KH-UBND ngày 09/3/2024 của UBND huyện về kiểm soát TTHC năm 2024;
I. KẾT QUẢ
- Tổng số hồ sơ đã tiếp nhận trong kỳ báo cáo (từ 15/12/2023-14/6/2024) là 510 hồ sơ""")
    assert r.report.period_key == "2024-M6"
