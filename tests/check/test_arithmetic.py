"""Arithmetic checks, each both ways, on reports written here; then property tests:
generated consistent reports raise no arithmetic flag, and one perturbed number raises the
right flag with the right suggestion."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import extract_text
from tests.factories import evidence, percentage, record
from tthc.check import run_checks
from tthc.check.arithmetic import ARITHMETIC_CODES, check_arithmetic, rounds_to, vi
from tthc.schemas import Record

ARITHMETIC = {*ARITHMETIC_CODES, "conflict.value", "missing"}


def flags_of(text: str):
    record = extract_text(text)
    return [f for f in run_checks(record) if f.code in ARITHMETIC]


def codes(text: str) -> set[str]:
    return {f.code for f in flags_of(text) if f.severity != "info"}


CONSISTENT = """BÁO CÁO
Kết quả giải quyết thủ tục hành chính quý II năm 2024
- Tổng số hồ sơ tiếp nhận: {total} hồ sơ, trong đó: kỳ trước chuyển sang {carried} hồ sơ; mới tiếp nhận {new} hồ sơ (trực tuyến {online} hồ sơ, trực tiếp {offline} hồ sơ).
- Số hồ sơ đã giải quyết: {resolved} hồ sơ, trong đó: trước hạn {early} hồ sơ, đúng hạn {on_time} hồ sơ, quá hạn {late} hồ sơ.
- Số hồ sơ đang giải quyết: {pending} hồ sơ, trong đó: trong hạn {in_time} hồ sơ, quá hạn {overdue} hồ sơ.
- Tỷ lệ tiếp nhận trực tuyến: {online}/{new} = {rate}%."""


def report(**over) -> str:
    """The consistent report, with some numbers written differently; the stated online
    rate follows the written counts unless a test sets it."""
    values = dict(
        total=120,
        carried=20,
        new=100,
        online=60,
        offline=40,
        resolved=110,
        early=100,
        on_time=8,
        late=2,
        pending=10,
        in_time=9,
        overdue=1,
    )
    values.update(over)
    values.setdefault("rate", f"{100 * values['online'] / values['new']:.1f}".replace(".", ","))
    return CONSISTENT.format(**{k: vi(v) if isinstance(v, int) else v for k, v in values.items()})


def test_a_consistent_report_raises_nothing():
    assert codes(report()) == set()


def test_received_sums():
    assert codes(report(carried=25)) == {"sum.received"}
    flags = flags_of(report(online=65))
    assert {f.code for f in flags} == {"sum.received"}


def test_typed_digit_gets_a_suggestion():
    """new written 160 for 100: both received sums fail, one change repairs both."""
    flags = [f for f in flags_of(report(new=160)) if f.code == "sum.received"]
    assert len(flags) == 2
    assert all(f.suggestion and "160 → 100" in f.suggestion for f in flags)
    assert {f.expected for f in flags} == {180, 100} and all(f.evidence for f in flags)


def test_resolved_sum_and_pending_sum():
    assert codes(report(early=105)) == {"sum.resolved"}
    assert "sum.pending" in codes(report(in_time=8))


def test_balance_and_returned_apart():
    assert "balance" in codes(report(pending=12, in_time=11))
    text = report(pending=7, in_time=6) + "\n- Số hồ sơ trả lại do không đủ điều kiện: 03 hồ sơ."
    assert "balance" not in codes(text)


def test_part_larger_than_whole():
    flags = flags_of(report(resolved=130, early=120, pending=0, in_time=0, overdue=0))
    assert any(f.code == "impossible" and "resolved_total" in f.fields for f in flags)


def test_breakdown_sums():
    base = (
        report()
        + "\n- Hồ sơ đã giải quyết theo lĩnh vực: hộ tịch {a}; chứng thực {b}; đất đai {c}."
    )
    assert "sum.breakdown" not in codes(base.format(a=50, b=50, c=10))
    assert "sum.breakdown" in codes(base.format(a=50, b=50, c=12))
    partial = report() + "\n- Một số lĩnh vực như: hộ tịch 50; chứng thực 20..."
    assert "sum.breakdown" not in codes(partial)


def test_ratio_rounding_rule():
    assert rounds_to(78 / 93 * 100, 83.87, 2) and rounds_to(78 / 93 * 100, 83.9, 1)
    assert rounds_to(1161 / 1639 * 100, 70.84, 2)  # half up
    assert rounds_to(2 / 3 * 100, 66.66, 2)  # truncated
    assert not rounds_to(78 / 93 * 100, 83.4, 1)
    flags = [f for f in flags_of(report(rate="65")) if f.code == "ratio"]
    assert flags and flags[0].suggestion == "65% → 60%" and flags[0].severity == "error"
    assert "ratio" not in codes(report(rate="60"))


def test_context_ratio_mismatch_is_a_warning():
    text = "Trong quý tiếp nhận 200 hồ sơ, trong đó số hóa thành phần hồ sơ 150 hồ sơ, đạt 80%."
    flags = [f for f in flags_of(text) if f.code == "ratio"]
    assert flags and flags[0].severity == "warning"


def test_rate_above_100():
    assert "impossible" in codes("Tỷ lệ hồ sơ trực tuyến đạt 112,5%.")


def test_stated_change():
    ok = "Tỷ lệ số hóa đạt 93,4% tăng 12,6% so với năm 2023 (80,8%)."
    bad = "Tỷ lệ số hóa đạt 93,4% tăng 10,6% so với năm 2023 (80,8%)."
    assert "delta" not in codes(ok) and "delta" in codes(bad)
    down = "Tỷ lệ quá hạn còn 0,05%, giảm 0,29% so với năm trước (0,34%)."
    assert "delta" not in codes(down)


def test_same_figure_twice():
    text = report() + "\nHiện còn 12 hồ sơ đang giải quyết."
    flags = [f for f in flags_of(text) if f.code == "conflict.value"]
    assert (
        flags
        and flags[0].expected == 10
        and flags[0].actual == [12]
        and len(flags[0].evidence) == 2
    )
    assert "conflict.value" not in codes(report() + "\nHiện còn 10 hồ sơ đang giải quyết.")


def test_announced_but_missing_total():
    text = """Báo cáo năm 2023
