"""An officer's corrections applied to the records, in one place for `tthc run` and
`tthc serve`: between the per-file stages and consolidation.

The store keeps each report's extracted record unchanged and, beside it, the append-only
log of corrections (tthc.schemas.correction). `apply` makes the view every output uses: the
corrected figures, the checks run again on them, the flags the officer dismissed (or the
unread numbers he settled) taken out, and the corrections in force listed on the record
(`Record.corrections`, each with the value the report gave), so the workbook and the
notice can say what was corrected, by whom and why. An undo is an entry of its own.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable

from tthc.check import ARITHMETIC_CODES, run_checks
from tthc.consolidate import Processed, Store
from tthc.schemas import DOSSIER_FIELDS, Correction, Flag, Period, Record

# Flags the checks make (they are made again on the corrected figures); every other flag
# (unread numbers, a cross-check) is kept as the report's reading gave it.
_CHECK_CODES = {*ARITHMETIC_CODES, "conflict.value", "missing"}
SETTLING = ("dismiss", "not_count", "assign")  # kinds that take flags out


def flag_key(flag: Flag) -> str:
    """A flag's identity across re-checks: what it is about and where it was read, not
    its wording (a corrected figure changes the message, not the flag)."""
    where = [(e.page, e.line, e.start, e.end) for e in flag.evidence[:1]]
    data = [flag.code, flag.period_key, flag.scope or "all", sorted(flag.fields), where]
    if flag.code == "unread":
        data.append(flag.actual)
    return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()[:16]


def in_force(log: Iterable[Correction]) -> list[Correction]:
    """The corrections that hold: the log without its undo entries and what they undid."""
    entries = list(log)
    undone = {c.undoes for c in entries if c.kind == "undo"}
    return [c for c in entries if c.kind != "undo" and c.id not in undone]


def version(log: Iterable[Correction]) -> int:
    """A report's version: how many entries its log holds (every change adds one), so a
    page made before another tab's change is known to be stale."""
    return sum(1 for _ in log)


def apply(record: Record, log: Iterable[Correction]) -> Record:
    """The record as the officer corrected it (the record given is not changed)."""
    holding = [c for c in in_force(log) if c.sha256 == record.source.sha256]
    if not holding or record.status == "failed":
        return record
    out = record.model_copy(deep=True)
    by_key = {flag_key(f): f for f in record.flags}
    for c in holding:
        if c.kind in ("value", "assign") and c.field in DOSSIER_FIELDS:
            _set(out, c, by_key)
    settled = {k for c in holding if c.kind in SETTLING for k in c.flags}
    kept = [f for f in record.flags if f.code not in _CHECK_CODES]
    flags = run_checks(out) + kept
    seen: set[str] = set()
    out.flags = []
    for f in flags:
        key = flag_key(f)
        if key not in settled and key not in seen:
            seen.add(key)
            out.flags.append(f)
    out.corrections = holding
    return out


def _set(record: Record, c: Correction, flags: dict[str, Flag]) -> None:
    """One figure set: in its period and scope (made when the report has none, for an
    unread number given a scope the report never named), its doubts settled."""
    period = next((p for p in record.periods if p.key == c.period_key and p.scope == c.scope), None)
    if period is None:
        label = record.report.period or c.period_key or ""
        period = Period(label=label, key=c.period_key, scope=c.scope)
        record.periods.append(period)
    setattr(period.dossiers, c.field, c.after)
    period.conflicts = [x for x in period.conflicts if x.field != c.field]
    period.missing.pop(c.field, None)
    source = next((flags[k] for k in c.flags if k in flags and flags[k].evidence), None)
    if source is not None:  # an unread number: where it was read becomes its evidence
        period.evidence[c.field] = source.evidence[0]
    elif c.after is None:
        period.evidence.pop(c.field, None)


def corrected(processed: list[Processed], store: Store) -> list[Processed]:
    """Every file's record with the corrections the store holds for its content."""
    log: dict[str, list[Correction]] = defaultdict(list)
    for c in store.corrections():
        log[c.sha256].append(c)
    if not log:
        return processed
    out = []
    for p in processed:
        entries = log.get(p.record.source.sha256 or "")
        out.append(Processed(p.path, apply(p.record, entries), p.reused) if entries else p)
    return out
