"""Check the front matter against schemas/policy.schema.json, in words an author understands."""
from __future__ import annotations

import datetime as _dt
import functools
from typing import Any

from policylint import lang as _lang
from policylint import quickschema
from policylint.document import PolicyDocument
from policylint.findings import Finding, Severity
from policylint.parse import YAML_TAB, YAML_UNCLOSED_QUOTE, json_ready

SCHEMA = "policy.schema.json"
_WARNING_PROBLEMS = {"frontmatter/duplicate-key"}

# Every rule reported here or by parse.py, with its severity: CI formats (SARIF)
# list each rule that can occur, and a test keeps this table complete.
RULES: dict[str, Severity] = {
    "frontmatter/missing": Severity.ERROR,
    "frontmatter/unclosed": Severity.ERROR,
    "frontmatter/empty": Severity.ERROR,
    "frontmatter/not-a-mapping": Severity.ERROR,
    "frontmatter/too-complex": Severity.ERROR,
    "frontmatter/too-deep": Severity.ERROR,
    "frontmatter/toml": Severity.ERROR,
    "frontmatter/yaml": Severity.ERROR,
    "frontmatter/duplicate-key": Severity.WARNING,
    "frontmatter/required": Severity.ERROR,
    "frontmatter/value": Severity.ERROR,
    "frontmatter/type": Severity.ERROR,
    "frontmatter/format": Severity.ERROR,
    "frontmatter/review-overdue": Severity.WARNING,
}


@functools.lru_cache(maxsize=1)
def _schema() -> Any:
    from policylint.schemas import load

    return load(SCHEMA)


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    # jsonschema is the slowest import we have: needed only when the schema uses a
    # keyword that quickschema does not check.
    import jsonschema

    schema = _schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check(doc: PolicyDocument, message_lang: str, today: _dt.date) -> list[Finding]:
    """All front matter findings of one document."""
    def msg(message_id: str, **values: Any) -> str:
        return _lang.message(message_lang, message_id, **values)

    fm = doc.front_matter
    if fm is None:
        return [Finding("frontmatter/missing", msg("fm-missing"), 1, hint=msg("fm-missing-hint"))]
    findings = [
        Finding(rule, msg(_message_id(rule, detail), detail=detail), line,
                severity=Severity.WARNING if rule in _WARNING_PROBLEMS else Severity.ERROR)
        for rule, line, detail in fm.problems
    ]
    if fm.data is None:
        return findings
    data = json_ready(fm.data)
    try:
        errors: list[Any] = list(quickschema.iter_errors(data, _schema()))
    except quickschema.Unsupported:
        errors = list(_validator().iter_errors(data))
    for error in sorted(errors, key=lambda e: list(map(str, e.path))):
        for finding in _translate(error, fm.start_line, fm.key_lines, msg):
            # jsonschema reports each missing key of one `required` separately, and
            # _translate lists them all every time: keep each finding once.
            if finding not in findings:
                findings.append(finding)
    review = fm.data.get("review")
    if isinstance(review, _dt.date) and review < today:
        line = fm.key_lines.get("review", fm.start_line)
        findings.append(Finding("frontmatter/review-overdue", msg("fm-review-overdue", date=review.isoformat()),
                                line, severity=Severity.WARNING, hint=msg("fm-review-overdue-hint")))
    return findings


def _message_id(rule: str, detail: str) -> str:
    """The message of a parse problem; some YAML errors have a message of their own."""
    if rule == "frontmatter/yaml" and detail in (YAML_UNCLOSED_QUOTE, YAML_TAB):
        return f"fm-yaml-{detail}"
    return rule.replace("frontmatter/", "fm-")


def _translate(error: Any, start: int, key_lines: dict[str, int], msg: Any) -> list[Finding]:
    """One jsonschema error as findings with a line and a plain-language message."""
    path = ".".join(str(p) for p in error.path)
    line = key_lines.get(path, start)
    custom = error.schema.get("x-message") if isinstance(error.schema, dict) else None
    if error.validator == "required":
        # jsonschema reports one error per missing key, each carrying the whole list:
        # take the key this error is about from its message, not every missing one.
        named = [n for n in error.validator_value if repr(n) in str(error.message)]
        findings = []
        for name in named[:1] or error.validator_value:
            if isinstance(error.instance, dict) and name not in error.instance:
                key = f"{path}.{name}" if path else name
                text = _lang.message_or_none(msg, f"fm-required-{key}") or msg("fm-required", key=key)
                findings.append(Finding("frontmatter/required", text, line))
        return findings
    if custom:
        return [Finding("frontmatter/value", msg(f"fm-{custom}", key=path), line)]
    if error.validator == "type":
        value = error.validator_value
        expected = value if isinstance(value, str) else " / ".join(value)
        return [Finding("frontmatter/type", msg("fm-type", key=path, expected=msg(f"type-{expected}")
                                               if " " not in expected else expected,
                                               value=_short(error.instance)), line)]
    if error.validator == "format":
        return [Finding("frontmatter/format", msg(f"fm-format-{error.validator_value}", key=path,
                                                  value=_short(error.instance)), line)]
    if error.validator == "enum":
        choices = ", ".join(str(v) for v in error.validator_value)
        return [Finding("frontmatter/value", msg("fm-enum", key=path, choices=choices,
                                                 value=_short(error.instance)), line)]
    if error.validator in ("minLength", "minProperties"):
        return [Finding("frontmatter/value", msg("fm-blank", key=path), line)]
    return [Finding("frontmatter/value", msg("fm-invalid", key=path or "front matter", detail=error.message), line)]


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."
