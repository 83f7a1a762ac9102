"""policylint: check company policies written as Markdown against the elements they need.

The public API is small and imports its machinery lazily, so that importing
``policylint`` (for ``--version``) stays cheap:

    lint_text(text, path="<text>")  -> FileReport
    lint_paths(paths)               -> list of FileReport
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from policylint.findings import FileReport


def lint_text(text: str, path: str = "<text>", settings: Any = None) -> FileReport:
    """Lint a policy given as text (as an editor holds it) with the settings that apply to ``path``."""
    from policylint import parse
    from policylint.config import clear_caches, settings_for
    from policylint.engine import lint_document
    from policylint.runner import choose_ruleset

    clear_caches()  # an editor calls this as files change; config edits must show at once
    resolved = settings_for(path, settings)
    doc = parse.parse(text, path, resolved.default_lang)
    return lint_document(doc, choose_ruleset(doc, resolved), resolved.lint)


def lint_paths(paths: list[str], settings: Any = None) -> list[FileReport]:
    """Lint files and folders; paths that cannot be read are left out (see runner.iter_reports)."""
    from policylint.findings import FileReport
    from policylint.runner import Settings, iter_reports, project_settings

    base = settings if settings is not None else Settings()
    return [r for r in iter_reports(paths, base, project_settings(base)) if isinstance(r, FileReport)]
