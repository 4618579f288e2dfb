"""The classes the fresh rounds showed (issue 17, corpus/rounds/LEDGER.md), each in phrasings
written here — never a round's own sentences. A row per phrasing: adding one is a line here
and, when it needs a word, a line in tthc/rules/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import extract_text
from tests.conftest import figures as conftest_figures
from tthc.process import process_file, read_document
from tthc.schemas import RawDocument, RawLine

HEAD = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý I năm 2026\n"
Q1, Q1_2025 = "2026-Q1", "2025-Q1"


def figures(body: str) -> dict[tuple[str | None, str, str], int]:
    record = extract_text(HEAD + body)
    return {
        (p.key, p.scope, k): v
        for p in record.periods
        for k, v in p.dossiers.model_dump(exclude_none=True).items()
    }


def own(body: str) -> dict[str, int]:
    return {k: v for (key, scope, k), v in figures(body).items() if key == Q1 and scope == "all"}


def stated(record, *keep: str) -> dict[tuple, int]:
    """The record's stated dossier figures keyed by (period key, scope, field), or by the
    parts of that key named in `keep` ("key", "scope") and the field."""
    out = {}
    for (key, scope, field), value in conftest_figures(record).items():
        where = {"key": key, "scope": scope}
        out[(*(where[k] for k in keep or ("key", "scope")), field)] = value
    return out


def table_record(rows: list[list[str]], head: list[RawLine] | None = None):
    """The record of a Word file holding `head`'s lines (HEAD's by default), then a table of
    `rows`."""
    lines = head if head is not None else [RawLine(text=t) for t in HEAD.strip().split("\n")]
    lines = [*lines, *(RawLine(text=" | ".join(r), cells=r, table=0) for r in rows)]
    return read_document(RawDocument(path="t.docx", format="docx", lines=lines))


def case(table):
    return pytest.mark.parametrize(("body", "expected"), table, ids=[t[0][:50] for t in table])


# ---------------------------------------------------------------- periods in a statement
PERIODS = [
    # a period dossiers come from: carried over, and no period of its own
    (
        "Tổng số hồ sơ cần giải quyết là 300 hồ sơ, gồm 12 hồ sơ tháng 12/2025 chuyển qua và 288 hồ sơ tiếp nhận mới.",
        {"received_total": 300, "received_carried_over": 12, "received_new": 288},
    ),
    (
        "Tiếp nhận 300 hồ sơ, trong đó 8 hồ sơ chuyển từ năm 2025 sang.",
        {"received_total": 300, "received_carried_over": 8},
    ),
    # a period dossiers go to: still pending
    (
        "Đã giải quyết 285 hồ sơ; còn 15 hồ sơ đang giải quyết chuyển qua quý II/2026.",
        {"resolved_total": 285, "pending_total": 15},
    ),
    # a period named as where the carried-over dossiers come from governs nothing after it
    (
        "Xã tiếp nhận 300 hồ sơ, gồm 10 hồ sơ tồn đọng từ cuối năm 2025 và 290 hồ sơ mới (trực tuyến 200, trực tiếp 90).",
        {
            "received_total": 300,
            "received_carried_over": 10,
            "received_new": 290,
            "received_online": 200,
            "received_offline": 90,
        },
    ),
    # the report's own period named otherwise
    ("Từ ngày 01/01/2026 đến ngày 31/3/2026, xã tiếp nhận 300 hồ sơ.", {"received_total": 300}),
    ("Ba tháng đầu năm 2026, xã đã giải quyết 285 hồ sơ.", {"resolved_total": 285}),
    # a target's period governs nothing
    (
        "Xã tiếp nhận 300 hồ sơ, vượt chỉ tiêu huyện giao cho năm 2026; đã giải quyết 285 hồ sơ.",
        {"received_total": 300, "resolved_total": 285},
    ),
]


@case(PERIODS)
def test_a_period_named_in_a_statement_is_not_always_its_period(body, expected):
    assert own(body) == expected


def test_the_same_period_a_year_before_governs_only_its_own_sentence():
    found = figures("Cùng kỳ năm trước, xã tiếp nhận 250 hồ sơ. Năm nay xã tiếp nhận 300 hồ sơ.")
    assert found[(Q1_2025, "all", "received_total")] == 250
    assert found[(Q1, "all", "received_total")] == 300
    found = figures(
        "Đã giải quyết 285 hồ sơ (cùng kỳ 2025 có 4 hồ sơ trễ hạn), không có hồ sơ trễ hạn."
    )
    assert found[(Q1_2025, "all", "resolved_late")] == 4
    assert found[(Q1, "all", "resolved_late")] == 0


# ---------------------------------------------------------------- a part named by a line's head
def test_a_line_headed_by_a_part_is_that_parts():
    found = figures(
        "1. Kết quả chung: tiếp nhận 300 hồ sơ, đã giải quyết 285 hồ sơ.\n"
        "2. Theo khối\n"
        "a) Khối cơ quan ngành dọc (Công an, Bảo hiểm xã hội): tổng số 80 hồ sơ, đã giải quyết 78 hồ sơ.\n"
        "b) Lĩnh vực tư pháp - hộ tịch (kể cả liên thông khai sinh): tổng số 120 hồ sơ, giải quyết 120 hồ sơ."
    )
    assert found[(Q1, "all", "received_total")] == 300
    parts = {scope for (_, scope, _) in found if scope != "all"}
    assert len(parts) == 2
    assert {v for (_, s, k), v in found.items() if s != "all" and k == "received_total"} == {
        80,
        120,
    }


# ---------------------------------------------------------------- a count's own clause
COUNTS = [
    # under a whole already counted, the part its own clause ends on
    (
        "Tổng số hồ sơ là 300 hồ sơ, trong đó 25 hồ sơ do các thôn thu gom rồi gửi qua bưu chính.",
        {"received_total": 300, "received_offline": 25},
    ),
    # "tổng số" with no group open: the dossiers handled
    (
        "Trong quý, tổng số 180 hồ sơ, đã giải quyết 170 hồ sơ.",
        {"received_total": 180, "resolved_total": 170},
    ),
    # abbreviations
    ("Đã GQ 150 HS, đang GQ 5 HS.", {"resolved_total": 150, "pending_total": 5}),
    # "X trên Y" without a rate: a proportion, no figure
    ("Cứ 7 trên 10 hồ sơ được nộp trực tuyến.", {}),
    # both sides of a ratio named after it
    (
        "Có 240/300 hồ sơ mới được gửi qua Cổng dịch vụ công, đạt 80%.",
        {"received_new": 300, "received_online": 240},
    ),
]


@case(COUNTS)
def test_a_count_is_read_in_its_own_clause(body, expected):
    assert own(body) == expected


# ---------------------------------------------------------------- quantifiers, lists
QUANTIFIED = [
    (
        "Hiện còn 9 hồ sơ chưa có kết quả, tất cả vẫn trong hạn.",
        {"pending_total": 9, "pending_in_time": 9, "pending_overdue": 0},
    ),
    # the rest, not the whole
    (
        "Đã giải quyết 285 hồ sơ, trong đó 150 hồ sơ trước hạn, số còn lại đều đúng hạn.",
        {"resolved_total": 285, "resolved_early": 150},
    ),
]


@case(QUANTIFIED)
def test_quantifiers_of_the_rounds(body, expected):
    assert own(body) == expected


def test_fields_with_their_counts_in_brackets_are_a_list():
    record = extract_text(
        HEAD + "Nhiều nhất là hộ tịch (120 hồ sơ), chứng thực (95 hồ sơ) và đất đai (30 hồ sơ)."
    )
    [b] = [b for p in record.periods for b in p.breakdowns]
    assert b.items == {"hộ tịch": 120, "chứng thực": 95, "đất đai": 30} and b.partial
    assert not record.unread


# ---------------------------------------------------------------- round 2's classes
ROUND2 = [
    # two labels, two numbers, joined by slashes: two figures, not a ratio
    (
        "Còn 25 hồ sơ đang giải quyết, chưa đến hạn/quá hạn: 23/2 hồ sơ.",
        {"pending_total": 25, "pending_in_time": 23, "pending_overdue": 2},
    ),
    (
        "Tiếp nhận 410 hồ sơ mới; qua mạng/trực tiếp là 300/110 hồ sơ.",
        {"received_new": 410, "received_online": 300, "received_offline": 110},
    ),
    # the desk where dossiers were received is not how they were submitted
    ("Tổng số hồ sơ tiếp nhận tại Bộ phận Một cửa xã là 410 hồ sơ.", {"received_total": 410}),
    # still in progress, said otherwise
    ("Số hồ sơ đang trong thời gian xử lý là 12 hồ sơ.", {"pending_total": 12}),
    ("Hiện còn 3 hồ sơ đang chờ Chi nhánh đo đạc.", {"pending_total": 3}),
    # carried over, said before its count
    (
        "Tiếp nhận 410 hồ sơ (chuyển qua 6, mới 404).",
        {"received_total": 410, "received_carried_over": 6, "received_new": 404},
    ),
    # a change from one value to another: the first is no figure of the period
    ("Số hồ sơ trễ hạn giảm từ 8 xuống 3 hồ sơ.", {"resolved_late": 3}),
    # "all N late ones" is not a total
    (
        "Đã giải quyết 400 hồ sơ. Toàn bộ 3 hồ sơ trễ hạn thuộc lĩnh vực đất đai.",
        {"resolved_total": 400, "resolved_late": 3},
    ),
]


@case(ROUND2)
def test_round2_classes(body, expected):
    assert own(body) == expected


def test_a_year_in_a_name_or_a_passing_clause_does_not_govern():
    found = figures(
        "Nhu cầu tăng sau khi Luật Đất đai năm 2024 có hiệu lực. Đã giải quyết 400 hồ sơ.\n"
        "Tỷ lệ trực tuyến đạt 70%, trong khi năm 2025 chỉ là 40%.\n"
        "Trong quý, đang giải quyết 12 hồ sơ."
    )
    assert found == {(Q1, "all", "resolved_total"): 400, (Q1, "all", "pending_total"): 12}


def test_a_numbered_heading_gives_its_section_a_part_or_a_period():
    found = figures(
        "1. Kết quả chung\nTiếp nhận 300 hồ sơ, đã giải quyết 285 hồ sơ.\n"
        "2. Hồ sơ thuộc thẩm quyền giải quyết của các cơ quan cấp tỉnh\n"
        "Trong tổng số trên, các cơ quan cấp tỉnh đã tiếp nhận 120 hồ sơ, giải quyết 110 hồ sơ.\n"
        "3. So sánh với cùng kỳ năm 2025\n"
        "Tiếp nhận 260 hồ sơ, đã giải quyết 250 hồ sơ."
    )
    assert found[(Q1, "all", "received_total")] == 300
    parts = {s for (_, s, _) in found if s.startswith("part:")}
    assert len(parts) == 1
    assert found[(Q1, parts.pop(), "received_total")] == 120
    assert found[(Q1_2025, "all", "received_total")] == 260


# ---------------------------------------------------------------- round 3's classes
ROUND3 = [
    # abbreviations clerks write for figure words
    (
        "Tổng số HS tiếp nhận: 420 HS; đã GQ 400 HS; đang GQ 20 HS.",
        {"received_total": 420, "resolved_total": 400, "pending_total": 20},
    ),
    (
        "Tiếp nhận mới 410 hồ sơ, trong đó qua DVC trực tuyến 300 hồ sơ, qua BCCI 15 hồ sơ.",
        {"received_new": 410, "received_online": 300, "received_offline": 15},
    ),
    # the backlog and dossiers handed over from the old communes are carried over
    (
        "Tổng số 420 hồ sơ (tồn: 12; mới: 408).",
        {"received_total": 420, "received_carried_over": 12, "received_new": 408},
    ),
    (
        "Xã phải giải quyết 420 hồ sơ, trong đó 12 hồ sơ nhận bàn giao từ các xã trước sắp xếp.",
        {"received_total": 420, "received_carried_over": 12},
    ),
    # "là" right after a count says what it is
    (
        "Tổng số hồ sơ phải giải quyết là 420; ngoài 12 hồ sơ tồn, còn lại 408 hồ sơ là tiếp nhận mới.",
        {"received_total": 420, "received_carried_over": 12, "received_new": 408},
    ),
    # a negation after a count names no part of it
    (
        "Đã giải quyết 400 hồ sơ đúng quy trình, không có trường hợp nào trễ hạn.",
        {"resolved_total": 400, "resolved_late": 0},
    ),
    # "hoặc" joins the two in-time parts like "và"
    (
        "Đã giải quyết 400 hồ sơ, tất cả đều trả trước hạn hoặc đúng hạn.",
        {"resolved_total": 400, "resolved_early_or_on_time": 400, "resolved_late": 0},
    ),
    # quantifier verbs: "đang", "cũng"
    (
        "Còn 9 hồ sơ đang giải quyết, cũng đều đang trong hạn.",
        {"pending_total": 9, "pending_in_time": 9, "pending_overdue": 0},
    ),
    # a rate's ratio states its numerator's figure, when its base is a figure read
    (
        "Tiếp nhận mới 410 hồ sơ. Tỷ lệ nộp hồ sơ trực tuyến đạt 73,17% (300/410 hồ sơ).",
        {"received_new": 410, "received_online": 300},
    ),
    # the report's own period called "this quarter"
    (
        "Quý I năm 2025 có 3 hồ sơ trễ hạn, còn quý này chỉ 1 hồ sơ trễ hạn.",
        {"resolved_late": 1},
    ),
    # a place numbered so is no count
    (
        "Bộ phận tiếp nhận đặt thêm quầy ở nhà văn hóa Tổ dân phố 5; tổng số hồ sơ tiếp nhận 420 hồ sơ.",
        {"received_total": 420},
    ),
    # what a bracket after a count of petitions counts is petitions
    (
        "Đã giải quyết 400 hồ sơ; nhận 6 phản ánh, kiến nghị (đã giải quyết 5, đang kiểm tra 1).",
        {"resolved_total": 400},
    ),
]


@case(ROUND3)
def test_round3_classes(body, expected):
    assert own(body) == expected


def test_a_plan_for_a_period_ahead_is_no_figure():
    found = figures(
        "I. KẾT QUẢ\nĐã giải quyết 400 hồ sơ, không có hồ sơ trễ hạn.\n"
        "II. NHIỆM VỤ QUÝ II NĂM 2026\nPhấn đấu giữ vững kết quả không có hồ sơ trễ hạn.\n"
        "Năm 2027, xã đặt mục tiêu 100% hồ sơ đúng hạn, không có hồ sơ trễ hạn."
    )
    assert found == {(Q1, "all", "resolved_total"): 400, (Q1, "all", "resolved_late"): 0}


def test_a_part_named_by_its_agencies_and_whose_dossiers():
    found = figures(
        "Toàn xã tiếp nhận 420 hồ sơ.\n"
        "Riêng đối với các phòng, ban chuyên môn: tổng số hồ sơ tiếp nhận là 120 hồ sơ, đã giải quyết 110 hồ sơ.\n"
    )
    parts = {s for (_, s, _) in found if s.startswith("part:")}
    assert found[(Q1, "all", "received_total")] == 420 and len(parts) == 1
    assert found[(Q1, parts.pop(), "received_total")] == 120
    # a unit named after "của" / "thuộc" says whose dossiers they are, not who states them
    assert own(
        "Trong tổng số trên, hồ sơ thuộc thẩm quyền của các phòng chuyên môn là 120 hồ sơ."
    ) == {"received_total": 120}


def test_a_list_after_its_lead_in_with_a_dashed_field_name():
    record = extract_text(
        HEAD + "Hồ sơ tập trung vào một số lĩnh vực như: tư pháp - hộ tịch 95 hồ sơ, "
        "đất đai 60 hồ sơ, kinh doanh 22 hồ sơ; các lĩnh vực khác không đáng kể."
    )
    [b] = [b for p in record.periods for b in p.breakdowns]
    assert b.items == {"tư pháp - hộ tịch": 95, "đất đai": 60, "kinh doanh": 22} and b.partial
    assert not record.unread


def test_a_share_of_another_periods_figure_is_not_a_rate_of_this_one():
    record = extract_text(HEAD + "So với cùng kỳ năm 2025, số hồ sơ tiếp nhận bằng 96,5%.")
    [p] = record.percentages
    assert p.compared_to


# ---------------------------------------------------------------- round 4's classes
ROUND4 = [
    # the two in-time parts joined by "hoặc", and early / on time said with the appointment
    (
        "Đã trả kết quả 300 hồ sơ, tất cả trước hoặc đúng hẹn.",
        {"resolved_total": 300, "resolved_early_or_on_time": 300, "resolved_late": 0},
    ),
    (
        "Đã giải quyết 300 hồ sơ; 210 hồ sơ trả sớm hơn ngày hẹn, 90 hồ sơ trả đúng ngày hẹn.",
        {"resolved_total": 300, "resolved_early": 210, "resolved_on_time": 90},
    ),
    # what must be handled is what was received; a count ending its sentence after "trong quý là"
    ("Tổng số hồ sơ xã phải xử lý trong quý là 320.", {"received_total": 320}),
    # dossiers from an earlier period, still open, are carried over
    (
        "Tiếp nhận mới 300 hồ sơ; ngoài ra còn 7 hồ sơ từ quý IV năm 2025 chưa giải quyết xong.",
        {"received_new": 300, "received_carried_over": 7},
    ),
    (
        "Tổng số 320 hồ sơ (20 hồ sơ tồn từ năm 2025, 300 hồ sơ mới).",
        {"received_total": 320, "received_carried_over": 20, "received_new": 300},
    ),
    # "trong năm:" is no index before a count
    ("- Tiếp nhận mới trong quý: 300 hồ sơ.", {"received_new": 300}),
    # "tổng" alone is the total
    (
        "- Bộ phận Một cửa: tổng 320 HS, đã GQ 300 HS.",
        {"received_total": 320, "resolved_total": 300},
    ),
    # none overdue among those in progress: all the stated ones are in time
    (
        "Đang giải quyết 20 hồ sơ. Hồ sơ đang giải quyết quá hạn: không có.",
        {"pending_total": 20, "pending_overdue": 0, "pending_in_time": 20},
    ),
    # "the remaining N" are the count themselves; "đang trong hạn" is said of those in progress
    (
        "Tiếp nhận 320 hồ sơ, đã giải quyết 300; 20 hồ sơ còn lại đều đang trong hạn.",
        {
            "received_total": 320,
            "resolved_total": 300,
            "pending_total": 20,
            "pending_in_time": 20,
            "pending_overdue": 0,
        },
    ),
    # a pair of nouns written with a comma ends no clause
    (
        "Tổng số 320 hồ sơ; ngoài 20 hồ sơ do các xã, phường cũ chuyển giao, xã tiếp nhận mới 300 hồ sơ.",
        {"received_total": 320, "received_carried_over": 20, "received_new": 300},
    ),
    # a group opened in an earlier sentence names nothing in a new one
    (
        "Đã giải quyết 300 hồ sơ, còn 20 hồ sơ đang giải quyết. Cuối quý phát sinh 2 hồ sơ trễ hạn.",
        {"resolved_total": 300, "pending_total": 20, "resolved_late": 2},
    ),
]


@case(ROUND4)
def test_round4_classes(body, expected):
    assert own(body) == expected


def test_a_heading_naming_a_part_holds_figure_words_in_its_name():
    found = figures(
        "1. Toàn xã\n- Tiếp nhận 420 hồ sơ.\n"
        "2. Riêng hồ sơ của các cơ quan ngành dọc tiếp nhận tại Bộ phận Một cửa\n"
        "- Tổng số: 80 hồ sơ.\n- Đã giải quyết 75 hồ sơ.\n"
    )
    parts = {s for (_, s, _) in found if s.startswith("part:")}
    assert found[(Q1, "all", "received_total")] == 420 and len(parts) == 1
    part = parts.pop()
    assert found[(Q1, part, "received_total")] == 80 and found[(Q1, part, "resolved_total")] == 75


def test_a_fields_share_inside_a_section_about_a_part():
    found = figures(
        "1. Hồ sơ thuộc thẩm quyền của UBND xã\nTiếp nhận 300 hồ sơ, đã giải quyết 280 hồ sơ.\n"
        "Riêng lĩnh vực hộ tịch, tiếp nhận 120 hồ sơ, đã giải quyết 118 hồ sơ.\n"
    )
    assert found[(Q1, "part:hộ tịch", "received_total")] == 120
    assert (Q1, "part:hộ tịch", "resolved_total") in found
    whole = {s for (_, s, f), v in found.items() if f == "received_total" and v == 300}
    assert len(whole) == 1 and whole != {"part:hộ tịch"}


def test_a_cumulative_period_to_a_day_is_its_own_period():
    record = extract_text(
        "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC năm 2025\n"
        "Kỳ báo cáo năm được tính từ ngày 15/12/2024 đến ngày 14/12/2025. Trong kỳ, xã "
        "tiếp nhận 400 hồ sơ.\n"
        "Nếu tính theo năm dương lịch, lũy kế từ đầu năm đến hết ngày 31/12/2025, xã tiếp "
        "nhận 420 hồ sơ. Trong những ngày cuối năm phát sinh 2 hồ sơ trễ hạn.\n"
    )
    by_period = {
        (p.key, f): v
        for p in record.periods
        for f, v in p.dossiers.model_dump(exclude_none=True).items()
    }
    assert by_period[("2025", "received_total")] == 400
    assert by_period[("2025-01-01..2025-12-31", "received_total")] == 420
    assert by_period[("2025-01-01..2025-12-31", "resolved_late")] == 2
    # the report's own period named by a label then its days stays the report's
    assert own("Lũy kế từ đầu năm đến ngày 31/3/2026, xã tiếp nhận 320 hồ sơ.") == {
        "received_total": 320
    }


# ---------------------------------------------------------------- round 5: a part is never the unit's
def _scoped(found, value, field):
    return {s for (_, s, f), v in found.items() if f == field and v == value}


def test_a_part_named_after_the_count_is_that_parts_figure():
    found = figures(
        "Tiếp nhận 300 hồ sơ. Đối với 20 hồ sơ đang giải quyết: 14 hồ sơ còn hạn, 06 hồ sơ "
        "đã quá hạn. Trong các hồ sơ quá hạn, 03 hồ sơ thuộc thẩm quyền UBND xã (thiếu giấy "
        "tờ), số còn lại do cấp tỉnh giải quyết.\n"
    )
    assert found[(Q1, "all", "pending_overdue")] == 6
    assert _scoped(found, 3, "pending_overdue") == {"authority"}


def test_a_field_as_the_sentences_subject_gives_that_fields_figures():
    found = figures(
        "Cả quý xã tiếp nhận 300 hồ sơ, đã giải quyết 280 hồ sơ.\n"
        "Lĩnh vực hộ tịch tiếp tục đông nhất, với 90 hồ sơ phải giải quyết. Đã giải quyết 88 hồ sơ.\n"
    )
    assert found[(Q1, "all", "received_total")] == 300
    assert found[(Q1, "all", "resolved_total")] == 280
    assert found[(Q1, "part:hộ tịch", "received_total")] == 90
    assert found[(Q1, "part:hộ tịch", "resolved_total")] == 88


@pytest.mark.parametrize("opener", ["Nhìn riêng", "Tính riêng", "Xét riêng"])
def test_a_subset_opened_by_a_verb_of_looking_is_a_part(opener):
    found = figures(
        "Xã tiếp nhận 300 hồ sơ, đã giải quyết 280 hồ sơ.\n"
        f"{opener} hồ sơ thuộc thẩm quyền của chính UBND xã: tổng 110 hồ sơ, đã giải quyết "
        "104 hồ sơ.\n"
    )
    assert found[(Q1, "all", "received_total")] == 300
    assert _scoped(found, 110, "received_total") - {"all"}
    assert "all" not in _scoped(found, 104, "resolved_total")


def test_a_table_under_a_heading_naming_a_part_is_that_parts():
    record = extract_text(
        HEAD + "1. Toàn xã\nTổng số hồ sơ tiếp nhận trong quý là 300 hồ sơ.\n"
        "2. Hồ sơ thuộc thẩm quyền giải quyết của UBND thị trấn\n"
        "Chỉ tiêu\tSố lượng\tGhi chú\n"
        "Hồ sơ cần giải quyết\t110\t\n"
        "Đã giải quyết\t104\t\n"
        "Đang giải quyết\t6\tchưa đến hạn\n"
    )
    scopes = {
        (p.scope, k): v
        for p in record.periods
        for k, v in p.dossiers.model_dump(exclude_none=True).items()
    }
    assert scopes[("all", "received_total")] == 300
    assert ("all", "resolved_total") not in scopes
    held = {s for (s, k), v in scopes.items() if k == "resolved_total" and v == 104}
    assert len(held) == 1 and held != {"all"} and held != {"lien_thong"}
    assert not [f for f in record.flags if f.code == "conflict.value"]


# ---------------------------------------------------------------- round 6
@pytest.mark.parametrize(
    ("first", "second"), [("Tư pháp", "Hộ tịch"), ("Chứng thực", "Chứng thực chữ ký")]
)
def test_two_rows_the_vocabulary_spells_as_one_field_are_two_scopes(tmp_path, first, second):
    path = tmp_path / "theo_linh_vuc.txt"
    path.write_text(
        HEAD + "Bảng kết quả theo lĩnh vực\n"
        "Lĩnh vực\tTiếp nhận\tĐã giải quyết\tĐang giải quyết\n"
        f"{first}\t120\t111\t9\n"
        f"{second}\t47\t45\t2\n"
        "Tổng\t167\t156\t11\n",
        encoding="utf-8",
    )
    record = process_file(path)
    found = stated(record)
    assert found[(Q1, "all", "received_total")] == 167
    assert len(_scoped(found, 120, "received_total")) == 1
    assert len(_scoped(found, 47, "received_total")) == 1
    assert _scoped(found, 120, "received_total") != _scoped(found, 47, "received_total")
    assert _scoped(found, 2, "pending_total") and _scoped(found, 9, "pending_total")


def test_a_closing_sentence_about_lien_thong_leaves_the_lines_figures_the_units():
    found = figures(
        "Xã tiếp nhận 300 hồ sơ. Đến cuối quý đã giải quyết 280 hồ sơ, còn 20 hồ sơ đang "
        "giải quyết. Quý này chưa có hồ sơ liên thông nào với cấp tỉnh.\n"
    )
    assert found[(Q1, "all", "resolved_total")] == 280
    assert found[(Q1, "all", "pending_total")] == 20
    assert (Q1, "lien_thong", "resolved_total") not in found


def test_a_line_opening_on_lien_thong_is_still_lien_thongs():
    found = figures(
        "Xã tiếp nhận 300 hồ sơ.\nRiêng nhóm hồ sơ liên thông: tiếp nhận 40 hồ sơ, đã giải quyết "
        "38 hồ sơ. Không có hồ sơ liên thông nào quá hạn.\n"
    )
    assert found[(Q1, "lien_thong", "received_total")] == 40
    assert found[(Q1, "all", "received_total")] == 300


@case(
    [
        ("Bộ phận một cửa trả 300 hồ sơ, không hồ sơ nào trễ hẹn.", {"resolved_late": 0}),
        (
            "Đã giải quyết 300 hồ sơ, không một hồ sơ nào quá hạn.",
            {"resolved_total": 300, "resolved_late": 0},
        ),
        (
            "Đã giải quyết 300 hồ sơ, không có hồ sơ bị trễ hạn.",
            {"resolved_total": 300, "resolved_late": 0},
        ),
    ]
)
def test_a_negation_after_a_count_names_none_of_it(body, expected):
    assert own(body) == expected


def test_a_balance_missing_by_a_count_left_unread_is_a_warning_that_names_it(tmp_path):
    path = tmp_path / "tra_lai.txt"
    path.write_text(
        HEAD + "Xã tiếp nhận 500 hồ sơ; đã giải quyết 470 hồ sơ, đang giải quyết 25 hồ sơ.\n"
        "Hồ sơ bị trả lại vì thiếu giấy tờ: 03 hồ sơ; ngoài ra có một người dân đã tự "
        "rút 02 hồ sơ.\n",
        encoding="utf-8",
    )
    record = process_file(path)
    balance = [f for f in record.flags if f.code == "balance"]
    assert not [f for f in balance if f.severity == "error"]
    if not [u for u in record.unread if u.value == 2]:
        return  # the 02 withdrawn read as a figure: nothing left unexplained
    assert balance and all('"02"' in f.message for f in balance)


def test_a_balance_off_by_a_slip_is_still_an_error(tmp_path):
    path = tmp_path / "lech.txt"
    path.write_text(
        HEAD + "Xã tiếp nhận 500 hồ sơ; đã giải quyết 470 hồ sơ, đang giải quyết 40 hồ sơ.\n",
        encoding="utf-8",
    )
    record = process_file(path)
    assert [f for f in record.flags if f.code == "balance" and f.severity == "error"]


def test_an_identity_on_a_figure_stated_with_two_values_is_a_warning():
    record = extract_text(
        HEAD
        + "Đã giải quyết 400 hồ sơ, gồm trước hạn 300 hồ sơ và đúng hạn 110 hồ sơ; không có hồ sơ trễ hạn.\n"
        "Cuối báo cáo, tổng số hồ sơ đã giải quyết được ghi lại là 410 hồ sơ.\n"
    )
    from tthc.check import run_checks

    flags = run_checks(record)
    conflicts = [f for f in flags if f.code == "conflict.value"]
    sums = [f for f in flags if f.code.startswith("sum.")]
    assert conflicts, "the two values are shown"
    assert not [f for f in flags if f.severity == "error" and "resolved_total" in f.fields]
    assert all("410" in f.message and "400" in f.message for f in sums)


def test_an_identity_on_figures_stated_once_is_still_an_error():
    record = extract_text(
        HEAD
        + "Đã giải quyết 410 hồ sơ, gồm trước hạn 300 hồ sơ và đúng hạn 100 hồ sơ; không có hồ sơ trễ hạn.\n"
    )
    from tthc.check import run_checks

    assert [f for f in run_checks(record) if f.code == "sum.resolved" and f.severity == "error"]


def test_a_total_received_on_one_system_is_that_systems_share():
    found = figures(
        "Tổng số hồ sơ tiếp nhận trong quý là 500 hồ sơ, đã giải quyết 470 hồ sơ.\n"
        "Phân theo nơi tiếp nhận: 420 hồ sơ được tiếp nhận, xử lý qua Hệ thống thông tin giải "
        "quyết TTHC của tỉnh và 80 hồ sơ được gửi trên Cổng Dịch vụ công quốc gia.\n"
    )
    assert found[(Q1, "all", "received_total")] == 500
    assert found[(Q1, "all", "resolved_total")] == 470
    assert _scoped(found, 420, "received_total") - {"all"}
    assert _scoped(found, 80, "received_total") - {"all"}
    assert not _scoped(found, 420, "resolved_total")


def test_dossiers_filed_online_through_a_portal_stay_the_units_online_count():
    assert own(
        "Xã tiếp nhận 500 hồ sơ, trong đó 320 hồ sơ nộp trực tuyến qua Cổng Dịch vụ công quốc gia.\n"
    ) == {
        "received_total": 500,
        "received_online": 320,
    }


def test_what_dossiers_belong_to_may_name_the_level_further_on():
    found = figures(
        "Trong quý xã tiếp nhận 300 hồ sơ. Xã nhận 70 hồ sơ thuộc nhóm thủ tục mà trước kia "
        "cấp huyện giải quyết, đã trả kết quả đủ.\n"
    )
    assert found[(Q1, "all", "received_total")] == 300
    assert _scoped(found, 70, "received_total") == {"part:cấp huyện"}


# ---------------------------------------------------------------- round 7
def test_a_list_item_stating_its_figures_holds_only_itself():
    found = figures(
        "Phân theo thẩm quyền:\n"
        "- Hồ sơ thuộc thẩm quyền của UBND xã: 210 hồ sơ, đã trả kết quả 200.\n"
        "- Hồ sơ tiếp nhận tại xã nhưng thuộc thẩm quyền các sở, ngành: 90 hồ sơ, đã trả kết quả 85.\n"
        "\n"
        "Xã đã giải quyết xong 285 hồ sơ, còn 15 hồ sơ đang giải quyết.\n"
    )
    assert found[(Q1, "all", "resolved_total")] == 285
    assert found[(Q1, "all", "pending_total")] == 15
    assert not _scoped(found, 285, "resolved_total") - {"all"}


def test_a_list_item_that_only_names_a_part_heads_the_lines_under_it():
    found = figures(
        "Xã tiếp nhận 300 hồ sơ.\n"
        "- Riêng hồ sơ thuộc thẩm quyền các sở, ngành:\n"
        "Tiếp nhận 90 hồ sơ, đã trả kết quả 85 hồ sơ.\n"
    )
    assert found[(Q1, "all", "received_total")] == 300
    assert _scoped(found, 90, "received_total") - {"all"}


def test_a_parts_head_may_hold_an_aside_with_numbers():
    found = figures(
        "Tổng số hồ sơ tiếp nhận toàn huyện: 900 hồ sơ.\n"
        "- Cấp huyện (08 phòng, ban có quầy):\n"
        "  + Tổng số: 600 hồ sơ\n"
        "- Cấp xã (11 xã, 02 thị trấn):\n"
        "  + Tổng số: 300 hồ sơ\n"
        "  + Đã giải quyết: 280 hồ sơ\n"
    )
    assert found[(Q1, "all", "received_total")] == 900
    assert _scoped(found, 300, "received_total") == {"part:Cấp xã"}
    assert _scoped(found, 280, "resolved_total") == {"part:Cấp xã"}


def test_all_of_another_group_than_the_count_before_gives_only_the_empty_part():
    record = extract_text(
        HEAD + "Trong quý, xã nhận khoảng 300 hồ sơ; tất cả hồ sơ đã có kết quả đều được trả "
        "đúng hoặc trước hẹn.\nĐã giải quyết 280 hồ sơ, gồm trước hạn 200 và đúng hạn 80.\n"
    )
    own_ = {
        k: v
        for p in record.periods
        if p.key == Q1 and p.scope == "all"
        for k, v in p.dossiers.model_dump(exclude_none=True).items()
    }
    assert own_.get("resolved_early_or_on_time") in (None, 280)
    assert own_["resolved_late"] == 0
    from tthc.check import run_checks

    assert not [f for f in run_checks(record) if f.severity == "error"]


def test_a_months_period_written_in_words_is_the_reports_own():
    record = extract_text(
        "UBND XÃ HÒA LẠC\nBốn tháng đầu năm 2026, xã tiếp nhận 300 hồ sơ, đã giải quyết 280 hồ sơ.\n"
    )
    assert record.report.period_key == "2026-M4"
    assert {p.key for p in record.periods if p.dossiers.received_total == 300} == {"2026-M4"}


def test_a_running_total_is_its_own_period_not_the_reports():
    found = figures(
        "Trong quý, xã đã giải quyết 280 hồ sơ, còn 20 hồ sơ đang giải quyết.\n"
        "Lũy kế 4 tháng, xã đã giải quyết 390 hồ sơ, còn 25 hồ sơ đang giải quyết.\n"
        "Tính lũy kế từ đầu năm 2026 đến ngày 14/4/2026, xã tiếp nhận 415 hồ sơ.\n"
    )
    assert found[(Q1, "all", "resolved_total")] == 280
    assert found[("2026-M4", "all", "resolved_total")] == 390
    assert found[("2026-M4", "all", "pending_total")] == 25
    assert found[("2026-M4", "all", "received_total")] == 415


def test_a_line_headed_by_a_receiving_system_is_that_systems_share():
    found = figures(
        "- Tổng hồ sơ tiếp nhận (cả 2 cấp): 500\n"
        "- Chia theo nơi tiếp nhận:\n"
        "  + Trên Hệ thống thông tin giải quyết TTHC của tỉnh: 420 hồ sơ\n"
        "  + Trên Cổng DVC quốc gia (đồng bộ về tỉnh): 80 hồ sơ\n"
        "- Đã giải quyết: 470 hồ sơ\n"
    )
    assert found[(Q1, "all", "received_total")] == 500
    assert found[(Q1, "all", "resolved_total")] == 470
    assert _scoped(found, 420, "received_total") == {
        "part:Hệ thống thông tin giải quyết TTHC của tỉnh"
    }
    assert _scoped(found, 80, "received_total") == {"part:Cổng DVC quốc gia"}
    assert not _scoped(found, 420, "resolved_total")


def test_a_table_row_naming_a_system_is_its_share_of_the_open_total():
    rows = [
        ["Chỉ tiêu", "Số lượng", "Ghi chú"],
        ["1. Tổng số hồ sơ tiếp nhận", "500", ""],
        ["Trong đó: - Trên Hệ thống thông tin giải quyết TTHC tỉnh", "420", "nhận tại quầy"],
        ["- Trên Cổng Dịch vụ công quốc gia", "80", ""],
        ["2. Số hồ sơ đã giải quyết", "470", ""],
    ]
    record = table_record(rows)
    found = stated(record, "scope")
    assert found[("all", "received_total")] == 500
    assert found[("part:Hệ thống thông tin giải quyết TTHC tỉnh", "received_total")] == 420
    assert found[("part:Cổng Dịch vụ công quốc gia", "received_total")] == 80
    assert not record.unread


def test_pairs_set_apart_by_slashes_keep_their_own_words():
    found = figures(
        "- Cấp xã: đã giải quyết 280 / đang giải quyết 20 / trễ hạn 3\n"
        "=> Tổng cộng toàn huyện: 900 hồ sơ, khớp số liệu chung.\n"
    )
    assert _scoped(found, 280, "resolved_total") == {"part:Cấp xã"}
    assert _scoped(found, 20, "pending_total") == {"part:Cấp xã"}
    assert not _scoped(found, 280, "pending_total")
    assert not _scoped(found, 900, "pending_total")  # a conclusion is no item of the list


def test_a_count_filed_on_a_system_with_no_figure_word_is_that_systems():
    found = figures(
        "Quý này xã tiếp nhận 300 hồ sơ: 250 hồ sơ được tiếp nhận, xử lý trên Hệ thống thông "
        "tin một cửa điện tử và 50 hồ sơ nộp trên Cổng Dịch vụ công quốc gia.\n"
    )
    assert found[(Q1, "all", "received_total")] == 300
    assert _scoped(found, 250, "received_total") - {"all"}
    assert _scoped(found, 50, "received_total") - {"all"}


# ---------------------------------------------------------------- round 8
def test_a_row_named_only_by_its_noun_is_the_units_row():
    rows = [
        ["Nội dung", "Kỳ trước chuyển sang", "Mới tiếp nhận", "Trực tuyến", "Trực tiếp", "Tổng số"],
        ["Số lượng hồ sơ", "4", "196", "120", "76", "200"],
    ]
    record = table_record(rows)
    found = stated(record, "scope")
    assert found == {
        ("all", "received_carried_over"): 4,
        ("all", "received_new"): 196,
        ("all", "received_online"): 120,
        ("all", "received_offline"): 76,
        ("all", "received_total"): 200,
    }


def test_the_words_after_tren_name_a_rates_base_not_its_part():
    assert own(
        "Xã tiếp nhận 205 hồ sơ. Tỷ lệ hồ sơ nộp trực tuyến trên tổng số hồ sơ mới tiếp nhận "
        "là 120/196 hồ sơ, đạt 61,22%.\n"
    ) == {"received_total": 205, "received_online": 120, "received_new": 196}


def test_a_telephone_number_is_never_a_count():
    record = extract_text(
        HEAD + "Bộ thủ tục của xã có 240 thủ tục, được niêm yết theo Quyết định số 9/QĐ-UBND "
        "ngày 02/3/2026 của UBND tỉnh; đường dây nóng của Bộ phận Một cửa là 0915 203 661 hoặc "
        "(0238) 3 712 456.\nXã tiếp nhận 300 hồ sơ.\n"
    )
    written = {v for p in record.periods for v in p.metrics.values()}
    assert not written & {915, 203, 661, 238, 712, 456}  # no group of a telephone number
    assert not record.unread


def test_a_count_in_brackets_after_the_labels_rate_is_the_labels():
    assert own(
        "Tiếp nhận mới 300 hồ sơ:\n- Trực tuyến: 220 hồ sơ\n"
        "- Trực tiếp và qua bưu chính công ích: 26,7% (80 hồ sơ)\n"
    ) == {"received_new": 300, "received_online": 220, "received_offline": 80}


def test_a_count_after_a_period_word_it_cannot_number_is_a_count():
    assert own(
        "Xã tiếp nhận 310 hồ sơ, gồm 10 hồ sơ kỳ trước chuyển sang, mới trong quý 300 hồ sơ.\n"
    ) == {
        "received_total": 310,
        "received_carried_over": 10,
        "received_new": 300,
    }


def test_parts_then_their_total_are_the_total_not_a_conflict():
    record = extract_text(
        HEAD + "Xã tiếp nhận 300 hồ sơ. Trả lại 03 hồ sơ không đủ điều kiện; công dân xin rút "
        "02 hồ sơ. Tổng cộng 05 hồ sơ trả lại, rút.\n"
    )
    period = next(p for p in record.periods if p.key == Q1 and p.scope == "all")
    assert period.dossiers.returned == 5
    assert not [c for c in period.conflicts if c.field == "returned"]


def test_two_different_values_stay_a_conflict():
    record = extract_text(HEAD + "Trả lại 03 hồ sơ. Cuối quý, tổng số hồ sơ trả lại là 04 hồ sơ.\n")
    period = next(p for p in record.periods if p.key == Q1 and p.scope == "all")
    assert [c.values for c in period.conflicts if c.field == "returned"] == [[3, 4]]


def test_a_system_named_before_its_count_is_that_systems_share():
    found = figures(
        "Xã tiếp nhận 500 hồ sơ. Phân theo nơi tiếp nhận, trên Hệ thống thông tin giải quyết "
        "TTHC của tỉnh là 430 hồ sơ, trên Cổng Dịch vụ công quốc gia là 70 hồ sơ.\n"
    )
    assert found[(Q1, "all", "received_total")] == 500
    assert _scoped(found, 430, "received_total") == {
        "part:Hệ thống thông tin giải quyết TTHC của tỉnh"
    }
    assert _scoped(found, 70, "received_total") == {"part:Cổng Dịch vụ công quốc gia"}


def test_an_agencys_desk_and_the_agency_are_one_part():
    found = figures(
        "Xã tiếp nhận 900 hồ sơ.\nRiêng quầy của Công an xã đặt tại Bộ phận Một cửa, tổng số hồ "
        "sơ tiếp nhận là 120 hồ sơ. Công an xã đã giải quyết 115 hồ sơ.\n"
    )
    assert _scoped(found, 120, "received_total") == {"part:Công an xã"}
    assert _scoped(found, 115, "resolved_total") == {"part:Công an xã"}


def test_a_header_cell_merged_down_keeps_its_own_words():
    """ "Từ kỳ trước" over two header rows: the empty cell under it is its own, not the
    left neighbour's ("Trực tiếp") spanning right."""
    rows = [
        ["STT", "Lĩnh vực", "Số hồ sơ nhận giải quyết", "", "", "", "Đã giải quyết"],
        ["", "", "Tổng số", "Trong kỳ", "", "Từ kỳ trước", "Tổng số"],
        ["", "", "", "Trực tuyến", "Trực tiếp", "", ""],
        ["I", "Tổng cộng", "300", "200", "90", "10", "280"],
        ["", "Trong đó: Lĩnh vực hộ tịch", "100", "60", "38", "2", "95"],
    ]
    record = table_record(rows)
    found = stated(record, "scope")
    assert found[("all", "received_carried_over")] == 10
    assert found[("all", "received_offline")] == 90
    assert found[("hộ tịch", "received_carried_over")] == 2
    assert found[("hộ tịch", "received_offline")] == 38


