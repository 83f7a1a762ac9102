"""``--jobs``: the same output, in the same order, on any number of processes; Ctrl-C stops cleanly."""
from __future__ import annotations

import json
import os
import pickle
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policylint import parallel
from policylint.errors import InputError, PolicylintError
from policylint.formatters import FORMATS

from conftest import FRONT_MATTER_EN, SHARED

GEN_CORPUS = SHARED / "tools" / "gen_corpus.py"
INCOMPLETE = FRONT_MATTER_EN + "\n# Social media policy\n\nYou can share our news.\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 generated policies (deterministic), with findings of every kind."""
    if not GEN_CORPUS.is_file():
        if os.environ.get("CI"):
            pytest.fail("shared/tools/gen_corpus.py is missing beside the checkout; CI must provide it")
        pytest.skip("shared/tools/gen_corpus.py is not beside this checkout")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(GEN_CORPUS), str(out), "--n", "60", "--seed", "1", "--no-manifest"],
                   check=True, capture_output=True, timeout=120)
    assert len(list(out.glob("*.md"))) == 60
    return out


def policylint(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """Run policylint as a user would: a separate process, real stdout."""
    return subprocess.run([sys.executable, "-m", "policylint", *args], capture_output=True, timeout=300,
                          **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def one_process(corpus: Path) -> subprocess.CompletedProcess[bytes]:
    """The JSON report of the corpus linted in one process: what every other run must equal."""
    result = policylint("check", str(corpus), "--format", "json", "--jobs", "1")
    assert result.returncode == 1, result.stderr
    return result


def test_json_of_jobs_1_and_2_is_byte_identical(corpus: Path, one_process) -> None:
    two = policylint("check", str(corpus), "--format", "json", "--jobs", "2")
    assert (two.returncode, two.stderr) == (1, b"")
    assert two.stdout == one_process.stdout
    report = json.loads(two.stdout)
    assert [f["path"] for f in report["files"]] == sorted(str(p) for p in corpus.glob("*.md"))


def test_text_of_jobs_1_and_2_is_byte_identical(corpus: Path) -> None:
    one = policylint("check", str(corpus), "--jobs", "1")
    two = policylint("check", str(corpus), "--jobs", "2")
    assert one.returncode == two.returncode == 1, one.stderr
    assert one.stdout == two.stdout and one.stdout.count(b"\n") > 60 * 14


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"json", "text"}))
def test_every_format_is_the_same_for_jobs_1_and_2(corpus: Path, fmt: str) -> None:
    # JSON records are made in the workers; every other format must still get whole reports
    # (the HTML page once failed under --jobs 2 by taking a worker-side render for its own).
    one = policylint("check", str(corpus), "--format", fmt, "--jobs", "1")
    two = policylint("check", str(corpus), "--format", fmt, "--jobs", "2")
    assert one.returncode == two.returncode == 1, two.stderr
    assert two.stderr == b"" and len(one.stdout) > 1000
    assert one.stdout == two.stdout


def test_workers_started_by_spawn_give_the_same_output(corpus: Path, one_process, cli, monkeypatch) -> None:
    # Proves the workers need nothing inherited from a fork (macOS, Windows, Python 3.14).
    monkeypatch.setattr(parallel, "START_METHOD", "spawn")
    assert cli("check", str(corpus), "--format", "json", "--jobs", "2").stdout.encode() == one_process.stdout


def _pid(item: int) -> tuple[int, int]:
    return item, os.getpid()


@pytest.mark.parametrize("start_method", ["spawn", None])
def test_map_ordered_keeps_input_order_across_processes(start_method: str | None) -> None:
    results = list(parallel.map_ordered(_pid, (), range(500), workers=2, chunk_size=3,
                                        start_method=start_method))
    assert [item for item, _ in results] == list(range(500))
    pids = {pid for _, pid in results}
    # Which worker takes which chunk is up to the OS; none of it ran in this process.
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_closing_the_stream_early_stops_the_workers() -> None:
    results = parallel.map_ordered(_pid, (), range(10_000), workers=2, chunk_size=1)
    first = [next(results) for _ in range(5)]
    workers = {pid for _, pid in first}
    results.close()
    for pid in workers:
        assert not _alive(pid)


def test_plan_runs_a_handful_of_files_in_process() -> None:
    workers, _, items = parallel.plan(None, iter(["a.md"] * 10))
    assert workers == 1 and len(list(items)) == 10
    workers, _, _ = parallel.plan(4, iter(["a.md"]))
    assert workers == 1


def test_plan_uses_every_cpu_for_many_files(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "cpu_count", lambda: 3)
    workers, chunk, items = parallel.plan(None, iter(range(parallel.AUTO_MIN_ITEMS)))
    assert workers == 3 and chunk >= 1
    assert list(items) == list(range(parallel.AUTO_MIN_ITEMS))
    workers, chunk, items = parallel.plan(None, iter(range(100_000)))
    assert (workers, chunk) == (3, parallel.MAX_CHUNK)
    assert list(items) == list(range(100_000))  # looking ahead loses and reorders nothing


