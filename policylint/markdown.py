"""The Markdown block parser policylint uses: markdown-it-py, CommonMark with tables and HTML.

Inline content is not parsed here (parse.py parses it only where it has markup).

One idea makes it faster without changing a single token. Every block rule
starts by looking at the first character of its line (after indentation): a
list wants * - + or a digit, a heading #, a fence ` or ~, and so on; only the
table rule looks for a "|" in the line, and the code rule at indentation. Prose
lines start with a letter. So:

* a paragraph (and the setext-heading rule, which looks ahead over the same
  lines) asks, for every line it continues over, whether a table, fence,
  blockquote, rule, list, HTML block or ATX heading interrupts it there: one
  gate asks only the rules that the line's first character can start (all of
  them when the line holds a "|");
* where a block starts, a second gate, first in the main chain, does the same
  for the nine rules before the setext-heading and paragraph rules, and hands
  the line to the paragraph rule alone when no line up to the next empty one
  starts with the - or = of a setext underline.

On hard-wrapped policies that halves markdown-it-py's time. The gates are set
up with markdown-it-py's ``Ruler`` (``at``, ``before``, ``push``), and only when
the chains hold exactly the rules they know (a future markdown-it-py with other
rules gets the stock chains). tests/test_markdown.py holds the gated parser to
the stock one, token for token.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

# markdown-it stops parsing a container nested this many token levels deep (a list
# level takes two); its parser recurses per level, so the limit also bounds the stack.
MAX_NESTING = 50

Rule = Callable[[StateBlock, int, int, bool], bool]

# The rules that can interrupt a paragraph in markdown-it-py 3 and 4, in chain order.
KNOWN_TERMINATORS = ("table", "fence", "blockquote", "hr", "list", "html_block", "heading")
# The main chain of markdown-it-py 3 and 4 with tables on: the rules tried where a block starts.
KNOWN_CHAIN = ("table", "code", "fence", "blockquote", "hr", "list", "reference", "html_block", "heading",
               "lheading", "paragraph")
# The first characters (after indentation) with which each rule's block can start. The
# table rule wants a "|" in the line and the code rule an indented line: lines with either
# go through the whole chain.
STARTS_WITH = {
    "fence": "`~", "blockquote": ">", "hr": "*-_", "list": "*-+0123456789", "reference": "[",
    "html_block": "<", "heading": "#",
}
_GATE = "policylint_paragraph_gate"
_START_GATE = "policylint_block_start_gate"


def stock() -> MarkdownIt:
    """markdown-it-py configured as policylint needs, without the gate."""
    return MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table").disable("inline")


@functools.lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The block parser policylint uses: ``stock()`` with the paragraph gate."""
    md = stock()
    install_gate(md)
    return md


def install_gate(md: MarkdownIt) -> bool:
    """Put both gates into ``md``; False (and no change) when its chains are not the ones
    the gates were written for."""
    ruler = md.block.ruler
    enabled = [rule for rule in ruler.__rules__ if rule.enabled]
    rules = [rule for rule in enabled if "paragraph" in rule.alt]
    if tuple(rule.name for rule in rules) != KNOWN_TERMINATORS or tuple(
            rule.name for rule in enabled) != KNOWN_CHAIN:
        return False
    chain = ruler.getRules("")
    terminators = tuple(ruler.getRules("paragraph"))
    interrupting = _by_first_character(rules)
    interrupts = _gate(terminators, interrupting)
    # First in the main chain: it answers for every line without "|" that is not indented
    # as code, asking only the rules that its first character can start.
    ruler.before("table", _START_GATE, _start_gate(_by_first_character(enabled[:-2]), chain[-2], chain[-1],
                                                   interrupts, interrupting))
    for rule in rules:
        ruler.at(rule.name, rule.fn, {"alt": [name for name in rule.alt if name != "paragraph"]})
    # Pushed last, after the paragraph rule, which always succeeds: in the main chain
    # it is never reached, so it only ever runs as the paragraph's terminator.
    ruler.push(_GATE, interrupts, {"alt": ["paragraph"]})
    return True


def _by_first_character(rules: Sequence[Any]) -> dict[str, tuple[Rule, ...]]:
    """For each first character, the rules (in chain order) whose blocks can start with it."""
    found: dict[str, list[Rule]] = {}
    for rule in rules:
        for character in STARTS_WITH.get(rule.name, ""):
            found.setdefault(character, []).append(rule.fn)
    return {character: tuple(fns) for character, fns in found.items()}


def _gate(terminators: Sequence[Rule], by_character: dict[str, tuple[Rule, ...]]) -> Rule:
    def gate(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        start = state.bMarks[line] + state.tShift[line]
        stop = state.eMarks[line]
        if start >= stop or state.src.find("|", start, stop) >= 0:
            return any(rule(state, line, end, silent) for rule in terminators)
        # Every other terminator would have said no.
        return any(rule(state, line, end, silent) for rule in by_character.get(state.src[start], ()))

    return gate


def _start_gate(by_character: dict[str, tuple[Rule, ...]], lheading: Rule, paragraph: Rule,
                interrupts: Rule, interrupting: dict[str, tuple[Rule, ...]]) -> Rule:
    def gate(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        start = state.bMarks[line] + state.tShift[line]
        stop = state.eMarks[line]
        if start >= stop or state.src.find("|", start, stop) >= 0 or state.is_code_block(line):
            return False  # let the chain ask every rule
        # Of the rules before the last two, only those that the line's first character can
        # start may take it (the code rule takes no line indented less than four columns).
        for rule in by_character.get(state.src[start], ()):
            if rule(state, line, end, silent):
                return True
        # The paragraph rule always takes the line, unless it is a setext heading. The setext
        # rule sets the parent type before it looks (and leaves it set when it finds nothing);
        # its terminators, asked below as well, answer with that parent type.
        parent = state.parentType
        state.parentType = "paragraph"
        if _may_be_setext(state, line, end, interrupts, interrupting):
            state.parentType = parent
            return lheading(state, line, end, silent) or paragraph(state, line, end, silent)
        return paragraph(state, line, end, silent)

    return gate


def _may_be_setext(state: StateBlock, line: int, end: int, interrupts: Rule,
                   interrupting: dict[str, tuple[Rule, ...]]) -> bool:
    """Whether the setext-heading rule could find an underline for the paragraph at ``line``.

    It looks at the lines the paragraph would continue over, as that rule does: up to an
    empty line or one that interrupts the paragraph (stopping there keeps a file of
    alternating text and headings linear), and an underline starts with - or =.
    """
    src, starts, shifts, ends, indents = state.src, state.bMarks, state.tShift, state.eMarks, state.sCount
    base = state.blkIndent
    for following in range(line + 1, end):
        start = starts[following] + shifts[following]
        if start >= ends[following]:
            return False
        if src[start] in "-=":
            return True
        # Lines indented as code continue the paragraph, and so do lines a blockquote has
        # taken (a negative indent); the setext rule asks the terminators about the others.
        # Only a line starting with one of their characters or holding a "|" can end it (what
        # the gate itself looks at; checked here first, as this runs for every line).
        if (indents[following] - base <= 3 and indents[following] >= 0
                and (src[start] in interrupting or src.find("|", start, ends[following]) >= 0)
                and interrupts(state, following, end, True)):
            return False
    return False