def test_a_bracket_of_counts_each_named_after_it():
    assert own(
        "Tổng số hồ sơ cần giải quyết 300 hồ sơ (12 chuyển sang, 288 mới; trực tuyến 200, "
        "trực tiếp 88).\n"
    ) == {
        "received_total": 300,
        "received_carried_over": 12,
        "received_new": 288,
        "received_online": 200,
        "received_offline": 88,
    }


def test_a_bare_year_where_dossiers_come_from_is_no_count():
    assert own("- Tổng HS: 300 (tồn 2025 chuyển sang: 12; mới: 288).\n") == {
        "received_total": 300,
        "received_carried_over": 12,
        "received_new": 288,
    }


def test_a_notice_republished_without_letterhead_carries_the_units_report_number():
    record = extract_text(
        "Trang chủ › Tin tức\nTHÔNG BÁO\nCông khai kết quả giải quyết TTHC quý I năm 2026\n"
        "Căn cứ Báo cáo số 41/BC-UBND ngày 20/3/2026 của UBND xã Hòa Lạc gửi UBND tỉnh, UBND xã "
        "thông báo: trong quý xã tiếp nhận 300 hồ sơ.\n"
    )
    assert record.report.number == "41/BC-UBND"


# ---------------------------------------------------------------- round 5, left before
def test_a_citations_issue_date_ends_it_and_the_period_after_governs():
    record = extract_text(
        "CỔNG THÔNG TIN ĐIỆN TỬ XÃ HÒA LẠC\nHòa Lạc: 6 tháng, hơn 500 hồ sơ được giải quyết\n"
        "Theo Báo cáo số 77/BC-UBND do Văn phòng tham mưu UBND xã ban hành ngày 05/7, trong 6 "
        "tháng đầu năm 2026, xã tiếp nhận 520 hồ sơ, đã giải quyết 505 hồ sơ, sau khi công bố "
        "quy hoạch chung đến năm 2035.\n"
    )
    assert record.report.period_key == "2026-M6"
    found = stated(record, "key")
    assert found[("2026-M6", "received_total")] == 520
    assert not [k for k, _ in found if k == "2035"]


