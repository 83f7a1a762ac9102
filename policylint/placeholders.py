"""Placeholders an author still has to replace: ``[[...]]`` and markers such as ``TODO:``.

The marks are data (``placeholders`` in ``policylint/lang/<code>.yaml``), and the
marks of every language are looked for in every policy, because a Dutch policy
written from an English template still holds English to-do's. Each placeholder
is a ``placeholder`` finding (an error by default: it is text every reader
would see). Sentences that hold one are no evidence for any element: a scaffold
must not look finished.

Passes: "Questions? Ask the HR team at hr@example.com."
Fails: "[[Contact person: write your text here]]", "TODO: ask Legal about the sanctions."
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterator

from policylint import lang as _lang
from policylint.document import PolicyDocument
from policylint.findings import Finding, Severity

RULE = "placeholder"
SEVERITY = Severity.ERROR
_COMMENT_OPEN, _COMMENT_CLOSE = "<!--", "-->"
_QUOTE_MAX = 60


@functools.lru_cache(maxsize=1)
def _spec() -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """The placeholder marks of all known languages: (opening, closing) pairs, and markers."""
    enclosed: set[tuple[str, str]] = set()
    markers: set[str] = set()
    for code in _lang.available():
        spec = _lang.data(code).get("placeholders") or {}
        enclosed.update((str(a), str(b)) for a, b in spec.get("enclosed") or [])
        markers.update(str(m) for m in spec.get("markers") or [])
    return frozenset(enclosed), frozenset(markers)


@functools.lru_cache(maxsize=1)
def pattern() -> re.Pattern[str]:
    """One pattern for the placeholder marks of all known languages."""
    enclosed, markers = _spec()
    parts = [
        # The shortest stretch up to the first closing mark, on one line and not empty.
        f"{re.escape(open_)}(?:(?!{re.escape(close)})[^\\n])*?\\S(?:(?!{re.escape(close)})[^\\n])*?{re.escape(close)}"
        for open_, close in sorted(enclosed)
    ]
    # A marker starts a word and runs to the end of its line: that is the to-do.
    parts += [f"(?<!\\w){re.escape(m)}[^\\n]*" for m in sorted(markers, key=len, reverse=True)]
    return re.compile("|".join(parts) if parts else r"(?!)")


@functools.lru_cache(maxsize=1)
def _marks() -> tuple[str, ...]:
    """The literal text every placeholder starts with: an opening mark or a marker."""
    enclosed, markers = _spec()
    return tuple(sorted({opening for opening, _ in enclosed} | markers))


def _may_hold(text: str) -> bool:
    """False when ``text`` certainly holds no placeholder (``in`` is far faster than the pattern)."""
    return any(mark in text for mark in _marks())


def opening(code: str) -> tuple[str, str]:
    """The marks ``policylint init`` writes around a placeholder in language ``code``."""
    spec = _lang.data(code).get("placeholders") or {}
    pairs = spec.get("enclosed") or [["[[", "]]"]]
    return str(pairs[0][0]), str(pairs[0][1])


def contains(text: str) -> bool:
    """True when ``text`` holds a placeholder."""
    return pattern().search(text) is not None


def spans(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(line, column, text) of each placeholder outside HTML comments; 1-based."""
    # Every placeholder starts with a known mark: a file without any (nearly every
    # file) is done with one scan.
    if not _may_hold("\n".join(lines)):
        return
    found = pattern()
    in_comment = False
    for number, line in enumerate(lines, 1):
        visible, in_comment = _outside_comments(line, in_comment)
        for match in found.finditer(visible):
            yield number, match.start() + 1, match.group(0).strip()


def _outside_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line with commented-out stretches blanked (columns kept), and the state after it."""
    chars = list(line)
    pos = 0
    while pos < len(line):
        if in_comment:
            end = line.find(_COMMENT_CLOSE, pos)
            stop = len(line) if end < 0 else end + len(_COMMENT_CLOSE)
            chars[pos:stop] = " " * (stop - pos)
            if end < 0:
                break
            in_comment, pos = False, stop
        else:
            start = line.find(_COMMENT_OPEN, pos)
            if start < 0:
                break
            in_comment, pos = True, start
    return "".join(chars), in_comment


def check(doc: PolicyDocument, message_lang: str, severity: Severity | None = None) -> list[Finding]:
    """One finding per placeholder, front matter included (comments are the author's own notes)."""
    findings = []
    for line, column, text in spans(doc.lines):
        quoted = text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "\u2026"
        findings.append(Finding(
            rule=RULE, message=_lang.message(message_lang, "placeholder", text=quoted),
            line=line, column=column, end_line=line,
            hint=_lang.message(message_lang, "placeholder-hint"),
            severity=severity or SEVERITY, anchor=text,
        ))
    return findings


def evidence_view(doc: PolicyDocument) -> PolicyDocument:
    """The document as detectors should see it: nothing the author has yet to write.

    Sentences holding a placeholder are left out, and so is the heading of a
    section (levels 1-6) with no other sentence left under it: "## Third parties"
    over an empty section, or over a placeholder, says nothing yet.
    """
    if not _may_hold("\n".join(s.text for s in doc.sentences)):  # one scan for the usual case
        kept = list(doc.sentences)
    else:
        found = pattern()
        kept = [s for s in doc.sentences if not found.search(s.text)]
    heading_lines = {section.line for section in doc.sections}
    # Sorted lines of the text that is left, so each section's check is a bisection
    # (a file with thousands of headings must not cost sections x sentences).
    text_lines = sorted(s.line for s in kept if s.line not in heading_lines)
    empty = set()
    for section in doc.sections:
        first = bisect.bisect_right(text_lines, section.line)
        if section.level <= 6 and not (first < len(text_lines) and text_lines[first] <= section.end_line):
            empty.add(section.line)
    if empty:
        kept = [s for s in kept if not (s.line in empty and doc.blocks[s.block].kind == "heading")]
    if len(kept) == len(doc.sentences):
        return doc
    return dataclasses.replace(doc, sentences=kept)
