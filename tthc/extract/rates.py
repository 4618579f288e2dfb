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

from dataclasses import dataclass

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.lexicon import NUM, RATIO_WORDS, field_name, label_hits, rate_patterns
from tthc.extract.readings import Foreign, PeriodIndex, inside
from tthc.extract.series import slash_labels_before
from tthc.extract.settings import DEFAULT, ReaderSettings
from tthc.rules.labels import labels
from tthc.schemas import Percentage, Text
from tthc.textkit.forms import compile_vi
from tthc.textkit.numbers import parse_count, parse_decimal

Span = tuple[int, int]
_SHARE = compile_vi(r"(?<![\p{L}])bằng\s*$")
PERCENT = compile_vi(rf"(?<![\d.,/])(?P<v>{NUM})\s*%")
RATIO = compile_vi(rf"(?<![\d.,/])(?P<a>{NUM})\s*/\s*(?P<b>{NUM})(?![\d/]|[.,]\d)")

_ITEM_NAME = compile_vi(r"^[\p{L}][\p{L}\s\-&]{0,40}$")


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
        settings: ReaderSettings = DEFAULT,
    ) -> None:
        self.text = text
        self.match = text.match
        self.doc = doc
        self.settings = settings
        self.periods = periods
        self.protected = protected
        self.foreign = list(foreign)
        self.pats = rate_patterns()
        self.hits = label_hits(doc)
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
        found = [*RATIO.finditer(match), *RATIO_WORDS.finditer(match)]
        for m in sorted(found, key=lambda m: m.start()):
            if _in(self.protected, m.start(), m.end()) or _in(taken, m.start(), m.end()):
                continue
            if m.re is RATIO_WORDS and not self._word_ratio_gives_rate(m):
                continue
            if regex.search(r"%\s*\(\s*$", match[max(0, m.start() - 6) : m.start()]):
                continue  # "88,87% (1.102/1.240)": read with the rate it explains
            a, b = parse_count(m["a"]), parse_count(m["b"])
            if a is None or b is None or b == 0:
                continue
            rate = _Rate(m.start(), m.end(), None, None, a, b, "explicit", anchor=m.start())
            p = PERCENT.search(match, m.end(), m.end() + self.settings.ratio_rate_chars)
            if p and self._ratio_gives_rate(m.end(), p.start()):
                parsed = parse_decimal(p["v"])
                if parsed:
                    rate.value, rate.decimals, rate.end = parsed[0], parsed[1], p.end()
                    taken.append((p.start(), p.end()))
            if rate.value is None and not self.pats.ratio_noun.match(match, m.end()):
                continue  # "20/20 sở, ngành", "xếp hạng 4/8": counts of other things
            if rate.value is None and slash_labels_before(match, self.hits, m.start(), 2):
                continue  # "trong hạn/quá hạn: 130/21 hồ sơ": two figures, not a ratio
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
        if self.pats.ratio_to_rate.fullmatch("".join(gap)):
            return True
        return self._counted_then_rate(ratio_end, percent_start)

    def _word_ratio_gives_rate(self, m: regex.Match) -> bool:
        """ "382 trên tổng số 400 hồ sơ, đạt 95,5%": a ratio in words is a rate's only when
        the rate follows it."""
        p = PERCENT.search(self.match, m.end(), m.end() + self.settings.ratio_rate_chars)
        return p is not None and self._ratio_gives_rate(m.end(), p.start())

    def _counted_then_rate(self, ratio_end: int, percent_start: int) -> bool:
        """ "152/170 hồ sơ có phát sinh phí, lệ phí, đạt 89,41%": what the ratio counts, said
        in a few words after its noun, then a linking word and the rate, in one clause."""
        noun = self.pats.ratio_noun.match(self.match, ratio_end)
        if noun is None:
            return False
        said = list(self.match[noun.end() : percent_start])
        link = self.pats.link_before_rate.search("".join(said))
        if link is None:
            return False
        for s, e in self.words:  # what is measured and figure words are not counted
            if noun.end() <= s and e <= noun.end() + link.start():
                said[s - noun.end() : e - noun.end()] = " " * (e - s)
        words = "".join(said[: link.start()]).split()
        return len(words) <= self.settings.ratio_noun_words

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
        compared = None
        if r.value is not None and r.change is None:
            m = self.pats.compared_rate.match(self.match, r.rate_start or r.start)
            m = m or self.pats.compared_rate.match(self.match, r.end)
            if m is not None:
                compared = " ".join(self.text.text[m.start() : m.end()].split())
            elif self._share_of_another(r):
                compared = "so với kỳ khác"
        if other is not None and other.kind == "part" and other.scope:
            part_scope = other.scope
        else:
            part_scope = other.name if other else None
        return Percentage(
            value=r.value,
            numerator=r.numerator,
            denominator=r.denominator,
            decimals=r.decimals,
            ratio_source=r.source if r.denominator is not None else None,
            measure=measure,
            measure_key=key,
            item=item,
            scope=part_scope or scope or "all",
            other_unit=other.name if other else None,
            period=period.label if period else None,
            period_key=period.key if period else None,
            change=r.change,
            reference_value=r.reference_value,
            reference_period=r.reference_period,
            compared_to=compared,
            evidence=evidence,
        )

    def _share_of_another(self, r: _Rate) -> bool:
        """ "So với Quý II năm 2024, số hồ sơ tiếp nhận bằng 104%": "bằng x%" in a sentence
        comparing with another period is a share of that period's figure."""
        start = r.rate_start or r.start
        if not _SHARE.search(self.match[max(0, start - 12) : start]):
            return False
        line = self.text.lines[self.text.line_index(start)]
        sentence = self.match[line.start : line.end]
        return bool(self.pats.compared_words.search(sentence))

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
    settings: ReaderSettings = DEFAULT,
) -> tuple[list[Percentage], list[Span]]:
    """Every rate and ratio in the text, in order, and the spans figures must not use. A
    rate in another unit's or a part's stretch (`foreign`) takes that stretch's name as its
    scope, so it is never taken for the unit's."""
    return PercentReader(text, doc, periods, protected, foreign, settings).read()


@Language.component(
    "tthc_rates",
    requires=[
        "doc._.text",
        "doc._.settings",
        "doc._.periods",
        "doc._.claimed",
        "doc._.parts",
        "doc.spans",
    ],
    assigns=["doc._.rates", "doc._.claimed"],
)
def rate_reader(doc: Doc) -> Doc:
    """Every rate and ratio; claims them, so their numbers are never dossier figures."""
    found, spans = read_percentages(
        doc._.text, doc, doc._.periods.index, doc._.claimed, doc._.parts, doc._.settings
    )
    doc._.rates = found
    doc._.claimed.extend(spans)
    return doc
