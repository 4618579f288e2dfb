"""Consolidation on records built by factories: coverage, reconciled sets, rates by
measure, what each commune sent, and who issues the notice when."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import consistent, failed, flag, percentage, record, roster, summary
from tthc.schemas.summary import FileOutcome


def test_district_figures_name_who_states_them():
    s = summary(consistent("A"), consistent("B"), record("C", "xã", received_total=50))
    received = s.figures["received_total"]
    assert received.value == 250 and received.lacking == []
    pending = s.figures["pending_in_time"]
    assert pending.value == 10 and pending.lacking == ["C"]
    assert {x.commune for x in received.sources} == {"A", "B", "C"}


def test_reconciled_set_leaves_out_inconsistent_incomplete_and_doubtful_units():
    bad_sum = record(
        "B",
        received_total=103,
        received_new=98,
        received_carried_over=2,
        resolved_total=98,
        pending_total=5,
    )
    doubted = consistent("C", flags=[flag("conflict.value", ["pending_total"], "warning")])
    partial = record("D", received_total=40)
    s = summary(consistent("A"), bad_sum, doubted, partial)
    rc = s.reconciled
    assert rc.units == ["A"]
    assert {x.commune: x.reason for x in rc.left_out} == {
        "B": "inconsistent",
        "C": "doubtful",
        "D": "incomplete",
    }
    assert rc.value("received_total") == 100
    assert s.figures["received_total"].value == 100 + 103 + 100 + 40  # the workbook's total
    assert {"received", "received_new", "resolved", "pending"} <= set(rc.complete)


def test_reconciled_totals_add_up_and_balance():
    s = summary(
        consistent("A", received=100, pending=5), consistent("B", received=300, pending=9, late=0)
    )
    t = {f: s.reconciled.value(f) for f in s.reconciled.figures}
    assert t["received_total"] == t["received_new"] + t["received_carried_over"]
    assert t["received_new"] == t["received_online"] + t["received_offline"]
    assert t["resolved_total"] == t["resolved_early_or_on_time"] + t["resolved_late"]
    assert t["received_total"] == t["resolved_total"] + t["pending_total"]
    assert s.reconciled.rates["on_time"] == pytest.approx(100 * 385 / 386, abs=0.01)


def test_parts_not_stated_by_every_unit_are_not_complete():
    a = consistent("A")
    b = record("B", received_total=50, resolved_total=45, pending_total=5, resolved_late=0)
    s = summary(a, b)
    assert s.reconciled.units == ["A", "B"]
    assert "received" not in s.reconciled.complete
    assert s.reconciled.figures["received_carried_over"].lacking == ["B"]


def test_approximate_figure_is_never_summed_as_exact():
    approx = consistent("B")
    approx.periods[0].evidence["received_total"] = (
        approx.periods[0].evidence["received_total"].model_copy(update={"approx": True})
    )
    s = summary(consistent("A"), approx)
    assert s.reconciled.units == ["A"]


def test_returned_counted_apart_balances_and_mixed_counting_is_not_summed():
    apart = record("A", received_total=110, resolved_total=95, pending_total=5, returned=10)
    within = record("B", received_total=100, resolved_total=95, pending_total=5, returned=3)
    s = summary(apart)
    assert s.reconciled.returned_apart and s.reconciled.value("returned") == 10
    s = summary(apart, within)
    assert s.reconciled.units == ["A", "B"] and not s.reconciled.returned_apart


def test_a_communes_rate_is_the_one_it_wrote_with_the_reason_when_another_base():
    # 96,4% of all received (1.355/1.406), not of the new ones (1.393)
    cho_vang = consistent(
        "Chợ Vàng",
        "thị trấn",
        received=1406,
        carried=13,
        online=582,
        percentages=[percentage(96.4, "digitized_intake", 1355, 1406), percentage(41.78, "online")],
    )
    s = summary(cho_vang)
    row = s.communes[0]
    assert row.rates["digitized_intake"].value == 96.4
    assert row.rates["digitized_intake"].source == "stated"
    online = row.rates["online"]
    assert online.value == 41.78 and online.computed == pytest.approx(41.78, abs=0.01)
    assert online.note is None and not [f for f in row.flags if f.code.startswith("rate.")]


def test_a_rate_on_another_base_is_explained_and_flagged_info():
    a = consistent(
        "A", received=200, carried=20, online=90, percentages=[percentage(45.0, "online")]
    )  # 90/200, not 90/180
    s = summary(a)
    rate = s.communes[0].rates["online"]
    assert rate.value == 45.0 and rate.computed == 50.0
    assert rate.note and "tổng số hồ sơ tiếp nhận" in rate.note
    codes = {(f.flag.code, f.flag.severity) for f in s.flags}
    assert ("rate.basis", "info") in codes


def test_an_unexplained_rate_is_a_warning():
    a = consistent(
        "A", received=200, carried=20, online=90, percentages=[percentage(61.3, "online")]
    )
    s = summary(a)
    assert ("rate.mismatch", "warning") in {(f.flag.code, f.flag.severity) for f in s.flags}


def test_district_rate_from_counts_names_communes_with_a_rate_but_no_counts():
    a = consistent("A", percentages=[percentage(97.5, "digitized_intake", 195, 200)])
    b = consistent("B", percentages=[percentage(99.0, "digitized_intake", 99, 100)])
    c = consistent("C", percentages=[percentage(98.0, "digitized_intake")])
    s = summary(a, b, c)
    rate = s.rates["digitized_intake"]
    assert (rate.numerator, rate.denominator) == (294, 300) and rate.value == 98.0
    assert rate.without_counts == ["C"]
    assert [r.commune for r in rate.below] == ["A", "C", "B"]  # all below 100, lowest first


def test_unclassified_rates_are_kept():
    a = consistent("A", percentages=[percentage(12.5, None)])
    assert summary(a).communes[0].unclassified_rates == [12.5]


def test_what_each_commune_sent():
    the_roster = roster(
        ("A", "xã"), ("B", "xã"), ("Chợ Vàng", "thị trấn"), ("D", "xã"), ("E", "xã")
    )
    photo = FileOutcome(
        path="04_xa_d_anh_chup.jpg",
        status="ignored",
        kind="not_report",
        reason="Tệp ảnh (.jpg), không phải báo cáo dạng văn bản.",
    )
    s = summary(
        consistent("A"),
        failed("02_thi_tran_cho_vang.pdf"),
        record("B", kind=None, number="40/QĐ-UBND"),
        the_roster=the_roster,
        skipped=[photo],
    )
    status = {x.commune: x.status for x in s.senders}
    assert status == {
        "A": "read",
        "B": "not_report",
        "Chợ Vàng": "unreadable",
        "D": "not_report",
        "E": "missing",
    }
    assert s.missing == ["E"]
    unreadable = next(x for x in s.senders if x.commune == "Chợ Vàng")
    assert unreadable.reasons and "lỗi kỹ thuật" not in unreadable.reasons[0]


def test_without_a_roster_nobody_is_said_not_to_have_sent():
    s = summary(consistent("A"), roster_given=False)
    assert s.missing == [] and all(x.status != "missing" for x in s.senders)
    assert any("roster.toml" in w for w in s.notice.warnings)


def test_notice_date_comes_from_the_options_never_the_clock():
    s = summary(consistent("A"))
    assert s.notice.date is None and s.notice.year == 2025  # the period's year
    s = summary(consistent("A"), notice_date=dt.date(2025, 4, 10))
    assert s.notice.date == dt.date(2025, 4, 10) and not s.notice.warnings


def test_a_district_issuing_after_the_reform_is_warned():
    s = summary(consistent("A"), notice_date=dt.date(2025, 7, 15))
    assert s.notice.warnings and "01/7/2025" in s.notice.warnings[0]
    province = roster(("A", "xã"), level="tỉnh", name="Bình Lĩnh", province="Bình Lĩnh")
    s = summary(consistent("A"), the_roster=province, notice_date=dt.date(2025, 7, 15))
    assert not s.notice.warnings


def test_a_decision_never_replaces_a_report():
    report = consistent("A", date=dt.date(2025, 3, 10), number="10/BC-UBND", path="a_bc.txt")
    decision = record(
        "A", kind=None, date=dt.date(2025, 3, 20), number="40/QĐ-UBND", path="a_qd.txt"
    )
    s = summary(report, decision)
    assert s.communes[0].files == ["a_bc.txt"]
    outcome = {o.path: o for o in s.outcomes}["a_qd.txt"]
    assert outcome.status == "ignored" and outcome.kind == "not_report"


def test_a_report_outranks_its_annex_of_the_same_date():
    report = consistent("A", path="a_bc.txt")
    annex = consistent("A", kind="phụ lục", path="a_pl.txt", received=120)
    assert summary(annex, report).communes[0].files == ["a_bc.txt"]


def test_nothing_to_consolidate_is_not_a_crash():
    s = summary(the_roster=roster(("A", "xã")))
    assert (
        s.missing == ["A"]
        and s.reconciled.units == []
        and s.figures["received_total"].value is None
    )


# ---------------------------------------------------------------- one figure, one value


def test_a_part_of_the_unit_is_never_its_own_figures():
    """A period whose scope is `part:` (a level, a desk, an agency) is not the unit's: no
    total, no field, no late-by-field, no conflict against the whole unit."""
    from tthc.schemas import Dossiers, Period

    r = consistent("A", received=100, late=1)
    r.periods.append(
        Period(
            label="Quý I năm 2025",
            key="2025-Q1",
            scope="part:Trung tâm Hành chính công huyện",
            dossiers=Dossiers(received_total=5000, resolved_total=4900, resolved_late=40),
        )
    )
    s = summary(r)
    row = s.communes[0]
    assert row.dossiers.received_total == 100
    assert row.by_field == {} and row.late_by_field == {} and s.fields == {}
    assert s.figures["received_total"].value == 100
    assert s.reconciled.value("resolved_late") == 1
    assert not [f for f in row.flags if f.code == "conflict.value"]


def test_the_files_table_says_how_many_figures_were_read():
    """n = dossier figures read over every period; m = n + the numbers read as dossier
    counts that no reader used (`unread`)."""
    from tthc.render.workbook import outcome_table

    unread = [
        flag("unread", [], "warning", actual=n, message=f"Số {n} hồ sơ chưa được đọc.")
        for n in (17, 42)
    ]
    r = consistent("A", lien_thong={"received_total": 12}, flags=unread)
    s = summary(r, consistent("B"))
    a, b = (o for o in s.outcomes if o.commune in ("A", "B"))
    assert (a.figures_read, a.figures_seen) == (12, 14)  # 11 whole-unit + 1 liên thông
    assert (b.figures_read, b.figures_seen) == (11, 11)
    table = outcome_table(s)
    assert table[0]["figures"] == "đọc được 12/14 số liệu"
    assert table[1]["figures"] == "đọc được 11/11 số liệu"


def test_one_slip_is_one_flag_and_one_note():
    """A wrong "new dossiers" breaks two identities; the checks raise two flags with one
    repair: the officer sees one row and one sentence pair with the repair said once."""
    r = record(
        "A",
        received_total=554,
        received_new=446,
        received_carried_over=8,
        received_online=325,
        received_offline=221,
        flags=[
            flag(
                "sum.received",
                ["received_total", "received_new", "received_carried_over"],
                expected=454,
                actual=554,
                repair=("received_new", 446, 546),
                message="Tổng 554 nhưng 446 + 8 = 454.",
            ),
            flag(
                "sum.received",
                ["received_new", "received_online", "received_offline"],
                expected=546,
                actual=446,
                repair=("received_new", 446, 546),
                message="Số mới 446 nhưng 325 + 221 = 546.",
            ),
        ],
    )
    s = summary(r)
    assert len(s.flags) == 1
    merged = s.flags[0].flag
    assert merged.message == "Tổng 554 nhưng 446 + 8 = 454. Số mới 446 nhưng 325 + 221 = 546."
    assert set(merged.fields) >= {"received_total", "received_online"}
    (note,) = s.communes[0].notes
    assert note.text.count("Nếu số mới tiếp nhận trong kỳ đúng là 546") == 1
    assert "được 454 hồ sơ" in note.text and "được 546 hồ sơ" in note.text


def test_a_target_is_compared_with_the_unrounded_rate():
    """80,0% written for 799/999 = 79,98%: below an 80% target."""
    r = consistent(
        "A",
        received=1001,
        carried=2,
        online=799,
        percentages=[percentage(80.0, "online", decimals=1)],
    )
    s = summary(r, the_roster=roster(("A", "xã"), targets={"online": 80}))
    online = s.rates["online"]
    assert [x.commune for x in online.below] == ["A"]
    assert online.communes[0].value == 80.0 and round(online.communes[0].exact, 2) == 79.98


def test_a_district_rate_sums_only_counts_that_hold():
    """446 written as new dossiers, 325 + 221 = 546 online and in person: the commune's
    rate stays its own, its counts are not summed, and the statement says why."""
    bad = record(
        "B",
        received_total=554,
        received_new=446,
        received_carried_over=8,
        received_online=325,
        received_offline=221,
        resolved_total=536,
        pending_total=18,
        percentages=[percentage(59.52, "online")],
    )
    s = summary(consistent("A", received=100, carried=2, online=60), bad)
    online = s.rates["online"]
    assert online.units == ["A"] and online.doubtful == ["B"]
    assert (online.numerator, online.denominator) == (60, 98)
    statement = next(x for x in s.statements if x.key == "rate.online")
    assert statement.left_out == {"B": "số liệu chưa thống nhất"}
