"""Dossier figures from running text: each phrasing the domain uses, written here."""

from __future__ import annotations

import pytest

from tests.conftest import all_scope, extract_text, figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tổng số hồ sơ tiếp nhận: 1.204 hồ sơ", {"received_total": 1204}),
        ("UBND xã đã tiếp nhận tổng số 2.416 hồ sơ", {"received_total": 2416}),
        ("Bộ phận Một cửa nhận tổng cộng 4,374 hồ sơ", {"received_total": 4374}),
        ("Số hồ sơ nhận giải quyết là 77 hồ sơ", {"received_total": 77}),
        ("tiếp nhận 24.458 hồ sơ trực tuyến", {"received_online": 24458}),
        (
            "có 1,102 hồ sơ nộp qua Cổng dịch vụ công, 138 hồ sơ nộp trực tiếp",
            {"received_online": 1102, "received_offline": 138},
        ),
        ("Số mới tiếp nhận trong kỳ: 679", {"received_new": 679}),
        (
            "gồm 14 hồ sơ tồn kỳ trước và 1,240 hồ sơ phát sinh mới",
            {"received_carried_over": 14, "received_new": 1240},
        ),
        ("Hồ sơ từ kỳ báo cáo trước chuyển qua: 418", {"received_carried_over": 418}),
        (
            "Đã trả kết quả 1,230 hồ sơ: trước hạn 1,001 hồ sơ; đúng hạn 226 hồ sơ; trễ hạn 3 hồ sơ",
            {
                "resolved_total": 1230,
                "resolved_early": 1001,
                "resolved_on_time": 226,
                "resolved_late": 3,
            },
        ),
        ("+ Trả trước hạn, đúng hạn: 2.409 hồ sơ", {"resolved_early_or_on_time": 2409}),
        (
            "Số hồ sơ đã có kết quả là 909 hồ sơ, trong đó trả trước hạn, đúng hạn 908 hồ sơ và quá hạn 1 hồ sơ",
            {"resolved_total": 909, "resolved_early_or_on_time": 908, "resolved_late": 1},
        ),
        (
            "Còn đang giải quyết là 530 hồ sơ, trong đó: chưa đến hạn là 527 hồ sơ, "
            "đã quá hạn 03 hồ sơ",
            {"pending_total": 530, "pending_in_time": 527, "pending_overdue": 3},
        ),
        ("còn 03 hồ sơ đang giải quyết đúng hạn", {"pending_total": 3, "pending_in_time": 3}),
        ("Còn 14 hồ sơ đang trong quá trình giải quyết.", {"pending_total": 14}),
        ("Số hồ sơ trả lại do không đủ điều kiện: 04 hồ sơ", {"returned": 4}),
    ],
)
def test_phrasings(text, expected):
    assert all_scope(extract_text(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tổng số TTHC được công bố 119 TTHC thuộc thẩm quyền của cấp xã",
        "Hướng dẫn 663 người đăng ký tài khoản dịch vụ công",
        "Các cơ quan đánh giá việc giải quyết TTHC theo 02 hình thức",
        "Năm 2021 UBND xã ban hành 11 kế hoạch",
        "Thực hiện dịch vụ công trực tuyến mức độ 3,4 tại xã",
        "III Đơn giản hóa quy định về TTHC của tỉnh 2.",
    ],
)
def test_counts_of_other_things_are_not_dossier_figures(text):
    assert figures(extract_text(text)) == {}


def test_quá_hạn_reads_in_the_open_group():
    r = extract_text("""- Số hồ sơ đã giải quyết: 50 hồ sơ, trong đó:
+ Trước hạn: 45 hồ sơ
+ Quá hạn: 5 hồ sơ
- Số hồ sơ đang giải quyết: 4 hồ sơ, trong đó:
+ Trong hạn: 3 hồ sơ
+ Quá hạn: 1 hồ sơ""")
    assert all_scope(r) == {
        "resolved_total": 50,
        "resolved_early": 45,
        "resolved_late": 5,
        "pending_total": 4,
        "pending_in_time": 3,
        "pending_overdue": 1,
    }


