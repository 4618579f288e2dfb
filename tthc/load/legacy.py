"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI) → Unicode.

Offices that still type with ".VnTime" (TCVN3) or "VNI-Times" (VNI) fonts produce files
whose text, read as Unicode, is mojibake: "B¸o c¸o" for "Báo cáo" (TCVN3), "Baùo caùo"
(VNI). The byte tables are data (tthc/rules/legacy_*.tsv, from the published code charts).

Two signals decide: a font name (DOCX runs, `encoding_for_font`) is certain; without one,
the content decides (`detect`): a text is converted only when the conversion turns words
that are not Vietnamese syllables into words that are, so normal Unicode Vietnamese (whose
letters the tables would garble) and English (which they leave alone) are never touched.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from tthc.rules.legacy_fonts import byte_table, legacy_fonts, syllable
from tthc.schemas import RawLine

TCVN3 = "tcvn3"
VNI = "vni"
ENCODINGS = (TCVN3, VNI)


# ---------------------------------------------------------------------------------------
# Tables


def _surfaces(byte: int) -> set[str]:
    """How one legacy byte shows up as Unicode: its Latin-1 and its Windows-1252 reading."""
    out = {bytes([byte]).decode("latin-1")}
    with contextlib.suppress(UnicodeDecodeError):
        out.add(bytes([byte]).decode("cp1252"))
    return out


@cache
def _decode_table(encoding: str) -> dict[str, str]:
    """Legacy surface sequence (1 or 2 characters) → Unicode letter."""
    table: dict[str, str] = {}
    if encoding == TCVN3:
        for letter, (code,) in byte_table(TCVN3):
            for surface in _surfaces(code):
                table[surface] = letter
        return table
    for letter, codes in byte_table(VNI):
        parts = [_surfaces(c) for c in codes]
        for first in parts[0]:
            for second in parts[1] if len(parts) > 1 else {""}:
                table[first + second] = letter
    return table


@cache
def _encode_table(encoding: str) -> dict[str, bytes]:
    """Unicode letter → legacy bytes (TCVN3 upper-case toned letters use the lower-case
    bytes, as an H font does)."""
    if encoding == TCVN3:
        table = {letter: bytes(codes) for letter, codes in byte_table(TCVN3)}
        for letter, code in list(table.items()):
            table.setdefault(letter.upper(), code)
        return table
    return {letter: bytes(codes) for letter, codes in byte_table(VNI)}


@cache
def _decoder(encoding: str) -> re.Pattern[str]:
    keys = sorted(_decode_table(encoding), key=len, reverse=True)  # longest match first
    return re.compile("|".join(map(re.escape, keys)))


def convert(text: str, encoding: str) -> str:
    """Read mojibake `text` (legacy bytes shown as Latin-1/CP1252 characters) as Unicode."""
    table = _decode_table(encoding)
    return _decoder(encoding).sub(lambda m: table[m.group()], text)


def encode(text: str, encoding: str) -> bytes:
    """Unicode → legacy bytes, as an old office's file would hold them (for fixtures and
    round-trip checks). Characters outside the table must be ASCII."""
    table = _encode_table(encoding)
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in table:
            out += table[ch]
        else:
            out += ch.encode("ascii")
    return bytes(out)


def mojibake(text: str, encoding: str) -> str:
    """What a legacy file's text looks like when read as Unicode (Windows-1252)."""
    return encode(text, encoding).decode("cp1252", errors="replace")


# ---------------------------------------------------------------------------------------
# Fonts


@cache
def _font_rules() -> list[tuple[re.Pattern[str], str, bool]]:
    return [
        (re.compile(rule.pattern, re.I), rule.encoding, rule.upper) for rule in legacy_fonts().font
    ]


def encoding_for_font(font: str | None) -> tuple[str | None, bool]:
    """(encoding, draws upper case) for a font name; (None, False) for a Unicode font.
    A PDF subset prefix ("ABCDEF+.VnTime") is ignored."""
    if not font:
        return None, False
    name = re.sub(r"^[A-Z]{6}\+", "", font.strip())
    for pattern, encoding, upper in _font_rules():
        if pattern.search(name):
            return encoding, upper
    return None, False


# ---------------------------------------------------------------------------------------
# Content detection

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@cache
def _syllable() -> re.Pattern[str]:
    rules = syllable()
    onset, group, ending = ("|".join(x) for x in (rules.onsets, rules.vowel_groups, rules.endings))
    return re.compile(f"^(?:{onset})?(?:{group})(?:{ending})?$")


_EDGE_PUNCT = ".,;:!?()[]{}\"'“”‘’«»…-–—/\\*"
_PLAIN = re.compile(r"^[\x00-\x7f]*$")
_DETECT_LINES = 5000  # enough to decide; a hostile file with millions of lines costs no more


@cache
def is_syllable(word: str) -> bool:
    """Whether a lower-case word is a well-formed Vietnamese syllable (one tone mark at
    most, a known onset, vowel group and ending)."""
    parts = unicodedata.normalize("NFD", word)
    if sum(ch in _TONES for ch in parts) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in parts if ch not in _TONES))
    return bool(_syllable().match(bare))


