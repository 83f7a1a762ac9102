"""Self-documenting rules: ``policylint rules`` lists them, ``policylint explain RULE`` teaches one.

Everything shown comes from the ruleset and the language files, so a team's
own ruleset documents itself the same way as the built-in one.
"""
from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from policylint import lang as _lang
from policylint.cli import LANGS, exit_with
from policylint.errors import PolicylintError
from policylint.findings import Severity
from policylint.ruleset import Element, Ruleset, RulesetSpec, load

SUPPRESSION_RULES: dict[str, Severity] = {
    "suppression/no-reason": Severity.WARNING,
    "suppression/unused": Severity.WARNING,
    "suppression/expired": Severity.WARNING,
    "suppression/unknown-rule": Severity.WARNING,
    "suppression/not-allowed": Severity.WARNING,
}


def builtin_checks() -> dict[str, Severity]:
    """Checks that are not elements: front matter, suppressions, placeholders."""
    from policylint import frontmatter, placeholders

    return {**frontmatter.RULES, **SUPPRESSION_RULES, placeholders.RULE: placeholders.SEVERITY,
            "markdown/too-deep": Severity.WARNING}


def _ruleset(spec: str | None) -> Ruleset:
    if spec is None:
        from policylint.config import settings_for
        from policylint.runner import Settings

        # The ruleset the current folder's config selects, as `check` would use.
        return load(settings_for(".", Settings()).ruleset)
    return load(RulesetSpec(spec))


def rule_records(ruleset: Ruleset, code: str) -> list[dict[str, Any]]:
    """One record per rule: elements first, then the built-in checks."""
    records: list[dict[str, Any]] = []
    for element in ruleset.elements:
        text = element.text(code)
        records.append({
            "id": element.id, "kind": "required" if element.required else "recommended",
            "severity": str(element.severity), "languages": sorted(element.texts),
            "title": text.title, "summary": text.summary, "suppressible": element.suppressible,
        })
    for rule, severity in builtin_checks().items():
        records.append({
            "id": rule, "kind": "check", "severity": str(severity), "languages": sorted(ruleset.languages),
            "title": rule, "summary": _lang.message(code, f"rule-{rule}"), "suppressible": True,
        })
    return records


def write_rules(ruleset: Ruleset, code: str, fmt: str, out: TextIO) -> None:
    records = rule_records(ruleset, code)
    if fmt == "json":
        out.write(json.dumps({"ruleset": ruleset.name, "languages": list(ruleset.languages), "rules": records},
                             ensure_ascii=False, indent=2) + "\n")
        return

    def msg(key: str, **values: Any) -> str:
        return _lang.message(code, key, **values)

    kinds = {"required": msg("rules-required"), "recommended": msg("rules-recommended"), "check": msg("rules-check")}
    width = max(len(r["id"]) for r in records)
    header = (f"{msg('rules-col-id'):<{width}}  {msg('rules-col-severity'):<8}  {msg('rules-col-kind'):<12}  "
              f"{msg('rules-col-languages'):<9}  {msg('rules-col-summary')}")
    elements = [r for r in records if r["kind"] != "check"]
    checks = [r for r in records if r["kind"] == "check"]
    for title, group in ((msg("rules-heading-elements", name=ruleset.name), elements),
                         (msg("rules-heading-checks"), checks)):
        out.write(f"{title}\n\n{header}\n")
        for r in group:
            out.write(f"{r['id']:<{width}}  {msg('severity-' + r['severity']):<8}  {kinds[r['kind']]:<12}  "
                      f"{','.join(r['languages']):<9}  {r['summary']}\n")
        out.write("\n")


def explain_rule(ruleset: Ruleset, rule: str, code: str, out: TextIO) -> None:
    """Why an element matters, what counts as evidence, a good example, how to fix it."""
    def msg(key: str, **values: Any) -> str:
        return _lang.message(code, key, **values)

    try:
        element: Element = ruleset.element(rule)
    except KeyError:
        checks = builtin_checks()
        if rule not in checks:
            raise PolicylintError(msg("explain-unknown", rule=rule, name=ruleset.name)) from None
        out.write(f"{rule} ({checks[rule]})\n\n{msg(f'rule-{rule}')}\n")
        return
    text = element.text(code)
    kind = msg("rules-required" if element.required else "rules-recommended")
    out.write(f"{text.title} ({element.id})\n")
    out.write(msg("explain-severity", kind=kind, severity=msg(f"severity-{element.severity}"),
                  detector=element.detector) + "\n\n")
    if text.summary:
        out.write(text.summary + "\n\n")
    for heading, body in (("explain-why", text.why), ("explain-evidence", text.looked_for),
                          ("explain-example", text.example), ("explain-fix", text.hint)):
        if body:
            out.write(f"{msg(heading)}\n  {body.strip()}\n\n")
    out.write(msg("explain-suppress" if element.suppressible else "explain-not-suppressible", rule=element.id) + "\n")


_RULESET_HELP = "A built-in ruleset name or a ruleset file (default: the one the current folder's config selects)."


@click.command("rules")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", "code", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of titles and summaries.")
@click.option("--ruleset", "spec", default=None, help=_RULESET_HELP)
def rules_command(fmt: str, code: str, spec: str | None) -> None:
    """List the rules: elements of the ruleset and the other checks."""
    def body() -> int:
        write_rules(_ruleset(spec), code, fmt, sys.stdout)
        return 0

    exit_with(body)


@click.command("explain")
@click.argument("rule")
@click.option("--lang", "code", type=click.Choice(LANGS), default="en", show_default=True,
              help="Language of the explanation.")
@click.option("--ruleset", "spec", default=None, help=_RULESET_HELP)
def explain_command(rule: str, code: str, spec: str | None) -> None:
    """Explain one rule: why it matters, what counts as evidence, a good example."""
    def body() -> int:
        explain_rule(_ruleset(spec), rule, code, sys.stdout)
        return 0

    exit_with(body)
