"""The fast PDF path: a page's characters and drawings read with pdfium.

pdfplumber (pdfminer) costs 100-250 ms a page here; pdfium gives the same characters in a
few milliseconds. So every page is first inspected with pdfium: its characters (as the
dicts pdfplumber would give, so the same word and line rules apply), whether it draws
ruling lines (a table: pdfplumber's table finder is kept for those pages), and how much of
it is covered by images (a scan). `PageInfo.fast` says whether pdfium's characters can
stand in for pdfplumber's on this page; when in doubt (rotated text, unmapped glyphs,
glyphs drawn twice, a rotated or offset page) the page takes the slow path, so the lines
read are identical either way.

Character boxes follow pdfminer's convention: the box spans the advance width, from the
font's descent below the baseline to one font size above that.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Any

from tthc.load import legacy

MAX_OBJECTS = 200_000  # page objects; a real report page has a few thousand at most
_MAX_SEGMENTS = 20_000  # a path this complex is a drawing, not a table: take the slow path
_MIN_EDGE = 3.0  # points; pdfplumber's edge_min_length
_FLAT = 1.0  # points of slant still counted as a horizontal or vertical edge
_FORM_DEPTH = 4


class TooComplex(Exception):
    """The page holds more objects than any report page (a hostile or broken file)."""


@dataclass
class PageInfo:
    """What pdfium saw on one page."""

    number: int
    chars: list[dict[str, Any]] = field(default_factory=list)
    fast: bool = True  # pdfium's chars may replace pdfplumber's on this page
    ruled: bool = False  # horizontal and vertical edges: a table may be drawn here
    image_cover: float = 0.0  # share of the page covered by images
    unmapped: int = 0  # glyphs without a Unicode value
    legacy_font: bool = False  # text in a legacy font: characters carry their font names

    @property
    def has_text(self) -> bool:
        return any(c["text"].strip() for c in self.chars)

    @property
    def text_chars(self) -> int:
        return sum(1 for c in self.chars if c["text"].strip())


def inspect_page(page: Any, number: int) -> PageInfo:
    """Characters, ruling and image cover of one pdfium page."""
    import pypdfium2.raw as pdfium_c

    info = PageInfo(number=number)
    width, height = page.get_size()
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    if count > MAX_OBJECTS:
        raise TooComplex(count)
    edges = _Edges()
    images = _scan_objects(page.raw, None, edges, 0)
    info.ruled = edges.ruled()
    info.legacy_font = edges.legacy_font
    info.image_cover = min(1.0, images / max(width * height, 1.0))
    if not _plain_geometry(page):
        info.fast = False
    textpage = page.get_textpage()
    try:
        _read_chars(textpage, height, info, with_fonts=info.legacy_font)
    finally:
        textpage.close()
    if info.fast and overprinted(info.chars):
        info.fast = False  # pdfplumber's dedupe_chars handles these pages
    return info


def _plain_geometry(page: Any) -> bool:
    """Unrotated page whose crop box is its media box at the origin: pdfium and
    pdfplumber then measure from the same corner."""
    if page.get_rotation() != 0:
        return False
    media = page.get_mediabox()
    crop = page.get_cropbox()
    return (
        media[0] == 0
        and media[1] == 0
        and all(abs(a - b) < 0.01 for a, b in zip(media, crop, strict=True))
    )


def _read_chars(textpage: Any, height: float, info: PageInfo, with_fonts: bool) -> None:
    """pdfium's characters as pdfplumber's dicts. Font names are looked up only on a page
    that uses a legacy font (elsewhere no decision depends on them)."""
    import pypdfium2.raw as pdfium_c

    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    raw = textpage.raw
    fonts = _FontNames()
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        generated = pdfium_c.FPDFText_IsGenerated(raw, i) == 1
        if 0xD800 <= code <= 0xDFFF:
            info.fast = False  # pdfplumber reads characters beyond the BMP whole
        if code == 0x02 and with_fonts:
            info.fast = False  # a line-end 0xAD: a hyphen, or TCVN3's "ư" in a .Vn font
        if code in (0x0D, 0x0A) or (generated and code != 0x20):
            continue  # line breaks pdfium adds; pdfplumber has none
        if pdfium_c.FPDFText_HasUnicodeMapError(raw, i) == 1:
            info.unmapped += 1
            info.fast = False
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
            info.fast = False
            continue
        scale = 1.0
        if pdfium_c.FPDFText_GetMatrix(raw, i, matrix):
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            if not (a * d > 0 and abs(b) < 1e-6 and abs(c) < 1e-6):
                info.fast = False  # rotated or skewed text
            scale = abs(d)
        else:
            info.fast = False
        size = pdfium_c.FPDFText_GetFontSize(raw, i) * scale  # pdfminer's size: Tf × matrix
        font = fonts.name(pdfium_c.FPDFText_GetTextObject(raw, i)) if with_fonts else None
        bottom = height - rect.bottom
        if pdfium_c.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y):
            # placed by its baseline: a glyph drawn in a fallback font (the "g" of a large
            # title) has another loose box, and its own line would cut the words in two
            bottom = height - origin_y.value + _DESCENT * size
        info.chars.append(
            {
                "text": _char_text(code),
                "x0": rect.left,
                "x1": rect.right,
                "top": bottom - size,
                "bottom": bottom,
                "doctop": bottom - size,
                "upright": True,
                "size": size,
                "generated": generated,
                "fontname": font,
            }
        )


_DESCENT = 0.216  # a text font's usual descent, in font sizes: the box's bottom under its baseline


class _FontNames:
    """The base font name of a text object (as pdfplumber's `fontname`), looked up once
    per object: legacy fonts (.VnTime, VNI-Times) are recognised by name."""

    def __init__(self) -> None:
        self._names: dict[int | None, str] = {}
        self._buffer = ctypes.create_string_buffer(256)

    def name(self, textobj: Any) -> str:
        import pypdfium2.raw as pdfium_c

        key = ctypes.cast(textobj, ctypes.c_void_p).value
        if key not in self._names:
            font = pdfium_c.FPDFTextObj_GetFont(textobj) if key else None
            size = pdfium_c.FPDFFont_GetBaseFontName(font, self._buffer, 256) if font else 0
            raw = self._buffer.raw[: max(size - 1, 0)] if 0 < size <= 256 else b""
            self._names[key] = raw.decode("latin-1")
        return self._names[key]


def _char_text(code: int) -> str:
    """pdfium marks a hyphen that ends a line (U+0002 in its character array, U+FFFE in
    its text): it is a plain hyphen, as pdfplumber reads it. A UTF-16 surrogate (half of
    a character beyond the BMP, or garbage in a broken file) is not text."""
    if code in (0x02, 0xFFFE):
        return "-"
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return "\ufffd"
    return chr(code)


def overprinted(chars: list[dict[str, Any]]) -> bool:
    """Whether some glyph is drawn twice at (nearly) the same place (fake bold)."""
    seen = set()
    for c in chars:
        if c["text"].strip():
            key = (c["text"], round(c["x0"]), round(c["top"]))
            if key in seen:
                return True
            seen.add(key)
    return False


class _Edges:
    """Counts of horizontal and vertical edges drawn on a page."""

    def __init__(self) -> None:
        self.horizontal = 0
        self.vertical = 0
        self.objects_with_edges = 0
        self.complex = False
        self.fonts = _FontNames()  # names of the fonts text objects use
        self.legacy_font = False  # some text object uses a legacy font (.VnTime ...)

    def add(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        dx, dy = abs(x1 - x0), abs(y1 - y0)
        if dy <= _FLAT and dx >= _MIN_EDGE:
            self.horizontal += 1
            return True
        if dx <= _FLAT and dy >= _MIN_EDGE:
            self.vertical += 1
            return True
        return False

    def ruled(self) -> bool:
        """Enough edges to make two cells. One lone rectangle (a frame) makes one cell,
        which the table reader drops anyway; underlines make none."""
        if self.complex:
            return True
        if self.horizontal < 2 or self.vertical < 2:
            return False
        return not (self.objects_with_edges == 1 and self.horizontal + self.vertical <= 4)


def _scan_objects(parent: Any, form: Any, edges: _Edges, depth: int) -> float:
    """Walk page (or form) objects: record path edges, return the area of images."""
    import pypdfium2.raw as pdfium_c

    if form is None:
        count = pdfium_c.FPDFPage_CountObjects(parent)
    else:
        count = pdfium_c.FPDFFormObj_CountObjects(form)
    if count > MAX_OBJECTS:
        raise TooComplex(count)
    area = 0.0
    for i in range(max(count, 0)):
        if form is None:
            obj = pdfium_c.FPDFPage_GetObject(parent, i)
        else:
            obj = pdfium_c.FPDFFormObj_GetObject(form, i)
        if not obj:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if _path_edges(obj, edges):
                edges.objects_with_edges += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            area += _area(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT and not edges.legacy_font:
            edges.legacy_font = legacy.encoding_for_font(edges.fonts.name(obj))[0] is not None
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth >= _FORM_DEPTH:
                edges.complex = True
            else:
                area += _scan_objects(parent, obj, edges, depth + 1)
    return area


def _area(obj: Any) -> float:
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return 0.0
    return max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)


def _path_edges(obj: Any, edges: _Edges) -> bool:
    """Add a path's straight edges (Bézier control polygons count too, as pdfplumber
    turns curves into edges). Returns whether the path had any."""
    import pypdfium2.raw as pdfium_c

    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n > _MAX_SEGMENTS:
        edges.complex = True
        return True
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        m.a, m.b, m.c, m.d, m.e, m.f = 1, 0, 0, 1, 0, 0
    x, y = ctypes.c_float(), ctypes.c_float()
    found = False
    start = last = None
    for k in range(max(n, 0)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or last is None:
            start = last = point
            continue
        found |= edges.add(*last, *point)
        last = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            found |= edges.add(*last, *start)
            last = start
    return found
