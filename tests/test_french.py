"""French is a data-only language: vocabularies, messages and explanations, no code of its own."""
from __future__ import annotations

from pathlib import Path

from conftest import json_report

FIXTURES = Path(__file__).parent / "fixtures" / "fr"


def test_every_element_is_found_in_a_complete_french_policy(cli) -> None:
    result = cli("check", str(FIXTURES / "politique-complete.fr.md"), "--format", "json")
    file = json_report(result)["files"][0]
    assert file["lang"] == "fr"
    assert {k: v["status"] for k, v in file["elements"].items() if v["status"] != "present"} == {}
    assert file["elements"]["contact-person"]["line"] == 60
    assert file["elements"]["sanctions-work-rules"]["evidence"].startswith("Un manquement à cette politique")
    assert result.exit_code == 0


def test_incomplete_french_policy_in_french_words(cli) -> None:
    result = cli("check", str(FIXTURES / "politique-incomplete.fr.md"), "--format", "json")
    file = json_report(result)["files"][0]
    status = {k: v["status"] for k, v in file["elements"].items()}
    assert status["sanctions-work-rules"] == "violated"
    assert status["working-hours"] == "present"
    assert status["positive-phrasing"] == "missing"
    assert status["third-parties"] == status["contact-person"] == "missing"
    by_rule = {(f["rule"], f["line"]): f for f in file["findings"]}
    assert by_rule[("working-hours", 15)]["severity"] == "warning"
    assert "interdiction totale" in by_rule[("working-hours", 15)]["message"]
    assert "règlement de travail" in by_rule[("sanctions-work-rules", 18)]["message"]
    assert by_rule[("third-parties", 11)]["message"].startswith("La politique ne dit pas")
    bans = sorted(line for rule, line in by_rule if rule == "positive-phrasing" and line > 11)
    assert bans == [15, 16, 17]


def test_text_report_speaks_french(cli) -> None:
    result = cli("check", str(FIXTURES / "politique-incomplete.fr.md"))
    assert "éléments présents sur 14" in result.stdout
    assert "fichier(s) vérifié(s)" in result.stdout
    assert "\u2717 contact-person        Personne de contact \u2014 manquant" in result.stdout


def test_french_is_detected_without_front_matter(cli, write) -> None:
    path = write("p.md", "# Réseaux sociaux\n\nVous pouvez partager nos actualités avec votre réseau "
                         "et nous vous encourageons à le faire.\n")
    assert json_report(cli("check", str(path), "--format", "json"))["files"][0]["lang"] == "fr"


def test_message_lang_fr_for_an_english_policy(cli, write) -> None:
    path = write("p.md", "---\nlang: en\n---\nYou can share our news.\n")
    assert "Il n'y a pas de personne de contact" in cli("check", str(path), "--message-lang", "fr").stdout


def test_french_ruleset_file_is_all_it_takes() -> None:
    """Every element of the built-in ruleset has French texts and phrases."""
    from policylint.ruleset import load

    ruleset = load()
    assert "fr" in ruleset.languages
    for element in ruleset.elements:
        text = element.texts["fr"]
        assert text.title and text.missing and text.why and text.example, element.id
        assert text.groups or element.detector == "phrasing", element.id
