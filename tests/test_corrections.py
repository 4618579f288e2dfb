"""The officer's corrections applied to a report read here: the figure corrected, the checks
run again on it, flags dismissed, an undo, and nothing applied to another content."""

from __future__ import annotations

import datetime as dt

from tests.check.test_arithmetic import report
from tests.conftest import extract_text
from tthc.check import run_checks
from tthc.corrections import apply, flag_key, in_force, version
from tthc.schemas import Correction, Record

SHA = "a" * 64
AT = dt.datetime(2025, 4, 10, 9, 30)


def slipped() -> Record:
    """The consistent report with one slip: 23 carried over where 20 adds up."""
    record = extract_text(report(carried=23))
    record.source.sha256 = SHA
    record.flags = run_checks(record)
    return record


def correction(id: int, kind: str, **more) -> Correction:
    return Correction(id=id, sha256=SHA, kind=kind, who="cán bộ A", at=AT, why="đối chiếu", **more)


def codes(record: Record) -> set[str]:
    return {f.code for f in record.flags if f.severity != "info"}


def test_a_corrected_figure_is_checked_again_and_the_slip_is_gone() -> None:
    record = slipped()
    (slip,) = [f for f in record.flags if f.code == "sum.received"]
    field, value = next(iter(slip.fix.items()))
    fixed = apply(
        record,
        [correction(1, "value", period_key=slip.period_key, field=field, before=23, after=value)],
    )
    assert "sum.received" not in codes(fixed)
    period = next(p for p in fixed.periods if p.scope == "all")
    assert getattr(period.dossiers, field) == value
    assert [c.id for c in fixed.corrections] == [1]
    assert "sum.received" in codes(record)  # the record given is not changed


def test_a_dismissed_flag_is_taken_out_and_an_undo_brings_it_back() -> None:
    record = slipped()
    (slip,) = [f for f in record.flags if f.code == "sum.received"]
    dismiss = correction(1, "dismiss", flags=[flag_key(slip)], flag_text=slip.message)
    assert "sum.received" not in codes(apply(record, [dismiss]))
    undo = correction(2, "undo", undoes=1)
    assert in_force([dismiss, undo]) == []
    assert version([dismiss, undo]) == 2
    again = apply(record, [dismiss, undo])
    assert "sum.received" in codes(again) and again.corrections == []


def test_corrections_of_another_content_or_a_failed_file_change_nothing() -> None:
    record = slipped()
    other = correction(1, "value", field="received_carried_over", after=20)
    other.sha256 = "b" * 64
    assert apply(record, [other]) is record
    failed = Record.failed("hong.pdf", "Tệp PDF bị hỏng.")
    failed.source.sha256 = SHA
    assert apply(failed, [correction(1, "value", field="received_total", after=1)]) is failed


def test_a_flag_keeps_its_key_when_its_wording_changes() -> None:
    """A correction names flags by key: what the flag is about and where it was read, not
    its message (which a corrected figure changes)."""
    (slip,) = [f for f in slipped().flags if f.code == "sum.received"]
    reworded = slip.model_copy(update={"message": "…", "actual": 1})
    assert flag_key(reworded) == flag_key(slip)
    moved = slip.model_copy(update={"period_key": "2025-Q2"})
    assert flag_key(moved) != flag_key(slip)


def test_a_figure_given_to_a_scope_the_report_never_named_makes_that_period() -> None:
    record = slipped()
    fixed = apply(
        record,
        [
            correction(
                1,
                "value",
                period_key="2025-Q1",
                scope="lien_thong",
                field="received_total",
                after=7,
            )
        ],
    )
    made = [p for p in fixed.periods if p.scope == "lien_thong"]
    assert len(made) == 1 and made[0].dossiers.received_total == 7
