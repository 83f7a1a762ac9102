"""The language server: a real client session over stdio, plus the position and edit helpers."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policylint
from policylint import parse
from policylint.findings import Finding
from policylint.lsp import (
    finding_range,
    section_level,
    skeleton_insertion,
    split_lines,
    suppression_insertion,
    utf16_units,
)
from policylint.ruleset import load

from conftest import FRONT_MATTER_EN, REPO
from support.lsp_client import TIMEOUT, LspClient, apply_edits

# Line 15 holds an emoji (two UTF-16 code units) and an accented letter (one) before
# a ban, so the ban's LSP character differs from its Python column.
BAN_LINE = "Welcome \U0001F600 to the café. You must never post photos of clients."
POLICY = FRONT_MATTER_EN + f"""
# Social media policy

{BAN_LINE}

This policy also applies to temps, contractors, interns and volunteers.
"""
CONTACT = "\nQuestions about a post? Ask the communications team at social@example.com.\n"
FENCE = 10  # 0-based line of the front matter's closing ---, where missing elements are reported


def env() -> dict[str, str]:
    """The test's environment, with this checkout importable in the server process."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[LspClient]:
    lsp = LspClient([sys.executable, "-m", "policylint", "lsp"], cwd=str(tmp_path), env=env())
    yield lsp
    lsp.close()


def initialize(lsp: LspClient, root: Path) -> dict[str, Any]:
    result: dict[str, Any] = lsp.request("initialize", {
        "processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {
            "textDocument": {
                "publishDiagnostics": {"versionSupport": True},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
                "synchronization": {"didSave": True},
            }}})
    lsp.notify("initialized", {})
    return result


def by_code(diagnostics: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for diag in diagnostics:
        out.setdefault(diag["code"], []).append(diag)
    return out


def rng(l1: int, c1: int, l2: int, c2: int) -> dict[str, Any]:
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def change(lsp: LspClient, uri: str, version: int, text: str, versions: list[int] | None = None
           ) -> dict[str, Any]:
    """Send the whole new text; return the diagnostics published for that version.

    Diagnostics for earlier versions that arrive first are skipped; their versions
    are appended to ``versions``.
    """
    lsp.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                          "contentChanges": [{"text": text}]})
    seen = versions if versions is not None else []
    while True:
        published = lsp.diagnostics(uri)
        seen.append(published["version"])
        if published["version"] >= version:
            assert published["version"] == version
            return published