def test_columns_naming_parts_keep_the_rows_fields():
    """ "Chỉ tiêu | Toàn xã | Thẩm quyền UBND xã | Lĩnh vực hộ tịch": the columns name the
    unit, its own block and a field; the rows name the figures (no row is a field)."""
    rows = [
        ["Chỉ tiêu", "Toàn xã", "Thẩm quyền UBND xã", "Lĩnh vực hộ tịch"],
        ["Tổng số hồ sơ", "310", "120", "95"],
        ["- Kỳ trước chuyển sang", "10", "4", "3"],
        ["Đã giải quyết", "300", "115", "90"],
    ]
    record = table_record(rows)
    found = stated(record, "scope")
    assert found == {
        ("all", "received_total"): 310,
        ("all", "received_carried_over"): 10,
        ("all", "resolved_total"): 300,
        ("authority", "received_total"): 120,
        ("authority", "received_carried_over"): 4,
        ("authority", "resolved_total"): 115,
        ("hộ tịch", "received_total"): 95,
        ("hộ tịch", "received_carried_over"): 3,
        ("hộ tịch", "resolved_total"): 90,
    }


# ---------------------------------------------------------------- round 9
def test_the_centre_with_the_agencies_at_it_is_the_whole():
    record = extract_text(
        "UBND TỈNH HÒA LẠC\nTRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nBÁO CÁO quý I năm 2026\n"
        "Trong kỳ, Trung tâm và các sở, ngành có thủ tục tại Trung tâm đã tiếp nhận 900 hồ sơ, "
        "gồm 20 hồ sơ kỳ trước chuyển sang và 880 hồ sơ mới. Trung tâm đã giải quyết 850 hồ "
        "sơ.\n"
    )
    own_ = {
        k: v
        for p in record.periods
        if p.scope == "all"
        for k, v in p.dossiers.model_dump(exclude_none=True).items()
    }
    assert own_ == {
        "received_total": 900,
        "received_carried_over": 20,
        "received_new": 880,
        "resolved_total": 850,
    }


