"""Matching forms of Vietnamese text: one spelling for every way of writing a word.

The matching view of a text is NFC, lower case and one tone-mark placement (the "old" style
puts the mark on the first vowel of oa/oe/uy, hóa/thủy; the "new" style on the second,
hoá/thuỷ), with the same length as the original, so an offset found in the matching view is
an offset in the text. Every stage and the rules package match phrases in this view.
"""

from __future__ import annotations

import regex

# Tone-mark placement: the "old" style puts the mark on the first vowel of oa/oe/uy (hóa,
# thủy); the "new" style on the second (hoá, thuỷ). `match` uses the old style throughout.
_TONE_MAP = {}
for _pair_new, _pair_old in (
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
):
    _TONE_MAP[_pair_new] = _pair_old
# In "qu" the u belongs to the consonant: "quý" has one spelling and is left alone.
_TONE_RE = regex.compile(
    "|".join(f"(?<!q){pair}" if pair[0] == "u" else pair for pair in _TONE_MAP)
)


def match_form(s: str) -> str:
    """The matching view of a string: NFC, lower case, old-style tone marks. Same length."""
    lowered = s.lower()
    if len(lowered) != len(s):  # a character whose lower case is longer: lower one by one
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in s)
    return _TONE_RE.sub(lambda m: _TONE_MAP[m.group()], lowered)


def compile_vi(pattern: str, flags: int = 0) -> regex.Pattern:
    """Compile a pattern meant for the matching view: its Vietnamese words get the same
    tone-mark placement (a literal "khoản" or "toàn" must read "khỏan", "tòan" there).
    Write such patterns in lower case."""
    return regex.compile(_TONE_RE.sub(lambda m: _TONE_MAP[m.group()], pattern), flags)
