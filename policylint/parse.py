"""Bytes to PolicyDocument: decode, split the front matter, parse Markdown once."""
from __future__ import annotations

import datetime as _dt
import functools
import html
import re
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from policylint import lang as _lang
from policylint.document import Block, FrontMatter, PolicyDocument, Section, Sentence
from policylint.errors import InputError

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
# Front matter that expands (through YAML aliases) beyond this many nodes is refused:
# a "billion laughs" document is small on disk and exponential in memory.
MAX_FRONT_MATTER_NODES = 10_000


def decode(data: bytes, path: str) -> str:
    """Decode a file's bytes: UTF-8 (BOM optional) or UTF-16 with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot decode as UTF-16: {exc.reason}", path) from None
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file (it contains NUL bytes); skipped", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line
        ) from None


def read(path: str, default_lang: str | None = None) -> PolicyDocument:
    """Read and parse one file. Raises InputError when it cannot be read or decoded."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path) from None
    return parse(decode(data, path), path, default_lang)


def parse(text: str, path: str = "<text>", default_lang: str | None = None) -> PolicyDocument:
    """Parse decoded text into a PolicyDocument."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (an editor can send them) cannot be encoded; YAML's C
            # parser would fail on them. Keep the text, with "?" in their place.
            text = text.encode("utf-8", "replace").decode("utf-8")
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()  # the final newline ends the last line; it does not start a new one
    front_matter = _split_front_matter(lines)
    body_lines = list(lines)
    if front_matter is not None:
        # Blank the front matter out rather than slicing it off, so that every
        # token's line number is already a line number of the file.
        for i in range(front_matter.start_line - 1, front_matter.end_line):
            body_lines[i] = ""
    sections, blocks = _parse_body("\n".join(body_lines))

    fm_lang = None
    if front_matter is not None and front_matter.data is not None:
        value = front_matter.data.get("lang")
        if isinstance(value, str) and value.lower() in _lang.available():
            fm_lang = value.lower()
    if fm_lang:
        code, source = fm_lang, "front-matter"
    else:
        guess, confident = _lang.detect(" ".join(b.text for b in blocks), default_lang or "en")
        code, source = guess, ("detected" if confident else "default")
    sentences = _split_sentences(blocks, lines, code)
    return PolicyDocument(path, lines, code, source, front_matter, sections, blocks, sentences)


# --- front matter -----------------------------------------------------------------


def _split_front_matter(lines: list[str]) -> FrontMatter | None:
    if not lines or not _FENCE.match(_lang.strip_invisible(lines[0])):
        return None
    end = next((i for i in range(1, len(lines)) if _FENCE_END.match(lines[i])), None)
    if end is None:
        fm = FrontMatter(None, 1, 1)
        fm.problems.append(("frontmatter/unclosed", 1, ""))
        return fm
    fm = FrontMatter(None, 1, end + 1)
    source = "\n".join(lines[1:end])
    if not source.strip():
        fm.problems.append(("frontmatter/empty", 1, ""))
        return fm
    _load_yaml(source, fm)
    return fm


def _load_yaml(source: str, fm: FrontMatter) -> None:
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            fm.problems.append(("frontmatter/empty", 1, ""))
            return
        if not isinstance(node, yaml.MappingNode):
            fm.problems.append(("frontmatter/not-a-mapping", fm.start_line + 1 + node.start_mark.line, ""))
            return
        if _expanded_size(node, {}) > MAX_FRONT_MATTER_NODES:
            fm.problems.append(("frontmatter/too-complex", fm.start_line, str(MAX_FRONT_MATTER_NODES)))
            return
        _record_keys(node, "", fm)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = fm.start_line + 1 + mark.line if mark else fm.start_line
        detail = str(exc.problem or exc.context or "").strip()
        fm.problems.append(("frontmatter/yaml", line, detail))
        return
    except yaml.YAMLError as exc:
        fm.problems.append(("frontmatter/yaml", fm.start_line, str(exc).splitlines()[0]))
        return
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML builds dates itself and lets "2024-13-45" escape as a ValueError:
        # name the value that failed and where it stands.
        line, text = _bad_scalar(node, fm.start_line) if node is not None else (fm.start_line, "?")
        fm.problems.append(("frontmatter/yaml", line, f"`{text}` cannot be read ({exc})"))
        return
    finally:
        loader.dispose()
    fm.data = data


def _bad_scalar(node: yaml.Node, start_line: int) -> tuple[int, str]:
    """The first scalar that YAML would turn into an impossible date or time."""
    import datetime as dt

    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.MappingNode):
            stack.extend(v for pair in current.value for v in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif current.tag == "tag:yaml.org,2002:timestamp":
            try:
                if len(current.value) == 10:
                    dt.date.fromisoformat(current.value)
                    continue
                yaml.safe_load(current.value)
                continue
            except (ValueError, TypeError, OverflowError):
                return start_line + 1 + current.start_mark.line, current.value
    return start_line, "the front matter"


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Node count with aliases expanded, computed without expanding them."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # guards against recursive aliases
    size = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo) + _expanded_size(v, memo)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo)
    memo[key] = min(size, MAX_FRONT_MATTER_NODES + 1)
    return memo[key]


def _record_keys(node: yaml.MappingNode, prefix: str, fm: FrontMatter) -> None:
    """Remember each key's line and report keys given twice (YAML keeps the last silently)."""
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        name = prefix + str(key_node.value)
        line = fm.start_line + 1 + key_node.start_mark.line
        if name in seen:
            fm.problems.append(("frontmatter/duplicate-key", line, name))
        seen.add(name)
        fm.key_lines[name] = line
        if isinstance(value_node, yaml.MappingNode) and not prefix:
            _record_keys(value_node, name + ".", fm)


