"""The walk that decides which files of a folder are read.

`scan` accounts for every path under the folder: a file is read, or it is skipped with a
reason in Vietnamese and a kind. Nothing is skipped in silence, symbolic links are never
followed (a link out of the folder could read anything on the machine, a link inside it
would read a file twice or loop), and tthc's own outputs are never read back as reports.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tthc.textkit.file_formats import SUPPORTED_SUFFIXES
from tthc.textkit.safe_io import (
    LEGACY_JOURNAL,
    LOCK_NAME,
    TMP_PREFIX,
    VERSIONS,
    FileId,
    file_id,
    os_reason,
    readable_name,
    run_id_of,
)

# ---------------------------------------------------------------------------------------
# The walk

# Kinds of skipped paths (stable: the lead matches skipped files to communes by name and
# tells "sent something that is not a report" from "sent nothing" by these).
NOT_REPORT = "not_report"  # a file of another kind (photo, spreadsheet, archive ...)
OFFICE_TEMP = "office_temp"  # Word/LibreOffice's lock file of an open document
SYSTEM = "system"  # Thumbs.db, desktop.ini, .DS_Store
FOLDER_UNREADABLE = "folder_unreadable"
LINK_OUTSIDE = "link_outside"
LINK_INSIDE = "link_inside"
LINK_BROKEN = "link_broken"
LINK_LOOP = "link_loop"
SPECIAL = "special"  # a pipe, socket or device
OWN_OUTPUT = "own_output"
KINDS = (
    NOT_REPORT, OFFICE_TEMP, SYSTEM, FOLDER_UNREADABLE, LINK_OUTSIDE, LINK_INSIDE,
    LINK_BROKEN, LINK_LOOP, SPECIAL, OWN_OUTPUT,
)  # fmt: skip

# What a file of another kind is, in an officer's words.
_OTHER_KINDS = {
    (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp"): "ảnh",
    (".xls", ".xlsx", ".xlsm", ".ods", ".csv"): "bảng tính",
    (".zip", ".rar", ".7z", ".tar", ".gz", ".bz2", ".xz"): "tệp nén",
    (".odt", ".pages", ".wps"): "văn bản định dạng chưa hỗ trợ",
    (".ppt", ".pptx", ".odp"): "bản trình chiếu",
    (".htm", ".html", ".xml", ".json", ".toml", ".md", ".ini", ".log"): "tệp dữ liệu",
    (".mp3", ".mp4", ".avi", ".mov", ".wav", ".m4a"): "tệp âm thanh, video",
    (".exe", ".msi", ".bat", ".cmd", ".sh", ".dll", ".lnk"): "chương trình hoặc lối tắt",
    (".eml", ".msg"): "thư điện tử",
    (".sqlite3", ".sqlite", ".db"): "cơ sở dữ liệu",
}
_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
_ROSTER_NAMES = {"roster.toml"}
_MARKED_SUFFIXES = (".docx", ".xlsx", ".csv", ".json")  # kinds tthc writes with its marker
_MAX_MARKED_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Skipped:
    """A path under the input folder that is not read: why (Vietnamese) and what it is."""

    path: Path
    reason: str
    kind: str


@dataclass
class Scan:
    """The files to read, in order, and every other path under the folder; `seen` holds
    which file each path named when it was walked (device, inode, change time), so a file replaced
    since, or a link put in its place, is not read (`open_regular`)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    seen: dict[Path, FileId] = field(default_factory=dict)


def scan(
    folder: str | Path,
    exclude: Iterable[str | Path] = (),
    results: Path | None = None,
    aside: dict[Path, tuple[str, str]] | None = None,
) -> Scan:
    """Walk a folder without following links. `exclude` names paths that are tthc's own
    (the output folder, the store) when they lie inside the folder: they are listed as
    skipped, never read. `aside` names files read otherwise (the system's export given
    with --system), each with its (reason, kind). `results`, the run's results folder, is
    listed so even before the run creates it (every run of a folder lists the same paths).
    Raises OSError only when the folder itself cannot be listed."""
    base = Path(folder)
    root = Path(os.path.realpath(base))
    excluded = {Path(os.path.realpath(p)) for p in exclude}
    set_aside = {Path(os.path.realpath(p)): why for p, why in (aside or {}).items()}
    result = Scan()
    entries = sorted(os.scandir(base), key=lambda e: e.name)  # the root's error is the caller's
    # depth first, in name order, without recursion (a folder may nest very deep)
    stack = [(base, root, entry) for entry in reversed(entries)]
    while stack:
        folder, real, entry = stack.pop()
        path = folder / entry.name
        skipped = set_aside.get(real / entry.name) if not entry.is_symlink() else None
        skipped = skipped or _skip_reason(root, path, real / entry.name, entry, excluded)
        if skipped is not None:
            result.skipped.append(Skipped(path, *skipped))
        elif entry.is_dir(follow_symlinks=False):
            try:
                children = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError as exc:
                result.skipped.append(Skipped(path, _unreadable_folder(exc), FOLDER_UNREADABLE))
                continue
            stack.extend((path, real / entry.name, child) for child in reversed(children))
        else:
            result.files.append(path)
            result.seen[path] = file_id(entry.stat(follow_symlinks=False))
    result.files.sort()
    if results is not None and not os.path.lexists(results):
        _list_results_to_be(base, root, results, result)
    return result


def _list_results_to_be(base: Path, root: Path, results: Path, found: Scan) -> None:
    """The results folder a run is about to create inside the reports folder, listed
    where the walk would list it."""
    inside = os.path.relpath(os.path.realpath(results), root)
    if inside.startswith(os.pardir) or inside == os.curdir:
        return
    found.skipped.append(Skipped(base / inside, _OWN_FOLDER, OWN_OUTPUT))
    found.skipped.sort(key=lambda s: s.path.parts)


