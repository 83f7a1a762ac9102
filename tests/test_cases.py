"""Rule cases: short policies in tests/cases/<element>/{pass,fail}/ and what each must yield.

A case is ``NAME.<lang>.md`` (or ``NAME.violated.<lang>.md`` for a violation) under
``pass/`` (the element is present) or ``fail/`` (missing, or violated). The element's
findings are compared with ``NAME.<lang>.expected.json`` beside the case; a case
without that file must yield no finding for its element. ``pytest --update-golden``
rewrites the golden files from what policylint reports now (review the diff!).

Front matter keys a case may add (the policy schema allows extra keys):
``expect_line`` (required in pass cases): the line of the evidence reported;
``expect_severity``: the checklist severity of a present element (a blanket ban on
use during working hours is present, but only as a warning).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from policylint import parse
from policylint.engine import LintOptions, lint_document
from policylint.findings import Finding, Status
from policylint.ruleset import load

CASES = Path(__file__).resolve().parent / "cases"
RULESET = load()
TODAY = dt.date(2026, 11, 25)
_CASE_NAME = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]*)(?P<violated>\.violated)?\.(?P<lang>[a-z]{2})\.md$")
_GOLDEN_SUFFIX = ".expected.json"


@dataclass(frozen=True)
class Case:
    """One case file and the outcome its place in the tree promises."""

    path: Path
    element: str
    kind: str  # "pass" or "fail"
    lang: str
    status: Status

    @property
    def golden(self) -> Path:
        return self.path.with_name(self.path.name[: -len(".md")] + _GOLDEN_SUFFIX)

    @property
    def id(self) -> str:
        return f"{self.element}/{self.kind}/{self.path.name[: -len('.md')]}"


def discover() -> list[Case]:
    """Every well-named case file (badly named files are reported by a test of their own)."""
    cases: list[Case] = []
    for path in sorted(CASES.glob("*/*/*.md")):
        match = _CASE_NAME.match(path.name)
        kind = path.parent.name
        if match is None or kind not in ("pass", "fail") or (kind == "pass" and match["violated"]):
            continue
        if kind == "pass":
            status = Status.PRESENT
        else:
            status = Status.VIOLATED if match["violated"] else Status.MISSING
        cases.append(Case(path, path.parent.parent.name, kind, match["lang"], status))
    return cases


ALL_CASES = discover()


def record(finding: Finding) -> dict[str, Any]:
    """The part of a finding a golden file pins down."""
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "hint": finding.hint,
    }


def write_golden(case: Case, findings: list[dict[str, Any]]) -> None:
    if findings:
        case.golden.write_text(json.dumps(findings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    elif case.golden.exists():
        case.golden.unlink()


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_case(case: Case, update_golden: bool) -> None:
    doc = parse.read(str(case.path))
    assert (doc.lang, doc.lang_source) == (case.lang, "front-matter"), "the front matter must fix the language"
    report = lint_document(doc, RULESET, LintOptions(select=frozenset({case.element}), today=TODAY))
    (result,) = report.elements
    assert result.element == case.element
    assert result.status is case.status, f"evidence at line {result.line}: {result.evidence!r}"

    declared = (doc.front_matter.data or {}) if doc.front_matter else {}
    if case.kind == "pass":
        assert "expect_line" in declared, "a pass case declares the line of its evidence (expect_line)"
        assert result.line == declared["expect_line"], f"evidence: {result.evidence!r}"
    if "expect_severity" in declared:
        assert str(result.severity) == declared["expect_severity"]

    findings = [record(f) for f in report.findings if f.rule == case.element]
    assert len(findings) == len(report.findings), "only the case's own element was asked for"
    if update_golden:
        write_golden(case, findings)
    expected = json.loads(case.golden.read_text(encoding="utf-8")) if case.golden.exists() else []
    assert findings == expected


def test_every_element_has_a_pass_and_a_fail_case_in_every_language() -> None:
    have = {(c.element, c.kind, c.lang) for c in ALL_CASES}
    wanted = {(e.id, kind, lang) for e in RULESET.elements for kind in ("pass", "fail")
              for lang in RULESET.languages}
    assert sorted(wanted - have) == []


def test_violations_are_cased_where_an_element_can_be_violated() -> None:
    violable = {e.id for e in RULESET.elements if e.detector == "requires"}
    violated = {(c.element, c.lang) for c in ALL_CASES if c.status is Status.VIOLATED}
    assert violated <= {(e, lang) for e in violable for lang in RULESET.languages}
    assert {(e, lang) for e in violable for lang in RULESET.languages} <= violated


def test_case_tree_holds_only_cases_and_their_golden_files(update_golden: bool) -> None:
    """Typos in a folder or file name would silently drop a case; orphaned goldens would rot."""
    elements = {e.id for e in RULESET.elements}
    known = {c.path for c in ALL_CASES} | {c.golden for c in ALL_CASES}
    strays = []
    for path in sorted(CASES.rglob("*")):
        if path.is_dir():
            relative = path.relative_to(CASES).parts
            if relative[0] not in elements or (len(relative) == 2 and relative[1] not in ("pass", "fail")) \
                    or len(relative) > 2:
                strays.append(str(path.relative_to(CASES)))
        elif path not in known:
            if update_golden and path.name.endswith(_GOLDEN_SUFFIX):
                path.unlink()
                continue
            strays.append(str(path.relative_to(CASES)))
    assert strays == []
