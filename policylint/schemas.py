"""The JSON Schemas under the repository's ``schemas/`` folder (shipped inside the wheel)."""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any


def schema_dir() -> Path:
    """Where the schemas are: inside the installed package, or at the top of a checkout."""
    packaged = Path(__file__).resolve().parent / "_schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


@functools.lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """A schema by file name, e.g. ``policy.schema.json``."""
    with open(schema_dir() / name, encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded
