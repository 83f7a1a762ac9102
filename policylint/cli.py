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

# name -> "module:attribute" of a click command, loaded on first use.
LAZY_COMMANDS: dict[str, str] = {
    "review": "policylint.review:review",
    "init": "policylint.scaffold:init_command",
    "report": "policylint.report_html:report_command",
    "lsp": "policylint.lsp:lsp",
    "rules": "policylint.explain:rules_command",
    "explain": "policylint.explain:explain_command",
}


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
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "-f", "fmt", type=click.Choice(format_names()), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--message-lang", type=click.Choice(LANGS), default=None,
              help="Language of messages (default: each policy's own language).")
@click.option("--lang", "default_lang", type=click.Choice(LANGS), default=None,
              help="Language to assume when a policy has no `lang` and detection is unsure.")
@click.option("--select", metavar="RULES", default=None, help="Only these rules (comma-separated ids).")
@click.option("--ignore", metavar="RULES", default=None, help="Skip these rules (comma-separated ids).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Use this config file instead of searching for .policylint.yaml.")
@click.option("--isolated", is_flag=True, help="Ignore all config files.")
@click.option("--diff-base", metavar="REF", default=None,
              help="Only report what changed since the git revision REF: findings on added or changed lines, "
                   "plus missing elements and front matter problems of every changed file. "
                   "REF... compares with the merge base of REF and HEAD.")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: on a terminal, unless NO_COLOR is set).")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: str, fail_on: str, message_lang: str | None,
          default_lang: str | None, select: str | None, ignore: str | None, config_path: str | None,
          isolated: bool, diff_base: str | None, color: bool | None) -> None:
    """Lint policy files and folders (default: the current folder)."""
    from policylint.engine import LintOptions
    from policylint.progress import with_progress
    from policylint.runner import Settings, run

    given = {name for name in ("fail_on", "message_lang", "default_lang", "select", "ignore")
             if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE}
    settings = Settings(
        paths=list(paths) or ["."], format=fmt, fail_on=fail_on, color=use_color(color),
        default_lang=default_lang, config_path=config_path, isolated=isolated, explicit=frozenset(given),
        diff_base=diff_base,
        lint=LintOptions(message_lang=message_lang, select=_rules(select), ignore=_rules(ignore) or frozenset()),
    )
    exit_with(with_progress, run, settings)


def exit_with(func: Any, *args: Any) -> None:
    """Run a command body; user errors become exit 2 with one clear line, never a traceback."""
    try:
        code = func(*args)
    except PolicylintError as exc:
        click.echo(f"policylint: {exc}", err=True)
        sys.exit(2)
    sys.exit(code)
