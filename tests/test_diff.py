"""``check --diff-base REF``: findings on changed lines plus file-level findings of changed files.

Every test works in a real temporary git repository; policylint runs the real git.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from policylint.diff import Changes, _hunks, _numstat, _unquote
from policylint.findings import FileReport, Finding, Severity

from conftest import FRONT_MATTER_EN, json_report
from support.gitrepo import GitRepo, git_env

BODY = """
# Social media policy

You can share our news with your network.
Never post photos of the office.
"""
POLICY = FRONT_MATTER_EN + BODY
OLD_BAN = "Never post photos of the office."
NEW_BAN = "Do not mention clients by name."
SANCTION = "Breaches may lead to dismissal."


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """A git repository with one committed policy, and the process working inside it."""
    env = git_env(tmp_path / "home")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    repository = GitRepo.init(tmp_path / "repo", {**os.environ, **env})
    repository.write("policy.en.md", POLICY)
    repository.commit("first version")
    monkeypatch.chdir(repository.path)
    return repository


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line containing ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def findings(result: Result, name: str = "policy.en.md") -> set[tuple[str, int]]:
    """(rule, line) of every finding reported for one file."""
    files = {Path(f["path"]).name: f for f in json_report(result)["files"]}
    return {(f["rule"], f["line"]) for f in files[name]["findings"]}


def check(cli: Callable[..., Result], *args: str) -> Result:
    return cli("check", "--format", "json", "--fail-on", "info", *args)


def test_finding_on_a_changed_line_is_reported_and_on_an_unchanged_line_not(repo: GitRepo, cli) -> None:
    path = repo.write("policy.en.md", POLICY + NEW_BAN + "\n" + SANCTION + "\n")
    old, new, sanction = line_of(path, OLD_BAN), line_of(path, NEW_BAN), line_of(path, SANCTION)

    everything = findings(check(cli, "policy.en.md"))
    assert {("positive-phrasing", old), ("positive-phrasing", new), ("sanctions-work-rules", sanction)} <= everything

    changed = findings(check(cli, "--diff-base", "HEAD", "policy.en.md"))
    assert ("positive-phrasing", new) in changed
    assert ("sanctions-work-rules", sanction) in changed
    assert ("positive-phrasing", old) not in changed


def test_missing_elements_and_front_matter_of_a_changed_file_are_reported(repo: GitRepo, cli) -> None:
    # A front matter without an owner, committed; then only the body changes.
    policy = POLICY.replace('owner: "Communications"\n', "")
    path = repo.write("policy.en.md", policy)
    repo.commit("no owner")
    repo.write("policy.en.md", policy.replace("with your network", "with your friends and network"))
    anchor = policy.splitlines().index("---", 1) + 1  # the closing fence of the front matter

    result = check(cli, "--diff-base", "HEAD")
    reported = findings(result)
    assert ("contact-person", anchor) in reported  # missing: never on a changed line
    assert ("third-parties", anchor) in reported
    assert ("frontmatter/required", 1) in reported  # `owner` is missing from the (unchanged) front matter
    assert ("positive-phrasing", line_of(path, OLD_BAN)) not in reported
    assert result.exit_code == 1


def test_a_change_that_only_deletes_lines_still_reports_file_level_findings(repo: GitRepo, cli) -> None:
    path = repo.write("policy.en.md", POLICY.replace("You can share our news with your network.\n", ""))
    reported = findings(check(cli, "--diff-base", "HEAD"))
    anchor = POLICY.splitlines().index("---", 1) + 1
    assert ("contact-person", anchor) in reported
    assert ("positive-phrasing", line_of(path, OLD_BAN)) not in reported


def test_unchanged_files_are_not_reported_at_all(repo: GitRepo, cli) -> None:
    repo.write("other.en.md", POLICY)
    repo.write("docs/nl.md", "# Beleid\n\nJe mag gerust ons nieuws delen.\n")
    repo.commit("two more")
    repo.write("other.en.md", POLICY + NEW_BAN + "\n")

    result = check(cli, "--diff-base", "HEAD")
    report = json_report(result)
    assert [f["path"] for f in report["files"]] == ["other.en.md"]
    assert report["summary"]["files"] == 1

    # Named explicitly but unchanged: still skipped, and the run is clean.
    quiet = check(cli, "--diff-base", "HEAD", "policy.en.md", "docs")
    assert json_report(quiet)["files"] == [] and quiet.exit_code == 0


def test_untracked_and_staged_files_count_as_changed(repo: GitRepo, cli) -> None:
    new = repo.write("new.en.md", POLICY)  # untracked: every line is new
    repo.write("staged.en.md", POLICY)
    repo.git("add", "staged.en.md")  # staged, not committed
    result = check(cli, "--diff-base", "HEAD")
    names = sorted(Path(f["path"]).name for f in json_report(result)["files"])
    assert names == ["new.en.md", "staged.en.md"]
    assert ("positive-phrasing", line_of(new, OLD_BAN)) in findings(result, "new.en.md")
    assert ("positive-phrasing", line_of(new, OLD_BAN)) in findings(result, "staged.en.md")


def test_run_from_a_subfolder(repo: GitRepo, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("sub/kept.en.md", POLICY)
    repo.commit("sub folder")
    repo.write("sub/kept.en.md", POLICY + NEW_BAN + "\n")
    repo.write("sub/new.en.md", POLICY)
    repo.write("policy.en.md", POLICY + NEW_BAN + "\n")  # changed, but not under the folder linted
    monkeypatch.chdir(repo.path / "sub")
    result = check(cli, "--diff-base", "HEAD")
    assert sorted(f["path"] for f in json_report(result)["files"]) == ["kept.en.md", "new.en.md"]
    assert ("positive-phrasing", 16) not in findings(result, "kept.en.md")
    assert ("positive-phrasing", 16) in findings(result, "new.en.md")


def test_ignored_files_do_not_count_as_changed(repo: GitRepo, cli) -> None:
    repo.write(".gitignore", "drafts/\n")
    repo.commit("ignore drafts")
    repo.write("drafts/idea.en.md", POLICY)
    assert json_report(check(cli, "--diff-base", "HEAD", "drafts"))["files"] == []


def test_three_dots_compare_with_the_merge_base(repo: GitRepo, cli) -> None:
    # main changes the old ban after the branch left; the branch adds a new ban.
    repo.git("checkout", "-q", "-b", "feature")
    path = repo.write("policy.en.md", POLICY + NEW_BAN + "\n")
    repo.commit("feature: new ban")
    repo.git("checkout", "-q", "main")
    repo.write("policy.en.md", POLICY.replace(OLD_BAN, "Please keep photos of the office to yourself."))
    repo.commit("main: rephrase")
    repo.git("checkout", "-q", "feature")
    old, new = line_of(path, OLD_BAN), line_of(path, NEW_BAN)

    against_tip = findings(check(cli, "--diff-base", "main"))
    assert ("positive-phrasing", old) in against_tip  # differs from main's tip, though the branch never touched it
    against_base = findings(check(cli, "--diff-base", "main..."))
    assert ("positive-phrasing", new) in against_base
    assert ("positive-phrasing", old) not in against_base


def test_paths_with_spaces_and_accents(repo: GitRepo, cli) -> None:
    name = "beleid over sociale media – ë.en.md"
    repo.write(name, POLICY)
    repo.commit("odd name")
    path = repo.write(name, POLICY + NEW_BAN + "\n")
    reported = findings(check(cli, "--diff-base", "HEAD"), name)
    assert ("positive-phrasing", line_of(path, NEW_BAN)) in reported
    assert ("positive-phrasing", line_of(path, OLD_BAN)) not in reported


def test_utf16_policies_are_diffed_by_line(repo: GitRepo, cli) -> None:
    # git thinks UTF-16 is binary; its lines must still be found.
    path = repo.path / "utf16.en.md"
    path.write_bytes(POLICY.encode("utf-16"))
    repo.commit("utf-16")
    path.write_bytes((POLICY + NEW_BAN + "\n").encode("utf-16"))
    new = len((POLICY + NEW_BAN).splitlines())
    reported = findings(check(cli, "--diff-base", "HEAD"), "utf16.en.md")
    assert ("positive-phrasing", new) in reported
    assert ("positive-phrasing", new - 1) not in reported


def test_text_output_counts_only_what_is_reported(repo: GitRepo, cli) -> None:
    repo.write("policy.en.md", POLICY + NEW_BAN + "\n")
    result = cli("check", "--diff-base", "HEAD", "--fail-on", "info")
    assert "policy.en.md:17:1: info [positive-phrasing]" in result.stdout
    assert "policy.en.md:16:1: info [positive-phrasing]" not in result.stdout
    assert ", 1 info." in result.stdout


@pytest.mark.parametrize("ref", ["no-such-branch", "HEAD~5", "-p", ""])
def test_unknown_revision_is_exit_2_with_a_message_and_no_report(repo: GitRepo, cli, ref: str) -> None:
    result = cli("check", "--format", "json", "--diff-base", ref)
    assert result.exit_code == 2
    assert "--diff-base" in result.stderr and repr(ref) in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_outside_a_git_repository_is_exit_2(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "not-a-repo"
    folder.mkdir()
    (folder / "policy.en.md").write_text(POLICY, encoding="utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # do not find a repository further up
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.chdir(folder)
    result = cli("check", "--diff-base", "HEAD")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr and result.stdout == ""


def test_without_git_is_exit_2(repo: GitRepo, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli("check", "--diff-base", "HEAD")
    assert result.exit_code == 2 and "no `git` program was found" in result.stderr


def test_restrict_keeps_multi_line_findings_touching_a_changed_line() -> None:
    report = FileReport("p.md", "en", findings=[
        Finding("a", "spans 3-5", 3, end_line=5, severity=Severity.INFO),
        Finding("b", "on 7", 7),
        Finding("c", "missing", 1, scope="file"),
    ])
    changes = Changes("base", {os.path.realpath("p.md"): frozenset({4})})
    assert [f.rule for f in changes.restrict(report).findings] == ["a", "c"]
    whole = Changes("base", {os.path.realpath("p.md"): None})
    assert whole.restrict(report) is report


def test_patch_parser_counts_content_lines_instead_of_trusting_them() -> None:
    patch = (b"diff --git a/p.md b/p.md\n--- a/p.md\n+++ b/p.md\n"
             b"@@ -2 +2,2 @@ heading\n-old\n++++ b/q.md\n+@@ -1 +1 @@\n"
             b"@@ -9,2 +9,0 @@\n-gone\n-gone too\n\\ No newline at end of file\n"
             b"diff --git \"a/t\\tab.md\" \"b/t\\tab.md\"\n--- \"a/t\\tab.md\"\n"
             b"+++ \"b/t\\tab.md\"\n@@ -0,0 +1 @@\n+x\n")
    assert _hunks(patch) == {b"p.md": {2, 3}, b"t\tab.md": {1}}


def test_unquote_and_numstat() -> None:
    assert _unquote(b'"b/\\303\\253 \\"x\\".md"') == "b/ë \"x\".md".encode()
    assert _unquote(b"b/with space.md\t") == b"b/with space.md"
    assert _numstat(b"1\t0\ta.md\x002\t1\t\x00old.md\x00new.md\x00-\t-\tbin.md\x00") == [b"a.md", b"new.md", b"bin.md"]
