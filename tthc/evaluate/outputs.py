"""Score a run's outputs (the workbook and the draft notice) against a generated district's
truth (corpus/district_truth.py), reading them as an officer would: the national form's
cells and total row, the rates sheet, the senders sheet, and the notice's sentences.

The workbook is read by the national form's column numbers, (3) to (13), which are the
form's definition, not the toolkit's; the notice by the sentences it prints. The notice is
also fed back to `tthc extract`: its figures must pass the toolkit's own checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from tthc.check import ARITHMETIC_CODES
from tthc.rules.field_names import field_names

# The national form's figure columns by their printed number.
FORM_COLUMNS = {
    3: "received_total",
    4: "received_online",
    5: "received_offline",
    6: "received_carried_over",
    7: "resolved_total",
    8: "resolved_early",
    9: "resolved_on_time",
    10: "resolved_late",
    11: "pending_total",
    12: "pending_in_time",
    13: "pending_overdue",
}
SENDER_WORDS = {  # the senders sheet's words for each outcome
    "Đã gửi, đọc được": "read",
    "Đã gửi, đọc được một phần": "read",
    "Đã gửi, tệp không đọc được": "unreadable",
    "Đã gửi, không phải báo cáo của kỳ": "not_report",
    "Chưa gửi báo cáo": "missing",
}


@dataclass
class OutputCheck:
    what: str
    expected: Any
    actual: Any

    @property
    def ok(self) -> bool:
        if isinstance(self.expected, float) and isinstance(self.actual, int | float):
            return abs(self.expected - self.actual) < 0.006
        return self.expected == self.actual


@dataclass
class OutputScore:
    checks: list[OutputCheck] = field(default_factory=list)
    traces: list[Any] = field(default_factory=list)  # the notice's numbers and their cells

    def add(self, what: str, expected: Any, actual: Any) -> None:
        self.checks.append(OutputCheck(what, expected, actual))

    @property
    def failures(self) -> list[OutputCheck]:
        return [c for c in self.checks if not c.ok]


def _number(text: str) -> int | None:
    digits = text.replace(".", "")
    return int(digits) if digits.isdigit() else None


def _commune_of(label: str, names: list[str]) -> str | None:
    """ "Xã Ngọc Giang" → "Ngọc Giang" (the roster's name)."""
    label = label.strip()
    return next((n for n in sorted(names, key=len, reverse=True) if label.endswith(n)), None)


# ---------------------------------------------------------------- the workbook


def _form_columns(ws) -> tuple[int, dict[int, str]]:
    """The row holding "(1)", "(2)" … and the sheet column of each numbered form column."""
    for row in ws.iter_rows(min_row=1, max_row=20):
        numbers = {
            c.column: c.value
            for c in row
            if isinstance(c.value, str) and regex.fullmatch(r"\(\d+\)", c.value)
        }
        if "(1)" in numbers.values():
            return row[0].row, {
                col: FORM_COLUMNS[int(v[1:-1])]
                for col, v in numbers.items()
                if int(v[1:-1]) in FORM_COLUMNS
            }
    raise ValueError("the form sheet has no row of column numbers")


def score_workbook(path: Path, truth: dict[str, Any], score: OutputScore) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    district = truth["district"]
    roster = list(district["senders"])
    reports = {r["commune"]: r for r in truth["reports"]}
    from tthc.evaluate.district_truth import known_figures

    ws = wb.worksheets[0]
    numbers_row, columns = _form_columns(ws)
    rows: dict[str, int] = {}
    total_row = None
    for r in range(numbers_row + 1, ws.max_row + 1):
        label = ws.cell(r, 2).value or ws.cell(r, 1).value
        if not isinstance(label, str):
            continue
        if label.startswith("Tổng cộng"):
            total_row = r
            break
        commune = _commune_of(label, roster)
        if commune:
            rows[commune] = r
    score.add("form: one row per roster commune", sorted(roster), sorted(rows))
    for commune, r in rows.items():
        report = reports.get(commune)
        known = known_figures(_all_scope(report)) if report else {}
        for col, fld in columns.items():
            score.add(f"form {commune} {fld}", known.get(fld), ws.cell(r, col).value)
    if total_row is None:
        score.add("form: total row", "present", None)
        return
    first, last = min(rows.values()), max(rows.values())
    for col, fld in columns.items():
        cell = ws.cell(total_row, col).value
        letter = openpyxl.utils.get_column_letter(col)
        score.add(f"form total {fld} formula", f"=SUM({letter}{first}:{letter}{last})", cell)
        cells = [ws.cell(r, col).value for r in range(first, last + 1)]
        values = [v for v in cells if isinstance(v, int | float)]
        expected = district["totals"].get(fld, {}).get("value")
        score.add(f"form total {fld}", expected, sum(values) if values else None)
    _score_rates_sheet(wb, district, roster, score)
    _score_senders_sheet(wb, district, roster, score)


def _all_scope(report: dict[str, Any]) -> dict[str, Any]:
    return next(s["dossiers"] for s in report["scopes"] if s["scope"] == "all")


def _score_rates_sheet(wb, district: dict[str, Any], roster: list[str], score: OutputScore) -> None:
    ws = wb["Tỷ lệ"]
    header = {ws.cell(4, c).value: c for c in range(3, ws.max_column + 1) if ws.cell(4, c).value}
    labels = _measure_labels()
    district_row = next(
        r for r in range(6, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("Toàn ")
    )
    for measure, truth in district["rates"].items():
        col = header.get(labels.get(measure))
        if col is None:
            score.add(f"rates sheet has {measure}", True, False)
            continue
        score.add(f"rate {measure} district", truth["value"], ws.cell(district_row, col + 1).value)
        for r in range(6, district_row):
            commune = _commune_of(str(ws.cell(r, 2).value or ""), roster)
            if commune not in truth["communes"]:
                continue
            want = truth["communes"][commune]
            cell = ws.cell(r, col if want["stated"] else col + 1).value
            score.add(f"rate {measure} {commune}", float(want["value"]), cell)


def _measure_labels() -> dict[str, str]:
    return dict(field_names().measures)


def _score_senders_sheet(
    wb, district: dict[str, Any], roster: list[str], score: OutputScore
) -> None:
    ws = wb["Tình hình gửi báo cáo"]
    seen = {}
    for r in range(5, ws.max_row + 1):
        commune = _commune_of(str(ws.cell(r, 2).value or ""), roster)
        if commune:
            seen[commune] = SENDER_WORDS.get(ws.cell(r, 3).value, ws.cell(r, 3).value)
    for commune, want in district["senders"].items():
        score.add(f"sender {commune}", want["status"], seen.get(commune))


# ---------------------------------------------------------------- the notice


def notice_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _vi(n: int | None) -> str:
    return "…" if n is None else f"{n:,}".replace(",", ".")


def _vi_rate(x: float) -> str:
    text = f"{x:.2f}".replace(".", ",").rstrip("0").rstrip(",")
    return f"{text}%"


def score_notice(path: Path, truth: dict[str, Any], score: OutputScore) -> None:
    text = notice_text(path)
    rc = truth["district"]["reconciled"]
    figures = rc["figures"]
    for label, fld in (
        ("Tổng số hồ sơ tiếp nhận", "received_total"),
        ("Số hồ sơ đã giải quyết", "resolved_total"),
        ("Số hồ sơ đang giải quyết", "pending_total"),
    ):
        m = regex.search(rf"{label}: ([\d.]+) hồ sơ", text)
        score.add(f"notice {fld}", figures.get(fld, {}).get("value"), _number(m[1]) if m else None)
    m = regex.search(r"tổng hợp từ báo cáo của (\d+) đơn vị", text)
    score.add("notice reconciled units", len(rc["units"]), int(m[1]) if m else None)
    for commune in rc["left_out"]:
        score.add(f"notice names left-out {commune}", True, commune in text)
    for measure, rate in truth["district"]["rates"].items():
        if rate["target"] is None:
            continue
        if rate["below"]:
            m = regex.search(
                r"chỉ tiêu [\d,]+% tại (\d+) đơn vị: ([^\n]+)",
                _sentence_of(text, _measure_labels().get(measure, measure) + " chưa đạt"),
            )
            score.add(f"notice below {measure} count", len(rate["below"]), int(m[1]) if m else None)
            listed = (
                [
                    _commune_of(
                        regex.sub(r" \([^)]*\)$", "", p).rsplit(" ", 1)[0],
                        list(rate["communes"]),
                    )
                    for p in m[2].rstrip(".").split("; ")
                ]
                if m
                else None
            )
            score.add(f"notice below {measure} list", rate["below"], listed)
        if rate["value"] is not None and rate["numerator"] is not None:
            wanted = (
                f"{_vi_rate(rate['value'])} ({_vi(rate['numerator'])}/{_vi(rate['denominator'])}"
            )
            score.add(f"notice rate {measure}", True, wanted in text)
    for commune, sender in truth["district"]["senders"].items():
        if sender["status"] in ("missing", "unreadable", "not_report"):
            score.add(f"notice names {sender['status']} {commune}", True, commune in text)


def _sentence_of(text: str, start: str) -> str:
    at = text.find(start)
    return text[at : text.find("\n", at) if "\n" in text[at:] else None] if at >= 0 else ""


def self_check(path: Path) -> list[dict[str, Any]]:
    """The notice fed back to `tthc extract`: its arithmetic flags (there should be none)."""
    done = subprocess.run(
        [sys.executable, "-m", "tthc", "extract", "--json", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    records = json.loads(done.stdout or "[]")
    return [
        f
        for r in records
        for f in r.get("flags", [])
        if f["code"] in ARITHMETIC_CODES or f["code"] == "conflict.value"
    ]


# ---------------------------------------------------------------- one figure, one value

# Numbers in a notice that are not figures: dates, document symbols ("61/2018/NĐ-CP",
# "…/KH-UBND"), years after "năm", the period's name.
_NOT_FIGURES = regex.compile(
    r"[\d…]{1,2}/[\d…]{1,2}/\d{4}"
    r"|\d+/\d{4}/[\p{Lu}Đ][\p{L}-]*"
    r"|\d+/[\p{Lu}Đ]{2,}[\p{L}-]*"
    r"|(?<=năm )\d{4}"
)
_NUMBER = regex.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?!\w)")


def numbers_in(text: str) -> list[tuple[float, str]]:
    """The figures a sentence states, as (value, the text written): "16.964" → 16964,
    "58,12%" → 58.12; dates, document symbols and years are not figures."""
    blanked = _NOT_FIGURES.sub(lambda m: " " * len(m[0]), text)
    out = []
    for m in _NUMBER.finditer(blanked):
        value = float(m[1].replace(".", "") + (f".{m[2]}" if m[2] else ""))
        out.append((value, m[0]))
    return out


@dataclass
class NumberTrace:
    """One number of the notice and the workbook cells that hold it."""

    paragraph: str
    written: str
    value: float
    cells: list[str]


def _workbook_values(path: Path) -> dict[float, list[str]]:
    """Every number the workbook shows (a number cell's stored value, or a number written
    in a text cell), with the cells that show it."""
    import openpyxl

    found: dict[float, list[str]] = {}
    book = openpyxl.load_workbook(path, data_only=True)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                values: list[float] = []
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    values = [float(cell.value)]
                elif isinstance(cell.value, str):
                    values = [v for v, _ in numbers_in(cell.value)]
                for v in values:
                    found.setdefault(round(v, 6), []).append(f"'{ws.title}'!{cell.coordinate}")
    return found


def trace_notice(notice: Path, workbook: Path) -> list[NumberTrace]:
    """Each number of the notice with the cells of the workbook that hold the same value
    (none: a figure the notice states that the workbook does not)."""
    import docx

    values = _workbook_values(workbook)
    document = docx.Document(str(notice))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    out = []
    for text in texts:
        for value, written in numbers_in(text):
            out.append(NumberTrace(text, written, value, values.get(round(value, 6), [])))
    return out


def _statement_rows(workbook: Path) -> dict[str, Any]:
    """The "Số liệu thông báo" sheet: statement key → its value."""
    import openpyxl

    ws = openpyxl.load_workbook(workbook, data_only=True)["Số liệu thông báo"]
    header_row = next(r for r in range(1, 12) if ws.cell(r, 1).value == "STT")
    header = [c.value for c in ws[header_row]]
    key, value = header.index("Mã"), header.index("Giá trị")
    return {
        row[key]: row[value]
        for row in ws.iter_rows(min_row=header_row + 1, values_only=True)
        if row[key]
    }


_AGREEMENT = regex.compile(r"(\d+)(?:/\d+)? đơn vị có số liệu hồ sơ đầy đủ, thống nhất")


def filled_against_parts(workbook: Path, truth: dict[str, Any]) -> list[str]:
    """Figures the form shows in italics (filled in by the tool) that an identity of the
    unit's own stated figures contradicts."""
    import openpyxl

    from tthc.evaluate.district_truth import IDENTITIES

    ws = openpyxl.load_workbook(workbook).worksheets[0]
    numbers_row, columns = _form_columns(ws)
    roster = list(truth["district"]["senders"])
    reports = {r["commune"]: _all_scope(r) for r in truth["reports"]}
    bad = []
    for r in range(numbers_row + 1, ws.max_row + 1):
        commune = _commune_of(str(ws.cell(r, 2).value or ""), roster)
        if commune is None or commune not in reports:
            continue
        stated = {k: v for k, v in reports[commune].items() if v is not None}
        for col, name in columns.items():
            cell = ws.cell(r, col)
            if not isinstance(cell.value, int) or not cell.font.i or name in stated:
                continue
            values = {**stated, name: cell.value}
            for whole, parts in IDENTITIES:
                members = (whole, *parts)
                if (
                    name in members
                    and all(n in values for n in members)
                    and values[whole] != sum(values[p] for p in parts)
                ):
                    bad.append(f"{commune} {name} {cell.value}")
    return bad


def score_one_value(out: Path, truth: dict[str, Any], score: OutputScore) -> list[NumberTrace]:
    """The notice against the workbook and the truth: every number of the notice on the
    workbook, every statement equal to the truth, the units said to agree the same
    wherever the notice says it, no figure filled against a unit's parts, and a total
    row a reader without a spreadsheet engine sees."""
    import pandas as pd

    notice, workbook = out / "du_thao_thong_bao.docx", out / "tong_hop.xlsx"
    traces = trace_notice(notice, workbook)
    missing = [f"{t.written} ({t.paragraph[:60]}…)" for t in traces if not t.cells]
    score.add("notice numbers found on the workbook", [], missing)
    stated, wanted = _statement_rows(workbook), truth["district"].get("statements", {})
    for key in sorted(set(stated) & set(wanted)):
        score.add(f"statement {key}", float(wanted[key]), stated[key])
    agreement = {int(m[1]) for m in _AGREEMENT.finditer(notice_text(notice))}
    expected = {len(truth["district"]["reconciled"]["units"])}
    score.add("units in agreement statements", expected, agreement or expected)
    score.add("values filled against a unit's parts", [], filled_against_parts(workbook, truth))
    frame = pd.read_excel(workbook, sheet_name=0, header=None)
    total = frame[frame[0] == "Tổng cộng"]
    district_total = truth["district"]["totals"].get("received_total", {}).get("value")
    shown = None if total.empty else total.iloc[0][2]
    score.add("pandas reads the total row", district_total, None if pd.isna(shown) else shown)
    return traces


def evaluate_outputs(out: Path, truth: dict[str, Any], *, extract: bool = True) -> OutputScore:
    score = OutputScore()
    score_workbook(out / "tong_hop.xlsx", truth, score)
    notice = out / "du_thao_thong_bao.docx"
    score_notice(notice, truth, score)
    score.traces = score_one_value(out, truth, score)
    if extract:
        flags = self_check(notice)
        score.add(
            "notice passes its own checks", [], [f"{f['code']}: {f['message']}" for f in flags]
        )
    return score


def print_outputs(score: OutputScore, out=None) -> None:
    traces = score.traces
    found = sum(1 for t in traces if t.cells)
    statements = [c for c in score.checks if c.what.startswith("statement ")]
    agreement = next((c for c in score.checks if c.what == "units in agreement statements"), None)
    filled = next((c for c in score.checks if c.what.startswith("values filled")), None)
    if traces:
        print(
            f"Số liệu trong dự thảo thông báo có trên bảng tổng hợp: {found}/{len(traces)} "
            f"({100 * found / len(traces):.1f}%); bằng đáp án: "
            f'{sum(c.ok for c in statements)}/{len(statements)} số liệu của bảng "Số liệu '
            f'thông báo"; số đơn vị "có số liệu thống nhất" nhất quán: '
            f"{'có' if agreement and agreement.ok else 'không'}; số liệu điền trái với số liệu "
            f"của đơn vị: {len(filled.actual) if filled else 0}",
            file=out,
        )
    print(
        f"Kết quả đầu ra (bảng tổng hợp, dự thảo thông báo): "
        f"{len(score.checks) - len(score.failures)}/{len(score.checks)} điểm khớp đáp án",
        file=out,
    )
    for c in score.failures:
        print(f"  SAI: {c.what}: đáp án {c.expected!r}, đầu ra {c.actual!r}", file=out)
