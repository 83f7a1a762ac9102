"""The result cache: a hit gives the same report, and every input that decides a report invalidates it."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policylint import __version__, cache, parse
from policylint.runner import Settings, lint_file

from conftest import FRONT_MATTER_EN, json_report

POLICY = FRONT_MATTER_EN + """
# Social media policy

You can share our vacancies. Questions? Ask the communications team at social@example.com.
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICYLINT_CACHE_DIR")  # the default place, in the project
    cache.clear_memory()
    return tmp_path


def entries(root: Path) -> list[Path]:
    return sorted(root.rglob("*.pickle"))


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch):
    """Make parsing fail: a run that still succeeds took every report from the cache."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although the cache should have answered")

    def apply() -> None:
        monkeypatch.setattr(parse, "parse", refuse)
    return apply


def test_a_second_run_reuses_the_report_and_prints_the_same(cli, write, project: Path, no_parsing) -> None:
    write("p.en.md", POLICY)
    first = cli("check", "p.en.md", "--format", "json", "--fail-on", "never")
    store = project / ".policylint_cache"
    assert len(entries(store)) == 1
    assert (store / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    no_parsing()
    second = cli("check", "p.en.md", "--format", "json", "--fail-on", "never")
    assert second.exit_code == first.exit_code == 0
    assert second.stdout == first.stdout
    assert json_report(second)["files"][0]["elements"]["contact-person"]["status"] == "present"


def test_git_sees_nothing_to_commit_in_the_cache(cli, write, project: Path) -> None:
    write("p.en.md", POLICY)
    cli("check", "p.en.md")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], capture_output=True,
                            text=True, check=True).stdout
    assert status.split() == ["??", "p.en.md"]


def test_a_changed_file_is_linted_again(cli, write, project: Path) -> None:
    path = write("p.en.md", POLICY)
    assert "third-parties" in cli("check", "p.en.md", "--format", "json").stdout
    before = json_report(cli("check", "p.en.md", "--format", "json", "--fail-on", "never"))
    assert before["files"][0]["elements"]["third-parties"]["status"] == "missing"
    path.write_text(POLICY + "\nThis policy also applies to temps, freelancers and contractors.\n", encoding="utf-8")
    after = json_report(cli("check", "p.en.md", "--format", "json", "--fail-on", "never"))
    assert after["files"][0]["elements"]["third-parties"]["status"] == "present"
    assert len(entries(project / ".policylint_cache")) == 2


def test_a_changed_config_is_applied(cli, write, project: Path) -> None:
    write("p.en.md", POLICY)
    ids = {f["rule"] for f in json_report(cli("check", "p.en.md", "--format", "json"))["files"][0]["findings"]}
    assert "third-parties" in ids
    write(".policylint.yaml", "ignore: [third-parties]\n")
    ids = {f["rule"] for f in json_report(cli("check", "p.en.md", "--format", "json"))["files"][0]["findings"]}
    assert "third-parties" not in ids


def test_a_changed_ruleset_file_is_applied(cli, write, project: Path) -> None:
    write("p.en.md", POLICY + "\nThis policy also applies to our deckhands.\n")
    write(".policylint.yaml", "ruleset: mine.yaml\n")
    write("mine.yaml", "extends: social-media\n")
    statuses = json_report(cli("check", "p.en.md", "--format", "json", "--fail-on", "never"))
    assert statuses["files"][0]["elements"]["third-parties"]["status"] == "missing"
    write("mine.yaml", "extends: social-media\nlanguages: [en]\ntexts:\n  en:\n    elements:\n"
                       "      third-parties:\n        phrases:\n          outsiders: [deckhands]\n")
    statuses = json_report(cli("check", "p.en.md", "--format", "json", "--fail-on", "never"))
    assert statuses["files"][0]["elements"]["third-parties"]["status"] == "present"


def test_a_new_policylint_version_lints_again(write, project: Path, monkeypatch: pytest.MonkeyPatch,
                                              no_parsing) -> None:
    path = str(write("p.en.md", POLICY))
    settings = Settings(paths=[path])
    lint_file(path, settings)
    monkeypatch.setattr(cache, "__version__", __version__ + ".post1")
    cache.clear_memory()
    no_parsing()
    with pytest.raises(AssertionError, match="parsed although"):
        lint_file(path, settings)  # a miss: it had to parse


def test_an_edited_rule_file_of_the_package_lints_again(write, project: Path) -> None:
    path = str(write("p.en.md", POLICY))
    settings = Settings(paths=[path])
    one = cache.key(path, b"x", settings)
    words = Path(cache.__file__).parent / "lang" / "en.yaml"
    info = words.stat()
    try:
        os.utime(words, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        cache.clear_memory()
        assert cache.key(path, b"x", settings) != one
    finally:
        os.utime(words, ns=(info.st_atime_ns, info.st_mtime_ns))
        cache.clear_memory()


def test_the_date_is_part_of_the_key(write, project: Path) -> None:
    """A review date passes overnight: yesterday's report must not be reused today."""
    path = str(write("p.en.md", POLICY))
    monday = Settings(paths=[path]).lint.__class__(today=dt.date(2026, 1, 5))
    tuesday = Settings(paths=[path]).lint.__class__(today=dt.date(2026, 1, 6))
    assert cache.key(path, b"x", Settings(lint=monday)) != cache.key(path, b"x", Settings(lint=tuesday))
    assert cache.key(path, b"x", Settings(lint=monday)) == cache.key(path, b"x", Settings(lint=monday))


