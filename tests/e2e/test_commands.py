"""The command as an officer's shell sees it: stdout, stderr, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

FIXTURE = FIXTURES / "phuong_an_bien_q3_2025.txt"


def tthc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tthc", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def test_extract_json_prints_only_a_json_array():
    done = tthc("extract", FIXTURE, "--json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert len(records) == 1 and records[0]["unit"]["name"] == "An Biên"
    assert "ồ" in done.stdout  # ensure_ascii off: Vietnamese as written
    assert records[0]["periods"][0]["evidence"]["received_total"]["quote"]


def test_a_bad_file_fails_alone_with_exit_1(tmp_path: Path):
    empty = tmp_path / "trong.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n")  # cut off: no pages, no trailer
    done = tthc("extract", empty, FIXTURE, broken, "--json")
    assert done.returncode == 1
    records = json.loads(done.stdout)
    assert [r["status"] for r in records] == ["failed", "ok", "failed"]
    assert "rỗng" in records[0]["errors"][0]
    assert records[1]["periods"]


def test_folder_argument_reads_every_report(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "ghi_chu.md").write_text("không phải báo cáo", encoding="utf-8")
    records = json.loads(tthc("extract", tmp_path, "--json").stdout)
    assert [Path(r["source"]["path"]).name for r in records] == ["a.txt"]


def test_bad_usage_is_exit_2(tmp_path: Path):
    assert tthc("extract").returncode == 2
    assert tthc("khong-co-lenh").returncode == 2
    done = tthc("extract", tmp_path, "--json")  # a folder with no report: nothing to read
    assert done.returncode == 1 and "Không có tệp báo cáo nào" in done.stderr


CLICK_ENGLISH = (
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Error:",
    "Missing ",
    "No such",
    "Show this message",
    "Try '",
    "Got unexpected",
    "[default:",
    "[required]",
    "Traceback",
)


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, Path]:
    """Paths a confused user may give: files, folders, broken rosters and stores."""
    root = tmp_path_factory.mktemp("sai")
    folder = root / "bao_cao"
    folder.mkdir()
    (folder / "a.txt").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    empty = root / "trong"
    empty.mkdir()
    others = root / "khac"
    others.mkdir()
    (others / "anh.jpg").write_bytes(b"\xff\xd8")
    (others / "bang.ods").write_bytes(b"PK")
    places = {"folder": folder, "empty": empty, "others": others, "file": folder / "a.txt"}
    roster = (FIXTURES.parents[1] / "tthc" / "sample" / "roster.toml").read_text(encoding="utf-8")
    twice = roster + '\n[[communes]]\nname = "Ngọc Giang"\nlevel = "xã"\n'
    spaced = roster + '\n[[communes]]\nname = "Ngọc  giang"\nlevel = "xã"\n'
    places["long"] = root / ("k" * 300)
    for name, data in {
        "roster_toml": roster.encode(),
        "twice_toml": twice.encode(),
        "spaced_toml": spaced.encode(),
        "bad_toml": b"[parent\n",
        "empty_toml": b"",
        "binary_toml": b"\xff\xfe\x00rac",
        "store0": b"",
        "store1": b"x",
        "store_text": b"khong phai sqlite",
    }.items():
        path = root / name.replace("_toml", ".toml")
        path.write_bytes(data)
        places[name] = path
    return places


MISUSES = [  # (arguments, exit code, words the message must hold)
    ([], 2, "Cách dùng"),
    (["--bogus"], 2, "Không có tùy chọn --bogus"),
    (["khong-co-lenh"], 2, "Không có lệnh"),
    (["extract"], 2, "Thiếu đối số TỆP"),
    (["check"], 2, "Thiếu đối số TỆP"),
    (["extract", "--json"], 2, "Thiếu đối số TỆP"),
    (["extract", "{file}", "--bogus"], 2, "Không có tùy chọn --bogus"),
    (["extract", "{folder}/khong_co.txt"], 2, "Không tìm thấy"),
    (["check", "{folder}/khong_co.pdf", "{file}"], 2, "Không tìm thấy"),
    (["run", "--bogus"], 2, "Có phải ý bạn là"),
    (["run", "-x"], 2, "Không có tùy chọn -x"),
    (["run", "--out"], 2, "cần một giá trị"),
    (["run", "{folder}", "--roster"], 2, "cần một giá trị"),
    (["run", "{folder}", "{empty}"], 2, "Thừa đối số"),
    (["run", "{folder}/khong_co"], 2, "Không tìm thấy thư mục báo cáo"),
    (["run", "{file}"], 2, "là một tệp, không phải thư mục"),
    (["run", "{folder}", "--out", "{file}"], 2, "là một tệp đã có"),
    (["run", "{folder}", "--out", "{file}/ket_qua"], 2, "không phải thư mục"),
    (["run", "{folder}", "--roster", "{folder}/khong_co.toml"], 2, "Không tìm thấy danh sách"),
    (["run", "{folder}", "--roster", "{empty}"], 2, "không phải một tệp"),
    (["run", "{folder}", "--roster", "{bad_toml}"], 2, "cú pháp"),
    (["run", "{folder}", "--roster", "{empty_toml}"], 2, "thiếu mục [parent]"),
    (["run", "{folder}", "--roster", "{binary_toml}"], 2, "không phải văn bản UTF-8"),
    (["run", "{folder}", "--store", "{empty}"], 2, "là một thư mục"),
    (["run", "{folder}", "--store", "{store0}"], 2, "không phải tệp lưu trữ của tthc"),
    (["run", "{folder}", "--store", "{store1}"], 2, "không phải tệp lưu trữ của tthc"),
    (["run", "{folder}", "--store", "{store_text}"], 2, "không phải tệp lưu trữ của tthc"),
    (["run", "{folder}", "--store", "{file}/kho.sqlite3"], 2, "không phải thư mục"),
    (["eval", "{empty}"], 2, "truth.json"),
    (["run", "{empty}", "--out", "{empty}/../ket_qua_1"], 1, "không có tệp báo cáo nào"),
    (["run", "{others}", "--out", "{empty}/../ket_qua_2"], 1, "anh.jpg"),
    (["check", "{others}"], 1, "Không có tệp báo cáo nào"),
    (["run", "{folder}", "--roster", "{twice_toml}"], 2, '"Ngọc Giang" có hai lần'),
    (["run", "{folder}", "--roster", "{spaced_toml}"], 2, "chỉ khác cách viết"),
    (["run", "{folder}", "--out", ""], 2, "--out không được để trống"),
    (["run", "{folder}", "--out="], 2, "--out không được để trống"),
    (["run", "", "--out", "{empty}/../ket_qua_3"], 2, "rỗng"),
    (["run", "{folder}", "--out", "{empty}/../kq4", "--ngay", ""], 2, "--ngay không được để"),
    (["run", "{folder}", "--out", "{empty}/../kq5", "--store", ""], 2, "--store không được"),
    (
        ["run", "{folder}", "--out", "{empty}/../kq6", "--store", "{empty}/khong/k.sqlite3"],
        2,
        "Thư mục chứa tệp lưu trữ",
    ),
    (["run", "{folder}", "--out", "{folder}"], 2, "là chính thư mục báo cáo"),
    (["run", "{folder}", "--out", "{folder}/../bao_cao/"], 2, "/tthc-ket-qua"),
    (["run", "{folder}", "--out", "{long}"], 2, "quá dài"),
    (["check", "{roster_toml}"], 2, "Danh sách đơn vị (roster), không phải báo cáo"),
    (["extract", "{file}", "{store_text}"], 2, "Không phải tệp báo cáo"),
    (["check", ""], 2, "rỗng"),
]


@pytest.mark.parametrize(("args", "code", "words"), MISUSES, ids=lambda x: str(x)[:40])
def test_every_misuse_is_a_vietnamese_message(places, args, code, words):
    filled = [a.format(**places) if "{" in a else a for a in args]
    done = tthc(*filled)
    text = done.stdout + done.stderr
    assert done.returncode == code, text
    assert words in text, text
    for english in CLICK_ENGLISH:
        assert english not in text, (english, text)


def test_refused_input_writes_nothing(places, tmp_path: Path):
    """`--out ""` would have meant the current folder, a reports folder "" the current
    one, `--store` in a folder that does not exist a new folder: refused, nothing made."""
    for args in (
        ["run", str(places["folder"]), "--out", ""],
        ["run", "", "--out", "kq"],
        ["run", str(places["folder"]), "--out", "kq", "--store", "khong_co/kho.sqlite3"],
        ["run", str(places["folder"]), "--out", "kq", "--ngay", ""],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "tthc", *args], capture_output=True, text=True, cwd=tmp_path
        )
        assert done.returncode == 2, done.stderr
        assert list(tmp_path.iterdir()) == [], args


def test_help_and_version_are_vietnamese():
    for args in (["--help"], ["-h"], ["run", "--help"], ["extract", "--help"], ["check", "-h"]):
        done = tthc(*args)
        assert done.returncode == 0
        assert "Cách dùng: tthc" in done.stdout and "Hiện hướng dẫn này rồi thoát." in done.stdout
        for english in CLICK_ENGLISH:
            assert english not in done.stdout, (args, english)
    assert "Tùy chọn:" in tthc("run", "--help").stdout and "Lệnh:" in tthc("--help").stdout
    assert "[mặc định: tthc-ket-qua]" in " ".join(tthc("run", "--help").stdout.split())
    version = tthc("--version")
    assert version.returncode == 0 and version.stdout.startswith("tthc phiên bản ")


def test_help_wraps_each_command_description_instead_of_cutting_it():
    import os

    done = subprocess.run(
        [sys.executable, "-m", "tthc", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": "60"},
        timeout=600,
    )
    commands = done.stdout.split("Lệnh:", 1)[1]
    text = " ".join(commands.split())
    assert "..." not in commands and "…" not in commands
    assert "văn bản được dẫn của từng báo cáo." in text
    assert "dự thảo thông báo." in text
    assert max(len(line) for line in done.stdout.splitlines()) <= 60


def test_a_hostile_name_on_the_command_line_is_shown_readably(tmp_path: Path):
    import os

    name = tmp_path / os.fsdecode(b"bao_cao_\xff[bold].txt")
    name.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    for command in ("check", "extract"):
        done = subprocess.run(
            [sys.executable, "-m", "tthc", command, os.fsencode(name)],
            capture_output=True,
            timeout=600,
        )
        assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert "bao_cao_\ufffd[bold].txt".encode() in done.stdout
    as_json = subprocess.run(
        [sys.executable, "-m", "tthc", "extract", "--json", os.fsencode(name)],
        capture_output=True,
        timeout=600,
    )
    assert json.loads(as_json.stdout.decode("utf-8"))[0]["source"]["path"].endswith(
        "bao_cao_\ufffd[bold].txt"
    )


def test_check_prints_one_block_per_point_readable_when_piped():
    done = tthc("check", FIXTURES / "tthcc_tinh_binh_hoa_quy2_2025.txt")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert (
        lines[0].startswith("tthcc_tinh_binh_hoa_quy2_2025.txt:") and "điểm cần xem lại" in lines[0]
    )
    assert "đọc được 8/12 số liệu" in lines[0]  # 4 counts of dossiers left unread
    assert sum("(unread)" in line for line in lines) == 4
    assert any(line.startswith("  1. ") for line in lines)
    assert any(line.strip().startswith("Tại dòng ") for line in lines)
    assert max(len(line) for line in lines) <= 100  # wrapped, no table borders
    assert not any(ch in done.stdout for ch in "┃│┏━")
