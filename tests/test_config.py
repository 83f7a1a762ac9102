"""Configuration: discovery order and precedence, per-file overrides, and every error path."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import FRONT_MATTER_EN, REPO, json_report

INCOMPLETE = FRONT_MATTER_EN + "\n# Social media policy\n\nYou can share our news.\n"
COMPLETE = (REPO / "example-policy" / "social-media-policy.en.md").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository as the project root; the tests run from inside it."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def elements(result) -> dict:
    report = json_report(result)
    return {Path(f["path"]).as_posix(): f for f in report["files"]}


def test_config_in_the_project_root_applies(cli, write, project) -> None:
    write(".policylint.yaml", "ignore: [contact-person]\nseverity:\n  third-parties: warning\n")
    write("policies/p.en.md", INCOMPLETE)
    result = cli("check", "policies", "--format", "json")
    findings = {f["rule"]: f["severity"] for f in elements(result)["policies/p.en.md"]["findings"]}
    assert "contact-person" not in findings
    assert findings["third-parties"] == "warning"


def test_nearest_config_wins_over_one_further_up(cli, write, project) -> None:
    write(".policylint.yaml", "ignore: [contact-person]\n")
    write("hr/.policylint.yml", "ignore: [third-parties]\n")
    write("hr/p.en.md", INCOMPLETE)
    write("other/p.en.md", INCOMPLETE)
    files = elements(cli("check", ".", "--format", "json"))
    hr = {f["rule"] for f in files["hr/p.en.md"]["findings"]}
    other = {f["rule"] for f in files["other/p.en.md"]["findings"]}
    assert "third-parties" not in hr and "contact-person" in hr
    assert "contact-person" not in other and "third-parties" in other


def test_yaml_config_wins_over_pyproject_in_the_same_folder(cli, write, project) -> None:
    write("pyproject.toml", "[tool.policylint]\nignore = ['third-parties']\n")
    write("p.en.md", INCOMPLETE)
    rules = {f["rule"] for f in elements(cli("check", "p.en.md", "--format", "json"))["p.en.md"]["findings"]}
    assert "third-parties" not in rules
    write(".policylint.yaml", "ignore: [contact-person]\n")
    rules = {f["rule"] for f in elements(cli("check", "p.en.md", "--format", "json"))["p.en.md"]["findings"]}
    assert "contact-person" not in rules and "third-parties" in rules


def test_search_stops_at_the_repository_root(cli, write, tmp_path, monkeypatch) -> None:
    write(".policylint.yaml", "ignore: [contact-person]\n")
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    write("repo/p.en.md", INCOMPLETE)
    monkeypatch.chdir(repo)
    rules = {f["rule"] for f in elements(cli("check", "p.en.md", "--format", "json"))["p.en.md"]["findings"]}
    assert "contact-person" in rules


def test_command_line_flags_win_over_config(cli, write, project) -> None:
    write(".policylint.yaml", "fail-on: never\nmessage-lang: nl\n")
    write("p.en.md", INCOMPLETE)
    assert cli("check", "p.en.md").exit_code == 0
    assert "Er is geen contactpersoon" in cli("check", "p.en.md").stdout
    result = cli("check", "p.en.md", "--fail-on", "error", "--message-lang", "en")
    assert result.exit_code == 1 and "No contact person" in result.stdout


def test_explicit_config_and_isolated(cli, write, project) -> None:
    write(".policylint.yaml", "ignore: [contact-person]\n")
    write("elsewhere.yaml", "ignore: [third-parties]\n")
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md", "--format", "json", "--config", "elsewhere.yaml")
    rules = {f["rule"] for f in elements(result)["p.en.md"]["findings"]}
    assert "third-parties" not in rules and "contact-person" in rules
    result = cli("check", "p.en.md", "--format", "json", "--isolated")
    rules = {f["rule"] for f in elements(result)["p.en.md"]["findings"]}
    assert {"third-parties", "contact-person"} <= rules


def test_extends_and_per_file(cli, write, project) -> None:
    write("base.yaml", "severity:\n  third-parties: info\nignore: [strategy-link]\n")
    write(".policylint.yaml", "extends: base.yaml\nper-file:\n  - files: ['legacy/**']\n    ignore: [contact-person]\n")
    write("legacy/old.en.md", INCOMPLETE)
    write("new.en.md", INCOMPLETE)
    files = elements(cli("check", ".", "--format", "json"))
    legacy = {f["rule"]: f["severity"] for f in files["legacy/old.en.md"]["findings"]}
    new = {f["rule"]: f["severity"] for f in files["new.en.md"]["findings"]}
    assert "contact-person" not in legacy and new["contact-person"] == "error"
    assert legacy["third-parties"] == new["third-parties"] == "info"
    assert "strategy-link" not in new


def test_threshold_option_changes_positive_phrasing(cli, write, project) -> None:
    policy = FRONT_MATTER_EN + "\nYou can share news. Never share secrets. Ask HR first. Post kindly.\n"
    write("p.en.md", policy)
    status = elements(cli("check", "p.en.md", "--format", "json"))["p.en.md"]["elements"]["positive-phrasing"]["status"]
    assert status == "present"  # 1 ban in 4 instructions: 25 % < 35 %
    write(".policylint.yaml", "rules:\n  positive-phrasing:\n    threshold: 0.2\n")
    status = elements(cli("check", "p.en.md", "--format", "json"))["p.en.md"]["elements"]["positive-phrasing"]["status"]
    assert status == "missing"


def test_include_exclude_and_gitignore(cli, write, project) -> None:
    write(".gitignore", "build/\n")
    write(".policylint.yaml", "include: ['*.md', '*.policy']\nexclude: ['drafts/']\n")
    for name in ("a.md", "b.policy", "c.txt", "drafts/d.md", "build/e.md"):
        write(name, INCOMPLETE)
    assert sorted(elements(cli("check", ".", "--format", "json"))) == ["a.md", "b.policy"]
    write(".policylint.yaml", "respect-gitignore: false\n")
    assert sorted(elements(cli("check", ".", "--format", "json"))) == ["a.md", "build/e.md", "drafts/d.md"]


def test_explicitly_named_excluded_file_is_skipped(cli, write, project) -> None:
    write(".policylint.yaml", "exclude: ['drafts/']\n")
    write("drafts/d.md", INCOMPLETE)
    assert elements(cli("check", "drafts/d.md", "--format", "json")) == {}


@pytest.mark.parametrize(("config", "line", "words"), [
    ("colour: always\n", 1, "unknown key `colour`"),
    ("fail-on: sometimes\n", 1, "must be one of: error, warning, info, never"),
    ("ignore: contact-person\n", 1, "must be of type array"),
    ("select: [contact-person]\nignore:\n  - contact-persn\n", 3,
     "unknown rule `contact-persn`; did you mean `contact-person`?"),
    ("severity:\n  third-parties: loud\n", 2, "must be one of"),
    ("rules:\n  positive-phrasing:\n    threshold: 2\n", 2, "threshold"),
    ("rules:\n  positive-phrasing:\n    treshold: 0.3\n", 2, "unknown key `treshold`"),
    ("rules:\n  no-such-element: {}\n", 2, "unknown rule `no-such-element`"),
    ("ignore: [a\n", 2, "invalid YAML"),
    ("per-file:\n  - ignore: [contact-person]\n", 2, "`files` is required"),
    ("extends: missing.yaml\n", 1, "missing.yaml not found"),
    ("ruleset: no-such-ruleset\n", None, "neither a built-in ruleset"),
    ("lang: nl\nlang: en\n", 2, "given twice"),
])
def test_config_errors_name_file_line_and_key(cli, write, project, config: str, line, words: str) -> None:
    write(".policylint.yaml", config)
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md")
    assert result.exit_code == 2
    where = ".policylint.yaml" + (f":{line}:" if line else ":")
    assert where in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_config_that_is_not_a_mapping(cli, write, project) -> None:
    write(".policylint.yaml", "- a\n- b\n")
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md")
    assert result.exit_code == 2 and "must be a mapping" in result.stderr


def test_extends_cycle_is_an_error(cli, write, project) -> None:
    write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "extends: a.yaml\n")
    write(".policylint.yaml", "extends: a.yaml\n")
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md")
    assert result.exit_code == 2 and "extends itself" in result.stderr


def test_missing_explicit_config_is_exit_2(cli, write, project) -> None:
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md", "--config", "nope.yaml")
    assert result.exit_code == 2 and "nope.yaml" in result.stderr and "not found" in result.stderr


def test_pyproject_errors_name_the_file(cli, write, project) -> None:
    write("pyproject.toml", "[tool.policylint]\nfail-on = 3\n")
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md")
    assert result.exit_code == 2 and "pyproject.toml" in result.stderr and "fail-on" in result.stderr


def test_lint_text_uses_the_config_of_the_path(write, project) -> None:
    import policylint

    write(".policylint.yaml", "ignore: [contact-person]\n")
    report = policylint.lint_text(INCOMPLETE, str(project / "p.en.md"))
    assert "contact-person" not in {f.rule for f in report.findings}
    assert "contact-person" not in {e.element for e in report.elements}


def test_cli_languages_match_the_data_files() -> None:
    from policylint import lang
    from policylint.cli import LANGS

    assert sorted(LANGS) == lang.available()


def test_a_named_folder_is_linted_even_if_git_ignores_it(cli, write, project) -> None:
    write(".gitignore", "generated/\n")
    write("generated/p.en.md", INCOMPLETE)
    assert sorted(elements(cli("check", "generated", "--format", "json"))) == ["generated/p.en.md"]
    result = cli("check", ".", "--format", "json")
    assert elements(result) == {} and ".: is a folder without policy files" in result.stderr


def test_jobs_zero_in_a_config_means_automatic(cli, write, project, monkeypatch) -> None:
    from policylint import parallel

    asked: list[object] = []
    real_plan = parallel.plan
    monkeypatch.setattr(parallel, "plan", lambda jobs, items: asked.append(jobs) or real_plan(jobs, items))
    write("p.en.md", INCOMPLETE)
    write(".policylint.yaml", "jobs: 0\n")
    cli("check", "p.en.md")
    write(".policylint.yaml", "jobs: 3\n")
    cli("check", "p.en.md")
    assert asked == [None, 3]


def test_max_file_size_from_config_and_flag(cli, write, project) -> None:
    write(".policylint.yaml", "max-file-size: 100\n")
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md")
    assert result.exit_code == 2 and "p.en.md" in result.stdout and "larger" in result.stdout.lower()
    assert cli("check", "p.en.md", "--max-file-size", "1MB").exit_code == 1
