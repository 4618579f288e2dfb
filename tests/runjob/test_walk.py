"""The input walk: every path under the folder is read or skipped with a reason and a kind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tthc.runjob import Skipped, scan, walk
from tthc.textkit.safe_io import LOCK_NAME


def kinds(found) -> dict[str, str]:
    return {s.path.name: s.kind for s in found.skipped}


def test_reports_are_read_and_everything_else_is_named(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.docx").write_bytes(b"PK")
    (tmp_path / "sub" / "C.PDF").write_bytes(b"%PDF")
    (tmp_path / "anh.jpg").write_bytes(b"x")
    (tmp_path / "roster.toml").write_text("[parent]", encoding="utf-8")
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    (tmp_path / "~$a.docx").write_bytes(b"x")
    os.symlink(tmp_path / "a.txt", tmp_path / "ban_sao.txt")
    os.symlink("/etc/hostname", tmp_path / "ngoai.txt")
    os.symlink(tmp_path / "mat.txt", tmp_path / "hong.txt")
    os.symlink(tmp_path, tmp_path / "sub" / "len")
    os.mkfifo(tmp_path / "ong")
    found = scan(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "a.txt",
        "sub/C.PDF",
        "sub/b.docx",
    ]
    assert kinds(found) == {
        "anh.jpg": walk.NOT_REPORT,
        "roster.toml": walk.NOT_REPORT,
        "Thumbs.db": walk.SYSTEM,
        "~$a.docx": walk.OFFICE_TEMP,
        "ban_sao.txt": walk.LINK_INSIDE,
        "ngoai.txt": walk.LINK_OUTSIDE,
        "hong.txt": walk.LINK_BROKEN,
        "len": walk.LINK_LOOP,
        "ong": walk.SPECIAL,
    }
    assert all(isinstance(s, Skipped) and s.reason[0].isupper() for s in found.skipped)
    assert all(s.kind in walk.KINDS for s in found.skipped)


def test_output_folders_are_recognised_by_place_and_by_their_lock_file(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    here = tmp_path / "ket_qua"
    here.mkdir()
    (here / "du_thao_thong_bao.docx").write_bytes(b"PK")
    old = tmp_path / "lan_truoc"
    old.mkdir()
    (old / LOCK_NAME).write_text("", encoding="utf-8")
    (old / "bao_cao.txt").write_text("x", encoding="utf-8")
    found = scan(tmp_path, exclude=[here])
    assert found.files == [tmp_path / "a.txt"]
    assert kinds(found) == {"ket_qua": walk.OWN_OUTPUT, "lan_truoc": walk.OWN_OUTPUT}


def test_a_symlinked_root_keeps_the_name_it_was_given(tmp_path: Path):
    real = tmp_path / "that"
    real.mkdir()
    (real / "a.txt").write_text("x", encoding="utf-8")
    shutil.copy(real / "a.txt", real / "b.txt")
    os.symlink(real, tmp_path / "link")
    found = scan(tmp_path / "link")
    assert found.files == [tmp_path / "link" / "a.txt", tmp_path / "link" / "b.txt"]
    assert not found.skipped
