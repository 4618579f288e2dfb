"""The `tthc` command: what a district officer runs.

    tthc extract FILE... [--json]   one record per report (JSON on stdout with --json)
    tthc check FILE...              the flags of each report, as a table in Vietnamese
    tthc run [FOLDER] [--out OUT]   the district's summary, flags, outcomes and notice
    tthc serve [FOLDER] [--port N]  the review workspace in a browser (corrections)
Exit codes: 0 done (flags are not errors), 1 some file could not be read (or nothing to
read, or the outputs could not be written, or another run holds the output folder),
2 bad usage. Every message is Vietnamese (tthc.cli.usage); no traceback reaches the officer.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tthc.cli.usage import (
    USAGE_EXIT,
    Misuse,
    ViCommand,
    ViGroup,
    is_no_args_help,
    is_usage_error,
    show_usage_error,
)
from tthc.textkit.file_formats import SUPPORTED_SUFFIXES
from tthc.textkit.safe_io import os_reason, readable, readable_name

if TYPE_CHECKING:
    from tthc.schemas import Record

app = typer.Typer(
    cls=ViGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    options_metavar="[TÙY CHỌN]",
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Đọc, kiểm tra và tổng hợp báo cáo kiểm soát TTHC của các xã.",
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

Files = Annotated[
    list[Path],
    typer.Argument(
        help=f"Tệp báo cáo ({', '.join(SUPPORTED_SUFFIXES)}) hoặc thư mục.",
        metavar="TỆP",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("tthc")
        except PackageNotFoundError:
            number = "(chưa cài đặt)"
        out.print(f"tthc phiên bản {number}", markup=False, highlight=False)
        raise typer.Exit(0)


@app.callback()
def _main_options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="In phiên bản rồi thoát."
        ),
    ] = False,
) -> None:
    """Đọc, kiểm tra và tổng hợp báo cáo kiểm soát TTHC của các xã."""


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


def _files_of(paths: list[Path], seen: dict | None = None) -> list[Path]:
    """The files named, and the reports under each folder named (`seen` gets which file
    the walk saw at each: a file replaced since is not read); a path that does not exist,
    or a file that is not a report kind, is a misuse (nothing is read); what a folder holds
    besides reports is listed."""
    from tthc.runjob import not_a_report, scan  # late: `tthc --help` loads no stage

    missing = [p for p in paths if not _exists(p)]
    if missing:
        shown = ", ".join(readable_name(p) for p in missing)
        raise Misuse(f"Không tìm thấy: {shown} (kiểm tra lại đường dẫn, tên tệp).")
    refused = [(p, why) for p in paths if not _is_dir(p) and (why := not_a_report(p))]
    if refused:
        shown = "; ".join(f"{readable_name(p)}: {why}" for p, why in refused)
        raise Misuse(f"Không phải tệp báo cáo — {shown}")
    files: list[Path] = []
    for p in paths:
        if not _is_dir(p):
            files.append(p)
            continue
        try:
            found = scan(p)
        except OSError as exc:
            err.print(f"Không mở được thư mục {escape(readable_name(p))} ({os_reason(exc)}).")
            raise typer.Exit(1) from exc
        files.extend(found.files)
        if seen is not None:
            seen.update(found.seen)
        for s in found.skipped:
            err.print(
                f"Bỏ qua {escape(readable_name(s.path))}: {escape(s.reason)}", highlight=False
            )
    return files


def _exists(path: Path, option: str = "") -> bool:
    """Whether a path exists (a link counts); a path the system cannot even look up (too
    long, a loop, no permission on a folder above) is bad usage with its reason."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        where = f"{option} {readable_name(path)}" if option else readable_name(path)
        raise Misuse(f"{where}: {os_reason(exc)}.") from exc
    return True


def _is_dir(path: Path) -> bool:
    return os.path.isdir(path)


def _process(paths: list[Path]) -> list[Record]:
    """Every file under a time and memory limit in worker processes, with a progress bar."""
    from tthc.runjob import process_many

    seen: dict = {}
    files = _files_of(paths, seen)
    if not files:
        err.print(f"Không có tệp báo cáo nào để đọc ({', '.join(SUPPORTED_SUFFIXES)}).")
        raise typer.Exit(1)
    with _progress(disable=len(files) < 3) as progress:
        task = progress.add_task("Đang đọc báo cáo", total=len(files))
        return process_many(files, on_result=lambda *_: progress.advance(task), seen=seen)


