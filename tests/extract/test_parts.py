"""Parts are not the whole (issue 17 §2): figures of a level, a desk, a competence block,
agencies as the subject, a single field or liên thông keep their own scope, never fill or
contradict the unit's own. Phrase table: (sentence after the unit's own figures, the part's
scope, its figures). Sentences written here."""

from __future__ import annotations

import pytest

from tests.conftest import extract_text
from tthc.check import run_checks

HEAD = (
    "UBND HUYỆN AN LẠC\nBÁO CÁO kết quả giải quyết TTHC năm 2025\n"
    "Năm 2025, toàn huyện tiếp nhận 5.000 hồ sơ, đã giải quyết 4.900 hồ sơ, "
    "đang giải quyết 100 hồ sơ.\n"
)

PARTS = [
    # a level
    (
        "Cấp xã tiếp nhận 3.800 hồ sơ, giải quyết 3.720 hồ sơ.",
        "part:",
        {"received_total": 3800, "resolved_total": 3720},
    ),
    # the desks of the communes, inside a district's text
    (
        "Bộ phận Một cửa các xã, thị trấn đã tiếp nhận 3.100 hồ sơ.",
        "part:",
        {"received_total": 3100},
    ),
    # agencies as the subject
    ("Các sở, ngành đã tiếp nhận 2.000 hồ sơ tại Trung tâm.", "part:", {"received_total": 2000}),
    # a competence block, marked inside the sentence
    (
        "Số hồ sơ thuộc thẩm quyền cấp huyện đã giải quyết 1.150 hồ sơ.",
        "part:",
        {"resolved_total": 1150},
    ),
    # a single field, opened by "Riêng"
    (
        "Riêng lĩnh vực đất đai, tiếp nhận 410 hồ sơ, trễ hạn 12 hồ sơ.",
        "part:đất đai",
        {"received_total": 410, "resolved_late": 12},
    ),
    # liên thông, opened by "Riêng" (§7: must fill the liên thông scope)
    (
        "Riêng hồ sơ liên thông khai sinh, thường trú: tiếp nhận 64 hồ sơ, đã giải quyết 60 hồ sơ, đang giải quyết 4 hồ sơ.",
        "lien_thong",
        {"received_total": 64, "resolved_total": 60, "pending_total": 4},
    ),
    # a line headed by an agency's name
    (
        "2. Phòng Tư pháp: tiếp nhận 260 hồ sơ, đã giải quyết 255 hồ sơ.",
        "part:Phòng Tư pháp",
        {"received_total": 260, "resolved_total": 255},
    ),
    # the departments as a whole, named after "đối với"
    (
        "Trong đó, đối với các phòng chuyên môn thuộc UBND huyện: đã giải quyết 1.300 hồ sơ.",
        "part:",
        {"resolved_total": 1300},
    ),
    # a branch office, the verb after its name
    (
        "Riêng Chi nhánh Văn phòng đăng ký đất đai có 35 hồ sơ trả trễ hạn.",
        "part:Chi nhánh Văn phòng đăng ký đất đai",
        {"resolved_late": 35},
    ),
]


@pytest.mark.parametrize(("sentence", "scope", "expected"), PARTS, ids=[p[0][:40] for p in PARTS])
def test_a_part_keeps_its_own_scope_and_the_whole_stays_whole(sentence, scope, expected):
    record = extract_text(HEAD + sentence)
    whole = next(p for p in record.periods if p.scope == "all")
    assert whole.dossiers.model_dump(exclude_none=True) == {
        "received_total": 5000,
        "resolved_total": 4900,
        "pending_total": 100,
    }
    part = [p for p in record.periods if p.scope != "all"]
    assert len(part) == 1 and part[0].scope.startswith(scope)
    assert part[0].dossiers.model_dump(exclude_none=True) == expected
    assert all(part[0].evidence[k].quote for k in expected)  # every value with its evidence
    flags = run_checks(record)
    assert not [f for f in flags if f.code == "conflict.value"]
    assert not [f for f in flags if f.code == "unread"]


def test_another_units_figures_and_averages_are_not_parts():
    record = extract_text(
        HEAD + "Trung bình mỗi ngày tiếp nhận 20 hồ sơ. UBND huyện Tân Phú tiếp nhận 4.000 hồ sơ."
    )
    assert [p.scope for p in record.periods] == ["all"]
    assert not record.unread


def test_a_centres_text_given_only_for_all_its_agencies_yields_the_centres_figures():
    """ "Các sở, ngành tại Trung tâm …" is every agency at the centre: the centre's whole, and
    only because the words say all of them and nothing else is the whole."""
    text = (
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH HÒA BÌNH\nBÁO CÁO kết quả quý I năm 2026\n"
        "Trong quý, các sở, ngành tại Trung tâm Phục vụ hành chính công tỉnh đã tiếp nhận "
        "12.400 hồ sơ, đã giải quyết 12.100 hồ sơ. Công an tỉnh tiếp nhận 5.000 hồ sơ."
    )
    record = extract_text(text)
    whole = [p for p in record.periods if p.scope == "all"]
    assert [p.dossiers.model_dump(exclude_none=True) for p in whole] == [
        {"received_total": 12400, "resolved_total": 12100}
    ]
    # one agency's figures never stand in for the whole
    record = extract_text(
        text.replace("các sở, ngành tại Trung tâm Phục vụ hành chính công tỉnh", "Sở Tư pháp")
    )
    assert not [p for p in record.periods if p.scope == "all"]
