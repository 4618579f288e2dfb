"""Fuzzing the loaders: broken and hostile files must cost one file, never the batch.

Seeds are the project's own reports (a small generated district: .txt, .docx, .pdf, plus a
TCVN3 copy). Each fuzzed file is a seed mutated by bit flips, truncation, byte insertion,
chunk duplication or zeroing; a .docx is mutated either as raw bytes or inside one of its
XML parts (re-zipped, so the XML parser and the document reader are reached, not only the
zip checksum). Crafted hostile files come on top: zip bombs, billion laughs, deep nesting,
a PDF with a huge number of objects or pages, a poster-sized page, an image bomb.

Every file goes through `tthc.runjob.process_many` (per-file time and memory limits) and its
outcome is counted:
- read: a record came back (ok or partial);
- refused: failed with the loader's reason (counted by reason);
- crash: an exception escaped process_file (must be 0);
- timeout: killed at the per-file time limit (a hang; must be 0);
- memory / died: hit the memory limit, or the worker died (a crash in a C library).

    python3 -m corpus.fuzz --files 10000 [--seed 1] [--workers N] [--timeout 60]

The whole run (`--runs N`, see `fuzz_runs`) goes past the readers: `tthc run` on folders of
the sample district's reports made hostile (file names of any bytes, formula-like names,
non-reports, links, special files, .doc/.rtf, HTML saved as .doc and a real Word 97 file
linking a local listener, duplicate versions), killed at every point where outputs are
written, linked or switched (each point in turn, on a folder with results, a new one, and
results of an earlier version) and re-run, run twice at once into one folder, run with the
LibreOffice cage disabled (as on a machine without unshare), and run on a small full disk (a
tmpfs, when mounting is allowed). Counted: crashes (a traceback, an unexpected exit code),
corrupt outputs, mixed sets (output names showing more than one run, or the wrong run, after
a kill), files touched outside the results folder (the reports folder, the working folder,
$HOME and $TMPDIR, compared before and after every run; the --store file the run is given
excepted), and requests reaching the listener, with and without the cage (all must be 0).

    python3 -m corpus.fuzz --runs 12 --no-files [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from tthc.schemas import Record
from tthc.textkit.safe_io import readable_name

# ---------------------------------------------------------------------------------------
# Seeds


def write_seeds(directory: Path, communes: int = 9, seed: int = 11) -> list[Path]:
    """The project's own reports to mutate: a generated district and a TCVN3 copy."""
    from corpus.generate import generate_district
    from tthc.load.legacy import encode

    directory.mkdir(parents=True, exist_ok=True)
    truth = generate_district(directory, n_communes=communes, seed=seed)
    seeds = [directory / r["path"] for r in truth["reports"]]
    text = next((p for p in seeds if p.suffix == ".txt"), None)
    if text is not None:
        legacy = directory / "ban_tcvn3.txt"
        legacy.write_bytes(encode(text.read_text(encoding="utf-8"), "tcvn3"))
        seeds.append(legacy)
    return seeds


# ---------------------------------------------------------------------------------------
# Mutations

_TOKENS = (
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"/Type",
    b"/Length 999999999",
    b"xref",
    b"trailer",
    b"%%EOF",
    b"<w:p>",
    b"</w:p>",
    b"<w:tbl>",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"&a;",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\f",
    b"\r\n",
)


def _flip_bits(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 24)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randrange(1, len(data)) :]


def _insert(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 6)):
        chunk = rng.choice(_TOKENS) if rng.random() < 0.6 else rng.randbytes(rng.randint(1, 64))
        i = rng.randrange(len(data) + 1)
        data[i:i] = chunk


def _duplicate(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    chunk = data[start : start + rng.randint(1, 4096)]
    i = rng.randrange(len(data) + 1)
    data[i:i] = chunk * rng.randint(1, 8)


def _zero(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 512))
    data[start:end] = bytes(end - start)


MUTATIONS: dict[str, Callable[[bytearray, random.Random], None]] = {
    "bit flips": _flip_bits,
    "truncation": _truncate,
    "insertion": _insert,
    "duplication": _duplicate,
    "zeroing": _zero,
}


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One or two mutations of raw bytes; returns the bytes and what was done."""
    out = bytearray(data or b"\x00")
    names = rng.sample(sorted(MUTATIONS), k=rng.choice((1, 1, 2)))
    for name in names:
        if out:
            MUTATIONS[name](out, rng)
    return bytes(out), "+".join(names)


def mutate_docx_member(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Mutate one XML part of a .docx and zip it again (valid zip, damaged content)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = [n for n in src.namelist() if n.endswith((".xml", ".rels"))]
        target = "word/document.xml" if rng.random() < 0.7 else rng.choice(names)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in src.namelist():
                content = src.read(name)
                if name == target:
                    content, how = mutate_bytes(content, rng)
                dst.writestr(name, content)
    return out.getvalue(), f"{target}: {how}"


def mutate(path: Path, rng: random.Random) -> tuple[bytes, str]:
    """A mutated copy of a seed file."""
    data = path.read_bytes()
    if path.suffix == ".docx" and rng.random() < 0.5:
        return mutate_docx_member(data, rng)
    return mutate_bytes(data, rng)


# ---------------------------------------------------------------------------------------
# Hostile files


def _docx_with(document_xml: bytes, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal .docx package around a given word/document.xml."""
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" '
        b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document_xml)
    return out.getvalue()


