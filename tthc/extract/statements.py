"""The grammar of a figure statement: which dossier field a count states.

The national form counts dossiers in groups (received / resolved / pending / returned), each
with parts (online, carried over, early, late …). Reports write a group's words once and
then its parts: "Đã giải quyết 412, trong đó: trước hạn 398 hồ sơ, đúng hạn 12 hồ sơ, quá
hạn 2 hồ sơ". So a count takes its field from the clause around it:
- the words right after "N hồ sơ" name it ("24.458 hồ sơ trực tuyến", "còn 03 hồ sơ đang
  giải quyết"), unless they only repeat a group a label right before it already names;
- else the nearest label before it in its sentence, read in the group that is open there
  ("quá hạn" is resolved_late after "đã giải quyết" but pending_overdue after "đang giải
  quyết");
- else, for a count of dossiers with nothing before it, a label further on in its sentence
  ("1.052 hồ sơ của các sở, ngành … trễ hạn").
A label too far from the count, beyond a ";", or outside a bracket the count sits in is not
its label; a count said of the very figure its sentence opens on is a part of it, not that
figure. The thresholds are named settings (settings.py); the words are rules data.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from tthc.extract.lexicon import (
    GROUP_TOTAL,
    PART_HEAD,
    RATIO_WORDS,
    Hit,
    Sentences,
    field_name,
    figure_patterns,
    other_unit_named,
    scope_patterns,
    single_word_needs_capital,
    system_line,
    unit_after,
)
from tthc.extract.readings import Count, Figure, Foreign, PeriodIndex
from tthc.extract.settings import ReaderSettings
from tthc.extract.structure import HEADING_LEVELS, marker_level
from tthc.schemas import Text
from tthc.textkit.forms import compile_vi
from tthc.textkit.numbers import NUMERAL, parse_count

Span = tuple[int, int]

_FRACTION = regex.compile(
    r"(?<![\d.,/])(?P<a>\d+(?:[.,]\d{3})*)\s*/\s*(?P<b>\d+(?:[.,]\d{3})*)(?![\d/]|[.,]\d)"
)
# A bracket holding only words and rates ("(chiếm 87,5%)", "(đạt tỷ lệ 99,1%)").
_ASIDE = regex.compile(r"[ \t]*\((?:[^()\n\d]|\d+(?:[.,]\d+)?\s*%)*\)")
# A line's head: its words before the first ":" after any list marker, with no number.
# A negation of dossiers ("không hồ sơ nào", "không có hồ sơ", "chưa để hồ sơ …"): a statement
# about none, which names nothing of a count before it.
_NEGATED_NOUN = compile_vi(
    r"(?<![\p{L}])(?i:không|chưa)\s+(?i:có\s+|để\s+(?:xảy\s+ra\s+)?|phát\s+sinh\s+|còn\s+)?"
    r"(?i:bất\s+kỳ\s+|một\s+)?(?i:hồ\s+sơ|hs|trường\s+hợp)(?![\p{L}])"
)

_COPULA = regex.compile(r"\s*là")
_LINE_HEAD = regex.compile(
    r"[ \t]*(?:[-+•*]|\d{1,2}[.)]|[a-zđ][.)]|[ivx]{1,4}[.)])?[ \t]*"
    r"(?P<head>(?:[^:\n\d()]|\([^()\n]{0,160}\)){3,200}):"
)
# A heading with no number: all its words after the marker ("2. Hồ sơ thuộc thẩm quyền …").
_HEADING_HEAD = regex.compile(
    r"[ \t]*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)]|[ivx]{1,4}[.)])[ \t]*"
    r"(?P<head>(?:[^:\n\d()]|\([^()\n]{0,160}\)){3,240})[ \t.:]*$"
)
_BRACKETS = regex.compile(r"\([^()]*\)")
# Between a label and the bracket holding its count: only the label's rate ("…: 27,4% (").
_RATE_THEN_BRACKET = regex.compile(
    r"[ \t]*:?[ \t]*(?:(?:đạt|chiếm|bằng)[ \t]+)?\d+(?:[.,]\d+)?[ \t]*%[ \t]*"
)
_COMMA_THEN_COUNT = regex.compile(r",[ \t]*$")
# A count that is a fraction's numerator ("136/278"), and words that name a rate's base.
_NUMERATOR = regex.compile(r"[ \t]*/[ \t]*\d")
_BASE_BEFORE = compile_vi(r"(?<![\p{L}])trên[ \t]+(?:tổng[ \t]+số|tổng|số)(?![\p{L}])[^,;.\d]*$")
# After a system's name in a line's head: only the rest of its name, then ":" or the cell's end.
_SYSTEM_HEAD_REST = regex.compile(r"[^,;.:\d|]*(?::[ \t]*)?")
_FIELD_NAMED = regex.compile(r"(?<![\p{L}])lĩnh\s+vực\s+(?P<name>[\p{L}]+(?:\s+[\p{L}]+)?)")
# A head naming a part: a competence block or a level, desk or agency inside the unit.
_FIELD_OPENER = regex.compile(
    r"[ \t]*(?:[-+•*][ \t]*)?(?:trong|riêng|đối[ \t]+với|về)[ \t]+(?:lĩnh[ \t]+vực|nhóm|mảng)"
    r"[ \t]+(?P<name>[^,:;\n\d()]{2,40}?)[ \t]*[,:]"
)
_SUBSET_HEAD = regex.compile(r"^\s*(?i:riêng)\s+")
_HEAD_NOUN = regex.compile(r"^(?i:(?:số\s+)?(?:các\s+)?(?:hồ\s+sơ|hs)\s+)")
JOINT_DOUBT = (
    'Một số được nêu chung cho cả tiếp nhận và giải quyết ("tiếp nhận và giải quyết …"); '
    "cần xem lại báo cáo trước khi đối chiếu."
)


@dataclass
class LineState:
    """Context carried from a line to the lines nested under it."""

    group: str | None = None
    group_level: int = 99
    scope: str = "all"
    scope_level: int = 99
    scope_heads_list: bool = False  # a plain line "Riêng …:" scoping the list under it
    scope_at: int | None = None  # the start of the line that set the scope
    group_at: int | None = None  # where the words that opened the group stand


_ANNOUNCES = regex.compile(
    r"\s*,?\s*(?i:(?:kết\s+quả|số\s+liệu|tình\s+hình)(?:\s+\p{L}+){0,3}?\s+như\s+sau"
    r"|cụ\s+thể(?:\s+như\s+sau)?|như\s+sau)\s*$"
)
_AGENT = compile_vi(
    r"(?<![\p{L}])(?:do\s+)?(?:tổ\s+chức,\s+(?:cá\s+nhân|công\s+dân)|người\s+dân|công\s+dân|"
    r"tổ\s+chức|cá\s+nhân)(?:\s+(?:tự\s+nguyện|tự|làm\s+đơn))*(?![\p{L}])"
)
_REST = regex.compile(r"^\s*(?:còn\s+lại|khác)(?![\p{L}])")


def _in_pair(match: str, comma: int) -> bool:
    """Whether the comma at `comma` joins a pair of nouns ("các xã, thị trấn")."""
    return any(
        m.start() < comma < m.end()
        for m in figure_patterns().comma_pair.finditer(match, max(0, comma - 25), comma + 25)
    )


def _names_from_right(h: Hit) -> bool:
    """A figure word after a count that may say what it counts: not the generic "tổng số"
    ("4 trên tổng số …" is "out of the total")."""
    return h.label.kind in ("group", "qualifier", "joint") and h.label.key != "qualifier:total"


def group_total(field_name_: str) -> str | None:
    """The total of a field's group (resolved_late → resolved_total)."""
    prefix = field_name_.split("_", 1)[0]
    return GROUP_TOTAL.get(prefix)