def _exit_code(records: list[Record]) -> int:
    return 1 if any(r.status == "failed" for r in records) else 0


@app.command(cls=ViCommand, options_metavar="[TÙY CHỌN]")
def extract(
    files: Files, as_json: Annotated[bool, typer.Option("--json", help="In bản ghi JSON.")] = False
) -> None:
    """Trích xuất số liệu, tỷ lệ và văn bản được dẫn của từng báo cáo."""
    records = _process(files)
    if as_json:
        text = json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=1)
        sys.stdout.write(readable(text))
        sys.stdout.write("\n")
    else:
        for r in records:
            _print_summary(r)
    raise typer.Exit(_exit_code(records))


@app.command(cls=ViCommand, options_metavar="[TÙY CHỌN]")
def check(files: Files) -> None:
    """Kiểm tra số liệu và văn bản được dẫn; in các điểm cần xem lại."""
    from tthc.check import read_share
    from tthc.wording import severity_label, where

    records = _process(files)
    total = 0
    for r in records:
        name = readable_name(Path(r.source.path).name)
        if r.status == "failed":
            out.print(f"[bold red]{name}[/]: không đọc được — {'; '.join(r.errors)}")
            out.print()
            continue
        read, stated = read_share(r)
        share = f"đọc được {read}/{stated} số liệu"
        if not r.flags:
            out.print(f"[bold]{name}[/]: {share}; không có điểm cần xem lại.")
            out.print()
            continue
        out.print(f"[bold]{name}[/]: {share}; {len(r.flags)} điểm cần xem lại")
        for n, f in enumerate(r.flags, 1):
            total += 1
            head = f"{n}. {severity_label(f.severity)}"
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


# The reports folder argument of `tthc run` and `tthc serve` (both default to the sample).
ReportsFolder = Annotated[
    Path | None,
    typer.Argument(
        help="Thư mục báo cáo của các xã (mặc định: huyện mẫu).",
        metavar="THƯ_MỤC",
        show_default=False,
    ),
]


@app.command(cls=ViCommand, options_metavar="[TÙY CHỌN]")
def run(
    folder: ReportsFolder = None,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="THƯ_MỤC",
            help="Thư mục ghi kết quả; nên để ngoài thư mục báo cáo.",
        ),
    ] = Path("tthc-ket-qua"),
    roster: Annotated[
        Path | None, typer.Option(metavar="TỆP", help="Danh sách đơn vị (roster.toml).")
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            metavar="TỆP",
            help="Tệp lưu trữ kết quả đọc (SQLite; mặc định trong thư mục kết quả).",
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--ngay",
            metavar="NGÀY",
            help="Ngày ký thông báo, dạng ngày/tháng/năm (ví dụ 15/4/2025).",
        ),
    ] = None,
    system: Annotated[
        Path | None,
        typer.Option(
            "--system",
            metavar="TỆP",
            help="Tệp xuất số liệu từ Hệ thống thông tin giải quyết TTHC (.xlsx, .xls) để đối "
            "chiếu với báo cáo của các xã.",
        ),
    ] = None,
) -> None:
    """Tổng hợp báo cáo của các xã: bảng tổng hợp, cảnh báo, kết quả đọc tệp, dự thảo thông báo."""
    from tthc.consolidate import RosterError, StoreError
    from tthc.runjob import NothingRead, RunError, default_folder, shown_summary
    from tthc.runjob import run as run_job

    folder = folder or default_folder()
    _check_run_paths(folder, out_dir, roster, store)
    if system is not None:
        _check_system(system)
    notice_date = _parse_date(date) if date is not None else None
    global _results_folder
    _results_folder = out_dir
    try:
        with _progress() as progress:
            task = progress.add_task("Đang đọc báo cáo", total=None)
            result = run_job(
                folder,
                out_dir,
                roster_path=roster,
                store_path=store,
                notice_date=notice_date,
                system_path=system,
                on_start=lambda n: progress.update(task, total=n),
                on_file=lambda _: progress.advance(task),
            )
    except (RosterError, StoreError) as exc:
        raise Misuse(str(exc)) from exc
    except NothingRead as exc:
        _print_run(dataclasses.replace(exc.result, summary=shown_summary(exc.result.summary)))
        err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from exc
    except RunError as exc:
        err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code) from exc
    _print_run(dataclasses.replace(result, summary=shown_summary(result.summary)))
    raise typer.Exit(1 if result.failed or result.unreadable or result.system_problem else 0)


