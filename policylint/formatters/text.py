"""For people: clickable ``path:line:col`` findings, a checklist per file, one summary line."""
from __future__ import annotations

from typing import Any, TextIO

import click

from policylint import lang as _lang
from policylint.findings import FileReport, Severity, Status
from policylint.formatters import Summary, flagged, status_text

_SEVERITY_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_MARK = {Status.PRESENT: "\u2713", Status.MISSING: "\u2717", Status.VIOLATED: "!"}
_MARK_STYLE = {Status.PRESENT: "green", Status.MISSING: "red", Status.VIOLATED: "red"}


class Formatter:
    """Human-readable report; colour only when asked (the CLI decides from TTY and NO_COLOR)."""

    def __init__(self, stream: TextIO, color: bool = False, checklist: bool = True, **_: Any) -> None:
        self.stream = stream
        self.color = color
        self.checklist = checklist

    def _style(self, text: str, **style: Any) -> str:
        return click.style(text, **style) if self.color else text

    def _echo(self, text: str = "") -> None:
        self.stream.write(text + "\n")

    def file(self, report: FileReport) -> None:
        for f in report.findings:
            where = self._style(f"{report.path}:{f.line}:{f.column}:", bold=True)
            level = self._style(str(f.severity), fg=_SEVERITY_STYLE[f.severity], bold=True)
            self._echo(f"{where} {level} [{f.rule}] {f.message}")
            if f.hint:
                self._echo(self._style(f"    \u2192 {f.hint}", dim=True))
        if self.checklist and report.elements:
            self._checklist(report)

    def _checklist(self, report: FileReport) -> None:
        code = report.message_lang
        present = sum(e.status is Status.PRESENT for e in report.elements)
        heading = _lang.message(code, "checklist", present=present, total=len(report.elements))
        self._echo(self._style(report.path, bold=True) + f" ({report.lang}): {heading}")
        width = max(len(e.element) for e in report.elements)
        for e in report.elements:
            if flagged(report, e):
                mark = self._style("!", fg="yellow", bold=True)
            else:
                mark = self._style(_MARK[e.status], fg=_MARK_STYLE[e.status], bold=True)
            self._echo(f"  {mark} {e.element.ljust(width)}  {e.title} \u2014 {status_text(code, e)}")
        self._echo()

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}:" if line else f"{path}:"
        self._echo(f"{self._style(where, bold=True)} {self._style('error', fg='red', bold=True)} {message}")

    def finish(self, summary: Summary) -> None:
        code = next(iter(summary.languages)) if len(summary.languages) == 1 else "en"
        counts = summary.by_severity
        line = _lang.message(code, "summary", files=summary.files, errors=counts[Severity.ERROR],
                             warnings=counts[Severity.WARNING], info=counts[Severity.INFO])
        if summary.problems:
            line += " " + _lang.message(code, "summary-problems", problems=summary.problems)
        worst = Severity.ERROR if counts[Severity.ERROR] or summary.problems else (
            Severity.WARNING if counts[Severity.WARNING] else None)
        self._echo(self._style(line, fg=_SEVERITY_STYLE[worst] if worst else "green", bold=True))
