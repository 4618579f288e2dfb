"""Classes of real-world writing (issue 10), each with sentences written here, negative cases
included: rates in prose, other labels and counting words, approximate figures, figures of
other units, unit names, dates and times that look like numbers, periods, and slips that
must (and must not) be flagged. The sentences are the project's own paraphrases of how
portals and papers write; none is copied from a real text."""

from __future__ import annotations

import pytest

from tests.conftest import all_scope, extract_text
from tthc.check import run_checks

ARITHMETIC = {
    "sum.received",
    "sum.resolved",
    "sum.pending",
    "sum.breakdown",
    "balance",
    "impossible",
    "ratio",
    "delta",
    "conflict.value",
}


def rates(text: str) -> list[tuple]:
    return [(p.value, p.numerator, p.denominator) for p in extract_text(text).percentages]


def serious(text: str) -> list[tuple[str, str]]:
    """(code, severity) of the arithmetic flags that are errors or warnings."""
    return [
        (f.code, f.severity)
        for f in run_checks(extract_text(text))
        if f.code in ARITHMETIC and f.severity != "info"
    ]


# ---------------------------------------------------------------- rates in prose
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the whole is listed before "trong đó", the part right before "đạt"
        (
            "Năm 2023, huyện nhận 8.420 hồ sơ, đã giải quyết 8.115 hồ sơ; trong đó đúng và trước "
            "hạn 8.050 hồ sơ, đạt tỷ lệ 99,2%.",
            (99.2, 8050, 8115),
        ),
        # a count "đến hạn" before the part, its ratio is the rate
        (
            "Trong tháng có 2.310 hồ sơ đến hạn giải quyết, trong số ấy 2.287 hồ sơ đã trả kết "
            "quả trước và đúng hạn, đạt 99,0%.",
            (99.0, 2287, 2310),
        ),
        # the rate first, its counts after it in the same sentence
        (
            "Tỷ lệ hồ sơ giải quyết đúng hạn của các sở đạt 97,45%; trong đó tổng số hồ sơ đã "
            "giải quyết xong là 12.400 hồ sơ, số đúng hạn là 12.084 hồ sơ.",
            (97.45, 12084, 12400),
        ),
        # the whole stated after the rate, at two decimals
        (
            "Bộ phận Một cửa trả trước và đúng hạn 5.130 hồ sơ (đạt 98,54%), số hồ sơ đến hạn "
            "giải quyết 5.206 hồ sơ.",
            (98.54, 5130, 5206),
        ),
    ],
)
def test_rates_take_their_counts_from_their_sentence(text, expected):
    assert expected in rates(text)


def test_a_rate_listed_under_its_whole_keeps_it_even_when_wrong_and_is_flagged():
    text = (
        "Sáu tháng, sở đã giải quyết 52.300 hồ sơ, trong đó số trả đúng hạn gồm 51.100 hồ sơ, "
        "đạt tỷ lệ 96,1%."
    )
    assert (96.1, 51100, 52300) in rates(text)
    assert ("ratio", "warning") in serious(text)  # read from the sentence: a warning


def test_no_numerator_across_sentences_nor_from_brackets_or_other_things():
    # the whole sits in the previous sentence: the rate keeps only its numerator
    assert rates(
        "Huyện đã giải quyết 3.200 hồ sơ. Trong đó, đúng hạn 3.150 hồ sơ, đạt 98,44%."
    ) == [(98.44, 3150, None)]
    # a count in brackets is not the numerator of the rate after them
    assert rates("Trễ hạn 40 hồ sơ (12 hồ sơ do lỗi phần mềm), đạt tỷ lệ 1,3%.") == [
        (1.3, None, None)
    ]
    # "tháng", "cơ quan" count other things
    assert rates("Sau 9 tháng chiếm 45% số hồ sơ.") == [(45.0, None, None)]
    assert rates("Có 12 cơ quan đạt 100% hồ sơ trực tuyến.") == [(100.0, None, None)]
    # a rate with its own words is not the previous count's: "…, tỷ lệ … đạt x%"
    assert rates(
        "Xã tiếp nhận 4.500 hồ sơ, giải quyết 4.480 hồ sơ, tỷ lệ giải quyết hồ sơ đúng hạn là "
        "99,5%."
    ) == [(99.5, None, None)]