def _skip_reason(
    root: Path, path: Path, real: Path, entry: os.DirEntry, excluded: set[Path]
) -> tuple[str, str] | None:
    """(reason, kind) when the entry is not read; None when it is read (or walked into)."""
    if real in excluded:
        return _OWN_FOLDER if entry.is_dir(follow_symlinks=False) else _OWN_FILE, OWN_OUTPUT
    if entry.is_symlink():
        return _link(root, path)
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return f"Không xem được tệp này ({os_reason(exc)}).", SPECIAL
    if stat.S_ISDIR(mode):
        if entry.name == VERSIONS or os.path.lexists(path / LOCK_NAME):
            return _OWN_FOLDER, OWN_OUTPUT  # (False when the folder cannot be read)
        return None
    if not stat.S_ISREG(mode):
        return _special(mode), SPECIAL
    return _file_reason(path)


def not_a_report(path: Path) -> str | None:
    """Why a file named on the command line is not read as a report (the walk's own
    reasons: a roster, a photo, tthc's own output ...), or None when it is read."""
    found = _file_reason(path)
    return found[0] if found else None


def _file_reason(path: Path) -> tuple[str, str] | None:
    name = path.name
    lower = name.lower()
    suffix = path.suffix.lower()
    if name.startswith(TMP_PREFIX) or name in (LOCK_NAME, LEGACY_JOURNAL):
        return _OWN_FILE, OWN_OUTPUT
    if suffix in _MARKED_SUFFIXES and _is_own(path):
        return _OWN_FILE, OWN_OUTPUT
    if _is_store_file(path):
        return _OWN_STORE, OWN_OUTPUT
    if lower.startswith(("~$", ".~lock.")):
        return (
            "Tệp tạm do Word hoặc LibreOffice tạo khi đang mở một văn bản, không phải báo cáo.",
            OFFICE_TEMP,
        )
    if lower in _SYSTEM_NAMES:
        return "Tệp hệ thống do Windows hoặc macOS tạo, không phải báo cáo.", SYSTEM
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if lower in _ROSTER_NAMES:
        return "Danh sách đơn vị (roster), không phải báo cáo.", NOT_REPORT
    what = next((words for group, words in _OTHER_KINDS.items() if suffix in group), None)
    if what is None:
        what = f"tệp {suffix}" if suffix else "tệp không có phần mở rộng"
    return (
        f"Không phải loại tệp báo cáo ({what}); tthc đọc các tệp "
        f"{' '.join(SUPPORTED_SUFFIXES)}. Nếu đây là "
        "báo cáo, hãy lưu lại dưới một trong các dạng đó.",
        NOT_REPORT,
    )


def _is_own(path: Path) -> bool:
    """Whether a file carries tthc's marker (it was written by tthc)."""
    try:
        if path.stat().st_size > _MAX_MARKED_BYTES:
            return False
    except OSError:
        return False
    return run_id_of(path) is not None


def _is_store_file(path: Path) -> bool:
    """A tthc store, or a file SQLite keeps beside one (-wal, -shm, -journal)."""
    from tthc.consolidate import is_store

    name = path.name
    base = next((name[: -len(s)] for s in ("-wal", "-shm", "-journal") if name.endswith(s)), None)
    if base is not None:
        return _is_store_file(path.with_name(base)) if base else False
    return path.suffix.lower() in _STORE_SUFFIXES and is_store(path)


_STORE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
_OWN_STORE = "Tệp lưu trữ kết quả đọc của tthc (hoặc tệp đi kèm của nó), không phải báo cáo."
_OWN_FOLDER = "Thư mục kết quả của tthc (không đọc lại kết quả của chính mình làm báo cáo)."
_OWN_FILE = "Tệp do tthc tạo ra (kết quả của một lần chạy), không đọc lại làm báo cáo."


def _link(root: Path, path: Path) -> tuple[str, str]:
    """A symbolic link is never followed; the reason says where it points."""
    here = Path(os.path.realpath(path.parent))
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    shown = readable_name(target)
    try:
        real = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return f"Liên kết tới {shown} không còn tồn tại (liên kết hỏng).", LINK_BROKEN
    except OSError:
        return f"Liên kết vòng (trỏ lại chính nó qua {shown}), không đi theo.", LINK_LOOP
    if real != root and root not in real.parents:
        return (
            f"Liên kết trỏ ra ngoài thư mục báo cáo ({shown}), không đi theo; nếu đó là báo "
            "cáo, hãy chép tệp vào thư mục.",
            LINK_OUTSIDE,
        )
    if real.is_dir() and (real == here or real in here.parents):
        return f"Liên kết vòng (trỏ lên thư mục chứa nó: {shown}), không đi theo.", LINK_LOOP
    return (
        f"Liên kết tới {shown} trong chính thư mục báo cáo; nội dung được đọc ở chỗ thật "
        "của nó, không đọc hai lần.",
        LINK_INSIDE,
    )


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        what = "một đường ống (FIFO)"
    elif stat.S_ISSOCK(mode):
        what = "một socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "một thiết bị"
    else:
        what = "một tệp đặc biệt"
    return f"Đây là {what}, không phải tệp báo cáo; không đọc."


def _unreadable_folder(exc: OSError) -> str:
    why = "không có quyền đọc" if isinstance(exc, PermissionError) else os_reason(exc)
    return (
        f"Không mở được thư mục này ({why}); các báo cáo trong đó chưa được đọc. Hãy cấp "
        "quyền đọc thư mục rồi chạy lại."
    )


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; a folder stands for every report under it (the walk's files)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from scan(p).files
        else:
            yield p
