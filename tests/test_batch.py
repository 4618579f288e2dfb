"""process_many: every file in its own time and memory budget; the batch always finishes.

Misbehaving files are simulated by replacing `tthc.pipeline.process_file` before the worker
pool starts (the workers are forked, so they see the replacement): by its name a file
sleeps past the limit (with a helper program running), allocates past the memory limit,
kills its worker, or raises. Real files go through the real pipeline.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

import tthc.pipeline
from tests.fixtures.reports import DOSSIERS, write_report
from tthc.batch import process_many

_REAL = tthc.pipeline.process_file


def misbehave(path: str | Path):
    """Stand-in for process_file: misbehaves as the file name says."""
    name = Path(path).name
    if name.startswith("hang"):
        helper = subprocess.Popen(["sleep", "300"])
        Path(path).with_suffix(".pid").write_text(str(helper.pid))
        time.sleep(300)
    if name.startswith("memory"):
        hog = bytearray(3 * 2**30)
        return hog[0]
    if name.startswith("segfault"):
        faulthandler.disable()  # pytest's handler would print the worker's stack
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("raise"):
        raise ValueError("lỗi thử")
    if name.startswith("deep"):
        raise RecursionError
    return _REAL(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {
        "good.txt": write_report(tmp_path / "good.txt"),
        "good.docx": write_report(tmp_path / "good.docx"),
    }
    for name in ("hang.txt", "memory.txt", "segfault.txt", "raise.txt", "deep.txt"):
        out[name] = tmp_path / name
        out[name].write_text("x", encoding="utf-8")
    out["missing.pdf"] = tmp_path / "missing.pdf"
    return out


def test_good_files_in_input_order(files: dict[str, Path]) -> None:
    paths = [files["good.docx"], files["missing.pdf"], files["good.txt"]]
    seen: list[int] = []
    records = process_many(paths, workers=2, on_result=lambda i, r: seen.append(i))
    assert [r.source.path for r in records] == [str(p) for p in paths]
    assert sorted(seen) == [0, 1, 2]
    assert [r.status for r in records] == ["ok", "failed", "ok"]
    assert records[0].periods[0].dossiers.model_dump(exclude_none=True) == DOSSIERS
    assert "Không tìm thấy tệp" in records[1].errors[0]


def test_each_misbehaving_file_costs_only_itself(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tthc.pipeline, "process_file", misbehave)
    order = [
        "hang.txt",
        "good.txt",
        "memory.txt",
        "segfault.txt",
        "raise.txt",
        "deep.txt",
        "good.docx",
    ]
    started = time.monotonic()
    records = process_many([files[n] for n in order], workers=2, timeout_s=4, memory_mb=1024)
    assert time.monotonic() - started < 120  # nothing waited for the 300 s sleep
    by_name = dict(zip(order, records, strict=True))
    assert by_name["good.txt"].status == by_name["good.docx"].status == "ok"
    for name in ("hang.txt", "memory.txt", "segfault.txt", "raise.txt", "deep.txt"):
        assert by_name[name].status == "failed", name
    assert (
        by_name["hang.txt"]
        .errors[0]
        .startswith("Tệp xử lý quá thời gian cho phép (4 giây), đã bỏ qua")
    )
    assert by_name["memory.txt"].errors[0].startswith("Tệp cần quá nhiều bộ nhớ (> 1024 MB)")
    assert "dừng đột ngột" in by_name["segfault.txt"].errors[0]
    assert "SIGSEGV" in by_name["segfault.txt"].errors[0]
    assert (
        by_name["raise.txt"].errors[0].startswith("Lỗi không mong đợi khi xử lý tệp (ValueError)")
    )
    assert "lồng nhau quá sâu" in by_name["deep.txt"].errors[0]


def test_a_timed_out_file_takes_its_helper_programs_along(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tthc.pipeline, "process_file", misbehave)
    process_many([files["hang.txt"]], workers=1, timeout_s=3)
    pid = int(files["hang.txt"].with_suffix(".pid").read_text())
    for _ in range(50):  # the kill is immediate; give the kernel a moment to reap
        if not Path(f"/proc/{pid}").exists() or "State:\tZ" in _status(pid):
            break
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists() or "State:\tZ" in _status(pid)


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "State:\tZ"


def test_empty_input() -> None:
    assert process_many([]) == []
