"""The CSV outputs: the flags and the files, with the columns of their workbook sheets.

UTF-8 with a byte-order mark (Excel then reads the Vietnamese letters); every field that
could start a formula is written as text. Like the workbook, a pure rendering of the
district summary.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tthc.render.workbook import flag_table, outcome_table
from tthc.schemas.summary import DistrictSummary
from tthc.textkit.numbers import format_vi
from tthc.textkit.safe_io import csv_field
from tthc.wording import labels


def _write_csv(path: Path | str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """UTF-8 with a byte-order mark: Excel then reads the Vietnamese letters correctly."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([csv_field(v) for v in header])
        writer.writerows([csv_field(v) for v in row] for row in rows)
    return path


def write_flags_csv(summary: DistrictSummary, path: Path | str) -> Path:
    """Every flag, one line each, with the same columns as the "Cảnh báo" sheet."""
    return _write_csv(path, labels()["flags"]["columns"], flag_table(summary))


def write_outcomes_csv(summary: DistrictSummary, path: Path | str) -> Path:
    """What happened to every file, with the same columns as the "Tệp đã xử lý" sheet."""
    table = outcome_table(summary)
    for line in table:  # the match score the Vietnamese way, as on the sheet
        line[4] = "" if line[4] is None else format_vi(line[4], 1)
    return _write_csv(path, labels()["files"]["columns"], table)
