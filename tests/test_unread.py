"""Never a silent miss (issue 17 §1): a count of dossiers no reader used is an `unread`
warning with its place; a count read into a figure, a list, or set aside on purpose is not.
Phrase table: (text, the numbers that must be shown as unread). Sentences written here."""

from __future__ import annotations

import pytest

from checks import read_share, run_checks

from .conftest import extract_text

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
    from extractors.extract.assemble import extract_document
    from schemas import RawDocument, RawLine

    rows = [
        ["TT", "Nội dung", "Số hồ sơ"],
        ["1", "Tiếp nhận trong quý", "88"],
        ["2", "Hồ sơ chờ bổ sung của công dân", "6"],
    ]
    lines = [RawLine(text=line) for line in HEAD.strip().split("\n")]
    lines += [RawLine(text=" | ".join(r), cells=r, table=0) for r in rows]
    record = extract_document(RawDocument(path="t.docx", format="docx", lines=lines))
    assert [u.value for u in record.unread] == [6]
    assert record.unread[0].why == "table"
