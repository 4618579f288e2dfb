"""Which file is each commune's report for the period, and why.

- A file is matched to a roster commune by the unit it names; a file that could not be
  read, or is not a report at all, by its file name ("02_thi_tran_cho_vang.pdf"), so that
  the commune is known to have sent something.
- Only a report of the commune for the period can be its report: a document titled
  "Báo cáo" (or an annex, "Phụ lục"/"Biểu", with figures), or an untitled one that states
  dossier figures for the period. A decision, a plan or a notice never is.
- Between two versions the report's own date decides, then its number (a register grows
  with the date), then a report over an annex. A tie with different figures is a
  `conflict.value` between the versions, for the officer to resolve; identical content is
  a duplicate. A version kept in the store from an earlier run that is newer than every
  file of this run stays the commune's report: an older copy never replaces it.
Every choice is written into the file's outcome, with its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import regex

from tthc.consolidate.attachments import form_outcome, is_form, merge_form
from tthc.consolidate.roster import Roster
from tthc.consolidate.store import Store
from tthc.schemas import Flag, Period, Record
from tthc.schemas.sheets import EXPORT_KIND
from tthc.schemas.summary import FileOutcome
from tthc.wording import message, period_label

LOWER_LEVELS = ("xã", "phường", "thị trấn")
REPORT_KINDS = ("báo cáo",)
ANNEX_KINDS = ("phụ lục", "biểu")


@dataclass
class Processed:
    """One file after the per-file stages."""

    path: Path
    record: Record
    reused: bool = False


@dataclass
class Candidate:
    index: int  # position in the run's files (-1: the store's version)
    processed: Processed
    commune: str


def figures_read(record: Record) -> tuple[int, int]:
    """(n, m) for "đọc được n/m số liệu": n the dossier figures read over all the record's
    periods, m those plus the numbers that read as dossier counts no reader used (`unread`
    flags), so a report is "read in full" only when n = m."""
    values = [v for period in record.periods for v in period.dossiers.model_dump().values()]
    read = sum(1 for v in values if v is not None)
    return read, read + sum(1 for f in record.flags if f.code == "unread")


def outcome_of(p: Processed) -> FileOutcome:
    r = p.record
    read, seen = figures_read(r) if r.status != "failed" else (None, None)
    return FileOutcome(
        path=str(p.path),
        sha256=r.source.sha256,
        status=r.status,
        reason=r.failure.reason if r.failure else "; ".join(r.errors) or None,
        technical=r.failure.technical if r.failure else None,
        written_name=r.unit.name,
        period_key=r.report.period_key,
        reused=p.reused,
        flags=len(r.flags),
        figures_read=read,
        figures_seen=seen,
    )


def match_files(
    files: list[Processed], roster: Roster
) -> tuple[list[FileOutcome], list[Candidate]]:
    """Each file's outcome, and the files that name a roster commune."""
    outcomes, matched = [], []
    for i, p in enumerate(files):
        outcome = outcome_of(p)
        outcomes.append(outcome)
        r = p.record
        if r.status == "failed":
            entry = roster.match_file_name(p.path)
            if entry is not None:
                outcome.commune, outcome.matched_by = entry.name, "file_name"
            continue
        if r.report.kind == EXPORT_KIND:  # a table of many units: the system's export
            outcome.status, outcome.kind, outcome.flags = "ignored", "system_export", 0
            outcome.reason = message("export_in_reports", name=Path(p.path).name)
            continue
        level = r.unit.level if r.unit.level in LOWER_LEVELS else None
        entry, score = roster.match(r.unit.name, level)
        outcome.match_score = round(score, 1)
        if entry is None and is_form(r) and not r.unit.name:  # a form names its unit by its place
            entry = _by_place(roster, p.path)
            if entry is not None:
                outcome.commune, outcome.matched_by = entry.name, "file_name"
                matched.append(Candidate(i, p, entry.name))
                continue
        if entry is None:
            by_name = roster.match_file_name(p.path)
            outcome.status, outcome.kind = "ignored", "unknown_unit"
            outcome.flags = 0
            outcome.reason = message(
                "unknown_unit", name=r.unit.name or "(không rõ)", parent=roster.parent.committee
            )
            if by_name is not None:
                outcome.commune, outcome.matched_by = by_name.name, "file_name"
            continue
        outcome.commune, outcome.matched_by = entry.name, "text"
        matched.append(Candidate(i, p, entry.name))
    return outcomes, matched


def _by_place(roster: Roster, path: Path):
    """The commune a form's place names: its file name, else the folders above it
    ("bao_cao/Xa_Tan_Hoa/bieu_so_lieu.xlsx")."""
    for part in (Path(path).name, *(q.name for q in Path(path).parents[:3])):
        entry = roster.match_file_name(part) if part else None
        if entry is not None:
            return entry
    return None


def period_of(record: Record, key: str | None, scope: str = "all") -> Period | None:
    return next((p for p in record.periods if p.key == key and p.scope == scope), None)


def _has_figures(period: Period | None) -> bool:
    return period is not None and any(v is not None for v in period.dossiers.model_dump().values())


def eligibility(record: Record, period_key: str | None) -> tuple[str, str] | None:
    """None when the record can be the commune's report for the period; else (kind of
    refusal, Vietnamese reason)."""
    kind = record.report.kind
    period = period_of(record, period_key)
    for_period = record.report.period_key == period_key or _has_figures(period)
    if kind in REPORT_KINDS:
        if for_period:
            return None
    elif kind in ANNEX_KINDS or kind is None:
        if _has_figures(period):
            return None
        if kind is None and record.report.period_key in (period_key, None):
            number = record.report.number
            what = f"văn bản số {number}" if number else "văn bản không có tiêu đề báo cáo"
            return "not_report", message("not_a_report", kind=what)
    else:
        return "not_report", message("not_a_report", kind=kind)
    written = record.report.period or period_label(record.report.period_key) or "không rõ"
    return "other_period", message(
        "other_period", written=written, period=period_label(period_key) or period_key
    )


