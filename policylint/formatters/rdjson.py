"""reviewdog's Diagnostic Format: one DiagnosticResult document (``rdjsonl.py`` writes one Diagnostic a line).

reviewdog counts columns in UTF-8 bytes (``proto/rdf/reviewdog.proto``) where
policylint counts characters, so each finding's column is converted using the
line it is on: after a Dutch "ë" (two bytes) the byte column is one higher.
A range runs from the finding's column to the end of its last line.
"""
from __future__ import annotations

import json
from typing import Any, TextIO

from policylint.findings import FileReport, Severity
from policylint.formatters import Summary
from policylint.formatters._ci import UNREADABLE, byte_column, full_message, read_lines, repo_path

SEVERITY = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}
SOURCE = {"name": "policylint"}


def diagnostics(report: FileReport) -> list[dict[str, Any]]:
    """reviewdog Diagnostics for every finding of one file."""
    if not report.findings:
        return []
    lines = read_lines(report.path)
    path = repo_path(report.path)
    result = []
    for f in report.findings:
        end_line = f.end_line or f.line
        if lines is not None and 1 <= f.line <= end_line <= len(lines):
            end_text = lines[end_line - 1]
            range_ = {"start": {"line": f.line, "column": byte_column(lines[f.line - 1], f.column)},
                      "end": {"line": end_line, "column": byte_column(end_text, len(end_text) + 1)}}
        else:
            # The file changed or vanished since it was linted: whole lines need no columns.
            range_ = {"start": {"line": f.line}, "end": {"line": end_line}}
        result.append({
            "message": full_message(f),
            "location": {"path": path, "range": range_},
            "severity": SEVERITY[f.severity],
            "source": SOURCE,
            "code": {"value": f.rule},
        })
    return result


def problem_diagnostic(path: str, message: str, line: int | None) -> dict[str, Any]:
    """A path that could not be linted, as an ERROR diagnostic."""
    location: dict[str, Any] = {"path": repo_path(path) if path else ""}
    if line:
        location["range"] = {"start": {"line": line}}
    return {"message": message, "location": location, "severity": "ERROR", "source": SOURCE,
            "code": {"value": UNREADABLE}}


class Formatter:
    """Streams ``{"source": ..., "diagnostics": [...]}``, one file at a time."""

    def __init__(self, stream: TextIO, color: bool = False, **_: Any) -> None:
        self.stream = stream
        self.count = 0
        self.start()

    def start(self) -> None:
        self.stream.write('{"source": %s, "diagnostics": [' % json.dumps(SOURCE))

    def emit(self, diagnostic: dict[str, Any]) -> None:
        self.stream.write(("," if self.count else "") + "\n  " + json.dumps(diagnostic, ensure_ascii=False))
        self.count += 1

    def file(self, report: FileReport) -> None:
        for diagnostic in diagnostics(report):
            self.emit(diagnostic)

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.emit(problem_diagnostic(path, message, line))

    def finish(self, summary: Summary) -> None:
        self.stream.write("\n]}\n")
