"""The phrase matcher: syntax, and that its speed-ups never change an answer."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.errors import ConfigError
from policylint.phrase_index import PhraseIndex
from policylint.phrases import PhraseGroup, compile_group, group_regex, phrase_regex

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


# --- the one-pass index answers exactly like each group's own regex ---------------------------

INDEX_WORDS = WORDS + ["_share", "__never", "_", "_hr",
                       "(hr)", "hr's", "work-life", "e-mailen", "sanctioned", "ne", "l'interimaire", "toestel",
                       "2250", "#social", "_x", "worki", "@jan_p", "https://acme.be", "+32", "470", "0470123456",
                       "#team-x", "n'utilisez", "pas"]
INDEX_PHRASES = PHRASES + ["(hr)", "work-life", "l'_", "^hr", "^_ hours", "sanction* apply", "worki*", "at the",
                           "work* hours", "toestel @number", "e-mail*", "~ never", "hr's", "#social",
                           "@email", "@phone", "@handle", "@channel", "@url", "@number", "_ the hr", "n'_ pas",
                           "^@email", "~ hours @number"]


@given(groups=st.lists(st.lists(st.sampled_from(INDEX_PHRASES), min_size=1, max_size=5), min_size=1, max_size=6),
       text=st.lists(st.sampled_from(INDEX_WORDS + [".", ",", "x@y.be"]), max_size=14).map(" ".join))
@settings(max_examples=400, deadline=None)
def test_one_pass_index_answers_like_each_groups_regex(groups: list[list[str]], text: str) -> None:
    compiled = [PhraseGroup(phrases) for phrases in groups]
    index = PhraseIndex(compiled)
    hits = index.matching(text)
    for gid, phrases in enumerate(groups):
        expected = re.search(group_regex(phrases), text) is not None
        assert (gid in hits) == expected, (phrases, text)
    assert index.matching(text) is hits  # remembered, not recomputed


@pytest.mark.parametrize(("phrase", "text"), [
    ("^employees may", "_employees may post"), ("^employ*", "__employees"), ("^never", "*_never post that"),
    ("^hr", "_ _hr"),
])
def test_anchored_phrases_allow_underscores_before_them_as_the_regex_does(phrase: str, text: str) -> None:
    group = PhraseGroup([phrase])
    assert group.occurs(text) and re.search(group_regex([phrase]), text)
    assert not group.occurs("x" + text)


def test_every_builtin_group_answers_like_its_regex_on_real_sentences() -> None:
    """The index and the plain regexes agree on every sentence of the examples and rule cases."""
    from policylint import parse, ruleset

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "example-policy").glob("*.md")) + sorted((root / "tests" / "cases").rglob("*.md"))
    assert len(files) > 20
    checked = 0
    for name in ruleset.builtin_names():
        rules = ruleset.load(name)
        for path in files:
            doc = parse.read(str(path))
            groups = [g for element in rules.elements if doc.lang in element.texts
                      for g in element.texts[doc.lang].all_groups()]
            for sentence in doc.sentences:
                for group in groups:
                    assert group.occurs(sentence.norm) == (group.regex.search(sentence.norm) is not None), (
                        path.name, sentence.norm, group.parsed[:3])
                    checked += 1
    assert checked > 10_000


def test_the_sentence_memo_is_bounded_and_shares_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from policylint import phrase_index

    monkeypatch.setattr(phrase_index, "_MAX_TEXTS", 50)
    groups = [PhraseGroup(["temps", "contractors"]), PhraseGroup(["work rules"])]
    index = PhraseIndex(groups)
    answers = [index.matching(f"sentence {n} about temps and the work rules") for n in range(120)]
    assert all(answer == frozenset({0, 1}) for answer in answers)
    assert len(index._texts) <= 50  # cleared when full, so memory stays flat over any number of files
    assert len({id(answer) for answer in answers}) <= 3  # one shared copy per answer (and per clearing)
    assert index.matching("nothing here") == frozenset()


def test_what_a_phrase_needs_before_its_regex_is_tried() -> None:
    from policylint.phrases import needs

    assert needs("_ dat dan") == ("dat", "dan")
    assert needs("sanction* ~ n'_ @email") == ("sanction", "n'", "@")
    assert needs("@phone") == (None,)  # a digit
    group = PhraseGroup(["@phone", "_ dat dan"])
    assert group.occurs("bel 0470 12 34 56") and group.occurs("en dat dan")
    assert not group.occurs("bel ons") and not group.occurs("dat is dan")


def test_matching_all_answers_like_matching_for_each_text() -> None:
    index = PhraseIndex([PhraseGroup(["temps"]), PhraseGroup(["work rules", "^never"])])
    texts = ["temps and work rules", "nothing", "never post", "temps and work rules", "nothing"]
    expected = [PhraseIndex([PhraseGroup(["temps"]), PhraseGroup(["work rules", "^never"])]).matching(t) for t in texts]
    assert index.matching_all(texts) == expected == [frozenset({0, 1}), frozenset(), frozenset({1}),
                                                      frozenset({0, 1}), frozenset()]
    assert index.matching_all(texts) == expected  # now all remembered, the empty answer included
