"""Rates and ratios: "45/60 = 75%", "1.020/1.250 hồ sơ, đạt tỷ lệ 81,6%", "đạt 91,5% tăng
11,2% so với năm 2023 (80,3%)", "Tỷ lệ hoàn thành kế hoạch: 87.5".

A rate keeps the numerator and denominator the text gives for it:
- explicitly, as a ratio written next to it ("a/b = x%");
- or from the sentence: the count right before "đạt x%" is the numerator ("406 hồ sơ …
  đạt 98,54%"), and when that count is listed under a total ("tiếp nhận 364 trong đó …
  363, đạt 99,73%") the total is the denominator. Such pairs are marked `context`, so a
  check can tell a reading of the sentence from a ratio the writer wrote down.
A change and its reference ("tăng 11,2% so với năm 2023 (80,3%)") belong to the rate
they follow; they are not rates of their own.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from extractors.extract.counts import read_count
from extractors.extract.figures import field_name
from extractors.extract.models import Figure, Foreign, PeriodIndex
from extractors.extract.scopes import inside
from rules.labels import labels, measure_roles
from rules.phrasing import alternation, connectives
from schemas import Percentage, Text
from textkit.forms import compile_vi
from textkit.numbers import NUMERAL, parse_count, parse_decimal

Span = tuple[int, int]
_NUM = r"\d+(?:[.,]\d+)*"
PERCENT = compile_vi(rf"(?<![\d.,/])(?P<v>{_NUM})\s*%")
RATIO = compile_vi(rf"(?<![\d.,/])(?P<a>{_NUM})\s*/\s*(?P<b>{_NUM})(?![\d/]|[.,]\d)")
_ITEM_NAME = compile_vi(r"^[\p{L}][\p{L}\s\-&]{0,40}$")


class _Patterns:
    """This module's patterns: shapes here, words from rules/connectives.toml."""

    def __init__(self) -> None:
        w = connectives().rates
        alt = alternation
        up, down = alt(w.change_up), alt(w.change_down)
        units = alt(w.reference_units)
        nouns = alt(w.ratio_nouns)
        rate_words = alt(w.rate_words)
        links = alt(w.links)
        # "x% (a/b)": the ratio written after the rate, in parentheses.
        self.ratio_after = regex.compile(
            rf"\s*\(\s*(?P<a>{_NUM})\s*/\s*(?P<b>{_NUM})(?:\s*{nouns})?\s*\)"
        )
        # "x%" may be followed by a change against an earlier value.
        self.change = regex.compile(
            rf"\s*,?\s*(?P<dir>{up}|{down})\s+(?:{alt(w.change_extra)}\s+)?(?P<c>{_NUM})\s*%?"
            rf"(?:\s*{alt(w.points)})?\s*{alt(w.compared)}\s+"
            rf"(?P<ref>(?:{alt(w.same_period)}\s+)?{units}(?:\s+(?:{alt(w.previous)}|\d{{4}}"
            rf"|[ivx]+\s+năm\s+\d{{4}}))?|{alt(w.same_period)})\s*(?:\(\s*(?P<r>{_NUM})\s*%\s*\))?"
        )
        self.down = regex.compile(rf"{down}")
        # A rate written without its sign after "Tỷ lệ …:" at the end of a line.
        self.bare_rate = regex.compile(rf"{rate_words}[^:\n]{{0,80}}:\s*(?P<v>{_NUM})\s*(?=\n|$)")
        # "tăng 12% so với cùng kỳ" with no rate before it: a change, not a rate.
        self.change_only = regex.compile(rf"(?P<dir>{up}|{down})\s+(?:{alt(w.change_extra)}\s+)?$")
        self.not_item = regex.compile(rf"(?<![\p{{L}}]){alt(w.not_item)}(?![\p{{L}}])")
        # What may stand between a ratio "a/b" and the rate it gives ("hồ sơ, đạt tỷ lệ").
        self.ratio_to_rate = regex.compile(
            rf"[\s,:(]*(?:{nouns})?[\s,:(]*(?:(?:{links}|{rate_words}|=)[\s,:(]*)*"
        )
        self.ratio_noun = regex.compile(rf"\s*{nouns}(?![\p{{L}}])")
        self.link = regex.compile(rf"(?<![\p{{L}}]){links}(?![\p{{L}}])|=")
        self.rate_word = regex.compile(rf"(?<![\p{{L}}]){rate_words}(?![\p{{L}}])")
        self.linked_rate_word = regex.compile(rf"(?<![\p{{L}}]){links}\s+{rate_words}(?![\p{{L}}])")
        self.total_of = regex.compile(rf"(?<![\p{{L}}]){alt(w.total_of)}[\s:]*(?:là\s+)?$")
        approx = alt(connectives().numbers.approx_before)
        self.approx_rate = regex.compile(rf"(?<![\p{{L}}]){approx}\s*$")


