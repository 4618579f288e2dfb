"""The generated district's export of the provincial TTHC information system, and its truth.

The system counts every commune's dossiers, so the export holds the true figures of every
roster commune (the silent one and those whose report was replaced by a photo included).
Differences are planted between some reports and the system: a few communes' reports miss
some dossiers the system counts (a handful of online dossiers resolved early, or of dossiers
received in person still pending), and one commune's system counts its returned dossiers as
resolved on time while its report keeps them apart (a difference of convention). The reports
themselves are the generator's, unchanged: the plants live in the export. The truth lists
every difference a correct comparison finds, computed here independently of the toolkit:
each figure a report states against the export's figure for the same commune.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from corpus.system_export import FIELDS, Export, ExportStyle, ExportUnit, completed, write_export

RETURNS_COUNTED_AS_RESOLVED = ("resolved_total", "resolved_on_time")


def _figures(fig: Any) -> dict[str, int]:
    """The form's 11 figures of a generator `Figures`."""
    return completed(
        {
            "received_carried_over": fig.carried,
            "received_online": fig.online,
            "received_offline": fig.offline,
            "resolved_early": fig.early,
            "resolved_on_time": fig.on_time,
            "resolved_late": fig.late,
            "pending_in_time": fig.in_time,
            "pending_overdue": fig.overdue,
        }
    )


def _stated(report: dict[str, Any]) -> dict[str, int]:
    scope = next((s for s in report["scopes"] if s["scope"] == "all"), None)
    return {k: v for k, v in (scope or {}).get("dossiers", {}).items() if v is not None}


def write_district_export(
    out: Path, district: Any, plans: list[Any], silent: Any, seed: int, truth: dict[str, Any]
) -> dict[str, Any]:
    """Write the export beside the reports; return the truth's "system" part."""
    from corpus.generate import field_figures, sum_figures
    from corpus.vocabulary import FIELDS as FIELD_SPECS

    rng = random.Random(f"{seed}:system")
    figures = {p.unit.name: _figures(p.totals) for p in plans}
    quiet = random.Random(f"{seed}:system:silent")
    specs = [f for f in FIELD_SPECS if f.always]
    figures[silent.name] = _figures(sum_figures(field_figures(quiet, s, False) for s in specs))
    reports = {r["commune"]: r for r in truth["reports"]}
    candidates = [
        c
        for c, r in reports.items()
        if not r["faults"] and "received_total" in _stated(r) and not r.get("sender_case")
    ]
    planted = []
    picked = rng.sample(candidates, min(len(candidates), max(2, len(candidates) // 5)))
    for k, commune in enumerate(picked):
        d = rng.randint(2, 9)
        f = dict(figures[commune])
        if k % 2 == 0:
            what, parts = (
                "online dossiers resolved early, missing from the report",
                (
                    "received_online",
                    "resolved_early",
                ),
            )
        else:
            what, parts = (
                "dossiers received in person still pending, missing from the report",
                (
                    "received_offline",
                    "pending_in_time",
                ),
            )
        for name in parts:
            f[name] += d
        figures[commune] = completed(f)
        planted.append({"commune": commune, "what": what, "dossiers": d})
    conventions = []
    for commune, report in reports.items():
        returned = _stated(report).get("returned")
        if commune in picked or not returned or report["faults"]:
            continue
        f = dict(figures[commune])
        f["resolved_on_time"] += returned
        figures[commune] = completed(f)
        conventions.append({"commune": commune, "returned": returned})
        break
    export = Export(
        province=district.province,
        reporting=f"UBND tỉnh {district.province}",
        period_label=district.period.label,
        start=district.period.start,
        end=district.period.end,
        units=[ExportUnit(u.name, u.level, figures[u.name]) for u in district.units],
        style=ExportStyle(names="ubnd", agencies=True),
    )
    name = f"he_thong_tthc_{district.period.key.lower().replace('-', '_')}.xlsx"
    write_export(out / name, export)
    return {
        "file": name,
        "figures": figures,
        "planted": planted,
        "conventions": conventions,
        "expected": expected_differences(truth["reports"], figures),
    }


def expected_differences(
    reports: list[dict[str, Any]], figures: dict[str, dict[str, int]]
) -> list[dict[str, Any]]:
    """Every figure a report states that the export counts otherwise: (commune, field,
    stated, system, kind), kind "convention" when the difference is exactly the returned
    dossiers the report keeps apart."""
    out = []
    for report in reports:
        if report.get("sender_case"):
            continue
        stated = _stated(report)
        system = figures.get(report["commune"], {})
        returned = stated.get("returned")
        for name in FIELDS:
            if name not in stated or name not in system or stated[name] == system[name]:
                continue
            diff = stated[name] - system[name]
            kind = (
                "convention"
                if returned and name in RETURNS_COUNTED_AS_RESOLVED and diff == -returned
                else "differs"
            )
            out.append(
                {
                    "commune": report["commune"],
                    "field": name,
                    "stated": stated[name],
                    "system": system[name],
                    "kind": kind,
                }
            )
    return out
