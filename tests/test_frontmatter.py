"""Front matter findings: plain-language messages at the line of the offending key."""
from __future__ import annotations

import datetime as dt

from policylint import frontmatter, parse

TODAY = dt.date(2026, 11, 25)
GOOD = """\
---
title: "Social media policy"
lang: en
owner: "Communications"
version: "1.0"
effective: 2026-01-01
review: 2027-06-30
contact:
  role: "Communications team"
  email: "social@example.com"
---
Body.
"""


def findings(text: str, lang: str = "en"):
    return frontmatter.check(parse.parse(text), lang, TODAY)


def test_valid_front_matter_has_no_findings() -> None:
    assert findings(GOOD) == []


def test_missing_front_matter_is_one_finding_on_line_1() -> None:
    result = findings("# Policy\n\nText.\n")
    assert [(f.rule, f.line) for f in result] == [("frontmatter/missing", 1)]
    assert "front matter" in result[0].message


def test_missing_key_is_reported_at_the_front_matter_start_in_plain_words() -> None:
    result = findings(GOOD.replace('owner: "Communications"\n', ""))
    assert [(f.rule, f.line) for f in result] == [("frontmatter/required", 1)]
    assert result[0].message == "The front matter has no `owner`: which team or role looks after this policy?"


def test_missing_contact_asks_who_answers_questions_in_dutch() -> None:
    text = GOOD.replace("lang: en", "lang: nl").split("contact:")[0] + "---\n"
    result = findings(text, "nl")
    assert result[0].message == "De front matter heeft geen `contact`: wie beantwoordt vragen over dit beleid?"


def test_bad_date_points_at_its_key() -> None:
    result = findings(GOOD.replace("effective: 2026-01-01", "effective: 1 januari 2026"))
    assert [(f.rule, f.line) for f in result] == [("frontmatter/format", 6)]
    assert "YYYY-MM-DD" in result[0].message


def test_wrong_language_code_lists_the_choices() -> None:
    result = findings(GOOD.replace("lang: en", "lang: de"))
    assert [(f.rule, f.line) for f in result] == [("frontmatter/value", 3)]
    assert "nl, en" in result[0].message


def test_contact_without_a_way_to_reach_them() -> None:
    result = findings(GOOD.replace('  email: "social@example.com"\n', ""))
    assert [(f.rule, f.line) for f in result] == [("frontmatter/value", 8)]
    assert "email" in result[0].message and "phone" in result[0].message


def test_contact_of_the_wrong_type() -> None:
    text = GOOD.split("contact:")[0] + "contact: social@example.com\n---\n"
    result = findings(text)
    assert [(f.rule, f.line) for f in result] == [("frontmatter/type", 8)]


def test_review_date_in_the_past_is_a_warning_at_its_line() -> None:
    result = findings(GOOD.replace("review: 2027-06-30", "review: 2025-01-01"))
    assert [(f.rule, f.line, str(f.severity)) for f in result] == [("frontmatter/review-overdue", 7, "warning")]


def test_duplicate_key_is_a_warning() -> None:
    result = findings(GOOD.replace('owner: "Communications"', 'owner: "Communications"\nowner: "HR"'))
    assert [(f.rule, f.line, str(f.severity)) for f in result] == [("frontmatter/duplicate-key", 5, "warning")]


def test_yaml_syntax_error_is_a_finding() -> None:
    result = findings(GOOD.replace('title: "Social media policy"', 'title: "Social media policy'))
    assert result[0].rule == "frontmatter/yaml" and 2 <= result[0].line <= 11
    assert "not valid YAML" in result[0].message


def test_each_missing_key_is_reported_once() -> None:
    result = findings("---\nlang: en\n---\nBody.\n")
    assert sorted(f.message.split("`")[1] for f in result) == [
        "contact", "effective", "owner", "review", "title", "version"]
