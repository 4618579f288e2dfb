"""The main job (`tthc run`): a folder of reports → workbook, flags, outcomes, draft notice.

load → normalize → extract → check (per file, reusing the store) → consolidate → render.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from consolidation.consolidate import Processed, consolidate
from consolidation.roster import find_roster, load_roster, roster_from_records
from consolidation.store import STORE_NAME, Store, sha256_of
from schemas import Record
from schemas.summary import DistrictSummary
from tthc.batch import process_many
from tthc.pipeline import expand

OUTPUT_NAMES = {
    "workbook": "tong_hop.xlsx",
    "flags": "canh_bao.csv",
    "outcomes": "ket_qua_doc_tep.csv",
    "notice": "du_thao_thong_bao.docx",
    "records": "ban_ghi.json",
}


@dataclass
class RunResult:
    summary: DistrictSummary
    outputs: dict[str, Path] = field(default_factory=dict)
    processed: list[Processed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the officer should know (Vietnamese)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.processed if p.record.status == "failed")


def default_folder() -> Path:
    """The bundled sample district."""
    import corpus

    return Path(corpus.__file__).parent / "sample"


def read_folder(
    files: list[Path],
    store: Store,
    on_file: Callable[[Path], None] | None = None,
    workers: int | None = None,
) -> list[Processed]:
    """Every file through the per-file stages, in worker processes under time and memory
    limits; a file already read (same content, same rules) is taken from the store. Each
    result is stored as it arrives, so an interrupted run keeps what it finished."""
    records: dict[int, Record] = {}
    for i, path in enumerate(files):
        with contextlib.suppress(OSError):  # unreadable: the worker gives the reason
            cached = store.cached(sha256_of(path))
            if cached is not None:
                records[i] = cached
                if on_file:
                    on_file(path)
    reused = set(records)
    todo = [i for i in range(len(files)) if i not in reused]

    def arrived(j: int, record: Record) -> None:
        store.put(record)
        records[todo[j]] = record
        if on_file:
            on_file(files[todo[j]])

    process_many([files[i] for i in todo], workers=workers, on_result=arrived)
    out = []
    for i, path in enumerate(files):
        record = records[i]
        record.source.path = str(path)
        out.append(Processed(path, record, i in reused))
    return out


def run(
    folder: Path,
    out: Path,
    *,
    roster_path: Path | None = None,
    store_path: Path | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    workers: int | None = None,
    notice_date: dt.date | None = None,
) -> RunResult:
    """The whole job; raises RosterError when a roster is given but cannot be used."""
    path = roster_path or find_roster(folder)
    roster = load_roster(path) if path else None
    files = list(expand([folder]))
    if on_start:
        on_start(len(files))
    out.mkdir(parents=True, exist_ok=True)
    with Store(store_path or out / STORE_NAME) as store:
        processed = read_folder(files, store, on_file, workers)
        given = roster is not None
        if roster is None:
            roster = roster_from_records([p.record for p in processed])
        summary = consolidate(processed, roster, store, notice_date=notice_date, roster_given=given)
    result = RunResult(summary, processed=processed, notes=list(summary.notice.warnings))
    result.outputs = write_outputs(result, out)
    return result


def write_outputs(result: RunResult, out: Path) -> dict[str, Path]:
    from consolidation.notice import write_notice
    from consolidation.workbook import write_flags_csv, write_outcomes_csv, write_workbook

    paths = {name: out / file for name, file in OUTPUT_NAMES.items()}
    write_workbook(result.summary, paths["workbook"])
    write_flags_csv(result.summary, paths["flags"])
    write_outcomes_csv(result.summary, paths["outcomes"])
    write_notice(result.summary, paths["notice"])
    records = [p.record.to_json() for p in result.processed]
    paths["records"].write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths
