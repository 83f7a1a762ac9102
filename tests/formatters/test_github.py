"""--format github: workflow commands GitHub turns into annotations, then the full text report."""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from formatters.conftest import EN_PATH, NL_PATH
from policylint.findings import FileReport, Finding, Severity
from policylint.formatters import Summary
from policylint.formatters.github import Formatter, escape_data, escape_property

COMMAND = re.compile(r"^::(?P<name>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")
NAME = {"error": "error", "warning": "warning", "info": "notice"}


def unescape_data(value: str) -> str:
    # As the Actions runner does it: "%25" last, so an escaped "%0A" stays literal.
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(value: str) -> str:
    return (value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """One workflow command line back into (command, properties, message)."""
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = {}
    for pair in (match["props"] or "").split(","):
        key, _, value = pair.partition("=")
        props[key] = unescape_property(value)
    return match["name"], props, unescape_data(match["message"])


def split_output(stdout: str) -> tuple[list[str], str, str]:
    """(annotation lines, stop-commands token, text report) of a github run."""
    lines = stdout.splitlines(keepends=True)
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[stop].rstrip("\n").removeprefix("::stop-commands::")
    assert lines[-1] == f"::{token}::\n", "commands must be resumed after the report"
    return [line.rstrip("\n") for line in lines[:stop]], token, "".join(lines[stop + 1:-1])


def test_annotations_match_every_finding_with_paths_and_messages_intact(policies, lint, expected) -> None:
    result = lint("github")
    assert result.exit_code == 1
    annotations, _, _ = split_output(result.stdout)
    parsed = [parse(line) for line in annotations]
    wanted = [
        (NAME[f["severity"]],
         {"file": file["path"], "line": str(f["line"]), "endLine": str(f["end_line"]), "col": str(f["column"]),
          "title": f"policylint: {f['rule']}"},
         f["message"] + ("\n" + f["hint"] if f["hint"] else ""))
        for file in expected()["files"] for f in file["findings"]
    ]
    assert parsed == wanted
    files = {props["file"] for _, props, _ in parsed}
    assert {NL_PATH, EN_PATH} <= files  # "%", ",", ":", a space and "één" survive the escaping
    # The author's own characters in a message ("fr,%:ë") come back unchanged too.
    assert any("`fr,%:ë`" in message for _, _, message in parsed)
    assert {name for name, _, _ in parsed} == {"error", "warning", "notice"}


def test_commands_carry_no_raw_separator_in_properties_or_newline_in_messages(policies, lint) -> None:
    annotations, _, _ = split_output(lint("github").stdout)
    for line in annotations:
        props = COMMAND.match(line)["props"]  # type: ignore[index]
        for pair in props.split(","):
            key, _, value = pair.partition("=")
            assert key in {"file", "line", "endLine", "col", "title"}
            assert ":" not in value and "," not in value and "\n" not in value
    assert sum("%0A" in line for line in annotations) >= 10  # hints follow messages on a new line


def test_full_text_report_follows_the_annotations(policies, lint) -> None:
    _, token, report = split_output(lint("github").stdout)
    assert report == lint("text").stdout
    assert "\x1b[" not in report  # never coloured, whatever the terminal
    assert token not in report


def test_report_lines_that_look_like_commands_are_not_run(lint, write, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write("evil.md", '---\nlang: "x\\n::error file=elsewhere.md::pwned"\n---\n\n# Policy\n\nHello.\n')
    stdout = lint("github", "evil.md").stdout
    annotations, token, report = split_output(stdout)
    assert "\n::error file=elsewhere.md::pwned" in report  # the quoted value, on a line of its own
    assert all(parse(line)[1]["file"] == "evil.md" for line in annotations)
    lang_message = next(parse(line)[2] for line in annotations if "`lang`" in line)
    assert "\n::error file=elsewhere.md::pwned" in lang_message
    assert stdout.index("::stop-commands::") < stdout.index("\n::error file=elsewhere.md") < stdout.rindex(token)


def test_unreadable_path_is_an_error_annotation_and_in_the_report(policies, lint) -> None:
    result = lint("github", NL_PATH, "missing, really: 100%.md")
    assert result.exit_code == 2
    annotations, _, report = split_output(result.stdout)
    name, props, message = parse(annotations[-1])
    assert (name, props, message) == ("error", {"file": "missing, really: 100%.md", "title": "policylint"},
                                      "no such file or folder")
    assert "missing, really: 100%.md: error no such file or folder" in report


def test_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("a%b,c:d\ne") == "a%25b%2Cc%3Ad%0Ae"


def test_exact_output() -> None:
    stream = io.StringIO()
    formatter = Formatter(stream, color=True)  # colour is ignored: the log is plain text
    report = FileReport(str(Path("map met spatie") / "beleid-één.md"), "nl", message_lang="nl", findings=[
        Finding("frontmatter/value", "`lang` is `fr,%:ë`, maar moet nl of en zijn.", 3, severity=Severity.ERROR),
        Finding("positive-phrasing", "Deze zin verbiedt.", 14, 33, 15, hint="Zeg wat wel mag:\nvraag het HR.",
                severity=Severity.INFO),
    ])
    formatter.file(report)
    formatter.problem("kapot,1:2.md", "is not valid UTF-8 (byte 0xe9); save the file as UTF-8", 4)
    summary = Summary()
    summary.add(report)
    summary.problems = 1
    formatter.finish(summary)
    text = (
        "map met spatie/beleid-één.md:3:1: error [frontmatter/value] `lang` is `fr,%:ë`, maar moet nl of en zijn.\n"
        "map met spatie/beleid-één.md:14:33: info [positive-phrasing] Deze zin verbiedt.\n"
        "    \u2192 Zeg wat wel mag:\nvraag het HR.\n"
        "kapot,1:2.md:4: error is not valid UTF-8 (byte 0xe9); save the file as UTF-8\n"
        "1 bestand(en) gecontroleerd: 1 fout(en), 0 waarschuwing(en), 1 tip(s). "
        "1 pad(en) konden niet gecontroleerd worden.\n"
    )
    token = "policylint-" + hashlib.sha256(text.encode()).hexdigest()[:20]
    assert stream.getvalue() == (
        "::error file=map met spatie/beleid-één.md,line=3,endLine=3,col=1,title=policylint%3A frontmatter/value"
        "::`lang` is `fr,%25:ë`, maar moet nl of en zijn.\n"
        "::notice file=map met spatie/beleid-één.md,line=14,endLine=15,col=33,title=policylint%3A positive-phrasing"
        "::Deze zin verbiedt.%0AZeg wat wel mag:%0Avraag het HR.\n"
        "::error file=kapot%2C1%3A2.md,line=4,title=policylint"
        "::is not valid UTF-8 (byte 0xe9); save the file as UTF-8\n"
        f"::stop-commands::{token}\n"
        + text +
        f"::{token}::\n"
    )
