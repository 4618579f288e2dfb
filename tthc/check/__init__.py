"""The check stage: a finished `Record` → its flags (`Flag`, the codes of ../shared/contract.md).

`arithmetic` checks the identities of rules/identities.toml, rates and ratios;
`citation_checks` checks legal citations against the registry (`registry`, over
rules/legal_registry.csv); `unread_flags` turns the counts of dossiers no reader used into
warnings."""

from __future__ import annotations

from tthc.check.arithmetic import ARITHMETIC_CODES, check_arithmetic
from tthc.check.citation_checks import check_citations
from tthc.check.unread_flags import check_unread, read_share
from tthc.schemas import Flag, Record
from tthc.schemas.period_key import PeriodKey


def run_checks(record: Record) -> list[Flag]:
    """Arithmetic flags, citation flags (judged against the report's own period), then one
    `unread` warning per count of dossiers no reader used."""
    flags = check_arithmetic(record)
    start, end = _report_span(record)
    flags += check_citations(
        record.citations, period_start=start, period_end=end, report_date=record.report.date
    )
    return flags + check_unread(record)


def _report_span(record: Record):
    """The dates the report covers: written dates when it has them, else its key's (a
    commune's Quý III/2025 from 1/7/2025, the day the new communes began)."""
    dated = [p for p in record.periods if p.key == record.report.period_key and p.start]
    if dated:
        return dated[0].start, dated[0].end
    key = PeriodKey.parse(record.report.period_key)
    return key.commune_dates if key else (None, None)


__all__ = ["ARITHMETIC_CODES", "read_share", "run_checks"]
