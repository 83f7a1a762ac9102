"""The configuration examples in docs/configuration.md load and work as documented."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import FRONT_MATTER_EN, REPO, json_report

DOC = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(yaml|toml)\n(.*?)```", DOC, re.S)
BYOD = """\
name: byod
languages: [en]
elements:
  - id: device-security
    options: {any_of: [[device]]}
texts: {en: {elements: {device-security: {title: Device security, phrases: {device: [passcode]}}}}}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_complete_example_loads_and_applies(cli, write, project) -> None:
    complete = next(body for kind, body in BLOCKS if kind == "yaml" and "per-file:" in body)
    write("shared-policylint.yaml", "ignore: [awareness]\n")
    write("repo/.policylint.yaml", complete)
    write("repo/rulesets/byod.yaml", BYOD)
    write("repo/legacy/old.en.md", FRONT_MATTER_EN + "\nYou can share our news.\n")
    result = cli("check", "repo", "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    rules = {f["rule"]: f["severity"] for f in json_report(result)["files"][0]["findings"]}
    assert "contact-person" not in rules and "ambassadors" not in rules
    # `ignore` in the extending file replaces the extended file's list (as documented).
    assert "awareness" in rules
    assert rules["third-parties"] == "warning" and rules["strategy-link"] == "info"


def test_the_pyproject_example_loads(cli, write, project) -> None:
    toml = next(body for kind, body in BLOCKS if kind == "toml")
    write("pyproject.toml", toml)
    write("p.en.md", FRONT_MATTER_EN + "\nYou can share our news.\n")
    result = cli("check", "p.en.md", "--format", "json")
    assert result.exit_code == 1 and "ambassadors" not in json_report(result)["files"][0]["elements"]


def test_the_inline_extension_example_works(cli, write, project) -> None:
    inline = next(body for kind, body in BLOCKS if kind == "yaml" and body.startswith("ruleset:\n  extends"))
    write(".policylint.yaml", inline)
    write("p.en.md", FRONT_MATTER_EN + "\nQuestions? Ask the HR team at the front desk. Use #LifeAtAcme.\n")
    elements = json_report(cli("check", "p.en.md", "--format", "json"))["files"][0]["elements"]
    assert elements["contact-person"]["status"] == elements["hashtag"]["status"] == "present"
    assert "ambassadors" not in elements and elements["working-hours"]["severity"] == "warning"
