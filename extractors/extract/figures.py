"""Dossier figures in running text: which number is which field, in which period and scope.

The national form counts dossiers in groups (received / resolved / pending / returned), each
with parts (online, carried over, early, late …). Reports write a group's words once and
then its parts: "Đã giải quyết 412, trong đó: trước hạn 398 hồ sơ, đúng hạn 12 hồ sơ, quá
hạn 2 hồ sơ". So a number takes its field from the nearest label before it, read in the
group that is open there ("quá hạn" is resolved_late after "đã giải quyết" but
pending_overdue after "đang giải quyết"); or from the label right after it when the text
puts the number first ("24.458 hồ sơ trực tuyến", "còn 03 hồ sơ đang giải quyết").

A number with no label near it, or counting something else ("119 TTHC", "663 người"), is
not a dossier figure. Numbers in an itemized list ("chứng thực 1.790; hộ tịch 391; …") are
items of a breakdown, not fields. A total announced without a number ("Tổng số hồ sơ đã
giải quyết: Trong đó:") is recorded as missing, never as zero.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from extractors.extract.counts import read_count
from extractors.extract.models import (
    Figure,
    FigureResult,
    Foreign,
    FoundBreakdown,
    FoundMissing,
    Item,
    PeriodIndex,
)
from extractors.extract.scopes import other_unit_named
from extractors.extract.structure import HEADING_LEVELS, line_levels
from rules.labels import Label, labels, vocabulary
from rules.phrasing import alternation, connectives
from schemas import Text
from textkit.forms import match_form
from textkit.numbers import NUMERAL, parse_count

Span = tuple[int, int]


class _Patterns:
    """The patterns of this module, built once from rules/connectives.toml and vocabulary.toml
    (the shapes are here, the words are data)."""

    def __init__(self) -> None:
        w = connectives().figures
        units = alternation(vocabulary().dossier_units)
        alt = alternation
        # Words right before a number that make it an index, not a count ("mức độ 3").
        self.not_count_before = regex.compile(rf"(?<![\p{{L}}]){alt(w.index_words)}\s*:?\s*$")
        # What stops the look to the right of a number for the label it belongs to.
        self.right_barrier = regex.compile(
            rf"[,;:.()\[\]|]|(?<![\p{{L}}]){alt(w.right_barriers)}(?![\p{{L}}])"
        )
        # A list that says it names only some items ("một số", "như:", "...").
        self.partial = regex.compile(rf"\.\.\.|…|(?<![\p{{L}}]){alt(w.partial_list)}")
        self.remaining = regex.compile(rf"(?<![\p{{L}}]){alt(w.remaining)}\s*$")
        self.trailing_count = regex.compile(
            rf"(?P<num>\d+(?:[.,]\d{{3}})*)\s*(?:{units})?\s*(?:\.{{1,3}}|…)?\s*$"
        )
        self.list_intro = regex.compile(rf"(?<![\p{{L}}]){alt(w.list_intro)}\s*:?\s*")
        self.item = regex.compile(
            r"^\s*(?:[-+]\s*)?(?P<name>[\p{L}][\p{L}\s\-&.,/]{0,60}?)\s*:?\s*"
            rf"(?P<num>\d+(?:[.,]\d{{3}})*)\s*(?:{units})?\s*(?:\.{{1,3}}|…|v\.v\.?)?\s*$"
        )
        self.clause_boundary = regex.compile(
            rf"(?<!\d)[,;:(]|[,;:](?!\d)|\.(?=\s)|(?<![\p{{L}}]){alt(w.clause_joiners)}(?![\p{{L}}])|^[-+•*]"
        )
        approx = alt(connectives().numbers.approx_before)
        # What may stand between a label and a unit-less number that ends its line.
        self.label_to_number = regex.compile(
            rf"[\s:=]*(?:(?:{alt(w.label_to_number)}|{approx})[\s:=]*)*"
        )
        self.total_before = regex.compile(rf"{alt(w.total_words)}\s+(?:hồ\s+sơ\s+)?(?:tthc\s+)?$")
        self.continuation_words = frozenset(w.continuation_words)
        self.continuation = regex.compile(rf"[ \t]*(?:{alt(w.continuation_prefixes)})")
        self.procedure = regex.compile(rf"[ \t]+{alt(w.procedures)}(?![\p{{L}}])")
        self.change_before = regex.compile(
            rf"(?<![\p{{L}}]){alt([*w.change_words, *w.equivalent])}[\s:]*(?:\(\s*)?$"
        )
        self.announced = regex.compile(
            rf"\s*(?:tthc|thủ\s+tục\s+hành\s+chính)?\s*{alt(w.announced_end)}\s*"
            rf"(?:{alt(w.announced_list)}\s*:?\s*)?$|\s*:\s*{alt(w.announced_list)}\s*:?"
        )
        field_word = alt(w.field_words)
        self.field_scope = regex.compile(
            rf"[-+•*]?\s*(?:{field_word}\s+)?(?P<name>[\p{{L}}\s\-&]{{2,40}}?)\s*:"
        )
        self.field_word = regex.compile(rf"^{field_word}\s+")
        scopes = connectives().scopes
        self.subset_of = regex.compile(rf"[\s\-+•*]*(?:{alt(scopes.subset_of)})(?![\p{{L}}])")
        self.has_before = regex.compile(r"(?<![\p{L}])có\s*:?\s*$")
        self.topic = regex.compile(rf"[\s\-+•*]*{alt(w.topic_openers)}\s+")
        self.field_word_text = regex.compile(rf"^(?i:{field_word})\s+")


@cache
def patterns() -> _Patterns:
    return _Patterns()


# A sentence holding ";": a "." between digits ("1.067") does not end it.
_SENTENCE_LIST = regex.compile(r"(?:[^.;]|\.(?=\d))*;(?:[^.]|\.(?=\d))*")
_FRACTION = regex.compile(
    r"(?<![\d.,/])(?P<a>\d+(?:[.,]\d{3})*)\s*/\s*(?P<b>\d+(?:[.,]\d{3})*)(?![\d/]|[.,]\d)"
)
_MAX_LABEL_GAP = 45
_MAX_UNIT_LABEL_GAP = 110  # a count with "hồ sơ" after it may sit further from its label


# Totals a report must give; announcing one without its number is a `missing` flag.
_REQUIRED = {"received_total", "resolved_total", "pending_total"}
_GROUP_TOTAL = {
    "received": "received_total",
    "resolved": "resolved_total",
    "pending": "pending_total",
}
JOINT_DOUBT = (
    'Một số được nêu chung cho cả tiếp nhận và giải quyết ("tiếp nhận và giải quyết …"); '
    "cần xem lại báo cáo trước khi đối chiếu."
)


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    label: Label


@dataclass(slots=True)
class Number:
    start: int
    end: int  # end of the numeral, or of its multiplier ("61,3 ngàn")
    value: int
    unit_end: int  # end of "hồ sơ" after it, or `end`
    dossier_unit: bool
    lead: int = -1  # where its words start: an approximation before it ("hơn 41.000")
    approx: bool = False
    bound: str | None = None  # "at_least" | "at_most" | None (see numbers.CountReading)

    def __post_init__(self) -> None:
        if self.lead < 0:
            self.lead = self.start


def label_hits(doc: Doc, key: str = "labels") -> list[Hit]:
    """The pipeline's label spans as Hits (character offsets), in order."""
    table = labels()
    return [Hit(s.start_char, s.end_char, table[s.label_]) for s in doc.spans[key]]


