"""Most instructions should guide, not forbid: the share of bans stays under a threshold.

Every sentence that instructs (``normative`` phrases: modal verbs, imperatives)
is counted; it is a ban when it also matches ``prohibitive``. Bans whose
subject is always-forbidden content (the ``exclude`` group of another element,
by default ``prohibited-content``) are not held against the policy. The element
fails when bans / instructions >= ``threshold``. Each counted ban is an info
finding with a hint on how to say it positively.

Passes (en): "You can share our vacancies. Ask HR when in doubt. Never post hate speech."
Fails (nl): "Het is verboden foto's te maken. U mag nooit klanten noemen. Deel geen routes."
"""
from __future__ import annotations

from typing import Any

from policylint.detectors import Outcome
from policylint.document import PolicyDocument, Sentence
from policylint.findings import Finding, Severity, Status
from policylint.ruleset import Element, ElementText

KIND = "phrasing"
OPTIONS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "min_normative": {"type": "integer", "minimum": 0},
        "exclude": {
            "type": "object",
            "additionalProperties": False,
            "required": ["element", "group"],
            "properties": {"element": {"type": "string"}, "group": {"type": "string"}},
        },
    },
}


def classify(norm: str, text: ElementText) -> str | None:
    """'prohibitive', 'permissive' or None (not an instruction) for one normalized sentence.

    Three tiers, because negation is everywhere in permissive sentences too
    ("allowed, as long as your work does not suffer"): a strong ban word decides
    at once; otherwise a permissive phrase wins; otherwise a weak restriction
    ("only", "not", "without approval") makes the instruction a ban.
    """
    groups = text.groups

    def has(name: str) -> bool:
        pattern = groups.get(name)
        return pattern is not None and pattern.search(norm) is not None

    if has("descriptive") or not has("normative"):
        return None
    if has("prohibitive"):
        return "prohibitive"
    if has("permissive"):
        return "permissive"
    if has("restrictive"):
        return "prohibitive"
    return "permissive"


def check(doc: PolicyDocument, element: Element, message_lang: str, excluded: Any = None) -> Outcome:
    """Count instructions and bans; report each ban with a rewrite hint."""
    options = element.options
    text = element.text(doc.lang)
    texts = element.text(message_lang)
    threshold = float(options.get("threshold", 0.35))
    total = counted = 0
    bans: list[Finding] = []
    first_permissive = None
    previous: Sentence | None = None
    for sentence in doc.sentences:
        before, previous = previous, sentence
        kind = classify(sentence.norm, text)
        if kind is None:
            continue
        total += 1
        if kind == "permissive":
            first_permissive = first_permissive or sentence
            continue
        refers_back = text.groups.get("refers_back")
        if excluded is not None and (excluded.search(sentence.norm) or (
                before is not None and before.block == sentence.block and refers_back is not None
                and refers_back.search(sentence.norm) and excluded.search(before.norm))):
            # Bans on always-forbidden content are what a policy should say; "such
            # content is never allowed" refers back to the sentence before it.
            continue
        counted += 1
        bans.append(Finding(
            rule=element.id,
            message=texts.messages.get("ban", "prohibitive sentence"),
            line=sentence.line, column=sentence.column, end_line=sentence.end_line,
            hint=_rewrite_hint(sentence.norm, text, texts),
            severity=Severity.INFO, anchor=sentence.norm,
        ))
    share = counted / total if total else 0.0
    if total < int(options.get("min_normative", 1)) or share < threshold:
        line = first_permissive.line if first_permissive else None
        evidence = first_permissive.text if first_permissive else None
        return Outcome(Status.PRESENT, line, evidence, bans)
    summary = Finding(
        rule=element.id,
        message=texts.messages.get("share", "{counted} of {total} instructions are bans").format(
            counted=counted, total=total, share=round(share * 100), threshold=round(threshold * 100)),
        line=doc.anchor_line, severity=element.severity,
        hint=texts.hint, scope="file",
    )
    return Outcome(Status.MISSING, None, None, [summary, *bans])


def _rewrite_hint(norm: str, text: ElementText, texts: ElementText) -> str:
    """The first rewrite suggestion whose trigger phrase occurs in the sentence.

    Suggestions quote the policy's own words, so they come from the policy's
    language; when messages are asked in another language the generic hint is used.
    """
    if texts is text:
        for index, hint in enumerate(text.lists.get("rewrites", [])):
            pattern = text.groups.get(f"rewrites.{index}")
            if pattern is not None and pattern.search(norm):
                return str(hint)
    return texts.messages.get("ban-hint", "")
