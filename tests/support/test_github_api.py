"""Tests of the FakeGitHub server itself, driven over real HTTP with urllib."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .github_api import (
    API_VERSION,
    SCHEMA_DIR,
    FakeGitHub,
    commentable_lines,
    make_file,
    parse_patch,
)

TOKEN = "s3cret-token"

# New file lines 1-6 (hunk 1) and 20-24 (hunk 2); old lines 1-4 and 20-24.
POLICY_PATCH = "\n".join(
    [
        "@@ -1,4 +1,6 @@",
        " # Access policy",      # old 1 / new 1   position 1
        "-Owner: TBD",           # old 2           position 2
        "+Owner: Security team",  # new 2           position 3
        "+Review: yearly",       # new 3           position 4
        "+",                     # new 4           position 5
        " ## Scope",             # old 3 / new 5   position 6
        " Everyone.",            # old 4 / new 6   position 7
        "@@ -20,5 +22,5 @@ ## Exceptions",  # position 8
        " a",                    # old 20 / new 22
        " b",
        "-c",                    # old 22
        "+C",                    # new 24
        " d",
        " e",
    ]
)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    files = [
        make_file("policies/access.md", POLICY_PATCH),
        make_file("policies/new.md", "@@ -0,0 +1,2 @@\n+# New\n+text", status="added"),
        make_file("assets/logo.png", None, status="added"),
    ]
    with FakeGitHub(owner="acme", repo="handbook", pr_number=7, token=TOKEN, files=files) as fake:
        yield fake


def call(
    fake: FakeGitHub,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = TOKEN,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    """Make a well-formed GitHub API request; returns (status, headers, json)."""
    url = path if path.startswith("http") else fake.url + path
    request_headers = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": "policylint-tests",
    }
    if token is not None:
        request_headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request_headers["Content-Type"] = "application/json"
    request_headers.update(headers or {})
    request = urllib.request.Request(url, data=data, method=method, headers=request_headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw_headers, payload = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw_headers, payload = error.code, error.headers, error.read()
    return status, {k.lower(): v for k, v in raw_headers.items()}, json.loads(payload)


def raw_call(
    fake: FakeGitHub, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, Any]:
    """Send exactly these headers (urllib would add its own User-Agent)."""
    host, port = fake.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        if body:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


REPO = "/repos/acme/handbook"
GOOD_HEADERS = {
    "Authorization": f"token {TOKEN}",
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": API_VERSION,
    "User-Agent": "policylint-tests",
}


def parse_link(header: str) -> dict[str, str]:
    return {
        rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)
    }


# -- schemas and diff parsing ----------------------------------------------


@pytest.mark.parametrize("schema_file", sorted(SCHEMA_DIR.glob("*.json")), ids=lambda p: p.name)
def test_schemas_are_valid_draft_2020_12(schema_file: Path) -> None:
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_commentable_lines_follow_hunk_headers() -> None:
    assert commentable_lines(POLICY_PATCH) == {1, 2, 3, 4, 5, 6, 22, 23, 24, 25, 26}
    assert commentable_lines(POLICY_PATCH, "LEFT") == {1, 2, 3, 4, 20, 21, 22, 23, 24}
    assert commentable_lines(None) == set()
    hunks = parse_patch(POLICY_PATCH)
    assert [(h.new_start, h.new_count, h.header_position) for h in hunks] == [(1, 6, 0), (22, 5, 8)]
    removed = [line for line in hunks[1].lines if line.kind == "-"]
    assert [(line.position, line.old_line) for line in removed] == [(11, 22)]


def test_make_file_derives_counts() -> None:
    entry = make_file("policies/access.md", POLICY_PATCH)
    assert (entry["additions"], entry["deletions"], entry["changes"]) == (4, 2, 6)
    assert entry["status"] == "modified" and len(entry["sha"]) == 40
    assert "patch" not in make_file("logo.png", None)


# -- reads and pagination ----------------------------------------------------


def test_get_pull(fake: FakeGitHub) -> None:
    status, _, pull = call(fake, "GET", f"{REPO}/pulls/7")
    assert status == 200
    assert pull["number"] == 7 and pull["state"] == "open"
    assert pull["head"] == {
        "sha": fake.head_sha,
        "ref": fake.head_ref,
        "repo": {"full_name": "acme/handbook"},
    }
    assert pull["base"]["sha"] == fake.base_sha and pull["base"]["ref"] == "main"
    assert fake.violations == []


def test_files_single_page_has_no_link_header(fake: FakeGitHub) -> None:
    status, headers, files = call(fake, "GET", f"{REPO}/pulls/7/files")
    assert status == 200
    assert "link" not in headers
    assert [f["filename"] for f in files] == [
        "policies/access.md",
        "policies/new.md",
        "assets/logo.png",
    ]
    assert files[0]["patch"] == POLICY_PATCH


def test_files_pagination_link_headers(fake: FakeGitHub) -> None:
    status, headers, page1 = call(fake, "GET", f"{REPO}/pulls/7/files?per_page=1")
    assert status == 200
    assert [f["filename"] for f in page1] == ["policies/access.md"]
    base = f"{fake.url}/repositories/{fake.repo_id}/pulls/7/files"
    assert headers["link"] == (
        f'<{base}?per_page=1&page=2>; rel="next", <{base}?per_page=1&page=3>; rel="last"'
    )

    _, headers, page2 = call(fake, "GET", parse_link(headers["link"])["next"])
    assert [f["filename"] for f in page2] == ["policies/new.md"]
    assert headers["link"] == (
        f'<{base}?per_page=1&page=1>; rel="prev", <{base}?per_page=1&page=3>; rel="next", '
        f'<{base}?per_page=1&page=3>; rel="last", <{base}?per_page=1&page=1>; rel="first"'
    )

    _, headers, page3 = call(fake, "GET", parse_link(headers["link"])["next"])
    assert [f["filename"] for f in page3] == ["assets/logo.png"]
    assert set(parse_link(headers["link"])) == {"prev", "first"}

    _, headers, beyond = call(fake, "GET", f"{REPO}/pulls/7/files?per_page=1&page=9")
    assert beyond == []
    assert fake.violations == []


def test_default_per_page_comes_from_constructor() -> None:
    files = [make_file(f"p{i}.md", "@@ -1 +1 @@\n-a\n+b") for i in range(5)]
    with FakeGitHub(token=TOKEN, files=files, per_page=2) as fake:
        names: list[str] = []
        url: str | None = f"/repos/{fake.full_name}/pulls/{fake.pr_number}/files"
        pages = 0
        while url:
            _, headers, page = call(fake, "GET", url)
            assert len(page) <= 2
            names += [f["filename"] for f in page]
            url = parse_link(headers.get("link", "")).get("next")
            pages += 1
        assert pages == 3
        assert names == [f"p{i}.md" for i in range(5)]
        # per_page is capped at 100 like GitHub; bad values fall back to the default.
        _, _, page = call(fake, "GET", f"/repos/{fake.full_name}/pulls/1/files?per_page=x")
        assert len(page) == 2


def test_comment_lists_are_paginated(fake: FakeGitHub) -> None:
    seeded = [fake.add_issue_comment(f"note {i}") for i in range(3)]
    other = fake.add_issue_comment("human", login="alice")
    status, headers, page = call(fake, "GET", f"{REPO}/issues/7/comments?per_page=3")
    assert status == 200
    assert [c["id"] for c in page] == [c["id"] for c in seeded]
    assert page[0]["user"] == {"login": "github-actions[bot]", "type": "Bot"}
    _, _, rest = call(fake, "GET", parse_link(headers["link"])["next"])
    assert rest[0]["body"] == "human" and rest[0]["user"]["login"] == "alice"
    assert rest[0]["id"] == other["id"]

    inline = fake.add_review_comment("policies/access.md", 3, "old finding")
    _, headers, comments = call(fake, "GET", f"{REPO}/pulls/7/comments")
    assert "link" not in headers
    assert [(c["id"], c["path"], c["line"], c["side"], c["body"]) for c in comments] == [
        (inline["id"], "policies/access.md", 3, "RIGHT", "old finding")
    ]
    assert fake.violations == []


# -- auth and header checks ------------------------------------------------------


def test_bad_token_is_401_without_violation(fake: FakeGitHub) -> None:
    status, _, body = call(fake, "GET", f"{REPO}/pulls/7", token="wrong")
    assert status == 401
    assert body["message"] == "Bad credentials"
    assert fake.violations == []
    assert fake.requests[-1].headers["authorization"] == "Bearer ***"


def test_missing_authorization_is_401_and_a_violation(fake: FakeGitHub) -> None:
    status, _, body = call(fake, "GET", f"{REPO}/pulls/7", token=None)
    assert status == 401
    assert body["message"] == "Requires authentication"
    assert fake.violations == [
        f"GET {REPO}/pulls/7: headers: 'authorization' is a required property"
    ]


def test_token_scheme_is_accepted(fake: FakeGitHub) -> None:
    status, _ = raw_call(fake, "GET", f"{REPO}/pulls/7", GOOD_HEADERS)
    assert status == 200
    assert fake.violations == []


@pytest.mark.parametrize(
    ("drop", "change", "expected"),
    [
        ("Accept", None, "'accept' is a required property"),
        ("User-Agent", None, "'user-agent' is a required property"),
        ("X-GitHub-Api-Version", None, "'x-github-api-version' is a required property"),
        (
            None,
            ("X-GitHub-Api-Version", "2021-01-01"),
            "headers['x-github-api-version']: '2022-11-28' was expected",
        ),
        (None, ("Accept", "application/json"), "headers.accept: 'application/json' does not match"),
    ],
)
def test_header_violations_are_400(
    fake: FakeGitHub, drop: str | None, change: tuple[str, str] | None, expected: str
) -> None:
    headers = {k: v for k, v in GOOD_HEADERS.items() if k != drop}
    if change:
        headers[change[0]] = change[1]
    status, body = raw_call(fake, "GET", f"{REPO}/pulls/7", headers)
    assert status == 400
    assert expected in body["message"]
    assert len(fake.violations) == 1 and expected in fake.violations[0]


def test_body_without_json_content_type_is_a_violation(fake: FakeGitHub) -> None:
    # urllib labels a body application/x-www-form-urlencoded unless told otherwise.
    status, _, _ = call(
        fake,
        "POST",
        f"{REPO}/issues/7/comments",
        {"body": "hi"},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 400
    assert len(fake.violations) == 1
    assert "headers['content-type']: 'application/x-www-form-urlencoded'" in fake.violations[0]
    assert fake.issue_comments == []


def test_invalid_json_is_400(fake: FakeGitHub) -> None:
    headers = {**GOOD_HEADERS, "Content-Type": "application/json"}
    status, body = raw_call(fake, "POST", f"{REPO}/issues/7/comments", headers, b"{nope")
    assert status == 400
    assert body["message"] == "Problems parsing JSON"
    assert "body is not valid JSON" in fake.violations[0]


def test_keep_alive_and_chunked_bodies(fake: FakeGitHub) -> None:
    host, port = fake.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {**GOOD_HEADERS, "Content-Type": "application/json"}
    try:
        connection.request("GET", f"{REPO}/pulls/7", headers=headers)
        first = connection.getresponse()
        assert first.status == 200 and json.loads(first.read())["number"] == 7
        # Same connection (HTTP/1.1 keep-alive), body sent in chunks.
        chunks = iter([b'{"body":', b' "chunked"}'])
        connection.request(
            "POST", f"{REPO}/issues/7/comments", chunks, headers, encode_chunked=True
        )
        response = connection.getresponse()
        assert response.status == 201
        assert json.loads(response.read())["body"] == "chunked"
    finally:
        connection.close()
    assert [c["body"] for c in fake.issue_comments] == ["chunked"]
    assert fake.violations == []


# -- creating reviews ----------------------------------------------------------------


def test_review_with_valid_comments_is_stored(fake: FakeGitHub) -> None:
    payload = {
        "commit_id": fake.head_sha,
        "body": "policylint found 2 problems",
        "event": "COMMENT",
        "comments": [
            {"path": "policies/access.md", "line": 3, "side": "RIGHT", "body": "Owner vague"},
            {
                "path": "policies/access.md",
                "start_line": 22,
                "line": 24,
                "side": "RIGHT",
                "body": "Exceptions",
            },
            {"path": "policies/access.md", "line": 2, "side": "LEFT", "body": "was removed"},
            {"path": "policies/new.md", "position": 2, "body": "by position"},
        ],
    }
    status, _, review = call(fake, "POST", f"{REPO}/pulls/7/reviews", payload)
    assert status == 200
    assert review["state"] == "COMMENTED"
    assert review["commit_id"] == fake.head_sha
    assert review["body"] == "policylint found 2 problems"
    assert review["user"]["login"] == "github-actions[bot]"
    assert fake.reviews == [review]

    stored = [
        (c["path"], c["line"], c["side"], c["start_line"], c["body"]) for c in fake.review_comments
    ]
    assert stored == [
        ("policies/access.md", 3, "RIGHT", None, "Owner vague"),
        ("policies/access.md", 24, "RIGHT", 22, "Exceptions"),
        ("policies/access.md", 2, "LEFT", None, "was removed"),
        ("policies/new.md", 2, "RIGHT", None, "by position"),
    ]
    ids = [c["id"] for c in fake.review_comments]
    assert len(set(ids)) == 4 and review["id"] not in ids
    for comment in fake.review_comments:
        assert comment["pull_request_review_id"] == review["id"]
        assert comment["commit_id"] == fake.head_sha
        assert comment["user"] == {"login": "github-actions[bot]", "type": "Bot"}

    _, _, listed = call(fake, "GET", f"{REPO}/pulls/7/comments")
    assert [c["id"] for c in listed] == ids
    assert fake.violations == []


def test_review_comment_without_path_is_a_schema_violation(fake: FakeGitHub) -> None:
    payload = {"body": "x", "event": "COMMENT", "comments": [{"line": 3, "body": "no path"}]}
    status, _, body = call(fake, "POST", f"{REPO}/pulls/7/reviews", payload)
    assert status == 422
    assert body["message"].startswith("Invalid request.")
    assert fake.violations == [
        f"POST {REPO}/pulls/7/reviews: body.comments[0]: 'path' is a required property"
    ]
    assert fake.reviews == [] and fake.review_comments == []
    assert fake.requests[-1].json == payload


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"event": "COMMENT"}, "body: 'body' is a required property"),
        ({"body": "x", "event": "comment"}, "body.event: 'comment' is not one of"),
        ({"body": "x", "labels": []}, "Additional properties are not allowed ('labels'"),
        (
            {"body": "x", "comments": [{"path": "a", "body": "b", "line": 1, "sid": "RIGHT"}]},
            "body.comments[0]: Additional properties are not allowed ('sid'",
        ),
        (
            {"body": "x", "comments": [{"path": "a", "body": "b", "line": 0}]},
            "body.comments[0].line: 0 is less than the minimum of 1",
        ),
        (
            {"body": "x", "comments": [{"path": "a", "body": "b", "line": "3"}]},
            "body.comments[0].line: '3' is not of type 'integer'",
        ),
        (
            {"body": "x", "comments": [{"path": "a", "body": "b", "line": 3, "side": "right"}]},
            "body.comments[0].side: 'right' is not one of",
        ),
        (
            {"body": "x", "comments": [{"path": "a", "body": "b"}]},
            "body.comments[0]: {'path': 'a', 'body': 'b'} is not valid under any",
        ),
        (
            {"body": "x", "comments": [{"path": "a", "body": "b", "line": 3, "position": 3}]},
            "should not be valid under",
        ),
        (
            {
                "body": "x",
                "comments": [{"path": "a", "body": "b", "line": 3, "start_side": "LEFT"}],
            },
            "body.comments[0]: 'start_line' is a dependency of 'start_side'",
        ),
    ],
)
def test_review_schema_violations(fake: FakeGitHub, payload: dict[str, Any], expected: str) -> None:
    status, _, _ = call(fake, "POST", f"{REPO}/pulls/7/reviews", payload)
    assert status == 422
    assert any(expected in v for v in fake.violations), fake.violations
    assert fake.reviews == []


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ({"line": 10}, "Line could not be resolved: policies/access.md line 10 (RIGHT)"),
        ({"line": 7}, "Line could not be resolved"),  # just past hunk 1
        ({"line": 5, "side": "LEFT"}, "Line could not be resolved"),
        ({"start_line": 5, "line": 22}, "same hunk"),
        ({"start_line": 4, "line": 3}, "start_line must precede the end line"),
        ({"position": 99}, "Position could not be resolved"),
    ],
)
def test_comment_outside_the_diff_is_422(
    fake: FakeGitHub, comment: dict[str, Any], expected: str
) -> None:
    payload = {
        "body": "x",
        "event": "COMMENT",
        "comments": [
            {"path": "policies/access.md", "line": 3, "body": "fine"},
            {"path": "policies/access.md", "body": "bad", **comment},
        ],
    }
    status, _, body = call(fake, "POST", f"{REPO}/pulls/7/reviews", payload)
    assert status == 422
    assert body["message"] == "Unprocessable Entity"
    assert body["documentation_url"].startswith("https://docs.github.com/")
    assert len(body["errors"]) == 1 and expected in body["errors"][0]
    # The whole review is rejected, and the request itself was well-formed.
    assert fake.reviews == [] and fake.review_comments == []
    assert fake.violations == []


def test_comment_on_file_outside_the_pr_or_binary_is_422(fake: FakeGitHub) -> None:
    payload = {
        "body": "x",
        "event": "COMMENT",
        "comments": [
            {"path": "README.md", "line": 1, "body": "not in PR"},
            {"path": "assets/logo.png", "line": 1, "body": "binary"},
        ],
    }
    status, _, body = call(fake, "POST", f"{REPO}/pulls/7/reviews", payload)
    assert status == 422
    assert body["errors"] == [
        "Path could not be resolved: README.md",
        "Line could not be resolved: assets/logo.png line 1 (RIGHT)",
    ]


def test_review_on_unknown_commit_is_422(fake: FakeGitHub) -> None:
    status, _, body = call(
        fake, "POST", f"{REPO}/pulls/7/reviews", {"commit_id": "f" * 40, "event": "APPROVE"}
    )
    assert status == 422
    assert body["errors"] == [f"No commit found for SHA: {'f' * 40}"]


def test_review_states(fake: FakeGitHub) -> None:
    _, _, approved = call(fake, "POST", f"{REPO}/pulls/7/reviews", {"event": "APPROVE"})
    _, _, changes = call(
        fake, "POST", f"{REPO}/pulls/7/reviews", {"event": "REQUEST_CHANGES", "body": "fix"}
    )
    _, _, pending = call(fake, "POST", f"{REPO}/pulls/7/reviews", {"body": "draft"})
    assert [approved["state"], changes["state"], pending["state"]] == [
        "APPROVED",
        "CHANGES_REQUESTED",
        "PENDING",
    ]
    assert approved["commit_id"] == fake.head_sha
    assert fake.violations == []


# -- issue comments and updates ----------------------------------------------------------


def test_create_issue_comment(fake: FakeGitHub) -> None:
    status, _, comment = call(fake, "POST", f"{REPO}/issues/7/comments", {"body": "Summary"})
    assert status == 201
    assert comment["body"] == "Summary"
    assert comment["user"]["login"] == "github-actions[bot]"
    assert comment["html_url"] == (
        f"https://github.com/acme/handbook/pull/7#issuecomment-{comment['id']}"
    )
    assert fake.issue_comments == [comment]
    assert fake.violations == []


def test_custom_login_is_used_for_stored_comments() -> None:
    with FakeGitHub(token=TOKEN, login="policy-bot") as fake:
        path = "/repos/octo-org/policies/issues/1/comments"
        _, _, comment = call(fake, "POST", path, {"body": "x"})
        assert comment["user"] == {"login": "policy-bot", "type": "User"}


def test_patch_updates_comments(fake: FakeGitHub) -> None:
    issue = fake.add_issue_comment("old summary")
    inline = fake.add_review_comment("policies/access.md", 3, "old finding")

    status, _, updated = call(
        fake, "PATCH", f"{REPO}/issues/comments/{issue['id']}", {"body": "new summary"}
    )
    assert status == 200 and updated["body"] == "new summary"
    assert fake.issue_comments[0]["body"] == "new summary"

    status, _, updated = call(
        fake, "PATCH", f"{REPO}/pulls/comments/{inline['id']}", {"body": "new finding"}
    )
    assert status == 200 and updated["body"] == "new finding"
    assert fake.review_comments[0]["body"] == "new finding"
    assert fake.review_comments[0]["line"] == 3
    assert fake.violations == []


def test_patch_unknown_or_wrong_kind_of_comment_is_404(fake: FakeGitHub) -> None:
    issue = fake.add_issue_comment("summary")
    status, _, body = call(fake, "PATCH", f"{REPO}/issues/comments/999999", {"body": "x"})
    assert status == 404 and body["message"] == "Not Found"
    # An issue comment id does not name a review comment.
    status, _, _ = call(fake, "PATCH", f"{REPO}/pulls/comments/{issue['id']}", {"body": "x"})
    assert status == 404
    assert fake.issue_comments[0]["body"] == "summary"
    assert fake.violations == []


def test_patch_with_extra_field_is_a_violation(fake: FakeGitHub) -> None:
    issue = fake.add_issue_comment("summary")
    status, _, _ = call(
        fake, "PATCH", f"{REPO}/issues/comments/{issue['id']}", {"body": "x", "id": issue["id"]}
    )
    assert status == 422
    assert "Additional properties are not allowed ('id'" in fake.violations[0]
    assert fake.issue_comments[0]["body"] == "summary"


# -- routing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/user"),
        ("GET", f"{REPO}/pulls/8"),
        ("GET", f"{REPO}/pulls/8/files"),
        ("GET", "/repos/acme/other/pulls/7"),
        ("GET", f"{REPO}/pulls/7/commits"),
        ("DELETE", f"{REPO}/issues/comments/1001"),
        ("POST", f"{REPO}/issues/8/comments"),
    ],
)
def test_unknown_routes_are_404(fake: FakeGitHub, method: str, path: str) -> None:
    body = {"body": "x"} if method == "POST" else None
    status, _, payload = call(fake, method, path, body)
    assert status == 404
    assert payload["message"] == "Not Found"
    assert payload["documentation_url"].startswith("https://docs.github.com/")
    assert fake.issue_comments == []


def test_owner_and_repo_are_case_insensitive(fake: FakeGitHub) -> None:
    status, _, _ = call(fake, "GET", "/repos/ACME/Handbook/pulls/7")
    assert status == 200


# -- read-only tokens and injected errors ------------------------------------------------------


def test_read_only_token_cannot_write() -> None:
    files = [make_file("a.md", "@@ -1 +1 @@\n-a\n+b")]
    with FakeGitHub(token=TOKEN, read_only=True, files=files) as fake:
        seeded = fake.add_issue_comment("existing")
        assert call(fake, "GET", "/repos/octo-org/policies/pulls/1")[0] == 200
        for method, path, body in [
            ("POST", "/repos/octo-org/policies/pulls/1/reviews", {"event": "APPROVE"}),
            ("POST", "/repos/octo-org/policies/issues/1/comments", {"body": "x"}),
            ("PATCH", f"/repos/octo-org/policies/issues/comments/{seeded['id']}", {"body": "x"}),
        ]:
            status, _, payload = call(fake, method, path, body)
            assert status == 403
            assert payload["message"] == "Resource not accessible by integration"
        assert fake.reviews == [] and fake.issue_comments == [seeded]
        assert seeded["body"] == "existing"
        assert fake.violations == []


def test_fail_next_rate_limit_is_one_shot(fake: FakeGitHub) -> None:
    before = int(time.time())
    fake.fail_next_rate_limited("GET", r"/pulls/7/files$", retry_after=7)
    assert fake.pending_failures == [("GET", r"/pulls/7/files$", 403)]

    # A different route does not consume the queued failure.
    assert call(fake, "GET", f"{REPO}/pulls/7")[0] == 200
    status, headers, body = call(fake, "GET", f"{REPO}/pulls/7/files")
    assert status == 403
    assert headers["x-ratelimit-remaining"] == "0"
    assert int(headers["x-ratelimit-reset"]) >= before + 60
    assert headers["retry-after"] == "7"
    assert "rate limit" in body["message"]
    assert fake.pending_failures == []

    assert call(fake, "GET", f"{REPO}/pulls/7/files")[0] == 200


def test_fail_next_custom_429_and_errors(fake: FakeGitHub) -> None:
    fake.fail_next(
        "POST",
        r"/reviews$",
        429,
        {"message": "You have exceeded a secondary rate limit."},
        {"retry-after": "1", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
    )
    fake.fail_next("*", r"/issues/7/comments$", 404)
    status, headers, body = call(fake, "POST", f"{REPO}/pulls/7/reviews", {"event": "APPROVE"})
    assert (status, headers["retry-after"], body["message"]) == (
        429,
        "1",
        "You have exceeded a secondary rate limit.",
    )
    assert fake.reviews == []
    status, _, body = call(fake, "GET", f"{REPO}/issues/7/comments")
    assert (status, body["message"]) == (404, "Not Found")
    assert call(fake, "POST", f"{REPO}/pulls/7/reviews", {"event": "APPROVE"})[0] == 200
    assert len(fake.reviews) == 1


def test_injected_failure_still_records_violations(fake: FakeGitHub) -> None:
    fake.fail_next("POST", r"/reviews$", 502)
    status, _, _ = call(fake, "POST", f"{REPO}/pulls/7/reviews", {"event": "SHIP_IT"})
    assert status == 502
    assert len(fake.violations) == 1 and "'SHIP_IT' is not one of" in fake.violations[0]


def test_failures_come_after_authentication(fake: FakeGitHub) -> None:
    fake.fail_next("GET", r".*", 500)
    assert call(fake, "GET", f"{REPO}/pulls/7", token="wrong")[0] == 401
    assert fake.pending_failures == [("GET", ".*", 500)]


# -- the request log -------------------------------------------------------------------


def test_requests_are_logged(fake: FakeGitHub) -> None:
    call(fake, "GET", f"{REPO}/pulls/7/files?per_page=2&page=1")
    call(fake, "POST", f"{REPO}/issues/7/comments", {"body": "hello"})
    get, post = fake.requests
    assert (get.method, get.path, get.query, get.json, get.status) == (
        "GET",
        f"{REPO}/pulls/7/files",
        {"per_page": "2", "page": "1"},
        None,
        200,
    )
    assert get.headers["authorization"] == "Bearer ***"
    assert TOKEN not in json.dumps(get.headers)
    assert get.headers["x-github-api-version"] == API_VERSION
    assert (post.method, post.json, post.status) == ("POST", {"body": "hello"}, 201)
    assert fake.requests_matching("POST", r"/issues/\d+/comments$") == [post]
