"""The main job on the bundled sample district, as the README's first command runs it."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tthc.check.arithmetic import ARITHMETIC_CODES
from tthc.evaluate.records import SAMPLE_TRUTH
from tthc.runjob import OUTPUT_NAMES, default_folder, run


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
    truth = json.loads(SAMPLE_TRUTH.read_text(encoding="utf-8"))
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
    truth = json.loads(SAMPLE_TRUTH.read_text(encoding="utf-8"))
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
    assert (
        f"Tổng số hồ sơ tiếp nhận: {rc.value('received_total'):,} hồ sơ".replace(",", ".") in text
    )
    assert "Tân Giang" in text


def test_every_number_of_the_sample_notice_stands_on_the_workbook(sample_run):
    """Walk the drafted notice: each number it states is held by a named cell of the
    workbook, and figures checked by hand on the sample stand where they should."""
    from tthc.evaluate.outputs import trace_notice

    _, out = sample_run
    traces = trace_notice(out / OUTPUT_NAMES["notice"], out / OUTPUT_NAMES["workbook"])
    assert len(traces) > 150
    assert not [(t.written, t.paragraph[:80]) for t in traces if not t.cells]

    def cells(written: str, within: str) -> list[str]:
        return next(t.cells for t in traces if t.written == written and within in t.paragraph)

    # the 16 reconciled units' received total: the form's own row of them
    assert "'Biểu tổng hợp'!C31" in cells("16.964", "Tổng số hồ sơ tiếp nhận")
    # online intake: 11.508 − 325 over 19.788 − 546, Đông Thịnh's 446 ≠ 325 + 221 left out
    assert any(c.startswith("'Tỷ lệ'!") for c in cells("11.183", "trực tuyến toàn huyện"))
    assert cells("19.242", "trực tuyến toàn huyện")
    notice = "\n".join(t.paragraph for t in traces)
    assert "chưa tính xã Đông Thịnh do số liệu chưa thống nhất" in notice
    # late dossiers by field: the list covers 24 of the 33 late dossiers, and says so
    assert "(trong đó đã nêu rõ lĩnh vực: 24/33 hồ sơ)" in notice
    # Mỹ Điền wrote 80,0% for 79,97%: below the 80% target
    assert "xã Mỹ Điền 80,0% (tính theo số hồ sơ 79,97%)" in notice
    # one statement of "units whose figures agree", the same number wherever it is said
    assert "16 đơn vị có số liệu hồ sơ đầy đủ, thống nhất" in notice
    assert "16/19 đơn vị có số liệu hồ sơ đầy đủ, thống nhất" in notice


def test_the_sample_folder_holds_only_reports(sample_run):
    """The answer file lives outside the sample, so a first run lists nothing as "not a
    report" (the roster is recognised as such)."""
    result, _ = sample_run
    assert not (default_folder() / "truth.json").exists() and SAMPLE_TRUTH.is_file()
    ignored = [Path(o.path).name for o in result.summary.outcomes if o.status == "ignored"]
    assert ignored == ["roster.toml"]


def test_warm_rerun_reuses_the_store(sample_run, tmp_path):
    _, out = sample_run
    again = run(default_folder(), out)
    assert all(p.reused for p in again.processed)
    assert again.summary.figures == sample_run[0].summary.figures


def test_a_new_version_replaces_the_old_one(tmp_path):
    folder = tmp_path / "bao_cao"
    shutil.copytree(default_folder(), folder)
    out = tmp_path / "out"
    first = run(folder, out)
    path = folder / "10_xa_long_hoa.txt"
    text = path.read_text(encoding="utf-8")
    total = next(
        r for r in first.summary.communes if r.commune == "Long Hòa"
    ).dossiers.received_total
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
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tthc",
            "run",
            str(default_folder()),
            "--out",
            str(tmp_path / "out"),
            "--roster",
            str(bad),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert done.returncode == 2 and "cú pháp" in done.stdout + done.stderr


# ---------------------------------------------------------------------------------------
# What each commune sent, through the real command


