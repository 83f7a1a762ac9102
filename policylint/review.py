"""``policylint review``: lint the policies a GitHub pull request changes, and say so on the pull request.

The flow: read the pull request (its head commit and changed files, from the
API, so a shallow checkout is enough), lint the changed policies as they are in
the working tree (exactly as ``check`` would), then

- post one review with an inline comment for each finding on a line the pull
  request added or changed, skipping comments that are already there;
- keep one summary comment (found again by a hidden marker) with the checklist
  of each changed policy and the findings that belong to no line;
- mark our earlier inline comments whose finding is gone as fixed (the REST API
  cannot resolve review threads).

A token that may not comment (pull requests from forks) makes it print GitHub
annotations instead. Any other API failure is one message and exit code 2.
"""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

import click

from policylint import __version__
from policylint import lang as _lang
from policylint.cli import (
    config_option,
    exit_with,
    fail_on_option,
    isolated_option,
    lang_option,
    message_lang_option,
    use_color,
)
from policylint.errors import PolicylintError
from policylint.files import FileFilter
from policylint.findings import FileReport, Finding, Severity, Status
from policylint.formatters import flagged, status_text
from policylint.formatters.github import command as workflow_command
from policylint.github.api import DEFAULT_API_URL, Client, GitHubError, NoWriteAccess, Request
from policylint.github.diff import FileDiff, parse_patch

SUMMARY_MARKER = "<!-- policylint-review -->"
# Inline comments start with this marker: it tells our comments from people's,
# and its fingerprint ties a comment to a finding wherever the finding's line goes.
_FINDING_MARKER = re.compile(r"<!-- policylint-finding:([0-9a-f]{12})(:fixed)? -->")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
# Findings about something absent: they have no line of their own to comment on.
_FILE_LEVEL_RULES = frozenset({"frontmatter/missing", "frontmatter/required"})
MAX_BODY = 65536  # GitHub refuses longer comment bodies (422)
_MARK = {Status.PRESENT: "\u2713", Status.MISSING: "\u2717", Status.VIOLATED: "!"}
_ANNOTATION = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


@dataclass(frozen=True)
class Target:
    """Which pull request, on which GitHub, with which token."""

    api_url: str
    token: str = field(repr=False)
    owner: str
    repo: str
    number: int

    @property
    def base(self) -> str:
        return f"/repos/{self.owner}/{self.repo}"


@dataclass(frozen=True)
class ReviewOptions:
    """What the command line asked for."""

    paths: tuple[str, ...] = ()
    repo: str | None = None
    pr: int | None = None
    dry_run: bool = False
    fail_on: str = "error"
    message_lang: str | None = None
    default_lang: str | None = None
    color: bool = False
    config_path: str | None = None
    isolated: bool = False
    explicit: frozenset[str] = frozenset()

    def settings(self) -> Any:
        """The command line's settings, to which each file's config is added as in `check`."""
        from policylint.engine import LintOptions
        from policylint.runner import Settings

        return Settings(paths=list(self.paths) or ["."], fail_on=self.fail_on, default_lang=self.default_lang,
                        config_path=self.config_path, isolated=self.isolated, explicit=self.explicit,
                        lint=LintOptions(message_lang=self.message_lang))


@dataclass
class PullRequest:
    """What the API says about the pull request, fetched once per run."""

    head_sha: str
    files: list[dict[str, Any]]
    review_comments: list[dict[str, Any]]
    issue_comments: list[dict[str, Any]]


@dataclass
class Reviewed:
    """One changed policy: its report and where its findings go."""

    path: str
    diff: FileDiff = field(default_factory=FileDiff)
    report: FileReport | None = None
    problem: str | None = None
    note: str | None = None  # message id: why findings could not be placed on lines
    inline: list[tuple[Finding, int | None, int]] = field(default_factory=list)  # finding, start, line
    file_level: list[Finding] = field(default_factory=list)
    other: list[Finding] = field(default_factory=list)  # on lines the pull request did not change


# -- where the pull request is -------------------------------------------------------------


