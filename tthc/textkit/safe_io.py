"""Safe output: text an officer's spreadsheet cannot execute, names shown readably, files
that appear whole or not at all, and the mark tthc leaves in everything it writes.

- `readable`: a file name may hold any bytes (Python carries undecodable ones as lone
  surrogates, `os.fsdecode`); no output can encode those, and control characters would
  break XML or a terminal. Shown text replaces both with U+FFFD.
- `csv_field` / `put_text`: text starting with = + - @ (or a tab, CR, NUL) is a live
  formula to Excel and LibreOffice (CSV or formula injection, OWASP). A CSV field gets a
  leading apostrophe; a workbook cell is stored as a string with Excel's own "quote
  prefix" (shown without the apostrophe, and kept as text when edited).
- `open_regular` / `read_regular`: a file read as a report is opened without following
  a link and must still be the file the folder walk saw (device, inode, change time), or
  it is not read.
- `create_file` / `open_own_file` / `make_folder`: every file tthc writes is created with
  O_EXCL and O_NOFOLLOW (never an existing file, never through a link) and checked with
  fstat after it is opened; its own lock is never a link, a pipe or a file with other names.
- `ResultSet`: the outputs of a run are written into a folder of their own and shown by
  switching one link (`.tthc-lan-chay/hien-tai`) in one rename, so every output name
  shows the new set at the same instant, or all still show the old one.
- `MARKER` and the run id: docx/xlsx carry them in their document properties, the CSVs in
  a last column, the JSON in a field, the store in its own table. The input walk
  recognises tthc's own files by them and never reads them as reports.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import re
import secrets
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

MARKER = "tthc-output"  # in the keywords of every docx/xlsx tthc writes
RUN_ID_HEADER = "Mã lần chạy tthc"  # the CSVs' last column: the run id on every row
TMP_PREFIX = ".tthc-tmp-"
LEGACY_JOURNAL = ".tthc-commit.json"  # written by earlier versions; removed
LOCK_NAME = ".tthc-khoa"  # its presence marks a folder as a tthc output folder

# ---------------------------------------------------------------------------------------
# Text


_UNSHOWABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NEWLINES = re.compile("[\r\n]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*%?")


def new_run_id() -> str:
    """A run's id: when it started and a random part (two runs in one second differ)."""
    return f"{dt.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def readable(text: str) -> str:
    """Text any output can hold: undecodable bytes of a name (lone surrogates) and control
    characters become U+FFFD; tabs and line breaks stay."""
    if not _UNSHOWABLE.search(text):
        return text
    # a surrogate-escaped byte sequence that is valid UTF-8 decodes back to its letters
    with contextlib.suppress(UnicodeError):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNSHOWABLE.sub("\ufffd", text)


def readable_name(path: str | os.PathLike[str]) -> str:
    """A path as shown to a person: readable, and on one line."""
    return _NEWLINES.sub("\ufffd", readable(os.fspath(path)))


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read the text as a formula; a plain number ("-3",
    "+12,5%") is left alone."""
    return text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def csv_field(value: Any) -> Any:
    """A CSV field: None is empty, text is readable and never a formula (a leading
    apostrophe, as OWASP advises), numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = readable(value)
        return f"'{value}" if is_formula_like(value) else value
    return value


def put_text(cell: Any, value: Any) -> Any:
    """Set an openpyxl cell: text is stored as a string, never as a formula (openpyxl
    makes any text starting with "=" a formula). Returns the cell."""
    if isinstance(value, str):
        value = readable(value)
        cell.value = value
        if is_formula_like(value):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def readable_data(value: Any) -> Any:
    """Every string in nested dicts and lists made readable (model_dump output)."""
    if isinstance(value, str):
        return readable(value)
    if isinstance(value, dict):
        return {readable_data(k): readable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(readable_data(v) for v in value)
    return value


# ---------------------------------------------------------------------------------------
# System errors in an officer's words

_OS_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng (quota) trên ổ đĩa",
    errno.EFBIG: "tệp vượt quá kích thước ổ đĩa cho phép",
    errno.EACCES: "không có quyền",
    errno.EPERM: "hệ thống không cho phép (không có quyền, hoặc tệp, thư mục bị khóa)",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đó là một thư mục",
    errno.ENOENT: "không tìm thấy",
    errno.EEXIST: "đã có một tệp cùng tên",
    errno.ENAMETOOLONG: "đường dẫn hoặc tên tệp quá dài, vượt giới hạn của hệ thống",
    errno.ELOOP: "đường dẫn đi qua liên kết vòng hoặc quá nhiều liên kết",
    errno.EIO: "lỗi đọc, ghi của thiết bị (ổ đĩa có thể bị hỏng hoặc đã bị rút ra)",
    errno.EBUSY: "đang bị chương trình khác sử dụng",
    errno.EMFILE: "mở quá nhiều tệp cùng lúc",
    errno.ENFILE: "hệ thống mở quá nhiều tệp cùng lúc",
    errno.ENOMEM: "không đủ bộ nhớ",
    errno.ENXIO: "thiết bị không còn",
    errno.ENODEV: "thiết bị không còn",
    errno.EINVAL: "thao tác không hợp lệ ở chỗ này",
    errno.EOPNOTSUPP: "hệ thống tệp ở đây không hỗ trợ thao tác này",
    errno.ESTALE: "ổ mạng đã mất kết nối",
    errno.ETIMEDOUT: "hết thời gian chờ (ổ mạng không trả lời)",
    errno.EAGAIN: "tạm thời chưa làm được",
}