def test_a_date_is_never_a_ratio():
    for text in (
        "Sáng 14/9, đoàn kiểm tra làm việc tại xã.",
        "Ngày 3/11, UBND huyện tổ chức hội nghị.",
        "Từ 1/7 đến 30/9/2025, trung tâm tiếp nhận 900 hồ sơ.",
        "Chiều 22/4 đoàn công tác đến thăm Thứ Năm, 5/6.",
    ):
        assert [p for p in extract_text(text).percentages if p.numerator is not None] == [], text
        assert "impossible" not in {c for c, _ in serious(text)}


def test_counts_of_departments_ranks_and_coverage_are_not_ratios():
    assert rates("Đã có 11/20 sở, ngành đưa 100% thủ tục ra trung tâm.") == [(100.0, None, None)]
    assert rates("Huyện xếp hạng 3/9 đơn vị cấp huyện.") == []
    assert rates("18/18 xã, thị trấn thực hiện một cửa điện tử.") == []
    # a ratio of dossiers or of tasks stays one
    assert rates("Hoàn thành 28/30 nhiệm vụ, đạt 93,33%.") == [(93.33, 28, 30)]
    assert rates("Lĩnh vực hộ tịch 45/45 hồ sơ.") == [(None, 45, 45)]


# ---------------------------------------------------------------- labels and counting words
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý II, xã nhận 315 bộ hồ sơ.", {"received_total": 315}),
        ("Trung tâm đã xử lý được 1.840 HS.", {"resolved_total": 1840}),
        (
            "Đã giải quyết 600 hồ sơ, trong đó đúng hẹn 590 hồ sơ, trễ hẹn 10 hồ sơ.",
            {"resolved_total": 600, "resolved_on_time": 590, "resolved_late": 10},
        ),
        ("Lũy kế đã và đang giải quyết trong kỳ là 2.745 hồ sơ.", {"received_total": 2745}),
        ("Có 37 hồ sơ bị trả quá hạn.", {"resolved_late": 37}),
        (
            "Số mới tiếp nhận (trực tiếp và bưu chính) 410 hồ sơ.",
            {"received_offline": 410},
        ),
        (
            "Hiện đang giải quyết 56 hồ sơ, có 4 hồ sơ bị quá hạn.",
            {"pending_total": 56, "pending_overdue": 4},
        ),
        ("Trong tháng đã tiếp nhận mới 1.230 hồ sơ.", {"received_new": 1230}),
        (
            "Ngoài ra, hồ sơ quá hạn đã giải quyết là 61 hồ sơ.",
            {"resolved_late": 61},
        ),
        (
            "Đang giải quyết 300 hồ sơ (trong hạn giải quyết 280 hồ sơ và 20 hồ sơ quá hạn).",
            {"pending_total": 300, "pending_in_time": 280, "pending_overdue": 20},
        ),
        (
            "Có 58 hồ sơ của các phòng, ban chuyên môn trễ hạn so với quy định.",
            {"resolved_late": 58},
        ),
    ],
)
def test_other_labels_and_counting_words(text, expected):
    assert all_scope(extract_text(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tại trung tâm có 1.200 lượt người đến giao dịch.",  # visits, not dossiers
        "Có 2.100 hồ sơ đến hạn giải quyết trong tháng.",  # due, not resolved
        "Còn 318 hồ sơ chậm được tiếp nhận trên Cổng dịch vụ công.",  # not received
        "Bưu điện đã chuyển trả 4.500 hồ sơ kết quả tận nhà.",  # results by post
        "Có gần 3.000 hồ sơ được trả qua dịch vụ bưu chính công ích.",
    ],
)
def test_words_that_are_not_the_figures_they_look_like(text):
    record = extract_text(text)
    assert all_scope(record) == {} or all(
        f not in all_scope(record) for f in ("received_total", "resolved_total", "received_offline")
    )


