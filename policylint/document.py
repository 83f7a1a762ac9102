"""The parsed policy that every detector reads: front matter, sections, blocks, sentences.

All line numbers are 1-based and refer to the original file, front matter included.
Sections, blocks and sentences are named tuples: immutable like frozen dataclasses,
and four times faster to make (a policy has a few hundred of them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Section(NamedTuple):
    """A heading and the lines it governs (up to the next heading of the same or higher level)."""

    title: str
    level: int  # 1-6 for Markdown/HTML headings, 7 for a bold line used as a heading
    line: int
    end_line: int
    parent: int | None  # index of the enclosing section


class Block(NamedTuple):
    """A unit of running text: a paragraph, list item, table cell, heading or HTML line."""

    kind: str
    text: str  # plain text; "\n" wherever the source text breaks a line
    line: int
    end_line: int
    section: int | None  # index of the innermost section


class Sentence(NamedTuple):
    """One sentence of a block, with its place in the file."""

    text: str
    norm: str  # lower-cased, accent-free, whitespace-folded text that phrases match against
    line: int
    end_line: int
    column: int
    block: int  # index into PolicyDocument.blocks
    section: int | None


@dataclass
class FrontMatter:
    """The YAML block between the opening and closing ``---``."""

    data: dict[str, Any] | None
    start_line: int  # line of the opening fence
    end_line: int  # line of the closing fence (or the last line when unclosed)
    key_lines: dict[str, int] = field(default_factory=dict)  # "contact.email" -> line
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (rule, line, detail)


@dataclass
class PolicyDocument:
    """Everything the detectors need to know about one policy file."""

    path: str
    lines: list[str]
    lang: str
    lang_source: str  # "front-matter", "detected" or "default"
    front_matter: FrontMatter | None
    sections: list[Section]
    blocks: list[Block]
    sentences: list[Sentence]
    # First line of text nested too deeply (lists in lists, quotes in quotes) to be parsed.
    too_deep_line: int | None = None
    # What detectors derive from the document and share (phrase hits per sentence, units),
    # so that each is computed once per document rather than once per element.
    # Not an init argument: a copy made with dataclasses.replace starts with its own, empty.
    derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def section_chain(self, index: int | None) -> list[int]:
        """The section and all its ancestors, innermost first."""
        chain: list[int] = []
        while index is not None:
            chain.append(index)
            index = self.sections[index].parent
        return chain

    @property
    def anchor_line(self) -> int:
        """Where file-level findings (a missing element) are reported."""
        if self.front_matter is not None:
            return self.front_matter.end_line
        return 1
