"""Remember each file's report, keyed by everything that decides it, so an unchanged file is not linted again.

The key is a BLAKE2b over: the file's path and bytes; the settings that apply
to it (language, rule selection, severities, options, size limit); the
content of every ruleset file those settings can use; today's date (front
matter can become overdue overnight); the versions of Python, markdown-it-py
and PyYAML; and policylint itself (its version and the size and modification
time of every file of the installed package, so an edited rule or vocabulary
counts as a new version). Any change to one of them is a different key: an
old entry is never returned.

Entries are pickled FileReports, one file each, in a folder per day under
``.policylint_cache/`` in the current folder (``--cache-dir`` or
``POLICYLINT_CACHE_DIR`` elsewhere, ``--no-cache`` or ``POLICYLINT_NO_CACHE=1``
for none); the first write of a day removes the other days' folders, which no
key can reach any more. The folder holds a ``.gitignore`` of ``*`` so it is
never committed. Pickle runs code when loaded: the cache folder is as trusted
as the project it sits in, like ``__pycache__``. Deleting it is always safe.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import json
import os
import pickle
import re
import sys
from typing import TYPE_CHECKING, Any

from policylint import __version__

if TYPE_CHECKING:
    from policylint.findings import FileReport
    from policylint.runner import Settings

try:  # hashlib imports OpenSSL (~4 ms at start-up); its BLAKE2 comes from this small built-in module
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - every CPython has it, other Pythons may not
    from hashlib import blake2b as _hash

DEFAULT_DIR = ".policylint_cache"
_FORMAT = "1"  # bump when the entry layout changes
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def folder(settings: Settings) -> str | None:
    """Where entries go, or None when caching is off."""
    if not settings.cache or os.environ.get("POLICYLINT_NO_CACHE", "") not in ("", "0"):
        return None
    return settings.cache_dir or os.environ.get("POLICYLINT_CACHE_DIR") or DEFAULT_DIR


@functools.lru_cache(maxsize=1)
def _package_fingerprint() -> str:
    """policylint's version and the size and mtime of each of its files (code, rulesets, words, schemas)."""
    import markdown_it
    import yaml

    from policylint.schemas import schema_dir

    # The parser and the Python that ran it decide a report too (Unicode data, for one).
    digest = _hash(f"{_FORMAT}\0{__version__}\0{sys.version}\0{markdown_it.__version__}\0{yaml.__version__}".encode())
    for top in (_PACKAGE, str(schema_dir())):
        for base, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                path = os.path.join(base, name)
                info = os.stat(path)
                digest.update(f"{os.path.relpath(path, top)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _ruleset_files(settings: Settings) -> list[str]:
    """Every file that a ruleset these settings can choose was read from."""
    from policylint.ruleset import load

    specs = [settings.ruleset, *settings.rulesets.values()]
    files: list[str] = []
    for spec in specs:
        for path in load(spec).files:
            if path not in files:
                files.append(path)
    return files


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as handle:
        return _hash(handle.read()).hexdigest()


def clear_memory() -> None:
    """Forget the fingerprints taken in this process (a new run reads the files again)."""
    _package_fingerprint.cache_clear()
    _file_digest.cache_clear()
    _pruned.clear()


def _canonical(value: Any) -> Any:
    """Settings as JSON-ready data with a stable order (sets sorted, dates and enums as text)."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {name: _canonical(getattr(value, name)) for name in sorted(value.__dataclass_fields__)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def key(path: str, data: bytes, settings: Settings) -> str:
    """The cache key of one file's report (see the module docstring for what goes in)."""
    lint = settings.lint
    day = (lint.today or _dt.date.today()).isoformat()
    decisive = {
        "path": path,
        "default_lang": settings.default_lang,
        "ruleset": _canonical(settings.ruleset),
        "rulesets": _canonical(settings.rulesets),
        "lint": _canonical(lint),
        "today": day,
        "max_file_size": settings.max_file_size,
    }
    digest = _hash(_package_fingerprint().encode())
    digest.update(json.dumps(decisive, sort_keys=True, ensure_ascii=True).encode())
    for ruleset_file in _ruleset_files(settings):
        info = os.stat(ruleset_file)
        digest.update(f"\0{ruleset_file}\0{_file_digest(ruleset_file, info.st_size, info.st_mtime_ns)}".encode())
    digest.update(b"\0file\0")
    digest.update(data)
    return f"{day}/{digest.hexdigest()}"


def _entry(root: str, entry_key: str) -> str:
    # Entries live in a folder per day: the date is part of every key, so yesterday's
    # folder can never be hit again, and the first write of a day removes it.
    day, digest = entry_key.split("/")
    return os.path.join(root, day, digest[:2], digest[2:] + ".pickle")


_DAY_FOLDER = re.compile(r"\d{4}-\d{2}-\d{2}")
_pruned: set[str] = set()


def _prune(root: str, day: str) -> None:
    """Remove the entries of other days (once per process and cache folder)."""
    if root in _pruned:
        return
    _pruned.add(root)
    with contextlib.suppress(OSError):
        for name in os.listdir(root):
            if name != day and _DAY_FOLDER.fullmatch(name):
                import shutil  # only on the first write of a day

                shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def get(root: str, entry_key: str) -> FileReport | None:
    """The stored report, or None (absent, unreadable or damaged entries are misses)."""
    from policylint.findings import FileReport

    try:
        with open(_entry(root, entry_key), "rb") as handle:
            report = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss, never an error
        return None
    return report if isinstance(report, FileReport) else None


def put(root: str, entry_key: str, report: FileReport) -> None:
    """Store a report atomically; a cache that cannot be written is silently left alone."""
    path = _entry(root, entry_key)
    try:
        if not os.path.isdir(root):
            os.makedirs(root, exist_ok=True)
            with open(os.path.join(root, ".gitignore"), "w", encoding="utf-8") as handle:
                handle.write("# Made by policylint: its cache, never to be committed.\n*\n")
        _prune(root, entry_key.split("/")[0])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"  # one writer per process, and processes never share a pid
        try:
            with open(tmp, "wb") as handle:
                pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers see no entry or a whole one
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError:
        pass
