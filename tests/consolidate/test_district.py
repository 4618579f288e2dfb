"""Roster matching, the store, and consolidation into a district summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories
from tests.conftest import ROOT
from tthc.consolidate.district import Processed, consolidate, previous_key
from tthc.consolidate.roster import Roster, RosterError, canonical, load_roster
from tthc.consolidate.store import Store
from tthc.consolidate.totals import complete_figures
from tthc.process import process_file
from tthc.schemas import Dossiers
from tthc.schemas.summary import RosterEntry

SAMPLE_ROSTER = ROOT / "tthc" / "sample" / "roster.toml"


def roster(period_key: str | None = "2024-Q2") -> Roster:
    return factories.roster(
        ("Tân Hòa", "xã"),
        ("Long Thủy", "xã"),
        ("Hòa Bình", "thị trấn"),
        ("Phú Lâm", "xã"),
        name="Hòa Bình",
        province="Thái An",
        period_key=period_key,
    )


REPORT = """UBND XÃ {name}
Số: {number}/BC-UBND
{place}, ngày {day} tháng 6 năm 2024
BÁO CÁO
Kết quả kiểm soát thủ tục hành chính quý II năm 2024
- Tổng số hồ sơ tiếp nhận: {total} hồ sơ, trong đó trực tuyến {online} hồ sơ, trực tiếp {offline} hồ sơ.
- Số hồ sơ đã giải quyết: {resolved} hồ sơ, trong đó trước hạn, đúng hạn {ontime} hồ sơ, quá hạn {late} hồ sơ.
- Số hồ sơ đang giải quyết: {pending} hồ sơ.
"""


def write_report(
    folder: Path,
    file: str,
    name: str,
    *,
    online: int,
    offline: int,
    late: int = 0,
    pending: int = 0,
    day: int = 15,
    number: int = 20,
    period: str = "quý II năm 2024",
) -> Path:
    total = online + offline
    resolved = total - pending
    text = REPORT.format(
        name=name.upper(),
        number=number,
        place=name,
        day=day,
        total=total,
        online=online,
        offline=offline,
        resolved=resolved,
        ontime=resolved - late,
        late=late,
        pending=pending,
    ).replace("quý II năm 2024", period)
    path = folder / file
    path.write_text(text, encoding="utf-8")
    return path


def processed(*paths: Path) -> list[Processed]:
    return [Processed(p, process_file(p)) for p in paths]


# ---------------------------------------------------------------- roster
def test_sample_roster_loads():
    r = load_roster(SAMPLE_ROSTER)
    assert r.parent.level == "huyện" and r.parent.committee.startswith("UBND huyện")
    assert len(r.communes) == 20 and r.targets["online"] > 0


@pytest.mark.parametrize(
    ("written", "level", "expected"),
    [
        ("Tân Hòa", "xã", "Tân Hòa"),
        ("Tân  Hoà", "xã", "Tân Hòa"),  # spacing and the other tone-mark style
        ("TT. Hòa Bình", None, "Hòa Bình"),
        ("Long Thuỷ", "xã", "Long Thủy"),
        ("Long Thuy", "xã", "Long Thủy"),  # diacritics lost: fuzzy
        ("Phú Lâm", "phường", "Phú Lâm"),  # level unknown to the roster's entry: name decides
        ("Hoàn toàn khác", "xã", None),
    ],
)
def test_names_match_the_roster(written, level, expected):
    entry, score = roster().match(written, level)
    assert (entry.name if entry else None) == expected
    assert (score >= 88) == (expected is not None)


def test_level_keeps_namesakes_apart():
    r = roster()
    r.communes.append(RosterEntry(name="Tân Hòa", level="thị trấn"))
    assert r.match("Tân Hòa", "thị trấn")[0].level == "thị trấn"
    assert canonical("UBND xã Tân  Hoà") == canonical("Tân Hòa")


def test_a_bad_roster_gets_a_vietnamese_reason(tmp_path):
    bad = tmp_path / "roster.toml"
    bad.write_text("[[communes]]\nname = 'X'\n", encoding="utf-8")
    with pytest.raises(RosterError, match="thiếu mục"):
        load_roster(bad)
    bad.write_text("[parent]\nname = 'X'\nlevel = 'huyen'\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r'level = "huyen".*"huyện"'):
        load_roster(bad)
    bad.write_text("[parent\n", encoding="utf-8")
    with pytest.raises(RosterError, match="sai cú pháp ở dòng 1"):
        load_roster(bad)
    bad.write_text(
        "[parent]\nname = 'X'\nlevel = 'huyện'\n[targets]\nonline = 'cao'\n", encoding="utf-8"
    )
    with pytest.raises(RosterError, match="chỉ tiêu online"):
        load_roster(bad)
    bad.write_text(
        "[parent]\nname = 'X'\nlevel = 'huyện'\n[[communes]]\nten = 'A'\n", encoding="utf-8"
    )
    with pytest.raises(RosterError, match="thứ 1"):
        load_roster(bad)


# ---------------------------------------------------------------- store
def test_store_reuses_and_replaces(tmp_path):
    first = write_report(tmp_path, "a.txt", "Tân Hòa", online=60, offline=40)
    record = process_file(first)
    with Store(tmp_path / "s.sqlite3") as store:
        store.put(record)
        assert store.cached(record.source.sha256).periods[0].dossiers.received_total == 100
        assert store.set_current("Tân Hòa", "2024-Q2", "aaa", "a.txt") is False
        assert store.set_current("Tân Hòa", "2024-Q2", "bbb", "b.txt") is True
        assert store.current("Tân Hòa", "2024-Q2") == ("bbb", "b.txt")
    with Store(tmp_path / "s.sqlite3") as again:  # written for good: a later run sees it
        assert again.cached(record.source.sha256) is not None


def test_failed_records_are_not_kept(tmp_path):
    empty = tmp_path / "x.txt"
    empty.write_bytes(b"")
    with Store(tmp_path / "s.sqlite3") as store:
        store.put(process_file(empty))
        assert store.db.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 0


# ---------------------------------------------------------------- consolidation
def test_summary_sums_counts_with_coverage_and_rates_from_counts(tmp_path):
    files = processed(
        write_report(tmp_path, "1.txt", "Tân Hòa", online=90, offline=10, late=2),
        write_report(tmp_path, "2.txt", "Long Thủy", online=100, offline=900, pending=5),
        write_report(tmp_path, "3.txt", "Hòa Bình", online=5, offline=5),
    )
    s = consolidate(files, roster())
    assert s.period_key == "2024-Q2" and s.missing == ["Phú Lâm"]
    received = s.figures["received_total"]
    assert received.value == 1110 and sorted(received.units) == ["Hòa Bình", "Long Thủy", "Tân Hòa"]
    assert s.figures["returned"].value is None  # nobody states it: not zero
    carried = s.figures["received_carried_over"]  # total = online + offline: none carried over
    assert carried.value == 0 and all(x.derived for x in carried.sources)
    # from summed counts: 195/1110, not the mean of 90%, 10% and 50%
    assert s.rates["online"].value == pytest.approx(17.57, abs=0.01)
    assert [i.commune for i in s.ranks["online_lowest"]][:2] == ["Long Thủy", "Hòa Bình"]
    assert [i.commune for i in s.ranks["late_most"]] == ["Tân Hòa"]
    assert {r.commune for r in s.rates["online"].below} == {"Long Thủy", "Hòa Bình"}
    row = {r.commune: r for r in s.communes}["Tân Hòa"]
    assert "received_new" in row.derived and row.dossiers.received_new == 100


def test_unknown_unit_newer_version_and_other_period(tmp_path):
    old = write_report(
        tmp_path, "tan_hoa_v1.txt", "Tân Hòa", online=10, offline=10, day=10, number=20
    )
    new = write_report(
        tmp_path, "tan_hoa_v2.txt", "Tân Hòa", online=20, offline=10, day=20, number=21
    )
    stranger = write_report(tmp_path, "khac.txt", "Đông Sơn", online=1, offline=1)
    earlier = write_report(
        tmp_path, "phu_lam_q1.txt", "Phú Lâm", online=3, offline=3, period="quý I năm 2024"
    )
    s = consolidate(processed(old, new, stranger, earlier), roster())
    outcome = {Path(o.path).name: o for o in s.outcomes}
    assert (
        outcome["tan_hoa_v1.txt"].status == "ignored"
        and "mới hơn" in outcome["tan_hoa_v1.txt"].reason
    )
    assert outcome["tan_hoa_v1.txt"].flags == 0  # a set-aside version's flags count nowhere
    assert outcome["tan_hoa_v2.txt"].status == "ok"
    assert outcome["khac.txt"].status == "ignored" and "Đông Sơn" in outcome["khac.txt"].reason
    assert (
        outcome["phu_lam_q1.txt"].status == "ignored"
        and "Quý II năm 2024" in outcome["phu_lam_q1.txt"].reason
    )
    assert {r.commune: r.dossiers.received_total for r in s.communes}["Tân Hòa"] == 30
    assert {x.commune: x.status for x in s.senders}["Phú Lâm"] == "not_report"


def test_previous_period_from_the_store(tmp_path):
    q1 = write_report(tmp_path, "q1.txt", "Tân Hòa", online=50, offline=50, period="quý I năm 2024")
    q2 = write_report(tmp_path, "q2.txt", "Tân Hòa", online=80, offline=20)
    with Store(tmp_path / "s.sqlite3") as store:
        for p in processed(q1):
            store.put(p.record)
        consolidate(processed(q1), roster("2024-Q1"), store)
        q2_files = processed(q2)
        store.put(q2_files[0].record)
        s = consolidate(q2_files, roster("2024-Q2"), store)
    row = {r.commune: r for r in s.communes}["Tân Hòa"]
    assert s.previous_period_key == "2024-Q1"
    assert row.previous.received_online == 50 and row.change["received_online"] == 30
    assert row.change["rate_online"] == pytest.approx(30.0)
    line = {x.key: x for x in s.comparison.lines}["received_total"]
    assert (line.previous, line.current, s.comparison.covered) == (100, 100, 1)


def test_previous_key_rules():
    assert previous_key("2025-Q1", {"2024-Q4", "2024-Q3", "2024-M6"}) == "2024-Q4"
    assert previous_key("2024-M6", {"2023-M6", "2024-Q1"}) == "2023-M6"
    assert previous_key("2024", {"2023", "2024-Q1"}) == "2023"
    assert previous_key("2024-Q2", {"2024-Q3"}) is None


def test_derived_figures_are_exact_and_marked():
    filled, derived = complete_figures(
        Dossiers(received_online=3, received_offline=4, received_carried_over=1)
    )
    assert (filled.received_new, filled.received_total) == (7, 8)
    assert derived == ["received_new", "received_total"]
    # a missing part from its whole and the other part
    filled, derived = complete_figures(Dossiers(received_total=1165, received_new=1148))
    assert filled.received_carried_over == 17 and derived == ["received_carried_over"]
    # two unknowns, or a part that would be negative: nothing is filled
    filled, derived = complete_figures(Dossiers(pending_total=37))
    assert filled.pending_in_time is None and derived == []
    filled, derived = complete_figures(Dossiers(received_total=10, received_new=12))
    assert filled.received_carried_over is None and derived == []


def test_a_figure_is_never_filled_against_the_units_own_parts():
    """Resolved total from "early or on time" + late is 12.096, from early + on time + late
    12.168: the unit's parts disagree, so the total stays unstated (the check flags them)."""
    stated = Dossiers(
        resolved_early_or_on_time=12000,
        resolved_early=11000,
        resolved_on_time=1072,
        resolved_late=96,
    )
    filled, derived = complete_figures(stated)
    assert filled.resolved_total is None and "resolved_total" not in derived
    # parts that agree still give the whole
    agreeing = stated.model_copy(update={"resolved_on_time": 1000})
    filled, derived = complete_figures(agreeing)
    assert filled.resolved_total == 12096 and derived == ["resolved_total"]


