"""YAML loading that remembers the line of every field, for one-line error messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from worldorder.errors import ScenarioError

__all__ = ["LineMap", "load_yaml_with_lines"]

Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so that ``on:``, ``no:`` and ``yes:``
    stay strings (``on`` is a scenario keyword; ``NO`` is Norway's ISO2 code). Dates stay
    strings too, so that a bad date is reported with its step and field, not by PyYAML."""


_DROP = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class LineMap:
    """Maps a field path such as ``("policies", 2, "tariff", "rate")`` to its line number."""

    def __init__(self, lines: dict[Loc, int], label: str) -> None:
        self.lines = lines
        self.label = label

    def line(self, loc: Loc) -> int | None:
        """Line of the deepest known prefix of ``loc``."""
        for k in range(len(loc), -1, -1):
            if loc[:k] in self.lines:
                return self.lines[loc[:k]]
        return None

    def where(self, loc: Loc) -> str:
        """``file.yaml, line 7, field 'policies[2].tariff.rate'``."""
        line = self.line(loc)
        field = format_loc(loc)
        parts = [self.label]
        if line is not None:
            parts.append(f"line {line}")
        if field:
            parts.append(f"field {field!r}")
        return ", ".join(parts)

    def error(self, loc: Loc, message: str) -> ScenarioError:
        """A :class:`ScenarioError` located at ``loc``."""
        return ScenarioError(message, file=self.label, line=self.line(loc),
                             field=format_loc(loc) or None)


def format_loc(loc: Loc) -> str:
    """``("policies", 2, "tariff", "rate")`` -> ``policies[2].tariff.rate``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*loc, str(key.value))
            lines[sub] = key.start_mark.line + 1
            _walk(value, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            _walk(item, (*loc, k), lines)


def load_yaml_with_lines(text: str, label: str) -> tuple[Any, LineMap]:
    """Parse YAML text; return the data and a :class:`LineMap`.

    Raises:
        ScenarioError: On a YAML syntax error, naming the line.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{label}{line}: invalid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{label}: invalid YAML ({exc})") from None
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, LineMap(lines, label)


def read_text(path: Path) -> str:
    """Read a scenario file with a clear error."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None
