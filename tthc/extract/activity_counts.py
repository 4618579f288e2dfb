"""Counts of what a commune did besides handling dossiers, each with its evidence.

An inspection notice covers, area by area, what the inspected units did: procedures
published and reviewed, petitions received and handled, online services offered and paid
online, satisfaction surveys, the one-stop desk's staff, news posts. Reports state these as
counts in running text ("đang công khai 128 TTHC", "Mức độ 3: 65, Mức độ 4: 43", "không
nhận được phản ánh, kiến nghị nào"). This reader finds them. What a number counts, which
words name the activity and what rules a reading out are data in tthc/rules/activities.toml,
whose header describes the reading step by step.

Only counts: the rates that go with them (online payment, satisfaction) are the rate
reader's. A count belongs to the period that governs its place in the text (PeriodIndex)
and to the whole unit (scope "all"); a count of another unit, of something else (money,
households, a rank) or an index ("mức độ 3") is never one of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.readings import Figure, PeriodIndex, TableFigures
from tthc.rules.activities import (
    RULES_FILE,
    ActorRule,
    BlockerRule,
    JointRule,
    MetricRule,
    RulesFile,
    UnitRule,
    read_rules_file,
)
from tthc.rules.phrasing import RulesError
from tthc.schemas import Text
from tthc.schemas import Unit as ReportingUnit
from tthc.textkit.forms import compile_vi, match_form
from tthc.textkit.numbers import NUMERAL, parse_count, parse_decimal

Span = tuple[int, int]

_WORD_BEFORE = r"(?<![\p{L}\d])"
_WORD_AFTER = r"(?![\p{L}\d])"
# What ends the stretch after a count that still speaks of it.
_BARRIER = compile_vi(r"[,;:.()\[\]|]|\btrong\s+đó\b|\bvà\b|\bgồm\b")
# What may follow a count written without its unit ("Mức độ 3: 65, …", "đã giải quyết 02.").
_BARE_END = compile_vi(r"[ \t]*(?:[,;.:)\]|]|và(?![\p{L}])|trong\s+đó|\n|$)")
_LIST_MARKER = regex.compile(r"[.)](?:\s|$)")
_YEAR = regex.compile(r"(?:19|20)\d\d")
_RANGE_BEFORE = regex.compile(r"\d\s*[-–]\s*$")
_RATIO_OR_RATE = regex.compile(r"\s*[/%]")
# Before a unit word that names what a bare count counts: a label, or the count it follows.
_LABEL_BEFORE = compile_vi(r"(?<![\p{L}])(?:tổng\s+số|số\s+lượng|số|tổng)\s+$")
_COUNT_BEFORE = regex.compile(r"\d+(?:[.,]\d{3})*\s+$")
_LABEL_TO_NUMBER = compile_vi(r"\s*(?::|=|là)?\s*")
_ENDS_LINE = regex.compile(r"\.?[ \t]*(?:\n|$)")
_PAIRED = compile_vi(r"\s*(?:,|và|hoặc)\s*\p{L}")  # "tin bài, văn bản": two things counted


# ---------------------------------------------------------------------------- compiled rules
def phrase_pattern(phrase: str) -> str:
    """A rules-file phrase as a regex: ", " allows any spacing around the comma, a space
    any run of white space, and the phrase matches whole words only."""
    return f"{_WORD_BEFORE}(?:{_body(phrase)}){_WORD_AFTER}"


def _body(phrase: str) -> str:
    return phrase.replace(", ", r"\s*,\s*").replace(" ", r"\s+")


def _alternation(phrases: list[str]) -> str:
    """Whole-word alternatives, longest first (the word bounds written once: the `regex`
    module parses patterns in Python, and a bound per alternative makes loading slow)."""
    alternatives = "|".join(_body(p) for p in sorted(phrases, key=len, reverse=True))
    return f"{_WORD_BEFORE}(?:{alternatives}){_WORD_AFTER}"


@dataclass(frozen=True)
class Unit:
    name: str
    implies: str | None
    default: str | None
    not_followed_by: regex.Pattern | None


@dataclass(frozen=True)
class Metric:
    key: str
    units: frozenset[str]
    cues: regex.Pattern | None
    vetoes: regex.Pattern | None
    zero: regex.Pattern | None
    topic: regex.Pattern | None
    additive: bool


@dataclass(frozen=True)
class Phrases:
    """A blocker (no keys) or a joint cue (several keys): words that decide a count."""

    name: str
    keys: tuple[str, ...]
    units: frozenset[str]
    phrases: regex.Pattern


@dataclass(frozen=True)
class Rules:
    left_window: int
    approx_before: regex.Pattern
    multiplier: regex.Pattern
    multipliers: dict[str, int]
    not_count_before: regex.Pattern
    part_markers: regex.Pattern
    fillers: regex.Pattern
    named: regex.Pattern
    unit_words: regex.Pattern  # every unit word, longest first; group u<i> is units[i]
    units: tuple[Unit, ...]
    metrics: dict[str, Metric]
    phrases: tuple[Phrases, ...]
    own: regex.Pattern | None
    other: regex.Pattern | None

    def metrics_for(self, unit: str) -> list[Metric]:
        return [m for m in self.metrics.values() if unit in m.units]

    def phrases_for(self, unit: str) -> list[Phrases]:
        return [b for b in self.phrases if unit in b.units]


def _compile(pattern: str, where: str, path: Path) -> regex.Pattern:
    try:
        return compile_vi(pattern)
    except regex.error as exc:
        raise RulesError(f"{path.name}: {where}: bad pattern ({exc})") from exc


def load_rules(path: Path = RULES_FILE) -> Rules:
    """Read, check and compile the rules file; any mistake is a RulesError naming the file
    and the entry."""
    return _build(read_rules(path), path)


def read_rules(path: Path = RULES_FILE) -> RulesFile:
    """Read and check the rules file against its schema (compiling comes later)."""
    return read_rules_file(path)


def _build(data: RulesFile, path: Path) -> Rules:
    units = [r for r in data.rule if isinstance(r, UnitRule)]
    metrics = [r for r in data.rule if isinstance(r, MetricRule)]
    metric_keys = {m.key for m in metrics}

    s = data.settings
    where = "[settings]"
    words: list[tuple[str, int]] = []
    compiled_units = []
    for i, u in enumerate(units):
        nfb = (
            _compile(rf"\s+{_alternation(u.not_followed_by)}", f"unit {u.name}", path)
            if u.not_followed_by
            else None
        )
        compiled_units.append(Unit(u.name, u.implies, u.default, nfb))
        words += [(w, i) for w in u.words]
    words.sort(key=lambda t: -len(t[0]))
    unit_words = _compile(
        f"{_WORD_BEFORE}(?:"
        + "|".join(f"(?P<u{i}_{k}>{_body(w)})" for k, (w, i) in enumerate(words))
        + f"){_WORD_AFTER}",
        "units",
        path,
    )

    def optional(phrases: list[str], where: str) -> regex.Pattern | None:
        return _compile(_alternation(phrases), where, path) if phrases else None

    compiled_metrics = {
        m.key: Metric(
            key=m.key,
            units=frozenset(m.units),
            cues=optional(m.cues, f"metric {m.key} cues"),
            vetoes=optional(m.vetoes, f"metric {m.key} vetoes"),
            zero=optional(m.zero, f"metric {m.key} zero"),
            topic=optional(m.topic, f"metric {m.key} topic"),
            additive=m.additive,
        )
        for m in metrics
    }
    for j in data.rule:
        for key in getattr(j, "metrics", []):
            if key not in metric_keys:
                raise RulesError(f"{path.name}: [[rule]] joint {j.name}: unknown metric {key!r}")
    phrases = tuple(
        Phrases(
            b.name,
            tuple(getattr(b, "metrics", ())),
            frozenset(b.units),
            _compile(_alternation(b.phrases), b.name, path),
        )
        for b in data.rule
        if isinstance(b, BlockerRule | JointRule)
    )
    actors = {"own": [], "other": []}
    for a in data.rule:
        if isinstance(a, ActorRule):
            actors[a.role] += a.phrases
    levels = "|".join(p.replace(" ", r"\s+") for p in sorted(s.named_levels, key=len, reverse=True))
    syllable = r"\p{Lu}\p{Ll}*"
    return Rules(
        left_window=s.left_window,
        approx_before=_compile(rf"(?:{_alternation(s.approx_before)})\s+$", where, path),
        multiplier=_compile(rf"\s+(?P<m>{_alternation(list(s.multipliers))})", where, path),
        multipliers={match_form(k): v for k, v in s.multipliers.items()},
        not_count_before=_compile(rf"(?:{_alternation(s.not_count_before)})\s*:?\s*$", where, path),
        part_markers=_compile(_alternation(s.part_markers), where, path),
        fillers=_compile(rf"[ \t]*(?:{_alternation(s.right_fillers)})", where, path),
        named=_compile(
            rf"(?<![\p{{L}}])(?i:(?P<level>{levels}))\s+"
            rf"(?P<name>{syllable}(?:[ \-]{syllable}){{0,3}}|\d{{1,2}})(?![\p{{L}}\d])",
            where,
            path,
        ),
        unit_words=unit_words,
        units=tuple(compiled_units),
        metrics=compiled_metrics,
        phrases=phrases,
        own=optional(actors["own"], "actor own"),
        other=optional(actors["other"], "actor other"),
    )


@cache
def rules() -> Rules:
    """The shipped rules, compiled once per process: at import, so that the batch's forked
    workers share them instead of each compiling its own."""
    return load_rules()


ACTIVITY_KEYS: frozenset[str] = frozenset(rules().metrics)


# ---------------------------------------------------------------------------- reading
@dataclass(slots=True)
class ActivityFigure(Figure):
    """A Figure of Period.metrics; `approx` (Figure's) marks "hơn 1.200 phiếu"."""


@dataclass(slots=True)
class _Count:
    """A number that counts something, with what it counts."""

    start: int
    end: int  # end of the number (its multiplier included)
    value: int
    unit: Unit
    unit_start: int
    unit_end: int  # end of the unit word, or of the number when the unit was before it
    own_unit: bool  # the unit word follows the number
    approx: bool
    quote_start: int


@dataclass(slots=True)
class _Cue:
    start: int
    end: int
    keys: tuple[str, ...]  # the metrics it names; none for a blocker


@dataclass
class _Sentence:
    start: int
    end: int
    figures: list[tuple[_Count, ActivityFigure]] = field(default_factory=list)
    consumed: int = 0  # where the last count's own words end: a cue before it is spent


class ActivityReader:
    """Reads the activity counts of one document."""

    def __init__(
        self,
        text: Text,
        doc: Doc,
        periods: PeriodIndex,
        protected: list[Span],
        unit: ReportingUnit | None = None,
        tables: TableFigures | None = None,
    ) -> None:
        self.tables = tables
        self.text = text
        self.match = text.match
        self.doc = doc
        self.periods = periods
        self.protected = protected
        self.rules = rules()
        self.own_name = match_form(unit.name) if unit and unit.name else None
        self.found: list[ActivityFigure] = []

    def read(self) -> list[ActivityFigure]:
        for sent in self.doc.sents:
            start, end = sent.start_char, sent.end_char
            chunk = self.match[start:end]
            if not regex.search(r"\d|không", chunk):
                continue
            self._read_sentence(_Sentence(start, end, consumed=start))
        return self.found

    # ------------------------------------------------------------------ one sentence
    def _read_sentence(self, s: _Sentence) -> None:
        for m in self.rules.metrics.values():
            if m.zero is None:
                continue
            for z in m.zero.finditer(self.match, s.start, s.end):
                if self._protected(z.start(), z.end()) or self._other_actor(s.start, z.start()):
                    continue
                period = self.periods.at(z.start(), s.end)
                self.found.append(
                    ActivityFigure(m.key, 0, z.start(), z.end(), z.start(), z.end(), period, "all")
                )
        previous_end = s.start
        for num in NUMERAL.finditer(self.match, s.start, s.end):
            count = self._count(num, s)
            if count is None:
                continue
            self._assign(count, s, previous_end)
            previous_end = count.unit_end if count.own_unit else count.end

    def _count(self, num: regex.Match, s: _Sentence) -> _Count | None:
        """The number as a count of something, or None (an index, a ratio, a rate, a date…)."""
        start, end = num.span()
        match = self.match
        if self._protected(start, end):
            return None
        if match[max(0, start - 1) : start] == "/" or _RATIO_OR_RATE.match(match, end):
            return None  # "40/52", "36,5%"
        if _RANGE_BEFORE.search(match[max(0, start - 4) : start]):
            return None  # "2022-2025"
        line = self.text.lines[self.text.line_index(start)]
        before_line = match[line.start : start]
        if not before_line.strip(" \t-+•*") and _LIST_MARKER.match(match, end):
            return None  # "1. " opening a line is a list number
        before = match[max(s.start, start - 30) : start]
        if self.rules.not_count_before.search(before):
            return None
        value: float | int | None = parse_count(num.group())
        window = max(s.start, start - 15)
        word = self.rules.approx_before.search(match[window:start])
        approx = word is not None
        quote_start = window + word.start() if word else start
        mult = self.rules.multiplier.match(match, end, s.end)
        if mult:
            decimal = parse_decimal(num.group())
            if decimal is None:
                return None
            value = round(decimal[0] * self.rules.multipliers[match_form(mult["m"])])
            end, approx = mult.end(), True
        if value is None:
            return None
        found = self._unit_after(end, s.end)
        if found is not None:
            unit, unit_start, unit_end = found
            return _Count(
                start, end, int(value), unit, unit_start, unit_end, True, approx, quote_start
            )
        if not _BARE_END.match(match, end, s.end) or _YEAR.fullmatch(num.group()):
            return None
        ends_line = bool(_ENDS_LINE.match(match, end))
        before_unit = self._unit_before(max(s.start, start - 200), start, s.start, ends_line)
        if before_unit is None:
            return None
        unit, unit_start, unit_end = before_unit
        return _Count(
            start,
            end,
            int(value),
            unit,
            unit_start,
            unit_end,
            False,
            approx,
            quote_start,
        )

    def _unit_of(self, m: regex.Match) -> Unit:
        return self.rules.units[int(m.lastgroup[1:].split("_")[0])]

    def _unit_after(self, end: int, limit: int) -> tuple[Unit, int, int] | None:
        pos = end
        while pos < limit and self.match[pos] in " \t":
            pos += 1
        m = self.rules.unit_words.match(self.match, pos, limit)
        if m is None:
            return None
        unit = self._unit_of(m)
        if unit.not_followed_by and unit.not_followed_by.match(self.match, m.end(), limit):
            return None
        return unit, m.start(), m.end()

    def _unit_before(
        self, lo: int, hi: int, sent_start: int, ends_line: bool
    ) -> tuple[Unit, int, int] | None:
        """The unit word nearest before a bare count in its sentence that names what it
        counts: a label ("Số phiếu đánh giá: 125", "tin bài: 410") or the unit of a count
        before it ("108 thủ tục (Mức độ 3: 65"). Any other word ("Trang thông tin điện tử
        2.461") is not, nor a label of two things ("Số lượng tin bài, văn bản …"), nor a
        word right before a count that ends its line ("… phản ánh 3."): that is a flattened
        table's next row number."""
        found = [
            (m.start(), m.end(), self._unit_of(m))
            for m in self.rules.unit_words.finditer(
                self.match, max(lo, sent_start), hi, overlapped=True
            )
            if not self._protected(m.start(), m.end())
        ]
        for start, end, unit in sorted(found, key=lambda f: (-f[1], f[0])):
            if unit.not_followed_by and unit.not_followed_by.match(self.match, end, hi):
                continue
            before = self.match[max(sent_start, start - 20) : start]
            after = self.match[end:hi]
            counted = _COUNT_BEFORE.search(before)
            if counted and not self._protected(start - len(counted.group()), start):
                return unit, start, end  # the unit of a count before it
            if _PAIRED.match(after) or (ends_line and not after.strip()):
                continue
            if _LABEL_BEFORE.search(before) or _LABEL_TO_NUMBER.fullmatch(after):
                return unit, start, end
        return None

    # ------------------------------------------------------------------ what it counts
    def _assign(self, c: _Count, s: _Sentence, previous_end: int) -> None:
        metrics = self.rules.metrics_for(c.unit.name)
        if not metrics:
            return
        phrases = self.rules.phrases_for(c.unit.name)
        cue_end = c.unit_end if c.own_unit else c.end
        right = self._right_cue(cue_end, s.end, metrics, phrases) if c.own_unit else None
        left_start = max(s.start, s.consumed, c.start - self.rules.left_window)
        chosen: _Cue | None = right
        if chosen is None and c.own_unit and c.unit.implies:
            chosen = _Cue(c.unit_start, c.unit_end, (c.unit.implies,))
        if chosen is None:
            hi = c.quote_start if c.own_unit else c.start
            cues = self._cues(left_start, hi, metrics, phrases)
            if not c.own_unit and c.unit.implies:
                cues.append(_Cue(c.unit_start, c.unit_end, (c.unit.implies,)))
            chosen = max(cues, key=lambda q: (q.end, q.end - q.start), default=None)
        s.consumed = max(s.consumed, cue_end, right.end if right else 0)
        if chosen is not None:
            keys = chosen.keys  # none: a blocker is nearer than any cue
        else:
            part = self._part_between(s, previous_end, c.start)
            key = self._like_previous(c, s) or (None if part else c.unit.default)
            keys = (key,) if key else ()
        for key in keys:
            self._record(key, c, s, previous_end, right, chosen)

    def _record(
        self,
        key: str,
        c: _Count,
        s: _Sentence,
        previous_end: int,
        right: _Cue | None,
        chosen: _Cue | None,
    ) -> None:
        """Keep the count as `key` unless its clause vetoes it, another unit did it, or it is
        a part of a count of the same sentence; counts of an additive metric add up."""
        metric = self.rules.metrics[key]
        if self._vetoed(metric, c, s, previous_end, right):
            return
        if metric.topic is not None and not metric.topic.search(self.match, s.start, s.end):
            return
        if self._other_actor(s.start, c.start):
            return
        period = (self.tables.period_at(c.start) if self.tables else None) or self.periods.at(
            c.start, s.end
        )
        cue_end = c.unit_end if c.own_unit else c.end
        quote_start = min(c.quote_start, chosen.start if chosen else c.unit_start)
        quote_end = max(cue_end, right.end if right else cue_end)
        earlier = [(ec, f) for ec, f in s.figures if f.field == key and f.period == period]
        if earlier:
            if self._part_between(s, earlier[-1][0].start, c.start):
                return  # "…, trong đó 20 …": a part of the count already read
            if metric.additive:
                first = earlier[-1][1]
                first.value += c.value
                first.quote_end = max(first.quote_end, quote_end)
                first.approx = first.approx or c.approx
                return
        figure = ActivityFigure(
            key, c.value, c.start, c.end, quote_start, quote_end, period, "all", approx=c.approx
        )
        s.figures.append((c, figure))
        self.found.append(figure)

    def _right_cue(
        self, pos: int, limit: int, metrics: list[Metric], phrases: list[Phrases]
    ) -> _Cue | None:
        """A cue right after the count's unit, with only filler words between."""
        while True:
            m = self.rules.fillers.match(self.match, pos, limit)
            if m is None or m.end() == pos:
                break
            pos = m.end()
        while pos < limit and self.match[pos] in " \t":
            pos += 1
        best: _Cue | None = None
        for keys, pattern in self._patterns(metrics, phrases):
            m = pattern.match(self.match, pos, limit)
            if m and (best is None or m.end() > best.end):
                best = _Cue(m.start(), m.end(), keys)
        return best

    def _cues(self, lo: int, hi: int, metrics: list[Metric], phrases: list[Phrases]) -> list[_Cue]:
        """Cues, joint cues and blockers in text[lo:hi], overlaps resolved longest first."""
        found = [
            _Cue(m.start(), m.end(), keys)
            for keys, pattern in self._patterns(metrics, phrases)
            for m in pattern.finditer(self.match, lo, hi, overlapped=True)
            if not self._protected(m.start(), m.end())
        ]
        kept: list[_Cue] = []
        for q in sorted(found, key=lambda q: (-(q.end - q.start), q.start)):
            if all(q.end <= k.start or k.end <= q.start for k in kept):
                kept.append(q)
        return kept

    @staticmethod
    def _patterns(
        metrics: list[Metric], phrases: list[Phrases]
    ) -> list[tuple[tuple[str, ...], regex.Pattern]]:
        out = [((m.key,), m.cues) for m in metrics if m.cues is not None]
        return out + [(p.keys, p.phrases) for p in phrases]

    def _like_previous(self, c: _Count, s: _Sentence) -> str | None:
        """ "quý I có 412 phiếu khảo sát; quý II có 538 phiếu": the next count of
        the same kind in a sentence is the same figure (for its own period)."""
        if not s.figures:
            return None
        key = s.figures[-1][1].field
        return key if c.unit.name in self.rules.metrics[key].units else None

    def _part_between(self, s: _Sentence, lo: int, hi: int) -> bool:
        lo = max(lo, s.start)
        return bool(self.rules.part_markers.search(self.match, lo, hi)) or "(" in self.match[lo:hi]

    def _vetoed(
        self, metric: Metric, c: _Count, s: _Sentence, previous_end: int, right: _Cue | None
    ) -> bool:
        """A veto word in the count's clause: from the last ";" (or the count before it) to
        the first barrier after its own words."""
        if metric.vetoes is None:
            return False
        lo = max(s.start, previous_end)
        semi = self.match.rfind(";", lo, c.start)
        if semi >= 0:
            lo = semi + 1
        tail = max(c.unit_end if c.own_unit else c.end, right.end if right else 0)
        barrier = _BARRIER.search(self.match, tail, s.end)
        hi = barrier.start() if barrier else s.end
        return any(
            not self._protected(v.start(), v.end())
            for v in metric.vetoes.finditer(self.match, lo, hi)
        )

    # ------------------------------------------------------------------ who did it
    def _other_actor(self, lo: int, hi: int) -> bool:
        """Whether the nearest actor named before `hi` in the sentence is another unit."""
        actors: list[tuple[int, int, bool]] = []
        for pattern, own in ((self.rules.own, True), (self.rules.other, False)):
            if pattern is None:
                continue
            for m in pattern.finditer(self.match, lo, hi):
                actors.append((m.start(), m.end(), own))
        for m in self.rules.named.finditer(self.text.text, lo, hi):
            level = match_form(regex.sub(r"\s+", " ", m["level"]))
            if self.own_name is None and level in ("xã", "phường", "thị trấn"):
                continue  # the unit's own name is unknown: a commune named here may be it
            own = self.own_name is not None and match_form(m["name"]) == self.own_name
            actors.append((m.start(), m.end(), own))
        actors = [a for a in actors if not self._protected(a[0], a[1])]
        if not actors:
            return False
        nearest = max(actors, key=lambda a: (a[1], a[1] - a[0]))
        return not nearest[2]

    def _protected(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.protected)


def read_activities(
    text: Text,
    doc: Doc,
    periods: PeriodIndex,
    protected: list[Span],
    unit: ReportingUnit | None = None,
    tables: TableFigures | None = None,
) -> list[ActivityFigure]:
    """Every activity count of a document, as Figures of Period.metrics (a count in a table's
    column headed by a period is that period's)."""
    return ActivityReader(text, doc, periods, protected, unit, tables).read()


@Language.component(
    "tthc_activities",
    requires=[
        "doc._.text",
        "doc._.periods",
        "doc._.claimed",
        "doc._.unit",
        "doc._.tables",
        "doc.sents",
    ],
    assigns=["doc._.activities"],
)
def activity_reader(doc: Doc) -> Doc:
    """What the unit did (procedures published, petitions …), beside its dossier figures."""
    doc._.activities = read_activities(
        doc._.text, doc, doc._.periods.index, doc._.claimed, doc._.unit, doc._.tables
    )
    return doc
