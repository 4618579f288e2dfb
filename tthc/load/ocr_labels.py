"""Words of table headers and row names that OCR misread, mended against the rules' phrases.

The table reader matches a header's words to the form's columns and a row's name to a field
(tthc/rules/labels.toml, tthc/rules/vocabulary.toml). OCR of Vietnamese confuses tone marks ("Tống"
for "Tổng"), drops the space of a tight cell ("Hộtịch") or a letter ("tước"). Two or more
words whose letters, without their marks, are one of the rules' phrases (or a letter away
from exactly one) are spelled as the phrase; a lone word never is ("công" is not "cộng").
A quarter's Roman number after "Quý" is mended the same way, from the image's strokes.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache
from typing import Any

from tthc.rules.labels import label_rules, vocabulary

NEAR_MIN_LETTERS = 7  # a phrase shorter than this is mended only when its marks alone differ
# Table words the rules files do not hold as phrases: total rows and the usual headers.
TABLE_PHRASES = ("tổng cộng", "tổng số", "lĩnh vực", "trong đó", "số tt")
_PUNCT = ".,;:()[]\"'-–"


# A quarter's Roman numeral as OCR misreads it ("Quý l", "Quý [", "Quý Ï", "Quý Il"), by its
# letters without marks.
_QUARTERS = {
    **dict.fromkeys(("i", "l", "|", "[", "]", "!"), "I"),
    **dict.fromkeys(("ii", "il", "li", "ll", "11", "i1", "1i"), "II"),
    **dict.fromkeys(("iii", "iil", "ili", "lii", "lll", "ill", "lil", "111"), "III"),
    **dict.fromkeys(("iv", "lv", "1v", "|v"), "IV"),
}


def mend_quarters(
    words: list[dict[str, Any]], gray: Any = None, scale: float = 1.0
) -> list[dict[str, Any]]:
    """A quarter's Roman number after "Quý" as written: a look-alike put back ("Quý l" →
    "Quý I"), and, with the page image, the strokes of I, II or III counted (OCR often
    drops one of three identical strokes: "III" read "II"), since the quarter decides the
    period of every figure. Arabic digits ("Quý 1") are left as written."""
    for prev, word in itertools.pairwise(words):
        if toneless(prev["text"]) != "quy":
            continue
        text = _QUARTERS.get(toneless(word["text"]), word["text"])
        if gray is not None and text in ("I", "II", "III"):
            strokes = _strokes(gray, word, scale)
            if strokes in (1, 2, 3):
                text = "I" * strokes
        word["text"] = text
    return words


def _strokes(gray: Any, word: dict[str, Any], scale: float) -> int | None:
    """How many upright strokes a word of capital I's has on the image; None when its ink
    holds anything else (the V of IV)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    x0, x1 = max(0, int(word["x0"] * scale)), min(w, int(word["x1"] * scale) + 1)
    y0, y1 = max(0, int(word["top"] * scale)), min(h, int(word["bottom"] * scale) + 1)
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    dark = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    if n < 2:
        return None
    areas = stats[:, cv2.CC_STAT_AREA]
    keep = areas >= 0.25 * areas[1:].max()  # specks of a noisy scan are not strokes
    keep[0] = False
    height = keep[labels].sum(axis=0)
    tall = int(height.max())
    if tall < 4:
        return None
    stems = np.flatnonzero(height >= 0.8 * tall)
    runs = 1 + int((np.diff(stems) > 1).sum())
    reach = 0.25 * tall  # serifs stay this close to their stem
    inked = np.flatnonzero(height > 0)
    nearest = np.abs(inked[:, None] - stems[None, :]).min(axis=1)
    return runs if bool((nearest <= reach).all()) else None


# ---------------------------------------------------------------------------------------
# Label words: tone marks OCR confused, mended against the rules' own phrases


def toneless(word: str) -> str:
    """A word without any diacritic, lower case ("Tống" and "Tổng" are both "tong")."""
    plain = unicodedata.normalize("NFD", word.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c))


