"""If a policy says A, it must also say B nearby: sanctions must cite the work rules.

A unit matching a ``trigger`` combination is the claim (a consequence of a
breach). The element is present when one claim has a ``requires`` combination
in the same sentence, the same block or the ``window`` sentences after it in the
same section; violated when claims exist but none is backed; missing when no
claim is made.

Passes (nl): "Bij een inbreuk volgen sancties volgens het arbeidsreglement."
Fails (en): "Breaches may lead to dismissal." (violated: no work rules named)
"""
from __future__ import annotations

from typing import Any

from policylint.detectors import Matches, Outcome, satisfies
from policylint.document import PolicyDocument
from policylint.findings import Finding, Status
from policylint.ruleset import Element

KIND = "requires"
_COMBOS = {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": {"type": "string"}}}
OPTIONS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["trigger", "requires"],
    "properties": {
        "trigger": _COMBOS,
        "requires": _COMBOS,
        "unless": {"type": "array", "items": {"type": "string"}},
        "window": {"type": "integer", "minimum": 0, "maximum": 5},
    },
}


def check(doc: PolicyDocument, element: Element, message_lang: str) -> Outcome:
    """Present, violated (claim without backing) or missing (no claim)."""
    options = element.options
    found = Matches(doc, element.text(doc.lang))
    matches = found.by_sentence
    unless = found.key_set(options.get("unless", []))
    window = int(options.get("window", 1))
    trigger = found.key_sets(options["trigger"])
    requires = found.key_sets(options["requires"])
    claims = [i for i in found.relevant if not unless & matches[i] and satisfies(matches[i], trigger)]
    # A heading ("## Sanctions") is a claim only for want of a better one: the
    # sentence under it that states the consequence is what an author should see.
    claims.sort(key=lambda i: doc.blocks[doc.sentences[i].block].kind == "heading")
    backed: list[tuple[int, int, int]] = []  # (rank, line, sentence index); lower rank is stronger
    for i in claims:
        groups = matches[i]
        sentence = doc.sentences[i]
        nearby = [j for j in range(max(0, i - 8), min(len(doc.sentences), i + window + 8))
                  if doc.sentences[j].block == sentence.block
                  or (i <= j <= i + window and doc.sentences[j].section == sentence.section)]
        backing: frozenset[object] = frozenset().union(*(matches[j] for j in nearby))
        if satisfies(backing, requires):
            # Show the sentence that says it all; a heading that merely names the topic last.
            rank = (0 if satisfies(groups, requires) else 1) + (
                2 if doc.blocks[sentence.block].kind == "heading" else 0)
            backed.append((rank, sentence.line, i))
    if backed:
        sentence = doc.sentences[min(backed)[2]]
        return Outcome(Status.PRESENT, sentence.line, sentence.text)
    if not claims:
        return Outcome(Status.MISSING)
    sentence = doc.sentences[claims[0]]
    texts = element.text(message_lang)
    finding = Finding(
        rule=element.id,
        message=texts.messages.get("unbacked", texts.missing),
        line=sentence.line, column=sentence.column, end_line=sentence.end_line,
        hint=texts.messages.get("unbacked-hint", texts.hint),
        severity=element.severity, anchor=sentence.norm,
    )
    return Outcome(Status.VIOLATED, sentence.line, sentence.text, [finding])
