"""Policies with many findings, awkward paths and special characters, linted through the CLI."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from conftest import REPO, SHARED

CONTRACTS = SHARED / "contracts"

# Dutch, in a folder with a space and an accented name: front matter problems whose
# messages quote the author's own characters, a sentence that starts after an "ë"
# (column 33, byte column 34), the same ban twice, and sanctions without work rules.
POLICY_NL = """\
---
title: "Beleid, versie: 100% \\"één\\""
lang: "fr,%:ë"
owner: "HR"
version: "1.0"
effective: 2026-01-01
review: 2020-01-01
contact:
  role: "HR"
---

# Sociale media

Financiële cijfers zijn geheim. Je mag nooit cijfers posten.
Je mag nooit cijfers posten.
Wie zich hier niet aan houdt, riskeert ontslag.
"""
NL_PATH = "map met spatie/beleid-één.md"
# English, no front matter, with "%", "," and ":" in its name where the OS allows them.
POLICY_EN = "# Policy\n\nYou must never post about clients.\nNever share a client's name.\n"
EN_PATH = "a%b,c.md" if os.name == "nt" else "a%b,c:d.md"
# A complete policy: its elements pass, so checklists have passing cases too.
COMPLETE_PATH = "Engels beleid/policy.en.md"


@pytest.fixture
def policies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Write the policies under tmp_path, make it the working folder, return their relative paths."""
    monkeypatch.chdir(tmp_path)
    contents = {
        NL_PATH: POLICY_NL,
        EN_PATH: POLICY_EN,
        COMPLETE_PATH: (REPO / "example-policy" / "social-media-policy.en.md").read_text(encoding="utf-8"),
    }
    for name, text in contents.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(contents)


@pytest.fixture
def lint(cli: Callable[..., Result]) -> Callable[..., Result]:
    """``policylint check --format FMT PATHS`` (default: the working folder)."""
    def run(fmt: str, *paths: str) -> Result:
        return cli("check", "--format", fmt, *(paths or (".",)))

    return run


@pytest.fixture
def expected(lint: Callable[..., Result]) -> Callable[..., dict[str, Any]]:
    """The JSON report of the same run: the record every other format must agree with."""
    def report(*paths: str) -> dict[str, Any]:
        return json.loads(lint("json", *paths).stdout)  # type: ignore[no-any-return]

    return report


def shift_lines(path: str | Path, count: int = 3) -> None:
    """Insert blank lines at the top of a policy's text (after its front matter, if any)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("---\n", 1) + 1 if lines and lines[0] == "---\n" else 0
    lines[at:at] = ["\n"] * count
    Path(path).write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def contracts() -> Path:
    """The shared schemas folder; skipped when it is not beside the checkout (never in CI)."""
    if not CONTRACTS.is_dir():
        if os.environ.get("CI"):
            pytest.fail("shared/contracts is missing beside the checkout; CI must provide it")
        pytest.skip("shared/contracts is not beside this checkout")
    return CONTRACTS
