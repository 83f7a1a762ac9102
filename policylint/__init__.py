"""policylint: check company policies written as Markdown against the elements they need."""
from __future__ import annotations

__version__ = "0.1.0"
