"""Helpers of the workspace tests: a copy of the sample district with a store already
read (so each test starts from the same district in a second), an `unread` number put on
a report's record through the store's own API, and the CSRF token of a page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.factories import flag
from tthc.consolidate import STORE_NAME, Store
from tthc.runjob import default_folder, run
from tthc.schemas import Evidence, Record

UNREAD_FILE = "10_xa_long_hoa.txt"  # the report given an unread number when none has one
UNREAD_FIELDS = ("received_online", "received_offline")


def seeded(tmp_path: Path, seed: Path) -> tuple[Path, Path]:
    """(reports folder, results folder) of the sample, the results folder holding a copy
    of the seed store (every report already read)."""
    folder = tmp_path / "bao_cao"
    shutil.copytree(default_folder(), folder)
    out = tmp_path / "ket_qua"
    out.mkdir()
    shutil.copy(seed / STORE_NAME, out / STORE_NAME)
    return folder, out


def seed_store(where: Path, with_unread: bool = True) -> Path:
    """Read the sample once into a store (a `tthc run`); with `with_unread`, make sure a
    report carries an `unread` number (see `give_unread`)."""
    out = where / "seed"
    run(default_folder(), out)
    if with_unread:
        give_unread(out / STORE_NAME)
    return out


def give_unread(store_path: Path) -> tuple[str, int]:
    """A report with an `unread` number, as the readers of issue 17 make them: when no
    record has one yet, Long Hòa's online figure is taken out of its record (and the
    in-person one, so neither can be computed from the other) and left as an unread
    number with its passage. Returns (file name, number)."""
    with Store(store_path) as store:
        rows = store.db.execute("SELECT sha256 FROM records").fetchall()
        records = [store.cached(sha) for (sha,) in rows]
        for record in records:
            if record is not None and any(f.code == "unread" for f in record.flags):
                first = next(f for f in record.flags if f.code == "unread")
                return Path(record.source.path).name, int(first.actual)
        record = next(r for r in records if r and Path(r.source.path).name == UNREAD_FILE)
        value, evidence = _take_out(record)
        record.flags.append(
            flag(
                "unread",
                [],
                "warning",
                actual=value,
                expected=None,
                message=f"Số {value} có dạng số hồ sơ nhưng chưa được đọc vào số liệu nào.",
                evidence=[evidence],
            )
        )
        store.put(record)
    return UNREAD_FILE, value


def _take_out(record: Record) -> tuple[int, Evidence]:
    period = next(p for p in record.periods if p.scope == "all")
    value = getattr(period.dossiers, UNREAD_FIELDS[0])
    evidence = period.evidence[UNREAD_FIELDS[0]]
    for name in UNREAD_FIELDS:
        setattr(period.dossiers, name, None)
        period.evidence.pop(name, None)
    return value, evidence


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def version_of(html: str) -> str:
    found = re.search(r'name="phien_ban" value="(\d+)"', html)
    assert found
    return found.group(1)
