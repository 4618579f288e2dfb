"""Never a silent miss (issue 17 §1): a count of dossiers no reader used is an `unread`
warning with its place; a count read into a figure, a list, or set aside on purpose is not.
Phrase table: (text, the numbers that must be shown as unread). Sentences written here."""

from __future__ import annotations

import pytest

from tests.conftest import extract_text
from tthc.check import read_share, run_checks

HEAD = "UBND XÃ HÒA LẠC\nBÁO CÁO kết quả giải quyết TTHC quý I năm 2026\n"

UNREAD = [
    # a dossier count in a clause no figure word explains
    ("Bộ phận Một cửa tiếp nhận 210 hồ sơ. Có 14 hồ sơ đề nghị bổ sung giấy tờ.", [14]),
    ("Đã giải quyết 96 hồ sơ; riêng 9 bộ hồ sơ chờ công dân bổ sung giấy tờ.", [9]),
    # every count read: nothing unread
    ("Tiếp nhận 120 hồ sơ, đã giải quyết 110 hồ sơ, đang giải quyết 10 hồ sơ.", []),
    # counts set aside on purpose: a change, an average, procedures (not dossiers)
    ("Tiếp nhận 75 hồ sơ, tăng 12 hồ sơ so với cùng kỳ năm trước.", []),
    ("Tiếp nhận 300 hồ sơ, trung bình mỗi ngày 5 hồ sơ.", []),
    ("Đã công khai 112 TTHC; tiếp nhận 64 hồ sơ.", []),
    # an itemized list is read as the items of its total
    ("Đã giải quyết 40 hồ sơ, trong đó: hộ tịch 25; chứng thực 15.", []),
    # a bare number among the figures of one list, its own word unknown ("NH" here)
    ("- Cấp xã: NH 64 / đã giải quyết 60 / đang giải quyết 4.", [64]),
]


def _unread(text: str) -> list[int]:
    return sorted(u.value for u in extract_text(HEAD + text).unread)


@pytest.mark.parametrize(("text", "expected"), UNREAD, ids=[t[:40] for t, _ in UNREAD])
def test_a_count_no_reader_used_is_shown(text, expected):
    assert _unread(text) == sorted(expected)


def test_each_unread_number_is_one_warning_with_its_place():
    record = extract_text(HEAD + "Tiếp nhận 50 hồ sơ. Có 7 hồ sơ và 3 hồ sơ chuyển cơ quan khác.")
    flags = [f for f in run_checks(record) if f.code == "unread"]
    assert sorted(f.actual for f in flags) == [3, 7]
    assert all(f.severity == "warning" and f.evidence for f in flags)
    assert all("hồ sơ" in f.evidence[0].quote for f in flags)
    assert all(f.period == "quý I năm 2026" for f in flags)
    assert read_share(record) == (1, 3)  # "đọc được 1/3 số liệu"


def test_a_table_cell_counting_dossiers_is_never_skipped():
    """A "Nội dung | Số hồ sơ" table: a row the readers cannot place is unread, the STT is
    not a count."""
    from tthc.process import read_document
    from tthc.schemas import RawDocument, RawLine

    rows = [
        ["TT", "Nội dung", "Số hồ sơ"],
        ["1", "Tiếp nhận trong quý", "88"],
        ["2", "Hồ sơ chờ bổ sung của công dân", "6"],
    ]
    lines = [RawLine(text=line) for line in HEAD.strip().split("\n")]
    lines += [RawLine(text=" | ".join(r), cells=r, table=0) for r in rows]
    record = read_document(RawDocument(path="t.docx", format="docx", lines=lines))
    assert [u.value for u in record.unread] == [6]
    assert record.unread[0].why == "table"


# ---------------------------------------------------------------- the detector as a class
# What the detector takes for a count of dossiers, were no reader to use it: (text, numbers it
# must show, numbers it must never show). It runs with every reader's use forgotten, so these
# hold whatever the readers learn later: a count they miss is shown, a non-count never is.
DETECTOR = [
    # a bare number a figure word names, before it or right after it, in a clause on dossiers
    ("Đã giải quyết 410 hồ sơ (sớm hạn 300, đúng hạn 110).", [410, 300, 110], []),
    (
        "Tổng cộng 420 hồ sơ (kỳ trước chuyển qua 22; tiếp nhận mới 398, qua mạng 250).",
        [420, 22, 398, 250],
        [],
    ),
    ("Đã giải quyết 90 hồ sơ, 85 đúng hạn, 5 trễ hạn.", [90, 85, 5], []),
    ("Mới tiếp nhận trong quý: 398; tổng số phải xử lý là 420.", [398, 420], []),
    # not a count: a phone number, a numbered place or desk, a month, procedures, a rate
    ("Đường dây 0203 3 845 612 tiếp nhận 4 cuộc gọi; đã tiếp nhận 200 hồ sơ.", [200], [612, 4]),
    ("Phường 3 đã tiếp nhận 200 hồ sơ; Quầy số 2 đã giải quyết 150 hồ sơ.", [200, 150], [3, 2]),
    ("Hồ sơ quá hạn phát sinh trong tháng 5; đã tiếp nhận 200 hồ sơ.", [200], [5]),
    ("Xã tiếp nhận 200 hồ sơ, không có hồ sơ trễ hạn - Ảnh 2.", [200], [2]),
    # a heading's colon then a count with its noun ("trong quý: 398 hồ sơ")
    ("- Mới tiếp nhận trong quý: 398 hồ sơ.", [398], []),
    ("Công khai 112 TTHC; tiếp nhận 64 hồ sơ, đúng hạn đạt 98,4%.", [64], [112]),
    # a field's own count in a by-field list is its detail, not a figure of the unit
    ("Đã giải quyết 90 hồ sơ. Các hồ sơ trễ hạn gồm: đất đai 4, do chờ xác minh.", [90], [4]),
    # a part's count is the unit's own dossiers: shown when no reader kept it
    ("Tiếp nhận 300 hồ sơ. Riêng Công an xã tiếp nhận 45 hồ sơ.", [300, 45], []),
]


