"""Placeholders: found in both languages, reported as findings, never taken for evidence."""
from __future__ import annotations

import pytest

from policylint import lint_text, placeholders
from policylint.engine import LintOptions
from policylint.findings import Severity, Status
from policylint.runner import Settings

from conftest import FRONT_MATTER_EN

FRONT_MATTER_NL = FRONT_MATTER_EN.replace("lang: en", "lang: nl")


def rules(report) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in report.findings if f.rule == "placeholder"]


def status(report, element: str) -> Status:
    return next(e.status for e in report.elements if e.element == element)


@pytest.mark.parametrize(("line", "expected"), [
    ("Mail [[e-mail address]] with questions.", ["[[e-mail address]]"]),
    ("TODO: ask Legal about sanctions", ["TODO: ask Legal about sanctions"]),
    ("INVULLEN: naam van de contactpersoon", ["INVULLEN: naam van de contactpersoon"]),
    ("AAN TE VULLEN: telefoonnummer", ["AAN TE VULLEN: telefoonnummer"]),
    ("[[one]] and [[two]], TBD: the rest [[three]]", ["[[one]]", "[[two]]", "TBD: the rest [[three]]"]),
])
def test_marks_of_both_languages_are_found(line: str, expected: list[str]) -> None:
    assert sorted(text for _, _, text in placeholders.spans([line])) == sorted(expected)


@pytest.mark.parametrize("line", [
    "Use [[ ]] nowhere",  # nothing to replace inside
    "We have a todo: list for new starters.",  # lower case is ordinary prose
    "Ask our TODOS: team",  # not the marker word
    "An [[unclosed placeholder",
    "<!-- TODO: only a note to the author -->",
])
def test_ordinary_text_and_comments_are_not_placeholders(line: str) -> None:
    assert list(placeholders.spans([line])) == []


def test_comments_spanning_lines_are_skipped_and_columns_are_kept() -> None:
    lines = ["<!--", "[[inside]]", "--> after [[x]]", "<!-- a --> [[y]] <!-- b"]
    assert list(placeholders.spans(lines)) == [(3, 11, "[[x]]"), (4, 12, "[[y]]")]


def test_placeholders_are_errors_in_the_policy_language_with_line_and_column() -> None:
    text = FRONT_MATTER_NL + "\n# Beleid\n\nVragen? Mail [[e-mailadres]].\n"
    report = lint_text(text, "beleid.md")
    found = [f for f in report.findings if f.rule == "placeholder"]
    assert [(f.line, f.column, f.severity) for f in found] == [(15, 14, Severity.ERROR)]
    assert found[0].message == "Tijdelijke tekst die nog vervangen moet worden: [[e-mailadres]]"


def test_front_matter_values_are_checked_too() -> None:
    text = FRONT_MATTER_EN.replace('"Communications"', '"[[owner]]"') + "\nBody.\n"
    assert rules(lint_text(text)) == [("placeholder", 4, 9)]


def test_severity_can_be_overridden_and_the_rule_ignored() -> None:
    text = FRONT_MATTER_EN + "\nTODO: write.\n"
    lowered = lint_text(text, settings=Settings(lint=LintOptions(severity={"placeholder": Severity.WARNING})))
    assert [f.severity for f in lowered.findings if f.rule == "placeholder"] == [Severity.WARNING]
    ignored = lint_text(text, settings=Settings(lint=LintOptions(ignore=frozenset({"placeholder"}))))
    assert rules(ignored) == []


def test_a_sentence_holding_a_placeholder_is_no_evidence() -> None:
    real = "Questions about a post? Ask the communication team at social@example.com."
    done = lint_text(FRONT_MATTER_EN + f"\n# Policy\n\n{real}\n")
    assert status(done, "contact-person") is Status.PRESENT
    todo = lint_text(FRONT_MATTER_EN + f"\n# Policy\n\n{real[:-1]} [[or phone]].\n")
    assert status(todo, "contact-person") is Status.MISSING
    # Even with the rule switched off, unfinished text proves nothing.
    quiet = lint_text(FRONT_MATTER_EN + f"\n# Policy\n\n{real[:-1]} [[or phone]].\n",
                      settings=Settings(lint=LintOptions(ignore=frozenset({"placeholder"}))))
    assert status(quiet, "contact-person") is Status.MISSING


def test_a_heading_over_an_empty_section_is_no_evidence() -> None:
    empty = lint_text(FRONT_MATTER_EN + "\n# Policy\n\n## Confidentiality\n\n## Other\n\nYou can share our news.\n")
    assert status(empty, "confidentiality") is Status.MISSING
    placeholder = lint_text(FRONT_MATTER_EN + "\n# Policy\n\n## Confidentiality\n\n[[write it]]\n")
    assert status(placeholder, "confidentiality") is Status.MISSING
    filled = lint_text(FRONT_MATTER_EN + "\n# Policy\n\n## Confidentiality\n\nClient names stay inside the company.\n")
    assert status(filled, "confidentiality") is Status.PRESENT
