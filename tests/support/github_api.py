"""A local imitation of the parts of GitHub's REST API that PR review uses.

``FakeGitHub`` runs a real HTTP server on 127.0.0.1 (in a background thread)
so the code under test talks to it exactly as it would to api.github.com:
point ``GITHUB_API_URL`` at ``fake.url``, run the tool, then assert on what
the fake recorded.

Besides answering, the fake *checks* every request against GitHub's documented
request shape (headers, and for write endpoints the JSON body, using the JSON
Schemas in ``github_schemas/``). Every departure is appended to
``fake.violations`` so a test can end with ``assert fake.violations == []``.

Supported routes (``{o}/{r}`` may also be written ``repositories/{repo_id}``,
the form GitHub itself uses in pagination links):

    GET   /repos/{o}/{r}/pulls/{n}
    GET   /repos/{o}/{r}/pulls/{n}/files            (paginated)
    GET   /repos/{o}/{r}/pulls/{n}/comments         (paginated)
    GET   /repos/{o}/{r}/pulls/{n}/reviews          (paginated)
    GET   /repos/{o}/{r}/issues/{n}/comments        (paginated)
    POST  /repos/{o}/{r}/pulls/{n}/reviews
    POST  /repos/{o}/{r}/issues/{n}/comments
    PATCH /repos/{o}/{r}/issues/comments/{id}
    PATCH /repos/{o}/{r}/pulls/comments/{id}

Anything else is answered 404 like GitHub does.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jsonschema

__all__ = [
    "API_VERSION",
    "DiffLine",
    "FakeGitHub",
    "Hunk",
    "RecordedRequest",
    "commentable_lines",
    "make_file",
    "parse_patch",
]

API_VERSION = "2022-11-28"
SCHEMA_DIR = Path(__file__).parent / "github_schemas"

_DOCS = "https://docs.github.com/rest"
_DOC_REVIEWS = f"{_DOCS}/pulls/reviews#create-a-review-for-a-pull-request"
_DOC_ISSUE_COMMENT = f"{_DOCS}/issues/comments#create-an-issue-comment"
_DOC_UPDATE_ISSUE_COMMENT = f"{_DOCS}/issues/comments#update-an-issue-comment"
_DOC_UPDATE_REVIEW_COMMENT = (
    f"{_DOCS}/pulls/comments#update-a-review-comment-for-a-pull-request"
)
_DOC_RATE_LIMITS = f"{_DOCS}/using-the-rest-api/rate-limits-for-the-rest-api"

_MAX_PER_PAGE = 100  # GitHub silently caps per_page at 100.
_WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def _load_validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


_HEADERS_VALIDATOR = _load_validator("headers")
_BODY_VALIDATORS = {
    name: _load_validator(name)
    for name in (
        "pulls-create-review",
        "issues-create-comment",
        "issues-update-comment",
        "pulls-update-review-comment",
    )
}


# --------------------------------------------------------------------------
# Unified-diff helpers (GitHub's per-file ``patch`` strings)
# --------------------------------------------------------------------------

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class DiffLine:
    """One line of a patch below a hunk header.

    ``position`` is GitHub's (deprecated) diff position: the number of lines
    below the file's first ``@@`` header, counting later ``@@`` headers too.
    """

    position: int
    kind: str  # "+", "-", " " (context) or "\\" ("\ No newline at end of file")
    old_line: int | None
    new_line: int | None


@dataclass(frozen=True)
class Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    header_position: int  # 0 for the first hunk
    lines: tuple[DiffLine, ...]

    def lines_on(self, side: str) -> range:
        """Lines of the side's file this hunk covers (from its @@ header)."""
        if side == "LEFT":
            return range(self.old_start, self.old_start + self.old_count)
        return range(self.new_start, self.new_start + self.new_count)


