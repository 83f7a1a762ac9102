"""``policylint report --html``: the page's content, self-containment, escaping and exit codes."""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FRONT_MATTER_EN, REPO

EXAMPLES = REPO / "example-policy"
CSP_PREFIX = "default-src 'none'"
INCOMPLETE = FRONT_MATTER_EN + (
    "\n# Social media policy\n\nYou can share our news.\n\n"
    "A breach of this policy can lead to dismissal.\n\nTODO: ask Legal about third parties.\n")


class Page(HTMLParser):
    """The parts of the page tests read: matrix cells, tags used, visible text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], str] = {}
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []
        self.row: str | None = None
        self.in_matrix = False
        self.text: list[str] = []
        self.lang = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        self.attrs += list(a.items())
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "table" and "matrix" in a.get("class", ""):
            self.in_matrix = True
        if self.in_matrix and tag == "tr" and "data-path" in a:
            self.row = a["data-path"]
        if self.in_matrix and tag == "td" and "data-element" in a:
            assert self.row is not None
            self.cells[(self.row, a["data-element"])] = a["data-status"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_matrix = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def statuses_from_check(cli, *paths: str) -> dict[tuple[str, str], str]:
    report = json.loads(cli("check", *paths, "--format", "json").stdout)
    return {(f["path"], element): e["status"] for f in report["files"] for element, e in f["elements"].items()}


def test_matrix_has_one_cell_per_policy_and_element_matching_check(cli, write, tmp_path: Path) -> None:
    draft = write("draft.en.md", INCOMPLETE)
    out = tmp_path / "report.html"
    result = cli("report", str(EXAMPLES), str(draft), "--html", str(out))
    assert result.exit_code == 1  # like check: the draft has errors
    assert f"Wrote {out}: 3 policies." in result.stdout
    page = Page(out.read_text(encoding="utf-8"))
    assert page.cells == statuses_from_check(cli, str(EXAMPLES), str(draft))
    assert len(page.cells) == 3 * 14
    assert page.cells[(str(draft), "sanctions-work-rules")] == "violated"
    assert page.cells[(str(draft), "contact-person")] == "missing"
    assert all(page.cells[(str(p), "contact-person")] == "present" for p in sorted(EXAMPLES.glob("*.md")))


def test_complete_policies_exit_0_and_the_page_is_in_their_language(cli, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert cli("report", str(EXAMPLES / "sociale-media-beleid.nl.md"), "--html", str(out)).exit_code == 0
    page = Page(out.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert page.lang == "nl" and "Dekking van het beleid" in text and "Contactpersoon" in text
    # Mixed languages: English, unless asked otherwise.
    assert cli("report", str(EXAMPLES), "--html", str(out)).exit_code == 0
    assert Page(out.read_text(encoding="utf-8")).lang == "en"
    assert cli("report", str(EXAMPLES), "--html", str(out), "--message-lang", "nl").exit_code == 0
    assert Page(out.read_text(encoding="utf-8")).lang == "nl"


def test_drill_down_holds_evidence_for_present_and_hints_for_missing(cli, write, tmp_path: Path) -> None:
    draft = write("draft.en.md", INCOMPLETE)
    out = tmp_path / "r.html"
    cli("report", str(draft), "--html", str(out))
    html = out.read_text(encoding="utf-8")
    ambassadors = re.search(r'<details[^>]*data-element="ambassadors" data-status="present">(.*?)</details>',
                            html, re.S)
    assert ambassadors and "Found on line 15:" in ambassadors.group(1)
    assert "<blockquote>You can share our news.</blockquote>" in ambassadors.group(1)
    third = re.search(r'<details[^>]*data-element="third-parties" data-status="missing">(.*?)</details>', html, re.S)
    assert third and "This policy also applies to temps" in third.group(1)
    sanctions = re.search(r'data-element="sanctions-work-rules" data-status="violated">(.*?)</details>', html, re.S)
    assert sanctions and "not enforceable as written" in sanctions.group(1)
    assert "TODO: ask Legal about third parties." in html  # the to-do list


def test_page_is_self_contained() -> None:
    from policylint import lint_paths
    from policylint.report_html import render

    html = render(lint_paths([str(EXAMPLES)]))
    page = Page(html)
    assert page.tags.isdisjoint({"script", "link", "img", "iframe", "object", "embed", "svg", "form", "base"})
    assert not re.search(r"https?://|//[a-z]|@import|url\(|@font-face", html.replace(
        "https://policylint", ""), re.I)
    hrefs = [v for k, v in page.attrs if k in ("href", "src")]
    assert hrefs and all(v.startswith("#") for v in hrefs)
    assert ("content", CSP_PREFIX) in [(k, v[: len(CSP_PREFIX)]) for k, v in page.attrs]


def test_all_text_is_escaped(cli, write, tmp_path: Path) -> None:
    # In a code span markdown keeps the tags as text, so they reach the evidence quote.
    evil = '`<script>alert("x")</script> & <b>`'
    policy = write("a<b>&'\".md", INCOMPLETE.replace("You can share our news.", f"You can share our news {evil}."))
    out = tmp_path / "r.html"
    cli("report", str(policy), "--html", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html
    assert ("<blockquote>You can share our news &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
            "&amp; &lt;b&gt;.</blockquote>") in html
    assert 'data-path="' + str(tmp_path).replace("&", "&amp;") + "/a&lt;b&gt;&amp;&#x27;&quot;.md\"" in html


def test_unreadable_paths_are_listed_and_exit_2(cli, write, tmp_path: Path) -> None:
    good = write("ok.en.md", INCOMPLETE)
    bad = write("bad.md", b"\xff\xfe\x00oops" * 3)
    out = tmp_path / "r.html"
    result = cli("report", str(good), str(bad), str(tmp_path / "gone.md"), "--html", str(out))
    assert result.exit_code == 2
    page = Page(out.read_text(encoding="utf-8"))
    assert "Could not be read" in page.text and "no such file or folder" in " ".join(page.text)
    assert {row for row, _ in page.cells} == {str(good)}


def test_output_is_replaced_atomically_and_write_errors_exit_2(cli, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")
    assert cli("report", str(EXAMPLES), "--html", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(os.listdir(tmp_path)) == ["r.html"]
    result = cli("report", str(EXAMPLES), "--html", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 2 and "cannot write the report" in result.stderr
    result = cli("report", str(EXAMPLES), "--html", str(tmp_path))
    assert result.exit_code == 2


def test_fail_on_and_empty_folder(cli, write, tmp_path: Path) -> None:
    draft = write("d/draft.en.md", INCOMPLETE)
    out = tmp_path / "r.html"
    assert cli("report", str(draft), "--html", str(out), "--fail-on", "never").exit_code == 0
    (tmp_path / "empty").mkdir()
    assert cli("report", str(tmp_path / "empty"), "--html", str(out)).exit_code == 0
    assert "No policies were found." in out.read_text(encoding="utf-8")


def test_check_can_print_the_same_page(cli) -> None:
    result = cli("check", str(EXAMPLES), "--format", "html")
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
    assert len(Page(result.stdout).cells) == 2 * 14


@pytest.mark.parametrize("missing", ["--html"])
def test_html_option_is_required(cli, missing: str) -> None:
    result = cli("report", str(EXAMPLES))
    assert result.exit_code == 2 and missing in result.stderr


def test_matrix_names_are_file_names_with_folders_only_where_needed() -> None:
    from policylint.findings import FileReport
    from policylint.report_html import display_names

    paths = ["hr/nl/beleid.md", "sales/nl/beleid.md", "hr/policy.md", "policy.md", "/srv/other.md"]
    assert display_names([FileReport(p) for p in paths]) == [
        "hr/nl/beleid.md", "sales/nl/beleid.md", "hr/policy.md", "policy.md", "other.md"]
