"""What a pull request changed in one file, read from the ``patch`` GitHub lists for it.

Review comments may only sit on lines inside a hunk of the diff, and
policylint only comments on lines the pull request added or changed, so both
are kept: the hunks (as line ranges of the new file) and the added lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class FileDiff:
    """The new-file side of one file's patch."""

    hunks: tuple[range, ...] = ()
    added: frozenset[int] = frozenset()

    def hunk_of(self, line: int) -> range | None:
        """The hunk whose new-file range holds ``line``, if any."""
        return next((h for h in self.hunks if line in h), None)

    def placement(self, line: int, end_line: int | None = None) -> tuple[int | None, int] | None:
        """Where a comment on ``line..end_line`` goes: (start_line or None, line), or None.

        Only findings that touch an added line get a comment. A finding that
        lies within one hunk is commented on as a range; otherwise the comment
        goes on its first added line.
        """
        end = max(end_line or line, line)
        touched = [n for n in range(line, end + 1) if n in self.added]
        if not touched:
            return None
        hunk = self.hunk_of(line)
        if hunk is not None and end in hunk:
            return (line if end > line else None), end
        return None, touched[0]


def parse_patch(patch: str | None) -> FileDiff:
    """Read a unified-diff ``patch`` string; an absent patch (binary, too large) changes nothing."""
    if not patch:
        return FileDiff()
    hunks: list[range] = []
    added: set[int] = set()
    new = 0
    # split("\n"), not splitlines(): a policy line may hold a form feed or U+2028,
    # which splitlines() would take for line breaks and so miscount.
    lines = patch.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for text in lines:
        match = _HUNK.match(text)
        if match:
            start, count = int(match[1]), int(match[2] if match[2] is not None else 1)
            hunks.append(range(start, start + count))
            new = start
        elif not hunks or text.startswith(("-", "\\")):
            continue  # removed lines and "\ No newline at end of file" have no new-file line
        elif text.startswith("+"):
            added.add(new)
            new += 1
        else:
            new += 1
    return FileDiff(tuple(hunks), frozenset(added))