def _check_system(path: Path) -> None:
    """The export to compare with: a file that exists (a link, a folder or a device is bad
    usage: nothing is read through a link)."""
    if not _exists(path, "--system"):
        raise Misuse(
            f"Không tìm thấy tệp xuất của Hệ thống thông tin giải quyết TTHC (--system): "
            f"{readable_name(path)}"
        )
    if os.path.islink(path):
        raise Misuse(
            f"--system {readable_name(path)} là một liên kết (symlink); tthc không đọc tệp qua "
            "liên kết. Hãy chỉ thẳng tệp thật."
        )
    if not os.path.isfile(path):
        raise Misuse(
            f"--system {readable_name(path)} không phải một tệp; hãy chỉ tệp xuất (.xlsx, .xls) "
            "của Hệ thống thông tin giải quyết TTHC."
        )


def _check_run_paths(folder: Path, out_dir: Path, roster: Path | None, store: Path | None) -> None:
    """What `tthc run` is given, checked before anything is read or written."""
    shown = readable_name(folder)
    if not _exists(folder):
        raise Misuse(f"Không tìm thấy thư mục báo cáo: {shown}")
    if not _is_dir(folder):
        raise Misuse(
            f"{shown} là một tệp, không phải thư mục. `tthc run` đọc cả một thư mục báo cáo; "
            "để xem một tệp, dùng `tthc check TỆP`."
        )
    _check_folder_option("--out", out_dir)
    _check_not_the_reports(folder, out_dir)
    if roster is not None:
        if not _exists(roster, "--roster"):
            raise Misuse(f"Không tìm thấy danh sách đơn vị (--roster): {readable_name(roster)}")
        if not roster.is_file():
            raise Misuse(
                f"--roster {readable_name(roster)} không phải một tệp; hãy chỉ tệp roster.toml."
            )
    if store is not None:
        _check_parents("--store", store)


def _check_folder_option(option: str, path: Path) -> None:
    """A folder to write into: an existing folder (never a link: the results go where
    the officer sees them, and a link shipped in a reports folder could point anywhere),
    or a path that can become one."""
    _check_parents(option, path)
    if os.path.islink(path):
        raise Misuse(
            f"{option} {readable_name(path)} là một liên kết (symlink) tới "
            f"{readable_name(os.readlink(path))}; tthc không ghi kết quả qua liên kết. Hãy "
            "chỉ thẳng thư mục thật, hoặc một thư mục khác."
        )
    if _exists(path, option) and not _is_dir(path):
        raise Misuse(
            f"{option} {readable_name(path)} là một tệp đã có; hãy chỉ một thư mục (chưa có "
            "thì tthc tạo mới)."
        )


def _check_not_the_reports(folder: Path, out_dir: Path) -> None:
    """The results never go into the reports folder itself (a results sub-folder is
    fine: tthc marks it and never reads it back)."""
    if os.path.realpath(out_dir) != os.path.realpath(folder):
        return
    inside = folder / "tthc-ket-qua"
    beside = Path(os.path.realpath(folder)).parent / "ket_qua"
    raise Misuse(
        f"--out {readable_name(out_dir)} là chính thư mục báo cáo: kết quả sẽ nằm lẫn với "
        "báo cáo của các xã. Hãy ghi kết quả vào một thư mục riêng, ví dụ "
        f"--out {readable_name(inside)} (thư mục con dành cho kết quả, tthc đánh dấu và không "
        f"đọc lại) hoặc --out {readable_name(beside)} (ngoài thư mục báo cáo)."
    )


def _check_parents(option: str, path: Path) -> None:
    """No existing part of the path above it may be a file; a path longer than the
    system allows is named as such (not left to the system's English words)."""
    full = path.absolute()
    if (
        any(len(os.fsencode(part)) > _NAME_MAX for part in full.parts)
        or len(os.fsencode(full)) >= _PATH_MAX
    ):
        raise Misuse(
            f"{option} {readable_name(path)}: đường dẫn quá dài (tên một thư mục hoặc tệp quá "
            f"{_NAME_MAX} byte, hoặc cả đường dẫn quá {_PATH_MAX} byte), vượt giới hạn của hệ "
            "thống."
        )
    for parent in full.parents:
        if os.path.lexists(parent):
            if not _is_dir(parent):
                raise Misuse(
                    f"{option} {readable_name(path)}: {readable_name(parent)} là một tệp, "
                    "không phải thư mục."
                )
            return


