"""The HTML report in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Playwright's own browser download is not used: the test launches the system
browser by path. Without it the test is skipped locally and fails in CI
(``CI=true``), where ``.ci/run`` installs it.
"""
from __future__ import annotations

import json
import os
from typing import Any

import pytest

from conftest import FRONT_MATTER_EN, REPO

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
EXAMPLES = REPO / "example-policy"
DRAFT = FRONT_MATTER_EN + (
    "\n# Social media policy\n\nYou can share our news and vacancies with your network.\n\n"
    "A breach of this policy can lead to dismissal.\n\n[[Contact person: write your text here]]\n")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; CI must provide it (.ci/run installs Debian's chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Any:
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The page for the two example policies and one incomplete draft, and check's verdicts."""
    from click.testing import CliRunner

    from policylint.cli import main

    folder = tmp_path_factory.mktemp("report")
    draft = folder / "draft.en.md"
    draft.write_text(DRAFT, encoding="utf-8")
    out = folder / "report.html"
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(EXAMPLES), str(draft), "--html", str(out)])
    assert result.exit_code == 1, result.output
    checked = json.loads(runner.invoke(main, ["check", str(EXAMPLES), str(draft), "-f", "json"]).stdout)
    expected = {(f["path"], el): e["status"] for f in checked["files"] for el, e in f["elements"].items()}
    evidence = {(f["path"], el): e["evidence"] for f in checked["files"] for el, e in f["elements"].items()}
    return {"path": out, "url": out.as_uri(), "expected": expected, "evidence": evidence, "draft": str(draft)}


def open_page(browser: Any, url: str, **context: Any) -> tuple[Any, list[str], list[str]]:
    """A new page at ``url``, recording every request and every console error."""
    page = browser.new_page(**context)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    return page, requests, errors


def test_loads_offline_without_errors_and_matrix_matches_check(browser: Any, report: dict[str, Any]) -> None:
    page, requests, errors = open_page(browser, report["url"], viewport={"width": 1280, "height": 900})
    page.wait_for_timeout(300)  # let anything late (fonts, prefetches) show itself
    assert requests == [report["url"]], "the page fetched something besides itself"
    assert errors == []
    cells = page.eval_on_selector_all(
        "table.matrix td[data-element]",
        "tds => tds.map(td => [td.closest('tr').dataset.path, td.dataset.element, td.dataset.status,"
        " td.innerText.trim()])")
    assert {(p, e): s for p, e, s, _ in cells} == report["expected"]
    assert len(cells) == 3 * 14
    symbols = {"present": "\u2713", "missing": "\u2717", "violated": "!"}
    assert all(text == symbols[status] for _, _, status, text in cells)  # readable without colour
    draft = report["draft"]
    assert {e: s for p, e, s, _ in cells if p == draft}["sanctions-work-rules"] == "violated"
    assert all(s == "present" for p, _, s, _ in cells if p != draft)
    # Colour differs by status too (the symbol is not the only cue, nor the colour).
    colours = {s: page.eval_on_selector(f'td[data-status="{s}"]', "td => getComputedStyle(td).backgroundColor")
               for s in symbols}
    assert len(set(colours.values())) == 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-desktop.png"), full_page=True)
    page.close()


def test_drill_down_opens_on_click_and_from_the_matrix(browser: Any, report: dict[str, Any]) -> None:
    page, requests, errors = open_page(browser, report["url"], viewport={"width": 1280, "height": 900})
    details = page.locator("section.policy-card", has_text="social-media-policy.en.md").locator(
        'details[data-element="contact-person"]')
    quote = details.locator("blockquote")
    evidence = report["evidence"][(str(EXAMPLES / "social-media-policy.en.md"), "contact-person")]
    assert "niamh.osullivan@brightwater.example" in evidence
    assert quote.text_content() == evidence
    assert not quote.is_visible()
    details.locator("summary").click()
    assert quote.is_visible() and quote.inner_text() == evidence
    assert details.locator("p", has_text="Found on line").is_visible()
    # A missing element of the draft shows the hint once opened, reached from its matrix cell.
    cell = page.locator(f'tr[data-path="{report["draft"]}"] td[data-element="third-parties"] a')
    hint = page.locator("section.policy-card", has_text="draft.en.md").locator(
        'details[data-element="third-parties"] .hint-main')
    assert not hint.is_visible()
    cell.click()
    assert hint.is_visible() and "also applies to" in hint.inner_text()
    assert requests == [report["url"]] and errors == []
    page.close()


def test_phone_width_scrolls_the_matrix_not_the_page(browser: Any, report: dict[str, Any]) -> None:
    page, requests, errors = open_page(browser, report["url"], viewport={"width": 390, "height": 844},
                                       device_scale_factor=2, is_mobile=True, has_touch=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]")
    assert max(widths[:2]) <= widths[2], widths
    scroller = page.locator("div.scroll.fit")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # the matrix itself scrolls
    first = page.locator("table.matrix tbody th.policy").first
    before = first.bounding_box()
    scroller.evaluate("el => { el.scrollLeft = 300; }")
    page.wait_for_timeout(100)
    after = first.bounding_box()
    assert before and after and abs(before["x"] - after["x"]) < 1  # the policy column stays put
    cell = page.locator("table.matrix td[data-element='confidentiality']").first.bounding_box()
    assert cell and cell["x"] < 390  # and the far columns came into view
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"))
    assert requests == [report["url"]] and errors == []
    page.close()


def test_print_shows_every_drill_down(browser: Any, report: dict[str, Any]) -> None:
    page, _, errors = open_page(browser, report["url"])
    quote = page.locator("section.policy-card", has_text="sociale-media-beleid.nl.md").locator(
        'details[data-element="third-parties"] blockquote')
    assert not quote.is_visible()
    page.emulate_media(media="print")
    assert quote.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and errors == []
    page.close()
