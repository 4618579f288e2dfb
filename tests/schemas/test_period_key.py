"""PeriodKey: every key form the extractor writes, parsed back into kind, dates, the period
before it and its Vietnamese name, by one parser that every stage shares."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc.consolidate.district import previous_key
from tthc.extract.periods import find_periods, with_year
from tthc.schemas.period_key import PeriodKey, statistical_quarter, statistical_year
from tthc.textkit.forms import match_form
from tthc.wording import period_label

D = dt.date

# key, kind, start, end, Vietnamese label, the period before
FORMS = [
    ("2025", "year", D(2024, 12, 15), D(2025, 12, 14), "năm 2025", "2024"),
    ("2025-Q1", "quarter", D(2024, 12, 15), D(2025, 3, 14), "Quý I năm 2025", "2024-Q4"),
    ("2024-Q4", "quarter", D(2024, 9, 15), D(2024, 12, 14), "Quý IV năm 2024", "2024-Q3"),
    ("2025-M6", "months", D(2024, 12, 15), D(2025, 6, 14), "6 tháng đầu năm 2025", "2024-M6"),
    ("2023-M12", "months", D(2022, 12, 15), D(2023, 12, 14), "12 tháng đầu năm 2023", "2022-M12"),
    (
        "2023-L6",
        "last_months",
        D(2023, 6, 15),
        D(2023, 12, 14),
        "6 tháng cuối năm 2023",
        "2022-L6",
    ),
    ("2025-05", "month", D(2025, 5, 1), D(2025, 5, 31), "tháng 5 năm 2025", "2025-04"),
    ("2024-01", "month", D(2024, 1, 1), D(2024, 1, 31), "tháng 1 năm 2024", "2023-12"),
    ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29), "tháng 2 năm 2024", "2024-01"),
    (
        "2023-01..2023-06",
        "span",
        D(2023, 1, 1),
        D(2023, 6, 30),
        "từ tháng 1 đến tháng 6 năm 2023",
        "2022-07..2022-12",
    ),
    (
        "2022-07..2023-06",
        "span",
        D(2022, 7, 1),
        D(2023, 6, 30),
        "từ tháng 7 năm 2022 đến tháng 6 năm 2023",
        "2021-07..2022-06",
    ),
    (
        "2021..2023",
        "span",
        D(2020, 12, 15),
        D(2023, 12, 14),
        "từ năm 2021 đến năm 2023",
        "2018..2020",
    ),
    (
        "2021..2023-05",
        "span",
        D(2020, 12, 15),
        D(2023, 5, 31),
        "từ năm 2021 đến tháng 5 năm 2023",
        "2018..2020-05",
    ),
    (
        "2022-12-15..2023-07-20",
        "range",
        D(2022, 12, 15),
        D(2023, 7, 20),
        "từ ngày 15/12/2022 đến ngày 20/7/2023",
        "2022-05-11..2022-12-14",
    ),
]


@pytest.mark.parametrize(("key", "kind", "start", "end", "label", "before"), FORMS)
def test_every_form(key, kind, start, end, label, before):
    period = PeriodKey.parse(key)
    assert period is not None
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert str(period) == key
    assert period.label_vi() == label
    assert str(period.previous()) == before
    assert period.previous().kind == kind
    assert period.previous().end < period.start


def test_the_span_of_months_is_dated_and_named():
    """The bug of issue 12: "2023-01..2023-06" had no dates and reached the officer raw."""
    period = PeriodKey.parse("2023-01..2023-06")
    assert period.dates == (D(2023, 1, 1), D(2023, 6, 30))
    assert period.year == 2023
    assert period_label("2023-01..2023-06") == "từ tháng 1 đến tháng 6 năm 2023"


@pytest.mark.parametrize(
    "key", [None, "", "quý I", "2025-Q5", "2025-Q0", "2025-13", "2025-M13", "2025-L0"]
)
def test_what_names_no_period(key):
    assert PeriodKey.parse(key) is None


@pytest.mark.parametrize(
    "key", ["2023..2022", "2023-06..2023-01", "2023-07-20..2022-12-15", "2023-02-30..2023-03-01"]
)
def test_backwards_or_impossible_ranges_name_no_period(key):
    assert PeriodKey.parse(key) is None


def test_unknown_keys_are_shown_as_written():
    assert period_label("kỳ khác") == "kỳ khác"
    assert period_label(None) is None
    assert period_label("") is None


def test_a_padded_count_of_months_is_the_same_period():
    assert PeriodKey.parse("2025-M05") == PeriodKey.parse("2025-M5")
    assert str(PeriodKey.parse("2025-M05")) == "2025-M5"


def test_keys_are_values():
    assert PeriodKey.parse("2025-Q1") == PeriodKey.of_quarter(2025, 1)
    assert len({PeriodKey.parse("2025"), PeriodKey.of_year(2025)}) == 1
    with pytest.raises(AttributeError):
        PeriodKey.parse("2025").year = 2024  # frozen


def test_the_statistical_calendar():
    assert statistical_year(2023) == (D(2022, 12, 15), D(2023, 12, 14))
    assert statistical_quarter(2025, 1) == (D(2024, 12, 15), D(2025, 3, 14))
    assert statistical_quarter(2025, 3) == (D(2025, 6, 15), D(2025, 9, 14))


@pytest.mark.parametrize(
    ("a", "b", "key"),
    [
        (D(2024, 12, 15), D(2025, 12, 14), "2025"),
        (D(2025, 1, 1), D(2025, 12, 31), "2025"),
        (D(2025, 6, 15), D(2025, 9, 14), "2025-Q3"),
        (D(2023, 12, 15), D(2024, 6, 14), "2024-M6"),
        (D(2025, 1, 2), D(2025, 3, 10), "2025-01-02..2025-03-10"),
    ],
)
def test_a_written_range_takes_the_key_it_covers(a, b, key):
    period = PeriodKey.from_dates(a, b)
    assert str(period) == key
    assert PeriodKey.parse(key) == period


TEXTS = [
    "Báo cáo kết quả quý III năm 2025",
    "quý 1/2023 và 9 tháng đầu năm 2023",
    "6 tháng cuối năm 2022",
    "tháng 5 năm 2023; năm 2022",
    "tính đến cuối tháng 5 năm 2017",
    "Từ ngày 15/12/2021 đến hết ngày 14/12/2022",
    "từ 15/12/2022-20/7/2023",
    "từ tháng 01/2023 đến tháng 6/2023",
    "Từ năm 2021 đến tháng 5 năm 2023",
    "từ năm 2019 đến năm 2021",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_key_the_extractor_writes_parses_back(text):
    """One parser for every key: what find_periods writes, PeriodKey reads unchanged."""
    mentions = [with_year(p, 2025) for p in find_periods(match_form(text), text)]
    keys = [p.key for p in mentions if p.key]
    assert keys
    for key in keys:
        period = PeriodKey.parse(key)
        assert period is not None, key
        assert str(period) == key
        assert period.start <= period.end


def test_the_period_to_compare_with():
    assert previous_key("2025-Q1", {"2024-Q4", "2024-Q3", "2024-M6"}) == "2024-Q4"
    assert previous_key("2025-Q1", {"2024-Q3", "2024"}) == "2024-Q3"  # the latest before it
    assert previous_key("2024-M6", {"2023-M6", "2024-Q1"}) == "2023-M6"
    assert previous_key("2024-M6", {"2023-M5"}) is None  # other months are not comparable
    assert previous_key("2024-L6", {"2023-L6", "2023"}) == "2023-L6"
    half = "2022-07..2022-12"
    assert previous_key("2023-01..2023-06", {half, "2022-12"}) == half
    assert previous_key("2025-05", {"2025-04", "2025-Q1"}) == "2025-04"
    assert previous_key("kỳ khác", {"2024"}) is None
