"""Which files a run lints: named files as they are, folders walked for Markdown.

Folders are walked for files matching ``include`` (default ``*.md`` and
``*.markdown``), skipping hidden files and folders, paths matching ``exclude``
and, unless turned off, paths that ``.gitignore`` files ignore. A file named
on the command line is linted whatever its name, unless ``exclude`` matches it
(so a pre-commit hook respects the project's exclusions).
"""
from __future__ import annotations

import errno
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

DEFAULT_INCLUDE = ("*.md", "*.markdown")


@dataclass(frozen=True)
class PathProblem:
    """A path that was named (or found in a folder) but cannot be linted."""

    path: str
    message: str


class _Patterns:
    """Globs in gitignore syntax, compiled (importing pathspec, ~8 ms) only when first matched.

    A pre-commit run names its files and usually has no exclude patterns: it
    then never needs pathspec at all.
    """

    def __init__(self, lines: Any) -> None:
        self.lines = list(lines)
        self._spec: Any = None

    def match_file(self, path: str) -> bool:
        if not self.lines:
            return False
        if self._spec is None:
            import pathspec

            self._spec = pathspec.GitIgnoreSpec.from_lines(self.lines)
        return bool(self._spec.match_file(path))


class FileFilter:
    """Include/exclude globs (gitignore syntax) and .gitignore files."""

    def __init__(self, include: Any = DEFAULT_INCLUDE, exclude: Any = (), root: str | None = None,
                 respect_gitignore: bool = True) -> None:
        self.root = os.path.abspath(root or os.getcwd())
        self.include = _Patterns(include or DEFAULT_INCLUDE)
        self.exclude = _Patterns(exclude or ())
        self.respect_gitignore = respect_gitignore

    def without_gitignore(self) -> FileFilter:
        copy = object.__new__(FileFilter)
        copy.root, copy.include, copy.exclude, copy.respect_gitignore = self.root, self.include, self.exclude, False
        return copy

    @classmethod
    def from_settings(cls, settings: Any) -> FileFilter:
        return cls(getattr(settings, "include", DEFAULT_INCLUDE), getattr(settings, "exclude", ()),
                   getattr(settings, "filter_root", None), getattr(settings, "respect_gitignore", True))

    def _relative(self, path: str) -> str:
        full = os.path.abspath(path)
        folder, name = os.path.split(full)
        base = _relative_folder(folder, self.root)  # one relpath per folder, not per file
        if not name or base.startswith(".."):
            return os.path.relpath(full, self.root).replace(os.sep, "/")  # outside the root: as relpath says
        return name if base == "." else f"{base}/{name}"

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        relative = self._relative(path) + ("/" if is_dir else "")
        if self.exclude.match_file(relative):
            return True
        return self.respect_gitignore and _gitignored(os.path.abspath(path), is_dir)

    def included(self, path: str) -> bool:
        return self.include.match_file(self._relative(path)) or self.include.match_file(os.path.basename(path))


@functools.lru_cache(maxsize=4096)
def _relative_folder(folder: str, root: str) -> str:
    return os.path.relpath(folder, root).replace(os.sep, "/")


@dataclass(frozen=True)
class PathNote:
    """Something to tell about a path that is not an error (a folder without policies)."""

    path: str
    message: str


def discover(paths: list[str], file_filter: FileFilter | None = None) -> Iterator[str | PathProblem | PathNote]:
    """Yield the files to lint, in a stable order, and a problem for each bad path."""
    file_filter = file_filter or FileFilter()
    seen: set[str] = set()
    for given in paths:
        if os.path.isdir(given):
            walk_filter = file_filter
            if file_filter.respect_gitignore and _gitignored(os.path.abspath(given), True):
                # A folder named on the command line is wanted, even if git ignores it.
                walk_filter = file_filter.without_gitignore()
            found_any = False
            for found in _walk(given, walk_filter):
                found_any = True
                if isinstance(found, PathProblem):
                    yield found
                    continue
                key = os.path.realpath(found)
                if key not in seen:
                    seen.add(key)
                    yield found
            if not found_any:
                yield PathNote(given, "is a folder without policy files (Markdown files that the include and "
                                      "exclude settings and .gitignore let through); nothing to lint")
        elif os.path.lexists(given) and not os.path.exists(given):
            yield PathProblem(given, _broken_link(given))
        elif not os.path.exists(given):
            yield PathProblem(given, "no such file or folder")
        elif file_filter.exclude.match_file(file_filter._relative(given)):
            continue  # named explicitly but excluded by the config (as ruff's force-exclude)
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


def _walk(top: str, file_filter: FileFilter) -> Iterator[str | PathProblem]:
    """Files under ``top`` that pass the filter, sorted per folder.

    Symbolic links to folders are not followed (os.walk's default), so a link loop
    cannot make the walk endless; a policy link that leads nowhere is reported.
    """
    errors: list[OSError] = []
    for folder, dirs, names in os.walk(top, onerror=errors.append):
        # A folder that cannot be listed is named, not silently left out.
        yield from (PathProblem(str(e.filename), _folder_problem(e)) for e in errors)
        errors.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not file_filter.excluded(os.path.join(folder, d), is_dir=True))
        for name in sorted(names):
            path = os.path.normpath(os.path.join(folder, name))
            if name.startswith(".") or not file_filter.included(path) or file_filter.excluded(path):
                continue
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


# --- .gitignore ---------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _git_root(directory: str) -> str | None:
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


@functools.lru_cache(maxsize=4096)
def _gitignore_spec(directory: str) -> Any:
    """The patterns of ``directory/.gitignore`` (None when there is none)."""
    import pathspec

    path = os.path.join(directory, ".gitignore")
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return pathspec.GitIgnoreSpec.from_lines(handle.read().splitlines())
    except OSError:
        return None


def _gitignored(path: str, is_dir: bool) -> bool:
    """Whether a .gitignore between the repository root and the path ignores it."""
    root = _git_root(os.path.dirname(path))
    if root is None:
        return False
    ignored = False
    directory = root
    parts = os.path.relpath(os.path.dirname(path), root).split(os.sep)
    chain = [root] + [os.path.join(root, *parts[: i + 1]) for i in range(len(parts)) if parts[0] != "."]
    for directory in chain:
        spec = _gitignore_spec(directory)
        if spec is None:
            continue
        relative = os.path.relpath(path, directory).replace(os.sep, "/") + ("/" if is_dir else "")
        result = spec.check_file(relative)
        if result.include is not None:
            ignored = bool(result.include)
    return ignored
