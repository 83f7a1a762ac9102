"""What rules report (Finding) and what a linted file amounts to (FileReport)."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` gives the worst severity."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Status(str, enum.Enum):
    """Outcome of one element for one file."""

    PRESENT = "present"
    MISSING = "missing"
    VIOLATED = "violated"


@dataclass(frozen=True)
class Finding:
    """One problem at one place. Detectors leave ``severity`` to the engine."""

    rule: str
    message: str
    line: int
    column: int = 1
    end_line: int | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR
    # Stable text the finding is about (an evidence sentence): lets CI formats
    # fingerprint a finding without depending on its line number.
    anchor: str | None = None
    # "file" when the finding is about the policy as a whole (a missing element, the
    # front matter) rather than the text at ``line``: --diff-base keeps such findings
    # for every changed file, because no changed line will ever carry them.
    scope: Literal["file", "line"] = "line"


@dataclass(frozen=True)
class ElementResult:
    """How one element fared in one file, for the checklist and the JSON report."""

    element: str
    status: Status
    severity: Severity
    line: int | None = None
    evidence: str | None = None
    title: str = ""


@dataclass
class FileReport:
    """Everything policylint has to say about one file."""

    path: str
    lang: str | None = None
    elements: list[ElementResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Set when the file could not be linted at all (unreadable, binary, ...).
    error: str | None = None
    message_lang: str = "en"

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)
