"""The main job (`tthc run`): a folder of reports → workbook, flags, outcomes, draft notice.

load → normalize → extract → check (per file, reusing the store) → consolidate → render.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from consolidation.consolidate import Processed, consolidate
from consolidation.roster import Roster, RosterError, find_roster, load_roster
from consolidation.store import STORE_NAME, Store, sha256_of
from schemas.summary import DistrictSummary
from tthc.pipeline import expand, process_file

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

    @property
    def failed(self) -> int:
        return sum(1 for p in self.processed if p.record.status == "failed")


def default_folder() -> Path:
    """The bundled sample district."""
    import corpus

    return Path(corpus.__file__).parent / "sample"


def read_folder(
    files: list[Path], store: Store, on_file: Callable[[Path], None] | None = None
) -> list[Processed]:
    """Every file through the per-file stages; a file already read (same content, same
    rules) is taken from the store."""
    out = []
    for path in files:
        record = None
        with contextlib.suppress(OSError):  # unreadable: process_file gives the reason
            record = store.cached(sha256_of(path))
        reused = record is not None
        if record is None:
            record = process_file(path)
            store.put(record)
        record.source.path = str(path)
        out.append(Processed(path, record, reused))
        if on_file:
            on_file(path)
    return out


def run(
    folder: Path,
    out: Path,
    *,
    roster_path: Path | None = None,
    store_path: Path | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunResult:
    roster = _roster(folder, roster_path)
    files = list(expand([folder]))
    if on_start:
        on_start(len(files))
    out.mkdir(parents=True, exist_ok=True)
    with Store(store_path or out / STORE_NAME) as store:
        processed = read_folder(files, store, on_file)
        summary = consolidate(processed, roster, store)
    result = RunResult(summary, processed=processed)
    result.outputs = write_outputs(result, out)
    return result


def _roster(folder: Path, roster_path: Path | None) -> Roster:
    path = roster_path or find_roster(folder)
    if path is None:
        raise RosterError(
            f"Không tìm thấy danh sách đơn vị (roster.toml) trong {folder}. Hãy tạo tệp theo mẫu "
            "corpus/sample/roster.toml hoặc chỉ ra bằng --roster."
        )
    return load_roster(path)


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
