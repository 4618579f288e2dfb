"""Bring the shipped registry (tthc/rules/legal_registry.csv) in line with the shared one.

`../shared/data/legal_registry.csv` is where the facts of the central legal documents are
kept and corrected (dates, replacements, confidence); the package ships a copy without the
sources column and with the project's own short subjects. This tool copies every fact
column from the shared file, keeps the shipped subject of a row it already has, and asks
for a short subject for a new row (given with --subject SYMBOL=TEXT) rather than copying
the shared file's wording.

    python3 -m corpus.sync_registry [--shared PATH] [--subject "367/2025/NĐ-CP=…"] [--check]

With --check it only says what differs (exit 1 when anything does).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from tthc.rules.legal_registry import REGISTRY_PATH

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "legal_registry.csv"
SHIPPED_COLUMNS = (
    "kind",
    "number",
    "year",
    "code",
    "symbol",
    "date",
    "issuer",
    "subject_vi",
    "effective",
    "replaced_by",
    "replaced_on",
    "confidence",
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def synced_rows(
    shared: list[dict[str, str]], shipped: list[dict[str, str]], subjects: dict[str, str]
) -> tuple[list[dict[str, str]], list[str]]:
    """The shipped rows after the sync, in the shared file's order, and what changed."""
    by_key = {(r["symbol"], r["year"]): r for r in shipped}
    out: list[dict[str, str]] = []
    changes: list[str] = []
    for row in shared:
        key = (row["symbol"], row["year"])
        old = by_key.get(key)
        new = {c: row.get(c, "") for c in SHIPPED_COLUMNS}
        if old is None:
            if row["symbol"] not in subjects:
                raise SystemExit(f"new row {row['symbol']}: give its short subject with --subject")
            new["subject_vi"] = subjects[row["symbol"]]
            changes.append(f"added {row['symbol']}")
        else:
            new["subject_vi"] = old["subject_vi"]
            changes += [
                f"{row['symbol']}: {c} {old.get(c, '')!r} → {new[c]!r}"
                for c in SHIPPED_COLUMNS
                if c != "subject_vi" and old.get(c, "") != new[c]
            ]
        out.append(new)
    shared_keys = {(r["symbol"], r["year"]) for r in shared}
    changes += [f"removed {k[0]}" for k in by_key if k not in shared_keys]
    return out, changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--subject", action="append", default=[], metavar="SYMBOL=TEXT")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    subjects = dict(s.split("=", 1) for s in args.subject)
    rows, changes = synced_rows(_rows(args.shared), _rows(REGISTRY_PATH), subjects)
    for change in changes:
        print(change)
    if args.check:
        return 1 if changes else 0
    with REGISTRY_PATH.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SHIPPED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
