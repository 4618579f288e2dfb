"""The main job (`tthc run`): a folder of reports → workbook, flags, outcomes, draft notice.

load → normalize → extract → check (per file, reusing the store) → consolidate → render.

The run owns its output folder while it works: a lock keeps a second run out, every output
is written to a temporary file and the whole set is renamed into place at the end (a
journal lets the next run finish a commit a kill interrupted), and every file carries the
run's id. A full disk or a read-only folder ends in a Vietnamese message with the previous
outputs intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from consolidation.consolidate import (
    STORE_NAME,
    Processed,
    Store,
    consolidate,
    find_roster,
    load_roster,
    roster_from_records,
    sha256_of,
)
from schemas import Record
from schemas.summary import DistrictSummary, FileOutcome
from textkit.safe_io import (
    LOCK_NAME,
    MARKER,
    OutputSet,
    add_run_column,
    checkpoint,
    new_run_id,
    readable,
    readable_data,
    readable_name,
    run_ids,
    stamp_ooxml,
)
from tthc.batch import process_many
from tthc.pipeline import FOLDER_UNREADABLE, Scan, scan

OUTPUT_NAMES = {
    "workbook": "tong_hop.xlsx",
    "flags": "canh_bao.csv",
    "outcomes": "ket_qua_doc_tep.csv",
    "notice": "du_thao_thong_bao.docx",
    "records": "ban_ghi.json",
}


class RunError(Exception):
    """The run cannot go on; the message (Vietnamese) says why and what to do.
    `exit_code` follows the contract: 1 the job could not be done, 2 bad usage."""

    exit_code = 1


class OutputBusy(RunError):
    """Another run holds the output folder's lock."""


class OutputError(RunError):
    """The outputs cannot be written (full disk, read-only folder ...)."""


class NoReports(RunError):
    """The folder holds no file to read as a report."""


