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
from spacy.tokens import Doc

from extractors.figures import field_name
from extractors.nlp import labels
from extractors.normalize import compile_vi
from extractors.numbers import parse_count, parse_decimal
from extractors.periods import PeriodIndex
from schemas import Percentage, Text

Span = tuple[int, int]
_NUM = r"\d+(?:[.,]\d+)*"
PERCENT = compile_vi(rf"(?<![\d.,/])(?P<v>{_NUM})\s*%")
RATIO = compile_vi(rf"(?<![\d.,/])(?P<a>{_NUM})\s*/\s*(?P<b>{_NUM})(?![\d/]|[.,]\d)")
# "x% (a/b)": the ratio written after the rate, in parentheses.
RATIO_AFTER = compile_vi(rf"\s*\(\s*(?P<a>{_NUM})\s*/\s*(?P<b>{_NUM})(?:\s*hồ\s+sơ)?\s*\)")
# "x%" may be followed by a change against an earlier value.
CHANGE = compile_vi(
    rf"\s*,?\s*(?P<dir>tăng|giảm|cao\s+hơn|thấp\s+hơn)\s+(?:thêm\s+)?(?P<c>{_NUM})\s*%?"
    rf"(?:\s*điểm(?:\s+phần\s+trăm)?)?\s*(?:so\s+với|với)\s+"
    rf"(?P<ref>(?:cùng\s+kỳ\s+)?(?:năm|quý|kỳ|tháng)(?:\s+(?:trước|\d{{4}}|[ivx]+\s+năm\s+\d{{4}}))?"
    rf"|cùng\s+kỳ)\s*(?:\(\s*(?P<r>{_NUM})\s*%\s*\))?"
)
# A rate written without its sign after "Tỷ lệ …:" at the end of a line.
BARE_RATE = compile_vi(rf"tỷ\s+lệ[^:\n]{{0,80}}:\s*(?P<v>{_NUM})\s*(?=\n|$)")
_RATIO_TO_PERCENT = compile_vi(r"[^\d;()\n.]{0,60}?$")
_LINKS_COUNT_TO_RATE = compile_vi(r"\b(?:đạt|chiếm|bằng|là)\b|=|tỷ\s+lệ")
_BRACKETED_LINK = compile_vi(r"\(\s*(?:chiếm|đạt|bằng|tỷ\s+lệ|=)[^()]*")
# "tăng 12% so với cùng kỳ" with no rate before it: a change, not a rate.
_CHANGE_ONLY = compile_vi(r"(?P<dir>tăng|giảm)\s+(?:thêm\s+)?$")
_COUNT_BEFORE = compile_vi(rf"(?<![\d.,/])(?P<n>{_NUM})(?![\d/%]|[.,]\d)")
_ITEM_NAME = compile_vi(r"^[\p{L}][\p{L}\s\-&]{0,40}$")
_NOT_ITEM = compile_vi(r"\b(?:đạt|là|chiếm|tỷ\s+lệ|bằng|còn|mới|toàn|số|tổng|trong\s+đó)\b")
_GROUPS_BREAKING_LISTS = {"received", "resolved", "pending", "returned"}


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
    def __init__(self, text: Text, doc: Doc, periods: PeriodIndex, protected: list[Span]) -> None:
        self.text = text
        self.match = text.match
        self.doc = doc
        self.periods = periods
        self.protected = protected
        table = labels()
        self.measures = [(s.start_char, s.end_char, table[s.label_]) for s in doc.spans["measures"]]
        self.groups = [
            (s.start_char, table[s.label_].name)
            for s in doc.spans["labels"]
            if table[s.label_].kind == "group"
        ]

    def read(self) -> tuple[list[Percentage], list[Span]]:
        """The rates, and the spans no figure may be read from (a context numerator stays
        readable: "2.405 hồ sơ đạt 99,59%" is also the resolved-on-time figure)."""
        rates = self._ratios_and_rates() + self._bare_rates()
        rates.sort(key=lambda r: r.start)
        spans = [(r.rate_start if r.source == "context" else r.start, r.end) for r in rates]
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
            if p and _RATIO_TO_PERCENT.fullmatch(match[m.end() : p.start()]):
                parsed = parse_decimal(p["v"])
                if parsed:
                    rate.value, rate.decimals, rate.end = parsed[0], parsed[1], p.end()
                    taken.append((p.start(), p.end()))
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
            if rate.source is None:
                self._numerator_from_context(rate)
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

    def _is_change(self, rate: _Rate, rates: list[_Rate]) -> bool:
        return any(o is not rate and o.start < rate.start < o.end for o in rates)

    def _bare_rates(self) -> list[_Rate]:
        out = []
        for m in BARE_RATE.finditer(self.match):
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
            m = CHANGE.match(self.match, rate.end)
            if not m:
                continue
            parsed = parse_decimal(m["c"])
            if not parsed:
                continue
            sign = -1 if m["dir"].startswith(("giảm", "thấp")) else 1
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
        """"tăng 12% so với cùng kỳ" with no rate before it: a change, not a rate of 12%.
        (After a rate, `_changes` folds the same words into that rate.)"""
        line_start = self.text.lines[self.text.line_index(percent_start)].start
        lead = _CHANGE_ONLY.search(self.match[max(line_start, percent_start - 20) : percent_start])
        if lead is None:
            return None
        start = percent_start - (min(20, percent_start - line_start) - lead.start())
        m = CHANGE.match(self.match, start)
        parsed = parse_decimal(m["c"]) if m else None
        if not parsed:
            return None
        rate = _Rate(start, m.end(), None, parsed[1], anchor=start, rate_start=start)
        rate.change = -parsed[0] if m["dir"].startswith(("giảm", "thấp")) else parsed[0]
        rate.reference_period = self.text.text[m.start("ref") : m.end("ref")]
        if m["r"] and (ref := parse_decimal(m["r"])):
            rate.reference_value = ref[0]
        return rate

    def _ratio_after(self, rate: _Rate, taken: list[Span]) -> None:
        """ "88,87% (1.102/1.240)": the ratio the rate was computed from, written after it."""
        after = RATIO_AFTER.match(self.match, rate.end)
        if not after or _in(self.protected, after.start("a"), after.end("b")):
            return
        a, b = parse_count(after["a"]), parse_count(after["b"])
        if a is not None and b:
            rate.numerator, rate.denominator, rate.source = a, b, "explicit"
            rate.end = after.end()
            taken.append((after.start("a"), after.end("b")))

    def _numerator_from_context(self, rate: _Rate) -> None:
        """The count right before "đạt x%" in the same clause is the numerator; the total
        it is listed under ("364 trong đó … 363, đạt 99,73%") is the denominator."""
        line_start = self.text.lines[self.text.line_index(rate.start)].start
        window_start = max(line_start, rate.start - 100)
        window = self.match[window_start : rate.start]
        counts = [
            m
            for m in _COUNT_BEFORE.finditer(window)
            if not _in(self.protected, window_start + m.start(), window_start + m.end())
        ]
        if not counts:
            return
        last = counts[-1]
        gap = window[last.end() :]
        if regex.search(r";|\.\s", gap) or not _LINKS_COUNT_TO_RATE.search(gap):
            return
        if "(" in gap and not _BRACKETED_LINK.fullmatch(gap[gap.rindex("(") :]):
            return  # "(…)" between them is another statement, unless it is "(chiếm x%)"
        n = parse_count(last["n"])
        if n is None:
            return
        rate.numerator, rate.source = n, "context"
        rate.start = window_start + last.start()
        self._denominator_from_list(rate, rate.start, line_start)

    def _denominator_from_list(self, rate: _Rate, count_start: int, line_start: int) -> None:
        intro = None
        for m in regex.finditer(r"\btrong\s+đó\b", self.match[line_start:count_start]):
            intro = line_start + m.start()
        if intro is None:
            return
        if any(
            intro < pos < count_start and name in _GROUPS_BREAKING_LISTS
            for pos, name in self.groups
        ):
            return
        head = regex.search(
            rf"(?P<t>{_NUM})\s*(?:hồ\s+sơ|hs)?\s*[,:]?\s*$", self.match[line_start:intro]
        )
        if not head:
            return
        total = parse_count(head["t"])
        if total is not None and rate.numerator is not None and total >= rate.numerator:
            rate.denominator = total

    # ---------------------------------------------------------------- describing
    def _record(self, r: _Rate) -> Percentage:
        measure, key, item = self._measure(r)
        period = self.periods.at(r.start)
        scope = field_name(item) if item else None
        return Percentage(
            value=r.value,
            numerator=r.numerator,
            denominator=r.denominator,
            decimals=r.decimals,
            ratio_source=r.source if r.denominator is not None else None,
            measure=measure,
            measure_key=key,
            item=item,
            scope=scope or "all",
            period=period.label if period else None,
            period_key=period.key if period else None,
            change=r.change,
            reference_value=r.reference_value,
            reference_period=r.reference_period,
            evidence=self.text.evidence(r.start, r.end),
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
            and not _NOT_ITEM.search(name)
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
        hits = [
            h
            for h in self.measures
            if sentence_start <= h[0] and h[1] <= head_end and h[2].kind == "measure"
        ]
        own = [
            h
            for h in self.measures
            if r.anchor <= h[0] and h[1] <= r.end and h[2].kind == "measure"
        ]
        hits = own or hits
        key = hits[-1][2].name if hits else None
        words = self.text.text[sentence_start:head_end].strip(" :,-+=(")
        words = regex.sub(r"\s+", " ", words)
        if len(words) > 120:
            words = "…" + words[-119:]
        return (words or None), key, item

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
    text: Text, doc: Doc, periods: PeriodIndex, protected: list[Span]
) -> tuple[list[Percentage], list[Span]]:
    """Every rate and ratio in the text, in order, and the spans figures must not use."""
    return PercentReader(text, doc, periods, protected).read()
