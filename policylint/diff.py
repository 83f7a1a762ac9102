"""Which lines changed since a git revision, for ``policylint check --diff-base REF``.

A changed policy keeps its findings on added or changed lines plus all of its
file-level findings (a missing element, the front matter): a missing section is
never on a changed line, and dropping it would hide the finding that matters
most. Files unchanged since REF are not reported at all. Untracked files (not
ignored) count as wholly added.
"""
from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from policylint.errors import PolicylintError
from policylint.findings import FileReport

# A hunk header of ``git diff --unified=0``: old start[,count] and new start[,count].
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12, ord("r"): 13}

# Options that pin the output format whatever the user's git config says
# (diff.noprefix, diff.relative, color.diff, diff.external, textconv filters).
_DIFF_OPTIONS = ("--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--find-renames",
                 "--src-prefix=a/", "--dst-prefix=b/",
                 # UTF-16 policies look binary to git; diff them as text to get their lines.
                 "--text")


class DiffError(PolicylintError):
    """--diff-base could not work out what changed (no git, no repository, unknown revision)."""


@dataclass(frozen=True)
class Changes:
    """Files changed since a revision, each with its added or changed lines (1-based)."""

    base: str  # the commit compared with
    # real path -> changed lines in the working tree; None when the whole file is new
    files: Mapping[str, frozenset[int] | None]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and os.path.realpath(path) in self.files

    def lines(self, path: str) -> frozenset[int] | None:
        """Changed lines of a changed file (None: all of them)."""
        return self.files[os.path.realpath(path)]

    def restrict(self, report: FileReport) -> FileReport:
        """The report with only the findings this change is answerable for."""
        lines = self.lines(report.path)
        if lines is None:
            return report
        kept = [f for f in report.findings
                if f.scope == "file" or any(n in lines for n in range(f.line, (f.end_line or f.line) + 1))]
        return dataclasses.replace(report, findings=kept)


def since(ref: str, paths: Sequence[str] = (".",)) -> Changes:
    """What changed under ``paths`` between ``ref`` and the working tree.

    ``REF...`` (three dots) compares with the merge base of REF and HEAD, which is
    what a pull request changed even when its target branch moved on.
    """
    top = _git("rev-parse", "--show-toplevel", what="find the git repository").decode().strip()
    base = _resolve(ref)
    specs = list(paths) or ["."]
    files: dict[str, frozenset[int] | None] = {}
    for name in _numstat(_git("diff", "--numstat", "-z", *_DIFF_OPTIONS, base, "--", *specs, what="run git diff")):
        files[_real(top, name)] = frozenset()
    for name, lines in _hunks(_git("diff", "--unified=0", *_DIFF_OPTIONS, base, "--", *specs,
                                   what="run git diff")).items():
        files[_real(top, name)] = frozenset(lines)
    untracked = _git("ls-files", "-z", "--others", "--exclude-standard", "--", *specs, what="list untracked files")
    for raw in filter(None, untracked.split(b"\0")):
        files[os.path.realpath(os.fsdecode(raw))] = None  # ls-files names are relative to here
    return Changes(base, files)


def _resolve(ref: str) -> str:
    """The commit id ``ref`` names, or a clear error."""
    if not ref.strip() or ref.startswith("-"):
        raise DiffError(f"--diff-base: {ref!r} is not a git revision")
    if ref.endswith("...") and len(ref) > 3:
        commit = _resolve(ref[:-3])
        try:
            return _git("merge-base", commit, "HEAD", what="find the merge base").decode().strip()
        except DiffError as exc:
            raise DiffError(f"--diff-base: {ref[:-3]!r} and HEAD have no common history here "
                            "(in a shallow CI checkout, fetch more history)") from exc
    try:
        return _git("rev-parse", "--verify", "--quiet", ref + "^{commit}", what="").decode().strip()
    except DiffError:
        raise DiffError(f"--diff-base: unknown git revision {ref!r} "
                        "(in a CI checkout, fetch it first, e.g. `git fetch origin main`)") from None


def _git(*args: str, what: str) -> bytes:
    """Output of one git command; every way it can fail becomes a DiffError."""
    command = ["git", "-c", "core.quotepath=false", "--literal-pathspecs", *args]
    try:
        done = subprocess.run(command, capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("--diff-base needs git, but no `git` program was found "
                        "(is it installed and on PATH?)") from None
    except OSError as exc:
        raise DiffError(f"--diff-base: could not run git: {exc}") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        if detail and "not a git repository" in detail[0]:
            raise DiffError(f"--diff-base: {os.getcwd()} is not inside a git repository")
        raise DiffError(f"--diff-base: could not {what}: {detail[0] if detail else f'git exit {done.returncode}'}")
    return done.stdout


def _numstat(output: bytes) -> list[bytes]:
    """Paths (new side) of ``git diff --numstat -z``; a rename is ``counts\\0old\\0new``."""
    names: list[bytes] = []
    fields = output.split(b"\0")
    i = 0
    while i < len(fields):
        counts = fields[i]
        if not counts:
            i += 1
            continue
        path = counts.split(b"\t", 2)[2] if counts.count(b"\t") >= 2 else b""
        if path:
            names.append(path)
            i += 1
        else:  # renamed or copied: the old and the new path follow
            names.append(fields[i + 2] if i + 2 < len(fields) else fields[-1])
            i += 3
    return names


def _hunks(patch: bytes) -> dict[bytes, set[int]]:
    """Added or changed lines per file (new side) of a ``--unified=0`` patch."""
    result: dict[bytes, set[int]] = {}
    current: bytes | None = None
    old_left = new_left = 0  # content lines still to come in the current hunk
    for line in patch.split(b"\n"):
        if old_left > 0 or new_left > 0:
            # Counting content lines, rather than recognising headers, keeps a
            # policy line that happens to start with "+++" or "@@" from misleading us.
            if line.startswith(b"-"):
                old_left -= 1
            elif line.startswith(b"+"):
                new_left -= 1
            continue
        if line.startswith(b"diff --git "):
            current = None
        elif line.startswith(b"+++ "):
            target = _unquote(line[4:])
            current = target[2:] if target.startswith(b"b/") else None  # None for /dev/null
        elif line.startswith(b"@@ "):
            match = _HUNK.match(line)
            if match is None:
                continue
            old_left = int(match[2]) if match[2] is not None else 1
            new_left = int(match[4]) if match[4] is not None else 1
            start = int(match[3])
            if current is not None and new_left:
                result.setdefault(current, set()).update(range(start, start + new_left))
    return result


def _unquote(raw: bytes) -> bytes:
    """A path as git prints it in a patch header: C-quoted, or followed by a tab if it has spaces."""
    if not raw.startswith(b'"'):
        return raw[:-1] if raw.endswith(b"\t") else raw
    out = bytearray()
    i = 1
    while i < len(raw) and raw[i] != ord('"'):
        if raw[i] == ord("\\") and i + 1 < len(raw):
            following = raw[i + 1]
            if ord("0") <= following <= ord("7"):
                out.append(int(raw[i + 1:i + 4], 8) & 0xFF)
                i += 4
                continue
            out.append(_ESCAPES.get(following, following))
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def _real(top: str, name: bytes) -> str:
    return os.path.realpath(os.path.join(top, os.fsdecode(name)))
