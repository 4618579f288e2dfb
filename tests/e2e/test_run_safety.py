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
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from corpus.fuzz import output_digest
from tthc.runjob import OUTPUT_NAMES, default_folder, output_run_ids
from tthc.textkit.safe_io import LOCK_NAME, TMP_PREFIX, VERSIONS, checkpoint_names, csv_run_id

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
    (district / "phu_luc.ods").write_bytes(b"PK\x03\x04")
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
        "phu_luc.ods": "bảng tính",
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


@pytest.fixture(scope="module")
def killed_base(tmp_path_factory) -> dict:
    """A district, its results (links into a set), the same results as plain files (as an
    earlier version of tthc wrote them), and the reference results of the district with
    two more reports (what a run that is not stopped shows)."""
    root = tmp_path_factory.mktemp("kill")
    folder = root / "bao_cao"
    folder.mkdir()
    shutil.copy(default_folder() / "roster.toml", folder)
    for name in REPORTS:
        shutil.copy(default_folder() / name, folder)
    out = root / "truoc"
    assert tthc("run", folder, "--out", out).returncode == 0
    plain = root / "ban_cu"  # plain files, a lock and the store: results of an earlier version
    plain.mkdir()
    for name in [*OUTPUT_NAMES.values(), LOCK_NAME, "tthc-store.sqlite3"]:
        shutil.copy(out / name, plain / name)
    for name in ("16_xa_minh_xa.txt", "05_xa_my_thanh.docx"):  # files the store lacks
        shutil.copy(default_folder() / name, folder)
    reference = root / "tham_chieu"
    assert tthc("run", folder, "--out", reference).returncode == 0
    return {
        "folder": folder,
        "previous": out,
        "plain": plain,
        "before": output_digest(out),
        "first_id": one_run(out),
        "reference": output_digest(reference),
    }


POINTS = checkpoint_names(OUTPUT_NAMES)
KILLS = [
    *(("previous", p) for p in ["stored#2", *POINTS] if not p.startswith("link:")),
    *(("fresh", p) for p in ["written:notice", "commit", "link:0", "link:4", "switch", "switched"]),
    *(("plain", p) for p in ["commit", "link:0", "link:2", "link:4", "switch", "switched"]),
]


@pytest.mark.parametrize(("situation", "point"), KILLS, ids=lambda x: str(x))
def test_a_kill_at_every_write_and_rename_point_shows_one_whole_set(
    killed_base, tmp_path, situation, point
):
    """Killed at each point where outputs are written, names linked or the set switched:
    every output name shows the previous run's whole set (or nothing in a new folder)
    until the switch, and the new whole set from it on; a re-run shows the reference."""
    out = tmp_path / "out"
    if situation != "fresh":
        shutil.copytree(killed_base[situation], out, symlinks=True)
    killed = tthc("run", killed_base["folder"], "--out", out, env={"TTHC_KILL_AT": point})
    assert killed.returncode == -9, (point, killed.returncode, killed.stderr)
    ids = output_run_ids(out)
    if point == "switched":
        assert len(set(ids.values())) == 1 and None not in ids.values(), ids
        assert one_run(out) != killed_base["first_id"]
        assert output_digest(out) == killed_base["reference"]
    elif situation == "fresh":
        assert set(ids.values()) == {None}, ids  # nothing shown yet
    else:
        assert one_run(out) == killed_base["first_id"], ids
        assert output_digest(out) == killed_base["before"]
    if point in ("stored#2", "link:2", "switch") or (situation == "fresh" and point == "commit"):
        again = tthc("run", killed_base["folder"], "--out", out)
        assert again.returncode == 0, again.stderr
        assert output_digest(out) == killed_base["reference"]
        assert not any(p.name.startswith(TMP_PREFIX) for p in out.iterdir())
        assert len(os.listdir(out / VERSIONS)) == 2  # the shown set and its pointer


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


# ---------------------------------------------------------------- nothing written through a link