_NAME_MAX = 255  # bytes in one name, and in a whole path (Linux's limits)
_PATH_MAX = 4096


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
        raise Misuse(
            f'Ngày "{text}" không hợp lệ; hãy ghi dạng ngày/tháng/năm, ví dụ 15/4/2025.'
        ) from None


SENDER_VI = {
    "read": "đọc được",
    "partial": "đọc được một phần",
    "unreadable": "gửi tệp không đọc được",
    "not_report": "gửi văn bản không phải báo cáo của kỳ",
    "missing": "chưa gửi",
}


def _print_run(result) -> None:
    from collections import Counter

    from tthc.consolidate import ROSTER_NAMES
    from tthc.rules.flags import SEVERITIES
    from tthc.wording import severity_label

    s = result.summary
    out.print(
        f"[bold]{escape(s.parent.committee)}[/] — "
        f"{escape(s.period_label or s.period_key or 'chưa rõ kỳ')}"
    )
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
                markup=False,
            )
    for note in result.notes:
        out.print(f"  [yellow]{escape(note)}[/]")
    check = s.crosscheck
    if check is not None and check.status == "compared":
        differing = "; ".join(
            f"{u.level} {u.commune}" for u in check.units if u.commune in check.differing
        )
        out.print(
            f"  Đối chiếu Hệ thống ({check.file}): {len(check.differing)} đơn vị có số liệu "
            f"khác Hệ thống{': ' + differing if differing else ''}.",
            highlight=False,
            markup=False,
        )
    counts = Counter(f.flag.severity for f in s.flags)
    out.print(
        "  Điểm cần xem lại: "
        + ", ".join(f"{severity_label(k)} {counts[k]}" for k in reversed(SEVERITIES))
    )
    said = {f for x in s.senders if x.status != "read" for f in x.files}
    for o in s.outcomes:  # what the lines above do not already say, the roster excepted
        name = Path(o.path).name
        quiet = o.kind in ("replaced", "duplicate", "system_export") or name in said
        quiet = quiet or name in ROSTER_NAMES
        if (o.status == "failed" or o.status == "ignored") and not quiet:
            out.print(f"  [yellow]{escape(name)}[/]: {escape(o.reason or '')}")
    for path in result.outputs.values():
        out.print(f"  → {escape(readable_name(path))}")
    if result.outputs:
        out.print(
            "  Mở bảng tổng hợp bằng Excel hoặc LibreOffice: dùng tệp .xlsx; các tệp .csv dành "
            "cho phần mềm khác."
        )


@app.command(cls=ViCommand, options_metavar="[TÙY CHỌN]")
def serve(
    folder: ReportsFolder = None,
    out_dir: Annotated[
        Path,
        typer.Option("--out", metavar="THƯ_MỤC", help="Thư mục kết quả (như tthc run)."),
    ] = Path("tthc-ket-qua"),
    port: Annotated[int, typer.Option("--port", metavar="CỔNG", help="Cổng mở trang.")] = 8765,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="ĐỊA_CHỈ",
            help="Địa chỉ mở trang; khác 127.0.0.1 thì cần mật khẩu (biến TTHC_MAT_KHAU).",
        ),
    ] = "127.0.0.1",
    roster: Annotated[
        Path | None, typer.Option(metavar="TỆP", help="Danh sách đơn vị (roster.toml).")
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(metavar="TỆP", help="Tệp lưu trữ (mặc định trong thư mục kết quả)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--ngay", metavar="NGÀY", help="Ngày ký thông báo, ví dụ 15/4/2025."),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Không tự mở trình duyệt.")
    ] = False,
) -> None:
    """Mở không gian làm việc trong trình duyệt: xem, sửa và duyệt số liệu của kỳ báo cáo."""
    from tthc.consolidate import RosterError, StoreError
    from tthc.runjob import RunError, default_folder
    from tthc.serve import HostRefused, PortError, Workspace, check_host
    from tthc.serve import serve as serve_workspace

    folder = folder or default_folder()
    _check_run_paths(folder, out_dir, roster, store)
    if not 0 <= port <= 65535:
        raise Misuse(f"--port {port}: cổng phải từ 1 đến 65535.")
    password = os.environ.get("TTHC_MAT_KHAU") or None
    try:
        check_host(host, password)
    except HostRefused as exc:
        raise Misuse(str(exc)) from exc
    notice_date = _parse_date(date) if date is not None else None
    global _results_folder
    _results_folder = out_dir
    try:
        workspace = Workspace(
            folder, out_dir, roster_path=roster, store_path=store, notice_date=notice_date
        )
        with workspace:
            serve_workspace(
                workspace,
                host=host,
                port=port,
                password=password,
                open_browser=not no_browser,
                say=lambda text: out.print(text, markup=False, highlight=False),
            )
    except (RosterError, StoreError) as exc:
        raise Misuse(str(exc)) from exc
    except (RunError, PortError) as exc:
        err.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    raise typer.Exit(0)


