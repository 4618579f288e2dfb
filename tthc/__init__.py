"""The command line on top of the stages: `tthc run | check | extract | eval`.

`cli` (typer; every message Vietnamese, see `usage`), `run` (the main job: scan the folder,
read every file through load → normalize → extract → check with `pipeline`/`batch`, then
consolidate and render), `sample/` (the bundled sample district), `evaluate/` (scores a run
against a generated district's truth.json). Nothing below imports this package.
"""
