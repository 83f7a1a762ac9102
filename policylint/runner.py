"""One lint run: discover files, lint each, feed a formatter, decide the exit code."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from policylint import cache, parallel, parse
from policylint.config import clear_caches, settings_for
from policylint.document import PolicyDocument
from policylint.engine import LintOptions, lint_document
from policylint.errors import PolicylintError
from policylint.files import FileFilter, PathNote, PathProblem, discover
from policylint.findings import FileReport, Severity
from policylint.formatters import Rendered, Summary, create, renderer
from policylint.ruleset import Ruleset, RulesetSpec, builtin_names, load
from policylint.ruleset import clear_cache as ruleset_cache_clear

if TYPE_CHECKING:
    from policylint.diff import Changes

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
# Called before each path is linted with (1-based index, number of paths, path).
ProgressHook = Callable[[int, int, str], None]
# What linting one discovered item comes to.
Result = FileReport | Rendered | PathProblem | PathNote | PolicylintError


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, however it was asked for (flags, config, tests).

    ``explicit`` names the fields given on the command line: config files do
    not override those. Per-file fields are resolved by config.settings_for.
    """

    paths: list[str] = field(default_factory=lambda: ["."])
    format: str = "text"
    fail_on: str = "error"
    color: bool = False
    default_lang: str | None = None
    ruleset: RulesetSpec | str | None = None
    rulesets: dict[str, RulesetSpec] = field(default_factory=dict)  # by front matter `kind:`
    diff_base: str | None = None  # git revision: report only what changed since
    lint: LintOptions = field(default_factory=LintOptions)
    config_path: str | None = None
    isolated: bool = False
    include: tuple[str, ...] | list[str] = ("*.md", "*.markdown")
    exclude: tuple[str, ...] | list[str] = ()
    respect_gitignore: bool = True
    filter_root: str | None = None  # folder the include/exclude globs are relative to
    explicit: frozenset[str] = frozenset()
    jobs: int | None = None  # processes; None: every CPU when there are enough files
    # Larger files are refused with a message (exit 2 for them); None or 0 for no limit.
    max_file_size: int | None = parse.DEFAULT_MAX_FILE_SIZE
    cache: bool = True  # reuse reports of unchanged files (see cache.py)
    cache_dir: str | None = None  # default: POLICYLINT_CACHE_DIR, else .policylint_cache in the current folder


def choose_ruleset(doc: PolicyDocument, settings: Settings) -> Ruleset:
    """The ruleset for a document: by its front matter `kind:` when one is configured or built in."""
    fm = doc.front_matter
    kind = fm.data.get("kind") if fm is not None and isinstance(fm.data, dict) else None
    if isinstance(kind, str) and kind:
        if kind in settings.rulesets:
            return load(settings.rulesets[kind])
        if kind in builtin_names():
            return load(kind)
    return load(settings.ruleset)


def lint_file(path: str, settings: Settings) -> FileReport:
    """Lint one file with the settings that apply to it; raises PolicylintError when it cannot be read.

    With the cache on, a file whose bytes, settings, rulesets and policylint are
    all unchanged since a run stored its report gets that report back.
    """
    settings = settings_for(path, settings)
    data = parse.read_bytes(path, settings.max_file_size or None)
    store = cache.folder(settings)
    entry = cache.key(path, data, settings) if store is not None else ""
    if store is not None:
        stored = cache.get(store, entry)
        if stored is not None:
            return stored
    doc = parse.parse(parse.decode(data, path), path, settings.default_lang)
    report = lint_document(doc, choose_ruleset(doc, settings), settings.lint)
    if store is not None:
        cache.put(store, entry, report)
    return report