@app.command(name="eval", cls=ViCommand, options_metavar="[TÙY CHỌN]")
def evaluate_cmd(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Thư mục có truth.json (mặc định: huyện mẫu).",
            metavar="THƯ_MỤC",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Thư mục ghi kết quả (mặc định: thư mục tạm).")
    ] = None,
) -> None:
    """Chấm điểm trích xuất, cảnh báo, bảng tổng hợp và dự thảo thông báo trên bộ báo cáo
    sinh tự động (so với truth.json)."""
    import tempfile

    from tthc.evaluate import (
        evaluate,
        evaluate_outputs,
        load_truth,
        print_evaluation,
        print_outputs,
        truth_file,
    )
    from tthc.runjob import default_folder
    from tthc.runjob import run as run_job

    folder = folder or default_folder()
    if truth_file(folder) is None:
        raise Misuse(f"Không có truth.json trong {readable_name(folder)}.")
    truth = load_truth(folder)
    system = truth.get("system", {}).get("file")
    with tempfile.TemporaryDirectory(prefix="tthc-eval-") as tmp:
        out_path = out_dir or Path(tmp)
        with _progress() as progress:
            task = progress.add_task("Đang đọc báo cáo", total=None)
            result = run_job(
                folder,
                out_path,
                system_path=folder / system if system else None,
                on_start=lambda n: progress.update(task, total=n),
                on_file=lambda _: progress.advance(task),
            )
        records = [p.record for p in result.processed]
        scored = evaluate(records, truth, result.summary)
        print_evaluation(scored)
        outputs = evaluate_outputs(out_path, truth) if "district" in truth else None
        if outputs is not None:
            print_outputs(outputs)
    bad = scored.faults_missed or scored.false_alarms or (outputs and outputs.failures)
    xc = scored.crosscheck
    bad = bad or (xc is not None and (not xc.compared or xc.missed or xc.false))
    raise typer.Exit(1 if bad else 0)


def _print_summary(r: Record) -> None:
    name = escape(readable_name(Path(r.source.path).name))
    if r.status == "failed":
        out.print(f"[bold red]{name}[/]: không đọc được — {'; '.join(r.errors)}")
        return
    unit = " ".join(x for x in (r.unit.level, r.unit.name) if x) or "(chưa rõ đơn vị)"
    out.print(f"[bold]{name}[/]: {unit} — {r.report.period or 'chưa rõ kỳ báo cáo'}")
    for p in r.periods:
        figures = ", ".join(f"{k}={v}" for k, v in p.dossiers.model_dump(exclude_none=True).items())
        out.print(f"  {escape(p.label)} \\[{escape(p.scope)}]: {figures}", highlight=False)
    out.print(
        f"  {len(r.percentages)} tỷ lệ, {len(r.citations)} văn bản được dẫn, "
        f"{len(r.flags)} điểm cần xem lại"
    )


def main(argv: list[str] | None = None) -> None:
    """The console script: runs the command and turns every way it can end into an exit
    code with a Vietnamese message (usage errors, misuse, Ctrl-C, a closed pipe, and, as
    a last resort, an unexpected error whose details go to a file, not to the screen)."""
    for stream in (sys.stdout, sys.stderr):  # a name no encoding can show must not stop us
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if not os.environ.get("TTHC_DEBUG"):
        sys.unraisablehook = _quiet_unraisable
        # a library's warning (a handled fault, e.g. OCR's table finder falling back to
        # plain words) would print an English traceback: the officer's screen gets none
        logging.getLogger().addHandler(logging.NullHandler())
    sys.exit(_run_app(sys.argv[1:] if argv is None else argv))


