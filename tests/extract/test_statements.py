"""The grammar of a figure statement (issue 17 §3): a count's role comes from its clause —
the verb, the qualifiers before or after it, brackets, series, quantifiers — not from a fixed
phrase next to it. Each class is a phrase table of sentences written here (none copied from
a report): adding a phrasing is a row here and, when it needs a word, a line in tthc/rules/."""

from __future__ import annotations

import pytest

from tests.conftest import extract_text
from tthc.check import run_checks

HEAD = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý I năm 2026\n"


def read(sentence: str) -> dict[str, int]:
    """The unit's own figures of the report's period."""
    record = extract_text(HEAD + sentence)
    out: dict[str, int] = {}
    for p in record.periods:
        if p.scope == "all" and p.key == "2026-Q1":
            out.update(p.dossiers.model_dump(exclude_none=True))
    return out


def case(table: list[tuple[str, dict]]):
    return pytest.mark.parametrize(("sentence", "expected"), table, ids=[t[0][:50] for t in table])


# ---------------------------------------------------------------- the same fact, many orders
ORDERS = [
    ("Trong quý, xã giải quyết đúng hạn 45 hồ sơ.", {"resolved_on_time": 45}),
    ("Có 45 hồ sơ được giải quyết đúng hạn.", {"resolved_on_time": 45}),
    (
        "Đã giải quyết 400 hồ sơ; có 350 hồ sơ (chiếm 87,5%) giải quyết trước hạn.",
        {"resolved_total": 400, "resolved_early": 350},
    ),
    (
        "Đã trả kết quả 400 hồ sơ, trong đó 350 hồ sơ (87,5%) trả trước hạn, 45 hồ sơ (11,25%) đúng hạn.",
        {"resolved_total": 400, "resolved_early": 350, "resolved_on_time": 45},
    ),
    ("Số hồ sơ giải quyết đúng hạn là 45.", {"resolved_on_time": 45}),
    ("Giải quyết đúng hạn: 45 hồ sơ.", {"resolved_on_time": 45}),
    ("Còn 20 hồ sơ chưa đến hạn giải quyết.", {"pending_total": 20, "pending_in_time": 20}),
    (
        "Kỳ trước chuyển sang 8 hồ sơ, mới tiếp nhận 412 hồ sơ, tổng cộng 420 hồ sơ.",
        {"received_carried_over": 8, "received_new": 412, "received_total": 420},
    ),
    (
        "Tiếp nhận 420 hồ sơ; giải quyết 400 hồ sơ, đạt 95,24%; còn 20 hồ sơ chưa đến hạn giải quyết.",
        {"received_total": 420, "resolved_total": 400, "pending_total": 20, "pending_in_time": 20},
    ),
    ("Có tổng cộng 12 hồ sơ của công dân bị trả trễ hạn.", {"resolved_late": 12}),
]


@case(ORDERS)
def test_a_count_takes_its_role_from_its_clause(sentence, expected):
    assert read(sentence) == expected


# ---------------------------------------------------------------- brackets and series
PAIRED = [
    (
        "Tiếp nhận 420 hồ sơ (trực tuyến 318, trực tiếp 102).",
        {"received_total": 420, "received_online": 318, "received_offline": 102},
    ),
    (
        "Tiếp nhận 420 hồ sơ (318 hồ sơ qua mạng, 102 hồ sơ nộp trực tiếp).",
        {"received_total": 420, "received_online": 318, "received_offline": 102},
    ),
    (
        "Đã giải quyết 400 hồ sơ, trước hạn/đúng hạn/quá hạn lần lượt là 350/45/5 hồ sơ.",
        {"resolved_total": 400, "resolved_early": 350, "resolved_on_time": 45, "resolved_late": 5},
    ),
    (
        "Đã giải quyết 400 hồ sơ. Kết quả: 350/45/5 hồ sơ trước hạn/đúng hạn/trễ hạn.",
        {"resolved_total": 400, "resolved_early": 350, "resolved_on_time": 45, "resolved_late": 5},
    ),
    (
        "Đã giải quyết 400 hồ sơ, trong đó trước hạn, đúng hạn và quá hạn lần lượt là 350, 45 và 5 hồ sơ.",
        {"resolved_total": 400, "resolved_early": 350, "resolved_on_time": 45, "resolved_late": 5},
    ),
    (
        "Số hồ sơ tiếp nhận/giải quyết/đang giải quyết: 420/400/20.",
        {"received_total": 420, "resolved_total": 400, "pending_total": 20},
    ),
    (
        "Đã giải quyết 400 hồ sơ, trước hạn/đúng hạn 395 hồ sơ, quá hạn 5 hồ sơ.",
        {"resolved_total": 400, "resolved_early_or_on_time": 395, "resolved_late": 5},
    ),
]


