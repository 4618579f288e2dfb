"""The command line on top of the stages: `tthc run | check | extract | eval`.

`commands` (typer; every message Vietnamese, see `usage`), `run` (the main job: walk the
folder with `walk`, read every file with `batch` through the per-file pipeline, then
consolidate and render), `batch` (each file in a worker process under a time and a memory
limit), `walk` (which files of a folder are read). Nothing below imports this package.
"""

from tthc.cli.commands import main

__all__ = ["main"]