def parse_patch(patch: str | None) -> list[Hunk]:
    """Split a GitHub ``patch`` string into hunks (empty for binary files)."""
    if not patch:
        return []
    hunks: list[Hunk] = []
    header: tuple[int, int, int, int, int] | None = None
    body: list[DiffLine] = []
    old = new = 0
    for position, text in enumerate(patch.splitlines()):
        match = _HUNK_HEADER.match(text)
        if match:
            if header is not None:
                hunks.append(Hunk(*header, lines=tuple(body)))
            a, b, c, d = match.groups()
            # A missing count in "@@ -a +c @@" means a one-line range.
            header = (int(a), int(b or 1), int(c), int(d or 1), position)
            body = []
            old, new = int(a), int(c)
            continue
        if header is None:
            raise ValueError(f"patch does not start with an @@ header: {text!r}")
        kind = text[:1] or " "  # tolerate context lines stripped of their space
        if kind == "+":
            body.append(DiffLine(position, "+", None, new))
            new += 1
        elif kind == "-":
            body.append(DiffLine(position, "-", old, None))
            old += 1
        elif kind == "\\":
            body.append(DiffLine(position, "\\", None, None))
        else:
            body.append(DiffLine(position, " ", old, new))
            old += 1
            new += 1
    if header is not None:
        hunks.append(Hunk(*header, lines=tuple(body)))
    return hunks


def commentable_lines(patch: str | None, side: str = "RIGHT") -> set[int]:
    """Lines a review comment may target on ``side`` (the hunks' ranges)."""
    return {n for hunk in parse_patch(patch) for n in hunk.lines_on(side)}


def make_file(
    filename: str,
    patch: str | None,
    *,
    status: str = "modified",
    **extra: Any,
) -> dict[str, Any]:
    """Build an entry of ``GET /pulls/{n}/files`` with derived counts and sha."""
    lines = [line for hunk in parse_patch(patch) for line in hunk.lines]
    additions = sum(line.kind == "+" for line in lines)
    deletions = sum(line.kind == "-" for line in lines)
    entry: dict[str, Any] = {
        "sha": hashlib.sha1(f"{filename}\0{patch}".encode()).hexdigest(),
        "filename": filename,
        "status": status,
        "additions": additions,
        "deletions": deletions,
        "changes": additions + deletions,
    }
    if patch is not None:  # GitHub omits "patch" for binary/huge files.
        entry["patch"] = patch
    entry.update(extra)
    return entry


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it.

    ``headers`` has lower-cased names and the Authorization credential
    replaced by ``***`` (the scheme is kept, e.g. ``"Bearer ***"``).
    ``query`` keeps the last value of each parameter. ``json`` is the parsed
    body, or None when there was none (or it was not valid JSON).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    status: int


@dataclass
class _Failure:
    method: str
    path_pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and bool(self.path_pattern.search(path))


@dataclass
class _Response:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, message: str, documentation_url: str = _DOCS, **extra: Any) -> _Response:
    # GitHub's error documents carry the status as a string as well.
    return _Response(
        status,
        {
            "message": message,
            **extra,
            "documentation_url": documentation_url,
            "status": str(status),
        },
    )


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: str  # name of a FakeGitHub method taking (match, query, body)
    schema: str | None = None
    doc: str = _DOCS


# Matched against the part of the path after /repos/{o}/{r}.
_ROUTES: tuple[_Route, ...] = (
    _Route("GET", re.compile(r"/pulls/(?P<number>\d+)"), "_get_pull"),
    _Route("GET", re.compile(r"/pulls/(?P<number>\d+)/files"), "_list_files"),
    _Route("GET", re.compile(r"/pulls/(?P<number>\d+)/comments"), "_list_review_comments"),
    _Route("GET", re.compile(r"/pulls/(?P<number>\d+)/reviews"), "_list_reviews"),
    _Route("GET", re.compile(r"/issues/(?P<number>\d+)/comments"), "_list_issue_comments"),
    _Route(
        "POST",
        re.compile(r"/pulls/(?P<number>\d+)/reviews"),
        "_create_review",
        "pulls-create-review",
        _DOC_REVIEWS,
    ),
    _Route(
        "POST",
        re.compile(r"/issues/(?P<number>\d+)/comments"),
        "_create_issue_comment",
        "issues-create-comment",
        _DOC_ISSUE_COMMENT,
    ),
    _Route(
        "PATCH",
        re.compile(r"/issues/comments/(?P<comment_id>\d+)"),
        "_update_issue_comment",
        "issues-update-comment",
        _DOC_UPDATE_ISSUE_COMMENT,
    ),
    _Route(
        "PATCH",
        re.compile(r"/pulls/comments/(?P<comment_id>\d+)"),
        "_update_review_comment",
        "pulls-update-review-comment",
        _DOC_UPDATE_REVIEW_COMMENT,
    ),
)

