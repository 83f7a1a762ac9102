"""The phrase matcher: syntax, and that its speed-ups never change an answer."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.errors import ConfigError
from policylint.phrases import PhraseGroup, compile_group, phrase_regex

WORDS = ["share", "sharing", "work", "working", "hours", "at", "the", "never", "post", "n'utilisez", "pas",
         "hr", "e-mail", "zzp'ers", "sanction", "sanctions", "a", "b"]
PHRASES = ["share*", "working hours", "at work", "never", "never post", "n'_ pas", "hr", "zzp*", "sanction",
           "^share", "the _ hours", "at ~ hours", "@email", "e-mail", "work*"]


@given(phrases=st.lists(st.sampled_from(PHRASES), min_size=1, max_size=6),
       text=st.lists(st.sampled_from(WORDS + ["x@y.be", ".", ","]), max_size=12).map(" ".join))
@settings(max_examples=300, deadline=None)
def test_trie_and_prefilter_answer_exactly_like_a_plain_alternation(phrases: list[str], text: str) -> None:
    plain = re.compile("|".join(phrase_regex(p) for p in phrases))
    group = compile_group(phrases)
    assert group is not None
    assert (group.search(text) is not None) == (plain.search(text) is not None), (phrases, text)


@pytest.mark.parametrize(("phrase", "hit", "miss"), [
    ("sanction*", "sanctions apply", "a desanctioned item"),
    ("working hours", "during working hours", "during workinghours"),
    ("^never", "never post that", "you should never post"),
    ("u _ nooit", "u spreekt nooit", "u nooit"),
    ("may ~ not", "you may also not", "you may do what you want not"),
    ("n'_ pas", "n'utilisez pas", "ne pas"),
    ("toestel @number", "toestel 2250", "toestel twee"),
    ("zzp*", "zzp'ers en freelancers", "xzzp"),
    ("company", "the company's rules", "companyx"),
])
def test_phrase_syntax(phrase: str, hit: str, miss: str) -> None:
    group = compile_group([phrase])
    assert isinstance(group, PhraseGroup)
    assert group.search(hit) is not None
    assert group.search(miss) is None


def test_unknown_pattern_and_empty_phrase_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="unknown pattern '@iban'"):
        compile_group(["@iban"])
    with pytest.raises(ConfigError, match="empty phrase"):
        compile_group(["^"])
