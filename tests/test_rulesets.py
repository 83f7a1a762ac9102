"""Rule packs as data: the second built-in ruleset, extending and replacing rulesets, and bad rulesets."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from policylint.errors import ConfigError
from policylint.phrases import phrase_regex
from policylint.ruleset import RulesetSpec, builtin_names, load

from conftest import FRONT_MATTER_EN, json_report

FIXTURES = Path(__file__).parent / "fixtures" / "remote-work"
INCOMPLETE = FRONT_MATTER_EN + "\n# Social media policy\n\nYou can share our news.\n"


def statuses(result) -> dict[str, dict[str, str]]:
    return {Path(f["path"]).name: {k: v["status"] for k, v in f["elements"].items()}
            for f in json_report(result)["files"]}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_two_built_in_rulesets() -> None:
    assert {"social-media", "remote-work"} <= set(builtin_names())
    remote = load("remote-work")
    assert [e.id for e in remote.elements] == [
        "eligibility", "availability", "equipment-costs", "workplace-wellbeing", "data-security"]
    assert set(remote.languages) == {"en", "nl", "fr"}


@pytest.mark.parametrize("name", builtin_names())
def test_built_in_rulesets_compile_a_language_on_first_use_and_every_language_compiles(name: str) -> None:
    from policylint.ruleset import _load_cached

    rules = _load_cached.__wrapped__(RulesetSpec(name))  # a fresh compile, not the one other tests warmed
    assert all(language._texts is None for language in _languages(rules))  # nothing compiled at load
    first = rules.elements[0]
    first.text("nl")
    compiled = {code for code, language in zip(rules.languages, _languages(rules), strict=True)
                if language._texts is not None}
    assert compiled == {"nl"}
    raw = rules.elements[0].texts._languages["nl"]._raw
    assert set(raw.pending) == set(rules.languages) - {"nl"}  # the other language files were not even read
    for code in rules.languages:
        groups = [g for element in rules.elements if code in element.texts
                  for g in element.texts[code].all_groups()]
        assert groups and len({id(g.index) for g in groups}) == 1  # one index per language
        assert sorted(g.gid for g in groups) == list(range(len(groups)))


@pytest.mark.parametrize("name", builtin_names())
def test_built_in_rulesets_pass_every_check_a_users_ruleset_gets(name: str, tmp_path: Path) -> None:
    """Copied out of the package they are not trusted: schema, options, groups and phrases are all checked."""
    import shutil

    from policylint.ruleset import builtin_path

    folder = Path(builtin_path(name)).parent
    for source in folder.glob(f"{name}*.yaml"):
        shutil.copy(source, tmp_path / source.name)
    rules = load(RulesetSpec(str(tmp_path / f"{name}.yaml")))
    assert [e.id for e in rules.elements] == [e.id for e in load(name).elements]
    assert all(language._texts is not None for language in _languages(rules))  # compiled at load
    assert not rules.elements[0].texts._languages["nl"]._raw.pending


def _languages(rules):
    texts = rules.elements[0].texts
    return [texts._languages[code] for code in rules.languages]


def test_front_matter_kind_selects_the_remote_work_ruleset(cli) -> None:
    result = statuses(cli("check", str(FIXTURES), "--format", "json"))
    assert result["thuiswerk.nl.md"] == {
        "eligibility": "present", "availability": "present", "equipment-costs": "present",
        "workplace-wellbeing": "missing", "data-security": "missing"}
    assert result["remote.en.md"]["eligibility"] == "present"
    assert result["remote.en.md"]["data-security"] == "present"
    assert result["remote.en.md"]["availability"] == "missing"


def test_config_selects_a_ruleset_per_folder(cli, write, project) -> None:
    write("telework/.policylint.yaml", "ruleset: remote-work\n")
    write("telework/policy.en.md", (FIXTURES / "remote.en.md").read_text().replace("kind: remote-work\n", ""))
    write("social/policy.en.md", INCOMPLETE)
    result = statuses(cli("check", ".", "--format", "json"))
    assert "eligibility" in result["policy.en.md"] or "contact-person" in result["policy.en.md"]
    report = json_report(cli("check", ".", "--format", "json"))
    by_folder = {Path(f["path"]).parent.name: set(f["elements"]) for f in report["files"]}
    assert "eligibility" in by_folder["telework"] and "contact-person" in by_folder["social"]


def test_config_maps_a_kind_to_a_ruleset_file(cli, write, project) -> None:
    write("byod.yaml", """\
name: byod
languages: [en]
elements:
  - id: device-security
    required: true
    severity: error
    options: {any_of: [[device, lock]]}
