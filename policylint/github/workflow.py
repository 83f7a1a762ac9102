"""GitHub Actions workflow commands (``::error file=...,line=...::message``) with their escaping.

Used by ``policylint review`` when the token may not comment. A ``github``
output format may live in ``formatters/``; both should share one printer.
"""
from __future__ import annotations

from collections.abc import Mapping

# The runner reads a command up to the end of its line and splits properties on
# "," and the key from the message on "::", so those must be percent-escaped;
# "%" itself first, or the other escapes would be escaped twice.
_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY = {**_DATA, ":": "%3A", ",": "%2C"}


def _escape(text: str, table: Mapping[str, str]) -> str:
    return "".join(table.get(c, c) for c in text)


def escape_data(text: str) -> str:
    """Escape a command's message."""
    return _escape(text, _DATA)


def escape_property(text: str) -> str:
    """Escape a property value (file, title, ...)."""
    return _escape(text, _PROPERTY)


def command(name: str, message: str, properties: Mapping[str, object] | None = None) -> str:
    """One workflow command line, e.g. ``::warning file=a.md,line=3::text``; None properties are left out."""
    props = ",".join(f"{key}={escape_property(str(value))}"
                     for key, value in (properties or {}).items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"