_W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _body(inner: bytes, prolog: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        + prolog
        + b"<w:document "
        + _W_NS
        + b"><w:body>"
        + inner
        + b"</w:body></w:document>"
    )


def _para(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def zip_bomb(size_mb: int = 1024) -> bytes:
    """A .docx whose document.xml inflates to `size_mb` of spaces (honest headers)."""
    member = zipfile.ZipInfo("word/document.xml")
    member.compress_type = zipfile.ZIP_DEFLATED
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        with z.open(member, "w", force_zip64=size_mb >= 4096) as f:
            block = b" " * 2**20
            for _ in range(size_mb):
                f.write(block)
    return out.getvalue()


def lying_zip_bomb(size_mb: int = 200, declared: int = 4096) -> bytes:
    """A zip bomb whose headers declare only `declared` bytes for document.xml: a reader
    trusting the stream instead of the header would inflate `size_mb`."""
    data = bytearray(zip_bomb(size_mb))
    name = b"word/document.xml"
    for signature, name_len_at, name_at, size_at in (
        (b"PK\x03\x04", 26, 30, 22),  # local file header
        (b"PK\x01\x02", 28, 46, 24),  # central directory header
    ):
        i = data.find(signature)
        while i >= 0:
            length = int.from_bytes(data[i + name_len_at : i + name_len_at + 2], "little")
            if data[i + name_at : i + name_at + length] == name:
                data[i + size_at : i + size_at + 4] = declared.to_bytes(4, "little")
            i = data.find(signature, i + 4)
    return bytes(data)


def billion_laughs() -> bytes:
    """XML entity expansion: ten levels of ten references (10^10 'lol's if expanded)."""
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10)))
        for i in range(1, 10)
    )
    prolog = b"<!DOCTYPE w:document [" + entities + b"]>"
    return _docx_with(_body(_para(b"&lol9;"), prolog))


def quadratic_blowup() -> bytes:
    """One 100 kB entity referenced 10,000 times (no nesting to detect)."""
    prolog = b'<!DOCTYPE w:document [<!ENTITY big "' + b"x" * 100_000 + b'">]>'
    return _docx_with(_body(_para(b"&big;" * 10_000), prolog))


def deep_xml(depth: int = 10_000) -> bytes:
    """Content controls nested `depth` deep."""
    inner = b"<w:sdt><w:sdtContent>" * depth + _para(b"x") + b"</w:sdtContent></w:sdt>" * depth
    return _docx_with(_body(inner))


def deep_tables(depth: int = 60) -> bytes:
    """Tables nested in table cells `depth` deep (within the XML parser's own limit)."""
    inner = _para("Trong cùng".encode())
    for _ in range(depth):
        inner = b"<w:tbl><w:tr><w:tc>" + inner + _para(b"o") + b"</w:tc></w:tr></w:tbl>"
    return _docx_with(_body(inner + _para(b"Sau bang")))