def resolve_target(options: ReviewOptions, environ: Mapping[str, str]) -> Target:
    """Token, repository and number from flags and the GitHub Actions environment."""
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise PolicylintError("GITHUB_TOKEN is not set: in a workflow, pass "
                              "`env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` to the step")
    repo = options.repo or environ.get("GITHUB_REPOSITORY", "").strip()
    if not repo:
        raise PolicylintError("which repository? Pass --repo OWNER/NAME or set GITHUB_REPOSITORY")
    if not _REPO.match(repo):
        raise PolicylintError(f"the repository must be written OWNER/NAME, not {repo!r}")
    number = options.pr if options.pr is not None else _number_from_event(environ)
    owner, _, name = repo.partition("/")
    api_url = environ.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    return Target(api_url, token, owner, name, number)


def _number_from_event(environ: Mapping[str, str]) -> int:
    """The pull request number from the event file GitHub Actions writes."""
    path = environ.get("GITHUB_EVENT_PATH", "").strip()
    if not path:
        raise PolicylintError("which pull request? Pass --pr N, or run in a GitHub Actions "
                              "`pull_request` workflow (GITHUB_EVENT_PATH is not set)")
    try:
        with open(path, encoding="utf-8") as handle:
            event = json.load(handle)
    except OSError as exc:
        raise PolicylintError(f"cannot read the event file (GITHUB_EVENT_PATH): {exc.strerror or exc}",
                              path) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PolicylintError(f"the event file (GITHUB_EVENT_PATH) is not valid JSON: {exc}", path) from None
    number: Any = None
    if isinstance(event, dict):
        pull = event.get("pull_request")
        issue = event.get("issue")
        if isinstance(pull, dict):
            number = pull.get("number", event.get("number"))
        elif isinstance(issue, dict) and issue.get("pull_request") is not None:
            number = issue.get("number")  # a comment on a pull request
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        name = environ.get("GITHUB_EVENT_NAME")
        kind = f"the `{name}` event" if name else "the event"
        raise PolicylintError(f"{kind} is not about a pull request: run on `pull_request`, or pass --pr N", path)
    return number


def fetch(client: Client, target: Target) -> PullRequest:
    """The pull request's head commit, changed files and existing comments."""
    pull = client.get(f"{target.base}/pulls/{target.number}")
    head = pull.get("head") if isinstance(pull, dict) else None
    sha = head.get("sha") if isinstance(head, dict) else None
    if not isinstance(sha, str) or not sha:
        raise GitHubError(f"GET {target.base}/pulls/{target.number}: the answer has no head commit")
    files = [f for f in client.paginate(f"{target.base}/pulls/{target.number}/files")
             if isinstance(f, dict) and isinstance(f.get("filename"), str)]
    review_comments = [c for c in client.paginate(f"{target.base}/pulls/{target.number}/comments")
                       if isinstance(c, dict)]
    issue_comments = [c for c in client.paginate(f"{target.base}/issues/{target.number}/comments")
                      if isinstance(c, dict)]
    return PullRequest(sha, files, review_comments, issue_comments)


# -- which policies changed, and their findings ---------------------------------------------


def select_policies(files: Iterable[Mapping[str, Any]], paths: Iterable[str] = (),
                    file_filter: FileFilter | None = None) -> list[Mapping[str, Any]]:
    """Changed policy files that still exist, under ``paths`` when given, skipping hidden ones.

    Which files are policies is what ``check`` would walk: the config's
    include/exclude globs (Markdown by default) and .gitignore.
    """
    file_filter = file_filter or FileFilter()
    # The API names files relative to the repository root, which is where the command runs.
    prefixes = [posixpath.normpath((os.path.relpath(p) if os.path.isabs(p) else p).replace(os.sep, "/"))
                for p in paths]
    chosen = []
    for file in files:
        name: str = file["filename"]
        if file.get("status") == "removed":
            continue
        parts = name.split("/")
        if name.startswith("/") or ".." in parts:
            continue  # not a path inside the repository: never read it
        if not file_filter.included(name) or file_filter.excluded(name):
            continue
        if any(part.startswith(".") for part in parts):
            continue  # as `check` skips hidden files and folders when it walks a folder
        if prefixes and not any(p in (".", name) or name.startswith(p.rstrip("/") + "/") for p in prefixes):
            continue
        chosen.append(file)
    return chosen


