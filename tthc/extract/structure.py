"""Document structure that decides context: headings, list levels, sentences.

A figure's period, scope and group ("received" / "resolved" / ...) carry from a line to the
lines nested under it ("- Đã giải quyết: trong đó:" then "+ Trước hạn: 12") and stop at the
next line of the same or a higher level. Headings (I., 1., a)) close every context.
"""

from __future__ import annotations

import regex

from tthc.schemas import Text

HEADING_LEVELS = 2  # levels 0..2 are headings (I. / 1. / a))
PLAIN = 5
LIST_LEVELS = (3, 4)  # "-" and "+" items

_LEVELS = (
    (regex.compile(r"^[IVXLC]{1,5}[.)]?\s*(?=\p{Lu})"), 0),
    (regex.compile(r"^\d{1,2}(?:\.\d{1,2})*[.)](?=\s|\p{Lu})"), 1),
    (regex.compile(r"^[a-zđ][.)]\s"), 2),
    (regex.compile(r"^[-–—](?=\s|\p{Lu}|\d)"), 3),
    (regex.compile(r"^[+•*▪►✓](?=\s|\p{Lu}|\d)"), 4),
)


def marker_level(line: str) -> int:
    """0 roman heading, 1 numbered heading, 2 lettered heading, 3 "-", 4 "+", 5 plain text."""
    for pattern, level in _LEVELS:
        if pattern.match(line):
            return level
    return PLAIN


def heading_starts(text: Text) -> list[int]:
    """Start offsets of heading lines (table rows are never headings)."""
    return [
        ln.start
        for ln in text.lines
        if ln.cells is None and marker_level(text.text[ln.start : ln.end]) <= HEADING_LEVELS
    ]


def line_levels(text: Text) -> list[int]:
    """The marker level of every line (table rows count as plain text)."""
    return [
        PLAIN if ln.cells is not None else marker_level(text.text[ln.start : ln.end])
        for ln in text.lines
    ]
