"""Figures written as a series: labels paired with numbers in order.

- With slashes: "trước hạn/đúng hạn/quá hạn: 350/45/5 hồ sơ", "350/45/5 hồ sơ trước hạn/đúng
  hạn/quá hạn";
- "respectively": "trước hạn, đúng hạn và quá hạn lần lượt là 350, 45 và 5 hồ sơ".
The k-th label names the k-th number; a qualifier is read in the group open there ("quá
hạn" after "đã giải quyết" is resolved_late). The two lists must be as long as each other
and in one clause; two numbers with a slash are a ratio, not a series.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from tthc.extract.lexicon import Hit
from tthc.rules.labels import labels
from tthc.textkit.forms import compile_vi
from tthc.textkit.numbers import parse_count

_NUM = r"\d+(?:[.,]\d{3})*"
# Three or more numbers joined by "/": never a date, a ratio or a symbol.
SLASHED = regex.compile(
    rf"(?<![\d.,/\p{{L}}])(?:{_NUM})(?:[ \t]*/[ \t]*(?:{_NUM})){{2,}}(?![\d/]|[.,]\d)"
)
# Numbers listed with "," / ";" / "và" after "lần lượt (là)".
_RESPECTIVELY = compile_vi(r"(?<![\p{L}])lần\s+lượt(?:\s+là)?\s*:?\s*")
_LISTED = compile_vi(
    rf"(?:{_NUM})(?:\s*(?:hồ\s+sơ|hs))?(?:\s*(?:,|;|và)\s*(?:{_NUM})(?:\s*(?:hồ\s+sơ|hs))?)+"
)
_LABEL_GAP_SLASH = regex.compile(r"[ \t]*/[ \t]*")
_LABEL_GAP_LIST = compile_vi(r"\s*(?:,|và|;)\s*")
_JOINED = compile_vi(r"\s*(?:/|,|và)\s*")
_EARLY = compile_vi(r"(?:trả\s+)?(?:trước|sớm)")
_BETWEEN = 60  # characters between the labels and their numbers
# Two numbers joined by "/": a series only when two labels joined so stand right before.
PAIR = regex.compile(rf"(?<![\d.,/\p{{L}}])(?:{_NUM})[ \t]*/[ \t]*(?:{_NUM})(?![\d/]|[.,]\d)")
# What may stand between such labels and their numbers: a colon, "là", "lần lượt (là)".
_TO_NUMBERS = compile_vi(
    r"\s*(?:\([^()\n]{0,80}\))?[\s:,=]*(?:(?:lần\s+lượt\s+)?(?:là|gồm|có)\s*:?)?\s*"
)


@dataclass(frozen=True, slots=True)
class SeriesItem:
    label: Hit
    value: int
    start: int
    end: int


def _numbers(match: str, start: int, end: int) -> list[tuple[int, int, int]]:
    out = []
    for m in regex.finditer(_NUM, match[start:end]):
        value = parse_count(m.group())
        if value is None:
            return []
        out.append((start + m.start(), start + m.end(), value))
    return out


def _split(match: str, h: Hit) -> list[Hit]:
    """ "trước hạn/đúng hạn" read as one label (early or on time) is two in a series."""
    if h.label.key != "qualifier:early_or_on_time":
        return [h]
    m = _JOINED.search(match, h.start, h.end)
    if m is None:
        return [h]
    table = labels()
    first = "qualifier:early" if _EARLY.match(match, h.start) else "qualifier:on_time"
    second = "qualifier:on_time" if first == "qualifier:early" else "qualifier:early"
    return [Hit(h.start, m.start(), table[first]), Hit(m.end(), h.end, table[second])]


def _label_runs(match: str, hits: list[Hit], gap: regex.Pattern) -> list[list[Hit]]:
    """Runs of figure labels joined only by `gap` ("/", or "," / "và"), each run both as
    read and with "trước hạn, đúng hạn" taken as two labels."""
    kinds = ("group", "qualifier")
    runs: list[list[Hit]] = []
    for h in (h for h in hits if h.label.kind in kinds):
        if runs and gap.fullmatch(match[runs[-1][-1].end : h.start]):
            runs[-1].append(h)
        else:
            runs.append([h])
    out = []
    for run in runs:
        split = [part for h in run for part in _split(match, h)]
        out += [r for r in ([run, split] if split != run else [run]) if len(r) >= 2]
    return out


def find_series(
    match: str, start: int, end: int, hits: list[Hit], protected: list[tuple[int, int]] = ()
) -> list[SeriesItem]:
    """Every label–number pairing of a line written as a series (see the module doc); a
    date or another claimed span ("30/9/2024") is never a series."""
    out: list[SeriesItem] = []
    for m in SLASHED.finditer(match, start, end):
        if any(s < m.end() and m.start() < e for s, e in protected):
            continue
        numbers = _numbers(match, m.start(), m.end())
        for run in _label_runs(match, hits, _LABEL_GAP_SLASH):
            near = run[-1].end <= m.start() <= run[-1].end + _BETWEEN or (
                m.end() <= run[0].start <= m.end() + _BETWEEN
            )
            if near and len(run) == len(numbers):
                out += [SeriesItem(h, v, s, e) for h, (s, e, v) in zip(run, numbers, strict=True)]
                break
    for m in PAIR.finditer(match, start, end):
        if any(s < m.end() and m.start() < e for s, e in protected):
            continue
        run = slash_labels_before(match, hits, m.start(), 2)
        if run is not None:
            numbers = _numbers(match, m.start(), m.end())
            out += [SeriesItem(h, v, s, e) for h, (s, e, v) in zip(run, numbers, strict=True)]
    for r in _RESPECTIVELY.finditer(match, start, end):
        listed = _LISTED.match(match, r.end())
        if listed is None:
            continue
        numbers = _numbers_listed(match, listed.start(), listed.end())
        runs = [
            run
            for run in _label_runs(match, hits, _LABEL_GAP_LIST)
            if run[-1].end <= r.start() <= run[-1].end + _BETWEEN and len(run) == len(numbers)
        ]
        if runs:
            out += [SeriesItem(h, v, s, e) for h, (s, e, v) in zip(runs[-1], numbers, strict=True)]
    return out


def slash_labels_before(match: str, hits: list[Hit], pos: int, k: int) -> list[Hit] | None:
    """The run of k figure labels joined by "/" that ends right before `pos` ("trong hạn/quá
    hạn: 130/21", "trực tuyến/trực tiếp là 582/393"), if any."""
    for run in _label_runs(match, hits, _LABEL_GAP_SLASH):
        if len(run) == k and run[-1].end <= pos and _TO_NUMBERS.fullmatch(match[run[-1].end : pos]):
            return run
    return None


def _numbers_listed(match: str, start: int, end: int) -> list[tuple[int, int, int]]:
    out = []
    for m in regex.finditer(rf"(?<![\d.,]){_NUM}(?![\d]|[.,]\d)", match[start:end]):
        value = parse_count(m.group())
        if value is not None:
            out.append((start + m.start(), start + m.end(), value))
    return out
