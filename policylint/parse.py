"""Bytes to PolicyDocument: decode, split the front matter, parse Markdown once."""
from __future__ import annotations

import datetime as _dt
import errno
import html
import os
import re
import stat
from typing import Any

import yaml
from markdown_it.token import Token

from policylint import lang as _lang
from policylint import markdown
from policylint.document import Block, FrontMatter, PolicyDocument, Section, Sentence
from policylint.errors import InputError

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
    """The safe loader, except that an impossible date stays text (found by property tests)."""


def _timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    # `review: 2026-13-45` looks like a date to YAML and made its constructor raise
    # ValueError; as text, the schema reports it as a date in the wrong form.
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

_NEWLINE = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
# Front matter that expands (through YAML aliases) beyond this many nodes is refused:
# a "billion laughs" document is small on disk and exponential in memory.
MAX_FRONT_MATTER_NODES = 10_000
# Deeper front matter is refused too: a policy needs three levels at most, and every
# later step (conversion, schema validation) walks the data recursively.
MAX_FRONT_MATTER_DEPTH = 32
# Details of a frontmatter/yaml problem that have a message of their own (fm-yaml-<detail>).
YAML_UNCLOSED_QUOTE, YAML_TAB = "unclosed-quote", "tab"
# Files larger than this are refused unless the limit is raised (--max-file-size).
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def format_size(size: int) -> str:
    """A byte count as people read it (1 MB = 1024 KB = 1,048,576 bytes)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def decode(data: bytes, path: str) -> str:
    """Decode a file's bytes: UTF-8 (BOM optional), or UTF-16/UTF-32 with a BOM."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                line = data[: exc.start].decode(codec, "replace").count("\n") + 1
                raise InputError(f"cannot be decoded as {codec.upper()}: {exc.reason}", path, line) from None
            if "\x00" in text:
                raise InputError("looks like a binary file (it contains NUL characters); skipped", path,
                                 text.count("\n", 0, text.index("\x00")) + 1)
            return text
    nul = data.find(b"\x00")
    if nul >= 0:
        if _looks_like_utf16(data):
            raise InputError("looks like UTF-16 text without a byte-order mark; save it as UTF-8", path)
        raise InputError("looks like a binary file (it contains NUL bytes); skipped", path,
                         data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line
        ) from None