def test_who_published_or_received_a_news_item_is_not_its_unit():
    record = extract_text(
        "Năm 2025: xã Hòa Lạc giải quyết gần 900 hồ sơ\n"
        "Ngày đăng: 20/12/2025 | Nguồn: Văn phòng HĐND và UBND huyện Tây Sơn\n"
        "Theo Báo cáo số 51/BC-UBND của UBND xã Hòa Lạc gửi UBND huyện Tây Sơn, trong năm 2025 "
        "xã tiếp nhận 900 hồ sơ; huyện Tây Sơn ghi nhận xã là đơn vị dẫn đầu.\n"
    )
    assert (record.unit.name, record.unit.level) == ("Hòa Lạc", "xã")
    assert record.report.number == "51/BC-UBND"


def test_a_running_total_opening_its_sentence_governs_the_next_ones():
    found = figures(
        "Trong quý, xã đã giải quyết 300 hồ sơ.\n"
        "Nhìn lại trước đó, tính lũy kế từ đầu năm đến ngày 14/2/2026, xã có 180 hồ sơ phải "
        "giải quyết (6 hồ "
        "sơ chuyển sang từ cuối năm 2025 và 174 hồ sơ mới). Đến thời điểm đó xã đã giải quyết "
        "170 hồ sơ.\n"
    )
    assert found[(Q1, "all", "resolved_total")] == 300
    assert found[("2026-M2", "all", "received_total")] == 180
    assert found[("2026-M2", "all", "received_carried_over")] == 6
    assert found[("2026-M2", "all", "received_new")] == 174
    assert found[("2026-M2", "all", "resolved_total")] == 170


