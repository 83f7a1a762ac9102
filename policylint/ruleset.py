"""Rulesets: the elements a kind of policy needs, with their words per language.

A ruleset is a YAML file (``social-media.yaml``) that says, per element, its id,
severity and detector kind with options; beside it, one file per language
(``social-media.nl.yaml``) gives titles, messages, heading words and evidence
phrases. The engine never names an element: everything specific is here.

A ruleset may ``extends`` another (built-in or a file): its elements are merged
by id (new ids are added, ``remove`` drops some), and its language data is
merged over the parent's (phrase lists are appended, texts replaced).
Everything is validated against schemas/ruleset.schema.json and each detector
kind's OPTIONS; a bad ruleset is a ConfigError naming file and line.
"""
from __future__ import annotations

import copy
import functools
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from policylint import phrases as _phrases
from policylint import yamlfile
from policylint.errors import ConfigError
from policylint.findings import Severity
from policylint.phrase_index import PhraseIndex
from policylint.phrases import PhraseGroup

BUILTIN = "social-media"
_BUILTIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rulesets")
_PSEUDO_GROUPS = {"heading"}


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
    headings: PhraseGroup | None = None
    groups: dict[str, PhraseGroup] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)
    # What detectors derive from these words once and reuse for every document (group keys).
    derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def all_groups(self) -> list[PhraseGroup]:
        return [*self.groups.values(), *([self.headings] if self.headings is not None else [])]


@dataclass(frozen=True)
class Element:
    """One element of a ruleset."""

    id: str
    detector: str
    severity: Severity
    required: bool
    options: dict[str, Any]
    texts: Mapping[str, ElementText]  # by language code
    suppressible: bool = True

    def text(self, code: str) -> ElementText:
        return self.texts.get(code) or self.texts.get("en") or next(iter(self.texts.values()))


@dataclass(frozen=True)
class Ruleset:
    """An ordered set of elements and the languages it knows."""

    name: str
    languages: tuple[str, ...]
    elements: tuple[Element, ...]
    source: str = ""
    files: tuple[str, ...] = ()  # the files it was read from (its own and those it extends)

    def element(self, element_id: str) -> Element:
        for element in self.elements:
            if element.id == element_id:
                return element
        raise KeyError(element_id)


@dataclass(frozen=True)
class RulesetSpec:
    """Where a ruleset comes from: a built-in name, a file, or inline config data."""

    source: str | None = None  # built-in name or file path; None: the default built-in
    inline: str | None = None  # JSON of an inline ruleset (from a config file)
    base_dir: str = "."  # relative paths are relative to this folder
    origin: str = ""  # the config file that asked for it, for error messages


def builtin_names() -> list[str]:
    """Names of the rulesets shipped with policylint."""
    return sorted(n[:-5] for n in os.listdir(_BUILTIN_DIR) if n.endswith(".yaml") and n.count(".") == 1)


def builtin_path(name: str = BUILTIN) -> str:
    """Filesystem path of a built-in ruleset's main file."""
    return os.path.join(_BUILTIN_DIR, f"{name}.yaml")


def load(spec: RulesetSpec | str | None = None) -> Ruleset:
    """Load and compile a ruleset (the built-in social media one by default)."""
    if not isinstance(spec, RulesetSpec):
        spec = RulesetSpec(spec)
    return _load_cached(spec)


def clear_cache() -> None:
    """Forget loaded rulesets, so that edited files are read again."""
    _load_cached.cache_clear()


@functools.lru_cache(maxsize=32)
def _load_cached(spec: RulesetSpec) -> Ruleset:
    if spec.inline is not None:
        raw = _raw_inline(json.loads(spec.inline), spec.origin or "<config>", spec.base_dir, ())
    else:
        raw = _raw_from(spec.source or BUILTIN, spec.base_dir, (), spec.origin)
    return _compile(raw)


# --- raw (uncompiled, merged) rulesets ----------------------------------------------


