"""The local store: every record ever extracted, by file content, and which file is each
commune's current report for each period.

One SQLite file (by default in the output folder). Re-running on the same folder reuses the
records of files whose content (sha256) was already read by the same version of the rules;
a new version of a report replaces the old one for that commune and period; earlier periods
stay, so the summary can compare with the previous period. Every file's write is its own
transaction: an interrupted run keeps what it finished.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from schemas import Record

STORE_NAME = "tthc-store.sqlite3"
_SCHEMA = """
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
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in ("extractors", "checks", "schemas"):
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


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)
        self.db.commit()

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
        return Record.model_validate_json(row[0]) if row else None

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
                    record.source.path,
                    _now(),
                    json.dumps(record.to_json(), ensure_ascii=False),
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
                (commune, period_key, sha256, path, _now()),
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
        return Record.model_validate_json(row[0]) if row else None


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")