@dataclass
class RunResult:
    summary: DistrictSummary
    outputs: dict[str, Path] = field(default_factory=dict)
    processed: list[Processed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the officer should know (Vietnamese)
    scan: Scan = field(default_factory=Scan)  # the files read and every path skipped
    run_id: str = ""
    no_reports: bool = False  # the folder held no file to read as a report

    @property
    def failed(self) -> int:
        return sum(1 for p in self.processed if p.record.status == "failed")

    @property
    def unreadable(self) -> int:
        """Folders that could not be opened: reports in them may have been missed."""
        return sum(1 for s in self.scan.skipped if s.kind == FOLDER_UNREADABLE)


def default_folder() -> Path:
    """The bundled sample district."""

    return Path(__file__).resolve().parent / "sample"


def read_folder(
    files: list[Path],
    store: Store,
    on_file: Callable[[Path], None] | None = None,
    workers: int | None = None,
) -> list[Processed]:
    """Every file through the per-file stages, in worker processes under time and memory
    limits; a file already read (same content, same rules) is taken from the store. Each
    result is stored as it arrives, so an interrupted run keeps what it finished."""
    records: dict[int, Record] = {}
    for i, path in enumerate(files):
        with contextlib.suppress(OSError):  # unreadable: the worker gives the reason
            cached = store.cached(sha256_of(path))
            if cached is not None:
                records[i] = cached
                if on_file:
                    on_file(path)
    reused = set(records)
    todo = [i for i in range(len(files)) if i not in reused]

    def arrived(j: int, record: Record) -> None:
        store.put(record)
        checkpoint("stored")
        records[todo[j]] = record
        if on_file:
            on_file(files[todo[j]])

    process_many([files[i] for i in todo], workers=workers, on_result=arrived)
    out = []
    for i, path in enumerate(files):
        record = records[i]
        record.source.path = str(path)
        out.append(Processed(path, record, i in reused))
    return out


def run(
    folder: Path,
    out: Path,
    *,
    roster_path: Path | None = None,
    store_path: Path | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    workers: int | None = None,
    notice_date: dt.date | None = None,
) -> RunResult:
    """The whole job. Raises RosterError when a roster is given but cannot be used,
    StoreError when the store is not a tthc store, RunError (OutputBusy, OutputError,
    NoReports) when the job cannot be done; each with a Vietnamese message."""
    path = roster_path or find_roster(folder)
    roster = load_roster(path) if path else None
    run_id = new_run_id()
    store_file = store_path or out / STORE_NAME
    with _writing(out, "mở thư mục kết quả"):
        out.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        with _writing(out, "dọn thư mục kết quả"):
            OutputSet.recover(out)
        found = _scan(folder, [out, store_file])
        if on_start:
            on_start(len(found.files))
        with _writing(store_file, "ghi tệp lưu trữ"), Store(store_file) as store:
            processed = read_folder(found.files, store, on_file, workers)
            given = roster is not None
            if roster is None:
                roster = roster_from_records([p.record for p in processed])
            summary = consolidate(
                processed,
                roster,
                store,
                skipped=skipped_outcomes(found),
                notice_date=notice_date,
                roster_given=given,
            )
        notes = list(summary.notice.warnings)
        if not found.files:
            notes.insert(0, _no_reports(folder, found))
        result = RunResult(summary, processed=processed, notes=notes, scan=found, run_id=run_id)
        result.no_reports = not found.files
        result.outputs = write_outputs(result, out, run_id)
    return result


def _scan(folder: Path, exclude: list[Path]) -> Scan:
    try:
        return scan(folder, exclude)
    except OSError as exc:
        why = "không có quyền đọc" if isinstance(exc, PermissionError) else _why(exc)
        raise RunError(f"Không mở được thư mục báo cáo {readable_name(folder)} ({why}).") from exc


def _no_reports(folder: Path, found: Scan) -> str:
    text = f"Thư mục {readable_name(folder)} không có tệp báo cáo nào để đọc (.txt, .pdf, "
    text += ".docx, .doc, .rtf)."
    if found.skipped:
        shown = "; ".join(f"{readable_name(s.path.name)}: {s.reason}" for s in found.skipped[:5])
        more = f" (và {len(found.skipped) - 5} mục khác)" if len(found.skipped) > 5 else ""
        text += f" Đã bỏ qua {len(found.skipped)} mục{more}: {shown}"
    return text


def skipped_outcomes(found: Scan) -> list[FileOutcome]:
    """An outcome line for every path not read, with its reason. Consolidation names the
    commune of a file that is not a report (a photo, a spreadsheet) from its file name."""
    return [
        FileOutcome(path=str(s.path), status="ignored", reason=s.reason, kind=s.kind)
        for s in found.skipped
    ]


# ---------------------------------------------------------------------------------------
# The output folder


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder for this run (an advisory lock the system releases when the
    process ends, however it ends)."""
    import fcntl

    lock_path = out / LOCK_NAME
    with _writing(out, "khóa thư mục kết quả"):
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace")
                raise OutputBusy(_busy(out, holder)) from exc
            # a network drive without locks (ENOLCK, EOPNOTSUPP): go on without one
        with contextlib.suppress(OSError):
            info = f"{os.getpid()} {dt.datetime.now():%H:%M:%S %d/%m/%Y}\n".encode()
            os.ftruncate(fd, 0)
            os.pwrite(fd, info, 0)
        yield
    finally:
        os.close(fd)


def _busy(out: Path, holder: str) -> str:
    pid, _, since = holder.strip().partition(" ")
    who = f" (tiến trình {pid}, bắt đầu lúc {since})" if pid.isdigit() and since else ""
    return (
        f"Thư mục kết quả {readable_name(out)} đang được một lần chạy tthc khác sử dụng{who}. "
        "Hãy đợi lần chạy đó xong rồi chạy lại, hoặc chọn thư mục khác bằng --out."
    )


_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def _why(exc: BaseException, where: Path | None = None) -> str:
    """An OS or SQLite error in an officer's words (SQLite often says only "disk I/O
    error": the free space of the folder tells a full disk)."""
    code = getattr(exc, "errno", None)
    if code in _DISK_FULL or "full" in str(exc).lower() or (where and _no_space(where)):
        return "ổ đĩa đã đầy"
    if code in _READ_ONLY or "readonly" in str(exc).lower().replace("-", ""):
        return "không có quyền ghi, hoặc ổ đĩa chỉ cho đọc"
    if code == errno.ENOTDIR:
        return "một phần của đường dẫn là tệp, không phải thư mục"
    if code == errno.ENOENT:
        return "không tìm thấy"
    strerror = getattr(exc, "strerror", None)
    return f"lỗi hệ thống: {strerror or type(exc).__name__}"


def _no_space(where: Path) -> bool:
    """Whether the disk holding a path has (almost) no room left."""
    for path in (where, *where.parents):
        try:
            info = os.statvfs(path)
        except OSError:
            continue
        return info.f_bavail * info.f_frsize < 256 * 1024
    return False


@contextlib.contextmanager
def _writing(where: Path, doing: str) -> Iterator[None]:
    """Turn an OS or SQLite write error into an OutputError that says what to do."""
    try:
        yield
    except (OSError, sqlite3.OperationalError) as exc:
        if isinstance(exc, sqlite3.OperationalError) and not _is_io(exc):
            raise
        raise OutputError(
            f"Không {doing} được tại {readable_name(where)}: {_why(exc, where)}. Các kết quả của "
            "lần chạy trước (nếu có) vẫn giữ nguyên; hãy giải phóng ổ đĩa, cấp quyền ghi "
            "hoặc chọn thư mục khác bằng --out rồi chạy lại."
        ) from exc


def _is_io(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("full", "readonly", "read-only", "unable to open", "disk i/o"))


def write_outputs(result: RunResult, out: Path, run_id: str | None = None) -> dict[str, Path]:
    """Every output, each marked with the run id, committed as one set (see OutputSet)."""
    from consolidation.render import (
        write_flags_csv,
        write_notice,
        write_outcomes_csv,
        write_workbook,
    )

    run_id = run_id or result.run_id or new_run_id()
    summary = shown_summary(result.summary)
    paths = {name: out / file for name, file in OUTPUT_NAMES.items()}
    writers: dict[str, Callable[[Path], object]] = {
        "workbook": lambda p: (write_workbook(summary, p), stamp_ooxml(p, run_id)),
        "flags": lambda p: (write_flags_csv(summary, p), add_run_column(p, run_id)),
        "outcomes": lambda p: (write_outcomes_csv(summary, p), add_run_column(p, run_id)),
        "notice": lambda p: (write_notice(summary, p), stamp_ooxml(p, run_id)),
        "records": lambda p: p.write_text(records_json(result, run_id), encoding="utf-8"),
    }
    outputs = OutputSet(out, run_id)
    with _writing(out, "ghi kết quả"):
        for name, writer in writers.items():
            outputs.write(paths[name], writer)
            checkpoint(f"written:{name}")
        outputs.commit()
    return paths


def shown_summary(summary: DistrictSummary) -> DistrictSummary:
    """The summary as every output shows it: file names with undecodable bytes or control
    characters made readable (the run itself keeps the names it can open)."""
    return DistrictSummary.model_validate(readable_data(summary.model_dump()))


def records_json(result: RunResult, run_id: str) -> str:
    """ban_ghi.json: the marker, the run id and every record (the contract's JSON)."""
    data = {
        "tthc": {"marker": MARKER, "run_id": run_id},
        "records": [p.record.to_json() for p in result.processed],
    }
    return readable(json.dumps(readable_data(data), ensure_ascii=False, indent=1))


def output_run_ids(out: Path) -> dict[str, str | None]:
    """Output file name → the run id it carries (None: absent or not tthc's). One run's
    complete set has a single id across all names."""
    return run_ids(out / name for name in OUTPUT_NAMES.values())
