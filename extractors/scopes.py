"""Figures that are not the reporting unit's own: sub-units, other units, parts and subsets.

Real texts put beside the unit's figures those of its levels ("Cấp huyện tiếp nhận 912 hồ
sơ …"), departments ("Sở Xây dựng có 254 hồ sơ trễ hạn"), a part ("Riêng các hồ sơ thuộc
thẩm quyền cấp xã …", "Trong tổng số hồ sơ trễ hạn có 164 …") or averages ("trung bình
mỗi ngày … 400 hồ sơ"). None of these may fill the unit's dossier fields. This module finds
the stretches of text they occupy, sentence by sentence:
- a sentence whose subject (the words before its first figure word or number) names a
  sub-unit or another unit, or that opens with a subset word ("Riêng …"), is foreign whole;
- a sentence opening with "Trong đó," / "Cụ thể," goes on about the previous one and keeps
  its scope;
- a marker inside a sentence ("do các sở, ngành tiếp nhận", "trung bình mỗi ngày") makes the
  rest of the sentence foreign.
The words are data (rules/connectives.toml, [scopes] and [figures]).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from extractors.numbers import NUMERAL
from extractors.phrasing import alternation, connectives
from schemas import Text

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Foreign:
    """A stretch of text whose figures belong to `name` (a sub-unit, a part), not the unit."""

    start: int
    end: int
    name: str
    subset: bool = False  # a part of the unit's own dossiers ("Riêng …", "Trong số … có")


@cache
def _patterns() -> dict[str, regex.Pattern]:
    words = connectives().scopes
    markers = [*words.sub_unit_markers, *connectives().figures.per_time]
    return {
        "subject": regex.compile(
            rf"(?<![\p{{L}}])(?P<s>{alternation(words.sub_unit_subjects)})(?![\p{{L}}])"
        ),
        "marker": regex.compile(rf"(?<![\p{{L}}])(?P<s>{alternation(markers)})(?![\p{{L}}])"),
        "subset": regex.compile(
            rf"^[\s\-+•*]*(?:{alternation(words.subset_openers)})(?![\p{{L}}])"
        ),
        "subset_of": regex.compile(rf"^[\s\-+•*]*(?:{alternation(words.subset_of)})(?![\p{{L}}])"),
        "continues": regex.compile(
            rf"^[\s\-+•*]*(?:{alternation(words.continues_previous)})(?![\p{{L}}])"
        ),
    }


def _single_word_needs_capital(phrase: str) -> bool:
    """ "sở", "phòng", "ban": only a capitalised word names an agency ("Sở Xây dựng")."""
    return " " not in phrase and "," not in phrase and not phrase.startswith("cấp")


def foreign_spans(text: Text, sentences: list[Span], label_starts: list[int]) -> list[Foreign]:
    """The stretches of text whose figures are not the unit's own (see the module doc)."""
    pats = _patterns()
    match, original = text.match, text.text
    out: list[Foreign] = []
    previous: Foreign | None = None
    for start, end in sentences:
        sentence = match[start:end]
        found: Foreign | None = None
        if pats["subset"].match(sentence) or pats["subset_of"].match(sentence):
            found = Foreign(start, end, "một phần hồ sơ", subset=True)
        elif (
            previous is not None and previous.end >= start - 2 and pats["continues"].match(sentence)
        ):
            found = Foreign(start, end, previous.name, previous.subset)
        else:
            found = _by_subject(match, original, start, end, label_starts, pats)
        if found is None:
            m = pats["marker"].search(sentence)
            if m:
                stop = _clause_end(sentence, m.end(), pats)
                found = Foreign(
                    start + m.start(), start + stop, original[start + m.start() : start + m.end()]
                )
        if found is not None:
            out.append(found)
        previous = found if found is not None and found.start == start else None
    return out


def _by_subject(
    match: str,
    original: str,
    start: int,
    end: int,
    label_starts: list[int],
    pats: dict[str, regex.Pattern],
) -> Foreign | None:
    """A sentence whose subject names a sub-unit: the words before its first label/number."""
    number = NUMERAL.search(match, start, end)
    zone_end = min(
        [end, start + 90, number.start() if number else end]
        + [s for s in label_starts if start <= s < end]
    )
    for m in pats["subject"].finditer(match, start, zone_end):
        phrase = m["s"]
        if _single_word_needs_capital(phrase) and not original[m.start()].isupper():
            continue
        if m.start() > start and match[m.start() - 1] not in " ,(\t-":
            continue
        return Foreign(start, end, original[m.start() : m.end()])
    return None


def _clause_end(sentence: str, pos: int, pats: dict[str, regex.Pattern]) -> int:
    """Where a marker's reach ends: the next ";" unless what follows goes on about the same
    thing ("; trong đó, …"), else the sentence's end."""
    for m in regex.finditer(";", sentence[pos:]):
        after = pos + m.end()
        if not pats["continues"].match(sentence, after):
            return pos + m.start()
    return len(sentence)


def inside(spans: list[Foreign], offset: int) -> Foreign | None:
    """The foreign stretch holding `offset`, if any."""
    for f in spans:
        if f.start <= offset < f.end:
            return f
    return None
