"""Start-up: ``--version`` and ``--help`` import nothing heavy (the import set, not timings)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO

# Modules that cost tens of milliseconds to import and that only linting needs.
HEAVY = ("jsonschema", "markdown_it", "yaml", "referencing", "multiprocessing", "policylint.engine",
         "policylint.parse")

PROBE = """
import json, sys
import policylint.cli
try:
    policylint.cli.main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout = sys.__stdout__
print(json.dumps(sorted(sys.modules)))
"""


def imported_by(*args: str) -> set[str]:
    """Module names in sys.modules after policylint handles ``args`` in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"]])
def test_nothing_heavy_is_imported(args: list[str]) -> None:
    modules = imported_by(*args)
    assert "policylint.cli" in modules  # the probe really ran policylint
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == []


def test_the_probe_would_notice_a_heavy_import() -> None:
    # The same probe after a real lint run must see the heavy modules, or it proves nothing.
    modules = imported_by("check", "--format", "json", "--jobs", "1", str(REPO / "example-policy"))
    assert {"markdown_it", "yaml", "policylint.engine"} <= modules


def test_lazy_help_matches_each_commands_own_summary() -> None:
    import importlib

    from policylint.cli import LAZY_COMMANDS, LAZY_HELP

    assert set(LAZY_HELP) == set(LAZY_COMMANDS)
    for name, target in LAZY_COMMANDS.items():
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert command.get_short_help_str(limit=200) == LAZY_HELP[name], name
