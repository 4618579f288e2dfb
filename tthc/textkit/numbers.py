"""Numbers as Vietnamese reports write them, parsed by what they count.

Vietnamese style groups thousands with "." and marks decimals with "," (2.416 hồ sơ, 83,4%);
some writers use the English style (4,374 hồ sơ, 98.54%), even within one file. The digits
alone are ambiguous ("1.639" is a count, "98.54" a rate), so the caller says what the number
is: a count of things (always whole) or a rate/decimal quantity.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import regex

# A numeral: digits with optional "." or "," groups. Letters or digits glued on either side
# make it part of a word or a symbol, not a numeral.
NUMERAL = regex.compile(r"(?<![\p{L}\d.,/])\d+(?:[.,]\d+)*(?![\p{L}\d]|[.,/]\d)")


def parse_count(s: str) -> int | None:
    """A whole count: separators must group thousands ("2.416", "4,374"); "02" is 2.

    Returns None for something that cannot be a count ("2,5", "1.23").
    """
    s = s.strip()
    if s.isdigit():
        return int(s)
    parts = regex.split(r"[.,]", s)
    if not all(p.isdigit() for p in parts):
        return None
    if len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
        return None
    if len(set(regex.findall(r"[.,]", s))) > 1:
        return None  # "1.234,567" mixes both marks: not a whole count
    return int("".join(parts))


def parse_decimal(s: str) -> tuple[float, int] | None:
    """A decimal quantity (a rate): returns (value, digits shown after the decimal mark).

    "83,4" → (83.4, 1); "98.54" → (98.54, 2); "1.234,5" → (1234.5, 1); "100" → (100.0, 0).
    One mark used once is the decimal mark whichever it is; a mark repeated ("1.234.567")
    groups thousands; with both marks, the last one is the decimal mark.
    """
    s = s.strip()
    if s.isdigit():
        return float(s), 0
    marks = regex.findall(r"[.,]", s)
    if not marks:
        return None
    if len(set(marks)) == 2:
        dec = marks[-1]
        if marks.count(dec) != 1:
            return None
        whole, frac = s.rsplit(dec, 1)
        whole = whole.replace("." if dec == "," else ",", "")
    elif len(marks) == 1:
        whole, frac = regex.split(r"[.,]", s)
    else:
        count = parse_count(s)
        return (float(count), 0) if count is not None else None
    if not whole.isdigit() or not frac.isdigit():
        return None
    return float(f"{whole}.{frac}"), len(frac)


def rounds_to(exact: float, stated: float, decimals: int) -> bool:
    """Whether a stated rate is the exact ratio rounded half-up, or truncated, to the digits
    it shows ("83,4%" at one decimal, "100%" at none). Writers use both conventions."""
    q = Decimal(1).scaleb(-decimals)
    d = Decimal(repr(exact))
    target = Decimal(repr(stated)).quantize(q)
    return d.quantize(q, ROUND_HALF_UP) == target or d.quantize(q, ROUND_DOWN) == target


def format_vi(value: float | int, decimals: int = 0) -> str:
    """Write a number the Vietnamese way for messages: 30.566; 83,87."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_count(n: float | int | None) -> str:
    """A count or rate as it was stated, the Vietnamese way (30.566; 83,4; at most 3
    decimals; "?" when unknown)."""
    if n is None:
        return "?"
    if float(n).is_integer():
        return format_vi(int(n))
    decimals = len(f"{n}".split(".")[1]) if "." in f"{n}" else 0
    return format_vi(n, min(decimals, 3))


def fits_approximation(exact: int, approx: int, bound: str | None) -> bool:
    """Whether an exact figure can be what an approximate one rounds ("hơn 41.000" and
    41.388 do; "gần 1,3 ngàn" and 164 do not): within a tenth, on the stated side."""
    tolerance = max(approx * 0.1, 1)
    if bound == "at_least":
        return approx <= exact <= approx + tolerance
    if bound == "at_most":
        return approx - tolerance <= exact <= approx
    return abs(exact - approx) <= tolerance
