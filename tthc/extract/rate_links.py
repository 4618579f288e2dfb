"""Each stated rate's numerator and denominator, from the counts of its own sentence.

The rate reader (rates.py) keeps the ratio a text writes next to a rate ("a/b = x%"). A rate
stated without one often has its counts in the same sentence: "giải quyết 106.014 hồ sơ,
trong đó đúng hạn 104.814 hồ sơ, đạt 98,87%". This component runs after the figures are
read, so it knows what each count is (`doc._.figures`), and gives the rate the pair its
sentence states, marked `context` (see `_Linker`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.lexicon import (
    GROUP_TOTAL,
    figure_patterns,
    label_hits,
    rate_patterns,
    read_count,
    unit_after,
)
from tthc.extract.readings import Figure
from tthc.rules.labels import measure_roles
from tthc.schemas import Percentage, Text
from tthc.textkit.numbers import NUMERAL, rounds_to

Span = tuple[int, int]


def _in(spans: list[Span], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@dataclass(slots=True)
class _Count:
    lead: int  # where its words start
    start: int
    end: int
    unit_end: int
    value: int
    role: str | None  # the field the figure reader gave it, "total" after "tổng số", or None


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
    Counts read as other fields never fit a measure they cannot be of (tthc/rules/measures.toml);
    approximate counts and rates ("hơn 99%") are never linked. Pairs found so are `context`.
    """

    def __init__(self, text: Text, doc: Doc, figures: list[Figure], protected: list[Span]) -> None:
        self.text = text
        self.match = text.match
        self.protected = protected
        self.sentences = sorted((s.start_char, s.end_char) for s in doc.sents)
        self.starts = [s for s, _ in self.sentences]
        # what each count states: as written, not what a quantifier adds at the same place
        self.roles = {f.start: f.field for f in figures if not f.weak and not f.quantifier}
        self.pats = rate_patterns()
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
                if denominator is None:
                    denominator = self._whole_before(numerator, before[:-1], den_roles)
                if denominator is None and (p.decimals or 0) >= 2:
                    denominator = self._matching_after(numerator, after, p, den_roles)
                if denominator is None:
                    denominator = self._total_after(numerator, rate_end, after, den_roles)
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

    def _whole_before(
        self, n: _Count, earlier: list[_Count], den_roles: frozenset[str]
    ) -> _Count | None:
        """ "Tiếp nhận 420 hồ sơ, trực tuyến 318 hồ sơ, đạt 75,17%": the nearest earlier count
        of the sentence that is the whole of the numerator's group, whether or not the rate
        agrees with it (the ratio check then says)."""
        if n.role is None:
            return None
        for d in reversed(earlier):
            whole = d.role in WHOLES_OF_RATES and d.role in den_roles and d.value >= n.value
            if whole and d.role != n.role and _part_of(n.role, d.role):
                return d
        return None

    def _total_after(
        self, n: _Count, rate_end: int, later: list[_Count], den_roles: frozenset[str]
    ) -> _Count | None:
        """ "382 hồ sơ, đạt 95,5% tổng số hồ sơ tiếp nhận (420 hồ sơ)": the whole named
        right after the rate is its denominator."""
        if not later or not self.pats.total_of_after.match(self.match, rate_end):
            return None
        d = later[0]
        if not self._same_clause_after(rate_end, d) or d.value < n.value:
            return None
        return d if self._fits_denominator(d, den_roles) else None

    def _same_clause_after(self, rate_end: int, count: _Count) -> bool:
        gap = self.match[rate_end : count.start]
        return not regex.search(r"[;\n]|\.\s", gap) and len(gap) <= 80

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
    group = GROUP_TOTAL.get(part.split("_", 1)[0])
    return whole in (group, "received_total", "received_new") or group is None


WHOLES_OF_RATES = frozenset({"received_total", "received_new", "resolved_total", "pending_total"})


def _rounds(exact: float, stated: float | None, decimals: int) -> bool:
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
    _join_bracketed_ratios(percentages)


