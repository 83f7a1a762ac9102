"""Inputs that the property tests and the fuzzer (fuzz/fuzz_parse.py) found to break the linter, kept.

Each was a traceback or a violated invariant before its fix; tests/invariants.py says what must hold.
"""
from __future__ import annotations

import pytest
from invariants import lint_text

from policylint import parse

from conftest import FRONT_MATTER_EN


@pytest.mark.parametrize(("value", "line"), [("2026-13-45", 4), ("0000-01-01", 4), ("2026-02-30", 4)])
def test_impossible_date_is_a_format_finding(value: str, line: int) -> None:
    # Found by Hypothesis: YAML reads `2026-13-45` as a date and its constructor raised ValueError.
    text = f"---\ntitle: x\nlang: en\nreview: {value}\n---\n\n# Policy\n"
    _doc, report = lint_text(text)
    found = [(f.rule, f.line) for f in report.findings if f.rule.startswith("frontmatter/")]
    assert ("frontmatter/format", line) in found
    assert any(value in f.message for f in report.findings if f.rule == "frontmatter/format")


def test_impossible_date_with_a_time() -> None:
    _doc, report = lint_text("---\nlang: en\neffective: 2026-02-30 10:00:00\n---\n")
    assert ("frontmatter/format", 3) in [(f.rule, f.line) for f in report.findings]


def test_lone_surrogate_in_front_matter_text() -> None:
    # Found by Hypothesis: text handed to parse() directly (never decoded from a file) with a lone
    # surrogate made libyaml's encoder raise UnicodeEncodeError.
    doc, report = lint_text("---\n\ud800title: x\n---\n\nBody \ud800 text.\n")
    assert doc.front_matter is not None
    assert doc.front_matter.problems == [("frontmatter/yaml", 1, "it contains a character that is not valid Unicode")]
    assert "frontmatter/yaml" in [f.rule for f in report.findings]


def test_deeply_nested_yaml_is_refused_not_recursed() -> None:
    # Found while checking nesting: 500 nested flow lists passed libyaml's own limit and then
    # raised RecursionError while converting the data for schema validation.
    doc, report = lint_text("---\nlang: en\nx: " + "[" * 500 + "]" * 500 + "\n---\n")
    assert doc.front_matter is not None and doc.front_matter.data is None
    assert ("frontmatter/too-deep", 1) in [(f.rule, f.line) for f in report.findings]


def test_required_keys_are_listed_once() -> None:
    # Found while checking duplicate keys: each missing key was reported once per missing key.
    _doc, report = lint_text("---\ntitle: a\nlang: en\n---\n")
    messages = [f.message for f in report.findings if f.rule == "frontmatter/required"]
    assert len(messages) == len(set(messages)) == 5


@pytest.mark.parametrize("html", [
    "<div>\n" + "<a href='mailto:x" * 3000 + "\n",
    "<div>\n" + "<" * 20000 + "\n",
    "<div>\n" + "<a " * 10000 + "\n",
])
def test_unclosed_html_is_plain_text(html: str) -> None:
    # The tag and mailto regexes backtracked cubically on these; the scan that replaced them
    # keeps a "<" that opens no tag as text.
    doc, _report = lint_text(html)
    assert doc.blocks and doc.blocks[-1].kind == "html"


def test_html_mailto_links_keep_their_address() -> None:
    doc, _report = lint_text('<p>Ask <a class="x" href="mailto:jo@example.com?subject=Hi">Jo</a> or '
                             '<a href="https://example.com">the site</a>.</p>\n')
    assert doc.blocks[0].text == "Ask Jo (jo@example.com) or the site ."


def test_html_link_showing_its_address_is_not_repeated() -> None:
    doc, _report = lint_text('<p>Mail <a href="mailto:jo@example.com">jo@example.com</a>.</p>\n')
    assert doc.blocks[0].text == "Mail jo@example.com ."


def test_columns_of_repeated_sentences_on_one_line() -> None:
    # The column search always found the first copy; it now searches on from the previous sentence.
    doc = parse.parse("Ask HR. Ask HR. Ask HR.\n")
    assert [(s.line, s.column) for s in doc.sentences] == [(1, 1), (1, 9), (1, 17)]


def test_sections_end_before_the_next_heading_at_their_level() -> None:
    doc = parse.parse("# A\n## B\n### C\n## D\n# E\ntext\n")
    assert [(s.title, s.line, s.end_line) for s in doc.sections] == [
        ("A", 1, 4), ("B", 2, 3), ("C", 3, 3), ("D", 4, 4), ("E", 5, 6)]


def test_blank_looking_lines_in_one_paragraph() -> None:
    # NBSP-only lines do not end a paragraph; the sentence splitter's lookahead ran over all of them
    # from every line break (quadratic).
    doc, _report = lint_text(FRONT_MATTER_EN + "Share news.\n" + "\u00a0\n" * 2000 + "Ask HR.\n")
    assert [(s.text, s.line) for s in doc.sentences] == [("Share news.", 12), ("Ask HR.", 2013)]


@pytest.mark.parametrize(("text", "found"), [
    ("Mail jo@example.com.", True), ("(jo.smith+policy@example.co.uk)", True), ("a.b@c.d", True),
    ("jo@example", False), ("..." * 1000 + "@", False), ("x." * 1000 + "@x.y", True),
])
def test_email_pattern_starts_where_an_address_starts(text: str, found: bool) -> None:
    # Found by fuzz/scaling_scan.py: a line of dots (or "x.x.x.") made the address pattern
    # scan the whole run from each dot, quadratic in the length of the run.
    import re

    from policylint.phrases import NAMED

    assert (re.search(NAMED["email"], text) is not None) is found
