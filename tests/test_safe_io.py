"""Safe output: readable names, text that is never a formula, whole files, the marker."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from textkit.safe_io import (
    JOURNAL,
    MARKER,
    OutputSet,
    add_run_column,
    csv_field,
    csv_run_id,
    is_formula_like,
    ooxml_run_id,
    put_text,
    readable,
    stamp_ooxml,
    write_atomic,
)

BAD_NAME = os.fsdecode(b"bao_cao_\xff\xfe_x\xe3.txt")  # Latin-1 bytes: not UTF-8


def test_undecodable_bytes_and_controls_become_replacement_characters():
    shown = readable(BAD_NAME)
    shown.encode("utf-8")  # no lone surrogate left
    assert shown.startswith("bao_cao_") and "\ufffd" in shown and shown.endswith(".txt")
    assert readable(os.fsdecode("xã Ngọc Giang.docx".encode())) == "xã Ngọc Giang.docx"
    assert readable("a\x1b[31mb\x00c") == "a\ufffd[31mb\ufffdc"
    assert readable("dòng 1\ndòng 2\tx") == "dòng 1\ndòng 2\tx"


@pytest.mark.parametrize(
    "text", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_formula_like_text_is_neutralised_in_csv(text):
    assert is_formula_like(text)
    assert csv_field(text) == "'" + readable(text)


@pytest.mark.parametrize("value", ["-3", "+12,5%", "1.406", "xã An", "", 12, -3, None])
def test_plain_values_are_left_alone(value):
    assert csv_field(value) == ("" if value is None else value)


def test_workbook_cell_is_stored_as_text_never_as_formula(tmp_path: Path):
    wb = Workbook()
    put_text(wb.active.cell(1, 1), '=HYPERLINK("http://127.0.0.1/","bấm")')
    put_text(wb.active.cell(2, 1), "@SUM(1)")
    put_text(wb.active.cell(3, 1), BAD_NAME)
    path = tmp_path / "a.xlsx"
    wb.save(path)
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(1, 1).data_type == "s" and ws.cell(1, 1).value.startswith("=HYPERLINK")
    assert ws.cell(1, 1).quotePrefix
    assert ws.cell(2, 1).data_type == "s"
    assert "\ufffd" in ws.cell(3, 1).value


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path: Path):
    final = tmp_path / "kq.csv"
    final.write_text("cũ", encoding="utf-8")

    def broken(p: Path) -> None:
        p.write_text("mới nhưng dở", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomic(final, broken, "r1")
    assert final.read_text(encoding="utf-8") == "cũ"
    assert os.listdir(tmp_path) == ["kq.csv"]


def test_an_interrupted_commit_is_finished_by_recover(tmp_path: Path):
    old = {"a.txt": "cũ A", "b.txt": "cũ B"}
    for name, text in old.items():
        (tmp_path / name).write_text(text)
    outputs = OutputSet(tmp_path, "r2")
    for name in old:
        outputs.write(tmp_path / name, lambda p, n=name: p.write_text(f"mới {n}"))
    # as if killed after the journal and the first rename
    import json

    pairs = [[t.name, f.name] for t, f in outputs.pending]
    (tmp_path / JOURNAL).write_text(json.dumps({"run_id": "r2", "files": pairs}))
    os.replace(*outputs.pending[0])
    assert (tmp_path / "a.txt").read_text() == "mới a.txt"
    assert (tmp_path / "b.txt").read_text() == "cũ B"  # mixed until recovered
    assert OutputSet.recover(tmp_path) == "r2"
    assert {p.name for p in tmp_path.iterdir()} == {"a.txt", "b.txt"}
    assert (tmp_path / "b.txt").read_text() == "mới b.txt"


def test_leftover_temporary_files_without_journal_are_dropped(tmp_path: Path):
    (tmp_path / "a.txt").write_text("cũ")
    OutputSet(tmp_path, "r3").write(tmp_path / "a.txt", lambda p: p.write_text("dở"))
    assert OutputSet.recover(tmp_path) is None
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    assert (tmp_path / "a.txt").read_text() == "cũ"


def test_marker_and_run_id_in_ooxml_and_csv(tmp_path: Path):
    wb = Workbook()
    wb.active["A1"] = "x"
    path = tmp_path / "t.xlsx"
    wb.save(path)
    assert ooxml_run_id(path) is None
    stamp_ooxml(path, "20250101-000000-abc")
    assert ooxml_run_id(path) == "20250101-000000-abc"
    props = openpyxl.load_workbook(path).properties
    assert props.keywords == MARKER and props.identifier == "20250101-000000-abc"
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["STT", "Tệp"], [1, "a.txt"]])
    assert csv_run_id(table) is None
    add_run_column(table, "r9")
    assert csv_run_id(table) == "r9"
    with table.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1] == ["1", "a.txt", "r9"]