- Tổng số hồ sơ tiếp nhận: 50 hồ sơ
- Tổng số hồ sơ đã giải quyết: Trong đó:
+ Trước hạn: 40 hồ sơ
+ Quá hạn: 2 hồ sơ
- Số hồ sơ đang giải quyết: 8 hồ sơ"""
    flags = [f for f in flags_of(text) if f.code == "missing"]
    assert (
        len(flags) == 1 and flags[0].severity == "warning" and flags[0].fields == ["resolved_total"]
    )
    assert "Trong đó" in flags[0].evidence[0].quote
    assert "missing" not in {
        f.code
        for f in flags_of(text.replace("giải quyết: Trong đó:", "giải quyết: 42 hồ sơ, trong đó:"))
    }


def test_a_total_the_parts_determine_is_a_repair_that_fills_it_in():
    """'đã giải quyết: trong đó …' without its total: the parts give 110, the repair fills the
    unstated figure (nothing written, so no suggestion in words) and the correction the
    workspace offers (`fix`) is that repair."""
    text = report().replace("giải quyết: 110 hồ sơ, trong đó", "giải quyết: trong đó")
    (flag,) = [f for f in flags_of(text) if f.code == "missing"]
    assert (flag.repair.field, flag.repair.stated, flag.repair.suggested) == (
        "resolved_total",
        None,
        110,
    )
    assert flag.fix == {"resolved_total": 110}
    assert flag.suggestion is None and "110" in flag.message


def test_a_sum_slip_fix_is_its_repair():
    (flag,) = [f for f in flags_of(report(carried=23)) if f.code == "sum.received"]
    assert flag.fix == {flag.repair.field: flag.repair.suggested}
    assert flag.suggestion and vi(flag.repair.suggested) in flag.suggestion


def test_messages_are_vietnamese_with_vietnamese_numbers():
    flags = flags_of(
        report(new=1600, total=1620, online=1500, offline=40, resolved=1610, early=1600, pending=10)
    )
    (flag,) = [f for f in flags if f.code == "sum.received"]
    assert "Số mới tiếp nhận trong kỳ ghi 1.600" in flag.message
    assert vi(30566) == "30.566"


# ---------------------------------------------------------------- property tests
@st.composite
def consistent(draw):
    online = draw(st.integers(0, 5000))
    offline = draw(st.integers(0, 5000))
    new = online + offline
    carried = draw(st.integers(0, 300))
    total = new + carried
    resolved = draw(st.integers(0, total))
    early = draw(st.integers(0, resolved))
    on_time = draw(st.integers(0, resolved - early))
    late = resolved - early - on_time
    pending = total - resolved
    in_time = draw(st.integers(0, max(0, pending)))
    return dict(
        total=total,
        carried=carried,
        new=new,
        online=online,
        offline=offline,
        resolved=resolved,
        early=early,
        on_time=on_time,
        late=late,
        pending=pending,
        in_time=in_time,
        overdue=pending - in_time,
    )


def _vi_count(n: int) -> str:
    return vi(n)


def _render(v: dict) -> str:
    rate = f"{round(100 * v['online'] / v['new'], 1):.1f}".replace(".", ",") if v["new"] else "0"
    shown = {k: _vi_count(x) for k, x in v.items()}
    return CONSISTENT.format(**shown, rate=rate)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(consistent())
def test_consistent_reports_raise_no_arithmetic_flag(values):
    assert codes(_render(values)) == set()


def _typo(value: int, digit: int) -> int:
    """Change one digit of a number (the typed-digit fault)."""
    text = str(value)
    pos = digit % len(text)
    new = (int(text[pos]) + 1 + digit % 8) % 10
    if pos == 0 and new == 0 and len(text) > 1:
        new = 1 if text[0] != "1" else 2
    changed = text[:pos] + str(new) + text[pos + 1 :]
    return int(changed)


@SETTINGS
@given(consistent(), st.sampled_from(["new", "resolved", "pending"]), st.integers(0, 50))
def test_one_typed_digit_is_flagged_and_repaired(values, key, digit):
    wrong = _typo(values[key], digit)
    if wrong == values[key]:
        return
    text = _render({**values, key: wrong}).replace(
        f"= {_render(values).rsplit('= ', 1)[1]}", f"= {_render(values).rsplit('= ', 1)[1]}"
    )
    flags = flags_of(text)
    code = {"new": "sum.received", "resolved": "sum.resolved", "pending": "sum.pending"}[key]
    hits = [f for f in flags if f.code == code]
    assert hits, (key, values[key], wrong, [f.message for f in flags])
    repair = f"{vi(wrong)} → {vi(values[key])}"
    assert all(repair in (f.suggestion or "") for f in hits), [f.suggestion for f in hits]


# ---------------------------------------------------------------- precision first
def _record(marks: dict[str, dict] | None = None, **dossiers) -> Record:
    """A record of one period whose figures carry the evidence marks given per field."""
    return record("Tân An", marks=marks, **dossiers)


UNBALANCED = dict(received_total=120, resolved_total=110, pending_total=15)  # 125 > 120


def test_exact_figures_raise_an_error():
    flags = check_arithmetic(_record(**UNBALANCED))
    assert [(f.code, f.severity) for f in flags] == [("balance", "error")]


def test_an_approximate_figure_never_raises():
    flags = check_arithmetic(_record({"received_total": {"approx": True}}, **UNBALANCED))
    assert flags == []
    parts = dict(received_total=100, received_new=90, received_carried_over=20)
    flags = check_arithmetic(_record({"received_new": {"approx": True}}, **parts))
    assert [f for f in flags if f.code in ARITHMETIC_CODES] == []


def test_a_doubtful_figure_is_a_warning_that_says_why():
    why = "Số đọc từ trang quét, chữ số cuối bị nhòe."
    (flag,) = check_arithmetic(
        _record({"pending_total": {"doubt": why, "ocr": True}}, **UNBALANCED)
    )
    assert (flag.code, flag.severity) == ("balance", "warning")
    assert why in flag.message


def test_a_rate_of_another_unit_is_a_warning_that_names_it():
    rate = percentage(
        90.0,
        None,
        80,
        100,
        scope="Cấp huyện",
        other_unit="Cấp huyện",
        ratio_source=None,
        evidence=evidence("80/100 = 90%"),
    )
    report = record("Tân An", percentages=[rate])
    (flag,) = check_arithmetic(report)
    assert (flag.code, flag.severity) == ("ratio", "warning")
    assert "Cấp huyện" in flag.message
    rate.evidence = evidence("80/100 = 90%", approx=True)
    assert check_arithmetic(report) == []


def test_received_short_of_resolved_and_pending_without_returned_is_a_warning():
    record = _record(received_total=130, resolved_total=110, pending_total=15)
    (flag,) = check_arithmetic(record)
    assert (flag.code, flag.severity) == ("balance", "warning")
    assert "trả lại" in flag.message
    stated = _record(received_total=130, resolved_total=110, pending_total=15, returned=2)
    assert [f.severity for f in check_arithmetic(stated)] == ["error"]
