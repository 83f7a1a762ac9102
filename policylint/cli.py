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

LANGS = ("en", "fr", "nl")  # kept literal so --help needs no data files; a test checks it against lang.available()
EXIT_INTERRUPTED = 130  # what shells report for a command stopped by Ctrl-C (128 + SIGINT)

# name -> "module:attribute" of a click command, loaded on first use.
LAZY_COMMANDS: dict[str, str] = {
    "review": "policylint.review:review",
    "init": "policylint.scaffold:init_command",
    "report": "policylint.report_html:report_command",
    "lsp": "policylint.lsp:lsp",
    "rules": "policylint.explain:rules_command",
    "explain": "policylint.explain:explain_command",
}
# One line per lazy command for `policylint --help` (a test keeps it equal to each command's own).
LAZY_HELP: dict[str, str] = {
    "review": "Comment on a GitHub pull request: the findings on its changed lines, and a checklist per policy.",
    "init": "Start a new policy from a template.",
    "report": "Write a self-contained HTML coverage report for HR and management.",
    "lsp": "Language server for editors (LSP over stdio).",
    "rules": "List the rules: elements of the ruleset and the other checks.",
    "explain": "Explain one rule: why it matters, what counts as evidence, a good example.",
}


class LazyGroup(click.Group):
    """A click group whose subcommands live in modules imported on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # `policylint --help` lists every command; the lazy ones show their summary
        # from LAZY_HELP instead of being imported just for one line of help.
        rows = []
        for name in self.list_commands(ctx):
            summary = LAZY_HELP.get(name)
            if summary is None:
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str(limit=formatter.width) if command else ""
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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


# Options several commands share, defined once so that they read and behave alike.
fail_on_option = click.option(
    "--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error", show_default=True,
    help="Exit 1 when a finding is at or above this severity.")
message_lang_option = click.option(
    "--message-lang", type=click.Choice(LANGS), default=None,
    help="Language of messages (default: each policy's own language).")
lang_option = click.option(
    "--lang", "default_lang", type=click.Choice(LANGS), default=None,
    help="Language to assume when a policy has no `lang` and detection is unsure.")
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Use this config file instead of searching for .policylint.yaml.")
isolated_option = click.option("--isolated", is_flag=True, help="Ignore all config files.")


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


def _rules(value: str | None) -> frozenset[str] | None:
    return frozenset(r.strip() for r in value.split(",") if r.strip()) if value else None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--format", "-f", "fmt", type=click.Choice(format_names()), default="text", show_default=True,
              help="Output format.")
@fail_on_option
@message_lang_option
@lang_option
@click.option("--select", metavar="RULES", default=None, help="Only these rules (comma-separated ids).")
@click.option("--ignore", metavar="RULES", default=None, help="Skip these rules (comma-separated ids).")
@config_option
@isolated_option
@click.option("--diff-base", metavar="REF", default=None,
              help="Only report what changed since the git revision REF: findings on added or changed lines, "
                   "plus missing elements and front matter problems of every changed file. "
                   "REF... compares with the merge base of REF and HEAD.")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: on a terminal, unless NO_COLOR is set).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Lint on N processes (default: one per CPU when there are 50 files or more). "
                   "The output is the same for every N.")
@click.option("--max-file-size", type=ByteSize(), default="5MB", show_default=True,
              help="Skip (with an error) files larger than this, e.g. 10MB; 0 for no limit.")
@click.option("--no-cache", is_flag=True,
              help="Lint every file again instead of reusing the stored reports of unchanged files.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Where stored reports go (default: $POLICYLINT_CACHE_DIR, else .policylint_cache).")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: str, fail_on: str, message_lang: str | None,
          default_lang: str | None, select: str | None, ignore: str | None, config_path: str | None,
          isolated: bool, diff_base: str | None, color: bool | None, jobs: int | None, max_file_size: int,
          no_cache: bool, cache_dir: str | None) -> None:
    """Lint policy files and folders (default: the current folder)."""
    from policylint.engine import LintOptions
    from policylint.progress import with_progress
    from policylint.runner import Settings, run

    given = {name for name in ("fail_on", "message_lang", "default_lang", "select", "ignore", "jobs",
                               "max_file_size")
             if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE}
    settings = Settings(
        paths=list(paths) or ["."], format=fmt, fail_on=fail_on, color=use_color(color),
        default_lang=default_lang, config_path=config_path, isolated=isolated, explicit=frozenset(given),
        diff_base=diff_base, jobs=jobs, max_file_size=max_file_size or None, cache=not no_cache, cache_dir=cache_dir,
        lint=LintOptions(message_lang=message_lang, select=_rules(select), ignore=_rules(ignore) or frozenset()),
    )
    exit_with(with_progress, run, settings)


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
    except KeyboardInterrupt:
        # Workers are already stopped (runner closes its reports); a traceback would only scare.
        click.echo("\npolicylint: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code)


def entry() -> None:
    """The console script: run the command, then end the process without tearing Python down.

    Freeing every module and object at exit takes ~17 ms, more than a tenth of a
    one-file pre-commit run. Everything policylint writes is closed by the time a
    command returns (reports are streamed and flushed, files are written and renamed
    atomically, worker processes are stopped), so, as mypy does, the process ends
    with ``os._exit`` once stdout and stderr are flushed. Tests and library callers
    use ``main``, which exits normally.
    """
    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # SystemExit("message"): Python prints it and exits 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that closed the pipe early, or a closed stream
            pass
    os._exit(code)
