#!/usr/bin/env python3
"""Benchmark policylint against markdownlint-cli2 on generated corpora, side by side.

    python bench/run.py                 # 1, 1,000 and 10,000 files (a few minutes)
    python bench/run.py --quick         # smoke run: 1 and 100 files, one run each
    python bench/run.py --sizes 1,1000 --runs 1=9,1000=5

For each corpus size it times, in the same run and interleaved (so load from
other programs hits every tool alike):

* ``policylint check --format json --fail-on never --no-cache`` with ``--jobs 1``
  and ``--jobs 2``: the installed console script, full detection, the report
  written to a file under bench/out/ (the reports must be identical);
* the same with ``--jobs 2`` and the result cache, filled by a run just before
  (what a second run over an unchanged repository costs; same report again);
* ``markdownlint-cli2`` on the same files, installed with npm into
  bench/node_modules on first use;

and reports the median wall time, files per second, the peak resident memory
of the largest single process (GNU ``/usr/bin/time``'s maximum resident set
size where available, else ``wait4``) and of the whole process tree (sampled from /proc on
Linux), and the ratio of policylint's time to markdownlint-cli2's. It also
times ``policylint --version`` and ``policylint --help``.

Corpora come from the planning repository's ``shared/tools/gen_corpus.py``
(``--n N --seed 1``, deterministic) and are kept in bench/corpus/. This script
is not part of the test suite; bench/out, bench/corpus and bench/node_modules
are ignored by git.
"""
from __future__ import annotations

import argparse
import dataclasses
import filecmp
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MARKDOWNLINT_VERSION = "0.24.1"
DEFAULT_SIZES = (1, 1000, 10000)
DEFAULT_RUNS = {1: 5, 1000: 3, 10000: 1}
QUICK_SIZES = (1, 100)
QUICK_RUNS = {1: 3, 100: 1}
JOBS = (1, 2)
WARM = f"policylint --jobs {JOBS[-1]}, cached"
STARTUP_RUNS = 10
SAMPLE_EVERY = 0.01  # seconds between /proc samples of the process tree's memory


@dataclasses.dataclass
class Sample:
    """One timed run of one command."""

    wall: float
    maxrss_kib: int | None  # largest single process of the tree (GNU time, else wait4)
    tree_kib: int | None  # largest sampled sum over the tree (Linux only)
    returncode: int


@dataclasses.dataclass
class Result:
    """All runs of one command on one corpus."""

    tool: str
    files: int
    samples: list[Sample]

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def maxrss_mib(self) -> float | None:
        values = [s.maxrss_kib for s in self.samples if s.maxrss_kib is not None]
        return max(values) / 1024 if values else None

    @property
    def tree_mib(self) -> float | None:
        values = [s.tree_kib for s in self.samples if s.tree_kib is not None]
        return max(values) / 1024 if values else None


# --- memory ------------------------------------------------------------------------

_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _tree(pid: int) -> list[int]:
    """The process and all its descendants, from /proc (empty where there is no /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            continue  # gone in the meantime
    return found


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_KIB
    except (OSError, IndexError, ValueError):
        return 0  # gone in the meantime


def _gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (it has -f and -o)."""
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    probe = subprocess.run([path, "-f", "%M", "-o", os.devnull, "true"], capture_output=True)
    return path if probe.returncode == 0 else None


GNU_TIME = _gnu_time()


def measure(command: list[str], cwd: Path, stdout: Path, stderr: Path) -> Sample:
    """Run ``command`` once; wall time, peak memory and exit code."""
    has_proc = Path("/proc/self/task").is_dir()
    peak = [0]
    done = threading.Event()
    rss_file = stdout.with_suffix(".maxrss")
    # Linux charges the RSS a child had before exec() to its ru_maxrss, and a
    # child of this script starts as a copy of it: measured directly, every
    # command would weigh at least as much as this script. GNU time is a tiny
    # process, so its child's peak is the command's own.
    wrapped = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *command] if GNU_TIME else command
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, cwd=cwd, stdout=out, stderr=err)

        def sample() -> None:
            while not done.wait(SAMPLE_EVERY):
                members = _tree(proc.pid)[1 if GNU_TIME else 0:]  # not GNU time itself
                peak[0] = max(peak[0], sum(map(_rss_kib, members)))

        sampler = threading.Thread(target=sample, daemon=True)
        if has_proc:
            sampler.start()
        maxrss: int | None = None
        if hasattr(os, "wait4"):
            # The child's rusage: its maxrss is the largest of the child and every
            # descendant it reaped (what /usr/bin/time reports).
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            maxrss = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
        else:  # pragma: no cover - Windows
            proc.wait()
            wall = time.perf_counter() - start
        done.set()
        if has_proc:
            sampler.join()
    if GNU_TIME:
        lines = rss_file.read_text().split()
        maxrss = int(lines[-1]) if lines and lines[-1].isdigit() else None
        rss_file.unlink()
    tree = (peak[0] or None) if has_proc else None
    return Sample(wall, maxrss, tree, proc.returncode)


