"""Rulesets: the elements a kind of policy needs, with their words per language.

A ruleset is a YAML file (``social-media.yaml``) that says, per element, its id,
severity and detector kind with options; beside it, one file per language
(``social-media.nl.yaml``) gives titles, messages, heading words and evidence
phrases. The engine never names an element: everything specific is here.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from policylint import phrases as _phrases
from policylint.errors import ConfigError
from policylint.findings import Severity

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

BUILTIN = "social-media"


@dataclass(frozen=True)
class ElementText:
    """What an element says in one language, and the words that reveal it."""

    title: str
    summary: str
    missing: str
    looked_for: str
    hint: str
    why: str = ""
    example: str = ""
    messages: dict[str, str] = field(default_factory=dict)
    headings: re.Pattern[str] | None = None
    groups: dict[str, re.Pattern[str]] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Element:
    """One element of a ruleset."""

    id: str
    detector: str
    severity: Severity
    required: bool
    options: dict[str, Any]
    texts: dict[str, ElementText]  # by language code

    def text(self, code: str) -> ElementText:
        return self.texts.get(code) or self.texts.get("en") or next(iter(self.texts.values()))


@dataclass(frozen=True)
class Ruleset:
    """An ordered set of elements and the languages it knows."""

    name: str
    languages: tuple[str, ...]
    elements: tuple[Element, ...]

    def element(self, element_id: str) -> Element:
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(element_id)


def _read_yaml(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except OSError as exc:
        raise ConfigError(f"cannot read ruleset: {exc.strerror or exc}", path) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError(f"invalid YAML: {exc.problem}", path, line) from None


def builtin_path(name: str = BUILTIN) -> str:
    """Filesystem path of a built-in ruleset's main file."""
    return str(resources.files("policylint.rulesets").joinpath(f"{name}.yaml"))


@functools.lru_cache(maxsize=16)
def load(path: str | None = None) -> Ruleset:
    """Load and compile a ruleset (the built-in social media one by default)."""
    path = path or builtin_path()
    base = _read_yaml(path)
    if not isinstance(base, dict) or not isinstance(base.get("elements"), list):
        raise ConfigError("a ruleset needs a list of `elements`", path)
    stem = path[: -len(".yaml")] if path.endswith(".yaml") else path
    languages = tuple(base.get("languages") or ())
    lang_data: dict[str, dict[str, Any]] = {}
    for code in languages:
        lang_path = f"{stem}.{code}.yaml"
        if not os.path.exists(lang_path):
            raise ConfigError(f"language `{code}` is listed but {os.path.basename(lang_path)} is missing", path)
        loaded = _read_yaml(lang_path) or {}
        lang_data[code] = loaded.get("elements", {}) if isinstance(loaded, dict) else {}
    elements: list[Element] = []
    seen: set[str] = set()
    for raw in base["elements"]:
        element_id = raw.get("id")
        if not element_id:
            raise ConfigError("every element needs an `id`", path)
        if element_id in seen:
            raise ConfigError(f"element `{element_id}` is defined twice", path)
        seen.add(element_id)
        texts = {code: _element_text(element_id, lang_data[code].get(element_id, {}), f"{stem}.{code}.yaml")
                 for code in languages}
        elements.append(Element(
            id=element_id,
            detector=raw.get("detector", "evidence"),
            severity=Severity.parse(raw.get("severity", "warning")),
            required=bool(raw.get("required", False)),
            options=raw.get("options", {}) or {},
            texts=texts,
        ))
    return Ruleset(str(base.get("name", os.path.basename(stem))), languages, tuple(elements))


def _element_text(element_id: str, raw: dict[str, Any], path: str) -> ElementText:
    try:
        groups = {}
        lists = {}
        for name, phrases in (raw.get("phrases") or {}).items():
            pattern = _phrases.compile_group(phrases or [])
            if pattern is not None:
                groups[name] = pattern
            lists[name] = list(phrases or [])
        headings = _phrases.compile_group(raw.get("headings") or [])
        # Rewrite hints for prohibitive sentences: the first whose `when` matches is shown.
        for index, rewrite in enumerate(raw.get("rewrites") or []):
            pattern = _phrases.compile_group(rewrite.get("when") or [])
            if pattern is not None:
                groups[f"rewrites.{index}"] = pattern
        lists["rewrites"] = [str(r.get("hint", "")) for r in raw.get("rewrites") or []]
    except ConfigError as exc:
        raise ConfigError(f"element `{element_id}`: {exc.message}", path) from None
    except re.error as exc:  # pragma: no cover - phrase_regex escapes everything
        raise ConfigError(f"element `{element_id}`: {exc}", path) from None
    return ElementText(
        title=raw.get("title", element_id),
        summary=raw.get("summary", ""),
        missing=raw.get("missing", ""),
        looked_for=raw.get("looked_for", ""),
        hint=raw.get("hint", ""),
        why=raw.get("why", ""),
        example=raw.get("example", ""),
        messages=dict(raw.get("messages") or {}),
        headings=headings,
        groups=groups,
        lists=lists,
    )
