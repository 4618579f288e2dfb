"""What a generated district's outputs must say, computed from the generator's own record
of every report, independently of the toolkit's consolidation code.

`tthc eval` compares the workbook and the notice of a run with this: the district totals
with their coverage, the reconciled figures the notice prints, each measure's rate and the
communes below target, and what each commune sent. The rules are the ones the README
states for the outputs, written again here on purpose: a second implementation is what
makes the comparison a proof.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

# The identities of domain.md between a commune's own figures (the balance excepted).
IDENTITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("received_total", ("received_new", "received_carried_over")),
    ("received_new", ("received_online", "received_offline")),
    ("resolved_total", ("resolved_early", "resolved_on_time", "resolved_late")),
    ("resolved_total", ("resolved_early_or_on_time", "resolved_late")),
    ("resolved_early_or_on_time", ("resolved_early", "resolved_on_time")),
    ("pending_total", ("pending_in_time", "pending_overdue")),
)
TOTALS = ("received_total", "resolved_total", "pending_total")
# Faults that put a report's dossier figures in doubt: such a commune is summed in the
# workbook's totals but left out of the figures the notice prints.
DOUBT_CODES = ("sum.", "balance", "impossible", "conflict.value")
DOSSIER_MEASURES = {
    "online": (("received_online",), ("received_online", "received_offline")),
    "on_time": (("resolved_early_or_on_time",), ("resolved_total",)),
    "late": (("resolved_late",), ("resolved_total",)),
    "returned": (("returned",), ("received_total",)),
}


def known_figures(stated: dict[str, int | None]) -> dict[str, int]:
    """The stated figures and those they determine exactly (one unknown in an identity)."""
    known = {k: v for k, v in stated.items() if v is not None}
    changed = True
    while changed:
        changed = False
        for whole, parts in IDENTITIES:
            names = (whole, *parts)
            unknown = [n for n in names if n not in known]
            if len(unknown) != 1:
                continue
            missing = unknown[0]
            if missing == whole:
                value = sum(known[p] for p in parts)
            else:
                value = known[whole] - sum(known[p] for p in parts if p != missing)
            if value >= 0:
                known[missing] = value
                changed = True
    return known


def _rate(num: float, den: float) -> float:
    return round(100 * num / den, 2)


def district_truth(
    reports: list[dict[str, Any]],
    roster: list[str],
    targets: dict[str, float],
    senders: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The district outputs' truth from each report's truth entry (its stated figures, its
    percentages as written, its planted faults)."""
    figures = {r["commune"]: known_figures(_scope(r, "all")) for r in reports}
    truth = {
        "totals": _totals(figures, roster),
        "reconciled": _reconciled(reports, figures),
        "rates": _rates(reports, figures, targets),
        "senders": {c: senders.get(c, {"status": "missing"}) for c in roster},
        "activities": _activities(reports),
    }
    truth["statements"] = statements_truth(truth, figures, bool(roster))
    return truth


# The counts beyond dossiers a notice states (its section on TTHC control).
ACTIVITIES = (
    "procedures_published",
    "procedures_reviewed",
    "procedures_simplification_proposed",
    "petitions_received",
    "petitions_resolved",
    "communication_posts",
    "desk_staff",
    "online_services_full",
    "online_services_partial",
    "online_payments",
    "satisfaction_surveys",
)


