"""Word 97-2003 (.doc) and RTF files, read through LibreOffice.

The .doc is made here from our own .docx by LibreOffice itself (`--convert-to doc`), so the
test needs LibreOffice and skips without it; the reason given when it is missing is tested
by pointing the loader at a command that does not exist.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from corpus.render import Para
from extractors import office
from extractors.load import load
from schemas import LoadError
from tests.fixtures.reports import (
    DOSSIERS,
    record_view,
    report_blocks,
    write_legacy_docx,
    write_report,
)
from tthc.pipeline import process_file


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
    monkeypatch.setattr(office, "SOFFICE", ("khong-co-soffice",))
    with pytest.raises(LoadError) as info:
        load(path)
    assert "libreoffice-writer-nogui" in str(info.value) and ".doc" in str(info.value)


def test_damaged_doc_gets_a_reason(tmp_path: Path) -> None:
    if office.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = tmp_path / "hong.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    with pytest.raises(LoadError, match="LibreOffice không chuyển được"):
        load(path)
