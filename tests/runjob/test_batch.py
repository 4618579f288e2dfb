"""process_many: every file in its own time and memory budget; the batch always finishes.

Misbehaving files are simulated by replacing `tthc.process.process_file` before the worker
pool starts (the workers are forked, so they see the replacement): by its name a file
never finishes (with a helper program running), allocates past the memory limit, kills its
worker, raises, or returns at once. Real files go through the real pipeline.

No outcome here depends on how busy the machine is: the short time limit is only ever
given to a batch whose other files return at once, and the one file it stops never
finishes; the real pipeline runs under the default limit.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

import tthc.process
from tests.factories import consistent
from tests.fixtures.reports import DOSSIERS, write_report
from tthc.runjob import process_many

_REAL = tthc.process.process_file


def misbehave(path: str | Path):
    """Stand-in for process_file: misbehaves as the file name says."""
    name = Path(path).name
    if name.startswith("hang"):  # never finishes (unless the limit is not enforced at all)
        helper = subprocess.Popen(["sleep", "300"])
        Path(path).with_suffix(".pid").write_text(str(helper.pid))
        time.sleep(300)
    if name.startswith("quick"):  # no work at all: done long before any limit
        return consistent("Tân An", path=str(path))
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
    for name in ("hang.txt", "quick1.txt", "quick2.txt", "memory.txt", "segfault.txt"):
        out[name] = tmp_path / name
        out[name].write_text("x", encoding="utf-8")
    for name in ("raise.txt", "deep.txt"):
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
    """Under the default time limit: what fails here fails whatever the machine's load."""
    monkeypatch.setattr(tthc.process, "process_file", misbehave)
    order = ["good.txt", "memory.txt", "segfault.txt", "raise.txt", "deep.txt", "good.docx"]
    records = process_many([files[n] for n in order], workers=2, memory_mb=1024)
    by_name = dict(zip(order, records, strict=True))
    assert by_name["good.txt"].status == by_name["good.docx"].status == "ok"
    assert by_name["good.docx"].periods[0].dossiers.model_dump(exclude_none=True) == DOSSIERS
    for name in ("memory.txt", "segfault.txt", "raise.txt", "deep.txt"):
        assert by_name[name].status == "failed", name
    assert by_name["memory.txt"].errors[0].startswith("Tệp cần quá nhiều bộ nhớ (> 1024 MB)")
    assert "dừng đột ngột" in by_name["segfault.txt"].errors[0]
    assert "SIGSEGV" in by_name["segfault.txt"].errors[0]
    assert (
        by_name["raise.txt"].errors[0].startswith("Lỗi không mong đợi khi xử lý tệp (ValueError)")
    )
    assert "lồng nhau quá sâu" in by_name["deep.txt"].errors[0]


def test_a_file_that_never_finishes_is_stopped_with_its_helpers_and_costs_only_itself(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One worker: the files queued behind the stopped one still run (the limit counts
    from a file's own start) and come back in input order."""
    monkeypatch.setattr(tthc.process, "process_file", misbehave)
    order = ["quick1.txt", "hang.txt", "quick2.txt"]
    records = process_many([files[n] for n in order], workers=1, timeout_s=2)
    assert [r.status for r in records] == ["ok", "failed", "ok"]
    assert [r.source.path for r in records] == [str(files[n]) for n in order]
    assert records[1].errors[0].startswith("Tệp xử lý quá thời gian cho phép (2 giây), đã bỏ qua")
    pid = int(files["hang.txt"].with_suffix(".pid").read_text())
    for _ in range(600):  # the kill is immediate; wait (up to a minute) until it is reaped
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
