"""``policylint report --html``: one self-contained page for HR and management.

A coverage matrix (policies x elements; colour plus a symbol, so it reads in
black and white), a summary per element, and per policy a drill-down with the
evidence for each present element and the hint for each missing one. The page
has inline CSS only: no scripts, fonts, images or links that leave the file,
and a Content-Security-Policy that forbids them, so it opens offline, in a mail
attachment or on an intranet without fetching anything. ``<details>`` gives the
drill-down without JavaScript; print CSS opens it on paper.

It is also the ``html`` formatter: ``policylint check --format html`` prints the
same page to stdout.
"""
from __future__ import annotations

import datetime as _dt
import html
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

import click

from policylint import __version__
from policylint import lang as _lang
from policylint.cli import LANGS, fail_on_option, lang_option
from policylint.findings import ElementResult, FileReport, Finding, Severity, Status
from policylint.formatters import Summary

SYMBOL = {Status.PRESENT: "\u2713", Status.MISSING: "\u2717", Status.VIOLATED: "!"}
_MAX_LISTED = 12  # findings of one kind listed per element before "and N more"


def esc(value: Any) -> str:
    """Text and attribute values, escaped (quotes included)."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class _Problem:
    path: str
    message: str
    line: int | None


def page_language(reports: list[FileReport], forced: str | None = None) -> str:
    """The policies' shared message language, else English."""
    if forced:
        return forced
    codes = {r.message_lang for r in reports}
    return codes.pop() if len(codes) == 1 else "en"


class _Texts:
    """Element titles, hints and UI words in the page's language."""

    def __init__(self, code: str) -> None:
        self.code = code
        try:
            from policylint.ruleset import load

            self.ruleset: Any = load()
        except Exception:  # pragma: no cover - the built-in ruleset always loads
            self.ruleset = None

    def msg(self, message_id: str, **values: Any) -> str:
        return _lang.message(self.code, message_id, **values)

    def element(self, element_id: str) -> Any:
        if self.ruleset is None:
            return None
        try:
            return self.ruleset.element(element_id)
        except KeyError:
            return None

    def title(self, result: ElementResult) -> str:
        element = self.element(result.element)
        return element.text(self.code).title if element is not None else (result.title or result.element)

    def required(self, result: ElementResult) -> bool:
        element = self.element(result.element)
        return bool(element.required) if element is not None else result.severity >= Severity.ERROR

    def status(self, status: Status) -> str:
        return self.msg(f"report-status-{status.value}")


class Formatter:
    """Collects every report, then writes the page in ``finish``."""

    def __init__(self, stream: TextIO, color: bool = False, message_lang: str | None = None,
                 today: _dt.date | None = None, **_: Any) -> None:
        self.stream = stream
        self.message_lang = message_lang
        self.today = today
        self.reports: list[FileReport] = []
        self.problems: list[_Problem] = []

    def file(self, report: FileReport) -> None:
        self.reports.append(report)

    def problem(self, path: str, message: str, line: int | None = None) -> None:
        self.problems.append(_Problem(path, message, line))

    def finish(self, summary: Summary) -> None:
        self.stream.write(render(self.reports, self.problems, self.message_lang, self.today))


# --- the page -----------------------------------------------------------------------

CSS = """
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa;--paper:#fff;
--ok:#116329;--ok-bg:#dcf5e3;--miss:#a40e26;--miss-bg:#ffe3e6;--viol:#7d4e00;--viol-bg:#fff0c2}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--paper);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:72rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 .25rem}
h2{font-size:1.25rem;margin:2.25rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:0;overflow-wrap:anywhere}
p{margin:.4rem 0}
.muted{color:var(--muted)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.small{font-size:.875rem}
.overview{font-size:1.05rem}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1rem;padding:0;margin:.75rem 0;list-style:none;font-size:.9rem}
.legend li{display:flex;align-items:center;gap:.4rem}
.sym{display:inline-flex;align-items:center;justify-content:center;width:1.5em;height:1.5em;
border-radius:.3em;font-weight:700;flex:none;line-height:1}
.s-present .sym,.sym.s-present{background:var(--ok-bg);color:var(--ok)}
.s-missing .sym,.sym.s-missing{background:var(--miss-bg);color:var(--miss)}
.s-violated .sym,.sym.s-violated{background:var(--viol-bg);color:var(--viol)}
.scroll{overflow-x:auto;max-width:100%;border:1px solid var(--line);border-radius:8px}
.scroll.fit{display:inline-block;vertical-align:top}
table{border-collapse:separate;border-spacing:0}
.matrix{font-size:.9rem}
.matrix th,.matrix td{border-bottom:1px solid var(--line);padding:.3rem}
.matrix tbody tr:last-child>*{border-bottom:0}
.matrix thead th{background:var(--head);vertical-align:bottom;font-weight:600}
.matrix thead th.el{padding:.5rem .15rem}
.matrix thead th.el span{writing-mode:vertical-rl;transform:rotate(180deg);display:inline-block;
max-height:10.5rem;line-height:1.2;text-align:left}
.matrix thead th.el.req span{font-weight:700}
.matrix .policy{position:sticky;left:0;z-index:1;background:var(--paper);text-align:left;
min-width:9rem;max-width:15rem;border-right:1px solid var(--line);overflow-wrap:break-word;font-weight:600}
.matrix thead .policy{z-index:2;background:var(--head);vertical-align:bottom}
.matrix .policy a{color:var(--ink)}
.matrix td{text-align:center;min-width:2.1rem}
.matrix .first-rec{border-left:2px solid #8c959f}
.matrix td a{display:block;text-decoration:none;font-weight:700;font-size:1.05rem;color:inherit;border-radius:.3em}
.matrix td.s-present{background:var(--ok-bg);color:var(--ok)}
.matrix td.s-missing{background:var(--miss-bg);color:var(--miss)}
.matrix td.s-violated{background:var(--viol-bg);color:var(--viol)}
.matrix td.total{font-variant-numeric:tabular-nums;white-space:nowrap;color:var(--muted);
  background:var(--paper)}
.matrix td a:focus-visible,.matrix th a:focus-visible,summary:focus-visible{
  outline:3px solid #0969da;outline-offset:1px}
.per-element{width:100%;font-size:.95rem}
.per-element th,.per-element td{padding:.45rem .6rem;border-bottom:1px solid var(--line);text-align:left;
  vertical-align:middle}
.per-element thead th{background:var(--head);font-weight:600}
.per-element tbody tr:last-child>*{border-bottom:0}
.per-element .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;width:3.5rem}
.per-element .share{width:38%;font-variant-numeric:tabular-nums;white-space:nowrap}
.tag{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:1rem;border:1px solid var(--line);
color:var(--muted);margin-left:.35rem;white-space:nowrap}
.tag.req{border-color:#8c959f;color:var(--ink)}
.bar{height:.55rem;background:var(--miss-bg);border-radius:.3rem;overflow:hidden;min-width:4rem;margin-top:.2rem}
.bar span{display:block;height:100%;background:var(--ok)}
.policy-card{border:1px solid var(--line);border-radius:8px;margin:1rem 0;overflow:hidden}
.policy-card>header{background:var(--head);padding:.6rem .9rem;border-bottom:1px solid var(--line)}
.policy-card>header p{margin:.15rem 0 0}
details{border-bottom:1px solid var(--line)}
details:last-child{border-bottom:0}
summary{display:flex;align-items:center;gap:.6rem;padding:.5rem .9rem;cursor:pointer;list-style:none}
summary::-webkit-details-marker{display:none}
summary::after{content:"\\25B8";margin-left:auto;color:var(--muted);padding-left:.5rem}
details[open]>summary::after{content:"\\25BE"}
summary:hover{background:var(--head)}
summary .name{flex:1 1 auto;min-width:0;overflow-wrap:anywhere}
summary .where{color:var(--muted);font-size:.875rem;white-space:nowrap}
.body{padding:.25rem .9rem .8rem 3rem}
blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:4px solid var(--ok);background:#f6fbf7;
overflow-wrap:anywhere;font-style:italic}
.s-violated blockquote{border-left-color:var(--viol);background:#fffaf0}
.finding{margin:.35rem 0}
.hint-main{font-weight:600}
.finding .hint{color:var(--muted)}
ul.plain{margin:.3rem 0;padding-left:1.2rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
footer{margin-top:2.5rem;color:var(--muted);font-size:.85rem}
@media (max-width:40rem){
 main{padding:.75rem .75rem 2rem}
 h1{font-size:1.35rem}
 .body{padding-left:.9rem}
 .matrix .policy{min-width:7rem;max-width:9.5rem;font-size:.85rem}
 .per-element th,.per-element td{padding:.4rem}
}
@media print{
 @page{margin:1.4cm}
 body{font-size:10pt}
 main{max-width:none;padding:0}
 .scroll{overflow:visible;border:0}
 .matrix .policy{position:static}
 .policy-card{break-inside:auto}
 details{break-inside:avoid}
 details::details-content{content-visibility:visible;display:block}
 summary::after{content:none}
 a{color:inherit;text-decoration:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

# No script, font, image, frame or connection may leave (or even use) the file.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def render(reports: list[FileReport], problems: Iterable[Any] = (), message_lang: str | None = None,
           today: _dt.date | None = None) -> str:
    """The whole page."""
    problems = list(problems)
    code = page_language(reports, message_lang)
    t = _Texts(code)
    today = today or _dt.date.today()
    columns = reports[0].elements if reports else []
    complete = sum(all(e.status is Status.PRESENT for e in r.elements if t.required(e)) for r in reports)
    out = io.StringIO()
    w = out.write
    w(f'<!DOCTYPE html>\n<html lang="{esc(code)}">\n<head>\n<meta charset="utf-8">\n'
      f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
      f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
      f'<meta name="generator" content="policylint {esc(__version__)}">\n'
      f"<title>{esc(t.msg('report-title'))}</title>\n<style>{CSS}</style>\n</head>\n"
      f'<body data-lang="{esc(code)}" data-files="{len(reports)}" data-unreadable="{len(problems)}">\n<main>\n')
    w(f"<h1>{esc(t.msg('report-title'))}</h1>\n")
    w(f"<p class=\"muted small\">{esc(t.msg('report-generated', version=__version__, date=today.isoformat()))}</p>\n")
    if reports:
        w(f"<p class=\"overview\">{esc(t.msg('report-overview', files=len(reports), complete=complete))}</p>\n")
        _legend(w, t)
        _matrix(w, t, reports, columns)
        _per_element(w, t, reports, columns)
        w(f"<h2 id=\"details\">{esc(t.msg('report-details'))}</h2>\n")
        for index, report in enumerate(reports, 1):
            _policy(w, t, report, index)
    else:
        w(f"<p class=\"overview\">{esc(t.msg('report-none'))}</p>\n")
    if problems:
        w(f"<h2 id=\"unreadable\">{esc(t.msg('report-unreadable'))}</h2>\n<ul class=\"plain\">\n")
        for problem in problems:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            w(f"<li><code>{esc(where)}</code> {esc(problem.message)}</li>\n")
        w("</ul>\n")
    w(f"<footer>policylint {esc(__version__)}</footer>\n</main>\n</body>\n</html>\n")
    return out.getvalue()


def _legend(w: Any, t: _Texts) -> None:
    w(f"<ul class=\"legend\" aria-label=\"{esc(t.msg('report-legend'))}\">")
    for status in Status:
        w(f'<li><span class="sym s-{status.value}" aria-hidden="true">{SYMBOL[status]}</span>'
          f"{esc(t.status(status))}</li>")
    w("</ul>\n")


def display_names(reports: list[FileReport]) -> list[str]:
    """Short names for the matrix: the file name, with as many folders as it takes to tell them apart."""
    parts = [r.path.replace(os.sep, "/").split("/") for r in reports]
    depth = [1] * len(parts)
    while True:
        names = ["/".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        clashes = {n for n in names if names.count(n) > 1}
        grow = [i for i, n in enumerate(names) if n in clashes and depth[i] < len(parts[i])]
        if not grow:
            return names
        for i in grow:
            depth[i] += 1


def _anchor(index: int, element_id: str | None = None) -> str:
    return f"p{index}" + (f"-{element_id}" if element_id else "")


def _matrix(w: Any, t: _Texts, reports: list[FileReport], columns: list[ElementResult]) -> None:
    w(f"<h2 id=\"matrix\">{esc(t.msg('report-matrix'))}</h2>\n")
    w('<div class="scroll fit" tabindex="0">\n<table class="matrix">\n<thead><tr>'
      f"<th scope=\"col\" class=\"policy\">{esc(t.msg('report-policy'))}</th>")
    # A line between the required elements and the recommended ones that follow them.
    first_rec = next((c.element for c in columns if not t.required(c)), None) if any(
        t.required(c) for c in columns) else None
    for column in columns:
        required = t.required(column)
        kind = t.msg("report-required" if required else "report-recommended")
        group = " req" if required else (" first-rec" if column.element == first_rec else "")
        w(f'<th scope="col" class="el{group}" data-element="{esc(column.element)}" '
          f'title="{esc(t.title(column))} ({esc(kind)})"><span>{esc(t.title(column))}</span></th>')
    w(f"<th scope=\"col\" class=\"el\"><span>{esc(t.msg('report-total'))}</span></th></tr></thead>\n<tbody>\n")
    for index, (report, name) in enumerate(zip(reports, display_names(reports), strict=True), 1):
        w(f'<tr data-path="{esc(report.path)}"><th scope="row" class="policy" title="{esc(report.path)}">'
          f'<a href="#{_anchor(index)}">{esc(name)}</a></th>')
        for result in report.elements:
            label = f"{t.title(result)}: {t.status(result.status)}"
            if result.line:
                label += f" ({t.msg('report-line', line=result.line)})"
            split = " first-rec" if result.element == first_rec else ""
            w(f'<td class="s-{result.status.value}{split}" data-element="{esc(result.element)}" '
              f'data-status="{result.status.value}" title="{esc(label)}">'
              f'<a href="#{_anchor(index, result.element)}-body" aria-label="{esc(label)}">'
              f"{SYMBOL[result.status]}</a></td>")
        present = sum(e.status is Status.PRESENT for e in report.elements)
        w(f'<td class="total">{present}/{len(report.elements)}</td></tr>\n')
    w("</tbody>\n</table>\n</div>\n")


def _per_element(w: Any, t: _Texts, reports: list[FileReport], columns: list[ElementResult]) -> None:
    w(f"<h2 id=\"per-element\">{esc(t.msg('report-summary'))}</h2>\n")
    w('<div class="scroll">\n<table class="per-element">\n<thead><tr>'
      f"<th scope=\"col\">{esc(t.msg('report-element'))}</th>"
      f"<th scope=\"col\" class=\"share\">{SYMBOL[Status.PRESENT]} {esc(t.status(Status.PRESENT))}</th>"
      f'<th scope="col" class="num"><span aria-hidden="true">{SYMBOL[Status.MISSING]}</span>'
      f'<span class="sr"> {esc(t.status(Status.MISSING))}</span></th>'
      f'<th scope="col" class="num"><span aria-hidden="true">{SYMBOL[Status.VIOLATED]}</span>'
      f'<span class="sr"> {esc(t.status(Status.VIOLATED))}</span></th></tr></thead>\n<tbody>\n')
    total = len(reports)
    for position, column in enumerate(columns):
        statuses = [r.elements[position].status for r in reports if position < len(r.elements)
                    and r.elements[position].element == column.element]
        counts = {s: statuses.count(s) for s in Status}
        share = round(100 * counts[Status.PRESENT] / total) if total else 0
        required = t.required(column)
        kind = t.msg("report-required" if required else "report-recommended")
        w(f'<tr data-element="{esc(column.element)}" data-present="{counts[Status.PRESENT]}">'
          f'<th scope="row">{esc(t.title(column))}<span class="tag{" req" if required else ""}">{esc(kind)}</span></th>'
          f'<td class="share">{esc(t.msg("report-present-in", present=counts[Status.PRESENT], files=total))}'
          f'<div class="bar" aria-hidden="true"><span style="width:{share}%"></span></div></td>'
          f'<td class="num">{counts[Status.MISSING]}</td><td class="num">{counts[Status.VIOLATED]}</td></tr>\n')
    w("</tbody>\n</table>\n</div>\n")


def _finding(w: Any, finding: Finding, t: _Texts) -> None:
    w(f'<p class="finding"><span class="muted">{esc(t.msg("report-line", line=finding.line))}:</span> '
      f"{esc(finding.message)}")
    if finding.hint:
        w(f'<br><span class="hint">\u2192 {esc(finding.hint)}</span>')
    w("</p>\n")


def _findings(w: Any, findings: list[Finding], t: _Texts) -> None:
    for finding in findings[:_MAX_LISTED]:
        _finding(w, finding, t)
    if len(findings) > _MAX_LISTED:
        w(f'<p class="muted">\u2026 (+{len(findings) - _MAX_LISTED})</p>\n')


def _policy(w: Any, t: _Texts, report: FileReport, index: int) -> None:
    present = sum(e.status is Status.PRESENT for e in report.elements)
    errors = sum(f.severity is Severity.ERROR for f in report.findings)
    warnings = sum(f.severity is Severity.WARNING for f in report.findings)
    w(f'<section class="policy-card" id="{_anchor(index)}" data-path="{esc(report.path)}">\n<header>'
      f"<h3>{esc(report.path)} <span class=\"tag\">{esc((report.lang or '?').upper())}</span></h3>"
      f"<p class=\"muted small\">{esc(t.msg('report-present-count', present=present, total=len(report.elements)))}"
      f" \u00b7 {esc(t.msg('report-findings-count', errors=errors, warnings=warnings))}</p></header>\n")
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    for result in report.elements:
        _element(w, t, result, by_rule.get(result.element, []), index)
    todo = by_rule.get("placeholder", [])
    if todo:
        w(f'<details class="todo"><summary><span class="sym s-missing" aria-hidden="true">\u270e</span>'
          f"<span class=\"name\">{esc(t.msg('report-todo'))}</span><span class=\"where\">{len(todo)}</span>"
          f'</summary>\n<div class="body">\n<ul class="plain">\n')
        for finding in todo[:50]:
            text = finding.anchor or finding.message
            w(f"<li><span class=\"muted\">{esc(t.msg('report-line', line=finding.line))}:</span> "
              f"<code>{esc(text)}</code></li>\n")
        w("</ul>\n</div>\n</details>\n")
    elements = {e.element for e in report.elements}
    other = [f for f in report.findings if f.rule not in elements and f.rule != "placeholder"]
    if other:
        w(f'<details class="other"><summary><span class="sym s-violated" aria-hidden="true">!</span>'
          f"<span class=\"name\">{esc(t.msg('report-other'))}</span><span class=\"where\">{len(other)}</span>"
          f'</summary>\n<div class="body">\n')
        _findings(w, other, t)
        w("</div>\n</details>\n")
    w("</section>\n")


def _element(w: Any, t: _Texts, result: ElementResult, findings: list[Finding], index: int) -> None:
    status = result.status
    where = t.msg("report-line", line=result.line) if result.line else t.status(status)
    w(f'<details class="s-{status.value}" id="{_anchor(index, result.element)}" '
      f'data-element="{esc(result.element)}" data-status="{status.value}">'
      f'<summary><span class="sym" aria-hidden="true">{SYMBOL[status]}</span>'
      f'<span class="name">{esc(t.title(result))}</span><span class="where">{esc(where)}</span></summary>\n'
      f'<div class="body" id="{_anchor(index, result.element)}-body">\n')
    element = t.element(result.element)
    texts = element.text(t.code) if element is not None else None
    serious = [f for f in findings if f.severity > Severity.INFO]
    minor = [f for f in findings if f.severity is Severity.INFO]
    if status is Status.MISSING:
        if texts is not None and texts.hint:
            w(f'<p class="hint-main">{esc(texts.hint)}</p>\n')
        elif serious:
            _findings(w, serious[:1], t)
        if texts is not None and texts.looked_for:
            w(f'<p class="muted small">{esc(texts.looked_for)}</p>\n')
        # The detector's own messages when it says more than "missing" (a share of bans).
        extra = [f for f in serious if texts is None or f.message != texts.missing]
        if extra and texts is not None:
            _findings(w, extra, t)
    else:
        if result.evidence:
            w(f"<p>{esc(t.msg('report-evidence', line=result.line))}</p>\n"
              f"<blockquote>{esc(result.evidence)}</blockquote>\n")
        else:
            w(f"<p>{esc(t.msg('report-evidence-nowhere'))}</p>\n")
        _findings(w, serious, t)
    _findings(w, minor, t)
    w("</div>\n</details>\n")


# --- command line -------------------------------------------------------------------


_BODY_DATA = re.compile(r'<body data-lang="([a-z]+)" data-files="(\d+)"')


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--html", "out", required=True, type=click.Path(dir_okay=False),
              help="Write the report to this HTML file (replaced if it exists).")
@fail_on_option
@click.option("--message-lang", type=click.Choice(LANGS), default=None,
              help="Language of the page (default: the policies' shared language, else English).")
@lang_option
def report_command(paths: tuple[str, ...], out: str, fail_on: str, message_lang: str | None,
                   default_lang: str | None) -> None:
    """Write a self-contained HTML coverage report for HR and management."""
    from policylint import atomic
    from policylint.cli import exit_with
    from policylint.engine import LintOptions
    from policylint.errors import PolicylintError
    from policylint.progress import with_progress
    from policylint.runner import Settings, run

    settings = Settings(paths=list(paths) or ["."], format="html", fail_on=fail_on,
                        default_lang=default_lang, lint=LintOptions(message_lang=message_lang))

    def body() -> int:
        page = io.StringIO()
        code = with_progress(lambda s, _stdout, hook: run(s, page, hook), settings)
        text = page.getvalue()
        try:
            atomic.write_replace(out, text)
        except OSError as exc:
            raise PolicylintError(f"cannot write the report: {atomic.describe(exc)}", out) from None
        # The page says which language it chose and how many policies it holds.
        found = _BODY_DATA.search(text)
        lang_code, files = (found.group(1), int(found.group(2))) if found else ("en", 0)
        click.echo(_lang.message(lang_code, "report-wrote", path=out, files=files))
        return code

    exit_with(body)