@dataclass
class _Raw:
    name: str
    path: str
    languages: list[str]
    elements: list[dict[str, Any]]
    texts: dict[str, dict[str, dict[str, Any]]]  # lang -> element id -> text data
    text_paths: dict[str, str]  # lang -> file the texts came from (for errors)
    # (lang, element id) -> (file, line) where that element's words were last given
    text_sources: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # every file read, for the result cache's key
    # Built-in language files not read yet (lang -> path), and the elements they hold words for:
    # a run over Dutch policies never parses the French file.
    pending: dict[str, str] = field(default_factory=dict)
    pending_ids: frozenset[str] = frozenset()

    def read_pending(self, code: str) -> None:
        """Read a built-in language file that was left for later, before anything uses its texts."""
        path = self.pending.pop(code, None)
        if path is not None:
            elements = (yamlfile.load_trusted(path).data or {}).get("elements") or {}
            target = self.texts.setdefault(code, {})
            for element_id, text in elements.items():
                _merge_text(target.setdefault(element_id, {}), text)


def _locate(source: str, base_dir: str, origin: str) -> str:
    if source in builtin_names():
        return builtin_path(source)
    path = source if os.path.isabs(source) else os.path.join(base_dir, source)
    if not os.path.isfile(path):
        known = ", ".join(builtin_names())
        raise ConfigError(f"ruleset `{source}` is neither a built-in ruleset ({known}) nor a file", origin or None)
    return os.path.normpath(path)


def _raw_from(source: str, base_dir: str, chain: tuple[str, ...], origin: str = "") -> _Raw:
    path = _locate(source, base_dir, origin)
    if path in chain:
        raise ConfigError("ruleset extends itself (" + " -> ".join(chain + (path,)) + ")", path)
    trusted = _trusted(path)
    loaded = yamlfile.load_trusted(path) if trusted else yamlfile.load(path)
    if not trusted:
        _validate(loaded, "#")
    data = loaded.data
    stem = path[: -len(".yaml")] if path.endswith(".yaml") else path
    texts: dict[str, dict[str, dict[str, Any]]] = {}
    text_paths: dict[str, str] = {}
    lang_files: dict[str, yamlfile.LoadedYaml] = {}
    lazy = trusted and not data.get("extends")
    pending: dict[str, str] = {}
    for code in data.get("languages") or []:
        lang_path = f"{stem}.{code}.yaml"
        if lazy and os.path.exists(lang_path):
            pending[code] = lang_path
            text_paths[code] = lang_path
        elif os.path.exists(lang_path):
            lang_loaded = yamlfile.load(lang_path)
            if not _trusted(lang_path):
                _validate(lang_loaded, "#/$defs/language-file")
            texts[code] = dict((lang_loaded.data or {}).get("elements") or {})
            text_paths[code] = lang_path
            lang_files[code] = lang_loaded
        elif code not in (data.get("texts") or {}) and not data.get("extends"):
            raise ConfigError(f"language `{code}` is listed but {os.path.basename(lang_path)} is missing", path,
                              loaded.line_of(["languages"]))
    raw = _merge(data, path, os.path.dirname(path), texts, text_paths, chain + (path,), loaded, lang_files)
    if pending:
        raw.pending.update(pending)
        raw.pending_ids = frozenset(e["id"] for e in raw.elements)
    raw.files.extend(os.path.abspath(p) for p in (path, *text_paths.values()))
    return raw


def _raw_inline(data: dict[str, Any], origin: str, base_dir: str, chain: tuple[str, ...]) -> _Raw:
    loaded = yamlfile.LoadedYaml(origin, data)
    _validate(loaded, "#")
    return _merge(data, origin, base_dir, {}, {}, chain, loaded)


