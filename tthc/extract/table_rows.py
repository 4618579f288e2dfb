"""Tables as clerks make them: a label column and one value column, or one per period or field.

"TT | Nội dung | Số hồ sơ", "Chỉ tiêu | Số lượng | Ghi chú", "Lĩnh vực | Tiếp nhận | Đã giải
quyết", "Nội dung | Quý I/2026 | Cùng kỳ 2025": a row's label says what its numbers count,
with the same figure words as running text, and a column's header may add what the label
leaves out (the field, a period, liên thông). Read row by row, top to bottom:
- the row's label cells (not the row number, not a value) are read like a clause: a group
  ("Tổng số hồ sơ tiếp nhận") opens for the rows under it, a qualifier ("- Trực tuyến")
  names its part in the open group; a field's name ("Hộ tịch") is the row's scope and a
  total's words ("Tổng cộng") the whole unit's;
- each value column gives its period (a period named in its header; "cùng kỳ" the same
  period a year before), its field or scope when the row does not; columns of rates, notes
  or changes ("Tỷ lệ (%)", "Ghi chú", "Tăng/giảm") hold no dossier figure;
- a row that counts procedures (TTHC, thủ tục) or visits, not dossiers, fills nothing.
Rows read are consumed; a row this reader cannot place is left to the running-text reader,
and a count no one reads is `unread`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

from tthc.extract.lexicon import (
    COMPLEMENT,
    GROUP_TOTAL,
    Hit,
    counts_other,
    field_name,
    scope_patterns,
    single_word_needs_capital,
    system_line,
)
from tthc.extract.readings import (
    Figure,
    PeriodIndex,
    PeriodMention,
    same_period_before,
    year_to_date,
)
from tthc.schemas import Line, Text
from tthc.textkit.forms import compile_vi, match_form
from tthc.textkit.numbers import parse_count

Span = tuple[int, int]
Row = tuple[int, Line]

_INDEX = compile_vi(r"^(?:\d{1,3}[.)]?|[ivxlc]{1,5}[.)]?|[a-zđ][.)]|stt|tt|[-+•*])?$")
_TOTAL = compile_vi(
    r"^(?:[-+•*]\s*)?(?:tổng\s+cộng|tổng\s+số|tổng|cộng|toàn\s+(?:xã|phường|thị\s+trấn|huyện|tỉnh|đơn\s+vị))(?:\s*:)?$"
)
# A value cell: a count, perhaps followed by its noun ("420 hồ sơ").
_VALUE = compile_vi(r"^\s*(?P<n>\d+(?:[.,]\d{3})*)\s*(?:hồ\s+sơ|hs|bộ\s+hồ\s+sơ|trường\s+hợp)?\s*$")
# Columns that hold no dossier figure.
_NOT_FIGURES = compile_vi(
    r"tỷ\s+lệ|tỉ\s+lệ|%|ghi\s+chú|tăng|giảm|so\s+sánh|chênh\s+lệch|đơn\s+vị\s+tính|đvt"
)
_YEAR_TO_DATE = compile_vi(r"(?:lũy\s+kế|cộng\s+dồn|từ\s+đầu\s+năm)")
_SAME_PERIOD = compile_vi(r"cùng\s+kỳ|năm\s+trước|kỳ\s+trước")

# Words that say "all of it" in a note cell ("đều trong hạn", "tất cả đúng hạn").
_ALL_WORDS = compile_vi(r"(?<![\p{L}])(?:đều|tất\s+cả|toàn\s+bộ|còn)(?![\p{L}])")
_LIEN_THONG = compile_vi(r"(?<!cửa\s)(?<![\p{L}])liên\s+thông(?![\p{L}])")


@dataclass
class _Column:
    skip: bool = False
    # the same period a year before, when the report's period cannot be moved back: its
    # counts are left to the unread reader (shown to the officer), never decided away
    unplaced: bool = False
    period: PeriodMention | None = None
    field: str | None = None
    group: str | None = None
    scope: str | None = None


class LabelTable:
    """Reads one table of labelled rows (see the module doc)."""

    def __init__(
        self,
        text: Text,
        hits: list[Hit],
        periods: PeriodIndex,
        mentions: list[PeriodMention],
    ) -> None:
        self.text = text
        self.hits = hits
        self.periods = periods
        self.mentions = mentions
        self.decided: list[Span] = []  # value cells of columns that hold no dossier figure
        self.cell_periods: dict[Span, PeriodMention] = {}  # cells under a period's column

    def read(self, rows: list[Row]) -> tuple[list[Figure], set[int]]:
        first = next((k for k, (_, ln) in enumerate(rows) if self._values(ln)), None)
        if first is None:
            return [], set()
        header = [ln for _, ln in rows[:first]]
        # the period governing the table's first row is every row's (a period named in a
        # note cell, "Chuyển quý IV", is not a heading)
        table_period = self.periods.at(rows[0][1].start)
        columns: dict[int, _Column] = {}
        figures: list[Figure] = []
        consumed: set[int] = set()
        group: str | None = None
        for idx, line in rows[first:]:
            label = self._label(line)
            if label is None:
                continue
            row_field, row_group, row_scope, counts_other = self._read_label(label, group)
            if row_field is None and row_scope is None and group is not None:
                # "Trong đó: - Trên Hệ thống thông tin giải quyết TTHC tỉnh | 612" under the
                # received total: that system's share of the open group's total
                row_field, row_scope = self._system_share(label, group)
            group = row_group or group
            found = []
            for col, (s, e, value) in self._values(line).items():
                column = columns.get(col) or columns.setdefault(col, self._column(header, col))
                if column.period is not None:
                    self.cell_periods[(s, e)] = column.period
                if counts_other:
                    continue  # a row of procedures: the activity reader's, with its period
                if column.skip:
                    self.decided.append((s, e))
                    continue
                if column.unplaced:
                    continue
                field = row_field or column.field
                if field is None:
                    continue
                period = column.period or table_period
                scope = row_scope or column.scope or "all"
                found.append(Figure(field, value, s, e, label[0], e, period, scope))
            if len(found) == 1:
                found += self._said_of_all(line, found[0], row_group or group)
            if found or counts_other:  # a row of procedures is the activity reader's alone
                figures += found
                consumed.add(idx)
        return _on_time_with_early(figures, columns), consumed

    def _said_of_all(self, line: Line, figure: Figure, group: str | None) -> list[Figure]:
        """A note cell that is only a part's name ("HS đang giải quyết | 537 | trong hạn"):
        the row's figure is all of that part, and none is in the other part."""
        cells = [(s, e) for s, e in line.cells or [] if s >= figure.end]
        for s, e in cells:
            words = _ALL_WORDS.sub("", self.text.match[s:e]).strip(" .;()")
            if not words:
                continue
            named = [h for h in self.hits if s <= h.start and h.end <= e]
            if len(named) != 1 or named[0].label.kind != "qualifier":
                return []
            h = named[0]
            if self.text.match[h.start : h.end] != words:
                return []
            field = h.label.field_in(group)
            if field is None or field == figure.field or field not in COMPLEMENT:
                # only one of a group's two parts says "all of it" ("trong hạn" of those
                # pending); "đúng hạn" beside the resolved is one of three, a loose note
                return []
            quote = " ".join(self.text.text[s:e].split())
            out = [replace(figure, field=field, quote_end=e, quantifier=quote)]
            other = COMPLEMENT.get(field)
            if other:
                out.append(replace(figure, field=other, value=0, quote_end=e, quantifier=quote))
            return out
        return []

    def _system_share(self, span: Span, group: str) -> tuple[str | None, str | None]:
        m = system_line().match(self.text.match, span[0], span[1])
        if m is None:
            return None, None
        written = " ".join(self.text.text[m.start("sys") : span[1]].split()).rstrip(" ,:")
        return GROUP_TOTAL.get(group), f"part:{written}"

    # ---------------------------------------------------------------- cells
    def _cell_text(self, span: Span) -> str:
        return self.text.match[span[0] : span[1]].strip()

    def _values(self, line: Line) -> dict[int, tuple[int, int, int]]:
        """Column → (start, end, value) of the row's value cells (the row number apart)."""
        out = {}
        for col, (s, e) in enumerate(line.cells or []):
            cell = self._cell_text((s, e))
            if col == 0 and _INDEX.match(cell):
                continue
            m = _VALUE.match(cell)
            if m is None:
                continue
            value = parse_count(m["n"])
            if value is not None:
                lead = self.text.match.index(m["n"], s)
                out[col] = (lead, lead + len(m["n"]), value)
        return out

    def _label(self, line: Line) -> Span | None:
        """The span of the row's label cells: not the row number, not a value, nor a note
        after the values ("Hồ sơ tiếp nhận trực tuyến | 386 | Đạt 79,42% (386/486 hồ sơ mới
        tiếp nhận)")."""
        cells = []
        for col, (s, e) in enumerate(line.cells or []):
            cell = self._cell_text((s, e))
            if _VALUE.match(cell) is not None:
                if cells:
                    break
                continue
            if cell and not (col == 0 and _INDEX.match(cell)):
                cells.append((s, e))
        if not cells:
            return None
        return cells[0][0], cells[-1][1]

    # ---------------------------------------------------------------- rows
    def _read_label(
        self, span: Span, group: str | None
    ) -> tuple[str | None, str | None, str | None, bool]:
        """(field, group it opens, scope, counts something else) of a row's label."""
        words = self.text.match[span[0] : span[1]]
        field, opened = None, None
        named_scope = None  # a scope label's name: liên thông, the unit's own authority
        for h in self.hits:
            if not (span[0] <= h.start and h.end <= span[1]):
                continue
            lab = h.label
            if lab.kind == "group":
                opened, field = lab.name, lab.field
            elif lab.kind == "qualifier":
                field = lab.field_in(opened or group)
                if lab.opens:
                    opened = lab.group
            elif lab.kind == "scope":
                named_scope = named_scope or lab.name
        other = counts_other(words)
        scope = named_scope or self._row_scope(words)
        return field, opened, scope, other

    @staticmethod
    def _row_scope(words: str) -> str | None:
        name = " ".join(words.replace("|", " ").split())
        if _TOTAL.match(name):
            return "all"
        known = field_name(regex.sub(r"^[-+•*]\s*", "", name))
        if known:
            return known
        subject = scope_patterns()["subject"].match(name)
        if subject and subject.end() >= len(name) - 1:
            return f"part:{name}"
        return None

    # ---------------------------------------------------------------- columns
    def _column(self, header: list[Line], col: int) -> _Column:
        """What a value column's header adds: a period, a field, liên thông; or that it
        holds rates, notes or changes."""
        out = _Column()
        for line in header:
            cells = line.cells or []
            if col >= len(cells):
                continue
            s, e = cells[col]
            words = self._cell_text((s, e))
            if not words:
                continue
            if _NOT_FIGURES.search(words):
                out.skip = True
                return out
            for m in self.mentions:
                if s <= m.start and m.end <= e:
                    out.period = self.periods.resolve(replace(m, comparison=False))
            if out.period is None and _YEAR_TO_DATE.search(words):
                out.period = year_to_date(self.periods.report)  # "Luỹ kế từ đầu năm"
                if out.period is None:
                    out.unplaced = True
                    return out
            if _SAME_PERIOD.search(words):
                year = out.period.year if out.period and out.period.key else None
                out.period = same_period_before(self.periods.report, year)
                if out.period is None:
                    out.unplaced = True
                    return out
            for h in self.hits:
                if not (s <= h.start and h.end <= e):
                    continue
                lab = h.label
                if lab.kind == "group":
                    out.group, out.field = lab.name, lab.field
                elif lab.kind == "qualifier":
                    out.field = lab.field_in(out.group)
                elif lab.kind == "scope":
                    out.scope = lab.name
            if out.scope is None and _LIEN_THONG.search(words):
                out.scope = "lien_thong"  # a column headed "Liên thông"
            known = field_name(match_form(words))
            if known and out.scope is None:
                out.scope = known
            if out.scope is None and out.field is None:
                out.scope = self._agency((s, e))
        return out

    def _agency(self, span: Span) -> str | None:
        """A column headed by an agency ("Chỉ tiêu | Sở Tư pháp | Công an tỉnh") holds that
        agency's figures: its part, as written, never the unit's own."""
        words = self._cell_text(span)
        subject = scope_patterns()["subject"].match(words)
        written = " ".join(self.text.text[span[0] : span[1]].split()).strip(" :-.")
        if subject is None or not written:
            return None
        if single_word_needs_capital(subject["s"]) and not written[0].isupper():
            return None
        return f"part:{written}"


def on_time_counts_early(fields: set[str]) -> bool:
    """A table that splits the resolved dossiers into "Đúng hạn" and "Trễ hạn" alone, with
    no column of early ones, counts the early ones in its "Đúng hạn": that column is early
    and on time together (the national form always sets "Trước hạn" beside "Đúng hạn")."""
    return "resolved_on_time" in fields and "resolved_early" not in fields


def _on_time_with_early(figures: list[Figure], columns: dict[int, _Column]) -> list[Figure]:
    if not on_time_counts_early({c.field for c in columns.values() if c.field and not c.skip}):
        return figures
    return [
        replace(f, field="resolved_early_or_on_time") if f.field == "resolved_on_time" else f
        for f in figures
    ]