def lint_changed(files: Iterable[Mapping[str, Any]], options: ReviewOptions) -> list[Reviewed]:
    """Lint each changed policy from the working tree and sort its findings by where they go."""
    from policylint.runner import lint_file

    base = options.settings()
    reviewed = []
    for file in files:
        path = file["filename"]
        item = Reviewed(path, parse_patch(file.get("patch")))
        try:
            item.report = lint_file(path, base)  # with the config that governs the file, as `check`
        except PolicylintError as exc:
            item.problem = exc.message
            reviewed.append(item)
            continue
        if not file.get("patch") and (file.get("changes") or 0) > 0:
            item.note = "review-no-patch"
        elif not _same_blob(path, file.get("sha")):
            # Line numbers of another version would put comments on the wrong lines.
            item.note, item.diff = "review-out-of-sync", FileDiff()
        _sort_findings(item)
        reviewed.append(item)
    return reviewed


def _same_blob(path: str, sha: Any) -> bool:
    """Whether the file in the working tree is the git blob ``sha`` (GitHub lists each file's)."""
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{40}", sha):
        return True  # nothing to compare with
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return True
    # A checkout that turned LF into CRLF (core.autocrlf) still holds the same text.
    candidates = {data, data.replace(b"\r\n", b"\n")}
    return any(hashlib.sha1(b"blob %d\0" % len(c) + c, usedforsecurity=False).hexdigest() == sha
               for c in candidates)


def _sort_findings(item: Reviewed) -> None:
    assert item.report is not None
    elements = {e.element for e in item.report.elements}
    for finding in item.report.findings:
        if finding.rule in _FILE_LEVEL_RULES or (finding.anchor is None and finding.rule in elements):
            item.file_level.append(finding)
            continue
        place = item.diff.placement(finding.line, finding.end_line)
        if place is None:
            item.other.append(finding)
        else:
            item.inline.append((finding, *place))


# -- comment texts --------------------------------------------------------------------------


def fingerprint(finding: Finding) -> str:
    """Names a finding independently of its line (the sentence it is about, or its message)."""
    key = f"{finding.rule}\0{finding.anchor or finding.message}".encode()
    return hashlib.sha1(key, usedforsecurity=False).hexdigest()[:12]


def _severity(code: str, severity: Severity) -> str:
    return _lang.message(code, f"severity-{severity}")


def _title(report: FileReport, rule: str) -> str:
    return next((e.title for e in report.elements if e.element == rule and e.title), "")


def comment_body(report: FileReport, finding: Finding) -> str:
    """The text of an inline comment, in the language of the report's messages."""
    code = report.message_lang
    title = _title(report, finding.rule)
    head = f"**{_severity(code, finding.severity)}** \u00b7 " + (
        f"{title} (`{finding.rule}`)" if title else f"`{finding.rule}`")
    parts = [f"<!-- policylint-finding:{fingerprint(finding)} -->", head, "", finding.message]
    if finding.hint:
        parts += ["", f"\u2192 {finding.hint}"]
    return "\n".join(parts)


def fixed_body(body: str, code: str, sha: str) -> str:
    """An earlier comment of ours, struck through and marked as fixed in ``sha``."""
    match = _FINDING_MARKER.match(body)
    assert match is not None
    rest = body[match.end():].strip("\n").split("\n")
    struck = [f"~~{line.strip()}~~" if line.strip() else "" for line in rest]
    return "\n".join([f"<!-- policylint-finding:{match[1]}:fixed -->",
                      f"\u2705 **{_lang.message(code, 'review-fixed', sha=sha[:7])}**", "", *struck])


def _code(text: str) -> str:
    """Markdown inline code that survives backticks in ``text``."""
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _finding_item(code: str, finding: Finding, with_line: bool) -> list[str]:
    where = _lang.message(code, "review-at-line", line=finding.line) + ": " if with_line else ""
    lines = [f"- {where}**{_severity(code, finding.severity)}** \u00b7 `{finding.rule}` \u2014 {finding.message}"]
    if finding.hint:
        lines.append(f"  \u2192 {finding.hint}")
    return lines


