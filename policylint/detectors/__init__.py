"""Detector kinds: the few ways an element can be found in a policy.

Each kind is a module with ``KIND``, an ``OPTIONS`` JSON Schema for its options
in a ruleset, and ``check(doc, element, context) -> Outcome``. What to look for
(the words) comes from the ruleset; how to look (the logic) lives here.
"""
from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

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
    module = _MODULES.get(kind)
    if module is None:
        if kind not in KINDS:
            raise KeyError(kind)
        module = _MODULES[kind] = importlib.import_module(f"{__name__}.{kind}")
    return module


_MODULES: dict[str, ModuleType] = {}


# The pseudo-group of sentences under a heading that names the element.
HEADING = "heading"
# The key of the heading pseudo-group among group ids (which count up from 0).
_HEADING_ID = -1


class Matches:
    """Which phrase groups of one element each sentence of a document matches.

    ``by_sentence[i]`` is a set of keys, and ``key(name)`` is the key of a group
    name (or of ``HEADING``): tests on names become set operations on keys, as in
    ``key_set(combo) <= by_sentence[i]``. The sets may hold keys of other
    elements' groups too, since all elements of a language share one set per
    sentence (the groups of one phrase index, by id), computed once per
    document; only the element's own keys are ever asked about. ``relevant``
    lists, in order, the sentences that match a group of the element.
    """

    def __init__(self, doc: PolicyDocument, text: ElementText) -> None:
        self.doc = doc
        headings = text.headings
        index, self._keys = group_keys(text)
        self._text = text
        heading_sections: set[int] = set()
        if index is not None:
            heading: frozenset[object] = frozenset((self._keys[HEADING],))
            by_sentence: Sequence[frozenset[object]] = sentence_groups(doc, index)
            where: Mapping[Any, Collection[int]] = sentences_by_group(doc, index)
            if headings is not None:
                titles = section_hits(doc, index)
                heading_sections = {number for number, hits in enumerate(titles) if headings.gid in hits}
        else:  # groups from different indexes (not made by ruleset.load): ask each, by name
            heading = frozenset((HEADING,))
            by_sentence = [frozenset(name for name, group in text.groups.items() if group.occurs(sentence.norm))
                           for sentence in doc.sentences]
            by_name: dict[object, list[int]] = {}
            for i, names in enumerate(by_sentence):
                for name in names:
                    by_name.setdefault(name, []).append(i)
            where = by_name
            if headings is not None:
                heading_sections = {number for number, section in enumerate(doc.sections)
                                    if headings.occurs(normalize(section.title))}
        self._headed: set[int] = set()
        if heading_sections:
            under = sentences_under(doc)
            self._headed = {i for number in heading_sections for i in under.get(number, ())}
            marked = list(by_sentence)
            for i in self._headed:
                marked[i] = marked[i] | heading
            by_sentence = marked
        self.by_sentence = by_sentence
        self._where = where

    def sentences_with(self, key: object) -> Collection[int]:
        """The sentences holding a group key."""
        if key == self._keys[HEADING]:
            # A ruleset may also name a phrase group "heading": either kind of sentence holds it.
            named = self._where.get(key, ())
            return self._headed.union(named) if named else self._headed
        return self._where.get(key, ())

    @property
    def relevant(self) -> list[int]:
        """The sentences that match a group of the element (or stand under its heading), in order."""
        found = {i for name in self._text.groups for i in self.sentences_with(self._keys[name])}
        return sorted(found | self._headed)

    def seeds(self, combos: list[frozenset[object]]) -> set[int]:
        """Sentences every unit satisfying one of ``combos`` must hold one of: for each
        combination, the sentences of its rarest group (none when a group never matched)."""
        seeds: set[int] = set()
        for combo in combos:
            rarest = min((self.sentences_with(key) for key in combo), key=len, default=())
            seeds.update(rarest)
        return seeds

    def key(self, name: str) -> object:
        """The key of a group name; a name the element does not have gets a key no sentence holds."""
        return self._keys.get(name, _NOT_A_GROUP)

    def key_set(self, names: Iterable[str]) -> frozenset[object]:
        return frozenset(self.key(name) for name in names)

    def key_sets(self, combos: list[list[str]]) -> list[frozenset[object]]:
        """Combinations of group names as sets of keys, for ``any(c <= groups for c in ...)``
        (worked out once per element text and combinations, not once per document)."""
        memo: dict[tuple[tuple[str, ...], ...], list[frozenset[object]]] = self._text.derived.setdefault(
            "key-sets", {})
        asked = tuple(map(tuple, combos))
        found = memo.get(asked)
        if found is None:
            found = memo[asked] = [self.key_set(combo) for combo in combos]
        return found


_NOT_A_GROUP = object()


def group_keys(text: ElementText) -> tuple[PhraseIndex | None, dict[str, object]]:
    """The phrase index all groups of ``text`` belong to (None when they do not share one),
    and the key of each group name: its id in that index, else the name (computed once)."""
    found: tuple[PhraseIndex | None, dict[str, object]] | None = text.derived.get("group-keys")
    if found is None:
        indexes = {id(group.index): group.index for group in text.all_groups()}
        index = next(iter(indexes.values())) if len(indexes) == 1 else None
        if index is not None:
            keys: dict[str, object] = {name: group.gid for name, group in text.groups.items()}
            # A phrase group named "heading" and the pseudo-group share one key, as they share a name.
            keys.setdefault(HEADING, _HEADING_ID)
        else:
            keys = {name: name for name in text.groups}
            keys.setdefault(HEADING, HEADING)
        found = text.derived["group-keys"] = (index, keys)
    return found