def test_one_number_for_received_and_resolved_gives_way_to_figures_of_their_own():
    joint = extract_text("Từ đầu năm, Bộ phận Một cửa đã tiếp nhận và giải quyết 540 hồ sơ.")
    assert all_scope(joint) == {"received_total": 540, "resolved_total": 540}
    both = extract_text(
        "Xã đã tiếp nhận và giải quyết 540 hồ sơ. Số hồ sơ đã giải quyết là 530 hồ sơ."
    )
    assert all_scope(both)["resolved_total"] == 530
    assert not both.periods[0].conflicts


# ---------------------------------------------------------------- approximate figures
@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Năm qua, huyện đã giải quyết hơn 23.000 hồ sơ.", "resolved_total", 23000),
        ("Trung tâm tiếp nhận gần 4.500 hồ sơ.", "received_total", 4500),
        ("Xã đã tiếp nhận trên 6,4 ngàn hồ sơ.", "received_total", 6400),
        ("Đã tiếp nhận 15,8 nghìn hồ sơ các loại.", "received_total", 15800),
        ("Toàn tỉnh tiếp nhận khoảng 1,3 triệu hồ sơ.", "received_total", 1300000),
    ],
)
def test_approximate_figures_keep_their_value_with_a_mark(text, field, value):
    period = extract_text(text).periods[0]
    assert getattr(period.dossiers, field) == value
    assert period.evidence[field].approx is True


def test_an_exact_figure_replaces_the_approximation_it_fits_never_the_reverse():
    record = extract_text(
        "Năm 2024: xã giải quyết hơn 3.000 hồ sơ.\n"
        "Cụ thể, năm 2024 xã đã giải quyết 3.046 hồ sơ, đang giải quyết 12 hồ sơ."
    )
    (period,) = record.periods
    assert period.dossiers.resolved_total == 3046 and not period.evidence["resolved_total"].approx
    assert not period.conflicts
    reverse = extract_text(
        "Năm 2024, xã đã giải quyết 3.046 hồ sơ.\nNăm 2024 xã giải quyết hơn 3.000 hồ sơ."
    )
    assert reverse.periods[0].dossiers.resolved_total == 3046
    # an exact count that cannot be what the approximation rounds is another quantity
    other = extract_text(
        "Năm 2023, có 1,5 ngàn hồ sơ giải quyết trễ hạn. Năm 2023 có 210 hồ sơ trễ hạn."
    )
    assert other.periods[0].dossiers.resolved_late == 1500


def test_an_approximate_figure_never_raises_an_error():
    assert serious("Năm 2024, xã tiếp nhận hơn 5.000 hồ sơ; đã giải quyết 5.120 hồ sơ.") == []
    assert (
        serious(
            "Năm 2024, xã tiếp nhận 5.100 hồ sơ, đã giải quyết gần 5.000 hồ sơ, đang giải quyết "
            "150 hồ sơ."
        )
        == []
    )
    assert serious("Tỷ lệ đúng hạn đạt hơn 99%, với 812/830 hồ sơ.") == []


# ---------------------------------------------------------------- figures of other units
def test_sub_units_never_fill_the_units_fields():
    record = extract_text(
        "Năm 2024, toàn huyện tiếp nhận 20.400 hồ sơ, đã giải quyết 20.150 hồ sơ. "
        "Cấp huyện tiếp nhận 1.300 hồ sơ, đã giải quyết 1.260 hồ sơ. Trong đó, đúng hạn 1.250 "
        "hồ sơ. Cấp xã tiếp nhận 19.100 hồ sơ, đã giải quyết 18.890 hồ sơ."
    )
    assert all_scope(record) == {"received_total": 20400, "resolved_total": 20150}
    assert not record.periods[0].conflicts


@pytest.mark.parametrize(
    "text",
    [
        "Năm 2024, Sở Xây dựng có 77 hồ sơ trễ hạn.",
        "Các đơn vị tiếp nhận nhiều là Công an tỉnh (640 hồ sơ), Sở Tư pháp (215 hồ sơ).",
        "Riêng hồ sơ thuộc thẩm quyền cấp xã có tổng số 900, với 880 hồ sơ giải quyết đúng hạn.",
        "Trong tổng số hồ sơ trễ hạn có 25 hồ sơ trễ hạn do phải xác minh.",
        "Số hồ sơ tiếp nhận giảm 215 hồ sơ so với cùng kỳ.",
        "Trung bình mỗi ngày trung tâm tiếp nhận 350 hồ sơ.",
        "Trong quý, xã tiếp nhận 4 hồ sơ cấp sổ đỏ.",
        "Cơ quan chuyên môn thuộc UBND tỉnh tiếp nhận 8.900 hồ sơ; các cơ quan ngành dọc tiếp "
        "nhận 2.300 hồ sơ.",
    ],
)
def test_figures_of_other_units_parts_changes_and_single_procedures(text):
    assert all_scope(extract_text(text)) == {}


