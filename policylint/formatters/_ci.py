"""What the CI formats share: repository paths, stable fingerprints, message text, source lines."""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable

from policylint.findings import Finding, Severity

# Rule id the CI formats give a path that could not be linted at all.
UNREADABLE = "unreadable"
# Same line breaks as parse.py, so that line numbers agree with the findings'.
_NEWLINE = re.compile(r"\r\n|\r|\n")


def repo_path(path: str) -> str:
    """``path`` as CI services want it: relative to the working folder when inside it, with ``/``."""
    norm = os.path.normpath(path)
    if os.path.isabs(norm):
        try:
            relative = os.path.relpath(norm)
        except ValueError:  # another drive (Windows): keep it absolute
            relative = os.pardir
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            norm = relative
    return norm.replace(os.sep, "/")


def fingerprint(rule: str, path: str, basis: str, occurrence: int = 0) -> str:
    """A hash that identifies one finding without its line number."""
    data = "\0".join((rule, path, basis, str(occurrence)))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprints(path: str, findings: Iterable[Finding]) -> list[str]:
    """One fingerprint per finding, stable when text moves to other lines.

    A finding about a sentence is identified by that sentence (``anchor``), a
    file-level one (a missing element) by its message. Two equal findings in one
    file are told apart by their order, which moving lines does not change.
    """
    seen: Counter[tuple[str, str]] = Counter()
    result = []
    for f in findings:
        basis = f.anchor if f.anchor is not None else f.message
        occurrence = seen[f.rule, basis]
        seen[f.rule, basis] += 1
        result.append(fingerprint(f.rule, path, basis, occurrence))
    return result


def full_message(f: Finding, separator: str = "\n") -> str:
    """The message followed by its hint, if any."""
    return f"{f.message}{separator}{f.hint}" if f.hint else f.message


def worst(findings: Iterable[Finding]) -> Severity | None:
    """The highest severity among ``findings``."""
    return max((f.severity for f in findings), default=None)


def read_lines(path: str) -> list[str] | None:
    """The decoded lines of a linted file, or None when it can no longer be read."""
    from policylint import parse
    from policylint.errors import PolicylintError

    try:
        with open(path, "rb") as handle:
            text = parse.decode(handle.read(), path)
    except (OSError, PolicylintError):
        return None
    return _NEWLINE.split(text)


def byte_column(line_text: str, column: int) -> int:
    """The 1-based UTF-8 byte column of the 1-based character ``column`` in ``line_text``."""
    prefix = line_text[: column - 1]
    # A line shorter than the column (the file changed since): count the rest as one byte each.
    missing = max(0, column - 1 - len(prefix))
    return len(prefix.encode("utf-8", "surrogatepass")) + missing + 1