# --- setup -------------------------------------------------------------------------


def corpus(shared: Path, root: Path, n: int) -> Path:
    """The generated corpus of ``n`` files (made once, atomically, then reused)."""
    target = root / f"n{n}"
    if target.is_dir() and len(list(target.glob("*.md"))) == n:
        return target
    generator = shared / "tools" / "gen_corpus.py"
    if not generator.is_file():
        sys.exit(f"bench: {generator} not found; pass --shared PATH to the planning repository's shared/")
    partial = root / f".n{n}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    print(f"bench: generating {n} files into {target}", file=sys.stderr)
    subprocess.run([sys.executable, str(generator), str(partial), "--n", str(n), "--seed", "1", "--no-manifest"],
                   check=True, stdout=subprocess.DEVNULL)
    partial.rename(target)
    return target


def markdownlint(version: str) -> Path | None:
    """The markdownlint-cli2 executable in bench/node_modules, installed with npm when absent."""
    executable = HERE / "node_modules" / ".bin" / "markdownlint-cli2"
    if executable.exists():
        return executable
    npm = shutil.which("npm")
    if npm is None:
        print("bench: npm not found; markdownlint-cli2 is left out", file=sys.stderr)
        return None
    print(f"bench: installing markdownlint-cli2@{version} into {HERE / 'node_modules'}", file=sys.stderr)
    # --no-save: no package.json or lock file appears in bench/ (only the ignored node_modules).
    subprocess.run([npm, "install", "--prefix", str(HERE), "--no-save", "--no-audit", "--no-fund",
                    f"markdownlint-cli2@{version}"], check=True, stdout=sys.stderr)
    return executable if executable.exists() else None


def version_of(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except OSError:
        return "?"
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0] if text else "?"


# --- the benchmark -------------------------------------------------------------------


def parse_runs(text: str) -> dict[int, int]:
    runs = {}
    for part in filter(None, text.split(",")):
        size, _, count = part.partition("=")
        runs[int(size)] = int(count)
    return runs


def bench_size(n: int, runs: int, folder: Path, policylint: Path, mdl: Path | None, out: Path) -> list[Result]:
    """Every tool on one corpus, ``runs`` times, interleaved."""
    files = sorted(folder.glob("*.md"))
    target = str(files[0]) if n == 1 else str(folder)
    commands: dict[str, tuple[list[str], Path]] = {}
    base = [str(policylint), "check", target, "--format", "json", "--fail-on", "never"]
    for jobs in JOBS:
        # Cold: every file linted (the targets are about this).
        commands[f"policylint --jobs {jobs}"] = (base + ["--jobs", str(jobs), "--no-cache"], REPO)
    # Warm: the same run again with the result cache filled by the run before it.
    warm_cache = out / f"cache-n{n}"
    shutil.rmtree(warm_cache, ignore_errors=True)
    commands[WARM] = (base + ["--jobs", str(JOBS[-1]), "--cache-dir", str(warm_cache)], REPO)
    if mdl is not None:
        # Run inside the corpus with a glob, as its docs do; no config file is in reach.
        commands["markdownlint-cli2"] = ([str(mdl), files[0].name if n == 1 else "*.md"], folder)
    results = {name: Result(name, n, []) for name in commands}
    # Warm the disk cache and the interpreters' .pyc files once (and fill the result cache).
    if n == 1:
        for command, cwd in commands.values():
            subprocess.run(command, cwd=cwd, capture_output=True)
    else:
        subprocess.run(commands[WARM][0], cwd=REPO, capture_output=True)
    for index in range(runs):
        for name, (command, cwd) in commands.items():
            slug = _slug(name)
            sample = measure(command, cwd, out / f"{slug}-n{n}.out", out / f"{slug}-n{n}.err")
            expected = (0, 1) if name.startswith("markdownlint") else (0,)
            if sample.returncode not in expected:
                err = (out / f"{slug}-n{n}.err").read_text(errors="replace")[-2000:]
                sys.exit(f"bench: {name} on {n} file(s) exited {sample.returncode}:\n{err}")
            results[name].samples.append(sample)
            print(f"bench: n={n} run {index + 1}/{runs} {name}: {sample.wall:.3f} s", file=sys.stderr)
    # Compared block by block: holding 10,000 reports here would weigh on every later run.
    reports = [out / f"policylint-jobs{jobs}-n{n}.out" for jobs in JOBS] + [out / f"{_slug(WARM)}-n{n}.out"]
    if not all(filecmp.cmp(reports[0], other, shallow=False) for other in reports[1:]):
        sys.exit(f"bench: the reports of --jobs {JOBS} and the cached run differ on {n} file(s); see {out}")
    return list(results.values())


