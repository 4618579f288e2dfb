"""The run job: a folder of reports and a results folder → records, district, outputs.

Takes a reports folder, a results folder and a store; returns a `RunResult` (the records
read, the district made by consolidate with the officer's corrections) and writes the five
outputs as one set. Its two faces sit above it: the command line (`tthc run`, tthc.cli) and
the review workspace (`tthc serve`, tthc.serve), which runs the same job in the browser.

`walk` decides which files of a folder are read (every path read or skipped with a reason);
`batch` reads each file in a worker process under a time and a memory limit, through the
per-file pipeline (tthc.process); `job` owns the results folder (its lock, its temporary
files, the set of outputs that switches at once), reads the folder with the store, then
consolidates and renders.
"""

from tthc.runjob.batch import DEFAULT_MEMORY_MB, init_worker, process_many
from tthc.runjob.job import (
    OUTPUT_NAMES,
    UPLOADS,
    NothingRead,
    RunError,
    RunResult,
    add_uploads,
    default_folder,
    output_lock,
    output_run_ids,
    read_folder,
    results_folder,
    run,
    scan_for_run,
    shown_summary,
    summarize,
    temporary_files_inside,
    write_outputs,
)
from tthc.runjob.walk import Scan, Skipped, expand, not_a_report, scan

__all__ = [
    "DEFAULT_MEMORY_MB",
    "OUTPUT_NAMES",
    "UPLOADS",
    "NothingRead",
    "RunError",
    "RunResult",
    "Scan",
    "Skipped",
    "add_uploads",
    "default_folder",
    "expand",
    "init_worker",
    "not_a_report",
    "output_lock",
    "output_run_ids",
    "process_many",
    "read_folder",
    "results_folder",
    "run",
    "scan",
    "scan_for_run",
    "shown_summary",
    "summarize",
    "temporary_files_inside",
    "write_outputs",
]
