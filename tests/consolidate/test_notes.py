"""tthc.consolidate.notes: a commune's flags as the notice says them, from the flags' data.

The repair sentence ("Nếu … đúng là 546 (không phải 446) …") and the registry's document
("Văn bản đúng là …") come from the flag's `repair`, never from its suggestion's words: an
office that rewrites how suggestions are worded changes nothing in the notice.
"""

from __future__ import annotations

import datetime as dt

from tests.factories import flag, record, summary
from tthc.rules.flags import flag_words, registry_hint
from tthc.schemas import RegistryDocument, Repair


def _note(*flags):
    r = record(
        "A",
        received_total=554,
        received_new=446,
        received_carried_over=8,
        received_online=325,
        received_offline=221,
        flags=list(flags),
    )
    (note,) = summary(r).communes[0].notes
    return note.text


def test_the_repair_sentence_reads_the_repair_not_the_suggestion_words():
    f = flag(
        "sum.received",
        ["received_total", "received_new", "received_carried_over"],
        expected=454,
        actual=554,
        repair=("received_new", 446, 546),
        message="Tổng 554 nhưng 446 + 8 = 454.",
    )
    f.suggestion = "Sửa số mới thành 546"  # worded otherwise: the notice does not read it
    text = _note(f)
    assert "Nếu số mới tiếp nhận trong kỳ đúng là 546 (không phải 446)" in text


def test_a_flag_without_a_repair_says_what_to_check():
    f = flag(
        "sum.received",
        ["received_total", "received_new", "received_carried_over"],
        expected=454,
        actual=554,
        suggestion="Số mới tiếp nhận trong kỳ: 446 → 546",  # words alone repair nothing
        message="Tổng 554 nhưng 446 + 8 = 454.",
    )
    text = _note(f)
    assert "Nếu" not in text
    assert flag_words().notice["check"] in text


def test_the_registry_document_is_said_in_the_notice_words():
    doc = RegistryDocument(
        kind="Nghị định", symbol="61/2018/NĐ-CP", date=dt.date(2018, 4, 23), issuer="Chính phủ"
    )
    lead = flag_words().citations.messages["registry_lead"]
    message = "Ký hiệu QĐ-TTg không phải của Nghị định." + registry_hint(
        doc.kind, doc.symbol, doc.date, doc.issuer, lead
    )
    f = flag(
        "citation.code",
        ["code"],
        message=message,
        repair=Repair(field="symbol", stated="61/2018/QĐ-TTg", suggested=doc.symbol, document=doc),
        suggestion="61/2018/QĐ-TTg → 61/2018/NĐ-CP",
    )
    text = _note(f)
    assert "Văn bản đúng là Nghị định số 61/2018/NĐ-CP ngày 23/04/2018 của Chính phủ." in text
    assert lead not in text
