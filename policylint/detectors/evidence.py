"""Evidence for an element stands in one sentence, one short block, or under a heading that names it.

The ruleset lists combinations of phrase groups (``any_of``); a unit of text
is evidence when it matches every group of one combination. The pseudo-group
``heading`` holds for text inside a section whose heading names the element.
``unless`` groups disqualify a unit (a negated scope, a scope phrase alone).
An optional ``flag`` marks present evidence that still deserves a warning.

Passes (nl): "## Vragen?" ... "Mail het team Communicatie via sociale@acme.be."
Passes (en): "Questions or doubts? Ask Jan (HR) at jan@acme.com."
Fails (en): "Ask your manager." (a role, but no way to reach them)
"""
from __future__ import annotations

from typing import Any

from policylint.detectors import Matches, Outcome, satisfies, units_holding
from policylint.document import PolicyDocument
from policylint.findings import Finding, Severity, Status
from policylint.ruleset import Element

KIND = "evidence"
_COMBOS = {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": {"type": "string"}}}
OPTIONS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["any_of"],
    "properties": {
        "any_of": _COMBOS,
        "unless": {"type": "array", "items": {"type": "string"}},
        "max_block_sentences": {"type": "integer", "minimum": 1},
        "flag": {
            "type": "object",
            "additionalProperties": False,
            "required": ["any_of", "message"],
            "properties": {
                "any_of": _COMBOS,
                "unless": {"type": "array", "items": {"type": "string"}},
                "message": {"type": "string"},
                "severity": {"enum": ["info", "warning", "error"]},
            },
        },
    },
}


def check(doc: PolicyDocument, element: Element, message_lang: str) -> Outcome:
    """Find the strongest evidence of the element, or report it missing."""
    text = element.text(doc.lang)
    options = element.options
    found = Matches(doc, text)
    matches = found.by_sentence
    combos = found.key_sets(options["any_of"])
    wanted = frozenset().union(*combos)
    unless = found.key_set(options.get("unless", []))

    best: tuple[int, bool, int, int] | None = None  # (-strength, heading, unit size, line)
    best_sentence = -1
    evidence_units: list[tuple[int, ...]] = []
    # Only units holding a sentence of each group of a combination can satisfy it.
    for unit in units_holding(doc, found.seeds(combos), options.get("max_block_sentences", 4)):
        groups = matches[unit[0]] if len(unit) == 1 else matches[unit[0]].union(*(matches[i] for i in unit[1:]))
        if unless & groups or not satisfies(groups, combos):
            continue
        evidence_units.append(unit)
        # The sentence in the unit that carries most of the evidence is the one to show.
        lead = unit[0] if len(unit) == 1 else max(unit, key=lambda i: (len(matches[i] & wanted), -i))
        # A heading that names the element is weaker evidence than a sentence
        # under it saying the same: show the author the sentence.
        in_heading = doc.blocks[doc.sentences[lead].block].kind == "heading"
        key = (-len(groups & wanted), in_heading, len(unit), doc.sentences[lead].line)
        if best is None or key < best:
            best, best_sentence = key, lead

    if best is None:
        return Outcome(Status.MISSING)
    sentence = doc.sentences[best_sentence]
    outcome = Outcome(Status.PRESENT, sentence.line, sentence.text)
    flag = options.get("flag")
    if flag:
        _flag(doc, element, found, evidence_units, flag, message_lang, outcome)
    return outcome


def _flag(doc: PolicyDocument, element: Element, found: Matches,
          evidence_units: list[tuple[int, ...]], flag: dict[str, Any], message_lang: str,
          outcome: Outcome) -> None:
    matches = found.by_sentence
    unless = found.key_set(flag.get("unless", []))
    combos = found.key_sets(flag["any_of"])
    for unit in evidence_units:
        for i in unit:
            if unless & matches[i] or not satisfies(matches[i], combos):
                continue
            sentence = doc.sentences[i]
            texts = element.text(message_lang)
            severity = Severity.parse(flag.get("severity", "warning"))
            outcome.findings.append(Finding(
                rule=element.id,
                message=texts.messages.get(flag["message"], flag["message"]),
                line=sentence.line, column=sentence.column, end_line=sentence.end_line,
                hint=texts.messages.get(flag["message"] + "-hint"),
                severity=severity, anchor=sentence.norm,
            ))
            outcome.severity = severity
            return
