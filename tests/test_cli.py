"""The command as an officer's shell sees it: stdout, stderr, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES

FIXTURE = FIXTURES / "phuong_an_bien_q3_2025.txt"


def tthc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tthc", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def test_extract_json_prints_only_a_json_array():
    done = tthc("extract", FIXTURE, "--json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert len(records) == 1 and records[0]["unit"]["name"] == "An Biên"
    assert "ồ" in done.stdout  # ensure_ascii off: Vietnamese as written
    assert records[0]["periods"][0]["evidence"]["received_total"]["quote"]


def test_a_bad_file_fails_alone_with_exit_1(tmp_path: Path):
    empty = tmp_path / "trong.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n")  # cut off: no pages, no trailer
    done = tthc("extract", empty, FIXTURE, broken, "--json")
    assert done.returncode == 1
    records = json.loads(done.stdout)
    assert [r["status"] for r in records] == ["failed", "ok", "failed"]
    assert "rỗng" in records[0]["errors"][0]
    assert records[1]["periods"]


def test_folder_argument_reads_every_report(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ghi_chu.md").write_text("không phải báo cáo", encoding="utf-8")
    records = json.loads(tthc("extract", tmp_path, "--json").stdout)
    assert [Path(r["source"]["path"]).name for r in records] == ["a.txt"]


def test_bad_usage_is_exit_2(tmp_path: Path):
    assert tthc("extract").returncode == 2
    assert tthc("khong-co-lenh").returncode == 2
    assert tthc("extract", tmp_path, "--json").returncode == 2  # a folder with no report


def test_check_prints_one_block_per_point_readable_when_piped():
    done = tthc("check", FIXTURES / "thi_tran_ba_hang_nam_2023.txt")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("thi_tran_ba_hang_nam_2023.txt:") and "điểm cần xem lại" in lines[0]
    assert any(line.startswith("  1. ") for line in lines)
    assert any(line.strip().startswith("Tại dòng ") for line in lines)
    assert max(len(line) for line in lines) <= 100  # wrapped, no table borders
    assert not any(ch in done.stdout for ch in "┃│┏━")
