"""The command line on top of the stages: `tthc run | check | extract | eval | serve`.

Takes the officer's arguments and returns an exit code. `commands` (typer; every message
Vietnamese, see `usage`) parses them, then runs the job of tthc.runjob (walk, a worker per
file, consolidate, render), the per-file pipeline (tthc.process), the evaluator or the
review workspace (tthc.serve). Nothing below imports this package.
"""

from tthc.cli.commands import main

__all__ = ["main"]
