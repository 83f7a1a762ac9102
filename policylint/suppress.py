"""Suppressions written in the policy itself, with accountability.

    <!-- policylint-disable-next-line positive-phrasing -- quoted from the law -->
    <!-- policylint-disable-line RULE -- reason -->           (at the end of a line)
    <!-- policylint-disable RULE -- reason --> ... <!-- policylint-enable RULE -->
    <!-- policylint-disable-file RULE -- reason -->           (also file-level findings)

and in the front matter, for a whole file, with an optional expiry date:

    policylint:
      ignore:
        - {rule: strategy-link, reason: "strategy is being rewritten", until: 2027-01-31}

Without rule ids a directive covers every rule. Each suppression should say
why: one without a reason, one whose ``until`` has passed, one that suppresses
nothing, one naming an unknown rule and one aimed at an element the ruleset
marks unsuppressible are reported as warnings (``suppression/...``).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, replace
from typing import Any

from policylint import lang as _lang
from policylint.config import BUILTIN_RULES
from policylint.document import PolicyDocument
from policylint.findings import Finding, Severity

_DIRECTIVE = re.compile(
    r"<!--\s*policylint-(disable-next-line|disable-line|disable-file|disable|enable)\b(.*?)-->", re.S)
_ONLY_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")


@dataclass
class Suppression:
    """One directive or front matter entry, and whether it silenced anything."""

    kind: str  # next-line, line, range, file
    rules: tuple[str, ...]  # empty: every rule
    reason: str | None
    line: int  # where the directive stands
    first: int  # first line it covers
    last: int  # last line it covers
    until: _dt.date | None = None
    used: bool = False

    def covers(self, rule: str) -> bool:
        return not self.rules or any(rule == r or rule.startswith(r + "/") for r in self.rules)


def _split(body: str) -> tuple[tuple[str, ...], str | None]:
    rules_part, _, reason = body.partition("--")
    rules = tuple(r for r in re.split(r"[\s,]+", rules_part.strip()) if r)
    return rules, (reason.strip() or None)


def collect(doc: PolicyDocument) -> list[Suppression]:
    """All suppressions of a document, in the order they appear."""
    found: list[Suppression] = []
    open_ranges: list[Suppression] = []
    total = len(doc.lines)
    fm = doc.front_matter
    body_start = fm.end_line + 1 if fm is not None else 1
    for index in range(body_start - 1, total):
        text = doc.lines[index]
        if "policylint-" not in text:
            continue
        for match in _DIRECTIVE.finditer(text):
            kind, body = match.group(1), match.group(2)
            rules, reason = _split(body)
            line = index + 1
            if kind == "disable-next-line":
                target = line + 1
                while target <= total and _ONLY_COMMENT.match(doc.lines[target - 1]):
                    target += 1  # stacked directives all aim at the first real line
                found.append(Suppression("next-line", rules, reason, line, target, target))
            elif kind == "disable-line":
                found.append(Suppression("line", rules, reason, line, line, line))
            elif kind == "disable-file":
                found.append(Suppression("file", rules, reason, line, 1, total))
            elif kind == "disable":
                item = Suppression("range", rules, reason, line, line, total)
                found.append(item)
                open_ranges.append(item)
            else:  # enable: closes the ranges it names (all, without names)
                for item in list(open_ranges):
                    if not rules or set(item.rules) & set(rules) or not item.rules:
                        item.last = line
                        open_ranges.remove(item)
    found.extend(_front_matter(doc, total))
    return found


def _front_matter(doc: PolicyDocument, total: int) -> list[Suppression]:
    fm = doc.front_matter
    if fm is None or not isinstance(fm.data, dict):
        return []
    block = fm.data.get("policylint")
    entries = block.get("ignore") if isinstance(block, dict) else None
    result = []
    line = fm.key_lines.get("policylint", fm.start_line)
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            entry = {"rule": entry}
        if not isinstance(entry, dict) or not entry.get("rule"):
            continue
        until = entry.get("until")
        result.append(Suppression(
            "file", (str(entry["rule"]),), str(entry["reason"]) if entry.get("reason") else None,
            line, 1, total, until if isinstance(until, _dt.date) else None))
    return result


def apply(doc: PolicyDocument, findings: list[Finding], ruleset: Any, message_lang: str,
          today: _dt.date, anchor_line: int) -> list[Finding]:
    """Drop suppressed findings and add the warnings that keep suppressions honest."""
    suppressions = collect(doc)
    if not suppressions:
        return findings

    def msg(message_id: str, **values: Any) -> str:
        return _lang.message(message_lang, message_id, **values)

    unsuppressible = {e.id for e in ruleset.elements if not e.suppressible}
    known = {e.id for e in ruleset.elements}
    notes: list[Finding] = []
    active: list[Suppression] = []
    for item in suppressions:
        if item.until is not None and item.until < today:
            notes.append(Finding("suppression/expired", msg("suppress-expired", date=item.until.isoformat(),
                                 rules=", ".join(item.rules)), item.line, severity=Severity.WARNING))
            continue
        if not item.reason:
            notes.append(Finding("suppression/no-reason", msg("suppress-no-reason"), item.line,
                                 severity=Severity.WARNING, hint=msg("suppress-no-reason-hint")))
        for rule in item.rules:
            if rule not in known and rule.split("/")[0] not in BUILTIN_RULES:
                notes.append(Finding("suppression/unknown-rule", msg("suppress-unknown", rule=rule), item.line,
                                     severity=Severity.WARNING))
        active.append(item)

    kept: list[Finding] = []
    refused: set[int] = set()
    for finding in findings:
        # A finding about the whole file (a missing element, anchored at the front
        # matter) can only be silenced for the whole file; others by their line.
        file_level = finding.line == anchor_line and finding.end_line is None
        match = next((s for s in active if s.covers(finding.rule) and (
            s.kind == "file" if file_level else s.first <= finding.line <= s.last)), None)
        if match is None:
            kept.append(finding)
        elif finding.rule in unsuppressible:
            kept.append(finding)
            if id(match) not in refused:
                refused.add(id(match))
                notes.append(Finding("suppression/not-allowed", msg("suppress-not-allowed", rule=finding.rule),
                                     match.line, severity=Severity.WARNING))
        else:
            match.used = True
    for item in active:
        if not item.used and id(item) not in refused:
            notes.append(Finding("suppression/unused", msg("suppress-unused", rules=", ".join(item.rules) or "*"),
                                 item.line, severity=Severity.WARNING, hint=msg("suppress-unused-hint")))
    return kept + [replace(n, anchor=f"{n.rule}@{n.line}") for n in notes]