texts:
  en:
    elements:
      device-security:
        title: Device security
        missing: "The policy does not say how personal devices are secured."
        phrases:
          device: [phone, laptop, device*]
          lock: [pin, passcode, "screen lock", encrypt*]
""")
    write(".policylint.yaml", "rulesets:\n  byod: byod.yaml\n")
    write("p.en.md", FRONT_MATTER_EN.replace("lang: en", "lang: en\nkind: byod")
          + "\nProtect your phone with a passcode.\n")
    write("q.en.md", FRONT_MATTER_EN.replace("lang: en", "lang: en\nkind: byod") + "\nBring your own laptop.\n")
    result = statuses(cli("check", ".", "--format", "json"))
    assert result["p.en.md"] == {"device-security": "present"}
    assert result["q.en.md"] == {"device-security": "missing"}
    report = json_report(cli("check", "q.en.md", "--format", "json"))
    assert "personal devices are secured" in report["files"][0]["findings"][0]["message"] or any(
        "personal devices are secured" in f["message"] for f in report["files"][0]["findings"])


def test_extended_ruleset_adds_phrases_changes_severity_and_adds_an_element(cli, write, project) -> None:
    write("ours.yaml", """\
extends: social-media
elements:
  - id: working-hours
    severity: warning
  - id: hashtag
    severity: info
    options: {any_of: [[tag]]}
remove: [ambassadors]
texts:
  en:
    elements:
      contact-person:
        phrases:
          reach: ["the front desk"]
      hashtag:
        title: Company hashtag
        missing: "Mention the company hashtag."
        phrases:
          tag: ["#lifeatacme"]
