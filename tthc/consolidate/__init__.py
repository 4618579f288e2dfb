"""The consolidate stage: every file's `Record` (with its flags) → one `DistrictSummary`.

`district` runs it: `versions` decides which file is each commune's report and what each
commune sent; `totals` computes each commune's figures (completed only from its own
identities) and the district figures with their coverage and the reconciled sets;
`rates_by_measure` keeps each commune's rates as written and the district's from summed
counts; `roster` reads the list of communes; `store` keeps records between runs; `notes`
says each slip of a report once, in an officer's words; `notice_figures` lists every figure
the notice states.
"""

from tthc.consolidate.crosscheck import refused
from tthc.consolidate.district import Processed, consolidate
from tthc.consolidate.notice_figures import ACTIVITY_METRICS, LATE_BY_FIELD, RANGE_METRICS, by_key
from tthc.consolidate.roster import (
    ROSTER_NAMES,
    Roster,
    RosterError,
    find_roster,
    load_roster,
    roster_from_records,
)
from tthc.consolidate.store import (
    STORE_NAME,
    Store,
    StoreError,
    check_store_file,
    is_store,
    sha256_of,
    sidecars,
)

__all__ = [
    "ACTIVITY_METRICS",
    "LATE_BY_FIELD",
    "RANGE_METRICS",
    "ROSTER_NAMES",
    "STORE_NAME",
    "Processed",
    "Roster",
    "RosterError",
    "Store",
    "StoreError",
    "by_key",
    "check_store_file",
    "consolidate",
    "find_roster",
    "is_store",
    "load_roster",
    "refused",
    "roster_from_records",
    "sha256_of",
    "sidecars",
]