def _inside(spans: list[Span], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _overlaps(item: Item, items: list[Item]) -> bool:
    return any(item.start < o.end and o.start < item.end for o in items)


@cache
def _unit_patterns() -> tuple[regex.Pattern, regex.Pattern]:
    vocab = vocabulary()
    dossier = sorted(vocab.dossier_units, key=len, reverse=True)
    other = sorted((match_form(u) for u in vocab.other_units), key=len, reverse=True)
    return (
        regex.compile(rf"(?:{'|'.join(map(regex.escape, dossier))})(?![\p{{L}}\d])"),
        regex.compile(rf"(?:{'|'.join(map(regex.escape, other))})(?![\p{{L}}\d])"),
    )


def unit_after(match: str, end: int) -> tuple[int, bool | None]:
    """(end of the unit, True = dossiers / False = something else / None = no unit)."""
    rest = match[end : end + 40].split("\n", 1)[0]
    stripped = rest.lstrip()
    offset = end + len(rest) - len(stripped)
    dossier, other = _unit_patterns()
    m = dossier.match(stripped)
    if m:
        return offset + m.end(), True
    if other.match(stripped):
        return end, False
    return end, None


def find_numbers(
    text: Text, start: int, end: int, protected: list[Span], foreign: list[Foreign] = ()
) -> list[Number]:
    """Counts in text[start:end] that could be dossier figures of the unit: not an index, a
    date part, a change ("tăng 120 hồ sơ") or a figure of another unit (`foreign`)."""
    match = text.match
    pats = patterns()
    out = []
    for m in NUMERAL.finditer(match, start, end):
        if _inside(protected, m.start(), m.end()):
            continue
        if m.end() < len(match) and match[m.end()] == "/":
            continue  # a symbol or a ratio ("24/KH-UBND", "78/93")
        before = match[max(start, m.start() - 25) : m.start()]
        if pats.not_count_before.search(before):
            continue
        if regex.match(r"\s*$", before) and regex.match(r"[.)]", match[m.end() : m.end() + 1]):
            continue  # "1." at the start of a line is a list number
        reading = read_count(match, m.start(), m.end())
        if reading is None:
            continue
        if pats.change_before.search(match[max(start, reading.start - 30) : reading.start]):
            continue  # "tăng 9,6 ngàn hồ sơ so với quý II": a change, not a total
        if any(f.start <= m.start() < f.end for f in foreign):
            continue
        unit_end, dossier = unit_after(match, reading.end)
        if dossier is False:
            continue
        if dossier and pats.procedure.match(match, unit_end):
            continue  # "3 hồ sơ cấp sổ đỏ": the count of one procedure, not a total
        if not dossier and not _continues(match, reading.end):
            continue
        out.append(
            Number(
                m.start(),
                reading.end,
                reading.value,
                unit_end,
                bool(dossier),
                reading.start,
                reading.approx,
                reading.bound,
            )
        )
    return out


def _continues(match: str, end: int) -> bool:
    """Whether a unit-less number may be a figure: what follows is punctuation, the end,
    a label, or a word that continues the sentence, not a noun it counts."""
    word = regex.match(r"[ \t]*([\p{L}]+)", match[end : end + 30])
    return (
        word is None
        or word.group(1) in patterns().continuation_words
        or bool(patterns().continuation.match(match, end, end + 12))
    )


@dataclass
class _LineState:
    """Context carried from a line to the lines nested under it."""

    group: str | None = None
    group_level: int = 99
    scope: str = "all"
    scope_level: int = 99


@cache
def _field_names() -> list[tuple[str, str]]:
    """(spelling in match form, canonical field name), longest spelling first."""
    pairs = [
        (match_form(s), name) for name, spellings in vocabulary().fields.items() for s in spellings
    ]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def field_name(name: str) -> str | None:
    """The canonical field (lĩnh vực) a written name stands for, if it is one."""
    key = match_form(regex.sub(r"\s+", " ", name.strip(" :-+.,")))
    key = patterns().field_word.sub("", key)
    for spelling, canonical in _field_names():
        if key == spelling:
            return canonical
    return None


class FigureReader:
    """Reads the dossier figures of one document."""

    def __init__(
        self,
        text: Text,
        doc: Doc,
        periods: PeriodIndex,
        protected: list[Span],
        skip_lines: set[int] = frozenset(),
        foreign: list[Foreign] = (),
    ) -> None:
        self.text = text
        self.doc = doc
        self.periods = periods
        self.protected = protected
        self.skip_lines = skip_lines
        self.foreign = list(foreign)
        self.hits = label_hits(doc)
        self.sentence_ends = sorted(s.end_char for s in doc.sents)
        self.sentence_starts = sorted(s.start_char for s in doc.sents)
        self.result = FigureResult()

    # ---------------------------------------------------------------- driving
    def read(self) -> FigureResult:
        levels = line_levels(self.text)
        state = _LineState()
        hit_i = 0
        for idx, line in enumerate(self.text.lines):
            level = levels[idx]
            if level <= HEADING_LEVELS or level <= state.group_level:
                state.group, state.group_level = None, 99
            if level <= HEADING_LEVELS or level <= state.scope_level:
                state.scope, state.scope_level = "all", 99
            while hit_i < len(self.hits) and self.hits[hit_i].end <= line.start:
                hit_i += 1
            line_hits = []
            j = hit_i
            while j < len(self.hits) and self.hits[j].start < line.end:
                line_hits.append(self.hits[j])
                j += 1
            if idx in self.skip_lines:
                continue
            self._read_line(line.start, line.end, level, line_hits, state)
        return self.result

    # ---------------------------------------------------------------- one line
    def _read_line(
        self, start: int, end: int, level: int, hits: list[Hit], state: _LineState
    ) -> None:
        scope = self._line_scope(start, end, hits)
        if scope is not None:
            state.scope, state.scope_level = scope, level
        every = find_numbers(self.text, start, end, self.protected)
        numbers = [n for n in every if not self._foreign_at(n.start)]
        # a list of fields stays a list in a sentence about a part ("Trong số hồ sơ đã giải
        # quyết có: hộ tịch 120; chứng thực 310"): it itemizes the unit's own figure
        listed = [n for n in every if (f := self._foreign_at(n.start)) is None or f.subset]
        lists = self._breakdowns(start, end, listed, hits)
        in_list = [(i.start, i.end) for b in lists for i in b.items]
        numbers = [n for n in numbers if not _inside(in_list, n.start, n.end)]
        used: set[int] = set()  # hits already taken by a number as the words after it
        left_bound = start
        line_figures: list[Figure] = []
        for num in numbers:
            left = [
                h
                for h in hits
                if left_bound <= h.start and h.end <= num.start and id(h) not in used
            ]
            for h in left:
                self._open(h, state, level)
            found = self._assign(num, left, hits, used, state, level)
            if not found:
                found = self._like_previous_bracketed(num, line_figures)
            line_figures += found
            taken = [h.end for h in hits if id(h) in used]
            left_bound = max(num.unit_end, left_bound, *taken)
        for h in hits:
            if h.start >= left_bound and id(h) not in used:
                self._open(h, state, level)
        for b in lists:
            before = [f for f in line_figures if f.start < b.start]
            self._attach(b, before[-1] if before else None, state, line_figures)
        line_figures += self._fractions(start, end, hits, used, state, level)
        self.result.figures += line_figures
        self.result.breakdowns += lists
        self._missing(start, end, hits, numbers, state)

    def _fractions(
        self, start: int, end: int, hits: list[Hit], used: set[int], state: _LineState, level: int
    ) -> list[Figure]:
        """ "giải quyết 1.530/1.602 hồ sơ đã tiếp nhận": a fraction with no rate,
        whose denominator the words after it name, states two figures (the numerator takes
        the label before it)."""
        out: list[Figure] = []
        match = self.text.match
        for m in _FRACTION.finditer(match, start, end):
            if any(f.start <= m.start() < f.end for f in self.foreign):
                continue
            a, b = parse_count(m["a"]), parse_count(m["b"])
            unit_end, dossier = unit_after(match, m.end("b"))
            if a is None or b is None or a > b or not dossier:
                continue
            clause = regex.match(r"[^.;%\n]*(?:[.;\n]|$)", match[unit_end : unit_end + 120])
            if clause is None or "%" in match[unit_end : unit_end + len(clause[0]) + 1]:
                continue
            den = Number(m.start("b"), m.end("b"), b, unit_end, True)
            right = self._right_hits(den, hits)
            if not right or right[0].label.kind != "group":
                continue
            num = Number(m.start("a"), m.end("a"), a, m.end("a"), True)
            left = [h for h in hits if start <= h.start and h.end <= m.start()]
            named = [
                h
                for h in left
                if h.label.kind in ("group", "qualifier")
                and h.start >= self._sentence_begin(m.start())
            ]
            if not named or not self._may_name(named[-1], num):
                continue
            lab = named[-1].label
            num_field = lab.field_in(state.group) if lab.kind == "qualifier" else lab.field
            den_field = right[0].label.field
            if not num_field or not den_field or num_field == den_field:
                continue
            period = self.periods.at(m.start(), self._sentence_end(m.start()))
            quote = self._clause_start(named[-1].start)
            out.append(
                Figure(num_field, a, num.start, num.end, quote, m.end("a"), period, state.scope)
            )
            out.append(
                Figure(
                    den_field, b, den.start, den.end, m.start(), right[-1].end, period, state.scope
                )
            )
        return out

    def _open(self, h: Hit, state: _LineState, level: int) -> None:
        """A label seen on the left opens its group for what follows."""
        lab = h.label
        if lab.kind == "group":
            name = lab.name
        elif lab.kind == "qualifier" and (lab.opens or (state.group is None and lab.group)):
            name = lab.group
        else:
            return
        if name != state.group:  # re-naming the open group keeps it open at its own level
            state.group, state.group_level = name, level

    def _assign(
        self,
        num: Number,
        left: list[Hit],
        hits: list[Hit],
        used: set[int],
        state: _LineState,
        level: int,
    ) -> list[Figure]:
        """The field(s) a number states; [] when nothing names it as a dossier figure.

        The words right after "N hồ sơ" name it ("24.458 hồ sơ trực tuyến"), unless they
        only repeat a group while a label stands right before it ("tiếp nhận 100 hồ sơ giải
        quyết TTHC"); else the nearest label before it in its sentence; else, for a count of
        dossiers with nothing before it, a label further on in the sentence ("1.052 hồ sơ của
        các sở, ngành … trễ hạn")."""
        sentence_start = self._sentence_begin(num.lead)
        named = [
            h
            for h in left
            if h.label.kind in ("group", "qualifier", "joint") and h.start >= sentence_start
        ]
        right = self._right_hits(num, hits)
        adjacent = named[-1] if named and self._adjacent(named[-1], num) else None
        weak = False
        if right and (adjacent is None or any(h.label.kind != "group" for h in right)):
            fields = self._fields_from_right(num, right, state, level)
            for h in right:
                used.add(id(h))
            quote_start, quote_end = num.lead, max(h.end for h in right)
        elif named:
            nearest = named[-1]
            if not self._may_name(nearest, num):
                return []
            lab = nearest.label
            if lab.kind == "joint":
                fields, weak = list(lab.joint), True
            elif lab.kind == "qualifier":
                f = lab.field_in(state.group)
                fields = [f] if f else []
            else:
                fields = [self._qualified_group(nearest, named) or lab.field]
                fields = [f for f in fields if f]
            quote_start, quote_end = self._clause_start(nearest.start), num.unit_end
            if self._field_before(nearest, num) and not self._bracketed_field(num):
                return []  # "Các hồ sơ trễ hạn gồm: đất đai 1": an item, not the unit's total
        else:
            far = self._far_right(num, hits) if num.dossier_unit else []
            if not far:
                return []
            fields = self._fields_from_right(num, far, state, level)
            if not fields:
                return []
            for h in far:
                used.add(id(h))
            quote_start, quote_end = num.lead, max(h.end for h in far)
        if self._part_of_same(num, fields, state):
            return []
        fields = [self._topic_field(num, f) for f in fields]
        period = self.periods.at(num.start, self._sentence_end(num.start))
        scope = self._bracketed_field(num) or state.scope
        return [
            Figure(
                f,
                num.value,
                num.start,
                num.end,
                quote_start,
                quote_end,
                period,
                scope,
                approx=num.approx,
                bound=num.bound,
                weak=weak,
                doubt=JOINT_DOUBT if weak else None,
            )
            for f in fields
        ]

    def _topic_field(self, num: Number, field: str) -> str:
        """ "Về hồ sơ trực tuyến, … UBND thành phố tiếp nhận 581 hồ sơ": a sentence opened on
        a part names what its group totals count (581 received online)."""
        begin = self._sentence_begin(num.lead)
        topic = patterns().topic.match(self.text.match, begin, num.lead)
        if topic is None:
            return field
        first = NUMERAL.search(self.text.match, topic.end(), num.lead)
        stop = first.start() if first else num.lead
        quals = [
            h.label
            for h in self.hits
            if topic.end() <= h.start and h.end <= stop and h.label.kind == "qualifier"
        ]
        if not quals or field not in _GROUP_TOTAL.values():
            return field
        group = next(g for g, total in _GROUP_TOTAL.items() if total == field)
        return dict(quals[0].fields).get(group, field)

    def _part_of_same(self, num: Number, fields: list[str], state: _LineState) -> bool:
        """ "Trong tổng số hồ sơ trễ hạn có 164 hồ sơ trễ hạn thực tế …": a count the
        sentence says of the very figure it opens on is a part of it, not that figure."""
        begin = self._sentence_begin(num.lead)
        head = patterns().subset_of.match(self.text.match, begin, num.lead)
        if head is None or not fields:
            return False
        if not patterns().has_before.search(self.text.match[head.end() : num.lead]):
            return False
        first = NUMERAL.search(self.text.match, head.end(), num.lead)
        head_end = first.start() if first else num.lead
        group, head_field = state.group, None
        for h in self.hits:
            if head.end() <= h.start and h.end <= head_end:
                if h.label.kind == "group":
                    group, head_field = h.label.name, h.label.field
                elif h.label.kind == "qualifier":
                    head_field = h.label.field_in(group)
        return head_field is not None and head_field in fields

    def _field_before(self, label: Hit, num: Number) -> str | None:
        """The field named right before a number, after its label ("… gồm: đất đai 1")."""
        gap = self.text.match[label.end : num.lead].rstrip(" :")
        words = gap.split()
        for n in range(min(6, len(words)), 0, -1):
            name = field_name(" ".join(words[-n:]))
            if name:
                return name
        return None

    def _foreign_at(self, offset: int) -> Foreign | None:
        return next((f for f in self.foreign if f.start <= offset < f.end), None)

    def _sentence_begin(self, offset: int) -> int:
        i = bisect_right(self.sentence_starts, offset) - 1
        return self.sentence_starts[i] if i >= 0 else 0

    def _adjacent(self, h: Hit, num: Number) -> bool:
        """A label right before the number ("tiếp nhận hơn 100.000")."""
        gap = self.text.match[h.end : num.lead]
        return bool(regex.fullmatch(r"[\s:]*(?:(?:là|được|có|đã)[\s:]*)?", gap))

    def _may_name(self, label: Hit, num: Number) -> bool:
        """Whether the label before a number, in its sentence, can be the number's: near
        enough, not beyond a ";", and not outside a bracket the number sits in ("Công an
        tỉnh (420 hồ sơ)" is another unit's count) unless the bracket follows a field's name
        or the label itself ("quá hạn (05 hồ sơ)")."""
        match = self.text.match
        gap = match[label.end : num.lead]
        limit = _MAX_UNIT_LABEL_GAP if num.dossier_unit else _MAX_LABEL_GAP
        if len(gap) > limit or regex.search(r";|\.(?!\d)", gap):
            return False
        if other_unit_named(match, self.text.text, label.end, num.lead):
            return False  # "… nhiều nhất là: Sở Giao thông vận tải 829 HS": that agency's
        opened = gap.rfind("(")
        in_bracket = opened >= 0 and ")" not in gap[opened:] and bool(gap[:opened].strip())
        if in_bracket and self._bracketed_field(num) is None:
            return False
        # "… giải quyết TTHC 1.": a flattened table's next item number
        return (
            num.dossier_unit
            or not self._ends_line(num)
            or bool(patterns().label_to_number.fullmatch(gap))
        )

    def _qualified_group(self, group: Hit, named: list[Hit]) -> str | None:
        """ "hồ sơ quá hạn đã giải quyết là 2.534": a qualifier written right before its
        group's words names the field within that group (resolved_late, not the total)."""
        before = [h for h in named if h.end <= group.start and h.label.kind == "qualifier"]
        if not before:
            return None
        q = before[-1]
        between = self.text.match[q.end : group.start]
        if not regex.fullmatch(r"[\s]*(?:(?:hồ\s+sơ|hs|đã|được|là|nhưng)[\s]*)*", between):
            return None
        mapping = dict(q.label.fields)
        return mapping.get(group.label.name)

    def _far_right(self, num: Number, hits: list[Hit]) -> list[Hit]:
        """The first label later in the sentence, before any other number, ";", "(" or a new
        clause about other dossiers (", hồ sơ …")."""
        match = self.text.match
        stop = self._sentence_end(num.unit_end) or len(match)
        nxt = NUMERAL.search(match, num.unit_end, stop)
        if nxt:
            stop = nxt.start()
        cut = regex.search(
            r"[;(]|,\s*(?:số\s+)?(?:hồ\s+sơ|hs)(?![\p{L}])", match[num.unit_end : stop]
        )
        if cut:
            stop = num.unit_end + cut.start()
        found = [
            h
            for h in hits
            if num.unit_end <= h.start < stop and h.label.kind in ("group", "qualifier")
        ]
        if not found or len(match[num.unit_end : found[0].start].split()) > 14:
            return []
        return found[:1]

    def _fields_from_right(
        self, num: Number, right: list[Hit], state: _LineState, level: int
    ) -> list[str]:
        """ "24.458 hồ sơ trực tuyến": the words after the number name it. After "còn" the
        number is the group's total and its qualifier at once ("còn 03 hồ sơ đang giải
        quyết đúng hạn": 3 pending, all 3 in time)."""
        groups = [h.label for h in right if h.label.kind == "group"]
        # "897 hồ sơ giải quyết quá hạn đang xử lý": still being processed wins
        group = next((g for g in groups if g.name == "pending"), groups[0] if groups else None)
        qual = next((h.label for h in right if h.label.kind == "qualifier"), None)
        if group is not None:
            state.group, state.group_level = group.name, level
        if qual is None:
            return [group.field] if group is not None and group.field else []
        f = qual.field_in(group.name if group else state.group)
        fields = [f] if f else []
        remaining = patterns().remaining.search(self.text.match[max(0, num.start - 12) : num.start])
        pending = group is not None and group.name == "pending"
        if pending and group.field and remaining and group.field not in fields:
            fields.insert(0, group.field)
        return fields

    def _clause_start(self, offset: int) -> int:
        """Start of the clause holding `offset`, for a readable quote."""
        window_start = max(0, offset - 80)
        line_start = self.text.lines[self.text.line_index(offset)].start
        window_start = max(window_start, line_start)
        cut = None
        window = self.text.match[window_start:offset]
        for m in patterns().clause_boundary.finditer(window):
            cut = m.end()
        if cut is None and window_start > line_start:
            space = window.find(" ")
            cut = space + 1 if space >= 0 else 0
        return window_start + (cut or 0)

    def _ends_line(self, num: Number) -> bool:
        return bool(regex.match(r"\.?[ \t]*(?:\n|$)", self.text.match[num.end : num.end + 4]))

    def _like_previous_bracketed(self, num: Number, line_figures: list[Figure]) -> list[Figure]:
        """ "đất đai (05 hồ sơ) và xây dựng (02 hồ sơ)": the second bracketed count of a
        sentence is the same figure for the next field."""
        scope = self._bracketed_field(num)
        prev = line_figures[-1] if line_figures else None
        if scope is None or prev is None or prev.scope in ("all", "lien_thong"):
            return []
        if self._sentence_end(prev.start) != self._sentence_end(num.start):
            return []
        return [
            Figure(
                prev.field,
                num.value,
                num.start,
                num.end,
                num.start,
                num.unit_end,
                prev.period,
                scope,
            )
        ]

    def _bracketed_field(self, num: Number) -> str | None:
        """ "đất đai (05 hồ sơ)": a count in brackets right after a field's name is that
        field's figure, not a second value for the whole unit."""
        match = self.text.match
        if not regex.search(r"\(\s*$", match[max(0, num.lead - 3) : num.lead]):
            return None
        before = match[max(0, num.lead - 50) : num.lead].rstrip(" (")
        words = before.split()
        for n in range(min(6, len(words)), 0, -1):
            name = field_name(" ".join(words[-n:]))
            if name:
                return name
        return None

    def _right_hits(self, num: Number, hits: list[Hit]) -> list[Hit]:
        """Labels right after "N hồ sơ" that say what N counts, up to a barrier."""
        match = self.text.match
        barrier = patterns().right_barrier.search(match, num.unit_end, num.unit_end + 80)
        stop = barrier.start() if barrier else num.unit_end + 80
        nxt = NUMERAL.search(match, num.unit_end, stop)
        if nxt:
            stop = nxt.start()
        found = [
            h
            for h in hits
            if num.unit_end <= h.start < stop and h.label.kind in ("group", "qualifier")
        ]
        if not found:
            return []
        gap = match[num.unit_end : found[0].start]
        if len(gap.split()) > 3:
            return []
        return found

    def _sentence_end(self, offset: int) -> int | None:
        for e in self.sentence_ends:
            if e > offset:
                return e
        return None

    # ---------------------------------------------------------------- scope
    def _line_scope(self, start: int, end: int, hits: list[Hit]) -> str | None:
        """A line about liên thông dossiers (or another scope of labels.toml: the dossiers
        under the unit's own authority), or about one field ("- Hộ tịch: …")."""
        scope = next((h.label.name for h in hits if h.label.kind == "scope"), None)
        if scope is not None:
            return scope
        m = patterns().field_scope.match(self.text.match, start, end)
        if m:
            name = field_name(m["name"])
            if name:
                return name
        return None

    # ---------------------------------------------------------------- breakdowns
    def _breakdowns(
        self, start: int, end: int, numbers: list[Number], hits: list[Hit]
    ) -> list[FoundBreakdown]:
        """Itemized lists: innermost parentheses, or what follows "trong đó:" / "như:"."""
        out: list[FoundBreakdown] = []
        for seg_start, seg_end in self._list_segments(start, end):
            items = self._items(seg_start, seg_end, numbers, hits)
            if len(items) < 2 or any(_overlaps(i, b.items) for b in out for i in items):
                continue
            partial = bool(
                patterns().partial.search(self.text.match[max(start, seg_start - 30) : seg_end + 5])
            )
            period = self.periods.at(seg_start, self._sentence_end(seg_start))
            out.append(
                FoundBreakdown(
                    None,
                    None,
                    items,
                    partial,
                    items[0].start,
                    items[-1].end,
                    period,
                    "all",
                    lead_start=self._sentence_start(start, seg_start),
                )
            )
        return out

    def _list_segments(self, start: int, end: int) -> list[Span]:
        match = self.text.match
        segments = []
        for m in regex.finditer(r"\(([^()]*)\)", match[start:end]):
            segments.append((start + m.start(1), start + m.end(1)))
        # an unclosed "(" whose list runs to the end of the clause
        for m in regex.finditer(r"\(([^()]*?)(?:;\s*(?=[^;]*$)|$)", match[start:end]):
            s = start + m.start(1)
            if not any(a <= s < b for a, b in segments):
                segments.append((s, start + m.end(1)))
        for m in _SENTENCE_LIST.finditer(match[start:end]):
            s_, e_ = start + m.start(), start + m.end()
            if not any(a <= s_ < b for a, b in segments):
                segments.append((s_, e_))  # "… quá hạn thuộc lĩnh vực hộ tịch 02; đất đai 02; …"
        for m in patterns().list_intro.finditer(match, start, end):
            stop = regex.search(r"[.](?:\s|$)|$", match[m.end() : end])
            seg_end = m.end() + (stop.start() if stop else end - m.end())
            if not any(a <= m.end() < b for a, b in segments):
                segments.append((m.end(), seg_end))
        return segments

    def _sentence_start(self, line_start: int, offset: int) -> int:
        """Where the sentence holding `offset` begins (its lead-in names what a list is of)."""
        cut = line_start
        for m in regex.finditer(r"\.\s|;", self.text.match[line_start:offset]):
            cut = line_start + m.end()
        return cut

    def _items(self, start: int, end: int, numbers: list[Number], hits: list[Hit]) -> list[Item]:
        """ "Name Number" items separated by ";" (or "," when no ";" is used). Every part
        that holds a count must be such an item, or the segment is not a list. The first
        part may open with a lead-in that says what is listed ("hồ sơ quá hạn thuộc lĩnh
        vực hộ tịch 02; …"); its name is then the known field right before the number."""
        segment = self.text.match[start:end]
        if ";" not in segment:
            return self._split_items(start, segment, ",", numbers, hits)
        items = self._split_items(start, segment, ";", numbers, hits)
        if items:
            return items
        # "gồm: chứng thực 02, hộ tịch 01, do …; UBND xã …": a "," list ending at the ";"
        head = segment[: segment.index(";")]
        return self._split_items(start, head, ",", numbers, hits)

    def _split_items(
        self, start: int, segment: str, sep: str, numbers: list[Number], hits: list[Hit]
    ) -> list[Item]:
        items: list[Item] = []
        pos = start
        for k, part in enumerate(segment.split(sep)):
            part_start, part_end = pos, pos + len(part)
            pos = part_end + 1
            counts = [n for n in numbers if part_start <= n.start < part_end]
            found = self._plain_item(part, part_start, hits)
            if found is None and k == 0:
                found = self._lead_item(part, part_start)
            if found is None:
                if counts:
                    return []
                continue
            name_start, name_end, num_start, num_end = found
            value = parse_count(self.text.match[num_start:num_end])
            if value is None or [n.start for n in counts] != [num_start]:
                return []
            name = patterns().field_word_text.sub(
                "", self.text.text[name_start:name_end].strip(" :-+.,")
            )
            items.append(Item(name, value, name_start, num_end))
        return items

    @staticmethod
    def _spans(m, offset: int) -> tuple[int, int, int, int]:
        return (
            offset + m.start("name"),
            offset + m.end("name"),
            offset + m.start("num"),
            offset + m.end("num"),
        )

    def _plain_item(
        self, part: str, offset: int, hits: list[Hit]
    ) -> tuple[int, int, int, int] | None:
        """A part that is only a name and a count ("hộ tịch 391", "Thanh Hải 01")."""
        m = patterns().item.match(part)
        if not m:
            return None
        spans = self._spans(m, offset)
        if any(
            h.start < spans[1] and h.end > spans[0] and h.label.kind in ("group", "qualifier")
            for h in hits
        ):
            return None  # labels, not names: "(Trực tuyến: 24 hồ sơ, …)" is not an item list
        return spans

    def _lead_item(self, part: str, offset: int) -> tuple[int, int, int, int] | None:
        m = patterns().trailing_count.search(part)
        if not m:
            return None
        words = list(regex.finditer(r"\S+", part[: m.start()]))
        for n in range(min(6, len(words)), 0, -1):
            name_start, name_end = words[-n].start(), words[-1].end()
            if field_name(part[name_start:name_end]):
                return (
                    offset + name_start,
                    offset + name_end,
                    offset + m.start("num"),
                    offset + m.end("num"),
                )
        return None

    def _attach(
        self,
        b: FoundBreakdown,
        before: Figure | None,
        state: _LineState,
        line_figures: list[Figure],
    ) -> None:
        """What a list itemizes: the figure before it, or its group's total when that is
        what the items add up to ("quá hạn: 04 hồ sơ (chứng thực 1.790; hộ tịch 391; …)")."""
        b.scope = state.scope
        if before is None:
            self._attach_by_lead(b, state, line_figures)
            return
        total = sum(i.value for i in b.items)
        candidates = [before]
        group_total = _group_total(before.field)
        if group_total and group_total != before.field:
            same = [
                f
                for f in self.result.figures + line_figures
                if f.field == group_total and f.period == before.period and f.scope == before.scope
            ]
            candidates += same[-1:]
        chosen = next((c for c in candidates if c.value == total), before)
        b.of, b.total, b.period = chosen.field, chosen.value, chosen.period

    def _attach_by_lead(
        self, b: FoundBreakdown, state: _LineState, line_figures: list[Figure]
    ) -> None:
        """A list with no figure before it on its line is of the figure its lead-in names
        ("Hồ sơ giải quyết quá hạn thuộc lĩnh vực …" itemizes resolved_late)."""
        group, field = state.group, None
        for h in self.hits:
            if b.lead_start <= h.start and h.end <= b.start:
                if h.label.kind == "group":
                    group, field = h.label.name, h.label.field
                elif h.label.kind == "qualifier":
                    field = h.label.field_in(group)
        if field is None:
            return
        known = [
            f
            for f in self.result.figures + line_figures
            if f.field == field and f.period == b.period and f.scope == b.scope
        ]
        b.of, b.total = field, known[-1].value if known else None

    # ---------------------------------------------------------------- missing
    def _missing(
        self, start: int, end: int, hits: list[Hit], numbers: list[Number], state: _LineState
    ) -> None:
        """A group total announced and left without its number ("…đã giải quyết: Trong đó:")."""
        match = self.text.match
        for h in hits:
            if h.label.kind != "group" or h.label.field not in _REQUIRED:
                continue
            after = match[h.end : end]
            m = patterns().announced.match(after)
            if not m:
                continue
            if any(h.end <= n.start < h.end + m.end() for n in numbers):
                continue
            if not patterns().total_before.search(match[max(start, h.start - 40) : h.start]):
                continue  # "…trong giải quyết TTHC:" is a heading, not an announced total
            period = self.periods.at(h.start, self._sentence_end(h.start))
            quote_start = regex.search(
                r"(?:tổng\s+số|số)\s+(?:hồ\s+sơ\s+)?[^:]*$", match[start : h.start]
            )
            qs = start + quote_start.start() if quote_start else h.start
            self.result.missing.append(
                FoundMissing(h.label.field, qs, h.end + m.end(), period, state.scope)
            )


def _group_total(field_name_: str) -> str | None:
    prefix = field_name_.split("_", 1)[0]
    return _GROUP_TOTAL.get(prefix)


def read_figures(
    text: Text,
    doc: Doc,
    periods: PeriodIndex,
    protected: list[Span],
    skip_lines: set[int] = frozenset(),
    foreign: list[Foreign] = (),
) -> FigureResult:
    """All dossier figures, breakdowns and announced-but-missing totals of a document;
    numbers in `foreign` stretches (another unit's, a part's) are never the unit's figures."""
    return FigureReader(text, doc, periods, protected, skip_lines, foreign).read()


@Language.component("tthc_figures")
def figure_reader(doc: Doc) -> Doc:
    """Dossier figures in running text, outside claimed spans and the tables' rows; the
    tables' figures come first."""
    readings = doc._.tthc
    tables = readings.tables
    found = read_figures(
        doc._.text,
        doc,
        readings.index,
        doc._.claimed,
        skip_lines=tables.lines if tables else frozenset(),
        foreign=readings.foreign,
    )
    found.figures = (tables.figures if tables else []) + found.figures
    readings.figures = found
    return doc
