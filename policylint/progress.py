"""A progress line on the terminal (``[ 120/1000] path``) while many files are linted.

Only on a terminal: ``for_stderr()`` gives None when stderr is not one, so logs,
pipes and CI output never see it. It is redrawn in place with a carriage
return and wiped before anything else is written to the same terminal, and
when the run ends.
"""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

THRESHOLD = 20  # fewer files than this finish before a progress line would help
_INTERVAL = 0.05  # seconds between redraws: a terminal need not show every file


class Progress:
    """Callable hook for ``runner.run``: ``progress(index, total, path)``."""

    def __init__(self, stream: TextIO, threshold: int = THRESHOLD) -> None:
        self.stream = stream
        self.threshold = threshold
        self.shown = 0  # width of the line on screen, 0 when none
        self._last = 0.0

    def __call__(self, index: int, total: int, path: str) -> None:
        if total <= self.threshold:
            return
        now = time.monotonic()
        if self.shown and index < total and now - self._last < _INTERVAL:
            return
        self._last = now
        width = len(str(total))
        line = f"[{index:>{width}}/{total}] {path}"
        room = self._columns() - 1  # the last column would wrap on some terminals
        if len(line) > room:
            keep = max(room - (2 * width + 4) - 1, 0)
            line = f"[{index:>{width}}/{total}] \u2026{path[len(path) - keep:] if keep else ''}"[:room]
        self.stream.write("\r" + line.ljust(self.shown))
        self.stream.flush()
        self.shown = max(self.shown, len(line))

    def clear(self) -> None:
        """Wipe the line, so the next output starts on a clean line."""
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0

    def _columns(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (OSError, ValueError, AttributeError):
            return 80


class ClearingStream:
    """Output that shares the terminal with a progress line: wipe the line before writing."""

    def __init__(self, stream: TextIO, progress: Progress) -> None:
        self._stream = stream
        self._progress = progress

    def write(self, text: str) -> int:
        self._progress.clear()
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def for_stderr(stderr: TextIO, stdout: TextIO) -> tuple[Progress | None, TextIO]:
    """(progress hook or None, the stream to write the report to) for a command run."""
    if not _isatty(stderr):
        return None, stdout
    progress = Progress(stderr)
    # The report goes to the same screen: keep it from landing on the progress line.
    return progress, (ClearingStream(stdout, progress) if _isatty(stdout) else stdout)  # type: ignore[return-value]


def with_progress(run: Callable[[Any, TextIO, Progress | None], int], settings: Any) -> int:
    """``run(settings, stdout, hook)`` with a progress line on stderr when it is a terminal."""
    hook, stream = for_stderr(sys.stderr, sys.stdout)
    try:
        return run(settings, stream, hook)
    finally:
        if hook is not None:
            hook.clear()