def os_reason(exc: BaseException) -> str:
    """Why a system call failed, in Vietnamese (never the system's English text)."""
    code = getattr(exc, "errno", None)
    if code in _OS_REASONS:
        return _OS_REASONS[code]
    name = errno.errorcode.get(code, str(code)) if isinstance(code, int) else type(exc).__name__
    return f"lỗi hệ thống, mã {name}"


# ---------------------------------------------------------------------------------------
# Opening files without following links

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

# Which file a path named when it was seen: device, inode, and the time of its last change
# of state (an inode number freed by a deleted file is soon given to a new one; that new
# file has its own change time).
FileId = tuple[int, int, int]


class UnsafeFile(Exception):
    """A path tthc will not open: a link, a pipe or device, a file with other names (hard
    links), a file replaced since the folder was walked. `why` says it in Vietnamese."""

    def __init__(self, path: str | os.PathLike[str], why: str) -> None:
        super().__init__(f"{readable_name(path)} {why}")
        self.path = Path(path)
        self.why = why


LINK = "là một liên kết (symlink)"
LOCKED = (
    "bị khóa, hệ thống không cho thay hoặc xóa (thuộc tính chỉ đọc, immutable, hoặc không có "
    "quyền ghi)"
)
CHANGED = "đã bị thay đổi, hoặc bị thay bằng tệp khác hay liên kết, sau khi quét thư mục"


def file_id(info: os.stat_result) -> FileId:
    return (info.st_dev, info.st_ino, info.st_ctime_ns)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "là một thư mục"
    if stat.S_ISFIFO(mode):
        return "là một đường ống (FIFO)"
    if stat.S_ISSOCK(mode):
        return "là một socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "là một thiết bị"
    return "không phải tệp thường"


def _opened(path: str | os.PathLike[str], fd: int, *, single: bool = False) -> int:
    """The descriptor, once fstat shows a regular file (with one name when `single`);
    closed and refused otherwise."""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(path, _kind_of(info.st_mode))
        if single and info.st_nlink != 1:
            raise UnsafeFile(path, "có nhiều tên (liên kết cứng tới một tệp khác)")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _no_link(path: str | os.PathLike[str], exc: OSError) -> None:
    """O_NOFOLLOW on a link fails with ELOOP (or EMLINK on some systems)."""
    if exc.errno in (errno.ELOOP, errno.EMLINK):
        raise UnsafeFile(path, LINK) from exc


def open_regular(path: str | os.PathLike[str], expect: FileId | None = None) -> int:
    """A descriptor to read a regular file. With `expect` (the file the walk saw) a link
    is never followed and the file must still be that file; without it (a path the user
    named) a link is followed. A pipe or device is refused without blocking."""
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (_NOFOLLOW if expect is not None else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        _no_link(path, exc)
        raise
    fd = _opened(path, fd)
    if expect is not None and file_id(os.fstat(fd)) != expect:
        os.close(fd)
        raise UnsafeFile(path, CHANGED)
    return fd


def read_regular(
    path: str | os.PathLike[str], expect: FileId | None = None, limit: int | None = None
) -> bytes:
    """The bytes of a regular file opened as `open_regular` does. Raises UnsafeFile,
    OSError, or ValueError when it holds more than `limit` bytes (nothing read then)."""
    fd = open_regular(path, expect)
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if limit is not None and size > limit:
            raise ValueError(size)
        return fh.read()


def open_folder(path: str | os.PathLike[str], dir_fd: int | None = None) -> int:
    """A folder's descriptor, never through a link."""
    try:
        return os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ELOOP):  # a link (or a file) under the name
            with contextlib.suppress(OSError):
                mode = os.stat(path, dir_fd=dir_fd, follow_symlinks=False).st_mode
                raise UnsafeFile(path, LINK if stat.S_ISLNK(mode) else _kind_of(mode)) from exc
        raise