def _shown_with_nothing_used(monkeypatch, text: str) -> set[int]:
    import tthc.extract.unread as unread

    monkeypatch.setattr(unread, "used_positions", lambda doc: set())
    return {u.value for u in extract_text(HEAD + text).unread}


@pytest.mark.parametrize(("text", "shown", "never"), DETECTOR, ids=[t[:40] for t, _, _ in DETECTOR])
def test_the_detector_shows_every_count_of_dossiers_and_no_other_number(
    monkeypatch, text, shown, never
):
    found = _shown_with_nothing_used(monkeypatch, text)
    assert set(shown) <= found
    assert not set(never) & found


def _table_unread(monkeypatch, rows: list[list[str]]) -> list[int]:
    import tthc.extract.unread as unread
    from tthc.process import read_document
    from tthc.schemas import RawDocument, RawLine

    monkeypatch.setattr(unread, "used_positions", lambda doc: set())
    lines = [RawLine(text=line) for line in HEAD.strip().split("\n")]
    lines += [RawLine(text=" | ".join(r), cells=r, table=0) for r in rows]
    record = read_document(RawDocument(path="t.docx", format="docx", lines=lines))
    return sorted(u.value for u in record.unread if u.why == "table")


def test_a_column_headed_by_a_figure_word_counts_dossiers(monkeypatch):
    rows = [
        ["Lĩnh vực", "Tiếp nhận", "Đã giải quyết", "Đúng hạn"],
        ["Hộ tịch", "40", "38", "36"],
        ["Chứng thực", "25", "25", "25"],
    ]
    assert _table_unread(monkeypatch, rows) == [25, 25, 25, 36, 38, 40]


def test_a_header_in_two_rows_names_its_columns(monkeypatch):
    rows = [
        ["STT", "Đơn vị", "Số hồ sơ nhận giải quyết", "", "Số hồ sơ đã giải quyết"],
        ["", "", "Tổng số", "Kỳ trước chuyển qua", "Tổng số"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", "Công an xã", "64", "3", "60"],
    ]
    assert _table_unread(monkeypatch, rows) == [3, 60, 64]


def test_a_column_counting_procedures_is_not_dossiers(monkeypatch):
    rows = [["Nội dung", "Số TTHC"], ["Công bố mới", "12"], ["Bãi bỏ", "4"]]
    assert _table_unread(monkeypatch, rows) == []


def test_a_row_whose_column_holds_read_figures_counts_dossiers():
    """ "Chỉ tiêu | Số lượng": no word of the row or the header says dossiers, but the
    column's other rows were read as dossier figures; a system's name in the row is not a
    count of procedures."""
    from tthc.process import read_document
    from tthc.schemas import RawDocument, RawLine

    rows = [
        ["Chỉ tiêu", "Số lượng"],
        ["Tổng số hồ sơ tiếp nhận", "120"],
        ["Trong đó đồng bộ từ Hệ thống thông tin giải quyết TTHC của tỉnh", "77"],
        ["Số hồ sơ đã giải quyết", "110"],
    ]
    lines = [RawLine(text=line) for line in HEAD.strip().split("\n")]
    lines += [RawLine(text=" | ".join(r), cells=r, table=0) for r in rows]
    record = read_document(RawDocument(path="t.docx", format="docx", lines=lines))
    assert [u.value for u in record.unread] == [77]


def test_a_same_period_column_with_no_period_to_place_it_is_shown_unread():
    """No report period to move a year back ("Cùng kỳ năm trước" beside a report whose
    period the text never names): the column's counts are unread, not set aside."""
    from tthc.process import read_document
    from tthc.schemas import RawDocument, RawLine

    rows = [
        ["Nội dung", "Kỳ này (hồ sơ)", "Cùng kỳ năm trước (hồ sơ)"],
        ["Tổng số hồ sơ tiếp nhận", "210", "180"],
    ]
    lines = [RawLine(text="UBND XÃ HÒA LẠC"), RawLine(text="BÁO CÁO")]
    lines += [RawLine(text=" | ".join(r), cells=r, table=0) for r in rows]
    record = read_document(RawDocument(path="t.docx", format="docx", lines=lines))
    assert 180 in [u.value for u in record.unread]