def test_same_date_and_number_with_other_figures_is_a_conflict_for_the_officer(tmp_path):
    a = write_report(tmp_path, "a.txt", "Tân Hòa", online=1, offline=1)
    b = write_report(tmp_path, "b.txt", "Tân Hòa", online=2, offline=2)
    s = consolidate(processed(a, b), roster())
    outcome = {Path(o.path).name: o for o in s.outcomes}
    assert {outcome["a.txt"].kind, outcome["b.txt"].kind} == {None, "version_conflict"}
    row = {r.commune: r for r in s.communes}["Tân Hòa"]
    conflict = [f for f in row.flags if f.code == "conflict.value"]
    assert conflict and "a.txt" in conflict[0].message and "b.txt" in conflict[0].message
    assert "Tân Hòa" not in s.reconciled.units  # doubtful: not summed in the notice
    copy = write_report(tmp_path, "c.txt", "Tân Hòa", online=2, offline=2)
    s = consolidate(processed(b, copy), roster())
    assert "duplicate" in {o.kind for o in s.outcomes}
    assert not [f for r in s.communes for f in r.flags if f.code == "conflict.value"]


AUTHORITY_LINE = (
    "- Trong đó, số hồ sơ tiếp nhận thuộc thẩm quyền giải quyết của UBND xã: {total} hồ sơ; "
    "đã giải quyết {resolved} hồ sơ; đang giải quyết {pending} hồ sơ.\n"
)


