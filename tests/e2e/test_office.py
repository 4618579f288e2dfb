"""Word 97-2003 (.doc) and RTF files, read through LibreOffice.

The .doc is made here from our own .docx by LibreOffice itself (`--convert-to doc`), so the
test needs LibreOffice and skips without it; the reason given when it is missing is tested
by pointing the loader at a command that does not exist.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus import fuzz
from corpus.documents import Para
from tests.fixtures.reports import (
    DOSSIERS,
    record_view,
    report_blocks,
    write_legacy_docx,
    write_report,
)
from tthc.load import load, office
from tthc.process import process_file
from tthc.schemas import LoadError


def _convert(source: Path, target_format: str, out_dir: Path) -> Path:
    """Convert with LibreOffice as an office would save it (skips without LibreOffice)."""
    exe = office.soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (out_dir / "lo-profile").as_uri()
    subprocess.run(
        [
            exe,
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            target_format,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return out_dir / f"{source.stem}.{target_format}"


@pytest.fixture(scope="module")
def word97(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("doc")
    # Word always ends a document with a paragraph (LibreOffice drops a table left last)
    source = write_report(folder / "bao_cao.docx", [*report_blocks(), Para("")])
    return source, _convert(source, "doc", folder)


def test_doc_is_word97(word97: tuple[Path, Path]) -> None:
    assert word97[1].read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_doc_reads_like_its_docx(word97: tuple[Path, Path]) -> None:
    source, doc_file = word97
    doc = load(doc_file)
    assert doc.format == "doc" and len(doc.sha256 or "") == 64
    assert [(ln.text, ln.cells) for ln in doc.lines] == [
        (ln.text, ln.cells) for ln in load(source).lines
    ]


def test_doc_gives_the_docx_record(word97: tuple[Path, Path]) -> None:
    source, doc_file = word97
    record = process_file(doc_file)
    assert record.source.format == "doc"
    assert record_view(record) == record_view(process_file(source))
    assert record.periods[0].dossiers.model_dump(exclude_none=True) == DOSSIERS


def test_doc_typed_in_vntime_is_converted(tmp_path: Path) -> None:
    """The commonest old file: Word 97 typed in .VnTime."""
    source = write_legacy_docx(tmp_path / "cu.docx", "tcvn3")
    doc = load(_convert(source, "doc", tmp_path))
    assert doc.encoding == "tcvn3"
    assert "BÁO CÁO" in [ln.text for ln in doc.lines]


def test_rtf_is_read(tmp_path: Path) -> None:
    source = write_report(tmp_path / "bao_cao.docx")
    rtf = _convert(source, "rtf", tmp_path)
    renamed = rtf.rename(tmp_path / "bao_cao_rtf.doc")  # RTF saved under a .doc name
    record = process_file(renamed)
    assert record.source.format == "rtf"
    assert record.periods[0].dossiers.model_dump(exclude_none=True) == DOSSIERS


def test_without_libreoffice_the_reason_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    with pytest.raises(LoadError) as info:
        load(path, office_settings=office.OfficeSettings(commands=("khong-co-soffice",)))
    assert "libreoffice-writer-nogui" in str(info.value) and ".doc" in str(info.value)


def test_damaged_doc_gets_a_reason(tmp_path: Path) -> None:
    if office.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "hong.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    with pytest.raises(LoadError, match="LibreOffice không chuyển được"):
        load(path)


# ---------------------------------------------------------------- the cage


def _soffice_or_skip() -> str:
    exe = office.soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


def test_a_linked_picture_does_not_reach_the_network(tmp_path: Path) -> None:
    """An HTML page saved as .doc, showing a picture from a local listener: uncaged,
    LibreOffice fetches it (the control); through `tthc extract` nothing reaches it."""
    exe = _soffice_or_skip()
    listener = fuzz.Listener()
    try:
        page = tmp_path / "trang_web.doc"
        page.write_bytes(fuzz.html_as_doc(listener.url))
        profile = (tmp_path / "profile").as_uri()
        subprocess.run(
            [exe, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "docx",
             "--outdir", str(tmp_path / "uncaged"), str(page)],
            capture_output=True, timeout=300, check=False, env={**os.environ, "HOME": str(tmp_path)},
        )  # fmt: skip
        if listener.connections == 0:
            pytest.skip("this LibreOffice does not fetch linked pictures even uncaged")
        before = listener.connections
        rtf = tmp_path / "bao_cao.rtf"
        rtf.write_bytes(fuzz.rtf_report("UBND xã Thử Nghiệm\nBáo cáo", listener.url))
        done = subprocess.run(
            [sys.executable, "-m", "tthc", "extract", "--json", str(page), str(rtf)],
            capture_output=True, timeout=600, text=True, encoding="utf-8",
        )  # fmt: skip
        assert "Traceback" not in done.stderr
        assert len(json.loads(done.stdout)) == 2
        assert listener.connections == before
    finally:
        listener.close()


def _soffice_convert(exe: str, source: Path, out_dir: Path, profile: Path) -> None:
    """LibreOffice converting one file, uncaged, with the given user profile."""
    subprocess.run(
        [exe, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(source)],
        capture_output=True, timeout=300, check=False, env={**os.environ, "HOME": str(out_dir)},
    )  # fmt: skip


@pytest.fixture
def linking_files(tmp_path: Path):
    """A loopback listener and files that make LibreOffice reach it: a real Word 97 file
    showing a picture linked from the web (LibreOffice keeps the address when it saves an
    HTML page as .doc), and HTML pages saved as .doc and .rtf with a stylesheet, a
    background and a picture."""
    exe = _soffice_or_skip()
    listener = fuzz.Listener()
    try:
        page = tmp_path / "nguon.html"
        page.write_bytes(fuzz.html_as_doc(listener.url))
        subprocess.run(
            [exe, "--headless", f"-env:UserInstallation={(tmp_path / 'hs').as_uri()}",
             "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(page)],
            capture_output=True, timeout=300, check=True,
        )  # fmt: skip
        word97 = tmp_path / "nguon.doc"
        assert word97.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        files = {"word97": word97}
        for suffix in (".doc", ".rtf"):
            files[f"html{suffix}"] = tmp_path / f"trang_web{suffix}"
            files[f"html{suffix}"].write_bytes(fuzz.html_as_doc(listener.url))
        yield exe, listener, files
    finally:
        listener.close()


def test_without_the_cage_nothing_is_converted_and_nothing_is_fetched(linking_files, tmp_path):
    """Where LibreOffice cannot be started without network (the cage disabled here, as on
    a machine without unshare), tthc converts nothing: the listener, which LibreOffice on
    its own does reach with these files, counts no request, and each file says why."""
    exe, listener, files = linking_files
    before = listener.connections
    for name, source in files.items():  # the control: LibreOffice alone, a fresh profile
        _soffice_convert(exe, source, tmp_path / f"tu_do_{name}", tmp_path / f"hs_{name}")
    if listener.connections == before:
        pytest.skip("this LibreOffice fetches nothing from these files even uncaged")
    before = listener.connections
    done = subprocess.run(
        [sys.executable, "-m", "tthc", "extract", "--json", *map(str, files.values())],
        capture_output=True, timeout=600, text=True, encoding="utf-8",
        env={**os.environ, office.CAGE_ENV: "0"},
    )  # fmt: skip
    assert listener.connections == before
    assert done.returncode == 1 and "Traceback" not in done.stderr
    reasons = {Path(r["source"]["path"]).name: r["errors"][0] for r in json.loads(done.stdout)}
    assert "tách khỏi mạng" in reasons[files["word97"].name]
    for suffix in (".doc", ".rtf"):  # refused before any conversion, cage or not
        assert "trang web" in reasons[files[f"html{suffix}"].name]


def test_with_the_cage_a_word97_file_is_read_and_nothing_is_fetched(linking_files):
    _, listener, files = linking_files
    before = listener.connections
    done = subprocess.run(
        [sys.executable, "-m", "tthc", "extract", "--json", *map(str, files.values())],
        capture_output=True, timeout=600, text=True, encoding="utf-8",
    )  # fmt: skip
    if office.network_cage() == ():
        pytest.skip("no network cage works on this machine")
    assert listener.connections == before
    records = {Path(r["source"]["path"]).name: r for r in json.loads(done.stdout)}
    assert records[files["word97"].name]["source"]["format"] == "doc"
    assert records[files["word97"].name]["status"] != "failed"
    assert "trang web" in records[files["html.doc"].name]["errors"][0]


def test_the_profile_is_a_second_wall_against_these_links(linking_files, tmp_path):
    """Behind the cage, tthc's own profile alone stops the fetches these files make (a
    linked picture in Word 97, a page's stylesheet and background): what a fresh profile
    does fetch (the control above) this one does not."""
    exe, listener, files = linking_files
    before = listener.connections
    for name, source in files.items():
        profile = tmp_path / f"hs_tthc_{name}"
        office.write_profile(profile)
        _soffice_convert(exe, source, tmp_path / f"tthc_{name}", profile)
    assert listener.connections == before


def test_a_conversion_over_time_is_killed_with_its_whole_group(tmp_path, monkeypatch):
    """A converter that never ends and leaves a child behind: both are gone after the
    time limit, and the file gets a reason."""
    token = f"tthc-test-{os.getpid()}-{id(tmp_path)}"
    fake = tmp_path / "soffice"
    loop = f"sh -c 'sleep 600; true' {token}"
    fake.write_text(f"#!/bin/sh\n{loop} &\n{loop}\n", encoding="utf-8")
    fake.chmod(0o755)
    settings = office.OfficeSettings(commands=(str(fake),), timeout_s=3)
    with pytest.raises(LoadError) as info:
        office.convert_to_docx(b"{\\rtf1 x}", ".rtf", ".rtf", settings)
    assert "quá 3 giây" in str(info.value)
    # SIGKILL is sent to the group before convert_to_docx returns; on a loaded machine a
    # killed process can take a moment to leave, so the check waits for that (a process
    # that was never killed stays past any wait).
    deadline = time.monotonic() + 30
    while (alive := _alive_with(token)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive


def _alive_with(token: str) -> list[str]:
    """The processes (not zombies) whose command line holds `token`."""
    alive = []
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if proc.name.isdigit() and token.encode() in (proc / "cmdline").read_bytes():
                state = (proc / "stat").read_text().split()[2]
                if state != "Z":
                    alive.append(proc.name)
    return alive
