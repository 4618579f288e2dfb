"""Spreadsheets as the national form: the vendor-variation fixtures of the provincial system's
export (corpus/fixtures/system, written by corpus/system_fixtures.py) read or refused with a
reason, and a commune's own form read as its report, every figure with its cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tthc.extract import NotAForm, read_export, record_from_grid
from tthc.extract.spreadsheet_form import find_header
from tthc.load import load, sheet_kind
from tthc.load.spreadsheet import load_grid
from tthc.schemas import LoadError
from tthc.schemas.sheets import EXPORT_KIND

FIXTURES = Path(__file__).resolve().parents[2] / "corpus" / "fixtures" / "system"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
EXPORTS = {n: e for n, e in EXPECTED.items() if not e.get("commune_form")}


def _units(export) -> dict[str, dict[str, int]]:
    """Each commune's figures summed over its rows (one per system), by the name the
    fixture gives it."""
    from tthc.rules.form_sheet import form_sheet_rules

    out: dict[str, dict[str, int]] = {}
    for row in export.rows:
        if row.kind != "unit" or row.group is not None:
            continue
        level_name = form_sheet_rules().unit_of(row.name)
        assert level_name is not None, row.name
        mine = out.setdefault(level_name[1], {})
        for k, v in row.figures.items():
            mine[k] = mine.get(k, 0) + v
    return out


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_vendor_fixture_is_read_or_refused_with_a_reason(name: str) -> None:
    expected = EXPORTS[name]
    if not expected["read"]:
        with pytest.raises((LoadError, NotAForm)) as caught:
            raw = load(FIXTURES / name)
            read_export(raw.grid) if raw.grid is not None else None
        assert expected["refused"] in str(caught.value).lower(), str(caught.value)
        return
    raw = load(FIXTURES / name)
    assert raw.grid is not None
    if "format" in expected:
        assert raw.format == expected["format"]  # by content: an HTML table named .xls
    export = read_export(raw.grid)
    assert export.period_key == expected["period_key"]
    if "units" not in expected:
        return
    assert _units(export) == expected["units"]
    assert export.sections == expected["sections"]
    assert len(export.ignored_columns) == expected["ignored_columns"]
    assert export.reporting_unit == "UBND tỉnh Bình Lĩnh"
    assert export.period_evidence is not None and export.period_evidence.cell


def test_every_figure_carries_its_cell() -> None:
    export = read_export(load(FIXTURES / "group_rows.xlsx").grid)
    row = next(r for r in export.rows if r.name == "UBND xã Tân Hòa")
    cell = row.cells["resolved_late"]
    assert (cell.sheet, cell.row) == ("Biểu 06", row.row)
    assert cell.cell == f"J{row.row}" and cell.quote == "2"
    # the provincial agencies and the land-registry branch are rows of other groups
    others = [r for r in export.rows if r.kind == "unit" and r.group is not None]
    assert {r.group for r in others} == {"Sở, ban, ngành", "Chi nhánh Văn phòng đăng ký đất đai"}


def test_columns_are_found_by_their_words_not_their_place(tmp_path: Path) -> None:
    """The same form with its groups in another order and a rate column in between."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["UBND TỈNH BÌNH LĨNH"])
    ws.append(["Từ ngày 15/12/2024 đến ngày 14/3/2025"])
    ws.append(["TT", "Tên đơn vị", "Số hồ sơ đang giải quyết", None, "Tỷ lệ đúng hạn (%)",
               "Số hồ sơ đã giải quyết", None, None, "Số hồ sơ tiếp nhận", None])  # fmt: skip
    ws.append([None, None, "Trong hạn", "Quá hạn", None, "Trước hạn", "Đúng hạn", "Trễ hạn",
               "Trực tuyến", "Trực tiếp"])  # fmt: skip
    ws.append([1, "Xã Tân Hòa", 4, 1, 98.5, 50, 10, 1, 40, 26])
    ws.append([2, "Phường Đông Sơn", 2, 0, 100, 80, 3, 0, 70, 15])
    path = tmp_path / "dao_cot.xlsx"
    wb.save(path)
    header = find_header(load(path).grid.sheets[0])
    assert header is not None
    assert header.fields == {
        "pending_in_time": 3,
        "pending_overdue": 4,
        "resolved_early": 6,
        "resolved_on_time": 7,
        "resolved_late": 8,
        "received_online": 9,
        "received_offline": 10,
    }
    assert header.ignored == ["Tỷ lệ đúng hạn (%)"]
    export = read_export(load(path).grid)
    assert export.period_key == "2025-Q1"


def test_the_kind_is_decided_by_content(tmp_path: Path) -> None:
    xlsx = (FIXTURES / "merged_header.xlsx").read_bytes()
    assert sheet_kind(xlsx) == "xlsx"
    assert sheet_kind((FIXTURES / "html_saved_as.xls").read_bytes()) == "html"
    assert sheet_kind(b"<html><body><p>no table</p></body></html>") is None
    renamed = tmp_path / "xuat.xls"
    renamed.write_bytes(xlsx)  # an .xlsx saved under an .xls name
    assert load(renamed).format == "xlsx"
    docx = Path(__file__).resolve().parents[2] / "tthc" / "sample"
    word = next(docx.glob("*.docx")).read_bytes()
    assert sheet_kind(word) is None  # a Word file is no spreadsheet


def test_a_broken_or_hostile_spreadsheet_gets_a_reason(tmp_path: Path) -> None:
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(LoadError, match="Excel"):
        load(broken)
    with pytest.raises(LoadError, match="Excel"):
        load_grid("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"))
    big = "<html><body><table>" + "<tr>" + "<td>1</td>" * 500 + "</tr></table></body></html>"
    with pytest.raises(LoadError, match="quá nhiều ô"):
        load_grid("x.xls", big.encode())


def test_a_commune_form_is_its_report_with_cells_as_evidence() -> None:
    expected = EXPECTED["commune_form_tan_hoa.xlsx"]
    record = record_from_grid(load(FIXTURES / "commune_form_tan_hoa.xlsx").grid)
    assert (record.unit.name, record.unit.level) == ("Tân Hòa", "xã")
    assert record.report.period_key == expected["period_key"]
    whole = next(p for p in record.periods if p.scope == "all")
    stated = whole.dossiers.model_dump(exclude_none=True)
    assert stated == expected["all"]
    assert whole.evidence["received_total"].cell == "C9"
    fields = {p.scope: p.dossiers.received_total for p in record.periods if p.scope != "all"}
    assert fields == expected["fields"]


def test_a_table_of_many_units_is_not_a_commune_report() -> None:
    record = record_from_grid(load(FIXTURES / "merged_header.xlsx").grid)
    assert record.report.kind == EXPORT_KIND and not record.periods
