"""YAML loading that remembers the line of every field, for one-line error messages.

Hostile or mistaken YAML is refused while the document is composed, before anything is expanded
or validated: nesting deeper than :data:`MAX_DEPTH`, an alias that refers to a value containing
it (``x: &a [*a]``), a document whose aliases expand it to more than :data:`MAX_VALUES` values
(an alias bomb: nine levels of nine aliases are 387 million strings in 500 bytes), and a key
given twice in one mapping (YAML would silently keep the last). Each error names the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from worldorder.errors import ScenarioError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_VALUES", "LineMap", "load_yaml_with_lines"]

MAX_DEPTH = 50  # nested collections; scenarios need fewer than ten
MAX_VALUES = 100_000  # scalars and collections once aliases are expanded
MAX_BYTES = 10_000_000  # a scenario file; the largest bundled one is a few kilobytes

Loc = tuple[str | int, ...]


class _Refused(yaml.YAMLError):
    """A document refused while it was composed, at a line."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark, self.message = mark, message


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so that ``on:``, ``no:`` and ``yes:``
    stay strings (``on`` is a scenario keyword; ``NO`` is Norway's ISO2 code). Dates stay
    strings too, so that a bad date is reported with its step and field, not by PyYAML.

    Composing is bounded (module docstring): the depth is counted on the way down, and an
    alias to an anchor whose value is still being composed is a cycle."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._open: set[str] = set()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) and event.anchor in self._open:
            raise _Refused(event.start_mark, f"alias *{event.anchor} refers to a value that "
                                             "contains it (a cycle)")
        anchor = getattr(event, "anchor", None)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
        if anchor is not None:
            self._open.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open.discard(anchor)


_DROP = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
# YAML 1.2 floats: ``1e6`` is a number (YAML 1.1 wants ``1.0e6`` and PyYAML reads ``1e6`` as
# text, which strict validation would then refuse); integers are still resolved first.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
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


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` holds once its aliases are expanded (shared nodes counted
    each time they are used, computed once each); stops at :data:`MAX_VALUES`."""
    stack = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        if done or not children:
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_VALUES:
                raise _Refused(None, f"aliases expand it to more than {MAX_VALUES:,} values "
                                     "(an alias bomb?)")
            sizes[key] = total
        else:
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(node)]


def _duplicates(node: yaml.Node, loc: Loc, seen: set[int]) -> tuple[Loc, int, int] | None:
    """The first key given twice in a mapping: ``(field, line, first line)``."""
    if id(node) in seen:
        return None
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[Any, int] = {}
        for key, value in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                continue
            name = key.value if isinstance(key, yaml.ScalarNode) else id(key)
            if name in first:
                return (*loc, str(name)), key.start_mark.line + 1, first[name]
            first[name] = key.start_mark.line + 1
            found = _duplicates(value, (*loc, str(name)), seen)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            found = _duplicates(item, (*loc, k), seen)
            if found:
                return found
    return None


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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _expanded_size(node, {})
            dup = _duplicates(node, (), set())
            if dup:
                loc, line, first = dup
                raise ScenarioError(f"{label}, line {line}, field {format_loc(loc)!r}: "
                                    f"duplicate key (first given on line {first})")
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        line = f", line {exc.mark.line + 1}" if exc.mark is not None else ""
        raise ScenarioError(f"{label}{line}: {exc.message}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise ScenarioError(f"{label}{line}: invalid YAML ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{label}: invalid YAML ({exc})") from None
    except RecursionError:  # deep nesting inside one scalar's parsing; bounded anyway
        raise ScenarioError(f"{label}: nested too deeply") from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, LineMap(lines, label)


def read_text(path: Path) -> str:
    """Read a scenario file (UTF-8, at most :data:`MAX_BYTES`) with a clear error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(f"{path}: {len(data):,} bytes is too large for a scenario file "
                            f"(at most {MAX_BYTES:,})")
    return decode_utf8(data, path.name)


def decode_utf8(data: bytes, label: str) -> str:
    """``data`` as UTF-8 text (a BOM is dropped).

    Raises:
        ScenarioError: Not UTF-8, naming the first bad byte and its line.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(f"{label}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
                            f"{line}); save it as UTF-8") from None
