"""Safe output: text an officer's spreadsheet cannot execute, names shown readably, files
that appear whole or not at all, and the mark tthc leaves in everything it writes.

- `readable`: a file name may hold any bytes (Python carries undecodable ones as lone
  surrogates, `os.fsdecode`); no output can encode those, and control characters would
  break XML or a terminal. Shown text replaces both with U+FFFD.
- `csv_field` / `put_text`: text starting with = + - @ (or a tab, CR, NUL) is a live
  formula to Excel and LibreOffice (CSV or formula injection, OWASP). A CSV field gets a
  leading apostrophe; a workbook cell is stored as a string with Excel's own "quote
  prefix" (shown without the apostrophe, and kept as text when edited).
- `write_atomic` / `OutputSet`: every output is written to a temporary file in its folder
  and renamed into place only when complete. A set of outputs is committed through a
  journal, so a run killed between two renames is completed by the next run, never left
  half old and half new.
- `MARKER` and the run id: docx/xlsx carry them in their document properties, the CSVs in
  a last column, the JSON in a field, the store in its own table. The input walk
  recognises tthc's own files by them and never reads them as reports.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

MARKER = "tthc-output"  # in the keywords of every docx/xlsx tthc writes
RUN_ID_HEADER = "Mã lần chạy tthc"  # the CSVs' last column: the run id on every row
TMP_PREFIX = ".tthc-tmp-"
JOURNAL = ".tthc-commit.json"
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
# Writing whole files


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temp_path(final: Path, run_id: str) -> Path:
    """Where an output is written before it is complete: same folder, hidden name."""
    return final.with_name(f"{TMP_PREFIX}{run_id}-{final.name}")


def write_atomic(final: Path, write: Callable[[Path], Any], run_id: str | None = None) -> Path:
    """Write one file through `write(temp_path)` and rename it into place when complete;
    on any error the temporary file is removed and the old file stays as it was."""
    tmp = temp_path(final, run_id or new_run_id())
    try:
        write(tmp)
        _fsync_file(tmp)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(final.parent)
    return final


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class OutputSet:
    """The outputs of one run, committed together.

    `write(name, writer)` writes each output to its temporary file. `commit()` writes a
    journal naming every (temporary, final) pair, renames them all into place and removes
    the journal. `recover(folder)` (called under the folder's lock before a run) completes
    a commit that a kill interrupted and removes temporary files of runs that never got
    to commit. So after any kill the folder holds one run's complete set."""

    def __init__(self, folder: Path, run_id: str) -> None:
        self.folder = folder
        self.run_id = run_id
        self.pending: list[tuple[Path, Path]] = []

    def write(self, final: Path, writer: Callable[[Path], Any]) -> Path:
        tmp = temp_path(final, self.run_id)
        try:
            writer(tmp)
            _fsync_file(tmp)
        except BaseException:
            self.discard()
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self.pending.append((tmp, final))
        return tmp

    def commit(self) -> None:
        journal = self.folder / JOURNAL
        pairs = [[tmp.name, final.name] for tmp, final in self.pending]
        try:
            write_atomic(
                journal,
                lambda p: p.write_text(json.dumps({"run_id": self.run_id, "files": pairs})),
                self.run_id,
            )
        except BaseException:
            self.discard()
            raise
        checkpoint("commit")
        for i, (tmp, final) in enumerate(self.pending):
            os.replace(tmp, final)
            checkpoint(f"rename:{i}")
        _fsync_dir(self.folder)
        journal.unlink()
        self.pending = []

    def discard(self) -> None:
        for tmp, _ in self.pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self.pending = []

    @staticmethod
    def recover(folder: Path) -> str | None:
        """Finish an interrupted commit (returns its run id), then drop leftovers."""
        journal = folder / JOURNAL
        finished = None
        if journal.is_file():
            try:
                data = json.loads(journal.read_text())
                pairs = [(str(a), str(b)) for a, b in data["files"]]
                finished = str(data["run_id"])
            except (OSError, ValueError, KeyError, TypeError):
                pairs = []
            for tmp, final in pairs:
                if "/" in tmp or "/" in final or not tmp.startswith(TMP_PREFIX):
                    continue  # only names in this folder, only tthc's temporary files
                if (folder / tmp).is_file():
                    os.replace(folder / tmp, folder / final)
            _fsync_dir(folder)
            journal.unlink()
        for leftover in folder.glob(f"{TMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()
        return finished


def checkpoint(name: str) -> None:
    """A named point of the run where a test may stop it the hard way (SIGKILL), to prove
    that a kill at that point leaves no damage: TTHC_KILL_AT=name[#n] kills at the n-th
    time the point is reached (default the first)."""
    wanted = os.environ.get("TTHC_KILL_AT")
    if not wanted:
        return
    point, _, nth = wanted.partition("#")
    if point != name:
        return
    _CHECKPOINT_COUNTS[name] = _CHECKPOINT_COUNTS.get(name, 0) + 1
    if _CHECKPOINT_COUNTS[name] >= int(nth or 1):
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


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


def add_run_column(path: Path, run_id: str) -> None:
    """Append the run-id column to a CSV tthc wrote (UTF-8 with BOM): Excel and any CSV
    reader still see the same header and columns, one more at the end."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
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