def _rank(c: Candidate) -> tuple:
    """Newer first: the report's date, then its number, then a report over an annex."""
    meta = c.processed.record.report
    return (meta.date or dt.date.min, _number(meta.number), meta.kind in REPORT_KINDS)


def _number(symbol: str | None) -> int:
    m = regex.match(r"\s*(\d+)", symbol or "")
    return int(m[1]) if m else -1


def _figures(c: Candidate, period_key: str | None) -> dict:
    period = period_of(c.processed.record, period_key)
    return period.dossiers.model_dump(exclude_none=True) if period else {}


def choose(
    matched: list[Candidate],
    period_key: str | None,
    outcomes: list[FileOutcome],
    store: Store | None = None,
) -> tuple[dict[str, Processed], dict[str, list[Flag]]]:
    """Each commune's report for the period, the outcome of every other file, and the
    conflicts between versions that tie (by commune)."""
    by_commune: dict[str, list[Candidate]] = {}
    for c in matched:
        refusal = eligibility(c.processed.record, period_key)
        if refusal is not None:
            out = outcomes[c.index]
            out.status, out.kind, out.reason, out.flags = "ignored", refusal[0], refusal[1], 0
            continue
        by_commune.setdefault(c.commune, []).append(c)
    chosen: dict[str, Processed] = {}
    conflicts: dict[str, list[Flag]] = {}
    for commune, candidates in by_commune.items():
        candidates = _with_forms(
            candidates, period_key, outcomes, conflicts.setdefault(commune, [])
        )
        candidates.sort(key=_rank, reverse=True)
        best = candidates[0]
        for other in candidates[1:]:
            _set_aside(best, other, period_key, outcomes, conflicts.setdefault(commune, []))
        best = _against_store(best, store, commune, period_key, outcomes)
        chosen[commune] = best.processed
        if store is not None and period_key and best.processed.record.source.sha256:
            store.set_current(
                commune, period_key, best.processed.record.source.sha256, str(best.processed.path)
            )
    return chosen, conflicts


def _with_forms(
    candidates: list[Candidate],
    period_key: str | None,
    outcomes: list[FileOutcome],
    conflicts: list[Flag],
) -> list[Candidate]:
    """A commune's forms in a spreadsheet, beside a report in text: one record (the newest
    text report's, the forms' figures compared and added); alone, a form is the report."""
    texts = [c for c in candidates if not is_form(c.processed.record)]
    forms = [c for c in candidates if is_form(c.processed.record)]
    if not texts or not forms:
        return candidates
    texts.sort(key=_rank, reverse=True)
    best = texts[0]
    record = best.processed.record
    for form in forms:
        record, flags = merge_form(
            record,
            form.processed.record,
            period_key,
            Path(best.processed.path).name,
            Path(form.processed.path).name,
        )
        conflicts += flags
        form_outcome(outcomes[form.index], best.processed.path)
    merged = Processed(best.processed.path, record, best.processed.reused)
    return [Candidate(best.index, merged, best.commune), *texts[1:]]


def _set_aside(
    best: Candidate,
    other: Candidate,
    period_key: str | None,
    outcomes: list[FileOutcome],
    conflicts: list[Flag],
) -> None:
    out = outcomes[other.index]
    out.status, out.flags = "ignored", 0
    name = Path(best.processed.path).name
    if _rank(other) != _rank(best):
        out.kind, out.reason = "replaced", message("replaced", newer=name)
        return
    if _figures(other, period_key) == _figures(best, period_key):
        out.kind, out.reason = "duplicate", message("duplicate", same=name)
        return
    out.kind, out.reason = "version_conflict", message("version_conflict", other=name)
    conflicts.append(_version_conflict(best, other, period_key))


def _version_conflict(best: Candidate, other: Candidate, period_key: str | None) -> Flag:
    a, b = _figures(best, period_key), _figures(other, period_key)
    fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    period = period_of(best.processed.record, period_key)
    return Flag(
        code="conflict.value",
        severity="warning",
        period=period.label if period else None,
        period_key=period_key,
        scope="all",
        message=message(
            "versions_differ",
            first=Path(best.processed.path).name,
            second=Path(other.processed.path).name,
        ),
        expected=None,
        actual={f: [a.get(f), b.get(f)] for f in fields},
        fields=fields,
        evidence=[
            e
            for c in (best, other)
            for e in [
                (period_of(c.processed.record, period_key) or Period(label="")).evidence.get(
                    fields[0]
                )
            ]
            if fields and e is not None
        ],
    )


def _against_store(
    best: Candidate,
    store: Store | None,
    commune: str,
    period_key: str | None,
    outcomes: list[FileOutcome],
) -> Candidate:
    """A version kept from an earlier run that is strictly newer stays the report."""
    if store is None or not period_key:
        return best
    current = store.current(commune, period_key)
    if current is None or current[0] == best.processed.record.source.sha256:
        return best
    record = store.record_of(current[0])
    if record is None:
        return best
    kept = Candidate(-1, Processed(Path(current[1]), record, reused=True), commune)
    if _rank(kept) <= _rank(best):
        return best
    out = outcomes[best.index]
    out.status, out.flags, out.kind = "ignored", 0, "older_than_stored"
    out.reason = message("older_than_stored", stored=Path(current[1]).name)
    return kept