_REPO_PREFIX = re.compile(
    r"^/(?:repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)|repositories/(?P<repo_id>\d+))(?P<rest>/.*)$"
)

_REVIEW_STATES = {
    "APPROVE": "APPROVED",
    "REQUEST_CHANGES": "CHANGES_REQUESTED",
    "COMMENT": "COMMENTED",
    None: "PENDING",
}


# --------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------


class FakeGitHub:
    """A checking imitation of GitHub's REST API for one pull request.

    Use as a context manager (or call ``start()``/``close()``)::

        with FakeGitHub(files=[make_file("policy.md", patch)]) as fake:
            run_tool(env={"GITHUB_API_URL": fake.url, "GITHUB_TOKEN": fake.token})
        assert fake.violations == []
        assert [c["line"] for c in fake.review_comments] == [3]

    All state attributes are plain lists of plain dicts that tests may read
    (and, before the tool runs, seed); the server guards them with ``lock``.
    """

    def __init__(
        self,
        *,
        owner: str = "octo-org",
        repo: str = "policies",
        pr_number: int = 1,
        head_sha: str = "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        base_sha: str = "9a4e1b2c3d5f60718293a4b5c6d7e8f901234567",
        head_ref: str = "policy-update",
        base_ref: str = "main",
        token: str = "test-token",
        files: Iterable[Mapping[str, Any]] = (),
        per_page: int = 30,
        login: str = "github-actions[bot]",
        read_only: bool = False,
        repo_id: int = 1296269,
    ) -> None:
        self.owner = owner
        self.repo = repo
        self.pr_number = pr_number
        self.head_sha = head_sha
        self.base_sha = base_sha
        self.head_ref = head_ref
        self.base_ref = base_ref
        self.token = token
        self.per_page = per_page
        self.login = login
        self.read_only = read_only
        self.repo_id = repo_id
        self.files: list[dict[str, Any]] = [self._complete_file(f) for f in files]

        self.review_comments: list[dict[str, Any]] = []
        self.issue_comments: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []

        self.lock = threading.RLock()
        # One id sequence for every kind of object, so ids never collide:
        # a client that PATCHes an issue-comment id on the review-comment
        # endpoint (or vice versa) gets the 404 it would get from GitHub.
        self._ids = itertools.count(1001)
        self._failures: list[_Failure] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FakeGitHub:
        if self._server is not None:
            raise RuntimeError("FakeGitHub already started")
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        # A short poll interval keeps close() (which waits for the serving
        # loop to notice the shutdown request) from adding ~0.5 s per test.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.02,), name="FakeGitHub", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """Base URL to use as GITHUB_API_URL, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("FakeGitHub is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.repo}"

    def env(self) -> dict[str, str]:
        """The GitHub Actions variables pointing at this fake."""
        return {
            "GITHUB_API_URL": self.url,
            "GITHUB_REPOSITORY": self.full_name,
            "GITHUB_TOKEN": self.token,
        }

    # -- test-side controls ------------------------------------------------

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next request matching ``method`` and ``path_regex`` with an error.

        ``method`` is an HTTP method or ``"*"``; ``path_regex`` is searched
        (``re.search``) in the request path without the query string. Each
        call queues one response; queued failures are used in order. Failures
        apply after authentication, before everything else, and a request with
        bad headers or body is still recorded in ``violations``.
        """
        if body is None:
            body = {
                "message": HTTPStatus(status).phrase,
                "documentation_url": _DOCS,
                "status": str(status),
            }
        with self.lock:
            self._failures.append(
                _Failure(method.upper(), re.compile(path_regex), status, body, dict(headers or {}))
            )

    def fail_next_rate_limited(
        self,
        method: str,
        path_regex: str,
        *,
        status: int = 403,
        secondary: bool = False,
        retry_after: int | None = None,
        reset_in: int = 60,
    ) -> None:
        """Queue a rate-limit error shaped as GitHub documents it.

        Primary limit: 403/429 with ``x-ratelimit-remaining: 0`` and
        ``x-ratelimit-reset`` (UTC epoch seconds). Secondary limit: 403/429
        with a "secondary rate limit" message and, if given, ``retry-after``.
        """
        reset = int(time.time()) + reset_in
        headers = {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0" if not secondary else "4990",
            "x-ratelimit-used": "5000" if not secondary else "10",
            "x-ratelimit-reset": str(reset),
            "x-ratelimit-resource": "core",
        }
        if retry_after is not None:
            headers["retry-after"] = str(retry_after)
        if secondary:
            message = (
                "You have exceeded a secondary rate limit. Please wait a few "
                "minutes before you try again."
            )
        else:
            message = "API rate limit exceeded for installation."
        self.fail_next(
            method,
            path_regex,
            status,
            {"message": message, "documentation_url": _DOC_RATE_LIMITS, "status": str(status)},
            headers,
        )

    @property
    def pending_failures(self) -> list[tuple[str, str, int]]:
        """Queued failures not yet used, as (method, path_regex, status)."""
        with self.lock:
            return [(f.method, f.path_pattern.pattern, f.status) for f in self._failures]

    def add_issue_comment(self, body: str, *, login: str | None = None) -> dict[str, Any]:
        """Seed an existing PR conversation comment (e.g. from an earlier run)."""
        with self.lock:
            comment = self._new_issue_comment(body, login or self.login)
            self.issue_comments.append(comment)
            return comment

    def add_review_comment(
        self,
        path: str,
        line: int,
        body: str,
        *,
        side: str = "RIGHT",
        login: str | None = None,
        commit_id: str | None = None,
    ) -> dict[str, Any]:
        """Seed an existing inline review comment; its position is not checked."""
        with self.lock:
            review = self._new_review(
                "", "COMMENTED", commit_id or self.head_sha, login or self.login
            )
            self.reviews.append(review)
            comment = self._new_review_comment(
                review,
                {"path": path, "line": line, "side": side, "body": body},
                login=login or self.login,
            )
            self.review_comments.append(comment)
            return comment

    def requests_matching(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Recorded requests with this method whose path matches ``path_regex``."""
        pattern = re.compile(path_regex)
        with self.lock:
            return [
                r
                for r in self.requests
                if method.upper() in ("*", r.method) and pattern.search(r.path)
            ]

    # -- request processing (called from server threads) -------------------

    def _handle(
        self, method: str, target: str, raw_headers: Iterable[tuple[str, str]], raw_body: bytes
    ) -> _Response:
        split = urlsplit(target)
        path = split.path
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {name.lower(): value for name, value in raw_headers}

        with self.lock:
            try:
                body, response = self._dispatch(method, path, query, headers, raw_body)
            except Exception as exc:  # pragma: no cover - a bug in the fake itself
                # Surface it through ``violations`` too so a test cannot pass
                # just because the tool swallowed a 500.
                self.violations.append(f"{method} {path}: fake server error: {exc!r}")
                body, response = None, _error(500, f"fake server error: {exc!r}")
            self.requests.append(
                RecordedRequest(
                    method=method,
                    path=path,
                    query=query,
                    headers=_redact(headers),
                    json=body,
                    status=response.status,
                )
            )
        return response

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        raw_body: bytes,
    ) -> tuple[Any, _Response]:
        where = f"{method} {path}"

        # 1. Headers. Every departure is a violation, whatever is answered.
        header_errors = _schema_errors(_HEADERS_VALIDATOR, headers, "headers")
        self.violations.extend(f"{where}: {e}" for e in header_errors)

        # 2. Body: must be JSON; for known write routes, of the documented shape.
        body: Any = None
        bad_json = False
        if raw_body:
            try:
                body = json.loads(raw_body)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                bad_json = True
                self.violations.append(f"{where}: body is not valid JSON: {exc}")

        route, match, repo_ok = self._route(method, path)
        body_errors: list[str] = []
        if route is not None and route.schema is not None and not bad_json:
            if not raw_body:
                body_errors = ["request body is missing"]
            else:
                body_errors = _schema_errors(_BODY_VALIDATORS[route.schema], body, "body")
            self.violations.extend(f"{where}: {e}" for e in body_errors)

        # 3. Decide the answer, in the order GitHub would reject.
        scheme, _, credential = headers.get("authorization", "").partition(" ")
        if scheme.lower() not in ("bearer", "token") or not credential.strip():
            return body, _error(401, "Requires authentication")
        if credential.strip() != self.token:
            return body, _error(401, "Bad credentials")
        if header_errors:
            return body, _error(400, "Invalid request headers: " + "; ".join(header_errors))
        if bad_json:
            return body, _error(400, "Problems parsing JSON")

        for failure in self._failures:
            if failure.matches(method, path):
                self._failures.remove(failure)
                return body, _Response(
                    failure.status, copy.deepcopy(failure.body), dict(failure.headers)
                )

        if route is None or match is None or not repo_ok:
            return body, _error(404, "Not Found")
        if self.read_only and method in _WRITE_METHODS:
            return body, _error(403, "Resource not accessible by integration", route.doc)
        if body_errors:
            return body, _error(
                422, "Invalid request.\n\n" + "\n".join(body_errors), route.doc
            )

        handler: Callable[[re.Match[str], dict[str, str], Any], _Response] = getattr(
            self, route.handler
        )
        return body, handler(match, query, body)

    def _route(self, method: str, path: str) -> tuple[_Route | None, re.Match[str] | None, bool]:
        prefix = _REPO_PREFIX.match(path)
        if prefix is None:
            return None, None, False
        if prefix["repo_id"] is not None:
            repo_ok = int(prefix["repo_id"]) == self.repo_id
        else:
            # Owner and repository names are case-insensitive on GitHub.
            repo_ok = (prefix["owner"].lower(), prefix["repo"].lower()) == (
                self.owner.lower(),
                self.repo.lower(),
            )
        for route in _ROUTES:
            if route.method != method:
                continue
            match = route.pattern.fullmatch(prefix["rest"])
            if match:
                return route, match, repo_ok
        return None, None, repo_ok

    # -- endpoint handlers (lock held) --------------------------------------

    def _is_this_pr(self, match: re.Match[str]) -> bool:
        return int(match["number"]) == self.pr_number

    def _get_pull(self, match: re.Match[str], query: dict[str, str], body: Any) -> _Response:
        if not self._is_this_pr(match):
            return _error(404, "Not Found")
        return _Response(
            200,
            {
                "number": self.pr_number,
                "state": "open",
                "html_url": f"https://github.com/{self.full_name}/pull/{self.pr_number}",
                "user": _user(self.login),
                "head": {
                    "sha": self.head_sha,
                    "ref": self.head_ref,
                    "repo": {"full_name": self.full_name},
                },
                "base": {
                    "sha": self.base_sha,
                    "ref": self.base_ref,
                    "repo": {"full_name": self.full_name},
                },
                "changed_files": len(self.files),
            },
        )

    def _list_files(self, match: re.Match[str], query: dict[str, str], body: Any) -> _Response:
        return self._paginated(match, query, self.files, f"/pulls/{self.pr_number}/files")

    def _list_review_comments(
        self, match: re.Match[str], query: dict[str, str], body: Any
    ) -> _Response:
        return self._paginated(
            match, query, self.review_comments, f"/pulls/{self.pr_number}/comments"
        )

    def _list_reviews(self, match: re.Match[str], query: dict[str, str], body: Any) -> _Response:
        return self._paginated(match, query, self.reviews, f"/pulls/{self.pr_number}/reviews")

    def _list_issue_comments(
        self, match: re.Match[str], query: dict[str, str], body: Any
    ) -> _Response:
        return self._paginated(
            match, query, self.issue_comments, f"/issues/{self.pr_number}/comments"
        )

    def _create_issue_comment(
        self, match: re.Match[str], query: dict[str, str], body: Any
    ) -> _Response:
        if not self._is_this_pr(match):
            return _error(404, "Not Found", _DOC_ISSUE_COMMENT)
        comment = self._new_issue_comment(body["body"], self.login)
        self.issue_comments.append(comment)
        return _Response(201, copy.deepcopy(comment))

    def _update_issue_comment(
        self, match: re.Match[str], query: dict[str, str], body: Any
    ) -> _Response:
        return self._update(self.issue_comments, int(match["comment_id"]), body["body"])

    def _update_review_comment(
        self, match: re.Match[str], query: dict[str, str], body: Any
    ) -> _Response:
        return self._update(self.review_comments, int(match["comment_id"]), body["body"])

    def _update(self, comments: list[dict[str, Any]], comment_id: int, text: str) -> _Response:
        for comment in comments:
            if comment["id"] == comment_id:
                comment["body"] = text
                return _Response(200, copy.deepcopy(comment))
        return _error(404, "Not Found")

    def _create_review(self, match: re.Match[str], query: dict[str, str], body: Any) -> _Response:
        if not self._is_this_pr(match):
            return _error(404, "Not Found", _DOC_REVIEWS)
        commit_id = body.get("commit_id", self.head_sha)
        if commit_id != self.head_sha:
            # The fake knows a single commit: the PR head.
            return _error(
                422,
                "Unprocessable Entity",
                _DOC_REVIEWS,
                errors=[f"No commit found for SHA: {commit_id}"],
            )

        placed: list[dict[str, Any]] = []
        errors: list[str] = []
        for comment in body.get("comments", []):
            result = self._place_comment(comment)
            if isinstance(result, str):
                errors.append(result)
            else:
                placed.append(result)
        if errors:
            # GitHub rejects the whole review; nothing is stored.
            return _error(422, "Unprocessable Entity", _DOC_REVIEWS, errors=errors)

        review = self._new_review(
            body.get("body", ""), _REVIEW_STATES[body.get("event")], commit_id, self.login
        )
        self.reviews.append(review)
        for comment in placed:
            self.review_comments.append(self._new_review_comment(review, comment, self.login))
        return _Response(200, copy.deepcopy(review))

    def _place_comment(self, comment: Mapping[str, Any]) -> dict[str, Any] | str:
        """Resolve a draft comment against the diff: placed comment or error text."""
        path = comment["path"]
        file = next((f for f in self.files if f["filename"] == path), None)
        if file is None:
            return f"Path could not be resolved: {path}"
        hunks = parse_patch(file.get("patch"))

        if "position" in comment:
            # The deprecated placement: map the diff position to a line.
            line = next(
                (dl for h in hunks for dl in h.lines if dl.position == comment["position"]),
                None,
            )
            if line is None or line.kind == "\\":
                return f"Position could not be resolved: {path} position {comment['position']}"
            side = "LEFT" if line.kind == "-" else "RIGHT"
            number = line.old_line if side == "LEFT" else line.new_line
            return {**comment, "line": number, "side": side}

        side = comment.get("side", "RIGHT")
        end_hunk = _hunk_containing(hunks, side, comment["line"])
        if end_hunk is None:
            return f"Line could not be resolved: {path} line {comment['line']} ({side})"
        placed = {**comment, "side": side}
        if "start_line" in comment:
            start_side = comment.get("start_side", side)
            start_hunk = _hunk_containing(hunks, start_side, comment["start_line"])
            if start_hunk is None:
                return (
                    f"Start line could not be resolved: {path} line "
                    f"{comment['start_line']} ({start_side})"
                )
            if start_hunk is not end_hunk:
                return f"start_line must be part of the same hunk as the line: {path}"
            if start_side == side and comment["start_line"] >= comment["line"]:
                return f"start_line must precede the end line: {path}"
            placed["start_side"] = start_side
        return placed

    # -- object factories (lock held) --------------------------------------

    def _pr_html_url(self) -> str:
        return f"https://github.com/{self.full_name}/pull/{self.pr_number}"

    def _new_issue_comment(self, body: str, login: str) -> dict[str, Any]:
        comment_id = next(self._ids)
        return {
            "id": comment_id,
            "body": body,
            "user": _user(login),
            "html_url": f"{self._pr_html_url()}#issuecomment-{comment_id}",
        }

    def _new_review(self, body: str, state: str, commit_id: str, login: str) -> dict[str, Any]:
        review_id = next(self._ids)
        return {
            "id": review_id,
            "body": body,
            "state": state,
            "commit_id": commit_id,
            "user": _user(login),
            "html_url": f"{self._pr_html_url()}#pullrequestreview-{review_id}",
        }

    def _new_review_comment(
        self, review: Mapping[str, Any], comment: Mapping[str, Any], login: str
    ) -> dict[str, Any]:
        comment_id = next(self._ids)
        return {
            "id": comment_id,
            "pull_request_review_id": review["id"],
            "commit_id": review["commit_id"],
            "path": comment["path"],
            "line": comment["line"],
            "side": comment.get("side", "RIGHT"),
            "start_line": comment.get("start_line"),
            "start_side": comment.get("start_side"),
            "body": comment["body"],
            "user": _user(login),
            "html_url": f"{self._pr_html_url()}#discussion_r{comment_id}",
        }

    # -- pagination ---------------------------------------------------------

    def _paginated(
        self,
        match: re.Match[str],
        query: dict[str, str],
        items: list[dict[str, Any]],
        rest: str,
    ) -> _Response:
        if not self._is_this_pr(match):
            return _error(404, "Not Found")
        per_page = min(max(_int(query.get("per_page"), self.per_page), 1), _MAX_PER_PAGE)
        page = max(_int(query.get("page"), 1), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]

        headers: dict[str, str] = {}
        # GitHub omits the header when everything fits on one page.
        if len(items) > per_page:
            # Like GitHub: links use the /repositories/{id} form, keep the
            # client's other query parameters, and put ``page`` last.
            others = [(k, v) for k, v in query.items() if k != "page"]
            base = f"{self.url}/repositories/{self.repo_id}{rest}"

            def link(number: int, rel: str) -> str:
                return f'<{base}?{urlencode([*others, ("page", str(number))])}>; rel="{rel}"'

            links = []
            if page > 1:
                links.append(link(page - 1, "prev"))
            if page < last:
                links.append(link(page + 1, "next"))
                links.append(link(last, "last"))
            if page > 1:
                links.append(link(1, "first"))
            if links:
                headers["link"] = ", ".join(links)
        return _Response(200, copy.deepcopy(chunk), headers)

    # -- helpers --------------------------------------------------------------

    def _complete_file(self, file: Mapping[str, Any]) -> dict[str, Any]:
        """Fill in the fields GitHub always sends that a test left out."""
        if "filename" not in file:
            raise ValueError(f"a PR file needs a 'filename': {file!r}")
        derived = make_file(
            file["filename"], file.get("patch"), status=file.get("status", "modified")
        )
        return {**derived, **copy.deepcopy(dict(file))}


def _hunk_containing(hunks: list[Hunk], side: str, line: int) -> Hunk | None:
    return next((h for h in hunks if line in h.lines_on(side)), None)


def _user(login: str) -> dict[str, Any]:
    return {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"}


def _int(value: str | None, default: int) -> int:
    # GitHub ignores page/per_page values that are not integers.
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _redact(headers: Mapping[str, str]) -> dict[str, str]:
    redacted = dict(headers)
    if "authorization" in redacted:
        scheme, _, _ = redacted["authorization"].partition(" ")
        redacted["authorization"] = f"{scheme} ***"
    return redacted


def _schema_errors(
    validator: jsonschema.Draft202012Validator, instance: Any, what: str
) -> list[str]:
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    # json_path is "$", "$.comments[0].line", ...; show it rooted at ``what``.
    return [f"{what}{e.json_path[1:]}: {e.message}" for e in errors]


# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 so keep-alive clients (requests/httpx sessions) behave as with
    # GitHub; every response therefore carries a Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "FakeGitHub"

    def _serve(self) -> None:
        fake: FakeGitHub = self.server.fake  # type: ignore[attr-defined]
        response = fake._handle(self.command, self.path, self.headers.items(), self._read_body())
        payload = json.dumps(response.body).encode()
        self.send_response(response.status)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("content-length", str(len(payload)))
        self.send_header("x-github-api-version-selected", API_VERSION)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    # Skip trailers up to the blank line.
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after each chunk
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep pytest output clean; ``fake.requests`` is the log
