"""The workspace behind `tthc serve`: one reports folder, one results folder, one store.

It holds the results folder the way `tthc run` does (its lock, so no run writes there
meanwhile; temporary files inside it), reads the reports with the run's sandboxed workers
in the background (progress for the desk), and keeps the district as `tthc run` would make
it now: `tthc.runjob.summarize` over the records read, with the corrections of the store's log.
A correction is appended to the log, then the district is made again from it: the checks
run again and every page and output shows the corrected figures.

Every change names the version of the report it was made on; a change made on an older
version (another tab, another officer) is refused with a message, never applied over the
other one. Reports added by upload are kept in the results folder under their content
hash (`UPLOADS`), never under the name the browser sent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tthc.consolidate import (
    STORE_NAME,
    Processed,
    Store,
    check_store_file,
    find_roster,
    load_roster,
    sidecars,
)
from tthc.corrections import flag_key, in_force, version
from tthc.runjob import (
    UPLOADS,
    RunError,
    RunResult,
    Scan,
    add_uploads,
    output_lock,
    read_folder,
    results_folder,
    scan_for_run,
    summarize,
    temporary_files_inside,
    write_outputs,
)
from tthc.schemas import DOSSIER_FIELDS, Correction, Flag, Record
from tthc.schemas.summary import CommuneRow, DistrictSummary
from tthc.textkit.safe_io import TMP_PREFIX, UnsafeFile, create_file, make_folder, new_run_id, prune

MAX_FILE_BYTES = 40 * 2**20  # one report
MAX_FILES = 30  # files in one upload
MAX_REQUEST_BYTES = MAX_FILE_BYTES * 3  # one upload request, all files together
_SNIFF = 64 * 1024
_NOT_REPORTS = (  # the first bytes of photos, archives and programs
    b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"Rar!",
    b"7z\xbc\xaf", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"\x7fELF", b"MZ", b"RIFF", b"OggS",
    b"ID3", b"\x00\x00\x00",
)  # fmt: skip


class Refused(Exception):
    """A change or an upload the workspace does not make; the message (Vietnamese) says
    why and what to do. `status`: the HTTP status it answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Stale(Refused):
    """A change made on a version of the report that is no longer the current one."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 409)


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    running: bool = False
    message: str = ""  # Vietnamese: what went wrong, when the reading stopped
    started: float = 0.0


@dataclass
class Commune:
    """A commune's page: its row of the district and the record of its report (the
    corrected view, the report's file and its log)."""

    slug: str
    row: CommuneRow
    record: Record | None = None
    path: Path | None = None
    log: list[Correction] = field(default_factory=list)

    @property
    def version(self) -> int:
        return version(self.log)


