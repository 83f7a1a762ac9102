"""Throwaway git repositories for tests, isolated from the developer's git setup."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

# Set by git while it runs a hook (pytest may run inside one); inherited, they would
# point every git command of a test at the outer repository.
_GIT_LOCATION_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                      "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX")


def git_env(home: Path) -> dict[str, str]:
    """Environment variables for git: no global or system config, a fixed author."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "gitconfig"
    config.touch()
    return {
        "GIT_CONFIG_GLOBAL": str(config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Policy Author", "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Policy Author", "GIT_COMMITTER_EMAIL": "author@example.com",
    }


def clean_environ(extra: dict[str, str]) -> dict[str, str]:
    """os.environ without git's location variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    env.update(extra)
    return env


class GitRepo:
    """A git repository in a folder, with helpers to write files and commit."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    @classmethod
    def init(cls, path: Path, env: dict[str, str]) -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path, env)
        repo.git("init", "-q", "-b", "main")
        # Be explicit where a developer's or distribution's defaults could differ.
        repo.git("config", "user.name", "Policy Author")
        repo.git("config", "user.email", "author@example.com")
        repo.git("config", "commit.gpgsign", "false")
        return repo

    def run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run a program in the repository; stdout and stderr captured together."""
        return subprocess.run(list(args), cwd=self.path, env=self.env, check=check, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def git(self, *args: str) -> str:
        return self.run("git", *args).stdout.strip()

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return path

    def commit(self, message: str = "change") -> str:
        """Stage everything and commit; return the new commit's id."""
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message)
        return self.git("rev-parse", "HEAD")
