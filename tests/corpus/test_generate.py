"""The sample-district generator: its files, its truth, and its planted faults.

The identities are written here again from ../shared/domain.md, independently of the
generator's code, so a generator bug cannot hide behind its own arithmetic. Files are read
back with the same libraries a loader uses (python-docx, pdfplumber), so "the truth says X"
is checked against what the file really shows.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from corpus.generate import build_district, build_report, generate_district, main
from tests.conftest import SEEDS, runs_shared_with_seeds

N_COMMUNES = 20
SEED = 2025
SEEDS_DIR = SEEDS


# ---------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("district")
    truth = generate_district(out, N_COMMUNES, seed=SEED)
    return out, truth


@pytest.fixture(scope="module")
def texts(sample: tuple[Path, dict[str, Any]]) -> dict[str, str]:
    """Every report's text as a reader gets it, NFC-normalized."""
    out, truth = sample
    return {
        r["path"]: unicodedata.normalize("NFC", read_text(out / r["path"]))
        for r in truth["reports"]
    }


def read_text(path: Path) -> str:
    if path.suffix == ".txt":
        return path.read_text(encoding="utf-8")
    if path.suffix == ".docx":
        import docx

        doc = docx.Document(str(path))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# ---------------------------------------------------------------------------------------
# The identities of domain.md, written independently of the generator


def identity_failures(d: dict[str, int | None]) -> set[str]:
    """Names of the identities that fail among those whose figures are all stated."""

    def known(*names: str) -> bool:
        return all(d.get(n) is not None for n in names)

    fails = set()
    if known("received_total", "received_new", "received_carried_over") and (
        d["received_total"] != d["received_new"] + d["received_carried_over"]
    ):
        fails.add("received.total")
    if known("received_new", "received_online", "received_offline") and (
        d["received_new"] != d["received_online"] + d["received_offline"]
    ):
        fails.add("received.new")
    if known(
        "received_total", "received_online", "received_offline", "received_carried_over"
    ) and d["received_total"] != (
        d["received_online"] + d["received_offline"] + d["received_carried_over"]
    ):
        fails.add("received.parts")
    if known("resolved_total", "resolved_early", "resolved_on_time", "resolved_late") and (
        d["resolved_total"] != d["resolved_early"] + d["resolved_on_time"] + d["resolved_late"]
    ):
        fails.add("resolved")
    if known("resolved_total", "resolved_early_or_on_time", "resolved_late") and (
        d["resolved_total"] != d["resolved_early_or_on_time"] + d["resolved_late"]
    ):
        fails.add("resolved")
    if known("pending_total", "pending_in_time", "pending_overdue") and (
        d["pending_total"] != d["pending_in_time"] + d["pending_overdue"]
    ):
        fails.add("pending")
    if known("received_total", "resolved_total", "pending_total"):
        apart = d.get("returned") or 0
        if d["received_total"] != d["resolved_total"] + d["pending_total"] + apart:
            fails.add("balance")
    for whole, part in (
        ("received_total", "received_new"),
        ("received_new", "received_online"),
        ("resolved_total", "resolved_late"),
        ("pending_total", "pending_overdue"),
    ):
        if known(whole, part) and d[part] > d[whole]:
            fails.add("impossible")
    if any(v is not None and v < 0 for v in d.values()):
        fails.add("impossible")
    return fails


# Contract identity names (as the truth file writes them) → the names used above.
IDENTITY_NAMES = {
    "received_total = received_new + received_carried_over": {"received.total"},
    "received_new = received_online + received_offline": {"received.new"},
    "pending_total = pending_in_time + pending_overdue": {"pending"},
    "received_total = resolved_total + pending_total (+ returned)": {"balance"},
}


def half_up(num: int, den: int, decimals: int) -> Decimal:
    exact = Decimal(num) * 100 / Decimal(den)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def scope(report: dict[str, Any], name: str = "all") -> dict[str, Any]:
    return next(s for s in report["scopes"] if s["scope"] == name)