def _merge(data: dict[str, Any], path: str, base_dir: str, texts: dict[str, Any], text_paths: dict[str, str],
           chain: tuple[str, ...], loaded: yamlfile.LoadedYaml,
           lang_files: dict[str, yamlfile.LoadedYaml] | None = None) -> _Raw:
    """Apply ``data`` (and its language texts) over the ruleset it extends, if any."""
    if data.get("extends"):
        raw = _raw_from(str(data["extends"]), base_dir, chain, path)
    else:
        raw = _Raw(str(data.get("name") or os.path.basename(path).split(".")[0]), path, [], [], {}, {})
    raw.name = str(data.get("name") or raw.name)
    raw.path = path
    for code in data.get("languages") or []:
        if code not in raw.languages:
            raw.languages.append(code)
    removed = set(data.get("remove") or [])
    raw.elements = [e for e in raw.elements if e["id"] not in removed]
    seen: set[str] = set()
    for index, element in enumerate(data.get("elements") or []):
        element_id = element["id"]
        if element_id in seen:
            raise ConfigError(f"element `{element_id}` is defined twice", path, loaded.line_of(["elements", index]))
        seen.add(element_id)
        existing = next((e for e in raw.elements if e["id"] == element_id), None)
        if existing is None:
            raw.elements.append(copy.deepcopy(element) | {"_line": loaded.line_of(["elements", index]),
                                                          "_path": path})
        else:
            existing.update({k: copy.deepcopy(v) for k, v in element.items()})
            existing["_line"], existing["_path"] = loaded.line_of(["elements", index]), path
    inline = data.get("texts") or {}
    for code in set(texts) | set(inline):
        raw.read_pending(code)  # words added to a built-in language go after its own
        if code not in raw.languages:
            raw.languages.append(code)
        file_texts = texts.get(code) or {}
        inline_texts = (inline.get(code) or {}).get("elements") or {}
        target = raw.texts.setdefault(code, {})
        for element_id, text in file_texts.items():
            _merge_text(target.setdefault(element_id, {}), text)
            source = (lang_files or {}).get(code)
            raw.text_sources[(code, element_id)] = (
                text_paths[code], source.line_of(["elements", element_id]) if source else None)
        for element_id, text in inline_texts.items():
            _merge_text(target.setdefault(element_id, {}), text)
            raw.text_sources[(code, element_id)] = (path, loaded.line_of(["texts", code, "elements", element_id]))
        raw.text_paths[code] = text_paths.get(code) or (path if code in inline else raw.text_paths.get(code, path))
    return raw


def _merge_text(target: dict[str, Any], text: dict[str, Any]) -> None:
    """Texts replace, phrase lists and headings grow."""
    for key, value in (text or {}).items():
        if key == "phrases":
            groups = target.setdefault("phrases", {})
            for group, phrases in (value or {}).items():
                have = list(groups.get(group) or [])
                groups[group] = have + [p for p in phrases or [] if p not in have]
        elif key == "headings":
            target["headings"] = list(target.get("headings") or []) + list(value or [])
        else:
            target[key] = copy.deepcopy(value)


def _trusted(path: str) -> bool:
    """Built-in rulesets are checked by the test suite; skipping jsonschema for them keeps start-up fast."""
    return os.path.dirname(os.path.abspath(path)) == os.path.dirname(os.path.abspath(builtin_path()))


@functools.lru_cache(maxsize=1)
def _schema_registry() -> Any:
    from referencing import Registry, Resource

    from policylint.schemas import load as load_schema

    schema = load_schema("ruleset.schema.json")
    return schema, Registry().with_resource(schema["$id"], Resource.from_contents(schema))


def _validate(loaded: yamlfile.LoadedYaml, pointer: str) -> None:
    import jsonschema

    schema, registry = _schema_registry()
    target = schema if pointer == "#" else {"$ref": schema["$id"] + pointer}
    validator = jsonschema.Draft202012Validator(target, registry=registry)
    if not isinstance(loaded.data, dict):
        raise ConfigError("a ruleset file must be a mapping of keys to values", loaded.path, 1)
    errors = sorted(validator.iter_errors(loaded.data), key=lambda e: list(map(str, e.path)))
    if errors:
        error = errors[0]
        raise ConfigError(describe_schema_error(error), loaded.path, loaded.line_of(error_keys(error)))