def test_a_part_named_again_by_the_start_of_its_name_is_one_part():
    found = figures(
        "Xã tiếp nhận 900 hồ sơ.\n"
        "- Chi nhánh Văn phòng đăng ký đất đai tại xã tiếp nhận 300 hồ sơ. Chi nhánh đã giải "
        "quyết 280 hồ sơ.\n"
        "- Ở cấp thôn, tổ hỗ trợ tiếp nhận 40 hồ sơ. Cấp thôn đã giải quyết 38 hồ sơ.\n"
    )
    assert _scoped(found, 300, "received_total") == _scoped(found, 280, "resolved_total")
    assert len(_scoped(found, 300, "received_total")) == 1


def test_returned_and_withdrawn_stated_apart_are_the_one_field():
    record = extract_text(
        HEAD + "Xã tiếp nhận 300 hồ sơ, đã giải quyết 290 hồ sơ; có 03 hồ sơ bị trả lại do "
        "không đủ điều kiện và 02 hồ sơ công dân xin rút; còn 5 hồ sơ đang giải quyết.\n"
    )
    period = next(p for p in record.periods if p.key == Q1 and p.scope == "all")
    assert period.dossiers.returned == 5
    assert not period.conflicts
    quote = period.evidence["returned"].quote
    assert "trả lại" in quote and "rút" in quote


def test_the_parent_office_judging_the_unit_is_no_part_of_it():
    """The unit's second, different value is its own (a conflict the officer sees), not a
    figure of the office that judged it."""
    record = extract_text(
        HEAD + "Xã còn 20 hồ sơ đang giải quyết.\n"
        "Phòng Nội vụ huyện đánh giá Hòa Lạc đã công khai đủ thủ tục. Tuy vậy, xã vẫn còn 24 "
        "hồ sơ đang giải quyết chuyển sang quý II.\n"
    )
    assert [p.scope for p in record.periods] == ["all"]
    assert [c.values for c in record.periods[0].conflicts] == [[20, 24]]


# ---------------------------------------------------------------- round 10
def test_a_same_period_column_beside_a_calendar_month_report():
    rows = [
        ["STT", "Nội dung", "Tháng 3/2026", "Cùng kỳ tháng 3/2025"],
        ["1", "Tổng số hồ sơ tiếp nhận", "210", "180"],
        ["2", "Số hồ sơ đã giải quyết", "200", "170"],
    ]
    lines = [
        RawLine(text="UBND XÃ HÒA LẠC"),
        RawLine(text="BÁO CÁO tình hình giải quyết thủ tục hành chính"),
        RawLine(text="(số liệu tính từ ngày 01/3/2026 đến hết ngày 31/3/2026)"),
    ]
    record = table_record(rows, lines)
    found = stated(record, "key")
    assert found[("2026-03", "received_total")] == 210
    assert found[("2025-03", "received_total")] == 180
    assert found[("2025-03", "resolved_total")] == 170
    assert not record.unread


def test_a_reporting_period_written_with_other_days_is_that_period():
    record = extract_text(
        "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC năm 2025\n"
        "Kỳ báo cáo từ ngày 15/12/2024 đến ngày 14/12/2025, xã tiếp nhận 900 hồ sơ.\n"
        "II. SO SÁNH VỚI NĂM 2024\n"
        "Năm 2024 (kỳ báo cáo từ ngày 15/12/2023 đến ngày 14/12/2024), xã tiếp nhận 800 hồ sơ.\n"
    )
    found = stated(record, "key")
    assert found[("2025", "received_total")] == 900
    assert found[("2024", "received_total")] == 800


def test_a_count_after_the_whole_it_is_taken_from_is_never_that_whole():
    record = extract_text(
        HEAD + "Xã nhận mới 300 hồ sơ. Trong số hồ sơ mới, 210 hồ sơ được gửi qua ứng dụng "
        "của tỉnh.\n"
    )
    period = next(p for p in record.periods if p.key == Q1 and p.scope == "all")
    assert period.dossiers.received_new == 300
    assert not period.conflicts
    assert 210 in [u.value for u in record.unread]


def test_all_of_a_count_said_of_one_field_is_that_fields_count_too():
    found = figures(
        "Đã giải quyết 300 hồ sơ, trong đó trễ hạn 6 hồ sơ. 06 hồ sơ trễ hạn đều thuộc lĩnh vực "
        "đất đai do phải chờ đo đạc.\n"
    )
    assert found[(Q1, "all", "resolved_late")] == 6
    assert found[(Q1, "đất đai", "resolved_late")] == 6


# ---------------------------------------------------------------- round 11
def test_a_parts_head_may_carry_a_long_aside():
    found = figures(
        "Xã tiếp nhận 500 hồ sơ.\n"
        "b) Lĩnh vực đất đai (xã tiếp nhận, chuyển Chi nhánh Văn phòng đăng ký đất đai của huyện "
        "thẩm định, giải quyết theo quy định):\n"
        "- Tiếp nhận: 120 hồ sơ;\n"
        "- Đã giải quyết: 110 hồ sơ.\n"
    )
    assert found[(Q1, "all", "received_total")] == 500
    assert _scoped(found, 120, "received_total") == {"part:đất đai"}
    assert _scoped(found, 110, "resolved_total") == {"part:đất đai"}


def test_rows_naming_the_unit_with_its_period_an_agency_or_a_running_total():
    """A form whose rows are the unit in its period, an agency in it, and a running total
    with no days: the unit's row is the unit's, the agency's its part, the running total's
    counts are shown unread (no period to put them in), never the unit's."""
    rows = [
        ["STT", "Đơn vị / kỳ", "Tổng số", "Đã giải quyết", "Đang giải quyết"],
        ["1", "UBND xã Hòa Lạc – quý I/2026", "310", "300", "10"],
        ["", "Trong đó: Công an xã", "40", "38", "2"],
        ["2", "Lũy kế từ đầu năm", "620", "600", "20"],
    ]
    lines = [RawLine(text="UBND XÃ HÒA LẠC"), RawLine(text="BÁO CÁO quý I năm 2026")]
    record = table_record(rows, lines)
    found = stated(record)
    assert found[(Q1, "all", "received_total")] == 310
    assert found[(Q1, "part:Công an xã", "received_total")] == 40
    assert 620 not in found.values()
    assert 620 in [u.value for u in record.unread]


def test_a_part_opened_with_doi_voi_is_named_by_its_agency():
    found = figures(
        "Xã tiếp nhận 900 hồ sơ.\nRiêng đối với Công an xã, là đơn vị có nhiều hồ sơ nhất, tổng "
        "số hồ sơ tiếp nhận là 300 hồ sơ. Công an xã đã giải quyết 290 hồ sơ.\n"
    )
    assert _scoped(found, 300, "received_total") == {"part:Công an xã"}
    assert _scoped(found, 290, "resolved_total") == {"part:Công an xã"}


def test_a_count_in_brackets_after_chiem_a_rate_is_the_labels():
    assert own(
        "Đã giải quyết 300 hồ sơ:\n- Trước hạn: chiếm 60% (180 hồ sơ);\n"
        "- Đúng hạn: chiếm 40% (120 hồ sơ).\n"
    ) == {"resolved_total": 300, "resolved_early": 180, "resolved_on_time": 120}


