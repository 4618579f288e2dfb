"""One report through every per-file stage: load → normalize → extract → check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from checks import run_checks
from extractors.extract import extract_file
from extractors.load import SUPPORTED_SUFFIXES
from schemas import Record


def process_file(path: str | Path) -> Record:
    """The finished record of one file, flags included. Never raises on a bad file."""
    record = extract_file(path)
    if record.status != "failed":
        record.flags = run_checks(record)
    return record


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; a folder stands for every report under it (recursively), in order."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            yield p
