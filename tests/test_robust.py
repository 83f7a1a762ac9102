"""Broken, hostile and huge inputs, through the real command in a subprocess.

Every case asserts the exit code, a message naming the file (and line where
there is one), that no traceback is printed, and that the run ends within
TIMEOUT seconds (a hang fails the test; speed itself is not asserted here).
Big inputs are generated in tmp_path, never committed.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policylint.schemas import load as load_schema

from conftest import FRONT_MATTER_EN, REPO

EXAMPLE = (REPO / "example-policy" / "social-media-policy.en.md").read_text(encoding="utf-8")
TIMEOUT = 120  # seconds for one run; generous for a slow CI machine
MEMORY_LIMIT = 2 * 1024 ** 3  # address space of one run: bounded memory is enforced, not hoped for
BODY = "\n# Social media policy\n\nYou can share our news.\n"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(self.stdout)
        return report


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def check(*args: str | Path, cwd: Path | None = None, preexec: Callable[[], None] | None = None) -> Run:
    """Run ``policylint check ARGS`` in a fresh interpreter; fail on a hang or a traceback."""
    def setup() -> None:
        _limit_memory()
        if preexec is not None:
            preexec()

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-m", "policylint", "check", "--no-color", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", errors="backslashreplace",
        timeout=TIMEOUT, cwd=cwd, env=env, preexec_fn=setup,
    )
    run = Run(result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in run.output, run.output[-3000:]
    assert "internal error" not in run.output, run.output[-3000:]
    return run


def findings(run: Run, path: Path | str) -> list[tuple[str, int, int]]:
    """(rule, line, column) of every finding for one file in a JSON run."""
    for file in run.json()["files"]:
        if file["path"] == str(path):
            return [(f["rule"], f["line"], f["column"]) for f in file["findings"]]
    raise AssertionError(f"{path} not in the report: {run.stdout[:2000]}")


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every regular file under folder (links not followed), by relative path."""
    result = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            if path.is_symlink() or not path.is_file():
                continue
            try:
                result[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
            except PermissionError:
                result[str(path.relative_to(folder))] = "unreadable"
    return result


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A readable policy with findings, to prove the other files are still linted."""
    path = tmp_path / "good.en.md"
    path.write_text(FRONT_MATTER_EN + BODY, encoding="utf-8")
    return path


def assert_good_linted(run: Run, good: Path) -> None:
    assert f"{good}:11:1: error [contact-person]" in run.stdout


# --- front matter ---------------------------------------------------------------------

FRONT_MATTER_CASES = {
    # name: (content, exit code, expected line of the text report)
    "empty": ("", 1, "{f}:1:1: error [frontmatter/missing]"),
    "only-fence": ("---\n", 1, "{f}:1:1: error [frontmatter/unclosed]"),
    "unclosed": ("---\ntitle: x\nlang: en\n\n# Policy\n\nText.\n", 1, "{f}:1:1: error [frontmatter/unclosed]"),
    "list": ("---\n- a\n- b\n---\n" + BODY, 1, "{f}:2:1: error [frontmatter/not-a-mapping]"),
    "scalar": ("---\njust words\n---\n" + BODY, 1, "{f}:2:1: error [frontmatter/not-a-mapping]"),
    "unclosed-quote": ('---\nlang: en\ntitle: "Social media\nowner: HR\n---\n' + BODY, 1,
                       "{f}:3:1: error [frontmatter/yaml] The front matter is not valid YAML: a quote opened on "
                       "this line is never closed"),
    "tab": ("---\nlang: en\ncontact:\n\trole: HR\n---\n" + BODY, 1,
            "{f}:4:1: error [frontmatter/yaml] The front matter is not valid YAML: this line is indented with a tab"),
    "duplicate-key": ("---\ntitle: a\nlang: en\ntitle: b\n---\n" + BODY, 1,
                      "{f}:4:1: warning [frontmatter/duplicate-key] `title` is given twice"),
    "too-deep": ("---\nlang: en\nx: " + "[" * 400 + "]" * 400 + "\n---\n" + BODY, 1,
                 "{f}:1:1: error [frontmatter/too-deep]"),
    "recursive-alias": ("---\nlang: en\na: &a [*a]\n---\n" + BODY, 1, "{f}:1:1: error [frontmatter/too-complex]"),
}


@pytest.mark.parametrize("case", FRONT_MATTER_CASES)
def test_bad_front_matter_is_a_finding_and_the_body_is_linted(tmp_path: Path, case: str) -> None:
    content, code, expected = FRONT_MATTER_CASES[case]
    path = tmp_path / f"{case}.md"
    path.write_text(content, encoding="utf-8")
    run = check(path)
    assert run.code == code
    assert expected.format(f=path) in run.stdout, run.stdout
    # The body is still checked: the checklist of elements is printed for the file.
    assert f"{path} (en): " in run.stdout


def test_front_matter_problems_are_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "dup.md"
    path.write_text(FRONT_MATTER_CASES["duplicate-key"][0], encoding="utf-8")
    run = check(path, "--format", "json")
    messages = [f["message"] for f in run.json()["files"][0]["findings"] if f["rule"] == "frontmatter/required"]
    # owner, version, effective, review and contact are missing: five findings, not five times five.
    assert len(messages) == 5 and len(set(messages)) == 5


def test_toml_front_matter_is_recognised_and_the_body_linted(tmp_path: Path) -> None:
    path = tmp_path / "hugo.md"
    path.write_text('+++\ntitle = "Social media"\nlang = "en"\n+++\n\n# Policy\n\n'
                    "Questions? Mail the communications team at social@example.com.\n", encoding="utf-8")
    run = check(path)
    assert run.code == 1
    assert f"{path}:1:1: error [frontmatter/toml] TOML front matter is not supported; use YAML between --- lines." \
        in run.stdout
    assert "frontmatter/missing" not in run.stdout
    # The TOML lines are not read as text; the body after them is.
    assert "\u2713 contact-person        Contact person \u2014 line 8" in run.stdout


def test_toml_front_matter_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "beleid.md"
    path.write_text("+++\nlang = \"nl\"\n+++\n\n# Beleid\n\nJe mag gerust ons nieuws delen met je netwerk. "
                    "Als je twijfelt, vraag het dan aan de collega's van het team dat voor de communicatie zorgt.\n",
                    encoding="utf-8")
    run = check(path)
    assert f"{path}:1:1: error [frontmatter/toml] TOML-front matter wordt niet ondersteund" in run.stdout


def test_object_constructing_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "tags.md"
    path.write_text(
        "---\nlang: en\n"
        f"a: !!python/object/apply:os.system ['touch {marker}']\n"
        f"b: !!python/object/apply:subprocess.check_call [['touch', '{marker}']]\n"
        f"c: !!python/object/new:pathlib.Path ['{marker}']\n"
        "d: !!python/name:os.system\n"
        "---\n" + BODY, encoding="utf-8")
    run = check(path)
    assert run.code == 1
    assert f"{path}:3:1: error [frontmatter/yaml]" in run.stdout
    assert not marker.exists()


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ["---", "lang: en", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijklmnop":  # 10^16 strings if expanded
        lines.append(f"{name}: &{name} [" + ",".join(f"*{previous}" for _ in range(10)) + "]")
        previous = name
    path = tmp_path / "laughs.md"
    path.write_text("\n".join(lines + ["---", BODY]), encoding="utf-8")
    run = check(path)
    assert run.code == 1
    assert f"{path}:1:1: error [frontmatter/too-complex] The front matter is too complex to check" in run.stdout


# --- encodings and line endings -------------------------------------------------------


def _example_findings(tmp_path: Path) -> list[tuple[str, int, int]]:
    plain = tmp_path / "plain.md"
    plain.write_text(EXAMPLE, encoding="utf-8")
    result = findings(check(plain, "--format", "json"), plain)
    assert result and all(rule == "positive-phrasing" for rule, _l, _c in result)
    return result


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "utf-32-bom": lambda text: text.encode("utf-32"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    # In this order a lone CR is never followed by LF, which would make the two one line break.
    "mixed-endings": lambda text: "".join(
        line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(text.split("\n"))).encode("utf-8"),
    "utf-16-le-bom-crlf": lambda text: b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"),
}


@pytest.mark.parametrize("variant", ENCODINGS)
def test_encodings_and_line_endings_give_the_same_findings(tmp_path: Path, variant: str) -> None:
    expected = _example_findings(tmp_path)
    path = tmp_path / f"{variant}.md"
    path.write_bytes(ENCODINGS[variant](EXAMPLE))
    run = check(path, "--format", "json")
    assert run.code == 0
    assert findings(run, path) == expected


def test_latin1_is_a_decoding_error_with_the_line(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes((FRONT_MATTER_EN + "\n# Caf\u00e9 policy\n").encode("latin-1"))
    run = check(path, good)
    assert run.code == 2
    assert f"{path}:13: error is not valid UTF-8 (byte 0xe9); save the file as UTF-8" in run.stdout
    assert_good_linted(run, good)


def test_utf16_without_bom_is_named(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "utf16.md"
    path.write_bytes(EXAMPLE.encode("utf-16-le"))
    run = check(path, good)
    assert run.code == 2
    assert f"{path}: error looks like UTF-16 text without a byte-order mark; save it as UTF-8" in run.stdout
    assert_good_linted(run, good)


@pytest.mark.parametrize(("name", "content", "line"), [
    ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, 3),
    ("nul-late.md", b"# Policy\n\n" + b"Text. " * 5000 + b"\n\x00\n", 4),
    ("nul-utf16.md", b"\xff\xfe" + "# Policy\n\x00\n".encode("utf-16-le"), 2),
])
def test_nul_bytes_and_binary_files_are_skipped(tmp_path: Path, good: Path, name: str, content: bytes,
                                                line: int) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    run = check(path, good)
    assert run.code == 2
    assert f"{path}:{line}: error looks like a binary file" in run.stdout and "skipped" in run.stdout
    assert_good_linted(run, good)


# --- size -----------------------------------------------------------------------------


def _sections(count: int) -> str:
    """Realistic policy text: the example's body, repeated."""
    body = EXAMPLE.split("---\n", 2)[2]
    return body * count


def test_file_over_the_size_limit_is_refused_and_others_linted(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_text(_sections(1 + 6 * 1024 * 1024 // len(_sections(1))), encoding="utf-8")
    assert path.stat().st_size > 6 * 1024 * 1024
    run = check(path, good)
    assert run.code == 2
    assert re.search(rf"{re.escape(str(path))}: error is larger \(6\.\d MB\) than the size limit of 5\.0 MB; "
                     r"skipped \(raise the limit with --max-file-size\)", run.stdout), run.stdout
    assert_good_linted(run, good)


def test_size_limit_is_configurable(tmp_path: Path, good: Path) -> None:
    run = check(good, "--max-file-size", "100")
    assert run.code == 2 and f"{good}: error is larger (" in run.stdout and "limit of 100 bytes" in run.stdout
    assert check(good, "--max-file-size", "1KB").code == 1
    assert check(good, "--max-file-size", "0").code == 1
    bad = check(good, "--max-file-size", "lots")
    assert bad.code == 2 and "'lots' is not a size" in bad.stderr


def test_multi_megabyte_policy_is_linted(tmp_path: Path) -> None:
    copies = 1 + 3 * 1024 * 1024 // len(_sections(1).encode("utf-8"))
    path = tmp_path / "long.md"
    path.write_text(FRONT_MATTER_EN + _sections(copies), encoding="utf-8")
    assert path.stat().st_size > 3 * 1024 * 1024
    run = check(path, "--format", "json")
    assert run.code == 0  # the example policy, many times over: complete, with tips
    lines = len(path.read_text(encoding="utf-8").splitlines())
    found = findings(run, path)
    assert len(found) >= copies and all(1 <= line <= lines for _r, line, _c in found)


@pytest.mark.parametrize("text", [
    pytest.param(" ".join(["Share our news when you like. Never post client data."] * 40_000), id="sentences"),
    pytest.param("a. " * 350_000, id="lowercase-dots"),
    pytest.param("x" * 2_100_000, id="one-word"),
    pytest.param("Ab. " * 60_000 + "x" * 800_000, id="many-sentences"),
    pytest.param("<div>\n" + "<a href='mailto:x" * 70_000, id="html-unclosed-links"),
    pytest.param("<div>\n" + "<" * 1_000_000, id="html-unclosed-tags"),
    pytest.param("[" * 100_000 + "x" + "]" * 100_000 + "y" * 800_000, id="brackets"),
    pytest.param("*a **a " * 40_000 + "b" + "y" * 800_000, id="emphasis"),
    pytest.param("a\n" + "\u00a0\n" * 500_000, id="blank-looking-lines"),
    # Runs of e-mail address characters: the address pattern was tried from every one of them.
    pytest.param("." * 600_000, id="dots"),
    pytest.param("x." * 300_000, id="dotted-word"),
    pytest.param("+" * 600_000, id="plus-signs"),
])
def test_long_line_is_linted(tmp_path: Path, text: str) -> None:
    """A 2 MB single line (the first cases), and long lines that once made parsing super-linear."""
    path = tmp_path / "line.md"
    path.write_text(text + "\n", encoding="utf-8")
    assert path.stat().st_size >= 500_000
    run = check(path)
    assert run.code == 1
    assert f"{path}:1:1: error [frontmatter/missing]" in run.stdout


def test_twenty_thousand_headings(tmp_path: Path) -> None:
    path = tmp_path / "headings.md"
    path.write_text(FRONT_MATTER_EN + "".join(f"{'#' * (1 + i % 6)} Heading {i}\n\nText {i}.\n\n"
                                              for i in range(20_000)), encoding="utf-8")
    run = check(path, "--format", "json")
    assert run.code == 1
    assert ("contact-person", 11, 1) in findings(run, path)


def test_text_and_headings_without_blank_lines(tmp_path: Path) -> None:
    # Found in review: the shortcut past the setext-heading rule scanned on to the next empty
    # line from every paragraph, over the headings that end each one (quadratic).
    path = tmp_path / "alternating.md"
    path.write_text(FRONT_MATTER_EN + "Some text here.\n# Heading\n" * 20_000, encoding="utf-8")
    run = check(path, "--format", "json")
    assert run.code == 1
    assert ("contact-person", 11, 1) in findings(run, path)


def test_a_long_run_of_spaces_inside_a_paragraph(tmp_path: Path) -> None:
    # Found in review: folding the spaces around line breaks tried the pattern from each space
    # of a run that no line break follows (quadratic).
    path = tmp_path / "spaces.md"
    path.write_text(FRONT_MATTER_EN + "Staff must not post" + " " * 300_000 + "x\n more text.\n", encoding="utf-8")
    run = check(path, "--format", "json")
    assert run.code == 1
    assert ("contact-person", 11, 1) in findings(run, path)


def test_two_thousand_nested_list_levels(tmp_path: Path) -> None:
    path = tmp_path / "nested.md"
    path.write_text(FRONT_MATTER_EN + "".join("  " * i + f"- item {i}\n" for i in range(2000)), encoding="utf-8")
    run = check(path)
    assert run.code == 1
    # Eleven front matter lines, then list levels 0..23 are read; level 24 (line 36) is too deep.
    assert f"{path}:36:1: warning [markdown/too-deep] From this line on, the text is nested too deeply" \
        in run.stdout


def test_fifty_thousand_nested_block_quotes(tmp_path: Path) -> None:
    path = tmp_path / "quotes.md"
    path.write_text("---\nlang: nl\n---\n\n" + ">" * 50_000 + " Diep.\n\nNiet diep.\n", encoding="utf-8")
    run = check(path)
    assert run.code == 1
    assert f"{path}:5:1: warning [markdown/too-deep] Vanaf deze regel is de tekst te diep genest" in run.stdout


def test_shallow_nesting_is_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_text(FRONT_MATTER_EN + "".join("  " * i + f"- item {i}\n" for i in range(10))
                    + "> " * 10 + "quote\n", encoding="utf-8")
    run = check(path)
    assert run.code == 1 and f"{path}:11:1: error [contact-person]" in run.stdout
    assert "too-deep" not in run.stdout


# --- unicode ----------------------------------------------------------------------------

SANCTIONS = ("Breaches of this policy may lead to disciplinary action under the employee handbook.\n")


def _statuses(run: Run, path: Path) -> dict[str, str]:
    file = next(f for f in run.json()["files"] if f["path"] == str(path))
    return {name: element["status"] for name, element in file["elements"].items()}


def test_zero_width_characters_inside_keywords_do_not_hide_them(tmp_path: Path) -> None:
    clean = tmp_path / "clean.md"
    clean.write_text(FRONT_MATTER_EN + BODY + SANCTIONS, encoding="utf-8")
    hidden = tmp_path / "hidden.md"
    hidden.write_text(FRONT_MATTER_EN + BODY + SANCTIONS.replace("disciplinary", "dis\u200bcipli\u00adnary")
                      .replace("handbook", "hand\u200dbook").replace("action", "ac\u2060tion"), encoding="utf-8")
    run = check(clean, hidden, "--format", "json")
    assert run.code == 1
    assert _statuses(run, clean)["sanctions-work-rules"] == "present"
    assert _statuses(run, hidden) == _statuses(run, clean)


def test_rtl_overrides_and_emoji_in_titles(tmp_path: Path) -> None:
    path = tmp_path / "emoji.md"
    title = "\u202eyciloP\u202c \U0001F4F1 Social media \U0001F44D\U0001F3FD"
    path.write_text(FRONT_MATTER_EN.replace('"Social media policy"', f'"{title}"')
                    + f"\n# {title}\n\n## \U0001F4AC Questions \u2067?\u2069\n\n"
                    "Mail the communications team at social@example.com with your questions.\n", encoding="utf-8")
    run = check(path, "--format", "json")
    assert run.code == 1
    assert not [f for f in findings(run, path) if f[0].startswith("frontmatter/")]
    file = run.json()["files"][0]
    assert file["elements"]["contact-person"]["status"] == "present"


@pytest.mark.parametrize("name", ["beleid sociale media.md", "politique \u00e9t\u00e9 d\u00e9j\u00e0.md",
                                  "\u0431\u0435\u043b\u0435\u0438\u0434 \U0001F600.md"])
def test_file_names_with_spaces_and_accents(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(FRONT_MATTER_EN + BODY, encoding="utf-8")
    run = check(path)
    assert run.code == 1 and f"{path}:11:1: error [contact-person]" in run.stdout
    folder = check(tmp_path, "--format", "json")
    assert [f["path"] for f in folder.json()["files"]] == [str(path)]


def test_undecodable_file_name(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("only Linux file systems take names that are not valid UTF-8")
    raw = os.fsencode(str(tmp_path)) + b"/beleid-\xff\xfe.md"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(FRONT_MATTER_EN + BODY)
    run = check(tmp_path)
    assert run.code == 1
    assert "beleid-" in run.stdout and ".md:11:1: error [contact-person]" in run.stdout


def test_output_to_a_terminal_that_cannot_show_everything(tmp_path: Path) -> None:
    path = tmp_path / "caf\u00e9.md"
    path.write_text(FRONT_MATTER_EN + BODY, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "policylint", "check", str(path)], capture_output=True,
                            timeout=TIMEOUT, env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr and b"caf\\xe9.md:11:1: error [contact-person]" in result.stdout


# --- file system --------------------------------------------------------------------------


def test_folder_named_like_a_markdown_file(tmp_path: Path, good: Path) -> None:
    folder = tmp_path / "policies.md"
    (folder / "inner").mkdir(parents=True)
    inner = folder / "inner" / "policy.md"
    inner.write_text(FRONT_MATTER_EN + BODY, encoding="utf-8")
    run = check(folder, good)
    assert run.code == 1
    assert f"{inner}:11:1: error [contact-person]" in run.stdout
    walked = check(tmp_path, "--format", "json")
    assert sorted(f["path"] for f in walked.json()["files"]) == sorted([str(inner), str(good)])


def test_empty_folder_named_like_a_markdown_file(tmp_path: Path) -> None:
    folder = tmp_path / "empty.md"
    folder.mkdir()
    run = check(folder)
    assert run.code == 0
    assert f"{folder}: is a folder without policy files" in run.stderr


def test_symlink_loop_and_dangling_symlink(tmp_path: Path, good: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to("loop.md")
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    run = check(loop, dangling, good)
    assert run.code == 2
    assert f"{loop}: error is a symbolic link loop" in run.stdout
    assert f"{dangling}: error is a broken symbolic link" in run.stdout
    assert_good_linted(run, good)
    walked = check(tmp_path)
    assert walked.code == 2
    assert f"{loop}: error is a symbolic link loop" in walked.stdout
    assert f"{dangling}: error is a broken symbolic link" in walked.stdout
    assert_good_linted(walked, good)


def test_folder_symlink_loop_is_not_followed(tmp_path: Path, good: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)
    run = check(tmp_path)
    assert run.code == 1
    assert_good_linted(run, good)
    assert "1 file(s) checked" in run.stdout


def _drop_file_permission_override() -> None:
    """For root: give up the capabilities that let root read any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).

    Dropped from the bounding set, so that the program run next starts without them.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _unreadable_runner(path: Path) -> Callable[[], None] | None:
    """chmod 000 the file; when that does not stop us (root), also drop root's override.

    Checked, not assumed: the probe must fail to read the file.
    """
    path.chmod(0)
    preexec = _drop_file_permission_override if os.geteuid() == 0 else None
    try:
        probe = subprocess.run([sys.executable, "-c", f"open({str(path)!r}, 'rb').read()"], capture_output=True,
                               preexec_fn=preexec, timeout=TIMEOUT)
    except subprocess.SubprocessError as exc:  # prctl refused: no CAP_SETPCAP in this container
        pytest.skip(f"running as root and cannot give up CAP_DAC_OVERRIDE here ({exc})")
    if probe.returncode == 0:
        pytest.skip("this system lets the test user read a chmod 000 file, even without CAP_DAC_OVERRIDE")
    return preexec


def test_unreadable_file_and_folder(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text(FRONT_MATTER_EN + BODY, encoding="utf-8")
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "inside.md").write_text(FRONT_MATTER_EN + BODY, encoding="utf-8")
    preexec = _unreadable_runner(path)
    folder.chmod(0)
    try:
        run = check(path, good, preexec=preexec)
        walked = check(tmp_path, preexec=preexec)
    finally:
        path.chmod(0o644)
        folder.chmod(0o755)
    assert run.code == 2
    assert f"{path}: error cannot be read: permission denied" in run.stdout
    assert_good_linted(run, good)
    assert walked.code == 2 and f"{path}: error cannot be read: permission denied" in walked.stdout
    assert f"{folder}: error is a folder that cannot be read: permission denied" in walked.stdout
    assert_good_linted(walked, good)


def test_file_whose_read_fails(tmp_path: Path, good: Path) -> None:
    # /proc/self/mem opens, claims to be a regular file, and fails on the first read (EIO),
    # whoever runs the test: a read error that chmod cannot simulate for root.
    if not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux /proc")
    path = tmp_path / "broken.md"
    path.symlink_to("/proc/self/mem")
    run = check(path, good)
    assert run.code == 2
    assert f"{path}: error cannot be read: input/output error" in run.stdout
    assert_good_linted(run, good)


def test_named_pipe_does_not_hang(tmp_path: Path, good: Path) -> None:
    path = tmp_path / "pipe.md"
    os.mkfifo(path)
    run = check(path, good)
    assert run.code == 2
    assert f"{path}: error is not a regular file (a pipe, socket or device); skipped" in run.stdout
    walked = check(tmp_path)
    assert walked.code == 2 and f"{path}: error is not a regular file" in walked.stdout
    assert_good_linted(walked, good)


def test_path_that_does_not_exist(tmp_path: Path, good: Path) -> None:
    run = check(tmp_path / "missing.md", good)
    assert run.code == 2
    assert f"{tmp_path / 'missing.md'}: error no such file or folder" in run.stdout
    assert_good_linted(run, good)


# --- nothing the user wrote is changed -----------------------------------------------------


def _bad_inputs(folder: Path) -> list[Path]:
    """Every kind of bad input above, in one folder; returns the paths to name on the command line."""
    named = []
    for case, (content, _code, _expected) in FRONT_MATTER_CASES.items():
        path = folder / f"fm-{case}.md"
        path.write_text(content, encoding="utf-8")
        named.append(path)
    for variant, encode in ENCODINGS.items():
        path = folder / f"enc-{variant}.md"
        path.write_bytes(encode(EXAMPLE))
        named.append(path)
    extra: dict[str, bytes] = {
        "latin1.md": "# Caf\u00e9\n".encode("latin-1"),
        "utf16-nobom.md": EXAMPLE.encode("utf-16-le"),
        "binary.md": bytes(range(256)) * 8,
        "toml.md": b'+++\ntitle = "x"\n+++\nBody.\n',
        "tags.md": f"---\na: !!python/object/apply:os.system ['touch {folder / 'pwned'}']\n---\n".encode(),
        "long-line.md": b"Never post. " * 20_000,
        "nested.md": "".join("  " * i + "- x\n" for i in range(300)).encode(),
        "quotes.md": b">" * 50_000 + b" x\n",
        "zero-width.md": (FRONT_MATTER_EN + "Dis\u200bciplinary ac\u00adtion.\n").encode(),
        "emoji \u00e9.md": ("---\ntitle: \u202e\U0001F600\n---\n# \U0001F44D\n").encode(),
        "too-big.md": b"x" * (64 * 1024),
    }
    for name, content in extra.items():
        (folder / name).write_bytes(content)
        named.append(folder / name)
    (folder / "dir.md").mkdir()
    (folder / "dir.md" / "inside.md").write_text(EXAMPLE, encoding="utf-8")
    (folder / "loop.md").symlink_to("loop.md")
    (folder / "dangling.md").symlink_to("nowhere.md")
    (folder / "link-to-good.md").symlink_to(folder / "enc-crlf.md")
    os.mkfifo(folder / "pipe.md")
    secret = folder / "secret.md"
    secret.write_text(EXAMPLE, encoding="utf-8")
    secret.chmod(0)
    return named + [folder / "dir.md", folder / "loop.md", folder / "dangling.md", folder / "pipe.md", secret,
                    folder / "missing.md"]


def test_nothing_the_user_wrote_is_changed(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    named = _bad_inputs(folder)
    before = digest(folder)
    listing = sorted(os.listdir(folder))
    modes = {p: os.lstat(p).st_mode for p in map(str, folder.rglob("*"))}
    try:
        runs = [check(folder, "--max-file-size", "32KB"), check(folder, "--format", "json"),
                check(*named, "--max-file-size", "32KB")]
    finally:
        (folder / "secret.md").chmod(0o644)
    assert all(run.code in (0, 1, 2) for run in runs)
    assert runs[0].code == 2 and runs[2].code == 2
    assert "too-big.md: error is larger" in runs[0].stdout
    report = runs[1].json()
    jsonschema.validate(report, load_schema("report.schema.json"))
    assert {Path(e["path"]).name for e in report["errors"]} >= {
        "latin1.md", "utf16-nobom.md", "binary.md", "loop.md", "dangling.md", "pipe.md"}
    (folder / "secret.md").chmod(0)
    assert digest(folder) == before
    assert sorted(os.listdir(folder)) == listing  # nothing created (no "pwned"), nothing removed
    assert {p: os.lstat(p).st_mode for p in map(str, folder.rglob("*"))} == modes
