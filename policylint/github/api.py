"""A minimal GitHub REST client: authenticated JSON requests, Link pagination, clear errors.

Every failure becomes a ``GitHubError`` whose message names the request that
failed and what to do about it; the token never appears in a message, a URL or
a printed request.
"""
from __future__ import annotations

import datetime as _dt
import http.client
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from policylint import __version__
from policylint.errors import PolicylintError

API_VERSION = "2022-11-28"
DEFAULT_API_URL = "https://api.github.com"
PER_PAGE = 100  # GitHub's maximum: fewer round trips on busy pull requests
TIMEOUT = 30.0
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([^";]+)"?')


class GitHubError(PolicylintError):
    """A request to GitHub failed (network, authentication, permissions, rate limit, ...)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NoWriteAccess(GitHubError):
    """The token may read the pull request but not comment on it (e.g. a PR from a fork)."""


@dataclass(frozen=True)
class Request:
    """A write the client would send; what ``--dry-run`` prints."""

    method: str
    url: str
    body: Any


class Client:
    """JSON over HTTPS to one GitHub API root, with one token."""

    def __init__(self, api_url: str, token: str, *, timeout: float = TIMEOUT) -> None:
        self.api_url = api_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self._origin = _origin(self.api_url)
        if self._origin[0] not in ("http", "https") or not self._origin[1]:
            raise GitHubError(f"GITHUB_API_URL is not an http(s) URL: {self._redact(api_url)!r}")

    def url(self, path: str, **query: Any) -> str:
        """The full URL of an API path such as ``/repos/o/r/pulls/1``."""
        return self.api_url + path + (f"?{urlencode(query)}" if query else "")

    def get(self, path: str) -> Any:
        """GET one JSON document."""
        return self._send("GET", self.url(path), None)[0]

    def paginate(self, path: str) -> Iterator[Any]:
        """Every item of a listing, following the ``Link: rel="next"`` headers."""
        url: str | None = self.url(path, per_page=PER_PAGE)
        while url is not None:
            page, headers = self._send("GET", url, None)
            if not isinstance(page, list):
                raise GitHubError(f"GET {self._shown(url)}: GitHub answered with something other than a list")
            yield from page
            url = _next_link(headers.get("link"))
            if url is not None and not self._same_origin(url):
                # Never carry the token to another host, whatever a header says.
                raise GitHubError(f"GET {self._shown(path)}: the next page is on another host ({self._redact(url)})")

    def send(self, request: Request) -> Any:
        """Send a write (POST/PATCH) and return GitHub's answer."""
        return self._send(request.method, request.url, request.body)[0]

    # -- plumbing ------------------------------------------------------------

    def _same_origin(self, url: str) -> bool:
        return _origin(url) == self._origin

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def _shown(self, url: str) -> str:
        """A URL as messages show it: the path below the API root, without the query."""
        path = urlsplit(url).path
        root = urlsplit(self.api_url).path
        if root and path.startswith(root):
            path = path[len(root):]
        return self._redact(path or "/")

    def _send(self, method: str, url: str, body: Any) -> tuple[Any, dict[str, str]]:
        data = None
        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self._token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"policylint/{__version__}",
        }
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        where = f"{method} {self._shown(url)}"
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                raw = response.read()
                answer_headers = {k.lower(): v for k, v in response.headers.items()}
        except urllib.error.HTTPError as exc:
            with exc:
                raw = exc.read() or b""
                answer_headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
            raise self._http_error(where, method, exc.code, raw, answer_headers) from None
        except urllib.error.URLError as exc:
            raise GitHubError(f"{where}: cannot reach GitHub at {self._redact(self.api_url)}: "
                              f"{self._redact(str(exc.reason))}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise GitHubError(f"{where}: the connection to GitHub failed: "
                              f"{self._redact(str(exc) or type(exc).__name__)}") from None
        if not raw.strip():
            return None, answer_headers
        try:
            return json.loads(raw), answer_headers
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise GitHubError(f"{where}: GitHub's answer is not JSON; is GITHUB_API_URL "
                              f"({self._redact(self.api_url)}) the API root?") from None

    def _http_error(self, where: str, method: str, status: int, raw: bytes,
                    headers: dict[str, str]) -> GitHubError:
        message = ""
        details: list[str] = []
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if isinstance(payload, dict):
            message = str(payload.get("message") or "").strip()
            for error in payload.get("errors") or []:
                if isinstance(error, dict):
                    error = error.get("message") or error.get("code") or json.dumps(error)
                details.append(str(error))
        # "401 Bad credentials": the status with GitHub's own words, when it gave any.
        said = self._redact(f"{status} {message}" if message else str(status))
        if status in (403, 429) and _rate_limited(headers, message):
            return GitHubError(f"{where}: GitHub's API rate limit is exhausted ({said}); "
                               f"{_when_to_retry(headers)}", status)
        if status == 401:
            return GitHubError(f"{where}: GitHub rejected the token ({said}); "
                               "check that GITHUB_TOKEN is set to a valid, unexpired token", status)
        if status == 403 and method != "GET":
            return NoWriteAccess(f"{where}: the token may not comment on this pull request ({said})", status)
        if status == 403:
            return GitHubError(f"{where}: access denied ({said}); the token cannot read this "
                               "repository or pull request", status)
        if status == 404:
            return GitHubError(f"{where}: not found (404); check the repository (--repo or "
                               "GITHUB_REPOSITORY), the pull request number (--pr or the event), and "
                               "that the token can read the repository", status)
        if status == 422:
            extra = ": " + "; ".join(self._redact(d) for d in details) if details else ""
            return GitHubError(f"{where}: GitHub refused the request ({said}){extra}", status)
        return GitHubError(f"{where}: GitHub answered {said}", status)


class _KeepTokenHome(urllib.request.HTTPRedirectHandler):
    """Follow redirects (renamed repositories), but never send the token to another host."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(newurl) != _origin(req.full_url):
            new.remove_header("Authorization")
        return new


_OPENER = urllib.request.build_opener(_KeepTokenHome)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def _rate_limited(headers: dict[str, str], message: str) -> bool:
    """GitHub's documented signs of a primary or secondary rate limit."""
    return (headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers
            or "rate limit" in message.lower())


def _when_to_retry(headers: dict[str, str]) -> str:
    retry_after = headers.get("retry-after", "").strip()
    if retry_after.isdigit():
        return f"try again in {int(retry_after)} s"
    reset = headers.get("x-ratelimit-reset", "").strip()
    if reset.isdigit():
        at = _dt.datetime.fromtimestamp(int(reset), tz=_dt.timezone.utc)
        return f"it resets at {at:%H:%M:%S} UTC"
    return "try again in a few minutes"


def _next_link(header: str | None) -> str | None:
    """The ``rel="next"`` URL of a Link header, if any."""
    for url, rel in _LINK.findall(header or ""):
        if "next" in rel.split():
            return str(url)
    return None
