"""The document model: front matter, sections, blocks and sentences keep the file's line numbers."""
from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint import parse
from policylint.errors import InputError

POLICY = """\
---
title: "Beleid"
lang: nl
contact:
  role: HR
  email: hr@example.be
---

# Sociale media

Inleiding over het beleid.
Tweede zin op een nieuwe regel.

## Vragen

- Vraag het aan HR via hr@example.be. Of bel ons.
- Tweede punt.

| Wel | Niet |
|---|---|
| Deel nieuws | Deel geen cijfers |
"""


def test_front_matter_keys_keep_their_lines() -> None:
    doc = parse.parse(POLICY)
    fm = doc.front_matter
    assert fm is not None and fm.data is not None
    assert (fm.start_line, fm.end_line) == (1, 7)
    assert fm.key_lines == {"title": 2, "lang": 3, "contact": 4, "contact.role": 5, "contact.email": 6}
    assert doc.lang == "nl" and doc.lang_source == "front-matter"


def test_sections_blocks_and_sentences_have_file_lines() -> None:
    doc = parse.parse(POLICY)
    assert [(s.title, s.level, s.line, s.end_line) for s in doc.sections] == [
        ("Sociale media", 1, 9, 21), ("Vragen", 2, 14, 21)]
    lines = {s.text: s.line for s in doc.sentences}
    assert lines["Inleiding over het beleid."] == 11
    assert lines["Tweede zin op een nieuwe regel."] == 12
    assert lines["Vraag het aan HR via hr@example.be."] == 16
    assert lines["Of bel ons."] == 16
    assert lines["Tweede punt."] == 17
    assert lines["Deel geen cijfers"] == 21
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["Tweede punt."] == "list_item"
    assert kinds["Deel nieuws"] == "table_cell"
    assert doc.sections[doc.blocks[-1].section].title == "Vragen"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_keep_line_numbers(newline: str) -> None:
    doc = parse.parse(POLICY.replace("\n", newline))
    assert doc.front_matter is not None and doc.front_matter.key_lines["contact.email"] == 6
    assert {s.text: s.line for s in doc.sentences}["Tweede punt."] == 17


