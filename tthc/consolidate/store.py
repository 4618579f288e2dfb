"""The local store: every record ever extracted, by file content, and which file is each
commune's current report for each period.

One SQLite file (by default in the output folder). Re-running on the same folder reuses the
records of files whose content (sha256) was already read by the same version of the rules;
a new version of a report replaces the old one for that commune and period; earlier periods
stay, so the summary can compare with the previous period. Every file's write is its own
transaction: an interrupted run keeps what it finished.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from tthc.schemas import Correction, Record
from tthc.textkit.safe_io import (
    TMP_PREFIX,
    FileId,
    UnsafeFile,
    create_file,
    file_id,
    open_regular,
    os_reason,
    readable,
)

STORE_NAME = "tthc-store.sqlite3"
STORE_MARK = "tthc-store"  # the store's own table says what the file is
_SQLITE_MAGIC = b"SQLite format 3\x00"
_OWN_TABLES = {"tthc_store", "records", "reports", "corrections"}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tthc_store (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    path TEXT NOT NULL,
    extracted_at TEXT NOT NULL,
    record TEXT NOT NULL,
    checksum TEXT,
    PRIMARY KEY (sha256, fingerprint)
);
CREATE TABLE IF NOT EXISTS reports (
    commune TEXT NOT NULL,
    period_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (commune, period_key)
);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    at TEXT NOT NULL,
    correction TEXT NOT NULL,
    checksum TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS corrections_append_only_u BEFORE UPDATE ON corrections
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER IF NOT EXISTS corrections_append_only_d BEFORE DELETE ON corrections
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
"""


@cache
def fingerprint() -> str:
    """What an extraction depends on: the code and the rules. A change invalidates reuse."""
    return tree_fingerprint(Path(__file__).resolve().parents[1])


