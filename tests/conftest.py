"""Shared fixtures: a CLI runner, a folder to write policies in, the shared planning data."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from policylint.cli import main

REPO = Path(__file__).resolve().parent.parent
# The planning repository's shared/ folder sits beside this checkout (as in CI).
SHARED = REPO.parent / "shared"

FRONT_MATTER_EN = """\
---
title: "Social media policy"
lang: en
owner: "Communications"
version: "1.0"
effective: 2026-01-01
review: 2099-01-01
contact:
  role: "Communications team"
  email: "social@example.com"
---
"""


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Invoke ``policylint ARGS`` in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs: Any) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file under tmp_path (text as UTF-8 unless bytes are given) and return its path."""
    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


def json_report(result: Result) -> dict[str, Any]:
    """The parsed JSON report of a ``--format json`` run."""
    return json.loads(result.stdout)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="rewrite the golden *.expected.json files of the rule cases instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite golden files (``pytest --update-golden``)."""
    return bool(request.config.getoption("--update-golden"))


def shared_available() -> bool:
    return (SHARED / "corpus").is_dir()


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests compare plain text; a developer's NO_COLOR or FORCE_COLOR must not matter.
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    os.environ.pop("NO_COLOR", None)


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_projects(tmp_path_factory: pytest.TempPathFactory) -> None:
    # The result cache would otherwise appear in every test project (and in the checkout);
    # tests of the cache itself pass --cache-dir or set the variable themselves.
    os.environ["POLICYLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("policylint-cache"))
    os.environ.pop("POLICYLINT_NO_CACHE", None)