@case(PAIRED)
def test_figures_paired_in_brackets_or_with_slashes(sentence, expected):
    assert read(sentence) == expected


# ---------------------------------------------------------------- facts by quantifier
QUANTIFIED = [
    (
        "Hiện còn 12 hồ sơ đang giải quyết, đều còn trong thời hạn.",
        {"pending_total": 12, "pending_in_time": 12, "pending_overdue": 0},
    ),
    (
        "Đang giải quyết 12 hồ sơ, tất cả đều chưa đến hạn.",
        {"pending_total": 12, "pending_in_time": 12, "pending_overdue": 0},
    ),
    (
        "Số hồ sơ đang giải quyết là 20 hồ sơ (đều trong hạn).",
        {"pending_total": 20, "pending_in_time": 20, "pending_overdue": 0},
    ),
    (
        "Đã giải quyết 400 hồ sơ, không có hồ sơ chậm muộn.",
        {"resolved_total": 400, "resolved_late": 0},
    ),
    (
        "Đã giải quyết 400 hồ sơ, không có hồ sơ nào trả trễ hạn.",
        {"resolved_total": 400, "resolved_late": 0},
    ),
    (
        # none overdue among the pending: all of them are in time (a group in two parts)
        "Đang giải quyết 12 hồ sơ, không có hồ sơ quá hạn.",
        {"pending_total": 12, "pending_overdue": 0, "pending_in_time": 12},
    ),
    (
        "Toàn bộ 400 hồ sơ đã giải quyết đều trả kết quả trước hạn.",
        {"resolved_total": 400, "resolved_early": 400},
    ),
    (
        "Tiếp nhận 420 hồ sơ, đã giải quyết 400 hồ sơ, đều đúng hạn; không để xảy ra tình trạng hồ sơ quá hạn.",
        {"received_total": 420, "resolved_total": 400, "resolved_on_time": 400, "resolved_late": 0},
    ),
    ("Không có hồ sơ nào bị trả lại.", {"returned": 0}),
    ("Số hồ sơ giải quyết quá hạn: không.", {"resolved_late": 0}),
    # "đều" with no figure word after it states nothing
    ("Tiếp nhận 420 hồ sơ, các hồ sơ đều được hướng dẫn đầy đủ.", {"received_total": 420}),
]


@case(QUANTIFIED)
def test_facts_stated_by_quantifier(sentence, expected):
    assert read(sentence) == expected


def test_a_quantified_figure_keeps_its_words_as_evidence():
    record = extract_text(HEAD + "Đã giải quyết 400 hồ sơ, không có hồ sơ chậm muộn.")
    evidence = record.periods[0].evidence["resolved_late"]
    assert evidence.quantifier == "không có hồ sơ chậm muộn"


# ---------------------------------------------------------------- what never fills a field
NOT_FIGURES = [
    # percentages of another period's figure, changes
    (
        "Tiếp nhận 420 hồ sơ, tăng 15% so với cùng kỳ; bằng 112% so với quý IV năm 2025.",
        {"received_total": 420},
    ),
    # counts of procedures, visits, numbers inside labels
    ("Số TTHC tiếp nhận trực tuyến: 45 thủ tục.", {}),
    ("Đã hướng dẫn 150 lượt công dân hoàn thiện hồ sơ.", {}),
    ("Cung cấp 12 dịch vụ công trực tuyến mức độ 4 cho người dân.", {}),
    ("Thực hiện theo Biểu số 06 về tiếp nhận hồ sơ.", {}),
]


@case(NOT_FIGURES)
def test_what_only_looks_like_a_figure_fills_nothing(sentence, expected):
    assert read(sentence) == expected


def test_a_share_of_last_years_figure_is_never_an_impossible_rate():
    record = extract_text(HEAD + "Số hồ sơ tiếp nhận bằng 112% so với cùng kỳ năm trước.")
    assert not [f for f in run_checks(record) if f.code == "impossible"]
    [rate] = record.percentages
    assert rate.compared_to and "cùng kỳ" in rate.compared_to