@pytest.mark.e2e
def test_client_session_over_stdio(client: LspClient, tmp_path: Path) -> None:
    """initialize → didOpen → diagnostics → didChange → quick fixes → save → close → shutdown → exit."""
    result = initialize(client, tmp_path)
    caps = result["capabilities"]
    assert result["serverInfo"] == {"name": "policylint", "version": policylint.__version__}
    sync = caps["textDocumentSync"]
    assert (sync if isinstance(sync, int) else sync["change"]) == 1  # full text on every change
    assert "quickfix" in caps["codeActionProvider"]["codeActionKinds"]

    # A document that is not Markdown gets nothing; the server handles messages in
    # order, so the first diagnostics to arrive must be the policy's.
    notes = tmp_path / "notes.txt"
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": notes.as_uri(), "languageId": "plaintext", "version": 1, "text": "Do not post."}})
    uri = (tmp_path / "policy.en.md").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": POLICY}})
    first = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", what="diagnostics")
    assert first["params"]["uri"] == uri and first["params"]["version"] == 1
    found = by_code(first["params"]["diagnostics"])

    for code in ("contact-person", "working-hours", "sanctions-work-rules"):
        [diag] = found[code]
        assert diag["range"] == rng(FENCE, 0, FENCE, 3)  # the whole "---" line
        assert diag["severity"] == 1 and diag["source"] == "policylint"
    [ambassadors] = found["ambassadors"]
    assert ambassadors["severity"] == 2 and ambassadors["range"] == rng(FENCE, 0, FENCE, 3)
    assert "third-parties" not in found  # present on line 17
    [ban] = [d for d in found["positive-phrasing"] if d["severity"] == 3]
    # Python column 23 ("You" after 23 characters), UTF-16 character 24: the emoji counts twice.
    assert BAN_LINE.index("You") == 23
    assert ban["range"] == rng(14, 24, 14, len(BAN_LINE) + 1)
    assert ban["message"].startswith("This sentence forbids") and "\n→ " in ban["message"]

    # A finding in the body gets only the suppression, above its own line, even though
    # its element is missing (all instructions are bans): the skeleton belongs to the
    # file-level diagnostic.
    assert [d["range"] for d in found["positive-phrasing"] if d["severity"] == 1] == [rng(FENCE, 0, FENCE, 3)]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": ban["range"], "context": {"diagnostics": [ban]}})
    assert [a["edit"]["changes"][uri] for a in actions] == [[{
        "range": rng(ban["range"]["start"]["line"], 0, ban["range"]["start"]["line"], 0),
        "newText": "<!-- policylint-disable-next-line positive-phrasing -- reason -->\n"}]]
    # A client that asks only for refactorings gets none of our quick fixes.
    assert client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": ban["range"],
        "context": {"diagnostics": [ban], "only": ["refactor"]}}) is None

    # Fix one element, typing in two steps: its diagnostic goes, the others stay where
    # they were. Changes are linted after a pause, and never out of order.
    text = POLICY + CONTACT
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": POLICY + CONTACT[:30]}]})
    versions = []
    published = change(client, uri, 3, text, versions)
    assert versions == sorted(versions) and versions[-1] == 3
    found = by_code(published["diagnostics"])
    assert "contact-person" not in found
    assert found["working-hours"][0]["range"] == rng(FENCE, 0, FENCE, 3)

    # Quick fixes for a missing element: a suppression comment and a section skeleton.
    [working_hours] = found["working-hours"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": working_hours["range"],
        "context": {"diagnostics": [working_hours], "triggerKind": 1}})
    assert len(actions) == 2
    suppress, skeleton = sorted(actions, key=lambda a: bool(a.get("isPreferred")))
    assert all(a["kind"] == "quickfix" and a["diagnostics"] == [working_hours] for a in actions)
    # Not inside the YAML block (that would break the front matter): right after it.
    assert suppress["edit"]["changes"] == {uri: [{
        "range": rng(FENCE + 1, 0, FENCE + 1, 0),
        "newText": "<!-- policylint-disable-file working-hours -- reason -->\n"}]}
    example = load().element("working-hours").text("en").example
    last = len(text.split("\n")) - 1  # the empty line after the final newline
    assert skeleton["edit"]["changes"] == {uri: [{
        "range": rng(last, 0, last, 0),
        "newText": f"\n## Use during working hours\n\n{example}\n"}]}
    assert "Use during working hours" in skeleton["title"]

    # Applying the skeleton, as the editor would, makes the element present.
    text = apply_edits(text, skeleton["edit"]["changes"][uri])
    found = by_code(change(client, uri, 4, text)["diagnostics"])
    assert "working-hours" not in found and "ambassadors" in found
    # The suppression comment keeps the front matter intact.
    [ambassadors] = found["ambassadors"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": ambassadors["range"],
        "context": {"diagnostics": [ambassadors]}})
    [suppress] = [a for a in actions if not a.get("isPreferred")]
    text = apply_edits(text, suppress["edit"]["changes"][uri])
    assert text.split("\n")[FENCE + 1] == "<!-- policylint-disable-file ambassadors -- reason -->"
    found = by_code(change(client, uri, 5, text)["diagnostics"])
    assert not [code for code in found if code.startswith("frontmatter")]
    # The comment really silences the missing element, and is not itself reported unused.
    assert "ambassadors" not in found and "suppression/unused" not in found
    assert found["sanctions-work-rules"][0]["range"] == rng(FENCE, 0, FENCE, 3)

    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    saved = client.diagnostics(uri)
    assert by_code(saved["diagnostics"]).keys() == found.keys()

    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri)["diagnostics"] == []

    assert client.request("shutdown") is None
    client.notify("exit")
    assert client.process.wait(timeout=TIMEOUT) == 0
    published = [m["params"]["uri"] for m in client.received if m.get("method") == "textDocument/publishDiagnostics"]
    assert notes.as_uri() not in published