def test_plan_never_starts_more_workers_than_chunks() -> None:
    workers, chunk, _ = parallel.plan(8, iter(range(3)))
    assert chunk == 1 and workers == 3


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_jobs_below_one_is_a_usage_error(cli, write, jobs: str) -> None:
    path = write("policy.en.md", INCOMPLETE)
    result = cli("check", str(path), "--jobs", jobs)
    assert result.exit_code == 2
    assert "--jobs" in result.stderr and jobs in result.stderr


def test_input_errors_survive_the_trip_between_processes() -> None:
    error = pickle.loads(pickle.dumps(InputError("is not valid UTF-8", "a.md", 3)))
    assert (type(error), error.message, error.path, error.line) == (InputError, "is not valid UTF-8", "a.md", 3)


def test_unreadable_files_are_reported_in_input_order(tmp_path: Path) -> None:
    names = []
    for i in range(60):
        name = f"p{i:02d}.md"
        if i % 7 == 3:
            (tmp_path / name).write_bytes(b"\x00binary")
        elif i % 11 == 5:
            (tmp_path / name).write_bytes(b"# Beleid\n\nCaf\xe9\n")  # Latin-1, not UTF-8
        else:
            (tmp_path / name).write_text(INCOMPLETE, encoding="utf-8")
        names.append(name)
    args = [*names[:30], "missing.md", *names[30:]]
    outputs = {}
    for jobs in ("1", "2"):
        result = policylint("check", *args, "--jobs", jobs, cwd=tmp_path)
        assert result.returncode == 2
        outputs[jobs] = result.stdout.decode()
    assert outputs["1"] == outputs["2"]
    # Each path's first line comes in exactly the order the paths were given.
    order = []
    for line in outputs["1"].splitlines():
        path = line.split(":", 1)[0]
        if path in args and (not order or order[-1] != path):
            order.append(path)
    assert order == args
    assert "missing.md: error no such file or folder" in outputs["1"]
    assert re.search(r"p03\.md(:\d+)?: error looks like a binary file", outputs["1"])
    assert "p05.md:3: error is not valid UTF-8" in outputs["1"]


def _alive(pid: int, wait: float = 5.0) -> bool:
    """Whether a process still runs (zombies count as gone: they only wait to be reaped)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.05)
    return True


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or not hasattr(os, "mkfifo"),
                    reason="needs Linux /proc and named pipes")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_without_traceback_or_stray_workers(tmp_path: Path, jobs: str) -> None:
    # Enough policies that the run is still busy well after its first report (a named
    # pipe used to hold it up, but policylint now refuses to open anything but files).
    # Each file differs in every sentence, so no memo shortens the work.
    names = []
    for i in range(1500):
        body = "\n\n".join(f"Rule {i}.{k}: you can share item {i * 100 + k} of our news, never post it twice."
                           for k in range(40))
        (tmp_path / f"p{i:04d}.md").write_text(INCOMPLETE + "\n" + body + "\n", encoding="utf-8")
        names.append(f"p{i:04d}.md")
    proc = subprocess.Popen([sys.executable, "-m", "policylint", "check", ".", "--jobs", jobs, "--no-cache"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        expected_children = 0 if jobs == "1" else int(jobs)
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < expected_children and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert len(workers) >= expected_children
        # The first report on stdout shows the run is under way (past start-up, where
        # Ctrl-C is Python's business, not ours); 1,500 files keep it busy for seconds.
        assert proc.stdout is not None
        assert select.select([proc.stdout], [], [], 60)[0], "no output within a minute"
        time.sleep(0.3)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole process group
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr[-3000:]
    assert b"Traceback" not in stderr
    assert stderr.strip().endswith(b"policylint: interrupted")
    for pid in workers:
        assert not _alive(pid), f"worker {pid} outlived the interrupted run"


def _die_on_seven(item: int) -> int:
    if item == 7:
        os._exit(3)  # what the out-of-memory killer does to a worker, short of SIGKILL
    return item


def test_a_worker_that_dies_ends_the_run_with_a_clear_error() -> None:
    done: list[int] = []
    with pytest.raises(PolicylintError, match="worker process stopped unexpectedly") as caught:
        for item in parallel.map_ordered(_die_on_seven, (), range(40), workers=2, chunk_size=4):
            done.append(item)
    first, last = (int(n) for n in re.search(r"from (\d+) to (\d+)", str(caught.value)).groups())
    assert first <= 7 <= last  # the message narrows the search down to the right files
    assert done == list(range(first))  # what finished before is still delivered, in order