def many_members(count: int = 20_000) -> bytes:
    """A zip holding far more parts than any document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for i in range(count):
            z.writestr(f"word/media/p{i}.xml", b"")
    return out.getvalue()


def build_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF file from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _page_pdf(content: bytes, media: bytes = b"[0 0 595 842]", extra: bytes = b"") -> bytes:
    stream = zlib.compress(content)
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox "
            + media
            + b" /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> "
            + extra
            + b">> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def million_objects(count: int = 1_000_000) -> bytes:
    """One page drawing `count` tiny line segments (each a page object to pdfium)."""
    return _page_pdf(b"BT /F1 12 Tf 72 720 Td (Bao cao) Tj ET\n" + b"0 0 m 1 1 l S\n" * count)


def deep_pdf_nesting(depth: int = 200_000) -> bytes:
    """A page whose Resources hold an array nested `depth` deep."""
    return _page_pdf(
        b"BT /F1 12 Tf 72 720 Td (Bao cao) Tj ET", extra=b"/X " + b"[" * depth + b"]" * depth
    )


def many_pages(count: int = 20_000) -> bytes:
    """A page tree with `count` pages sharing one content stream."""
    kids = b" ".join(b"4 0 R" for _ in range(count))
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Trang) Tj ET")
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def poster_page() -> bytes:
    """A 200-inch square page without text: OCR must not render it at full size."""
    return _page_pdf(b"0 0 m 14000 14000 l S", media=b"[0 0 14400 14400]")


def image_bomb(side: int = 60_000) -> bytes:
    """A page showing one image that declares side x side gray pixels (3.6 GB decoded)."""
    pixels = zlib.compressobj(9)
    row = b"\xff" * side
    data = b"".join(pixels.compress(row) for _ in range(64)) + pixels.flush()  # short stream
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            b"<< /Length 33 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
            % (side, side, len(data))
            + data
            + b"\nendstream",
        ]
    )


def huge_text() -> bytes:
    return ("Tổng số hồ sơ tiếp nhận: 681 hồ sơ.\n" * 400_000).encode()


def long_text() -> bytes:
    """Under the size limit, over the character limit of the language pipeline."""
    return ("a " * 600_000).encode()


HOSTILE: dict[str, Callable[[], bytes]] = {
    "zip_bomb.docx": zip_bomb,
    "lying_zip_bomb.docx": lying_zip_bomb,
    "billion_laughs.docx": billion_laughs,
    "quadratic_blowup.docx": quadratic_blowup,
    "deep_xml.docx": deep_xml,
    "deep_tables.docx": deep_tables,
    "many_members.docx": many_members,
    "million_objects.pdf": million_objects,
    "deep_nesting.pdf": deep_pdf_nesting,
    "many_pages.pdf": many_pages,
    "poster_page.pdf": poster_page,
    "image_bomb.pdf": image_bomb,
    "huge.txt": huge_text,
    "long.txt": long_text,
}


def write_hostile(directory: Path, names: list[str] | None = None) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names or sorted(HOSTILE):
        path = directory / name
        path.write_bytes(HOSTILE[name]())
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------
# Running and counting


def outcome(record: Record) -> tuple[str, str]:
    """(kind, reason) of a record: kind is read, refused, crash, timeout, memory or died."""
    from tthc.runjob import batch

    if record.status != "failed":
        return "read", record.status
    reason = record.errors[0] if record.errors else ""
    for kind, prefix in (
        ("timeout", batch.TIMEOUT_REASON.split("(")[0]),
        ("memory", batch.MEMORY_REASON.split("(")[0]),
        ("died", batch.DIED_REASON),
        ("crash", batch.CRASH_REASON),
    ):
        if reason.startswith(prefix):
            return kind, _reason_key(reason)
    return "refused", _reason_key(reason)


def _reason_key(reason: str) -> str:
    """A reason without its variable parts (numbers, technical details), for counting."""
    reason = re.sub(r"\(lỗi kỹ thuật: [^)]*\)", "(…)", reason)
    reason = re.sub(r"\d[\d.,]*", "N", reason)
    return reason[:110]


def fuzz_files(seeds: list[Path], count: int, directory: Path, seed: int) -> Iterator[Path]:
    """Write `count` mutated copies of the seeds into `directory`."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        source = seeds[i % len(seeds)]
        data, _ = mutate(source, rng)
        path = directory / f"{i:05d}_{source.stem[:20]}{source.suffix}"
        path.write_bytes(data)
        yield path


def run(
    paths: list[Path], *, workers: int | None, timeout_s: float, memory_mb: int
) -> collections.Counter:
    """Process the files with limits; count (kind, reason) outcomes."""
    from tthc.runjob import process_many

    counts: collections.Counter = collections.Counter()
    done = 0
    started = time.monotonic()

    def progress(_: int, record: Record) -> None:
        nonlocal done
        counts[outcome(record)] += 1
        done += 1
        if done % 500 == 0:
            rate = done / (time.monotonic() - started)
            print(f"  {done}/{len(paths)} tệp, {rate:.1f} tệp/giây", file=sys.stderr)

    process_many(
        paths, workers=workers, timeout_s=timeout_s, memory_mb=memory_mb, on_result=progress
    )
    return counts


