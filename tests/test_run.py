"""The main job on the bundled sample district, as the README's first command runs it."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from checks.arithmetic import ARITHMETIC_CODES
from tthc.run import OUTPUT_NAMES, default_folder, run


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return run(default_folder(), out), out


def test_every_output_is_written(sample_run):
    result, out = sample_run
    for name in OUTPUT_NAMES.values():
        assert (out / name).stat().st_size > 0, name
    assert result.failed == 0


def test_planted_faults_are_flagged_and_consistent_communes_are_not(sample_run):
    _, out = sample_run
    truth = json.loads((default_folder() / "truth.json").read_text(encoding="utf-8"))
    with (out / OUTPUT_NAMES["flags"]).open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], rows[1:]
    file_col = header.index("Tệp")
    code_col = next(i for i, h in enumerate(header) if h.startswith("Mã"))
    flagged = {(r[file_col], r[code_col]) for r in rows}
    for fault in truth["faults"]:
        assert (Path(fault["file"]).name, fault["code"]) in flagged, fault
    faulty = {Path(f["file"]).name for f in truth["faults"]}
    severity_col = header.index("Mức độ")
    for r in rows:
        if r[file_col] not in faulty and r[code_col] in ARITHMETIC_CODES:
            assert r[severity_col] != "Lỗi", r


def test_missing_commune_and_name_variant(sample_run):
    result, _ = sample_run
    truth = json.loads((default_folder() / "truth.json").read_text(encoding="utf-8"))
    assert result.summary.missing == truth["missing_communes"]
    variant = truth["name_variants"][0]
    outcome = next(o for o in result.summary.outcomes if Path(o.path).name == variant["file"])
    assert outcome.commune == variant["roster"] and outcome.written_name == variant["written"]


def test_workbook_and_notice_show_the_summarys_figures(sample_run):
    result, out = sample_run
    sheet = openpyxl.load_workbook(out / OUTPUT_NAMES["workbook"]).worksheets[0]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    for row in result.summary.communes:
        if row.dossiers.received_total is not None:
            assert row.dossiers.received_total in values
    text = "\n".join(p.text for p in Document(out / OUTPUT_NAMES["notice"]).paragraphs)
    assert "UBND huyện An Trì" in text
    rc = result.summary.reconciled
    assert f"Tổng số hồ sơ tiếp nhận: {rc.value('received_total'):,} hồ sơ".replace(",", ".") in text
    assert "Tân Giang" in text


def test_warm_rerun_reuses_the_store(sample_run, tmp_path):
    _, out = sample_run
    again = run(default_folder(), out)
    assert all(p.reused for p in again.processed)
    assert again.summary.totals == sample_run[0].summary.totals


def test_a_new_version_replaces_the_old_one(tmp_path):
    folder = tmp_path / "bao_cao"
    shutil.copytree(default_folder(), folder)
    out = tmp_path / "out"
    first = run(folder, out)
    path = folder / "10_xa_long_hoa.txt"
    text = path.read_text(encoding="utf-8")
    total = next(r for r in first.summary.communes if r.commune == "Long Hòa").dossiers.received_total
    written = f"{total:,}".replace(",", ".")
    path.write_text(text.replace(written, f"{total + 1:,}".replace(",", "."), 1), encoding="utf-8")
    second = run(folder, out)
    row = next(r for r in second.summary.communes if r.commune == "Long Hòa")
    assert row.dossiers.received_total == total + 1
    assert sum(not p.reused for p in second.processed) == 1


def test_a_folder_without_roster_still_consolidates(tmp_path):
    folder = tmp_path / "bao_cao"
    folder.mkdir()
    for f in default_folder().iterdir():
        if f.suffix in (".pdf", ".docx", ".txt"):
            shutil.copy(f, folder / f.name)
    result = run(folder, tmp_path / "out")
    assert result.summary.parent.committee == "UBND huyện An Trì"
    assert len(result.summary.communes) == 19 and not result.summary.missing
    assert result.notes and "roster.toml" in result.notes[0]


def test_an_unusable_roster_is_bad_usage(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "roster.toml"
    bad.write_text("[parent\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tthc", "run", str(default_folder()), "--out",
                           str(tmp_path / "out"), "--roster", str(bad)],
                          capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert done.returncode == 2 and "cú pháp" in done.stdout + done.stderr
