"""A rate is linked to its base whether or not it agrees (issue 17 §4), by the sentence's
structure; then the ratio check says whether it holds. Phrase table: (sentence, the rate's
(value, numerator, denominator), whether a `ratio` flag must fire). Sentences written here."""

from __future__ import annotations

import pytest

from tests.conftest import extract_text
from tthc.check import run_checks

HEAD = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý I năm 2026\n"

LINKED = [
    # the ratio, then a few words of what it counts, then the rate (§7: one rate, not two)
    ("Năm 2024, có 152/170 hồ sơ có phát sinh phí, lệ phí, đạt 89,41%.", (89.41, 152, 170), False),
    (
        "Số hồ sơ được số hóa kết quả là 382/400 hồ sơ đã giải quyết, đạt tỷ lệ 95,5%.",
        (95.5, 382, 400),
        False,
    ),
    # a longer account of what it counts: the measured words and figure words not counted
    (
        "Kết quả giải quyết của 380/400 hồ sơ đã được số hóa và đồng bộ lên kho dữ liệu điện tử của tổ chức, công dân, đạt 95%.",
        (95.0, 380, 400),
        False,
    ),
    # a ratio in words
    ("Đã số hóa 382 trên tổng số 400 hồ sơ, đạt 95,5%.", (95.5, 382, 400), False),
    (
        "Tiếp nhận trực tuyến 318 hồ sơ trên tổng số 420 hồ sơ tiếp nhận, chiếm tỷ lệ 75,71%.",
        (75.71, 318, 420),
        False,
    ),
    # the ratio after the rate, in brackets or after "với"
    (
        "Tỷ lệ giải quyết trước và đúng hạn đạt 98,25% (393 hồ sơ trên 400 hồ sơ đã giải quyết).",
        (98.25, 393, 400),
        False,
    ),
    ("Tỷ lệ hồ sơ trực tuyến đạt 75,71%, với 318/420 hồ sơ.", (75.71, 318, 420), False),
    # wrong rates are linked too, and flagged
    ("Tỷ lệ hồ sơ trực tuyến đạt 75,17%, với 318/420 hồ sơ.", (75.17, 318, 420), True),
    ("Giải quyết đúng hạn 380/400 hồ sơ, đạt 96%.", (96.0, 380, 400), True),
    ("Tiếp nhận 420 hồ sơ, trực tuyến 318 hồ sơ, đạt 75,17%.", (75.17, 318, 420), True),
    ("Đã giải quyết 400 hồ sơ, đúng hạn và trước hạn 395 hồ sơ (98,25%).", (98.25, 395, 400), True),
    # the whole named after the rate
    ("Số hóa 378 hồ sơ, đạt 90% tổng số hồ sơ tiếp nhận (420 hồ sơ).", (90.0, 378, 420), False),
]


@pytest.mark.parametrize(("sentence", "rate", "flagged"), LINKED, ids=[t[0][:50] for t in LINKED])
def test_a_rate_keeps_its_base_whether_or_not_it_agrees(sentence, rate, flagged):
    record = extract_text(HEAD + sentence)
    rates = [(p.value, p.numerator, p.denominator) for p in record.percentages]
    assert rates == [rate]
    assert any(f.code == "ratio" for f in run_checks(record)) == flagged


def test_not_a_rate_of_dossiers():
    """A count of departments before another rate is no ratio of that rate."""
    record = extract_text(HEAD + "15/24 Sở, ngành đưa 100% TTHC lên Cổng dịch vụ công.")
    assert [(p.value, p.numerator) for p in record.percentages] == [(100.0, None)]


def test_the_sides_of_a_rate_named_next_to_it_are_weak_figures():
    """ "trực tuyến 318/420 hồ sơ, đạt …": 318 is the online count unless the text states it
    otherwise elsewhere; a weak reading never contradicts a figure stated on its own."""
    record = extract_text(
        HEAD + "Tiếp nhận 420 hồ sơ, trực tuyến 318/420 hồ sơ, đạt 75,71%. Trực tuyến 320 hồ sơ."
    )
    [period] = record.periods
    assert period.dossiers.received_online == 320 and not period.conflicts
