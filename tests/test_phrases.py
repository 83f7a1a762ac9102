"""The phrase lists of the ruleset, tested with sentences that must match and near-misses that must not.

tests/phrases/<lang>.yaml lists, per element, short texts (one sentence, one list
item with the sentence that leads into it, or a heading with a sentence under it).
Each is linted on its own, as a whole policy, through the real parser and detector:

- ``match``: the element is present. For the phrasing kind (positive-phrasing), the
  sentence is counted as a ban: it gets an info finding with a rewrite hint.
- ``near_miss``: the element is not present (missing, or violated); for the phrasing
  kind, the sentence is not counted as a ban.
- ``violated`` (kinds that can be violated): the element is violated.
- ``flagged`` (elements with a ``flag``, working-hours): present, with a warning at
  the sentence; ``match`` texts of such an element must not be flagged.
- ``groups``: ``{group: {match, near_miss}}`` checks one phrase group on its own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from policylint import parse
from policylint.engine import LintOptions, lint_document
from policylint.findings import FileReport, Severity, Status
from policylint.lang import normalize
from policylint.ruleset import load

PHRASES = Path(__file__).resolve().parent / "phrases"
RULESET = load()
MIN_REQUIRED = 8  # must-match and near-miss texts per required element and language
MIN_RECOMMENDED = 3

_TEXTS = {"type": "array", "items": {"type": "string", "minLength": 1}}
FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "propertyNames": {"enum": [e.id for e in RULESET.elements]},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "required": ["match", "near_miss"],
        "properties": {
            "match": _TEXTS,
            "near_miss": _TEXTS,
            "violated": _TEXTS,
            "flagged": _TEXTS,
            "groups": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"match": _TEXTS, "near_miss": _TEXTS},
                },
            },
        },
    },
}


def _load(lang: str) -> dict[str, Any]:
    """The phrase tests of one language ({} when the file is missing: a test reports that)."""
    path = PHRASES / f"{lang}.yaml"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle) or {}
    return data


DATA = {lang: _load(lang) for lang in RULESET.languages}


def _params(key: str) -> list[Any]:
    params = []
    for lang, elements in DATA.items():
        for element, entry in elements.items():
            for index, text in enumerate(entry.get(key, [])):
                params.append(pytest.param(lang, element, text, id=f"{lang}-{element}-{key}-{index}"))
    return params


def _group_params(key: str) -> list[Any]:
    params = []
    for lang, elements in DATA.items():
        for element, entry in elements.items():
            for group, lists in (entry.get("groups") or {}).items():
                for index, text in enumerate(lists.get(key, [])):
                    params.append(pytest.param(lang, element, group, text,
                                               id=f"{lang}-{element}-{group}-{key}-{index}"))
    return params


def lint(lang: str, element: str, text: str) -> FileReport:
    """Lint ``text`` as a whole policy in ``lang``, checking only ``element``."""
    doc = parse.parse(f"---\nlang: {lang}\n---\n\n{text}\n", f"phrase.{lang}.md")
    assert doc.lang == lang
    return lint_document(doc, RULESET, LintOptions(select=frozenset({element})))


def _outcome(report: FileReport) -> str:
    (result,) = report.elements
    return f"{result.status.value} (evidence: {result.evidence!r})"


def _bans(report: FileReport) -> int:
    return sum(f.severity is Severity.INFO for f in report.findings)


def _flags(report: FileReport) -> int:
    return sum(f.severity is Severity.WARNING for f in report.findings)


@pytest.mark.parametrize("lang", RULESET.languages)
def test_phrase_file_is_well_formed_and_covers_every_element(lang: str) -> None:
    assert (PHRASES / f"{lang}.yaml").exists(), f"tests/phrases/{lang}.yaml is missing"
    data = DATA[lang]
    jsonschema.validate(data, FILE_SCHEMA)
    assert sorted(data) == sorted(e.id for e in RULESET.elements)
    for element in RULESET.elements:
        entry = data[element.id]
        least = MIN_REQUIRED if element.required else MIN_RECOMMENDED
        assert len(entry["match"]) >= least, f"{element.id}: too few must-match texts"
        assert len(entry["near_miss"]) >= least, f"{element.id}: too few near-misses"
        assert not set(entry["match"]) & set(entry["near_miss"]), element.id
        if "violated" in entry:
            assert element.detector == "requires", f"{element.id} cannot be violated"
        if "flagged" in entry:
            assert "flag" in element.options, f"{element.id} flags nothing"
        for group in entry.get("groups") or {}:
            assert group in element.texts[lang].groups, f"{element.id}: no group `{group}`"


@pytest.mark.parametrize(("lang", "element", "text"), _params("match"))
def test_must_match(lang: str, element: str, text: str) -> None:
    report = lint(lang, element, text)
    if RULESET.element(element).detector == "phrasing":
        assert _bans(report) == 1, "should be counted as a ban"
        return
    assert report.elements[0].status is Status.PRESENT, _outcome(report)
    if "flag" in RULESET.element(element).options:
        assert _flags(report) == 0, "present, but wrongly flagged as a blanket ban"


@pytest.mark.parametrize(("lang", "element", "text"), _params("near_miss"))
def test_near_miss_does_not_match(lang: str, element: str, text: str) -> None:
    report = lint(lang, element, text)
    if RULESET.element(element).detector == "phrasing":
        assert _bans(report) == 0, "should not be counted as a ban"
        return
    assert report.elements[0].status is not Status.PRESENT, _outcome(report)


@pytest.mark.parametrize(("lang", "element", "text"), _params("violated"))
def test_violated(lang: str, element: str, text: str) -> None:
    report = lint(lang, element, text)
    assert report.elements[0].status is Status.VIOLATED, _outcome(report)


@pytest.mark.parametrize(("lang", "element", "text"), _params("flagged"))
def test_flagged(lang: str, element: str, text: str) -> None:
    report = lint(lang, element, text)
    assert report.elements[0].status is Status.PRESENT, _outcome(report)
    assert report.elements[0].severity is Severity.WARNING
    assert _flags(report) == 1


@pytest.mark.parametrize(("lang", "element", "group", "text"), _group_params("match"))
def test_group_matches(lang: str, element: str, group: str, text: str) -> None:
    pattern = RULESET.element(element).texts[lang].groups[group]
    assert pattern.search(normalize(text)), f"group `{group}` should match"


@pytest.mark.parametrize(("lang", "element", "group", "text"), _group_params("near_miss"))
def test_group_near_miss(lang: str, element: str, group: str, text: str) -> None:
    pattern = RULESET.element(element).texts[lang].groups[group]
    found = pattern.search(normalize(text))
    assert found is None, f"group `{group}` matched {found.group(0)!r}"
