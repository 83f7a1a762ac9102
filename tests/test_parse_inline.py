"""Inline markup is parsed only where there is some: plain text must come out exactly as the parser makes it."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from policylint import markdown, parse

ROOT = Path(__file__).resolve().parent.parent
FULL = MarkdownIt("commonmark", {"html": True}).enable("table")


def _full_parse_text(content: str) -> str:
    children: list = []
    FULL.inline.parse(content, FULL, {}, children)
    return "".join("\n" if c.type in ("softbreak", "hardbreak") else c.content for c in children)


plain_text = st.text(alphabet=st.sampled_from(list("ab é.,;:!?#-+=>~^{}()'\"0 \t\n&mpx")),
                     max_size=60).filter(
    lambda s: not parse.has_inline_markup(s))


@given(content=plain_text)
@settings(max_examples=600, deadline=None)
def test_plain_text_comes_out_as_the_inline_parser_makes_it(content: str) -> None:
    assert parse._plain_inline_text(content) == _full_parse_text(content), repr(content)


def _documents_with_full_inline_parsing(text: str, monkeypatch: pytest.MonkeyPatch) -> object:
    def always(token: object, env: dict) -> list:
        md = markdown.parser()
        children: list = []
        md.inline.parse(token.content, md, env, children)  # type: ignore[attr-defined]
        return children
    with monkeypatch.context() as patch:
        patch.setattr(parse, "_inline_children", always)
        patch.setattr(parse, "has_inline_markup", lambda text: True)  # every paragraph through the parser
        return parse.parse(text, "p.md")


def _shape(doc: object) -> tuple:
    return (doc.sections, doc.blocks, [(s.text, s.norm, s.line, s.end_line, s.column, s.block)  # type: ignore[attr-defined]
                                       for s in doc.sentences])  # type: ignore[attr-defined]


def test_every_example_and_case_parses_the_same_as_with_full_inline_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted((ROOT / "example-policy").glob("*.md")) + sorted((ROOT / "tests" / "cases").rglob("*.md"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _shape(parse.parse(text, "p.md")) == _shape(_documents_with_full_inline_parsing(text, monkeypatch)), path


markdown_lines = st.lists(st.sampled_from([
    "Plain words here.  ", "  indented line", "\tTabbed.", "**Bold line**", "A [link](https://x.be) and *em*.",
    "Mail [HR](mailto:hr@acme.be).", "- item one", "- item **two**  ", "1. first", "> quoted", "# Title",
    "## Sub *title*", "", "| a | b |", "|---|---|", "| c & d | `e` |", "Text with \\*escaped\\* stars.",
    "See [ref].", "[ref]: https://example.org", "<br>", "Line with trailing spaces   ", "café ôte",
    "Print & Media, R&D; fish &amp; chips &#39;quoted&#x27; &copy &nosuch;",
]), max_size=14).map("\n".join)


@given(body=markdown_lines)
@settings(max_examples=300, deadline=None)
def test_random_markdown_parses_the_same_as_with_full_inline_parsing(body: str) -> None:
    monkeypatch = pytest.MonkeyPatch()
    try:
        assert _shape(parse.parse(body, "p.md")) == _shape(_documents_with_full_inline_parsing(body, monkeypatch))
    finally:
        monkeypatch.undo()


def test_an_ampersand_alone_is_text_and_an_entity_is_markup() -> None:
    doc = parse.parse("Print & Media and R&D.\n\nFish &amp; chips.\n\nSay &#39;hi&#x27;.\n", "p.md")
    assert [s.text for s in doc.sentences] == ["Print & Media and R&D.", "Fish & chips.", "Say 'hi'."]
    assert not parse.has_inline_markup("Print & Media and R&D.")


@given(text=st.text(alphabet=st.sampled_from(list("ab \\`*_[<&#;x1\n")), max_size=40))
@settings(max_examples=500, deadline=None)
def test_the_markup_check_is_the_pattern_it_stands_for(text: str) -> None:
    import re

    pattern = re.compile(r"[\\`*_\[<]|&(?:#|[A-Za-z0-9]+;)")
    assert parse.has_inline_markup(text) == (pattern.search(text) is not None), repr(text)
