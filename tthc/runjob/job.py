"""The main job (`tthc run`): a folder of reports → workbook, flags, outcomes, draft notice.

load → normalize → extract → check (per file, reusing the store) → consolidate → render.

The run owns its results folder while it works: a lock keeps a second run out (never a
link, never a file with other names), every file it writes is created without following a
link, and the outputs are shown as one set that switches at once (`ResultSet`): a run that
stops early, a full disk, a read-only folder, an output that cannot be replaced all leave
the previous results as they were, and the message says so. A run that finds no report to
read, or reads none (every file failed), replaces nothing. Temporary files of the run's
helpers (LibreOffice, Tesseract) are kept inside the results folder too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import json
import os
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tthc.consolidate import (
    STORE_NAME,
    Processed,
    Roster,
    Store,
    check_store_file,
    consolidate,
    find_roster,
    load_roster,
    refused,
    roster_from_records,
    sha256_of,
    sidecars,
)
from tthc.corrections import corrected
from tthc.runjob.batch import process_many
from tthc.runjob.walk import FOLDER_UNREADABLE, Scan, scan
from tthc.schemas import SUPPORTED_SUFFIXES, Record
from tthc.schemas.sheets import SystemExport
from tthc.schemas.summary import CrossCheck, DistrictSummary, FileOutcome
from tthc.textkit.safe_io import (
    LOCK_NAME,
    MARKER,
    VERSIONS,
    FileId,
    ResultSet,
    UnsafeFile,
    add_run_column,
    checkpoint,
    file_id,
    held_locks,
    make_folder,
    new_run_id,
    open_folder,
    open_own_file,
    os_reason,
    prune,
    read_regular,
    readable,
    readable_data,
    readable_name,
    run_ids,
    stamp_ooxml,
)
from tthc.wording import message

OUTPUT_NAMES = {
    "workbook": "tong_hop.xlsx",
    "flags": "canh_bao.csv",
    "outcomes": "ket_qua_doc_tep.csv",
    "notice": "du_thao_thong_bao.docx",
    "records": "ban_ghi.json",
}
NO_FLAGS = "Không có điểm nào cần xem lại."  # the flags CSV's one line when there is no flag
KEPT = "Các kết quả của lần chạy trước (nếu có) vẫn giữ nguyên."


class RunError(Exception):
    """The run cannot go on; the message (Vietnamese) says why and what to do.
    `exit_code` follows the contract: 1 the job could not be done, 2 bad usage."""

    exit_code = 1


class OutputBusy(RunError):
    """Another run holds the output folder's lock."""


class OutputError(RunError):
    """The outputs cannot be written (full disk, read-only folder ...)."""


class NoReports(RunError):
    """The folder holds no file to read as a report: nothing is written."""


class NothingRead(RunError):
    """Files were read but none as a commune's report: the previous results stay.
    `result` holds what was read (every failure with its reason), for the officer."""

    def __init__(self, message: str, result: RunResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class RunResult:
    summary: DistrictSummary
    outputs: dict[str, Path] = field(default_factory=dict)
    processed: list[Processed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the officer should know (Vietnamese)
    scan: Scan = field(default_factory=Scan)  # the files read and every path skipped
    run_id: str = ""
    system_problem: str | None = None  # why the --system export was not compared (Vietnamese)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.processed if p.record.status == "failed")

    @property
    def unreadable(self) -> int:
        """Folders that could not be opened: reports in them may have been missed."""
        return sum(1 for s in self.scan.skipped if s.kind == FOLDER_UNREADABLE)

    @property
    def read_any(self) -> bool:
        """Whether some commune's report was read (in full or in part)."""
        return any(s.status in ("read", "partial") for s in self.summary.senders)


def default_folder() -> Path:
    """The bundled sample district."""

    return Path(__file__).resolve().parents[1] / "sample"


def read_folder(
    files: list[Path],
    store: Store,
    on_file: Callable[[Path], None] | None = None,
    workers: int | None = None,
    seen: dict[Path, FileId] | None = None,
) -> list[Processed]:
    """Every file through the per-file stages, in worker processes under time and memory
    limits; a file already read (same content, same rules) is taken from the store. Each
    result is stored as it arrives, so an interrupted run keeps what it finished. `seen`:
    which file the walk saw at each path; a file replaced since is not read."""
    seen = seen or {}
    records: dict[int, Record] = {}
    for i, path in enumerate(files):
        with contextlib.suppress(OSError, UnsafeFile):  # the worker gives the reason
            cached = store.cached(sha256_of(path, seen.get(path)))
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

    checkpoint("hashed")
    process_many([files[i] for i in todo], workers=workers, on_result=arrived, seen=seen)
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
    system_path: Path | None = None,
) -> RunResult:
    """The whole job. `system_path`: the provincial TTHC information system's export to
    compare the reports with. Raises RosterError when a roster is given but cannot be used,
    StoreError when the store cannot be used, RunError (OutputBusy, OutputError,
    NoReports, NothingRead) when the job cannot be done; each with a Vietnamese message.
    Nothing is written before the folder is known to hold a report to read."""
    path = roster_path or find_roster(folder)
    roster = load_roster(path) if path else None
    store_file = store_path or out / STORE_NAME
    system_seen = _system_file(system_path) if system_path is not None else None
    aside = {system_path: (message("crosscheck_in_folder"), SYSTEM_EXPORT)} if system_path else {}
    found = scan_for_run(folder, [out, store_file, *sidecars(store_file)], out, aside)
    add_uploads(found, out)
    checkpoint("scanned")
    if not found.files:
        raise NoReports(_no_reports(folder, found, out))
    # a store named elsewhere is checked before anything is made; one in the results
    # folder (created by the run) when it is opened
    checked = store_path is not None and not _same(store_path.parent, out)
    if checked:
        check_store_file(store_file)
    run_id = new_run_id()
    with results_folder(out) as out_fd, output_lock(out, out_fd):
        with _writing(out, "dọn thư mục kết quả"):
            prune(out_fd)
        with temporary_files_inside(out, out_fd, run_id):
            if on_start:
                on_start(len(found.files))
            with (
                _writing(store_file, "ghi tệp lưu trữ"),
                Store(store_file, checked=checked) as store,
            ):
                system = _read_system(system_path, system_seen) if system_path else None
                result = _read(found, store, roster, on_file, workers, notice_date, system)
            result.run_id = run_id
            if not result.read_any:
                raise NothingRead(_nothing_read(folder, out), result)
            result.outputs = write_outputs(result, out, out_fd, run_id)
    return result


def _read(
    found: Scan,
    store: Store,
    roster: Roster | None,
    on_file: Callable[[Path], None] | None,
    workers: int | None,
    notice_date: dt.date | None,
    system: tuple[Path, SystemExport | CrossCheck] | None = None,
) -> RunResult:
    """Every file read (or taken from the store), and the district consolidated (and
    compared with the system's export, when one is given)."""
    processed = read_folder(found.files, store, on_file, workers, found.seen)
    return summarize(processed, found, store, roster, notice_date, system)


def summarize(
    processed: list[Processed],
    found: Scan,
    store: Store,
    roster: Roster | None,
    notice_date: dt.date | None = None,
    system: tuple[Path, SystemExport | CrossCheck] | None = None,
) -> RunResult:
    """The records read, with the officer's corrections the store holds (tthc serve),
    consolidated into the district (and compared with the system's export, when one is
    given): the one path `tthc run` and `tthc serve` share."""
    processed = corrected(processed, store)
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
        system=system[1] if system else None,
    )
    notes = list(summary.notice.warnings)
    problem = None
    if system is not None:
        problem = _system_outcome(summary, system[0])
        if problem:
            notes.append(message("crosscheck_refused", reason=problem))
    return RunResult(summary, processed=processed, notes=notes, scan=found, system_problem=problem)


SYSTEM_EXPORT = "system_export"  # the kind of the --system file's outcome and walk entry


