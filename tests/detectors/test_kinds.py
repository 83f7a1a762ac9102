"""Detector kinds keep their metadata beside their code, and the ruleset uses them as declared."""
from __future__ import annotations

import re

import jsonschema
import pytest
from jsonschema.validators import validator_for

from policylint import detectors
from policylint.ruleset import Element, load

RULESET = load()
MODULES = {kind: detectors.get(kind) for kind in detectors.KINDS}


@pytest.mark.parametrize("kind", detectors.KINDS)
def test_kind_declares_its_name_options_and_check(kind: str) -> None:
    module = MODULES[kind]
    assert module.KIND == kind
    assert callable(getattr(module, "check", None))
    assert isinstance(module.OPTIONS, dict) and module.OPTIONS.get("type") == "object"
    # A kind that accepted any option would let a typo in a ruleset pass unnoticed.
    assert module.OPTIONS.get("additionalProperties") is False


@pytest.mark.parametrize("kind", detectors.KINDS)
def test_kind_options_are_a_valid_json_schema(kind: str) -> None:
    schema = MODULES[kind].OPTIONS
    validator_for(schema, default=jsonschema.Draft202012Validator).check_schema(schema)


@pytest.mark.parametrize("kind", detectors.KINDS)
def test_kind_docstring_has_a_summary_and_pass_and_fail_examples(kind: str) -> None:
    doc = MODULES[kind].__doc__ or ""
    summary = doc.strip().splitlines()[0] if doc.strip() else ""
    assert summary.endswith("."), "the docstring opens with a one-line summary"
    # "Passes (en): ..." / "Fails (nl): ...": each example names its language and quotes text.
    for word in ("Passes", "Fails"):
        assert re.search(rf"^{word} \((?:en|nl)\): \S", doc, re.M), f"no '{word} (lang): ...' example"


def _elements() -> list[Element]:
    return list(RULESET.elements)


@pytest.mark.parametrize("element", _elements(), ids=lambda e: e.id)
def test_element_options_validate_against_their_kind(element: Element) -> None:
    assert element.detector in detectors.KINDS
    jsonschema.validate(element.options, MODULES[element.detector].OPTIONS)


def _named_groups(options: dict) -> set[str]:
    """Every phrase group an element's options refer to."""
    names: set[str] = set()
    for key in ("any_of", "trigger", "requires"):
        for combo in options.get(key, []):
            names.update(combo)
    names.update(options.get("unless", []))
    flag = options.get("flag") or {}
    for combo in flag.get("any_of", []):
        names.update(combo)
    names.update(flag.get("unless", []))
    return names


@pytest.mark.parametrize("element", _elements(), ids=lambda e: e.id)
def test_every_group_an_element_names_has_words_in_every_language(element: Element) -> None:
    """A misspelt group name in the ruleset would make a combination unsatisfiable, silently."""
    names = _named_groups(element.options)
    for lang in RULESET.languages:
        text = element.texts[lang]
        for name in names:
            if name == "heading":
                assert text.headings is not None, f"{lang}: `heading` is used but no headings are listed"
            else:
                assert name in text.groups, f"{lang}: group `{name}` has no phrases"


def test_phrasing_has_its_groups_and_excludes_a_group_that_exists() -> None:
    phrasing = [e for e in RULESET.elements if e.detector == "phrasing"]
    assert phrasing
    for element in phrasing:
        for lang in RULESET.languages:
            assert {"normative", "prohibitive", "permissive"} <= set(element.texts[lang].groups), lang
        spec = element.options.get("exclude")
        if spec:
            other = RULESET.element(spec["element"])
            for lang in RULESET.languages:
                assert spec["group"] in other.texts[lang].groups, lang


@pytest.mark.parametrize("kind", detectors.KINDS)
def test_a_bad_option_is_rejected_by_the_kind_schema(kind: str) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"no_such_option": 1}, MODULES[kind].OPTIONS)
