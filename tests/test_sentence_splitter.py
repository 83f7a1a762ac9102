"""The sentence splitter finds the same boundaries as the look-behind pattern it replaced."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint import lang


def reference(code: str) -> re.Pattern[str]:
    """The earlier pattern: every boundary found by look-behinds, tried at every character."""
    abbrevs = lang.data(code).get("abbreviations", [])
    guard = "".join(f"(?<!\\b{re.escape(a)})" for a in sorted(abbrevs, key=len, reverse=True))
    return re.compile(
        rf"(?:(?<=[.!?])|(?<=[.!?][\"')\]*_]))(?<!\b[A-Za-z]\.){guard}\s+(?=[\"'(\[*_]*[A-Z0-9\u00C0-\u00DE])"
        r"|(?<=[.!?:;])\s*\n\s*"
        r"|\n(?=[^\S\n]*[\"'(\[*_]*[A-Z\u00C0-\u00DE])"
    )


PIECES = ["Word", "word", " ", "  ", "\n", "\n ", ".", "!", "?", ":", ";", "'", '"', ")", "]", "*", "_", "(",
          "Élan", "é", "1", "a.", "e.g.", "bv.", "Dr.", "nr.", "M.", "etc.", "p.", "\t"]


@pytest.mark.parametrize("code", lang.available())
@given(parts=st.lists(st.sampled_from(PIECES), max_size=30))
@settings(max_examples=400, deadline=None)
def test_boundaries_match_the_look_behind_pattern(code: str, parts: list[str]) -> None:
    text = "".join(parts)
    ours = [m.span(m.lastindex or 0) for m in lang.sentence_splitter(code).finditer(text)]
    theirs = [m.span() for m in reference(code).finditer(text)]
    assert ours == theirs, repr(text)
