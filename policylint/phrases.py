"""Turn the phrase lists of a ruleset into fast, safe matchers.

Phrases are data written by policy people, not regex: they are literal words
with four pieces of syntax, so nothing a ruleset says can make matching slow.

    word*      a word starting with "word"           (sanction* -> sanctions)
    _          exactly one word                      (u _ nooit -> "u spreekt nooit")
    x'_        an elided word                        (n'_ pas -> "n'utilisez pas")
    ~          zero to three words                   (may ~ not -> "may also not")
    @name      a built-in pattern: @email, @phone, @number, @channel, @url, @handle
    ^          at the start of the phrase: only at the start of the sentence

Matching is done on normalized text (lang.normalize): lower case, no accents,
straight quotes, single spaces. Phrases are normalized the same way.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from policylint.errors import ConfigError
from policylint.lang import normalize
from policylint.phrase_index import PhraseIndex

NAMED: dict[str, str] = {
    # Starts only where a run of address characters starts: tried from every dot of a long
    # run of dots, the address scan made matching quadratic.
    "email": r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "phone": r"(?:\+\d{1,3}|\b0)[\d .\-/()]{6,16}\d",
    "number": r"\d{2,}",
    "channel": r"#[a-z][\w-]{2,}",
    "url": r"https?://\S+",
    "handle": r"@[a-z0-9_]{2,}",
}
# A character or text each pattern's matches contain (None: a digit), so that a sentence
# without it needs no regex search: @email and @phone phrases are tried on every sentence.
NAMED_NEEDS: dict[str, str | None] = {
    "email": "@", "phone": None, "number": None, "channel": "#", "url": "http", "handle": "@",
}
_WORDCHAR = r"\w"  # an apostrophe ends a word: l'intérimaire, d'un, company's


@dataclass(frozen=True)
class Phrase:
    """One phrase, parsed: what a word-by-word matcher needs to know, and its regex atoms on demand."""

    text: str  # normalized, without the "^"
    anchored: bool  # "^": only at the start of the sentence
    first_word: str | None  # the word it starts with (a stem when first_is_stem), None if it starts with syntax
    first_is_stem: bool
    single_word: bool  # one plain word or one plain stem: seeing that word is the match
    literal: str | None  # the text to find when the phrase has no syntax at all

    @classmethod
    def parse(cls, phrase: str) -> Phrase:
        text = normalize(phrase)
        anchored = text.startswith("^")
        if anchored:
            text = text[1:].strip()
        if not text:
            raise ConfigError(f"empty phrase {phrase!r}")
        tokens = text.split(" ")
        plain = True  # no syntax in any token: the phrase is its own text
        for token in tokens:
            kind = _token_kind(token)
            if kind == "unknown":
                raise ConfigError(f"unknown pattern {token!r} in phrase {phrase!r}; known: "
                                  + ", ".join("@" + n for n in NAMED))
            plain = plain and kind == "literal"
        first = _FIRST_WORD.match(tokens[0])
        first_word = first.group(0) if first and tokens[0] not in ("_", "~") else None
        first_is_stem = first_word is not None and tokens[0] == first_word + "*"
        single = len(tokens) == 1 and first_word is not None and tokens[0] in (first_word, first_word + "*")
        return cls(text, anchored, first_word, first_is_stem, single, text if plain else None)

    @property
    def atoms(self) -> tuple[str, ...]:
        """The phrase as regex pieces, one per literal character or piece of syntax (for a trie)."""
        return _atoms(self.text)


def _token_kind(token: str) -> str:
    if token.startswith("@") and token[1:] in NAMED:
        return "named"
    if token.startswith("@") and token[1:].isalpha():
        return "unknown"
    if token in ("_", "~"):
        return token
    if token.endswith("'_"):
        return "elided"
    if token.endswith("*") and len(token) > 1:
        return "stem"
    return "literal"


@functools.lru_cache(maxsize=None)
def needs(text: str) -> tuple[str | None, ...]:
    """What every match of a phrase (its normalized text) contains: each literal word, the
    start of each stem or elided word, and what NAMED_NEEDS says of each pattern."""
    found: list[str | None] = []
    for token in text.split(" "):
        kind = _token_kind(token)
        if kind == "literal":
            found.append(token)
        elif kind in ("stem", "elided"):
            found.append(token[:-1])
        elif kind == "named":
            found.append(NAMED_NEEDS[token[1:]])
    return tuple(found)


@functools.lru_cache(maxsize=None)
def _atoms(text: str) -> tuple[str, ...]:
    atoms: list[str] = []
    tokens = text.split(" ")
    for index, token in enumerate(tokens):
        kind = _token_kind(token)
        if kind == "named":
            atoms.append(NAMED[token[1:]])
        elif kind == "_":
            atoms.append(r"\S+")
        elif kind == "~":
            atoms.append(r"(?:\S+\s){0,3}")
        elif kind == "elided":
            atoms.extend(re.escape(c) for c in token[:-1])
            atoms.append(r"\w+")  # n'_ : an elided word, n'utilisez
        elif kind == "stem":
            atoms.extend(re.escape(c) for c in token[:-1])
            atoms.append(r"[\w'-]*")
        else:
            atoms.extend(re.escape(c) for c in token)
        # "~" carries its own trailing space; every other joint needs one.
        if index < len(tokens) - 1 and token != "~":
            atoms.append(r"\s")
    return tuple(atoms)


def _trie_source(sequences: list[tuple[str, ...]]) -> str:
    """One regex for many atom sequences, sharing common prefixes (a trie).

    Python's ``re`` tries the alternatives of a plain alternation one by one at
    every position; a trie tries each shared prefix once.
    """
    root: dict[str, Any] = {}
    for atoms in sequences:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}  # end of a phrase

    def emit(node: dict[str, Any]) -> str:
        branches = [atom + emit(child) for atom, child in node.items() if atom]
        ends = "" in node
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return emit(root)


def phrase_regex(phrase: str) -> str:
    """The regex source of one phrase (see the module docstring for the syntax)."""
    return group_regex([phrase])


def group_regex(phrases: Iterable[str | Phrase]) -> str:
    """The regex source matching any of the phrases, at word boundaries."""
    anchored: list[tuple[str, ...]] = []
    free: list[tuple[str, ...]] = []
    for phrase in phrases:
        parsed = phrase if isinstance(phrase, Phrase) else Phrase.parse(phrase)
        (anchored if parsed.anchored else free).append(parsed.atoms)
    parts = []
    if free:
        parts.append(rf"(?<!{_WORDCHAR})(?:" + _trie_source(free) + ")")
    if anchored:
        parts.append(r"^[\W_]*(?:" + _trie_source(anchored) + ")")
    return "(?:" + "|".join(parts) + rf")(?!{_WORDCHAR})"


_FIRST_WORD = re.compile(r"^\w+")


class PhraseGroup:
    """A list of phrases: any of them occurring in a text makes the group match.

    Whether a group occurs is answered by the PhraseIndex it belongs to (all
    groups of one ruleset language, matched in one pass per sentence). Where the
    place of a match matters (``search``, ``sub``), the group's own regex is
    compiled on first use and consulted only after the index says yes.
    """

    __slots__ = ("parsed", "gid", "index", "_regex")

    def __init__(self, phrases: list[str]) -> None:
        self.parsed = tuple(Phrase.parse(p) for p in sorted(set(phrases)))  # parsing checks the syntax
        self.gid = -1
        self.index: PhraseIndex | None = None
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(group_regex(self.parsed))
        return self._regex

    def occurs(self, text: str) -> bool:
        """Whether any phrase occurs in ``text``, which must be normalized (lang.normalize: one
        space between words, no tabs or line breaks), as every sentence and title is."""
        if self.index is None:
            PhraseIndex([self])  # a group on its own (tests, tools) gets an index of its own
        assert self.index is not None
        return self.gid in self.index.matching(text)

    def search(self, text: str) -> re.Match[str] | None:
        """Like ``re.Pattern.search``, but skips texts that cannot match."""
        return self.regex.search(text) if self.occurs(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.occurs(text) else iter(())

    def sub(self, replacement: str, text: str) -> str:
        return self.regex.sub(replacement, text) if self.occurs(text) else text

    def search_before(self, text: str, end: int) -> re.Match[str] | None:
        """A match that ends before position ``end``."""
        return self.regex.search(text, 0, end) if self.occurs(text) else None


def compile_group(phrases: Iterable[str]) -> PhraseGroup | None:
    """One matcher for any of the phrases, or None for an empty list."""
    phrases = [p for p in phrases]
    if not phrases:
        return None
    return PhraseGroup(phrases)