def _policy_section(item: Reviewed, fallback_code: str, compact: bool = False) -> list[str]:
    report = item.report
    if report is None:
        text = _lang.message(fallback_code, "review-unreadable", message=item.problem or "")
        return [f"#### {_code(item.path)}", "", f"\u26a0\ufe0f {text}", ""]
    code = report.message_lang
    present = sum(e.status is Status.PRESENT for e in report.elements)
    heading = _lang.message(code, "checklist", present=present, total=len(report.elements))
    lines = [f"#### {_code(item.path)} \u2014 {heading}", ""]
    if item.note:
        lines += [f"\u26a0\ufe0f {_lang.message(code, item.note)}", ""]
    if report.elements:
        lines += [f"| | {_lang.message(code, 'review-col-element')} | {_lang.message(code, 'review-col-status')} |",
                  "|:-:|---|---|"]
        for e in report.elements:
            mark = "!" if flagged(report, e) else _MARK[e.status]  # as `check` marks it
            lines.append(f"| {mark} | {_cell(e.title or e.element)} `{e.element}` | {_cell(status_text(code, e))} |")
        lines.append("")
    if item.file_level:
        lines += [f"**{_lang.message(code, 'review-file-level')}**", ""]
        for finding in item.file_level:
            lines += _finding_item(code, finding, with_line=False)
        lines.append("")
    if item.inline:
        lines += [_lang.message(code, "review-inline", count=len(item.inline)), ""]
    if item.other and compact:
        lines += [_lang.message(code, "review-other", count=len(item.other)) + ".", ""]
    elif item.other:
        lines += ["<details>", f"<summary>{_lang.message(code, 'review-other', count=len(item.other))}</summary>",
                  ""]
        for finding in item.other:
            lines += _finding_item(code, finding, with_line=True)
        lines += ["", "</details>", ""]
    return lines


def _common_lang(reviewed: Iterable[Reviewed], override: str | None) -> str:
    codes = {r.report.message_lang for r in reviewed if r.report is not None}
    return override or (codes.pop() if len(codes) == 1 else "en")


def summary_body(reviewed: list[Reviewed], head_sha: str, message_lang: str | None) -> str:
    """The summary comment: marker, totals, then a checklist per changed policy."""
    code = _common_lang(reviewed, message_lang)
    footer = ["---", f"<sub>policylint {__version__} \u00b7 {head_sha[:7]}</sub>"]
    if not reviewed:
        return "\n".join([SUMMARY_MARKER, f"### {_lang.message(code, 'review-none')}", "", *footer])
    reports = [r.report for r in reviewed if r.report is not None]
    counts = {s: sum(f.severity is s for r in reports for f in r.findings) for s in Severity}
    total = _lang.message(code, "summary", files=len(reports), errors=counts[Severity.ERROR],
                          warnings=counts[Severity.WARNING], info=counts[Severity.INFO])
    lines = [SUMMARY_MARKER, f"### {_lang.message(code, 'review-heading', count=len(reviewed))}", "", total, ""]
    sections = [_policy_section(item, code) for item in reviewed]
    if _length(lines, *sections, footer) > MAX_BODY:
        # Too long for one comment: first drop the lists of old findings, then whole files.
        sections = [_policy_section(item, code, compact=True) for item in reviewed]
    shown = 0
    for section in sections:
        if _length(lines, section, footer) > MAX_BODY - 500:
            break
        lines += section
        shown += 1
    if shown < len(sections):
        lines += [_lang.message(code, "review-truncated", count=len(sections) - shown), ""]
    return "\n".join(lines + footer)


def _length(*parts: list[str]) -> int:
    return sum(len(line) + 1 for part in parts for line in part)


# -- what to send ---------------------------------------------------------------------------


def _same_text(a: Any, b: str) -> bool:
    # GitHub may hand bodies back with CRLF line ends; a changed line end is no change.
    return isinstance(a, str) and a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def _login(comment: Mapping[str, Any]) -> str | None:
    user = comment.get("user")
    return user.get("login") if isinstance(user, dict) else None


