"""`tthc run` as a careful reviewer probes it: its own outputs in the input folder, hostile
file names, things that are not reports, kills, a second run, a full disk, a read-only
folder, a store that is not a store. Every case goes through the real command."""

from __future__ import annotations

import contextlib
import csv
import ctypes
import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from corpus.fuzz import output_digest
from textkit.safe_io import JOURNAL, LOCK_NAME, TMP_PREFIX
from tthc.run import OUTPUT_NAMES, default_folder, output_run_ids

REPORTS = ("03_xa_ngoc_giang.txt", "08_xa_dong_thinh.txt", "10_xa_long_hoa.txt", "11_xa_duc_xa.txt")


def tthc(*args, cwd: Path | None = None, env: dict | None = None, drop_dac: bool = False):
    """The real command. `drop_dac`: as root, but without the power to ignore file
    permissions (so an unreadable folder or a read-only one behaves as for an officer)."""
    return subprocess.run(
        [sys.executable, "-m", "tthc", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=900,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        preexec_fn=_drop_dac if drop_dac else None,
    )


def _drop_dac() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            os._exit(97)


def needs_permissions_test():
    if os.geteuid() != 0:
        return  # an ordinary user meets permissions anyway
    probe = subprocess.run([sys.executable, "-c", "0"], preexec_fn=_drop_dac)
    if probe.returncode == 97:
        pytest.skip("cannot drop CAP_DAC_OVERRIDE here")


@pytest.fixture
def district(tmp_path: Path) -> Path:
    """A small district folder: the roster and four text reports of the sample."""
    folder = tmp_path / "bao_cao"
    folder.mkdir()
    shutil.copy(default_folder() / "roster.toml", folder)
    for name in REPORTS:
        shutil.copy(default_folder() / name, folder)
    return folder


def outcomes(out: Path) -> list[dict[str, str]]:
    with (out / OUTPUT_NAMES["outcomes"]).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def flags(out: Path) -> list[dict[str, str]]:
    with (out / OUTPUT_NAMES["flags"]).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def one_run(out: Path) -> str:
    """The single run id every output carries (fails on a mixed or unmarked set)."""
    ids = set(output_run_ids(out).values())
    assert len(ids) == 1 and None not in ids, ids
    return ids.pop()


# ---------------------------------------------------------------- its own outputs


def test_rerun_in_place_never_reads_its_own_outputs(district: Path):
    digests = []
    for _ in range(3):
        done = tthc("run", ".", cwd=district)
        assert done.returncode == 0, done.stderr
        digests.append(output_digest(district / "tthc-ket-qua"))
    assert digests[0] == digests[1] == digests[2]
    out = district / "tthc-ket-qua"
    own = [o for o in outcomes(out) if o["Tệp"] == "tthc-ket-qua"]
    assert own and "kết quả của tthc" in own[0]["Lý do"]
    records = json.loads((out / OUTPUT_NAMES["records"]).read_text(encoding="utf-8"))["records"]
    assert sorted(Path(r["source"]["path"]).name for r in records) == sorted(REPORTS)


def test_a_notice_copied_into_the_folder_is_recognised_by_its_marker(district: Path, tmp_path):
    out = tmp_path / "ket_qua"
    assert tthc("run", district, "--out", out).returncode == 0
    reference = output_digest(out)
    shutil.copy(out / OUTPUT_NAMES["notice"], district / "thong_bao_nam_truoc.docx")
    shutil.copy(out / OUTPUT_NAMES["workbook"], district / "tong_hop_cu.xlsx")
    done = tthc("run", district, "--out", out)
    assert done.returncode == 0, done.stderr
    lines = {o["Tệp"]: o for o in outcomes(out)}
    assert "do tthc tạo ra" in lines["thong_bao_nam_truoc.docx"]["Lý do"]
    assert "do tthc tạo ra" in lines["tong_hop_cu.xlsx"]["Lý do"]
    after = output_digest(out)
    assert after["records"] == reference["records"]
    assert after["xlsx:Biểu tổng hợp"] == reference["xlsx:Biểu tổng hợp"]


# ---------------------------------------------------------------- names are data

HOSTILE = [
    os.fsdecode(b"bao_cao_\xff\xfe_x\xe3.txt"),  # not UTF-8
    "=HYPERLINK(1+2).txt",
    "+SUM(A1).txt",
    "@cmd.txt",
    "-2+3.txt",
    "[bold]xa[red.txt",
    "tab\there.txt",
]


def test_hostile_file_names_are_carried_and_shown_as_text(district: Path, tmp_path: Path):
    for name, report in zip(HOSTILE, REPORTS * 2, strict=False):
        shutil.copy(district / report, district / name)
    out = tmp_path / "out"
    done = tthc("run", district, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    shown = {o["Tệp"] for o in outcomes(out)}
    assert "bao_cao_\ufffd\ufffd_x\ufffd.txt" in shown
    assert "'=HYPERLINK(1+2).txt" in shown and "'@cmd.txt" in shown and "'-2+3.txt" in shown
    sheet = openpyxl.load_workbook(out / OUTPUT_NAMES["workbook"])["Tệp đã xử lý"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c for c in cells if c.value.startswith(("=", "+", "@", "-"))]
    assert formulas and all(c.data_type == "s" for c in formulas)
    assert any(c.value == "=HYPERLINK(1+2).txt" for c in formulas)
    data = json.loads((out / OUTPUT_NAMES["records"]).read_text(encoding="utf-8"))
    assert any("\ufffd" in r["source"]["path"] for r in data["records"])
    again = tthc("run", district, "--out", out)  # the store holds the names too
    assert again.returncode == 0, again.stderr


# ---------------------------------------------------------------- nothing skipped in silence


def test_every_path_not_read_has_an_outcome_line_and_no_flag(district: Path, tmp_path: Path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    shutil.copy(default_folder() / "16_xa_minh_xa.txt", outside)
    (district / "anh_chup.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    (district / "phu_luc.xlsx").write_bytes(b"PK\x03\x04")
    (district / "~$bao_cao.docx").write_bytes(b"\x00" * 162)
    os.symlink(outside / "16_xa_minh_xa.txt", district / "lien_ket_ra_ngoai.txt")
    os.symlink(district / "khong_con.txt", district / "lien_ket_hong.txt")
    (district / "con").mkdir()
    os.symlink("..", district / "con" / "vong")
    os.mkfifo(district / "ong.txt")
    for i in range(30):
        (district / "con" / f"ghi_chu_{i}.md").write_text("không phải báo cáo", encoding="utf-8")
    (district / "con" / "ghi_chu.txt").write_text(  # read, but no unit's report: no flag
        "Ghi chú họp giao ban: nhắc các xã nộp báo cáo đúng hạn.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    done = tthc("run", district, "--out", out)
    assert done.returncode == 0, done.stderr
    lines = {o["Tệp"]: o for o in outcomes(out)}
    expected = {
        "anh_chup.jpg": "ảnh",
        "phu_luc.xlsx": "bảng tính",
        "~$bao_cao.docx": "Tệp tạm",
        "lien_ket_ra_ngoai.txt": "ra ngoài",
        "lien_ket_hong.txt": "không còn tồn tại",
        "vong": "vòng",
        "ong.txt": "đường ống",
        "ghi_chu_0.md": "Không phải loại tệp báo cáo",
        "ghi_chu.txt": "",
    }
    for name, words in expected.items():
        assert words in lines[name]["Lý do"], (name, lines[name])
        assert lines[name]["Số cảnh báo"] == "0"
    flagged = {f["Tệp"] for f in flags(out)}
    assert not flagged & set(expected) and not any(f.startswith("ghi_chu") for f in flagged)
    assert len(flagged) <= len(REPORTS)
    records = json.loads((out / OUTPUT_NAMES["records"]).read_text(encoding="utf-8"))["records"]
    assert "16_xa_minh_xa.txt" not in {Path(r["source"]["path"]).name for r in records}


def test_a_report_in_an_unreadable_folder_is_named_and_the_run_says_so(district: Path, tmp_path):
    needs_permissions_test()
    locked = district / "khoa"
    locked.mkdir()
    shutil.move(district / REPORTS[0], locked / REPORTS[0])
    locked.chmod(0)
    out = tmp_path / "out"
    try:
        done = tthc("run", district, "--out", out, drop_dac=True)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1, done.stderr
    line = next(o for o in outcomes(out) if o["Tệp"] == "khoa")
    assert "Không mở được thư mục" in line["Lý do"]
    assert "khoa" in done.stdout


# ---------------------------------------------------------------- whole outputs, one run


@pytest.mark.parametrize("point", ["stored#2", "written:notice", "commit", "rename:1"])
def test_a_kill_leaves_whole_outputs_and_a_rerun_gives_the_same(district, tmp_path, point):
    out = tmp_path / "out"
    assert tthc("run", district, "--out", out).returncode == 0
    before = output_digest(out)
    first_id = one_run(out)
    for name in ("16_xa_minh_xa.txt", "05_xa_my_thanh.docx"):  # files the store lacks
        shutil.copy(default_folder() / name, district)
    reference_out = tmp_path / "tham_chieu"  # the same folder, run without interruption
    assert tthc("run", district, "--out", reference_out).returncode == 0
    reference = output_digest(reference_out)
    killed = tthc("run", district, "--out", out, env={"TTHC_KILL_AT": point})
    assert killed.returncode == -9, (point, killed.returncode, killed.stderr)
    if (out / JOURNAL).exists():  # killed between renames: the next run completes the set
        assert point.startswith(("commit", "rename"))
    else:
        assert one_run(out) == first_id and output_digest(out) == before
    again = tthc("run", district, "--out", out)
    assert again.returncode == 0, again.stderr
    assert one_run(out) != first_id
    assert output_digest(out) == reference
    assert not any(p.name.startswith(TMP_PREFIX) for p in out.iterdir())
    assert not (out / JOURNAL).exists()


def test_a_second_run_into_a_busy_folder_is_refused(district: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert tthc("run", district, "--out", out).returncode == 0
    before = output_digest(out)
    with (out / LOCK_NAME).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = tthc("run", district, "--out", out)
    assert done.returncode == 1
    assert "đang được một lần chạy tthc khác sử dụng" in done.stderr
    assert "Traceback" not in done.stderr
    assert output_digest(out) == before


@contextlib.contextmanager
def tmpfs(where: Path, size: str):
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_full_disk_is_a_message_and_the_previous_outputs_stay(district: Path, tmp_path: Path):
    with tmpfs(tmp_path / "dia", "3m") as disk:
        out = disk / "out"
        assert tthc("run", district, "--out", out).returncode == 0
        before = {
            p.name: p.read_bytes()
            for p in out.iterdir()
            if p.suffix in (".xlsx", ".csv", ".docx", ".json")
        }
        with contextlib.suppress(OSError), (disk / "day_dia").open("wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
        shutil.copy(default_folder() / "16_xa_minh_xa.txt", district)
        done = tthc("run", district, "--out", out)
        assert done.returncode == 1, done.stderr
        assert "ổ đĩa đã đầy" in done.stderr and "Traceback" not in done.stderr
        after = {p.name: p.read_bytes() for p in out.iterdir() if p.name in before}
        assert after == before
        assert not any(p.name.startswith(TMP_PREFIX) for p in out.iterdir())


def test_a_read_only_output_folder_is_a_message_and_the_outputs_stay(district, tmp_path):
    needs_permissions_test()
    out = tmp_path / "out"
    assert tthc("run", district, "--out", out).returncode == 0
    before = output_digest(out)
    shutil.copy(default_folder() / "16_xa_minh_xa.txt", district)
    out.chmod(0o555)
    try:
        done = tthc("run", district, "--out", out, drop_dac=True)
    finally:
        out.chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert "không có quyền ghi" in done.stderr and "Traceback" not in done.stderr
    assert output_digest(out) == before


# ---------------------------------------------------------------- the store


@pytest.mark.parametrize("content", [b"", b"x", b"STT,Tep\n1,a.txt\n", "sqlite-other", "folder"])
def test_store_refuses_what_is_not_a_tthc_store(district: Path, tmp_path: Path, content):
    store = tmp_path / "kho.sqlite3"
    if content == "folder":
        store.mkdir()
    elif content == "sqlite-other":
        import sqlite3

        with contextlib.closing(sqlite3.connect(store)) as db:
            db.execute("CREATE TABLE khach_hang (ten TEXT)")
            db.commit()
    else:
        store.write_bytes(content)
    before = None if store.is_dir() else store.read_bytes()
    done = tthc("run", district, "--out", tmp_path / "out", "--store", store)
    assert done.returncode == 2, done.stderr
    assert "Lỗi:" in done.stderr and "Traceback" not in done.stderr
    assert store.is_dir() or store.read_bytes() == before
    assert not (tmp_path / "out" / OUTPUT_NAMES["workbook"]).exists()
