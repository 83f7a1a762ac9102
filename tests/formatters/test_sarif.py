"""--format sarif: a SARIF 2.1.0 log, valid against the OASIS schema, with stable fingerprints."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from formatters.conftest import EN_PATH, NL_PATH, shift_lines
from policylint.findings import ElementResult, FileReport, Finding, Severity, Status
from policylint.formatters import Summary
from policylint.formatters.sarif import Formatter
from policylint.frontmatter import RULES
from policylint.ruleset import load

DATA = Path(__file__).parent / "data"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


@pytest.fixture
def validate(contracts: Path) -> Any:
    """Validate a SARIF log against the schema, URI formats included."""
    schema = json.loads((contracts / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    # FormatChecker() knows every format, also "uri-reference", which draft 4's own checker lacks.
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())

    def check(log: dict[str, Any]) -> dict[str, Any]:
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
        return log

    return check


def sarif(result: Any) -> dict[str, Any]:
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def located(result: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(file path, region) of a result, the URI decoded back to the path."""
    physical = result["locations"][0]["physicalLocation"]
    location = physical["artifactLocation"]
    assert location["uriBaseId"] == "%SRCROOT%"
    assert urlsplit(location["uri"]).scheme == ""  # "a%b,c:d.md" must not read as scheme "a%b,c"
    return unquote(location["uri"]), physical["region"]


def test_log_is_valid_and_holds_every_finding(policies, lint, expected, validate) -> None:
    result = lint("sarif")
    assert result.exit_code == 1
    run = validate(sarif(result))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    got = []
    for r in run["results"]:
        path, region = located(r)
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        got.append((path, r["ruleId"], r["level"], region["startLine"], region["startColumn"], region["endLine"],
                    r["message"]["text"]))
    wanted = [(file["path"], f["rule"], LEVEL[f["severity"]], f["line"], f["column"], f["end_line"],
               f["message"] + ("\n" + f["hint"] if f["hint"] else ""))
              for file in expected()["files"] for f in file["findings"]]
    assert got == wanted
    assert {NL_PATH, EN_PATH} <= {g[0] for g in got}
    assert run["columnKind"] == "unicodeCodePoints"
    assert "language" not in run  # Dutch and English messages in one run
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_driver_describes_every_rule_that_can_occur(policies, lint) -> None:
    driver = sarif(lint("sarif", EN_PATH))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "policylint" and driver["informationUri"].startswith("https://")
    elements = load().elements
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == [e.id for e in elements] + list(RULES)
    for element, rule in zip(elements, driver["rules"], strict=False):  # front matter rules follow
        texts = element.text("en")
        assert rule["name"] == "".join(p.capitalize() for p in element.id.split("-"))
        assert rule["shortDescription"]["text"] == texts.summary
        assert rule["fullDescription"]["text"] == texts.why
        assert rule["help"]["text"] == f"{texts.looked_for}\n\n{texts.hint}"
        assert rule["defaultConfiguration"]["level"] == LEVEL[str(element.severity)]
    front = {rule["id"]: rule for rule in driver["rules"][len(elements):]}
    assert front["frontmatter/review-overdue"]["defaultConfiguration"]["level"] == "warning"
    assert front["frontmatter/missing"]["shortDescription"]["text"] == "The policy starts with a front matter block."


def test_rule_texts_are_in_the_run_language(policies, lint, validate) -> None:
    run = validate(sarif(lint("sarif", NL_PATH)))["runs"][0]
    assert run["language"] == "nl"
    contact = run["tool"]["driver"]["rules"][0]
    assert contact["properties"]["title"] == "Contactpersoon"
    assert contact["shortDescription"]["text"] == load().element("contact-person").text("nl").summary
    english = sarif(lint("sarif", "--message-lang", "en", NL_PATH))["runs"][0]
    assert english["language"] == "en"
    assert english["tool"]["driver"]["rules"][0]["properties"]["title"] == "Contact person"


