"""Dossier figures in tables laid out like the national periodic form.

The form's columns nest: "Số hồ sơ nhận giải quyết" over "Tổng số | Kỳ trước chuyển qua |
Mới tiếp nhận: Trực tuyến | Trực tiếp, bưu chính", "Kết quả giải quyết" over "Đã giải
quyết: Tổng số | Trước hạn | Đúng hạn | Quá hạn", and so on. A column's header is read top
to bottom with the same labels as running text: the upper cells open a group, the lowest
label names the field ("Đang giải quyết › Quá hạn" is pending_overdue).

Rows: "Tổng cộng" / "Tổng số" / "Cộng" give the whole unit's figures; a row named after a
field gives that field's ("Hộ tịch" → scope "hộ tịch"). An empty cell is an unstated
figure (None), never a zero. A table with fewer than three dossier columns is left to the
running-text reader, which handles two-column "label | value" tables.
"""

from __future__ import annotations

from dataclasses import replace

import regex
from spacy.language import Language
from spacy.tokens import Doc

from tthc.extract.lexicon import PART_HEAD, field_name, label_hits, scope_patterns
from tthc.extract.readings import Figure, PeriodIndex, PeriodMention, TableFigures
from tthc.extract.structure import HEADING_LEVELS, marker_level
from tthc.extract.table_rows import LabelTable, on_time_counts_early
from tthc.schemas import Line, Text
from tthc.textkit.forms import compile_vi, match_form
from tthc.textkit.numbers import parse_count

_TOTAL_ROW = compile_vi(
    r"^(?:tổng\s+cộng|tổng\s+số|tổng|cộng|toàn\s+(?:xã|phường|thị\s+trấn|huyện|đơn\s+vị))\b"
)
# A row named only by the noun it counts ("Số hồ sơ | 2 | 278 | …", "Số lượng"): the unit's
# own row, not a field or a part named "số hồ sơ".
_UNIT_ROW = compile_vi(
    r"^(?:số\s+lượng|(?:số\s+)?(?:lượng\s+)?(?:hồ\s+sơ|hs)"
    r"(?:\s+(?:tthc|thủ\s+tục\s+hành\s+chính))?)\s*:?$"
)
# A row named by the unit itself, once its period is set apart ("Trung tâm PVHCC tỉnh –").
_OWN_ROW = compile_vi(
    r"(?:(?:trung\s+tâm|ubnd|ủy\s+ban\s+nhân\s+dân|bộ\s+phận\s+một\s+cửa|toàn|cả)"
    r"[^|]*?)?[\s\-–:,(]*"
)
# A row named only by a running total with no days ("Lũy kế từ đầu năm").
_PERIOD_ONLY_ROW = compile_vi(r"^(?:tính\s+)?(?:lũy\s+kế|cộng\s+dồn)(?:\s+từ\s+đầu\s+năm)?\s*:?$")
_ROW_LEAD = compile_vi(r"^(?:trong\s+đó\s*:?\s*)?(?:[-+•*]\s*)?")
_INDEX_CELL = compile_vi(r"^(?:\d{1,3}\.?|[ivxlc]{1,5}\.?|[a-zđ]\)|stt|tt|-)?$")
_MIN_COLUMNS = 3


def _cells(text: Text, line: Line) -> list[str]:
    return [text.match[s:e].strip() for s, e in line.cells or []]


def _is_data_row(cells: list[str]) -> bool:
    numeric = sum(1 for c in cells if parse_count(c) is not None)
    return numeric >= 2


