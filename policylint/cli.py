"""The ``policylint`` command: flags in, Settings out, exit code back. Nothing else lives here.

Subcommands other than ``check`` are imported only when they are used, so that
``policylint --version`` and a pre-commit run of ``check`` start fast.
"""
from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from policylint import __version__
from policylint.errors import PolicylintError

LANGS = ("en", "nl")

# name -> "module:attribute" of a click command, loaded on first use.
LAZY_COMMANDS: dict[str, str] = {}


class LazyGroup(click.Group):
    """A click group whose subcommands live in modules imported on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, _, attr = LAZY_COMMANDS[cmd_name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, cmd_name)


def use_color(flag: bool | None, stream: Any = None) -> bool:
    """Colour when asked; otherwise only on a terminal and never with NO_COLOR set."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream or sys.stdout, "isatty", lambda: False)())


class ByteSize(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2 on
    """A size such as ``5MB``, ``512KB`` or ``1000000`` (bytes); ``0`` or ``none`` for no limit.

    KB, MB and GB count in 1024s, as file managers mostly do; KiB/MiB/GiB and K/M/G mean the same.
    """

    name = "size"
    _UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024 ** 2, "mb": 1024 ** 2,
              "mib": 1024 ** 2, "g": 1024 ** 3, "gb": 1024 ** 3, "gib": 1024 ** 3}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower().replace(" ", "")
        if text in ("none", "off", "unlimited"):
            return 0
        number = text.rstrip("kmgib")
        unit = text[len(number):]
        try:
            size = float(number)
        except ValueError:
            size = -1.0
        if unit not in self._UNITS or not 0 <= size < 2 ** 53:  # also refuses nan and inf
            self.fail(f"{value!r} is not a size; write e.g. 5MB, 512KB or 0 for no limit", param, ctx)
        return int(size * self._UNITS[unit])


def format_names() -> list[str]:
    from policylint.formatters import FORMATS

    return list(FORMATS)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="policylint")
def main() -> None:
    """Check company policies (Markdown with YAML front matter) for the elements they need."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--format", "-f", "fmt", type=click.Choice(format_names()), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--message-lang", type=click.Choice(LANGS), default=None,
              help="Language of messages (default: each policy's own language).")
@click.option("--lang", "default_lang", type=click.Choice(LANGS), default=None,
              help="Language to assume when a policy has no `lang` and detection is unsure.")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: on a terminal, unless NO_COLOR is set).")
@click.option("--max-file-size", type=ByteSize(), default="5MB", show_default=True,
              help="Skip (with an error) files larger than this, e.g. 10MB; 0 for no limit.")
def check(paths: tuple[str, ...], fmt: str, fail_on: str, message_lang: str | None,
          default_lang: str | None, color: bool | None, max_file_size: int) -> None:
    """Lint policy files and folders (default: the current folder)."""
    from policylint.engine import LintOptions
    from policylint.runner import Settings, run

    settings = Settings(
        paths=list(paths) or ["."], format=fmt, fail_on=fail_on, color=use_color(color),
        default_lang=default_lang, lint=LintOptions(message_lang=message_lang),
        max_file_size=max_file_size or None,
    )
    exit_with(run, settings)


def safe_output() -> None:
    """Never crash on output a terminal cannot show (a Latin-1 console, an undecodable file name)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        errors = getattr(stream, "errors", None)
        if hasattr(stream, "reconfigure") and (errors == "strict" or encoding != "utf8"):
            stream.reconfigure(errors="backslashreplace")


def exit_with(func: Any, *args: Any) -> None:
    """Run a command body; user errors become exit 2 with one clear line, never a traceback."""
    safe_output()
    try:
        code = func(*args)
    except PolicylintError as exc:
        click.echo(f"policylint: {exc}", err=True)
        sys.exit(2)
    sys.exit(code)
