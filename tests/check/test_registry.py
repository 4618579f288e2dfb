"""The shipped registry of central legal documents: every row well-formed, lookups working."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import regex

from tthc.check.registry import Registry, load_registry, read_registry
from tthc.rules.citation_codes import code_rules, symbol_key
from tthc.rules.legal_registry import CONFIDENCE_LEVELS, REGISTRY_PATH

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SHARED_REGISTRY = SHARED / "data" / "legal_registry.csv"
SYMBOL = regex.compile(
    r"^\d{1,5}(?:\.\d{1,3})?[a-z]?/(?:(?:19|20)\d{2}/)?\p{Lu}[\p{L}\d]*(?:-\p{L}[\p{L}\d]*)*$"
)


def _raw_rows(path: Path = REGISTRY_PATH) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def test_registry_loads_every_row(registry: Registry) -> None:
    assert len(registry) == len(_raw_rows()) > 0


def test_load_registry_is_cached() -> None:
    assert load_registry() is load_registry()


@pytest.mark.parametrize("row", _raw_rows(), ids=lambda r: r["symbol"])
def test_row_dates_parse(row: dict[str, str]) -> None:
    """Every date given parses; a signing date may be unknown (left empty)."""
    for column in ("date", "effective", "replaced_on"):
        if row[column].strip():
            dt.date.fromisoformat(row[column])


@pytest.mark.parametrize("row", _raw_rows(), ids=lambda r: r["symbol"])
def test_row_symbol_is_number_year_code(row: dict[str, str]) -> None:
    with_year = f"{row['number']}/{row['year']}/{row['code']}"
    without_year = f"{row['number']}/{row['code']}"
    assert row["symbol"] in (with_year, without_year)
    assert SYMBOL.match(row["symbol"])
    if row["date"].strip():
        assert int(row["year"]) == dt.date.fromisoformat(row["date"]).year


@pytest.mark.parametrize("row", _raw_rows(), ids=lambda r: r["symbol"])
def test_row_confidence_is_allowed(row: dict[str, str]) -> None:
    assert row["confidence"] in CONFIDENCE_LEVELS


def test_no_duplicate_documents() -> None:
    keys = [(symbol_key(r["symbol"]), r["year"]) for r in _raw_rows()]
    assert len(keys) == len(set(keys))


def test_replacements_exist_or_are_plausibly_outside(registry: Registry) -> None:
    """A replacement is in the registry, or at least a well-formed symbol (documented elsewhere)."""
    for doc in registry.documents:
        if doc.replaced_by is None:
            assert doc.replaced_on is None, doc.symbol
            continue
        assert SYMBOL.match(doc.replaced_by), doc.replaced_by
        assert symbol_key(doc.replaced_by) != symbol_key(doc.symbol)
        replaced_on = registry.replacement_date(doc)
        assert replaced_on is not None, doc.symbol
        assert doc.date is None or replaced_on >= doc.date, doc.symbol
        lapsed_with_parent = any(
            other is not doc and registry.replacement_date(other) == replaced_on
            for other in registry.documents
            if other.replaced_by is not None
        )
        for new in registry.by_symbol(doc.replaced_by):
            # A guiding circular lapses with its decree (01/2018/TT-VPCP with 61/2018/NĐ-CP on
            # 1/7/2025) and its successor may be signed later (03/2025/TT-VPCP, 15/9/2025).
            signed_before = new.date is None or new.date <= replaced_on
            assert signed_before or lapsed_with_parent, (doc.symbol, new.symbol)


def test_effective_not_before_signing(registry: Registry) -> None:
    for doc in registry.documents:
        if doc.effective is not None and doc.date is not None:
            assert doc.effective >= doc.date, doc.symbol


def test_codes_agree_with_kind_and_issuer_tables(registry: Registry) -> None:
    """Each row's code names its kind and issuer in tthc/rules/citation_codes.toml."""
    rules = code_rules()
    for doc in registry.documents:
        parts = rules.split_code(doc.code)
        assert rules.kind_accepts(doc.kind, parts.letters), doc.symbol
        assert parts.issuer is not None and parts.issuer.name == doc.issuer, doc.symbol


def test_lookup_by_symbol_ignores_spacing_case_and_zeros(registry: Registry) -> None:
    (doc,) = registry.by_symbol("61/2018/NĐ-CP")
    assert doc.date == dt.date(2018, 4, 23)
    assert doc.replaced_by == "118/2025/NĐ-CP"
    assert registry.by_symbol(" 61 / 2018 / nđ-cp") == [doc]
    (old,) = registry.by_symbol("9/2010/NĐ-CP")
    assert old.symbol == "09/2010/NĐ-CP"
    assert registry.by_symbol("1291/QĐ-TTG")[0].symbol == "1291/QĐ-TTg"
    assert registry.by_symbol("999/2099/NĐ-CP") == []


def test_lookup_by_number_and_year(registry: Registry) -> None:
    symbols = {d.symbol for d in registry.by_number_year("01", 2018)}
    assert symbols == {"01/2018/TT-VPCP"}
    assert {d.symbol for d in registry.by_number_year("61", 2018)} == {"61/2018/NĐ-CP"}
    assert registry.by_number_year("61", 2019) == []


def test_lookup_by_number_and_code(registry: Registry) -> None:
    assert [d.symbol for d in registry.by_number_code("61", "NĐ-CP")] == ["61/2018/NĐ-CP"]
    symbols = {d.symbol for d in registry.by_number_code("1", "tt-vpcp")}
    assert symbols == {"01/2018/TT-VPCP", "01/2020/TT-VPCP", "01/2023/TT-VPCP"}


def test_replacement_date_falls_back_to_the_new_documents_effective_date(
    registry: Registry,
) -> None:
    (doc,) = registry.by_symbol("01/2011/TT-BNV")
    assert doc.replaced_on is None
    assert registry.replacement_date(doc) == dt.date(2020, 3, 5)
    (decree,) = registry.by_symbol("61/2018/NĐ-CP")
    assert registry.replacement_date(decree) == dt.date(2025, 7, 1)


def test_undated_rows_load_and_never_contradict_a_written_date(registry: Registry) -> None:
    """A row whose signing date the sources do not give stays in the registry with no date;
    a report's date for it is never called wrong on the registry's word."""
    from tests.factories import citation
    from tthc.check.citation_checks import check_date

    (doc,) = registry.by_symbol("09/2026/NĐ-CP")
    assert doc.date is None and doc.effective == dt.date(2026, 1, 10)
    cited = citation("09/2026/NĐ-CP", "Nghị định", dt.date(2026, 1, 5))
    assert check_date(cited, registry) == []


def test_verified_flag(registry: Registry) -> None:
    (decree,) = registry.by_symbol("61/2018/NĐ-CP")
    (unverified,) = registry.by_symbol("1291/QĐ-TTg")
    assert decree.verified and not unverified.verified


def test_packaged_registry_holds_every_shared_row() -> None:
    if not SHARED_REGISTRY.exists():
        pytest.skip("../shared is not available")
    shipped = read_registry()
    shared = read_registry(SHARED_REGISTRY)
    assert {(d.symbol, d.year) for d in shared.documents} == {
        (d.symbol, d.year) for d in shipped.documents
    }
    for doc in shared.documents:
        (same,) = [d for d in shipped.by_symbol(doc.symbol) if d.year == doc.year]
        assert (same.date, same.replaced_by, same.replaced_on, same.confidence) == (
            doc.date,
            doc.replaced_by,
            doc.replaced_on,
            doc.confidence,
        )
