"""quickschema agrees with jsonschema, on verdicts and on the findings authors see, and spares its import."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint import frontmatter, parse, quickschema
from policylint.quickschema import is_valid
from policylint.schemas import load

ROOT = Path(__file__).resolve().parent.parent
POLICY = load("policy.schema.json")
VALIDATOR = jsonschema.Draft202012Validator(POLICY, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "x", "nl", "en", "fr", "de", "2026-01-31", "2026-02-30", "2026-1-5", "２０２６-01-01",
                     "a@b.be", "no-at", "HR", "1.2"]),
)
contacts = st.dictionaries(st.sampled_from(["name", "role", "email", "phone", "channel", "other"]),
                           scalars, max_size=5)
front_matter = st.dictionaries(
    st.sampled_from(["title", "lang", "owner", "version", "effective", "review", "kind", "contact", "extra"]),
    st.one_of(scalars, contacts, st.lists(scalars, max_size=2)), max_size=9)
VALID = {"title": "Sociale media", "lang": "nl", "owner": "HR", "version": "1.0", "effective": "2026-01-01",
         "review": "2027-01-01", "contact": {"role": "HR", "email": "hr@acme.be"}}


@given(data=front_matter)
@settings(max_examples=500, deadline=None)
def test_verdict_agrees_with_jsonschema(data: dict[str, object]) -> None:
    assert is_valid(data, POLICY) == VALIDATOR.is_valid(data), data


@given(changes=front_matter)
@settings(max_examples=500, deadline=None)
def test_errors_agree_with_jsonschema_near_valid_front_matter(changes: dict[str, object]) -> None:
    data = {**VALID, **changes}
    ours = [(e.validator, list(e.path), e.message if e.validator == "required" else "")
            for e in quickschema.iter_errors(data, POLICY)]
    theirs = [(e.validator, list(e.path), e.message if e.validator == "required" else "")
              for e in VALIDATOR.iter_errors(data)]
    assert ours == theirs, data


def _findings(data: dict[str, Any], monkeypatch: pytest.MonkeyPatch, force_jsonschema: bool) -> list[Any]:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n\n# Beleid\n\nTekst.\n"
    doc = parse.parse(text, "p.md")
    with monkeypatch.context() as patch:
        if force_jsonschema:
            def unsupported(value: Any, schema: Any) -> Any:
                raise quickschema.Unsupported("forced by the test")
            patch.setattr(quickschema, "iter_errors", unsupported)
        return frontmatter.check(doc, "en", dt.date(2026, 6, 1))


@given(changes=front_matter)
@settings(max_examples=300, deadline=None)
def test_findings_are_the_same_with_either_checker(changes: dict[str, object]) -> None:
    monkeypatch = pytest.MonkeyPatch()
    data = {**VALID, **changes}
    quick = _findings(data, monkeypatch, force_jsonschema=False)
    full = _findings(data, monkeypatch, force_jsonschema=True)
    assert quick == full, data


def test_a_broken_contact_gives_the_same_findings_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {**VALID, "lang": "de", "effective": "2026-02-30", "contact": {"role": ""}}
    quick = _findings(data, monkeypatch, force_jsonschema=False)
    assert quick == _findings(data, monkeypatch, force_jsonschema=True)
    assert {f.rule for f in quick} == {"frontmatter/value", "frontmatter/format"}
    assert len(quick) == 4  # lang, effective, role blank, no way to reach the contact


def test_unknown_keywords_and_formats_are_left_to_jsonschema() -> None:
    with pytest.raises(quickschema.Unsupported):
        is_valid("abc", {"type": "string", "pattern": "^a"})
    with pytest.raises(quickschema.Unsupported):
        is_valid("x", {"format": "uri"})
    assert not is_valid(True, {"enum": [1]}) and not is_valid(1, {"enum": [True]})
    assert is_valid(1.0, {"enum": [1]})


def test_integer_and_date_semantics_match_jsonschema() -> None:
    for value, schema in [(1.0, {"type": "integer"}), (True, {"type": "number"}), ("2024-02-29", {"format": "date"}),
                          ("2023-02-29", {"format": "date"}), (5, {"format": "date"})]:
        checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        assert is_valid(value, schema) == checker.is_valid(value), (value, schema)


@pytest.mark.parametrize("broken", [False, True], ids=["valid", "contact-without-means"])
def test_linting_does_not_import_jsonschema(broken: bool, tmp_path: Path) -> None:
    """The one-file pre-commit run, valid front matter or not, checks it without the 60 ms import."""
    policy = "example-policy/sociale-media-beleid.nl.md"
    if broken:
        source = (ROOT / "example-policy/sociale-media-beleid.nl.md").read_text(encoding="utf-8")
        head, _, rest = source.partition("\ncontact:")
        path = tmp_path / "broken-contact.md"
        path.write_text(head + "\ncontact:\n  role: HR\n---" + rest.split("\n---", 1)[1], encoding="utf-8")
        policy = str(path)
    code = ("import sys; from policylint.cli import main\n"
            f"sys.argv = ['policylint', 'check', {policy!r}, '--fail-on', 'never', '--format', 'json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('JSONSCHEMA', 'jsonschema' in sys.modules, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "JSONSCHEMA False" in result.stderr, result.stderr
    assert '"rule"' in result.stdout  # it did lint: findings were printed
    if broken:
        assert "frontmatter/value" in result.stdout
