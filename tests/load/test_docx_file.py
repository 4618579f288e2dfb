"""tthc.load.docx_file: a broken .docx gives the officer's reason and, apart, its technical
cause; the record keeps both as data and says both in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc.load import load
from tthc.process import read_file
from tthc.schemas import LoadError


def _corrupt_docx(path: Path) -> None:
    """A real .docx whose body is not XML: the zip opens, the document does not."""
    import io
    import zipfile

    import docx

    whole = io.BytesIO()
    docx.Document().save(whole)
    out = io.BytesIO()
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, b"<w:document" if info.filename == "word/document.xml" else body)
    path.write_bytes(out.getvalue())


def test_a_broken_docx_keeps_its_technical_cause_apart(tmp_path: Path) -> None:
    path = tmp_path / "hong.docx"
    _corrupt_docx(path)
    with pytest.raises(LoadError) as info:
        load(path)
    err = info.value
    assert "bị hỏng" in err.reason and "lỗi kỹ thuật" not in err.reason
    assert err.technical and err.technical in str(err)
    record = read_file(path)
    assert record.status == "failed"
    assert record.failure is not None
    assert record.failure.reason == err.reason
    assert record.failure.technical == err.technical
    assert record.errors == [f"{err.reason[:-1]} (lỗi kỹ thuật: {err.technical})."]