def json_ready(value: Any) -> Any:
    """YAML dates become ISO strings, so JSON Schema sees what the author typed."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


# --- body -------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


_TAG = re.compile(r"<[^>]*>")
_MAILTO = re.compile(r"<a\b[^>]*href=[\"']mailto:([^\"'?]+)[^>]*>(.*?)</a>", re.I | re.S)
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1>", re.I | re.S)
# An HTML comment (closed or running to the end of its block) is not text a reader sees.
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


class _Builder:
    """Walks markdown-it tokens once, collecting sections and blocks."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.blocks: list[Block] = []
        self.open_sections: list[int] = []  # stack of indices, outermost first

    def current(self) -> int | None:
        return self.open_sections[-1] if self.open_sections else None

    def heading(self, title: str, level: int, line: int) -> None:
        while self.open_sections and self.sections[self.open_sections[-1]].level >= level:
            self.open_sections.pop()
        parent = self.current()
        self.sections.append(Section(title, level, line, line, parent))
        self.open_sections.append(len(self.sections) - 1)
        self.blocks.append(Block("heading", title, line, line, len(self.sections) - 1))

    def block(self, kind: str, text: str, line: int, end_line: int) -> None:
        if text.strip():
            self.blocks.append(Block(kind, text, line, end_line, self.current()))


def _parse_body(body: str) -> tuple[list[Section], list[Block]]:
    tokens = _markdown().parse(body)
    builder = _Builder()
    containers: list[str] = []
    row_line = 0
    for i, token in enumerate(tokens):
        if token.type in ("list_item_open", "blockquote_open", "tr_open"):
            containers.append(token.type)
            if token.type == "tr_open" and token.map:
                row_line = token.map[0] + 1
        elif token.type in ("list_item_close", "blockquote_close", "tr_close"):
            if containers:
                containers.pop()
        elif token.type == "heading_open":
            inline = tokens[i + 1]
            text, _ = _inline_text(inline)
            line = token.map[0] + 1 if token.map else 1
            builder.heading(text.replace("\n", " ").strip(), int(token.tag[1]), line)
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            begin, end = _span(token)
            text, bold_only = _inline_text(token)
            if bold_only and len(text) <= 150 and "\n" not in text.strip():
                # A paragraph that is one bold line works as a heading in many real policies.
                builder.heading(text.strip(), 7, begin)
                continue
            kind = "list_item" if "list_item_open" in containers else "paragraph"
            builder.block(kind, text, begin, end)
        elif token.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            text, _ = _inline_text(token)
            line = token.map[0] + 1 if token.map else row_line
            builder.block("table_cell", text, line, line)
        elif token.type == "html_block" and token.map:
            _html_lines(token, builder)
        elif token.type == "code_block" and token.map:
            # Policies hold no code: an indented block is text that an export (HTML
            # pages, PDF conversions) happened to indent by four spaces or more.
            if token.content.lstrip().startswith("<"):
                _html_lines(token, builder)
            else:
                begin, end = _span(token)
                builder.block("paragraph", token.content.rstrip("\n"), begin, end)
    last = body.count("\n") + 1
    sections = _close_sections(builder.sections, last)
    return sections, builder.blocks


