"""``policylint init``: a new policy with complete front matter and one section per element.

Each section holds a guidance comment (the element's summary, why it matters and
an example, from the ruleset, in the policy's language) and a placeholder that
``check`` reports until the author replaces it, so the new file is its own to-do
list. Nothing in a fresh scaffold counts as evidence: comments are not text and
placeholder sentences are left out (see ``placeholders.py``).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sys
import textwrap
from dataclasses import dataclass
from importlib import resources
from typing import Any

import click

from policylint import atomic, placeholders
from policylint import lang as _lang
from policylint.cli import LANGS
from policylint.errors import PolicylintError
from policylint.ruleset import BUILTIN, Element, Ruleset, builtin_path, load

_WIDTH = 96
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_LANG_SUFFIX = re.compile(r"\.(" + "|".join(LANGS) + r")\.(?:md|markdown)$", re.I)


def kinds() -> list[str]:
    """Names of the built-in rulesets (``social-media``)."""
    names = (p.name for p in resources.files("policylint.rulesets").iterdir())
    return sorted(n[:-5] for n in names if n.endswith(".yaml") and n.count(".") == 1)


@dataclass
class Answers:
    """What the author told us; None where they said nothing (a placeholder is written)."""

    title: str | None = None
    owner: str | None = None
    contact_name: str | None = None
    contact_role: str | None = None
    contact_email: str | None = None


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def _quote(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any text a user types.
    return json.dumps(value, ensure_ascii=False)


def _hole(code: str, text: str) -> str:
    """``text`` wrapped in the placeholder marks of language ``code``."""
    left, right = placeholders.opening(code)
    return f"{left}{text}{right}"


def _comment(paragraphs: list[str]) -> str:
    """An HTML comment of wrapped paragraphs that cannot end early."""
    body = "\n\n".join(textwrap.fill(" ".join(p.replace("-->", "->").split()), _WIDTH)
                       for p in paragraphs if p.strip())
    return f"<!--\n{body}\n-->"


def default_title(code: str, kind: str) -> str:
    """The usual name of a policy of this kind, e.g. "Sociale-mediabeleid"."""
    return str(_lang.data(code).get("messages", {}).get(f"init-title-{kind}") or kind)


def front_matter(code: str, kind: str, answers: Answers, today: _dt.date) -> str:
    """The YAML block: every key the schema asks for, placeholders where nothing was given."""
    def msg(message_id: str) -> str:
        return _lang.message(code, message_id)

    review = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else (
        today + _dt.timedelta(days=365))
    contact: list[tuple[str, str]] = []
    if answers.contact_name:
        contact.append(("name", answers.contact_name))
    if answers.contact_role or not answers.contact_name:
        contact.append(("role", answers.contact_role or _hole(code, msg("init-contact-role"))))
    contact.append(("email", answers.contact_email or _hole(code, msg("init-contact-email"))))
    lines = [
        "---",
        f"title: {_quote(answers.title or default_title(code, kind))}",
        f"lang: {code}",
        f"kind: {kind}",
        f"owner: {_quote(answers.owner or _hole(code, msg('init-owner')))}",
        'version: "0.1"',
        f"effective: {today.isoformat()}",
        f"review: {review.isoformat()}",
        "contact:",
        *(f"  {key}: {_quote(value)}" for key, value in contact),
        "---",
    ]
    return "\n".join(lines) + "\n"


def section(element: Element, code: str, level: int = 2) -> str:
    """One element's section: heading, guidance comment, placeholder (also for editor quick fixes)."""
    text = element.text(code)
    guidance = [text.summary]
    if text.why:
        guidance.append(f"{_lang.message(code, 'init-why')}: {text.why}")
    if text.example:
        guidance.append(f"{_lang.message(code, 'init-example')}: \u201c{text.example}\u201d")
    placeholder = _hole(code, _lang.message(code, "init-placeholder", title=text.title))
    return f"{'#' * level} {text.title}\n\n{_comment(guidance)}\n\n{placeholder}\n"


def render(ruleset: Ruleset, code: str, answers: Answers, kind: str = BUILTIN,
           today: _dt.date | None = None) -> str:
    """The whole new policy as text."""
    today = today or _dt.date.today()
    title = answers.title or default_title(code, kind)
    parts = [front_matter(code, kind, answers, today), f"# {title}\n",
             _comment([_lang.message(code, "init-intro")]) + "\n"]
    parts += [section(element, code) for element in ruleset.elements]
    return "\n".join(parts)


