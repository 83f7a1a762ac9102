"""Property-based tests: random and mutated policies never make parse + engine raise, and
every reported line lies inside the file.

The number of examples per test is modest by default so the suite stays fast; set
POLICYLINT_HYPOTHESIS_EXAMPLES (e.g. 5000) for a longer hunt.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from invariants import lint_text

from policylint.errors import InputError
from policylint.parse import decode

from conftest import REPO

EXAMPLES = int(os.environ.get("POLICYLINT_HYPOTHESIS_EXAMPLES", "40"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
POLICIES = [p.read_text(encoding="utf-8") for p in sorted((REPO / "example-policy").glob("*.md"))]

# Words the detectors look for, so that random text reaches the interesting branches.
WORDS = ("you", "may", "must", "never", "not", "share", "post", "social", "media", "policy", "team",
         "hr", "ask", "questions", "contact", "email", "disciplinary", "action", "employee", "handbook",
         "working", "hours", "temps", "contractors", "also", "applies", "to", "confidential",
         "information", "je", "mag", "niet", "nooit", "arbeidsreglement", "sancties", "vragen",
         "hr@example.com", "+32 2 555 01 47", "#ask-comms", "e.g.", "Dr.", "i.e.", "werkuren")
ODD = ("\r", "\n", "\r\n", "\x00", "\ufeff", "\u200b", "\u00ad", "\u202e", "\t", "---", "+++", "...",
       ":", "- ", "* ", "> ", "#", "|", "`", "```", "**", "_", "[", "]", "(", ")", "<", ">", "<a href='mailto:",
       "</a>", "&amp;", "\\", '"', "'", "&", "*", "!", "?", ".", "\U0001F600", "\u00e9", "\ud800")
LINE_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


def scalar() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["en", "nl", "fr", "2026-01-01", "2026-13-45", "1.0", "1", "yes", "null", "~", "''",
                         '"x"', "[a, b]", "{a: 1}", "*a", "&a x", "!!str x", "!!python/none ''", "|", ">",
                         "hr@example.com", "not an email", "\"unclosed", "'unclosed"]),
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),
    )


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    keys = ["title", "lang", "owner", "version", "effective", "review", "contact", "x", "title"]
    lines = []
    for key in draw(st.lists(st.sampled_from(keys), max_size=8)):
        if key == "contact" and draw(st.booleans()):
            sub = draw(st.lists(st.sampled_from(["name", "role", "email", "phone", "channel", "bad"]), max_size=4))
            lines.append("contact:")
            lines.extend(f"{draw(st.sampled_from(['  ', chr(9), ' ', '    ']))}{k}: {draw(scalar())}" for k in sub)
        else:
            lines.append(f"{key}: {draw(scalar())}")
    fence = draw(st.sampled_from(["---", "---", "+++", "--- ", "..."]))
    close = draw(st.sampled_from(["---", "---", "...", "+++", ""]))
    return "\n".join([fence, *lines, close]) + "\n"


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD)), min_size=1, max_size=14))
    return " ".join(words).capitalize() + draw(st.sampled_from([".", "!", "?", ":", "", ";"]))


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "paragraph", "list", "quote", "table", "html", "code", "bold"]))
    text = draw(sentence())
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + " " + text
    if kind == "paragraph":
        return "\n".join(draw(st.lists(sentence(), min_size=1, max_size=4)))
    if kind == "list":
        depth = draw(st.integers(0, 30))
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "+ "]))
        return "\n".join("  " * min(i, depth) + marker + draw(sentence()) for i in range(draw(st.integers(1, 6))))
    if kind == "quote":
        return ">" * draw(st.integers(1, 60)) + " " + text
    if kind == "table":
        return f"| {text} | x |\n|---|---|\n| {draw(sentence())} | y |"
    if kind == "html":
        level = draw(st.integers(1, 6))
        return f"<div>\n<h{level}>{text}</h2>\n<p><a href=\"mailto:jo@example.com\">Jo</a> {text}\n</div>"
    if kind == "code":
        return f"```\n{text}\n```"
    return f"**{text}**"


@st.composite
def policy(draw: st.DrawFn) -> str:
    head = draw(front_matter()) if draw(st.booleans()) else ""
    body = "\n\n".join(draw(st.lists(block(), max_size=12)))
    ending = draw(LINE_ENDINGS)
    return (head + body).replace("\n", ending)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """An example policy with random characters and lines deleted, duplicated or inserted."""
    text = draw(st.sampled_from(POLICIES))
    for _ in range(draw(st.integers(1, 12))):
        action = draw(st.sampled_from(["delete", "insert", "duplicate-line", "delete-line", "insert-line"]))
        pos = draw(st.integers(0, len(text)))
        if action == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 200)):]
        elif action == "insert":
            text = text[:pos] + draw(st.sampled_from(ODD)) * draw(st.integers(1, 3)) + text[pos:]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            if action == "duplicate-line":
                lines.insert(i, lines[i])
            elif action == "delete-line":
                del lines[i]
            else:
                lines.insert(i, draw(st.one_of(st.sampled_from(ODD), sentence(), front_matter())))
            text = "\n".join(lines)
    return text


@SETTINGS
@given(policy())
def test_random_policies_never_raise_and_lines_stay_inside(text: str) -> None:
    lint_text(text)


@SETTINGS
@given(mutated())
def test_mutated_example_policies_never_raise_and_lines_stay_inside(text: str) -> None:
    lint_text(text)


@SETTINGS
@given(st.text(max_size=3000))
def test_any_text_at_all(text: str) -> None:
    lint_text(text)


@SETTINGS
@given(mutated(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"]),
       st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=4)), max_size=4))
def test_mutated_bytes_are_decoded_or_refused(text: str, encoding: str, patches: list[tuple[int, bytes]]) -> None:
    data = text.encode(encoding, "replace")
    for pos, chunk in patches:
        data = data[:pos] + chunk + data[pos:]
    try:
        decoded = decode(data, "p.md")
    except InputError as exc:
        assert exc.path == "p.md" and exc.message
        assert exc.line is None or 1 <= exc.line <= data.count(b"\n") + 1
        return
    lint_text(decoded)
