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

from policylint.detectors import Outcome, group_keys, sentence_groups
from policylint.document import PolicyDocument
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


def classify(norm: str, text: ElementText, found: frozenset[int] | None = None) -> str | None:
    """'prohibitive', 'permissive' or None (not an instruction) for one normalized sentence.

    Three tiers, because negation is everywhere in permissive sentences too
    ("allowed, as long as your work does not suffer"): a strong ban word decides
    at once; otherwise a permissive phrase wins; otherwise a weak restriction
    ("only", "not", "without approval") makes the instruction a ban. A condition
    (``condition``: "as long as") after a permission is left out of the ban test,
    and so are ``neutral`` phrases, negations that forbid nothing ("not only").

    ``found``, when given, holds the ids of the groups ``norm`` matches in the phrase
    index of ``text`` (``detectors.sentence_groups``): membership tests instead of lookups.
    """
    groups = text.groups

    def has(name: str) -> bool:
        pattern = groups.get(name)
        if pattern is None:
            return False
        return pattern.gid in found if found is not None else pattern.occurs(norm)

    if has("descriptive") or not has("normative"):
        return None
    neutral = groups.get("neutral")
    if neutral is not None:
        # Negations that forbid nothing ("not only", "if you are not sure") would
        # otherwise make the sentence look like a restriction.
        changed = neutral.sub(" ", norm)
        if changed != norm:
            norm, found = changed, None
    condition = groups.get("condition")
    permissive = groups.get("permissive")
    condition_at = condition.search(norm) if condition is not None else None
    if condition_at is not None and permissive is not None and permissive.search_before(norm, condition_at.start()):
        # "You can post, as long as you do not name clients": a negation inside the
        # condition limits a permission; it does not turn the sentence into a ban.
        norm, found = norm[: condition_at.start()], None
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
    index, keys = group_keys(text)
    matched = sentence_groups(doc, index) if index is not None else None
    # Most sentences instruct nothing: with group ids at hand, those are passed over
    # without a call (classify says None when "normative" is absent).
    normative = keys.get("normative") if matched is not None else None
    for i, sentence in enumerate(doc.sentences):
        if normative is not None and matched is not None and normative not in matched[i]:
            continue
        block = doc.blocks[sentence.block]
        if block.kind == "heading" and block.section is not None and doc.sections[block.section].level <= 6:
            # A heading names a topic ("Prohibited content"); a bold line used as a
            # heading is often a whole instruction ("DO share our news") and counts.
            continue
        kind = classify(sentence.norm, text, matched[i] if matched is not None else None)
        if kind is None:
            continue
        total += 1
        if kind == "permissive":
            first_permissive = first_permissive or sentence
            continue
        if excluded is not None and _about_forbidden(doc, i, excluded, text):
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


def _about_forbidden(doc: PolicyDocument, i: int, excluded: Any, text: ElementText) -> bool:
    """Whether the ban in sentence ``i`` is about always-forbidden content (what a policy should ban).

    Either the sentence names such content itself, or it points at it: "such
    content is never allowed" refers back to the sentence before it, and a
    lead-in ("This is never allowed:") to the list item that follows it.
    """
    sentences = doc.sentences
    sentence = sentences[i]
    if excluded.occurs(sentence.norm):
        return True
    refers_back = text.groups.get("refers_back")
    if (i > 0 and sentences[i - 1].block == sentence.block and refers_back is not None
            and refers_back.occurs(sentence.norm) and excluded.occurs(sentences[i - 1].norm)):
        return True
    if i + 1 < len(sentences):
        following = sentences[i + 1]
        return (doc.blocks[sentence.block].kind == "paragraph" and following.block == sentence.block + 1
                and doc.blocks[following.block].kind == "list_item" and excluded.occurs(following.norm))
    return False


def _rewrite_hint(norm: str, text: ElementText, texts: ElementText) -> str:
    """The first rewrite suggestion whose trigger phrase occurs in the sentence.

    Suggestions quote the policy's own words, so they come from the policy's
    language; when messages are asked in another language the generic hint is used.
    """
    if texts is text:
        for index, hint in enumerate(text.lists.get("rewrites", [])):
            pattern = text.groups.get(f"rewrites.{index}")
            if pattern is not None and pattern.occurs(norm):
                return str(hint)
    return texts.messages.get("ban-hint", "")