@cache
def patterns() -> _Patterns:
    return _Patterns()


@dataclass(slots=True)
class _Rate:
    start: int
    end: int  # end of the whole expression (ratio, rate, change)
    value: float | None
    decimals: int | None
    numerator: float | None = None
    denominator: float | None = None
    source: str | None = None
    anchor: int = 0  # where the rate's words end: its measure is read before this
    rate_start: int = 0  # the "x%" itself (a context numerator makes `start` earlier)
    change: float | None = None
    reference_value: float | None = None
    reference_period: str | None = None


def _in(spans: list[Span], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


class PercentReader:
    def __init__(
        self,
        text: Text,
        doc: Doc,
        periods: PeriodIndex,
        protected: list[Span],
        foreign: list[Foreign] = (),
    ) -> None:
        self.text = text
        self.match = text.match
        self.doc = doc
        self.periods = periods
        self.protected = protected
        self.foreign = list(foreign)
        self.pats = patterns()
        table = labels()
        self.measures = [(s.start_char, s.end_char, table[s.label_]) for s in doc.spans["measures"]]
        self.words = [
            (s.start_char, s.end_char) for s in (*doc.spans["measures"], *doc.spans["labels"])
        ]

    def read(self) -> tuple[list[Percentage], list[Span]]:
        """The rates, and the spans no figure may be read from."""
        rates = self._ratios_and_rates() + self._bare_rates()
        rates.sort(key=lambda r: r.start)
        spans = [(r.start, r.end) for r in rates]
        return [self._record(r) for r in rates], spans

    # ---------------------------------------------------------------- finding
    def _ratios_and_rates(self) -> list[_Rate]:
        match = self.match
        taken: list[Span] = []
        rates: list[_Rate] = []
        for m in RATIO.finditer(match):
            if _in(self.protected, m.start(), m.end()):
                continue
            if regex.search(r"%\s*\(\s*$", match[max(0, m.start() - 6) : m.start()]):
                continue  # "88,87% (1.102/1.240)": read with the rate it explains
            a, b = parse_count(m["a"]), parse_count(m["b"])
            if a is None or b is None or b == 0:
                continue
            rate = _Rate(m.start(), m.end(), None, None, a, b, "explicit", anchor=m.start())
            p = PERCENT.search(match, m.end(), m.end() + 80)
            if p and self._ratio_gives_rate(m.end(), p.start()):
                parsed = parse_decimal(p["v"])
                if parsed:
                    rate.value, rate.decimals, rate.end = parsed[0], parsed[1], p.end()
                    taken.append((p.start(), p.end()))
            if rate.value is None and not self.pats.ratio_noun.match(match, m.end()):
                continue  # "20/20 sở, ngành", "xếp hạng 4/8": counts of other things
            rates.append(rate)
            taken.append((m.start(), m.end()))
        for p in PERCENT.finditer(match):
            if _in(taken, p.start(), p.end()) or _in(self.protected, p.start(), p.end()):
                continue
            parsed = parse_decimal(p["v"])
            if not parsed:
                continue
            change = self._change_only(p.start())
            if change is not None:
                rates.append(change)
                continue
            rate = _Rate(
                p.start(), p.end(), parsed[0], parsed[1], anchor=p.start(), rate_start=p.start()
            )
            self._ratio_after(rate, taken)
            rates.append(rate)
        rates.sort(key=lambda r: r.start)
        self._changes(rates, taken)
        return [
            r
            for r in rates
            if not _in(taken, r.start, r.end)
            or r.source == "explicit"
            or r.numerator is not None
            or (r.value is not None and not self._is_change(r, rates))
        ]

    def _ratio_gives_rate(self, ratio_end: int, percent_start: int) -> bool:
        """ "a/b hồ sơ, đạt tỷ lệ x%", "a/b = x%": only linking words (and the words of what
        is measured) between a ratio and the rate it gives; "15/24 Sở, ngành đưa 100%
        TTHC …" is a count of departments and another rate."""
        gap = list(self.match[ratio_end:percent_start])
        if "\n" in gap or any(c.isdigit() or c in ";." for c in gap):
            return False
        for s, e in self.words:
            if ratio_end <= s and e <= percent_start:
                gap[s - ratio_end : e - ratio_end] = " " * (e - s)
        return bool(self.pats.ratio_to_rate.fullmatch("".join(gap)))

    def _is_change(self, rate: _Rate, rates: list[_Rate]) -> bool:
        return any(o is not rate and o.start < rate.start < o.end for o in rates)

    def _bare_rates(self) -> list[_Rate]:
        out = []
        for m in self.pats.bare_rate.finditer(self.match):
            parsed = parse_decimal(m["v"])
            if parsed and parsed[0] <= 100 and not _in(self.protected, m.start("v"), m.end("v")):
                out.append(
                    _Rate(
                        m.start("v"),
                        m.end("v"),
                        parsed[0],
                        parsed[1],
                        anchor=m.start("v"),
                        rate_start=m.start("v"),
                    )
                )
        return out

    def _changes(self, rates: list[_Rate], taken: list[Span]) -> None:
        """ "x% tăng c% so với năm 2022 (r%)": c and r belong to x."""
        for rate in rates:
            if rate.value is None:
                continue
            m = self.pats.change.match(self.match, rate.end)
            if not m:
                continue
            parsed = parse_decimal(m["c"])
            if not parsed:
                continue
            sign = -1 if self.pats.down.match(m["dir"]) else 1
            rate.change = sign * parsed[0]
            rate.reference_period = self.text.text[m.start("ref") : m.end("ref")]
            if m["r"]:
                ref = parse_decimal(m["r"])
                rate.reference_value = ref[0] if ref else None
            taken.append((m.start(), m.end()))
            rate.end = m.end()
        kept = []
        for rate in rates:
            inside_other = any(
                o is not rate and o.start < rate.start and rate.end <= o.end for o in rates
            )
            if not inside_other:
                kept.append(rate)
        rates[:] = kept

    def _change_only(self, percent_start: int) -> _Rate | None:
        """ "tăng 12% so với cùng kỳ" with no rate before it: a change, not a rate of 12%.
        (After a rate, `_changes` folds the same words into that rate.)"""
        line_start = self.text.lines[self.text.line_index(percent_start)].start
        window_start = max(line_start, percent_start - 20)
        lead = self.pats.change_only.search(self.match[window_start:percent_start])
        if lead is None:
            return None
        start = window_start + lead.start()
        m = self.pats.change.match(self.match, start)
        parsed = parse_decimal(m["c"]) if m else None
        if not parsed:
            return None
        rate = _Rate(start, m.end(), None, parsed[1], anchor=start, rate_start=start)
        rate.change = -parsed[0] if self.pats.down.match(m["dir"]) else parsed[0]
        rate.reference_period = self.text.text[m.start("ref") : m.end("ref")]
        if m["r"] and (ref := parse_decimal(m["r"])):
            rate.reference_value = ref[0]
        return rate

    def _ratio_after(self, rate: _Rate, taken: list[Span]) -> None:
        """ "88,87% (1.102/1.240)": the ratio the rate was computed from, written after it."""
        after = self.pats.ratio_after.match(self.match, rate.end)
        if not after or _in(self.protected, after.start("a"), after.end("b")):
            return
        a, b = parse_count(after["a"]), parse_count(after["b"])
        if a is not None and b:
            rate.numerator, rate.denominator, rate.source = a, b, "explicit"
            rate.end = after.end()
            taken.append((after.start("a"), after.end("b")))

    # ---------------------------------------------------------------- describing
    def _record(self, r: _Rate) -> Percentage:
        measure, key, item = self._measure(r)
        period = self.periods.at(r.start)
        scope = field_name(item) if item else None
        other = inside(self.foreign, r.rate_start or r.start)
        evidence = self.text.evidence(r.start, r.end)
        if r.value is not None and self.pats.approx_rate.search(
            self.match[max(0, r.rate_start - 20) : r.rate_start]
        ):
            evidence.approx = True  # "đạt hơn 99%", "gần 30%": never checked as exact
        return Percentage(
            value=r.value,
            numerator=r.numerator,
            denominator=r.denominator,
            decimals=r.decimals,
            ratio_source=r.source if r.denominator is not None else None,
            measure=measure,
            measure_key=key,
            item=item,
            scope=other.name if other else (scope or "all"),
            other_unit=other.name if other else None,
            period=period.label if period else None,
            period_key=period.key if period else None,
            change=r.change,
            reference_value=r.reference_value,
            reference_period=r.reference_period,
            evidence=evidence,
        )

    def _measure(self, r: _Rate) -> tuple[str | None, str | None, str | None]:
        """(what is measured as written, its key, the item of a list the rate is about)."""
        line_start = self.text.lines[self.text.line_index(r.start)].start
        before = self.match[line_start : r.anchor]
        item = None
        parts = regex.split(r"([;(]|(?<!\d)[,:]|[,:](?!\d)|\.\s)", before)
        clause = parts[-1]
        opener = parts[-2] if len(parts) > 1 else ""
        name = clause.strip()
        in_list = opener.strip() in ("(", ";", ",", ":")
        if (
            in_list
            and name
            and _ITEM_NAME.fullmatch(name)
            and not self.pats.not_item.search(name)
            and len(name.split()) <= 5
        ):
            start = r.anchor - len(clause) + clause.index(name)
            original = self.text.text[start : start + len(name)]
            if original[:1].isupper() or field_name(name):
                item = original
        head_end = r.anchor
        if item is not None:
            head_end = self._list_head_end(line_start, r.anchor)
        head = self.match[line_start:head_end]
        sentence = regex.split(r"\.\s|;", head)[-1] if regex.search(r"[\p{L}]", head) else head
        sentence_start = head_end - len(sentence)
        hits = [h for h in self.measures if sentence_start <= h[0] and h[1] <= head_end]
        own = [h for h in self.measures if r.anchor <= h[0] and h[1] <= r.end]
        hits = own or hits or self._measure_after(r)
        key = hits[-1][2].name if hits and hits[-1][2].kind == "measure" else None
        words = self.text.text[sentence_start:head_end].strip(" :,-+=(")
        words = regex.sub(r"\s+", " ", words)
        if len(words) > 120:
            words = "…" + words[-119:]
        return (words or None), key, item

    def _measure_after(self, r: _Rate) -> list:
        """ "98,96% hồ sơ giải quyết đúng hạn": a rate with nothing measured before it takes
        the words right after it, up to the clause's end."""
        stop = regex.search(r"[,;.(\n]", self.match[r.end : r.end + 80])
        end = r.end + (stop.start() if stop else 80)
        return [h for h in self.measures if r.end <= h[0] and h[1] <= end][:1]

    def _list_head_end(self, line_start: int, anchor: int) -> int:
        """For a rate inside a list ("… 71,02% (Hộ tịch 327/388 = 84,28%, …"), what is
        measured is said before the list opens."""
        before = self.match[line_start:anchor]
        for opener in ("(", ":"):
            i = before.rfind(opener)
            if i > 0:
                return line_start + i
        return anchor


def read_percentages(
    text: Text,
    doc: Doc,
    periods: PeriodIndex,
    protected: list[Span],
    foreign: list[Foreign] = (),
) -> tuple[list[Percentage], list[Span]]:
    """Every rate and ratio in the text, in order, and the spans figures must not use. A
    rate in another unit's or a part's stretch (`foreign`) takes that stretch's name as its
    scope, so it is never taken for the unit's."""
    return PercentReader(text, doc, periods, protected, foreign).read()


# ---------------------------------------------------------------- linking rates to counts
@dataclass(slots=True)
class _Count:
    lead: int  # where its words start
    start: int
    end: int
    unit_end: int
    value: int
    role: str | None  # the field the figure reader gave it, "total" after "tổng số", or None


_GROUP_OF = {"received": "received_total", "resolved": "resolved_total", "pending": "pending_total"}


class _Linker:
    """Gives a stated rate the numerator and denominator its own sentence gives it.

    - The count right before "đạt / chiếm x%" (only linking words and the words of what it
      counts between them) is the numerator: "104.814 hồ sơ, đạt tỷ lệ 98,7%".
    - Its denominator is an earlier count of the sentence whose ratio to it is the rate at
      the stated precision ("4.215 hồ sơ đến hạn …, 4.186 hồ sơ …, đạt 99,3%"), or, even when
      the ratio does not match, the whole the sentence lists it under: the count before
      "trong đó" when that count is the whole of the numerator's group ("giải quyết 106.014
      hồ sơ, trong đó đúng hạn 104.814 …"), or the count it calls "tổng số".
    - A rate with no such numerator takes a pair of the sentence's counts whose ratio it is,
      at a stated precision of at least one decimal ("tỷ lệ … đạt 99,68%; trong đó tổng số
      … 175.920 …, đúng hạn … 175.354").
    Counts read as other fields never fit a measure they cannot be of (rules/measures.toml);
    approximate counts and rates ("hơn 99%") are never linked. Pairs found so are `context`.
    """

    def __init__(self, text: Text, doc: Doc, figures: list[Figure], protected: list[Span]) -> None:
        from extractors.extract.figures import patterns as figure_patterns

        self.text = text
        self.match = text.match
        self.protected = protected
        self.sentences = sorted((s.start_char, s.end_char) for s in doc.sents)
        self.starts = [s for s, _ in self.sentences]
        self.roles = {f.start: f.field for f in figures if not f.weak}
        self.pats = patterns()
        self.index_before = figure_patterns().not_count_before
        self.words = [
            (s.start_char, s.end_char) for s in (*doc.spans["measures"], *doc.spans["labels"])
        ]
        self.intro = regex.compile(r"(?<![\p{L}])trong\s+đó(?![\p{L}])")

    def sentence(self, offset: int) -> Span:
        i = bisect_right(self.starts, offset) - 1
        return self.sentences[i] if i >= 0 else (0, len(self.match))

    def counts(self, start: int, end: int) -> list[_Count]:
        """The exact counts of match[start:end] that may enter a ratio."""
        from extractors.extract.figures import unit_after

        out = []
        for m in NUMERAL.finditer(self.match, start, end):
            if _in(self.protected, m.start(), m.end()):
                continue
            nxt = self.match[m.end() : m.end() + 2]
            if nxt[:1] in "/%" or nxt.strip()[:1] == "%":
                continue
            if self.index_before.search(self.match[max(start, m.start() - 25) : m.start()]):
                continue
            reading = read_count(self.match, m.start(), m.end())
            if reading is None or reading.approx:
                continue
            unit_end, dossier = unit_after(self.match, reading.end)
            if dossier is False:
                continue
            role = self.roles.get(m.start())
            if role is None and self.pats.total_of.search(self.match[start : reading.start]):
                role = "total"
            out.append(_Count(reading.start, m.start(), reading.end, unit_end, reading.value, role))
        return out

    def link(self, p: Percentage) -> None:
        if p.value is None or p.numerator is not None or p.change is not None:
            return
        if p.evidence.approx:
            return
        rate_start, rate_end = p.evidence.start, p.evidence.end
        s_start, s_end = self.sentence(rate_start)
        before = self.counts(s_start, rate_start)
        after = self.counts(rate_end, s_end)
        num_roles, den_roles = measure_roles(p.measure_key)
        numerator, denominator = None, None
        last = before[-1] if before else None
        if last is not None and self._adjacent(last, rate_start):
            numerator = last if self._fits_numerator(last, num_roles) else None
            if numerator is not None:
                denominator = self._matching(numerator, before[:-1], p, den_roles)
                if denominator is None:
                    denominator = self._listed_under(numerator, before[:-1], den_roles)
                if denominator is None and (p.decimals or 0) >= 2:
                    denominator = self._matching_after(numerator, after, p, den_roles)
        elif (
            last is not None
            and self._same_clause(last, rate_start)
            and self._fits_numerator(last, num_roles)
        ):
            denominator = self._matching(last, before[:-1], p, den_roles)
            numerator = last if denominator is not None else None
        elif not before and (p.decimals or 0) >= 1:
            numerator, denominator = self._pair_after(after, p, num_roles, den_roles)
        if numerator is None:
            return
        p.numerator = float(numerator.value)
        if denominator is not None:
            p.denominator = float(denominator.value)
            p.ratio_source = "context"
        used = [c for c in (numerator, denominator) if c is not None]
        start = min(rate_start, *(c.lead for c in used))
        end = max(rate_end, *(c.unit_end for c in used))
        approx = p.evidence.approx
        p.evidence = self.text.evidence(start, end)
        p.evidence.approx = approx

    # -------------------------------------------------------------- tests
    def _adjacent(self, count: _Count, rate_start: int) -> bool:
        """Only linking words (and the words of what is counted) between a count and the
        rate: "2.405 hồ sơ đạt 99,59%", "có số hóa …: 363, đạt 99,73%", "(chiếm 1%)"."""
        gap = self._blanked(count.unit_end, rate_start)
        if not self._same_clause(count, rate_start):
            return False
        if ")" in gap:
            return False  # the count sat inside brackets that close before the rate
        words = regex.sub(r"\s+", " ", gap)
        if self.pats.rate_word.search(words) and not self.pats.linked_rate_word.search(words):
            return False  # "…, tỷ lệ giải quyết đúng hạn đạt x%": a rate of its own words
        opened = gap.rfind("(")
        if opened >= 0:
            return bool(regex.fullmatch(r"\(\s*", gap[opened:])) or bool(
                self.pats.link.search(gap[opened:])
            )
        return bool(self.pats.link.search(gap))

    def _same_clause(self, count: _Count, rate_start: int) -> bool:
        gap = self.match[count.end : rate_start]
        return not regex.search(r"[;\n]|\.\s", gap) and len(gap) <= 120

    def _blanked(self, start: int, end: int) -> str:
        """match[start:end] with the words of labels and measures blanked out."""
        gap = list(self.match[start:end])
        for s, e in self.words:
            if start <= s and e <= end:
                gap[s - start : e - start] = " " * (e - s)
        return "".join(gap)

    @staticmethod
    def _fits_numerator(count: _Count, roles: frozenset[str]) -> bool:
        if count.role is None:
            return True
        if roles:
            return count.role in roles
        return count.role not in WHOLES_OF_RATES

    @staticmethod
    def _fits_denominator(count: _Count, roles: frozenset[str]) -> bool:
        return count.role is None or count.role in roles

    def _pair(self, n: _Count, d: _Count, p: Percentage, den_roles: frozenset[str]) -> bool:
        if d.value <= 0 or n.value > d.value or not self._fits_denominator(d, den_roles):
            return False
        if n.role is not None and n.role == d.role:
            return False
        return _rounds(n.value / d.value * 100, p.value, p.decimals or 0)

    def _matching(
        self, n: _Count, earlier: list[_Count], p: Percentage, den_roles: frozenset[str]
    ) -> _Count | None:
        """The earlier count whose ratio is the rate: the whole a list is given under
        ("… 329.596 hồ sơ; trong đó …") or called "tổng số" first, else the nearest."""
        fitting = [d for d in reversed(earlier) if self._pair(n, d, p, den_roles)]
        heads = [d for d in fitting if d.role == "total" or self._heads_list(d)]
        return (heads or fitting or [None])[0]

    def _heads_list(self, d: _Count) -> bool:
        return bool(
            regex.match(r"[\s,;:]*(?:trong\s+đó|gồm)", self.match[d.unit_end : d.unit_end + 20])
        )

    def _matching_after(
        self, n: _Count, later: list[_Count], p: Percentage, den_roles: frozenset[str]
    ) -> _Count | None:
        """ "19.255 hồ sơ (đạt 96,55%), hồ sơ đến hạn giải quyết 19.944 hồ sơ": a whole stated
        after the rate, at two decimals or more, that heads no list of its own."""
        for d in later:
            if self._heads_list(d):
                return None
            if self._pair(n, d, p, den_roles):
                return d
        return None

    def _listed_under(
        self, n: _Count, earlier: list[_Count], den_roles: frozenset[str]
    ) -> _Count | None:
        """The whole the sentence lists the numerator under, even when the ratio is off:
        the count before "trong đó" that is the total of the numerator's own group, or the
        count called "tổng số"."""
        for d in reversed(earlier):
            if d.role == "total" and d.value >= n.value and self._fits_denominator(d, den_roles):
                return d
        for intro in self.intro.finditer(self.match, earlier[0].end if earlier else 0, n.start):
            heads = [d for d in earlier if d.end <= intro.start()]
            if not heads:
                continue
            head = heads[-1]
            if head.role is None or head.role == n.role or head.value < n.value:
                continue
            if head.role in den_roles and (n.role is None or _part_of(n.role, head.role)):
                return head
        return None

    def _pair_after(
        self,
        after: list[_Count],
        p: Percentage,
        num_roles: frozenset[str],
        den_roles: frozenset[str],
    ) -> tuple[_Count | None, _Count | None]:
        """A rate stated first, its counts after it in the same sentence."""
        for i, a in enumerate(after):
            for b in after[i + 1 :]:
                for n, d in ((a, b), (b, a)):
                    if self._fits_numerator(n, num_roles) and self._pair(n, d, p, den_roles):
                        return n, d
        return None, None


def _part_of(part: str, whole: str) -> bool:
    """Whether a field can be listed under a whole: its own group's total, or what was
    received (every dossier handled was received first)."""
    group = _GROUP_OF.get(part.split("_", 1)[0])
    return whole in (group, "received_total", "received_new") or group is None


WHOLES_OF_RATES = frozenset({"received_total", "received_new", "resolved_total", "pending_total"})


def _rounds(exact: float, stated: float | None, decimals: int) -> bool:
    from textkit.numbers import rounds_to

    return stated is not None and rounds_to(exact, stated, decimals)


def link_rates(
    percentages: list[Percentage],
    figures: list[Figure],
    text: Text,
    doc: Doc,
    protected: list[Span] = (),
) -> None:
    """Numerators and denominators of rates from their sentences (see `_Linker`)."""
    linker = _Linker(text, doc, figures, list(protected))
    for p in percentages:
        linker.link(p)


@Language.component("tthc_rates")
def rate_reader(doc: Doc) -> Doc:
    """Every rate and ratio; claims them, so their numbers are never dossier figures."""
    readings = doc._.tthc
    found, spans = read_percentages(
        doc._.text, doc, readings.index, doc._.claimed, readings.foreign
    )
    readings.percentages = found
    doc._.claimed.extend(spans)
    return doc


@Language.component("tthc_rate_links")
def rate_linker(doc: Doc) -> Doc:
    """Each rate's numerator and denominator among the figures read (in place)."""
    readings = doc._.tthc
    link_rates(readings.percentages, readings.figures.figures, doc._.text, doc, doc._.claimed)
    return doc
