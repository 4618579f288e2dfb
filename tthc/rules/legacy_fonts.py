"""The legacy Vietnamese encodings (TCVN3, VNI) as data: fonts, byte tables, syllable shape.

- legacy_fonts.toml: font names that mark a legacy encoding (first match wins);
- legacy_tcvn3.tsv: byte (hex) → letter; legacy_vni.tsv: letter → bytes (hex, spaced);
- syllable.toml: onsets, vowel groups and endings of a Vietnamese syllable.

The load stage (tthc.load.legacy) reads them here; each is validated when loaded and a
mistake is a RulesError naming the file and the line.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from tthc.rules import DIR
from tthc.rules.phrasing import RulesError, Strict, load_rules

Encoding = Literal["tcvn3", "vni"]


class FontRule(Strict):
    pattern: str  # case-insensitive, on the font name without a PDF subset prefix
    encoding: Encoding
    upper: bool = False  # the font draws every letter upper case (TCVN3 headings)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern, re.I)
        except re.error as exc:
            raise ValueError(f"bad pattern ({exc})") from exc
        return pattern


class LegacyFonts(Strict):
    font: list[FontRule] = Field(min_length=1)


class Syllable(Strict):
    onsets: list[str] = Field(min_length=1)
    vowel_groups: list[str] = Field(min_length=1)
    endings: list[str] = Field(min_length=1)


@cache
def legacy_fonts() -> LegacyFonts:
    return load_rules("legacy_fonts.toml", LegacyFonts)


@cache
def syllable() -> Syllable:
    return load_rules("syllable.toml", Syllable)


def _hex_byte(cell: str) -> int:
    value = int(cell, 16)
    if not 0 <= value <= 0xFF:
        raise ValueError(f"{cell!r} is not one byte")
    return value


def read_table(name: str, directory: Path = DIR) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """A byte table as (letter, bytes) rows; a malformed line is a RulesError naming it.

    legacy_tcvn3.tsv is written byte → letter (one byte each), legacy_vni.tsv
    letter → bytes (one to two)."""
    path = directory / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RulesError(f"{name}: cannot be read: {exc}") from exc
    byte_first = name == "legacy_tcvn3.tsv"
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        try:
            if len(cells) != 2:
                raise ValueError(f"2 tab-separated columns expected, found {len(cells)}")
            letter, codes = (cells[1], cells[0]) if byte_first else cells
            data = tuple(_hex_byte(c) for c in codes.split())
            if len(letter) != 1 or not data or (byte_first and len(data) != 1) or len(data) > 2:
                raise ValueError("one letter and one or two bytes expected")
        except ValueError as exc:
            raise RulesError(f"{name}: line {number}: {exc}") from exc
        rows.append((letter, data))
    return tuple(rows)


@cache
def byte_table(encoding: Encoding) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(letter, bytes) rows of an encoding's shipped table."""
    return read_table(f"legacy_{encoding}.tsv")