def test_a_sub_units_rate_is_kept_apart_and_never_an_error():
    record = extract_text(
        "Cấp huyện đã giải quyết 400 hồ sơ, trong đó đúng hạn 390 hồ sơ, đạt tỷ lệ 95%."
    )
    (rate,) = record.percentages
    assert rate.scope != "all" and rate.other_unit
    assert ("ratio", "error") not in serious(
        "Cấp huyện đã giải quyết 400 hồ sơ, trong đó đúng hạn 390 hồ sơ, đạt tỷ lệ 95%."
    )


def test_the_whole_unit_speaking_again_ends_a_sub_units_stretch():
    record = extract_text(
        "Riêng chi nhánh văn phòng đăng ký đất đai tiếp nhận 700 hồ sơ. Toàn huyện đã tiếp nhận "
        "9.800 hồ sơ."
    )
    assert all_scope(record) == {"received_total": 9800}


def test_who_reports_is_not_a_sub_unit():
    record = extract_text(
        "Sở Tư pháp cho biết, năm 2024 ngành đã tiếp nhận 3.120 hồ sơ, đã giải quyết 3.090 hồ sơ."
    )
    assert all_scope(record) == {"received_total": 3120, "resolved_total": 3090}


# ---------------------------------------------------------------- unit names
@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        ("Năm 2024, UBND TP.Vị Thanh đã tiếp nhận 5.000 hồ sơ.", "Vị Thanh", "thành phố"),
        ("Trong quý, TP. Long Khánh giải quyết 3.100 hồ sơ.", "Long Khánh", "thành phố"),
        ("UBND Q.5 tiếp nhận 12.000 hồ sơ trong năm.", "5", "quận"),
        ("UBND TX Ninh Hòa đã giải quyết 8.000 hồ sơ.", "Ninh Hòa", "thị xã"),
        (
            "Phường Tân Định tiếp nhận 600 hồ sơ; phường Tân Định đạt 100% đúng hạn.",
            "Tân Định",
            "phường",
        ),
    ],
)
def test_unit_names_as_news_items_write_them(text, name, level):
    unit = extract_text(text).unit
    assert (unit.name, unit.level) == (name, level)


def test_a_news_title_names_the_place():
    unit = extract_text(
        "Cà Mau: Tỷ lệ giải quyết hồ sơ đúng hạn cao\nThông tin từ UBND tỉnh, trên địa bàn tỉnh "
        "đã giải quyết 40.000 hồ sơ."
    ).unit
    assert (unit.name, unit.level) == ("Cà Mau", "tỉnh")


def test_eth_is_read_as_d_with_stroke_and_a_doubled_code_letter_is_mended():
    record = extract_text(
        "Thực hiện Quyết định số 412/QĐÐ-UBND ngày 03/4/2024 của UBND tỉnh; UBND xã Ðông Hải "
        "báo cáo."
    )
    (cite,) = record.citations
    assert cite.symbol == "412/QĐ-UBND" and not cite.problems
    assert not [f for f in run_checks(record) if f.code.startswith("citation")]
    assert record.unit.name == "Đông Hải"


# ---------------------------------------------------------------- dates and times
def test_times_and_day_months_are_never_counts():
    record = extract_text(
        "Tin ngày 14:20, 05/6/2024\nTỷ lệ hồ sơ đúng hạn 98% hồ sơ giải quyết đúng hạn 07:45"
    )
    assert all_scope(record) == {}


