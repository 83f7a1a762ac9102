"""Load a YAML file of ours (config, ruleset) and remember where every key stands.

Used to say "file:line: unknown key `colour`" instead of "invalid config".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from policylint.errors import ConfigError

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass
class LoadedYaml:
    """A parsed document and the 1-based line of each key path ("rules.positive-phrasing")."""

    path: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, keys: list[Any] | tuple[Any, ...]) -> int | None:
        """Line of the deepest known key of a path (jsonschema's error.path)."""
        parts = [str(k) for k in keys]
        while parts:
            found = self.lines.get(".".join(parts))
            if found:
                return found
            parts.pop()
        return None


def load(path: str, text: str | None = None) -> LoadedYaml:
    """Parse a YAML file; raises ConfigError naming file and line on any problem."""
    if text is None:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise ConfigError("file not found", path) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot be read: {getattr(exc, 'strerror', None) or exc}", path) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        if node is not None:
            _walk(node, "", lines, path, [0])
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(f"invalid YAML: {exc.problem or exc.context}", path,
                          mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path) from None
    finally:
        loader.dispose()
    return LoadedYaml(path, data, lines)


def load_trusted(path: str) -> LoadedYaml:
    """A YAML file shipped with policylint (tested, never wrong): parsed without recording lines."""
    with open(path, encoding="utf-8") as handle:
        return LoadedYaml(path, yaml.load(handle.read(), Loader=_Loader))


MAX_NODES = 50_000


def _walk(node: yaml.Node, prefix: str, lines: dict[str, int], path: str, count: list[int]) -> None:
    # Aliases make a small file a huge tree; our files never need that many values.
    count[0] += 1
    if count[0] > MAX_NODES:
        raise ConfigError(f"too many values (over {MAX_NODES}, through YAML aliases?)", path)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = f"{prefix}{key.value}" if isinstance(key, yaml.ScalarNode) else prefix + "?"
            if name in seen:
                raise ConfigError(f"`{name}` is given twice", path, key.start_mark.line + 1)
            seen.add(name)
            lines[name] = key.start_mark.line + 1
            _walk(value, name + ".", lines, path, count)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{prefix}{index}"
            lines.setdefault(name, item.start_mark.line + 1)
            _walk(item, name + ".", lines, path, count)
