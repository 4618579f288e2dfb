"""The CSV outputs (canh_bao.csv, ket_qua_doc_tep.csv), read back with the csv module: the
columns of their sheets, Vietnamese intact for Excel, and no field ever a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.factories import TRICKY, flag, record, small_district, summary
from tthc.render import write_flags_csv, write_outcomes_csv
from tthc.render.columns import FILES, FLAGS
from tthc.schemas.summary import DistrictSummary
from tthc.wording import labels


@pytest.fixture(scope="module")
def district() -> DistrictSummary:
    return small_district()


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_flags_csv_reopens_with_vietnamese_intact(
    district: DistrictSummary, tmp_path: Path
) -> None:
    path = write_flags_csv(district, tmp_path / "canh_bao.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = rows_of(path)
    assert len(rows) == len(district.flags)
    assert list(rows[0]) == FLAGS.headers()  # the sheet's columns, in its order
    assert list(rows[0])[4] == labels()["flags"]["columns"]["severity"] == "Mức độ"
    conflict = next(r for r in rows if r["Mã"] == "conflict.value")
    assert TRICKY in conflict["Nội dung"] and conflict["Đơn vị"] == "Xã Tây Sơn"


def test_outcomes_csv_reopens_with_vietnamese_intact(
    district: DistrictSummary, tmp_path: Path
) -> None:
    rows = rows_of(write_outcomes_csv(district, tmp_path / "ket_qua.csv"))
    assert list(rows[0]) == FILES.headers()
    assert [r["Tệp"] for r in rows] == [
        "01_dong_hoa.pdf",
        "02_tay_son.docx",
        "03_nam_phong.txt",
        "hong.pdf",
    ]
    assert rows[3]["Kết quả"] == "Không đọc được" and "<lỗi>" in rows[3]["Lý do"]
    # the CSV's own way (FILES spec): the score as the sheet shows it, the whole hash
    assert [r["Mức khớp tên (%)"] for r in rows] == ["100,0", "100,0", "100,0", ""]
    assert rows[0]["Mã SHA-256"] == district.outcomes[0].sha256
    assert len(rows[0]["Mã SHA-256"]) > 12  # the sheet shows the first 12 characters


def test_a_field_that_would_start_a_formula_is_written_as_text(tmp_path: Path) -> None:
    """A file name or a message a commune controls may start with '=', '+', '-' or '@':
    a leading apostrophe keeps Excel from running it (OWASP's advice)."""
    evil = record(
        "Tây Sơn",
        path="=HYPERLINK(1).txt",
        received_total=10,
        flags=[flag("balance", ["received_total"], message="=1+2 hồ sơ", severity="warning")],
    )
    s = summary(evil)
    flags = rows_of(write_flags_csv(s, tmp_path / "canh_bao.csv"))
    files = rows_of(write_outcomes_csv(s, tmp_path / "ket_qua.csv"))
    (row,) = [r for r in flags if r["Mã"] == "balance"]
    assert row["Nội dung"] == "'=1+2 hồ sơ"
    assert [r["Tệp"] for r in files] == ["'=HYPERLINK(1).txt"]
    text = (tmp_path / "canh_bao.csv").read_text(encoding="utf-8-sig")
    assert not any(cell.startswith("=") for line in csv.reader(text.splitlines()) for cell in line)