def score(text: str) -> int:
    """Valid minus invalid syllables among the words that hold a non-ASCII character.
    Plain ASCII words (numbers, English, symbols) are neutral."""
    total = 0
    for token in text.split():
        word = token.strip(_EDGE_PUNCT)
        if not word or _PLAIN.match(word):
            continue
        total += 1 if is_syllable(word.lower()) else -1
    return total


def detect(text: str) -> str | None:
    """The legacy encoding `text` is mojibake of, or None when it reads best as it is."""
    return detect_lines(text.splitlines())


def detect_lines(lines: Iterable[str]) -> str | None:
    """The legacy encoding the lines are mojibake of, or None.

    Each line counts what converting it would gain (a line that reads worse converted, a
    Unicode line in a mixed file, gains nothing). A conversion must win clearly: gain at
    least 3 words and a fifth of the words concerned, and leave most of them valid.
    Unicode Vietnamese gains nothing under either table; English has no word concerned."""
    lines = [ln for ln in lines if not _PLAIN.match(ln)][:_DETECT_LINES]
    concerned = sum(1 for ln in lines for t in ln.split() if not _PLAIN.match(t))
    best, best_gain, best_total = None, 0, 0
    for encoding in ENCODINGS:
        gain = total = 0
        for line in lines:
            before, after = score(line), score(convert(line, encoding))
            gain += max(0, after - before)
            total += max(before, after)
        if gain > best_gain:
            best, best_gain, best_total = encoding, gain, total
    if best is None or best_gain < max(3, concerned // 5) or best_total <= 0.6 * concerned:
        return None
    return best


def fix_lines(lines: list[RawLine]) -> str | None:
    """Convert a document's lines (text and table cells) in place when they are legacy
    mojibake; returns the encoding found, or None."""
    texts = [ln.text for ln in lines] + [c for ln in lines for c in ln.cells or ()]
    encoding = detect_lines(texts)
    if encoding is None:
        return None
    for ln in lines:
        ln.text = convert_line(ln.text, encoding)
        if ln.cells is not None:
            ln.cells = [convert_line(c, encoding) for c in ln.cells]
    return encoding


# ---------------------------------------------------------------------------------------
# Letter case lost by TCVN3

_ASCII_LETTERS = re.compile(r"[A-Za-z]")


def restore_case(line: str) -> str:
    """TCVN3 stores upper-case toned letters as lower-case bytes (the H font draws them
    upper case). A line whose ASCII letters are all capitals is a heading: upper-case it
    all. Otherwise a word whose ASCII letters are all capitals is upper-cased when it has
    two of them ("NGHĨA"), or one between two such words ("XÃ" in "UBND XÃ NGHĨA")."""
    letters = _ASCII_LETTERS.findall(line)
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return line.upper()
    parts = re.split(r"(\s+)", line)
    words = parts[::2]
    kinds = [_caps_kind(w) for w in words]
    for i, kind in enumerate(kinds):
        between_capitals = 0 < i < len(kinds) - 1 and kinds[i - 1] == kinds[i + 1] == 2
        if kind == 2 or (kind == 1 and between_capitals):
            parts[2 * i] = words[i].upper()
    return "".join(parts)


def _caps_kind(word: str) -> int:
    """2: two or more ASCII letters, all capitals; 1: one ASCII capital, or letters but
    no ASCII one; 0: an ASCII small letter or no letter at all."""
    letters = _ASCII_LETTERS.findall(word)
    if letters and not all(c.isupper() for c in letters):
        return 0
    if len(letters) >= 2:
        return 2
    return 1 if letters or any(c.isalpha() for c in word) else 0


def convert_line(line: str, encoding: str) -> str:
    """One line of detected legacy text as Unicode, case repaired; a line that does not
    read better converted (a Unicode line inside a legacy file) is kept."""
    converted = convert(line, encoding)
    if not reads_better(converted, line):
        return line
    return restore_case(converted) if encoding == TCVN3 else converted


def reads_better(converted: str, raw: str) -> bool:
    """Whether the converted text is the better reading: more valid syllables, or as many
    and the raw text holds characters no Vietnamese text has ("¸", "ø", "ñ" ...). Many
    Unicode words stay syllables under a table (cáo → cỏo), so a tie keeps the text."""
    if converted == raw:
        return False
    before, after = score(raw), score(converted)
    return after > before or (after == before and any(c in _legacy_only() for c in raw))


@cache
def _legacy_only() -> frozenset[str]:
    """Characters of the legacy tables' surfaces that are not Vietnamese letters."""
    letters = {c for enc in ENCODINGS for c in _encode_table(enc)}
    letters |= {c.upper() for c in letters}
    codes = {c for enc in ENCODINGS for key in _decode_table(enc) for c in key}
    return frozenset(c for c in codes if not c.isascii() and c not in letters)
