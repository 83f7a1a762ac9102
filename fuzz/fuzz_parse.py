"""Coverage-guided fuzzing of the document parser and engine. Not part of the test suite.

With atheris (libFuzzer; ``pip install atheris``), for ten minutes:

    python fuzz/fuzz_parse.py -max_total_time=600 -timeout=20 -rss_limit_mb=2048 fuzz/corpus

fuzz/policy.dict gives the mutator pieces of front matter, Markdown and HTML to try.
Without atheris, Hypothesis at a high example count stands in:

    python fuzz/fuzz_parse.py --hypothesis 200000

An input fails when reading it raises anything but InputError (a clear "cannot
be read" message), when parsing or linting raises at all, or when a reported
line or column lies outside the file (tests/invariants.py). libFuzzer's
``-timeout`` turns an input that hangs into a failure as well; time that grows
faster than the input needs bigger inputs than a fuzzer makes, which is what
fuzz/scaling_scan.py looks for. Failing inputs are saved under
fuzz/artifacts/; each one found is fixed and added to tests/test_fuzz_regressions.py.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

CORPUS = HERE / "corpus"
ARTIFACTS = HERE / "artifacts"

# Seeds: the example policies and one of each kind of awkward input.
SEEDS: dict[str, bytes] = {
    "front-matter-list.md": b"---\n- a\n- b\n---\n# Policy\n\nText.\n",
    "toml.md": b'+++\ntitle = "x"\n+++\n\n# Policy\n\nAsk HR.\n',
    "unclosed-quote.md": b'---\ntitle: "open\nlang: en\n---\nBody.\n',
    "tab.md": b"---\ncontact:\n\trole: HR\n---\n",
    "aliases.md": b"---\na: &a [x, y]\nb: [*a, *a]\nc: &c {k: *a}\n---\n",
    "crlf.md": b"---\r\nlang: nl\r\n---\r\n# Beleid\r\n\r\nVragen? Mail hr@example.be.\r\n",
    "cr.md": b"---\rlang: en\r---\r# Policy\r\rBreaches lead to disciplinary action.\r",
    "html.md": b'<div>\n<h2>Contact</h2>\n<p>Mail <a href="mailto:jo@example.com">Jo</a>.</p>\n</div>\n',
    "table.md": b"| Do | Don't |\n|---|---|\n| Share news | Never post client data |\n",
    "nesting.md": b"> > > - a\n>   - b\n>     1. c\n\n**Bold heading**\n\n- x\n  - y\n",
    "utf16.md": "---\nlang: en\n---\n# P\n".encode("utf-16"),
    "bom.md": b"\xef\xbb\xbf---\nlang: en\n---\n# P\n",
    "zero-width.md": "Dis\u200bciplinary ac\u00adtion, see the hand\u200dbook.\n".encode(),
}


def seed_corpus() -> None:
    """Fill fuzz/corpus with the seeds the first time (the folder is not committed)."""
    if CORPUS.is_dir() and any(CORPUS.iterdir()):
        return
    CORPUS.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (CORPUS / name).write_bytes(data)
    for policy in sorted((REPO / "example-policy").glob("*.md")):
        (CORPUS / policy.name).write_bytes(policy.read_bytes())


def one_input(data: bytes) -> None:
    """The target: bytes as read from a file, or (first byte odd) text that is already decoded."""
    from invariants import lint_text

    from policylint.errors import InputError
    from policylint.parse import decode

    if data[:1] and data[0] & 1:
        # Decoding rejects most mutated bytes; half the time skip it to reach the parser.
        text = data[1:].decode("utf-8", "replace")
    else:
        try:
            text = decode(data, "<fuzz>")
        except InputError:
            return
    lint_text(text)


def run_atheris(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["policylint", "markdown_it", "yaml", "invariants"]):
        import invariants  # noqa: F401 - imported here to be instrumented
        import markdown_it  # noqa: F401

        import policylint.engine  # noqa: F401
        import policylint.parse  # noqa: F401

    invariants.ruleset()  # load the ruleset once, before the clock starts
    seed_corpus()
    ARTIFACTS.mkdir(exist_ok=True)
    if not any(arg.startswith("-artifact_prefix=") for arg in argv):
        argv.append(f"-artifact_prefix={ARTIFACTS}{os.sep}")
    if not any(arg.startswith("-dict=") for arg in argv):
        argv.append(f"-dict={HERE / 'policy.dict'}")
    if not any(not arg.startswith("-") for arg in argv[1:]):
        argv.append(str(CORPUS))
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def run_hypothesis(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seeds = [st.just(data) for data in SEEDS.values()]

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=4096), *seeds,
                     st.text(max_size=2048).map(lambda t: b"\x01" + t.encode("utf-8", "surrogatepass"))))
    def target(data: bytes) -> None:
        one_input(data)

    target()
    print(f"hypothesis: {examples} examples, no failure")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--hypothesis":
        run_hypothesis(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    else:
        try:
            import atheris  # noqa: F401
        except ImportError:
            sys.exit("atheris is not installed: pip install atheris, or run with --hypothesis N")
        run_atheris(sys.argv)
