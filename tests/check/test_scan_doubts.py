"""What a scan may have misread (issue 17 §6): the roman numeral of a quarter ("Quý L", "Quý
l", "Quý |" before its year), a heading too garbled to read (the figures stay with the
report's own period), and an itemized list that does not add up (a row the scan lost is
likelier than a slip: a warning that says so)."""

from __future__ import annotations

import pytest

from tests.conftest import extract_text
from tests.factories import evidence
from tthc.check.arithmetic import check_breakdowns, precision_first
from tthc.schemas import Breakdown, Dossiers, Period

OCR_QUARTERS = [
    ("BÁO CÁO kết quả quý L năm 2025", "2025-Q1"),
    ("BÁO CÁO kết quả quý ll năm 2025", "2025-Q2"),
    ("BÁO CÁO kết quả Quý | năm 2025", "2025-Q1"),
    ("BÁO CÁO kết quả quý lV/2025", "2025-Q4"),
    ("BÁO CÁO kết quả quý 1 năm 2025", "2025-Q1"),  # a real form
]


@pytest.mark.parametrize(("title", "key"), OCR_QUARTERS, ids=[t for t, _ in OCR_QUARTERS])
def test_a_misread_quarter_numeral_is_the_quarter(title, key):
    record = extract_text(f"UBND XÃ AN PHÚ\n{title}\nTiếp nhận 120 hồ sơ.")
    assert record.report.period_key == key
    assert [p.key for p in record.periods] == [key]


def test_a_garbled_heading_never_moves_figures_to_another_period():
    """A table heading whose quarter a phone photo garbled ("Quý ? năm 2025") is the report's
    own quarter, not the year 2025."""
    record = extract_text(
        "UBND XÃ AN PHÚ\nBÁO CÁO kết quả quý I năm 2025\n1. Kết quả\n"
        "Số liệu Quý ¿ năm 2025 như sau: tiếp nhận 120 hồ sơ, đã giải quyết 110 hồ sơ."
    )
    assert [p.key for p in record.periods] == ["2025-Q1"]


def test_a_scanned_list_that_does_not_add_up_is_a_warning_that_says_why():
    scanned = evidence("hộ tịch 30; chứng thực 50", ocr=True)
    period = Period(
        label="Quý I năm 2025",
        dossiers=Dossiers(resolved_total=100),
        breakdowns=[
            Breakdown(
                of="resolved_total",
                total=100,
                items={"hộ tịch": 30, "chứng thực": 50},
                evidence=scanned,
            )
        ],
        evidence={"resolved_total": evidence("Đã giải quyết 100 hồ sơ", ocr=True)},
    )
    [flag] = [precision_first(f) for f in check_breakdowns(period)]
    assert flag.code == "sum.breakdown" and flag.severity == "warning"
    assert "bản quét" in flag.message
    typed = period.model_copy(
        update={
            "breakdowns": [period.breakdowns[0].model_copy(update={"evidence": evidence("…")})],
            "evidence": {"resolved_total": evidence("…")},
        }
    )
    [flag] = [precision_first(f) for f in check_breakdowns(typed)]
    assert flag.severity == "error"
