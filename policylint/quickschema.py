"""Check front matter against a JSON Schema without importing jsonschema.

jsonschema takes ~60 ms to import, a third of a one-file run. Policy schemas
use a handful of keywords (type, required, properties, enum, minLength,
format date/email, allOf, anyOf); this module checks those and yields errors
shaped like jsonschema's (``validator``, ``validator_value``, ``path``,
``instance``, ``schema``, ``message``), so the same code turns either into
findings. A keyword it does not know raises Unsupported, and the caller asks
jsonschema instead: an unknown keyword costs time, never a wrong answer.
tests/test_quickschema.py holds its verdicts and errors to jsonschema's.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Keywords that only annotate: they never make data invalid.
_ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description", "examples", "default", "x-message"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class Unsupported(Exception):
    """The schema uses a keyword (or format) this module does not check."""


@dataclass
class SchemaError:
    """One failed keyword, with the attributes of a jsonschema ValidationError that callers read."""

    validator: str
    validator_value: Any
    instance: Any
    schema: dict[str, Any]
    message: str
    path: deque[str | int] = field(default_factory=deque)


def _has_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    raise Unsupported(f"type {name!r}")


def _format_ok(value: Any, name: str) -> bool:
    """Like jsonschema's format checker for the formats policy schemas use."""
    if name not in ("date", "email"):
        raise Unsupported(f"format {name!r}")
    if not isinstance(value, str):
        return True  # formats constrain strings only
    if name == "email":
        return "@" in value
    if not _DATE.fullmatch(value):
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def iter_errors(value: Any, schema: Any) -> Iterator[SchemaError]:
    """Every error of ``value`` against ``schema``, in jsonschema's order; raises Unsupported."""
    if schema is True:
        return
    if not isinstance(schema, dict):
        raise Unsupported("schema is not an object")
    for keyword, argument in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if keyword == "type":
            names = [argument] if isinstance(argument, str) else list(argument)
            if not any(_has_type(value, name) for name in names):
                yield SchemaError(keyword, argument, value, schema,
                                  f"{value!r} is not of type {', '.join(repr(n) for n in names)}")
        elif keyword == "required":
            if isinstance(value, dict):
                for key in argument:
                    if key not in value:
                        yield SchemaError(keyword, argument, value, schema, f"{key!r} is a required property")
        elif keyword == "properties":
            if isinstance(value, dict):
                for key, sub in argument.items():
                    if key in value:
                        for error in iter_errors(value[key], sub):
                            error.path.appendleft(key)
                            yield error
        elif keyword == "enum":
            # JSON equality: true is not 1, and 1.0 is 1.
            if not any(_json_equal(value, choice) for choice in argument):
                yield SchemaError(keyword, argument, value, schema, f"{value!r} is not one of {argument!r}")
        elif keyword == "minLength":
            if isinstance(value, str) and len(value) < argument:
                yield SchemaError(keyword, argument, value, schema, f"{value!r} is too short")
        elif keyword == "format":
            if not _format_ok(value, argument):
                yield SchemaError(keyword, argument, value, schema, f"{value!r} is not a {argument!r}")
        elif keyword == "allOf":
            for sub in argument:
                yield from iter_errors(value, sub)
        elif keyword == "anyOf":
            if not any(is_valid(value, sub) for sub in argument):
                yield SchemaError(keyword, argument, value, schema,
                                  f"{value!r} is not valid under any of the given schemas")
        else:
            raise Unsupported(f"keyword {keyword!r}")


def is_valid(value: Any, schema: Any) -> bool:
    """Whether ``value`` is valid against ``schema``; raises Unsupported."""
    return next(iter_errors(value, schema), None) is None


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