def plan(target: Target, client: Client, pr: PullRequest, reviewed: list[Reviewed],
         message_lang: str | None) -> list[Request]:
    """The writes that bring the pull request up to date; none when it already is."""
    requests: list[Request] = []
    summary = next((c for c in pr.issue_comments
                    if str(c.get("body") or "").lstrip().startswith(SUMMARY_MARKER)), None)
    # Whoever wrote the summary is "us"; inline comments by anyone else are not ours to skip or edit.
    ours_login = _login(summary) if summary is not None else None

    def ours(comment: Mapping[str, Any]) -> re.Match[str] | None:
        if ours_login is not None and _login(comment) != ours_login:
            return None
        return _FINDING_MARKER.match(str(comment.get("body") or "").lstrip())

    body = summary_body(reviewed, pr.head_sha, message_lang)
    if summary is None:
        if reviewed:
            requests.append(Request("POST", client.url(f"{target.base}/issues/{target.number}/comments"),
                                    {"body": body}))
    elif not _same_text(summary.get("body"), body):
        requests.append(Request("PATCH", client.url(f"{target.base}/issues/comments/{summary['id']}"),
                                {"body": body}))

    present = {(c.get("path"), c.get("line"), str(c.get("body") or "").replace("\r\n", "\n").strip())
               for c in pr.review_comments if ours(c)}
    comments: list[dict[str, Any]] = []
    for item in reviewed:
        assert item.report is not None or not item.inline
        for finding, start, line in item.inline:
            text = comment_body(item.report, finding)  # type: ignore[arg-type]
            key = (item.path, line, text)
            if key in present:
                continue
            present.add(key)
            comment: dict[str, Any] = {"path": item.path, "line": line, "side": "RIGHT", "body": text}
            if start is not None:
                comment.update(start_line=start, start_side="RIGHT")
            comments.append(comment)
    if comments:
        requests.append(Request("POST", client.url(f"{target.base}/pulls/{target.number}/reviews"), {
            "commit_id": pr.head_sha,
            "body": _lang.message(_common_lang(reviewed, message_lang), "review-body", count=len(comments)),
            "event": "COMMENT",
            "comments": comments,
        }))

    # Our comments whose finding no longer occurs anywhere in the file are fixed.
    alive = {item.path: {fingerprint(f) for f, _, _ in item.inline} | {fingerprint(f) for f in item.other}
             for item in reviewed if item.report is not None}
    codes = {item.path: item.report.message_lang for item in reviewed if item.report is not None}
    for comment in pr.review_comments:
        match = ours(comment)
        path = comment.get("path")
        if match is None or match[2] or path not in alive or match[1] in alive[path]:
            continue
        requests.append(Request("PATCH", client.url(f"{target.base}/pulls/comments/{comment['id']}"),
                                {"body": fixed_body(str(comment["body"]).lstrip(), codes[path], pr.head_sha)}))
    return requests


# -- the command ----------------------------------------------------------------------------


def exit_code(reviewed: list[Reviewed], fail_on: str) -> int:
    """What `check` would return for the changed policies."""
    if any(item.report is None for item in reviewed):
        return 2
    worst = max((f.severity for item in reviewed if item.report for f in item.report.findings), default=None)
    if fail_on != "never" and worst is not None and worst >= Severity.parse(fail_on):
        return 1
    return 0


def print_annotations(reviewed: list[Reviewed], out: TextIO) -> None:
    """The findings a review would have posted, as workflow commands GitHub shows on the diff."""
    for item in reviewed:
        if item.report is None:
            out.write(workflow_command("error", item.problem or "", file=item.path, title="policylint") + "\n")
            continue
        findings = [f for f, _, _ in item.inline] + item.file_level
        for f in sorted(findings, key=lambda f: (f.line, f.column)):
            title = f"policylint [{f.rule}]"
            props: dict[str, str | int | None] = {
                "file": item.path, "line": f.line, "title": title,
                "endLine": f.end_line if f.end_line and f.end_line > f.line else None}
            text = f.message + (f"\n\u2192 {f.hint}" if f.hint else "")
            out.write(workflow_command(_ANNOTATION[f.severity], text, **props) + "\n")


def _print_report(reviewed: list[Reviewed], out: TextIO, color: bool) -> None:
    from policylint.formatters import Summary, create

    formatter = create("text", out, color=color)
    summary = Summary()
    for item in reviewed:
        if item.report is not None:
            summary.add(item.report)
            formatter.file(item.report)
        else:
            summary.problems += 1
            formatter.problem(item.path, item.problem or "")
    formatter.finish(summary)


