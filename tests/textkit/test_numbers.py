"""Vietnamese numbers: counts and rates parsed by what they count, and written back the
Vietnamese way."""

from __future__ import annotations

import pytest

from tthc.textkit.numbers import (
    NUMERAL,
    fits_approximation,
    format_count,
    format_vi,
    parse_count,
    parse_decimal,
    rounds_to,
)


@pytest.mark.parametrize(
    "text,count",
    [("2.416", 2416), ("4,374", 4374), ("02", 2), ("1.234.567", 1234567), (" 15 ", 15)],
)
def test_a_count_groups_thousands_either_way(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["2,5", "1.23", "12.3456", "1.234,567", "1234.567", "x12"])
def test_what_cannot_be_a_whole_count_is_none(text: str) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize(
    "text,value",
    [
        ("83,4", (83.4, 1)),
        ("98.54", (98.54, 2)),
        ("1.234,5", (1234.5, 1)),
        ("1,234.5", (1234.5, 1)),
        ("100", (100.0, 0)),
        ("1.234.567", (1234567.0, 0)),
    ],
)
def test_a_rate_keeps_the_digits_it_shows(text: str, value: tuple[float, int]) -> None:
    assert parse_decimal(text) == value


def test_a_decimal_with_its_mark_twice_after_the_other_is_none() -> None:
    assert parse_decimal("1.234,5,6") is None
    assert parse_decimal("abc") is None


def test_a_stated_rate_may_be_rounded_or_truncated() -> None:
    assert rounds_to(83.45, 83.5, 1)  # half up
    assert rounds_to(83.49, 83.4, 1)  # truncated
    assert rounds_to(99.6, 100, 0)
    assert not rounds_to(83.45, 83.3, 1)
    assert not rounds_to(99.4, 100, 0)


def test_numbers_are_written_the_vietnamese_way() -> None:
    assert format_vi(30566) == "30.566"
    assert format_vi(83.871, 2) == "83,87"
    assert format_count(1125) == "1.125"
    assert format_count(83.4) == "83,4"
    assert format_count(12.34567) == "12,346"  # at most three decimals
    assert format_count(7.0) == "7"
    assert format_count(None) == "?"


def test_a_numeral_is_not_part_of_a_symbol_or_a_word() -> None:
    text = "Tiếp nhận 1.639 hồ sơ theo Quyết định 61/2018/NĐ-CP, đạt 98,5%; mã A12 và 3b."
    assert [m.group() for m in NUMERAL.finditer(text)] == ["1.639", "98,5"]


def test_an_approximate_figure_fits_on_its_stated_side_within_a_tenth() -> None:
    assert fits_approximation(41388, 41000, "at_least")  # "hơn 41.000"
    assert not fits_approximation(40900, 41000, "at_least")
    assert fits_approximation(1250, 1300, "at_most")  # "gần 1,3 ngàn"
    assert not fits_approximation(164, 1300, "at_most")
    assert fits_approximation(95, 100, None) and not fits_approximation(85, 100, None)
