"""The command line in Vietnamese: help, usage errors and every misuse as a message.

Typer (0.29) carries its own copy of click whose strings ("Usage:", "Options:", "Missing
argument", "No such option", "Show this message and exit.") are written in English with no
translation hook (click's gettext calls are gone from that copy). So the supported points
of extension are used instead:
- a help formatter (`ViFormatter`, through the context's `formatter_class`) writes the
  usage line, the section headings and the help option's text in Vietnamese;
- the command runs with `standalone_mode=False`, so every usage error comes back as an
  exception; `usage_message` words it in Vietnamese from the exception's own fields (the
  option's name, the parameter, the suggestions), never from its English text.
`Misuse` is for the checks tthc makes itself (a file where a folder is needed ...).
Exit codes follow the contract: 2 bad usage.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer >= 0.29 carries its own click
    from typer._click import exceptions as click_exc
    from typer._click.formatting import HelpFormatter
except ImportError:  # pragma: no cover - older typer on the real click
    from click import exceptions as click_exc
    from click.formatting import HelpFormatter

USAGE_EXIT = 2

HEADINGS = {
    "Usage": "Cách dùng",
    "Options": "Tùy chọn",
    "Arguments": "Đối số",
    "Commands": "Lệnh",
}
TEXTS = {
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "[OPTIONS]": "[TÙY CHỌN]",
    "COMMAND [ARGS]...": "LỆNH [ĐỐI SỐ]...",
}
_BRACKET_HINTS = [
    (re.compile(r"<path>"), "<đường dẫn>"),
    (re.compile(r"<list\[Path\]>"), "<đường dẫn>..."),
    (re.compile(r"\{([^{}\s]+)\}"), r"\1"),  # typer's mark of a required argument
    (re.compile(r"\[default: ([^\]]*)\]"), r"[mặc định: \1]"),
    (re.compile(r"\[required\]"), "[bắt buộc]"),
    (re.compile(r"\[env var: ([^\]]*)\]"), r"[biến môi trường: \1]"),
]


def translate(text: str) -> str:
    """A help string of click's or typer's in Vietnamese (unknown text unchanged)."""
    for english, vietnamese in TEXTS.items():
        text = text.replace(english, vietnamese)
    for pattern, repl in _BRACKET_HINTS:
        text = pattern.sub(repl, text)
    return text


class ViFormatter(HelpFormatter):
    """click's help formatter with Vietnamese words."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, translate(args), prefix=f"{HEADINGS['Usage']}: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl(
            [(translate(a), translate(b)) for a, b in rows],
            col_max=col_max,
            col_spacing=col_spacing,
        )


class ViContext(typer.Context):
    formatter_class = ViFormatter


class ViGroup(TyperGroup):
    context_class = ViContext

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list with each command's whole first sentence, wrapped to the
        terminal. click cuts a description to fit one line ("Trích xuất số liệu, tỷ lệ
        và văn bản được..."), which leaves an officer guessing what a command does."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class ViCommand(TyperCommand):
    context_class = ViContext


class Misuse(Exception):
    """A wrong invocation found by tthc's own checks; the message is Vietnamese."""


# ---------------------------------------------------------------------------------------
# Usage errors in Vietnamese


def usage_message(exc: Exception) -> str:
    """A click/typer usage error in Vietnamese, from its fields."""
    if isinstance(exc, click_exc.MissingParameter):
        return _missing(exc)
    if isinstance(exc, click_exc.NoSuchOption):
        text = f"Không có tùy chọn {exc.option_name}."
        if exc.possibilities:
            text += f" Có phải ý bạn là: {', '.join(sorted(exc.possibilities))}?"
        return text
    if isinstance(exc, click_exc.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"Tùy chọn {exc.option_name} không nhận giá trị."
        return f"Tùy chọn {exc.option_name} cần một giá trị đi kèm."
    if isinstance(exc, click_exc.BadParameter):
        hint = _param_hint(exc)
        return f"Giá trị không hợp lệ cho {hint}." if hint else "Giá trị không hợp lệ."
    message = getattr(exc, "message", str(exc))
    if m := re.match(r"Got unexpected extra argument\(s\) \((.*)\)", message):
        return f"Thừa đối số: {m[1]}. Lệnh này không nhận thêm đối số đó."
    if m := re.match(r"No such command '(.*?)'", message):
        return f"Không có lệnh '{m[1]}'. Các lệnh: {_commands(exc)}."
    if message.startswith("Missing command"):
        return f"Thiếu tên lệnh. Các lệnh: {_commands(exc)}."
    return "Cách dùng không đúng."


def _missing(exc: Any) -> str:
    param = exc.param
    kind = (
        "đối số"
        if (exc.param_type or getattr(param, "param_type_name", "")) == "argument"
        else "tùy chọn"
    )
    hint = _param_hint(exc)
    return f"Thiếu {kind} {hint}." if hint else f"Thiếu {kind}."


def _param_hint(exc: Any) -> str:
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return (param.metavar or param.name or "").upper().rstrip(".")
    return " / ".join(param.opts) or (param.name or "")


def _commands(exc: Any) -> str:
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command", None)
    names = getattr(command, "commands", None) or {}
    return ", ".join(names) if names else "xem --help"


def show_usage_error(exc: Exception, err: Any) -> None:
    """Usage line, the error in Vietnamese, where to find help (on stderr)."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        err.print(ctx.get_usage(), markup=False, highlight=False, soft_wrap=True)
        err.print(
            f"Xem '{ctx.command_path} --help' để biết cách dùng.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    err.print(f"Lỗi: {usage_message(exc)}", markup=False, highlight=False, soft_wrap=True)


def is_usage_error(exc: BaseException) -> bool:
    return isinstance(exc, click_exc.UsageError)


def is_no_args_help(exc: BaseException) -> bool:
    return isinstance(exc, click_exc.NoArgsIsHelpError)


def is_abort(exc: BaseException) -> bool:
    return isinstance(exc, click_exc.ClickException | typer.Abort)
