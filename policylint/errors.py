"""Errors a user can cause and fix. Only ``cli.py`` turns them into exit codes."""
from __future__ import annotations


class PolicylintError(Exception):
    """A problem with the user's input, config or environment (exit code 2)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message

    def __reduce__(self) -> tuple[type[PolicylintError], tuple[str, str | None, int | None]]:
        # Errors travel from worker processes by pickle; the default would keep only the message.
        return type(self), (self.message, self.path, self.line)


class ConfigError(PolicylintError):
    """A configuration or ruleset file is missing, unreadable or invalid."""


class InputError(PolicylintError):
    """A policy file cannot be read or decoded."""
