"""A flag's suggested change in words: `Flag.suggestion`, written from its `Repair`.

The repair is the data (which field, the value written, the value suggested); the
suggestion is how the contract says it ("Kỳ trước chuyển qua: 16 → 13", "65% → 60%",
"61/2018/QĐ-TTg → 61/2018/NĐ-CP", "23/04/2018 → 24/04/2018"), in the words of
rules/flags.toml [suggestions]. Everything after the checks reads the repair, never these
words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc.rules.flags import flag_words
from tthc.schemas import DOSSIER_FIELDS, Repair
from tthc.schemas.names import field_label
from tthc.textkit.numbers import format_count as count
from tthc.textkit.numbers import format_vi


def suggestion(repair: Repair | None) -> str | None:
    """The words of a repair: a dossier figure with its name, a rate with its percent sign
    (the digits written), a citation's symbol or date as such. A figure left unstated
    (nothing written to change) has none: the flag's message names the value."""
    if repair is None or repair.stated is None:
        return None
    words = flag_words().suggestions
    if repair.field in DOSSIER_FIELDS:
        return words["figure"].format(
            label=field_label(repair.field), old=count(repair.stated), new=count(repair.suggested)
        )
    if repair.field == "rate" or repair.field.startswith("rate."):
        decimals = repair.decimals or 0
        return words["rate"].format(
            old=format_vi(repair.stated, decimals), new=format_vi(repair.suggested, decimals)
        )
    return words["value"].format(old=_value(repair.stated), new=_value(repair.suggested))


def date_vi(d: dt.date | None) -> str:
    """A document's date as citations write it: 23/04/2018."""
    return d.strftime("%d/%m/%Y") if d else "?"


def _value(value: Any) -> str:
    return date_vi(value) if isinstance(value, dt.date) else str(value)


__all__ = ["count", "date_vi", "suggestion"]