def error_keys(error: Any) -> list[Any]:
    """The key path a schema error is about; for an unknown key, that key itself."""
    keys = list(error.path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra:
            keys.append(extra[0])
    return keys


def describe_schema_error(error: Any) -> str:
    """A short, specific sentence for a jsonschema error (used for configs and rulesets)."""
    where = ".".join(str(p) for p in error.path)
    prefix = f"`{where}`: " if where else ""
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        known = ", ".join(sorted(error.schema.get("properties", {})))
        return f"{prefix}unknown key `{extra[0] if extra else '?'}`" + (f" (known keys: {known})" if known else "")
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        return f"{prefix}`{missing[0]}` is required"
    if error.validator == "enum":
        return f"{prefix}must be one of: " + ", ".join(map(str, error.validator_value))
    if error.validator == "type":
        return f"{prefix}must be of type {error.validator_value}, not {type(error.instance).__name__}"
    return prefix + str(error.message)


# --- compiling --------------------------------------------------------------------------


class _Language:
    """The texts of every element in one language, compiled and indexed together on first use.

    A run over Dutch policies never needs the French phrase lists: built-in
    rulesets compile a language when a document first asks for it. Rulesets a
    user wrote are compiled in full at load time, so that their mistakes are
    reported at once, whatever the language of the files being linted.
    """

    def __init__(self, raw: _Raw, code: str) -> None:
        self._raw = raw
        self._code = code
        self._texts: dict[str, ElementText] | None = None

    def texts(self) -> dict[str, ElementText]:
        if self._texts is None:
            raw, code = self._raw, self._code
            raw.read_pending(code)
            texts = {}
            known = {element["id"] for element in raw.elements}
            for element_id, text_data in raw.texts.get(code, {}).items():
                if element_id not in known:  # words for an element that `remove` dropped
                    continue
                source_path, source_line = raw.text_sources.get(
                    (code, element_id), (raw.text_paths.get(code, raw.path), None))
                texts[element_id] = _element_text(element_id, text_data, source_path, source_line)
            # One index per language: a sentence is read once for the groups of every element.
            PhraseIndex(group for text in texts.values() for group in text.all_groups())
            self._texts = texts
        return self._texts


class ElementTexts(Mapping[str, ElementText]):
    """An element's texts by language code (each language compiled on first use)."""

    def __init__(self, element_id: str, languages: dict[str, _Language], codes: tuple[str, ...]) -> None:
        self._id = element_id
        self._languages = languages
        self._codes = codes
        self._compiled: dict[str, ElementText] = {}  # asked for once per element and document

    def __getitem__(self, code: str) -> ElementText:
        text = self._compiled.get(code)
        if text is None:
            if code not in self._codes:
                raise KeyError(code)
            text = self._compiled[code] = self._languages[code].texts()[self._id]
        return text

    def get(self, code: str, default: Any = None) -> Any:  # Mapping.get, the usual case without try
        text = self._compiled.get(code)
        if text is not None:
            return text
        try:
            return self[code]
        except KeyError:
            return default

    def __contains__(self, code: object) -> bool:
        return code in self._codes

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


def _compile(raw: _Raw) -> Ruleset:
    from policylint import detectors

    if not raw.languages:
        raise ConfigError("a ruleset needs at least one language", raw.path)
    languages = {code: _Language(raw, code) for code in raw.languages}
    trusted = _trusted(raw.path) and all(_trusted(path) for path, _ in raw.text_sources.values())
    if not trusted:
        # A user's ruleset is checked in full, built-in words it extends included: its
        # combinations may name groups that only the built-in language files define.
        for code in list(raw.pending):
            raw.read_pending(code)
    elements: list[Element] = []
    for data in raw.elements:
        element_id = data["id"]
        where_path, where_line = data.get("_path", raw.path), data.get("_line")
        kind = data.get("detector", "evidence")
        module = detectors.get(kind)
        options = data.get("options") or {}
        if not _trusted(where_path):
            check_options(element_id, kind, options, module.OPTIONS, where_path, where_line)
        codes = tuple(code for code in raw.languages if raw.texts.get(code, {}).get(element_id) is not None
                      or (code in raw.pending and element_id in raw.pending_ids))
        if not codes:
            raise ConfigError(f"element `{element_id}` has no title, messages or phrases in any language",
                              where_path, where_line)
        if not any(code in raw.pending for code in codes):  # built-in words not read yet: tested instead
            _check_groups(element_id, options, [raw.texts[code][element_id] for code in codes], where_path, where_line)
        elements.append(Element(
            id=element_id,
            detector=kind,
            severity=Severity.parse(data.get("severity", "warning")),
            required=bool(data.get("required", False)),
            options=options,
            texts=ElementTexts(element_id, languages, codes),
            suppressible=bool(data.get("suppressible", True)),
        ))
    if not trusted:
        for language in languages.values():
            language.texts()  # a phrase mistake in any language is reported now
    return Ruleset(raw.name, tuple(raw.languages), tuple(elements), raw.path, tuple(raw.files))


def check_options(element_id: str, kind: str, options: dict[str, Any], schema: dict[str, Any],
                  path: str | None, line: int | None) -> None:
    """Options of an element must fit its detector kind's OPTIONS schema."""
    import jsonschema

    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(options), key=lambda e: list(map(str, e.path)))
    if errors:
        raise ConfigError(f"element `{element_id}` ({kind}): options " + describe_schema_error(errors[0]), path, line)