def fingerprinted(log: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    """(path, rule, message) -> fingerprint, asserting that no two results share a fingerprint."""
    results = log["runs"][0]["results"]
    prints = [r["partialFingerprints"]["policylint/v1"] for r in results]
    assert len(set(prints)) == len(prints)
    keyed: dict[tuple[str, str, str], list[str]] = {}
    for r, fp in zip(results, prints, strict=True):
        keyed.setdefault((located(r)[0], r["ruleId"], r["message"]["text"]), []).append(fp)
    return {key + (str(i),): fp for key, fps in keyed.items() for i, fp in enumerate(fps)}  # type: ignore[misc]


def test_partial_fingerprints_do_not_change_when_lines_move(policies, lint) -> None:
    before = sarif(lint("sarif"))
    for path in policies:
        shift_lines(path)
    after = sarif(lint("sarif"))
    lines = [[located(r)[1]["startLine"] for r in log["runs"][0]["results"]] for log in (before, after)]
    assert sum(b != a for b, a in zip(*lines, strict=True)) >= 5, "the test must really move findings"
    assert fingerprinted(after) == fingerprinted(before)
    # The same ban twice in one file ("Je mag nooit cijfers posten."): told apart, not merged.
    twice = [k for k in fingerprinted(before) if k[0] == NL_PATH and "Deze zin verbiedt" in k[2]]
    assert len(twice) == 2 and twice[0][:3] == twice[1][:3]


def test_fingerprint_changes_when_the_sentence_changes(policies, lint) -> None:
    before = fingerprinted(sarif(lint("sarif", EN_PATH)))
    text = Path(EN_PATH).read_text(encoding="utf-8")
    Path(EN_PATH).write_text(text.replace("about clients", "about customers"), encoding="utf-8")
    after = fingerprinted(sarif(lint("sarif", EN_PATH)))
    changed = {k for k in before if before[k] != after.get(k)}
    assert len(changed) == 1 and next(iter(changed))[1] == "positive-phrasing"


def test_unlintable_paths_are_tool_execution_notifications(policies, lint, write, validate) -> None:
    write("kapot één.md", b"# Beleid\n\ncaf\xe9\n")
    result = lint("sarif", EN_PATH, "kapot één.md", "nergens.md")
    assert result.exit_code == 2
    run = validate(sarif(result))["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    where = [(unquote(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]),
              n["locations"][0]["physicalLocation"].get("region", {}).get("startLine")) for n in notes]
    assert where == [("kapot één.md", 3), ("nergens.md", None)]
    assert all(n["level"] == "error" for n in notes)
    assert "UTF-8" in notes[0]["message"]["text"]
    assert run["results"], "the readable file is still reported"


def test_path_outside_the_working_folder_is_an_absolute_file_uri(lint, write, tmp_path, monkeypatch,
                                                                 validate) -> None:
    path = write("elders/beleid één.md", "# Beleid\n\nJe mag nooit iets posten.\n")
    (tmp_path / "werk").mkdir()
    monkeypatch.chdir(tmp_path / "werk")
    run = validate(sarif(lint("sarif", str(path))))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert "uriBaseId" not in location
    assert location["uri"] == path.as_uri()


def test_exact_output() -> None:
    stream = io.StringIO()
    formatter = Formatter(stream, ruleset=str(DATA / "mini.yaml"))
    formatter.file(FileReport(
        "map met spatie/beleid-één.md", "en", message_lang="en",
        elements=[ElementResult("contact-person", Status.MISSING, Severity.ERROR, title="Contact person")],
        findings=[
            Finding("contact-person", "No contact person.", 10, hint="Looked for a person.", severity=Severity.ERROR),
            Finding("strategy-link", "Odd: 100% \"quoted\".", 12, 5, 13, severity=Severity.WARNING,
                    anchor="odd: 100% quoted."),
            Finding("suppression/unused", "An unused directive.", 14, severity=Severity.INFO),
        ]))
    formatter.problem("a%b,c:d.md", "no such file or folder")
    formatter.finish(Summary())
    assert stream.getvalue() == (DATA / "mini.sarif.json").read_text(encoding="utf-8")


def test_exact_output_fingerprints_are_the_documented_hash() -> None:
    """The golden file's fingerprints: sha256 of rule, path, anchor (else message) and occurrence."""
    import hashlib

    log = json.loads((DATA / "mini.sarif.json").read_text(encoding="utf-8"))
    path = "map met spatie/beleid-één.md"
    bases = ["No contact person.", "odd: 100% quoted.", "An unused directive."]
    for result, basis in zip(log["runs"][0]["results"], bases, strict=True):
        data = "\0".join((result["ruleId"], path, basis, "0")).encode()
        assert result["partialFingerprints"]["policylint/v1"] == hashlib.sha256(data).hexdigest()[:32]


def test_file_name_that_is_not_utf8_keeps_its_bytes_in_the_uri(lint, tmp_path, monkeypatch, validate) -> None:
    import os

    name = os.fsdecode(b"caf\xe9.md")
    try:
        (tmp_path / name).write_text("# Policy\n\nNever post.\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system only takes UTF-8 file names")
    monkeypatch.chdir(tmp_path)
    run = validate(sarif(lint("sarif", ".")))["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"caf%E9.md"}