def _sample_copy(tmp_path: Path, drop: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "bao_cao"
    folder.mkdir()
    for f in default_folder().iterdir():
        if f.is_file() and f.name not in drop:
            shutil.copy(f, folder / f.name)
    return folder


def _tthc(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tthc", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def _senders(out: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(out / OUTPUT_NAMES["workbook"])["Tình hình gửi báo cáo"]
    return {str(ws.cell(r, 2).value): ws.cell(r, 3).value for r in range(5, ws.max_row + 1)}


def test_an_unreadable_pdf_is_not_a_commune_that_did_not_send(tmp_path):
    folder = _sample_copy(tmp_path)
    (folder / "02_thi_tran_cho_vang.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type")
    out = tmp_path / "ket_qua"
    done = _tthc("run", folder, "--out", out)
    assert done.returncode == 1, done.stderr  # a file could not be read: the contract's 1
    assert _senders(out)["Thị trấn Chợ Vàng"] == "Đã gửi, tệp không đọc được"
    text = "\n".join(p.text for p in Document(out / OUTPUT_NAMES["notice"]).paragraphs)
    assert "gửi tệp không đọc được nội dung (thị trấn Chợ Vàng)" in text
    assert "Chưa gửi báo cáo Quý I năm 2025 theo quy định: xã Tân Giang." in text
    assert "Error" not in text and "lỗi kỹ thuật" not in text


def test_without_a_roster_the_outputs_claim_nothing_about_who_did_not_send(tmp_path):
    folder = _sample_copy(tmp_path, drop=("roster.toml",))
    out = tmp_path / "ket_qua"
    done = _tthc("run", folder, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "không xác định được đơn vị chưa gửi báo cáo" in done.stdout
    assert "Chưa gửi báo cáo" not in set(_senders(out).values())
    text = "\n".join(p.text for p in Document(out / OUTPUT_NAMES["notice"]).paragraphs)
    assert "đơn vị đã gửi báo cáo" not in text and "19/19" not in text


def test_two_versions_count_once_and_the_older_ones_flags_nowhere(tmp_path):
    folder = _sample_copy(tmp_path)
    old = folder / "03_xa_ngoc_giang.txt"
    newer = folder / "03b_xa_ngoc_giang_ban_sua.txt"
    text = old.read_text(encoding="utf-8")
    newer.write_text(
        text.replace("Số: 17/BC-UBND", "Số: 21/BC-UBND")
        .replace("ngày 19 tháng 3 năm 2025", "ngày 25 tháng 3 năm 2025")
        .replace("chuyển sang kỳ sau là 38 hồ sơ", "chuyển sang kỳ sau là 37 hồ sơ"),
        encoding="utf-8",
    )
    out = tmp_path / "ket_qua"
    assert _tthc("run", folder, "--out", out).returncode == 0
    with (out / OUTPUT_NAMES["flags"]).open(encoding="utf-8-sig") as fh:
        files = {row["Tệp"] for row in csv.DictReader(fh)}
    assert old.name not in files  # the replaced version's flags are not listed
    with (out / OUTPUT_NAMES["outcomes"]).open(encoding="utf-8-sig") as fh:
        outcomes = {row["Tệp"]: row for row in csv.DictReader(fh)}
    assert outcomes[old.name]["Kết quả"] == "Không sử dụng"
    assert newer.name in outcomes[old.name]["Lý do"]
    assert outcomes[old.name]["Số cảnh báo"] == "0"


def test_the_notice_date_comes_from_the_option(tmp_path):
    out = tmp_path / "ket_qua"
    assert _tthc("run", "--out", out, "--ngay", "10/4/2025").returncode == 0
    text = "\n".join(
        c.text
        for t in Document(out / OUTPUT_NAMES["notice"]).tables
        for row in t.rows
        for c in row.cells
    )
    assert "An Trì, ngày 10 tháng 4 năm 2025" in text
    assert _tthc("run", "--out", out, "--ngay", "31/2/2025").returncode == 2


def test_the_outputs_state_the_samples_truth_in_every_place(sample_run):
    """`tthc eval`'s output score on the sample: every workbook cell, every statement of the
    "Số liệu thông báo" sheet and every number of the notice as the truth says (one figure,
    one value; a fact stated by a quantifier, "đều trong hạn", counts as stated)."""
    from tthc.evaluate.outputs import evaluate_outputs

    _, out = sample_run
    truth = json.loads(SAMPLE_TRUTH.read_text(encoding="utf-8"))
    score = evaluate_outputs(out, truth)
    assert score.checks and not [(c.what, c.expected, c.actual) for c in score.failures]
