"""Never a silent miss: the counts of dossiers that no reader used.

A number reads as a count of dossiers when a counting noun follows it ("45 hồ sơ", "12 bộ hồ
sơ", "3 HS", "2 trường hợp"), or when it stands in a table cell whose row or column says it
counts dossiers ("TT | Nội dung | Số hồ sơ"). Every such count must end somewhere: a dossier
figure (of the unit, a part, liên thông or a field), an item of a breakdown, an activity, a
count another reader set aside on purpose (a change "tăng 120 hồ sơ", an average, another
unit's figure). One that ended nowhere is `unread`: the record lists it with its place and
quote, and the checks raise one `unread` warning per number, so the officer sees it and a
report is "read in full" only when it was.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.lexicon import Sentences, counts_other, field_name, label_hits
from tthc.extract.readings import Count, Foreign, PeriodIndex, Unread, ahead_of, inside
from tthc.extract.settings import DEFAULT, ReaderSettings
from tthc.rules.labels import vocabulary
from tthc.schemas import Line, Text
from tthc.textkit.forms import match_form
from tthc.textkit.numbers import parse_count

Span = tuple[int, int]
# A first cell holding only a row number ("1", "2.", "II", "a)"): an index, not a count.
# What may stand between a figure word and the bare number it names: a few words, a colon,
# "là"; no end of clause ("đúng hạn 995", "mới tiếp nhận trong quý: 4.546", "tổng số là 50").
_CLAUSE_GAP = regex.compile(r"[^\d.;()\[\]|\n]*")
_AFTER_COLON = regex.compile(r":[ \t]*$")
_AFTER_DIGITS = regex.compile(r"\d[ \t]+$")
# Between two items of one list of figures: a separator and the next item's words, no other
# number, no end of clause ("11.442 / đã GQ 10.902").
_LIST_GAP = regex.compile(r"[ \t]*[/,;|][^\d.;()\[\]\n]{0,30}")
_INDEX_CELL = regex.compile(r"^\s*(?:\d{1,2}[.)]?|[ivxlc]{1,5}[.)]?|[a-zđ][.)])\s*$")


def _dossier_words() -> regex.Pattern:
    units = sorted(vocabulary().dossier_units, key=len, reverse=True)
    return regex.compile(
        rf"(?<![\p{{L}}])(?:{'|'.join(regex.escape(match_form(u)) for u in units)})(?![\p{{L}}])"
    )


class UnreadFinder:
    def __init__(
        self,
        text: Text,
        doc: Doc,
        periods: PeriodIndex,
        used: set[int],
        decided: list[Foreign],
        settings: ReaderSettings = DEFAULT,
        written_on: dt.date | None = None,
    ) -> None:
        self.text = text
        self.periods = periods
        self.written_on = written_on
        self.used = used
        self.decided = decided
        self.settings = settings
        self.sentences = Sentences(doc)
        hits = [h for h in label_hits(doc) if h.label.kind != "noise"]
        self.label_at = sorted(h.start for h in hits)
        self.label_spans = sorted((h.start, h.end) for h in hits)
        self.group_at = sorted(h.start for h in hits if h.label.kind == "group")
        self.dossier_word = _dossier_words()

    def find(self, counts: list[Count]) -> list[Unread]:
        out = []
        for c in counts:
            if c.start in self.used:
                continue
            stretch = inside(self.decided, c.start)
            if (
                stretch is not None
                and stretch.kind != "part"
                and not stretch.subset
                and not stretch.carried
            ):
                continue  # another unit's, an average: the scope reader decided; a part's
                # figures are the unit's own dossiers and a part's count left unused is a miss
            line = self.text.lines[self.text.line_index(c.start)]
            why = self._why(c, line)
            if why is None:
                continue
            qs, qe = self._quote(c, line)
            period = self.periods.at(c.start, self.sentences.end(c.start))
            if ahead_of(period, self.periods.report, self.written_on):
                continue  # a plan's number ("Phương hướng … quý IV: phấn đấu …")
            out.append(Unread(c, why, period, qs, qe))
        return out

    def _why(self, c: Count, line: Line) -> str | None:
        if c.dossier_unit and c.why in (None, "procedure", "noun", "series"):
            return "dossier_noun"
        if c.dossier_unit and c.why == "index" and _AFTER_COLON.search(self.text.match, 0, c.lead):
            return "dossier_noun"  # "trong năm: 2.059 hồ sơ": a heading's colon, then a count
        if line.cells is None:
            if c.why is None and (self._named_by_label(c) or self._among_figures(c)):
                return "label"
            return None
        if c.why not in (None, "noun"):
            return None
        cell = next(((s, e) for s, e in line.cells if s <= c.start < e), None)
        if cell is None or parse_count(self.text.match[cell[0] : cell[1]].strip()) is None:
            return None  # a number inside a label cell ("Mẫu 06", "Quý 1"): not a count
        first = line.cells[0]
        if cell == first and _INDEX_CELL.match(self.text.match[first[0] : first[1]]):
            return None
        return "table" if self._says_dossiers(line, cell) else None

    def _named_by_label(self, c: Count) -> bool:
        """A bare number a figure word names, in a sentence about dossiers ("trước hạn
        3.388, đúng hạn 995", "chuyển sang 50; mới tiếp nhận 4.546", "685 trước hạn"): the
        label ends just before it in its clause, or starts right after it."""
        match = self.text.match
        begin = self.sentences.begin(c.start)
        end = self.sentences.end(c.end) or len(match)
        sentence = match[begin:end]
        if not (self.dossier_word.search(sentence) or any(begin <= s < end for s in self.group_at)):
            return False
        if _AFTER_DIGITS.search(match, max(begin, c.lead - 8), c.lead):
            return False  # a group of a phone number ("0235 3 812 456")
        words = match[max(begin, c.lead - 40) : c.lead].split()
        if any(field_name(" ".join(words[-n:])) for n in range(1, min(6, len(words)) + 1)):
            return False  # a field's own count in a by-field list ("trễ hạn gồm: đất đai 03"):
            # the field's detail, not a figure of the unit
        gap = self.settings.unread_label_gap_chars
        for s, e in self.label_spans:
            if e <= c.lead and c.lead - e <= gap and _CLAUSE_GAP.fullmatch(match[e : c.lead]):
                return True
            if s >= c.end and s - c.end <= 3 and not match[c.end : s].strip():
                return True
        return False

    def _among_figures(self, c: Count) -> bool:
        """A bare number between dossier figures read in its sentence, as one more item of
        their list ("Cấp xã: TN 11.442 / đã GQ 10.902 / đang GQ 540" with "TN" unknown):
        only list punctuation and words stand between it and the next figure."""
        match = self.text.match
        begin = self.sentences.begin(c.start)
        end = self.sentences.end(c.end) or len(match)
        if _AFTER_DIGITS.search(match, max(begin, c.lead - 8), c.lead):
            return False  # a group of a phone number
        nxt = next((p for p in range(c.end, end) if p in self.used), None)
        return nxt is not None and _LIST_GAP.fullmatch(match, c.end, nxt) is not None

    def _says_dossiers(self, line: Line, cell: Span) -> bool:
        """The row's words, or its column's header, name dossiers or a figure of them; neither
        counts something else (procedures, visits)."""
        match = self.text.match
        row_words = [match[s:e] for s, e in line.cells or [] if (s, e) != cell]
        if counts_other(" ".join(row_words)):
            return False  # "TTHC tiếp nhận tại Trung tâm (thủ tục) | 1.614"
        column = (line.cells or []).index(cell)
        header = [
            above.cells[column]
            for above in self._rows_above(line)
            if above.cells and column < len(above.cells)
        ]
        if any(counts_other(match[s:e]) for s, e in header):
            return False  # a column "Số TTHC", "Lượt truy cập"
        if any(self.dossier_word.search(w) for w in row_words):
            return True
        if self._column_read(line, column):
            return True  # "Chỉ tiêu | Số lượng": the column's other rows were read as figures
        if any(line.start <= s < line.end for s in self.label_at):
            return True
        # "Số hồ sơ", "Tiếp nhận", "Trước hạn", "Kỳ trước chuyển qua" over the column
        return any(self.dossier_word.search(match[s:e]) or self._has_label(s, e) for s, e in header)

    def _column_read(self, line: Line, column: int) -> bool:
        """Another row of the same table has a dossier figure read in this column."""
        for other in self.text.lines:
            if other.table != line.table or other is line or not other.cells:
                continue
            if column < len(other.cells):
                s, e = other.cells[column]
                if any(p in self.used for p in range(s, e)):
                    return True
        return False

    def _has_label(self, start: int, end: int) -> bool:
        """A figure word inside text[start:end]."""
        i = bisect_left(self.label_at, start)
        return i < len(self.label_at) and self.label_at[i] < end

    def _rows_above(self, line: Line) -> list[Line]:
        idx = self.text.line_index(line.start)
        out = []
        for other in reversed(self.text.lines[:idx]):
            if other.table != line.table or other.cells is None:
                break
            out.append(other)
        return out

    def _quote(self, c: Count, line: Line) -> Span:
        if line.cells is not None:
            return line.start, line.end
        match = self.text.match
        begin = max(self.sentences.begin(c.lead), line.start, c.lead - self.settings.quote_chars)
        end = min(self.sentences.end(c.unit_end) or line.end, line.end, c.unit_end + 40)
        while begin > line.start and not match[begin - 1].isspace():
            begin -= 1  # whole words
        while end < line.end and not match[end].isspace():
            end += 1
        return begin, max(end, c.unit_end)


def used_positions(doc: Doc) -> set[int]:
    """Every offset of the numbers some reader used (a table figure spans its cell)."""
    figures = doc._.figures
    used: set[int] = set()
    for f in [*figures.figures, *doc._.activities]:
        used.update(range(f.start, max(f.end, f.start + 1)))
    for b in figures.breakdowns:
        for item in b.items:
            used.update(range(item.start, item.end))
    for s, e in doc._.tables.decided if doc._.tables else ():
        used.update(range(s, e))
    return used


@Language.component(
    "tthc_unread",
    requires=[
        "doc._.text",
        "doc._.settings",
        "doc._.periods",
        "doc._.counts",
        "doc._.figures",
        "doc._.tables",
        "doc._.activities",
        "doc._.parts",
        "doc._.meta",
        "doc.spans",
        "doc.sents",
    ],
    assigns=["doc._.unread"],
)
def unread_reader(doc: Doc) -> Doc:
    """The counts of dossiers no reader used, each with its place and period."""
    finder = UnreadFinder(
        doc._.text,
        doc,
        doc._.periods.index,
        used_positions(doc),
        doc._.parts,
        doc._.settings,
        doc._.meta.date,
    )
    doc._.unread = finder.find(doc._.counts)
    return doc
