"""Many reports at once, each in a worker process under a time and a memory limit.

Files come from dozens of senders; a few are broken and some may be hostile (a zip bomb, a
PDF with a million objects, XML nested a million deep). Each file is processed by
`tthc.process.process_file` in a pebble worker process: a file that runs past `timeout_s`
is killed, one that needs more than `memory_mb` beyond the worker's starting size fails its
allocations (RLIMIT_AS in the worker), one that crashes its worker takes only that worker
down. Such a file gets a failed `Record` with a Vietnamese reason; the batch goes on.
Records come back in input order.

Helper programs a worker starts (Tesseract, LibreOffice) inherit the memory limit and run in
the worker's process group, or (LibreOffice, caged without network) in a group of their own
that the worker kills when it is stopped, so a timed-out file's helpers are killed with it.
A worker dies with the run that started it (the kernel's parent-death signal), even when
the run is killed outright, and closes its copy of the run's lock at once, so the results
folder is free the moment the run ends.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

from tthc.schemas import Record
from tthc.textkit.safe_io import FileId, release_inherited_locks

DEFAULT_TIMEOUT_S = 120.0  # OCR of a 30-page scan on one core fits; a hang does not
DEFAULT_MEMORY_MB = 1024  # room per file above the worker's start; a report needs ~200 MB
MAX_TASKS = 200  # a worker is replaced after this many files (leaks stay bounded)

# Reasons (the start of each is stable: corpus/fuzz.py counts outcomes by it).
TIMEOUT_REASON = "Tệp xử lý quá thời gian cho phép ({limit:g} giây), đã bỏ qua"
MEMORY_REASON = "Tệp cần quá nhiều bộ nhớ (> {limit} MB), đã bỏ qua"
DIED_REASON = "Tiến trình đọc tệp bị dừng đột ngột"
NESTING_REASON = "Tệp có cấu trúc lồng nhau quá sâu (có thể là tệp hỏng hoặc độc hại), đã bỏ qua"
CRASH_REASON = "Lỗi không mong đợi khi xử lý tệp"


def process_many(
    paths: Iterable[str | Path],
    *,
    workers: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    on_result: Callable[[int, Record], Any] | None = None,
    seen: Mapping[Path, FileId] | None = None,
) -> list[Record]:
    """The finished record of every file, in input order. `workers` defaults to the CPU
    count; `on_result(index, record)` is called as each file finishes (a progress bar).
    `seen`: which file the folder walk saw at each path (a file replaced since, or a link
    put in its place, is not read)."""
    from pebble import ProcessPool

    files = [Path(p) for p in paths]
    if not files:
        return []
    _warm_up()
    count = max(1, min(workers or os.cpu_count() or 1, len(files)))
    records: list[Record | None] = [None] * len(files)
    seen = seen or {}
    with ProcessPool(
        max_workers=count,
        max_tasks=MAX_TASKS,
        initializer=init_worker,
        initargs=(memory_mb, os.getpid()),
    ) as pool:
        futures = {
            pool.schedule(_work, args=(str(f), seen.get(f)), timeout=timeout_s): i
            for i, f in enumerate(files)
        }
        for future in as_completed(futures):
            i = futures[future]
            record = _outcome(future, files[i], timeout_s, memory_mb)
            records[i] = record
            if on_result is not None:
                on_result(i, record)
    return [r for r in records if r is not None]


def _warm_up() -> None:
    """Load the pipeline and its language model once here: forked workers share them
    instead of each loading its own."""
    import tthc.process  # noqa: F401

    with contextlib.suppress(Exception):
        from tthc.extract import pipeline

        pipeline()


# ---------------------------------------------------------------------------------------
# In the worker


_MEMORY_MB: int | None = None  # the worker's allowance, for its reasons


def init_worker(memory_mb: int | None, parent: int) -> None:
    """Die with the run; let go of the run's lock; limit the worker's address space; give
    it its own process group (its helpers die with it); read scanned pages one at a time
    (the batch already uses every core)."""
    from tthc.load import OCR_JOBS_ENV

    _die_with(parent)
    release_inherited_locks()
    global _MEMORY_MB
    _MEMORY_MB = memory_mb
    os.environ[OCR_JOBS_ENV] = "1"
    if memory_mb:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + memory_mb * 2**20
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    if os.getpgrp() == os.getpid():
        signal.signal(signal.SIGTERM, _stop_group)


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this worker when the run that forked it ends (Linux's
    PR_SET_PDEATHSIG): a run killed outright, or its process group killed, leaves no
    worker behind, though workers have groups of their own."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the run ended before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _address_space() -> int:
    """The worker's address space when it starts (bytes): a forked worker inherits its
    parent's, so the limit is counted from here and every file gets `memory_mb` of room."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _stop_group(*_: Any) -> None:
    """On a timeout pebble terminates the worker: take its helper programs along (those
    in its own group, and caged ones that run in a group of their own)."""
    from tthc.load import kill_conversions

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    kill_conversions()
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _work(path: str, seen: FileId | None = None) -> Record:
    """process_file, with every escaping error turned into a failed record."""
    from tthc.process import process_file

    try:
        return process_file(path) if seen is None else process_file(path, seen)
    except MemoryError:
        return Record.failed(path, MEMORY_REASON.format(limit=_MEMORY_MB or "?") + ".")
    except RecursionError:
        return Record.failed(path, NESTING_REASON + ".")
    except Exception as exc:
        return Record.failed(
            path,
            f"{CRASH_REASON} ({type(exc).__name__}); đã bỏ qua tệp này, hãy báo cho "
            "người quản trị kèm tệp.",
        )


