"""Evidence units: what ``units_holding`` returns is what listing every unit and keeping those
holding a sentence would give, in the same order (the order decides ties between evidence)."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policylint import parse
from policylint.detectors import units_holding
from policylint.document import PolicyDocument

ROOT = Path(__file__).resolve().parents[2]


def every_unit(doc: PolicyDocument, max_block_sentences: int) -> list[tuple[int, ...]]:
    """The units by their definition, written for clarity rather than speed."""
    result: list[tuple[int, ...]] = [(i,) for i in range(len(doc.sentences))]
    by_block: dict[int, list[int]] = {}
    for i, sentence in enumerate(doc.sentences):
        by_block.setdefault(sentence.block, []).append(i)
    result += [tuple(m) for m in by_block.values() if 1 < len(m) <= max_block_sentences]
    lead_in = None
    for index, block in enumerate(doc.blocks):
        members = by_block.get(index, [])
        if block.kind == "list_item":
            if lead_in is not None and members and len(members) <= max_block_sentences:
                result.append((lead_in, *members))
        elif members:
            lead_in = members[-1] if block.kind == "paragraph" else None
    return result


def _check(doc: PolicyDocument, seeds: set[int]) -> None:
    for size in (1, 2, 3, 4, 10):
        expected = [unit for unit in every_unit(doc, size) if seeds & set(unit)]
        assert units_holding(doc, seeds, size) == expected, (size, sorted(seeds))


def test_units_of_every_example_and_case() -> None:
    files = sorted((ROOT / "example-policy").glob("*.md")) + sorted((ROOT / "tests" / "cases").rglob("*.md"))
    for path in files:
        doc = parse.read(str(path))
        count = len(doc.sentences)
        _check(doc, set(range(count)))
        _check(doc, set(range(0, count, 3)))


def test_a_list_item_is_a_unit_with_the_sentence_leading_into_its_list() -> None:
    doc = parse.parse("Intro. This applies to:\n\n- temps\n- contractors and freelancers. All of them.\n", "p.md")
    lead = [s.text for s in doc.sentences].index("This applies to:")
    units = units_holding(doc, {lead}, 4)
    texts = [[doc.sentences[i].text for i in unit] for unit in units]
    assert texts == [["This applies to:"], ["Intro.", "This applies to:"], ["This applies to:", "temps"],
                     ["This applies to:", "contractors and freelancers.", "All of them."]]
    assert units_holding(doc, {lead}, 1) == [(lead,), (lead, lead + 1)]


_LINE = st.sampled_from([
    "A sentence. Another one.", "One more sentence here", "Lead-in:", "- item one", "- item two. More.",
    "1. numbered item", "# Heading", "## Sub", "", "| a | b |", "|---|---|", "| cell. two. |",
    "<p>html line</p>", "> quoted. twice.", "**Bold line**", "  - nested item. Yes.",
])


@given(lines=st.lists(_LINE, max_size=25), pick=st.integers(min_value=1, max_value=4))
@settings(max_examples=300, deadline=None)
def test_units_of_random_documents(lines: list[str], pick: int) -> None:
    doc = parse.parse("\n".join(lines), "p.md")
    _check(doc, set(range(0, len(doc.sentences), pick)))
