"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run, every rule described.

Results are located relative to ``%SRCROOT%`` (the folder policylint ran in),
columns count characters (``columnKind: unicodeCodePoints``), and each result
has a ``partialFingerprints`` entry that does not change when its text moves to
other lines. Paths that could not be linted are tool execution notifications.
"""
from __future__ import annotations

import json
import os
import pathlib
from typing import Any, TextIO
from urllib.parse import quote

from policylint import __version__
from policylint.findings import FileReport, Severity
from policylint.formatters import Summary
from policylint.formatters._ci import fingerprints, full_message, repo_path

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/policylint/"
FINGERPRINT = "policylint/v1"
SRCROOT = "%SRCROOT%"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(path: str) -> dict[str, str]:
    """A file as SARIF locates it: a relative URI under %SRCROOT%, or a file: URI outside it."""
    relative = repo_path(path)
    if os.path.isabs(relative):
        return {"uri": pathlib.Path(relative).as_uri()}
    # Percent-encode everything but "/": spaces, "%", ":" (which would read as a URI scheme), "ë".
    # A file name that is not UTF-8 keeps its own bytes, as the OS gave them (surrogateescape).
    return {"uri": quote(relative, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def rule_name(rule_id: str) -> str:
    """SARIF's ``name`` is an identifier: ``contact-person`` becomes ``ContactPerson``."""
    return "".join(part[:1].upper() + part[1:] for part in rule_id.replace("/", "-").split("-"))


def rule_descriptors(ruleset_path: str | None, code: str) -> list[dict[str, Any]]:
    """Metadata of every rule a run can report: the ruleset's elements, then the front matter rules."""
    from policylint import lang as _lang
    from policylint.frontmatter import RULES
    from policylint.ruleset import load

    rules: list[dict[str, Any]] = []
    for element in load(ruleset_path).elements:
        texts = element.text(code)
        short = texts.summary or texts.title
        help_text = "\n\n".join(t for t in (texts.looked_for, texts.hint) if t) or short
        rules.append({
            "id": element.id,
            "name": rule_name(element.id),
            "shortDescription": {"text": short},
            "fullDescription": {"text": texts.why or short},
            "help": {"text": help_text},
            "defaultConfiguration": {"level": LEVEL[element.severity]},
            "properties": {"title": texts.title, "required": element.required,
                           "tags": ["policy", "required" if element.required else "recommended"]},
        })
    for rule_id, severity in RULES.items():
        rules.append({
            "id": rule_id,
            "name": rule_name(rule_id),
            "shortDescription": {"text": _lang.message(code, f"rule-{rule_id}")},
            "help": {"text": _lang.message(code, "rule-frontmatter-help")},
            "defaultConfiguration": {"level": LEVEL[severity]},
            "properties": {"tags": ["front-matter"]},
        })
    return rules


class Formatter:
    """Collects results as files come and writes one SARIF log at the end."""

    def __init__(self, stream: TextIO, color: bool = False, ruleset: str | None = None, **_: Any) -> None:
        self.stream = stream
        self.ruleset = ruleset
        self.results: list[tuple[str, dict[str, Any]]] = []  # (rule id, the rest of the result)
        self.notifications: list[dict[str, Any]] = []
        self.languages: set[str] = set()

    def file(self, report: FileReport) -> None:
        self.languages.add(report.message_lang)
        location = artifact_location(report.path)
        path = repo_path(report.path)
        for f, fp in zip(report.findings, fingerprints(path, report.findings), strict=True):
            self.results.append((f.rule, {
                "level": LEVEL[f.severity],
                "message": {"text": full_message(f)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": location,
                    "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line or f.line},
                }}],
                "partialFingerprints": {FINGERPRINT: fp},
            }))

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        notification: dict[str, Any] = {"level": "error", "message": {"text": message}}
        if path:
            physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
            if line:
                physical["region"] = {"startLine": line}
            notification["locations"] = [{"physicalLocation": physical}]
        self.notifications.append(notification)

    def finish(self, summary: Summary) -> None:
        # Rule texts in the run's message language; English when files were reported in several.
        code = next(iter(self.languages)) if len(self.languages) == 1 else "en"
        rules = rule_descriptors(self.ruleset, code)
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        results = []
        for rule_id, rest in self.results:
            if rule_id not in index:  # a rule from outside the ruleset: describe it minimally
                index[rule_id] = len(rules)
                rules.append({"id": rule_id, "name": rule_name(rule_id), "shortDescription": {"text": rule_id}})
            results.append({"ruleId": rule_id, "ruleIndex": index[rule_id], **rest})
        invocation: dict[str, Any] = {"executionSuccessful": not self.notifications}
        if self.notifications:
            invocation["toolExecutionNotifications"] = self.notifications
        run: dict[str, Any] = {
            "tool": {"driver": {"name": "policylint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
        }
        if len(self.languages) == 1:
            run["language"] = code
        run["results"] = results
        log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        self.stream.write(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
