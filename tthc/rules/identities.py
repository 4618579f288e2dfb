"""The identities between dossier figures (tthc/rules/identities.toml), below the stages that use
them.

The check stage tests them (tthc.check.arithmetic) and consolidation derives unstated figures
with them (tthc.consolidate.totals): both read them here. Every whole and part must
be a dossier field of tthc/rules/field_names.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import Field

from tthc.rules.field_names import DossierField
from tthc.rules.phrasing import Strict, load_rules


@dataclass(frozen=True)
class Identity:
    code: str
    whole: str
    parts: tuple[str, ...]
    balances_also_with: tuple[str, ...] = ()
    unless_stated: tuple[str, ...] = ()  # a loose identity: only when none of these is stated

    @property
    def loose(self) -> bool:
        return bool(self.unless_stated)


class IdentityEntry(Strict):
    code: Literal["sum.received", "sum.resolved", "sum.pending", "balance"]
    whole: DossierField
    parts: list[DossierField] = Field(min_length=1)
    balances_also_with: list[DossierField] = Field(default_factory=list)
    unless_stated: list[DossierField] = Field(default_factory=list)


class Precision(Strict):
    """How sure a flag must be: the codes never raised on approximate figures (the notes that
    soften a message to a warning are flags' words: rules/flags.toml [arithmetic])."""

    exact_only: list[str]


class IdentitiesFile(Strict):
    identity: list[IdentityEntry]
    precision: Precision


@cache
def identity_rules() -> IdentitiesFile:
    return load_rules("identities.toml", IdentitiesFile)


@cache
def identities() -> tuple[Identity, ...]:
    return tuple(
        Identity(
            d.code, d.whole, tuple(d.parts), tuple(d.balances_also_with), tuple(d.unless_stated)
        )
        for d in identity_rules().identity
    )