def basis_value(d: dict[str, int | None], metrics: dict[str, int], expr: str) -> int | None:
    """The value of a rate's basis ("resolved_early + resolved_on_time") from stated figures."""
    total = 0
    for name in expr.split(" + "):
        value = d.get(name) if name in d else metrics.get(name)
        if value is None:
            return None
        total += value
    return total


def parse_written(text: str, english: bool) -> Decimal:
    """A number as the report wrote it, by the report's style (2.416 / 2,416; 83,4 / 83.4)."""
    group, point = (",", ".") if english else (".", ",")
    return Decimal(text.replace(group, "").replace(point, "."))


def contains_number(text: str, written: str) -> bool:
    return re.search(rf"(?<![\d.,]){re.escape(written)}(?!\d|[.,]\d)", text) is not None


# ---------------------------------------------------------------------------------------
# Files and their mix


def test_files_and_format_mix(sample: tuple[Path, dict[str, Any]]) -> None:
    out, truth = sample
    reports = truth["reports"]
    assert len(reports) == N_COMMUNES - 1  # one roster commune sends nothing
    for r in reports:
        assert (out / r["path"]).is_file()
        assert r["path"].endswith("." + r["format"])
    kinds = {
        "txt": [r for r in reports if r["format"] == "txt"],
        "docx prose": [r for r in reports if r["format"] == "docx" and not r["has_table"]],
        "docx table": [r for r in reports if r["format"] == "docx" and r["has_table"]],
        "pdf": [r for r in reports if r["format"] == "pdf"],
    }
    for name, group in kinds.items():
        assert abs(len(group) - len(reports) / 4) <= 2, name
    assert {r["has_table"] for r in kinds["pdf"]} == {True, False}
    assert not any(r["has_table"] for r in kinds["txt"])
    assert {"xã", "thị trấn"} <= {r["level"] for r in reports}
    size = sum(p.stat().st_size for p in out.iterdir())
    assert size < 2_000_000


