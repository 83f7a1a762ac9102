"""normalize's fast path for accented Latin letters gives what the character-by-character fold gives."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from policylint import lang


def reference(text: str) -> str:
    text = text.translate(lang._INVISIBLE).translate(lang._QUOTES)
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


@given(text=st.text(alphabet=st.sampled_from(list("aeiouAEIOU éèëêàâçôöüïñøßœæ€’“ÅÉẞǅﬁ①Ⅻ한\t\n")
                                             + ["\u0301", "\u034f", "\u0308", "\u1dc0", "\u20d0", "\ufe20"]),
                    max_size=30))
@settings(max_examples=1000, deadline=None)
def test_normalize_matches_the_character_by_character_fold(text: str) -> None:
    assert lang.normalize.__wrapped__(text) == reference(text), repr(text)


@given(text=st.text(max_size=30))
@settings(max_examples=1000, deadline=None)
def test_normalize_matches_on_any_text(text: str) -> None:
    assert lang.normalize.__wrapped__(text) == reference(text), repr(text)


def test_accents_go_and_letters_stay() -> None:
    assert lang.normalize("Één café, één crème brûlée") == "een cafe, een creme brulee"
    assert lang.normalize("Øresund straße") == "øresund strasse"


@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
@settings(max_examples=1000, deadline=None)
def test_normalize_of_ascii_text_matches(text: str) -> None:
    # The ASCII fast path, control characters (\x1c-\x1f count as white space) and backquotes included.
    assert lang.normalize.__wrapped__(text) == reference(text), repr(text)


def test_ascii_white_space_and_backquotes_fold() -> None:
    assert lang.normalize(" Use `Teams`\x1fnot\x0bmail\t ") == "use 'teams' not mail"


_FOLDED = ("ab `'\u00ad\u200b\u200d\u202e\u2066\ufeff\u2018\u2019\u201c\u201d"
           "\u201e\u00ab\u00bb\u2013\u2014\u2011\u00a0\u00b4\u201b\u00e9")


@given(text=st.text(alphabet=st.sampled_from(list(_FOLDED)), max_size=30))
@settings(max_examples=1000, deadline=None)
def test_invisible_characters_and_quotes_fold_as_their_tables_say(text: str) -> None:
    assert lang.strip_invisible(text) == text.translate(lang._INVISIBLE)
    assert lang.normalize.__wrapped__(text) == reference(text), repr(text)
