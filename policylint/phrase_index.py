"""Match every phrase group of a ruleset language against a sentence in one pass.

Searching a sentence with one regex per group costs a scan per group, and a
ruleset language has a few hundred groups. Instead, a sentence is read once,
word by word, and each word is looked up in a table made from the first words
of all phrases of all groups:

* a phrase that is one plain word or stem ("arbeidsreglement", "sanction*")
  matches as soon as that word is read;
* a longer phrase is checked where its first word stands: a literal one by
  comparing the text there, one with syntax (``_``, ``~``, a later stem) by a
  small regex, compiled the first time it is needed;
* a phrase anchored to the start of the sentence (``^``) is tried at the start
  once its first word has been seen anywhere;
* the few phrases that start with syntax (``_``, ``~``, ``@email``) are
  searched for in every sentence.

The answer, a set of group ids, is exactly what searching with each group's
regex (``phrases.group_regex``) would say; tests/test_phrases_engine.py holds
it to that. Texts must be normalized (lang.normalize), as sentences are.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.phrases import Phrase, PhraseGroup

_WORD_RUN = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
# Bounds on the memo tables, so that a run over 10,000 files keeps a flat memory profile.
# Policies of one organisation share many sentences (and generated ones more): a memo of
# 100,000 sentences costs ~10 MB and saved a third of the matching on 10,000 files.
_MAX_WORDS = 100_000
_MAX_TEXTS = 100_000


def _is_word_char(char: str) -> bool:
    """``re``'s ``\\w`` for one character of a str."""
    return char.isalnum() or char == "_"


class _Check:
    """The phrases of one group that share a first word and must be checked where it stands."""

    __slots__ = ("gid", "phrases", "_regex")

    def __init__(self, gid: int) -> None:
        self.gid = gid
        self.phrases: list[Phrase] = []
        self._regex: re.Pattern[str] | None = None

    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            from policylint.phrases import group_regex

            self._regex = re.compile(group_regex(self.phrases))  # used with match() at a word's start
        return self._regex

    def at(self, text: str, pos: int) -> bool:
        """Whether one of the phrases with syntax starts at ``pos`` (the start of a word) and ends a word."""
        return self.regex().match(text, pos) is not None


class _Search:
    """Phrases of one group tried against the whole text: anchored ones, or ones starting with syntax.

    The regex is searched only when the text holds everything one of the phrases
    needs (``phrases.needs``: its words, an "@" for an e-mail address, a digit
    for a phone number), which most sentences do not.
    """

    __slots__ = ("gid", "phrases", "_regex", "_needs")

    def __init__(self, gid: int) -> None:
        self.gid = gid
        self.phrases: list[Phrase] = []
        self._regex: re.Pattern[str] | None = None
        self._needs: list[tuple[str | None, ...]] = []

    def found(self, text: str) -> bool:
        if self._regex is None:
            from policylint.phrases import group_regex, needs

            self._regex = re.compile(group_regex(self.phrases))
            self._needs = [needs(phrase.text) for phrase in self.phrases]
        for wanted in self._needs:
            if all(_DIGIT.search(text) is not None if part is None else part in text for part in wanted):
                return self._regex.search(text) is not None
        return False


class _Entry:
    """What reading one word means: groups it matches outright, and phrases to check.

    ``literals`` are the phrases without syntax that start with the word, as (text,
    group id) pairs compared in place; ``checks`` the groups with phrases to match
    by regex there.
    """

    __slots__ = ("direct", "literals", "checks", "anchored")

    def __init__(self, direct: frozenset[int], literals: tuple[tuple[str, int], ...], checks: tuple[_Check, ...],
                 anchored: tuple[_Search, ...]) -> None:
        self.direct = direct
        self.literals = literals
        self.checks = checks
        self.anchored = anchored


_NOTHING = _Entry(frozenset(), (), (), ())


