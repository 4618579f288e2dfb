"""Itemized lists: "trong đó: chứng thực 1.790; hộ tịch 391; …", "(đất đai 05, xây dựng 02)".

A list's items are "name count" parts separated by ";" (or "," when no ";" is used), inside
brackets, after "trong đó:" / "gồm" / "như", or a sentence of ";"-separated parts. Every
part that holds a count must be such an item, or the segment is not a list. A list itemizes
the figure before it on its line, or its group's total when that is what the items add up
to, or the figure its lead-in names ("Hồ sơ quá hạn thuộc lĩnh vực …"). A list that says it
names only some items ("một số", "như:", "…") is partial.
"""

from __future__ import annotations

import regex

from tthc.extract.lexicon import Hit, Sentences, field_name, figure_patterns
from tthc.extract.readings import Count, Figure, FoundBreakdown, Item, PeriodIndex
from tthc.extract.settings import ReaderSettings
from tthc.extract.statements import LineState, group_total
from tthc.schemas import Text
from tthc.textkit.numbers import parse_count

Span = tuple[int, int]

# A sentence holding ";": a "." between digits ("1.067") does not end it.
_SENTENCE_LIST = regex.compile(r"(?:[^.;]|\.(?=\d))*;(?:[^.]|\.(?=\d))*")


# A name, then its count in brackets: "giáo dục (10.408 hồ sơ, …)".
_NAMED_COUNT = regex.compile(
    r"(?P<name>[\p{L}][\p{L} \-&]{1,60}?)\s*\(\s*(?P<num>\d+(?:[.,]\d{3})*)\s*"
    r"(?:hồ\s+sơ|hs)?[^()\n]{0,80}\)"
)


def _overlaps(item: Item, items: list[Item]) -> bool:
    return any(item.start < o.end and o.start < item.end for o in items)


