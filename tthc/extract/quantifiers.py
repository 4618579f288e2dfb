"""Figures stated for all or none, with no number of their own.

- "… 12 hồ sơ đang giải quyết, đều còn trong thời hạn", "tất cả đều chưa đến hạn": the part
  named after "đều" is all of the figure before it (pending in time = 12);
- "Toàn bộ 400 hồ sơ đã giải quyết đều trả trước hạn": the count is also its group's total;
- "không có hồ sơ chậm muộn", "không để xảy ra tình trạng hồ sơ quá hạn", "không có hồ sơ
  nào bị trả lại": the part named is 0, read in the group the sentence speaks of (late
  after "giải quyết" is resolved late, after "đang giải quyết" pending overdue);
- "Quá hạn: không": "không" written as the value.
Each such figure keeps the words that state it as its evidence (`quantifier`). The words are
rules data (tthc/rules/connectives.toml [quantifiers]).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.lexicon import COMPLEMENT, Hit, Sentences, field_name, label_hits
from tthc.extract.readings import Figure, Foreign, PeriodIndex, inside
from tthc.extract.statements import group_total
from tthc.rules.labels import Label
from tthc.rules.phrasing import alternation, connectives
from tthc.schemas import Text
from tthc.textkit.forms import compile_vi

_GROUP_OF = {"received": "received", "resolved": "resolved", "pending": "pending"}
_ALL_OF_FIELD = regex.compile(
    r"(?<![\p{L}])(?:đều|tất\s+cả\s+đều|toàn\s+bộ\s+đều)\s+(?:là\s+)?(?:hồ\s+sơ\s+)?"
    r"(?:thuộc\s+)?(?:về\s+)?lĩnh\s+vực\s+(?P<name>\p{L}+(?:\s+\p{L}+){0,3})"
)


_BARE_NO = compile_vi(r"không")
_LATE = ("resolved_late", "pending_overdue")
_NOUN = regex.compile(r"(?<![\p{L}])(?:hồ[ \t]+sơ|hs|trường[ \t]+hợp)(?![\p{L}])")
_APPOSED = regex.compile(r"[ \t]*,[ \t]*(?:(?:đều|tất[ \t]+cả|vẫn)[ \t]+)?")
_CLAUSE_END = compile_vi(r"[ \t]*(?:(?:toàn[ \t]+bộ|tất[ \t]+cả|cả)[ \t]*)?(?:[.;)\n]|$)")
_LIST_ITEM = regex.compile(r"[ \t]*(?:[-+•*]|[a-zđ]\)|\d{1,2}\))[ \t]")
_LIST_REACH = 200  # characters: the items of one short list under its head


@cache
def _patterns() -> dict[str, regex.Pattern]:
    w = connectives().quantifiers
    fillers = alternation(w.fillers)

    def word(phrases: list[str]) -> str:
        return rf"(?<![\p{{L}}]){alternation(phrases)}(?![\p{{L}}])"

    return {
        "all": regex.compile(word(w.all)),
        "whole": regex.compile(word(w.whole) + r"[ \t]+(?=\d)"),
        "none": regex.compile(word(w.none)),
        "remainder": regex.compile(word(w.remainder) + r"[ \t,]*$"),
        "fill": regex.compile(rf"(?:[ \t]+(?:{fillers}))*[ \t]*"),
        "zero": regex.compile(
            rf"[ \t]*(?:hồ[ \t]+sơ[ \t]*)?:[ \t]*(?:{alternation(w.zero)})[ \t]*(?=[.;,\n]|$)"
        ),
        # between "đều" and the part it names: verbs and group words
        "verbs": regex.compile(
            r"(?:[ \t]+(?:được|đã|đang|cũng|còn|vẫn|trả|kết|quả|giải|quyết|xử|lý|là|ở))*[ \t]*"
        ),
    }


class QuantifierReader:
    def __init__(
        self,
        text: Text,
        doc: Doc,
        figures: list[Figure],
        periods: PeriodIndex,
        parts: list[Foreign],
    ) -> None:
        self.text = text
        self.match = text.match
        self.figures = [f for f in figures if not f.weak]
        self.periods = periods
        self.parts = parts
        self.sentences = Sentences(doc)
        self.hits = [h for h in label_hits(doc) if h.label.kind in ("group", "qualifier")]

    def read(self) -> list[Figure]:
        nones = self._none() + self._zero()
        out = (
            self._all()
            + self._whole()
            + nones
            + self._rest_of(nones)
            + self._all_of_field()
            + self._apposed()
        )
        known = {(f.field, f.period, f.scope, f.value) for f in self.figures}
        kept = []
        for f in out:
            key = (f.field, f.period, f.scope, f.value)
            if key not in known:
                known.add(key)
                kept.append(f)
        return kept

    # ---------------------------------------------------------------- "đều …"
    def _all(self) -> list[Figure]:
        out = []
        pats = _patterns()
        for m in pats["all"].finditer(self.match):
            rest = pats["remainder"].search(self.match, max(0, m.start() - 20), m.start())
            if rest is not None and not any(
                0 <= rest.start() - f.end <= 1 for f in self.figures
            ):  # "số còn lại đều … đúng hẹn": the rest, not the whole before; but "12 hồ
                continue  # sơ còn lại đều đang trong hạn" says it of the 12
            label = self._label_after(m.end(), pats["verbs"], kinds=("qualifier",))
            figure = self._figure_before(m.start())
            if label is None or figure is None:
                continue
            group = _group(figure.field)
            field = label.label.field_in(group)
            if field is None:
                continue
            words = self.text.text[m.start() : label.end]
            named = self._group_between(figure.end, m.start())
            if named is not None and named != group:
                # "tiếp nhận gần 240 hồ sơ; toàn bộ hồ sơ đã có kết quả đều trả trước hoặc
                # đúng hẹn": all of another group than the count before, whose total the
                # sentence does not give: only the part left empty is known (none late)
                other = COMPLEMENT.get(label.label.field_in(named) or "")
                if other:
                    out.append(self._zero_figure(other, m.start(), label.end))
                continue
            if field == figure.field:
                whole = group_total(field)
                if whole and whole != field:  # "400 hồ sơ đã giải quyết đều trước hạn"
                    out.append(self._like(figure, whole, figure.value, words, m.start(), label))
            else:
                out.append(self._like(figure, field, figure.value, words, m.start(), label))
            other = COMPLEMENT.get(field)
            if other:  # all in time: none overdue
                out.append(self._like(figure, other, 0, words, m.start(), label))
        return out

    def _apposed(self) -> list[Figure]:
        """ "9 hồ sơ còn lại đang giải quyết, chưa đến hạn.": a state said after the pending
        count and a comma, ending the clause, is said of all of it (in time = the count;
        none overdue)."""
        out = []
        for figure in self.figures:
            if figure.field != "pending_total":
                continue
            m = _APPOSED.match(self.match, figure.quote_end)
            if m is None:
                continue
            label = next((h for h in self.hits if h.start == m.end()), None)
            if label is None or label.label.field_in("pending") != "pending_in_time":
                continue
            if not _CLAUSE_END.match(self.match, label.end):
                continue
            words = self.text.text[m.end() : label.end]
            out.append(self._like(figure, "pending_in_time", figure.value, words, m.end(), label))
            out.append(self._like(figure, "pending_overdue", 0, words, m.end(), label))
        return out

    def _whole(self) -> list[Figure]:
        """ "Toàn bộ 400 hồ sơ đã giải quyết đều … trước hạn": the count read as a part is the
        total too, when its group's words stand between it and "đều" ("Toàn bộ 10 hồ sơ trễ
        hạn thuộc …" is all of the late ones, not a total)."""
        out = []
        pats = _patterns()
        for m in pats["whole"].finditer(self.match):
            figure = next((f for f in self.figures if f.start == m.end()), None)
            if figure is None:
                continue
            clause_end = regex.search(r"[,;.]\s|\n|$", self.match[figure.end :])
            said = self.match[figure.end : figure.end + clause_end.start()]
            grouped = any(
                figure.end <= h.start < figure.end + len(said) and h.label.kind == "group"
                for h in self.hits
            )
            if not grouped or not pats["all"].search(said):
                continue
            whole = group_total(figure.field)
            if whole and whole != figure.field:
                words = self.text.text[m.start() : figure.end]
                out.append(
                    Figure(
                        whole,
                        figure.value,
                        figure.start,
                        figure.end,
                        m.start(),
                        figure.quote_end,
                        figure.period,
                        figure.scope,
                        quantifier=words,
                    )
                )
        return out

    def _all_of_field(self) -> list[Figure]:
        """ "13 hồ sơ trễ hạn đều thuộc lĩnh vực bảo trợ xã hội": the unit's figure is that
        field's too (all of it belongs there)."""
        out = []
        for m in _ALL_OF_FIELD.finditer(self.match):
            words = m["name"].split()
            name = next(
                (
                    field_name(" ".join(words[:n]))
                    for n in range(len(words), 0, -1)
                    if field_name(" ".join(words[:n]))
                ),
                None,
            )
            figure = self._figure_before(m.start())
            if name is None or figure is None or figure.scope != "all":
                continue
            if self.match.rfind(";", figure.end, m.start()) >= 0:
                continue
            words_said = " ".join(self.text.text[m.start() : m.end()].split())
            out.append(replace(figure, scope=name, quote_end=m.end(), quantifier=words_said))
        return out

    # ---------------------------------------------------------------- "không có …"
    def _none(self) -> list[Figure]:
        out = []
        pats = _patterns()
        for m in pats["none"].finditer(self.match):
            label = self._label_after(m.end(), pats["fill"], kinds=("group", "qualifier"))
            if label is None:
                continue
            if (
                label.label.kind == "group"
                and label.label.field in ("received_total", "resolved_total")
                and not _NOUN.search(self.match, m.end(), label.start)
            ):
                continue  # "… không còn tiếp nhận tại Trung tâm": a verb, no count of none
            # "không có hồ sơ giải quyết trễ hẹn": the part named after the group's words
            after = self._label_after(label.end, pats["fill"], kinds=("qualifier",))
            if label.label.kind == "group" and after is not None:
                # the group named right before the part is the one spoken of
                field = after.label.field_in(label.label.name)
                label = after
            else:
                field = self._field_in_context(label, m.start())
            if _BARE_NO.fullmatch(m.group()) and field not in _LATE:
                continue  # bare "không" says none only of the late ("không trễ hạn"), not
                # of a way of filing ("người dân không trực tiếp đến …")
            if field is None:
                continue
            out.append(self._zero_figure(field, m.start(), label.end))
        return out

    def _zero(self) -> list[Figure]:
        out = []
        for h in self.hits:
            m = _patterns()["zero"].match(self.match, h.end)
            if m is None:
                continue
            field = self._field_in_context(h, h.start)
            head = self._list_head(self.sentences.begin(h.start))
            if h.label.kind == "qualifier" and head is not None and _group(head.field):
                # "+ Quá hạn: không có." under "- Đang giải quyết: 126 hồ sơ, trong đó:"
                field = h.label.field_in(_group(head.field)) or field
            if field is not None:
                out.append(self._zero_figure(field, h.start, m.end()))
        return out

    def _rest_of(self, zeros: list[Figure]) -> list[Figure]:
        """None in one part of a two-part group leaves all of its stated total in the other
        ("đang giải quyết 537 hồ sơ …; không có hồ sơ đang giải quyết quá hạn")."""
        out = []
        for z in zeros:
            other, whole = COMPLEMENT.get(z.field), group_total(z.field)
            if other is None or whole is None:
                continue
            total = next(
                (
                    f
                    for f in self.figures
                    if f.field == whole and f.period == z.period and f.scope == z.scope
                ),
                None,
            )
            if total is not None:
                out.append(replace(z, field=other, value=total.value))
        return out

    # ---------------------------------------------------------------- helpers
    def _label_after(self, pos: int, gap: regex.Pattern, kinds: tuple[str, ...]) -> Hit | None:
        """The first figure label after `pos` with only `gap` words before it."""
        for h in self.hits:
            if h.start < pos or h.label.kind not in kinds:
                continue
            if h.start - pos > 60:
                return None
            if gap.fullmatch(self.match, pos, h.start):
                return h
        return None

    def _group_between(self, start: int, end: int) -> str | None:
        """The group the words between a count and "đều" name ("hồ sơ đã có kết quả"), if
        any: the last group word there."""
        groups = [h for h in self.hits if start <= h.start < end and h.label.kind == "group"]
        return _group(groups[-1].label.field or "") if groups else None

    def _figure_before(self, pos: int) -> Figure | None:
        """The nearest figure before `pos` in its sentence (a group's total first)."""
        begin = self.sentences.begin(pos)
        before = [f for f in self.figures if begin <= f.start < pos]
        # the figure of its own clause ("…; 12 hồ sơ còn lại đều đang trong hạn")
        semi = self.match.rfind(";", begin, pos)
        own = [f for f in before if f.start > semi] if semi >= 0 else []
        totals = [f for f in before if group_total(f.field) == f.field]
        return (own or totals or before or [None])[-1]

    def _field_in_context(self, label: Hit, pos: int) -> str | None:
        """The field a label names where the sentence speaks of a group: the nearest group
        word before it in its sentence, else the group of the figure before, else the
        label's own (a late count alone is a resolved one)."""
        lab: Label = label.label
        if lab.kind == "group":
            return lab.field
        begin = self.sentences.begin(pos)
        groups = [h for h in self.hits if begin <= h.start < pos and h.label.kind == "group"]
        if groups:
            return lab.field_in(groups[-1].label.name)
        figure = self._figure_before(pos)
        if figure is not None and _group(figure.field):
            return lab.field_in(_group(figure.field))
        return lab.field_in(lab.group or "resolved")

    def _list_head(self, begin: int) -> Figure | None:
        """A list item ("+ Quá hạn: không có.") speaks of the group its list opened with
        ("- Đang giải quyết: 126 hồ sơ, trong đó:"): the last figure before the item, when
        the item is one of a list that follows it closely."""
        if not _LIST_ITEM.match(self.match, begin):
            return None
        before = [f for f in self.figures if begin - _LIST_REACH <= f.start < begin]
        return max(before, key=lambda f: f.start, default=None)

    def _like(
        self, figure: Figure, field: str, value: int, words: str, start: int, label: Hit
    ) -> Figure:
        """A figure the quantifier states from `figure`: as exact as the count it comes
        from ("hơn 900 hồ sơ … đều …" is never an exact 900)."""
        return Figure(
            field,
            value,
            figure.start,
            figure.end,
            figure.quote_start,
            max(figure.quote_end, label.end),
            figure.period,
            figure.scope,
            approx=figure.approx,
            bound=figure.bound,
            doubt=figure.doubt,
            quantifier=" ".join(words.split()),
        )

    def _zero_figure(self, field: str, start: int, end: int) -> Figure:
        # the scope of the figure its sentence stated before it (the figure reader placed
        # it, a section's part included), else the part it is said in
        part = inside(self.parts, start)
        line = self.text.lines[self.text.line_index(start)]
        near = [
            f
            for f in self.figures
            if max(line.start, self.sentences.begin(start)) <= f.start < start
        ]
        scope = "all"
        head = None if near else self._list_head(self.sentences.begin(start))
        if near:
            scope = near[-1].scope
        elif head is not None:  # "+ Trễ hạn: không có." in a part's list: that part's
            scope = head.scope
        elif part is not None and part.kind == "part":
            scope = part.scope or f"part:{part.name}"
        period = self.periods.at(start, self.sentences.end(start))
        words = " ".join(self.text.text[start:end].split())
        return Figure(field, 0, start, end, start, end, period, scope, quantifier=words)


def _group(field: str) -> str | None:
    return _GROUP_OF.get(field.split("_", 1)[0])


@Language.component(
    "tthc_quantifiers",
    requires=["doc._.text", "doc._.figures", "doc._.periods", "doc._.parts", "doc.spans"],
    assigns=["doc._.figures"],
)
def quantifier_reader(doc: Doc) -> Doc:
    """Figures stated for all or none ("đều trong hạn", "không có hồ sơ trễ hạn")."""
    found = doc._.figures
    found.figures += QuantifierReader(
        doc._.text, doc, found.figures, doc._.periods.index, doc._.parts
    ).read()
    return doc