class PhraseIndex:
    """All phrase groups of one ruleset language, matched in a single pass per text."""

    def __init__(self, groups: Iterable[PhraseGroup]) -> None:
        self.groups = list(groups)
        # Tables by first word: exact words, and stems (a prefix of the word).
        self._direct: dict[str, set[int]] = {}
        self._stem_direct: dict[str, set[int]] = {}
        self._literals: dict[str, list[tuple[str, int]]] = {}  # phrases without syntax: (text, group id)
        self._checks: dict[str, dict[int, _Check]] = {}
        self._stem_checks: dict[str, dict[int, _Check]] = {}
        self._anchored: dict[str, dict[int, _Search]] = {}
        self._stem_anchored: dict[str, dict[int, _Search]] = {}
        self._always: dict[int, _Search] = {}
        for gid, group in enumerate(self.groups):
            group.gid, group.index = gid, self
            for phrase in group.parsed:
                self._add(gid, phrase)
        # For each first letter, the lengths of the stems starting with it: a word is cut
        # only at lengths where some stem could fit it.
        lengths: dict[str, set[int]] = {}
        for table in (self._stem_direct, self._stem_checks, self._stem_anchored):
            for stem in table:
                lengths.setdefault(stem[0], set()).add(len(stem))
        self._stem_lengths = {first: sorted(found) for first, found in lengths.items()}
        self._words: dict[str, _Entry] = {}
        self._texts: dict[str, frozenset[int]] = {}
        self._results: dict[frozenset[int], frozenset[int]] = {}

    def _add(self, gid: int, phrase: Phrase) -> None:
        key, is_stem = phrase.first_word, phrase.first_is_stem
        if key is None:  # starts with syntax: no word to wait for
            self._always.setdefault(gid, _Search(gid)).phrases.append(phrase)
        elif phrase.anchored:
            table = self._stem_anchored if is_stem else self._anchored
            table.setdefault(key, {}).setdefault(gid, _Search(gid)).phrases.append(phrase)
        elif phrase.single_word:
            (self._stem_direct if is_stem else self._direct).setdefault(key, set()).add(gid)
        elif phrase.literal is not None:  # no syntax at all, so its first word is no stem
            self._literals.setdefault(key, []).append((phrase.literal, gid))
        else:
            check = (self._stem_checks if is_stem else self._checks).setdefault(key, {}).setdefault(gid, _Check(gid))
            check.phrases.append(phrase)

    def _entry(self, word: str) -> _Entry:
        direct = set(self._direct.get(word, ()))
        checks = list(self._checks.get(word, {}).values())
        anchored = list(self._anchored.get(word, {}).values())
        for length in self._stem_lengths.get(word[0], ()):
            if length > len(word):
                break
            stem = word[:length]
            direct.update(self._stem_direct.get(stem, ()))
            checks.extend(self._stem_checks.get(stem, {}).values())
            anchored.extend(self._stem_anchored.get(stem, {}).values())
        literals = tuple(self._literals.get(word, ()))
        if direct or literals or checks or anchored:
            entry = _Entry(frozenset(direct), literals, tuple(checks), tuple(anchored))
        else:
            entry = _NOTHING
        if len(self._words) >= _MAX_WORDS:
            self._words.clear()
        self._words[word] = entry
        return entry

    def matching_all(self, texts: Iterable[str]) -> list[frozenset[int]]:
        """``matching`` of each text; remembered texts are looked up without a call each."""
        known, match = self._texts.get, self.matching
        return [found if (found := known(text)) is not None else match(text) for text in texts]

    def matching(self, text: str) -> frozenset[int]:
        """The ids of the groups with a phrase in ``text`` (a normalized string)."""
        known = self._texts.get(text)
        if known is not None:
            return known
        hits: set[int] = set()
        anchored: list[_Search] = []
        words = self._words
        first = True
        for match in _WORD_RUN.finditer(text):
            word = match.group()
            if first and word.strip("_"):
                first = False
                if word[0] == "_":
                    # "^" allows underscores before a phrase (^[\W_]*), which \w+ counts as part of
                    # the first word: "_Never post" must still try the phrases anchored on "never".
                    bare = word.lstrip("_")
                    anchored.extend((words.get(bare) or self._entry(bare)).anchored)
            entry = words.get(word) or self._entry(word)
            if entry is _NOTHING:
                continue
            if entry.direct:
                hits.update(entry.direct)
            pos = match.start()
            for literal, gid in entry.literals:
                if gid not in hits and text.startswith(literal, pos):
                    end = pos + len(literal)
                    if end == len(text) or not _is_word_char(text[end]):
                        hits.add(gid)
            for check in entry.checks:
                if check.gid not in hits and check.at(text, pos):
                    hits.add(check.gid)
            if entry.anchored:
                anchored.extend(entry.anchored)
        for search in anchored:
            if search.gid not in hits and search.found(text):
                hits.add(search.gid)
        for search in self._always.values():
            if search.gid not in hits and search.found(text):
                hits.add(search.gid)
        result = frozenset(hits)
        if len(self._texts) >= _MAX_TEXTS:
            self._texts.clear()
            self._results.clear()
        # Sentences share few distinct answers: keep one copy of each.
        result = self._results.setdefault(result, result)
        self._texts[text] = result
        return result
