"""Word 97-2003 (.doc) and RTF reports: converted to .docx by LibreOffice, in a cage, then
read as .docx (`load_doc`, `load_rtf`).

Some offices still save as .doc. python-docx reads only .docx, so LibreOffice converts the
file first (`soffice --headless --convert-to docx`, about 1.5 s). A file from a sender may
link pictures or other resources on the web (a picture pasted from a web page keeps its
address in a Word 97 file), and LibreOffice fetches them while it converts. So each
conversion runs caged:
- with no network: in a new network namespace (`unshare -n`, or `unshare -rn` for a user
  without privileges), where nothing outside the process can be reached. Where neither
  works, nothing is converted: the file gets a reason that says why. The profile below
  does not stop every fetch on its own (a linked picture in a Word 97 file is fetched even
  with `BlockUntrustedRefererLinks`), so it is a second wall, never the only one;
- with its own fresh user profile, set to block links from an untrusted document
  (`BlockUntrustedRefererLinks`), never to update links, to send any web request to a
  closed local port as its proxy, and to run no macro;
- under a time limit, killed with its whole process group when it runs over (and when the
  worker that started it is stopped, see `live_groups`).
An HTML page, XML or MHTML file saved under a .doc or .rtf name is refused before any
conversion (`load_doc`, `load_rtf`): LibreOffice would open it as a web page and load its
stylesheets and pictures. Without LibreOffice the reason names what to install.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tthc.load.docx_file import load_docx
from tthc.schemas import LoadError, RawDocument
from tthc.textkit.safe_io import os_reason

CAGE_ENV = "TTHC_OFFICE_CAGE"  # "0": act as if no network cage worked here (tests)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, and encrypted Office files
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # stream name in a password .docx


@dataclass(frozen=True)
class OfficeSettings:
    """How conversions run: the LibreOffice command names tried in order, the time one
    conversion may take before it is killed with its process group, and whether the
    network cage may be used (`cage=False`: as on a machine where it does not work, so
    nothing is converted; set by a test through $TTHC_OFFICE_CAGE=0)."""

    commands: tuple[str, ...] = ("soffice", "libreoffice")
    timeout_s: float = 120
    cage: bool = True

    @classmethod
    def from_env(cls) -> OfficeSettings:
        return cls(cage=os.environ.get(CAGE_ENV, "1").strip() != "0")


DEFAULT = OfficeSettings()


def current(settings: OfficeSettings | None) -> OfficeSettings:
    """`settings`, or the defaults read from the environment now."""
    return settings if settings is not None else OfficeSettings.from_env()


_INSTALL = "gói libreoffice-writer-nogui"

# Ways to start a program without network, tried in order (root, then an unprivileged user
# through a user namespace); the first that works on this machine is used.
CAGES: tuple[tuple[str, ...], ...] = (("unshare", "-n"), ("unshare", "-r", "-n"))

# The profile each conversion starts with: links from the document blocked and never
# updated, web requests sent to a closed local port (a proxy that is not there), no macro,
# no update check. A second wall behind the network cage, not a replacement for it.
_INET = "/org.openoffice.Inet/Settings"
_SETTINGS = (  # (registry path, property, value)
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "2"),
    (_INET, "ooInetProxyType", "2"),
    *((_INET, f"ooInet{kind}ProxyName", "127.0.0.1") for kind in ("HTTP", "HTTPS", "FTP")),
    *((_INET, f"ooInet{kind}ProxyPort", "9") for kind in ("HTTP", "HTTPS", "FTP")),
    (
        "/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments",
        "AutoCheckEnabled",
        "false",
    ),
)
PROFILE_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for path, name, value in _SETTINGS
    )
    + "</oor:items>\n"
)

# Process groups of helper programs running now (in this process): a worker that is
# stopped kills them too (tthc.runjob.batch).
live_groups: set[int] = set()


def soffice(settings: OfficeSettings = DEFAULT) -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return next((exe for name in settings.commands if (exe := shutil.which(name))), None)


@cache
def network_cage() -> tuple[str, ...]:
    """The command prefix that runs a program without network here, or () when none
    works (then nothing is converted)."""
    for cage in CAGES:
        if shutil.which(cage[0]) is None:
            continue
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run([*cage, "true"], capture_output=True, timeout=10, check=False)
            if done.returncode == 0:
                return cage
    return ()


def write_profile(profile: Path) -> None:
    """A fresh LibreOffice user profile holding only the cage's settings."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")