""")
    write(".policylint.yaml", "ruleset: ours.yaml\n")
    write("p.en.md", INCOMPLETE + "Questions? Ask the HR team at the front desk.\nUse #LifeAtAcme.\n")
    report = json_report(cli("check", "p.en.md", "--format", "json"))["files"][0]
    assert report["elements"]["contact-person"]["status"] == "present"
    assert report["elements"]["hashtag"]["status"] == "present"
    assert "ambassadors" not in report["elements"]
    assert report["elements"]["working-hours"]["severity"] == "warning"
    assert {"rule": "working-hours", "severity": "warning"}.items() <= next(
        f for f in report["findings"] if f["rule"] == "working-hours").items()


def test_replaced_ruleset_from_a_file_beside_its_language_files(cli, write, project) -> None:
    write("rules/short.yaml", "name: short\nlanguages: [en]\nelements:\n"
          "  - id: purpose\n    required: true\n    severity: error\n    options: {any_of: [[why]]}\n")
    write("rules/short.en.yaml", "elements:\n  purpose:\n    title: Purpose\n    missing: No purpose.\n"
          "    phrases:\n      why: [\"this policy exists\"]\n")
    write(".policylint.yaml", "ruleset: rules/short.yaml\n")
    write("p.en.md", INCOMPLETE)
    report = json_report(cli("check", "p.en.md", "--format", "json"))["files"][0]
    assert report["elements"] == {"purpose": {"status": "missing", "severity": "error", "line": None,
                                              "evidence": None, "title": "Purpose"}}


@pytest.mark.parametrize(("ruleset", "line", "words"), [
    ("name: x\nlanguages: [en]\nelements:\n  - id: a\n    colour: red\n", 5, "unknown key `colour`"),
    ("name: x\nlanguages: [en]\nelements:\n  - id: a\n  - id: a\ntexts: {en: {elements: {a: {title: A}}}}\n",
     5, "defined twice"),
    ("name: x\nlanguages: [en]\nelements:\n  - id: a\n    options: {any_of: [[nope]]}\n"
     "texts: {en: {elements: {a: {title: A}}}}\n", 4, "phrase group `nope`, which no language defines"),
    ("name: x\nlanguages: [en]\nelements:\n  - id: a\n    detector: magic\n", 5, "must be one of: evidence"),
    ("name: x\nlanguages: [en]\nelements:\n  - id: a\n    options: {any_of: [[w]], window: 3}\n"
     "texts: {en: {elements: {a: {phrases: {w: [x]}}}}}\n", 4, "unknown key `window`"),
    ("name: x\nlanguages: [en]\nelements:\n  - id: a\n    options: {any_of: [[w]]}\n"
     "texts: {en: {elements: {a: {phrases: {w: [\"@ssn\"]}}}}}\n", 6, "unknown pattern '@ssn'"),
    ("name: x\nlanguages: [en, de]\nelements:\n  - id: a\n", 2, "x.de.yaml is missing"),
    ("name: x\nlanguages: [en]\nelements:\n  - id: Bad Id\n", 4, "does not match"),
    ("name: x\nlanguages: [en]\nelements: [\n", 4, "invalid YAML"),
    ("extends: x.yaml\nelements: []\n", None, "extends itself"),
    # Built-in words are read before a user's combinations are checked against them.
    ("extends: social-media\nlanguages: [en]\nelements:\n  - id: contact-person\n"
     "    options: {any_of: [[persn, reach]]}\n", 4, "phrase group `persn`, which no language defines"),
])
def test_bad_rulesets_are_exit_2_with_file_and_line(cli, write, project, ruleset: str, line, words: str) -> None:
    write("x.yaml", ruleset)
    write("x.en.yaml", "elements:\n  a: {title: A}\n")
    write(".policylint.yaml", "ruleset: x.yaml\n")
    write("p.en.md", INCOMPLETE)
    result = cli("check", "p.en.md")
    assert result.exit_code == 2, result.stdout
    where = "x.yaml" + (f":{line}:" if line else "")
    assert where in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_phrases_cannot_smuggle_in_regular_expressions() -> None:
    # A ruleset author's "(a+)+$" is literal text, never a backtracking pattern.
    source = phrase_regex("(a+)+$")
    assert re.search(source, "x (a+)+$ y") and not re.search(source, "aaaa")
    # Wildcards compile to bounded pieces: no quantified group is quantified again.
    for phrase in ("a ~ b ~ c", "x _ y", "pre* post*", "n'_ pas", "~ ~ ~ x"):
        assert not re.search(r"[+*}]\)[+*{?]", phrase_regex(phrase)), phrase_regex(phrase)


def test_rules_command_lists_elements_and_checks_in_each_language(cli) -> None:
    english = cli("rules").stdout
    assert "contact-person" in english and "required" in english and "frontmatter/missing" in english
    assert "suppression/unused" in english and "placeholder" in english
    dutch = cli("rules", "--lang", "nl").stdout
    assert "verplicht" in dutch and "Noemt iemand bij wie medewerkers" in dutch
    french = cli("rules", "--lang", "fr").stdout
    assert "requis" in french and "Nomme une personne" in french
    data = json.loads(cli("rules", "--format", "json").stdout)
    assert data["ruleset"] == "social-media"
    ids = [r["id"] for r in data["rules"]]
    assert ids[:5] == ["contact-person", "third-parties", "sanctions-work-rules", "positive-phrasing",
                       "working-hours"]
    assert all(r["summary"] for r in data["rules"])
    remote = json.loads(cli("rules", "--format", "json", "--ruleset", "remote-work").stdout)
    assert [r["id"] for r in remote["rules"]][:2] == ["eligibility", "availability"]


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Why it matters", "What counts as evidence", "A good example", "arbeidsreglement"]),
    ("nl", ["Waarom het ertoe doet", "Wat als bewijs telt", "Een goed voorbeeld", "arbeidsreglement"]),
    ("fr", ["Pourquoi c'est important", "Ce qui compte comme preuve", "Un bon exemple", "règlement de travail"]),
])
def test_explain_in_each_language(cli, lang: str, words: list[str]) -> None:
    result = cli("explain", "sanctions-work-rules", "--lang", lang)
    assert result.exit_code == 0
    for word in words:
        assert word in result.stdout


def test_explain_a_check_and_an_unknown_rule(cli) -> None:
    assert "valid YAML" in cli("explain", "frontmatter/yaml").stdout
    result = cli("explain", "contact-persn")
    assert result.exit_code == 2 and "`contact-persn` is not a rule" in result.stderr


def test_inline_ruleset_spec_is_cached_by_content() -> None:
    spec = RulesetSpec(inline=json.dumps({"extends": "social-media", "remove": ["ambassadors"]}))
    assert load(spec) is load(RulesetSpec(inline=json.dumps({"extends": "social-media", "remove": ["ambassadors"]})))
    assert "ambassadors" not in [e.id for e in load(spec).elements]


def test_unknown_ruleset_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="neither a built-in ruleset"):
        load("no-such-thing")


def test_every_built_in_check_is_listed_explained_and_configurable(cli, write, project) -> None:
    from policylint.explain import builtin_checks

    listed = {r["id"] for r in json.loads(cli("rules", "--format", "json").stdout)["rules"]}
    assert set(builtin_checks()) <= listed and "markdown/too-deep" in listed
    for rule in builtin_checks():
        assert cli("explain", rule).exit_code == 0, rule
    write(".policylint.yaml", "ignore: [markdown/too-deep, placeholder]\nseverity:\n  frontmatter/toml: warning\n")
    write("p.en.md", INCOMPLETE)
    assert cli("check", "p.en.md").exit_code == 1