# Options that take a value, and what to write there (for an empty one).
_VALUE_OPTIONS = {
    "--out": "tên thư mục kết quả, ví dụ --out ket_qua",
    "--store": "tên tệp lưu trữ, ví dụ --store kho.sqlite3, hoặc bỏ --store",
    "--roster": "tệp danh sách đơn vị, ví dụ --roster roster.toml, hoặc bỏ --roster",
    "--ngay": "ngày ký dạng ngày/tháng/năm, ví dụ --ngay 15/4/2025, hoặc bỏ --ngay",
    "--system": "tệp xuất của Hệ thống, ví dụ --system he_thong.xlsx, hoặc bỏ --system",
}


def _empty_argument(argv: list[str]) -> str | None:
    """An empty argument ("") is never meaningful: as a folder it would mean the current
    one, as a date no date. The message names it."""
    for i, arg in enumerate(argv):
        option, eq, value = arg.partition("=")
        if eq and option in _VALUE_OPTIONS and not value.strip():
            return f"{option} không được để trống; hãy ghi {_VALUE_OPTIONS[option]}."
        if arg.strip():
            continue
        before = argv[i - 1] if i else ""
        if before in _VALUE_OPTIONS:
            return f"{before} không được để trống; hãy ghi {_VALUE_OPTIONS[before]}."
        return (
            f'Đối số thứ {i + 1} rỗng (""); hãy ghi tên thư mục hoặc tệp (thư mục hiện tại là .).'
        )
    return None


def _run_app(argv: list[str]) -> int:
    command = typer.main.get_command(app)
    empty = _empty_argument(argv)
    if empty is not None and not any(a in ("-h", "--help") for a in argv):
        err.print(f"Lỗi: {empty}", markup=False, highlight=False, soft_wrap=True)
        return USAGE_EXIT
    try:
        code = command.main(args=argv, prog_name="tthc", standalone_mode=False)
    except Misuse as exc:
        err.print(f"Lỗi: {exc}", markup=False, highlight=False, soft_wrap=True)
        return USAGE_EXIT
    except KeyboardInterrupt:
        err.print("Đã dừng theo yêu cầu (Ctrl-C).", highlight=False)
        return 130
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the reader went away: stay quiet
        return 1
    except Exception as exc:
        if is_no_args_help(exc):
            out.print(exc.ctx.get_help(), markup=False, highlight=False)
            return USAGE_EXIT
        if is_usage_error(exc):
            show_usage_error(exc, err)
            return USAGE_EXIT
        if isinstance(exc, typer.Abort) or type(exc).__name__ == "Abort":
            err.print("Đã dừng.", highlight=False)
            return 1
        if os.environ.get("TTHC_DEBUG"):
            raise
        return _unexpected(exc)
    return code if isinstance(code, int) else 0


def _unexpected(exc: Exception) -> int:
    """A fault of tthc itself: a short Vietnamese message, the details in a file."""
    where = _error_log("".join(traceback.format_exception(exc)))
    said = f"chi tiết đã ghi vào {readable_name(where)}" if where else "không ghi được chi tiết"
    err.print(
        f"Lỗi không mong đợi của tthc ({type(exc).__name__}); {said}. Hãy gửi tệp đó cho "
        "người quản trị.",
        markup=False,
        highlight=False,
    )
    return 1


_results_folder: Path | None = None  # the run's results folder, once the command knows it


def _error_log(text: str) -> Path | None:
    """Write an error's details to a new file (created with O_EXCL, never through a
    link): in the run's results folder when there is one, else the system's temporary
    folder. None when it cannot be written (a full disk)."""
    folders = [_results_folder] if _results_folder and os.path.isdir(_results_folder) else []
    for folder in [*folders, None]:
        try:
            fd, name = tempfile.mkstemp(prefix="tthc-loi-", suffix=".txt", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
                fh.write(text)
            return Path(name)
        except OSError:
            continue
    return None


def _quiet_unraisable(info) -> None:
    """An error Python can only report, not raise (a zip file closed by the garbage
    collector on a full disk): its details go to the error file, never to the screen."""
    with contextlib.suppress(Exception):
        details = traceback.format_exception(info.exc_type, info.exc_value, info.exc_traceback)
        _error_log(f"{info.err_msg or 'Exception ignored'}: {info.object!r}\n{''.join(details)}")
