"""A flag's severities, written once: from the least to the most serious.

`error`: arithmetic that cannot be true; `warning`: probably wrong, or a reader must look;
`info`: worth knowing (../shared/contract.md). Every rules file that names a severity checks
it against `Severity`; every stage that ranks flags uses `SEVERITY_RANK`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

SEVERITIES = ("info", "warning", "error")
Severity = Literal["info", "warning", "error"]
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def worst(severities: Iterable[str]) -> str:
    """The most serious of some severities."""
    return max(severities, key=SEVERITY_RANK.__getitem__)
