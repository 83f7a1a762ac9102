"""The gated block parser (policylint.markdown) makes exactly the tokens of the stock one."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint import markdown

from conftest import SHARED

ROOT = Path(__file__).resolve().parent.parent
STOCK = markdown.stock()


def _tokens(md: object, text: str) -> list[dict]:
    return [token.as_dict() for token in md.parse(text, {})]  # type: ignore[attr-defined]


def _assert_same(text: str, where: object = "") -> None:
    assert _tokens(markdown.parser(), text) == _tokens(STOCK, text), where


def test_the_gates_replace_the_paragraph_terminators_and_lead_the_main_chain() -> None:
    ruler = markdown.parser().block.ruler
    assert len(ruler.getRules("paragraph")) == 1
    assert len(STOCK.block.ruler.getRules("paragraph")) == len(markdown.KNOWN_TERMINATORS)
    main = ruler.getRules("")
    assert main[0].__name__ == "gate" and main[1:-1] == STOCK.block.ruler.getRules("")
    for chain in ("reference", "blockquote", "list"):
        assert ruler.getRules(chain) == STOCK.block.ruler.getRules(chain), chain


@pytest.mark.parametrize("rule", ["table", "code", "reference"])
def test_an_unknown_chain_is_left_alone(rule: str) -> None:
    md = markdown.stock().disable(rule)  # one rule fewer than the gates know
    before = [md.block.ruler.getRules(chain) for chain in ("", "paragraph")]
    assert markdown.install_gate(md) is False
    assert [md.block.ruler.getRules(chain) for chain in ("", "paragraph")] == before


def test_every_example_case_and_fixture_parses_to_the_same_tokens() -> None:
    files = [p for folder in ("example-policy", "tests", "docs") for p in sorted((ROOT / folder).rglob("*.md"))]
    assert len(files) > 40
    for path in files:
        _assert_same(path.read_text(encoding="utf-8", errors="replace"), path)


def test_the_labelled_corpus_and_generated_policies_parse_to_the_same_tokens(tmp_path: Path) -> None:
    generator = SHARED / "tools" / "gen_corpus.py"
    if not generator.is_file():
        if os.environ.get("CI"):
            pytest.fail("shared/tools/gen_corpus.py is missing beside the checkout; CI must provide it")
        pytest.skip("shared/ is not beside this checkout")
    subprocess.run([sys.executable, str(generator), str(tmp_path), "--n", "40", "--seed", "3", "--no-manifest"],
                   check=True, capture_output=True, timeout=120)
    files = sorted(tmp_path.glob("*.md")) + sorted((SHARED / "corpus").rglob("*.md"))
    assert len(files) > 50
    for path in files:
        _assert_same(path.read_text(encoding="utf-8", errors="replace"), path)


# Lines that start (or nearly start) every kind of block, at several indentations and
# inside containers, mixed with prose: wherever a paragraph could be interrupted.
_LINE = st.sampled_from([
    "Plain prose line", "another line of prose", "1. numbered", "1) numbered", "12345678901. too long",
    "- dash item", "-not an item", "+ plus item", "* star item", "*emphasis*", "***", "* * *", "- - -",
    "___", "---", "===", "--", "Title", "# Heading", "#NoSpace", "###### six", "####### seven",
    "> quote", ">no space", "> > nested", "```", "```python", "~~~", "~~", "<div>", "</div>", "<!-- c -->",
    "<p>para</p>", "<custom-tag>", "<a href='x'>", "| a | b |", "|---|---|", "a | b", "--- | ---",
    ":-- | --:", "| c |", "[ref]: https://example.org", "[ref]", "", " ", "\t", "    indented code",
    "   three spaces", "\ttab then text", "  - nested item", "   > indented quote", "0. zero",
    "2. two", "| | |", "`code`", "~tilde", "_under_", "<", "#", ">", "|", "- ", "1.", "3. three", "4) four",
    "5. five", "6) six", "7. seven", "8) eight", "9. nine", "9) nine", "10. ten", "+ plus",
    "\u00a0non-breaking start", "ends with a non-breaking space\u00a0", "\u2003em space", "\r",
    "\x85next line", "unit separator\x1f",
])
_DOCUMENT = st.lists(_LINE, max_size=30).map("\n".join)


@given(text=_DOCUMENT)
@settings(max_examples=1500, deadline=None)
def test_random_block_structure_parses_to_the_same_tokens(text: str) -> None:
    _assert_same(text, repr(text))


@given(text=st.text(alphabet=st.sampled_from(list("ab1.-*+_=#>|`~<:! \t\n")), max_size=120))
@settings(max_examples=1500, deadline=None)
def test_random_characters_parse_to_the_same_tokens(text: str) -> None:
    _assert_same(text, repr(text))


@pytest.mark.parametrize("text", ["Plain prose\nmore prose\n\nnext", "Title\n---\n", "Title\n===\nafter",
                                  "one\n- item\n", "a\n\n- b"])
def test_the_start_gate_leaves_the_state_as_the_stock_rules_do(text: str) -> None:
    from markdown_it.rules_block import StateBlock

    def run(md: object, rule: object) -> tuple:
        state = StateBlock(text, md, {}, [])  # type: ignore[arg-type]
        state.parentType = "root"
        assert rule(state, 0, state.lineMax, False)  # type: ignore[operator]
        return state.parentType, state.line, [t.as_dict() for t in state.tokens]

    stock_rules = STOCK.block.ruler.getRules("")
    def stock_chain(state: object, line: int, end: int, silent: bool) -> bool:
        return stock_rules[-2](state, line, end, silent) or stock_rules[-1](state, line, end, silent)

    gate = markdown.parser().block.ruler.getRules("")[0]
    assert run(markdown.parser(), gate) == run(STOCK, stock_chain)
