"""Load stage: a file on disk → `RawDocument` (lines with page numbers; table rows as rows).

Each loader reads one format and nothing else; the format is decided from the file's first
bytes, not only its name, so a PDF renamed .txt is still read as a PDF. A file that cannot be
read raises `LoadError` with a reason in Vietnamese that the officer can act on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from schemas import LoadError, RawDocument, RawLine

SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx")


def sniff_format(data: bytes, suffix: str) -> str:
    """Decide the format from magic bytes first, the file name second."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return {".pdf": "pdf", ".docx": "docx"}.get(suffix.lower(), "txt")


def load(path: str | Path) -> RawDocument:
    """Read one report. Raises LoadError (Vietnamese reason) when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"Không mở được tệp: {exc.strerror or exc}") from exc
    if not data.strip():
        raise LoadError("Tệp rỗng, không có nội dung.")
    fmt = sniff_format(data, path.suffix)
    loader = {"txt": load_text}.get(fmt)
    if loader is None:
        raise LoadError(f"Chưa hỗ trợ định dạng {fmt}.")
    doc = loader(path, data)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def load_text(path: Path, data: bytes) -> RawDocument:
    """Plain text must be UTF-8 (a BOM is allowed); a form feed starts a new page."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            "Tệp văn bản không ở mã UTF-8 (có thể là mã TCVN3/VNI cũ); "
            "hãy lưu lại tệp với mã Unicode UTF-8."
        ) from exc
    pages = text.split("\f")
    lines = [
        RawLine(text=line, page=(n if len(pages) > 1 else None))
        for n, page in enumerate(pages, start=1)
        for line in page.splitlines()
    ]
    return RawDocument(path=str(path), format="txt", lines=lines, pages=len(pages), encoding="utf-8")