@pytest.mark.e2e
def test_dutch_policy_gets_dutch_quick_fixes(client: LspClient, tmp_path: Path) -> None:
    """Titles, reason placeholder and skeleton follow the policy's language; CRLF is kept."""
    initialize(client, tmp_path)
    text = FRONT_MATTER_EN.replace("lang: en", "lang: nl") + "\n# Socialemediabeleid\n\n## Inleiding\n\nWelkom.\n"
    text = text.replace("\n", "\r\n")
    uri = (tmp_path / "beleid.md").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    [third] = by_code(client.diagnostics(uri)["diagnostics"])["third-parties"]
    assert third["message"].startswith(load().element("third-parties").text("nl").missing)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": third["range"], "context": {"diagnostics": [third]}})
    suppress, skeleton = sorted(actions, key=lambda a: bool(a.get("isPreferred")))
    assert suppress["title"].startswith("Negeer third-parties")
    assert suppress["edit"]["changes"][uri][0]["newText"] == (
        "<!-- policylint-disable-file third-parties -- reden -->\r\n")
    nl = load().element("third-parties").text("nl")
    assert skeleton["title"] == f"Voeg een hoofdstuk '{nl.title}' toe met een voorbeeld om aan te passen"
    assert skeleton["edit"]["changes"][uri][0]["newText"] == f"\r\n## {nl.title}\r\n\r\n{nl.example}\r\n"
    assert client.request("shutdown") is None
    client.notify("exit")
    assert client.process.wait(timeout=TIMEOUT) == 0


# A linter that fails on documents containing BOOM, standing in for a bug in the engine:
# the server must log it, publish nothing for that document and keep serving others.
FAULTY_SERVER = """
import policylint
real = policylint.lint_text
def lint_text(text, path="<text>", settings=None):
    if "BOOM" in text:
        raise RuntimeError("engine bug")
    return real(text, path, settings)
policylint.lint_text = lint_text
from policylint.cli import main
main(["lsp"])
"""


@pytest.mark.e2e
def test_an_exception_while_linting_is_logged_and_the_server_keeps_running(tmp_path: Path) -> None:
    lsp = LspClient([sys.executable, "-c", FAULTY_SERVER], cwd=str(tmp_path), env=env())
    try:
        initialize(lsp, tmp_path)
        bad, good = (tmp_path / "bad.md").as_uri(), (tmp_path / "good.md").as_uri()
        lsp.notify("textDocument/didOpen", {"textDocument": {
            "uri": bad, "languageId": "markdown", "version": 1, "text": POLICY + "BOOM\n"}})
        log = lsp.wait(lambda m: m.get("method") == "window/logMessage", what="a log message")
        assert log["params"]["type"] == 1  # error
        assert bad in log["params"]["message"] and "RuntimeError: engine bug" in log["params"]["message"]
        assert lsp.diagnostics(bad)["diagnostics"] == []
        # Code actions on the broken document fail softly too.
        assert lsp.request("textDocument/codeAction", {
            "textDocument": {"uri": bad}, "range": rng(0, 0, 0, 0),
            "context": {"diagnostics": [{"range": rng(FENCE, 0, FENCE, 3), "message": "x",
                                         "code": "contact-person", "source": "policylint"}]}}) == []
        lsp.notify("textDocument/didOpen", {"textDocument": {
            "uri": good, "languageId": "markdown", "version": 1, "text": POLICY}})
        assert "contact-person" in by_code(lsp.diagnostics(good)["diagnostics"])
        assert lsp.request("shutdown") is None
        lsp.notify("exit")
        assert lsp.process.wait(timeout=TIMEOUT) == 0
    finally:
        lsp.close()


