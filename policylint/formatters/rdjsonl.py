"""reviewdog's Diagnostic Format as JSON Lines: one Diagnostic per line (``reviewdog -f=rdjsonl``)."""
from __future__ import annotations

import json
from typing import Any

from policylint.formatters import Summary, rdjson


class Formatter(rdjson.Formatter):
    """The Diagnostics of ``rdjson``, each on its own line, without the surrounding document."""

    def start(self) -> None:
        pass

    def emit(self, diagnostic: dict[str, Any]) -> None:
        self.stream.write(json.dumps(diagnostic, ensure_ascii=False) + "\n")

    def finish(self, summary: Summary) -> None:
        pass
