"""The registry of central legal documents this domain cites, shipped as package data.

tthc/rules/legal_registry.csv is ../shared/data/legal_registry.csv: for each document its
kind, number, year, code, symbol, signing date, issuer, short subject, effective date, what
replaced it and when, and how well the facts are confirmed (the sources are listed in
../shared/data/legal_registry.csv, where these facts come from). A citation check
that relies on a row whose confidence is not "verified" must not raise an error on its own:
`Registry` exposes the confidence so the checks can downgrade.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from tthc.rules.citation_codes import symbol_key
from tthc.rules.legal_registry import REGISTRY_PATH, LegalDocument, read_rows, registry_rows


def _number_key(number: str) -> str:
    return number.strip().lower().lstrip("0") or "0"


class Registry:
    """Lookups over the registry rows: by symbol, by (number, year), by (number, code)."""

    def __init__(self, documents: list[LegalDocument]) -> None:
        self.documents = documents
        self._by_symbol: dict[str, list[LegalDocument]] = defaultdict(list)
        self._by_number_year: dict[tuple[str, int], list[LegalDocument]] = defaultdict(list)
        self._by_number_code: dict[tuple[str, str], list[LegalDocument]] = defaultdict(list)
        for doc in documents:
            self._by_symbol[symbol_key(doc.symbol)].append(doc)
            self._by_number_year[(_number_key(doc.number), doc.year)].append(doc)
            self._by_number_code[(_number_key(doc.number), doc.code.upper())].append(doc)

    def __len__(self) -> int:
        return len(self.documents)

    def by_symbol(self, symbol: str) -> list[LegalDocument]:
        """Rows with this symbol ("61/2018/NĐ-CP"; spacing, case and leading zeros ignored).

        A symbol without a year ("1291/QĐ-TTg") may name documents of several years.
        """
        return list(self._by_symbol.get(symbol_key(symbol), ()))

    def by_number_year(self, number: str, year: int) -> list[LegalDocument]:
        """Rows with this number signed in this year, whatever their code."""
        return list(self._by_number_year.get((_number_key(number), year), ()))

    def by_number_code(self, number: str, code: str) -> list[LegalDocument]:
        """Rows with this number and code, whatever their year (for a symbol missing its year)."""
        return list(self._by_number_code.get((_number_key(number), code.upper()), ()))

    def replacement_date(self, doc: LegalDocument) -> dt.date | None:
        """When `doc` stopped applying: its replaced_on, else the replacement's effective date."""
        if doc.replaced_on is not None:
            return doc.replaced_on
        if doc.replaced_by is None:
            return None
        for new in self.by_symbol(doc.replaced_by):
            return new.effective or new.date
        return None


def read_registry(path: Path = REGISTRY_PATH) -> Registry:
    """Read a registry file (the shipped one by default)."""
    return Registry(list(registry_rows() if path == REGISTRY_PATH else read_rows(path)))


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The shipped registry, read once."""
    return read_registry()
