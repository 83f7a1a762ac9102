#!/usr/bin/env python3
"""Where a policylint run spends its time, per library and per policylint module.

    python bench/profile_run.py              # 1,000 generated files, one process
    python bench/profile_run.py --n 200 --top 30

Profiles ``runner.run`` (``--format json --jobs 1``, report to /dev/null) with
cProfile over a corpus from bench/run.py's generator, and attributes every
function's own time to a bucket: markdown-it-py, PyYAML, jsonschema, JSON
output, and each policylint module, split into regular-expression matching
and the module's Python code. Built-in functions (a compiled pattern's
``search``, ``str`` methods) are charged to the module that called them, so
"regex in detectors/__init__" means time spent inside ``re`` on that module's
behalf. Interpreter start-up and the imports of the command line are not in
this profile: ``python -X importtime -m policylint --version`` covers those.

cProfile adds a fixed cost to every Python-level call, so code made of many
small Python calls (markdown-it-py's rules) looks somewhat more expensive than
it is, and time inside C (regex matching, the C YAML loader) somewhat cheaper.
Compare runs of this script with each other, not with wall-clock benchmarks.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import REPO, corpus  # noqa: E402  (the benchmark's corpus generator)

REGEX_METHODS = {"search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _library(filename: str) -> str | None:
    path = filename.replace(os.sep, "/")
    if "/markdown_it/" in path or "/mdit_py_plugins/" in path:
        return "markdown-it-py"
    if "/yaml/" in path:
        return "PyYAML"
    if any(part in path for part in ("/jsonschema", "/referencing/", "/rpds", "/attr/", "/attrs/")):
        return "jsonschema"
    if "/json/" in path:
        return "JSON output"
    if "/policylint/" in path:
        module = path.rsplit("/policylint/", 1)[1].removesuffix(".py").removesuffix("/__init__")
        return f"policylint.{module.replace('/', '.')}"
    if "importlib" in path or path.startswith("<frozen"):
        return "imports"
    if "/re/" in path or path.endswith("/sre_compile.py") or path.endswith("/sre_parse.py"):
        return "regex compilation"
    return None


def _builtin_bucket(name: str, caller: str) -> str:
    if "_yaml." in name:
        return "PyYAML"
    if "_json" in name or "json.encoder" in name:
        return "JSON output"
    method = name.split("'")[1] if "'" in name else ""
    if "re.Pattern" in name and method in REGEX_METHODS:
        return f"{caller} (regex)" if caller.startswith("policylint") else caller
    return caller


def buckets(stats: pstats.Stats) -> dict[str, float]:
    """Own time per bucket, built-ins charged to their callers' buckets."""
    totals: dict[str, float] = defaultdict(float)
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, _, name), (_, _, tottime, _, callers) in raw.items():
        if filename != "~":
            totals[_library(filename) or "other Python"] += tottime
            continue
        if not callers:
            totals[_builtin_bucket(name, "other built-ins")] += tottime
            continue
        for (caller_file, _, _), caller_stats in callers.items():
            caller = (_library(caller_file) if caller_file != "~" else None) or "other Python"
            totals[_builtin_bucket(name, caller)] += caller_stats[2]
    return dict(totals)


def summary(totals: dict[str, float]) -> dict[str, float]:
    """The headline split the issue asks about."""
    head: dict[str, float] = defaultdict(float)
    for bucket, seconds in totals.items():
        if bucket.endswith("(regex)"):
            head["regex matching (policylint's phrase patterns)"] += seconds
        elif bucket.startswith("policylint.parse") or bucket.startswith("policylint.lang"):
            head["policylint parse/lang Python code"] += seconds
        elif bucket.startswith("policylint.detectors") or bucket.startswith("policylint.engine") \
                or bucket.startswith("policylint.phrases") or bucket.startswith("policylint.frontmatter"):
            head["policylint detectors/engine Python code"] += seconds
        elif bucket.startswith("policylint"):
            head["policylint other (runner, formatters, ruleset load)"] += seconds
        elif bucket in ("markdown-it-py", "PyYAML", "jsonschema", "JSON output"):
            head[bucket] += seconds
        else:
            head["other (imports, stdlib, regex compilation)"] += seconds
    return dict(head)


def _rows(totals: dict[str, float], total: float) -> list[str]:
    return [f"| {name} | {seconds:.2f} s | {100 * seconds / total:.1f} % |"
            for name, seconds in sorted(totals.items(), key=lambda item: -item[1])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1000, help="files in the corpus (default 1000)")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--corpus-dir", type=Path, default=HERE / "corpus")
    parser.add_argument("--top", type=int, default=20, help="also list the N functions with most own time")
    parser.add_argument("--save", type=Path, help="write the raw profile here (for snakeviz, pstats)")
    args = parser.parse_args(argv)

    args.corpus_dir.mkdir(parents=True, exist_ok=True)
    folder = corpus(args.shared, args.corpus_dir, args.n)
    sys.path.insert(0, str(REPO))
    from policylint.runner import Settings, run

    settings = Settings(paths=[str(folder)], format="json", fail_on="never", jobs=1, cache=False)
    profiler = cProfile.Profile()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        start = time.perf_counter()
        profiler.enable()
        run(settings, sink)
        profiler.disable()
        wall = time.perf_counter() - start
    if args.save:
        profiler.dump_stats(args.save)
    stats = pstats.Stats(profiler)
    totals = buckets(stats)
    total = sum(totals.values())

    print(f"{args.n} files, one process, {wall:.1f} s wall under cProfile "
          f"({1000 * wall / args.n:.1f} ms per file), {total:.1f} s attributed\n")
    print("| where | own time | share |\n|---|---:|---:|")
    print("\n".join(_rows(summary(totals), total)))
    print("\n| bucket | own time | share |\n|---|---:|---:|")
    print("\n".join(_rows(totals, total)))
    if args.top:
        print(f"\nTop {args.top} functions by own time:\n")
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
