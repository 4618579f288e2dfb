"""Score extraction output against gold annotations, field by field.

    tthc extract --json ../shared/seeds/*.txt > out.json
    python3 -m tthc.evaluate.score out.json                  # gold from corpus/gold/
    python3 -m tthc.evaluate.score OUT/ban_ghi.json --truth DIR/truth.json   # a generated district

Gold files (corpus/gold/*.json) hold values only: the unit, the dossier figures of each
(period key, scope), the stated rates with their numerator and denominator, the citations
(symbol, date, issuer), and the flags a report must and must not raise. Records are matched
to gold by file name. Every comparison is a multiset of tuples, so a value found twice
counts once unless the gold has it twice.

Rates are also scored by what they measure (`measures`): (value, numerator, denominator,
measure_key) for every gold rate that names its measure (`measure_key`, or `measure` in a
generator's truth file). A rate the tool leaves unclassified scores as a miss there.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parents[2] / "corpus" / "gold"  # the corpus tools' gold


@dataclass
class PR:
    """Precision and recall counts for one kind of value."""

    tp: int = 0
    predicted: int = 0
    expected: int = 0
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)

    def add(self, predicted: Counter, expected: Counter) -> None:
        common = predicted & expected
        self.tp += sum(common.values())
        self.predicted += sum(predicted.values())
        self.expected += sum(expected.values())
        self.misses += list((expected - predicted).elements())
        self.extras += list((predicted - expected).elements())

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0


@dataclass
class FileScore:
    file: str
    dossiers: PR = field(default_factory=PR)
    percentages: PR = field(default_factory=PR)
    ratios: PR = field(default_factory=PR)  # gold rates that have both numerator and denominator
    measures: PR = field(default_factory=PR)  # gold rates that name their measure
    citations: PR = field(default_factory=PR)  # symbols
    citation_dates: PR = field(default_factory=PR)  # (symbol, date)
    unit: PR = field(default_factory=PR)
    flags_missing: list = field(default_factory=list)
    flags_forbidden: list = field(default_factory=list)


def _num(x):
    return None if x is None else round(float(x), 4)


def dossier_tuples(periods: list[dict]) -> Counter:
    out: Counter = Counter()
    for p in periods:
        for name, value in (p.get("dossiers") or {}).items():
            if value is not None:
                out[(p.get("key"), p.get("scope", "all"), name, value)] += 1
    return out


def percentage_tuples(rates: list[dict], only_ratios: bool = False) -> Counter:
    out: Counter = Counter()
    for r in rates:
        if only_ratios and (r.get("numerator") is None or r.get("denominator") is None):
            continue
        key = (
            _num(r.get("value")),
            _num(r.get("numerator")),
            _num(r.get("denominator")),
            _num(r.get("change")),
            _num(r.get("reference_value")),
        )
        out[key] += 1
    return out


def measure_tuples(rates: list[dict], gold: bool = False) -> Counter:
    """(value, numerator, denominator, measure) of rates; for gold, only those naming one."""
    out: Counter = Counter()
    for r in rates:
        measure = r.get("measure_key", r.get("measure") if gold else None)
        if gold and measure is None:
            continue
        key = (_num(r.get("value")), _num(r.get("numerator")), _num(r.get("denominator")), measure)
        out[key] += 1
    return out


def _flag_matches(flag: dict, want: dict) -> bool:
    if flag["code"] != want["code"]:
        return False
    if "period" in want and want["period"] not in (flag.get("period_key"), flag.get("period")):
        return False
    if "scope" in want and flag.get("scope") not in (want["scope"], None):
        return False
    if "field" in want and want["field"] not in flag.get("fields", []):
        return False
    for key in ("expected", "actual"):
        if key in want and flag.get(key) != want[key]:
            return False
    if "symbol" in want:
        quotes = " ".join(e.get("quote", "") for e in flag.get("evidence", []))
        text = f"{flag.get('message', '')} {flag.get('actual', '')} {quotes}"
        if want["symbol"] not in text:
            return False
    return "suggestion_contains" not in want or want["suggestion_contains"] in (
        flag.get("suggestion") or ""
    )


def score_file(record: dict, gold: dict) -> FileScore:
    s = FileScore(gold["file"])
    s.dossiers.add(
        dossier_tuples(record.get("periods", [])), dossier_tuples(gold.get("periods", []))
    )
    s.percentages.add(
        percentage_tuples(record.get("percentages", [])),
        percentage_tuples(gold.get("percentages", [])),
    )
    gold_measures = measure_tuples(gold.get("percentages", []), gold=True)
    if gold_measures:
        s.measures.add(measure_tuples(record.get("percentages", [])) & gold_measures, gold_measures)
    gold_ratios = percentage_tuples(gold.get("percentages", []), only_ratios=True)
    found = percentage_tuples(record.get("percentages", []), only_ratios=True)
    s.ratios.add(found & gold_ratios, gold_ratios)
    cites = record.get("citations", [])
    s.citations.add(
        Counter({c["symbol"] for c in cites if c.get("symbol")}),
        Counter({c["symbol"] for c in gold.get("citations", [])}),
    )
    s.citation_dates.add(
        Counter((c.get("symbol"), c.get("date")) for c in cites),
        Counter((c["symbol"], c.get("date")) for c in gold.get("citations", [])),
    )
    unit_pred, unit_gold = Counter(), Counter()
    for key, value in (gold.get("unit") or {}).items():
        if value is not None:
            unit_gold[(key, value)] += 1
        got = (record.get("unit") or {}).get(key)
        if got is not None:
            unit_pred[(key, got)] += 1
    s.unit.add(unit_pred, unit_gold)
    flags = record.get("flags", [])
    for want in gold.get("flags_expected", []):
        if not any(_flag_matches(f, want) for f in flags):
            s.flags_missing.append(want)
    for code in gold.get("flags_forbidden", []):
        s.flags_forbidden += [f for f in flags if f["code"] == code]
    return s


KINDS = ("dossiers", "percentages", "ratios", "measures", "citations", "citation_dates", "unit")


def gold_from_truth(report: dict) -> dict:
    """A generator truth-file report in this gold format, rates with their measure."""
    period = report["period"]["key"]
    return {
        "file": Path(report["path"]).name,
        "unit": {"name": report["written_name"], "level": report["level"]},
        "periods": [
            {"key": period, "scope": s["scope"], "dossiers": s["dossiers"]}
            for s in report["scopes"]
        ],
        "percentages": [
            {
                "value": p["value"],
                "numerator": p.get("numerator"),
                "denominator": p.get("denominator"),
                "measure_key": p.get("measure"),
            }
            for p in report["percentages"]
        ],
        "citations": [
            {"symbol": c["symbol"], "date": c["date"], "issuer": c.get("issuer")}
            for c in report["citations"]
        ],
    }


def load_truth(path: Path) -> dict[str, dict]:
    truth = json.loads(path.read_text(encoding="utf-8"))
    return {g["file"]: g for g in map(gold_from_truth, truth["reports"])}


def load_gold(directory: Path = GOLD_DIR) -> dict[str, dict]:
    return {
        g["file"]: g
        for g in (
            json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))
        )
    }


def score(records: list[dict], gold: dict[str, dict]) -> list[FileScore]:
    """One FileScore per gold file that has a record."""
    by_name = {Path(r["source"]["path"]).name: r for r in records}
    return [score_file(by_name[name], g) for name, g in gold.items() if name in by_name]


def totals(scores: list[FileScore]) -> dict[str, PR]:
    out: dict[str, PR] = {}
    for kind in KINDS:
        total = PR()
        for s in scores:
            part = getattr(s, kind)
            total.tp += part.tp
            total.predicted += part.predicted
            total.expected += part.expected
        out[kind] = total
    return out


def print_report(scores: list[FileScore], out=sys.stdout) -> None:
    kinds = KINDS
    header = f"{'file':<28}" + "".join(f"{k:>18}" for k in kinds)
    print(header, file=out)
    rows = [(s.file, {k: getattr(s, k) for k in kinds}) for s in scores]
    rows.append(("TOTAL", totals(scores)))
    for name, parts in rows:
        cells = "".join(f"{parts[k].precision:>8.2f}/{parts[k].recall:<9.2f}" for k in kinds)
        print(f"{name[:27]:<28}{cells}", file=out)
    print("(each cell: precision/recall)", file=out)
    for s in scores:
        for kind in kinds:
            part = getattr(s, kind)
            for miss in part.misses:
                print(f"  {s.file}: missed {kind}: {miss}", file=out)
            for extra in part.extras:
                if kind not in ("ratios", "measures"):
                    print(f"  {s.file}: extra {kind}: {extra}", file=out)
        for want in s.flags_missing:
            print(f"  {s.file}: expected flag not raised: {want}", file=out)
        for flag in s.flags_forbidden:
            print(
                f"  {s.file}: forbidden flag raised: {flag['code']} {flag.get('message')}", file=out
            )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(
            "usage: python3 -m tthc.evaluate.score RECORDS.json [GOLD_DIR | --truth TRUTH.json]",
            file=sys.stderr,
        )
        return 2
    source = sys.stdin if argv[0] == "-" else open(argv[0], encoding="utf-8")  # noqa: SIM115
    records = json.load(source)
    if len(argv) > 2 and argv[1] == "--truth":
        gold = load_truth(Path(argv[2]))
    else:
        gold = load_gold(Path(argv[1]) if len(argv) > 1 else GOLD_DIR)
    print_report(score(records, gold))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
