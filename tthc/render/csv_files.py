"""The CSV outputs: the flags and the files, with the columns of their workbook sheets.

UTF-8 with a byte-order mark (Excel then reads the Vietnamese letters); every field that
could start a formula is written as text. Like the workbook, a pure rendering of the
district summary. Each CSV is written from the column spec its sheet uses (FLAGS, FILES in
tthc/render/columns.py), so the two show the same columns in the same order; a column
the CSV writes its own way says so in its spec.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tthc.render.columns import FILES, FLAGS, Table
from tthc.render.workbook import flag_table, outcome_table
from tthc.schemas.summary import DistrictSummary
from tthc.textkit.safe_io import csv_field


def _write_csv(path: Path | str, spec: Table, rows: Sequence[Mapping[str, Any]]) -> Path:
    """UTF-8 with a byte-order mark: Excel then reads the Vietnamese letters correctly."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([csv_field(v) for v in spec.headers()])
        writer.writerows([csv_field(v) for v in spec.csv_line(row)] for row in rows)
    return path


def write_flags_csv(summary: DistrictSummary, path: Path | str) -> Path:
    """Every flag, one line each, with the same columns as the "Cảnh báo" sheet."""
    return _write_csv(path, FLAGS, flag_table(summary))


def write_outcomes_csv(summary: DistrictSummary, path: Path | str) -> Path:
    """What happened to every file, with the same columns as the "Tệp đã xử lý" sheet."""
    return _write_csv(path, FILES, outcome_table(summary))