# ---------------------------------------------------------------------------------------
# In the parent


def _outcome(future: Any, path: Path, timeout_s: float, memory_mb: int | None) -> Record:
    """The record a finished future stands for."""
    from pebble import ProcessExpired

    try:
        return future.result()
    except TimeoutError:
        return Record.failed(
            path,
            TIMEOUT_REASON.format(limit=timeout_s)
            + "; tệp có thể bị hỏng, quá lớn hoặc là bản scan nhiều trang.",
        )
    except ProcessExpired as exc:
        return Record.failed(path, _died(exc.exitcode, memory_mb))
    except Exception as exc:  # the result could not be sent back, the pool broke ...
        return Record.failed(path, f"{CRASH_REASON} ({type(exc).__name__}); đã bỏ qua tệp này.")


def _died(exitcode: int | None, memory_mb: int | None) -> str:
    """Why a worker ended without a result: a signal (a crash in a C library, or an
    allocation refused under the memory limit), or an exit code."""
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            name = signal.Signals(-exitcode).name
            limit = f" hoặc cần quá nhiều bộ nhớ (> {memory_mb} MB)" if memory_mb else ""
            return f"{DIED_REASON} (tín hiệu {name}): tệp hỏng nặng{limit}; đã bỏ qua tệp này."
    return f"{DIED_REASON} (mã thoát {exitcode}); đã bỏ qua tệp này."


# ---------------------------------------------------------------------------------------
# The provincial system's export (`tthc run --system`)


def read_export_limited(
    path: str | Path,
    data: bytes,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
) -> Any:
    """The export read in a worker process under the same time and memory limits as a
    report: a `SystemExport`, or a Vietnamese reason (str) why it cannot be used."""
    from pebble import ProcessExpired, ProcessPool

    _warm_up()
    with ProcessPool(
        max_workers=1, initializer=init_worker, initargs=(memory_mb, os.getpid())
    ) as pool:
        future = pool.schedule(_read_export, args=(str(path), data), timeout=timeout_s)
        try:
            return future.result()
        except TimeoutError:
            return TIMEOUT_REASON.format(limit=timeout_s) + "."
        except ProcessExpired as exc:
            return _died(exc.exitcode, memory_mb)
        except Exception as exc:
            return f"{CRASH_REASON} ({type(exc).__name__})."


def _read_export(path: str, data: bytes) -> Any:
    from tthc.extract import NotAForm, read_export
    from tthc.load import load_grid
    from tthc.schemas import LoadError

    try:
        return read_export(load_grid(path, data))
    except (LoadError, NotAForm) as exc:
        return str(exc)
    except MemoryError:
        return MEMORY_REASON.format(limit=_MEMORY_MB or "?") + "."
    except RecursionError:
        return NESTING_REASON + "."
    except Exception as exc:
        return f"{CRASH_REASON} ({type(exc).__name__})."