@cache
def _phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The phrases a form table's headers and row names use, by their toneless words: the
    label patterns of tthc/rules/labels.toml, the field names of tthc/rules/vocabulary.toml and the
    total rows. A toneless form two phrases share is left out (it cannot be mended)."""
    spelled: set[tuple[str, ...]] = set()
    for entry in label_rules().label:
        for pattern in entry.patterns:
            spelled |= _expand(pattern)
    for spellings in vocabulary().fields.values():
        spelled |= {tuple(s.split()) for s in spellings}
    spelled |= {tuple(p.split()) for p in TABLE_PHRASES}
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    clashes = set()
    for words in spelled:
        key = tuple(toneless(w) for w in words)
        if key in out and out[key] != words:
            clashes.add(key)
        out[key] = words
    return {k: v for k, v in out.items() if k not in clashes}


def _expand(pattern: str) -> set[tuple[str, ...]]:
    """The word sequences of a label pattern ("kỳ trước chuyển sang|qua", "số? mới")."""
    options: list[tuple[str, ...]] = [()]
    for part in pattern.split():
        alternatives = part.rstrip("?").split("|") if len(part) > 1 else [part]
        grown = [(*o, a) for o in options for a in alternatives]
        options = grown + options if part.endswith("?") and len(part) > 1 else grown
    return {o for o in options if o and all(w[0].isalnum() for w in o)}


def mend_labels(text: str) -> str:
    """A header or row name with the tone marks OCR confused put back, where two or more of
    its words, without their marks, are one of the rules' phrases ("Tống cộng" → "Tổng
    cộng"), and words OCR glued together cut apart; the rest of the text is left as read."""
    words = text.split()
    if not words:
        return text
    phrases = _phrases()
    longest = max((len(k) for k in phrases), default=0)
    words = [part for w in words for part in _unglued(w)]
    out, i = list(words), 0
    while i < len(words):
        sizes = range(min(longest, len(words) - i), 1, -1)  # a lone word is too weak a clue
        keys = [tuple(toneless(w.strip(_PUNCT)) for w in words[i : i + n]) for n in sizes]
        # the longest phrase whose words differ by their marks only; else the longest one
        # a letter away
        spelled = next((phrases[k] for k in keys if k in phrases), None)
        spelled = spelled or next((p for k in keys if (p := _near_phrase(k))), None)
        if spelled is None:
            i += 1
            continue
        for j, right in enumerate(spelled):
            out[i + j] = _spell_like(words[i + j], right, loose=True)
        i += len(spelled)
    return " ".join(out)


def _near_phrase(key: tuple[str, ...]) -> tuple[str, ...] | None:
    """The one phrase of as many words whose toneless letters differ from `key`'s by one
    letter: "ky tuoc chuyen qua" is "kỳ trước chuyển qua"."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extract

    text = " ".join(key)
    if len(text) < NEAR_MIN_LETTERS:
        return None
    choices = _phrases_by_length().get(len(key), {})
    found = extract(text, list(choices), scorer=Levenshtein.distance, score_cutoff=1, limit=2)
    if not found or (len(found) > 1 and found[1][1] == found[0][1]):
        return None
    return choices[found[0][0]]


@cache
def _phrases_by_length() -> dict[int, dict[str, tuple[str, ...]]]:
    out: dict[int, dict[str, tuple[str, ...]]] = {}
    for key, words in _phrases().items():
        out.setdefault(len(key), {})[" ".join(key)] = words
    return out


@cache
def _lexicon() -> frozenset[str]:
    """The toneless words of the rules' phrases."""
    return frozenset(w for key in _phrases() for w in key)


def _unglued(word: str) -> list[str]:
    """A word OCR glued from two of the phrases' words (it drops the space of a tight
    cell: "Hộtịch", "Sốkỳ") cut in two, when exactly one cut gives two such words."""
    word = unicodedata.normalize("NFC", word)
    plain = toneless(word)
    lexicon = _lexicon()
    if len(plain) != len(word) or plain in lexicon or not plain.isalpha():
        return [word]
    cuts = [i for i in range(2, len(plain) - 1) if plain[:i] in lexicon and plain[i:] in lexicon]
    return [word[: cuts[0]], word[cuts[0] :]] if len(cuts) == 1 else [word]


def _spell_like(read: str, right: str, loose: bool = False) -> str:
    """`right` in the case of the word as read, keeping the punctuation around it (unless
    `loose`, only where the two differ by their marks alone)."""
    core = read.strip(_PUNCT)
    if not core or (not loose and toneless(core) != toneless(right)):
        return read
    if core.isupper() and len(core) > 1:
        right = right.upper()
    elif core[0].isupper():
        right = right[0].upper() + right[1:]
    return read.replace(core, right, 1)