def _check_groups(element_id: str, options: dict[str, Any], texts: list[dict[str, Any]],
                  path: str | None, line: int | None) -> None:
    """Every phrase group a combination names must exist in at least one language."""
    named: set[str] = set()
    for key in ("any_of", "trigger", "requires"):
        for combo in options.get(key) or []:
            named.update(combo)
    named.update(options.get("unless") or [])
    flag = options.get("flag") or {}
    for combo in flag.get("any_of") or []:
        named.update(combo)
    named.update(flag.get("unless") or [])
    defined = {g for t in texts for g, phrases in (t.get("phrases") or {}).items() if phrases} | _PSEUDO_GROUPS
    unknown = sorted(named - defined)
    if unknown:
        raise ConfigError(f"element `{element_id}` combines phrase group `{unknown[0]}`, which no language defines",
                          path, line)


def _element_text(element_id: str, raw: dict[str, Any], path: str, line: int | None = None) -> ElementText:
    try:
        groups = {}
        lists: dict[str, list[Any]] = {}
        for name, phrase_list in (raw.get("phrases") or {}).items():
            pattern = _phrases.compile_group(phrase_list or [])
            if pattern is not None:
                groups[name] = pattern
            lists[name] = list(phrase_list or [])
        headings = _phrases.compile_group(raw.get("headings") or [])
        # Rewrite hints for prohibitive sentences: the first whose `when` matches is shown.
        for index, rewrite in enumerate(raw.get("rewrites") or []):
            pattern = _phrases.compile_group(rewrite.get("when") or [])
            if pattern is not None:
                groups[f"rewrites.{index}"] = pattern
        lists["rewrites"] = [str(r.get("hint", "")) for r in raw.get("rewrites") or []]
    except ConfigError as exc:
        raise ConfigError(f"element `{element_id}`: {exc.message}", path, line) from None
    return ElementText(
        title=raw.get("title", element_id),
        summary=raw.get("summary", ""),
        missing=raw.get("missing", "") or f"`{element_id}` is missing.",
        looked_for=raw.get("looked_for", ""),
        hint=raw.get("hint", ""),
        why=raw.get("why", ""),
        example=raw.get("example", ""),
        messages=dict(raw.get("messages") or {}),
        headings=headings,
        groups=groups,
        lists=lists,
    )
