"""The `unread` flag: one warning per count of dossiers that no reader used.

The extract stage lists those counts on the record (`Record.unread`, with place and quote);
here each becomes a flag the officer sees among the points to review (code `unread`,
severity warning, `actual` = the number, `evidence` = where it is). Nothing is merged: a
report's "đọc được n/m số liệu" counts one flag per number.
"""

from __future__ import annotations

from tthc.rules.flags import flag_words
from tthc.schemas import Flag, Record
from tthc.textkit.numbers import format_vi


def check_unread(record: Record) -> list[Flag]:
    messages = flag_words().unread
    return [
        Flag(
            code="unread",
            severity="warning",
            period=u.period,
            period_key=u.period_key,
            message=messages[u.why].format(value=u.written or format_vi(u.value)),
            actual=u.value,
            evidence=[u.evidence],
        )
        for u in record.unread
    ]


def read_share(record: Record) -> tuple[int, int]:
    """(n, m) of "đọc được n/m số liệu": n dossier figures stated over all the record's
    periods, m = n + the numbers left unread."""
    n = sum(len(p.dossiers.model_dump(exclude_none=True)) for p in record.periods)
    return n, n + len(record.unread)
