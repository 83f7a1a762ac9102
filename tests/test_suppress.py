"""Suppression comments and front matter ignores, and the warnings that keep them honest."""
from __future__ import annotations

from conftest import FRONT_MATTER_EN, json_report

BODY = """
# Social media policy

You can share our news.
Never post photos of the warehouse.
"""


def findings(cli, write, text: str, *extra: str) -> list[tuple[str, int, str]]:
    path = write("p.en.md", text)
    report = json_report(cli("check", str(path), "--format", "json", *extra))
    return [(f["rule"], f["line"], f["severity"]) for f in report["files"][0]["findings"]]


def test_ban_is_reported_without_suppression(cli, write) -> None:
    assert ("positive-phrasing", 16, "info") in findings(cli, write, FRONT_MATTER_EN + BODY)


def test_disable_next_line_with_reason(cli, write) -> None:
    text = FRONT_MATTER_EN + BODY.replace(
        "Never post", "<!-- policylint-disable-next-line positive-phrasing -- required by the insurer -->\nNever post")
    result = findings(cli, write, text)
    assert not [f for f in result if f[0] == "positive-phrasing" and f[1] == 17]
    assert not [f for f in result if f[0].startswith("suppression/")]


def test_suppression_without_reason_is_a_warning(cli, write) -> None:
    text = FRONT_MATTER_EN + BODY.replace(
        "Never post", "<!-- policylint-disable-next-line positive-phrasing -->\nNever post")
    result = findings(cli, write, text)
    assert ("suppression/no-reason", 16, "warning") in result
    assert not [f for f in result if f[0] == "positive-phrasing" and f[1] == 17]


def test_unused_suppression_is_a_warning(cli, write) -> None:
    text = FRONT_MATTER_EN + BODY.replace(
        "You can share", "<!-- policylint-disable-next-line positive-phrasing -- habit -->\nYou can share")
    assert ("suppression/unused", 15, "warning") in findings(cli, write, text)


def test_disable_enable_range(cli, write) -> None:
    text = FRONT_MATTER_EN + """
<!-- policylint-disable positive-phrasing -- quoted from the collective agreement -->
Never post photos of the warehouse.
Never share the rota.
<!-- policylint-enable positive-phrasing -->
Never mention suppliers.
"""
    result = findings(cli, write, text)
    bans = sorted(line for rule, line, sev in result if rule == "positive-phrasing" and sev == "info")
    assert bans == [17]


def test_front_matter_ignore_with_future_until_silences_a_missing_element(cli, write) -> None:
    entry = '{rule: strategy-link, reason: "strategy in the making", until: 2099-01-01}'
    text = FRONT_MATTER_EN.replace("contact:", f"policylint:\n  ignore:\n    - {entry}\ncontact:", 1) + BODY
    result = findings(cli, write, text)
    assert "strategy-link" not in [f[0] for f in result]
    assert not [f for f in result if f[0].startswith("suppression/")]


def test_expired_until_shows_the_finding_again(cli, write) -> None:
    entry = '{rule: strategy-link, reason: "later", until: 2020-01-01}'
    text = FRONT_MATTER_EN.replace("contact:", f"policylint:\n  ignore:\n    - {entry}\ncontact:", 1) + BODY
    result = findings(cli, write, text)
    assert ("suppression/expired", 8, "warning") in result
    assert "strategy-link" in [f[0] for f in result]


def test_disable_file_covers_missing_elements(cli, write) -> None:
    text = FRONT_MATTER_EN + "<!-- policylint-disable-file strategy-link -- internal-only policy -->\n" + BODY
    result = findings(cli, write, text)
    assert "strategy-link" not in [f[0] for f in result]
    assert not [f for f in result if f[0].startswith("suppression/")]


def test_line_directive_cannot_silence_a_file_level_finding(cli, write) -> None:
    text = FRONT_MATTER_EN + "<!-- policylint-disable strategy-link -- why not -->\n" + BODY
    result = findings(cli, write, text)
    assert ("strategy-link", 11, "warning") in result
    assert ("suppression/unused", 12, "warning") in result


def test_unknown_rule_in_a_directive(cli, write) -> None:
    text = FRONT_MATTER_EN + BODY.replace(
        "Never post", "<!-- policylint-disable-next-line positive-phrasng -- typo -->\nNever post")
    assert ("suppression/unknown-rule", 16, "warning") in findings(cli, write, text)


def test_unsuppressible_element_stays_and_says_so(cli, write, tmp_path) -> None:
    (tmp_path / "strict.yaml").write_text(
        "extends: social-media\nelements:\n  - id: contact-person\n    suppressible: false\n", encoding="utf-8")
    (tmp_path / ".policylint.yaml").write_text("ruleset: strict.yaml\n", encoding="utf-8")
    text = FRONT_MATTER_EN + "<!-- policylint-disable-file contact-person -- no time -->\n" + BODY
    result = findings(cli, write, text)
    assert ("contact-person", 11, "error") in result
    assert ("suppression/not-allowed", 12, "warning") in result


def test_directives_in_dutch_messages(cli, write) -> None:
    text = (FRONT_MATTER_EN.replace("lang: en", "lang: nl")
            + "\n<!-- policylint-disable-next-line positive-phrasing -->\nDeel nooit foto's.\n")
    path = write("p.nl.md", text)
    out = cli("check", str(path)).stdout
    assert "Deze uitzondering geeft geen reden" in out


def test_comment_text_is_not_policy_text(cli, write) -> None:
    text = FRONT_MATTER_EN + "<!--\nQuestions? Mail hr@example.com, our HR team.\n-->\n" + BODY
    path = write("p.en.md", text)
    report = json_report(cli("check", str(path), "--format", "json"))
    assert report["files"][0]["elements"]["contact-person"]["status"] == "missing"
