"""The per-file pipeline: one report through load → normalize → extract → check.

Every command reads a file through `process_file` (`tthc run`, `check` and `extract` in a
worker process each, see runjob/batch.py): the finished `Record`, flags included. A file that
cannot be read gives a failed record with the reason; nothing here raises on a bad file, so
one bad file never stops a batch. `read_file` and `read_document` stop before the checks:
the readers alone, for tests, benchmarks and the scan tools.
"""

from __future__ import annotations

from pathlib import Path

from tthc.check import run_checks
from tthc.extract import extract, record_from_grid
from tthc.load import OcrSettings, load
from tthc.normalize import normalize
from tthc.schemas import LoadError, RawDocument, Record
from tthc.textkit.safe_io import FileId


def process_file(
    path: str | Path, expect: FileId | None = None, *, ocr_settings: OcrSettings | None = None
) -> Record:
    """The finished record of one file, flags included. `expect`: the file the folder walk
    saw there (device, inode, change time); a file replaced since, or a link put in its
    place, is not read (see `load`)."""
    record = read_file(path, expect=expect, ocr_settings=ocr_settings)
    if record.status != "failed":
        record.flags = run_checks(record)
    return record


def read_file(
    path: str | Path, *, expect: FileId | None = None, ocr_settings: OcrSettings | None = None
) -> Record:
    """The record of one file before the checks; a file that cannot be read gives a failed
    record with the loader's reason. Scanned pages are read with `ocr_settings` (default:
    from the environment)."""
    try:
        raw = load(path, ocr_settings=ocr_settings, expect=expect)
    except LoadError as exc:
        return Record.failed(path, exc.reason, exc.technical)
    return read_document(raw)


def read_document(raw: RawDocument) -> Record:
    """The record of a loaded document, before the checks. A spreadsheet is read as the
    national form, cell by cell (its cells are not a text to normalize)."""
    if raw.grid is not None:
        return record_from_grid(raw.grid)
    return extract(normalize(raw), raw)


__all__ = ["process_file", "read_document", "read_file"]