def test_liên_thông_scope_but_not_the_one_stop_mechanism():
    r = extract_text("""Kết quả giải quyết theo cơ chế một cửa, một cửa liên thông: đã giải quyết 90 hồ sơ.
- Hồ sơ liên thông: tiếp nhận 43, đã giải quyết 41, đang giải quyết 02.""")
    got = figures(r)
    assert got[(None, "all", "resolved_total")] == 90
    assert got[(None, "lien_thong", "received_total")] == 43
    assert got[(None, "lien_thong", "pending_total")] == 2


def test_per_field_lines_and_bracketed_counts():
    r = extract_text("""- Lĩnh vực hộ tịch: tiếp nhận 410 hồ sơ, đã giải quyết 405 hồ sơ.
Hồ sơ giải quyết quá hạn thuộc lĩnh vực đất đai (05 hồ sơ) và xây dựng (02 hồ sơ).""")
    got = figures(r)
    assert got[(None, "hộ tịch", "received_total")] == 410
    assert got[(None, "đất đai", "resolved_late")] == 5
    assert got[(None, "xây dựng", "resolved_late")] == 2


def test_itemized_breakdown_of_the_total_it_adds_up_to():
    r = extract_text(
        "Số hồ sơ đã giải quyết: 30, trong đó quá hạn: 02 hồ sơ (chứng thực 20; hộ tịch 9; BTXH 1)"
    )
    (b,) = r.periods[0].breakdowns
    assert (b.of, b.total, b.items) == (
        "resolved_total",
        30,
        {"chứng thực": 20, "hộ tịch": 9, "BTXH": 1},
    )


def test_list_with_a_lead_in_and_thousands_inside():
    r = extract_text("""Số hồ sơ đã giải quyết: 1.432 hồ sơ.
Hồ sơ đã giải quyết theo lĩnh vực: hộ tịch 356; chứng thực 1.067; đất đai 9.""")
    (b,) = r.periods[0].breakdowns
    assert b.of == "resolved_total" and b.items == {
        "hộ tịch": 356,
        "chứng thực": 1067,
        "đất đai": 9,
    }


def test_missing_total_is_recorded_not_zero():
    r = extract_text("""- Tổng số hồ sơ đã giải quyết: Trong đó:
+ Quá hạn: 0 hồ sơ""")
    period = r.periods[0]
    assert period.dossiers.resolved_total is None and "resolved_total" in period.missing


def test_evidence_quotes_the_label_and_number():
    r = extract_text(
        "+ Tổng số hồ sơ TTHC đã tiếp nhận: 905 hồ sơ (Số mới tiếp nhận trong kỳ: 898)"
    )
    ev = r.periods[0].evidence
    assert ev["received_total"].quote == "Tổng số hồ sơ TTHC đã tiếp nhận: 905 hồ sơ"
    assert ev["received_new"].quote == "Số mới tiếp nhận trong kỳ: 898"
    assert ev["received_total"].line == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tổng số hồ sơ yêu cầu giải quyết: 500 hồ sơ; đã giải quyết 470 hồ sơ; chưa giải quyết 30 hồ sơ.",
            {"received_total": 500, "resolved_total": 470, "pending_total": 30},
        ),
        (
            "Số hồ sơ phải giải quyết trong kỳ là 905, trong đó đã giải quyết 880, còn tồn 25.",
            {"received_total": 905, "resolved_total": 880, "pending_total": 25},
        ),
    ],
)
def test_dossiers_to_be_handled_are_received_not_resolved(text, expected):
    assert all_scope(extract_text(text)) == expected


def test_fully_and_partly_online_dossiers_are_kept_apart():
    r = extract_text("Hồ sơ nộp trực tuyến toàn trình 300 hồ sơ, trực tuyến một phần 120 hồ sơ.")
    assert figures(r) == {}
    assert r.periods[0].metrics == {"online_full": 300, "online_partial": 120}