def _looks_like_utf16(data: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte, all on the same side."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) >= 0.9 * pairs and min(even, odd) <= 0.1 * pairs


def read(path: str, default_lang: str | None = None,
         max_size: int | None = DEFAULT_MAX_FILE_SIZE) -> PolicyDocument:
    """Read and parse one file. Raises InputError when it cannot be read, is too big or cannot be decoded."""
    return parse(decode(read_bytes(path, max_size), path), path, default_lang)


def read_bytes(path: str, max_size: int | None = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of one regular file of at most ``max_size`` bytes; raises InputError otherwise."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a folder, not a file", path)
        if not stat.S_ISREG(info.st_mode):
            # Opening a named pipe would wait forever for a writer; a device may never end.
            raise InputError("is not a regular file (a pipe, socket or device); skipped", path)
        if max_size and info.st_size > max_size:
            raise InputError(_too_big(info.st_size, max_size), path)
        with open(path, "rb") as handle:
            # Ask for the size stat gave plus one byte (asking for the limit made Python set
            # aside a 5 MB buffer per file); a file that grew since, or that reports a size
            # of 0 (/proc), is read on, one byte past the limit at most.
            data = handle.read(info.st_size + 1) if info.st_size else b""
            if len(data) > info.st_size or not info.st_size:
                remaining = max_size + 1 - len(data) if max_size else -1
                if remaining:
                    data += handle.read(remaining)
    except OSError as exc:
        raise InputError(_os_problem(exc), path) from None
    if max_size and len(data) > max_size:
        raise InputError(_too_big(len(data), max_size), path)
    return data


def _too_big(size: int, limit: int) -> str:
    return (f"is larger ({format_size(size)}) than the size limit of {format_size(limit)}; skipped "
            "(raise the limit with --max-file-size)")


def _os_problem(exc: OSError) -> str:
    """An operating system error in a few plain words."""
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop (it points back to itself)"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    return f"cannot be read: {(exc.strerror or str(exc)).lower()}"


def parse(text: str, path: str = "<text>", default_lang: str | None = None) -> PolicyDocument:
    """Parse decoded text into a PolicyDocument."""
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
    sections, blocks, too_deep = _parse_body("\n".join(body_lines))

    fm_lang = None
    if front_matter is not None and front_matter.data is not None:
        value = front_matter.data.get("lang")
        if isinstance(value, str) and _lang.is_available(value.lower()):
            fm_lang = value.lower()
    if fm_lang:
        code, source = fm_lang, "front-matter"
    else:
        guess, confident = _lang.detect(" ".join(b.text for b in blocks), default_lang or "en")
        code, source = guess, ("detected" if confident else "default")
    sentences = _split_sentences(blocks, lines, code)
    return PolicyDocument(path, lines, code, source, front_matter, sections, blocks, sentences, too_deep)


# --- front matter -----------------------------------------------------------------


def _split_front_matter(lines: list[str]) -> FrontMatter | None:
    if not lines:
        return None
    first = _lang.strip_invisible(lines[0])
    if _TOML_FENCE.match(first):
        # Hugo-style TOML front matter: recognised so that it is not linted as text, not read.
        end = next((i for i in range(1, len(lines)) if _TOML_FENCE.match(lines[i])), None)
        fm = FrontMatter(None, 1, 1 if end is None else end + 1)
        fm.problems.append(("frontmatter/toml", 1, ""))
        return fm
    if not _FENCE.match(first):
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
    try:
        loader = _Loader(source)
    except UnicodeEncodeError:
        # Only text handed to parse() directly can hold a lone surrogate; decode() never makes one.
        fm.problems.append(("frontmatter/yaml", fm.start_line, "it contains a character that is not valid Unicode"))
        return
    try:
        node = loader.get_single_node()
        if node is None:
            fm.problems.append(("frontmatter/empty", 1, ""))
            return
        if not isinstance(node, yaml.MappingNode):
            fm.problems.append(("frontmatter/not-a-mapping", fm.start_line + 1 + node.start_mark.line, ""))
            return
        # Without a "*" there is no alias, so the nodes form a tree: a plain walk measures it.
        size, depth = _measure(node) if "*" in source else _measure_tree(node)
        if size > MAX_FRONT_MATTER_NODES:
            fm.problems.append(("frontmatter/too-complex", fm.start_line, str(MAX_FRONT_MATTER_NODES)))
            return
        if depth > MAX_FRONT_MATTER_DEPTH:
            fm.problems.append(("frontmatter/too-deep", fm.start_line, str(MAX_FRONT_MATTER_DEPTH)))
            return
        _record_keys(node, "", fm)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        fm.problems.append(("frontmatter/yaml", *_yaml_problem(exc, source, fm.start_line)))
        return
    except yaml.YAMLError as exc:
        fm.problems.append(("frontmatter/yaml", fm.start_line, str(exc).splitlines()[0]))
        return
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor choking on a value
        fm.problems.append(("frontmatter/yaml", fm.start_line, str(exc)))
        return
    finally:
        loader.dispose()
    if not isinstance(data, dict):  # pragma: no cover - a MappingNode constructs a dict
        fm.problems.append(("frontmatter/not-a-mapping", fm.start_line, ""))
        return
    fm.data = data


def _yaml_problem(exc: yaml.MarkedYAMLError, source: str, start_line: int) -> tuple[int, str]:
    """The file line and a plain description of a YAML syntax error."""
    problem = str(exc.problem or exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in problem and exc.context_mark is not None:
        # An unclosed quote or bracket is noticed at the end of the block; the
        # author needs the line where it was opened.
        mark = exc.context_mark
        if "quoted scalar" in str(exc.context or ""):
            problem = YAML_UNCLOSED_QUOTE
    elif mark is not None and ("tab" in problem or _char_at(source, mark.line, mark.column) == "\t"):
        problem = YAML_TAB
    line = start_line + 1 + mark.line if mark else start_line
    return line, problem


def _char_at(source: str, line: int, column: int) -> str:
    lines = source.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _measure(root: yaml.Node) -> tuple[int, int]:
    """Node count with aliases expanded, and nesting depth, computed without expanding (or recursing)."""
    cap = MAX_FRONT_MATTER_NODES + 1
    done: dict[int, tuple[int, int]] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = _children(node)
        if finished:
            on_path.discard(key)
            size = 1 + sum(done[id(c)][0] for c in children)
            depth = 1 + max((done[id(c)][1] for c in children), default=0)
            done[key] = (min(size, cap), min(depth, cap))
            continue
        if key in done:
            continue
        if key in on_path:
            return cap, cap  # an alias inside its own anchor: infinitely large
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in done)
    return done[id(root)]


def _measure_tree(root: yaml.Node) -> tuple[int, int]:
    """``_measure`` for nodes that share no child (no aliases): a count and the deepest level."""
    cap = MAX_FRONT_MATTER_NODES + 1
    size = deepest = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        size += 1
        if size >= cap:
            return cap, min(max(deepest, depth), cap)
        deepest = max(deepest, depth)
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return size, min(deepest, cap)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


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


# What can start inline markup in CommonMark: an escape, code, emphasis, link, image,
# autolink or HTML character, or an entity ("&amp;", "&#39;"; a lone "&", as in "Print &
# Media", stays text). Most paragraphs of a policy have none: their plain text follows from
# the line rules below, without markdown-it's inline parser (a third of its time).
_MARKUP_CHARACTERS = "\\`*_[<"
_ENTITY = re.compile(r"&(?:#|[A-Za-z0-9]+;)")


def has_inline_markup(text: str) -> bool:
    """Whether ``text`` holds something that can start inline markup (``in`` tests: ten
    times faster than one regex over the text)."""
    for character in _MARKUP_CHARACTERS:
        if character in text:
            return True
    return "&" in text and _ENTITY.search(text) is not None


def _inline_children(token: Token, env: dict[str, Any]) -> list[Token] | None:
    """The inline tokens of ``token``, or None when its content is plain text."""
    if not has_inline_markup(token.content):
        return None
    md = markdown.parser()
    children: list[Token] = []
    md.inline.parse(token.content, md, env, children)
    return children


def _plain_inline_text(content: str) -> str:
    """What markdown-it's inline parser makes of text without markup: at each line break,
    the spaces before it and the spaces and tabs after it go (a soft or hard break)."""
    if " \n" not in content and "\n " not in content and "\n\t" not in content:
        return content  # no line break with spaces around it (most hard-wrapped text)
    return _LINE_BREAK.sub("\n", content)


# The look-behind starts a match only at the first space of a run: without it, a long run
# of spaces not followed by a line break was tried from each of its spaces (quadratic).
_LINE_BREAK = re.compile(r"(?<! ) *\n[ \t]*")


_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
_HREF_MAILTO = re.compile(r"""\bhref\s*=\s*["']?mailto:([^"'?\s>]+)""", re.I)
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


_CONTAINERS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"})
# Tokens the walk below does nothing with (the most common ones: every paragraph has two).
_PASSIVE = frozenset({"paragraph_open", "paragraph_close", "heading_close", "bullet_list_close",
                      "ordered_list_close", "hr", "fence", "table_open", "table_close", "thead_open", "thead_close",
                      "tbody_open", "tbody_close", "th_open", "th_close", "td_open", "td_close"})


def _parse_body(body: str) -> tuple[list[Section], list[Block], int | None]:
    """Sections and blocks of the body, and the line where nesting got too deep to parse (if it did)."""
    env: dict[str, Any] = {}  # link reference definitions, for the inline parser
    tokens = markdown.parser().parse(body, env)
    builder = _Builder()
    containers: list[str] = []
    row_line = 0
    too_deep: int | None = None
    for i, token in enumerate(tokens):
        if token.type in _PASSIVE:
            continue
        if too_deep is None and token.type in _CONTAINERS and token.level >= markdown.MAX_NESTING - 1 and token.map:
            # markdown-it drops whatever is inside a container opened at the limit.
            too_deep = token.map[0] + 1
        if token.type in ("list_item_open", "blockquote_open", "tr_open"):
            containers.append(token.type)
            if token.type == "tr_open" and token.map:
                row_line = token.map[0] + 1
        elif token.type in ("list_item_close", "blockquote_close", "tr_close"):
            if containers:
                containers.pop()
        elif token.type == "heading_open":
            inline = tokens[i + 1]
            text, _ = _inline_text(inline, env)
            line = token.map[0] + 1 if token.map else 1
            builder.heading(text.replace("\n", " ").strip(), int(token.tag[1]), line)
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            begin, end = _span(token)
            text, bold_only = _inline_text(token, env)
            if bold_only and len(text) <= 150 and "\n" not in text.strip():
                # A paragraph that is one bold line works as a heading in many real policies.
                builder.heading(text.strip(), 7, begin)
                continue
            kind = "list_item" if "list_item_open" in containers else "paragraph"
            builder.block(kind, text, begin, end)
        elif token.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            text, _ = _inline_text(token, env)
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
    return sections, builder.blocks, too_deep


def _span(token: Token) -> tuple[int, int]:
    if token.map:
        return token.map[0] + 1, max(token.map[0] + 1, token.map[1])
    return 1, 1


def _inline_text(token: Token, env: dict[str, Any]) -> tuple[str, bool]:
    """Plain text of an inline token, keeping source line breaks, and whether it is all bold."""
    children = _inline_children(token, env)
    if children is None:
        text = _plain_inline_text(token.content)
        return text, False  # no markup, so no bold
    parts: list[str] = []
    bold_only = True
    depth = 0
    pending_mail: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            depth += 1
        elif kind == "strong_close":
            depth -= 1
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind in ("text", "text_special", "code_inline"):  # text_special: an escaped or entity character
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
        text = html.unescape(_html_text(raw))
        text = re.sub(r"[ \t]+", " ", text).strip()
        if not text:
            continue
        if heading:
            builder.heading(text, int(heading.group(1)), line)
        else:
            builder.block("html", text, line, line)


def _html_text(raw: str) -> str:
    """Text of one line of HTML: tags become spaces, a mailto link keeps its address.

    A scan rather than a regex: on a line of thousands of unclosed ``<`` or ``<a``
    the regexes backtracked quadratically (or worse).
    """
    parts: list[str] = []
    pos = 0
    close = -2  # the first ">" after the current "<"; -1 when there is none, -2 before looking
    mail: str | None = None
    link_start = 0
    while True:
        lt = raw.find("<", pos)
        if lt < 0:
            parts.append(raw[pos:])
            break
        if close == -2 or 0 <= close < lt:
            close = raw.find(">", lt + 1)
        following = raw.find("<", lt + 1, close if close >= 0 else lt + 1)
        if close < 0 or following >= 0:
            parts.append(raw[pos:lt + 1])  # a "<" that opens no tag is text
            pos = lt + 1
            continue
        parts.append(raw[pos:lt])
        tag = raw[lt:close + 1]
        name = _TAG_NAME.match(tag)
        if name and name.group(2).lower() == "a":
            if not name.group(1):
                found = _HREF_MAILTO.search(tag)
                mail = found.group(1) if found else None
                link_start = len(parts)
            elif mail:
                # Keep a mailto address readable: "Jo (jo@acme.be)" is evidence of a contact.
                if mail not in "".join(parts[link_start:]):
                    parts.append(f" ({mail})")
                mail = None
        parts.append(" ")
        pos = close + 1
    return "".join(parts)


def _close_sections(sections: list[Section], last_line: int) -> list[Section]:
    """Give each section its end line: just before the next heading at its level or above."""
    ends = [last_line] * len(sections)
    waiting: list[int] = []  # sections still open, their levels strictly rising
    for i, section in enumerate(sections):
        while waiting and sections[waiting[-1]].level >= section.level:
            ends[waiting.pop()] = section.line - 1
        waiting.append(i)
    return [Section(s.title, s.level, s.line, end, s.parent) for s, end in zip(sections, ends, strict=True)]


# --- sentences --------------------------------------------------------------------


def _split_sentences(blocks: list[Block], lines: list[str], code: str) -> list[Sentence]:
    splitter = _lang.sentence_splitter(code)
    normalize = _lang.normalize
    sentences: list[Sentence] = []
    append = sentences.append
    last = len(lines) or 1
    column_line, column_pos = 0, 0  # the line searched for columns, and how far it was searched
    for index, block in enumerate(blocks):
        text = block.text
        bounds = [0]  # start and end of each piece between sentence boundaries
        for match in splitter.finditer(text):
            bounds += match.span(match.lastindex or 0)
        bounds.append(len(text))
        section = block.section
        first = block.line
        one_line = "\n" not in text
        # Count line breaks incrementally: counting from the block's start for every
        # sentence was quadratic on a long block.
        counted = breaks = 0
        for k in range(0, len(bounds), 2):
            begin, end = bounds[k], bounds[k + 1]
            chunk = text[begin:end]
            stripped = chunk.strip()
            if not stripped:
                continue
            if one_line:
                line = end_line = first if first <= last else last
            else:
                lead = begin + chunk.find(stripped[0])  # the first character that is not white space
                breaks += text.count("\n", counted, lead)
                line = first + breaks
                breaks += text.count("\n", lead, end)
                end_line = first + breaks
                counted = end
                if end_line > last:
                    end_line = last
                    line = min(line, last)
            # The column: where the sentence's first words stand in its line, searched for from
            # the previous sentence on. Only a little ahead: a sentence whose markup differs
            # from its text (bold, links) is not found (column 1), and must not cost a scan
            # of a 2 MB line.
            column = 1
            if 1 <= line <= len(lines):
                if line != column_line:
                    column_line, column_pos = line, 0
                probe = stripped[:24]
                if "\n" in probe:
                    probe = probe[:probe.index("\n")]
                source = lines[line - 1]
                found = source.find(probe, column_pos, column_pos + len(probe) + 4096)
                if found < 0 and column_pos:
                    found = source.find(probe, 0, len(probe) + 4096)
                if found >= 0:
                    column_pos = found + len(probe)
                    column = found + 1
            append(Sentence(stripped, normalize(stripped), line, end_line, column, index, section))
    return sentences