def _span(token: Token) -> tuple[int, int]:
    if token.map:
        return token.map[0] + 1, max(token.map[0] + 1, token.map[1])
    return 1, 1


def _inline_text(token: Token) -> tuple[str, bool]:
    """Plain text of an inline token, keeping source line breaks, and whether it is all bold."""
    parts: list[str] = []
    bold_only = True
    depth = 0
    pending_mail: str | None = None
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            depth += 1
        elif kind == "strong_close":
            depth -= 1
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind in ("text", "code_inline"):
            if child.content.strip() and depth == 0:
                bold_only = False
            parts.append(child.content)
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if href.lower().startswith("mailto:"):
                pending_mail = href[7:].split("?")[0]
        elif kind == "link_close" and pending_mail:
            # Keep a mailto address readable: "Jan (jan@acme.be)" is evidence of a contact.
            if pending_mail not in "".join(parts[-3:]):
                parts.append(f" ({pending_mail})")
            pending_mail = None
        elif kind == "html_inline":
            if re.match(r"<br\s*/?>", child.content, re.I):
                parts.append(" ")
        elif kind == "image":
            bold_only = False
    text = "".join(parts)
    return text, bold_only and depth == 0 and bool(text.strip())


def _html_lines(token: Token, builder: _Builder) -> None:
    """Each line of an HTML block becomes a block (or a heading) of plain text."""
    assert token.map is not None
    first = token.map[0] + 1
    # Comments (suppression directives among them) are not policy text; blank
    # them out keeping their line breaks, so multi-line comments vanish too.
    content = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), token.content)
    for offset, raw in enumerate(content.split("\n")):
        line = first + offset
        heading = _HTML_HEADING.match(raw)
        text = _MAILTO.sub(lambda m: f"{m.group(2)} ({m.group(1)})", raw)
        text = html.unescape(_TAG.sub(" ", text))
        text = re.sub(r"[ \t]+", " ", text).strip()
        if not text:
            continue
        if heading:
            builder.heading(text, int(heading.group(1)), line)
        else:
            builder.block("html", text, line, line)


def _close_sections(sections: list[Section], last_line: int) -> list[Section]:
    """Give each section its end line: just before the next heading at its level or above."""
    closed: list[Section] = []
    for i, section in enumerate(sections):
        end = last_line
        for later in sections[i + 1:]:
            if later.level <= section.level:
                end = later.line - 1
                break
        closed.append(Section(section.title, section.level, section.line, end, section.parent))
    return closed


# --- sentences --------------------------------------------------------------------


def _split_sentences(blocks: list[Block], lines: list[str], code: str) -> list[Sentence]:
    splitter = _lang.sentence_splitter(code)
    sentences: list[Sentence] = []
    for index, block in enumerate(blocks):
        text = block.text
        start = 0
        pieces: list[tuple[int, int]] = []
        for match in splitter.finditer(text):
            pieces.append((start, match.start()))
            start = match.end()
        pieces.append((start, len(text)))
        for begin, end in pieces:
            chunk = text[begin:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            lead = len(chunk) - len(chunk.lstrip())
            line = block.line + text.count("\n", 0, begin + lead)
            end_line = block.line + text.count("\n", 0, end)
            line = min(line, len(lines)) if lines else 1
            norm = _lang.normalize(stripped)
            sentences.append(
                Sentence(stripped, norm, line, max(line, min(end_line, len(lines) or 1)),
                         _column(lines, line, stripped), index, block.section)
            )
    return sentences


def _column(lines: list[str], line: int, sentence: str) -> int:
    """1-based column of the sentence in its first line (1 when it cannot be found)."""
    if not 1 <= line <= len(lines):
        return 1
    probe = sentence.split("\n", 1)[0][:24]
    found = lines[line - 1].find(probe)
    return found + 1 if found >= 0 else 1