def test_rieng_before_a_figure_word_names_no_part():
    found = figures(
        "Xã tiếp nhận mới 300 hồ sơ. Riêng hồ sơ nộp qua mạng đạt 180/300 hồ sơ, tương đương "
        "60%, cao hơn quý trước.\n"
    )
    assert found[(Q1, "all", "received_online")] == 180


# ---------------------------------------------------------------- round 12
def test_a_total_after_a_joint_verb_is_the_received_total():
    """ "đã tiếp nhận và giải quyết tổng số N hồ sơ, trong đó … từ kỳ trước chuyển sang là
    M": the total is what there was to handle, never the carried-over count said after it."""
    assert own(
        "Trung tâm đã tiếp nhận và giải quyết tổng số 500 hồ sơ, trong đó số hồ sơ từ kỳ trước "
        "chuyển sang là 20 hồ sơ và số hồ sơ tiếp nhận mới trong kỳ là 480 hồ sơ.\n"
    ) == {"received_total": 500, "received_carried_over": 20, "received_new": 480}


def test_a_running_total_column_beside_a_quarter_is_the_years_first_months():
    rows = [
        ["TT", "Nội dung", "Quý II/2026 (hồ sơ)", "Luỹ kế từ đầu năm (hồ sơ)"],
        ["1", "Tổng số hồ sơ tiếp nhận", "300", "560"],
        ["2", "Số hồ sơ đã giải quyết", "290", "545"],
    ]
    record = table_record(
        rows, [RawLine(text="UBND XÃ HÒA LẠC"), RawLine(text="BÁO CÁO quý II năm 2026")]
    )
    found = stated(record, "key")
    assert found[("2026-Q2", "received_total")] == 300
    assert found[("2026-M6", "received_total")] == 560
    assert found[("2026-M6", "resolved_total")] == 545
    assert not [p for p in record.periods if p.conflicts]


CENTRE = "UBND TỈNH HÒA LẠC\nTRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nBÁO CÁO năm 2025\n"


def _centre_all(body: str) -> dict[str, int]:
    record = extract_text(CENTRE + body)
    return next(
        p.dossiers.model_dump(exclude_none=True)
        for p in record.periods
        if p.key == "2025" and p.scope == "all"
    )


def test_a_group_left_to_all_the_agencies_is_the_centres():
    stated = _centre_all(
        "Năm 2025, Trung tâm tiếp nhận và xử lý hơn 9 nghìn hồ sơ; tổng số hồ sơ tiếp nhận là "
        "9.120 hồ sơ. Các sở, ngành có thủ tục tại Trung tâm đã giải quyết 9.050 hồ sơ. Số hồ "
        "sơ giải quyết trước hạn là 6.000, đúng hạn là 3.050.\n"
    )
    assert stated["received_total"] == 9120
    assert (stated["resolved_total"], stated["resolved_early"]) == (9050, 6000)


def test_a_group_the_centre_states_otherwise_is_never_filled_from_the_agencies():
    stated = _centre_all(
        "Năm 2025, Trung tâm tiếp nhận 9.120 hồ sơ, đã giải quyết 9.070 hồ sơ. Các sở, ngành có "
        "thủ tục tại Trung tâm đã giải quyết 9.050 hồ sơ, trong đó trước hạn 6.000 hồ sơ.\n"
    )
    assert stated["resolved_total"] == 9070
    assert "resolved_early" not in stated


