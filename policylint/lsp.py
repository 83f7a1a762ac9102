"""``policylint lsp``: a language server over stdio, so editors show findings while you type.

The server lints the editor's text with the same engine and the same settings as
``check`` (``policylint.lint_text``, which resolves settings per file through
``config.settings_for``), publishes the findings as diagnostics and offers two
quick fixes: a suppression comment above a finding, and a section skeleton for a
missing element. pygls is an optional dependency (``pip install 'policylint[lsp]'``)
and is imported only when the server starts.

Positions: a Finding counts 1-based lines and characters; LSP counts 0-based
lines and, by default, UTF-16 code units. Lines are split on ``\\r\\n``, ``\\r``
and ``\\n`` only, as both LSP and ``parse.py`` do (``str.splitlines`` would also
split on form feeds and U+2028, which Word exports contain).
"""
from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from policylint.cli import exit_with, lang_option, message_lang_option
from policylint.errors import PolicylintError
from policylint.findings import FileReport, Finding, Severity, Status

if TYPE_CHECKING:  # pragma: no cover
    from policylint.document import PolicyDocument
    from policylint.runner import Settings

INSTALL_HINT = "the language server needs pygls: pip install 'policylint[lsp]'"
SOURCE = "policylint"
MARKDOWN_SUFFIXES = (".md", ".markdown")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_INDENT = re.compile(r"[ \t]*")

# (line, character), both 0-based; character in the client's position units.
Position = tuple[int, int]
Units = Callable[[str], int]


