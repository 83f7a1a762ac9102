"""One lint run: discover files, lint each, feed a formatter, decide the exit code."""
from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from policylint import parse
from policylint.engine import LintOptions, lint_document
from policylint.errors import PolicylintError
from policylint.files import PathNote, PathProblem, discover
from policylint.findings import FileReport, Severity
from policylint.formatters import Summary, create
from policylint.ruleset import Ruleset, load

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")


@dataclass
class Settings:
    """Everything a run needs, however it was asked for (flags, config, tests)."""

    paths: list[str] = field(default_factory=lambda: ["."])
    format: str = "text"
    fail_on: str = "error"
    color: bool = False
    default_lang: str | None = None
    ruleset: str | None = None
    lint: LintOptions = field(default_factory=LintOptions)
    # Larger files are refused with a message (exit 2 for them); None or 0 for no limit.
    max_file_size: int | None = parse.DEFAULT_MAX_FILE_SIZE


def lint_file(path: str, ruleset: Ruleset, settings: Settings) -> FileReport:
    """Lint one file; raises PolicylintError when it cannot be read."""
    doc = parse.read(path, settings.default_lang, settings.max_file_size)
    return lint_document(doc, ruleset, settings.lint)


def iter_reports(paths: Iterable[str], ruleset: Ruleset, settings: Settings
                 ) -> Iterable[FileReport | PathProblem | PathNote | PolicylintError]:
    """Reports in path order; unreadable files become problems, never exceptions."""
    for item in discover(list(paths)):
        if isinstance(item, (PathProblem, PathNote)):
            yield item
            continue
        try:
            yield lint_file(item, ruleset, settings)
        except PolicylintError as exc:
            yield exc
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the other files
            yield PolicylintError(f"could not be linted: internal error ({type(exc).__name__}: {exc}); "
                                  "please report this with the file", item)


def run(settings: Settings, stream: TextIO | None = None) -> int:
    """Lint ``settings.paths``, write the report to ``stream``, return the exit code."""
    stream = stream or sys.stdout
    ruleset = load(settings.ruleset)
    formatter = create(settings.format, stream, color=settings.color)
    summary = Summary()
    worst: Severity | None = None
    for item in iter_reports(settings.paths, ruleset, settings):
        if isinstance(item, FileReport):
            summary.add(item)
            formatter.file(item)
            if item.worst is not None and (worst is None or item.worst > worst):
                worst = item.worst
        elif isinstance(item, PathProblem):
            summary.problems += 1
            formatter.problem(item.path, item.message)
        elif isinstance(item, PathNote):
            # Not an error and not part of any report format: a word on stderr.
            print(f"policylint: {item.path}: {item.message}", file=sys.stderr)
        else:
            summary.problems += 1
            formatter.problem(item.path or "", item.message, item.line)
    formatter.finish(summary)
    if summary.problems:
        return EXIT_ERROR
    if settings.fail_on != "never" and worst is not None and worst >= Severity.parse(settings.fail_on):
        return EXIT_FINDINGS
    return EXIT_CLEAN
