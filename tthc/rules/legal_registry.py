"""The registry of central legal documents (tthc/rules/legal_registry.csv), one typed row each.

tthc/rules/legal_registry.csv is ../shared/data/legal_registry.csv: for each document its kind,
number, year, code, symbol, signing date, issuer, short subject, effective date, what
replaced it and when, and how well the facts are confirmed. Each row is validated when read:
a bad date, year or confidence is a RulesError naming the file and the line. The lookups
over the rows are the check stage's (tthc.check.registry).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator

from tthc.rules import DIR
from tthc.rules.phrasing import RulesError, Strict

REGISTRY_PATH = DIR / "legal_registry.csv"
CONFIDENCE_LEVELS = ("verified", "partly verified", "unverified")


class RegistryRow(Strict):
    """One row of the registry file, as validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    kind: str = Field(min_length=1)
    number: str = Field(min_length=1)
    year: int = Field(ge=1945, le=2100)
    code: str = Field(min_length=1)
    symbol: str = Field(min_length=1)
    date: dt.date | None  # unknown for a few rows (the sources give no signing date)
    issuer: str = Field(min_length=1)
    subject: str
    effective: dt.date | None
    replaced_by: str | None
    replaced_on: dt.date | None
    confidence: Literal[CONFIDENCE_LEVELS]  # type: ignore[valid-type]
    sources: str = ""

    @field_validator("date", "effective", "replaced_on", "replaced_by", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


@dataclass(frozen=True, slots=True)
class LegalDocument:
    """One document of the registry."""

    kind: str
    number: str
    year: int
    code: str
    symbol: str
    date: dt.date | None  # unknown for a few rows (the sources give no signing date)
    issuer: str
    subject: str
    effective: dt.date | None
    replaced_by: str | None
    replaced_on: dt.date | None
    confidence: str
    sources: str = ""

    @property
    def verified(self) -> bool:
        return self.confidence == "verified"

    @property
    def year_in_symbol(self) -> bool:
        """Normative documents carry the year in the symbol (61/2018/NĐ-CP); others do not."""
        return self.symbol.count("/") == 2


def _fields(raw: dict[str, str | None]) -> dict[str, str | None]:
    """The CSV's columns as the row's fields ("subject_vi" is the shipped name of `subject`)."""
    out = dict(raw)
    if "subject" not in out:
        out["subject"] = out.pop("subject_vi", None) or ""
    out.pop("subject_vi", None)
    if not out.get("sources"):
        out.pop("sources", None)
    return out


def read_rows(path: Path = REGISTRY_PATH) -> list[LegalDocument]:
    """Every row of a registry file, validated; a bad row is a RulesError naming its line."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows, problems = [], []
            for raw in reader:
                try:
                    row = RegistryRow.model_validate(_fields(raw))
                    rows.append(LegalDocument(**row.model_dump()))
                except ValidationError as exc:
                    for err in exc.errors():
                        entry = ".".join(str(p) for p in err["loc"]) or "(row)"
                        problems.append(
                            f"{path.name}: line {reader.line_num}: column {entry}: {err['msg']}"
                        )
    except OSError as exc:
        raise RulesError(f"{path.name}: cannot be read: {exc}") from exc
    if problems:
        raise RulesError("\n".join(problems))
    return rows


@cache
def registry_rows() -> tuple[LegalDocument, ...]:
    """The shipped registry's rows, read once."""
    return tuple(read_rows())