class StatementGrammar:
    """Reads the field(s) each count of a document states (see the module doc)."""

    def __init__(
        self,
        text: Text,
        hits: list[Hit],
        sentences: Sentences,
        periods: PeriodIndex,
        foreign: list[Foreign],
        settings: ReaderSettings,
    ) -> None:
        self.text = text
        self.hits = hits
        self.sentences = sentences
        self.periods = periods
        self.foreign = foreign
        self.settings = settings

    def fractions(
        self, start: int, end: int, hits: list[Hit], used: set[int], state: LineState, level: int
    ) -> list[Figure]:
        """ "giải quyết 1.530/1.602 hồ sơ đã tiếp nhận": a fraction with no rate, whose
        denominator the words after it name, states two figures (the numerator takes the
        label before it). With a rate after it ("trực tuyến 318/420 hồ sơ, đạt 75,71%",
        "318 hồ sơ trên tổng số 420 hồ sơ tiếp nhận, chiếm …") each side a word names right
        next to it is a weak figure: stated elsewhere, that statement wins."""
        out: list[Figure] = []
        match = self.text.match
        found = [*_FRACTION.finditer(match, start, end), *RATIO_WORDS.finditer(match, start, end)]
        for m in found:
            if any(f.start <= m.start() < f.end for f in self.foreign):
                continue
            a, b = parse_count(m["a"]), parse_count(m["b"])
            unit_end, dossier = unit_after(match, m.end("b"))
            if a is None or b is None or a > b or not dossier:
                continue
            after = match[unit_end : unit_end + self.settings.fraction_clause_chars]
            stop = regex.search(r"[.;\n](?!\d)", after)
            rated = "%" in (after[: stop.start()] if stop else after)
            if m.re is RATIO_WORDS and not rated:
                continue
            den = Count(m.start("b"), m.end("b"), b, unit_end, True)
            right = self._right_hits(den, hits)
            den_field = right[0].label.field if right and right[0].label.kind == "group" else None
            num = Count(m.start("a"), m.end("a"), a, m.end("a"), True)
            named = [
                h
                for h in hits
                if start <= h.start
                and h.end <= m.start()
                and h.label.kind in ("group", "qualifier")
                and h.start >= self.sentences.begin(m.start())
            ]
            nearest = named[-1] if named else None
            num_field = None
            base = None
            if nearest is not None and self._may_name(nearest, num):
                lab = nearest.label
                num_field = lab.field_in(state.group) if lab.kind == "qualifier" else lab.field
                base = _BASE_BEFORE.search(match, max(start, nearest.start - 60), nearest.start)
                if base is not None:
                    # "tỷ lệ hồ sơ nộp trực tuyến trên tổng số hồ sơ mới tiếp nhận là
                    # 136/278": the words after "trên" name the base, those before the part
                    den_field = den_field or (lab.field if lab.kind == "group" else None)
                    if den_field is None and lab.key == "qualifier:new":
                        den_field = "received_new"
                    before = [h for h in named if h.end <= base.start()]
                    part = before[-1] if before else None
                    group = (den_field or "").split("_", 1)[0] or state.group
                    num_field = part.label.field_in(group) if part is not None else None
                    nearest = part
            if rated and base is None:
                num_field = num_field if nearest and self._adjacent(nearest, num) else None
                if den_field is None and right and right[0].label.key == "qualifier:new":
                    den_field = "received_new"  # "a/b hồ sơ mới …": b dossiers newly received
                later = [h for h in right[1:] if h.label.kind == "qualifier"]
                if num_field is None and den_field and later:
                    # "21.873/24.531 hồ sơ mới được nộp trực tuyến": a of them online
                    num_field = later[-1].label.field_in(den_field.split("_", 1)[0])
                    nearest = later[-1]
                elif num_field is None and den_field is None and right:
                    # "có 91/164 hồ sơ nộp trực tuyến, đạt 55,49%": the words after the
                    # fraction name its numerator; the base is left to its own statement
                    first = right[0].label
                    group = state.group or first.group
                    if first.kind == "qualifier" and group:
                        num_field = first.field_in(group)
                        nearest = right[0]
            elif not num_field or not den_field:
                continue
            if num_field == den_field:
                continue
            period = self.periods.at(m.start(), self.sentences.end(m.start()))
            if num_field:
                after = nearest.start > num.start  # named by the words after the ratio
                quote = m.start() if after else self.clause_start(nearest.start)
                out.append(
                    Figure(
                        num_field,
                        a,
                        num.start,
                        num.end,
                        quote,
                        nearest.end if after else m.end("a"),
                        period,
                        state.scope,
                        weak=rated,
                    )
                )
            if den_field:
                out.append(
                    Figure(
                        den_field,
                        b,
                        den.start,
                        den.end,
                        m.start(),
                        right[-1].end if right else unit_end,
                        period,
                        state.scope,
                        weak=rated,
                    )
                )
        return out

    def open_label(self, h: Hit, state: LineState, level: int) -> None:
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
        state.group_at = h.start

    def close_stale_group(self, line_start: int, offset: int, state: LineState) -> None:
        """A group opened in an earlier sentence of the same paragraph does not name the
        parts of a new one ("… còn 91 hồ sơ đang giải quyết. Đáng tiếc, … phát sinh 5 hồ sơ
        trễ hạn"), unless it goes on about it ("Trong đó, …")."""
        at = state.group_at
        if state.group is None or at is None or at < line_start:
            return
        begin = self.sentences.begin(offset)
        if at >= begin:
            return
        if scope_patterns()["continues"].match(self.text.match, begin, offset):
            return
        state.group, state.group_level, state.group_at = None, 99, None

    def assign(
        self,
        num: Count,
        left: list[Hit],
        hits: list[Hit],
        used: set[int],
        state: LineState,
        level: int,
    ) -> list[Figure]:
        """The field(s) a number states; [] when nothing names it as a dossier figure.

        The words right after "N hồ sơ" name it ("24.458 hồ sơ trực tuyến"), unless they
        only repeat a group while a label stands right before it ("tiếp nhận 100 hồ sơ giải
        quyết TTHC"); else the nearest label before it in its sentence; else, for a count of
        dossiers with nothing before it, a label further on in the sentence ("1.052 hồ sơ của
        các sở, ngành … trễ hạn")."""
        sentence_start = self.sentences.begin(num.lead)
        named = [
            h
            for h in left
            if h.label.kind in ("group", "qualifier", "joint") and h.start >= sentence_start
        ]
        right = self._right_hits(num, hits)
        adjacent = named[-1] if named and self._adjacent(named[-1], num) else None
        weak = False
        generic = adjacent is not None and adjacent.label.key == "qualifier:total"
        joint = [h for h in right if h.label.kind == "joint"]
        if right and joint and len(joint) == len(right):
            # "781 hồ sơ được tiếp nhận, xử lý trên Hệ thống …": both, each a weak reading
            for h in right:
                used.add(id(h))
            fields = list(joint[0].label.joint)
            return self._figures(num, fields, num.lead, joint[0].end, state, weak=True)
        if right and (adjacent is None or generic or any(h.label.kind != "group" for h in right)):
            fields = self._fields_from_right(num, right, state, level)
            for h in right:
                used.add(id(h))
            quote_start, quote_end = num.lead, max(h.end for h in right)
        elif named:
            nearest = named[-1]
            if not self._may_name(nearest, num):
                return []
            if _NUMERATOR.match(self.text.match, num.end) and _BASE_BEFORE.search(
                self.text.match, max(sentence_start, nearest.start - 60), nearest.start
            ):
                return []  # "tỷ lệ … trên tổng số hồ sơ mới tiếp nhận là 136/278": the words
                # name the base (278), not the numerator; the fraction reader reads both
            lab = nearest.label
            part = self._part_named_after(num, nearest, hits)
            if part is not None:  # "…, trong đó 940 hồ sơ do các đơn vị tiếp nhận … chuyển sang"
                fields = (
                    [f]
                    if (f := part.label.field_in(lab.name if lab.kind == "group" else state.group))
                    else []
                )
                if fields:
                    for h in hits:
                        if num.unit_end <= h.start < part.end:
                            used.add(id(h))
                    return self._figures(num, fields, num.lead, part.end, state, weak=False)
            grouped = any(h.label.kind in ("group", "joint") for h in named)
            if lab.key == "qualifier:total" and not grouped and num.dossier_unit:
                # "có tổng cộng 1.052 hồ sơ … trễ hạn": what it totals is said further on
                fields, far_end = self._further_on(num, hits, used, state, level)
                if fields:
                    quote_start, quote_end = self.clause_start(nearest.start), far_end
                    return self._figures(num, fields, quote_start, quote_end, state, weak=False)
            if lab.kind == "joint":
                fields, weak = list(lab.joint), True
            elif lab.kind == "qualifier":
                f = lab.field_in(state.group)
                fields = [f] if f else []
            else:
                fields = [self._qualified_group(nearest, named) or lab.field]
                fields = [f for f in fields if f]
            quote_start, quote_end = self.clause_start(nearest.start), num.unit_end
            if self._field_before(nearest, num) and not self.bracketed_field(num):
                return []  # "Các hồ sơ trễ hạn gồm: đất đai 1": an item, not the unit's total
            if not fields:  # "có tổng cộng 1.052 hồ sơ … trễ hạn": the words after say
                fields, quote_end = self._further_on(num, hits, used, state, level)
        else:
            fields, quote_end = self._further_on(num, hits, used, state, level)
            quote_start = num.lead
        if not fields:
            return []
        if self._part_of_same(num, fields, state):
            return []
        return self._figures(num, fields, quote_start, quote_end, state, weak)

    def stated(self, num: Count, field: str, quote_end: int, state: LineState) -> list[Figure]:
        """The figure `num` states for `field`, quoted from its number to `quote_end`."""
        return self._figures(num, [field], num.lead, quote_end, state, weak=False)

    def open_group_total(self, num: Count, left: list[Hit], state: LineState, level: int):
        """ "- Theo hệ thống tiếp nhận:" then "+ Trên Cổng DVC quốc gia: 5.113 HS": a line
        that names a part and no figure word, nested under an open group, states that
        group's total for the part."""
        if state.group is None or state.group_level >= level or state.scope == "all":
            return []
        if state.scope_level != level or any(
            h.label.kind in ("group", "qualifier", "joint") for h in left
        ):
            return []
        total = GROUP_TOTAL.get(state.group)
        if total is None:
            return []
        return self._figures(num, [total], num.lead, num.unit_end, state, weak=False)

    def _figures(
        self,
        num: Count,
        fields: list[str],
        quote_start: int,
        quote_end: int,
        state: LineState,
        weak: bool,
    ) -> list[Figure]:
        fields = [self._topic_field(num, f) for f in fields]
        period = self.periods.at(num.start, self.sentences.end(num.start))
        scope = self.bracketed_field(num) or state.scope
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

    def _part_named_after(self, num: Count, nearest: Hit, hits: list[Hit]) -> Hit | None:
        """A count listed under a whole already counted ("… 25.471 hồ sơ, trong đó 940 hồ
        sơ do các đơn vị tiếp nhận từ trước ngày 1/7 chuyển sang"): the group's words before
        it are spent, and the qualifier that ends its own clause says which part it is."""
        if nearest.label.kind != "group":
            return None
        between = NUMERAL.search(self.text.match, nearest.end, num.lead)
        if between is None:
            return None  # the group's words name this count itself
        match = self.text.match
        stop = regex.search(r"[,;.]\s|\s(?:và|hoặc)\s|\n", match[num.unit_end :])
        end = num.unit_end + (stop.start() if stop else len(match) - num.unit_end)
        nxt = NUMERAL.search(match, num.unit_end, end)
        end = nxt.start() if nxt else end
        quals = [
            h
            for h in hits
            if num.unit_end <= h.start
            and h.end <= end
            and h.label.kind == "qualifier"
            and _names_from_right(h)
        ]
        if (
            not quals
            or len(match[num.unit_end : quals[-1].start].split()) > self.settings.far_right_words
        ):
            return None
        return quals[-1]

    def _further_on(
        self, num: Count, hits: list[Hit], used: set[int], state: LineState, level: int
    ) -> tuple[list[str], int]:
        """A count of dossiers with no label before it that names it: the first label further
        on in its sentence ("1.052 hồ sơ của các sở, ngành … trễ hạn")."""
        far = self._far_right(num, hits) if num.dossier_unit else []
        if not far:
            return [], num.unit_end
        fields = self._fields_from_right(num, far, state, level)
        if fields:
            for h in far:
                used.add(id(h))
        return fields, max(h.end for h in far)

    def _topic_field(self, num: Count, field: str) -> str:
        """ "Về hồ sơ trực tuyến, … UBND thành phố tiếp nhận 581 hồ sơ": a sentence opened on
        a part names what its group totals count (581 received online)."""
        begin = self.sentences.begin(num.lead)
        topic = figure_patterns().topic.match(self.text.match, begin, num.lead)
        if topic is None:
            return field
        first = NUMERAL.search(self.text.match, topic.end(), num.lead)
        stop = first.start() if first else num.lead
        quals = [
            h.label
            for h in self.hits
            if topic.end() <= h.start and h.end <= stop and h.label.kind == "qualifier"
        ]
        if not quals or field not in GROUP_TOTAL.values():
            return field
        group = next(g for g, total in GROUP_TOTAL.items() if total == field)
        return dict(quals[0].fields).get(group, field)

    def _part_of_same(self, num: Count, fields: list[str], state: LineState) -> bool:
        """ "Trong tổng số hồ sơ trễ hạn có 164 hồ sơ trễ hạn thực tế …": a count the
        sentence says of the very figure it opens on is a part of it, not that figure."""
        begin = self.sentences.begin(num.lead)
        head = figure_patterns().subset_of.match(self.text.match, begin, num.lead)
        if head is None or not fields:
            return False
        gap = self.text.match[head.end() : num.lead]
        if not (figure_patterns().has_before.search(gap) or _COMMA_THEN_COUNT.search(gap)):
            return False  # "Trong số hồ sơ mới, 323 hồ sơ …" says it with a comma
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

    def _field_before(self, label: Hit, num: Count) -> str | None:
        """The field named right before a number, after its label ("… gồm: đất đai 1")."""
        gap = self.text.match[label.end : num.lead].rstrip(" :")
        words = gap.split()
        for n in range(min(self.settings.field_name_words, len(words)), 0, -1):
            name = field_name(" ".join(words[-n:]))
            if name:
                return name
        return None

    def foreign_at(self, offset: int) -> Foreign | None:
        return next((f for f in self.foreign if f.start <= offset < f.end), None)

    def _adjacent(self, h: Hit, num: Count) -> bool:
        """A label right before the number ("tiếp nhận hơn 100.000")."""
        gap = self.text.match[h.end : num.lead]
        return bool(regex.fullmatch(r"[\s:]*(?:(?:là|được|có|đã)[\s:]*)?", gap))

    def _may_name(self, label: Hit, num: Count) -> bool:
        """Whether the label before a number, in its sentence, can be the number's: near
        enough, not beyond a ";", and not outside a bracket the number sits in ("Công an
        tỉnh (420 hồ sơ)" is another unit's count) unless the bracket follows a field's name
        or the label itself ("quá hạn (05 hồ sơ)")."""
        match = self.text.match
        gap = match[label.end : num.lead]
        s = self.settings
        limit = s.unit_label_gap_chars if num.dossier_unit else s.label_gap_chars
        if len(gap) > limit or regex.search(r";|\.(?!\d)", gap):
            return False
        if other_unit_named(match, self.text.text, label.end, num.lead):
            return False  # "… nhiều nhất là: Sở Giao thông vận tải 829 HS": that agency's
        opened = gap.rfind("(")
        in_bracket = opened >= 0 and ")" not in gap[opened:] and bool(gap[:opened].strip())
        if (
            in_bracket
            and self.bracketed_field(num) is None
            and not _RATE_THEN_BRACKET.fullmatch(gap[:opened])
        ):
            return False  # but "Trực tiếp: 27,4% (723 hồ sơ)": the label's rate, then its count
        # "… giải quyết TTHC 1.": a flattened table's next item number
        # a closed bracket between is an aside ("Tổng HS tiếp nhận (cả 3 cấp): 35.215")
        return (
            num.dossier_unit
            or not self._ends_line(num)
            or bool(figure_patterns().label_to_number.fullmatch(_BRACKETS.sub(" ", gap)))
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

    def _far_right(self, num: Count, hits: list[Hit]) -> list[Hit]:
        """The first label later in the sentence, before any other number, ";", "(" or a new
        clause about other dossiers (", hồ sơ …")."""
        match = self.text.match
        start = self._past_aside(num.unit_end)
        stop = self.sentences.end(start) or len(match)
        nxt = NUMERAL.search(match, start, stop)
        if nxt:
            stop = nxt.start()
            # "tổng số 180 hồ sơ, đã giải quyết 170 hồ sơ": the words right before the next
            # count are that count's, not this one's
            clause = regex.search(r"[,;:]\s*(?:[\p{L}]+\s+){0,4}$", match[start:stop])
            if clause is not None:
                stop = start + clause.start()
        # ", trong đó …", "gồm …": the words after name the count's parts, never the count
        cut = regex.search(
            r"[;(]|,\s*(?:số\s+)?(?:hồ\s+sơ|hs)(?![\p{L}])|(?<![\p{L}])(?:trong\s+đó|bao\s+gồm|gồm)(?![\p{L}])",
            match[start:stop],
        )
        if cut:
            stop = start + cut.start()
        # "300 hồ sơ, không hồ sơ nào trễ hẹn": what a negation says is of none, never of
        # the count before it
        cut = _NEGATED_NOUN.search(match, start, stop)
        if cut:
            stop = cut.start()
        found = [h for h in hits if start <= h.start < stop and _names_from_right(h)]
        far = self.settings.far_right_words
        if not found or len(match[start : found[0].start].split()) > far:
            return []
        quals = [h for h in found[1:] if h.label.kind == "qualifier"]
        if found[0].label.kind == "group" and quals:
            return [found[0], quals[-1]]  # "… hồ sơ do các đơn vị tiếp nhận từ … chuyển sang"
        return found[:1]

    def _past_aside(self, pos: int) -> int:
        """ "có 350 hồ sơ (chiếm 87,5%) giải quyết trước hạn": a bracket right after a count
        that holds only a rate or words is an aside; what the count is comes after it."""
        m = _ASIDE.match(self.text.match, pos)
        return m.end() if m else pos

    def _fields_from_right(
        self, num: Count, right: list[Hit], state: LineState, level: int
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
        remaining = figure_patterns().remaining.search(
            self.text.match[max(0, num.start - self.settings.remaining_look_chars) : num.start]
        )
        pending = (group is not None and group.name == "pending") or (
            group is None and qual.opens and qual.group == "pending"
        )
        if pending and remaining and "pending_total" not in fields:
            fields.insert(0, "pending_total")  # "còn 20 hồ sơ chưa đến hạn"
        return fields

    def clause_start(self, offset: int) -> int:
        """Start of the clause holding `offset`, for a readable quote."""
        window_start = max(0, offset - self.settings.quote_chars)
        line_start = self.text.lines[self.text.line_index(offset)].start
        window_start = max(window_start, line_start)
        cut = None
        window = self.text.match[window_start:offset]
        for m in figure_patterns().clause_boundary.finditer(window):
            cut = m.end()
        if cut is None and window_start > line_start:
            space = window.find(" ")
            cut = space + 1 if space >= 0 else 0
        return window_start + (cut or 0)

    def _ends_line(self, num: Count) -> bool:
        return bool(regex.match(r"\.?[ \t]*(?:\n|$)", self.text.match[num.end : num.end + 4]))

    def like_previous_bracketed(self, num: Count, line_figures: list[Figure]) -> list[Figure]:
        """ "đất đai (05 hồ sơ) và xây dựng (02 hồ sơ)": the second bracketed count of a
        sentence is the same figure for the next field."""
        scope = self.bracketed_field(num)
        prev = line_figures[-1] if line_figures else None
        if scope is None or prev is None or prev.scope in ("all", "lien_thong"):
            return []
        if self.sentences.end(prev.start) != self.sentences.end(num.start):
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

    def bracketed_field(self, num: Count) -> str | None:
        """ "đất đai (05 hồ sơ)": a count in brackets right after a field's name is that
        field's figure, not a second value for the whole unit."""
        match = self.text.match
        if not regex.search(r"\(\s*$", match[max(0, num.lead - 3) : num.lead]):
            return None
        before = match[max(0, num.lead - self.settings.bracket_field_chars) : num.lead].rstrip(" (")
        words = before.split()
        for n in range(min(self.settings.field_name_words, len(words)), 0, -1):
            name = field_name(" ".join(words[-n:]))
            if name:
                return name
        return None

    def _right_hits(self, num: Count, hits: list[Hit]) -> list[Hit]:
        """Labels right after "N hồ sơ" that say what N counts, up to a barrier."""
        match = self.text.match
        start = self._past_aside(num.unit_end)
        look = start + self.settings.right_look_chars
        pats = figure_patterns()
        barrier = pats.right_barrier.search(match, start, look)
        if barrier and _COPULA.fullmatch(match[start : barrier.end()]):
            # "còn lại 2.464 hồ sơ là tiếp nhận mới": "là" right after the count says what it is
            barrier = pats.right_barrier.search(match, barrier.end(), look)
        while barrier and barrier.group() == "," and _in_pair(match, barrier.start()):
            # "86 hồ sơ do các xã, thị trấn cũ chuyển giao": a pair of nouns, not a clause
            barrier = pats.right_barrier.search(match, barrier.end(), look)
        stop = barrier.start() if barrier else look
        nxt = NUMERAL.search(match, start, stop)
        if nxt:
            stop = nxt.start()
        found = [h for h in hits if start <= h.start < stop and _names_from_right(h)]
        if not found:
            return []
        gap = _REST.sub("", match[start : found[0].start])  # "748 hồ sơ còn lại người dân nộp …"
        gap = _AGENT.sub(" ", gap)  # "2 hồ sơ do công dân làm đơn xin rút": who did it
        if len(gap.split()) > self.settings.right_gap_words:
            return []
        return found

    def line_scope(self, start: int, end: int, hits: list[Hit]) -> str | None:
        """A line about liên thông dossiers, about one field ("- Hộ tịch: …", "b) Lĩnh vực
        đất đai (…): …"), or headed by a part of the unit ("a) Hồ sơ thuộc thẩm quyền của
        UBND xã (…): tổng số …", "- Cấp xã: …")."""
        first_number = NUMERAL.search(self.text.match, start, end)
        head_end = first_number.start() if first_number else end
        # liên thông when the line's first statement is about it; a closing sentence that
        # names liên thông ("không phát sinh hồ sơ liên thông") says nothing of the others
        first_sentence = (self.sentences.end(head_end) or end) if first_number else end
        scope = next(
            (
                h.label.name
                for h in hits
                if h.label.kind == "scope"
                and h.start < (first_sentence if h.label.name == "lien_thong" else head_end)
            ),
            None,
        )  # the unit's own authority only when the line opens on it, before its figures
        if scope is not None:
            return scope  # liên thông, or the dossiers under the unit's own authority
        m = figure_patterns().field_scope.match(self.text.match, start, end)
        if m:
            name = field_name(m["name"])
            if name:
                return name
        m = _FIELD_OPENER.match(self.text.match, start, end)
        if m and field_name(m["name"]):
            # "Trong lĩnh vực đất đai, phần hồ sơ do UBND xã giải quyết là 296 hồ sơ": a
            # field's share, even inside a section about a part
            return f"part:{field_name(m['name'])}"
        system = system_line().match(self.text.match, start, head_end)
        if system is not None and _SYSTEM_HEAD_REST.fullmatch(
            _BRACKETS.sub(" ", self.text.match[system.end() : head_end])
        ):  # "+ Trên Hệ thống thông tin … của tỉnh: 30.102 HS"; not "- Trên Hệ thống …
            # (cả ba cấp), tổng số hồ sơ tiếp nhận là …", the unit's own said where it is kept
            written = self.text.text[system.start("sys") : head_end]
            name = " ".join(_BRACKETS.sub(" ", written.split(":")[0]).split()).rstrip(" ,|")
            return f"part:{name}"
        head = _LINE_HEAD.match(self.text.match, start, end)
        if head is None and marker_level(self.text.text[start:end]) <= HEADING_LEVELS:
            head = _HEADING_HEAD.match(self.text.match, start, end)  # "2. Hồ sơ thuộc …"
        if head is None:
            return None
        asides = [
            (head.start("head") + b.start(), head.start("head") + b.end())
            for b in _BRACKETS.finditer(head["head"])
        ]
        words = _BRACKETS.sub(" ", head["head"])
        if PART_HEAD.search(words) or _SUBSET_HEAD.match(words):
            # "d) Riêng hồ sơ thuộc thẩm quyền của các sở, ngành tiếp nhận tại Trung tâm":
            # a part, whatever figure words its name holds
            return f"part:{self._head_name(head)}"
        figure_words = [
            h
            for h in hits
            if head.start("head") <= h.start < head.end()
            and h.label.kind in ("group", "qualifier", "joint")
            and not any(a <= h.start < b for a, b in asides)
        ]
        if figure_words:
            # a head of figure words ("Tình hình tiếp nhận:") is no part, unless it names a
            # field ("3. Hồ sơ lĩnh vực đất đai tiếp nhận hộ")
            named = _FIELD_NAMED.search(head["head"])
            known = field_name(named["name"]) if named else None
            return f"part:{known}" if known else None
        name = field_name(words)
        if name:  # a field given as a part of the text ("b) Lĩnh vực đất đai (…): …")
            return f"part:{name}"
        if self._names_agency(head.start("head"), head.end("head")):
            return f"part:{self._head_name(head)}"
        return None

    def _head_name(self, head: regex.Match) -> str:
        written = self.text.text[head.start("head") : head.end("head")]
        written = " ".join(_BRACKETS.sub(" ", written).split())
        written = _ANNOUNCES.sub("", written)  # "…, kết quả như sau", "…, cụ thể"
        return _HEAD_NOUN.sub("", _SUBSET_HEAD.sub("", written))

    def _names_agency(self, start: int, end: int) -> bool:
        """A head that is an agency's or a level's name ("1. Sở Tư pháp:", "- Công an tỉnh:")."""
        m = scope_patterns()["subject"].match(self.text.match, start, end)
        if m is None:
            return False
        return not single_word_needs_capital(m["s"]) or self.text.text[m.start()].isupper()

    # ---------------------------------------------------------------- breakdowns