class ListReader:
    """Finds the itemized lists of a line and what each itemizes."""

    def __init__(
        self,
        text: Text,
        hits: list[Hit],
        sentences: Sentences,
        periods: PeriodIndex,
        settings: ReaderSettings,
    ) -> None:
        self.text = text
        self.hits = hits
        self.sentences = sentences
        self.periods = periods
        self.settings = settings

    def find(
        self, start: int, end: int, numbers: list[Count], hits: list[Hit]
    ) -> list[FoundBreakdown]:
        """Itemized lists: innermost parentheses, or what follows "trong đó:" / "như:"."""
        out: list[FoundBreakdown] = []
        for seg_start, seg_end in self._list_segments(start, end):
            items = self._items(seg_start, seg_end, numbers, hits)
            if len(items) < 2 or any(_overlaps(i, b.items) for b in out for i in items):
                continue
            partial = bool(
                figure_patterns().partial.search(
                    self.text.match[max(start, seg_start - 30) : seg_end + 5]
                )
            )
            period = self.periods.at(seg_start, self.sentences.end(seg_start))
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
        out += self._named_in_brackets(start, end, numbers, out)
        return out

    def _named_in_brackets(
        self, start: int, end: int, numbers: list[Count], found: list[FoundBreakdown]
    ) -> list[FoundBreakdown]:
        """ "… lĩnh vực như giáo dục (10.408 hồ sơ, phần lớn …), bảo trợ xã hội (5.925 hồ
        sơ) và chứng thực (4.726 hồ sơ)": fields each with its count in brackets, in one
        sentence, are a list of the fields' counts."""
        match = self.text.match
        by_sentence: dict[int, list[Item]] = {}
        for m in _NAMED_COUNT.finditer(match, start, end):
            words = m["name"].split()
            name = None
            for n in range(min(self.settings.field_name_words, len(words)), 0, -1):
                candidate = " ".join(words[-n:])
                if field_name(candidate):
                    name = candidate
                    break
            count = next((c for c in numbers if c.start == m.start("num")), None)
            if name is None or count is None:
                continue
            name_start = m.end("name") - len(name)
            item = Item(
                self.text.text[name_start : m.end("name")], count.value, name_start, count.end
            )
            if any(_overlaps(item, b.items) for b in found):
                continue
            by_sentence.setdefault(self.sentences.begin(m.start()), []).append(item)
        out = []
        for begin, items in by_sentence.items():
            if len(items) < 2:
                continue
            if any(
                begin <= h.start < items[0].start and h.label.kind in ("group", "qualifier")
                for h in self.hits
            ):
                continue  # "Hồ sơ quá hạn thuộc lĩnh vực đất đai (05 hồ sơ) và …": fields' figures
            partial = bool(figure_patterns().partial.search(match[begin : items[-1].end]))
            period = self.periods.at(items[0].start, self.sentences.end(items[0].start))
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
                    lead_start=begin,
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
        for m in figure_patterns().list_intro.finditer(match, start, end):
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

    def _items(self, start: int, end: int, numbers: list[Count], hits: list[Hit]) -> list[Item]:
        """ "Name Count" items separated by ";" (or "," when no ";" is used). Every part
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
        self, start: int, segment: str, sep: str, numbers: list[Count], hits: list[Hit]
    ) -> list[Item]:
        items: list[Item] = []
        pos = start
        for k, part in enumerate(segment.split(sep)):
            part_start, part_end = pos, pos + len(part)
            pos = part_end + 1
            counts = [n for n in numbers if part_start <= n.start < part_end]
            found = self._plain_item(part, part_start, hits)
            if found is None and k == 0:
                found = self._after_intro(part, part_start, hits) or self._lead_item(
                    part, part_start
                )
            if found is None:
                if counts:
                    return []
                continue
            name_start, name_end, num_start, num_end = found
            value = parse_count(self.text.match[num_start:num_end])
            if value is None or [n.start for n in counts] != [num_start]:
                return []
            written = self.text.text[name_start:name_end]
            if k == 0:  # "… ở một số lĩnh vực như đất đai 408": the lead-in is not the name
                intro = list(
                    figure_patterns().list_intro.finditer(self.text.match, name_start, name_end)
                )
                if intro:
                    written = self.text.text[intro[-1].end() : name_end]
                    name_start = intro[-1].end()
            name = figure_patterns().field_word_text.sub("", written.strip(" :-+.,"))
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
        m = figure_patterns().item.match(part)
        if not m:
            return None
        spans = self._spans(m, offset)
        if any(
            h.start < spans[1] and h.end > spans[0] and h.label.kind in ("group", "qualifier")
            for h in hits
        ):
            return None  # labels, not names: "(Trực tuyến: 24 hồ sơ, …)" is not an item list
        return spans

    def _after_intro(
        self, part: str, offset: int, hits: list[Hit]
    ) -> tuple[int, int, int, int] | None:
        """The first part of a sentence's list, past the words that introduce it ("Hồ sơ
        tập trung ở một số lĩnh vực như: lao động - thương binh và xã hội 192 hồ sơ")."""
        intro = list(figure_patterns().list_intro.finditer(part))
        if not intro:
            return None
        cut = intro[-1].end()
        return self._plain_item(part[cut:], offset + cut, hits)

    def _lead_item(self, part: str, offset: int) -> tuple[int, int, int, int] | None:
        m = figure_patterns().trailing_count.search(part)
        if not m:
            return None
        # a spaced dash inside a field's name is no word ("lao động - thương binh và xã hội")
        words = list(regex.finditer(r"[^\s\-–]\S*", part[: m.start()]))
        for n in range(min(self.settings.field_name_words, len(words)), 0, -1):
            name_start, name_end = words[-n].start(), words[-1].end()
            if field_name(part[name_start:name_end]):
                return (
                    offset + name_start,
                    offset + name_end,
                    offset + m.start("num"),
                    offset + m.end("num"),
                )
        return None

    def attach(
        self,
        b: FoundBreakdown,
        before: Figure | None,
        state: LineState,
        line_figures: list[Figure],
        earlier: list[Figure],
    ) -> None:
        """What a list itemizes: the figure before it, or its group's total when that is
        what the items add up to ("quá hạn: 04 hồ sơ (chứng thực 1.790; hộ tịch 391; …)")."""
        b.scope = state.scope
        if before is None:
            self._attach_by_lead(b, state, line_figures, earlier)
            return
        total = sum(i.value for i in b.items)
        candidates = [before]
        whole = group_total(before.field)
        if whole and whole != before.field:
            same = [
                f
                for f in earlier + line_figures
                if f.field == whole and f.period == before.period and f.scope == before.scope
            ]
            candidates += same[-1:]
        chosen = next((c for c in candidates if c.value == total), before)
        b.of, b.total, b.period = chosen.field, chosen.value, chosen.period

    def _attach_by_lead(
        self,
        b: FoundBreakdown,
        state: LineState,
        line_figures: list[Figure],
        earlier: list[Figure],
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
            for f in earlier + line_figures
            if f.field == field and f.period == b.period and f.scope == b.scope
        ]
        b.of, b.total = field, known[-1].value if known else None

    # ---------------------------------------------------------------- missing