def test_utf8_bom_is_tolerated(tmp_path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(b"\xef\xbb\xbf" + POLICY.encode())
    doc = parse.read(str(path))
    assert doc.front_matter is not None and doc.front_matter.data["title"] == "Beleid"


def test_utf16_with_bom_is_decoded(tmp_path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(POLICY.encode("utf-16"))
    assert parse.read(str(path)).front_matter.key_lines["lang"] == 3


def test_invalid_utf8_names_the_line(tmp_path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("# Titel\n\nCafé\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        parse.read(str(path))
    assert caught.value.line == 3 and "UTF-8" in caught.value.message


def test_binary_file_is_refused(tmp_path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(InputError, match="binary"):
        parse.read(str(path))


def test_no_front_matter_detects_language() -> None:
    doc = parse.parse("# Policy\n\nYou can ask the team about this policy when you have a question.\n")
    assert doc.front_matter is None and doc.lang == "en" and doc.lang_source == "detected"
    dutch = parse.parse("# Beleid\n\nJe kunt het team om hulp vragen als je een vraag hebt over dit beleid.\n")
    assert dutch.lang == "nl"


def test_unclosed_front_matter_is_a_problem_not_a_crash() -> None:
    doc = parse.parse("---\ntitle: x\n\n# Body\n\nText.\n")
    assert doc.front_matter is not None and doc.front_matter.data is None
    assert doc.front_matter.problems == [("frontmatter/unclosed", 1, "")]


def test_yaml_error_points_at_the_file_line() -> None:
    doc = parse.parse('---\ntitle: "open\nlang: en\n---\n\nBody.\n')
    rule, line, detail = doc.front_matter.problems[0]
    assert rule == "frontmatter/yaml" and line in (2, 3, 4) and detail


def test_duplicate_key_is_reported_at_the_second_occurrence() -> None:
    doc = parse.parse("---\ntitle: a\nlang: en\ntitle: b\n---\n")
    assert ("frontmatter/duplicate-key", 4, "title") in doc.front_matter.problems


def test_python_tags_are_refused_never_constructed() -> None:
    doc = parse.parse("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n")
    assert doc.front_matter.data is None
    assert doc.front_matter.problems[0][0] == "frontmatter/yaml"


def test_alias_bomb_is_rejected_without_expanding() -> None:
    lines = ["---", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
        prev = name
    doc = parse.parse("\n".join(lines + ["---", ""]))
    assert doc.front_matter.data is None
    assert doc.front_matter.problems[0][0] == "frontmatter/too-complex"


_YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=4), inner, max_size=4),
    max_leaves=40)


@given(value=st.dictionaries(st.text(min_size=1, max_size=4), _YAML_VALUES, min_size=1, max_size=5))
@settings(max_examples=300, deadline=None)
def test_an_alias_free_front_matter_is_measured_as_the_general_walk_measures_it(value: dict) -> None:
    node = yaml.compose(yaml.safe_dump(value))
    assert parse._measure_tree(node) == parse._measure(node)


def test_a_huge_front_matter_without_aliases_is_too_complex_and_a_deep_one_too_deep() -> None:
    big = "---\n" + "".join(f"k{i}: [1, 2]\n" for i in range(3500)) + "---\n"
    assert parse.parse(big).front_matter.problems[0][0] == "frontmatter/too-complex"
    deep = "---\nx: " + "[" * 40 + "]" * 40 + "\n---\n"
    assert parse.parse(deep).front_matter.problems[0][0] == "frontmatter/too-deep"
    fine = "---\nx: " + "[" * 30 + "]" * 30 + "\n---\n"
    assert parse.parse(fine).front_matter.problems == []


def test_html_headings_lines_and_mailto_addresses() -> None:
    doc = parse.parse('<div>\n<h3>Contact</h3>\n'
                      '<p>Questions? Mail <a href="mailto:jo@example.com">Jo</a> today.</p>\n</div>\n')
    assert [(s.title, s.line) for s in doc.sections] == [("Contact", 2)]
    assert doc.sentences[-1].text == "Mail Jo (jo@example.com) today." and doc.sentences[-1].line == 3


def test_bold_only_paragraph_acts_as_a_heading() -> None:
    doc = parse.parse("# Policy\n\n**DO share our news**\n\nShare it widely.\n")
    assert [s.title for s in doc.sections] == ["Policy", "DO share our news"]
    assert doc.sections[1].parent == 0


def test_abbreviations_do_not_split_sentences() -> None:
    doc = parse.parse("---\nlang: en\n---\nShare posts, e.g. vacancies, with care. Ask first.\n")
    assert [s.text for s in doc.sentences] == ["Share posts, e.g. vacancies, with care.", "Ask first."]


def test_zero_width_characters_do_not_hide_words() -> None:
    doc = parse.parse("---\nlang: en\n---\nDis\u200bciplinary action fol\u00adlows.\n")
    assert doc.sentences[0].norm == "disciplinary action follows."


def test_indented_html_and_text_are_read_not_dropped_as_code() -> None:
    # Exported pages indent their markup; after a blank line Markdown would make it a code block.
    text = ("<div>\n<p>Intro.</p>\n</div>\n\n\n"
            "        <ul>\n            <li>Keep client data private.</li>\n        </ul>\n\n"
            "    Breaches lead to dismissal.\n    See the handbook.\n")
    doc = parse.parse(text)
    assert [(s.text, s.line) for s in doc.sentences] == [
        ("Intro.", 2), ("Keep client data private.", 7),
        ("Breaches lead to dismissal.", 10), ("See the handbook.", 11),
    ]


def test_html_comments_are_not_text_and_keep_line_numbers() -> None:
    doc = parse.parse(
        "# Policy\n\n<!--\nQuestions? Ask HR at hr@example.com.\n-->\n\n"
        "<!-- one line --> Visible after.\n\nStill counted.\n")
    assert [s.text for s in doc.sentences] == ["Policy", "Visible after.", "Still counted."]
    assert [s.line for s in doc.sentences] == [1, 7, 9]


def test_impossible_date_stays_text_for_the_schema_to_report() -> None:
    doc = parse.parse("---\ntitle: x\nlang: en\nreview: 2024-13-45\n---\nText.\n")
    assert doc.front_matter is not None and doc.front_matter.problems == []
    assert doc.front_matter.data == {"title": "x", "lang": "en", "review": "2024-13-45"}


@pytest.mark.parametrize("reported", [0, 5, 50])
def test_a_file_larger_than_stat_said_is_read_whole_and_still_held_to_the_limit(
        tmp_path, monkeypatch: pytest.MonkeyPatch, reported: int) -> None:
    import os as _os

    path = tmp_path / "grew.md"
    path.write_bytes(b"x" * 100)
    real_stat = _os.stat

    def stat(target, *args, **kwargs):  # what /proc files say (0), or a size from before the file grew
        info = real_stat(target, *args, **kwargs)
        if str(target) != str(path):
            return info
        values = list(info)
        values[6] = reported
        return _os.stat_result(values)

    monkeypatch.setattr(parse.os, "stat", stat)
    assert parse.read_bytes(str(path), 1000) == b"x" * 100
    assert parse.read_bytes(str(path), None) == b"x" * 100
    with pytest.raises(InputError, match="larger"):
        parse.read_bytes(str(path), 60 if reported < 60 else 99)