def tree_fingerprint(root: Path) -> str:
    """The fingerprint of the code and rules under `root` (every .py, .toml, .csv and .tsv
    of the stages up to checking, the rules package included)."""
    digest = hashlib.sha256()
    for folder in ("load", "normalize", "extract", "check", "schemas", "rules", "textkit"):
        for f in sorted((root / folder).rglob("*")):
            if f.suffix in (".py", ".toml", ".csv", ".tsv") and f.is_file():
                digest.update(f.relative_to(root).as_posix().encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def sha256_of(path: Path, expect: FileId | None = None) -> str:
    """The content hash of a file; with `expect` (the file the walk saw) it is read
    without following a link and only if it is still that file (UnsafeFile otherwise)."""
    digest = hashlib.sha256()
    with os.fdopen(open_regular(path, expect), "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class StoreError(Exception):
    """A store file that cannot be used; the message (Vietnamese) names the file."""


_SIDECARS = ("-wal", "-shm", "-journal")  # the files SQLite keeps next to a database
_COLUMNS = {
    "tthc_store": ["key", "value"],
    "records": ["sha256", "fingerprint", "path", "extracted_at", "record", "checksum"],
    "reports": ["commune", "period_key", "sha256", "path", "received_at"],
    "corrections": ["id", "sha256", "at", "correction", "checksum"],
}
_WHAT_TO_DO = (
    "hãy xóa tệp đó (tthc sẽ đọc lại các báo cáo) hoặc chỉ tệp khác bằng --store, rồi chạy lại."
)


def sidecars(path: Path) -> list[Path]:
    """The files SQLite keeps next to a store (tthc's own, like the store)."""
    return [path.with_name(path.name + suffix) for suffix in _SIDECARS]


def check_store_file(path: Path) -> None:
    """Refuse, before anything is written, a path that is not a usable tthc store: a
    folder, a link, an empty or short file, a file that is not SQLite, a database of
    another program or of another layout, a damaged one, one whose kept records were
    changed outside tthc (their checksums), one tthc may not write to. A file that does
    not exist yet is fine when its folder exists: it will be created."""
    shown = readable(str(path))
    for file in (path, *sidecars(path)):
        _check_kind(file, readable(str(file)))
    if not os.path.lexists(path):
        _check_folder(path, shown)
        return
    try:
        with os.fdopen(open_regular(path, file_id(os.lstat(path))), "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except UnsafeFile as exc:
        raise StoreError(f"Tệp lưu trữ {shown} {exc.why}; {_WHAT_TO_DO}") from exc
    except OSError as exc:
        raise StoreError(
            f"Không đọc được tệp lưu trữ {shown} ({os_reason(exc)}); hãy kiểm tra quyền "
            "đọc, ghi tệp này."
        ) from exc
    if head != _SQLITE_MAGIC:
        raise StoreError(_not_a_store(shown))
    try:
        tables, mark = _store_tables(path, "mode=ro")
    except sqlite3.OperationalError:
        try:  # cannot open it for reading as usual (a full disk, a read-only folder)
            tables, mark = _store_tables(path, "mode=ro&immutable=1")
        except sqlite3.OperationalError:
            return  # cannot tell: opening it for the run will say what is wrong
        except sqlite3.DatabaseError as exc:
            raise StoreError(_damaged(shown)) from exc
    except sqlite3.DatabaseError as exc:  # an SQLite file whose pages cannot be read
        raise StoreError(_damaged(shown)) from exc
    # only tthc's tables (an older store has no marker table; a kill while the store was
    # first created may leave some of them, or none)
    if not tables <= _OWN_TABLES or mark not in (None, STORE_MARK):
        raise StoreError(_not_a_store(shown))
    _verify(path, shown)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise StoreError(_read_only(shown))


def _check_kind(path: Path, shown: str) -> None:
    """The store and the files SQLite keeps beside it are plain files or absent: never a
    link (SQLite would write through it), a folder, a pipe, a device."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"Không xem được tệp lưu trữ {shown} ({os_reason(exc)}).") from exc
    if stat.S_ISLNK(info.st_mode):
        raise StoreError(
            f"Tệp lưu trữ {shown} là một liên kết (symlink); tthc không ghi qua liên kết "
            f"để khỏi ghi đè một tệp khác trên máy; {_WHAT_TO_DO}"
        )
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"Tệp lưu trữ {shown} là một thư mục; hãy chỉ một tệp (.sqlite3).")
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        raise StoreError(_not_a_store(shown))


def _check_folder(path: Path, shown: str) -> None:
    """A new store goes into a folder that exists (tthc does not make folders for it)."""
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(
            f"Thư mục chứa tệp lưu trữ {shown} chưa có ({readable(str(folder))}); tthc không "
            "tự tạo thư mục cho --store. Hãy tạo thư mục đó, hoặc chỉ tệp lưu trữ trong một "
            "thư mục đã có."
        )
    if not os.access(folder, os.W_OK):
        raise StoreError(_read_only(shown))


def _read_only(shown: str) -> str:
    return (
        f"Tệp lưu trữ {shown} chỉ cho đọc (không có quyền ghi vào tệp, hoặc vào thư mục chứa "
        "nó, hoặc ổ đĩa chỉ cho đọc); tthc cần ghi vào đó. Hãy cấp quyền ghi, hoặc chỉ tệp "
        "khác bằng --store."
    )


def _verify(path: Path, shown: str) -> None:
    """The store's tables have tthc's columns, its pages are whole, and every record it
    keeps is the one tthc wrote (its checksum; an older store without checksums: JSON)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            for table, columns in _COLUMNS.items():
                found = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
                if found and found not in (columns, columns[:-1]):
                    raise StoreError(
                        f"Tệp lưu trữ {shown}: bảng {table} không đúng cấu trúc của tthc (tệp "
                        f"của phiên bản khác, hoặc bị sửa ngoài tthc); {_WHAT_TO_DO}"
                    )
            problems = [r[0] for r in db.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise StoreError(_damaged(shown))
            if "checksum" in [r[1] for r in db.execute("PRAGMA table_info(records)")]:
                rows = db.execute("SELECT sha256, fingerprint, path, record, checksum FROM records")
                for sha256, fp, where, text, checksum in rows:
                    _check_record(shown, where, sha256, fp, text, checksum)
            if [r[1] for r in db.execute("PRAGMA table_info(corrections)")]:
                rows = db.execute("SELECT id, sha256, correction, checksum FROM corrections")
                for number, sha256, text, checksum in rows:
                    if checksum != record_checksum(sha256, str(number), text):
                        raise StoreError(_edited_correction(shown, number))
    except sqlite3.OperationalError:
        return  # cannot be read now (locked, a full disk): opening it for the run will say
    except sqlite3.DatabaseError as exc:
        raise StoreError(_damaged(shown)) from exc


def _check_record(shown: str, where: str, sha256: str, fp: str, text: str, checksum) -> None:
    if checksum is None:
        try:
            json.loads(text)
        except (TypeError, ValueError) as exc:
            raise StoreError(_edited(shown, where)) from exc
    elif checksum != record_checksum(sha256, fp, text):
        raise StoreError(_edited(shown, where))


def record_checksum(sha256: str, fingerprint: str, text: str) -> str:
    """What a kept record must hash to: its file's content hash, the rules it was read
    with and its JSON (a record edited outside tthc, or moved to another file, fails)."""
    digest = hashlib.sha256()
    for part in (sha256, fingerprint, text):
        digest.update(str(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _damaged(shown: str) -> str:
    return f"Tệp lưu trữ {shown} bị hỏng (cấu trúc tệp SQLite không toàn vẹn); {_WHAT_TO_DO}"


def _edited(shown: str, where: str) -> str:
    return (
        f"Tệp lưu trữ {shown}: bản ghi của tệp {readable(str(where))} đã bị sửa ngoài tthc "
        "(không khớp mã kiểm tra), nên không dùng tệp lưu trữ này để khỏi đưa số liệu sai vào "
        f"kết quả; {_WHAT_TO_DO}"
    )


def _edited_correction(shown: str, number: int) -> str:
    return (
        f"Tệp lưu trữ {shown}: hiệu chỉnh số {number} của cán bộ đã bị sửa ngoài tthc (không "
        f"khớp mã kiểm tra), nên không dùng tệp lưu trữ này; {_WHAT_TO_DO}"
    )


def _store_tables(path: Path, mode: str) -> tuple[set[str], str | None]:
    """The tables of an SQLite file and its tthc marker (None when it has none)."""
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        mark = None
        if "tthc_store" in tables:
            row = db.execute("SELECT value FROM tthc_store WHERE key = 'marker'").fetchone()
            mark = row[0] if row else None
    return tables, mark


def is_store(path: Path) -> bool:
    """Whether a file is a tthc store (its marker table), without writing anything."""
    try:
        with path.open("rb") as fh:
            if fh.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                return False
        return _store_tables(path, "mode=ro&immutable=1")[1] == STORE_MARK
    except (OSError, sqlite3.Error):
        return False


def _not_a_store(shown: str) -> str:
    return (
        f"Tệp {shown} không phải tệp lưu trữ của tthc (không ghi đè để khỏi mất dữ liệu của "
        "tệp đó); hãy chỉ một tệp lưu trữ tthc đã có, hoặc một tên tệp chưa có để tạo mới."
    )


class Store:
    """The store, opened for a run. `checked`: check_store_file has just passed."""

    def __init__(self, path: Path, *, checked: bool = False) -> None:
        self.path = path
        if not checked:
            check_store_file(path)
        if not os.path.lexists(path):
            _create(path)
        for sidecar in sidecars(path)[:2]:  # SQLite then opens these, not a planted link
            with contextlib.suppress(FileExistsError):
                os.close(create_file(str(sidecar)))
        try:
            self.db = sqlite3.connect(path)
        except sqlite3.OperationalError as exc:
            raise _open_error(exc, readable(str(path))) from exc
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            # Each commit reaches the operating system before the call returns, so a killed
            # run keeps every file it finished; only the wait for the disk itself (fsync on
            # every commit, the default FULL) is left to the WAL checkpoints.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            with self.db:
                self.db.execute(
                    "INSERT OR IGNORE INTO tthc_store VALUES ('marker', ?)", (STORE_MARK,)
                )
            self._add_checksums()
        except sqlite3.OperationalError as exc:
            self.db.close()
            raise _open_error(exc, readable(str(path))) from exc
        except BaseException:
            self.db.close()
            raise

    def _add_checksums(self) -> None:
        """A store written before records had checksums gets them (the records were
        written by tthc; they are checked from now on)."""
        columns = [r[1] for r in self.db.execute("PRAGMA table_info(records)")]
        if "checksum" in columns:
            return
        with self.db:
            self.db.execute("ALTER TABLE records ADD COLUMN checksum TEXT")
            rows = self.db.execute("SELECT rowid, sha256, fingerprint, record FROM records")
            for rowid, sha256, fp, text in rows.fetchall():
                self.db.execute(
                    "UPDATE records SET checksum = ? WHERE rowid = ?",
                    (record_checksum(sha256, fp, text), rowid),
                )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- records
    def cached(self, sha256: str) -> Record | None:
        row = self.db.execute(
            "SELECT sha256, fingerprint, path, record, checksum FROM records "
            "WHERE sha256 = ? AND fingerprint = ?",
            (sha256, fingerprint()),
        ).fetchone()
        return self._record(row) if row else None

    def put(self, record: Record) -> None:
        """Keep a record (in its own transaction). Failed records are not kept: the file may
        be fixed, or a missing tool installed, before the next run."""
        if record.status == "failed" or not record.source.sha256:
            return
        text = _dumps(record.to_json())
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.source.sha256,
                    fingerprint(),
                    readable(record.source.path),
                    _now(),
                    text,
                    record_checksum(record.source.sha256, fingerprint(), text),
                ),
            )

    # ---------------------------------------------------------------- reports
    def current(self, commune: str, period_key: str) -> tuple[str, str] | None:
        """(sha256, path) of the commune's current report for the period."""
        row = self.db.execute(
            "SELECT sha256, path FROM reports WHERE commune = ? AND period_key = ?",
            (commune, period_key),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def set_current(self, commune: str, period_key: str, sha256: str, path: str) -> bool:
        """Make a file the commune's report for the period; True when it replaced another."""
        before = self.current(commune, period_key)
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?)",
                (commune, period_key, sha256, readable(path), _now()),
            )
        return before is not None and before[0] != sha256

    def periods(self, commune: str) -> Iterator[tuple[str, str]]:
        """(period_key, sha256) of every period the store holds for a commune."""
        yield from self.db.execute(
            "SELECT period_key, sha256 FROM reports WHERE commune = ?", (commune,)
        )

    def record_of(self, sha256: str) -> Record | None:
        """The newest record kept for a content, whatever version of the rules read it."""
        row = self.db.execute(
            "SELECT sha256, fingerprint, path, record, checksum FROM records WHERE sha256 = ? "
            "ORDER BY extracted_at DESC LIMIT 1",
            (sha256,),
        ).fetchone()
        return self._record(row) if row else None

    # ---------------------------------------------------------------- corrections
    def add_correction(self, correction: Correction) -> Correction:
        """Append an officer's correction to the log (never changed, never removed: an
        undo is a correction of its own; triggers refuse an UPDATE or DELETE) and return it
        with its number. The checksum covers the number, so an entry moved fails."""
        data = correction.model_dump(mode="json", exclude={"id"})
        text = _dumps(data)
        self.db.execute("BEGIN IMMEDIATE")  # the number is taken and used in one go
        try:
            (last,) = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM corrections").fetchone()
            number = last + 1
            self.db.execute(
                "INSERT INTO corrections VALUES (?, ?, ?, ?, ?)",
                (number, correction.sha256, data["at"], text,
                 record_checksum(correction.sha256, str(number), text)),
            )  # fmt: skip
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()
        return correction.model_copy(update={"id": number})

    def corrections(self, sha256: str | None = None) -> list[Correction]:
        """The log in order, for one report's content or for all."""
        query = "SELECT id, sha256, correction, checksum FROM corrections"
        rows = (
            self.db.execute(query + " WHERE sha256 = ? ORDER BY id", (sha256,))
            if sha256
            else self.db.execute(query + " ORDER BY id")
        )
        out = []
        for number, sha, text, checksum in rows.fetchall():
            if checksum != record_checksum(sha, str(number), text):
                raise StoreError(_edited_correction(readable(str(self.path)), number))
            try:
                out.append(Correction.model_validate({**json.loads(text), "id": number}))
            except ValueError as exc:
                raise StoreError(_edited_correction(readable(str(self.path)), number)) from exc
        return out

    def _record(self, row: tuple) -> Record:
        """A kept record, once its checksum holds. Read with the json module: a name kept
        escaped (\\udcff) comes back as the same lone surrogate, which pydantic's own JSON
        parser refuses."""
        sha256, fp, where, text, checksum = row
        shown = readable(str(self.path))
        if checksum != record_checksum(sha256, fp, text):
            raise StoreError(_edited(shown, where))
        try:
            return Record.model_validate(json.loads(text))
        except ValueError as exc:  # JSON or a record of another layout
            raise StoreError(_edited(shown, where)) from exc


def _create(path: Path) -> None:
    """A new store: made under a temporary name created with O_EXCL (never through a
    link) and given its final name only once it is a tthc store, so a run stopped at any
    moment never leaves an empty file that the next run would refuse."""
    temporary = path.with_name(f"{TMP_PREFIX}{os.getpid()}-{path.name}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    os.close(create_file(str(temporary)))
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as db:
            db.executescript(_SCHEMA)
            with db:
                db.execute("INSERT OR IGNORE INTO tthc_store VALUES ('marker', ?)", (STORE_MARK,))
        with contextlib.suppress(FileExistsError):  # made meanwhile: checked below
            os.link(temporary, path, follow_symlinks=False)
    finally:
        for file in (temporary, *sidecars(temporary)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(file)
    check_store_file(path)


def _open_error(exc: sqlite3.OperationalError, shown: str) -> Exception:
    """An SQLite error while opening the store: a read-only one is a store that cannot be
    used (StoreError); a full disk or an I/O error goes up as it is (the run words it)."""
    text = str(exc).lower()
    if "readonly" in text.replace("-", "").replace(" ", "") or "unable to open" in text:
        return StoreError(_read_only(shown))
    return exc


def _dumps(data: object) -> str:
    """JSON for the store. A name with undecodable bytes (lone surrogates) cannot be
    encoded as UTF-8 text: it is kept escaped (\\udcff), so it reads back exactly."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data)
    return text


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")
