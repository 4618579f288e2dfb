"""python3 -m corpus.rounds score DIR [--verbose] [--json OUT]

Scores the toolkit on a round folder (texts + gold/) and prints a line per file and the
total; `--json` also writes the summary (what the ledger and the regression tests hold)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.rounds.score import format_round, passes, score_round, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m corpus.rounds")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="score a round folder against its gold")
    score.add_argument("folder", type=Path)
    score.add_argument("--verbose", action="store_true")
    score.add_argument("--json", type=Path, help="write the summary here")
    args = parser.parse_args(argv)
    if not (args.folder / "gold").is_dir():
        print(f"{args.folder}: no gold/ folder", file=sys.stderr)
        return 2
    result = score_round(args.folder)
    for line in format_round(result, verbose=args.verbose):
        print(line, flush=True)
    figures = summary(result)
    print("summary:", json.dumps(figures), "PASS" if passes(figures) else "below the bar")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
