"""An officer's correction of a report's record (made in `tthc serve`): one entry of the
append-only log the store keeps beside the extracted record, never in the source file.

Kinds:
- `value`: a dossier figure of one period and scope set to `after` (`before` is the value
  the record held when the officer corrected it; None: the report did not state it);
- `assign`: an `unread` number given a field (and scope): a `value` correction that also
  settles the unread flag it came from (`flags`);
- `dismiss`: flags (`flags`, their keys) the officer judged not to be a problem;
- `not_count`: an `unread` number the officer judged not to be a dossier count;
- `undo`: takes back the correction `undoes` (the log itself never changes).
Every entry says who, when and why. A correction belongs to one report's content
(`sha256`): a new version of the report starts clean.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CorrectionKind = Literal["value", "assign", "dismiss", "not_count", "undo"]


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int | None = None  # the log's number, given by the store
    sha256: str  # the content of the report it corrects
    kind: CorrectionKind
    period_key: str | None = None
    scope: str = "all"
    field: str | None = None  # a dossier field (value, assign)
    before: int | None = None
    after: int | None = None
    flags: list[str] = Field(default_factory=list)  # keys of the flags it settles
    flag_text: str | None = None  # the flag's message when it was settled (for the record)
    undoes: int | None = None
    who: str
    at: dt.datetime
    why: str