def test_dossiers_at_the_centre_and_under_the_communes_authority_stay_apart(tmp_path):
    """Since 1/7/2025 a commune's centre receives dossiers regardless of boundary: a report
    giving both those received at its centre and those under its own authority keeps them
    apart, the summary sums the first and says so; a report giving only the second is not
    summed with the others' first."""
    both = write_report(tmp_path, "1.txt", "Tân Hòa", online=90, offline=10)
    with both.open("a", encoding="utf-8") as f:
        f.write(AUTHORITY_LINE.format(total=70, resolved=70, pending=0))
    plain = write_report(tmp_path, "2.txt", "Long Thủy", online=100, offline=50)
    record = process_file(both)
    scopes = {p.scope: p.dossiers.received_total for p in record.periods}
    assert scopes == {"all": 100, "authority": 70}
    s = consolidate(processed(both, plain), roster())
    assert s.figures["received_total"].value == 250  # the centres' 100 + 150, never + 70
    assert s.scope_note and "xã Tân Hòa" in s.scope_note and "Long Thủy" not in s.scope_note
    assert "không cộng" in s.scope_note
    # without such a report, nothing to say
    assert consolidate(processed(plain), roster()).scope_note is None


def test_a_report_with_only_the_communes_own_dossiers_is_named_not_summed(tmp_path):
    plain = write_report(tmp_path, "2.txt", "Long Thủy", online=100, offline=50)
    only = tmp_path / "3.txt"
    head = REPORT.split("- Tổng số")[0].format(name="HÒA BÌNH", number=21, place="Hòa Bình", day=16)
    only.write_text(head + AUTHORITY_LINE.format(total=40, resolved=38, pending=2), "utf-8")
    s = consolidate(processed(plain, only), roster())
    assert s.figures["received_total"].value == 150
    assert s.scope_note and "chỉ nêu" in s.scope_note and "Hòa Bình" in s.scope_note