class TableReader:
    def __init__(
        self,
        text: Text,
        doc: Doc,
        periods: PeriodIndex,
        mentions: list[PeriodMention] = (),
        unit: tuple[str | None, str | None] = (None, None),
    ) -> None:
        self.text = text
        self.periods = periods
        self.hits = label_hits(doc)
        self.mentions = list(mentions)
        level, name = unit
        # "1 | UBND thị trấn Lộc Hải | 2.466 | …": a row naming the reporting unit is its own
        self.unit_words = match_form(f"{level} {name}") if level and name else None

    def read(self) -> TableFigures:
        out = TableFigures([], set())
        for rows in self._tables():
            figures = self._read_table(rows)
            if figures is not None:
                out.figures += self._in_section(rows, self._own_names(figures))
                out.lines.update(idx for idx, _ in rows)
                continue
            labelled = LabelTable(self.text, self.hits, self.periods, self.mentions)
            figures, consumed = labelled.read(rows)
            out.figures += self._in_section(rows, self._own_names(figures))
            out.lines.update(consumed)
            out.decided += labelled.decided
            out.cell_periods.update(labelled.cell_periods)
        return out

    def _own_names(self, figures: list[Figure]) -> list[Figure]:
        """Two rows of one table are two scopes, even when the field vocabulary spells both
        as one field ("Tư pháp" and "Hộ tịch" side by side): each keeps its own name, else
        the second row's figures would fall behind the first's without a word."""
        rows: dict[str, dict[int, str]] = {}  # field scope → row label start → its own name
        for f in figures:
            if f.scope in ("all", "lien_thong") or f.scope.startswith("part:"):
                continue
            name = self._row_name(f, figures)
            if field_name(name) != f.scope:
                continue  # a column's field ("Lĩnh vực đất đai" over the values), not the row's
            rows.setdefault(f.scope, {}).setdefault(f.quote_start, name)
        renamed: dict[int, str] = {}
        for scope, names in rows.items():
            if len(names) < 2:
                continue
            for start, name in names.items():
                if name and match_form(name) != match_form(scope):
                    renamed[start] = name
        return [
            replace(f, scope=renamed[f.quote_start]) if f.quote_start in renamed else f
            for f in figures
        ]

    def _row_name(self, fig: Figure, figures: list[Figure]) -> str:
        """A row's label as written, from its start to the row's first value."""
        first = min(f.start for f in figures if f.quote_start == fig.quote_start)
        name = " ".join(self.text.text[fig.quote_start : first].replace("|", " ").split())
        name = regex.sub(r"^(?i:lĩnh\s+vực\s+)", "", name.strip(" :-.\t"))
        return name.lower()

    def _in_section(self, rows: list[tuple[int, Line]], figures: list[Figure]) -> list[Figure]:
        """A table right under a heading naming a part ("2. Hồ sơ thuộc thẩm quyền giải quyết
        của UBND thị trấn") gives that part's figures: its total rows are the part's, never
        the unit's."""
        scope = self._heading_scope(rows[0][0])
        if scope is None:
            return figures
        return [replace(f, scope=scope) if f.scope == "all" else f for f in figures]

    def _heading_scope(self, first: int) -> str | None:
        """The part the heading line just above a table names, if any."""
        if first == 0:
            return None
        line = self.text.lines[first - 1]
        if line.cells is not None:
            return None
        written = self.text.text[line.start : line.end]
        if marker_level(written.strip()) > HEADING_LEVELS:
            return None
        for h in self.hits:
            if line.start <= h.start < line.end and h.label.kind == "scope":
                return h.label.name
        words = self.text.match[line.start : line.end]
        if PART_HEAD.search(words):
            name = regex.sub(
                r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ][.)]|[IVXLC]{1,5}[.)])\s*", "", written
            ).strip(" :.")
            return f"part:{name}"
        return None

    def _tables(self) -> list[list[tuple[int, Line]]]:
        tables: dict[int, list[tuple[int, Line]]] = {}
        for idx, line in enumerate(self.text.lines):
            if line.cells is not None and line.table is not None:
                tables.setdefault(line.table, []).append((idx, line))
        return list(tables.values())

    def _read_table(self, rows: list[tuple[int, Line]]) -> list[Figure] | None:
        first_data = next(
            (k for k, (_, ln) in enumerate(rows) if _is_data_row(_cells(self.text, ln))), None
        )
        if not first_data:
            return None
        header = [ln for _, ln in rows[:first_data]]
        width = max(len(ln.cells or []) for _, ln in rows)
        columns: dict[int, str] = {}
        group, parent, left = None, None, None
        for col in range(width):
            top = self._header_cell(header[0], col) if header else None
            inherited = group if top is not None and top == parent else None
            field, group = self._column_field(header, col, inherited)
            if field is None and left is not None:
                # a header flattened to one row ("Đã giải quyết | Trước hạn | Quá hạn |
                # Đang giải quyết | Trong hạn | Quá hạn"): a part names no group of its own
                # and takes the one the columns on its left opened
                field, group = self._column_field(header, col, left)
            parent = top
            left = group or left
            if field:
                columns[col] = field
        if len(set(columns.values())) < _MIN_COLUMNS:
            return None
        if on_time_counts_early(set(columns.values())):
            columns = {
                c: "resolved_early_or_on_time" if f == "resolved_on_time" else f
                for c, f in columns.items()
            }
        period = self.periods.at(rows[0][1].start)
        figures = []
        for _, line in rows[first_data:]:
            figures += self._read_row(line, columns, period)
        return figures

    def _column_field(
        self, header: list[Line], col: int, group: str | None
    ) -> tuple[str | None, str | None]:
        """(field, group) of a column, from its header cells read top to bottom. `group` is
        the one a sibling column under the same parent cell opened ("Kết quả giải quyết" over
        "Đã giải quyết | Trước hạn | … | Quá hạn")."""
        field: str | None = None
        above: Line | None = None
        for line in header:
            if self._merged_down(above, line, col):
                continue  # "Từ kỳ trước" over two rows: the empty cell below is its own,
                # not the left neighbour's ("Trực tiếp, dịch vụ bưu chính") spanning right
            above = line
            span = self._header_cell(line, col)
            if span is None:
                continue
            for h in self.hits:
                if not (span[0] <= h.start and h.end <= span[1]):
                    continue
                lab = h.label
                if lab.kind == "group":
                    group, field = lab.name, lab.field
                elif lab.kind == "qualifier":
                    field = lab.field_in(group)
                    if lab.opens or group is None:
                        group = lab.group or group
        return field, group

    def _own_words(self, line: Line | None, col: int) -> bool:
        cells = (line.cells or []) if line is not None else []
        return col < len(cells) and bool(self.text.match[slice(*cells[col])].strip())

    def _merged_down(self, above: Line | None, line: Line, col: int) -> bool:
        """An empty header cell under a cell with words of its own: a vertical merge."""
        return not self._own_words(line, col) and self._own_words(above, col)

    def _header_cell(self, line: Line, col: int) -> tuple[int, int] | None:
        """A header cell's span; a cell left empty by a horizontal merge takes its left
        neighbour's words ("Số hồ sơ nhận giải quyết" spans four columns)."""
        cells = line.cells or []
        for c in range(min(col, len(cells) - 1), -1, -1):
            s, e = cells[c]
            if self.text.match[s:e].strip():
                return (s, e) if c == col or self._spans_right(line, c, col) else None
        return None

    def _spans_right(self, line: Line, start_col: int, col: int) -> bool:
        cells = line.cells or []
        return all(not self.text.match[s:e].strip() for s, e in cells[start_col + 1 : col + 1])

    def _read_row(self, line: Line, columns: dict[int, str], period) -> list[Figure]:
        cells = line.cells or []
        label_cells = [
            (s, e)
            for s, e in cells
            if not _INDEX_CELL.match(self.text.match[s:e].strip())
            and parse_count(self.text.match[s:e].strip()) is None
        ]
        if not label_cells:
            return []
        ls, le = label_cells[0]
        name = self.text.match[ls:le].strip()
        named = next((m for m in self.mentions if ls <= m.start and m.end <= le), None)
        if named is not None:  # "Trung tâm PVHCC tỉnh – tháng 10/2024": the row's own period
            period = self.periods.resolve(replace(named, comparison=False))
            if period is not None and period.key is None and period.start_date is None:
                return []  # "Lũy kế từ đầu năm" beside a first quarter: shown unread
            name = (self.text.match[ls : named.start] + self.text.match[named.end : le]).strip()
        if _PERIOD_ONLY_ROW.search(name):
            return []  # "Lũy kế từ đầu năm" with no days: its counts are shown unread
        scope = "all" if named is not None and _OWN_ROW.fullmatch(name) else self._row_scope(name)
        if scope != "all" and self.unit_words and self.unit_words in " ".join(name.split()):
            scope = "all"
        if scope not in ("all", "lien_thong") and not field_name(_ROW_LEAD.sub("", name)):
            lead = _ROW_LEAD.match(name)
            if scope_patterns()["subject"].match(name, lead.end() if lead else 0):
                # "Trong đó: Sở Tư pháp": an agency's row is that agency's part, as written
                written = self.text.text[ls:le][lead.end() if lead else 0 :]
                scope = f"part:{' '.join(written.split()).strip(' :-.')}"
        figures = []
        for col, field in columns.items():
            if col >= len(cells):
                continue
            s, e = cells[col]
            value = parse_count(self.text.match[s:e].strip())
            if value is None:
                continue
            figures.append(Figure(field, value, s, e, ls, e, period, scope))
        return figures

    @staticmethod
    def _row_scope(name: str) -> str:
        if _TOTAL_ROW.match(name) or _UNIT_ROW.match(name):
            return "all"
        name = _ROW_LEAD.sub("", name)  # "Trong đó: Lĩnh vực đất đai" is the field's row
        known = field_name(name)
        if known:
            return known
        return regex.sub(r"^lĩnh\s+vực\s+", "", match_form(name)).strip(" :-.")


def read_tables(
    text: Text,
    doc: Doc,
    periods: PeriodIndex,
    mentions: list[PeriodMention] = (),
    unit: tuple[str | None, str | None] = (None, None),
) -> TableFigures:
    """Figures of every table (the national form, or labelled rows), and the rows the prose
    reader must skip. `unit`: the reporting unit's (level, name), whose own row is "all"."""
    return TableReader(text, doc, periods, mentions, unit).read()


@Language.component(
    "tthc_tables",
    requires=["doc._.text", "doc._.periods", "doc._.unit", "doc.spans"],
    assigns=["doc._.tables"],
)
def table_reader(doc: Doc) -> Doc:
    """Figures of form-like tables; the rows they consume are left to no other reader."""
    periods = doc._.periods
    unit = (doc._.unit.level, doc._.unit.name)
    doc._.tables = read_tables(doc._.text, doc, periods.index, periods.mentions, unit)
    return doc
