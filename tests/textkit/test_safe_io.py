"""Safe output: readable names, text that is never a formula, whole files, the marker."""

from __future__ import annotations

import csv
import errno
import os
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from tthc.textkit.safe_io import (
    CURRENT,
    MARKER,
    TMP_PREFIX,
    VERSIONS,
    ResultSet,
    UnsafeFile,
    add_run_column,
    create_file,
    csv_field,
    csv_run_id,
    file_id,
    is_formula_like,
    ooxml_run_id,
    open_folder,
    open_own_file,
    os_reason,
    prune,
    put_text,
    read_regular,
    readable,
    stamp_ooxml,
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


NAMES = ["a.txt", "b.txt"]


def commit_set(folder: Path, run_id: str, texts: dict[str, str], fail_on: str = "") -> None:
    """One ResultSet written and committed into `folder` (a writer may fail on a name)."""
    fd = open_folder(folder)
    try:
        with ResultSet(folder, fd, NAMES, run_id) as outputs:
            for name in NAMES:

                def write(path: Path, name: str = name) -> None:
                    path.write_text(texts[name], encoding="utf-8")
                    if name == fail_on:
                        raise OSError(28, "No space left on device")

                outputs.write(name, write)
            outputs.commit()
    finally:
        os.close(fd)


def shown(folder: Path) -> dict[str, str]:
    return {n: (folder / n).read_text(encoding="utf-8") for n in NAMES if (folder / n).exists()}


def test_a_set_is_shown_through_one_pointer_and_replaced_whole(tmp_path: Path):
    commit_set(tmp_path, "r1", {"a.txt": "A1", "b.txt": "B1"})
    assert shown(tmp_path) == {"a.txt": "A1", "b.txt": "B1"}
    assert all((tmp_path / n).is_symlink() for n in NAMES)
    assert os.readlink(tmp_path / VERSIONS / CURRENT) == "r1"
    commit_set(tmp_path, "r2", {"a.txt": "A2", "b.txt": "B2"})
    assert shown(tmp_path) == {"a.txt": "A2", "b.txt": "B2"}
    assert sorted(os.listdir(tmp_path / VERSIONS)) == [CURRENT, "r2"]  # older sets removed


def test_a_writer_failing_half_way_changes_nothing_shown(tmp_path: Path):
    commit_set(tmp_path, "r1", {"a.txt": "A1", "b.txt": "B1"})
    with pytest.raises(OSError):
        commit_set(tmp_path, "r2", {"a.txt": "A2", "b.txt": "B2"}, fail_on="b.txt")
    assert shown(tmp_path) == {"a.txt": "A1", "b.txt": "B1"}
    assert sorted(os.listdir(tmp_path / VERSIONS)) == [CURRENT, "r1"]


def test_plain_results_of_an_earlier_version_become_a_set_without_changing(tmp_path: Path):
    (tmp_path / "a.txt").write_text("cũ A", encoding="utf-8")
    (tmp_path / "b.txt").write_text("cũ B", encoding="utf-8")
    with pytest.raises(OSError):  # stopped after the names became links: same content
        commit_set(tmp_path, "r1", {"a.txt": "A1", "b.txt": "B1"}, fail_on="b.txt")
    assert shown(tmp_path) == {"a.txt": "cũ A", "b.txt": "cũ B"}
    commit_set(tmp_path, "r2", {"a.txt": "A2", "b.txt": "B2"})
    assert shown(tmp_path) == {"a.txt": "A2", "b.txt": "B2"}
    assert all((tmp_path / n).is_symlink() for n in NAMES)


def test_leftovers_of_a_stopped_run_are_pruned(tmp_path: Path):
    commit_set(tmp_path, "r1", {"a.txt": "A1", "b.txt": "B1"})
    (tmp_path / VERSIONS / "r9").mkdir()  # a set never switched in
    (tmp_path / VERSIONS / "r9" / "a.txt").write_text("dở", encoding="utf-8")
    (tmp_path / f"{TMP_PREFIX}r9-a.txt").symlink_to("khong_co")
    fd = open_folder(tmp_path)
    try:
        prune(fd)
    finally:
        os.close(fd)
    assert sorted(os.listdir(tmp_path / VERSIONS)) == [CURRENT, "r1"]
    assert sorted(os.listdir(tmp_path)) == sorted([VERSIONS, *NAMES])


def test_new_files_are_never_opened_through_a_link(tmp_path: Path):
    target = tmp_path / "bi_mat.txt"
    target.write_text("giữ nguyên", encoding="utf-8")
    (tmp_path / "khoa").symlink_to(target)
    fd = open_folder(tmp_path)
    try:
        with pytest.raises(OSError):  # O_EXCL: never an existing name, never a link
            create_file("khoa", fd)
        with pytest.raises(UnsafeFile, match="liên kết"):
            open_own_file("khoa", fd)
        os.link(target, tmp_path / "ten_khac")
        with pytest.raises(UnsafeFile, match="nhiều tên"):
            open_own_file("ten_khac", fd)
        os.mkfifo(tmp_path / "ong")
        with pytest.raises(UnsafeFile, match="đường ống"):
            open_own_file("ong", fd)  # refused without blocking
    finally:
        os.close(fd)
    assert target.read_text(encoding="utf-8") == "giữ nguyên"


def test_a_file_read_must_still_be_the_file_the_walk_saw(tmp_path: Path):
    report = tmp_path / "bao_cao.txt"
    report.write_text("số liệu", encoding="utf-8")
    seen = file_id(report.stat())
    assert read_regular(report, seen) == "số liệu".encode()
    secret = tmp_path / "bi_mat.txt"
    secret.write_text("bí mật", encoding="utf-8")
    report.unlink()
    report.symlink_to(secret)
    with pytest.raises(UnsafeFile, match="liên kết"):
        read_regular(report, seen)
    report.unlink()
    report.write_text("số liệu khác", encoding="utf-8")  # another file under the name
    with pytest.raises(UnsafeFile, match="đã bị thay"):
        read_regular(report, seen)


def test_system_errors_are_worded_in_vietnamese():
    assert os_reason(OSError(errno.ENAMETOOLONG, "File name too long")).startswith("đường dẫn")
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "ổ đĩa đã đầy"
    assert "EXFULL" in os_reason(OSError(errno.EXFULL, "Exchange full"))


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
    empty = tmp_path / "e.csv"  # no row: one that says so, with the run id
    empty.write_text("STT,Nội dung\n", encoding="utf-8-sig")
    add_run_column(empty, "r10", empty={"Nội dung": "Không có."})
    assert csv_run_id(empty) == "r10"
