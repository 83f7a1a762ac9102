"""The hook definitions: valid for pre-commit, and each entry does its job on real files.

As check-jsonschema's acceptance tests do, every hook of .pre-commit-hooks.yaml is
run by its declared entry (the installed console script) on the files pre-commit
would give it: the example policies pass, an incomplete policy fails.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from identify.identify import tags_from_path

from conftest import FRONT_MATTER_EN, REPO

BIN = Path(sys.executable).parent
MANIFEST = REPO / ".pre-commit-hooks.yaml"
CONFIG = REPO / ".pre-commit-config.yaml"
EXAMPLES = sorted((REPO / "example-policy").iterdir())
INCOMPLETE = FRONT_MATTER_EN + "\n# Social media policy\n\nYou can share our news.\n"


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


HOOKS: list[dict[str, Any]] = load_yaml(MANIFEST)


def selected(hook: dict[str, Any], paths: list[Path], root: Path) -> list[Path]:
    """The files pre-commit hands a hook: matching ``files``, ``types`` and ``types_or``."""
    chosen = []
    for path in paths:
        tags = tags_from_path(str(path))
        relative = path.relative_to(root).as_posix()
        if not re.search(hook.get("files", ""), relative):
            continue
        if hook.get("exclude") and re.search(hook["exclude"], relative):
            continue
        if not set(hook.get("types", ["file"])) <= tags:
            continue
        if hook.get("types_or") and not set(hook["types_or"]) & tags:
            continue
        chosen.append(path)
    return chosen


def run_entry(hook: dict[str, Any], files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a hook's entry and args on files, as pre-commit would (programs from this venv)."""
    program, *rest = shlex.split(hook["entry"])
    command = [str(BIN / program) if (BIN / program).exists() else program, *rest, *hook.get("args", [])]
    if hook.get("pass_filenames", True):
        command += [str(f) for f in files]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PATH": str(BIN), "NO_COLOR": "1"})


@pytest.mark.parametrize("name", [MANIFEST.name, CONFIG.name])
def test_pre_commit_accepts_the_files(name: str) -> None:
    command = "validate-manifest" if name == MANIFEST.name else "validate-config"
    result = subprocess.run([str(BIN / "pre-commit"), command, str(REPO / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_offers_the_policylint_hook() -> None:
    hook = {h["id"]: h for h in HOOKS}["policylint"]
    assert hook["entry"] == "policylint check" and hook["language"] == "python"
    assert hook["types"] == ["markdown"] and hook["pass_filenames"] is True
    assert hook["require_serial"] is False and hook["name"] and hook["description"]
    # The entry must be a console script the package really installs.
    scripts = {ep.name for ep in metadata.entry_points(group="console_scripts") if ep.value.startswith("policylint")}
    assert shlex.split(hook["entry"])[0] in scripts


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_hook_entry_passes_on_the_example_policies(hook: dict[str, Any]) -> None:
    files = selected(hook, EXAMPLES, REPO)
    assert [f.name for f in files] == ["social-media-policy.en.md", "sociale-media-beleid.nl.md"]
    result = run_entry(hook, files, REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 file(s) checked" in result.stdout or "2 bestand(en) gecontroleerd" in result.stdout, result.stdout


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_hook_entry_fails_on_an_incomplete_policy(hook: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "policy.en.md").write_text(INCOMPLETE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a policy", encoding="utf-8")
    files = selected(hook, sorted(tmp_path.iterdir()), tmp_path)
    assert [f.name for f in files] == ["policy.en.md"]
    result = run_entry(hook, [f.relative_to(tmp_path) for f in files], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "policy.en.md:11:1: error [contact-person]" in result.stdout


def _local_hook(hook_id: str) -> dict[str, Any]:
    config = load_yaml(CONFIG)
    hooks = {h["id"]: h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]}
    return hooks[hook_id]


def test_own_policylint_hook_has_the_runtime_dependencies() -> None:
    # The local hook runs this checkout with `python -m`; its environment needs exactly
    # what the package needs, so the two lists must not drift apart.
    required = sorted(r.replace(" ", "") for r in metadata.requires("policylint") or [] if "extra ==" not in r)
    assert sorted(d.replace(" ", "") for d in _local_hook("policylint")["additional_dependencies"]) == required


def test_own_policylint_hook_checks_exactly_the_example_policies() -> None:
    hook = _local_hook("policylint")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    paths = [REPO / name for name in filter(None, tracked.stdout.split("\0"))]
    files = selected(hook, [p for p in paths if p.is_file()], REPO)
    assert sorted(f.relative_to(REPO).as_posix() for f in files) == [
        "example-policy/social-media-policy.en.md", "example-policy/sociale-media-beleid.nl.md"]
    program, *rest = shlex.split(hook["entry"])
    assert program == "python"
    result = subprocess.run([sys.executable, *rest, *map(str, files)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
