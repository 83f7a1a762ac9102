"""Machine-readable report, documented by schemas/report.schema.json (``"version": 1``).

Written as the files come, so a run over many files holds one report at a time.
"""
from __future__ import annotations

import json
from typing import Any, TextIO

from policylint import __version__
from policylint.findings import FileReport, Finding, Severity, Status
from policylint.formatters import Summary

VERSION = 1


# Enum members as their JSON words, looked up rather than converted for every record.
_SEVERITY = {severity: str(severity) for severity in Severity}
_STATUS = {status: status.value for status in Status}


def finding_record(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule, "severity": _SEVERITY[f.severity], "line": f.line, "column": f.column,
        "end_line": f.end_line or f.line, "message": f.message, "hint": f.hint,
    }


def file_record(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "lang": report.lang,
        "elements": {
            e.element: {"status": _STATUS[e.status], "severity": _SEVERITY[e.severity], "line": e.line,
                        "evidence": e.evidence, "title": e.title}
            for e in report.elements
        },
        "findings": [finding_record(f) for f in report.findings],
    }


def render_file(report: FileReport) -> str:
    """One file's record, as the report holds it (made in a worker process by --jobs runs)."""
    return json.dumps(file_record(report), ensure_ascii=False)


class Formatter:
    """Streams ``{"version": 1, "files": [...], "errors": [...], "summary": {...}}``."""

    def __init__(self, stream: TextIO, color: bool = False, **_: Any) -> None:
        self.stream = stream
        self.count = 0
        self.errors: list[dict[str, Any]] = []
        stream.write('{"version": %d, "tool": %s, "files": [' % (
            VERSION, json.dumps({"name": "policylint", "version": __version__})))

    def file(self, report: FileReport) -> None:
        self.rendered(render_file(report))

    def rendered(self, text: str) -> None:
        """Write one file's record made by ``render_file`` (in a worker process, say)."""
        self.stream.write(("," if self.count else "") + "\n  " + text)
        self.count += 1

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.errors.append({"path": path, "line": line, "message": message})

    def finish(self, summary: Summary) -> None:
        totals = {
            "files": summary.files,
            "errors": summary.by_severity[Severity.ERROR],
            "warnings": summary.by_severity[Severity.WARNING],
            "info": summary.by_severity[Severity.INFO],
            "unreadable": summary.problems,
            "elements": {status.value: n for status, n in summary.by_status.items()},
        }
        self.stream.write("\n], \"errors\": %s, \"summary\": %s}\n" % (
            json.dumps(self.errors, ensure_ascii=False), json.dumps(totals)))