def report(counts: collections.Counter, tried: int, seconds: float) -> str:
    kinds = collections.Counter()
    for (kind, _), n in counts.items():
        kinds[kind] += n
    lines = [
        f"Đã thử: {tried} tệp trong {seconds:.0f} giây",
        f"  đọc được (ok/partial): {kinds['read']}",
        f"  từ chối có lý do: {kinds['refused']}",
        f"  lỗi văn bản thoát ra ngoài (crash, phải bằng 0): {kinds['crash']}",
        f"  quá thời gian (treo, phải bằng 0): {kinds['timeout']}",
        f"  chạm giới hạn bộ nhớ: {kinds['memory']}; tiến trình chết: {kinds['died']}",
        "Phân bố lý do:",
    ]
    for (kind, reason), n in counts.most_common():
        lines.append(f"  {n:6d}  [{kind}] {reason}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The whole run: tthc run on hostile folders, kills, concurrency, a full disk

HOSTILE_NAME_PARTS = (
    b"\xff\xfe",  # not UTF-8
    b"\xe3\x81",  # a cut multi-byte letter
    b"x\xe3",  # Latin-1 letter
    b"=1+2",
    b"+cmd",
    b"-2+3",
    b"@SUM(A1)",
    b'=HYPERLINK("http:',
    b"\t",
    b"\x1b[31m",
    b"[bold]",
    b"[/]",
    b"\n",
    b"\r",
    "xã Ngọc Giang".encode(),
    "Xa\u0303".encode(),  # decomposed
    b"_x000D_",
    b" ",
    b"..",
    b"'",
    b'"',
)
NON_REPORTS = (".jpg", ".png", ".xlsx", ".zip", ".html", ".csv", ".json", "", ".exe", ".md")


def kill_points() -> list[str]:
    """Every point where a run may be killed: a record stored, each output written, each
    output name linked, the switch of the shown set (before and after)."""
    from tthc.runjob import OUTPUT_NAMES
    from tthc.textkit.safe_io import checkpoint_names

    return ["stored", *checkpoint_names(OUTPUT_NAMES)]


class Listener:
    """A local TCP listener counting connections: a converted document that reaches the
    network would reach it (documents link to it)."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = False
        self.word97: bytes | None = None
        self.control = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped = True
        self.sock.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/anh.png"

    def make_word97(self, work: Path) -> None:
        """A real Word 97 file showing a picture linked from this listener (LibreOffice,
        uncaged, saves an HTML page as .doc and keeps the address); its own requests
        while making it are not counted."""
        exe = shutil.which("soffice") or shutil.which("libreoffice")
        self.word97 = None
        if exe is None:
            return
        work.mkdir(parents=True, exist_ok=True)
        page = work / "nguon.html"
        page.write_bytes(html_as_doc(self.url))
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [exe, "--headless", f"-env:UserInstallation={(work / 'hs').as_uri()}",
                 "--convert-to", "doc:MS Word 97", "--outdir", str(work), str(page)],
                capture_output=True, timeout=300, check=False,
                env={**os.environ, "HOME": str(work)},
            )  # fmt: skip
        made = work / "nguon.doc"
        self.word97 = made.read_bytes() if made.is_file() else None
        self.control = self.connections  # LibreOffice alone, uncaged, does reach it
        self.connections = 0


def html_as_doc(url: str) -> bytes:
    """An HTML page saved under a .doc name, with a stylesheet, a background and a
    picture from the web."""
    base = url.rsplit("/", 1)[0]
    return (
        f'<html><head><link rel="stylesheet" href="{base}/kieu.css">'
        f"<style>body {{background: url({base}/nen.png)}}</style></head>"
        "<body><p>UBND xã Thử Nghiệm — Báo cáo kiểm soát TTHC</p>"
        f'<img src="{url}"></body></html>'
    ).encode()


def rtf_report(text: str, url: str | None = None) -> bytes:
    """A report as RTF (letters outside ASCII as \\uN?), optionally linking a picture."""

    def escape(ch: str) -> str:
        if ord(ch) < 128 and ch not in "\\{}":
            return ch
        code = ord(ch) if ord(ch) < 32768 else ord(ch) - 65536
        return f"\\u{code}?"

    body = "".join("".join(map(escape, line)) + "\\par\n" for line in text.splitlines())
    link = ""
    if url:
        link = f'{{\\field{{\\*\\fldinst INCLUDEPICTURE "{url}" \\\\d}}{{\\fldrslt }}}}\\par\n'
    head = "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\n"
    return (head + link + body + "}").encode()


@dataclasses.dataclass
class Counts:
    cases: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    runs: int = 0
    crashes: list[str] = dataclasses.field(default_factory=list)
    corrupt: list[str] = dataclasses.field(default_factory=list)
    mixed: list[str] = dataclasses.field(default_factory=list)
    differ: list[str] = dataclasses.field(default_factory=list)
    outside: list[str] = dataclasses.field(default_factory=list)
    network: int = 0  # requests reaching the listener during caged runs
    network_uncaged: int = 0  # ... during runs with the cage disabled
    network_control: int = 0  # LibreOffice alone, uncaged, making the Word 97 file
    points: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    skipped: list[str] = dataclasses.field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"Trường hợp đã thử: {sum(self.cases.values())} (trong {self.runs} lần chạy tthc run)",
            *(f"  {n:6d}  {kind}" for kind, n in self.cases.most_common()),
            "Điểm dừng đột ngột đã thử: "
            + ", ".join(f"{p} ×{n}" for p, n in sorted(self.points.items())),
            f"Lỗi thoát ra ngoài (traceback, mã thoát lạ; phải bằng 0): {len(self.crashes)}",
            f"Kết quả hỏng (phải bằng 0): {len(self.corrupt)}",
            f"Bộ kết quả lẫn hai lần chạy (phải bằng 0): {len(self.mixed)}",
            f"Chạy lại sau khi bị dừng khác kết quả chạy liền (phải bằng 0): {len(self.differ)}",
            f"Tệp bị động tới ngoài thư mục kết quả (phải bằng 0): {len(self.outside)}",
            f"Kết nối mạng tới máy nghe thử, có cách ly (phải bằng 0): {self.network}",
            f"Kết nối mạng tới máy nghe thử, tắt cách ly (phải bằng 0): {self.network_uncaged}",
            f"  (đối chứng: LibreOffice chạy riêng, không cách ly, kết nối {self.network_control} "
            "lần khi tạo tệp Word 97 có ảnh liên kết)",
        ]
        problems = (*self.crashes, *self.corrupt, *self.mixed, *self.differ, *self.outside)
        lines += [f"  ! {x}" for x in problems]
        lines += [f"  (bỏ qua: {x})" for x in self.skipped]
        return "\n".join(lines)

    @property
    def failures(self) -> int:
        return (
            len(self.crashes)
            + len(self.corrupt)
            + len(self.mixed)
            + len(self.differ)
            + len(self.outside)
            + self.network
            + self.network_uncaged
        )


def sample_reports(limit: int | None = None) -> list[Path]:
    from tthc.runjob import default_folder

    files = sorted(p for p in default_folder().iterdir() if p.suffix in (".txt", ".docx", ".pdf"))
    return files[:limit] if limit else files


def hostile_folder(
    root: Path, rng: random.Random, listener: Listener, *, size: int = 40, doc_files: int = 2
) -> collections.Counter:
    """A district folder made hostile; returns the cases it holds, by kind."""
    from tthc.runjob import default_folder

    cases: collections.Counter = collections.Counter()
    root.mkdir(parents=True)
    shutil.copy(default_folder() / "roster.toml", root / "roster.toml")
    reports = sample_reports()
    for seed in rng.sample(reports, k=min(len(reports), 8)):
        shutil.copy(seed, root / seed.name)
    sub = root / "xa_gui_lai"
    sub.mkdir()
    for i in range(size):
        roll = rng.random()
        if roll < 0.45:  # a report under a hostile name
            seed = rng.choice(reports)
            name = b"".join(rng.sample(HOSTILE_NAME_PARTS, k=rng.randint(1, 3)))
            raw = name.replace(b"/", b"_").replace(b"\x00", b"_")[:150] + b"_%d" % i
            raw += seed.suffix.encode()
            with contextlib.suppress(OSError):
                (root.joinpath(os.fsdecode(raw))).write_bytes(seed.read_bytes())
                cases["tên tệp độc hại"] += 1
        elif roll < 0.65:  # something that is not a report
            suffix = rng.choice(NON_REPORTS)
            (sub / f"khong_phai_{i}{suffix}").write_bytes(rng.randbytes(rng.randint(0, 2048)))
            cases["tệp không phải báo cáo"] += 1
        elif roll < 0.80:  # another version of a report (same commune, other file)
            seed = rng.choice([r for r in reports if r.suffix == ".txt"])
            text = seed.read_text(encoding="utf-8")
            if rng.random() < 0.5:
                text = text.replace("1", "2", 1)
            (sub / f"ban_moi_{i}_{seed.name}").write_text(text, encoding="utf-8")
            cases["phiên bản trùng"] += 1
        elif roll < 0.90:  # links and special files
            kind = rng.choice(("outside", "broken", "loop", "inside", "fifo"))
            target = root / f"lien_ket_{i}.txt"
            if kind == "outside":
                os.symlink(reports[0], target)
            elif kind == "broken":
                os.symlink(root / "khong_con.txt", target)
            elif kind == "loop":
                os.symlink(".", sub / f"vong_{i}")
            elif kind == "inside":
                os.symlink(root / "roster.toml", target)
            else:
                os.mkfifo(target)
            cases[f"liên kết/tệp đặc biệt ({kind})"] += 1
        else:  # an empty or broken file of a report kind
            suffix = rng.choice((".txt", ".pdf", ".docx"))
            data = b"" if rng.random() < 0.3 else rng.randbytes(rng.randint(1, 4096))
            (sub / f"hong_{i}{suffix}").write_bytes(data)
            cases["tệp báo cáo hỏng"] += 1
    for j in range(doc_files):  # .doc/.rtf through LibreOffice, linking the listener
        if j % 3 == 0:
            (root / f"trang_web_{j}.doc").write_bytes(html_as_doc(listener.url))
        elif j % 3 == 1:
            text = reports[2].read_text(encoding="utf-8") if reports[2].suffix == ".txt" else "x"
            (root / f"bao_cao_{j}.rtf").write_bytes(rtf_report(text, listener.url))
        elif listener.word97 is not None:
            (root / f"word97_{j}.doc").write_bytes(listener.word97)
        cases[".doc/.rtf có liên kết mạng"] += 1
    return cases


def tthc_run(
    folder: Path,
    out: Path,
    store: Path,
    *,
    kill_at: str | None = None,
    wait: bool = True,
    cage: bool = True,
    watch: Watch | None = None,
) -> subprocess.Popen | subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("TTHC_KILL_AT", None)
    if kill_at:
        env["TTHC_KILL_AT"] = kill_at
    if not cage:
        env["TTHC_OFFICE_CAGE"] = "0"
    if watch is not None:
        env.update(HOME=str(watch.home), TMPDIR=str(watch.tmp))
    cmd = [sys.executable, "-m", "tthc", "run", str(folder), "--out", str(out), "--store",
           str(store)]  # fmt: skip
    if not wait:
        return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(cmd, env=env, capture_output=True, timeout=1800)


class Watch:
    """What a run may not touch: the reports folder, the working folder (but for results
    folders and the store the run is given), $HOME and $TMPDIR. `check` compares them with
    how they were before the run: every entry (type, size, time of change, inode), and the
    folders' own times too (a file made and removed again leaves its mark there)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.home = work / "home"
        self.tmp = work / "tmp"
        self.home.mkdir(exist_ok=True)
        self.tmp.mkdir(exist_ok=True)

    def snapshot(self, folder: Path, store: Path) -> dict[str, tuple]:
        seen: dict[str, tuple] = {}
        for root in (folder, self.home, self.tmp):
            _tree(root, seen, with_folders=True)
        own = {store.name, *(store.name + s for s in ("-wal", "-shm", "-journal"))}
        for entry in os.scandir(self.work):  # the working folder: its own entries only
            if entry.name.startswith(("out_", "tmpfs_")) or entry.name in own:
                continue
            if entry.path in seen:  # a folder watched whole, above
                continue
            info = entry.stat(follow_symlinks=False)
            seen[entry.path] = (info.st_mode, info.st_ino) + (
                () if entry.is_dir(follow_symlinks=False) else (info.st_size, info.st_mtime_ns)
            )
        return seen

    def check(self, before: dict[str, tuple], after: dict[str, tuple], label: str,
              counts: Counts) -> None:  # fmt: skip
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        counts.outside.extend(f"{label}: {readable_name(k)}" for k in changed)


def _tree(root: Path, seen: dict[str, tuple], with_folders: bool) -> None:
    for path, folders, files in os.walk(root):
        info = os.lstat(path)
        if with_folders:
            seen[path] = (info.st_mode, info.st_ino, info.st_mtime_ns)
        for name in files + [f for f in folders if os.path.islink(os.path.join(path, f))]:
            full = os.path.join(path, name)
            with contextlib.suppress(OSError):
                info = os.lstat(full)
                seen[full] = (info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns)


def watched_run(
    watch: Watch | None, counts: Counts, label: str, folder: Path, out: Path, store: Path, **kw
) -> subprocess.CompletedProcess:
    """tthc_run, checked for files touched outside its results folder."""
    before = watch.snapshot(folder, store) if watch else {}
    done = tthc_run(folder, out, store, watch=watch, **kw)
    if watch is not None:
        watch.check(before, watch.snapshot(folder, store), label, counts)
    return done


def _crashed(done: subprocess.CompletedProcess, allowed: tuple[int, ...] = (0, 1)) -> str | None:
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode not in allowed or "Traceback" in err or "Lỗi không mong đợi" in err:
        return f"mã thoát {done.returncode}: {err[-400:]}"
    return None


def output_digest(out: Path) -> dict[str, object]:
    """What the outputs say, without what may differ between runs of the same folder:
    the run id, and whether a file's record was reused from the store. Raises when an
    output cannot be read whole (it is corrupt)."""
    import csv
    import json

    import openpyxl
    from docx import Document

    from tthc.runjob import OUTPUT_NAMES
    from tthc.textkit.safe_io import RUN_ID_HEADER

    reused = "Dùng lại kết quả đã đọc"
    digest: dict[str, object] = {}
    wb = openpyxl.load_workbook(out / OUTPUT_NAMES["workbook"])
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if rows and reused in rows[0]:
            k = rows[0].index(reused)
            rows = [r[:k] + r[k + 1 :] for r in rows]
        digest[f"xlsx:{ws.title}"] = rows
    for name in ("flags", "outcomes"):
        with (out / OUTPUT_NAMES[name]).open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        if not rows or rows[0][-1] != RUN_ID_HEADER:
            raise ValueError(f"{OUTPUT_NAMES[name]}: thiếu cột mã lần chạy")
        drop = {len(rows[0]) - 1} | ({rows[0].index(reused)} if reused in rows[0] else set())
        digest[name] = [[c for i, c in enumerate(r) if i not in drop] for r in rows]
    doc = Document(out / OUTPUT_NAMES["notice"])
    digest["notice"] = [p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for row in t.rows for c in row.cells
    ]
    data = json.loads((out / OUTPUT_NAMES["records"]).read_text(encoding="utf-8"))
    digest["records"] = data["records"]
    return digest


def check_outputs(out: Path, label: str, counts: Counts) -> dict[str, object] | None:
    """Every output whole and of one run; returns the digest."""
    from tthc.runjob import output_run_ids

    ids = output_run_ids(out)
    if len(set(ids.values())) != 1 or None in ids.values():
        counts.mixed.append(f"{label}: {ids}")
        return None
    try:
        return output_digest(out)
    except Exception as exc:  # any failure to read an output whole is corruption
        counts.corrupt.append(f"{label}: {type(exc).__name__}: {exc}")
        return None


def kill_case(
    folder: Path,
    work: Path,
    store: Path,
    reference: dict,
    point: str,
    rng: random.Random,
    counts: Counts,
    label: str,
    watch: Watch | None = None,
) -> None:
    """Kill a run at `point` on a folder holding results (or a new folder, or the plain
    results of an earlier version: where names must first become links). Until the switch
    the names show the previous whole set (or nothing), from it on the new one; a re-run
    gives the reference outputs."""
    from tthc.runjob import OUTPUT_NAMES, output_run_ids
    from tthc.textkit.safe_io import LOCK_NAME

    out = work / f"out_kill_{label}"
    situation = rng.choice(("kết quả cũ dạng tệp", "thư mục mới") if point.startswith("link:")
                           else ("có kết quả", "thư mục mới", "kết quả cũ dạng tệp"))  # fmt: skip
    before = None
    if situation != "thư mục mới":
        first = watched_run(watch, counts, label, folder, out, store)
        if (c := _crashed(first)) is not None:
            counts.crashes.append(f"{label} (trước): {c}")
            return
        before = (set(output_run_ids(out).values()), output_digest(out))
        if situation == "kết quả cũ dạng tệp":  # as an earlier version wrote them
            for name in OUTPUT_NAMES.values():
                data = (out / name).read_bytes()
                (out / name).unlink()
                (out / name).write_bytes(data)
            shutil.rmtree(out / ".tthc-lan-chay")
            assert (out / LOCK_NAME).exists()
    if point == "stored":
        point += f"#{rng.randint(1, 6)}"
    killed = watched_run(watch, counts, label, folder, out, store, kill_at=point)
    counts.cases[f"dừng đột ngột ({situation})"] += 1
    counts.points[point.split("#")[0]] += 1
    where = f"{label} dừng tại {point} ({situation})"
    if killed.returncode not in (-9, 0, 1):
        counts.crashes.append(f"{where}: mã {killed.returncode}")
    ids = set(output_run_ids(out).values())
    if killed.returncode == -9 and point != "switched":  # nothing new may show
        if before is None and ids != {None}:
            counts.mixed.append(f"{where}: {ids} (thư mục mới chưa được có gì)")
        elif before is not None and (ids != before[0] or output_digest(out) != before[1]):
            counts.mixed.append(f"{where}: {ids}, khác bộ trước")
    elif len(ids) != 1 or None in ids:
        counts.mixed.append(f"{where}: {ids}")
    again = watched_run(watch, counts, label, folder, out, store)
    if (c := _crashed(again)) is not None:
        counts.crashes.append(f"{label} chạy lại: {c}")
        return
    digest = check_outputs(out, f"{label} chạy lại", counts)
    if digest is not None and digest != reference:
        diff = [k for k in reference if digest.get(k) != reference[k]]
        counts.differ.append(f"{where}: khác ở {diff}")


def concurrent_case(folder: Path, work: Path, store: Path, counts: Counts, label: str) -> None:
    """Two runs at once into one folder: each ends with 0/1 (1 with the lock's message);
    the folder then holds one run's whole set."""
    out = work / f"out_conc_{label}"
    a = tthc_run(folder, out, store, wait=False)
    b = tthc_run(folder, out, store, wait=False)
    for name, proc in (("a", a), ("b", b)):
        stdout, stderr = proc.communicate(timeout=1800)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
        if (c := _crashed(done)) is not None:
            counts.crashes.append(f"{label} song song {name}: {c}")
    counts.cases["hai lần chạy cùng lúc"] += 1
    if any((out / n).exists() for n in ("tong_hop.xlsx",)):
        check_outputs(out, f"{label} song song", counts)


def full_disk_case(folder: Path, work: Path, store: Path, counts: Counts, label: str) -> None:
    """A small tmpfs as output folder: a good run, then the disk filled and a changed
    folder run again: exit 1 with a message, the previous outputs unchanged."""
    mount = work / f"tmpfs_{label}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                          capture_output=True)  # fmt: skip
    if done.returncode != 0:
        counts.skipped.append("không gắn được tmpfs (cần quyền root)")
        return
    try:
        out = mount / "out"
        first = tthc_run(folder, out, out / "store.sqlite3")
        if (c := _crashed(first)) is not None:
            counts.crashes.append(f"{label} đĩa đầy (lần đầu): {c}")
            return
        before = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
        with contextlib.suppress(OSError), (mount / "day").open("wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
        extra = sample_reports()[2]
        changed = folder / f"ban_sua_{extra.name}"  # a file the store lacks
        changed.write_bytes(extra.read_bytes() + b"\n")
        try:
            again = tthc_run(folder, out, out / "store.sqlite3")
        finally:
            changed.unlink()
        counts.cases["đĩa đầy"] += 1
        err = again.stderr.decode("utf-8", "replace")
        if (c := _crashed(again)) is not None:
            counts.crashes.append(f"{label} đĩa đầy: {c}")
        elif again.returncode != 1 or "đầy" not in err:
            counts.crashes.append(f"{label} đĩa đầy: mã {again.returncode}, {err[-200:]}")
        after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
        if {k: v for k, v in after.items() if not k.startswith("store")} != {
            k: v for k, v in before.items() if not k.startswith("store")
        }:
            counts.corrupt.append(f"{label} đĩa đầy: kết quả cũ bị thay đổi")
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fuzz_runs(
    work: Path, runs: int, seed: int, *, size: int = 40, doc_files: int = 3,
    kills: int | None = None, concurrent: bool = True, full_disk: bool = True,
    uncaged: bool = True,
) -> Counts:  # fmt: skip
    """`runs` hostile district folders, each run whole, killed and run again. `kills`
    kill points per folder, taken in turn from `kill_points()` so that every point is
    forced (default: all of them for every folder)."""
    rng = random.Random(seed)
    counts = Counts()
    listener = Listener()
    listener.make_word97(work / "word97")
    counts.network_control = listener.control
    watch = Watch(work)
    store = work / "store.sqlite3"
    points = kill_points()
    turn = 0
    try:
        for n in range(runs):
            folder = work / f"huyen_{n}"
            counts.cases.update(hostile_folder(folder, rng, listener, size=size,
                                               doc_files=doc_files))  # fmt: skip
            ref_out = work / f"out_ref_{n}"
            done = watched_run(watch, counts, f"lần {n}", folder, ref_out, store)
            counts.runs += 1
            if (c := _crashed(done)) is not None:
                counts.crashes.append(f"lần {n}: {c}")
                continue
            reference = check_outputs(ref_out, f"lần {n}", counts)
            if reference is None:
                continue
            for k in range(len(points) if kills is None else kills):
                point = points[turn % len(points)]
                turn += 1
                kill_case(folder, work, store, reference, point, rng, counts, f"{n}.{k}", watch)
                counts.runs += 3
            if uncaged:
                uncaged_case(folder, work, store, listener, counts, str(n), watch)
                counts.runs += 1
            if concurrent and n % 3 == 0:
                concurrent_case(folder, work, store, counts, str(n))
                counts.runs += 2
            if full_disk and n == 0 and hasattr(os, "geteuid") and os.geteuid() == 0:
                full_disk_case(folder, work, store, counts, str(n))
                counts.runs += 2
            elif full_disk and n == 0:
                counts.skipped.append("đĩa đầy: cần quyền root để gắn tmpfs")
    finally:
        counts.network += listener.connections
        listener.close()
    return counts


def uncaged_case(
    folder: Path, work: Path, store: Path, listener: Listener, counts: Counts, label: str,
    watch: Watch | None = None,
) -> None:  # fmt: skip
    """The folder run as on a machine where LibreOffice cannot be caged: nothing is
    converted, nothing reaches the listener; its requests are counted apart."""
    before = listener.connections
    done = watched_run(watch, counts, f"{label} không cách ly", folder,
                       work / f"out_uncaged_{label}", store, cage=False)  # fmt: skip
    counts.cases["chạy khi không cách ly được LibreOffice"] += 1
    if (c := _crashed(done)) is not None:
        counts.crashes.append(f"{label} không cách ly: {c}")
    counts.network_uncaged += listener.connections - before
    listener.connections = before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m corpus.fuzz", description="Thử bộ đọc với tệp hỏng và tệp độc hại."
    )
    parser.add_argument("--files", type=int, default=200, help="số tệp đột biến (mặc định 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=60.0, help="giây cho mỗi tệp")
    parser.add_argument("--memory", type=int, default=1024, help="MB cho mỗi tệp")
    parser.add_argument("--no-hostile", action="store_true", help="bỏ các tệp độc hại dựng sẵn")
    parser.add_argument("--keep", type=Path, default=None, help="giữ các tệp đã sinh ở đây")
    parser.add_argument("--runs", type=int, default=0, help="số thư mục chạy cả tthc run")
    parser.add_argument("--size", type=int, default=200, help="số tệp độc hại mỗi thư mục")
    parser.add_argument(
        "--kills", type=int, default=0, help="số lần dừng đột ngột mỗi thư mục (0: mọi điểm)"
    )
    parser.add_argument("--no-files", action="store_true", help="bỏ phần thử bộ đọc")
    args = parser.parse_args(argv)
    failures = 0
    if args.runs:
        with tempfile.TemporaryDirectory(prefix="tthc-fuzz-run-") as tmp:
            started = time.monotonic()
            counts = fuzz_runs(Path(tmp), args.runs, args.seed, size=args.size, doc_files=4,
                               kills=args.kills or None)  # fmt: skip
            print(counts.report())
            print(f"({time.monotonic() - started:.0f} giây)")
            failures += counts.failures
    if args.no_files:
        return 1 if failures else 0
    with tempfile.TemporaryDirectory(prefix="tthc-fuzz-") as tmp:
        root = args.keep or Path(tmp)
        seeds = write_seeds(root / "seeds")
        paths = list(fuzz_files(seeds, args.files, root / "fuzzed", args.seed))
        if not args.no_hostile:
            paths += write_hostile(root / "hostile")
        print(f"{len(seeds)} tệp gốc, {len(paths)} tệp để thử", file=sys.stderr)
        started = time.monotonic()
        counts = run(paths, workers=args.workers, timeout_s=args.timeout, memory_mb=args.memory)
        print(report(counts, len(paths), time.monotonic() - started))
        crashes = sum(n for (kind, _), n in counts.items() if kind in ("crash", "timeout"))
    return 1 if crashes or failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