def _system_file(path: Path) -> FileId:
    """The export named with --system, as it is now: a regular file, never a link (checked
    again when it is opened: a file replaced meanwhile is not read)."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise SystemFileError(f"--system {readable_name(path)}: {os_reason(exc)}.") from exc
    if stat.S_ISLNK(info.st_mode):
        raise SystemFileError(
            f"--system {readable_name(path)} là một liên kết (symlink); tthc không đọc tệp qua "
            "liên kết. Hãy chỉ thẳng tệp thật."
        )
    if not stat.S_ISREG(info.st_mode):
        raise SystemFileError(
            f"--system {readable_name(path)} không phải một tệp; hãy chỉ tệp xuất (.xlsx, .xls) "
            "của Hệ thống thông tin giải quyết TTHC."
        )
    return file_id(info)


def _read_system(path: Path, seen: FileId | None) -> tuple[Path, SystemExport | CrossCheck]:
    """The export, opened as a report is (never through a link, still the file checked),
    read in a worker under the same limits; a bad file gives the reason, not a crash."""
    from tthc.load import sheet_kind
    from tthc.runjob.batch import read_export_limited

    name = path.name
    try:
        data = read_regular(path, seen, limit=SYSTEM_MAX_BYTES)
    except ValueError:
        return path, refused(name, "tệp quá lớn so với một bảng số liệu.")
    except UnsafeFile as exc:
        return path, refused(name, f"tệp {exc.why}; tthc không đọc tệp này.")
    except OSError as exc:
        return path, refused(name, f"không mở được tệp ({os_reason(exc)}).")
    if sheet_kind(data) is None:
        return path, refused(
            name,
            "tệp không phải bảng tính Excel (.xlsx, .xls) hay bảng HTML lưu dưới tên .xls "
            "xuất từ Hệ thống thông tin giải quyết TTHC.",
        )
    got = read_export_limited(path, data)
    if isinstance(got, SystemExport):
        return path, got
    return path, refused(name, got)


SYSTEM_MAX_BYTES = 50 * 2**20


def _system_outcome(summary: DistrictSummary, path: Path) -> str | None:
    """The export's line among the files read; the reason when it was not compared."""
    check = summary.crosscheck
    if check is None:
        return None
    compared = check.status == "compared"
    reason = check.reason
    if compared:
        n = sum(1 for u in check.units if u.values)
        reason = message(
            "crosscheck_compared",
            unit=check.reporting_unit or "không rõ đơn vị",
            period=check.period_label or "",
            n=n,
        )
    summary.outcomes.append(
        FileOutcome(
            path=str(path),
            status="ok" if compared else "failed",
            reason=reason,
            kind=SYSTEM_EXPORT,
            period_key=None,
        )
    )
    return None if compared else check.reason


class SystemFileError(RunError):
    """The --system path is not a regular file (bad usage)."""

    exit_code = 2


UPLOADS = ".tthc-tai-len"  # in the results folder: reports added in tthc serve, by content


def add_uploads(found: Scan, out: Path) -> None:
    """The reports an officer added in `tthc serve` (kept in the results folder under
    their content hash) are read with the folder's: the same district, run or served.
    The folder is never a link; what it holds is walked like any reports folder."""
    folder = out / UPLOADS
    if os.path.islink(folder) or not folder.is_dir():
        return
    with contextlib.suppress(OSError):
        more = scan(folder)
        found.files.extend(more.files)
        found.seen.update(more.seen)
        found.skipped.extend(more.skipped)


