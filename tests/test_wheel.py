"""A built wheel carries the schemas and rulesets: an installed policylint works from any folder."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "policylint"
    # Build from a copy, so that the build never writes into the checkout.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "bench", "test-artifacts", "__pycache__", ".pytest_cache", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, text=True)
    [built] = out.glob("policylint-*.whl")
    return built


def test_wheel_contains_schemas_and_rulesets(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for schema in ("policy.schema.json", "report.schema.json", "config.schema.json", "ruleset.schema.json"):
        assert f"policylint/_schemas/{schema}" in names
    for data in ("rulesets/social-media.yaml", "rulesets/social-media.fr.yaml", "rulesets/remote-work.nl.yaml",
                 "lang/en.yaml", "lang/fr.yaml"):
        assert f"policylint/{data}" in names


def test_installed_wheel_lints_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # pip of the test environment installs the wheel alone into the fresh environment...
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, text=True)
    # ...and the dependencies come from the test environment's site-packages (no index needed);
    # PYTHONPATH does not run .pth files, so this checkout's editable install stays out.
    deps = next(p for p in sys.path if p.endswith("site-packages"))
    env = {**os.environ, "PYTHONPATH": deps}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    policy = elsewhere / "p.md"
    policy.write_text("---\ntitle: x\nlang: en\nreview: not-a-date\n---\nYou can share our news.\n", encoding="utf-8")
    script = env_dir / "bin" / "policylint"
    result = subprocess.run([str(script), "check", "p.md", "--format", "json"], cwd=elsewhere,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    rules = {f["rule"] for f in report["files"][0]["findings"]}
    # Front matter validated with the packaged schema: a bad date and missing keys.
    assert {"frontmatter/format", "frontmatter/required"} <= rules
    # The package found is the installed one, not this checkout.
    where = subprocess.run([str(python), "-c", "import policylint, sys; print(policylint.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True, env=env).stdout
    assert str(env_dir) in where and str(REPO) not in where
