"""`policylint review` against FakeGitHub: a real HTTP server that checks every request.

Each test lays out a working tree (the pull request's versions of the policies),
tells the fake which files the pull request changed (patches made with difflib
from a base and a head version), runs the command in-process with the GitHub
Actions environment, and asserts on what the fake recorded.
"""
from __future__ import annotations

import difflib
import hashlib
import http.server
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

import policylint
from policylint.cli import main
from policylint.github.diff import parse_patch

from conftest import REPO
from support.github_api import FakeGitHub, commentable_lines, make_file

TOKEN = "ghs_s3cretTOKENvalue0123456789"
HEAD_SHA = "1111111111111111111111111111111111111111"
FIXED_SHA = "2222222222222222222222222222222222222222"
POLICY = "policies/social-media.en.md"
BASE = (REPO / "example-policy" / "social-media-policy.en.md").read_text(encoding="utf-8")
BASE_NL = (REPO / "example-policy" / "sociale-media-beleid.nl.md").read_text(encoding="utf-8")
GITHUB_VARS = ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL", "GITHUB_EVENT_PATH",
               "GITHUB_EVENT_NAME", "GITHUB_STEP_SUMMARY")


def edit(text: str, replace: dict[int, str] | None = None, insert: dict[int, str] | None = None) -> str:
    """``text`` with lines replaced (1-based) and then lines inserted before the given line."""
    lines = text.split("\n")
    for number, new in (replace or {}).items():
        lines[number - 1] = new
    for number, new in sorted((insert or {}).items(), reverse=True):
        lines.insert(number - 1, new)
    return "\n".join(lines)


# The example policy with three problems brought in by the pull request:
# - the third-parties sentence (line 45) is gone: a missing element, a file-level finding;
# - a new ban at line 72: an info finding on an added line;
# - the sanctions section no longer names the work rules: a violation at its sentence, line 135.
HEAD = edit(BASE, replace={
    45: "Everyone who works with us is welcome to read it.",
    131: "## Consequences",
    134: "A breach of this policy may lead to disciplinary measures, ranging from a verbal warning to dismissal.",
    135: "Your manager will explain the next steps.",
}, insert={72: "Never post photos of client dashboards."})
# The ban and the sanctions are fixed; third parties are still missing.
FIXED = edit(BASE, replace={45: "Everyone who works with us is welcome to read it."})


def patch_between(old: str, new: str) -> str:
    """A ``patch`` as GitHub lists it: unified diff hunks without the ---/+++ lines."""
    return "\n".join(list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm=""))[2:])


def blob_sha(text: str) -> str:
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def pr_file(path: str, old: str, new: str, status: str = "modified") -> dict[str, Any]:
    return make_file(path, patch_between(old, new), status=status, sha=blob_sha(new))


@dataclass
class Scenario:
    """A pull request on the fake plus its working tree."""

    fake: FakeGitHub
    root: Path
    runner: CliRunner = field(default_factory=CliRunner)
    results: list[Result] = field(default_factory=list)

    def change(self, path: str, old: str, new: str, status: str = "modified") -> None:
        """The pull request changes ``path`` from ``old`` to ``new`` (and the tree holds ``new``)."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(new, encoding="utf-8")
        entry = pr_file(path, old, new, status)
        with self.fake.lock:
            self.fake.files = [f for f in self.fake.files if f["filename"] != path] + [entry]

    def push(self, sha: str) -> None:
        with self.fake.lock:
            self.fake.head_sha = sha

    def env(self, **overrides: str | None) -> dict[str, str | None]:
        env: dict[str, str | None] = dict.fromkeys(GITHUB_VARS)
        env.update(self.fake.env())
        env.update(overrides)
        return env

    def run(self, *args: str, env: dict[str, str | None] | None = None, **overrides: str | None) -> Result:
        """``policylint review ARGS`` in the working tree; ``--pr`` defaults to the fake's PR."""
        if env is None:
            env = self.env(**overrides)
        if "--pr" not in args and not env.get("GITHUB_EVENT_PATH"):
            args = (*args, "--pr", str(self.fake.pr_number))
        result = self.runner.invoke(main, ["review", *args], env=env, catch_exceptions=False)
        self.results.append(result)
        return result

    def writes(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.fake.requests if r.method in ("POST", "PATCH")]


