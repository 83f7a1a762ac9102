"""Look for inputs whose linting time grows faster than their size. Not part of the test suite.

    python fuzz/scaling_scan.py                  # about five minutes
    python fuzz/scaling_scan.py --small 20000 --large 80000 --only html

Each shape (a run of one character, a character and a letter, a Markdown or HTML
construct repeated) is linted at two sizes, four times apart. Linear code takes
about four times as long for the larger; a shape whose time grows by more than
--ratio (default 7) is printed as SUSPECT, to be confirmed at larger sizes. The
coverage-guided fuzzer cannot see this: its inputs are a few KB, where a quadratic
path still runs in milliseconds.
"""
from __future__ import annotations

import argparse
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]

from invariants import lint_text  # noqa: E402


def character_shapes() -> dict[str, Callable[[int], str]]:
    """Runs of every printable character, alone and next to a letter, digit or space."""
    shapes: dict[str, Callable[[int], str]] = {}
    for char in list(string.printable.strip()) + ["\u00a0", "\u00e9", "\u200b"]:
        for unit in (char, char + "x", "x" + char, char + " ", "0" + char, char + "A", char + "\n"):
            shapes[f"run {unit!r}"] = lambda n, u=unit: u * (n // len(u))
    return shapes


def markdown_shapes() -> dict[str, Callable[[int], str]]:
    """Markdown and HTML constructs known to trouble parsers, repeated or nested."""
    def rep(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
        return lambda n: prefix + unit * (n // len(unit)) + suffix

    return {
        "md nested emphasis": lambda n: "*a **a " * (n // 14) + "b" + " a** a*" * (n // 14),
        "md open brackets": rep("["),
        "md nested brackets": lambda n: "[" * (n // 2) + "a" + "]" * (n // 2),
        "md unclosed links": rep("[a](b"),
        "md images": rep("!["),
        "md backtick runs": lambda n: "".join("`" * i + "a" for i in range(1, int((2 * n) ** 0.5))),
        "md link definitions": rep("[a]: "),
        "md table rows": rep("a|b\n", "a|b\n-|-\n"),
        "md setext headings": rep("a\n=\n"),
        "md headings": rep("# a\n\n"),
        "md text and headings": rep("Some text.\n# H\n"),
        "md spaces in a paragraph": lambda n: "a" + " " * n + "x\n b\n",
        "md bold lines": rep("**a**\n"),
        "md list items": rep("- a\n"),
        "md nested lists": lambda n: "".join("  " * i + "- a\n" for i in range(int((n / 2) ** 0.5))),
        "md quotes": rep("> "),
        "md fences": rep("```\n"),
        "html open tags": rep("<", "<div>\n"),
        "html open links": rep("<a ", "<div>\n"),
        "html open mailto": rep("<a href='mailto:x", "<div>\n"),
        "html comments": rep("<!--"),
        "html lines": rep("<p>a</p>\n", "<div>\n"),
        "text short sentences": rep("Ab. "),
        "text capital lines": rep("a\nB"),
        "text blank-looking lines": rep("\u00a0\n", "a\n"),
        "front matter keys": lambda n: "---\n" + "".join(f"k{i}: v\n" for i in range(n // 8)) + "---\n",
        "front matter aliases": lambda n: "---\na: &a x\n" + "".join(f"k{i}: *a\n" for i in range(n // 10)) + "---\n",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=8000)
    parser.add_argument("--large", type=int, default=32000)
    parser.add_argument("--ratio", type=float, default=7.0)
    parser.add_argument("--only", default="", help="run only the shapes whose name contains this")
    args = parser.parse_args()
    lint_text("warm up the ruleset and the regex cache")
    shapes = {**markdown_shapes(), **character_shapes()}
    suspects = []
    for name, make in shapes.items():
        if args.only not in name:
            continue
        times = []
        for size in (args.small, args.large):
            text = make(size)
            start = time.perf_counter()
            lint_text(text)
            times.append(time.perf_counter() - start)
        growth = times[1] / max(times[0], 0.005)
        if growth > args.ratio and times[1] > 0.2:
            suspects.append(name)
            print(f"SUSPECT {name}: {times[0]:.2f}s -> {times[1]:.2f}s (x{growth:.1f})", flush=True)
    print(f"{len(shapes)} shapes, {len(suspects)} suspect")
    return 1 if suspects else 0


if __name__ == "__main__":
    sys.exit(main())
