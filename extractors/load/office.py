"""Word 97-2003 (.doc) and RTF files, converted to .docx by LibreOffice, in a cage.

Some offices still save as .doc. python-docx reads only .docx, so LibreOffice converts the
file first (`soffice --headless --convert-to docx`, about 1.5 s). A file from a sender may
link pictures or other resources on the web (a picture pasted from a web page; an HTML
page saved under a .doc name), and LibreOffice fetches them while it converts. So each
conversion runs caged:
- with no network: in a new network namespace (`unshare -n`, or `unshare -rn` for a user
  without privileges), where nothing outside the process can be reached;
- with its own fresh user profile, set to block every link from an untrusted document
  (LibreOffice's `BlockUntrustedRefererLinks`) and to run no macro: this alone keeps links
  from being fetched where namespaces are not available;
- under a time limit, killed with its whole process group when it runs over (and when the
  worker that started it is stopped, see `live_groups`).
Without LibreOffice the reason names what to install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schemas import LoadError


@dataclass(frozen=True)
class OfficeSettings:
    """How conversions run: the LibreOffice command names tried in order, and the time one
    conversion may take before it is killed with its process group."""

    commands: tuple[str, ...] = ("soffice", "libreoffice")
    timeout_s: float = 120


DEFAULT = OfficeSettings()
_INSTALL = "gói libreoffice-writer-nogui"

# Ways to start a program without network, tried in order (root, then an unprivileged user
# through a user namespace); the first that works on this machine is used.
CAGES: tuple[tuple[str, ...], ...] = (("unshare", "-n"), ("unshare", "-r", "-n"))

# The profile each conversion starts with: no link from the document is followed, no macro
# runs, no update check.
_SETTINGS = (  # (registry path, property, value)
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
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
# stopped kills them too (tthc.batch).
live_groups: set[int] = set()


def soffice(settings: OfficeSettings = DEFAULT) -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return next((exe for name in settings.commands if (exe := shutil.which(name))), None)


@cache
def network_cage() -> tuple[str, ...]:
    """The command prefix that runs a program without network here, or () when none
    works (the profile's settings then stand alone)."""
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


def run_caged(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout_s: float) -> int:
    """Run a helper without network, in its own process group, under a time limit; the
    whole group is killed when the time runs out. Returns the exit code; raises
    subprocess.TimeoutExpired or OSError."""
    proc = subprocess.Popen(
        [*network_cage(), *cmd],
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
            run_caged(cmd, cwd=work, env=env, timeout_s=settings.timeout_s)
        except subprocess.TimeoutExpired as exc:
            raise LoadError(
                f"LibreOffice chuyển tệp {kind} quá {settings.timeout_s:g} giây "
                "(tệp có thể bị hỏng); hãy mở bằng Word và lưu lại dạng .docx."
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


def kill_conversions() -> None:
    """Kill every conversion still running in this process (its whole process group): a
    worker stopped on a timeout takes its LibreOffice along."""
    for group in list(live_groups):
        kill_group(group)
