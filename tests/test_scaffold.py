"""``policylint init``: a scaffold that validates, claims nothing, and becomes a policy when filled in."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from policylint import atomic, lint_text, parse, scaffold
from policylint import lang as _lang
from policylint.findings import Severity, Status
from policylint.ruleset import load

from support.terminal import policylint

RULESET = load()


def lint_file(path: Path):
    return lint_text(path.read_text(encoding="utf-8"), str(path))


def section_of(doc, line: int) -> str | None:
    """Title of the level-2 section holding ``line``."""
    for section in doc.sections:
        if section.level == 2 and section.line <= line <= section.end_line:
            return section.title
    return None


@pytest.mark.parametrize("code", ["en", "nl"])
def test_fresh_scaffold_validates_and_is_a_to_do_list(cli, tmp_path: Path, code: str) -> None:
    path = tmp_path / "policy.md"
    result = cli("init", str(path), "--lang", code, "--no-input")
    assert result.exit_code == 0, result.output
    assert str(path) in result.stdout
    report = lint_file(path)
    doc = parse.read(str(path))
    assert doc.lang == code and doc.front_matter.data["kind"] == "social-media"
    # Complete front matter: the schema finds nothing to complain about.
    assert [f for f in report.findings if f.rule.startswith("frontmatter")] == []
    # One section per element, in the ruleset's order, titled in the policy's language.
    titles = [s.title for s in doc.sections if s.level == 2]
    assert titles == [e.text(code).title for e in RULESET.elements]
    holes = [f for f in report.findings if f.rule == "placeholder"]
    assert all(f.severity is Severity.ERROR for f in holes)
    # The unknown front matter values are placeholders too: owner, contact role and e-mail.
    fm_keys = {key for key, line in doc.front_matter.key_lines.items() for f in holes if f.line == line}
    assert fm_keys == {"owner", "contact.role", "contact.email"}
    sections_with_holes = {section_of(doc, f.line) for f in holes}
    for result_ in report.elements:
        title = RULESET.element(result_.element).text(code).title
        # Nothing is claimed: each element is missing, or at most present without
        # evidence (no bans among zero instructions), with its placeholder to fill in.
        assert result_.status is Status.MISSING or (result_.line is None and title in sections_with_holes)
        assert title in sections_with_holes
    assert sum(e.status is Status.MISSING for e in report.elements) == len(RULESET.elements) - 1
    assert cli("check", str(path)).exit_code == 1


@pytest.mark.parametrize("code", ["en", "nl"])
def test_filling_in_the_examples_makes_every_element_present(tmp_path: Path, code: str) -> None:
    answers = scaffold.Answers(owner="HR", contact_name="Sam Peeters", contact_email="sam@example.com")
    text = scaffold.render(RULESET, code, answers, today=dt.date(2026, 3, 1))
    left, right = "[[", "]]"
    for element in RULESET.elements:
        texts = element.text(code)
        hole = left + _lang.message(code, "init-placeholder", title=texts.title) + right
        assert text.count(hole) == 1
        text = text.replace(hole, texts.example)
    report = lint_text(text, "policy.md")
    assert {e.element: e.status for e in report.elements} == {e.id: Status.PRESENT for e in RULESET.elements}
    assert [f for f in report.findings if f.severity > Severity.INFO] == []


def test_guidance_comments_come_from_the_ruleset(tmp_path: Path) -> None:
    text = scaffold.render(RULESET, "nl", scaffold.Answers(), today=dt.date(2026, 3, 1))
    contact = RULESET.element("contact-person").text("nl")
    start = text.index(f"## {contact.title}")
    comment = text[text.index("<!--", start): text.index("-->", start)]
    flat = " ".join(comment.split())
    assert contact.summary in flat and "Waarom: " + " ".join(contact.why.split()) in flat
    assert f"Bijvoorbeeld: \u201c{contact.example}\u201d" in flat


def test_flags_fill_the_front_matter_safely(cli, tmp_path: Path) -> None:
    path = tmp_path / "beleid.nl.md"
    title = 'Beleid: "sociale" media #1'
    result = cli("init", str(path), "--no-input", "--title", title, "--owner", "HR & Communicatie",
                 "--contact-name", "Lotte Vermeersch", "--contact-role", "Communicatiemanager",
                 "--contact-email", "lotte@example.be")
    assert result.exit_code == 0, result.output
    doc = parse.read(str(path))
    assert doc.lang == "nl"  # from the file name
    data = doc.front_matter.data
    assert data["title"] == title and data["owner"] == "HR & Communicatie"
    assert data["contact"] == {"name": "Lotte Vermeersch", "role": "Communicatiemanager", "email": "lotte@example.be"}
    assert data["effective"] == dt.date.today() and data["review"] > data["effective"]
    assert f"# {title}" in path.read_text(encoding="utf-8")
    report = lint_file(path)
    assert [f.line for f in report.findings if f.rule == "placeholder" and f.line <= doc.front_matter.end_line] == []


def test_never_overwrites_a_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text("my own words\n", encoding="utf-8")
    result = cli("init", str(path), "--lang", "en", "--no-input")
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "never overwrites" in result.stderr
    assert path.read_text(encoding="utf-8") == "my own words\n"
    assert sorted(os.listdir(tmp_path)) == ["policy.md"]  # no temporary file left behind


@pytest.mark.parametrize(("args", "message"), [
    (["--lang", "en", "--contact-email", "not an address"], "is not an e-mail address"),
    (["--lang", "xx"], "Invalid value for '--lang'"),
    ([], "--lang"),  # no language given, none in the file name, and nobody to ask
])
def test_bad_flags_exit_2_without_writing(cli, tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "policy.md"
    result = cli("init", str(path), "--no-input", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert not path.exists()


def test_missing_folder_and_folder_as_target_exit_2(cli, tmp_path: Path) -> None:
    result = cli("init", str(tmp_path / "nope" / "policy.md"), "--lang", "en", "--no-input")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = cli("init", str(tmp_path), "--lang", "nl", "--no-input")
    assert result.exit_code == 2 and "is een map" in result.stderr


def test_write_new_refuses_a_name_taken_in_the_meantime(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text("first\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        atomic.write_new(str(path), "second\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    assert os.listdir(tmp_path) == ["policy.md"]
    atomic.write_new(str(tmp_path / "other.md"), "new\n")
    assert (tmp_path / "other.md").read_text(encoding="utf-8") == "new\n"
    assert (tmp_path / "other.md").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_asks_for_title_owner_and_contact_on_a_terminal(tmp_path: Path) -> None:
    outcome = policylint(
        "init", "beleid.md", "--lang", "nl", cwd=str(tmp_path), tty=("stdin", "stdout", "stderr"),
        replies=[("Titel van het beleid", "Sociale media bij Kouterhof"),
                 ("Eigenaar", "dienst HR"),
                 ("Contactpersoon: naam", "Lotte Vermeersch"),
                 ("Contactpersoon: functie", ""),
                 ("Contactpersoon: e-mailadres", "lotte at kouterhof"),
                 ("geen e-mailadres", "lotte@kouterhof.example")],
    )
    assert outcome.code == 0, outcome.terminal
    data = parse.read(str(tmp_path / "beleid.md")).front_matter.data
    assert data["title"] == "Sociale media bij Kouterhof" and data["owner"] == "dienst HR"
    assert data["contact"] == {"name": "Lotte Vermeersch", "email": "lotte@kouterhof.example"}


def test_flags_are_not_asked_again_and_existing_file_is_refused_before_asking(tmp_path: Path) -> None:
    outcome = policylint(
        "init", "policy.md", "--lang", "en", "--title", "Ours", "--owner", "HR", "--contact-role", "HR team",
        cwd=str(tmp_path), tty=("stdin", "stdout", "stderr"),
        replies=[("e-mail address", "")],
    )
    assert outcome.code == 0, outcome.terminal
    assert b"Title of the policy" not in outcome.terminal and b"Owner" not in outcome.terminal
    data = parse.read(str(tmp_path / "policy.md")).front_matter.data
    assert data["contact"] == {"role": "HR team", "email": "[[name@example.com]]"}
    again = policylint("init", "policy.md", "--lang", "en", cwd=str(tmp_path), tty=("stdin", "stdout", "stderr"))
    assert again.code == 2 and b"already exists" in again.terminal and b"Title" not in again.terminal


def test_kinds_lists_the_built_in_rulesets() -> None:
    assert scaffold.kinds() == ["remote-work", "social-media"]
    for kind in scaffold.kinds():
        for code in ("en", "nl", "fr"):
            assert scaffold.default_title(code, kind) != kind
