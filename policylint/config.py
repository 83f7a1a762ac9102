"""Configuration: find it, merge it, check it, and say which settings apply to a file.

Where settings come from, weakest first: built-in defaults, the nearest config
file above the linted file (``.policylint.yaml``, ``.policylint.yml``, or
``[tool.policylint]`` in ``pyproject.toml``, searched from the file's folder up
to the repository root), its ``extends`` chain, matching ``per-file`` entries,
and finally flags given on the command line. ``--config PATH`` replaces the
search; ``--isolated`` ignores config files altogether.

Every lint goes through ``settings_for`` so that ``check``, ``review`` and the
editor integration always agree on the settings of a file.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

from policylint import yamlfile
from policylint.errors import ConfigError
from policylint.findings import Severity

CONFIG_NAMES = (".policylint.yaml", ".policylint.yml")
PYPROJECT = "pyproject.toml"
# Checks that are not elements of a ruleset but can be selected, ignored or re-levelled.
BUILTIN_RULES = ("frontmatter", "suppression", "placeholder", "markdown")


@dataclass(frozen=True)
class ConfigFile:
    """One config file, with ``extends`` already applied."""

    path: str
    directory: str  # globs and relative paths in the file are relative to this folder
    data: dict[str, Any]
    source: yamlfile.LoadedYaml

    def line(self, *keys: Any) -> int | None:
        return self.source.line_of(list(keys))


# --- loading ------------------------------------------------------------------------


def load_config(path: str) -> ConfigFile:
    """Load, validate and resolve ``extends`` of one config file. Raises ConfigError."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        raise ConfigError("config file not found", path) from None
    except OSError as exc:
        raise ConfigError(f"config file cannot be read: {exc.strerror}", path) from None
    return _load_config(os.path.abspath(path), stamp, ())


@functools.lru_cache(maxsize=64)
def _load_config(path: str, _stamp: int, chain: tuple[str, ...]) -> ConfigFile:
    if path in chain:
        raise ConfigError("config extends itself (" + " -> ".join(chain + (path,)) + ")", path)
    if os.path.basename(path) == PYPROJECT:
        source = _load_pyproject(path)
    else:
        source = yamlfile.load(path)
        if source.data is None:
            source.data = {}
    if not isinstance(source.data, dict):
        raise ConfigError("a config file must be a mapping of keys to values", path, 1)
    _validate(source)
    directory = os.path.dirname(path)
    data = dict(source.data)
    parents = data.pop("extends", None)
    if parents:
        merged: dict[str, Any] = {}
        for parent in [parents] if isinstance(parents, str) else parents:
            parent_path = os.path.normpath(os.path.join(directory, parent))
            if not os.path.isfile(parent_path):
                raise ConfigError(f"`extends`: {parent} not found", path, source.line_of(["extends"]))
            parent_config = _load_config(parent_path, os.stat(parent_path).st_mtime_ns, chain + (path,))
            merged = _overlay(merged, _rebase(parent_config.data, parent_config.directory, directory))
        data = _overlay(merged, data)
    return ConfigFile(path, directory, data, source)


def _load_pyproject(path: str) -> yamlfile.LoadedYaml:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read [tool.policylint]: {exc}", path) from None
    return yamlfile.LoadedYaml(path, document.get("tool", {}).get("policylint"))


@functools.lru_cache(maxsize=1)
def _config_validator() -> Any:
    import jsonschema

    from policylint.schemas import load

    return jsonschema.Draft202012Validator(load("config.schema.json"))


def _validate(source: yamlfile.LoadedYaml) -> None:
    from policylint.ruleset import describe_schema_error, error_keys

    errors = sorted(_config_validator().iter_errors(source.data), key=lambda e: list(map(str, e.path)))
    if errors:
        error = errors[0]
        raise ConfigError(describe_schema_error(error), source.path, source.line_of(error_keys(error)))


def _rebase(data: dict[str, Any], parent_dir: str, child_dir: str) -> dict[str, Any]:
    """A parent's relative ruleset paths stay relative to the parent's folder."""
    if parent_dir == child_dir:
        return data
    result = dict(data)
    for key in ("ruleset",):
        value = result.get(key)
        if isinstance(value, str) and (os.sep in value or value.endswith((".yaml", ".yml"))):
            result[key] = os.path.normpath(os.path.join(parent_dir, value))
    return result


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """Later settings win; per-rule tables merge; per-file lists add up."""
    result = dict(base)
    for key, value in top.items():
        if key in ("severity", "rules", "rulesets") and isinstance(result.get(key), dict):
            result[key] = {**result[key], **value}
        elif key == "per-file" and isinstance(result.get(key), list):
            result[key] = result[key] + list(value)
        else:
            result[key] = value
    return result


