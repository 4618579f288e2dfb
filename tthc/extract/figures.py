"""Dossier figures in running text, line by line: which count is which field, in which period
and scope.

The driver of the figure grammar. Each line (a paragraph or a flattened row) is read with
what the lines above it left open: a group ("- Đã giải quyết: trong đó:" then "+ Trước hạn:
12") and a scope ("- Hộ tịch: …", a liên thông paragraph), both closed by the next line of
the same or a higher level, and every heading. On a line:
1. its itemized lists (breakdowns.py): their items are a figure's parts, not fields;
2. each other count (counts.py, `doc._.counts`) takes its field from its clause
   (statements.py); a count in another unit's or a part's stretch (`doc._.parts`) is not the
   unit's;
3. a fraction with no rate ("giải quyết 1.530/1.602 hồ sơ đã tiếp nhận") states two figures;
4. a group total announced without its number ("Tổng số hồ sơ đã giải quyết: Trong đó:")
   is recorded as missing, never as zero.
A count with no label near it, or counting something else ("119 TTHC", "663 người"), is not
a dossier figure.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.breakdowns import ListReader
from tthc.extract.lexicon import (
    PART_HEAD,
    SPLIT_LEAD_IN,
    Hit,
    Sentences,
    field_name,
    figure_patterns,
    label_hits,
    system_names,
)
from tthc.extract.readings import Count, Figure, FigureResult, Foreign, FoundMissing, PeriodIndex
from tthc.extract.series import find_series
from tthc.extract.settings import DEFAULT, ReaderSettings
from tthc.extract.statements import LineState, StatementGrammar
from tthc.extract.structure import HEADING_LEVELS, LIST_LEVELS, PLAIN, line_levels
from tthc.schemas import Text
from tthc.textkit.forms import compile_vi

Span = tuple[int, int]

# Totals a report must give; announcing one without its number is a `missing` flag.
_REQUIRED = {"received_total", "resolved_total", "pending_total"}


_ASIDE = regex.compile(r"\([^()]*\)")


def _in_aside(asides: list[Span], h: Hit, before: int) -> bool:
    return any(s <= h.start and h.end <= e <= before for s, e in asides)


def _readable(stretch: Foreign | None) -> bool:
    """Counts of the unit, or of one of its parts, are read; another unit's, or an average
    over time, are not the unit's."""
    return stretch is None or stretch.kind == "part"


def _part_scope(part: Foreign, state: LineState, line_start: int) -> str:
    """A part a sentence names, inside a section already about a part or a field ("2. Hồ sơ
    thuộc thẩm quyền của …" then "Các phòng chuyên môn đã giải quyết …"): the section's;
    liên thông always its own."""
    scope = part.scope or f"part:{part.name}"
    if scope != "lien_thong" and state.scope not in ("all", "lien_thong"):
        if (
            state.scope == "authority"
            and line_start <= state.scope_at < part.start
            and not (part.carried or part.subset)
        ):
            # the unit's own competence, set by this very line's first clause ("hồ sơ thuộc
            # thẩm quyền của UBND xã là …; hồ sơ thuộc thẩm quyền cấp huyện … là 348"): the
            # other level named after it is its own part
            return scope
        return state.scope
    return scope


