"""--format junit: one suite per file, one case per element plus the front matter, as a checklist."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

from formatters.conftest import COMPLETE_PATH, EN_PATH, NL_PATH
from policylint.findings import ElementResult, FileReport, Finding, Severity, Status
from policylint.formatters import Summary
from policylint.formatters.junit import Formatter
from policylint.ruleset import load


def parse(result: Any) -> ET.Element:
    """The XML document, parsed back; its totals must add up."""
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites" and root.get("name") == "policylint"
    suites = root.findall("testsuite")
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key, "-1")) == sum(int(s.get(key, "-1")) for s in suites)
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("errors", "-1")) == sum(c.find("error") is not None for c in cases)
        assert suite.get("skipped") == "0"
    return root


def test_every_element_of_every_file_is_a_case(policies, lint, expected) -> None:
    result = lint("junit")
    assert result.exit_code == 1
    root = parse(result)
    report = expected()
    assert [s.get("name") for s in root.findall("testsuite")] == [f["path"] for f in report["files"]]
    assert {NL_PATH, EN_PATH, COMPLETE_PATH} == {s.get("name") for s in root.findall("testsuite")}
    ids = [e.id for e in load().elements]
    for suite, file in zip(root.findall("testsuite"), report["files"], strict=True):
        cases = suite.findall("testcase")
        assert [c.get("name", "").split(": ")[0] for c in cases] == ids + ["frontmatter"]
        assert all(c.get("classname") == file["path"] == c.get("file") for c in cases)
        for case, element_id in zip(cases, ids, strict=False):  # the last case is the front matter
            element = file["elements"][element_id]
            assert case.get("name") == f"{element_id}: {element['title']}"
            mine = [f for f in file["findings"] if f["rule"] == element_id]
            failure = case.find("failure")
            should_fail = element["status"] != "present" or any(f["severity"] != "info" for f in mine)
            assert (failure is not None) == should_fail, (file["path"], element_id)
            if failure is not None:
                worst = max(mine, key=lambda f: ["info", "warning", "error"].index(f["severity"]))
                assert failure.get("type") == worst["severity"]
                assert failure.get("message") == worst["message"]
                for f in mine:  # every finding's text, as the text report shows it
                    assert f"{file['path']}:{f['line']}:{f['column']}: {f['severity']} [{element_id}] {f['message']}" \
                        in (failure.text or "")
            elif mine:  # tips on a passing element are kept, not failed
                assert all(f["message"] in (case.findtext("system-out") or "") for f in mine)


def test_checklist_reads_right_for_each_policy(policies, lint) -> None:
    root = parse(lint("junit"))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    complete = suites[COMPLETE_PATH]
    assert complete.get("failures") == "0" and complete.get("tests") == "15"
    assert complete.find("testcase[@name='frontmatter: Front matter']/failure") is None
    dutch = suites[NL_PATH]
    # Dutch titles; the front matter case fails with both front matter findings.
    assert dutch.find("testcase[@name='contact-person: Contactpersoon']/failure") is not None
    front = dutch.find("testcase[@name='frontmatter: Front matter']/failure")
    assert front is not None and front.get("type") == "error"
    assert "`fr,%:ë`" in (front.text or "") and "[frontmatter/review-overdue]" in (front.text or "")
    violated = dutch.find("testcase[@name='sanctions-work-rules: Sancties volgens het arbeidsreglement']/failure")
    assert violated is not None and "arbeidsreglement" in violated.get("message", "")
    english = suites[EN_PATH]
    front = english.find("testcase[@name='frontmatter: Front matter']/failure")
    assert front is not None and "[frontmatter/missing]" in (front.text or "")


def test_unlintable_path_is_an_erroring_suite(policies, lint) -> None:
    result = lint("junit", EN_PATH, "nergens & <zo>.md")
    assert result.exit_code == 2
    root = parse(result)
    suite = root.findall("testsuite")[-1]
    assert suite.get("name") == "nergens & <zo>.md" and suite.get("errors") == "1"
    error = suite.find("testcase[@name='unreadable']/error")
    assert error is not None and error.get("message") == "no such file or folder"
    assert root.get("errors") == "1"


def test_characters_xml_cannot_hold_do_not_break_the_document(lint, write, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write("bel.md", '---\nlang: "x\\a\\u0001y <&> \\"q\\""\n---\n\n# Policy\n\nHello.\n')
    root = parse(lint("junit", "bel.md"))
    front = root.find("testsuite/testcase[@name='frontmatter: Front matter']/failure")
    assert front is not None
    assert "`x\ufffd\ufffdy <&> \"q\"`" in (front.text or "")


def test_exact_output() -> None:
    stream = io.StringIO()
    formatter = Formatter(stream)
    formatter.file(FileReport("map/beleid-één.md", "nl", message_lang="nl", elements=[
        ElementResult("contact-person", Status.MISSING, Severity.ERROR, title="Contactpersoon"),
        ElementResult("positive-phrasing", Status.PRESENT, Severity.ERROR, 14, "…", "Positieve formulering"),
    ], findings=[
        Finding("contact-person", "Er is geen \"contactpersoon\" <hier>.", 10, hint="Noem één persoon & een adres.",
                severity=Severity.ERROR),
        Finding("positive-phrasing", "Deze zin verbiedt.", 14, 33, severity=Severity.INFO),
    ]))
    formatter.problem("a%b,c:d.md", "is not valid UTF-8", 3)
    formatter.finish(Summary())
    assert stream.getvalue() == """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="policylint" tests="4" failures="1" errors="1">
  <testsuite name="map/beleid-één.md" tests="3" failures="1" errors="0" skipped="0">
    <testcase classname="map/beleid-één.md" name="contact-person: Contactpersoon" file="map/beleid-één.md" line="10">
      <failure type="error" message="Er is geen &quot;contactpersoon&quot; &lt;hier&gt;.">\
map/beleid-één.md:10:1: error [contact-person] Er is geen "contactpersoon" &lt;hier&gt;.
    \u2192 Noem één persoon &amp; een adres.</failure>
    </testcase>
    <testcase classname="map/beleid-één.md" name="positive-phrasing: Positieve formulering" \
file="map/beleid-één.md" line="14">
      <system-out>map/beleid-één.md:14:33: info [positive-phrasing] Deze zin verbiedt.</system-out>
    </testcase>
    <testcase classname="map/beleid-één.md" name="frontmatter: Front matter" file="map/beleid-één.md" />
  </testsuite>
  <testsuite name="a%b,c:d.md" tests="1" failures="0" errors="1" skipped="0">
    <testcase classname="a%b,c:d.md" name="unreadable" file="a%b,c:d.md">
      <error type="error" message="is not valid UTF-8">a%b,c:d.md:3: is not valid UTF-8</error>
    </testcase>
  </testsuite>
</testsuites>
"""