def _slug(name: str) -> str:
    return name.replace(" ", "").replace("--", "-").replace(",", "")


def bench_startup(policylint: Path, runs: int, out: Path) -> list[Result]:
    results = []
    for flag in ("--version", "--help"):
        command = [str(policylint), flag]
        subprocess.run(command, capture_output=True)  # warm-up
        samples = [measure(command, REPO, out / "startup.out", out / "startup.err") for _ in range(runs)]
        results.append(Result(f"policylint {flag}", 0, samples))
    return results


def _mib(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "n/a"


def table(results: list[Result], startup: list[Result]) -> str:
    lines = [
        "| files | tool | median wall | runs | files/s | peak RSS, largest process | peak RSS, process tree "
        "| × markdownlint-cli2 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sorted({r.files for r in results}):
        group = [r for r in results if r.files == n]
        base = next((r for r in group if r.tool == "markdownlint-cli2"), None)
        for r in group:
            ratio = f"{r.wall / base.wall:.2f}" if base is not None else "n/a"
            lines.append(
                f"| {n:,} | {r.tool} | {r.wall:.3f} s | {len(r.samples)} | {n / r.wall:,.0f} "
                f"| {_mib(r.maxrss_mib)} MiB | {_mib(r.tree_mib)} MiB | {ratio} |")
    lines += ["", "| command | median wall | runs | peak RSS |", "|---|---:|---:|---:|"]
    for r in startup:
        lines.append(f"| `{r.tool}` | {r.wall * 1000:.0f} ms | {len(r.samples)} | {_mib(r.maxrss_mib)} MiB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared",
                        help="the planning repository's shared/ folder (default: beside this checkout)")
    parser.add_argument("--sizes", help="corpus sizes, comma-separated (default: 1,1000,10000)")
    parser.add_argument("--runs", help="runs per size, e.g. 1=5,1000=3,10000=1 (median is reported)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 and 100 files, few runs")
    parser.add_argument("--policylint", type=Path, default=Path(sys.executable).parent / "policylint",
                        help="the installed console script (default: the one beside this Python)")
    parser.add_argument("--no-markdownlint", action="store_true", help="time policylint alone")
    parser.add_argument("--markdownlint-version", default=MARKDOWNLINT_VERSION)
    parser.add_argument("--corpus-dir", type=Path, default=HERE / "corpus")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="reports, logs and results")
    args = parser.parse_args(argv)

    if not args.policylint.exists():
        parser.error(f"{args.policylint} not found; install policylint (pip install -e .) or pass --policylint")
    sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    runs = dict(QUICK_RUNS if args.quick else DEFAULT_RUNS)
    runs.update(parse_runs(args.runs or ""))
    args.corpus_dir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)

    folders = {n: corpus(args.shared, args.corpus_dir, n) for n in sizes}
    mdl = None if args.no_markdownlint else markdownlint(args.markdownlint_version)
    environment = {
        "policylint": version_of([str(args.policylint), "--version"]),
        "markdownlint-cli2": version_of([str(mdl), "--help"]) if mdl else None,
        "python": platform.python_version(),
        "node": version_of(["node", "--version"]) if mdl else None,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load average at start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    results: list[Result] = []
    for n in sizes:
        results += bench_size(n, runs.get(n, 1), folders[n], args.policylint, mdl, args.out)
    startup = bench_startup(args.policylint, 3 if args.quick else STARTUP_RUNS, args.out)
    if hasattr(os, "getloadavg"):
        environment["load average at end"] = os.getloadavg()

    text = table(results, startup)
    notes = "\n".join(f"- {key}: {value}" for key, value in environment.items() if value is not None)
    (args.out / "results.md").write_text(text + "\n\n" + notes + "\n", encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps({
        "environment": environment,
        "results": [dataclasses.asdict(r) for r in results + startup],
    }, indent=2, default=str), encoding="utf-8")
    print(text)
    print()
    print(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
