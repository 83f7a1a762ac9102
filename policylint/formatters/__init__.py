"""Output formats. Each is a module with a ``Formatter`` class; all read the same records.

A formatter is fed one FileReport at a time (``file``), any path it could not
lint (``problem``), then the run's totals (``finish``), so output can stream and
a run over thousands of files need not hold them all.
"""
from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from policylint.findings import ElementResult, FileReport, Severity, Status

# name -> module; modules are imported only when their format is asked for.
FORMATS: dict[str, str] = {
    "text": "policylint.formatters.text",
    "json": "policylint.formatters.json",
    "github": "policylint.formatters.github",
    "sarif": "policylint.formatters.sarif",
    "rdjson": "policylint.formatters.rdjson",
    "rdjsonl": "policylint.formatters.rdjsonl",
    "gitlab": "policylint.formatters.gitlab",
    "junit": "policylint.formatters.junit",
    "html": "policylint.report_html",  # the page of `policylint report --html`
}


@dataclass
class Summary:
    """Totals of one run."""

    files: int = 0
    problems: int = 0  # paths that could not be linted
    by_severity: dict[Severity, int] = field(default_factory=lambda: {s: 0 for s in Severity})
    by_status: dict[Status, int] = field(default_factory=lambda: {s: 0 for s in Status})
    languages: set[str] = field(default_factory=set)

    def add(self, report: FileReport | Rendered) -> None:
        self.files += 1
        self.languages.add(report.message_lang)
        if isinstance(report, Rendered):
            for severity, count in report.by_severity:
                self.by_severity[severity] += count
            for status, count in report.by_status:
                self.by_status[status] += count
            return
        for finding in report.findings:
            self.by_severity[finding.severity] += 1
        for element in report.elements:
            self.by_status[element.status] += 1


@dataclass(frozen=True)
class Rendered:
    """One file's report as its format writes it, made in a worker process, and the totals
    the run needs from it: a string crosses between processes far more cheaply than the
    report's objects, and the main process only writes it."""

    path: str
    text: str
    message_lang: str
    worst: Severity | None
    by_severity: tuple[tuple[Severity, int], ...]
    by_status: tuple[tuple[Status, int], ...]

    @classmethod
    def of(cls, report: FileReport, render: Callable[[FileReport], str]) -> Rendered:
        severities = Counter(finding.severity for finding in report.findings)
        statuses = Counter(element.status for element in report.elements)
        return cls(report.path, render(report), report.message_lang, report.worst,
                   tuple(severities.items()), tuple(statuses.items()))


def flagged(report: FileReport, element: ElementResult) -> bool:
    """A present element that still carries a warning of its own (a blanket ban, say): shown as "!"."""
    return (element.status is Status.PRESENT and element.severity < Severity.ERROR and bool(element.line)
            and any(f.rule == element.element and f.severity == element.severity and f.line == element.line
                    for f in report.findings))


def status_text(code: str, element: ElementResult) -> str:
    """Where an element stands, in words of the message language ("line 12", "missing")."""
    from policylint import lang as _lang

    if element.status is Status.MISSING:
        return _lang.message(code, "status-missing")
    if element.line:
        return _lang.message(code, f"status-{element.status.value}", line=element.line)
    return _lang.message(code, "status-present-nowhere")


class Formatter(Protocol):
    def __init__(self, stream: TextIO, color: bool = False, **options: Any) -> None: ...
    def file(self, report: FileReport) -> None: ...
    def problem(self, path: str, message: str, line: int | None = None) -> None: ...
    def finish(self, summary: Summary) -> None: ...


def renderer(name: str) -> Callable[[FileReport], str] | None:
    """The function rendering one file in format ``name``, when the format writes each file
    on its own: its module has ``render_file(report) -> str``, and its Formatter then takes
    ``rendered(text)``. Formats that need the whole run (SARIF, HTML) have none."""
    module = importlib.import_module(FORMATS[name])
    render: Callable[[FileReport], str] | None = getattr(module, "render_file", None)
    return render


def create(name: str, stream: TextIO, color: bool = False, **options: Any) -> Formatter:
    """A formatter instance for the format ``name``."""
    module = importlib.import_module(FORMATS[name])
    formatter: Formatter = module.Formatter(stream, color=color, **options)
    return formatter
