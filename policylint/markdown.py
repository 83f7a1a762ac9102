"""The Markdown block parser policylint uses: markdown-it-py, CommonMark with tables and HTML.

Inline content is not parsed here (parse.py parses it only where it has markup).

One change makes it faster without changing a single token. A paragraph (and
the setext-heading rule, which looks ahead over the same lines) asks, for every
line it continues over, whether one of seven block rules would interrupt it
there: a table, fence, blockquote, rule, list, HTML block or ATX heading. Each
rule starts by looking at the line's first character (a table at whether it
holds a ``|``), and almost every line of prose starts with a letter. So the
paragraph's terminator chain is one gate that sends a line on to the seven
rules, in their order, only when its first character could start one of them.
On hard-wrapped policies that is about 40 % of markdown-it-py's time.

The same holds where a block starts: a second gate, first in the main chain,
hands a line that can only open a paragraph (or a setext heading) straight to
those two rules, instead of asking the nine rules before them one by one; and
to the paragraph rule alone when no line up to the next empty one starts with
the - or = of a setext underline.

The gate is set up with markdown-it-py's ``Ruler`` (``at``, ``push``), and only when
the chain holds exactly the rules it knows (a future markdown-it-py with other
terminators gets the stock chain). tests/test_markdown.py holds the gated
parser to the stock one, token for token.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

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
# First characters (after indentation) with which a line can start a fence (` ~), a
# blockquote (>), a rule (* - _), a list (* - + or a digit), an HTML block (<) or a heading (#).
_MAY_INTERRUPT = frozenset("`~>*-_+<#0123456789")
# ... or, where a block starts, a link reference definition ([).
_MAY_START = _MAY_INTERRUPT | {"["}
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
    # First in the main chain: it answers for the lines only the last two rules would take.
    ruler.before("table", _START_GATE, _start_gate(chain[-2], chain[-1]))
    terminators = tuple(ruler.getRules("paragraph"))
    for rule in rules:
        ruler.at(rule.name, rule.fn, {"alt": [name for name in rule.alt if name != "paragraph"]})
    # Pushed last, after the paragraph rule, which always succeeds: in the main chain
    # it is never reached, so it only ever runs as the paragraph's terminator.
    ruler.push(_GATE, _gate(terminators), {"alt": ["paragraph"]})
    return True


def _gate(terminators: Sequence[Rule]) -> Rule:
    def gate(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        start = state.bMarks[line] + state.tShift[line]
        stop = state.eMarks[line]
        if start < stop and state.src[start] not in _MAY_INTERRUPT and state.src.find("|", start, stop) < 0:
            return False  # every terminator would have said no
        return any(rule(state, line, end, silent) for rule in terminators)

    return gate


def _start_gate(lheading: Rule, paragraph: Rule) -> Rule:
    def gate(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        start = state.bMarks[line] + state.tShift[line]
        stop = state.eMarks[line]
        if (start >= stop or state.src[start] in _MAY_START or state.src.find("|", start, stop) >= 0
                or state.is_code_block(line)):
            return False  # let the chain ask every rule
        # Every rule before these two would have said no (the code rule to any line indented
        # less than four columns); the paragraph rule always takes the line.
        if _may_be_setext(state, line, end):
            return lheading(state, line, end, silent) or paragraph(state, line, end, silent)
        # The setext rule would look for an underline up to the next empty line and find
        # none; all it would leave behind is the parent type it sets before looking.
        state.parentType = "paragraph"
        return paragraph(state, line, end, silent)

    return gate


def _may_be_setext(state: StateBlock, line: int, end: int) -> bool:
    """Whether a line after ``line``, before the next empty one, starts with - or = (an
    underline the setext-heading rule could take; it looks at no other line)."""
    src, starts, shifts, ends = state.src, state.bMarks, state.tShift, state.eMarks
    for following in range(line + 1, end):
        start = starts[following] + shifts[following]
        if start >= ends[following]:
            return False
        if src[start] in "-=":
            return True
    return False
