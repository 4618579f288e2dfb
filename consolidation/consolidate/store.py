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
import sqlite3
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from schemas import Record
from textkit.safe_io import readable

STORE_NAME = "tthc-store.sqlite3"
STORE_MARK = "tthc-store"  # the store's own table says what the file is
_SQLITE_MAGIC = b"SQLite format 3\x00"
_OWN_TABLES = {"tthc_store", "records", "reports"}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tthc_store (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    path TEXT NOT NULL,
    extracted_at TEXT NOT NULL,
    record TEXT NOT NULL,
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
"""


@cache
def fingerprint() -> str:
    """What an extraction depends on: the code and the rules. A change invalidates reuse."""
    return tree_fingerprint(Path(__file__).resolve().parents[2])


def tree_fingerprint(root: Path) -> str:
    """The fingerprint of the code and rules under `root` (every .py, .toml, .csv and .tsv
    of the stages up to checking, the rules package included)."""
    digest = hashlib.sha256()
    for folder in ("extractors", "checks", "schemas", "rules", "textkit"):
        for f in sorted((root / folder).rglob("*")):
            if f.suffix in (".py", ".toml", ".csv", ".tsv") and f.is_file():
                digest.update(f.relative_to(root).as_posix().encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class StoreError(Exception):
    """A store file that cannot be used; the message (Vietnamese) names the file."""


def check_store_file(path: Path) -> None:
    """Refuse, before anything is written, a path that is not a tthc store: a folder, an
    empty or short file, a file that is not SQLite, a database of another program. A file
    that does not exist yet is fine: it will be created."""
    shown = readable(str(path))
    if path.is_dir():
        raise StoreError(f"Tệp lưu trữ {shown} là một thư mục; hãy chỉ một tệp (.sqlite3).")
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(
            f"Không đọc được tệp lưu trữ {shown} ({exc.strerror or exc}); hãy kiểm tra quyền "
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
            raise StoreError(_not_a_store(shown)) from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(_not_a_store(shown)) from exc
    # only tthc's tables (an older store has no marker table; a kill while the store was
    # first created may leave some of them, or none)
    if not tables <= _OWN_TABLES or mark not in (None, STORE_MARK):
        raise StoreError(_not_a_store(shown))


def _store_tables(path: Path, mode: str) -> tuple[set[str], str | None]:
    """The tables of an SQLite file and its tthc marker (None when it has none)."""
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        mark = None
        if "tthc_store" in tables:
            row = db.execute("SELECT value FROM tthc_store WHERE key = 'marker'").fetchone()
            mark = row[0] if row else None
    return tables, mark


def _not_a_store(shown: str) -> str:
    return (
        f"Tệp {shown} không phải tệp lưu trữ của tthc (không ghi đè để khỏi mất dữ liệu của "
        "tệp đó); hãy chỉ một tệp lưu trữ tthc đã có, hoặc một tên tệp chưa có để tạo mới."
    )


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        check_store_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
            with self.db:
                self.db.execute(
                    "INSERT OR IGNORE INTO tthc_store VALUES ('marker', ?)", (STORE_MARK,)
                )
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- records
    def cached(self, sha256: str) -> Record | None:
        row = self.db.execute(
            "SELECT record FROM records WHERE sha256 = ? AND fingerprint = ?",
            (sha256, fingerprint()),
        ).fetchone()
        return _record(row[0]) if row else None

    def put(self, record: Record) -> None:
        """Keep a record (in its own transaction). Failed records are not kept: the file may
        be fixed, or a missing tool installed, before the next run."""
        if record.status == "failed" or not record.source.sha256:
            return
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
                (
                    record.source.sha256,
                    fingerprint(),
                    readable(record.source.path),
                    _now(),
                    _dumps(record.to_json()),
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
            "SELECT record FROM records WHERE sha256 = ? ORDER BY extracted_at DESC LIMIT 1",
            (sha256,),
        ).fetchone()
        return _record(row[0]) if row else None


def _record(text: str) -> Record:
    """A stored record. Read with the json module: a name kept escaped (\\udcff) comes
    back as the same lone surrogate, which pydantic's own JSON parser refuses."""
    return Record.model_validate(json.loads(text))


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