def test_same_seed_same_bytes_other_seed_other_district(
    sample: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    out, truth = sample
    again = generate_district(tmp_path / "again", N_COMMUNES, seed=SEED)
    assert json.dumps(again, sort_keys=True) == json.dumps(truth, sort_keys=True)
    for p in out.iterdir():
        assert (tmp_path / "again" / p.name).read_bytes() == p.read_bytes(), p.name
    other = generate_district(tmp_path / "other", 6, seed=SEED + 1)
    assert other["reports"][0]["scopes"] != truth["reports"][0]["scopes"]


def test_regenerating_replaces_the_previous_output(tmp_path: Path) -> None:
    generate_district(tmp_path, 8, seed=1)
    truth = generate_district(tmp_path, 5, seed=2)
    expected = {r["path"] for r in truth["reports"]} | {"roster.toml", "truth.json"}
    assert {p.name for p in tmp_path.iterdir()} == expected


# ---------------------------------------------------------------------------------------
# Consistency of every commune without a planted fault


def test_consistent_reports_satisfy_every_identity(sample: tuple[Path, dict[str, Any]]) -> None:
    _, truth = sample
    consistent = [r for r in truth["reports"] if not r["faults"]]
    assert len(consistent) == len(truth["reports"]) - 6
    for r in consistent:
        for s in r["scopes"]:
            assert not identity_failures(s["dossiers"]), (r["path"], s["scope"])
            assert not s["conflicts"] and not s["missing"], r["path"]
            check_breakdowns(s)
        check_rates(r)


def check_breakdowns(s: dict[str, Any]) -> None:
    for b in s["breakdowns"]:
        total = s["dossiers"][b["of"]]
        assert all(v >= 0 for v in b["items"].values())
        if b["partial"]:
            assert total is None or sum(b["items"].values()) <= total
        elif total is not None:
            assert sum(b["items"].values()) == total, b


def check_rates(r: dict[str, Any]) -> None:
    d = scope(r)["dossiers"]
    for p in r["percentages"]:
        assert 0 <= p["value"] <= 100
        num = basis_value(d, r["metrics"], p["basis"]["numerator"])
        den = basis_value(d, r["metrics"], p["basis"]["denominator"])
        if p["numerator"] is not None:
            num, den = p["numerator"], p["denominator"]
            # an explicit ratio agrees with the figures it restates
            stated_den = basis_value(d, r["metrics"], p["basis"]["denominator"])
            assert stated_den in (None, den), (r["path"], p)
        if num is not None and den:
            assert num <= den
            assert Decimal(str(p["value"])) == half_up(num, den, p["decimals"]), (r["path"], p)


def test_table_rows_add_up_to_the_total_row(sample: tuple[Path, dict[str, Any]]) -> None:
    _, truth = sample
    tables = [r for r in truth["reports"] if r["has_table"]]
    assert tables
    for r in tables:
        rows = [s for s in r["scopes"] if s["scope"] not in ("all", "lien_thong")]
        assert len(rows) >= 4
        all_ = scope(r)["dossiers"]
        for name, value in all_.items():
            if value is not None and name != "received_new":
                assert sum(s["dossiers"][name] for s in rows) == value, (r["path"], name)


# ---------------------------------------------------------------------------------------
# Planted faults


def faults_by_code(truth: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in truth["faults"]:
        out.setdefault(f["code"], []).append(f)
    return out


def report_of(truth: dict[str, Any], path: str) -> dict[str, Any]:
    return next(r for r in truth["reports"] if r["path"] == path)


def fmt(n: int, report: dict[str, Any]) -> str:
    if report["zero_padded"] and 0 < n < 10:
        return f"0{n}"
    grouped = f"{n:,}"
    return grouped if report["number_style"] == "en" else grouped.replace(",", ".")


def test_each_fault_in_its_own_commune(sample: tuple[Path, dict[str, Any]]) -> None:
    _, truth = sample
    codes = sorted(f["code"] for f in truth["faults"])
    assert codes == sorted(
        ["sum.received", "sum.received", "ratio", "citation.code", "missing", "conflict.value"]
    )
    files = [f["file"] for f in truth["faults"]]
    assert len(set(files)) == len(files)
    for f in truth["faults"]:
        assert f in report_of(truth, f["file"])["faults"]


def test_sum_received_faults_break_exactly_their_identities_and_repair(
    sample: tuple[Path, dict[str, Any]],
) -> None:
    _, truth = sample
    faults = faults_by_code(truth)["sum.received"]
    assert {tuple(f["fields"]) for f in faults} == {("received_new",), ("received_carried_over",)}
    for f in faults:
        r = report_of(truth, f["file"])
        d = scope(r)["dossiers"]
        (name,) = f["fields"]
        assert d[name] == f["stated"] != f["correct"]
        expected = set().union(*(IDENTITY_NAMES[i] for i in f["identities"]))
        assert identity_failures(d) - {"received.parts"} == expected
        repaired = {**d, name: f["correct"]}
        assert not identity_failures(repaired)
        assert f["suggestion"] == f"{fmt(f['stated'], r)} → {fmt(f['correct'], r)}"
        if name == "received_new":  # a typed digit: same length, one digit differs
            a, b = str(f["stated"]), str(f["correct"])
            assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
            assert expected == {"received.total", "received.new"}
        else:
            assert expected == {"received.total"}


def test_ratio_fault_states_a_wrong_rate(sample: tuple[Path, dict[str, Any]]) -> None:
    _, truth = sample
    (f,) = faults_by_code(truth)["ratio"]
    r = report_of(truth, f["file"])
    wrong = [p for p in r["percentages"] if not p["correct"]]
    assert len(wrong) == 1
    p = wrong[0]
    right = half_up(p["numerator"], p["denominator"], p["decimals"])
    assert Decimal(str(p["value"])) != right
    assert Decimal(str(f["correct"])) == right and f["stated"] == p["value"]
    point = "." if r["number_style"] == "en" else ","
    assert f["suggestion"].endswith(f"{right}%".replace(".", point))
    assert not identity_failures(scope(r)["dossiers"])


def test_citation_fault_carries_a_code_that_contradicts_the_kind(
    sample: tuple[Path, dict[str, Any]], texts: dict[str, str]
) -> None:
    _, truth = sample
    (f,) = faults_by_code(truth)["citation.code"]
    r = report_of(truth, f["file"])
    bad = [c for c in r["citations"] if c["kind"] == "Nghị định" and c["code"] != "NĐ-CP"]
    assert [c["symbol"] for c in bad] == [f["stated"]] == ["61/2018/QĐ-TTg"]
    assert bad[0]["issuer"] == "Chính phủ" and bad[0]["date"] == "2018-04-23"
    assert "61/2018/QĐ-TTg" in texts[f["file"]]
    others = [c for x in truth["reports"] if x is not r for c in x["citations"]]
    assert all(c["code"] == "NĐ-CP" for c in others if c["kind"] == "Nghị định")


def test_missing_fault_announces_a_total_without_its_number(
    sample: tuple[Path, dict[str, Any]], texts: dict[str, str]
) -> None:
    _, truth = sample
    (f,) = faults_by_code(truth)["missing"]
    r = report_of(truth, f["file"])
    s = scope(r)
    assert s["dossiers"]["resolved_total"] is None and s["missing"] == ["resolved_total"]
    assert not identity_failures(s["dossiers"])
    assert not identity_failures({**s["dossiers"], "resolved_total": f["correct"]})
    assert re.search(r"Tổng số hồ sơ đã giải quyết:\s*trong đó:", texts[f["file"]])


def test_conflict_fault_states_one_figure_twice(sample: tuple[Path, dict[str, Any]]) -> None:
    _, truth = sample
    (f,) = faults_by_code(truth)["conflict.value"]
    r = report_of(truth, f["file"])
    s = scope(r)
    (c,) = s["conflicts"]
    assert c["field"] == "pending_total" and c["values"] == f["stated"]
    first, second = c["values"]
    assert s["dossiers"]["pending_total"] == first == f["correct"] != second
    assert not identity_failures(s["dossiers"])
    expected = set().union(*(IDENTITY_NAMES[i] for i in f["identities"]))
    assert identity_failures({**s["dossiers"], "pending_total": second}) == expected


# ---------------------------------------------------------------------------------------
# What the files really contain


def test_txt_files_carry_extraction_damage(sample: tuple[Path, dict[str, Any]]) -> None:
    out, truth = sample
    txts = [r for r in truth["reports"] if r["format"] == "txt"]
    assert 1 <= sum(r["nfd"] for r in txts) <= 2
    for r in txts:
        raw = (out / r["path"]).read_text(encoding="utf-8")
        nfc = unicodedata.normalize("NFC", raw)
        assert (raw != nfc) == r["nfd"], r["path"]
        lines = nfc.split("\n")
        body = [ln for ln in lines if not ln.startswith("http")]
        assert max(len(ln) for ln in body) <= 86, r["path"]
        wrapped = sum(
            1 for a, b in itertools.pairwise(lines) if a.endswith(" ") and b[:1].isalnum()
        )
        assert wrapped >= 10, r["path"]
        for page in r["txt_damage"]["page_numbers"]:
            assert str(page) in lines
        for url in r["txt_damage"]["footnote_urls"]:
            assert url in lines
    assert any(r["txt_damage"]["page_numbers"] for r in txts)


NEW_TONE = re.compile(r"(?<![qQ])(?:[òóỏõọ]a|[ùúủũụ]y|[ÒÓỎÕỌ]A|[ÙÚỦŨỤ]Y)(?!\w)", re.I)
OLD_TONE = re.compile(r"(?<![qQ])(?:o[àáảãạ]|u[ỳýỷỹỵ])(?!\w)", re.I)


def test_tone_style_shows_in_the_text(
    sample: tuple[Path, dict[str, Any]], texts: dict[str, str]
) -> None:
    _, truth = sample
    styles = {r["tone_style"] for r in truth["reports"]}
    assert styles == {"old", "new"}
    for r in truth["reports"]:
        text = texts[r["path"]]
        if r["tone_style"] == "old":  # hoà, Thuỷ, Uỷ ban throughout
            assert OLD_TONE.search(text) and not NEW_TONE.search(text), r["path"]
        else:
            assert NEW_TONE.search(text), r["path"]


def test_docx_tables_hold_the_truth_numbers(sample: tuple[Path, dict[str, Any]]) -> None:
    import docx

    out, truth = sample
    tables = [r for r in truth["reports"] if r["format"] == "docx" and r["has_table"]]
    assert tables
    for r in tables:
        doc = docx.Document(str(out / r["path"]))
        form = [t for t in doc.tables if len(t.columns) == 12]
        assert len(form) == 1, r["path"]
        rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in form[0].rows}
        order = [
            "received_total",
            "received_carried_over",
            "received_online",
            "received_offline",
            "resolved_total",
            "resolved_early",
            "resolved_on_time",
            "resolved_late",
            "pending_total",
            "pending_in_time",
            "pending_overdue",
        ]
        for s in r["scopes"]:
            if s["scope"] == "lien_thong":
                continue
            label = "Tổng cộng" if s["scope"] == "all" else s["scope"].capitalize()
            cells = [parse_written(c, r["number_style"] == "en") for c in rows[label]]
            assert cells == [s["dossiers"][f] for f in order], (r["path"], label)


def test_pdfs_have_the_commune_name_in_vietnamese(
    sample: tuple[Path, dict[str, Any]], texts: dict[str, str]
) -> None:
    _, truth = sample
    for r in (r for r in truth["reports"] if r["format"] == "pdf"):
        flat = " ".join(texts[r["path"]].split())
        assert unicodedata.normalize("NFC", r["written_name"]) in flat, r["path"]
        assert f"{r['level'].upper()} {r['written_name'].upper()}" in flat


def test_numbers_appear_as_written(
    sample: tuple[Path, dict[str, Any]], texts: dict[str, str]
) -> None:
    _, truth = sample
    for r in truth["reports"]:
        text, english = texts[r["path"]], r["number_style"] == "en"
        for s in r["scopes"]:
            for name, written in s["written"].items():
                assert contains_number(text, written), (r["path"], name, written)
                assert parse_written(written, english) == s["dossiers"][name]
            for b in s["breakdowns"]:
                for item, written in b["written"].items():
                    words = r"\s+".join(map(re.escape, item.split()))
                    assert re.search(rf"{words}\s+{re.escape(written)}", text), (r["path"], item)
        for p in r["percentages"]:
            assert contains_number(text, p["written"] + "%") or contains_number(
                text, p["written"]
            ), (r["path"], p)
            assert float(parse_written(p["written"], english)) == p["value"]
            if p["numerator"] is not None:
                ratio = f"{p['written_numerator']}/{p['written_denominator']}"
                assert ratio in text, (r["path"], ratio)
        for c in r["citations"]:
            assert c["symbol"] in text, (r["path"], c["symbol"])
        assert r["report"]["number"] in text


def test_english_style_and_leading_zeros_are_used(sample: tuple[Path, dict[str, Any]]) -> None:
    _, truth = sample
    english = [r for r in truth["reports"] if r["number_style"] == "en"]
    assert 1 <= len(english) <= 2
    padded = [
        w
        for r in truth["reports"]
        if r["zero_padded"]
        for s in r["scopes"]
        for w in s["written"].values()
        if re.fullmatch(r"0\d", w)
    ]
    assert padded


# ---------------------------------------------------------------------------------------
# The roster


def test_roster_names_the_parent_and_every_commune(
    sample: tuple[Path, dict[str, Any]], texts: dict[str, str]
) -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    out, truth = sample
    roster = tomllib.loads((out / "roster.toml").read_text(encoding="utf-8"))
    assert roster["parent"] == {
        **truth["parent"],
        "period": truth["period"]["label"],
        "period_key": truth["period"]["key"],
    }
    assert roster["parent"]["level"] == "huyện"
    names = [c["name"] for c in roster["communes"]]
    assert len(names) == len(set(names)) == N_COMMUNES
    reported = {r["commune"] for r in truth["reports"]}
    assert set(names) - reported == set(truth["missing_communes"]) and truth["missing_communes"]
    variants = truth["name_variants"]
    assert variants
    for v in variants:
        assert v["roster"] in names and v["written"] != v["roster"]
        plain = unicodedata.normalize("NFD", v["written"])
        assert plain.replace("\u0300", "").replace("\u0301", "").replace("\u0309", "") == (
            unicodedata.normalize("NFD", v["roster"])
            .replace("\u0300", "")
            .replace("\u0301", "")
            .replace("\u0309", "")
        )  # only the tone mark moved
        assert v["written"] in texts[v["file"]]
    new_style = [v for v in variants if report_of(truth, v["file"])["tone_style"] == "new"]
    assert new_style  # a report otherwise in the usual style spells its own name differently


# ---------------------------------------------------------------------------------------
# Other periods, the CLI, and scale


def test_after_july_2025_communes_report_to_the_province(tmp_path: Path) -> None:
    truth = generate_district(
        tmp_path, 6, seed=11, period="Quý III năm 2025", parent_level="tỉnh", faults=False
    )
    assert truth["period"] == {
        "label": "Quý III năm 2025",
        "key": "2025-Q3",
        "start": "2025-06-15",
        "end": "2025-09-14",
    }
    assert truth["parent"]["level"] == "tỉnh" and not truth["faults"]
    for r in truth["reports"]:
        text = unicodedata.normalize("NFC", read_text(tmp_path / r["path"]))
        assert "huyện" not in text.lower(), r["path"]
        assert f"TỈNH {truth['parent']['name'].upper()}" in " ".join(text.split())
        symbols = {c["symbol"] for c in r["citations"]}
        assert "118/2025/NĐ-CP" in symbols and "61/2018/NĐ-CP" not in symbols
        assert r["level"] in ("xã", "phường")
        for s in r["scopes"]:
            assert not identity_failures(s["dossiers"])
    with pytest.raises(ValueError):
        generate_district(tmp_path / "x", 4, period="Quý III năm 2025", parent_level="huyện")


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path), "--communes", "4", "--seed", "5"]) == 0
    assert (tmp_path / "truth.json").is_file() and (tmp_path / "roster.toml").is_file()
    assert main(["--out", str(tmp_path / "bad"), "--period", "quý năm"]) == 2
    assert "Lỗi" in capsys.readouterr().err


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_other_seeds_hold_the_same_properties(seed: int) -> None:
    """Without writing files: every seed plants all six faults, each breaking only its
    identities, and leaves every other report consistent."""
    district, plans, _ = build_district(12, seed, "Quý I năm 2025", None, True)
    entries = [build_report(district, plan, seed)[1] for plan in plans]
    truth = {"faults": [f for e in entries for f in e["faults"]], "reports": entries}
    assert len(truth["faults"]) == 6
    for r in entries:
        if r["faults"]:
            continue
        for s in r["scopes"]:
            assert not identity_failures(s["dossiers"]), (seed, r["path"], s["scope"])
            check_breakdowns(s)
        check_rates(r)
    for f in faults_by_code(truth)["sum.received"]:
        d = scope(report_of(truth, f["file"]))["dossiers"]
        expected = set().union(*(IDENTITY_NAMES[i] for i in f["identities"]))
        assert identity_failures(d) - {"received.parts"} == expected
        assert not identity_failures({**d, f["fields"][0]: f["correct"]})


def test_two_hundred_communes_plan_quickly() -> None:
    """The benchmark district: 200 distinct communes, faults planted once each."""
    district, plans, silent = build_district(200, 7, "Quý I năm 2025", None, True)
    assert len({u.name for u in district.units}) == 200 and silent not in [p.unit for p in plans]
    assert sorted(p.fault for p in plans if p.fault) == sorted(
        [
            "sum.received:typo",
            "sum.received:carried",
            "missing",
            "conflict.value",
            "ratio",
            "citation.code",
        ]
    )
    for plan in plans[:40]:
        _, entry = build_report(district, plan, 7)
        if not entry["faults"]:
            assert not identity_failures(scope(entry)["dossiers"])


# ---------------------------------------------------------------------------------------
# No sentence of the seed reports in the generated text


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="../shared/seeds is not here")
def test_no_twelve_word_run_shared_with_a_seed(texts: dict[str, str]) -> None:
    for path, text in texts.items():
        shared = runs_shared_with_seeds(text)
        assert not shared, (path, shared[:3])
