"""Score the toolkit on a generated district against its truth file (`tthc eval`).

The generator (corpus/generate.py) writes every figure, rate, citation and planted fault of
its reports into truth.json. This turns each report's truth into the gold format of
tthc/evaluate/score.py, scores extraction field by field, and checks the flags: every planted
fault must be flagged (with its suggestion where one number repairs it), and no consistent
report may carry an arithmetic error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tthc.check import ARITHMETIC_CODES
from tthc.evaluate.score import FileScore, gold_from_truth, score_file, totals
from tthc.extract import ACTIVITY_KEYS
from tthc.schemas import Record

ARITHMETIC = ARITHMETIC_CODES
# Codes whose planted fault has a single-number repair the flag must name.
WITH_SUGGESTION = (
    "sum.received",
    "sum.resolved",
    "sum.pending",
    "balance",
    "ratio",
    "citation.code",
)


@dataclass
class MetricScore:
    """What the reports say the units did (Period.metrics of tthc/extract/activity_counts.py):
    each stated count found with its value, found with another value, missed, or read
    where the truth states none (also in another period)."""

    expected: int = 0
    found: int = 0
    wrong: list[tuple[str, str, int, int]] = field(default_factory=list)  # file, key, truth, read
    missed: list[tuple[str, str, int]] = field(default_factory=list)
    extra: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class CrossScore:
    """The comparison with the system's export against the truth's expected differences:
    each planted commune's differences all flagged (warning), each difference of convention
    said as information, and no `crosscheck` warning the truth does not expect."""

    expected: int = 0  # differences the truth lists (warnings and conventions)
    found: list[tuple[str, str]] = field(default_factory=list)  # (commune, field)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # commune, field, kind
    false: list[tuple[str, str, str]] = field(default_factory=list)  # commune, field, message
    planted: int = 0
    planted_found: int = 0
    compared: bool = False
    reason: str | None = None  # why the export was not compared


@dataclass
class Evaluation:
    scores: list[FileScore] = field(default_factory=list)
    faults_found: list[dict] = field(default_factory=list)
    faults_missed: list[dict] = field(default_factory=list)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)  # file, code, message
    consistent_reports: int = 0
    metrics: MetricScore = field(default_factory=MetricScore)
    crosscheck: CrossScore | None = None


def score_crosscheck(summary, truth: dict) -> CrossScore:
    """The `crosscheck` flags of the consolidated reports against truth["system"]."""
    system = truth["system"]
    score = CrossScore()
    check = summary.crosscheck
    score.compared = check is not None and check.status == "compared"
    score.reason = check.reason if check is not None else "không có tệp đối chiếu"
    flags = [(row.commune, row.flag) for row in summary.flags if row.flag.code == "crosscheck"]
    said = {(c, f.fields[0]): f.severity for c, f in flags if f.fields and f.severity != "info"} | {
        (c, f.fields[0]): "info" for c, f in flags if f.fields and f.severity == "info"
    }
    expected = {(e["commune"], e["field"]): e["kind"] for e in system["expected"]}
    score.expected = len(expected)
    for (commune, name), kind in expected.items():
        want = "warning" if kind == "differs" else "info"
        if said.get((commune, name)) == want:
            score.found.append((commune, name))
        else:
            score.missed.append((commune, name, kind))
    for commune, f in flags:
        if f.severity == "warning" and expected.get((commune, f.fields[0])) != "differs":
            score.false.append((commune, f.fields[0], f.message))
    planted = {p["commune"] for p in system["planted"]} | {
        c["commune"] for c in system["conventions"]
    }
    score.planted = len(planted)
    score.planted_found = sum(
        1
        for commune in planted
        if all((c, n) in score.found for (c, n) in expected if c == commune)
        and any(c == commune for c, _ in expected)
    )
    return score


def print_crosscheck(score: CrossScore, out=None) -> None:
    if not score.compared:
        print(f"Đối chiếu Hệ thống: KHÔNG đối chiếu ({score.reason})", file=out)
        return
    print(
        f"Đối chiếu Hệ thống: {len(score.found)}/{score.expected} chênh lệch được nêu đúng; "
        f"đơn vị cài chênh lệch được phát hiện đủ: {score.planted_found}/{score.planted}; "
        f"cảnh báo đối chiếu thừa: {len(score.false)}",
        file=out,
    )
    for commune, name, kind in score.missed:
        print(f"  CHƯA NÊU: {commune} {name} ({kind})", file=out)
    for commune, name, message in score.false:
        print(f"  THỪA: {commune} {name}: {message}", file=out)


def gold_of(report: dict) -> dict:
    """A truth-file report in the gold format of tthc/evaluate/score.py (rates with their
    measure)."""
    return gold_from_truth(report)


def _flag_for(fault: dict, flags: list[dict]) -> dict | None:
    """The flag that finds a planted fault: its code, and the repair when it names one (a
    flag that names none, because two repairs are equally good, still finds the fault; one
    that names another repair does not). Numbers are compared without their separators."""
    for f in flags:
        if f["code"] != fault["code"]:
            continue
        wants = fault["code"] in WITH_SUGGESTION and fault.get("suggestion")
        said = f.get("suggestion")
        if wants and said and _bare(fault["suggestion"]) not in _bare(said):
            continue
        return f
    return None


def _bare(text: str) -> str:
    """ "1,121 → 1,125" and "1.121 → 1.125" alike, and "06 → 07" as "6 → 7": numbers
    compared without their separators or leading zeros."""
    bare = text.replace(".", "").replace(",", "").replace(" ", "")
    return re.sub(r"(?<!\d)0+(?=\d)", "", bare)


def score_metrics(record: dict, report: dict, score: MetricScore) -> None:
    """Compare a report's truth `metrics` (the activity counts it states) with the record's
    Period.metrics of the report's period. Digitized counts are left out: the truth holds
    them as ratio numerators, which the percentage scores already cover."""
    name = Path(report["path"]).name
    key = report["period"]["key"]
    expected = {k: v for k, v in report.get("metrics", {}).items() if k in ACTIVITY_KEYS}
    read: dict[str, int] = {}
    for p in record.get("periods", []):
        for k, v in p.get("metrics", {}).items():
            if k not in ACTIVITY_KEYS:
                continue
            if p.get("key") == key and p.get("scope") == "all":
                read[k] = v
            else:
                score.extra.append((name, f"{k} ({p.get('label')})", v))
    for k, v in expected.items():
        score.expected += 1
        if read.get(k) == v:
            score.found += 1
        elif k in read:
            score.wrong.append((name, k, v, read[k]))
        else:
            score.missed.append((name, k, v))
    score.extra += [(name, k, v) for k, v in read.items() if k not in expected]


def evaluate(records: list[Record], truth: dict, summary=None) -> Evaluation:
    """Extraction and flags against the truth; with the run's summary and a truth that has
    an export ("system"), the comparison with the export too."""
    result = Evaluation()
    if summary is not None and "system" in truth:
        result.crosscheck = score_crosscheck(summary, truth)
    by_name = {Path(r.source.path).name: r.to_json() for r in records}
    for report in truth["reports"]:
        name = Path(report["path"]).name
        record = by_name.get(name)
        if record is None:
            continue
        result.scores.append(score_file(record, gold_of(report)))
        score_metrics(record, report, result.metrics)
        flags = record.get("flags", [])
        faults = [f for f in truth["faults"] if Path(f["file"]).name == name]
        for fault in faults:
            (result.faults_found if _flag_for(fault, flags) else result.faults_missed).append(fault)
        if not faults:
            result.consistent_reports += 1
            for f in flags:
                if f["code"] in ARITHMETIC and f["severity"] == "error":
                    result.false_alarms.append((name, f["code"], f["message"]))
    return result


def print_evaluation(result: Evaluation, out=None) -> None:
    t = totals(result.scores)
    print(f"Báo cáo chấm điểm: {len(result.scores)}", file=out)
    for kind, label in (
        ("dossiers", "Số liệu hồ sơ"),
        ("percentages", "Tỷ lệ"),
        ("ratios", "Tỷ số (tử/mẫu)"),
        ("measures", "Tỷ lệ theo chỉ tiêu"),
        ("citations", "Văn bản được dẫn"),
        ("citation_dates", "Văn bản + ngày"),
        ("unit", "Đơn vị"),
    ):
        pr = t[kind]
        print(
            f"  {label:<20} precision {pr.precision:.3f}  recall {pr.recall:.3f}  "
            f"({pr.tp}/{pr.expected} đúng, {pr.predicted} trích xuất)",
            file=out,
        )
    print_metrics(result.metrics, out)
    planted = len(result.faults_found) + len(result.faults_missed)
    print(f"Lỗi cài sẵn được phát hiện: {len(result.faults_found)}/{planted}", file=out)
    for fault in result.faults_missed:
        print(
            f"  CHƯA PHÁT HIỆN: {fault['file']} {fault['code']} {fault.get('suggestion') or ''}",
            file=out,
        )
    print(
        f"Báo cáo đúng bị gắn cờ lỗi số học: {len({f for f, _, _ in result.false_alarms})}"
        f"/{result.consistent_reports}",
        file=out,
    )
    for name, code, message in result.false_alarms:
        print(f"  {name}: {code} — {message}", file=out)
    if result.crosscheck is not None:
        print_crosscheck(result.crosscheck, out)
    for s in result.scores:
        for kind in ("dossiers", "percentages", "citations", "unit"):
            part = getattr(s, kind)
            for miss in part.misses:
                print(f"  {s.file}: thiếu {kind}: {miss}", file=out)
            for extra in part.extras:
                print(f"  {s.file}: thừa {kind}: {extra}", file=out)


def print_metrics(m: MetricScore, out=None) -> None:
    print(
        f"  {'Số liệu hoạt động':<20} {m.found}/{m.expected} đúng, {len(m.wrong)} sai, "
        f"{len(m.missed)} thiếu, {len(m.extra)} thừa",
        file=out,
    )
    for name, key, truth, read in m.wrong:
        print(f"  {name}: sai {key}: đáp án {truth}, đọc được {read}", file=out)
    for name, key, truth in m.missed:
        print(f"  {name}: thiếu {key}: {truth}", file=out)
    for name, key, read in m.extra:
        print(f"  {name}: thừa {key}: {read}", file=out)


# The bundled sample's truth lives outside its folder, so that the folder an officer runs
# holds only reports; a generated district keeps its truth.json beside its reports.
SAMPLE_TRUTH = Path(__file__).with_name("sample_truth.json")
SAMPLE_FOLDER = Path(__file__).resolve().parents[1] / "sample"


def truth_file(directory: Path) -> Path | None:
    """The truth of a district folder: its truth.json, or the bundled sample's."""
    beside = directory / "truth.json"
    if beside.is_file():
        return beside
    if directory.resolve() == SAMPLE_FOLDER and SAMPLE_TRUTH.is_file():
        return SAMPLE_TRUTH
    return None


def load_truth(directory: Path) -> dict:
    path = truth_file(directory)
    if path is None:
        raise FileNotFoundError(directory / "truth.json")
    return json.loads(path.read_text(encoding="utf-8"))
