"""Counts as reports write them around the numeral: "hơn 41.000", "gần 19 nghìn", "12,6 ngàn".

The approximation words and multipliers are rules data (rules/connectives.toml [numbers]);
the numeral itself is parsed by textkit.numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from rules.phrasing import alternation, connectives
from textkit.numbers import parse_count, parse_decimal


@dataclass(frozen=True, slots=True)
class CountReading:
    """A count as written: "hơn 41.000" (at least), "gần 19 nghìn", "2.416" (exact)."""

    start: int  # where its words start: an approximation word before the numeral
    end: int  # end of the numeral, or of its multiplier ("12,6 nghìn")
    value: int
    approx: bool = False
    bound: str | None = None  # "at_least" ("hơn", "trên") | "at_most" ("gần") | None


@cache
def _approx_patterns() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern, dict[str, int]]:
    words = connectives().numbers
    before = regex.compile(rf"(?<![\p{{L}}\d])(?P<w>{alternation(words.approx_before)})[ \t]*$")
    after = regex.compile(rf"[ \t]*{alternation(words.approx_after)}")
    mult = {k: v for k, v in words.multipliers.items()}
    multiplier = regex.compile(rf"[ \t]*(?P<m>{alternation(list(mult))})(?![\p{{L}}\d])")
    return before, after, multiplier, mult


def approx_bound(word: str) -> str | None:
    """ "hơn" → "at_least", "gần" → "at_most", "khoảng" → None."""
    words = connectives().numbers
    key = " ".join(word.split())
    if key in words.at_least:
        return "at_least"
    if key in words.at_most:
        return "at_most"
    return None


def _multiplied(numeral: str, factor: int) -> int | None:
    """ "12,6" × 1000 → 12.600; "1.300" × 1000 → 1.300.000 (a "." before three digits groups
    thousands); a comma is the decimal mark whatever follows it."""
    if "," not in numeral and regex.fullmatch(r"\d{1,3}(?:\.\d{3})+", numeral):
        count = parse_count(numeral)
        return count * factor if count is not None else None
    parsed = parse_decimal(numeral)
    if parsed is None:
        return None
    return round(parsed[0] * factor)


def read_count(match: str, start: int, end: int) -> CountReading | None:
    """The count written at match[start:end] with what is around it: an approximation word
    before, a multiplier after ("gần 43 nghìn"), "(số tròn)" after. None when the numeral
    cannot be a count ("2,5" without a multiplier)."""
    before, after, multiplier, factors = _approx_patterns()
    numeral = match[start:end]
    approx, bound, lead = False, None, start
    m = multiplier.match(match, end)
    if m:
        value = _multiplied(numeral, factors[" ".join(m["m"].split())])
        approx, end = True, m.end()
    else:
        value = parse_count(numeral)
    if value is None:
        return None
    b = before.search(match[max(0, start - 24) : start])
    if b and not _ratio_word(match, start - len(b[0]), b["w"]):
        approx, bound = True, approx_bound(b["w"])
        lead = start - len(b[0])
    a = after.match(match, end)
    if a:
        approx = True
    return CountReading(lead, end, value, approx, bound)


def _ratio_word(match: str, word_start: int, word: str) -> bool:
    """ "1.164 trên 1.639": "trên" between two counts means "out of", not "more than"."""
    return word.startswith("trên") and bool(
        regex.search(r"\d[\s.,]*$", match[max(0, word_start - 4) : word_start])
    )