def test_no_cache_writes_nothing_and_the_variable_does_the_same(cli, write, project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write("p.en.md", POLICY)
    assert cli("check", "p.en.md", "--no-cache").exit_code == 1
    assert not (project / ".policylint_cache").exists()
    monkeypatch.setenv("POLICYLINT_NO_CACHE", "1")
    assert cli("check", "p.en.md").exit_code == 1
    assert not (project / ".policylint_cache").exists()


def test_cache_dir_and_variable_choose_the_place(cli, write, project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    write("p.en.md", POLICY)
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    cli("check", "p.en.md", "--cache-dir", str(elsewhere / "c"))
    assert len(entries(elsewhere / "c")) == 1
    monkeypatch.setenv("POLICYLINT_CACHE_DIR", str(elsewhere / "v"))
    cli("check", "p.en.md")
    assert len(entries(elsewhere / "v")) == 1
    assert not (project / ".policylint_cache").exists()


def test_a_damaged_entry_is_a_miss(cli, write, project: Path) -> None:
    write("p.en.md", POLICY)
    first = cli("check", "p.en.md", "--format", "json")
    for entry in entries(project / ".policylint_cache"):
        entry.write_bytes(b"not a pickle")
    second = cli("check", "p.en.md", "--format", "json")
    assert second.stdout == first.stdout and second.exit_code == first.exit_code


def test_a_cache_that_cannot_be_written_is_left_alone(cli, write, project: Path) -> None:
    write("p.en.md", POLICY)
    write("a-file", "not a folder")  # a cache folder cannot be made under it, not even by root
    result = cli("check", "p.en.md", "--cache-dir", str(project / "a-file" / "c"))
    assert result.exit_code == 1 and "third-parties" in result.stdout
    assert "Traceback" not in result.stderr
    assert (project / "a-file").read_text(encoding="utf-8") == "not a folder"


def test_jobs_share_the_cache_and_print_the_same(write, project: Path) -> None:
    for n in range(6):
        write(f"p{n}.en.md", POLICY + f"\nPolicy number {n}.\n")
    command = [sys.executable, "-m", "policylint", "check", ".", "--format", "json", "--fail-on", "never"]
    cold = subprocess.run(command + ["--jobs", "2"], capture_output=True, text=True, timeout=120)
    warm = subprocess.run(command + ["--jobs", "1"], capture_output=True, text=True, timeout=120)
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert warm.stdout == cold.stdout
    assert len(entries(project / ".policylint_cache")) == 6


def test_entries_of_other_days_are_removed_by_the_first_write_of_the_day(cli, write, project: Path) -> None:
    write("p.en.md", POLICY)
    old = project / ".policylint_cache" / "2020-01-31" / "ab"
    old.mkdir(parents=True)
    (old / "cdef.pickle").write_bytes(b"stale")
    cli("check", "p.en.md")
    store = project / ".policylint_cache"
    assert not (store / "2020-01-31").exists()
    assert [p.parent.parent.name for p in entries(store)] == [dt.date.today().isoformat()]


def test_python_and_parser_versions_are_part_of_the_key(write, project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import markdown_it

    path = str(write("p.en.md", POLICY))
    before = cache.key(path, b"x", Settings())
    monkeypatch.setattr(markdown_it, "__version__", "0.0.1")
    cache.clear_memory()
    assert cache.key(path, b"x", Settings()) != before
