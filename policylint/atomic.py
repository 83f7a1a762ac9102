"""Write files so that readers see the old file or the whole new one, never half of it."""
from __future__ import annotations

import contextlib
import os
import tempfile


def _temp_beside(path: str, text: str) -> str:
    """A temporary file in the target's folder (so the final rename stays on one filesystem)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        # newline="" keeps the text's own line endings on every platform.
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); a policy should get the usual rights.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_new(path: str, text: str) -> None:
    """Create ``path`` with ``text``; raises FileExistsError rather than replace anything."""
    tmp = _temp_beside(path, text)
    try:
        try:
            # A hard link fails when the name is taken, so no file that appears
            # meanwhile is ever replaced (os.replace would silently do that).
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            # Filesystems without hard links: check, then rename (a small race, but no half file).
            if os.path.lexists(path):
                raise FileExistsError(path) from None
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_replace(path: str, text: str) -> None:
    """Write ``path`` (replacing it if it exists) through a temporary file and ``os.replace``."""
    if os.path.isdir(path):
        raise IsADirectoryError(path)
    tmp = _temp_beside(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def describe(exc: OSError) -> str:
    """A short reason for an OS error, without the Python noise."""
    return exc.strerror or exc.__class__.__name__