def _activities(reports: list[dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for name in ACTIVITIES:
        values = {r["commune"]: r["metrics"][name] for r in reports if name in r.get("metrics", {})}
        if values:
            out[name] = {
                "value": sum(values.values()),
                "low": min(values.values()),
                "high": max(values.values()),
                "units": list(values),
            }
    return out


def statements_truth(
    truth: dict[str, Any], figures: dict[str, dict[str, int]], roster_given: bool
) -> dict[str, float]:
    """What each figure a notice may state must be, by the statement keys the workbook's
    "Số liệu thông báo" sheet lists (the keys are the contract between the two)."""
    out: dict[str, float] = {}
    senders = truth["senders"]
    statuses = {"reported": ("read",), "unreadable": ("unreadable",)}
    statuses |= {"not_report": ("not_report",), "missing": ("missing",)}
    if roster_given:
        out["units.roster"] = len(senders)
    for key, wanted in statuses.items():
        out[f"units.{key}"] = sum(1 for s in senders.values() if s["status"] in wanted)
    rc = truth["reconciled"]
    out["dossiers.units"] = len(rc["units"])
    for field, figure in rc["figures"].items():
        out[f"dossiers.{field}"] = figure["value"]
        if field in ("resolved_late", "pending_overdue", "returned"):
            for commune in rc["units"]:
                if figures[commune].get(field):
                    out[f"unit.{field}.{commune}"] = figures[commune][field]
    for name, activity in truth["activities"].items():
        for part in ("value", "low", "high"):
            suffix = "" if part == "value" else f".{part}"
            out[f"activity.{name}{suffix}"] = activity[part]
    for measure, rate in truth["rates"].items():
        if rate["value"] is not None:
            out[f"rate.{measure}"] = rate["value"]
            out[f"rate.{measure}.numerator"] = rate["numerator"]
            out[f"rate.{measure}.denominator"] = rate["denominator"]
        if rate["target"] is not None:
            out[f"rate.{measure}.target"] = rate["target"]
            out[f"rate.{measure}.below"] = len(rate["below"])
            for commune in rate["below"]:
                out[f"rate.{measure}.below.{commune}"] = float(rate["communes"][commune]["value"])
    return out


def _scope(report: dict[str, Any], scope: str) -> dict[str, int | None]:
    for s in report["scopes"]:
        if s["scope"] == scope:
            return s["dossiers"]
    return {}


def _totals(figures: dict[str, dict[str, int]], roster: list[str]) -> dict[str, Any]:
    fields = sorted({f for known in figures.values() for f in known})
    out = {}
    for field in fields:
        units = [c for c in roster if c in figures and field in figures[c]]
        out[field] = {
            "value": sum(figures[c][field] for c in units),
            "units": units,
            "lacking": [c for c in roster if c in figures and field not in figures[c]],
        }
    return out


def _holds(known: dict[str, int]) -> bool:
    for whole, parts in IDENTITIES:
        if all(n in known for n in (whole, *parts)) and known[whole] != sum(
            known[p] for p in parts
        ):
            return False
    received, resolved, pending = (known[t] for t in TOTALS)
    returned = known.get("returned") or 0
    return received in (resolved + pending, resolved + pending + returned)


def _reconciled(reports: list[dict[str, Any]], figures: dict[str, dict[str, int]]) -> dict:
    units, left = [], {}
    for r in reports:
        commune, known = r["commune"], figures[r["commune"]]
        doubted = [f for f in r["faults"] if f["code"].startswith(DOUBT_CODES)]
        if not all(t in known for t in TOTALS):
            left[commune] = "incomplete"
        elif not _holds(known):
            left[commune] = "inconsistent"
        elif doubted:
            left[commune] = "doubtful"
        else:
            units.append(commune)
    sums = {}
    fields = sorted({f for c in units for f in figures[c]})
    for field in fields:
        having = [c for c in units if field in figures[c]]
        sums[field] = {
            "value": sum(figures[c][field] for c in having),
            "complete": len(having) == len(units),
        }
    return {"units": units, "left_out": left, "figures": sums}


def _doubted(report: dict[str, Any], known: dict[str, int]) -> set[str]:
    """The figures a planted fault puts in doubt (every member of the identities a wrong
    sum breaks; the figure stated twice) and the members of identities that fail."""
    out: set[str] = set()
    for fault in report["faults"]:
        if not fault["code"].startswith(DOUBT_CODES):
            continue
        out |= set(fault["fields"])
        if fault["code"] != "conflict.value":
            for identity in fault.get("identities", []):
                out |= set(re.findall(r"[a-z_]+", identity))
    for whole, parts in IDENTITIES:
        names = (whole, *parts)
        if all(n in known for n in names) and known[whole] != sum(known[p] for p in parts):
            out |= set(names)
    if all(t in known for t in TOTALS):
        received, resolved, pending = (known[t] for t in TOTALS)
        if received not in (resolved + pending, resolved + pending + (known.get("returned") or 0)):
            out |= {*TOTALS, "returned"}
    return out


def _stated_rate(report: dict[str, Any], measure: str) -> dict[str, Any] | None:
    for p in report["percentages"]:
        if p["measure"] == measure and p.get("scope", "all") == "all":
            return p
    return None


def _rates(
    reports: list[dict[str, Any]], figures: dict[str, dict[str, int]], targets: dict[str, float]
) -> dict[str, Any]:
    measures = {p["measure"] for r in reports for p in r["percentages"]}
    measures |= set(DOSSIER_MEASURES) | set(targets)
    out = {}
    for measure in sorted(measures):
        communes, num, den, units = {}, 0, 0, []
        for r in reports:
            commune, known = r["commune"], figures[r["commune"]]
            stated = _stated_rate(r, measure)
            counts = _counts(measure, known, stated)
            value = (
                stated["value"] if stated else (_rate(*counts) if counts and counts[1] else None)
            )
            if value is None:
                continue
            exact = _exact(measure, stated, counts, value)
            communes[commune] = {"value": value, "stated": stated is not None, "exact": exact}
            fields = set(sum(DOSSIER_MEASURES.get(measure, ((), ())), ()))
            if counts and counts[1] and not fields & _doubted(r, known):
                units.append(commune)
                num, den = num + counts[0], den + counts[1]
        if not communes:
            continue
        target = targets.get(measure)
        below = sorted(
            (c for c, v in communes.items() if target is not None and v["exact"] < target),
            key=lambda c: communes[c]["exact"],
        )
        out[measure] = {
            "value": _rate(num, den) if den else None,
            "numerator": num if den else None,
            "denominator": den if den else None,
            "units": units,
            "communes": communes,
            "target": target,
            "below": below,
        }
    return out


def _exact(
    measure: str, stated: dict[str, Any] | None, counts: tuple[int, int] | None, value: float
) -> float:
    """The value a target is compared with: the unrounded ratio of the form's counts when
    the commune wrote that ratio rounded (80,0 written for 79,97), else the value shown."""
    if measure not in DOSSIER_MEASURES or not counts or not counts[1]:
        return value
    exact = 100 * counts[0] / counts[1]
    if stated is None:
        return exact
    step = Decimal(1).scaleb(-(stated.get("decimals") or 0))
    shown = Decimal(repr(float(stated["value"]))).quantize(step)
    rounded = {Decimal(repr(exact)).quantize(step, mode) for mode in (ROUND_HALF_UP, ROUND_DOWN)}
    return exact if shown in rounded else value


def _counts(
    measure: str, known: dict[str, int], stated: dict[str, Any] | None
) -> tuple[int, int] | None:
    """The counts a commune's rate rests on: its dossier figures for the measures the
    form defines on them; otherwise the numerator and denominator it wrote."""
    if measure in DOSSIER_MEASURES:
        num, den = DOSSIER_MEASURES[measure]
        if all(f in known for f in (*num, *den)):
            return sum(known[f] for f in num), sum(known[f] for f in den)
        return None
    if stated and stated.get("numerator") is not None and stated.get("denominator"):
        return stated["numerator"], stated["denominator"]
    return None