@pytest.fixture
def pr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scenario]:
    monkeypatch.chdir(tmp_path)
    with FakeGitHub(token=TOKEN, head_sha=HEAD_SHA) as fake:
        scenario = Scenario(fake, tmp_path)
        yield scenario
        # Every request of every test had the headers and body GitHub documents ...
        assert fake.violations == []
    # ... and the token never showed up in anything the command printed.
    for result in scenario.results:
        assert TOKEN not in result.stdout and TOKEN not in result.stderr


def summaries(fake: FakeGitHub) -> list[dict[str, Any]]:
    return [c for c in fake.issue_comments if c["body"].startswith("<!-- policylint-review -->")]


def placed(fake: FakeGitHub) -> list[tuple[str, int, str]]:
    return [(c["path"], c["line"], c["body"]) for c in fake.review_comments]


# -- the first run ------------------------------------------------------------------------


def test_first_run_comments_on_changed_lines_and_posts_one_summary(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    result = pr.run()

    assert result.exit_code == 1, result.stderr  # errors, as `check` would say
    comments = placed(pr.fake)
    assert [(path, line) for path, line, _ in comments] == [(POLICY, 72), (POLICY, 135)]
    ban, sanctions = (body for _, _, body in comments)
    assert "**info** \u00b7 Positive phrasing (`positive-phrasing`)" in ban
    assert "This sentence forbids; phrase it as guidance if you can." in ban
    assert "\u2192 " in ban  # the rewrite hint
    assert "**error** \u00b7 Sanctions tied to the work rules (`sanctions-work-rules`)" in sanctions
    assert "Sanctions are threatened without a reference to the work rules" in sanctions
    # Every comment sits on a line the pull request added.
    added = parse_patch(pr.fake.files[0]["patch"]).added
    assert {line for _, line, _ in comments} <= added

    [review] = pr.fake.reviews
    assert review["state"] == "COMMENTED" and review["commit_id"] == HEAD_SHA
    post = pr.fake.requests_matching("POST", r"/pulls/1/reviews$")[0].json
    assert post["event"] == "COMMENT" and post["commit_id"] == HEAD_SHA
    assert all(c["side"] == "RIGHT" for c in post["comments"])

    [summary] = summaries(pr.fake)
    body = summary["body"]
    assert f"#### `{POLICY}` \u2014 12 of 14 elements present" in body
    assert "| \u2717 | Third parties `third-parties` | missing |" in body
    assert ("| ! | Sanctions tied to the work rules `sanctions-work-rules` | "
            "line 135: not enforceable as written |") in body
    assert "| \u2713 | Contact person `contact-person` | line 127 |" in body
    # The missing element has no line to comment on: it is listed in the summary.
    file_level = body.split("**For the whole file**")[1].split("2 finding(s) on changed lines")[0]
    assert "`third-parties` \u2014 The policy does not say it also covers people" in file_level
    # Old findings on lines the pull request did not touch are folded away, not commented on.
    untouched = [f for f in policylint.lint_text(HEAD, POLICY).findings if f.end_line and f.line not in (72, 135)]
    assert f"{len(untouched)} finding(s) on lines this pull request does not change" in body
    assert "line 87: **info**" in body
    assert HEAD_SHA[:7] in body
    assert "posted a review with 2 comment(s)" in result.stderr
    # The log shows the same report as `check`.
    info = sum(str(f.severity) == "info" for f in policylint.lint_text(HEAD, POLICY).findings)
    assert f"1 file(s) checked: 2 error(s), 0 warning(s), {info} info." in result.stdout


def test_requests_carry_githubs_headers(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.run()
    assert pr.fake.requests
    for request in pr.fake.requests:
        assert request.headers["authorization"] == "Bearer ***"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"].startswith("policylint/")


def test_a_new_file_keeps_missing_elements_in_the_summary(pr: Scenario) -> None:
    new = edit(BASE, replace={45: "Everyone who works with us is welcome to read it."})
    pr.change(POLICY, "", new, status="added")
    assert pr.run().exit_code == 1
    # Every line is added, the front matter's closing line too, where a missing element is
    # reported; still it is a finding about the file and gets no inline comment.
    rules = [re.search(r"\(`([^`]+)`\)", body)[1] for _, _, body in placed(pr.fake)]  # type: ignore[index]
    assert "third-parties" not in rules
    bans = [f for f in policylint.lint_text(new, POLICY).findings if f.rule == "positive-phrasing" and f.end_line]
    assert bans and rules == ["positive-phrasing"] * len(bans)
    [summary] = summaries(pr.fake)
    assert "**For the whole file**" in summary["body"] and "`third-parties`" in summary["body"]


def test_a_dutch_policy_gets_a_dutch_summary(pr: Scenario) -> None:
    head = BASE_NL.replace("\n## ", "\nVerboden om foto's van het kantoor te posten.\n\n## ", 1)
    pr.change("beleid/sociale-media.nl.md", BASE_NL, head)
    assert pr.run().exit_code == 0
    [summary] = summaries(pr.fake)
    assert "| | Onderdeel | Status |" in summary["body"]
    assert "14 van 14 onderdelen aanwezig" in summary["body"]
    assert "gewijzigd(e) beleidsbestand(en)" in summary["body"]
    [(_, _, body)] = placed(pr.fake)
    assert body.split("\n")[1].startswith("**tip** \u00b7 Positieve formulering")


def test_message_lang_switches_the_language(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.run("--message-lang", "nl")
    [summary] = summaries(pr.fake)
    assert "| \u2717 | Derden `third-parties` | ontbreekt |" in summary["body"]
    assert "**Voor het hele bestand**" in summary["body"]


# -- re-runs --------------------------------------------------------------------------------


def test_second_run_posts_nothing_new(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    first = pr.run()
    before = (placed(pr.fake), [c["body"] for c in pr.fake.issue_comments], len(pr.fake.reviews))
    writes = pr.writes()
    assert writes == [("POST", "/repos/octo-org/policies/issues/1/comments"),
                      ("POST", "/repos/octo-org/policies/pulls/1/reviews")]

    second = pr.run()
    assert second.exit_code == first.exit_code == 1
    assert pr.writes() == writes  # no POST, and no PATCH of an identical summary
    assert (placed(pr.fake), [c["body"] for c in pr.fake.issue_comments], len(pr.fake.reviews)) == before
    assert "nothing to post" in second.stderr


def test_a_fix_marks_the_comment_fixed_and_updates_the_summary_in_place(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.run()
    [summary] = summaries(pr.fake)
    first_summary = summary["body"]
    ban_before = pr.fake.review_comments[0]["body"]

    pr.change(POLICY, BASE, FIXED)
    pr.push(FIXED_SHA)
    result = pr.run()

    assert result.exit_code == 1  # third parties are still missing
    assert len(summaries(pr.fake)) == 1 and len(pr.fake.issue_comments) == 1
    [summary] = summaries(pr.fake)
    assert summary["body"] != first_summary
    assert FIXED_SHA[:7] in summary["body"] and "13 of 14 elements present" in summary["body"]
    assert "| \u2713 | Sanctions tied to the work rules `sanctions-work-rules` | line 134 |" in summary["body"]
    assert len(pr.fake.reviews) == 1  # no new finding on a changed line: no new review
    for comment in pr.fake.review_comments:
        body = comment["body"]
        assert re.match(r"<!-- policylint-finding:[0-9a-f]{12}:fixed -->\n", body), body
        assert f"**Fixed in {FIXED_SHA[:7]}.**" in body
        assert "~~This sentence forbids" in body or "~~Sanctions are threatened" in body
    assert "~~This sentence forbids; phrase it as guidance if you can.~~" in pr.fake.review_comments[0]["body"]
    assert ban_before.split("\n", 1)[0].replace(" -->", ":fixed -->") == \
        pr.fake.review_comments[0]["body"].split("\n", 1)[0]
    patched = [r.path for r in pr.fake.requests if r.method == "PATCH"]
    assert patched == [f"/repos/octo-org/policies/issues/comments/{summary['id']}",
                       *(f"/repos/octo-org/policies/pulls/comments/{c['id']}" for c in pr.fake.review_comments)]

    # And once fixed, a comment stays as it is on later runs.
    writes = pr.writes()
    pr.run()
    assert pr.writes() == writes


def test_a_returning_finding_is_commented_again(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.run()
    pr.change(POLICY, BASE, FIXED)
    pr.push(FIXED_SHA)
    pr.run()
    pr.change(POLICY, BASE, HEAD)
    pr.push(HEAD_SHA)
    pr.run()
    assert len(pr.fake.reviews) == 2
    live = [c for c in pr.fake.review_comments if ":fixed" not in c["body"].split("\n", 1)[0]]
    assert [(c["path"], c["line"]) for c in live] == [(POLICY, 72), (POLICY, 135)]


def test_comments_by_someone_else_do_not_count_as_ours(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.run()
    bodies = placed(pr.fake)
    summary = pr.fake.issue_comments[0]["body"]
    with FakeGitHub(token=TOKEN, head_sha=HEAD_SHA, files=pr.fake.files) as other:
        other.add_issue_comment(summary)  # by github-actions[bot], as before
        for path, line, body in bodies:
            other.add_review_comment(path, line, body, login="a-colleague")
        scenario = Scenario(other, pr.root)
        assert scenario.run().exit_code == 1
        assert scenario.writes() == [("POST", "/repos/octo-org/policies/pulls/1/reviews")]
        # The colleague's copies are neither skipped nor edited.
        assert [c["user"]["login"] for c in other.review_comments] == ["a-colleague"] * 2 + ["github-actions[bot]"] * 2
        assert [c["body"] for c in other.review_comments[:2]] == [b for _, _, b in bodies]
        assert other.violations == []


def test_existing_comments_are_read_across_pages(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.run()
    ours_issue, ours_review = list(pr.fake.issue_comments), list(pr.fake.review_comments)
    with pr.fake.lock:
        pr.fake.issue_comments.clear()
        pr.fake.review_comments.clear()
        # 250 comments by people first: ours are on the third page of 100.
        for n in range(250):
            pr.fake.add_issue_comment(f"Looks good {n}", login=f"reviewer{n % 7}")
            pr.fake.add_review_comment(POLICY, 72, f"nit {n}", login="reviewer")
        pr.fake.issue_comments.extend(ours_issue)
        pr.fake.review_comments.extend(ours_review)
    writes = pr.writes()
    pr.run()

    assert pr.writes() == writes  # the summary and both comments were found
    for endpoint in ("/issues/1/comments", "/pulls/1/comments"):
        pages = [r for r in pr.fake.requests[-6:] if r.path.endswith(endpoint)]
        # The first page by name, then the "next" links GitHub gives (in the /repositories/{id} form).
        assert [r.query.get("page") for r in pages] == [None, "2", "3"]
        assert pages[1].path.startswith("/repositories/")


def test_changed_files_are_read_across_pages(pr: Scenario) -> None:
    with pr.fake.lock:
        pr.fake.files = [make_file(f"src/module{n}.py", "@@ -1 +1 @@\n-a\n+b") for n in range(130)]
    pr.change(POLICY, BASE, HEAD)  # the 131st file: on the second page
    assert pr.run().exit_code == 1
    assert len(pr.fake.review_comments) == 2


# -- which files ----------------------------------------------------------------------------


def test_only_changed_markdown_policies_under_the_given_paths(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.change("README.md", "# Readme\n", "# Readme\n\nNever do this.\n")
    pr.change(".github/PULL_REQUEST_TEMPLATE.md", "", "Never skip this.\n", status="added")
    with pr.fake.lock:
        pr.fake.files.append(make_file("policies/old.en.md", "@@ -1 +0,0 @@\n-gone", status="removed"))
    result = pr.run("policies")
    assert result.exit_code == 1
    assert {path for path, _, _ in placed(pr.fake)} == {POLICY}
    [summary] = summaries(pr.fake)
    assert "1 changed policy file(s)" in summary["body"]
    assert "README" not in summary["body"] and "old.en.md" not in summary["body"]


def test_an_absolute_path_names_the_same_folder(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.change("other/social-media.en.md", BASE, HEAD)
    assert pr.run(str(pr.root / "policies")).exit_code == 1
    assert {path for path, _, _ in placed(pr.fake)} == {POLICY}


def test_a_summary_too_long_for_one_comment_is_shortened(pr: Scenario) -> None:
    from conftest import FRONT_MATTER_EN

    # Short, incomplete policies: each gets a full checklist and a long list of missing elements.
    small = FRONT_MATTER_EN + "\n# Social media\n\nNever post about work.\n"
    for n in range(40):
        pr.change(f"policies/p{n:02}.en.md", "", small, status="added")
    assert pr.run().exit_code == 1
    [summary] = summaries(pr.fake)
    assert len(summary["body"]) <= 65536
    assert "more changed policy file(s), left out" in summary["body"]
    assert "`policies/p00.en.md`" in summary["body"] and "`policies/p39.en.md`" not in summary["body"]
    assert len(pr.fake.review_comments) == 40  # the inline comments are all there


def test_no_changed_policy_posts_nothing(pr: Scenario) -> None:
    pr.change("src/app.py", "a = 1\n", "a = 2\n")
    result = pr.run()
    assert result.exit_code == 0
    assert pr.writes() == []
    assert "changes no policy file" in result.stderr


def test_a_checkout_of_another_version_gets_no_inline_comments(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    # As if the workflow checked out GitHub's merge commit and the base branch had moved.
    (pr.root / POLICY).write_text(edit(HEAD, insert={16: "A line from the base branch."}), encoding="utf-8")
    assert pr.run().exit_code == 1
    assert pr.fake.review_comments == []
    [summary] = summaries(pr.fake)
    assert "is not the pull request's version" in summary["body"]
    line_level = [f for f in policylint.lint_text(HEAD, POLICY).findings if f.end_line]
    assert f"{len(line_level)} finding(s) on lines this pull request does not change" in summary["body"]


def test_a_changed_policy_missing_from_the_checkout_is_exit_2(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.change("policies/other.en.md", BASE, HEAD)
    (pr.root / "policies/other.en.md").unlink()
    result = pr.run()
    assert result.exit_code == 2
    assert "policies/other.en.md: error" in result.stdout and "no such file" in result.stdout.lower()
    [summary] = summaries(pr.fake)
    assert "Could not be checked" in summary["body"]
    assert len(pr.fake.review_comments) == 2  # the readable policy is still reviewed


# -- dry run, event file, API URL -------------------------------------------------------------


def test_dry_run_prints_the_requests_and_sends_no_write(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    result = pr.run("--dry-run")
    assert result.exit_code == 1
    assert pr.writes() == [] and pr.fake.issue_comments == [] and pr.fake.reviews == []
    assert [r.method for r in pr.fake.requests] == ["GET"] * 4
    out = result.stdout
    assert f"POST {pr.fake.url}/repos/octo-org/policies/issues/1/comments\n" in out
    assert f"POST {pr.fake.url}/repos/octo-org/policies/pulls/1/reviews\n" in out
    review, _ = json.JSONDecoder().raw_decode(out.split("/pulls/1/reviews\n", 1)[1])
    assert review["event"] == "COMMENT" and [c["line"] for c in review["comments"]] == [72, 135]
    assert "2 request(s) not sent" in result.stderr


@pytest.mark.parametrize(("name", "event"), [
    ("pull_request", {"action": "synchronize", "number": 42,
                      "pull_request": {"number": 42, "head": {"sha": HEAD_SHA}}}),
    # A comment on a pull request's conversation: GitHub calls every pull request an issue too.
    ("issue_comment", {"action": "created", "issue": {"number": 42, "pull_request": {"url": "..."}}}),
])
def test_pull_request_number_from_the_event_file(pr: Scenario, tmp_path: Path, name: str,
                                                 event: dict[str, Any]) -> None:
    with FakeGitHub(token=TOKEN, head_sha=HEAD_SHA, pr_number=42) as fake:
        scenario = Scenario(fake, pr.root)
        scenario.change(POLICY, BASE, HEAD)
        path = tmp_path / "event.json"
        path.write_text(json.dumps(event))
        result = scenario.run(GITHUB_EVENT_PATH=str(path), GITHUB_EVENT_NAME=name)
        assert result.exit_code == 1, result.stderr
        assert fake.requests[0].path == "/repos/octo-org/policies/pulls/42"
        assert len(fake.review_comments) == 2 and fake.violations == []


@pytest.mark.parametrize(("content", "message"), [
    (json.dumps({"ref": "refs/heads/main", "commits": []}), "the `push` event is not about a pull request"),
    ("{not json", "is not valid JSON"),
    (None, "cannot read the event file"),
])
def test_bad_event_file_is_exit_2(pr: Scenario, tmp_path: Path, content: str | None, message: str) -> None:
    event = tmp_path / "event.json"
    if content is not None:
        event.write_text(content)
    result = pr.run(GITHUB_EVENT_PATH=str(event), GITHUB_EVENT_NAME="push")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert pr.fake.requests == []


@pytest.mark.parametrize(("unset", "message"), [
    ("GITHUB_TOKEN", "GITHUB_TOKEN is not set"),
    ("GITHUB_REPOSITORY", "--repo OWNER/NAME"),
])
def test_missing_environment_is_exit_2(pr: Scenario, unset: str, message: str) -> None:
    result = pr.run(**{unset: None})
    assert result.exit_code == 2 and message in result.stderr
    assert pr.fake.requests == []


def test_repo_flag_overrides_the_environment(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    result = pr.run("--repo", "octo-org/policies", GITHUB_REPOSITORY="someone/else")
    assert result.exit_code == 1
    assert {r.path.split("/")[2] for r in pr.fake.requests} == {"octo-org"}
    assert pr.run("--repo", "not-a-repo").exit_code == 2


def test_github_api_url_is_honoured(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    # With a trailing slash, as people write it; nothing may go to api.github.com.
    result = pr.run(GITHUB_API_URL=pr.fake.url + "/")
    assert result.exit_code == 1
    assert len(pr.fake.requests) == 6 and all(r.path.startswith("/repos/") for r in pr.fake.requests)


# -- read-only tokens and errors --------------------------------------------------------------


def test_read_only_token_falls_back_to_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    step_summary = tmp_path / "step-summary.md"
    with FakeGitHub(token=TOKEN, head_sha=HEAD_SHA, read_only=True) as fake:
        scenario = Scenario(fake, tmp_path)
        scenario.change(POLICY, BASE, HEAD)
        result = scenario.run(GITHUB_STEP_SUMMARY=str(step_summary))
        never = scenario.run("--fail-on", "never")
        assert fake.violations == []

    assert result.exit_code == 1 and never.exit_code == 0  # findings decide, not the missing permission
    assert "notice" in result.stderr and "forks" in result.stderr
    assert "Resource not accessible by integration" in result.stderr
    annotations = [line for line in result.stdout.split("\n") if line.startswith("::")]
    assert [a.split("::")[1] for a in annotations] == [
        f"error file={POLICY},line=14,title=policylint [third-parties]",
        f"notice file={POLICY},line=72,title=policylint [positive-phrasing]",
        f"error file={POLICY},line=135,title=policylint [sanctions-work-rules]",
    ]
    # A hint goes on the annotation's second line (escaped, so the command stays one line).
    assert "%0A\u2192 " in annotations[1]
    assert "1 file(s) checked: 2 error(s)" in result.stdout
    assert fake.issue_comments == [] and fake.reviews == []
    summary = step_summary.read_text(encoding="utf-8")
    assert summary.startswith("<!-- policylint-review -->") and "| \u2717 | Third parties" in summary
    for run in (result, never):
        assert TOKEN not in run.stdout + run.stderr


def _error_message(result: Result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and TOKEN not in result.stdout + result.stderr
    # The last word is the error (earlier lines may say what was posted before it).
    return result.stderr.rstrip("\n").split("\n")[-1]


def test_bad_token_is_exit_2(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    wrong = "ghp_an0therSECRETthatIsWrong"
    result = pr.run(GITHUB_TOKEN=wrong)
    message = _error_message(result)
    assert "GET /repos/octo-org/policies/pulls/1" in message and "401" in message
    assert "Bad credentials" in message and "GITHUB_TOKEN" in message
    assert wrong not in result.stdout + result.stderr


def test_unknown_pull_request_is_exit_2(pr: Scenario) -> None:
    message = _error_message(pr.run("--pr", "99"))
    assert "GET /repos/octo-org/policies/pulls/99: not found (404)" in message


def test_unprocessable_review_is_exit_2_naming_githubs_reason(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    pr.fake.fail_next("POST", r"/reviews$", 422, {
        "message": "Unprocessable Entity", "errors": ["Line could not be resolved"],
        "documentation_url": "https://docs.github.com/rest", "status": "422"})
    message = _error_message(pr.run())
    assert "POST /repos/octo-org/policies/pulls/1/reviews" in message
    assert message.endswith("GitHub refused the request (422 Unprocessable Entity): Line could not be resolved")


@pytest.mark.parametrize("kind", ["primary", "secondary"])
def test_rate_limit_is_exit_2(pr: Scenario, kind: str) -> None:
    pr.change(POLICY, BASE, HEAD)
    if kind == "primary":
        pr.fake.fail_next_rate_limited("GET", r"/pulls/1/files$")
    else:
        pr.fake.fail_next_rate_limited("POST", r"/issues/1/comments$", status=429, secondary=True,
                                       retry_after=30)
    message = _error_message(pr.run())
    assert "rate limit" in message
    if kind == "primary":
        assert "GET /repos/octo-org/policies/pulls/1/files" in message and "resets at" in message
    else:
        assert "POST /repos/octo-org/policies/issues/1/comments" in message and "try again in 30 s" in message


def test_server_error_is_exit_2(pr: Scenario) -> None:
    pr.fake.fail_next("GET", r"/pulls/1$", 502)
    assert _error_message(pr.run()) == (
        "policylint: GET /repos/octo-org/policies/pulls/1: GitHub answered 502 Bad Gateway")


def test_unreachable_api_is_exit_2(pr: Scenario) -> None:
    # A port nothing listens on: bind one, then close it.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    message = _error_message(pr.run(GITHUB_API_URL=f"http://127.0.0.1:{port}"))
    assert f"cannot reach GitHub at http://127.0.0.1:{port}" in message


def test_redirect_to_another_host_does_not_carry_the_token(pr: Scenario) -> None:
    pr.change(POLICY, BASE, HEAD)
    # "localhost" and "127.0.0.1" are different hosts to a browser and to us.
    target = pr.fake.url.replace("127.0.0.1", "localhost")

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(301)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        message = _error_message(pr.run(GITHUB_API_URL=f"http://127.0.0.1:{server.server_port}"))
    finally:
        server.shutdown()
        server.server_close()
    assert "401" in message
    [request] = pr.fake.requests
    assert "authorization" not in request.headers
    pr.fake.violations.clear()  # the fake rightly objects to the header the redirect dropped


# -- pieces -----------------------------------------------------------------------------------


def test_patch_reading_agrees_with_githubs_rules() -> None:
    patch = patch_between(BASE, HEAD)
    diff = parse_patch(patch)
    assert diff.added == {45, 72, 132, 135, 136}
    # Added lines lie inside the hunks, and the hunks are the lines GitHub accepts comments on.
    assert {n for hunk in diff.hunks for n in hunk} == commentable_lines(patch)
    assert diff.placement(72) == (None, 72)
    assert diff.placement(70, 72) == (70, 72)  # a range within one hunk
    assert diff.placement(10) is None  # not changed
    assert parse_patch("@@ -1,2 +1 @@\n-a\n-b\n+c\n\\ No newline at end of file").added == {1}
    # A form feed inside a line is not a line break.
    assert parse_patch("@@ -1 +1,2 @@\n-a\n+b\x0cc\n+d").added == {1, 2}


def test_shipped_workflow_reviews_pull_requests_with_least_privilege() -> None:
    flow = yaml.safe_load((REPO / ".github" / "workflows" / "policylint.yml").read_text(encoding="utf-8"))
    assert "pull_request" in flow[True]  # YAML 1.1 reads the key `on` as true
    assert flow["permissions"] == {"contents": "read", "pull-requests": "write"}
    [job] = flow["jobs"].values()
    steps = job["steps"]
    assert any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)
    review = next(s for s in steps if "policylint review" in s.get("run", ""))
    assert review["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
