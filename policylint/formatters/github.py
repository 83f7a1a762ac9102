"""GitHub Actions: one workflow command per finding (an annotation on the pull request), then the text report.

GitHub shows only the first few annotations of a step, so the full text report
follows the annotations in the log. Commands look like::

    ::error file=beleid.md,line=10,endLine=10,col=1,title=policylint%3A contact-person::Er is geen ...
"""
from __future__ import annotations

import hashlib
import io
from typing import Any, TextIO

from policylint.findings import FileReport, Severity
from policylint.formatters import Summary
from policylint.formatters import text as _text
from policylint.formatters._ci import full_message, repo_path

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message the way the Actions runner unescapes it."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property (file, title): like data, plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line, e.g. ``::error file=a.md,line=3::message``."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


class Formatter:
    """Annotations as files come; the text report, kept aside until then, at the end."""

    def __init__(self, stream: TextIO, color: bool = False, **options: Any) -> None:
        self.stream = stream
        self.report = io.StringIO()
        # The log is plain text: colour codes would show as garbage in the annotations' step.
        self.text = _text.Formatter(self.report, color=False, **options)

    def file(self, report: FileReport) -> None:
        path = repo_path(report.path)
        for f in report.findings:
            self.stream.write(command(
                COMMAND[f.severity], full_message(f), file=path, line=f.line,
                endLine=f.end_line or f.line, col=f.column, title=f"policylint: {f.rule}",
            ) + "\n")
        self.text.file(report)

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.stream.write(command("error", message, file=repo_path(path) if path else None, line=line,
                                  title="policylint") + "\n")
        self.text.problem(path, message, line)

    def finish(self, summary: Summary) -> None:
        self.text.finish(summary)
        report = self.report.getvalue()
        # The report quotes what authors wrote (front matter values, file names); a line of it
        # starting with "::" must not become a command. The token is a hash of the report, so
        # nothing in the report can contain it, and the output stays the same from run to run.
        token = "policylint-" + hashlib.sha256(report.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        self.stream.write(f"::stop-commands::{token}\n{report}::{token}::\n")