def sentence_groups(doc: PolicyDocument, index: PhraseIndex) -> list[frozenset[int]]:
    """For each sentence, the ids of the groups of ``index`` it matches (computed once per document)."""
    key = ("sentence-groups", id(index))
    groups: list[frozenset[int]] | None = doc.derived.get(key)
    if groups is None:
        groups = doc.derived[key] = index.matching_all([sentence.norm for sentence in doc.sentences])
    return groups


def section_hits(doc: PolicyDocument, index: PhraseIndex) -> list[frozenset[int]]:
    """For each section title, the ids of the groups of ``index`` it matches (once per document)."""
    key = ("section-hits", id(index))
    hits: list[frozenset[int]] | None = doc.derived.get(key)
    if hits is None:
        hits = doc.derived[key] = [index.matching(normalize(section.title)) for section in doc.sections]
    return hits


def sentences_under(doc: PolicyDocument) -> dict[int, list[int]]:
    """For each section, the sentences inside it or in its subsections (computed once per document)."""
    under: dict[int, list[int]] | None = doc.derived.get("sentences-under")
    if under is None:
        lists: defaultdict[int, list[int]] = defaultdict(list)
        chains: dict[int | None, list[int]] = {}  # a section and its ancestors, for each section
        for i, sentence in enumerate(doc.sentences):
            chain = chains.get(sentence.section)
            if chain is None:
                chain = chains[sentence.section] = doc.section_chain(sentence.section)
            for section in chain:
                lists[section].append(i)
        under = doc.derived["sentences-under"] = dict(lists)
    return under


def sentences_by_group(doc: PolicyDocument, index: PhraseIndex) -> dict[int, list[int]]:
    """For each group id of ``index``, the sentences that match it (computed once per document)."""
    key = ("sentences-by-group", id(index))
    where: dict[int, list[int]] | None = doc.derived.get(key)
    if where is None:
        lists: defaultdict[int, list[int]] = defaultdict(list)
        for i, gids in enumerate(sentence_groups(doc, index)):
            for gid in gids:
                lists[gid].append(i)
        where = doc.derived[key] = dict(lists)
    return where


def satisfies(groups: frozenset[object], combos: list[frozenset[object]]) -> bool:
    """True when ``groups`` holds every key of at least one combination (``Matches.key_sets``)."""
    return any(combo <= groups for combo in combos)


@dataclass(frozen=True)
class Layout:
    """How a document's sentences sit in blocks and lists (computed once per document)."""

    members: dict[int, tuple[int, ...]]  # block index -> its sentences
    lead_in: dict[int, int]  # list item block -> last sentence of the paragraph leading into its list
    leads: dict[int, tuple[int, ...]]  # that sentence -> the list item blocks it leads into


def layout(doc: PolicyDocument) -> Layout:
    found: Layout | None = doc.derived.get("layout")
    if found is None:
        members: defaultdict[int, list[int]] = defaultdict(list)
        for i, sentence in enumerate(doc.sentences):
            members[sentence.block].append(i)
        lead_in: dict[int, int] = {}
        leads: dict[int, list[int]] = {}
        current: int | None = None  # last sentence of the paragraph before the current list
        for index, block in enumerate(doc.blocks):
            if index not in members:
                continue
            if block.kind == "list_item":
                if current is not None:
                    lead_in[index] = current
                    leads.setdefault(current, []).append(index)
            else:
                current = members[index][-1] if block.kind == "paragraph" else None
        found = doc.derived["layout"] = Layout({b: tuple(m) for b, m in members.items()}, lead_in,
                                               {i: tuple(b) for i, b in leads.items()})
    return found


def units_holding(doc: PolicyDocument, sentences: Iterable[int], max_block_sentences: int = 4
                  ) -> list[tuple[int, ...]]:
    """The units that evidence may come from which hold one of ``sentences``, in document order.

    Every sentence is a unit, and so is every short block (a list item, a table
    cell, a paragraph of a few sentences). A list item also forms a unit with the
    sentence that leads into its list ("This policy also applies to:" + "- temps"),
    since the two are read as one statement. The order: single sentences, then
    blocks, then lead-ins with their list items, each in document order.
    """
    shape = layout(doc)
    found: dict[tuple[int, int], tuple[int, ...]] = {}
    for i in sentences:
        found[(0, i)] = (i,)
        block = doc.sentences[i].block
        members = shape.members[block]
        if 1 < len(members) <= max_block_sentences:
            found[(1, block)] = members
        lead = shape.lead_in.get(block)
        if lead is not None and len(members) <= max_block_sentences:
            found[(2, block)] = (lead, *members)
        for item in shape.leads.get(i, ()):
            item_members = shape.members[item]
            if len(item_members) <= max_block_sentences:
                found[(2, item)] = (i, *item_members)
    return [found[key] for key in sorted(found)]