def run_caged(
    cmd: list[str], *, cwd: Path, env: dict[str, str], timeout_s: float, cage: tuple[str, ...]
) -> int:
    """Run a helper under `cage` (no network), in its own process group, under a time
    limit; the whole group is killed when the time runs out. Returns the exit code; raises
    subprocess.TimeoutExpired or OSError."""
    proc = subprocess.Popen(
        [*cage, *cmd],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    live_groups.add(proc.pid)
    try:
        return proc.wait(timeout=timeout_s)
    except BaseException:
        kill_group(proc.pid)
        with contextlib.suppress(Exception):
            proc.wait(timeout=10)
        raise
    finally:
        kill_group(proc.pid)  # daemons it left behind
        live_groups.discard(proc.pid)


def kill_group(pgid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pgid, signal.SIGKILL)


def convert_to_docx(
    data: bytes, suffix: str, kind: str, settings: OfficeSettings = DEFAULT
) -> bytes:
    """The .docx bytes of a .doc or .rtf file. Raises LoadError (Vietnamese reason)."""
    exe = soffice(settings)
    if exe is None:
        raise LoadError(
            f"Tệp {kind} cần LibreOffice để đọc nhưng máy chưa cài ({_INSTALL}); hãy cài "
            "LibreOffice, hoặc mở tệp bằng Word và lưu lại dạng .docx."
        )
    cage = network_cage() if settings.cage else ()
    if not cage:
        raise LoadError(
            f"Không chuyển tệp {kind} vì máy này không chạy được LibreOffice tách khỏi mạng "
            "(lệnh unshare không dùng được): khi chuyển, LibreOffice có thể tải hình ảnh, "
            "nội dung từ Internet theo liên kết trong tệp. Hãy mở tệp bằng Word và lưu lại "
            "dạng .docx, hoặc nhờ người quản trị cho phép unshare (gói util-linux)."
        )
    with tempfile.TemporaryDirectory(prefix="tthc-lo-") as tmp:
        work = Path(tmp)
        source = work / f"bao_cao{suffix}"
        source.write_bytes(data)
        out = work / "out"
        profile = work / "profile"
        write_profile(profile)
        cmd = [
            exe,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        env = dict(os.environ, HOME=tmp)  # LibreOffice writes caches under $HOME
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
            env.pop(name, None)
        try:
            run_caged(cmd, cwd=work, env=env, timeout_s=settings.timeout_s, cage=cage)
        except subprocess.TimeoutExpired as exc:
            raise LoadError(
                f"LibreOffice chuyển tệp {kind} quá {settings.timeout_s:g} giây "
                "(tệp có thể bị hỏng); hãy mở bằng Word và lưu lại dạng .docx."
            ) from exc
        except OSError as exc:
            raise LoadError(
                f"Không chạy được LibreOffice để đọc tệp {kind} ({os_reason(exc)}); "
                f"hãy cài lại ({_INSTALL})."
            ) from exc
        result = out / "bao_cao.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise LoadError(
                f"LibreOffice không chuyển được tệp {kind} (tệp có thể bị hỏng hoặc không "
                "phải văn bản Word); hãy mở bằng Word và lưu lại dạng .docx."
            )
        return result.read_bytes()


def kill_conversions() -> None:
    """Kill every conversion still running in this process (its whole process group): a
    worker stopped on a timeout takes its LibreOffice along."""
    for group in list(live_groups):
        kill_group(group)


_MARKUP = re.compile(
    rb"<\s*(?:html|head|body|meta|link|style|img|iframe|object|frameset|table|div|p|br|span|"
    rb"svg|script|!doctype|\?xml|w:worddocument|xml)[\s>/]",
    re.IGNORECASE,
)
_MIME = re.compile(rb"^\s*(?:mime-version|content-type)\s*:", re.IGNORECASE | re.MULTILINE)


def web_page(data: bytes) -> bool:
    """Whether a file is an HTML page, XML or a saved web archive (MHTML): what Word
    writes as "Web Page" and some systems export under a .doc name."""
    head = data[:65536].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if head.replace(b"\x00", b"")[:1] == b"<":
        return True
    return bool(_MARKUP.search(head.replace(b"\x00", b"")) or _MIME.search(head[:2048]))


def _refuse_web_page(data: bytes, kind: str) -> None:
    """Refused before any conversion: LibreOffice opens such a file as a web page and
    loads its stylesheets, backgrounds and pictures from wherever they point."""
    if web_page(data):
        raise LoadError(
            f"Tệp mang tên {kind} nhưng thực chất là trang web (HTML, XML hoặc MHTML), không "
            "phải văn bản Word; tthc không chuyển loại tệp này vì khi mở nó có thể tải nội "
            "dung từ Internet. Hãy mở tệp bằng Word và lưu lại dạng .docx hoặc .pdf."
        )


def load_doc(path: Path, data: bytes, settings: OfficeSettings = DEFAULT) -> RawDocument:
    """OLE2 files: Word 97-2003 .doc (converted by LibreOffice), or a password .docx;
    something else named .doc is converted only when it is not a web page."""
    if not data.startswith(OLE2_MAGIC):
        _refuse_web_page(data, path.suffix.lower() or ".doc")
    if _OLE_ENCRYPTED in data:
        raise LoadError(
            "Tệp Word bị mã hóa (có mật khẩu), không đọc được nội dung; "
            "hãy gỡ mật khẩu rồi lưu lại dạng .docx."
        )
    doc = load_docx(path, convert_to_docx(data, ".doc", "Word 97-2003 (.doc)", settings))
    doc.format = "doc"
    return doc


def load_rtf(path: Path, data: bytes, settings: OfficeSettings = DEFAULT) -> RawDocument:
    """RTF (often saved with a .doc name), converted by LibreOffice; something else named
    .rtf is converted only when it is not a web page."""
    if data.lstrip()[:5] != b"{\\rtf":
        _refuse_web_page(data, path.suffix.lower() or ".rtf")
    doc = load_docx(path, convert_to_docx(data, ".rtf", "RTF", settings))
    doc.format = "rtf"
    return doc