PLANTS = {  # what is put in the results folder before the run: (name, exit code, words)
    "lock": (LOCK_NAME, 1, "Tệp khóa"),
    "store": ("tthc-store.sqlite3", 2, "liên kết"),
    "store-wal": ("tthc-store.sqlite3-wal", 2, "liên kết"),
    "store-shm": ("tthc-store.sqlite3-shm", 2, "liên kết"),
    "versions": (VERSIONS, 1, "liên kết"),
    "output": (OUTPUT_NAMES["workbook"], 0, ""),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_link_planted_in_the_results_folder_is_never_written_through(district, tmp_path, plant):
    """As root that would be any file on the machine: the link's target keeps its bytes
    and its time, a folder it names stays empty."""
    victim = tmp_path / "bi_mat.txt"
    victim.write_text("nội dung không được ghi đè\n", encoding="utf-8")
    victim_folder = tmp_path / "thu_muc_khac"
    victim_folder.mkdir()
    before = (victim.read_bytes(), victim.stat().st_mtime_ns)
    out = tmp_path / "out"
    out.mkdir()
    name, code, words = PLANTS[plant]
    os.symlink(victim_folder if plant == "versions" else victim, out / name)
    done = tthc("run", district, "--out", out)
    assert done.returncode == code, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr
    assert (victim.read_bytes(), victim.stat().st_mtime_ns) == before
    assert list(victim_folder.iterdir()) == []
    if code == 0:  # the name now shows the run's output, through tthc's own link
        assert one_run(out) and not (out / name).resolve().is_relative_to(tmp_path / "bi")


def test_a_reports_folder_shipping_a_linked_lock_cannot_write_anywhere(district, tmp_path):
    """`cd bao_cao && tthc run .`: the folder a sender made ships tthc-ket-qua/.tthc-khoa
    as a link, or tthc-ket-qua itself as one."""
    victim = tmp_path / "bi_mat.txt"
    victim.write_text("nội dung không được ghi đè\n", encoding="utf-8")
    before = (victim.read_bytes(), victim.stat().st_mtime_ns)
    (district / "tthc-ket-qua").mkdir()
    os.symlink(victim, district / "tthc-ket-qua" / LOCK_NAME)
    done = tthc("run", ".", cwd=district)
    assert done.returncode == 1 and "liên kết" in done.stderr, done.stderr
    shutil.rmtree(district / "tthc-ket-qua")
    elsewhere = tmp_path / "noi_khac"
    elsewhere.mkdir()
    os.symlink(elsewhere, district / "tthc-ket-qua")
    done = tthc("run", ".", cwd=district)
    assert done.returncode == 2 and "liên kết" in done.stderr, done.stderr
    assert (victim.read_bytes(), victim.stat().st_mtime_ns) == before
    assert list(elsewhere.iterdir()) == []


# ---------------------------------------------------------------- a run that reads nothing


@pytest.mark.parametrize("content", ["trống", "chỉ có ảnh", "chỉ có tệp hỏng", "chỉ có ghi chú"])
def test_a_run_that_reads_no_report_replaces_nothing(district, tmp_path, content):
    out = tmp_path / "out"
    assert tthc("run", district, "--out", out).returncode == 0
    before, first = output_digest(out), one_run(out)
    other = tmp_path / "khac"
    other.mkdir()
    if content == "chỉ có ảnh":
        (other / "anh.jpg").write_bytes(b"\xff\xd8\xff\xe0 JFIF")
    elif content == "chỉ có tệp hỏng":
        (other / "hong.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type")
    elif content == "chỉ có ghi chú":
        (other / "ghi_chu.txt").write_text("Họp giao ban: nhắc nộp báo cáo.\n", encoding="utf-8")
    done = tthc("run", other, "--out", out)
    assert done.returncode == 1, done.stderr
    assert "vẫn giữ nguyên" in done.stderr and "Traceback" not in done.stderr
    assert one_run(out) == first and output_digest(out) == before
    fresh = tmp_path / "moi"
    assert tthc("run", other, "--out", fresh).returncode == 1
    if content in ("trống", "chỉ có ảnh"):  # nothing to read: nothing made at all
        assert not fresh.exists()
    else:  # read, but no report: no output, no notice
        assert set(output_run_ids(fresh).values()) == {None}
    if content == "chỉ có tệp hỏng":
        assert "hong.pdf" in done.stdout  # the reason of each file is still shown


# ---------------------------------------------------------------- a file swapped after the walk


def wait_stopped(proc: subprocess.Popen) -> None:
    """Until the run has suspended itself at its checkpoint (TTHC_STOP_AT)."""
    for _ in range(6000):
        state = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read() if proc.stderr else proc.returncode)
        time.sleep(0.05)
    raise AssertionError("the run never reached its checkpoint")


