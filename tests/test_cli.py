"""The command line: exit codes, formats, paths, languages, colour."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from policylint import __version__
from policylint.schemas import load

from conftest import FRONT_MATTER_EN, REPO, json_report

EXAMPLES = REPO / "example-policy"
INCOMPLETE = FRONT_MATTER_EN + "\n# Social media policy\n\nYou can share our news.\n"


def test_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_examples_lint_clean_at_warning_level(cli) -> None:
    result = cli("check", str(EXAMPLES), "--fail-on", "warning")
    assert result.exit_code == 0, result.stdout
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_incomplete_policy_exits_1_with_clickable_findings(cli, write) -> None:
    path = write("policy.en.md", INCOMPLETE)
    result = cli("check", str(path))
    assert result.exit_code == 1
    assert f"{path}:11:1: error [contact-person] No contact person" in result.stdout
    assert "\u2717 third-parties" in result.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_thresholds(cli, write, fail_on: str, code: int) -> None:
    path = write("policy.en.md", INCOMPLETE)
    assert cli("check", str(path), "--fail-on", fail_on).exit_code == code


def test_fail_on_warning_but_only_info_findings(cli) -> None:
    assert cli("check", str(EXAMPLES), "--fail-on", "warning").exit_code == 0
    assert cli("check", str(EXAMPLES), "--fail-on", "info").exit_code == 1


def test_json_report_is_valid_and_lists_every_element(cli, write) -> None:
    write("a/one.en.md", INCOMPLETE)
    write("a/two.nl.md", "# Beleid\n\nJe mag gerust ons nieuws delen met je netwerk.\n")
    result = cli("check", str(write("a/one.en.md", INCOMPLETE).parent), "--format", "json")
    report = json_report(result)
    jsonschema.validate(report, load("report.schema.json"))
    assert [Path(f["path"]).name for f in report["files"]] == ["one.en.md", "two.nl.md"]
    for file in report["files"]:
        assert len(file["elements"]) == 14
    dutch = report["files"][1]
    assert dutch["lang"] == "nl"
    assert ("frontmatter/missing", 1) in [(f["rule"], f["line"]) for f in dutch["findings"]]
    assert dutch["elements"]["contact-person"]["title"] == "Contactpersoon"
    assert report["summary"]["files"] == 2 and result.exit_code == 1


def test_examples_json_validates_and_all_present(cli) -> None:
    report = json_report(cli("check", str(EXAMPLES), "--format", "json"))
    jsonschema.validate(report, load("report.schema.json"))
    for file in report["files"]:
        assert {e["status"] for e in file["elements"].values()} == {"present"}, file["path"]


def test_message_lang_overrides_the_policy_language(cli, write) -> None:
    path = write("policy.en.md", INCOMPLETE)
    result = cli("check", str(path), "--message-lang", "nl")
    assert "Er is geen contactpersoon" in result.stdout
    assert "bestand(en) gecontroleerd" in result.stdout


def test_unreadable_path_is_exit_2_and_others_are_still_linted(cli, write, tmp_path) -> None:
    good = write("good.en.md", INCOMPLETE)
    result = cli("check", str(tmp_path / "missing.md"), str(good))
    assert result.exit_code == 2
    assert "missing.md: error no such file or folder" in result.stdout
    assert f"{good}:11:1: error [contact-person]" in result.stdout


def test_binary_file_is_skipped_with_a_message(cli, write) -> None:
    bad = write("image.md", b"\x00\x01\x02binary")
    good = write("good.en.md", INCOMPLETE)
    result = cli("check", str(bad), str(good), "--format", "json")
    report = json_report(result)
    assert result.exit_code == 2
    assert report["errors"][0]["path"] == str(bad) and "binary" in report["errors"][0]["message"]
    assert len(report["files"]) == 1


def test_folders_skip_hidden_and_non_markdown(cli, write, tmp_path) -> None:
    write("p/a.md", INCOMPLETE)
    write("p/b.markdown", INCOMPLETE)
    write("p/notes.txt", "x")
    write("p/.hidden/c.md", INCOMPLETE)
    write("p/.d.md", INCOMPLETE)
    report = json_report(cli("check", str(tmp_path / "p"), "--format", "json"))
    assert sorted(Path(f["path"]).name for f in report["files"]) == ["a.md", "b.markdown"]


def test_colour_only_when_asked(cli, write) -> None:
    path = write("policy.en.md", INCOMPLETE)
    assert "\x1b[" not in cli("check", str(path)).stdout
    assert "\x1b[" in cli("check", str(path), "--color").stdout


def test_no_color_env_wins_over_terminal(monkeypatch) -> None:
    from policylint.cli import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    assert use_color(None, Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(None, Tty()) is False
    assert use_color(True, Tty()) is True


def test_unknown_format_is_a_usage_error(cli) -> None:
    result = cli("check", "--format", "xml")
    assert result.exit_code == 2 and "xml" in result.stderr


def test_python_dash_m(tmp_path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "policylint", "check", str(EXAMPLES), "--format", "json"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["files"]) == 2


# --- the console script ends with os._exit: nothing may be lost on the way out ---------------

def _policies(folder: Path, count: int) -> None:
    for n in range(count):
        (folder / f"p{n:03d}.en.md").write_text(
            FRONT_MATTER_EN + f"\n# Policy {n}\n\nYou can share our news. Never post client names, rule {n}.\n",
            encoding="utf-8")


@pytest.mark.parametrize(("args", "code"), [((), 1), (("--fail-on", "never"), 0), (("--format", "xml"), 2)])
def test_the_script_keeps_exit_codes_and_flushes_a_large_report(tmp_path: Path, args: tuple[str, ...],
                                                                 code: int) -> None:
    import subprocess
    import sys

    _policies(tmp_path, 150)
    result = subprocess.run([sys.executable, "-m", "policylint", "check", ".", "--format", "json", "-j", "1", *args],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == code, result.stderr
    if code == 2:
        assert "xml" in result.stderr and not result.stdout
    else:
        report = json.loads(result.stdout)  # the whole report arrived: it parses, every file is in it
        assert len(report["files"]) == 150 and len(result.stdout) > 100_000


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    _policies(tmp_path, 150)
    proc = subprocess.Popen([sys.executable, "-m", "policylint", "check", ".", "-j", "1", "--fail-on", "never"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) in (0, 1)
    assert first.startswith(b"p000.en.md:")
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr, stderr
