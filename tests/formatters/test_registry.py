"""The format registry: every format is a CLI choice, loads lazily, and knows every rule."""
from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys

import pytest

from policylint import lang as _lang
from policylint.formatters import FORMATS
from policylint.frontmatter import RULES

from conftest import REPO

CI_FORMATS = ["github", "sarif", "rdjson", "rdjsonl", "gitlab", "junit"]


def test_ci_formats_are_registered_and_offered_by_the_cli(cli) -> None:
    assert set(CI_FORMATS) | {"text", "json", "html"} == set(FORMATS)
    help_text = cli("check", "--help").stdout
    for name in FORMATS:
        assert name in help_text
        assert hasattr(importlib.import_module(FORMATS[name]), "Formatter")


def test_unknown_format_is_a_usage_error(cli) -> None:
    result = cli("check", "--format", "xml", ".")
    assert result.exit_code == 2 and "xml" in result.stderr


@pytest.mark.parametrize("name", list(FORMATS))
def test_creating_a_formatter_imports_nothing_heavy(name: str) -> None:
    code = (
        "import io, json, sys\n"
        "from policylint.formatters import create\n"
        f"create({name!r}, io.StringIO())\n"
        "heavy = ('jsonschema', 'xml.etree.ElementTree', 'policylint.ruleset')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                       cwd=REPO).stdout)
    assert loaded == (["xml.etree.ElementTree"] if name == "junit" else [])


def test_every_front_matter_rule_in_the_code_is_listed_and_described() -> None:
    found = set()
    for path in (REPO / "policylint").rglob("*.py"):
        found |= set(re.findall(r"[\"'](frontmatter/[a-z-]+)[\"']", path.read_text(encoding="utf-8")))
    assert found == set(RULES)
    for code in _lang.available():
        messages = _lang.data(code)["messages"]
        assert all(f"rule-{rule}" in messages for rule in RULES), code
        assert "rule-frontmatter-help" in messages and "frontmatter-title" in messages


def test_a_report_rendered_in_a_worker_is_written_and_counted_as_the_report_itself() -> None:
    import io
    from pathlib import Path

    from policylint import formatters, runner

    render = formatters.renderer("json")
    assert render is not None
    assert formatters.renderer("sarif") is None  # a format that needs the whole run renders nothing early
    policies = sorted((Path(REPO) / "tests" / "cases").rglob("*.md"))[:12]
    reports = [runner.lint_file(str(path), runner.Settings(cache=False)) for path in policies]
    assert sum(bool(r.findings) for r in reports) >= 6  # findings of several kinds to count
    direct, early = io.StringIO(), io.StringIO()
    totals, early_totals = formatters.Summary(), formatters.Summary()
    first, second = formatters.create("json", direct), formatters.create("json", early)
    for report in reports:
        rendered = formatters.Rendered.of(report, render)
        assert rendered.worst == report.worst and rendered.path == report.path
        first.file(report)
        second.rendered(rendered.text)  # type: ignore[attr-defined]
        totals.add(report)
        early_totals.add(rendered)
    first.finish(totals)
    second.finish(early_totals)
    assert totals == early_totals and totals.files == 12
    assert direct.getvalue() == early.getvalue()
    assert json.loads(direct.getvalue())["summary"]["errors"] == totals.by_severity[formatters.Severity.ERROR] > 0