def _same(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def scan_for_run(
    folder: Path, exclude: list[Path], results: Path, aside: dict | None = None
) -> Scan:
    """The walk of a run or a workspace (its results and store left out); a folder that
    cannot be opened is a `RunError` with the message the officer reads."""
    try:
        return scan(folder, exclude, results, aside)
    except OSError as exc:
        why = "không có quyền đọc" if isinstance(exc, PermissionError) else os_reason(exc)
        raise RunError(f"Không mở được thư mục báo cáo {readable_name(folder)} ({why}).") from exc


def _no_reports(folder: Path, found: Scan, out: Path) -> str:
    text = f"Thư mục {readable_name(folder)} không có tệp báo cáo nào để đọc "
    text += f"({', '.join(SUPPORTED_SUFFIXES)})."
    if found.skipped:
        shown = "; ".join(f"{readable_name(s.path.name)}: {s.reason}" for s in found.skipped[:5])
        more = f" (và {len(found.skipped) - 5} mục khác)" if len(found.skipped) > 5 else ""
        text += f" Đã bỏ qua {len(found.skipped)} mục{more}: {shown}"
    return f"{text} Không ghi kết quả nào; {_kept_in(out)}"


def _nothing_read(folder: Path, out: Path) -> str:
    return (
        f"Không đọc được báo cáo nào trong thư mục {readable_name(folder)} (lý do của từng tệp "
        f"ở trên). Không ghi kết quả nào; {_kept_in(out)}"
    )


def _kept_in(out: Path) -> str:
    return f"các kết quả của lần chạy trước trong {readable_name(out)} (nếu có) vẫn giữ nguyên."


def skipped_outcomes(found: Scan) -> list[FileOutcome]:
    """An outcome line for every path not read, with its reason. Consolidation names the
    commune of a file that is not a report (a photo, a spreadsheet) from its file name."""
    return [
        FileOutcome(path=str(s.path), status="ignored", reason=s.reason, kind=s.kind)
        for s in found.skipped
    ]


# ---------------------------------------------------------------------------------------
# The results folder


@contextlib.contextmanager
def results_folder(out: Path) -> Iterator[int]:
    """The results folder, created when absent, open as a descriptor: never a link (the
    command refuses one; a link put there meanwhile is refused here), and writable."""
    _make_results_folder(out)
    try:
        fd = open_folder(out)
    except UnsafeFile as exc:
        raise OutputError(_cannot(out, "mở thư mục kết quả", exc.why)) from exc
    except OSError as exc:
        raise OutputError(_cannot(out, "mở thư mục kết quả", _why(exc, out))) from exc
    try:
        if not os.access(out, os.W_OK):
            err = PermissionError(errno.EROFS if _read_only_fs(out) else errno.EACCES, "")
            raise OutputError(_cannot(out, "ghi vào thư mục kết quả", _why(err, out)))
        yield fd
    finally:
        os.close(fd)


def _make_results_folder(out: Path) -> None:
    """Create the folder (and its parents); a place where the system makes no folder
    (/proc, /sys) is named as such, not as a full disk."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a link, or a file made meanwhile
        raise OutputError(_cannot(out, "tạo thư mục kết quả", os_reason(exc))) from exc
    except OSError as exc:
        why = _why(exc, out)
        if exc.errno == errno.ENOENT and _nearest_folder(out) is not None:
            why = "hệ thống không cho tạo thư mục ở đây (đây là thư mục đặc biệt của hệ thống)"
        raise OutputError(_cannot(out, "tạo thư mục kết quả", why)) from exc


def _nearest_folder(path: Path) -> Path | None:
    return next((p for p in path.absolute().parents if p.is_dir()), None)


def _read_only_fs(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    return False


@contextlib.contextmanager
def output_lock(out: Path, out_fd: int) -> Iterator[None]:
    """Hold the results folder for this run (an advisory lock the system releases when
    the process ends, however it ends; workers close their copies at once). The lock
    file is never opened through a link, never a pipe, never a file with other names:
    writing the run's pid into it must not write into any other file."""
    import fcntl

    try:
        fd = open_own_file(LOCK_NAME, out_fd)
    except UnsafeFile as exc:
        raise OutputError(
            f"Tệp khóa {readable_name(out / LOCK_NAME)} {exc.why}, không phải tệp khóa tthc "
            "tạo ra; tthc không mở nó để khỏi ghi đè một tệp khác trên máy. Hãy xóa tệp đó "
            f"(hoặc chọn thư mục khác bằng --out) rồi chạy lại. {KEPT}"
        ) from exc
    except OSError as exc:
        raise OutputError(_cannot(out, "khóa thư mục kết quả", _why(exc, out))) from exc
    held_locks.add(fd)
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
        held_locks.discard(fd)
        os.close(fd)


def _busy(out: Path, holder: str) -> str:
    pid, _, since = holder.strip().partition(" ")
    who = f" (tiến trình {pid}, bắt đầu lúc {since})" if pid.isdigit() and since else ""
    return (
        f"Thư mục kết quả {readable_name(out)} đang được một lần chạy tthc khác sử dụng{who}. "
        "Hãy đợi lần chạy đó xong rồi chạy lại, hoặc chọn thư mục khác bằng --out."
    )


@contextlib.contextmanager
def temporary_files_inside(out: Path, out_fd: int, run_id: str) -> Iterator[None]:
    """The run's temporary files (LibreOffice's conversions, openpyxl's sheets while the
    workbook is saved) go to a folder of this run inside the results folder, removed with
    the run's leftovers: nothing is written outside the results folder."""
    with _writing(out, "tạo thư mục tạm trong thư mục kết quả"):
        versions = make_folder(VERSIONS, out_fd, exist_ok=True)
        try:
            os.close(make_folder(f"tam-{run_id}", versions))
        finally:
            os.close(versions)
    folder = str(out.absolute() / VERSIONS / f"tam-{run_id}")
    before = (os.environ.get("TMPDIR"), tempfile.tempdir)
    os.environ["TMPDIR"], tempfile.tempdir = folder, folder
    try:
        yield
    finally:
        if before[0] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before[0]
        tempfile.tempdir = before[1]


_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _why(exc: BaseException, where: Path | None = None) -> str:
    """An OS or SQLite error in an officer's words. Only a full disk is called full: by
    its error code, SQLite's own words, or (SQLite often says only "disk I/O error") a
    real disk with no room left."""
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in _DISK_FULL or (isinstance(exc, sqlite3.Error) and "full" in text):
        return "ổ đĩa đã đầy"
    if isinstance(exc, sqlite3.Error):
        if "readonly" in text.replace("-", "").replace(" ", ""):
            return "không có quyền ghi, hoặc ổ đĩa chỉ cho đọc"
        if where is not None and _no_space(where):
            return "ổ đĩa đã đầy"
        return "lỗi đọc, ghi của ổ đĩa"
    if code == errno.EACCES:
        return "không có quyền ghi"
    if code == errno.EROFS:
        return "ổ đĩa chỉ cho đọc"
    if code == errno.EPERM:
        return "hệ thống không cho phép ghi ở đây (không có quyền, hoặc thư mục bị khóa)"
    if code == errno.ENOTDIR:
        return "một phần của đường dẫn là tệp, không phải thư mục"
    return os_reason(exc)


def _no_space(where: Path) -> bool:
    """Whether the disk holding a path has (almost) no room left; a system folder with no
    blocks at all (/proc) is not a disk."""
    for path in (where, *where.parents):
        try:
            info = os.statvfs(path)
        except OSError:
            continue
        return info.f_blocks > 0 and info.f_bavail * info.f_frsize < 256 * 1024
    return False


def _cannot(where: Path, doing: str, why: str) -> str:
    """The message of a run stopped before its results were shown: what failed, where,
    why, that the previous results stay (true: nothing is shown before the switch), and
    what to do."""
    if why == "ổ đĩa đã đầy":
        advice = "Hãy giải phóng ổ đĩa (hoặc chọn thư mục khác bằng --out) rồi chạy lại."
    else:
        advice = "Hãy cấp quyền ghi, hoặc chọn thư mục khác bằng --out, rồi chạy lại."
    return f"Không {doing} được tại {readable_name(where)}: {why}. {KEPT} {advice}"


@contextlib.contextmanager
def _writing(where: Path, doing: str) -> Iterator[None]:
    """Turn an OS or SQLite write error into an OutputError that says what to do."""
    try:
        yield
    except UnsafeFile as exc:
        raise OutputError(_cannot(exc.path, doing, exc.why)) from exc
    except (OSError, sqlite3.OperationalError) as exc:
        if isinstance(exc, sqlite3.OperationalError) and not _is_io(exc):
            raise
        raise OutputError(_cannot(where, doing, _why(exc, where))) from exc
    except Exception as exc:
        os_error = _serialiser_io_error(exc)
        if os_error is None:
            raise
        raise OutputError(_cannot(where, doing, _why(os_error, where))) from exc


def _serialiser_io_error(exc: Exception) -> OSError | None:
    """lxml (under openpyxl and python-docx) reports a failed write as a SerialisationError
    naming the C error ("IO_ENOSPC"), not as an OSError: the same error in the OS's terms,
    or None when it is not a write error."""
    if type(exc).__name__ != "SerialisationError":
        return None
    name = str(exc).strip().removeprefix("IO_")
    code = getattr(errno, name, None) if name.isupper() else None
    return OSError(code, os.strerror(code)) if isinstance(code, int) else None


def _is_io(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("full", "readonly", "read-only", "unable to open", "disk i/o"))


def write_outputs(result: RunResult, out: Path, out_fd: int, run_id: str) -> dict[str, Path]:
    """Every output, each marked with the run id, shown as one set (see ResultSet)."""
    from tthc.render import write_flags_csv, write_notice, write_outcomes_csv, write_workbook

    summary = shown_summary(result.summary)
    writers: dict[str, Callable[[Path], object]] = {
        "workbook": lambda p: (write_workbook(summary, p), stamp_ooxml(p, run_id)),
        "flags": lambda p: (
            write_flags_csv(summary, p),
            add_run_column(p, run_id, empty={"Nội dung": NO_FLAGS}),
        ),
        "outcomes": lambda p: (write_outcomes_csv(summary, p), add_run_column(p, run_id)),
        "notice": lambda p: (write_notice(summary, p), stamp_ooxml(p, run_id)),
        "records": lambda p: p.write_text(records_json(result, run_id), encoding="utf-8"),
    }
    with (
        _writing(out, "ghi kết quả"),
        _collected(),
        ResultSet(out, out_fd, list(OUTPUT_NAMES.values()), run_id) as outputs,
    ):
        for key, writer in writers.items():
            outputs.write(OUTPUT_NAMES[key], writer)
            checkpoint(f"written:{key}")
        outputs.commit()
    return {key: out / name for key, name in OUTPUT_NAMES.items()}


@contextlib.contextmanager
def _collected() -> Iterator[None]:
    """A writer that fails half-way (a full disk) leaves open zip files behind; they are
    collected here, while the error is handled, not later by the interpreter (whose
    complaint, in English, would reach the officer's screen)."""
    try:
        yield
    except BaseException:
        hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
        try:
            gc.collect()
        finally:
            sys.unraisablehook = hook
        raise


def shown_summary(summary: DistrictSummary) -> DistrictSummary:
    """The summary as every output shows it: file names with undecodable bytes or control
    characters made readable (the run itself keeps the names it can open)."""
    return DistrictSummary.model_validate(readable_data(summary.model_dump()))


def records_json(result: RunResult, run_id: str) -> str:
    """ban_ghi.json: the marker, the run id and every record (the contract's JSON), compact
    (indenting made it several times larger and slower to write at a thousand reports)."""
    data = {
        "tthc": {"marker": MARKER, "run_id": run_id},
        "records": [p.record.to_json() for p in result.processed],
    }
    text = json.dumps(readable_data(data), ensure_ascii=False, separators=(",", ":"))
    return readable(text)


def output_run_ids(out: Path) -> dict[str, str | None]:
    """Output file name → the run id it carries (None: absent or not tthc's). One run's
    complete set has a single id across all names."""
    return run_ids(out / name for name in OUTPUT_NAMES.values())
