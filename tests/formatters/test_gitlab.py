"""--format gitlab: a Code Quality report with GitLab's documented fields and stable fingerprints."""
from __future__ import annotations

import hashlib
import io
import json
from typing import Any

from formatters.conftest import EN_PATH, NL_PATH, shift_lines
from policylint.findings import FileReport, Finding, Severity
from policylint.formatters import Summary
from policylint.formatters.gitlab import Formatter

SEVERITY = {"error": "critical", "warning": "minor", "info": "info"}


def issues(result: Any) -> list[dict[str, Any]]:
    """The report, checked against GitLab's field list (docs: ci/testing/code_quality, report format)."""
    report = json.loads(result.stdout)
    assert isinstance(report, list)
    for issue in report:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and len(issue["fingerprint"]) == 32
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        location = issue["location"]
        assert set(location) == {"path", "lines"} and set(location["lines"]) == {"begin"}
        # A relative path in the repository, without a leading "./" (GitLab would not match it).
        assert not location["path"].startswith(("./", "/")) and "\\" not in location["path"]
        assert isinstance(location["lines"]["begin"], int) and location["lines"]["begin"] >= 1
    prints = [issue["fingerprint"] for issue in report]
    assert len(set(prints)) == len(prints), "fingerprints must be unique per finding"
    return report  # type: ignore[no-any-return]


def test_report_has_gitlabs_fields_for_every_finding(policies, lint, expected) -> None:
    result = lint("gitlab")
    assert result.exit_code == 1
    got = [(i["location"]["path"], i["check_name"], i["severity"], i["location"]["lines"]["begin"], i["description"])
           for i in issues(result)]
    wanted = [(file["path"], f["rule"], SEVERITY[f["severity"]], f["line"],
               f["message"] + (" " + f["hint"] if f["hint"] else ""))
              for file in expected()["files"] for f in file["findings"]]
    assert got == wanted
    assert {NL_PATH, EN_PATH} <= {g[0] for g in got}
    assert any("`fr,%:ë`" in g[4] for g in got)


def test_fingerprints_stay_when_blank_lines_are_inserted_at_the_top(policies, lint) -> None:
    def keyed(report: list[dict[str, Any]]) -> dict[tuple[str, str, str, int], str]:
        seen: dict[tuple[str, str, str], int] = {}
        result = {}
        for issue in report:
            key = (issue["location"]["path"], issue["check_name"], issue["description"])
            seen[key] = seen.get(key, -1) + 1
            result[key + (seen[key],)] = issue["fingerprint"]
        return result

    before = issues(lint("gitlab"))
    for path in policies:
        shift_lines(path, 5)
    after = issues(lint("gitlab"))
    moved = sum(b["location"]["lines"]["begin"] + 5 == a["location"]["lines"]["begin"]
                for b, a in zip(before, after, strict=True))
    assert moved >= 5, "the test must really move findings"
    assert keyed(after) == keyed(before)


def test_unlintable_path_is_reported_with_its_own_check(policies, lint) -> None:
    result = lint("gitlab", EN_PATH, "nergens één.md")
    assert result.exit_code == 2
    last = issues(result)[-1]
    assert last["check_name"] == "unreadable" and last["severity"] == "critical"
    assert last["location"] == {"path": "nergens één.md", "lines": {"begin": 1}}


def test_absolute_path_inside_the_working_folder_becomes_relative(policies, lint, tmp_path) -> None:
    report = issues(lint("gitlab", str(tmp_path / NL_PATH)))
    assert {i["location"]["path"] for i in report} == {NL_PATH}


def test_no_findings_is_an_empty_array(policies, lint) -> None:
    stream = io.StringIO()
    formatter = Formatter(stream)
    formatter.file(FileReport("ok.md"))
    formatter.finish(Summary())
    assert json.loads(stream.getvalue()) == [] and stream.getvalue() == "[]\n"


def test_exact_output() -> None:
    stream = io.StringIO()
    formatter = Formatter(stream)
    formatter.file(FileReport("./map met spatie/beleid-één.md", "nl", message_lang="nl", findings=[
        Finding("contact-person", "Er is geen \"contactpersoon\".", 10, hint="Noem één persoon.",
                severity=Severity.ERROR),
        Finding("positive-phrasing", "Verbiedt.", 14, 33, severity=Severity.INFO, anchor="je mag nooit posten."),
        Finding("positive-phrasing", "Verbiedt.", 15, severity=Severity.INFO, anchor="je mag nooit posten."),
    ]))
    formatter.finish(Summary())

    def fp(rule: str, basis: str, occurrence: int) -> str:
        # The documented fingerprint: rule, path, sentence (else message) and occurrence, hashed.
        data = "\0".join((rule, "map met spatie/beleid-één.md", basis, str(occurrence)))
        return hashlib.sha256(data.encode()).hexdigest()[:32]

    first, second, third = (fp("contact-person", 'Er is geen "contactpersoon".', 0),
                             fp("positive-phrasing", "je mag nooit posten.", 0),
                             fp("positive-phrasing", "je mag nooit posten.", 1))
    assert stream.getvalue() == (
        '[\n'
        '  {"description": "Er is geen \\"contactpersoon\\". Noem één persoon.", "check_name": "contact-person", '
        f'"fingerprint": "{first}", "severity": "critical", '
        '"location": {"path": "map met spatie/beleid-één.md", "lines": {"begin": 10}}},\n'
        '  {"description": "Verbiedt.", "check_name": "positive-phrasing", '
        f'"fingerprint": "{second}", "severity": "info", '
        '"location": {"path": "map met spatie/beleid-één.md", "lines": {"begin": 14}}},\n'
        '  {"description": "Verbiedt.", "check_name": "positive-phrasing", '
        f'"fingerprint": "{third}", "severity": "info", '
        '"location": {"path": "map met spatie/beleid-één.md", "lines": {"begin": 15}}}\n'
        ']\n'
    )