def slug_of(name: str, taken: set[str]) -> str:
    """An ASCII name for a commune's address ("cho-vang"), unique in the district."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    base = "-".join("".join(c if c.isalnum() else " " for c in text).split()) or "don-vi"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class Workspace:
    """The state of one review session (thread-safe: pages are served from several threads
    while the reports are read in another)."""

    def __init__(
        self,
        folder: Path,
        out: Path,
        *,
        roster_path: Path | None = None,
        store_path: Path | None = None,
        notice_date: dt.date | None = None,
        workers: int | None = None,
    ) -> None:
        self.folder = folder
        self.out = out
        self.store_path = store_path or out / STORE_NAME
        self.notice_date = notice_date
        self.workers = workers
        path = roster_path or find_roster(folder)
        self.roster = load_roster(path) if path else None
        self.progress = Progress()
        self.result: RunResult | None = None
        self.communes: dict[str, Commune] = {}
        self.by_name: dict[str, Commune] = {}
        self.written: dict[str, Path] = {}
        self._written_for: int | None = None
        self._changes = 0  # every change made, so outputs are written again only when due
        self._raw: list[Processed] = []
        self._found = Scan()
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._stack = contextlib.ExitStack()
        self._out_fd = -1
        self._store_checked = False

    # ------------------------------------------------------------ the session's life
    def open(self) -> Workspace:
        """Take the results folder as a run does (refuses, like a run, when another run
        holds it); a store named elsewhere is checked first."""
        if self.store_path.parent.resolve() != self.out.resolve():
            check_store_file(self.store_path)
        try:
            self._out_fd = self._stack.enter_context(results_folder(self.out))
            self._stack.enter_context(output_lock(self.out, self._out_fd))
            prune(self._out_fd)
            os.close(make_folder(UPLOADS, self._out_fd, exist_ok=True))
            self._stack.enter_context(temporary_files_inside(self.out, self._out_fd, new_run_id()))
            with self._store():  # made (or checked) now, not at the first page
                pass
        except BaseException:
            self._stack.close()
            raise
        return self

    def close(self) -> None:
        if self._reader is not None:
            self._reader.join(timeout=600)
        self._stack.close()

    def __enter__(self) -> Workspace:
        return self.open()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _store(self) -> Store:
        """A connection for this thread (SQLite connections stay in their thread); the
        store is checked in full when the workspace opens it first."""
        store = Store(self.store_path, checked=self._store_checked)
        self._store_checked = True
        return store

    # ------------------------------------------------------------ reading
    def start_reading(self) -> bool:
        """Read the folder (and the reports added) in the background; False when a
        reading is already under way."""
        with self._lock:
            if self.progress.running:
                return False
            self.progress = Progress(running=True, started=_now())
            self._reader = threading.Thread(target=self._read, name="tthc-doc", daemon=True)
            self._reader.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        reader = self._reader
        if reader is not None:
            reader.join(timeout)

    def _read(self) -> None:
        try:
            found = scan_for_run(
                self.folder, [self.out, self.store_path, *sidecars(self.store_path)], self.out
            )
            add_uploads(found, self.out)
            with self._lock:
                self.progress.total = len(found.files)

            def one(_: Path) -> None:
                with self._lock:
                    self.progress.done += 1

            with self._store() as store:
                raw = read_folder(found.files, store, one, self.workers, found.seen)
            with self._lock:
                self._raw, self._found = raw, found
                self._changes += 1
            self.refresh()
        except (RunError, OSError) as exc:
            with self._lock:
                self.progress.message = str(exc)
        except Exception as exc:  # a fault of tthc: said, not a traceback on the page
            with self._lock:
                self.progress.message = (
                    f"Lỗi không mong đợi khi đọc báo cáo ({type(exc).__name__}); hãy chạy lại "
                    "hoặc báo cho người quản trị."
                )
            if os.environ.get("TTHC_DEBUG"):
                raise
        finally:
            with self._lock:
                self.progress.running = False

    def refresh(self) -> None:
        """Make the district again from the records read and the store's corrections."""
        with self._lock, self._store() as store:
            if not self._raw:
                return
            result = summarize(self._raw, self._found, store, self.roster, self.notice_date)
            log = store.corrections()
            self.result = result
            self._index(result, log)

    def _index(self, result: RunResult, log: list[Correction]) -> None:
        """Each commune's page data: its row, its report's record and log."""
        files: dict[str, Processed] = {}
        for p in result.processed:
            files.setdefault(str(p.path), p)
        chosen: dict[str, Processed] = {}
        for o in result.summary.outcomes:
            if o.commune and o.status in ("ok", "partial") and o.path in files:
                chosen.setdefault(o.commune, files[o.path])
        by_sha: dict[str, list[Correction]] = {}
        for c in log:
            by_sha.setdefault(c.sha256, []).append(c)
        taken: set[str] = set()
        communes: dict[str, Commune] = {}
        for row in result.summary.communes:
            slug = slug_of(row.commune, taken)
            taken.add(slug)
            p = chosen.get(row.commune)
            sha = p.record.source.sha256 if p else None
            communes[slug] = Commune(
                slug,
                row,
                p.record if p else None,
                p.path if p else None,
                by_sha.get(sha or "", []),
            )
        self.communes = communes
        self.by_name = {c.row.commune: c for c in communes.values()}

    @property
    def summary(self) -> DistrictSummary | None:
        return self.result.summary if self.result else None

    def seen(self, path: Path) -> Any:
        return self._found.seen.get(path)

    # ------------------------------------------------------------ corrections
    def commune(self, slug: str) -> Commune:
        found = self.communes.get(slug)
        if found is None:
            raise Refused("Không có đơn vị này trong kỳ đang tổng hợp.", 404)
        return found

    def _editable(self, slug: str, seen_version: str | int | None) -> Commune:
        c = self.commune(slug)
        if c.record is None or not c.record.source.sha256:
            raise Refused("Đơn vị này chưa có báo cáo đọc được để hiệu chỉnh.")
        try:
            given = int(str(seen_version))
        except ValueError:
            given = -1
        if given != c.version:
            raise Stale(
                f"Số liệu của {c.row.level} {c.row.commune} vừa được thay đổi ở một cửa sổ "
                "khác (hoặc bởi cán bộ khác) sau khi trang này được mở, nên thay đổi của "
                "anh/chị chưa được lưu để khỏi ghi đè. Hãy xem lại trang (đã tải lại với số "
                "liệu mới nhất) rồi làm lại nếu vẫn cần."
            )
        return c

    def correct(
        self,
        slug: str,
        seen_version: Any,
        *,
        who: str,
        why: str,
        kind: str,
        period_key: str | None = None,
        scope: str = "all",
        field_name: str | None = None,
        value: str | None = None,
        flags: list[str] | None = None,
        undoes: int | None = None,
    ) -> Correction:
        """Append one correction (after its checks) and make the district again."""
        why = " ".join((why or "").split())
        if not why:
            raise Refused(
                "Hãy ghi lý do (ví dụ: đối chiếu bản giấy, đơn vị xác nhận qua điện thoại)."
            )
        if len(why) > 500:
            raise Refused("Lý do dài quá 500 ký tự; hãy ghi ngắn gọn.")
        with self._lock:
            c = self._editable(slug, seen_version)
            record = c.record
            assert record is not None
            entry: dict[str, Any] = {
                "sha256": record.source.sha256,
                "kind": kind,
                "who": who,
                "at": dt.datetime.now().replace(microsecond=0),
                "why": why,
            }
            if kind in ("value", "assign"):
                entry.update(self._figure(record, period_key, scope, field_name, value))
            if kind in ("dismiss", "not_count", "assign"):
                entry.update(self._flags(record, flags or [], kind))
            if kind == "undo":
                if undoes not in {x.id for x in in_force(c.log)}:
                    raise Refused("Hiệu chỉnh này không còn hiệu lực (đã hoàn tác hoặc không có).")
                entry["undoes"] = undoes
            with self._store() as store:
                saved = store.add_correction(Correction(**entry))
            self._changes += 1
            self.refresh()
            return saved

    def _figure(
        self,
        record: Record,
        period_key: str | None,
        scope: str,
        name: str | None,
        value: str | None,
    ) -> dict[str, Any]:
        if name not in DOSSIER_FIELDS:
            raise Refused("Chưa chọn số liệu cần sửa.")
        keys = {p.key for p in record.periods} | {record.report.period_key}
        if period_key not in keys:
            raise Refused("Kỳ báo cáo không có trong báo cáo này.")
        scopes = {p.scope for p in record.periods} | {"all", "lien_thong"}
        if scope not in scopes:
            raise Refused("Phạm vi số liệu không có trong báo cáo này.")
        after = parse_count(value)
        period = next((p for p in record.periods if p.key == period_key and p.scope == scope), None)
        before = getattr(period.dossiers, name) if period else None
        if after == before:
            raise Refused("Giá trị mới trùng giá trị đang dùng; không có gì để sửa.")
        return {"period_key": period_key, "scope": scope, "field": name, "before": before,
                "after": after}  # fmt: skip

    def _flags(self, record: Record, keys: list[str], kind: str) -> dict[str, Any]:
        shown = {flag_key(f): f for f in record.flags}
        wanted = [k for k in keys if k in shown]
        if not wanted or len(wanted) != len(keys):
            raise Refused("Cảnh báo này không còn (số liệu đã được sửa hoặc trang đã cũ).", 409)
        if kind in ("not_count", "assign") and any(shown[k].code != "unread" for k in wanted):
            raise Refused("Chỉ số chưa đọc mới gán được vào số liệu.")
        text = " ".join(shown[k].message for k in wanted)
        return {"flags": wanted, "flag_text": text}

    # ------------------------------------------------------------ uploads
    def add_upload(self, data: bytes, client_name: str) -> tuple[str, bool]:
        """Keep an uploaded report in the results folder under its content hash (the
        client's name is only shown back); returns (the kind, whether it is new)."""
        if len(data) > MAX_FILE_BYTES:
            raise Refused(
                f"Tệp {client_name} lớn quá {MAX_FILE_BYTES // 2**20} MB; hãy gửi bản nhỏ hơn "
                "(ví dụ bản PDF chữ thay cho bản scan màu).",
                413,
            )
        kind = kind_of(data)
        if kind is None:
            raise Refused(
                f"Tệp {client_name} không phải báo cáo tthc đọc được (PDF, Word .docx/.doc, "
                "RTF hoặc văn bản .txt), xét theo nội dung tệp chứ không theo tên.",
                415,
            )
        sha = hashlib.sha256(data).hexdigest()
        name = f"{sha}.{kind}"
        folder = os.open(UPLOADS, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=self._out_fd)
        try:
            with contextlib.suppress(FileNotFoundError):
                os.stat(name, dir_fd=folder, follow_symlinks=False)
                return kind, False
            temporary = f"{TMP_PREFIX}{sha}"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary, dir_fd=folder)
            fd = create_file(temporary, folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except BaseException:
                os.unlink(temporary, dir_fd=folder)
                raise
            os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
            return kind, True
        except UnsafeFile as exc:
            raise Refused(f"Không lưu được tệp tải lên: {exc.why}.", 500) from exc
        finally:
            os.close(folder)

    # ------------------------------------------------------------ outputs
    def outputs(self) -> dict[str, Path]:
        """The five outputs of the current state, written as a run writes them (one set,
        switched at once) when something changed since they were last written."""
        with self._write_lock:
            with self._lock:
                result, changes = self.result, self._changes
            if result is None:
                raise Refused("Chưa có báo cáo nào đọc được để lập bảng tổng hợp.", 409)
            if self._written_for != changes:
                self.written = write_outputs(result, self.out, self._out_fd, new_run_id())
                self._written_for = changes
            return dict(self.written)


def parse_count(value: str | None) -> int | None:
    """A count as an officer types it: "1.406", "1406", "1 406"; empty means the report
    does not state it. Anything else is refused with a message."""
    text = (value or "").strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise Refused(f'"{value}" không phải một số hồ sơ (số nguyên không âm, ví dụ 1.406).')
    return int(text)


def kind_of(data: bytes) -> str | None:
    """What a file is, from its bytes: pdf, docx, doc, rtf or txt; None for anything else
    (a photo, a spreadsheet, an archive, a program, a web page saved as a report)."""
    head = data[:_SNIFF]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data) else None
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc" if "WordDocument".encode("utf-16-le") in data[: 2**20] else None
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_NOT_REPORTS):
        return None
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \r\n\t").lower()
    if text.startswith("<") or head.startswith(b"MZ"):  # a web page, XML, a program
        return None
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return "txt" if controls <= len(head) // 100 else None


def _is_docx(data: bytes) -> bool:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _now() -> float:
    import time

    return time.monotonic()


def severity_counts(flags: list[Flag]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in flags:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts
