"""--format rdjson / rdjsonl: reviewdog's diagnostic format, columns in UTF-8 bytes."""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from formatters.conftest import EN_PATH, NL_PATH
from policylint.findings import FileReport, Finding, Severity
from policylint.formatters import Summary, rdjson, rdjsonl

SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


@pytest.fixture
def validators(contracts: Path) -> dict[str, jsonschema.protocols.Validator]:
    """A validator per reviewdog schema, references resolved from the local files only."""
    resources = {
        path.name: Resource.from_contents(json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT4)
        for path in sorted((contracts / "rdjson").glob("*.json"))
    }
    registry = Registry().with_resources(resources.items())  # no retrieval: nothing goes to the network
    return {name[: -len(".json")]: jsonschema.Draft4Validator(resource.contents, registry=registry)
            for name, resource in resources.items()}


def assert_valid(validator: jsonschema.protocols.Validator, instance: Any) -> None:
    errors = list(validator.iter_errors(instance))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_schemas_are_wired_up(validators) -> None:
    # reviewdog's schemas allow almost anything; prove they are really applied before trusting them.
    assert not validators["Diagnostic"].is_valid({"severity": "FATAL"})
    bad_line = {"diagnostics": [{"location": {"range": {"start": {"line": "1"}}}}]}
    assert not validators["DiagnosticResult"].is_valid(bad_line)
    assert validators["Diagnostic"].is_valid({"severity": "ERROR", "code": {"value": "x"}})


def test_result_is_valid_and_holds_every_finding(policies, lint, expected, validators) -> None:
    result = lint("rdjson")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert_valid(validators["DiagnosticResult"], document)
    assert document["source"] == {"name": "policylint"}
    got = []
    for d in document["diagnostics"]:
        assert_valid(validators["Diagnostic"], d)
        assert d["source"] == {"name": "policylint"} and "suggestions" not in d
        start = d["location"]["range"]["start"]
        got.append((d["location"]["path"], d["code"]["value"], d["severity"], start["line"], d["message"]))
    wanted = [(file["path"], f["rule"], SEVERITY[f["severity"]], f["line"],
               f["message"] + ("\n" + f["hint"] if f["hint"] else ""))
              for file in expected()["files"] for f in file["findings"]]
    assert got == wanted
    assert {NL_PATH, EN_PATH} <= {g[0] for g in got}


def test_columns_are_utf8_bytes(policies, lint, expected) -> None:
    diagnostics = json.loads(lint("rdjson", NL_PATH).stdout)["diagnostics"]
    line = "Financiële cijfers zijn geheim. Je mag nooit cijfers posten."
    (after_e,) = [d for d in diagnostics if d["location"]["range"]["start"]["line"] == 14]
    # The ban starts at character 33; "ë" before it takes two bytes, so reviewdog's column is 34.
    (finding,) = [f for f in expected(NL_PATH)["files"][0]["findings"] if f["line"] == 14]
    assert finding["column"] == line.index("Je mag") + 1 == 33
    assert after_e["location"]["range"] == {"start": {"line": 14, "column": 34},
                                            "end": {"line": 14, "column": len(line.encode()) + 1}}
    ascii_only = next(d for d in diagnostics if d["location"]["range"]["start"]["line"] == 15)
    assert ascii_only["location"]["range"]["start"]["column"] == 1


def test_jsonl_is_the_same_diagnostics_one_per_line(policies, lint, validators) -> None:
    document = json.loads(lint("rdjson").stdout)
    result = lint("rdjsonl")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    for line in lines:
        assert_valid(validators["Diagnostic"], json.loads(line))
    assert [json.loads(line) for line in lines] == document["diagnostics"]


def test_unlintable_path_is_an_error_diagnostic(policies, lint, write, validators) -> None:
    write("kapot één.md", b"# Beleid\n\ncaf\xe9\n")
    result = lint("rdjsonl", EN_PATH, "kapot één.md")
    assert result.exit_code == 2
    last = json.loads(result.stdout.splitlines()[-1])
    assert_valid(validators["Diagnostic"], last)
    assert last["location"] == {"path": "kapot één.md", "range": {"start": {"line": 3}}}
    assert last["severity"] == "ERROR" and last["code"] == {"value": "unreadable"}


def test_file_gone_since_linting_falls_back_to_whole_lines(tmp_path) -> None:
    report = FileReport(str(tmp_path / "weg.md"), findings=[Finding("x", "m", 4, 7, 5)])
    (diagnostic,) = rdjson.diagnostics(report)
    assert diagnostic["location"]["range"] == {"start": {"line": 4}, "end": {"line": 5}}


def test_exact_output(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("beleid één.md").write_text("---\nlang: nl\n---\nÉén ding: je mag nooit posten.\n", encoding="utf-8")
    report = FileReport("beleid één.md", "nl", message_lang="nl", findings=[
        Finding("frontmatter/value", "`lang` is \"fr\", 100%.", 2, severity=Severity.ERROR),
        Finding("positive-phrasing", "Deze zin verbiedt.", 4, 11, hint="Zeg wat wel mag.", severity=Severity.INFO),
    ])
    outputs = []
    for module in (rdjson, rdjsonl):
        stream = io.StringIO()
        formatter = module.Formatter(stream)
        formatter.file(report)
        formatter.problem("a%b,c:d.md", "no such file or folder")
        formatter.finish(Summary())
        outputs.append(stream.getvalue())
    first = ('{"message": "`lang` is \\"fr\\", 100%.", "location": {"path": "beleid één.md", "range": '
             '{"start": {"line": 2, "column": 1}, "end": {"line": 2, "column": 9}}}, "severity": "ERROR", '
             '"source": {"name": "policylint"}, "code": {"value": "frontmatter/value"}}')
    second = ('{"message": "Deze zin verbiedt.\\nZeg wat wel mag.", "location": {"path": "beleid één.md", "range": '
              '{"start": {"line": 4, "column": 13}, "end": {"line": 4, "column": 33}}}, "severity": "INFO", '
              '"source": {"name": "policylint"}, "code": {"value": "positive-phrasing"}}')
    third = ('{"message": "no such file or folder", "location": {"path": "a%b,c:d.md"}, "severity": "ERROR", '
             '"source": {"name": "policylint"}, "code": {"value": "unreadable"}}')
    assert outputs[0] == (f'{{"source": {{"name": "policylint"}}, "diagnostics": [\n  {first},\n  {second},\n'
                          f'  {third}\n]}}\n')
    assert outputs[1] == f"{first}\n{second}\n{third}\n"