def _check_target(path: str, code: str) -> None:
    """Refuse before asking anything: the file must be new and its folder must exist."""
    def fail(message_id: str, **values: Any) -> PolicylintError:
        return PolicylintError(_lang.message(code, message_id, **values), path)

    if os.path.isdir(path):
        raise fail("init-is-folder")
    if os.path.lexists(path):
        raise fail("init-exists")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise fail("init-no-folder", folder=os.path.dirname(path) or ".")


def create(path: str, code: str, answers: Answers, kind: str = BUILTIN,
           today: _dt.date | None = None) -> int:
    """Write the scaffold to a new file; returns the number of sections. Raises PolicylintError."""
    _check_target(path, code)
    ruleset = load(builtin_path(kind))
    text = render(ruleset, code, answers, kind, today)
    try:
        atomic.write_new(path, text)
    except FileExistsError:
        raise PolicylintError(_lang.message(code, "init-exists"), path) from None
    except OSError as exc:
        raise PolicylintError(_lang.message(code, "init-cannot-write", reason=atomic.describe(exc)), path) from None
    return len(ruleset.elements)


# --- command line -------------------------------------------------------------------


def _lang_from_name(path: str) -> str | None:
    match = _LANG_SUFFIX.search(path)
    return match.group(1).lower() if match else None


def _ask(answers: Answers, code: str, kind: str) -> None:
    """Ask on the terminal for whatever the flags left open."""
    def prompt(message_id: str, default: str = "") -> str:
        value: str = click.prompt(_lang.message(code, message_id), default=default,
                                  show_default=bool(default))
        return value.strip()

    if answers.title is None:
        answers.title = prompt("init-prompt-title", default_title(code, kind)) or None
    if answers.owner is None:
        answers.owner = prompt("init-prompt-owner") or None
    if answers.contact_name is None and answers.contact_role is None:
        answers.contact_name = prompt("init-prompt-contact-name") or None
        answers.contact_role = prompt("init-prompt-contact-role") or None
    if answers.contact_email is None:
        while True:
            email = prompt("init-prompt-contact-email")
            if not email or valid_email(email):
                answers.contact_email = email or None
                break
            click.echo(_lang.message(code, "init-bad-email", value=email), err=True)


def _stdin_is_terminal() -> bool:
    return bool(getattr(sys.stdin, "isatty", lambda: False)())


@click.command("init")
@click.argument("path", type=click.Path())
@click.option("--lang", "code", type=click.Choice(LANGS),
              help="Language of the new policy (default: from a name like policy.nl.md, or asked).")
@click.option("--kind", type=click.Choice(kinds()), default=BUILTIN, show_default=True,
              help="Kind of policy: which ruleset's elements become sections.")
@click.option("--title", help="Title of the policy.")
@click.option("--owner", help="Team or role that owns the policy.")
@click.option("--contact-name", help="Name of the contact person.")
@click.option("--contact-role", help="Role or team of the contact person.")
@click.option("--contact-email", help="E-mail address of the contact person.")
@click.option("--no-input", is_flag=True,
              help="Never ask questions; what no flag gives stays a placeholder.")
def init_command(path: str, code: str | None, kind: str, title: str | None, owner: str | None,
                 contact_name: str | None, contact_role: str | None, contact_email: str | None,
                 no_input: bool) -> None:
    """Start a new policy from a template.

    PATH must not exist yet. The policy gets full front matter and one section per
    element, each with guidance and a placeholder; `policylint check` lists the
    placeholders still to replace.
    """
    from policylint.cli import exit_with

    interactive = not no_input and _stdin_is_terminal()

    def body() -> int:
        nonlocal code
        code = code or _lang_from_name(path)
        if code is None:
            if not interactive:
                raise PolicylintError("give the policy's language with --lang nl or --lang en", path)
            code = str(click.prompt("Language / Taal", type=click.Choice(LANGS)))
        if contact_email and not valid_email(contact_email):
            raise PolicylintError(_lang.message(code, "init-bad-email", value=contact_email))
        answers = Answers(*(v.strip() or None if v is not None else None
                            for v in (title, owner, contact_name, contact_role, contact_email)))
        _check_target(path, code)
        if interactive:
            _ask(answers, code, kind)
        count = create(path, code, answers, kind)
        click.echo(_lang.message(code, "init-written", path=path, count=count))
        return 0

    exit_with(body)
