"""Sizes no commune report reaches, refused before any parser spends time on them, and the
reason the officer is given.

A long scanned report is tens of MB; a .docx is a zip, refused before anything is inflated
when its declared contents could not be a report (a "zip bomb" declares gigabytes, or
squeezes them 1000:1; `check_zip`, for a .docx and an .xlsx).
"""

from __future__ import annotations

import io
import zipfile

from tthc.schemas import LoadError

MAX_FILE_BYTES = 300 * 2**20  # a long scanned report is tens of MB
MAX_TEXT_FILE_BYTES = 10 * 2**20
MAX_TEXT_CHARS = 900_000  # the language pipeline reads at most 1,000,000 characters
MAX_DOCX_MEMBERS = 5_000
MAX_DOCX_UNCOMPRESSED = 256 * 2**20
MAX_DOCX_RATIO = 200  # for a member over 1 MB; real XML compresses 5-20:1
RATIO_FROM = 2**20


def too_big(what: str) -> str:
    """The reason a file too large for a report is not read."""
    return (
        f"{what}, quá lớn so với một báo cáo (có thể là tệp ghép nhiều tài liệu hoặc tệp "
        "hỏng); hãy gửi riêng phần báo cáo."
    )


def check_zip(data: bytes, what: str = "Tệp Word (.docx)") -> None:
    """Refuse a zip (a .docx, an .xlsx) whose declared contents are absurd, before
    inflating a byte."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        program = "Word" if "Word" in what else "Excel"
        raise LoadError(
            f"{what} bị hỏng (không giải nén được); hãy mở bằng {program} và lưu lại."
        ) from exc
    total = sum(i.file_size for i in infos)
    squeezed = any(
        i.file_size > RATIO_FROM and i.file_size > MAX_DOCX_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if len(infos) > MAX_DOCX_MEMBERS or total > MAX_DOCX_UNCOMPRESSED or squeezed:
        raise LoadError(
            f"{what} khai báo nội dung giải nén bất thường ({len(infos)} phần, "
            f"{total / 2**20:,.0f} MB); có thể là tệp độc hại (bom nén), đã bỏ qua."
        )
