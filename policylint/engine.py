"""Run a ruleset's detectors over a document and turn their outcomes into a FileReport."""
from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from policylint import detectors, frontmatter, placeholders, suppress
from policylint import lang as _lang
from policylint.document import PolicyDocument
from policylint.findings import ElementResult, FileReport, Finding, Severity, Status
from policylint.ruleset import Element, Ruleset


@dataclass(frozen=True)
class LintOptions:
    """What the engine needs from the command line and the config."""

    message_lang: str | None = None
    select: frozenset[str] | None = None  # element ids to check; None for all
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)  # per-rule overrides
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-element option overrides
    today: _dt.date | None = None

    def enabled(self, rule: str) -> bool:
        if self.select is None and not self.ignore:
            return True  # the usual case: every rule
        if rule in self.ignore or rule.split("/")[0] in self.ignore:
            return False
        return self.select is None or rule in self.select or rule.split("/")[0] in self.select


def lint_document(doc: PolicyDocument, ruleset: Ruleset, options: LintOptions) -> FileReport:
    """All findings and the element checklist for one parsed document."""
    message_lang = options.message_lang or doc.lang
    if message_lang not in ruleset.languages:
        message_lang = "en" if "en" in ruleset.languages else ruleset.languages[0]
    report = FileReport(doc.path, doc.lang, message_lang=message_lang)
    if options.enabled("frontmatter"):
        report.findings.extend(dataclasses.replace(f, scope="file")
                               for f in frontmatter.check(doc, message_lang, options.today or _dt.date.today()))
    if doc.too_deep_line is not None:
        report.findings.append(Finding("markdown/too-deep", _lang.message(message_lang, "md-too-deep"),
                                       doc.too_deep_line, severity=Severity.WARNING))
    if options.enabled(placeholders.RULE):
        report.findings.extend(placeholders.check(doc, message_lang, options.severity.get(placeholders.RULE)))
    # Text still to be replaced is no evidence, whether or not placeholders are reported.
    doc = placeholders.evidence_view(doc)

    for element in ruleset.elements:
        if not options.enabled(element.id):
            continue
        if element.id in options.rule_options:
            element = dataclasses.replace(element, options={**element.options, **options.rule_options[element.id]})
        outcome = _run(doc, element, ruleset, message_lang)
        texts = element.text(message_lang)
        findings = list(outcome.findings)
        if outcome.status is Status.MISSING and not any(f.severity > Severity.INFO for f in findings):
            findings.insert(0, Finding(
                rule=element.id, message=texts.missing, line=doc.anchor_line,
                hint=texts.looked_for, severity=element.severity, scope="file",
            ))
        override = options.severity.get(element.id)
        if override is not None:
            findings = [dataclasses.replace(f, severity=override) if f.severity > Severity.INFO else f
                        for f in findings]
        report.findings.extend(findings)
        severity = outcome.severity if outcome.status is Status.PRESENT and outcome.severity else (
            override or element.severity)
        report.elements.append(ElementResult(
            element.id, outcome.status, severity, outcome.line, outcome.evidence, texts.title,
        ))
    today = options.today or _dt.date.today()
    report.findings = suppress.apply(doc, [f for f in report.findings if options.enabled(f.rule)], ruleset,
                                     message_lang, today, doc.anchor_line)
    report.findings = [f for f in report.findings if options.enabled(f.rule)]
    report.findings.sort(key=lambda f: (f.line, f.column, -f.severity, f.rule))
    return report


def _run(doc: PolicyDocument, element: Element, ruleset: Ruleset, message_lang: str) -> detectors.Outcome:
    module = detectors.get(element.detector)
    if element.detector == "phrasing":
        # Bans on always-forbidden content are not held against the phrasing of a
        # policy; which words those are is the business of another element.
        spec = element.options.get("exclude")
        excluded = None
        if spec:
            try:
                excluded = ruleset.element(spec["element"]).text(doc.lang).groups.get(spec["group"])
            except KeyError:
                excluded = None
        return module.check(doc, element, message_lang, excluded)  # type: ignore[no-any-return]
    return module.check(doc, element, message_lang)  # type: ignore[no-any-return]
