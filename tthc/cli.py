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
from tthc.pipeline import expand, process_file

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


def _process(paths: list[Path]) -> list[Record]:
    files = list(expand(paths))
    if not files:
        err.print("Không có tệp báo cáo nào để xử lý.")
        raise typer.Exit(2)
    records = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=len(files) < 3,
    ) as progress:
        task = progress.add_task("Đang đọc báo cáo", total=len(files))
        for f in files:
            records.append(process_file(f))
            progress.advance(task)
    return records


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
