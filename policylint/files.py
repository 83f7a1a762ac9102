"""Which files a run lints: named files as they are, folders walked for Markdown."""
from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class PathProblem:
    """A path that was named (or found in a folder) but cannot be linted."""

    path: str
    message: str


@dataclass(frozen=True)
class PathNote:
    """Something to tell about a path that is not an error (a folder without policies)."""

    path: str
    message: str


def discover(paths: list[str]) -> Iterator[str | PathProblem | PathNote]:
    """Yield the files to lint, in a stable order, and a problem for each bad path."""
    seen: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            found_any = False
            for found in _walk(given):
                found_any = True
                if isinstance(found, PathProblem):
                    yield found
                    continue
                key = os.path.realpath(found)
                if key not in seen:
                    seen.add(key)
                    yield found
            if not found_any:
                yield PathNote(given, "is a folder without Markdown files (*.md, *.markdown); nothing to lint")
        elif os.path.lexists(given) and not os.path.exists(given):
            yield PathProblem(given, _broken_link(given))
        elif not os.path.exists(given):
            yield PathProblem(given, "no such file or folder")
        else:
            key = os.path.realpath(given)
            if key not in seen:
                seen.add(key)
                yield given


def _broken_link(path: str) -> str:
    """Why a symbolic link cannot be followed."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link loop (it points back to itself)"
    return "is a broken symbolic link (its target does not exist)"


def _walk(top: str) -> Iterator[str | PathProblem]:
    """Markdown files under ``top``, skipping hidden folders and files, sorted per folder.

    Symbolic links to folders are not followed (os.walk's default), so a link loop
    cannot make the walk endless; a Markdown link that leads nowhere is reported.
    """
    errors: list[OSError] = []
    for folder, dirs, names in os.walk(top, onerror=errors.append):
        # A folder that cannot be listed is named, not silently left out.
        yield from (PathProblem(str(e.filename), _folder_problem(e)) for e in errors)
        errors.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            path = os.path.normpath(os.path.join(folder, name))
            if os.path.isfile(path):
                yield path
            elif os.path.islink(path) and not os.path.exists(path):
                yield PathProblem(path, _broken_link(path))
            elif not os.path.isdir(path):
                yield PathProblem(path, "is not a regular file (a pipe, socket or device); skipped")
    yield from (PathProblem(str(e.filename), _folder_problem(e)) for e in errors)


def _folder_problem(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "is a folder that cannot be read: permission denied"
    return f"is a folder that cannot be read: {(exc.strerror or str(exc)).lower()}"
