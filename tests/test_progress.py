"""Progress on stderr: only on a terminal, only for many files, never in the report, wiped at the end."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from policylint.progress import ClearingStream, Progress

from conftest import FRONT_MATTER_EN
from support.terminal import policylint

# Small on purpose: these tests are about the progress line, not about linting.
POLICY = FRONT_MATTER_EN + "\n# Social media\n\nYou can share our news.\n"
PROGRESS = re.compile(rb"\r\[ *(\d+)/(\d+)\] ")


def make_policies(folder: Path, count: int) -> Path:
    folder.mkdir()
    for index in range(count):
        (folder / f"policy-{index:03d}.md").write_text(POLICY, encoding="utf-8")
    return folder


def test_progress_line_is_drawn_in_place_and_wiped() -> None:
    stream = io.StringIO()
    progress = Progress(stream, threshold=2)
    progress(1, 3, "a/first.md")
    progress(3, 3, "b.md")  # the last file is always drawn
    progress.clear()
    written = stream.getvalue()
    assert written.startswith("\r[1/3] a/first.md\r[3/3] b.md      ")
    assert written.endswith("\r" + " " * len("[1/3] a/first.md") + "\r")
    progress.clear()
    assert stream.getvalue() == written  # nothing left to wipe


def test_few_files_show_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    for index in range(1, 21):
        progress(index, 20, "p.md")
    progress.clear()
    assert stream.getvalue() == ""


def test_long_paths_are_shortened_to_the_terminal_width() -> None:
    stream = io.StringIO()  # no terminal: 80 columns assumed
    Progress(stream, threshold=0)(7, 120, "folder/" * 30 + "policy.md")
    line = stream.getvalue()[1:]
    assert len(line) == 79 and line.startswith("[  7/120] \u2026") and line.endswith("policy.md")


def test_report_output_sharing_the_terminal_wipes_the_line_first() -> None:
    screen = io.StringIO()
    progress = Progress(screen, threshold=0)
    out = ClearingStream(screen, progress)  # type: ignore[arg-type]
    progress(1, 5, "p.md")
    out.write("p.md:1:1: error [x] message\n")
    assert screen.getvalue() == "\r[1/5] p.md" + "\r" + " " * 10 + "\r" + "p.md:1:1: error [x] message\n"


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_check_on_a_terminal_shows_progress_on_stderr_only(tmp_path: Path, fmt: str) -> None:
    folder = make_policies(tmp_path / "many", 25)
    outcome = policylint("check", str(folder), "--format", fmt, cwd=str(tmp_path), tty=("stderr",))
    assert outcome.code == 1, outcome
    steps = [(int(a), int(b)) for a, b in PROGRESS.findall(outcome.terminal)]
    assert steps[0] == (1, 25) and steps[-1] == (25, 25)
    assert all(total == 25 for _, total in steps) and [i for i, _ in steps] == sorted(i for i, _ in steps)
    # Wiped at the end: the last thing on the terminal is blanks between two carriage returns.
    assert re.search(rb"\r {20,}\r$", outcome.terminal), outcome.terminal[-200:]
    assert b"\r" not in outcome.stdout
    if fmt == "json":
        assert len(json.loads(outcome.stdout)["files"]) == 25


def test_no_progress_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    folder = make_policies(tmp_path / "many", 25)
    outcome = policylint("check", str(folder), "--format", "json", cwd=str(tmp_path), tty=())
    assert outcome.code == 1
    assert outcome.stderr == b""
    assert len(json.loads(outcome.stdout)["files"]) == 25


def test_no_progress_for_twenty_files(tmp_path: Path) -> None:
    folder = make_policies(tmp_path / "some", 20)
    outcome = policylint("check", str(folder), "--format", "json", cwd=str(tmp_path), tty=("stderr",))
    assert outcome.code == 1 and outcome.terminal == b""


def test_text_report_on_the_same_terminal_never_shares_a_line_with_progress(tmp_path: Path) -> None:
    folder = make_policies(tmp_path / "many", 22)
    outcome = policylint("check", str(folder), cwd=str(tmp_path), tty=("stdout", "stderr"))
    assert outcome.code == 1
    screen = outcome.terminal.replace(b"\r\n", b"\n")
    assert PROGRESS.search(screen)
    for line in screen.split(b"\n"):
        # Whatever the report printed starts after the progress line was wiped.
        last = line.rsplit(b"\r", 1)[-1]
        assert not PROGRESS.match(b"\r" + last) or last.strip() == b"", line
    assert b"22 file(s) checked" in screen and screen.count(b"policy-0") >= 22 * 2


def test_report_on_a_terminal_shows_progress_but_the_page_has_none(tmp_path: Path) -> None:
    folder = make_policies(tmp_path / "many", 21)
    out = tmp_path / "r.html"
    outcome = policylint("report", str(folder), "--html", str(out), cwd=str(tmp_path), tty=("stderr",))
    assert outcome.code == 1
    assert [int(i) for i, _ in PROGRESS.findall(outcome.terminal)][-1] == 21
    assert re.search(rb"\r {20,}\r$", outcome.terminal)
    assert outcome.stdout == f"Wrote {out}: 21 policies.\n".encode()
    assert "\r" not in out.read_text(encoding="utf-8") and "[21/21]" not in out.read_text(encoding="utf-8")
