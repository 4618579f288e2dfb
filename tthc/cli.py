"""The `tthc` command: what a district officer runs.

    tthc extract FILE... [--json]   one record per report (JSON on stdout with --json)
    tthc check FILE...              the flags of each report, as a table in Vietnamese
Exit codes: 0 done (flags are not errors), 1 some file could not be read, 2 bad usage.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from schemas import Record
from tthc.pipeline import expand

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Đọc, kiểm tra và tổng hợp báo cáo kiểm soát TTHC của các xã.",
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

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
    from consolidation.texts import where

    records = _process(files)
    total = 0
    for r in records:
        name = Path(r.source.path).name
        if r.status == "failed":
            out.print(f"[bold red]{name}[/]: không đọc được — {'; '.join(r.errors)}")
            out.print()
            continue
        if not r.flags:
            out.print(f"[bold]{name}[/]: không có điểm cần xem lại.")
            out.print()
            continue
        out.print(f"[bold]{name}[/]: {len(r.flags)} điểm cần xem lại")
        for n, f in enumerate(r.flags, 1):
            total += 1
            head = f"{n}. {SEVERITY_VI[f.severity]}"
            if f.period:
                head += f" — {f.period}"
            out.print(f"  [bold]{head}[/] ({f.code})", highlight=False)
            _say(f.message)
            if f.suggestion:
                _say(f"Gợi ý sửa: {f.suggestion}")
            for e in f.evidence[:3]:
                _say(f"Tại {where(e, r.source.format)}: “{e.quote.strip()}”")
        out.print()
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
    date: Annotated[
        str | None,
        typer.Option("--ngay", help="Ngày ký thông báo, dạng ngày/tháng/năm (ví dụ 15/4/2025)."),
    ] = None,
) -> None:
    """Tổng hợp báo cáo của các xã: bảng tổng hợp, cảnh báo, kết quả đọc tệp, dự thảo thông báo."""
    from consolidation.roster import RosterError
    from tthc.run import default_folder
    from tthc.run import run as run_job

    folder = folder or default_folder()
    if not folder.is_dir():
        err.print(f"Không tìm thấy thư mục báo cáo: {folder}")
        raise typer.Exit(2)
    notice_date = _parse_date(date) if date else None
    with _progress() as progress:
        task = progress.add_task("Đang đọc báo cáo", total=None)
        try:
            result = run_job(
                folder,
                out_dir,
                roster_path=roster,
                store_path=store,
                notice_date=notice_date,
                on_start=lambda n: progress.update(task, total=n),
                on_file=lambda _: progress.advance(task),
            )
        except RosterError as exc:
            err.print(str(exc))
            raise typer.Exit(2) from exc
    _print_run(result)
    raise typer.Exit(1 if result.failed else 0)


def _say(text: str, indent: int = 5) -> None:
    """A paragraph indented under its heading, wrapped to the terminal (or 80 columns when
    piped), so a flag reads as one block in a narrow window or a text file."""
    import textwrap

    width = max(40, out.width)
    pad = " " * indent
    out.print(
        textwrap.fill(text, width, initial_indent=pad, subsequent_indent=pad),
        highlight=False,
        markup=False,
    )


def _parse_date(text: str) -> dt.date:
    """ "15/4/2025" or "2025-04-15"; anything else is bad usage (exit 2)."""
    import regex

    m = regex.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        err.print(f'Ngày "{text}" không hợp lệ; hãy ghi dạng ngày/tháng/năm, ví dụ 15/4/2025.')
        raise typer.Exit(2) from None


SENDER_VI = {
    "read": "đọc được",
    "partial": "đọc được một phần",
    "unreadable": "gửi tệp không đọc được",
    "not_report": "gửi văn bản không phải báo cáo của kỳ",
    "missing": "chưa gửi",
}


def _print_run(result) -> None:
    from collections import Counter

    s = result.summary
    out.print(f"[bold]{s.parent.committee}[/] — {s.period_label or s.period_key or 'chưa rõ kỳ'}")
    senders = Counter(x.status for x in s.senders)
    who = "; ".join(f"{n} đơn vị {SENDER_VI[k]}" for k, n in senders.items() if n)
    out.print(
        f"  {len(result.processed)} tệp; {who or 'không có báo cáo nào'}; "
        f"{sum(p.reused for p in result.processed)} tệp dùng lại kết quả đã đọc.",
        highlight=False,
    )
    for sender in s.senders:
        if sender.status in ("missing", "unreadable", "not_report"):
            reason = f": {'; '.join(sender.reasons)}" if sender.reasons else ""
            out.print(
                f"  {sender.level} {sender.commune} — {SENDER_VI[sender.status]}{reason}",
                highlight=False,
            )
    for note in result.notes:
        out.print(f"  [yellow]{note}[/]")
    by_severity = {sev: sum(1 for f in s.flags if f.flag.severity == sev) for sev in SEVERITY_VI}
    out.print(
        "  Điểm cần xem lại: " + ", ".join(f"{SEVERITY_VI[k]} {v}" for k, v in by_severity.items())
    )
    for o in s.outcomes:
        quiet = o.kind in ("replaced", "duplicate")
        if o.status == "failed" or (o.status == "ignored" and not quiet):
            out.print(f"  [yellow]{Path(o.path).name}[/]: {o.reason}", highlight=False)
    for path in result.outputs.values():
        out.print(f"  → {path}")
    out.print(
        "  Mở bảng tổng hợp bằng Excel hoặc LibreOffice: dùng tệp .xlsx; các tệp .csv dành "
        "cho phần mềm khác."
    )


@app.command(name="eval")
def evaluate_cmd(
    folder: Annotated[
        Path | None, typer.Argument(help="Thư mục có truth.json (mặc định: huyện mẫu).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Thư mục ghi kết quả (mặc định: thư mục tạm).")
    ] = None,
) -> None:
    """Chấm điểm trích xuất, cảnh báo, bảng tổng hợp và dự thảo thông báo trên bộ báo cáo
    sinh tự động (so với truth.json)."""
    import tempfile

    from corpus.evaluate import evaluate, load_truth, print_evaluation
    from corpus.evaluate_outputs import evaluate_outputs, print_outputs
    from tthc.run import default_folder
    from tthc.run import run as run_job

    folder = folder or default_folder()
    if not (folder / "truth.json").is_file():
        err.print(f"Không có truth.json trong {folder}.")
        raise typer.Exit(2)
    truth = load_truth(folder)
    with tempfile.TemporaryDirectory(prefix="tthc-eval-") as tmp:
        out_path = out_dir or Path(tmp)
        with _progress() as progress:
            task = progress.add_task("Đang đọc báo cáo", total=None)
            result = run_job(
                folder,
                out_path,
                on_start=lambda n: progress.update(task, total=n),
                on_file=lambda _: progress.advance(task),
            )
        records = [p.record for p in result.processed]
        scored = evaluate(records, truth)
        print_evaluation(scored)
        outputs = evaluate_outputs(out_path, truth) if "district" in truth else None
        if outputs is not None:
            print_outputs(outputs)
    bad = scored.faults_missed or scored.false_alarms or (outputs and outputs.failures)
    raise typer.Exit(1 if bad else 0)


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