def test_a_table_without_early_counts_them_on_time() -> None:
    """Round 12: a field table with "Đúng hạn | Trễ hạn" and no "Trước hạn" column, under
    prose that gives early and on time apart: the column is early and on time together, so
    its total row agrees with the prose instead of conflicting with its on-time figure."""
    prose = [RawLine(text=t) for t in HEAD.strip().split("\n")] + [
        RawLine(text="Đã giải quyết 310 hồ sơ, trong đó trước hạn 200 hồ sơ, đúng hạn 110 hồ sơ.")
    ]
    rows = [
        ["Lĩnh vực", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Trễ hạn"],
        ["Hộ tịch", "250", "245", "245", "0"],
        ["Đất đai", "70", "65", "65", "0"],
        ["Tổng cộng", "320", "310", "310", "0"],
    ]
    got = stated(table_record(rows, prose))
    assert got[(Q1, "all", "resolved_early")] == 200
    assert got[(Q1, "all", "resolved_on_time")] == 110
    assert got[(Q1, "all", "resolved_early_or_on_time")] == 310
    assert got[(Q1, "hộ tịch", "resolved_early_or_on_time")] == 245
    assert (Q1, "hộ tịch", "resolved_on_time") not in got


def test_a_table_with_early_keeps_on_time_apart() -> None:
    rows = [
        ["Lĩnh vực", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Trễ hạn"],
        ["Hộ tịch", "245", "200", "45", "0"],
    ]
    got = stated(table_record(rows))
    assert got[(Q1, "hộ tịch", "resolved_on_time")] == 45
    assert got[(Q1, "hộ tịch", "resolved_early")] == 200


# ---------------------------------------------------------------- round 13
def test_columns_headed_by_agencies_are_their_parts() -> None:
    """Round 13: "Chỉ tiêu | Sở Tư pháp | Công an tỉnh" — each value column is that agency's
    part; before, both columns fell on the unit's own figures and drove out the prose."""
    prose = [RawLine(text=t) for t in HEAD.strip().split("\n")] + [
        RawLine(text="Trung tâm đã tiếp nhận 9.000 hồ sơ, đã giải quyết 8.800 hồ sơ.")
    ]
    rows = [
        ["Chỉ tiêu", "Sở Xây dựng", "Bảo hiểm xã hội tỉnh"],
        ["Tổng số hồ sơ tiếp nhận", "2.310", "1.905"],
        ["Đã giải quyết", "2.250", "1.880"],
    ]
    got = stated(table_record(rows, prose))
    assert got[(Q1, "all", "received_total")] == 9000
    assert got[(Q1, "all", "resolved_total")] == 8800
    assert got[(Q1, "part:Sở Xây dựng", "received_total")] == 2310
    assert got[(Q1, "part:Bảo hiểm xã hội tỉnh", "resolved_total")] == 1880


def test_a_running_total_in_prose_is_its_own_period() -> None:
    head = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý III năm 2025\n"
    body = (
        "1. Kết quả quý III\nTrong quý, xã tiếp nhận 900 hồ sơ, đã giải quyết 880 hồ sơ.\n"
        "2. Luỹ kế từ đầu năm đến hết quý III\n"
        "Luỹ kế từ đầu năm, xã tiếp nhận 2.600 hồ sơ, đã giải quyết 2.540 hồ sơ.\n"
    )
    got = stated(extract_text(head + body), "key")
    assert got[("2025-Q3", "received_total")] == 900
    assert got[("2025-M9", "received_total")] == 2600
    assert got[("2025-M9", "resolved_total")] == 2540
    record = extract_text(head + body)
    assert not any(p.conflicts for p in record.periods)


def test_the_year_to_a_quarter_is_its_months() -> None:
    head = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý II năm 2025\n"
    body = (
        "Trong quý II, xã tiếp nhận 410 hồ sơ.\n"
        "Tính từ đầu năm 2025 đến hết quý II, xã tiếp nhận 790 hồ sơ.\n"
    )
    got = stated(extract_text(head + body), "key")
    assert got[("2025-Q2", "received_total")] == 410
    assert got[("2025-M6", "received_total")] == 790


def test_stopped_dossiers_are_returned_and_their_total_is_not_counted_twice() -> None:
    """ "trả lại 5 …; công dân rút 2 …; như vậy có 7 hồ sơ dừng giải quyết": the two parts
    joined, then their total said after them — one value, no conflict, no resolved 7."""
    record = extract_text(
        HEAD + "Đã giải quyết 280 hồ sơ. Trả lại 05 hồ sơ do không đủ điều kiện; công dân "
        "rút 02 hồ sơ; như vậy có 07 hồ sơ dừng giải quyết trong kỳ.\n"
    )
    period = next(p for p in record.periods if p.key == Q1 and p.scope == "all")
    assert period.dossiers.returned == 7
    assert period.dossiers.resolved_total == 280
    assert not period.conflicts


def test_the_title_names_the_period_not_the_lead_paragraph() -> None:
    """Round 13: a lead paragraph telling that the former units "đã báo cáo đến hết tháng 6"
    under a title of "Quý II năm 2025" (a Word file: one paragraph per line): the quarter is
    the report's period."""
    lines = [
        "UBND PHƯỜNG AN HÒA",
        "BÁO CÁO",
        "Kết quả giải quyết thủ tục hành chính Quý II năm 2025",
        "Từ ngày 01/7/2025 phường An Hòa đi vào hoạt động trên cơ sở sắp xếp ba đơn vị cũ; các "
        "đơn vị này đã báo cáo tình hình thực hiện đến hết tháng 6 với huyện, nay phường tổng "
        "hợp lại số liệu của quý để báo cáo tỉnh như sau.",
        "1. Tiếp nhận",
        "Tổng số hồ sơ phải giải quyết là 640 hồ sơ.",
        "2. Kết quả",
        "Đã giải quyết 622 hồ sơ.",
    ]
    got = stated(table_record([], [RawLine(text=t) for t in lines]), "key")
    assert got == {("2025-Q2", "received_total"): 640, ("2025-Q2", "resolved_total"): 622}


def test_none_as_an_item_of_a_pending_list_is_pending_overdue() -> None:
    body = (
        "1. Tiếp nhận: 300 hồ sơ.\n2. Đang giải quyết: 15 hồ sơ, trong đó:\n"
        "+ Trong hạn: 15 hồ sơ;\n+ Quá hạn: không có.\n"
    )
    got = own(body)
    assert got["pending_overdue"] == 0
    assert "resolved_late" not in got


def test_lien_thong_between_two_agencies_is_lien_thong() -> None:
    body = (
        "Tiếp nhận 500 hồ sơ, đã giải quyết 480 hồ sơ.\n3. Hồ sơ liên thông\n"
        "Hồ sơ liên thông giữa Phòng Tài chính - Kế hoạch với Chi cục Thuế khu vực: tiếp nhận "
        "41 hồ sơ, đã trả kết quả 40 hồ sơ.\n"
    )
    got = figures(body)
    assert got[(Q1, "lien_thong", "received_total")] == 41
    assert got[(Q1, "lien_thong", "resolved_total")] == 40
    assert not any(scope.startswith("part:") for _, scope, _ in got)


def test_a_rated_fraction_takes_its_field_from_the_words_after_it() -> None:
    """ "có 91/164 hồ sơ nộp trực tuyến, đạt 55,49%": the numerator is the online count
    (silent before: neither read nor shown)."""
    got = own("Xã tiếp nhận 250 hồ sơ, trong đó có 138/250 hồ sơ nộp trực tuyến, đạt 55,2%.")
    assert got == {"received_total": 250, "received_online": 138}


FILED_ON_THE_PORTAL = [
    # submitted on the portal, alone: online
    (
        "Trong số hồ sơ mới, 120 hồ sơ được nộp trên Cổng Dịch vụ công, 44 hồ sơ nộp trực tiếp.",
        {"received_online": 120, "received_offline": 44},
    ),
    (
        "Xã tiếp nhận 164 hồ sơ; có 91 hồ sơ được người dân nộp qua Cổng Dịch vụ công quốc gia.",
        {"received_total": 164, "received_online": 91},
    ),
]


@case(FILED_ON_THE_PORTAL)
def test_filed_on_the_portal_is_online(body: str, expected: dict[str, int]) -> None:
    assert own(body) == expected


def test_the_portal_set_against_another_system_is_its_share() -> None:
    got = figures(
        "Tiếp nhận 300 hồ sơ, trong đó 212 hồ sơ được tiếp nhận trên Hệ thống thông tin giải "
        "quyết TTHC của tỉnh và 88 hồ sơ nộp trên Cổng Dịch vụ công quốc gia."
    )
    assert got[(Q1, "part:Cổng Dịch vụ công quốc gia", "received_total")] == 88
    assert (Q1, "all", "received_online") not in got


def test_a_cut_off_hour_inside_a_range_keeps_the_range() -> None:
    """ "Lũy kế từ ngày 01.01.2024 đến 17 giờ 00 ngày 19.4.2024": the hour says nothing of
    the days; the range governs, not the heading's "năm 2024" nor a running total left
    without days."""
    head = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý I năm 2024\n"
    body = (
        "1. Quý I\nTrong quý, xã tiếp nhận 300 hồ sơ.\n2. LŨY KẾ TỪ ĐẦU NĂM 2024\n"
        "Lũy kế từ ngày 01.01.2024 đến 17 giờ 00 ngày 19.4.2024, xã tiếp nhận 390 hồ sơ.\n"
    )
    got = stated(extract_text(head + body), "key")
    assert got[("2024-Q1", "received_total")] == 300
    assert got[("2024-01-01..2024-04-19", "received_total")] == 390


def test_a_running_total_with_no_days_of_its_own_is_shown_unread() -> None:
    """In a first quarter's report "Lũy kế từ đầu năm" are the quarter's own months: a
    second, different figure can only count other days, which the text does not give."""
    record = extract_text(
        HEAD + "Quý I, xã tiếp nhận 300 hồ sơ.\nLũy kế từ đầu năm, xã tiếp nhận 320 hồ sơ.\n"
    )
    assert stated(record) == {(Q1, "all", "received_total"): 300}
    assert [u.value for u in record.unread] == [320]


# ---------------------------------------------------------------- round 14
ROUND_14 = [
    # on time "with the early ones" is the joint figure, never the early one
    (
        "Đã giải quyết 500 hồ sơ, đúng hạn (kể cả trước hạn) 490 hồ sơ, trễ hạn 10 hồ sơ.",
        {"resolved_total": 500, "resolved_early_or_on_time": 490, "resolved_late": 10},
    ),
    # filed at the desk is offline; the rest after a rate, with its subject in between
    (
        "Nhận mới 640 hồ sơ. Tỷ lệ nộp trực tuyến 400/640 hồ sơ, đạt 62,5%; 240 hồ sơ còn lại "
        "được nộp tại quầy hoặc qua bưu chính công ích.",
        {"received_new": 640, "received_online": 400, "received_offline": 240},
    ),
    (
        "Nhận mới 640 hồ sơ. Tỷ lệ trực tuyến đạt 62,5%; 240 hồ sơ còn lại người dân nộp "
        "trực tiếp tại quầy.",
        {"received_new": 640, "received_offline": 240},
    ),
    # "đang trong hạn giải quyết": still in progress, never resolved on time
    (
        "Xã tiếp nhận 300 hồ sơ, đã giải quyết 288 hồ sơ; 12 hồ sơ còn lại đều đang trong hạn giải quyết.",
        {
            "received_total": 300,
            "resolved_total": 288,
            "pending_total": 12,
            "pending_in_time": 12,
            "pending_overdue": 0,
        },
    ),
    # a state said after the pending count and a comma is said of all of it
    (
        "Xã tiếp nhận 300 hồ sơ, đã giải quyết 288 hồ sơ; 12 hồ sơ còn lại đang giải quyết, chưa đến hạn.",
        {
            "received_total": 300,
            "resolved_total": 288,
            "pending_total": 12,
            "pending_in_time": 12,
            "pending_overdue": 0,
        },
    ),
    # the stopped dossiers as a total, then its two parts: one value
    (
        "Xã tiếp nhận 300 hồ sơ. Ngoài ra có 6 hồ sơ dừng giải quyết: 4 hồ sơ bị trả lại vì "
        "không đủ điều kiện, 2 hồ sơ do công dân xin rút.",
        {"received_total": 300, "returned": 6},
    ),
]


@case(ROUND_14)
def test_round_14_phrasings(body: str, expected: dict[str, int]) -> None:
    assert own(body) == expected


def test_a_part_done_by_an_agency_is_that_agency() -> None:
    """ "Riêng các thủ tục thuộc lĩnh vực cư trú do Công an xã tiếp nhận, …" and later "Công
    an xã đã giải quyết …": one part, named by the agency."""
    got = figures(
        "Xã tiếp nhận 900 hồ sơ.\nRiêng đối với các thủ tục thuộc lĩnh vực cư trú do Công an xã "
        "tiếp nhận, giải quyết, trong quý tổng số là 210 hồ sơ; Công an xã đã giải quyết 200 hồ sơ.\n"
    )
    assert got[(Q1, "part:Công an xã", "received_total")] == 210
    assert got[(Q1, "part:Công an xã", "resolved_total")] == 200
    assert {scope for _, scope, _ in got} == {"all", "part:Công an xã"}


def test_the_whole_restated_before_its_systems_is_no_systems_share() -> None:
    got = figures(
        "Xã tiếp nhận 1.200 hồ sơ.\nTrong tổng số 1.200 hồ sơ nêu trên, số hồ sơ được tiếp nhận, "
        "xử lý trên Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh là 850 hồ sơ, "
        "số hồ sơ tiếp nhận trên Cổng Dịch vụ công quốc gia là 350 hồ sơ.\n"
    )
    system = "part:Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh"
    assert got[(Q1, system, "received_total")] == 850
    assert got[(Q1, "part:Cổng Dịch vụ công quốc gia", "received_total")] == 350
    assert got[(Q1, "all", "received_total")] == 1200


def test_this_desk_is_the_agency_named_before() -> None:
    got = figures(
        "Xã tiếp nhận 900 hồ sơ.\nTrong 12 cơ quan có quầy tại Bộ phận Một cửa, Bảo hiểm xã hội huyện là nơi "
        "đông nhất. Trong quý, quầy này tiếp nhận 310 hồ sơ, đã giải quyết 300 hồ sơ.\n"
    )
    assert got[(Q1, "part:Bảo hiểm xã hội huyện", "received_total")] == 310
    assert got[(Q1, "part:Bảo hiểm xã hội huyện", "resolved_total")] == 300
    assert got[(Q1, "all", "received_total")] == 900


# ---------------------------------------------------------------- round 15
ROUND_15 = [
    # the exact figure stated on its own wins over the rounded joint one, fit or not
    (
        "Trong quý, xã đã tiếp nhận và xử lý hơn 3.400 hồ sơ. Xã đã phối hợp với các phòng, ban "
        "chuyên môn giải quyết xong 3.279 hồ sơ, trong đó 2.269 hồ sơ trước hạn.",
        {"received_total": 3400, "resolved_total": 3279, "resolved_early": 2269},
    ),
    # "không còn tiếp nhận": a verb, no count of none
    (
        "Xã tiếp nhận 300 hồ sơ. Từ tháng 01/2026 các thủ tục lý lịch tư pháp không còn tiếp "
        "nhận tại xã.",
        {"received_total": 300},
    ),
]


@case(ROUND_15)
def test_round_15_phrasings(body: str, expected: dict[str, int]) -> None:
    got = figures(body)
    assert {k: v for (key, scope, k), v in got.items() if scope == "all"} == expected
    assert {key for key, _, _ in got} == {Q1}


def test_a_row_of_fewer_tabs_inside_a_pasted_table_keeps_the_table() -> None:
    """Round 15: the national form pasted from a spreadsheet, with "\\tTrong đó:" between
    the centre's row and its agencies' rows: one table, the agencies its parts."""
    from tthc.load.text_file import load_text

    text = (
        "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý I năm 2026\n"
        "STT\tĐơn vị\tTổng số\tĐã giải quyết\tĐang giải quyết\n"
        "I\tToàn xã\t310\t300\t10\n\tTrong đó:\n1\tCông an xã\t40\t38\t2\n"
    )
    raw = load_text(Path("t.txt"), text.encode())
    got = stated(read_document(raw))
    assert {line.table for line in raw.lines if line.cells} == {0}
    assert got[(Q1, "all", "received_total")] == 310
    assert got[(Q1, "part:Công an xã", "received_total")] == 40


def test_a_count_after_the_word_quarter_is_no_quarter() -> None:
    """ "tiếp nhận mới trong quý 1.043 hồ sơ" in a fourth quarter's report: 1.043 is the
    count, not "quý 1" taking the figures to the first quarter."""
    head = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý IV năm 2025\n"
    body = (
        "Tổng số hồ sơ phải giải quyết là 1.082 hồ sơ; tiếp nhận mới trong quý 1.043 hồ sơ, gồm "
        "685 hồ sơ nộp trực tuyến và 358 hồ sơ nộp trực tiếp.\n"
    )
    got = stated(extract_text(head + body), "key")
    assert got == {
        ("2025-Q4", "received_total"): 1082,
        ("2025-Q4", "received_new"): 1043,
        ("2025-Q4", "received_online"): 685,
        ("2025-Q4", "received_offline"): 358,
    }


# ---------------------------------------------------------------- round 16
def test_a_plain_head_line_scopes_the_list_under_it() -> None:
    """Round 16: "Riêng khối các phòng chuyên môn, kết quả như sau:" then "- …", "+ …":
    the items are the part's (12 silent misses before: they fell on the unit's figures);
    the next paragraph is the unit's again."""
    got = figures(
        "Xã tiếp nhận 5.169 hồ sơ.\nRiêng khối các phòng chuyên môn, kết quả như sau:\n"
        " - Tổng số hồ sơ phải giải quyết: 1.334 hồ sơ;\n   + Kỳ trước chuyển sang: 59 hồ sơ;\n"
        " - Đã giải quyết: 1.292 hồ sơ;\nToàn xã đã giải quyết 5.002 hồ sơ.\n"
    )
    part = "part:khối các phòng chuyên môn"
    assert got[(Q1, part, "received_total")] == 1334
    assert got[(Q1, part, "received_carried_over")] == 59
    assert got[(Q1, part, "resolved_total")] == 1292
    assert got[(Q1, "all", "received_total")] == 5169
    assert got[(Q1, "all", "resolved_total")] == 5002


ROUND_16 = [
    # terse bullets: a slash pair after "=", a state after the count, "không" before the part
    (
        "Xã tiếp nhận 1.932 hồ sơ, mới 1.877.\n- Nộp HS mới: trực tuyến/trực tiếp = 1.522/355.\n"
        "- Đã GQ 1.836 HS (trước hạn 822, đúng hạn 1.014), không trễ hạn.\n"
        "- Đang GQ 96 HS, trong hạn toàn bộ.",
        {
            "received_total": 1932,
            "received_new": 1877,
            "received_online": 1522,
            "received_offline": 355,
            "resolved_total": 1836,
            "resolved_early": 822,
            "resolved_on_time": 1014,
            "resolved_late": 0,
            "pending_total": 96,
            "pending_in_time": 96,
            "pending_overdue": 0,
        },
    ),
    # the previous month's dossiers; "đã trả N"; "chưa đến hạn trả"
    (
        "Xã nhận 08 hồ sơ từ tháng trước và 491 hồ sơ mới, tổng cộng 499 hồ sơ. Xã đã trả 494 "
        "hồ sơ; 05 hồ sơ đang xử lý, chưa đến hạn trả.",
        {
            "received_total": 499,
            "received_carried_over": 8,
            "received_new": 491,
            "resolved_total": 494,
            "pending_total": 5,
            "pending_in_time": 5,
            "pending_overdue": 0,
        },
    ),
    # "đang quá hạn": pending overdue, whatever group the sentence opened with
    (
        "Xã đã giải quyết 900 hồ sơ; còn 101 hồ sơ đang giải quyết. Có 10 hồ sơ trả quá hạn và "
        "20 hồ sơ đang quá hạn.",
        {"resolved_total": 900, "resolved_late": 10, "pending_total": 101, "pending_overdue": 20},
    ),
    # who withdrew them stands between the count and its words
    (
        "Xã tiếp nhận 629 hồ sơ. Bộ phận Một cửa đã trả lại 4 hồ sơ do không đủ điều kiện (có "
        "phiếu từ chối), 1 hồ sơ do công dân làm đơn xin rút.",
        {"received_total": 629, "returned": 5},
    ),
    (
        "Xã tiếp nhận 629 hồ sơ, đã trả lại 7 hồ sơ do không đủ điều kiện, và có 2 hồ sơ công "
        "dân tự nguyện xin rút để bổ sung.",
        {"received_total": 629, "returned": 9},
    ),
]


@case(ROUND_16)
def test_round_16_phrasings(body: str, expected: dict[str, int]) -> None:
    assert own(body) == expected


def test_none_in_a_parts_list_is_the_parts() -> None:
    got = figures(
        "Xã tiếp nhận 900 hồ sơ, đã giải quyết 880 hồ sơ, trễ hạn 3 hồ sơ.\n"
        "2. Chi nhánh Văn phòng đăng ký đất đai huyện\n- Số hồ sơ đã giải quyết: 455 hồ sơ;\n"
        "+ Trước hạn: 435 hồ sơ;\n+ Trễ hạn: không có.\n"
    )
    assert got[(Q1, "all", "resolved_late")] == 3
    parts = {scope for (_, scope, field), v in got.items() if field == "resolved_late" and v == 0}
    assert len(parts) == 1 and next(iter(parts)).startswith("part:Chi nhánh")


def test_a_lead_in_names_no_subject_the_words_after_its_comma_do() -> None:
    """Round 15: "Chia theo cấp giải quyết, cấp huyện tiếp nhận …": how the figures are
    split, then the level; before, the district level's resolved count fell on the unit."""
    got = figures(
        "Toàn huyện tiếp nhận 5.177 hồ sơ. Chia theo cấp giải quyết, cấp huyện tiếp nhận 3.021 "
        "hồ sơ và đã giải quyết 2.870 hồ sơ; cấp xã tiếp nhận 2.156 hồ sơ, đã giải quyết 2.065 hồ "
        "sơ. Cộng cả hai cấp, toàn huyện đã giải quyết 4.935 hồ sơ."
    )
    assert got[(Q1, "part:cấp huyện", "resolved_total")] == 2870
    assert got[(Q1, "part:cấp xã", "resolved_total")] == 2065
    assert got[(Q1, "all", "resolved_total")] == 4935


# ---------------------------------------------------------------- round 17
def test_a_report_republished_under_a_news_lead_keeps_its_issuer() -> None:
    """Round 17: a portal page's lead, then the report with its two-column letterhead
    ("UBND TỈNH …" over "UBND HUYỆN …"): the district issued it, not its province."""
    text = (
        "Trang chủ > Tin tức > Cải cách hành chính\n\n"
        "UBND HUYỆN TÂN LẠC BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH QUÝ I NĂM 2026\n"
        "Ngày đăng: 05/4/2026 | Tác giả: Ban Biên tập\n\n"
        "Ban Biên tập đăng nội dung chính của báo cáo để cán bộ, nhân dân được biết.\n\n"
        "UBND TỈNH HÒA AN                   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "UBND HUYỆN TÂN LẠC                       Độc lập - Tự do - Hạnh phúc\n"
        "   Số: 41/BC-UBND                 Tân Lạc, ngày 05 tháng 4 năm 2026\n\n"
        "BÁO CÁO\nKết quả giải quyết thủ tục hành chính quý I năm 2026\n"
        "Kính gửi: Ủy ban nhân dân tỉnh Hòa An.\n"
        "Trong quý, huyện tiếp nhận 1.200 hồ sơ.\n"
    )
    unit = extract_text(text).unit
    assert (unit.name, unit.level) == ("Tân Lạc", "huyện")


def test_the_same_period_a_year_back_goes_on_after_a_semicolon() -> None:
    """ "Cùng kỳ năm 2025, tổng số … 640 hồ sơ (…); đã giải quyết 622 hồ sơ": the clauses
    after ";" are the same period's unless they name the report's own again."""
    got = stated(
        extract_text(
            HEAD + "Trong quý, xã tiếp nhận 700 hồ sơ, đã giải quyết 690 hồ sơ.\n"
            "Cùng kỳ năm 2025, tổng số hồ sơ phải giải quyết là 640 hồ sơ (kỳ trước chuyển sang "
            "12); đã giải quyết 622 hồ sơ; còn 18 hồ sơ đang giải quyết.\n"
            "Cùng kỳ năm 2025 có 3 hồ sơ trễ hạn; năm nay không có hồ sơ trễ hạn.\n"
        ),
        "key",
    )
    assert got[(Q1_2025, "resolved_total")] == 622
    assert got[(Q1_2025, "pending_total")] == 18
    assert got[(Q1_2025, "resolved_late")] == 3
    assert got[(Q1, "resolved_total")] == 690
    assert got[(Q1, "resolved_late")] == 0


def test_a_total_before_trong_do_is_no_systems_share() -> None:
    """ "Số hồ sơ mới tiếp nhận là 261, trong đó … nộp qua Cổng Dịch vụ công quốc gia 189/261":
    the portal named after "trong đó" is the part's, the 261 the unit's new dossiers."""
    assert own(
        "Tháng này xã phải xử lý 264 hồ sơ. Số hồ sơ mới tiếp nhận là 261, trong đó người dân, "
        "doanh nghiệp nộp qua Cổng Dịch vụ công quốc gia 189/261 hồ sơ, đạt 72,41%."
    ) == {"received_total": 264, "received_new": 261, "received_online": 189}


# ---------------------------------------------------------------- round 18
def test_the_national_forms_row_naming_the_unit_is_the_units() -> None:
    """Round 18: "1 | UBND thị trấn Lộc Hải | 2.466 | …" in the unit's own report: its
    figures are the unit's, not a field or part named after the unit."""
    head = [RawLine(text="UBND HUYỆN HÒA VĨNH"), RawLine(text="UBND XÃ HÒA LẠC")]
    head += [RawLine(text="BÁO CÁO kết quả giải quyết TTHC quý I năm 2026")]
    rows = [
        ["STT", "Đơn vị", "Tổng số", "Đã giải quyết", "Trả trước hạn", "Đang giải quyết"],
        ["1", "UBND xã Hòa Lạc", "310", "300", "280", "10"],
    ]
    got = stated(table_record(rows, head))
    assert got[(Q1, "all", "received_total")] == 310
    assert got[(Q1, "all", "resolved_early")] == 280
    assert {scope for _, scope, _ in got} == {"all"}


def test_the_units_competence_then_another_level_in_one_line() -> None:
    """ "hồ sơ thuộc thẩm quyền giải quyết của UBND xã là 2.118 hồ sơ, …; hồ sơ thuộc thẩm
    quyền cấp huyện … là 348 hồ sơ, …": the unit's own block (its received total read from
    "hồ sơ … là N") and the district level's part, each with its figures."""
    got = figures(
        "Xã tiếp nhận 2.466 hồ sơ.\n- Phân theo cấp có thẩm quyền: hồ sơ thuộc thẩm quyền giải "
        "quyết của UBND xã là 2.118 hồ sơ, đã giải quyết 2.047, đang giải quyết 71; hồ sơ thuộc "
        "thẩm quyền cấp huyện do Bộ phận Một cửa xã tiếp nhận, chuyển lên huyện là 348 hồ sơ, đã "
        "có kết quả 333, đang giải quyết 15.\n"
    )
    assert got[(Q1, "authority", "received_total")] == 2118
    assert got[(Q1, "authority", "resolved_total")] == 2047
    assert got[(Q1, "part:cấp huyện", "received_total")] == 348
    assert got[(Q1, "part:cấp huyện", "resolved_total")] == 333
    assert got[(Q1, "all", "received_total")] == 2466


# ---------------------------------------------------------------- round 19
def test_a_headlines_quarter_takes_the_year_of_the_report_it_quotes() -> None:
    """Round 19: a news item's headline says "Quý I", the body quotes "Báo cáo số 185/BC-UBND
    … quý I năm 2024" (a citation) and a data window "tính từ 15.12.2023": the figures are
    quý I/2024's, not 2023's."""
    text = (
        "CẢI CÁCH HÀNH CHÍNH\nTân Lạc: Quý I không để hồ sơ trễ hẹn, nhưng còn 14 hồ sơ quá hạn "
        "chờ xử lý\nThứ Hai, 18/03/2024 | Bài: Hoàng Yến\n(TL) - Ba tháng đầu năm, Bộ phận Một "
        "cửa huyện trả kết quả đúng hẹn cho mọi hồ sơ đã giải quyết.\nTheo Báo cáo số 185/BC-UBND "
        "của UBND huyện Tân Lạc về kết quả cải cách thủ tục hành chính quý I năm 2024, số liệu "
        "chốt đến ngày 14.3.2024 (kỳ báo cáo tính từ 15.12.2023), tổng số hồ sơ cần giải quyết là "
        "656 hồ sơ; đã giải quyết 600 hồ sơ, không có hồ sơ nào giải quyết quá hạn; còn 56 hồ sơ "
        "đang giải quyết.\n"
    )
    got = stated(extract_text(text), "key")
    assert got[("2024-Q1", "received_total")] == 656
    assert got[("2024-Q1", "resolved_late")] == 0
    assert got[("2024-Q1", "pending_overdue")] == 14
    assert {key for key, _ in got} == {"2024-Q1"}


def test_split_by_competence_names_no_group() -> None:
    """Round 18: "Xét theo thẩm quyền giải quyết, hồ sơ thuộc thẩm quyền của Uỷ ban nhân dân
    xã là 149 hồ sơ …": the lead-in's "giải quyết" opens no group, so 149 is no figure of
    the unit's and its resolved total said later (168) stands."""
    got = figures(
        "Xã tiếp nhận 173 hồ sơ.\nXét theo thẩm quyền giải quyết, hồ sơ thuộc thẩm quyền của Uỷ "
        "ban nhân dân xã là 149 hồ sơ, trong đó đã giải quyết 146 hồ sơ.\n"
        "Xã đã giải quyết xong 168 hồ sơ.\n"
    )
    assert got[(Q1, "all", "resolved_total")] == 168
    assert 149 not in {v for (_, scope, _), v in got.items() if scope == "all"}
    # "là 149 hồ sơ, trong đó đã giải quyết 146": the words after "trong đó" name its part
    assert got[(Q1, "authority", "received_total")] == 149
    assert got[(Q1, "authority", "resolved_total")] == 146