# --- discovery ----------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def find_config(directory: str) -> str | None:
    """The nearest config file from ``directory`` up to the repository (or filesystem) root."""
    current = os.path.abspath(directory)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(current, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(current, PYPROJECT)
        if os.path.isfile(pyproject) and _has_tool_section(pyproject):
            return pyproject
        parent = os.path.dirname(current)
        if os.path.exists(os.path.join(current, ".git")) or parent == current:
            return None
        current = parent


def clear_caches() -> None:
    """Forget discovered config files (a new run, or an editor that saw files change)."""
    find_config.cache_clear()
    _load_config.cache_clear()


def _has_tool_section(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return any(line.strip().startswith("[tool.policylint") for line in handle)
    except OSError:
        return False


def config_for(path: str, base: Any) -> ConfigFile | None:
    """The config file that governs ``path`` under the run's --config / --isolated choice."""
    if getattr(base, "isolated", False):
        return None
    explicit = getattr(base, "config_path", None)
    if explicit:
        return load_config(explicit)
    directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
    found = find_config(directory)
    return load_config(found) if found else None


# --- applying ------------------------------------------------------------------------


def settings_for(path: str, base: Any = None) -> Any:
    """The Settings that apply to ``path``, starting from ``base`` (the command line's settings)."""
    from policylint.runner import Settings

    base = base if base is not None else Settings()
    config = config_for(path, base)
    if config is None:
        return base
    return _apply(config, path, base)


def _matches(globs: list[str], relative: str) -> bool:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(globs).match_file(relative)


def _apply(config: ConfigFile, path: str, base: Any) -> Any:
    from policylint.ruleset import RulesetSpec

    values = dict(config.data)
    relative = os.path.relpath(os.path.abspath(path), config.directory).replace(os.sep, "/")
    for entry in values.get("per-file") or []:
        if _matches(entry["files"], relative):
            values = _overlay(values, {k: v for k, v in entry.items() if k != "files"})
    explicit: frozenset[str] = getattr(base, "explicit", frozenset())

    def spec(value: Any) -> RulesetSpec:
        if isinstance(value, dict):
            return RulesetSpec(inline=json.dumps(value, sort_keys=True, default=str),
                               base_dir=config.directory, origin=config.path)
        return RulesetSpec(str(value), base_dir=config.directory, origin=config.path)

    changes: dict[str, Any] = {}
    if "ruleset" in values and "ruleset" not in explicit:
        changes["ruleset"] = spec(values["ruleset"])
    if "rulesets" in values:
        changes["rulesets"] = {kind: spec(v) for kind, v in values["rulesets"].items()}
    for key, field_name in (("lang", "default_lang"), ("fail-on", "fail_on"), ("max-file-size", "max_file_size"),
                            ("jobs", "jobs"), ("include", "include"), ("exclude", "exclude"),
                            ("respect-gitignore", "respect_gitignore")):
        if key in values and field_name not in explicit and hasattr(base, field_name):
            changes[field_name] = values[key]
    if any(k in values for k in ("include", "exclude")):
        changes["filter_root"] = config.directory

    lint = base.lint
    severity = dict(lint.severity)
    ignore = set(lint.ignore)
    for rule, level in (values.get("severity") or {}).items():
        if level == "off":
            ignore.add(rule)
        else:
            severity[rule] = Severity.parse(level)
    if "ignore" not in explicit:
        ignore |= set(values.get("ignore") or [])
    select = lint.select
    if "select" not in explicit and values.get("select"):
        select = frozenset(values["select"])
    message_lang = lint.message_lang
    if "message_lang" not in explicit and values.get("message-lang"):
        message_lang = values["message-lang"]
    rule_options = {**lint.rule_options, **(values.get("rules") or {})}
    changes["lint"] = dataclasses.replace(lint, severity=severity, ignore=frozenset(ignore), select=select,
                                          message_lang=message_lang, rule_options=rule_options)
    resolved = dataclasses.replace(base, **changes)
    _check_rules(config, resolved)
    return resolved


def _check_rules(config: ConfigFile, settings: Any) -> None:
    """Rule ids and rule options named in the config must exist and fit (typos are errors)."""
    from policylint import detectors
    from policylint.ruleset import check_options, load

    rulesets = [load(settings.ruleset)] + [load(s) for s in (settings.rulesets or {}).values()]
    known = {e.id: e for rs in rulesets for e in rs.elements}

    def known_rule(rule: str) -> bool:
        return rule in known or rule.split("/")[0] in BUILTIN_RULES

    for key in ("select", "ignore"):
        for index, rule in enumerate(config.data.get(key) or []):
            if not known_rule(rule):
                raise ConfigError(_unknown(rule, known), config.path, config.line(key, index))
    for rule in (config.data.get("severity") or {}):
        if not known_rule(rule):
            raise ConfigError(_unknown(rule, known), config.path, config.line("severity", rule))
    for rule, options in settings.lint.rule_options.items():
        element = known.get(rule)
        line = config.line("rules", rule)
        if element is None:
            raise ConfigError(_unknown(rule, known), config.path, line)
        merged = {**element.options, **options}
        check_options(rule, element.detector, merged, detectors.get(element.detector).OPTIONS, config.path, line)


def _unknown(rule: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(rule, list(known) + list(BUILTIN_RULES), n=1)
    return f"unknown rule `{rule}`" + (f"; did you mean `{close[0]}`?" if close else "")
