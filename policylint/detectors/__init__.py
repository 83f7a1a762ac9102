"""Detector kinds: the few ways an element can be found in a policy.

Each kind is a module with ``KIND``, an ``OPTIONS`` JSON Schema for its options
in a ruleset, and ``check(doc, element, context) -> Outcome``. What to look for
(the words) comes from the ruleset; how to look (the logic) lives here.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

from policylint.document import PolicyDocument
from policylint.findings import Finding, Severity, Status
from policylint.lang import normalize
from policylint.phrase_index import PhraseIndex
from policylint.ruleset import ElementText

KINDS = ("evidence", "requires", "phrasing")


@dataclass
class Outcome:
    """What a detector concluded about one element in one document."""

    status: Status
    line: int | None = None
    evidence: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # Set when the element is present but deserves a lower-level remark in the
    # checklist (a blanket ban on use during working hours).
    severity: Severity | None = None


def get(kind: str) -> ModuleType:
    """The module implementing a detector kind (imported on first use)."""
    if kind not in KINDS:
        raise KeyError(kind)
    return importlib.import_module(f"{__name__}.{kind}")


_NO_GROUPS: frozenset[str] = frozenset()


class Matches:
    """Which phrase groups of one element each sentence of a document matches."""

    def __init__(self, doc: PolicyDocument, text: ElementText) -> None:
        self.doc = doc
        heading_sections: set[int] = set()
        headings = text.headings
        if headings is not None:
            titles = section_hits(doc, headings.index)
            if titles is not None:
                heading_sections = {index for index, hits in enumerate(titles) if headings.gid in hits}
            else:
                heading_sections = {index for index, section in enumerate(doc.sections)
                                    if headings.occurs(normalize(section.title))}
        found: dict[int, set[str]] = {}  # sentence index -> names of the groups it matches
        indexes = {id(group.index): group.index for group in text.groups.values()}
        index = next(iter(indexes.values()), None)
        if len(indexes) == 1 and index is not None:
            where = sentences_by_group(doc, index)
            for name, group in text.groups.items():
                for i in where.get(group.gid, ()):
                    found.setdefault(i, set()).add(name)
        else:  # groups from different indexes (not made by ruleset.load): ask each
            for i, sentence in enumerate(doc.sentences):
                for name, group in text.groups.items():
                    if group.occurs(sentence.norm):
                        found.setdefault(i, set()).add(name)
        if heading_sections:
            under = sentences_under(doc)
            for number in heading_sections:
                for i in under.get(number, ()):
                    found.setdefault(i, set()).add("heading")
        self.by_sentence: list[frozenset[str]] = [_NO_GROUPS] * len(doc.sentences)
        for i, names in found.items():
            self.by_sentence[i] = frozenset(names)


def section_hits(doc: PolicyDocument, index: PhraseIndex | None) -> list[frozenset[int]] | None:
    """For each section title, the ids of the groups of ``index`` it matches (once per document)."""
    if index is None:
        return None
    key = ("section-hits", id(index))
    hits: list[frozenset[int]] | None = doc.derived.get(key)
    if hits is None:
        hits = doc.derived[key] = [index.matching(normalize(section.title)) for section in doc.sections]
    return hits


def sentences_under(doc: PolicyDocument) -> dict[int, list[int]]:
    """For each section, the sentences inside it or in its subsections (computed once per document)."""
    under: dict[int, list[int]] | None = doc.derived.get("sentences-under")
    if under is None:
        under = doc.derived["sentences-under"] = {}
        for i, sentence in enumerate(doc.sentences):
            for section in doc.section_chain(sentence.section):
                under.setdefault(section, []).append(i)
    return under


def sentences_by_group(doc: PolicyDocument, index: PhraseIndex | None) -> dict[int, list[int]]:
    """For each group id of ``index``, the sentences that match it (computed once per document)."""
    key = ("sentences-by-group", id(index))
    where: dict[int, list[int]] | None = doc.derived.get(key)
    if where is None:
        where = doc.derived[key] = {}
        if index is not None:
            for i, sentence in enumerate(doc.sentences):
                for gid in index.matching(sentence.norm):
                    where.setdefault(gid, []).append(i)
    return where


def satisfies(groups: frozenset[str] | set[str], combos: list[list[str]]) -> bool:
    """True when the groups contain every group of at least one combination."""
    return any(all(g in groups for g in combo) for combo in combos)


def combination_sets(combos: list[list[str]]) -> list[frozenset[str]]:
    """Combinations as sets, for ``any(c <= groups for c in ...)``: a subset test runs in C."""
    return [frozenset(combo) for combo in combos]


def unit_table(doc: PolicyDocument, max_block_sentences: int = 4) -> tuple[list[tuple[int, ...]], list[list[int]]]:
    """``units`` of the document, and for each sentence the indices of the units holding it (cached)."""
    key = ("units", max_block_sentences)
    table: tuple[list[tuple[int, ...]], list[list[int]]] | None = doc.derived.get(key)
    if table is None:
        all_units = units(doc, max_block_sentences)
        holding: list[list[int]] = [[] for _ in doc.sentences]
        for number, unit in enumerate(all_units):
            for i in unit:
                holding[i].append(number)
        table = doc.derived[key] = (all_units, holding)
    return table


def units(doc: PolicyDocument, max_block_sentences: int = 4) -> list[tuple[int, ...]]:
    """Sentence indices of each unit that evidence may come from.

    Every sentence is a unit, and so is every short block (a list item, a table
    cell, a paragraph of a few sentences). A list item also forms a unit with the
    sentence that leads into its list ("This policy also applies to:" + "- temps"),
    since the two are read as one statement.
    """
    result: list[tuple[int, ...]] = [(i,) for i in range(len(doc.sentences))]
    by_block: dict[int, list[int]] = {}
    for i, sentence in enumerate(doc.sentences):
        by_block.setdefault(sentence.block, []).append(i)
    for members in by_block.values():
        if 1 < len(members) <= max_block_sentences:
            result.append(tuple(members))
    lead_in: int | None = None  # last sentence of the paragraph before the current list
    for index, block in enumerate(doc.blocks):
        members = by_block.get(index, [])
        if block.kind == "list_item":
            if lead_in is not None and members and len(members) <= max_block_sentences:
                result.append((lead_in, *members))
        elif members:
            lead_in = members[-1] if block.kind == "paragraph" else None
    return result

