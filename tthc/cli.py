"""The `tthc` command: what a district officer runs.

    tthc extract FILE... [--json]   one record per report (JSON on stdout with --json)
    tthc check FILE...              the flags of each report, as a table in Vietnamese
Exit codes: 0 done (flags are not errors), 1 some file could not be read, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from schemas import Record
from tthc.pipeline import expand

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Đọc, kiểm tra và tổng hợp báo cáo kiểm soát TTHC của các xã.",
)
err = Console(stderr=True)
out = Console()

SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}
Files = Annotated[list[Path], typer.Argument(help="Tệp báo cáo (.pdf, .docx, .txt) hoặc thư mục.")]


def _progress(disable: bool = False) -> Progress:
    """A progress bar on stderr, so stdout stays clean for --json."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=disable,
    )


def _process(paths: list[Path]) -> list[Record]:
    """Every file under a time and memory limit in worker processes, with a progress bar."""
    from tthc.batch import process_many

    files = list(expand(paths))
    if not files:
        err.print("Không có tệp báo cáo nào để xử lý.")
        raise typer.Exit(2)
    with _progress(disable=len(files) < 3) as progress:
        task = progress.add_task("Đang đọc báo cáo", total=len(files))
        return process_many(files, on_result=lambda *_: progress.advance(task))


def _exit_code(records: list[Record]) -> int:
    return 1 if any(r.status == "failed" for r in records) else 0


@app.command()
def extract(
    files: Files, as_json: Annotated[bool, typer.Option("--json", help="In bản ghi JSON.")] = False
) -> None:
    """Trích xuất số liệu, tỷ lệ và văn bản được dẫn của từng báo cáo."""
    records = _process(files)
    if as_json:
        sys.stdout.write(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=1))
        sys.stdout.write("\n")
    else:
        for r in records:
            _print_summary(r)
    raise typer.Exit(_exit_code(records))


@app.command()
def check(files: Files) -> None:
    """Kiểm tra số liệu và văn bản được dẫn; in các điểm cần xem lại."""
    records = _process(files)
    table = Table(title="Kết quả kiểm tra", show_lines=True)
    for header in ("Tệp", "Kỳ", "Mức độ", "Mã", "Nội dung", "Gợi ý sửa", "Trích dẫn"):
        table.add_column(header, overflow="fold")
    for r in records:
        name = Path(r.source.path).name
        if r.status == "failed":
            table.add_row(name, "", "Không đọc được", "", "; ".join(r.errors), "", "")
            continue
        for f in r.flags:
            quote = f.evidence[0].quote if f.evidence else ""
            where = f" (dòng {f.evidence[0].line})" if f.evidence else ""
            table.add_row(
                name,
                f.period or "",
                SEVERITY_VI[f.severity],
                f.code,
                f.message,
                f.suggestion or "",
                f"{quote}{where}",
            )
    out.print(table)
    total = sum(len(r.flags) for r in records)
    out.print(f"{len(records)} báo cáo, {total} điểm cần xem lại.")
    raise typer.Exit(_exit_code(records))


@app.command()
def run(
    folder: Annotated[
        Path | None, typer.Argument(help="Thư mục báo cáo của các xã (mặc định: huyện mẫu).")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Thư mục ghi kết quả.")] = Path(
        "tthc-ket-qua"
    ),
    roster: Annotated[Path | None, typer.Option(help="Danh sách đơn vị (roster.toml).")] = None,
    store: Annotated[Path | None, typer.Option(help="Tệp lưu trữ kết quả đọc (SQLite).")] = None,
) -> None:
    """Tổng hợp báo cáo của các xã: bảng tổng hợp, cảnh báo, kết quả đọc tệp, dự thảo thông báo."""
    from consolidation.roster import RosterError
    from tthc.run import default_folder
    from tthc.run import run as run_job

    folder = folder or default_folder()
    if not folder.is_dir():
        err.print(f"Không tìm thấy thư mục báo cáo: {folder}")
        raise typer.Exit(2)
    with _progress() as progress:
        task = progress.add_task("Đang đọc báo cáo", total=None)
        try:
            result = run_job(
                folder,
                out_dir,
                roster_path=roster,
                store_path=store,
                on_start=lambda n: progress.update(task, total=n),
                on_file=lambda _: progress.advance(task),
            )
        except RosterError as exc:
            err.print(str(exc))
            raise typer.Exit(2) from exc
    _print_run(result)
    raise typer.Exit(1 if result.failed else 0)


def _print_run(result) -> None:
    s = result.summary
    sent = sum(1 for c in s.communes if c.status != "missing")
    out.print(f"[bold]{s.parent.committee}[/] — {s.period_label or s.period_key or 'chưa rõ kỳ'}")
    out.print(
        f"  {len(result.processed)} tệp; {sent}/{len(s.communes)} đơn vị đã gửi báo cáo; "
        f"{result.failed} tệp không đọc được; "
        f"{sum(p.reused for p in result.processed)} tệp dùng lại kết quả cũ."
    )
    if s.missing:
        out.print(f"  Chưa gửi báo cáo: {', '.join(s.missing)}")
    for note in result.notes:
        out.print(f"  [yellow]{note}[/]")
    by_severity = {sev: sum(1 for f in s.flags if f.flag.severity == sev) for sev in SEVERITY_VI}
    out.print("  Cảnh báo: " + ", ".join(f"{SEVERITY_VI[k]} {v}" for k, v in by_severity.items()))
    for o in s.outcomes:
        if o.status in ("failed", "ignored"):
            out.print(f"  [yellow]{Path(o.path).name}[/]: {o.reason}")
    for path in result.outputs.values():
        out.print(f"  → {path}")


@app.command(name="eval")
def evaluate_cmd(
    folder: Annotated[
        Path | None, typer.Argument(help="Thư mục có truth.json (mặc định: huyện mẫu).")
    ] = None,
) -> None:
    """Chấm điểm trích xuất và cảnh báo trên bộ báo cáo sinh tự động (so với truth.json)."""
    from corpus.evaluate import evaluate, load_truth, print_evaluation
    from tthc.run import default_folder

    folder = folder or default_folder()
    if not (folder / "truth.json").is_file():
        err.print(f"Không có truth.json trong {folder}.")
        raise typer.Exit(2)
    records = _process([folder])
    result = evaluate(records, load_truth(folder))
    print_evaluation(result)
    raise typer.Exit(1 if result.faults_missed or result.false_alarms else 0)


def _print_summary(r: Record) -> None:
    name = Path(r.source.path).name
    if r.status == "failed":
        out.print(f"[bold red]{name}[/]: không đọc được — {'; '.join(r.errors)}")
        return
    unit = " ".join(x for x in (r.unit.level, r.unit.name) if x) or "(chưa rõ đơn vị)"
    out.print(f"[bold]{name}[/]: {unit} — {r.report.period or 'chưa rõ kỳ báo cáo'}")
    for p in r.periods:
        figures = ", ".join(f"{k}={v}" for k, v in p.dossiers.model_dump(exclude_none=True).items())
        out.print(f"  {p.label} [{p.scope}]: {figures}")
    out.print(
        f"  {len(r.percentages)} tỷ lệ, {len(r.citations)} văn bản được dẫn, "
        f"{len(r.flags)} điểm cần xem lại"
    )


def main() -> None:
    app()