@pytest.mark.parametrize("point", ["scanned", "hashed"])
@pytest.mark.parametrize("swap", ["liên kết", "tệp khác"])
def test_a_report_swapped_after_the_walk_is_not_read(district, tmp_path, point, swap):
    """Between the walk and the reading, a report becomes a link to a secret (or another
    file): it is not read; the secret reaches no record, no store, no CSV."""
    secret = tmp_path / "bi_mat.txt"  # a report whose commune is named only here
    text = (default_folder() / "16_xa_minh_xa.txt").read_text(encoding="utf-8")
    secret.write_text(text.replace("Minh Xá", "Kín Đáo"), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tthc", "run", str(district), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TTHC_STOP_AT": point},
    )
    try:
        wait_stopped(proc)
        target = district / REPORTS[0]
        swapped = district / ".doi"
        if swap == "liên kết":
            os.symlink(secret, swapped)
        else:
            shutil.copy(secret, swapped)
        os.replace(swapped, target)
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    stdout, stderr = proc.communicate(timeout=900)
    assert proc.returncode == 1, stderr
    line = next(o for o in outcomes(out) if o["Tệp"] == REPORTS[0])
    assert "sau khi quét thư mục" in line["Lý do"] or "liên kết" in line["Lý do"], line
    records = (out / OUTPUT_NAMES["records"]).read_text(encoding="utf-8")
    everything = records + (out / OUTPUT_NAMES["flags"]).read_text(encoding="utf-8-sig")
    everything += (out / OUTPUT_NAMES["outcomes"]).read_text(encoding="utf-8-sig")
    assert "Kín Đáo" not in everything and "Kín Đáo" not in stdout
    import sqlite3

    with contextlib.closing(sqlite3.connect(out / "tthc-store.sqlite3")) as db:
        kept = " ".join(r[0] for r in db.execute("SELECT record FROM records"))
    assert "Kín Đáo" not in kept


# ---------------------------------------------------------------- outputs that cannot be replaced


def chattr(path: Path, flag: str) -> None:
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr {flag} is not available here: {done.stderr!r}")


def test_an_output_made_immutable_does_not_stop_the_next_set(district, tmp_path):
    """The officer locks tong_hop.xlsx (the file of the set shown): the next run shows its
    own whole set; the locked file stays where it is, out of sight."""
    out = tmp_path / "out"
    assert tthc("run", district, "--out", out).returncode == 0
    first = one_run(out)
    locked = (out / OUTPUT_NAMES["workbook"]).resolve()
    chattr(locked, "+i")
    try:
        shutil.copy(default_folder() / "16_xa_minh_xa.txt", district)
        done = tthc("run", district, "--out", out)
        assert done.returncode == 0, done.stderr
        assert one_run(out) != first
        assert locked.exists()
    finally:
        chattr(locked, "-i")


@pytest.mark.parametrize("what", ["tệp kết quả cũ", "thư mục các bộ kết quả"])
def test_a_locked_result_that_must_change_stops_the_run_and_nothing_changes(
    district, tmp_path, what
):
    """A plain result of an earlier version locked (it must become a link), or the folder
    of the sets locked: exit 1, a message that says what is locked and that the previous
    results stay, and they do."""
    out = tmp_path / "out"
    assert tthc("run", district, "--out", out).returncode == 0
    if what == "tệp kết quả cũ":
        for name in OUTPUT_NAMES.values():
            plain = (out / name).read_bytes()
            (out / name).unlink()
            (out / name).write_bytes(plain)
        locked = out / OUTPUT_NAMES["notice"]
    else:
        locked = out / VERSIONS
    before, first = output_digest(out), one_run(out)
    chattr(locked, "+i")
    try:
        shutil.copy(default_folder() / "16_xa_minh_xa.txt", district)
        done = tthc("run", district, "--out", out)
    finally:
        chattr(locked, "-i")
    assert done.returncode == 1, done.stderr
    assert "vẫn giữ nguyên" in done.stderr and "Traceback" not in done.stderr
    if what == "tệp kết quả cũ":
        assert "bị khóa" in done.stderr and OUTPUT_NAMES["notice"] in done.stderr
    assert one_run(out) == first and output_digest(out) == before


# ---------------------------------------------------------------- Vietnamese, and true


FULL_DISKS = [  # (where the store is, size of the disk the results go to)
    *(("ngoài", size) for size in ("32k", "64k", "100k", "160k")),
    *(("trong", size) for size in ("24k", "150k", "250k", "300k", "350k", "450k")),
]


@pytest.mark.parametrize(("store_at", "size"), FULL_DISKS, ids=lambda x: str(x))
def test_a_disk_that_fills_while_writing_gives_a_message_never_a_traceback(
    district, tmp_path, store_at, size
):
    """The results go to a small disk that fills at some point (the store, a workbook,
    the notice, the records; the store kept elsewhere and warm, or on that disk): exit 1
    and the Vietnamese message alone, or exit 0 when it fits; never a half set."""
    store = tmp_path / "kho.sqlite3"
    options = []
    if store_at == "ngoài":
        assert tthc("run", district, "--out", tmp_path / "am", "--store", store).returncode == 0
        options = ["--store", store]
    with tmpfs(tmp_path / "dia", size) as disk:
        done = tthc("run", district, "--out", disk / "out", *options)
        ids = set(output_run_ids(disk / "out").values()) if (disk / "out").exists() else {None}
    text = done.stdout + done.stderr
    assert "Traceback" not in text and "Exception" not in text and "Error" not in text, text
    if done.returncode == 1:
        assert "ổ đĩa đã đầy" in done.stderr, done.stderr
        assert ids == {None}
    else:
        assert done.returncode == 0 and len(ids) == 1 and None not in ids


UNWRITABLE = {  # --out → the words that must name the cause
    "/proc/tthc-ket-qua": "không cho tạo thư mục",
    "/sys/tthc-ket-qua": "không cho phép",
    "chỉ đọc": "chỉ cho đọc",
    "không quyền": "không có quyền ghi",
}


@pytest.mark.parametrize("where", sorted(UNWRITABLE))
def test_an_unwritable_results_folder_is_named_as_such_not_as_a_full_disk(
    district, tmp_path, where
):
    drop = False
    if where == "chỉ đọc":
        mount = tmp_path / "ro"
        mount.mkdir()
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(mount)], capture_output=True
        )
        if made.returncode != 0:
            pytest.skip("cannot mount a read-only tmpfs here (needs root)")
        out = mount / "out"
    elif where == "không quyền":
        needs_permissions_test()
        locked = tmp_path / "khoa"
        locked.mkdir(mode=0o555)
        out, drop = locked / "out", True
    else:
        out = Path(where)
    try:
        done = tthc("run", district, "--out", out, drop_dac=drop)
    finally:
        if where == "chỉ đọc":
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)
    assert done.returncode == 1, done.stderr
    assert UNWRITABLE[where] in done.stderr, done.stderr
    assert "đầy" not in done.stderr and "Traceback" not in done.stderr


def _store_damage(store: Path, how: str) -> None:
    import sqlite3

    if how == "bị hỏng":
        data = bytearray(store.read_bytes())
        for at in range(4096, len(data), 4096):  # every page after the first
            data[at + 8 : at + 40] = b"\xa5" * 32
        store.write_bytes(bytes(data))
        return
    with contextlib.closing(sqlite3.connect(store)) as db:
        if how == "khác cấu trúc":
            db.execute("ALTER TABLE reports ADD COLUMN ghi_chu TEXT")
        elif how == "JSON hỏng":
            db.execute("UPDATE records SET record = '{hỏng' WHERE rowid = 1")
        elif how == "bản ghi bị sửa":
            text = db.execute("SELECT record FROM records WHERE rowid = 1").fetchone()[0]
            db.execute(
                "UPDATE records SET record = ? WHERE rowid = 1", (text.replace("1", "7", 1),)
            )
        db.commit()


@pytest.mark.parametrize("how", ["khác cấu trúc", "bị hỏng", "JSON hỏng", "bản ghi bị sửa"])
def test_an_unusable_store_is_refused_with_a_reason(district, tmp_path, how):
    store = tmp_path / "kho.sqlite3"
    assert tthc("run", district, "--out", tmp_path / "a", "--store", store).returncode == 0
    _store_damage(store, how)
    damaged = store.read_bytes()
    out = tmp_path / "b"
    done = tthc("run", district, "--out", out, "--store", store)
    assert done.returncode == 2, done.stderr
    assert "Lỗi: " in done.stderr and "Traceback" not in done.stderr
    assert "không mong đợi" not in done.stderr and "--store" in done.stderr
    assert store.read_bytes() == damaged
    assert not out.exists()


def test_a_read_only_store_is_refused_with_a_reason(district, tmp_path):
    needs_permissions_test()
    store = tmp_path / "kho.sqlite3"
    assert tthc("run", district, "--out", tmp_path / "a", "--store", store).returncode == 0
    store.chmod(0o444)
    done = tthc("run", district, "--out", tmp_path / "b", "--store", store, drop_dac=True)
    assert done.returncode == 2, done.stderr
    assert "chỉ cho đọc" in done.stderr and "OperationalError" not in done.stderr