def test_dotted_and_dashed_dates_and_periods():
    record = extract_text(
        "Từ ngày 3.2.2023 đến 30.6.2023, trung tâm tiếp nhận 4.100 hồ sơ.\n"
        "Trong quý II.2023, trung tâm giải quyết 2.050 hồ sơ.\n"
        "Trong tháng 8-2023, trung tâm tiếp nhận 700 hồ sơ."
    )
    keys = {p.key for p in record.periods}
    assert keys == {"2023-02-03..2023-06-30", "2023-Q2", "2023-08"}


# ---------------------------------------------------------------- periods
def test_ranges_without_a_year():
    record = extract_text(
        "Từ ngày 9.1.2024 đến 7.6.2024, trung tâm đã tiếp nhận 12.000 hồ sơ. Trong đó, chỉ "
        "tính từ ngày 1.6 đến ngày 7.6 đã tiếp nhận 640 hồ sơ."
    )
    by_key = {p.key: p.dossiers.received_total for p in record.periods}
    assert by_key == {"2024-01-09..2024-06-07": 12000, "2024-06-01..2024-06-07": 640}
    record = extract_text("Từ ngày 1/7 đến 20/9/2025, xã tiếp nhận 1.500 hồ sơ.")
    assert record.periods[0].key == "2025-07-01..2025-09-20"


def test_cumulative_months_and_the_next_quarters_tasks():
    record = extract_text("Tính đến cuối tháng 4 năm 2022, xã đã tiếp nhận 2.900 hồ sơ.")
    assert record.periods[0].key == "2022-M4"
    record = extract_text("Trong 9 tháng năm 2021, xã đã tiếp nhận 2.900 hồ sơ.")
    assert record.periods[0].key == "2021-M9"
    record = extract_text(
        "BÁO CÁO\nKết quả công tác quý II và nhiệm vụ trọng tâm quý III năm 2024\n"
        "I. KẾT QUẢ\nTrong kỳ, xã tiếp nhận 510 hồ sơ."
    )
    assert record.report.period_key == "2024-Q2"


# ---------------------------------------------------------------- slips
def test_a_real_slip_is_flagged_and_a_consistent_report_is_not():
    # early or on time + late ≠ resolved: an error
    assert ("sum.resolved", "error") in serious(
        "Năm 2024, huyện đã giải quyết 9.870 hồ sơ. Trong đó, trước hạn và đúng hạn 9.840 hồ "
        "sơ, trễ hạn 19 hồ sơ."
    )
    # on time + late short of resolved with no early stated: a warning that says why
    assert ("sum.resolved", "warning") in serious(
        "Năm 2024, huyện đã giải quyết 6.215 hồ sơ, trong đó đúng hạn 5.790 hồ sơ, trễ hạn "
        "415 hồ sơ."
    )
    assert (
        serious(
            "Quý I/2024 toàn tỉnh tiếp nhận 90.400 hồ sơ, đã giải quyết 85.300 hồ sơ, trong đó "
            "trước hạn và đúng hạn 84.100 hồ sơ, đạt tỷ lệ 98,59%; quá hạn 1.200 hồ sơ; đang giải "
            "quyết 5.100 hồ sơ (trong hạn giải quyết 4.700 hồ sơ và 400 hồ sơ quá hạn)."
        )
        == []
    )


def test_the_same_statement_printed_twice_is_not_a_conflict():
    sentence = "Năm 2023, toàn tỉnh đã giải quyết đúng hạn 120.340 hồ sơ, đạt tỷ lệ 98,7%."
    assert serious(f"{sentence}\n{sentence}") == []


def test_a_district_text_keeps_its_communes_figures_apart():
    record = extract_text(
        "UBND HUYỆN TÂY SƠN\nUBND huyện thông báo kết quả kiểm tra như sau:\n"
        "Năm 2024, toàn huyện Tây Sơn tiếp nhận 9.100 hồ sơ, đã giải quyết 9.020 hồ sơ.\n"
        "+ Xã Bình Nghi: Tổng số hồ sơ tiếp nhận ghi 820, đã giải quyết 800 hồ sơ.\n"
        "Hồ sơ giải quyết quá hạn theo đơn vị: xã Tây Giang 04."
    )
    assert all_scope(record) == {"received_total": 9100, "resolved_total": 9020}
    assert not record.periods[0].conflicts
