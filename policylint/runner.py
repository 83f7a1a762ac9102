"""One lint run: discover files, lint each, feed a formatter, decide the exit code."""
from __future__ import annotations

import sys
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from policylint import parallel, parse
from policylint.engine import LintOptions, lint_document
from policylint.errors import PolicylintError
from policylint.files import PathProblem, discover
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
    jobs: int | None = None  # processes; None: every CPU when there are enough files


def lint_file(path: str, ruleset: Ruleset, settings: Settings) -> FileReport:
    """Lint one file; raises PolicylintError when it cannot be read."""
    doc = parse.read(path, settings.default_lang)
    return lint_document(doc, ruleset, settings.lint)


def lint_item(item: str | PathProblem, ruleset: Ruleset, settings: Settings
              ) -> FileReport | PathProblem | PolicylintError:
    """The outcome for one discovered item; module-level so worker processes can run it."""
    if isinstance(item, PathProblem):
        return item
    try:
        return lint_file(item, ruleset, settings)
    except PolicylintError as exc:
        exc.__traceback__ = None  # a report entry, not a crash: keep no frames alive
        return exc


def iter_reports(paths: Iterable[str], ruleset: Ruleset, settings: Settings
                 ) -> Generator[FileReport | PathProblem | PolicylintError, None, None]:
    """Reports in path order whatever ``settings.jobs``; unreadable files become problems."""
    workers, chunk_size, items = parallel.plan(settings.jobs, discover(list(paths)))
    if workers == 1:
        for item in items:
            yield lint_item(item, ruleset, settings)
    else:
        yield from parallel.map_ordered(lint_item, (ruleset, settings), items, workers, chunk_size)


def run(settings: Settings, stream: TextIO | None = None) -> int:
    """Lint ``settings.paths``, write the report to ``stream``, return the exit code."""
    stream = stream or sys.stdout
    ruleset = load(settings.ruleset)
    formatter = create(settings.format, stream, color=settings.color)
    summary = Summary()
    worst: Severity | None = None
    reports = iter_reports(settings.paths, ruleset, settings)
    try:
        for item in reports:
            if isinstance(item, FileReport):
                summary.add(item)
                formatter.file(item)
                if item.worst is not None and (worst is None or item.worst > worst):
                    worst = item.worst
            elif isinstance(item, PathProblem):
                summary.problems += 1
                formatter.problem(item.path, item.message)
            else:
                summary.problems += 1
                formatter.problem(item.path or "", item.message, item.line)
    finally:
        reports.close()  # stops worker processes at once on an error or Ctrl-C
    formatter.finish(summary)
    if summary.problems:
        return EXIT_ERROR
    if settings.fail_on != "never" and worst is not None and worst >= Severity.parse(settings.fail_on):
        return EXIT_FINDINGS
    return EXIT_CLEAN
