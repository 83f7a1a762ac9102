"""What must hold for any input at all: used by the property tests and by fuzz/fuzz_parse.py."""
from __future__ import annotations

import datetime as _dt
import functools
import re

from policylint.document import PolicyDocument
from policylint.engine import LintOptions, lint_document
from policylint.findings import FileReport
from policylint.parse import parse
from policylint.ruleset import Ruleset, load

TODAY = _dt.date(2026, 6, 1)  # fixed, so that a run does not depend on the calendar


@functools.lru_cache(maxsize=1)
def ruleset() -> Ruleset:
    return load(None)


def line_count(text: str) -> int:
    """Lines of a text as an editor numbers them: CRLF, CR and LF each end one; a final one ends the last."""
    count = len(re.split(r"\r\n|\r|\n", text))
    if count > 1 and text.endswith(("\n", "\r")):
        count -= 1
    return count


def lint_text(text: str, path: str = "<fuzz>") -> tuple[PolicyDocument, FileReport]:
    """Parse and lint decoded text, then check every invariant (AssertionError when one fails)."""
    doc = parse(text, path)
    report = lint_document(doc, ruleset(), LintOptions(today=TODAY))
    check(text, doc, report)
    return doc, report


def check(text: str, doc: PolicyDocument, report: FileReport) -> None:
    """Every line the linter reports lies inside the file; every column is at least 1."""
    lines = line_count(text)
    assert len(doc.lines) == lines, (len(doc.lines), lines)
    for finding in report.findings:
        assert 1 <= finding.line <= lines, (finding, lines)
        assert finding.column >= 1, finding
        if finding.end_line is not None:
            assert finding.line <= finding.end_line <= lines, (finding, lines)
        assert finding.message, finding
    for element in report.elements:
        assert element.line is None or 1 <= element.line <= lines, (element, lines)
    for sentence in doc.sentences:
        assert 1 <= sentence.line <= sentence.end_line <= lines, (sentence, lines)
        assert sentence.column >= 1 and sentence.text.strip(), sentence
    for block in doc.blocks:
        assert 1 <= block.line <= block.end_line <= lines, (block, lines)
    for section in doc.sections:
        assert 1 <= section.line <= section.end_line <= lines, (section, lines)
    fm = doc.front_matter
    if fm is not None:
        assert 1 <= fm.start_line <= fm.end_line <= lines, (fm, lines)
        assert all(1 <= line <= lines for line in fm.key_lines.values()), (fm.key_lines, lines)
        assert all(1 <= line <= lines for _rule, line, _detail in fm.problems), (fm.problems, lines)
    assert len(report.elements) == len(ruleset().elements)