def test_a_path_over_the_system_limit_is_a_vietnamese_message(district, tmp_path):
    too_long = tmp_path / ("k" * 300)
    for args in (["run", district, "--out", too_long], ["run", too_long / "bao_cao"]):
        done = tthc(*args)
        assert done.returncode == 2, done.stderr
        assert "quá dài" in done.stderr and "File name too long" not in done.stderr


# ---------------------------------------------------------------- small things


def processes_with(token: str) -> list[int]:
    """Live processes whose environment holds the token (a run's workers)."""
    alive = []
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            mine = proc.name.isdigit() and token.encode() in (proc / "environ").read_bytes()
            if mine and (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                alive.append(int(proc.name))
    return alive


@contextlib.contextmanager
def adopting_orphans():
    """This process adopts the run's orphaned workers (a child subreaper), in the run's
    session: a stopped worker is then not sent SIGHUP by the kernel (its process group is
    not orphaned), so only tthc's own measures can end it."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        pytest.skip("cannot become a child subreaper here")
    try:
        yield
    finally:
        libc.prctl(36, 0, 0, 0, 0)


@pytest.mark.parametrize("how", ["the run", "the run's group"])
def test_a_run_killed_outright_leaves_no_worker_and_frees_its_folder(district, tmp_path, how):
    """kill -9 of the run, or of its process group, while its workers (in groups of their
    own) are still there (held here, stopped, so they cannot finish on their own): they
    die with the run and never hold its lock, so the next run is not told that a dead run
    is busy."""
    token = f"tthc-test-{os.getpid()}-{id(tmp_path)}"
    out = tmp_path / "out"
    workers: list[int] = []
    with adopting_orphans():
        proc = subprocess.Popen(  # no pipes: a worker held stopped would keep them open
            [sys.executable, "-m", "tthc", "run", str(district), "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "TTHC_TEST_TOKEN": token, "TTHC_STOP_AT": "stored#1"},
            process_group=0,
        )
        try:
            wait_stopped(proc)
            workers = [pid for pid in processes_with(token) if pid != proc.pid]
            assert workers
            for pid in workers:
                os.kill(pid, signal.SIGSTOP)
            if how == "the run's group":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                os.kill(proc.pid, signal.SIGKILL)
            assert proc.wait(timeout=900) == -9
            again = tthc("run", district, "--out", out)
            assert again.returncode == 0, again.stderr
            assert "đang được một lần chạy tthc khác" not in again.stderr
            assert not set(workers) & set(processes_with(token))  # dead (unreaped at most)
        finally:
            for pid in workers:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.waitpid(pid, 0)


def test_a_run_without_flags_marks_its_flags_csv_too(tmp_path):
    folder = tmp_path / "bao_cao"
    folder.mkdir()
    shutil.copy(default_folder() / "10_xa_long_hoa.txt", folder)
    out = tmp_path / "out"
    assert tthc("run", folder, "--out", out).returncode == 0
    assert flags(out)[0]["Nội dung"] == "Không có điểm nào cần xem lại."
    assert csv_run_id(out / OUTPUT_NAMES["flags"]) == one_run(out)


def test_the_stores_own_files_in_the_reports_folder_are_named_as_tthcs(district, tmp_path):
    """A store kept in the reports folder, with the -wal and -shm SQLite leaves when a run
    is killed: listed as tthc's own, not as files of an unknown kind."""
    store = district / "kho.sqlite3"
    killed = tthc(
        "run", district, "--out", tmp_path / "a", "--store", store, env={"TTHC_KILL_AT": "stored#2"}
    )
    assert killed.returncode == -9
    assert (district / "kho.sqlite3-wal").exists()
    shutil.copy(store, district / "kho_cu.sqlite3")  # and a copy of a store
    out = tmp_path / "b"
    assert tthc("run", district, "--out", out, "--store", store).returncode == 0
    lines = {o["Tệp"]: o for o in outcomes(out)}
    for name in ("kho.sqlite3", "kho.sqlite3-wal", "kho.sqlite3-shm", "kho_cu.sqlite3"):
        assert "tthc" in lines[name]["Lý do"] and "Không phải loại tệp" not in lines[name]["Lý do"]


def test_a_store_named_inside_the_new_results_folder_is_fine(district, tmp_path):
    """`--store` must name a folder that exists, or the results folder the run makes."""
    out = tmp_path / "moi"
    done = tthc("run", district, "--out", out, "--store", out / "kho.sqlite3")
    assert done.returncode == 0, done.stderr
    assert (out / "kho.sqlite3").is_file() and one_run(out)