def _join_bracketed_ratios(percentages: list[Percentage]) -> None:
    """ "328 hồ sơ … nộp trực tuyến, chiếm 63,32% số hồ sơ mới tiếp nhận (328/518 hồ sơ)": a
    ratio written a few words after its rate, in the same line, with the rate's numerator and
    its value at the stated precision, is that rate's base (one rate, not a rate and a bare
    ratio)."""
    for q in [q for q in percentages if q.value is None and q.numerator and q.denominator]:
        rate = next(
            (
                p
                for p in percentages
                if p.value is not None
                and p.denominator is None
                and p.evidence.line == q.evidence.line
                and p.evidence.start < q.evidence.start
                and p.numerator in (None, q.numerator)
                and _rounds(100 * q.numerator / q.denominator, p.value, p.decimals or 0)
            ),
            None,
        )
        if rate is not None:
            rate.numerator, rate.denominator = q.numerator, q.denominator
            rate.ratio_source = "explicit"
            percentages.remove(q)


@Language.component(
    "tthc_rate_links",
    requires=["doc._.text", "doc._.rates", "doc._.figures", "doc._.claimed", "doc.spans"],
    assigns=["doc._.rates"],
)
def rate_linker(doc: Doc) -> Doc:
    """Each rate's numerator and denominator among the figures read (in place)."""
    link_rates(doc._.rates, doc._.figures.figures, doc._.text, doc, doc._.claimed)
    return doc


# ---------------------------------------------------------------- a ratio's numerator
_SUM_OF = {"resolved_early_or_on_time": ("resolved_early", "resolved_on_time")}
_RATIO_IN = regex.compile(r"(?<![\d.,/])(\d+(?:[.,]\d+)*)\s*/\s*(\d+(?:[.,]\d+)*)")


def ratio_figures(
    percentages: list[Percentage], figures: list[Figure], text: Text, doc: Doc
) -> list[Figure]:
    """The count a rate is of, written only as its ratio's numerator: "Tỷ lệ hồ sơ nộp trực
    tuyến đạt 53,41% (1.257/2.403 hồ sơ)" states 1.257 online dossiers when 2.403 is a figure
    of the same period (the received ones). Its field is what the rate's own words name in
    the denominator's group, and one of the fields the measure is taken of. Such a figure is
    weak: any other statement of the field replaces it."""
    sentences = sorted((s.start_char, s.end_char) for s in doc.sents)
    starts = [s for s, _ in sentences]
    hits = [h for h in label_hits(doc) if h.label.kind == "qualifier"]
    stated = {(f.field, f.scope, f.period.key if f.period else None) for f in figures}
    out: list[Figure] = []
    for p in percentages:
        if p.ratio_source != "explicit" or p.numerator is None or p.denominator is None:
            continue
        if p.compared_to or p.other_unit or p.item or p.evidence.approx:
            continue
        num_roles, den_roles = measure_roles(p.measure_key)
        whole = next(
            (
                f
                for f in figures
                if f.value == p.denominator
                and f.field in den_roles
                and f.scope == p.scope
                and (f.period.key if f.period else None) == p.period_key
                and not f.weak
            ),
            None,
        )
        if whole is None:
            continue
        ratio = _RATIO_IN.search(text.match, p.evidence.start, p.evidence.end)
        if ratio is None or read_count(text.match, ratio.start(1), ratio.end(1)) is None:
            continue
        i = bisect_right(starts, p.evidence.start) - 1
        s_start = sentences[i][0] if i >= 0 else 0
        group = whole.field.split("_", 1)[0]
        named = [
            h.label.field_in(group)
            for h in hits
            if s_start <= h.start and h.end <= min(p.evidence.start, ratio.start())
        ]
        fields = [f for f in named if f in num_roles]
        if not fields or (fields[-1], p.scope, p.period_key) in stated:
            continue
        if any((part, p.scope, p.period_key) in stated for part in _SUM_OF.get(fields[-1], ())):
            continue  # "đúng và trước hạn 100% (5.440/5.440)" beside its parts: nothing new
        out.append(
            Figure(
                fields[-1],
                int(p.numerator),
                ratio.start(1),
                ratio.end(1),
                p.evidence.start,
                p.evidence.end,
                whole.period,
                p.scope,
                weak=True,
            )
        )
    return out


@Language.component(
    "tthc_ratio_figures",
    requires=["doc._.text", "doc._.rates", "doc._.figures", "doc.spans", "doc.sents"],
    assigns=["doc._.figures"],
)
def ratio_figure_reader(doc: Doc) -> Doc:
    """Figures stated only as the numerator of a rate's ratio (see `ratio_figures`)."""
    found = doc._.figures
    found.figures += ratio_figures(doc._.rates, found.figures, doc._.text, doc)
    return doc
