"""The column specs (tthc/render/columns.py): checked against render_labels.toml, and what
the workbook and the CSV files lay out. The workbook is the real writer's, on a small
district consolidated by the real code (tests/factories.py)."""

from __future__ import annotations

import copy
import csv
import dataclasses
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tthc.render import columns as spec_module
from tthc.render import csv_files, workbook
from tthc.render.columns import FILES, FLAGS, FMT_SCORE, TABLES, Col, Table, file_width
from tthc.render.workbook import SEVERITY_FILLS, flag_table, write_workbook
from tthc.rules.phrasing import RulesError
from tthc.schemas.summary import DistrictSummary
from tthc.wording import labels


def _labels_with(section: str, columns: dict[str, str]) -> dict[str, Any]:
    words = copy.deepcopy(labels())
    words[section]["columns"] = columns
    return words


# ---------------------------------------------------------------- the spec is checked


def test_every_table_finds_its_headers_in_the_shipped_labels() -> None:
    for table in TABLES:
        assert len(table.headers()) == len(table.columns), table.section


def test_a_misspelt_key_in_render_labels_is_an_error_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    columns = dict(labels()["flags"]["columns"])
    columns["sevrity"] = columns.pop("severity")
    monkeypatch.setattr(spec_module, "labels", lambda: _labels_with("flags", columns))
    with pytest.raises(RulesError) as caught:
        FLAGS.headers()
    said = str(caught.value)
    assert "render_labels.toml" in said and "[flags.columns]" in said
    assert "unknown column keys ['sevrity']" in said and "missing ['severity']" in said


def test_a_row_with_a_misspelt_key_is_refused_not_shifted(district: DistrictSummary) -> None:
    row = flag_table(district)[0]
    row["sevrity"] = row.pop("severity")
    with pytest.raises(ValueError, match=r"unknown: \['sevrity'\], missing: \['severity'\]"):
        FLAGS.sheet_line(row)
    with pytest.raises(ValueError, match="no column 'sevrity'"):
        FLAGS.number("sevrity")


def test_a_key_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"given twice: \['unit'\]"):
        Table("flags", (Col("unit", 5), Col("unit", 6)))


# ---------------------------------------------------------------- the workbook follows it


def _sheet(book: Path, name: str):
    return load_workbook(book)[labels()["sheets"][name]]


def test_the_flags_sheet_headers_widths_and_wrap_are_the_specs(
    book: Path, district: DistrictSummary
) -> None:
    ws = _sheet(book, "flags")
    words = labels()["flags"]["columns"]
    assert [c.value for c in ws[1]] == [words[c.key] for c in FLAGS.columns]
    assert ws["E1"].value == "Mức độ" and ws["H1"].value == "Nội dung"
    files = [ws.cell(r, FLAGS.number("file")).value for r in range(2, len(district.flags) + 2)]
    for n, col in enumerate(FLAGS.columns, 1):
        width = col.width(files) if callable(col.width) else col.width
        assert ws.column_dimensions[get_column_letter(n)].width == width, col.key
        assert bool(ws.cell(2, n).alignment.wrap_text) == col.wrap, col.key
    assert ws.column_dimensions["H"].width == 45 and ws["H2"].alignment.wrap_text


def test_the_files_sheet_formats_the_score_and_shortens_the_hash(
    book: Path, district: DistrictSummary
) -> None:
    ws = _sheet(book, "files")
    header = [c.value for c in ws[1]]
    assert header == FILES.headers()
    score, sha = header.index("Mức khớp tên (%)") + 1, header.index("Mã SHA-256") + 1
    assert all(ws.cell(r, score).number_format == FMT_SCORE for r in range(2, ws.max_row + 1))
    names = [ws.cell(r, FILES.number("file")).value for r in range(2, ws.max_row + 1)]
    assert ws.column_dimensions["B"].width == file_width(names)
    full = {o.sha256 for o in district.outcomes if o.sha256}
    shown = [ws.cell(r, sha).value for r in range(2, ws.max_row + 1)]
    assert shown and all(len(s) == 12 and any(f.startswith(s) for f in full) for s in shown if s)


def test_moving_a_column_in_the_spec_moves_it_in_the_sheet_and_the_csv(
    district: DistrictSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writers address columns by key: the severity, moved first and widened in the
    spec alone, is still the coloured cell, on the sheet and first in the CSV."""
    severity = next(c for c in FLAGS.columns if c.key == "severity")
    others = tuple(c for c in FLAGS.columns if c.key != "severity")
    moved = Table("flags", (dataclasses.replace(severity, width=12), *others))
    monkeypatch.setattr(workbook, "FLAGS", moved)
    monkeypatch.setattr(csv_files, "FLAGS", moved)
    ws = load_workbook(write_workbook(district, tmp_path / "tong_hop.xlsx"))[
        labels()["sheets"]["flags"]
    ]
    assert ws["A1"].value == "Mức độ" and ws["B1"].value == "STT"
    assert ws.column_dimensions["A"].width == 12
    first = district.flags[0].flag.severity
    assert ws["A2"].fill.fgColor.rgb == SEVERITY_FILLS[first].fgColor.rgb
    assert ws["E2"].fill.fgColor.rgb in (None, "00000000")  # the old place is left alone
    path = csv_files.write_flags_csv(district, tmp_path / "canh_bao.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, line = next(csv.reader(fh)), next(csv.reader(fh))
    assert header[:2] == ["Mức độ", "STT"] and line[0] == ws["A2"].value
