"""Numbers parsed by what they count; dates in every written form."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc.extract.dates import find_dates, parse_date
from tthc.textkit.numbers import format_vi, parse_count, parse_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.416", 2416),
        ("4,374", 4374),
        ("02", 2),
        ("1637", 1637),
        ("1.164.000", 1164000),
        ("2,5", None),
        ("1.23", None),
        ("stt", None),
        ("1.234,567", None),
    ],
)
def test_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("83,4", (83.4, 1)),
        ("98.54", (98.54, 2)),
        ("90.625", (90.625, 3)),
        ("100", (100.0, 0)),
        ("0,05", (0.05, 2)),
        ("1.234,5", (1234.5, 1)),
        ("1,234.5", (1234.5, 1)),
        ("a,5", None),
    ],
)
def test_decimals(text, value):
    assert parse_decimal(text) == value


def test_vietnamese_formatting():
    assert format_vi(30566) == "30.566"
    assert format_vi(83.871, 2) == "83,87"


def test_dates_in_every_form():
    text = "ngày 22 tháng 02 năm 2022, 23/4/2018, 21.08.2023, từ 15/12/2022-20/7/2023; 31/02/2023"
    values = [d.value for d in find_dates(text)]
    assert values == [
        dt.date(2022, 2, 22),
        dt.date(2018, 4, 23),
        dt.date(2023, 8, 21),
        dt.date(2022, 12, 15),
        dt.date(2023, 7, 20),
    ]


def test_parse_date_of_a_short_string():
    assert parse_date("Ngày 05 tháng 6 năm 2023") == dt.date(2023, 6, 5)
    assert parse_date("không có ngày") is None