def utf16_units(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (LSP's default position encoding)."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def split_lines(text: str) -> list[str]:
    """The document's lines as an LSP client numbers them (a final newline opens an empty line)."""
    return _NEWLINE.split(text)


def line_ending(text: str) -> str:
    """The document's own line ending, so inserted text does not mix styles."""
    match = _NEWLINE.search(text)
    return match.group(0) if match else "\n"


def finding_range(finding: Finding, lines: list[str], units: Units = utf16_units) -> tuple[Position, Position]:
    """The LSP range of a finding: from its column to the end of its last line.

    A finding without an end line covers the rest of its line; a file-level
    finding (column 1) therefore covers the whole anchor line.
    """
    last = len(lines) - 1
    start_line = min(max(finding.line, 1) - 1, last)
    end_line = min(max(finding.end_line or finding.line, finding.line) - 1, last)
    text = lines[start_line]
    start_char = units(text[: max(finding.column, 1) - 1])
    end_char = units(lines[end_line])
    if end_line == start_line and end_char < start_char:
        end_char = start_char
    return (start_line, start_char), (end_line, end_char)


@dataclass(frozen=True)
class Insertion:
    """Text to insert at one position (an LSP TextEdit with an empty range)."""

    position: Position
    text: str


def suppression_insertion(rule: str, line: int, reason: str, doc: PolicyDocument, text: str,
                          units: Units = utf16_units) -> Insertion:
    """A ``policylint-disable-next-line`` comment on its own line above 1-based ``line``.

    A finding inside the front matter (a missing element is reported at its
    closing ``---``) is about the whole file: it gets a ``disable-file`` comment
    right after the front matter (a comment inside the YAML would break it, and
    only a file-wide suppression may silence a file-level finding).
    """
    lines = split_lines(text)
    eol = line_ending(text)
    comment = f"<!-- policylint-disable-next-line {rule} -- {reason} -->"
    fm = doc.front_matter
    if fm is not None and fm.start_line <= line <= fm.end_line:
        comment = f"<!-- policylint-disable-file {rule} -- {reason} -->"
        index, indent = fm.end_line, ""
    else:
        index = max(line, 1) - 1
        # Keep the indentation, so that a comment above a nested list item stays in its list.
        indent = _INDENT.match(lines[index]).group(0) if index < len(lines) else ""  # type: ignore[union-attr]
    if index < len(lines):
        return Insertion((index, 0), indent + comment + eol)
    # The front matter ends on the last line and the file has no final newline.
    return Insertion((len(lines) - 1, units(lines[-1])), eol + comment)


def section_level(doc: PolicyDocument) -> int:
    """Heading level for a new top-level section: that of the existing sections, ## by default."""
    levels = [s.level for s in doc.sections if s.level <= 6]
    if not levels:
        return 2
    top = min(levels)
    # A single heading of the top level that comes first is the document's title, not a section.
    if levels.count(top) == 1 and levels[0] == top and len(set(levels)) > 1:
        return min(level for level in levels if level > top)
    return top if top > 1 or levels.count(top) > 1 else 2


def skeleton_insertion(title: str, example: str, level: int, text: str, units: Units = utf16_units) -> Insertion:
    """A heading and an example paragraph at the end of the document, after a blank line."""
    lines = split_lines(text)
    eol = line_ending(text)
    last = lines[-1]
    if last.strip():
        prefix = eol + eol  # end the last line, then leave a blank line
    elif len(lines) > 1 and lines[-2].strip():
        prefix = eol
    else:
        prefix = ""
    body = f"{'#' * level} {title}{eol}{eol}{example.strip()}{eol}"
    return Insertion((len(lines) - 1, units(last)), prefix + body)


def is_policy(uri: str, language_id: str | None) -> bool:
    """Only Markdown documents are policies; other files an editor sends are left alone."""
    return language_id == "markdown" or uri.lower().endswith(MARKDOWN_SUFFIXES)


def missing_elements(report: FileReport) -> set[str]:
    """Ids of the elements a report found missing."""
    return {e.element for e in report.elements if e.status is Status.MISSING}


# --------------------------------------------------------------------------- server

_SEVERITY = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
# Seconds of quiet after a change before linting: linting a long policy takes a good
# part of a second, and results for text the author has already changed help nobody.
DEBOUNCE = 0.3


def build_server(settings: Settings, debounce: float = DEBOUNCE) -> Any:
    """A pygls LanguageServer that lints Markdown policies with ``settings`` as the base settings."""
    try:
        from lsprotocol import types
        from pygls.lsp.server import LanguageServer
        from pygls.uris import to_fs_path
    except ImportError:
        raise PolicylintError(INSTALL_HINT) from None

    import asyncio

    import policylint
    from policylint import lang as _lang
    from policylint import parse
    from policylint.config import settings_for
    from policylint.ruleset import load

    # Full sync: the client sends the whole text on every change, so pygls never has
    # to apply ranges to lines it splits differently (see the module docstring).
    server = LanguageServer(SOURCE, policylint.__version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
    # The text each published report was made from, so code actions reuse it.
    reports: dict[str, tuple[str, FileReport]] = {}
    waiting: dict[str, asyncio.TimerHandle] = {}  # debounced lints, by uri

    def units() -> Units:
        return server.workspace.position_codec.client_num_units

    def path_of(uri: str) -> str:
        # A file's own path lets config discovery find the .policylint.yaml next to it.
        return to_fs_path(uri) or uri

    def log(kind: types.MessageType, message: str) -> None:
        server.window_log_message(types.LogMessageParams(type=kind, message=message))

    def lint(uri: str) -> FileReport | None:
        try:
            # A document the client never opened is read from disk, which can fail too.
            text = server.workspace.get_text_document(uri).source
            report = policylint.lint_text(text, path_of(uri), settings)
        except PolicylintError as exc:
            log(types.MessageType.Error, f"policylint: {uri}: {exc}")
            return None
        except Exception:  # noqa: BLE001 - a bug must not take the editor's server down
            log(types.MessageType.Error, f"policylint crashed on {uri}:\n{traceback.format_exc()}")
            return None
        reports[uri] = (text, report)
        return report

    def diagnostic(finding: Finding, lines: list[str]) -> types.Diagnostic:
        (l1, c1), (l2, c2) = finding_range(finding, lines, units())
        message = finding.message + (f"\n→ {finding.hint}" if finding.hint else "")
        return types.Diagnostic(
            range=types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2)),
            message=message, severity=types.DiagnosticSeverity(_SEVERITY[finding.severity]),
            code=finding.rule, source=SOURCE,
        )

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        if not is_policy(uri, document.language_id):
            return
        report = lint(uri)
        diagnostics: list[types.Diagnostic] = []
        if report is not None:
            lines = split_lines(reports[uri][0])
            diagnostics = [diagnostic(f, lines) for f in report.findings]
        else:
            reports.pop(uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics, version=document.version))

    def cancel(uri: str) -> None:
        handle = waiting.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def publish_later(uri: str) -> None:
        cancel(uri)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (pygls's synchronous mode): lint right away
            publish(uri)
            return
        waiting[uri] = loop.call_later(debounce, publish_waiting, uri)

    def publish_waiting(uri: str) -> None:
        waiting.pop(uri, None)
        try:
            publish(uri)
        except Exception:  # noqa: BLE001 - a timer callback has no one else to report to
            log(types.MessageType.Error, f"policylint: {uri}:\n{traceback.format_exc()}")

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        publish_later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        cancel(params.text_document.uri)
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        cancel(uri)
        reports.pop(uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        only = params.context.only
        # Kinds are hierarchical: asking for "" or "quickfix" includes our quick fixes.
        if only and not any(types.CodeActionKind.QuickFix.value.startswith(getattr(kind, "value", kind))
                            for kind in only):
            return None
        uri = params.text_document.uri
        if not is_policy(uri, server.workspace.get_text_document(uri).language_id):
            return None
        try:
            return quick_fixes(uri, [d for d in params.context.diagnostics if d.source == SOURCE])
        except Exception:  # noqa: BLE001 - see lint()
            log(types.MessageType.Error, f"policylint: no quick fixes for {uri}:\n{traceback.format_exc()}")
            return None

    def quick_fixes(uri: str, diagnostics: Iterable[types.Diagnostic]) -> list[types.CodeAction]:
        document = server.workspace.get_text_document(uri)
        text = document.source
        cached = reports.get(uri)
        if cached is None or cached[0] != text:
            if lint(uri) is None:
                return []
            cached = reports[uri]
        report = cached[1]
        resolved = settings_for(path_of(uri), settings)
        doc = parse.parse(text, path_of(uri), resolved.default_lang)
        ruleset = load(resolved.ruleset)
        msg_lang, doc_lang = report.message_lang, report.lang or report.message_lang
        missing = missing_elements(report)
        count = units()
        actions: list[types.CodeAction] = []
        seen: set[tuple[str, ...]] = set()
        for diag in diagnostics:
            rule = str(diag.code) if diag.code is not None else ""
            if not rule:
                continue
            line = diag.range.start.line + 1
            if ("suppress", rule, str(line)) not in seen:
                seen.add(("suppress", rule, str(line)))
                reason = _lang.message(msg_lang, "lsp-suppress-reason")
                insertion = suppression_insertion(rule, line, reason, doc, text, count)
                actions.append(action(uri, _lang.message(msg_lang, "lsp-suppress", rule=rule), insertion, diag))
            # Only the file-level "missing" diagnostic gets a skeleton, not each info
            # finding of the same element in the body.
            if rule in missing and line == doc.anchor_line and ("skeleton", rule) not in seen:
                seen.add(("skeleton", rule))
                texts = ruleset.element(rule).text(doc_lang)
                insertion = skeleton_insertion(texts.title, texts.example, section_level(doc), text, count)
                actions.append(action(uri, _lang.message(msg_lang, "lsp-skeleton", title=texts.title),
                                      insertion, diag, preferred=True))
        return actions

    def action(uri: str, title: str, insertion: Insertion, diag: types.Diagnostic,
               preferred: bool = False) -> types.CodeAction:
        at = types.Position(line=insertion.position[0], character=insertion.position[1])
        edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=insertion.text)
        return types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                              edit=types.WorkspaceEdit(changes={uri: [edit]}), is_preferred=preferred or None)

    return server


def serve(settings: Settings) -> int:
    """Run the server on stdin/stdout until the client says ``exit``; raises when pygls is missing."""
    server = build_server(settings)
    server.start_io()
    return 0


@click.command()
@click.option("--stdio", is_flag=True,
              help="Talk over stdin and stdout (the only transport; accepted because editors often pass it).")
@message_lang_option
@lang_option
def lsp(stdio: bool, message_lang: str | None, default_lang: str | None) -> None:
    """Language server for editors (LSP over stdio)."""
    from policylint.engine import LintOptions
    from policylint.runner import Settings

    settings = Settings(default_lang=default_lang, lint=LintOptions(message_lang=message_lang))
    exit_with(serve, settings)