# Hides pygls the way an install without the `lsp` extra would.
WITHOUT_PYGLS = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("pygls", "lsprotocol"):
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, Hide())
from policylint.cli import main
main(["lsp"])
"""


def test_without_pygls_the_command_says_what_to_install(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", WITHOUT_PYGLS], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, cwd=tmp_path, env=env(), timeout=TIMEOUT)
    assert done.returncode == 2
    assert "pip install 'policylint[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


# -- helpers, without a server


def test_utf16_ranges_count_astral_characters_twice() -> None:
    lines = ["é😀 x. Do not post.", ""]
    finding = Finding("positive-phrasing", "m", line=1, column=lines[0].index("Do") + 1, end_line=1)
    assert utf16_units("é😀") == 3
    assert finding_range(finding, lines) == ((0, 7), (0, 19))
    assert finding_range(finding, lines, len) == ((0, 6), (0, 18))  # a client that negotiated UTF-32


def test_ranges_span_lines_and_stay_inside_the_document() -> None:
    lines = split_lines("a\r\nbb\rccc\n")
    assert lines == ["a", "bb", "ccc", ""]
    assert finding_range(Finding("r", "m", line=2, end_line=3), lines) == ((1, 0), (2, 3))
    # A finding past the end (an anchor in an empty document) is clamped to the last line.
    assert finding_range(Finding("r", "m", line=9), [""]) == ((0, 0), (0, 0))


def test_suppression_above_the_line_keeps_list_indentation() -> None:
    text = "# T\n\n- a\n  - Do not post.\n"
    insertion = suppression_insertion("positive-phrasing", 4, "reason", parse.parse(text), text)
    assert insertion.position == (3, 0)
    assert insertion.text == "  <!-- policylint-disable-next-line positive-phrasing -- reason -->\n"
    # Without front matter a missing element sits on line 1: the comment goes above it.
    insertion = suppression_insertion("contact-person", 1, "reason", parse.parse(text), text)
    assert insertion.position == (0, 0)


def test_suppression_after_front_matter_that_ends_the_file() -> None:
    text = FRONT_MATTER_EN.rstrip("\n")
    insertion = suppression_insertion("contact-person", 11, "reason", parse.parse(text), text)
    assert insertion.position == (10, 3)
    assert insertion.text == "\n<!-- policylint-disable-file contact-person -- reason -->"


@pytest.mark.parametrize(("body", "level"), [
    ("", 2),
    ("# Title\n", 2),
    ("# Title\n\n## A\n\n### A.1\n", 2),
    ("# Title\n\n### A\n", 3),
    ("# A\n\n# B\n", 1),
    ("## A\n\n## B\n", 2),
])
def test_skeleton_heading_level_follows_the_document(body: str, level: int) -> None:
    assert section_level(parse.parse(body)) == level


@pytest.mark.parametrize(("text", "position", "new"), [
    ("# T\n\nText.\n", (3, 0), "\n## H\n\nEx.\n"),
    ("# T\n\nText.", (2, 5), "\n\n## H\n\nEx.\n"),
    ("# T\n\nText.\n\n", (4, 0), "## H\n\nEx.\n"),
    ("", (0, 0), "## H\n\nEx.\n"),
])
def test_skeleton_goes_at_the_end_after_a_blank_line(text: str, position: tuple[int, int], new: str) -> None:
    insertion = skeleton_insertion("H", "Ex.", 2, text)
    assert (insertion.position, insertion.text) == (position, new)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("element", [e.id for e in load().elements])
def test_every_skeleton_makes_its_element_present(lang: str, element: str) -> None:
    """The quick fix is worth offering only if its example sentence counts as evidence."""
    # One ban, so that positive phrasing is missing too (all instructions are bans).
    ban = {"en": "Never post pictures of the office.", "nl": "Post nooit foto's van het kantoor."}[lang]
    text = FRONT_MATTER_EN.replace("lang: en", f"lang: {lang}") + f"\n# Policy\n\n{ban}\n"
    texts = load().element(element).text(lang)
    doc = parse.parse(text)
    before = {e.element: e.status.value for e in policylint.lint_text(text, "p.md").elements}
    assert before[element] == "missing"
    text += skeleton_insertion(texts.title, texts.example, section_level(doc), text).text
    after = {e.element: e.status.value for e in policylint.lint_text(text, "p.md").elements}
    assert after[element] == "present", text


def test_editor_docs_match_the_command() -> None:
    """docs/editors.md lists exactly the command's options, and its VS Code settings are valid JSON."""
    import json
    import re

    from policylint.lsp import lsp as command

    doc = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(--[a-z-]+)", doc, flags=re.M))
    options = {name for param in command.params for name in param.opts if name.startswith("--")}
    assert documented == options - {"--help"}
    [settings] = re.findall(r"```json\n(.*?)```", doc, flags=re.S)
    assert json.loads(settings)["glspc.server.commandArguments"] == ["lsp"]
    assert "cmd = { 'policylint', 'lsp' }" in doc
