"""Word 97-2003 (.doc) and RTF files, converted to .docx by LibreOffice.

Some offices still save as .doc. python-docx reads only .docx, so LibreOffice converts the
file first (`soffice --headless --convert-to docx`, about 1.5 s). Each conversion gets its own
temporary user profile, so conversions running in parallel do not fight over one profile.
Without LibreOffice the reason names what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from schemas import LoadError

SOFFICE = ("soffice", "libreoffice")  # command names; tests point these elsewhere
TIMEOUT_S = 120
_INSTALL = "gói libreoffice-writer-nogui"


def soffice() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return next((exe for name in SOFFICE if (exe := shutil.which(name))), None)


def convert_to_docx(data: bytes, suffix: str, kind: str) -> bytes:
    """The .docx bytes of a .doc or .rtf file. Raises LoadError (Vietnamese reason)."""
    exe = soffice()
    if exe is None:
        raise LoadError(
            f"Tệp {kind} cần LibreOffice để đọc nhưng máy chưa cài ({_INSTALL}); hãy cài "
            "LibreOffice, hoặc mở tệp bằng Word và lưu lại dạng .docx."
        )
    with tempfile.TemporaryDirectory(prefix="tthc-lo-") as tmp:
        work = Path(tmp)
        source = work / f"bao_cao{suffix}"
        source.write_bytes(data)
        out = work / "out"
        cmd = [
            exe,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        env = dict(os.environ, HOME=tmp)  # LibreOffice writes caches under $HOME
        try:
            subprocess.run(
                cmd, capture_output=True, timeout=TIMEOUT_S, env=env, check=False, cwd=tmp
            )
        except subprocess.TimeoutExpired as exc:
            raise LoadError(
                f"LibreOffice chuyển tệp {kind} quá {TIMEOUT_S} giây (tệp có thể bị hỏng); "
                "hãy mở bằng Word và lưu lại dạng .docx."
            ) from exc
        except OSError as exc:
            raise LoadError(
                f"Không chạy được LibreOffice để đọc tệp {kind} ({exc.strerror or exc}); "
                f"hãy cài lại ({_INSTALL})."
            ) from exc
        result = out / "bao_cao.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise LoadError(
                f"LibreOffice không chuyển được tệp {kind} (tệp có thể bị hỏng hoặc không "
                "phải văn bản Word); hãy mở bằng Word và lưu lại dạng .docx."
            )
        return result.read_bytes()