def _print_request(request: Request, out: TextIO) -> None:
    out.write(f"{request.method} {request.url}\n{json.dumps(request.body, ensure_ascii=False, indent=2)}\n\n")


def run(options: ReviewOptions, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """Review the pull request; returns the exit code."""
    target = resolve_target(options, environ)
    try:
        return _review(target, options, environ, out, err)
    except PolicylintError as exc:
        if target.token in str(exc):  # belt and braces: messages are built without it
            raise PolicylintError(str(exc).replace(target.token, "***")) from None
        raise


def _review(target: Target, options: ReviewOptions, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    client = Client(target.api_url, target.token)
    pr = fetch(client, target)
    from policylint.config import clear_caches
    from policylint.runner import project_settings

    clear_caches()
    project = project_settings(options.settings())
    reviewed = lint_changed(select_policies(pr.files, options.paths, FileFilter.from_settings(project)), options)
    requests = plan(target, client, pr, reviewed, options.message_lang)
    code = exit_code(reviewed, project.fail_on)
    if not reviewed:
        err.write(f"policylint: pull request #{target.number} changes no policy file\n")

    if options.dry_run:
        for request in requests:
            _print_request(request, out)
        err.write(f"policylint: dry run: {len(requests)} request(s) not sent\n")
        return code

    if reviewed:
        _print_report(reviewed, out, options.color)
    try:
        for request in requests:
            answer = client.send(request)
            url = answer.get("html_url", "") if isinstance(answer, dict) else ""
            err.write(f"policylint: {_describe(request)}{' ' + url if url else ''}\n")
    except NoWriteAccess as exc:
        err.write(f"policylint: notice: {exc}. This is what happens for pull requests from forks, whose "
                  "token is read-only; the findings follow as annotations instead of review comments.\n")
        print_annotations(reviewed, out)
        step_summary = environ.get("GITHUB_STEP_SUMMARY", "").strip()
        if step_summary:
            try:
                with open(step_summary, "a", encoding="utf-8") as handle:
                    handle.write(summary_body(reviewed, pr.head_sha, options.message_lang) + "\n")
            except OSError as error:
                err.write(f"policylint: cannot write the job summary: {error.strerror or error}\n")
        return code
    if not requests and reviewed:
        err.write("policylint: the pull request already shows these findings; nothing to post\n")
    return code


def _describe(request: Request) -> str:
    if request.url.endswith("/reviews"):
        return f"posted a review with {len(request.body['comments'])} comment(s)"
    if "/pulls/comments/" in request.url:
        return "marked a comment as fixed"
    return "updated the summary comment" if request.method == "PATCH" else "posted the summary comment"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--repo", metavar="OWNER/NAME", help="Repository (default: GITHUB_REPOSITORY).")
@click.option("--pr", type=click.IntRange(min=1), metavar="N",
              help="Pull request number (default: from the event in GITHUB_EVENT_PATH).")
@click.option("--dry-run", is_flag=True, help="Print the comments it would post instead of posting them.")
@fail_on_option
@message_lang_option
@lang_option
@config_option
@isolated_option
@click.pass_context
def review(ctx: click.Context, paths: tuple[str, ...], repo: str | None, pr: int | None, dry_run: bool,
           fail_on: str, message_lang: str | None, default_lang: str | None, config_path: str | None,
           isolated: bool) -> None:
    """Comment on a GitHub pull request: the findings on its changed lines, and a checklist per policy.

    Lints the Markdown files the pull request changes (only those under PATHS,
    when given) as they are in the working tree. Needs GITHUB_TOKEN; reads
    GITHUB_REPOSITORY, GITHUB_EVENT_PATH and GITHUB_API_URL as GitHub Actions sets them.
    """
    given = {name for name in ("fail_on", "message_lang", "default_lang")
             if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE}
    options = ReviewOptions(paths=paths, repo=repo, pr=pr, dry_run=dry_run, fail_on=fail_on,
                            message_lang=message_lang, default_lang=default_lang, color=use_color(None),
                            config_path=config_path, isolated=isolated, explicit=frozenset(given))
    exit_with(run, options, os.environ, sys.stdout, sys.stderr)