def lint_item(item: str | PathProblem | PathNote, settings: Settings, changes: Changes | None = None,
              render: Callable[[FileReport], str] | None = None) -> Result | None:
    """The outcome for one discovered item (None: not part of the change); module-level so
    worker processes can run it. With ``render``, a report comes back rendered."""
    if isinstance(item, (PathProblem, PathNote)):
        return item
    if changes is not None and item not in changes:
        return None
    try:
        report = lint_file(item, settings)
        if changes is not None:
            report = changes.restrict(report)
        return report if render is None else Rendered.of(report, render)
    except PolicylintError as exc:
        exc.__traceback__ = None  # a report entry, not a crash: keep no frames alive
        return exc
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other files
        return PolicylintError(f"could not be linted: internal error ({type(exc).__name__}: {exc}); "
                               "please report this with the file", item)


def iter_reports(paths: Iterable[str], settings: Settings, project: Settings | None = None,
                 changes: Changes | None = None, progress: ProgressHook | None = None,
                 render: Callable[[FileReport], str] | None = None) -> Generator[Result, None, None]:
    """Reports in path order whatever the number of processes; unreadable files become problems.

    ``settings`` are the command line's: each file adds the config that governs
    it. ``project`` (the current folder's config applied) decides which files
    and how many processes. With ``changes``, files not among them are skipped
    and each report keeps only what the change is answerable for. With ``render``
    (``formatters.renderer``), reports linted by worker processes come back rendered.
    """
    project = project or project_settings(settings)
    found: Iterable[str | PathProblem | PathNote] = discover(list(paths), FileFilter.from_settings(project))
    items: list[str | PathProblem | PathNote] = []
    if progress is not None:
        # Progress shows a total, so it needs every path up front; otherwise the files
        # found first are linted while the rest of the tree is still being walked.
        items = list(found)
        found = items
    workers, chunk_size, stream = parallel.plan(project.jobs or None, found)  # 0 in a config: automatic
    if workers == 1:
        results: Iterator[Result | None] = (lint_item(item, settings, changes) for item in stream)
    else:
        results = parallel.map_ordered(lint_item, (settings, changes, render), stream, workers, chunk_size)
    try:
        for index, result in enumerate(results, 1):
            if progress is not None:
                item = items[index - 1]
                progress(index, len(items), item.path if isinstance(item, (PathProblem, PathNote)) else item)
            if result is not None:
                yield result
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops worker processes at once on an error or Ctrl-C


def project_settings(settings: Settings) -> Settings:
    """Run-wide settings: the command line over the config that governs the current folder."""
    resolved: Settings = settings_for(os.getcwd(), settings)
    return resolved


def run(settings: Settings, stream: TextIO | None = None, progress: ProgressHook | None = None) -> int:
    """Lint ``settings.paths``, write the report to ``stream``, return the exit code."""
    stream = stream or sys.stdout
    # A run starts from the files as they are now: configs, rulesets and the cache's fingerprints.
    clear_caches()
    ruleset_cache_clear()
    cache.clear_memory()
    project = project_settings(settings)
    changes = None
    if settings.diff_base is not None:
        from policylint import diff

        # Before any output, so a git problem leaves no half-written report behind.
        changes = diff.since(settings.diff_base, settings.paths)
    # Formats that describe the rules (SARIF) load the same ruleset, only when they need it.
    formatter = create(settings.format, stream, color=settings.color, ruleset=project.ruleset)
    summary = Summary()
    worst: Severity | None = None
    reports = iter_reports(settings.paths, settings, project, changes, progress, renderer(settings.format))
    try:
        for item in reports:
            if isinstance(item, (FileReport, Rendered)):
                summary.add(item)
                if isinstance(item, Rendered):
                    formatter.rendered(item.text)  # type: ignore[attr-defined]
                else:
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
    finally:
        reports.close()  # stops worker processes at once on an error or Ctrl-C
    formatter.finish(summary)
    if summary.problems:
        return EXIT_ERROR
    if project.fail_on != "never" and worst is not None and worst >= Severity.parse(project.fail_on):
        return EXIT_FINDINGS
    return EXIT_CLEAN
