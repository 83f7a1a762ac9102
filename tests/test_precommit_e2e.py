"""The real pre-commit installs policylint from a git repository and blocks an incomplete policy.

The hook repository is a snapshot of this checkout's working tree (tracked and
untracked files, not ignored ones) committed into a fresh repository, so the
test exercises uncommitted work too, and leaves this checkout's own .git alone.
A user's config points at a GitHub URL instead of a folder; everything else
(clone at ``rev``, pip-install into a hook environment, run on staged files) is
what pre-commit does for them. Needs the package index for that pip install.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FRONT_MATTER_EN, REPO
from support.gitrepo import GitRepo, clean_environ, git_env

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
INCOMPLETE = FRONT_MATTER_EN + "\n# Social media policy\n\nYou can share our news.\n"


def snapshot(source: Path, repo: GitRepo) -> str:
    """Commit the files of ``source``'s working tree into ``repo``; return the commit id."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=source, env=repo.env, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip(f"{source} is not a git checkout: {listed.stderr.strip()}")
    for name in filter(None, listed.stdout.split("\0")):
        path = source / name
        if path.is_file():  # tracked files deleted in the working tree are left out
            target = repo.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return repo.commit("snapshot of the policylint working tree")


@pytest.mark.e2e
def test_pre_commit_refuses_an_incomplete_policy_and_accepts_a_complete_one(tmp_path: Path) -> None:
    assert PRE_COMMIT.exists(), "pre-commit is part of the test extra: pip install -e '.[test]'"
    env = clean_environ({**git_env(tmp_path / "home"), "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")})
    env.pop("PRE_COMMIT", None)  # set while pre-commit itself runs us; would make hooks skip
    hooks = GitRepo.init(tmp_path / "policylint", env)
    rev = snapshot(REPO, hooks)

    policies = GitRepo.init(tmp_path / "policies", env)
    policies.write(".pre-commit-config.yaml", (
        "repos:\n"
        f"  - repo: {hooks.path.as_posix()}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: policylint\n"
    ))
    policies.write("policies/social-media.en.md", INCOMPLETE)
    policies.git("add", "-A")
    installed = policies.run(str(PRE_COMMIT), "install")
    assert "pre-commit installed" in installed.stdout

    refused = policies.run("git", "commit", "-m", "Add the social media policy", check=False, timeout=900)
    output = refused.stdout
    assert refused.returncode != 0, output
    assert "policylint" in output and "Failed" in output, output
    assert "policies/social-media.en.md:11:1: error [contact-person]" in output, output
    for rule in ("[third-parties]", "[sanctions-work-rules]", "[working-hours]"):
        assert rule in output, output
    assert policies.run("git", "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0, \
        "the refused commit must not exist"

    complete = (REPO / "example-policy" / "social-media-policy.en.md").read_text(encoding="utf-8")
    policies.write("policies/social-media.en.md", complete)
    policies.git("add", "-A")
    accepted = policies.run("git", "commit", "-m", "Add the social media policy", check=False, timeout=900)
    assert accepted.returncode == 0, accepted.stdout
    assert "policylint" in accepted.stdout and "Passed" in accepted.stdout, accepted.stdout
    assert policies.git("log", "--format=%s") == "Add the social media policy"
    assert policies.git("ls-files") == ".pre-commit-config.yaml\npolicies/social-media.en.md"
