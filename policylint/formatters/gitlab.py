"""GitLab Code Quality: the JSON array a job publishes as ``artifacts:reports:codequality``.

Each finding is an object with GitLab's documented fields: ``description``,
``check_name``, ``fingerprint``, ``severity`` and ``location.path`` /
``location.lines.begin``. GitLab compares fingerprints between the merge request
and its target branch, so they identify a finding by its rule, file and
sentence (or message), never by its line: moving text is not a new finding.

Severity: error -> critical, warning -> minor, info -> info. An error is a
required element a policy lacks, which GitLab's widget should put near the top,
but "blocker" is kept for what GitLab means by it (the build cannot go on):
that is the exit code's job, not the report's.
"""
from __future__ import annotations

import json
from typing import Any, TextIO

from policylint.findings import FileReport, Severity
from policylint.formatters import Summary
from policylint.formatters._ci import UNREADABLE, fingerprint, fingerprints, full_message, repo_path

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


class Formatter:
    """Streams the array, one file at a time."""

    def __init__(self, stream: TextIO, color: bool = False, **_: Any) -> None:
        self.stream = stream
        self.count = 0
        stream.write("[")

    def emit(self, issue: dict[str, Any]) -> None:
        self.stream.write(("," if self.count else "") + "\n  " + json.dumps(issue, ensure_ascii=False))
        self.count += 1

    def file(self, report: FileReport) -> None:
        path = repo_path(report.path)
        for f, fp in zip(report.findings, fingerprints(path, report.findings), strict=True):
            self.emit({
                # One line in GitLab's widget: the hint follows the message after a space.
                "description": full_message(f, " "),
                "check_name": f.rule,
                "fingerprint": fp,
                "severity": SEVERITY[f.severity],
                "location": {"path": path, "lines": {"begin": f.line}},
            })

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        shown = repo_path(path) if path else ""
        self.emit({
            "description": message,
            "check_name": UNREADABLE,
            "fingerprint": fingerprint(UNREADABLE, shown, message),
            "severity": SEVERITY[Severity.ERROR],
            "location": {"path": shown, "lines": {"begin": line or 1}},
        })

    def finish(self, summary: Summary) -> None:
        self.stream.write("\n]\n" if self.count else "]\n")
