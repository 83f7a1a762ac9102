"""JUnit XML, so a CI test tab reads as a checklist: one test suite per file, one test case per element.

Every element is a test case, passing ones included. A missing or violated
element fails, and so does a present one with a warning (a blanket ban on use
during working hours); tips (info) on a passing element go to its
``system-out``. The front matter is one more test case per file, and a path
that could not be linted is a suite with one erroring case.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, TextIO

from policylint import lang as _lang
from policylint.findings import FileReport, Finding, Severity, Status
from policylint.formatters import Summary
from policylint.formatters._ci import UNREADABLE, worst

# Characters XML 1.0 cannot carry at all, not even escaped (control characters, lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
FRONTMATTER = "frontmatter"


def xml_text(value: str) -> str:
    """``value`` with characters XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def finding_text(path: str, f: Finding) -> str:
    """A finding as the text report prints it: ``path:line:col: severity [rule] message``."""
    text = f"{path}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}"
    return text + (f"\n    \u2192 {f.hint}" if f.hint else "")


class Formatter:
    """Builds the document as files come and writes it at the end."""

    def __init__(self, stream: TextIO, color: bool = False, **_: Any) -> None:
        self.stream = stream
        self.root = ET.Element("testsuites", name="policylint")
        self.totals = {"tests": 0, "failures": 0, "errors": 0}

    def _suite(self, path: str) -> ET.Element:
        return ET.SubElement(self.root, "testsuite", name=xml_text(path))

    def _case(self, suite: ET.Element, path: str, name: str, findings: list[Finding], failed: bool,
              line: int | None = None) -> None:
        case = ET.SubElement(suite, "testcase", classname=xml_text(path), name=xml_text(name), file=xml_text(path))
        line = findings[0].line if findings else line
        if line:
            case.set("line", str(line))
        text = xml_text("\n".join(finding_text(path, f) for f in findings))
        if failed:
            severity = worst(findings) or Severity.ERROR
            # The message of the finding that fails the case, not of a tip that happens to come first.
            main = next((f.message for f in findings if f.severity == severity), name)
            failure = ET.SubElement(case, "failure", type=str(severity), message=xml_text(main))
            failure.text = text
        elif findings:
            ET.SubElement(case, "system-out").text = text

    def file(self, report: FileReport) -> None:
        path = report.path
        suite = self._suite(path)
        by_rule: dict[str, list[Finding]] = {}
        for f in report.findings:
            by_rule.setdefault(FRONTMATTER if f.rule.startswith(FRONTMATTER + "/") else f.rule, []).append(f)
        tests = failures = 0
        for element in report.elements:
            findings = by_rule.pop(element.element, [])
            failed = element.status is not Status.PRESENT or any(f.severity >= Severity.WARNING for f in findings)
            self._case(suite, path, f"{element.element}: {element.title}", findings, failed, element.line)
            tests, failures = tests + 1, failures + failed
        front = by_rule.pop(FRONTMATTER, [])
        failed = any(f.severity >= Severity.WARNING for f in front)
        title = _lang.message(report.message_lang, "frontmatter-title")
        self._case(suite, path, f"{FRONTMATTER}: {title}", front, failed)
        tests, failures = tests + 1, failures + failed
        # Rules that are neither an element nor front matter (none today) still get reported.
        for rule, findings in by_rule.items():
            failed = any(f.severity >= Severity.WARNING for f in findings)
            self._case(suite, path, rule, findings, failed)
            tests, failures = tests + 1, failures + failed
        self._count(suite, tests, failures, 0)

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        suite = self._suite(path)
        case = ET.SubElement(suite, "testcase", classname=xml_text(path), name=UNREADABLE, file=xml_text(path))
        where = f"{path}:{line}:" if line else f"{path}:"
        ET.SubElement(case, "error", type="error", message=xml_text(message)).text = xml_text(f"{where} {message}")
        self._count(suite, 1, 0, 1)

    def _count(self, element: ET.Element, tests: int, failures: int, errors: int) -> None:
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
        element.set("skipped", "0")
        self.totals["tests"] += tests
        self.totals["failures"] += failures
        self.totals["errors"] += errors

    def finish(self, summary: Summary) -> None:
        for key, value in self.totals.items():
            self.root.set(key, str(value))
        ET.indent(self.root)
        document = ET.tostring(self.root, encoding="unicode")
        self.stream.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{document}\n')
