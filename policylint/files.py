"""Which files a run lints: named files as they are, folders walked for Markdown."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class PathProblem:
    """A path that was named but cannot be linted."""

    path: str
    message: str


def discover(paths: list[str]) -> Iterator[str | PathProblem]:
    """Yield the files to lint, in a stable order, and a problem for each bad path."""
    seen: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            for found in _walk(given):
                key = os.path.realpath(found)
                if key not in seen:
                    seen.add(key)
                    yield found
        elif os.path.lexists(given) and not os.path.exists(given):
            yield PathProblem(given, "is a broken symbolic link")
        elif not os.path.exists(given):
            yield PathProblem(given, "no such file or folder")
        else:
            key = os.path.realpath(given)
            if key not in seen:
                seen.add(key)
                yield given


def _walk(top: str) -> Iterator[str]:
    """Markdown files under ``top``, skipping hidden folders and files, sorted per folder."""
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                yield os.path.normpath(path)
