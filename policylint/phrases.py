"""Turn the phrase lists of a ruleset into fast, safe regular expressions.

Phrases are data written by policy people, not regex: they are literal words
with four pieces of syntax, so nothing a ruleset says can make matching slow.

    word*      a word starting with "word"           (sanction* -> sanctions)
    _          exactly one word                      (u _ nooit -> "u spreekt nooit")
    ~          zero to three words                   (may ~ not -> "may also not")
    @name      a built-in pattern: @email, @phone, @number, @channel, @url, @handle
    ^          at the start of the phrase: only at the start of the sentence

Matching is done on normalized text (lang.normalize): lower case, no accents,
straight quotes, single spaces. Phrases are normalized the same way.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

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
_WORDCHAR = r"[\w']"


def phrase_body(phrase: str) -> tuple[bool, str]:
    """Whether the phrase is anchored (``^``), and the regex of its words without the word-boundary guards."""
    text = normalize(phrase)
    anchored = text.startswith("^")
    if anchored:
        text = text[1:].strip()
    if not text:
        raise ConfigError(f"empty phrase {phrase!r}")
    parts: list[str] = []
    for token in text.split(" "):
        if token == "_":
            parts.append(r"\S+")
        elif token == "~":
            parts.append(r"(?:\S+\s){0,3}")
        elif token.startswith("@") and token[1:] in NAMED:
            parts.append(NAMED[token[1:]])
        elif token.startswith("@") and token[1:].isalpha():
            raise ConfigError(f"unknown pattern {token!r} in phrase {phrase!r}; known: "
                              + ", ".join("@" + n for n in NAMED))
        elif token.endswith("*") and len(token) > 1:
            parts.append(re.escape(token[:-1]) + r"[\w'-]*")
        else:
            parts.append(re.escape(token))
    # "~" carries its own trailing space; every other joint needs one.
    source = ""
    for i, part in enumerate(parts):
        source += part
        if i < len(parts) - 1 and not part.endswith("{0,3}"):
            source += r"\s"
    return anchored, source


def phrase_regex(phrase: str) -> str:
    """The regex source of one phrase (see the module docstring for the syntax)."""
    anchored, source = phrase_body(phrase)
    if anchored:
        return r"^[\W_]*(?:" + source + rf")(?!{_WORDCHAR})"
    first = source[0]
    if first.isalnum():
        # The same test as a leading (?<![\w']), moved after the first letter: a group
        # whose phrases all start with a letter then lets the regex engine skip to the
        # positions holding one of those letters, several times faster on long text.
        return first + rf"(?<!{_WORDCHAR}{first})(?:" + source[1:] + rf")(?!{_WORDCHAR})"
    return rf"(?<!{_WORDCHAR})(?:" + source + rf")(?!{_WORDCHAR})"


def compile_group(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern that matches any of the phrases, or None for an empty list."""
    sources = sorted({phrase_regex(p) for p in phrases})
    if not sources:
        return None
    return re.compile("|".join(sources))
