"""Configuration: which settings apply to a file.

For now the settings come from the command line only; discovery of
``.policylint.yaml`` files is being added (issue 4). Everything that lints
asks this module, so that ``check``, ``review`` and the editor integration
always agree on the settings of a file.
"""
from __future__ import annotations

from typing import Any


def settings_for(path: str, base: Any = None) -> Any:
    """The Settings that apply to ``path``, starting from ``base`` (command-line settings)."""
    from policylint.runner import Settings

    return base if base is not None else Settings()
