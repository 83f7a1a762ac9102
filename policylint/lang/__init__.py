"""Language data (stop words, abbreviations, UI messages) and text helpers.

Each language is one YAML file beside this module; adding a language means
adding a file here and one beside each ruleset.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections import Counter
from typing import Any

import yaml

try:  # the C loader is ~9x faster; fall back where libyaml is absent
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the build of PyYAML
    from yaml import SafeLoader  # type: ignore[assignment]

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"
                                     "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u00b4": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                         "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " "})
# The data files sit beside this module (importlib.resources costs ~6 ms to import, and
# wheels are always unpacked, so plain paths serve).
_HERE = os.path.dirname(os.path.abspath(__file__))
# Combining diacritical marks (U+0300-U+036F) that NFKD splits off accented Latin letters.
_LATIN_MARKS = re.compile("[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]")
_INVISIBLE_RUN = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]+")
_QUOTE_CHARACTER = re.compile("[" + re.escape("".join(map(chr, _QUOTES))) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_WORD = re.compile(r"[a-z]+")


def available() -> list[str]:
    """Language codes with a data file, e.g. ``["en", "nl"]``."""
    return sorted(_codes())


@functools.lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(n[:-5] for n in os.listdir(_HERE) if n.endswith(".yaml"))


def is_available(code: str) -> bool:
    """Whether there is a data file for ``code`` (the folder is read once per process)."""
    return code in _codes()


@functools.lru_cache(maxsize=None)
def data(code: str) -> dict[str, Any]:
    """The parsed data file of one language."""
    with open(os.path.join(_HERE, f"{code}.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    loaded: dict[str, Any] = yaml.load(text, Loader=SafeLoader)
    return loaded


def strip_invisible(text: str) -> str:
    """Drop zero-width and direction-control characters that hide inside words."""
    # A regex, not str.translate: translate with a table walks a non-ASCII text one
    # character at a time in Python's slow path (0.4 ms for a policy).
    return _INVISIBLE_RUN.sub("", text)


def _fold_quote(found: re.Match[str]) -> str:
    return _QUOTES[ord(found.group())]


def _drop_combining(run: re.Match[str]) -> str:
    return "".join(c for c in run.group() if not unicodedata.combining(c))


@functools.lru_cache(maxsize=4096)  # headings and phrases are normalized again and again
def normalize(text: str) -> str:
    """Fold text for matching: no accents, one kind of quote and space, lower case."""
    if text.isascii():
        # Most sentences: no invisible or accented characters, one quote to fold (`), and
        # str.split() splits where \s+ matches (both follow str.isspace).
        return " ".join(text.replace("`", "'").split()).lower()
    text = _QUOTE_CHARACTER.sub(_fold_quote, strip_invisible(text))
    if not text.isascii():
        # The accents of Latin letters go with one substitution; whatever is left that
        # is not ASCII (a euro sign, a bullet, a rarer mark) is looked at one by one.
        text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
        if not text.isascii():
            text = _NON_ASCII.sub(_drop_combining, text)
    return " ".join(text.split()).casefold()  # str.split() splits where \s+ matches


@functools.lru_cache(maxsize=None)
def _stopwords() -> dict[str, frozenset[str]]:
    return {code: frozenset(data(code).get("stopwords", [])) for code in available()}


def detect(text: str, default: str = "en") -> tuple[str, bool]:
    """Guess the language of ``text`` by counting stop words. Returns (code, confident)."""
    words = _WORD.findall(normalize(text[:20000]))
    if not words:
        return default, False
    counts = Counter(words)
    scores = {code: sum(n for word, n in counts.items() if word in stops) for code, stops in _stopwords().items()}
    best = max(sorted(scores), key=lambda c: scores[c])
    ranked = sorted(scores.values(), reverse=True)
    confident = ranked[0] >= 3 and (len(ranked) == 1 or ranked[0] >= 1.5 * ranked[1])
    return (best, True) if confident else (default, False)


@functools.lru_cache(maxsize=None)
def sentence_splitter(code: str) -> re.Pattern[str]:
    """A pattern whose matches hold sentence boundaries for one language.

    A boundary is end punctuation followed by space and a capital, digit or
    opening quote, unless the word before the dot is a known abbreviation, or a
    line break after end punctuation, a colon or nothing at all when the next
    line starts with a capital (hard-wrapped text keeps going in lower case).

    The boundary itself (the white space between two sentences) is the one
    capture group that matched, ``match.span(match.lastindex)``: the punctuation
    before it is matched too, rather than looked behind for, because a pattern
    that starts with a character class lets ``re`` skip straight to candidates
    (twice as fast on policies as look-behinds tried at every character).
    """
    abbrevs = data(code).get("abbreviations", [])
    by_length: dict[int, list[str]] = {}
    for abbrev in abbrevs:
        by_length.setdefault(len(abbrev), []).append(re.escape(abbrev))
    # One look-behind per length (a look-behind has a fixed width) rather than one per word.
    guard = "".join(f"(?<!\\b(?:{'|'.join(sorted(words))}))" for _, words in sorted(by_length.items(), reverse=True))
    # The leading lookahead names the characters a boundary can start at, which lets
    # ``re`` skip the rest of the text in C (the alternatives alone did not: 40 % slower).
    # After end punctuation, what follows (space, then a capital) is checked before the
    # abbreviations are: most full stops end a block and fail there at once.
    return re.compile(
        rf"(?=[.!?:;\n])(?:[.!?][\"')\]*_]?(?=\s+[\"'(\[*_]*[A-Z0-9\u00C0-\u00DE])(?<!\b[A-Za-z]\.){guard}(\s+)"
        r"|[.!?:;](\s*\n\s*)"
        # [^\S\n] rather than \s: a lookahead that ran over every following line
        # break made a block of many whitespace-only lines quadratic.
        r"|(\n)(?=[^\S\n]*[\"'(\[*_]*[A-Z\u00C0-\u00DE]))"
    )


def message(code: str, message_id: str, **values: Any) -> str:
    """A UI message in one language, falling back to English."""
    table = data(code).get("messages", {})
    template = table.get(message_id) or data("en")["messages"][message_id]
    return str(template).format(**values)


def message_or_none(msg: Any, message_id: str) -> str | None:
    """``msg(message_id)`` when that message exists, else None (for optional messages)."""
    try:
        return str(msg(message_id))
    except KeyError:
        return None