def _inside(spans: list[Span], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


class FigureReader:
    """Reads the dossier figures of one document's running text."""

    def __init__(
        self,
        text: Text,
        doc: Doc,
        periods: PeriodIndex,
        counts: list[Count],
        skip_lines: set[int] = frozenset(),
        foreign: list[Foreign] = (),
        settings: ReaderSettings = DEFAULT,
        protected: list[Span] = (),
    ) -> None:
        self.text = text
        self.periods = periods
        self.counts = counts
        self.protected = list(protected)
        self.skip_lines = skip_lines
        self.hits = label_hits(doc)
        self.sentences = Sentences(doc)
        self.grammar = StatementGrammar(
            text, self.hits, self.sentences, periods, list(foreign), settings
        )
        self.lists = ListReader(text, self.hits, self.sentences, periods, settings)
        self.result = FigureResult()

    def read(self) -> FigureResult:
        levels = line_levels(self.text)
        state = LineState()
        hit_i = count_i = 0
        item_stated = False  # the last list item stated its own figures
        for idx, line in enumerate(self.text.lines):
            level = levels[idx]
            if level <= HEADING_LEVELS or level <= state.group_level:
                state.group, state.group_level = None, 99
            after_item = item_stated and level == PLAIN and line.cells is None
            if after_item and state.group_level in LIST_LEVELS:
                state.group, state.group_level = None, 99
            if (
                level <= HEADING_LEVELS
                or level <= state.scope_level
                or (after_item and state.scope_level in LIST_LEVELS)
                or (state.scope_heads_list and level == PLAIN)
            ):
                state.scope, state.scope_level = "all", 99
                state.scope_heads_list = False
            while hit_i < len(self.hits) and self.hits[hit_i].end <= line.start:
                hit_i += 1
            line_hits = []
            j = hit_i
            while j < len(self.hits) and self.hits[j].start < line.end:
                line_hits.append(self.hits[j])
                j += 1
            while count_i < len(self.counts) and self.counts[count_i].start < line.start:
                count_i += 1
            line_counts = []
            k = count_i
            while k < len(self.counts) and self.counts[k].start < line.end:
                if self.counts[k].why is None:
                    line_counts.append(self.counts[k])
                k += 1
            if level != PLAIN:
                # a list item that states its own figures holds only itself: the running
                # text after it is back with the unit ("- … các sở, ngành: 237 hồ sơ, …"
                # then "Phường đã giải quyết xong 773 hồ sơ"); an item that only names a
                # part or a group ("- Cấp xã:", "- Đã giải quyết, trong đó:") heads the
                # lines under it
                said = self.text.text[line.start : line.end].rstrip()
                item_stated = level in LIST_LEVELS and bool(line_counts) and not said.endswith(":")
            if idx in self.skip_lines:
                continue
            self._read_line(line.start, line.end, level, line_hits, line_counts, state)
        return self.result

    def _read_line(
        self,
        start: int,
        end: int,
        level: int,
        hits: list[Hit],
        every: list[Count],
        state: LineState,
    ) -> None:
        grammar = self.grammar
        scope = grammar.line_scope(start, end, hits)
        if scope is not None:
            # where the line's own part has been given its first count: a part named after
            # that is another clause's
            first = min((n.start for n in every), default=end)
            state.scope, state.scope_level, state.scope_at = scope, level, first
            if level == PLAIN and self.text.text[start:end].rstrip().endswith(":"):
                # "Riêng khối các phòng chuyên môn, kết quả như sau:" then "- …", "+ …":
                # the items under it are the part's, up to the next paragraph or heading
                state.scope_level, state.scope_heads_list = _LIST_HEAD, True
        # the unit's counts and its parts' (a level, a desk, an agency, "Riêng …"), not
        # another unit's or an average
        numbers = [n for n in every if _readable(grammar.foreign_at(n.start))]
        # a list of fields stays a list in a sentence about a part ("Trong số hồ sơ đã giải
        # quyết có: hộ tịch 120; chứng thực 310"): it itemizes the unit's own figure
        listed = [n for n in every if (f := grammar.foreign_at(n.start)) is None or f.subset]
        lists = self.lists.find(start, end, listed, hits)
        in_list = [(i.start, i.end) for b in lists for i in b.items]
        numbers = [n for n in numbers if not _inside(in_list, n.start, n.end)]
        line_figures = self._series(start, end, hits, state)
        paired = {f.start for f in line_figures}
        numbers = [n for n in numbers if n.start not in paired]
        used: set[int] = set()  # hits already taken by a number as the words after it
        left_bound = start
        # words in a bracket closed before a count are an aside: they open no group for it
        asides = [
            (start + m.start(), start + m.end())
            for m in _ASIDE.finditer(self.text.match[start:end])
        ]
        for num in numbers:
            grammar.close_stale_group(start, num.lead, state)
            left = [
                h
                for h in hits
                if left_bound <= h.start and h.end <= num.start and id(h) not in used
            ]
            for h in left:
                if not _in_aside(asides, h, num.start):
                    grammar.open_label(h, state, level)
            found = grammar.assign(num, left, hits, used, state, level)
            if not found:
                found = grammar.like_previous_bracketed(num, line_figures)
            if not found and not line_figures and not self._in_table(start):
                found = grammar.open_group_total(num, left, state, level)
            if not found and num.dossier_unit:
                filed = _filed_on().match(self.text.match, num.unit_end)
                if filed is not None:  # "43 hồ sơ nộp trên Cổng Dịch vụ công quốc gia"
                    found = grammar.stated(num, "received_total", filed.end(), state)
                elif _system_before(self.text, num.lead) is not None:
                    # "phân theo nơi tiếp nhận, …, trên Cổng Dịch vụ công quốc gia là 656 hồ sơ"
                    found = grammar.stated(num, "received_total", num.unit_end, state)
                elif self._dossiers_are(start, num, hits):
                    # "hồ sơ thuộc thẩm quyền giải quyết của UBND xã là 478 hồ sơ": how many
                    # dossiers that part had, its received total
                    found = grammar.stated(num, "received_total", num.unit_end, state)
            part = grammar.foreign_at(num.start)
            if part is not None:
                for f in found:
                    f.scope = _part_scope(part, state, start)
            line_figures += found
            taken = [h.end for h in hits if id(h) in used]
            left_bound = max(num.unit_end, left_bound, *taken)
        for h in hits:
            if h.start >= left_bound and id(h) not in used:
                grammar.open_label(h, state, level)
        for b in lists:
            before = [f for f in line_figures if f.start < b.start]
            self.lists.attach(
                b, before[-1] if before else None, state, line_figures, self.result.figures
            )
        line_figures += grammar.fractions(start, end, hits, used, state, level)
        self.result.figures += line_figures
        self.result.breakdowns += lists
        self._missing(start, end, hits, numbers, state)

    def _dossiers_are(self, line_start: int, num: Count, hits: list[Hit]) -> bool:
        """Whether the count's clause is "(số) hồ sơ <of a part> là N": no figure word in it,
        and words that name a part ("thuộc thẩm quyền của UBND xã", "cấp huyện")."""
        match = self.text.match
        begin = max(match.rfind(c, line_start, num.lead) for c in ":;.") + 1
        begin = max(begin, line_start)
        lead = SPLIT_LEAD_IN.match(match, begin, num.lead)
        if lead is not None:  # "Xét theo thẩm quyền giải quyết, hồ sơ thuộc … là 149"
            begin = lead.end()
        inside = [h for h in hits if begin <= h.start < num.lead]
        if any(h.label.kind in ("group", "qualifier", "joint", "noise") for h in inside):
            return False  # "Số HS đến hạn giải quyết là 47.600": other dossiers than received
        names_part = any(h.label.kind == "scope" for h in inside) or PART_HEAD.search(
            match, begin, num.lead
        )
        return bool(names_part and _DOSSIERS_ARE.match(match[begin : num.lead]))

    def _in_table(self, start: int) -> bool:
        return self.text.lines[self.text.line_index(start)].cells is not None

    def _series(self, start: int, end: int, hits: list[Hit], state: LineState) -> list[Figure]:
        """ "trước hạn/đúng hạn/quá hạn: 350/45/5", "… lần lượt là 350, 45 và 5": the k-th
        label names the k-th number, in the group open before the labels."""
        out = []
        for item in find_series(self.text.match, start, end, hits, self.protected):
            part = self.grammar.foreign_at(item.start)
            if not _readable(part):
                continue
            before = [h for h in hits if h.end <= item.label.start and h.label.kind == "group"]
            group = before[-1].label.name if before else state.group
            lab = item.label.label
            field = lab.field if lab.kind == "group" else lab.field_in(group)
            if field is None:
                continue
            period = self.periods.at(item.start, self.sentences.end(item.start))
            scope = _part_scope(part, state, start) if part else state.scope
            quote = (min(item.label.start, item.start), max(item.label.end, item.end))
            out.append(Figure(field, item.value, item.start, item.end, *quote, period, scope))
        return out

    def _missing(
        self, start: int, end: int, hits: list[Hit], numbers: list[Count], state: LineState
    ) -> None:
        """A group total announced and left without its number ("…đã giải quyết: Trong đó:")."""
        match = self.text.match
        pats = figure_patterns()
        for h in hits:
            if h.label.kind != "group" or h.label.field not in _REQUIRED:
                continue
            after = match[h.end : end]
            m = pats.announced.match(after)
            if not m:
                continue
            if any(h.end <= n.start < h.end + m.end() for n in numbers):
                continue
            if not pats.total_before.search(match[max(start, h.start - 40) : h.start]):
                continue  # "…trong giải quyết TTHC:" is a heading, not an announced total
            period = self.periods.at(h.start, self.sentences.end(h.start))
            quote_start = regex.search(
                r"(?:tổng\s+số|số)\s+(?:hồ\s+sơ\s+)?[^:]*$", match[start : h.start]
            )
            qs = start + quote_start.start() if quote_start else h.start
            self.result.missing.append(
                FoundMissing(h.label.field, qs, h.end + m.end(), period, state.scope)
            )


# The words right after a count naming whose dossiers they are: "01 hồ sơ thuộc thẩm quyền
# UBND xã", "12 hồ sơ thuộc lĩnh vực đất đai", "15 hồ sơ của Chi nhánh …".
_NOUN_AFTER = regex.compile(r"\s*(?:bộ\s+)?(?:hồ\s+sơ|hs|trường\s+hợp)\s+(?P<q>[^,;:()\n\d]{3,80})")
_FIELD_AFTER = regex.compile(r"^(?:thuộc\s+)?lĩnh\s+vực\s+(?P<name>[\p{L}]+(?:\s+[\p{L}]+){0,3})")


# Totals a receiving system may hold a share of; "nộp trực tuyến qua Cổng …" stays online.
_SYSTEM_SHARE_FIELDS = ("received_total", "received_new", "resolved_total")


@cache
def _systems() -> regex.Pattern:
    names = system_names()
    return compile_vi(rf"(?<![\p{{L}}])(?:trên|qua|tại)\s+(?P<sys>{names})(?![\p{{L}}])")


@cache
def _filed_on() -> regex.Pattern:
    """Right after "N hồ sơ": filed or received on a system, with no figure word of its own
    ("43 hồ sơ nộp trên Cổng Dịch vụ công quốc gia"): what that system received."""
    names = system_names()
    return compile_vi(
        r"[ \t]+(?:được[ \t]+)?(?:tiếp[ \t]+nhận|nộp|gửi)[ \t]+(?:trên|qua|tại)[ \t]+"
        rf"(?:{names})(?![\p{{L}}])"
    )


_RESTATED = compile_vi(r"(?<![\p{L}])trong\s+(?:tổng\s+)?số\s+$")


def _systems_contrasted(text: Text, pos: int) -> bool:
    """Whether the sentence around `pos` names two receiving systems."""
    match = text.match
    begin = max(match.rfind(c, 0, pos) for c in ".\n") + 1
    ends = [i for i in (match.find(c, pos) for c in ".\n") if i >= 0]
    names = {m["sys"] for m in _systems().finditer(match, begin, min(ends, default=len(match)))}
    return len(names) >= 2


def _on_a_system(text: Text, fig: Figure) -> tuple[str, bool] | None:
    """ "212 hồ sơ được tiếp nhận, xử lý trên Hệ thống thông tin … của tỉnh": a total said to
    be received on one system, in the count's own clause (to the next count, ";", "." or
    "và"), is that system's share, named as written; with whether the clause says it was
    received there ("tiếp nhận, xử lý", "nộp": the receiving verb comes first, so a count
    of what was received, not resolved)."""
    if fig.field not in _SYSTEM_SHARE_FIELDS:
        return None
    match = text.match
    if _RESTATED.search(match, max(0, fig.start - 30), fig.start):
        return None  # "Trong tổng số 1.266 hồ sơ nêu trên, … trên Hệ thống … là 903": the whole
    before = _system_before(text, fig.start)
    if before is not None:  # "trên Hệ thống thông tin … của tỉnh là 3.985 hồ sơ, trên Cổng …"
        return before, True
    stop = min(len(match), fig.end + 120)
    # the count's own clause: up to ";", ".", "(", the next count, "và", "còn", or "trong
    # đó" ("261, trong đó … nộp qua Cổng Dịch vụ công quốc gia 189": the part's system)
    end = regex.search(
        r"[;.(\n]|\s(?:và|còn)\s|\d|,?\s(?:trong\s+đó|bao\s+gồm|gồm)\s", match[fig.end : stop]
    )
    stop = fig.end + end.start() if end else stop
    m = _systems().search(match, fig.end, stop)
    if m is None:
        return None
    name = " ".join(text.text[m.start("sys") : stop].split()).rstrip(" ,")
    return name, bool(_RECEIVING.search(match, fig.end, m.start()))


@cache
def _system_then_count() -> regex.Pattern:
    """A clause naming a system, then its count ("…, trên Cổng Dịch vụ công quốc gia là")."""
    names = system_names()
    return compile_vi(
        rf"(?<![\p{{L}}])(?:trên|qua|tại)\s+(?P<sys>{names})(?![\p{{L}}])(?P<rest>[^,;.:\d()]*?)"
        r"\s*(?:là|có|:)\s*$"
    )


def _system_before(text: Text, count_start: int) -> str | None:
    """The system a count's own clause names before it, as written, if any: what was
    received there."""
    match = text.match
    begin = max(
        (match.rfind(c, max(0, count_start - 160), count_start) for c in ",;.\n"), default=-1
    )
    m = _system_then_count().search(match, begin + 1, count_start)
    if m is None:
        return None
    return " ".join(text.text[m.start("sys") : m.end("rest")].split()).rstrip(" ,")


_RECEIVING = compile_vi(r"(?<![\p{L}])(?:tiếp\s+nhận|nộp|gửi)(?![\p{L}])")


_BELONGS = compile_vi(r"^thuộc\s+")


def _own_or_part(text: Text, doc: Doc, fig: Figure) -> Figure:
    """Never a part's count silently the unit's: a count read as the unit's whose counting
    noun is followed by words naming a part (the unit's own competence block, a field, a
    level or agency inside it) is that part's figure."""
    if fig.scope != "all":
        return fig
    if fig.field == "received_online" and _systems_contrasted(text, fig.start):
        # "212 hồ sơ … trên Hệ thống thông tin … của tỉnh và 43 hồ sơ nộp trên Cổng Dịch vụ
        # công quốc gia": set against another system, the portal's count is its share
        fig = replace(fig, field="received_total")
    system = _on_a_system(text, fig)
    if system is not None:
        name, received = system
        field = "received_total" if received and fig.field == "resolved_total" else fig.field
        return replace(fig, field=field, scope=f"part:{name}")
    m = _NOUN_AFTER.match(text.match, fig.end)
    if m is None:
        return fig
    q_start, q_end = m.start("q"), m.end("q")
    for h in label_hits(doc):
        if q_start <= h.start < q_end and h.label.kind == "scope" and h.start - q_start < 12:
            return replace(fig, scope=h.label.name)
    words = m["q"]
    field = _FIELD_AFTER.match(words)
    if field:
        known = field_name(field["name"]) or next(
            (
                field_name(" ".join(field["name"].split()[:n]))
                for n in (3, 2, 1)
                if field_name(" ".join(field["name"].split()[:n]))
            ),
            None,
        )
        if known:
            return replace(fig, scope=f"part:{known}")
    if PART_HEAD.match(words):
        return replace(fig, scope=f"part:{' '.join(text.text[q_start:q_end].split())}")
    level = PART_HEAD.search(words) if _BELONGS.match(words) else None
    if level is not None:
        # "96 hồ sơ thuộc các thủ tục trước đây do cấp huyện giải quyết": what the dossiers
        # belong to names a level or block further on in the same clause
        name = text.text[q_start + level.start() : q_start + level.end()]
        return replace(fig, scope=f"part:{' '.join(name.split())}")
    return fig


_LIST_HEAD = 2  # a plain line heading a list: closed by a lettered heading or above


# A clause whose subject is the dossiers themselves, then "là"/"có" and the count.
_DOSSIERS_ARE = compile_vi(
    r"^[\s\-+•*]*(?:(?:tổng\s+)?số\s+)?(?:các\s+)?(?:hồ\s+sơ|hs)(?:\s+[^\d;:.()]*?)?"
    r"\s+(?:là|có|gồm)\s*:?\s*$"
)


def _placed(fig: Figure) -> bool:
    """A figure under "Lũy kế từ đầu năm" where those months are not to be told from the
    report's own (see PeriodIndex._year_to_date) has no period: left to the unread reader."""
    p = fig.period
    return p is None or p.kind != "year_to_date" or p.key is not None


@Language.component(
    "tthc_figures",
    requires=[
        "doc._.text",
        "doc._.settings",
        "doc._.periods",
        "doc._.counts",
        "doc._.parts",
        "doc._.tables",
        "doc._.claimed",
        "doc.spans",
        "doc.sents",
    ],
    assigns=["doc._.figures"],
)
def figure_reader(doc: Doc) -> Doc:
    """Dossier figures in running text, outside the tables' rows; the tables' figures first."""
    tables = doc._.tables
    found = FigureReader(
        doc._.text,
        doc,
        doc._.periods.index,
        doc._.counts,
        skip_lines=tables.lines if tables else frozenset(),
        foreign=doc._.parts,
        settings=doc._.settings,
        protected=doc._.claimed,
    ).read()
    text_figures = [_own_or_part(doc._.text, doc, f) for f in found.figures if _placed(f)]
    found.figures = (tables.figures if tables else []) + text_figures
    doc._.figures = found
    return doc
