"""Turn the phrase lists of a ruleset into fast, safe regular expressions.

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
from typing import Any

from policylint.errors import ConfigError
from policylint.lang import normalize

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
_WORDCHAR = r"\w"  # an apostrophe ends a word: l'intérimaire, d'un, company's


def _atoms(phrase: str) -> tuple[bool, list[str]]:
    """A phrase as (anchored, regex atoms): one atom per literal character or syntax piece."""
    text = normalize(phrase)
    anchored = text.startswith("^")
    if anchored:
        text = text[1:].strip()
    if not text:
        raise ConfigError(f"empty phrase {phrase!r}")
    atoms: list[str] = []
    tokens = text.split(" ")
    for index, token in enumerate(tokens):
        if token == "_":
            atoms.append(r"\S+")
        elif token == "~":
            atoms.append(r"(?:\S+\s){0,3}")
        elif token.endswith("'_"):
            atoms.extend(re.escape(c) for c in token[:-1])
            atoms.append(r"\w+")  # n'_ : an elided word, n'utilisez
        elif token.startswith("@") and token[1:] in NAMED:
            atoms.append(NAMED[token[1:]])
        elif token.startswith("@") and token[1:].isalpha():
            raise ConfigError(f"unknown pattern {token!r} in phrase {phrase!r}; known: "
                              + ", ".join("@" + n for n in NAMED))
        elif token.endswith("*") and len(token) > 1:
            atoms.extend(re.escape(c) for c in token[:-1])
            atoms.append(r"[\w'-]*")
        else:
            atoms.extend(re.escape(c) for c in token)
        # "~" carries its own trailing space; every other joint needs one.
        if index < len(tokens) - 1 and token != "~":
            atoms.append(r"\s")
    return anchored, atoms


def _trie_source(sequences: list[list[str]]) -> str:
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


def group_regex(phrases: Iterable[str]) -> str:
    """The regex source matching any of the phrases, at word boundaries."""
    anchored: list[list[str]] = []
    free: list[list[str]] = []
    for phrase in phrases:
        is_anchored, atoms = _atoms(phrase)
        (anchored if is_anchored else free).append(atoms)
    parts = []
    if free:
        parts.append(rf"(?<!{_WORDCHAR})(?:" + _trie_source(free) + ")")
    if anchored:
        parts.append(r"^[\W_]*(?:" + _trie_source(anchored) + ")")
    return "(?:" + "|".join(parts) + rf")(?!{_WORDCHAR})"


_WORDS = re.compile(r"\w+")
_FIRST_WORD = re.compile(r"^\w+")


@functools.lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    """The words of a normalized text (cached: every group of every element asks)."""
    return frozenset(_WORDS.findall(text))


class PhraseGroup:
    """A compiled phrase list that first checks, cheaply, whether any phrase could occur.

    Every phrase starts with a known word, a word stem (``sanction*``) or
    something that needs the regex to tell (``@email``, ``_``). A text whose
    words offer none of those first words cannot match, and most texts don't:
    the regex, which is tried at every position of the text, is then skipped.
    """

    __slots__ = ("regex", "exact", "stems", "always")

    def __init__(self, phrases: list[str]) -> None:
        self.regex = re.compile(group_regex(sorted(set(phrases))))
        exact: set[str] = set()
        stems: set[str] = set()
        always = False
        for phrase in phrases:
            token = normalize(phrase).lstrip("^").strip().split(" ")[0]
            first = _FIRST_WORD.match(token)
            if first is None or token.startswith(("_", "~", "@")):
                always = True
            elif token.endswith("*") and first.group(0) == token[:-1]:
                stems.add(first.group(0))
            else:
                exact.add(first.group(0))
        self.exact = frozenset(exact)
        self.stems = tuple(sorted(stems))
        self.always = always

    def could_match(self, text: str) -> bool:
        if self.always:
            return True
        words = words_of(text)
        if not self.exact.isdisjoint(words):
            return True
        return bool(self.stems) and any(word.startswith(self.stems) for word in words)

    def search(self, text: str) -> re.Match[str] | None:
        """Like ``re.Pattern.search``, but skips texts that cannot match."""
        return self.regex.search(text) if self.could_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text) if self.could_match(text) else iter(())

    def sub(self, replacement: str, text: str) -> str:
        return self.regex.sub(replacement, text) if self.could_match(text) else text

    def search_before(self, text: str, end: int) -> re.Match[str] | None:
        """A match that ends before position ``end``."""
        return self.regex.search(text, 0, end) if self.could_match(text) else None


def compile_group(phrases: Iterable[str]) -> PhraseGroup | None:
    """One matcher for any of the phrases, or None for an empty list."""
    phrases = [p for p in phrases]
    if not phrases:
        return None
    return PhraseGroup(phrases)