def make_folder(name: str, dir_fd: int, *, exist_ok: bool = False) -> int:
    """Create a folder in an open folder (never through a link) and open it."""
    try:
        os.mkdir(name, 0o755, dir_fd=dir_fd)
    except FileExistsError:
        if not exist_ok:
            raise
    return open_folder(name, dir_fd)


def create_file(name: str, dir_fd: int | None = None, mode: int = 0o644) -> int:
    """A new file, for writing: O_EXCL (never an existing file, never through a link),
    checked with fstat after it is opened."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode,
                 dir_fd=dir_fd)  # fmt: skip
    return _opened(name, fd, single=True)


def open_own_file(name: str, dir_fd: int) -> int:
    """tthc's own file in a folder of its own (the lock), created when absent, opened for
    reading and writing: never through a link, never a pipe (no blocking), never a file
    with other names (writing into it would write into that file)."""
    flags = os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC
    try:
        fd = os.open(name, flags, 0o644, dir_fd=dir_fd)
    except OSError as exc:
        _no_link(name, exc)
        raise
    return _opened(name, fd, single=True)


def fd_path(fd: int, fallback: Path) -> Path:
    """A path that names the open file itself (Linux's /proc/self/fd), so a writer that
    takes a path writes into the file tthc created whatever happens to the folder's
    names; `fallback` where /proc is not available."""
    path = Path(f"/proc/self/fd/{fd}")
    return path if path.exists() else fallback


def _fsync(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.fsync(fd)


# Locks this process holds: a worker process forked from it closes its copies, so a lock
# is released the moment the run ends, whatever its workers are still doing.
held_locks: set[int] = set()


def release_inherited_locks() -> None:
    """In a forked child: close the copies of the parent's lock descriptors."""
    for fd in list(held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    held_locks.clear()


# ---------------------------------------------------------------------------------------
# A set of results that switches at once

VERSIONS = ".tthc-lan-chay"  # in the results folder: one sub-folder per run's complete set
CURRENT = "hien-tai"  # in VERSIONS: a link naming the set the officer sees


class ResultSet:
    """The outputs of one run, shown together or not at all.

    Each output name in the results folder (tong_hop.xlsx ...) is a relative link to
    `.tthc-lan-chay/hien-tai/<name>`, and `hien-tai` is a link to one run's folder. A run
    writes its outputs into a new folder of its own (every file created with O_EXCL, never
    through a link), then replaces `hien-tai` in one rename: every name shows the new set
    at the same instant, and a run that stops before that rename (a kill, a full disk, a
    file that cannot be replaced) has changed nothing that can be seen.

    `commit()` first makes every output name such a link without changing what it shows:
    results written as plain files by an earlier version of tthc are hard-linked into a
    folder of their own that `hien-tai` names, then each plain file is replaced by its
    link (same content). Only then is `hien-tai` switched; older sets are removed after."""

    def __init__(self, out: Path, out_fd: int, names: list[str], run_id: str) -> None:
        self.out = out
        self.out_fd = out_fd
        self.names = names
        self.run_id = run_id
        self.switched = False
        self.versions_fd = make_folder(VERSIONS, out_fd, exist_ok=True)
        try:
            self.folder_fd = make_folder(run_id, self.versions_fd)
        except BaseException:
            os.close(self.versions_fd)
            raise

    def close(self) -> None:
        """Release the folders; a set that was never switched in is removed."""
        if not self.switched:
            _remove(self.run_id, self.versions_fd)
        for fd in (self.folder_fd, self.versions_fd):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> ResultSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, name: str, writer: Callable[[Path], Any]) -> None:
        """Write one output through `writer(path)` into this run's folder."""
        fd = create_file(name, self.folder_fd)
        try:
            writer(fd_path(fd, self.out / VERSIONS / self.run_id / name))
            os.fsync(fd)
        finally:
            os.close(fd)

    def commit(self) -> None:
        _fsync(self.folder_fd)
        checkpoint("commit")
        self._link_names()
        checkpoint("switch")
        _point(self.versions_fd, self.run_id)
        self.switched = True
        checkpoint("switched")
        prune(self.out_fd)

    def _link_names(self) -> None:
        """Every output name a link into `hien-tai`, showing what it showed before."""
        if _pointer(self.versions_fd) is None:
            plain = [n for n in self.names if _lkind(n, self.out_fd) == "file"]
            if plain:  # results of an earlier version of tthc: they become a set
                earlier = f"truoc-{self.run_id}"
                fd = make_folder(earlier, self.versions_fd)
                try:
                    for name in plain:
                        with self._locked(name):
                            os.link(name, name, src_dir_fd=self.out_fd, dst_dir_fd=fd,
                                    follow_symlinks=False)  # fmt: skip
                    _fsync(fd)
                finally:
                    os.close(fd)
                _point(self.versions_fd, earlier)
        for i, name in enumerate(self.names):
            target = f"{VERSIONS}/{CURRENT}/{name}"
            kind = _lkind(name, self.out_fd)
            if kind == "link" and os.readlink(name, dir_fd=self.out_fd) == target:
                continue
            if kind == "folder":
                raise UnsafeFile(self.out / name, "là một thư mục, không thay bằng kết quả được")
            temporary = f"{TMP_PREFIX}{self.run_id}-{name}"
            os.symlink(target, temporary, dir_fd=self.out_fd)
            with self._locked(name):
                os.replace(temporary, name, src_dir_fd=self.out_fd, dst_dir_fd=self.out_fd)
            checkpoint(f"link:{i}")
        _fsync(self.out_fd)

    @contextlib.contextmanager
    def _locked(self, name: str) -> Iterator[None]:
        """An output the system will not let tthc replace (marked immutable or append-only
        by the officer or an administrator) is named as such."""
        try:
            yield
        except PermissionError as exc:
            raise UnsafeFile(self.out / name, LOCKED) from exc


def _lkind(name: str, dir_fd: int) -> str | None:
    """What a name in a folder is, without following it: link, folder, file or None."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "link"
    return "folder" if stat.S_ISDIR(mode) else "file"


def _pointer(versions_fd: int) -> str | None:
    """The run folder `hien-tai` names (None when there is none)."""
    try:
        target = os.readlink(CURRENT, dir_fd=versions_fd)
    except OSError:
        return None
    return target if "/" not in target else None


def _point(versions_fd: int, target: str) -> None:
    """Make `hien-tai` name `target`, in one rename."""
    temporary = f"{TMP_PREFIX}{target}-{CURRENT}"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary, dir_fd=versions_fd)
    os.symlink(target, temporary, dir_fd=versions_fd)
    os.replace(temporary, CURRENT, src_dir_fd=versions_fd, dst_dir_fd=versions_fd)
    _fsync(versions_fd)


def _remove(name: str, dir_fd: int) -> None:
    """Remove an entry of a folder (a whole folder too), never following a link."""
    with contextlib.suppress(OSError):
        if _lkind(name, dir_fd) == "folder":
            shutil.rmtree(name, dir_fd=dir_fd)
        else:
            os.unlink(name, dir_fd=dir_fd)


def prune(out_fd: int) -> None:
    """Remove what an interrupted or finished run leaves behind in the results folder:
    temporary names, and every run folder but the one `hien-tai` names (a set that was
    never switched in was never seen). A file that cannot be removed (locked by the
    officer) stays until a later run."""
    for entry in os.listdir(out_fd):
        if entry.startswith(TMP_PREFIX) or entry == LEGACY_JOURNAL:
            _remove(entry, out_fd)
    try:
        versions_fd = open_folder(VERSIONS, out_fd)
    except OSError:
        return
    try:
        keep = _pointer(versions_fd)
        for entry in os.listdir(versions_fd):
            if entry not in (CURRENT, keep):
                _remove(entry, versions_fd)
    finally:
        os.close(versions_fd)


def checkpoint_names(outputs: Iterable[str]) -> list[str]:
    """Every point where a run writing `outputs` (their keys) can be stopped while it
    writes and switches its set (`TTHC_KILL_AT`), in order."""
    keys = list(outputs)
    return [
        *(f"written:{key}" for key in keys),
        "commit",
        *(f"link:{i}" for i in range(len(keys))),
        "switch",
        "switched",
    ]


def checkpoint(name: str) -> None:
    """A named point of the run where a test may stop it: TTHC_KILL_AT=name[#n] kills it
    the hard way (SIGKILL) at the n-th time the point is reached (default the first), to
    prove that a kill there leaves no damage; TTHC_STOP_AT=name[#n] suspends it (SIGSTOP)
    until the test has changed something (a file swapped after the walk) and resumes it."""
    import signal

    for variable, sig in (("TTHC_KILL_AT", signal.SIGKILL), ("TTHC_STOP_AT", signal.SIGSTOP)):
        wanted = os.environ.get(variable)
        if not wanted:
            continue
        point, _, nth = wanted.partition("#")
        if point != name:
            continue
        key = f"{variable}:{name}"
        _CHECKPOINT_COUNTS[key] = _CHECKPOINT_COUNTS.get(key, 0) + 1
        if _CHECKPOINT_COUNTS[key] == int(nth or 1):
            os.kill(os.getpid(), sig)


_CHECKPOINT_COUNTS: dict[str, int] = {}


# ---------------------------------------------------------------------------------------
# The marker


_CORE = "docProps/core.xml"
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_MAX_CORE_BYTES = 64 * 1024


def stamp_ooxml(path: Path, run_id: str) -> None:
    """Put the marker and the run id in a .docx/.xlsx's document properties (keywords
    and identifier), rewriting the package in place (it is still a temporary file)."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == _CORE:
                data = _stamped_core(data, run_id)
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def _stamped_core(data: bytes, run_id: str) -> bytes:
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)
    ET.register_namespace("dcterms", "http://purl.org/dc/terms/")
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(data)
    for tag, value in (("cp:keywords", MARKER), ("dc:identifier", run_id)):
        prefix, local = tag.split(":")
        element = root.find(tag, _NS)
        if element is None:
            element = ET.SubElement(root, f"{{{_NS[prefix]}}}{local}")
        element.text = value
    return ET.tostring(root, xml_declaration=True, encoding="UTF-8")


def ooxml_run_id(path: Path) -> str | None:
    """The run id of a .docx/.xlsx that tthc wrote; None for any other file."""
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(_CORE)
            if info.file_size > _MAX_CORE_BYTES:
                return None
            root = ET.fromstring(z.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError, ValueError, RuntimeError):
        return None
    keywords = root.find("cp:keywords", _NS)
    if keywords is None or (keywords.text or "").strip() != MARKER:
        return None
    identifier = root.find("dc:identifier", _NS)
    return (identifier.text or "").strip() if identifier is not None else ""


def add_run_column(path: Path, run_id: str, empty: dict[str, str] | None = None) -> None:
    """Append the run-id column to a CSV tthc wrote (UTF-8 with BOM): Excel and any CSV
    reader still see the same header and columns, one more at the end. A CSV with no row
    gets one that says so (`empty`: column → text), so it carries its run id too."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if len(rows) == 1 and empty:
        header = rows[0]
        line = ["" for _ in header]
        for column, text in empty.items():
            line[header.index(column) if column in header else 0] = text
        rows.append(line)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for i, row in enumerate(rows):
            writer.writerow([*row, RUN_ID_HEADER if i == 0 else run_id])


def csv_run_id(path: Path) -> str | None:
    """The run id of a CSV tthc wrote (its first data row's last field); "" when it has
    the column but no rows; None for any other file."""
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(io.StringIO(fh.read(1 << 20)))
            header = next(reader, None)
            if not header or header[-1] != RUN_ID_HEADER:
                return None
            first = next(reader, None)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return first[-1] if first else ""


def json_run_id(path: Path) -> str | None:
    """The run id of a JSON file tthc wrote; None for any other file."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
        if MARKER.encode() not in head:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    meta = data.get("tthc") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or meta.get("marker") != MARKER:
        return None
    return str(meta.get("run_id") or "")


def run_id_of(path: Path) -> str | None:
    """The run id a file of tthc's carries, by its kind; None when it is not tthc's."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".xlsx"):
        return ooxml_run_id(path)
    if suffix == ".csv":
        return csv_run_id(path)
    if suffix == ".json":
        return json_run_id(path)
    return None


def run_ids(paths: Iterable[Path]) -> dict[str, str | None]:
    """File name → run id, for checking that a set of outputs is one run's."""
    return {p.name: run_id_of(p) if p.exists() else None for p in paths}
