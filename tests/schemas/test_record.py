"""The record's shapes: a flag's `fix` is its `repair` (one source), a record kept by an
earlier version still loads, and a failed file's record carries its reason in both forms."""

from __future__ import annotations

import json

from tests.factories import flag, record
from tthc.schemas import Flag, Record, Repair
from tthc.schemas.record import fix_of, with_technical


def test_a_figure_repair_gives_the_fix_a_correction_makes() -> None:
    f = flag("sum.received", ["received_total"], repair=("received_carried_over", 16, 13))
    assert f.fix == {"received_carried_over": 13}
    assert f.suggestion and "16" in f.suggestion and "13" in f.suggestion


def test_a_rate_or_citation_repair_gives_no_fix() -> None:
    rate = flag("ratio", ["online_received"], repair=("rate.online", 65.0, 60.0))
    cited = flag("citation.code", [], repair=("symbol", "61/2018/QĐ-TTg", "61/2018/NĐ-CP"))
    assert rate.fix is None and cited.fix is None
    assert fix_of(None) is None


def test_a_fix_given_apart_cannot_disagree_with_the_repair() -> None:
    repair = Repair(field="resolved_total", stated=100, suggested=110)
    f = Flag(code="sum.resolved", severity="error", message="…", repair=repair, fix={"x": 1})
    assert f.fix == {"resolved_total": 110}
    alone = Flag(code="balance", severity="error", message="…", fix={"pending_total": 10})
    assert alone.repair == Repair(field="pending_total", stated=None, suggested=10)
    assert alone.fix == {"pending_total": 10}
    assert Flag(code="balance", severity="error", message="…").fix is None


def test_the_json_keeps_both_names_in_their_place() -> None:
    """The contract adds and never renames: `fix` and `repair` stay, in their order."""
    data = flag("balance", ["pending_total"], repair=("pending_total", 12, 10)).model_dump(
        mode="json"
    )
    keys = list(data)
    assert keys[-2:] == ["fix", "repair"]
    assert data["fix"] == {"pending_total": 10}
    assert data["repair"]["stated"] == 12


def test_a_flag_kept_by_an_earlier_version_loads_with_its_repair() -> None:
    """Before, a total the parts determine kept only `fix` (no repair): loaded now, the fix
    becomes the repair, and dumping it again gives the same fix."""
    older = {
        "code": "missing",
        "severity": "warning",
        "message": "Báo cáo nêu mục … cộng các số thành phần được 893.",
        "fields": ["resolved_total"],
        "fix": {"resolved_total": 893},
        "repair": None,
    }
    f = Flag.model_validate(older)
    assert (f.repair.field, f.repair.stated, f.repair.suggested) == ("resolved_total", None, 893)
    assert f.fix == {"resolved_total": 893}
    again = Flag.model_validate_json(f.model_dump_json())
    assert again == f


def test_a_record_round_trips_through_its_json() -> None:
    r = record(
        "Long Hòa",
        received_total=120,
        resolved_total=110,
        flags=[flag("sum.received", ["received_total"], repair=("received_carried_over", 16, 13))],
    )
    text = r.model_dump_json()
    assert Record.model_validate_json(text) == r
    assert json.loads(text)["flags"][0]["fix"] == {"received_carried_over": 13}


def test_a_failed_file_keeps_the_reason_and_the_technical_cause_apart() -> None:
    failed = Record.failed("bao_cao/07_xa.DOCX", "Tệp Word bị hỏng.", "BadZipFile")
    assert failed.status == "failed" and failed.source.format == "docx"
    assert failed.failure.reason == "Tệp Word bị hỏng."
    assert failed.failure.technical == "BadZipFile"
    assert failed.errors == ["Tệp Word bị hỏng (lỗi kỹ thuật: BadZipFile)."]
    assert with_technical("Không đọc được", None) == "Không đọc được"
    assert Record.failed("khong_duoi", "…").source.format is None
