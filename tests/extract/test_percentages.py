"""Rates with their numerators and denominators; the reporting unit and report metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import extract_text


def rates(text: str):
    return [
        (p.value, p.numerator, p.denominator, p.ratio_source)
        for p in extract_text(text).percentages
    ]


def test_explicit_ratios():
    assert rates("Năm 2020: 512/2048 = 25%; Năm 2024: 1.702/1.702 = 100%.") == [
        (25.0, 512, 2048, "explicit"),
        (100.0, 1702, 1702, "explicit"),
    ]
    assert rates("Số hồ sơ trực tuyến 1.164/1.639 hồ sơ, đạt tỷ lệ 71,02%") == [
        (71.02, 1164, 1639, "explicit")
    ]
    assert rates("Tỷ lệ nộp trực tuyến đạt 88.87% (1,102/1,240).") == [
        (88.87, 1102, 1240, "explicit")
    ]


def test_bare_ratio_and_bare_rate():
    assert rates("(Đất đai 35/35 hồ sơ, Xây dựng 12/12 hồ sơ)") == [
        (None, 35, 35, "explicit"),
        (None, 12, 12, "explicit"),
    ]
    assert rates("Tỷ lệ hoàn thành kế hoạch: 90.625") == [(90.625, None, None, None)]


def test_numerator_and_denominator_from_the_sentence():
    text = "Đã giải quyết 410 hồ sơ, trong đó có số hóa kết quả 369 hồ sơ, tỷ lệ là 90%."
    assert rates(text) == [(90.0, 369, 410, "context")]
    assert rates("cả xã tiếp nhận 1.204 hồ sơ qua mạng, đạt tỷ lệ 67,5%") == [
        (67.5, 1204, None, None)
    ]


def test_change_and_reference_belong_to_the_rate():
    (p,) = extract_text(
        "tỷ lệ hồ sơ trễ hạn còn 0,12%, giảm 0,4% so với năm trước (0,52%)"
    ).percentages
    assert (p.value, p.change, p.reference_value, p.measure_key) == (0.12, -0.4, 0.52, "late")


def test_items_of_a_list_of_rates():
    ps = extract_text(
        "Tỷ lệ nộp trực tuyến còn thấp, đặc biệt các xã: Tân An 49,42%; Hòa Bình 54,46%."
    ).percentages
    assert [(p.item, p.value, p.measure_key) for p in ps] == [
        ("Tân An", 49.42, "online"),
        ("Hòa Bình", 54.46, "online"),
    ]


def test_unit_and_report_metadata():
    r = extract_text("""UBND HUYỆN TIÊN LÃNG
UBND XÃ ĐÔNG LÂM
Số: 38/BC-UBND
Đông Lâm, ngày 18 tháng 6 năm 2024
BÁO CÁO
Tình hình kiểm soát thủ tục hành chính 6 tháng đầu năm 2024
UBND xã đã tiếp nhận 120 hồ sơ của tổ chức, công dân trên địa bàn tỉnh Hải Phòng.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Phạm Thị Thuỷ""")
    assert (r.unit.name, r.unit.level, r.unit.district, r.unit.province) == (
        "Đông Lâm",
        "xã",
        "Tiên Lãng",
        "Hải Phòng",
    )
    assert (r.report.kind, r.report.number, r.report.date) == (
        "báo cáo",
        "38/BC-UBND",
        dt.date(2024, 6, 18),
    )
    assert (r.report.signer, r.report.signer_title) == ("Phạm Thị Thuỷ", "Phó Chủ tịch")
    assert r.report.period_key == "2024-M6"
    assert r.unit.evidence["name"].quote.endswith("ĐÔNG LÂM")


def test_a_report_does_not_cite_itself():
    r = extract_text("""Số: 12/BC-UBND
BÁO CÁO
Kèm theo Báo cáo số 12/BC-UBND, UBND xã thực hiện Kế hoạch số 3/KH-UBND ngày 02/01/2024.""")
    assert [c.symbol for c in r.citations] == ["3/KH-UBND"]


def test_a_change_alone_is_not_a_rate():
    (p,) = extract_text("Tiếp nhận 1.250 hồ sơ (tăng 12% so với cùng kỳ năm 2024).").percentages
    assert (p.value, p.change, p.reference_period) == (None, 12.0, "cùng kỳ năm 2024")


def test_bracketed_share_after_a_count():
    text = "Trong kỳ tiếp nhận 820 hồ sơ, trong đó: 610 hồ sơ nộp trực tuyến (chiếm 74,39%), 210 hồ sơ nộp trực tiếp."
    assert rates(text) == [(74.39, 610, 820, "context")]


def test_every_rate_of_the_bundled_sample_gets_its_measure():
    """The generator's truth names the measure of every rate of the sample district; each one
    read from its report must carry that measure_key (scored by tthc/evaluate/score.py)."""
    from tthc.evaluate.records import SAMPLE_TRUTH
    from tthc.evaluate.score import load_truth, score, totals
    from tthc.process import process_file

    sample = Path(__file__).resolve().parents[2] / "tthc" / "sample"
    gold = load_truth(SAMPLE_TRUTH)
    records = [process_file(sample / name).to_json() for name in gold]
    measures = totals(score(records, gold))["measures"]
    assert measures.expected > 40
    assert measures.tp == measures.expected, measures


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Kết quả giải quyết được số hóa 512/530 hồ sơ, đạt tỷ lệ 96,6%.", "digitized_result"),
        ("Tỷ lệ số hóa kết quả giải quyết TTHC đạt 95,10%.", "digitized_result"),
        ("Tỷ lệ số hóa thành phần hồ sơ khi tiếp nhận đạt 98%.", "digitized_intake"),
        ("Hồ sơ nộp trực tuyến chiếm 61,5% số hồ sơ mới tiếp nhận.", "online"),
        ("Giải quyết trước hạn và đúng hạn đạt 99,1%.", "on_time"),
        ("Tỷ lệ hồ sơ trễ hẹn còn 0,8%.", "late"),
        ("Tỷ lệ thanh toán trực tuyến đạt 40%.", "payment"),
        ("Mức độ hài lòng của người dân đạt 97%.", "satisfaction"),
        ("98,96% hồ sơ giải quyết đúng hạn", "on_time"),
        ("Tỷ lệ tăng trưởng chung đạt 6,5%.", None),
    ],
)
def test_rates_by_measure(text, key):
    (p,) = extract_text(text).percentages
    assert p.measure_key == key


def test_scoring_counts_measures():
    from tthc.evaluate.score import score_file

    gold = {
        "file": "x.txt",
        "percentages": [
            {"value": 90.0, "numerator": None, "denominator": None, "measure_key": "online"}
        ],
    }
    right = {"percentages": [{"value": 90.0, "measure_key": "online"}]}
    wrong = {"percentages": [{"value": 90.0, "measure_key": None}]}
    assert score_file(right, gold).measures.tp == 1
    assert score_file(wrong, gold).measures.tp == 0


def test_a_ratio_in_brackets_a_few_words_after_its_rate_is_its_base():
    record = extract_text(
        "UBND XÃ HÒA LẠC\nBÁO CÁO quý I năm 2026\n"
        "Có 120 hồ sơ nộp trực tuyến, chiếm 60,61% số hồ sơ mới tiếp nhận (120/198 hồ sơ), "
        "cao hơn quý trước.\n"
    )
    rates = [(p.value, p.numerator, p.denominator) for p in record.percentages]
    assert rates == [(60.61, 120, 198)]
