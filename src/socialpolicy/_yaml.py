"""Strict, safe YAML with positions: the only module that imports `yaml`.

Policy files are written by hand and read by a compliance tool, so the reader refuses what YAML
would otherwise guess at: tags, aliases, duplicate keys, implicit dates and yes/no booleans.
Every value's position is kept so later stages can point at `file:line:column`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Diagnostic

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader minus the guessing; records refused constructs instead of building them."""

    yaml_implicit_resolvers = {}  # noqa: RUF012  (start empty: only the resolvers below)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.refused: list[tuple[str, str, Any, str]] = []

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            self.refused.append(("yaml-alias", f"alias `*{event.anchor}`", event.start_mark,
                                 "write the value out in full; aliases are not allowed"))
        elif isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.tag not in (None, "!"):
                self.refused.append(("yaml-tag", f"tag `{event.tag}`", event.start_mark,
                                     "remove the tag; policy files hold plain data only"))
            if event.anchor is not None:
                self.refused.append(("yaml-alias", f"anchor `&{event.anchor}`", event.start_mark,
                                     "remove the anchor; anchors and aliases are not allowed"))
        if isinstance(event, AliasEvent):
            # Do not resolve it: skip the event and stand a null in its place.
            self.get_event()  # type: ignore[no-untyped-call]
            mark: Any = event.start_mark
            return ScalarNode(_NULL, "", mark, mark)
        return super().compose_node(parent, index)


# Only JSON-like scalars are recognised implicitly: null, true/false, ints, floats.
_StrictLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|false)$"), list("tf"))
_StrictLoader.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|)$"), ["~", "n", ""])
_StrictLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_StrictLoader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


@dataclass
class Document:
    """Plain data from a YAML file, with the position of every value by its path."""

    file: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Sequence[str | int], at_key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `path` (of its key with `at_key`), or of the
        nearest known ancestor."""
        key = tuple(path)
        if at_key and key in self.key_positions:
            return self.key_positions[key]
        while key not in self.positions and key:
            key = key[:-1]
        return self.positions.get(key, (1, 1))

    def diagnostic(self, path: Sequence[str | int], code: str, message: str,
                   hint: str | None = None, severity: str = "error",
                   at_key: bool = False) -> Diagnostic:
        line, column = self.position(path, at_key)
        return Diagnostic(code, message, self.file, line, column, hint, severity)


def load(text: str, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse `text`; return the document and every problem found.

    After a syntax error the block holding it is blanked out (line numbers kept) and parsing
    goes on, so one stray brace does not hide every other problem in the file. The document is
    None only if nothing readable is left.
    """
    lines = text.splitlines(keepends=True)
    syntax: list[Diagnostic] = []
    for _ in range(50):
        loader = _StrictLoader("".join(lines))
        try:
            node = loader.get_single_node()
            break
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or exc.context or "unreadable YAML"
            if exc.context and exc.context_mark and exc.problem:
                problem += f" ({exc.context} started at line {exc.context_mark.line + 1})"
            syntax.append(Diagnostic("yaml-syntax", f"yaml syntax error: {problem}", file, line,
                                     column, "check indentation, quotes and colons on this line"))
            anchor = exc.context_mark or exc.problem_mark
            if anchor is None or not _blank_block(lines, min(anchor.line, len(lines) - 1)):
                return None, syntax
        except yaml.YAMLError as exc:
            return None, [*syntax, Diagnostic("yaml-syntax", f"yaml error: {exc}", file, 1, 1,
                                              "check the file is valid YAML")]
        finally:
            loader.dispose()
    else:
        return None, syntax
    problems = syntax + [
        Diagnostic(code, f"{what} is not allowed", file, mark.line + 1, mark.column + 1, hint)
        for code, what, mark, hint in loader.refused]
    doc = Document(file, None)
    if node is not None:
        doc.data = _build(node, (), doc, problems)
    return doc, sorted(problems, key=lambda d: (d.line, d.column))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank_block(lines: list[str], index: int) -> bool:
    """Blank the list item (or top-level key) enclosing line `index`; False if nothing left."""
    start = index
    while start > 0 and not (lines[start].lstrip().startswith("- ") or (_indent(lines[start]) == 0
                             and lines[start].strip())):
        start -= 1
    depth = _indent(lines[start])
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > depth):
        end += 1
    if all(not line.strip() for line in lines[:start] + lines[end:]):
        return False
    for i in range(start, end):
        lines[i] = "\n"
    return True


def _build(node: Node, path: Path, doc: Document, problems: list[Diagnostic]) -> Any:
    doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or isinstance(key_node, MappingNode | SequenceNode):
                problems.append(doc.diagnostic(path, "yaml-key", "mapping keys must be text",
                                               "use a plain word as the key"))
                continue
            if key in result:
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                first_line = doc.positions.get((*path, key), (0, 0))[0]
                problems.append(Diagnostic(
                    "duplicate-key", f"duplicate key `{key}`", doc.file, line, column,
                    f"the key is already set on line {first_line}; keep one of them"))
                continue
            doc.key_positions[(*path, key)] = (key_node.start_mark.line + 1,
                                               key_node.start_mark.column + 1)
            result[key] = _build(value_node, (*path, key), doc, problems)
        return result
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), doc, problems) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: Node) -> Any:
    value: str = node.value
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return value == "true"
    if node.tag == _INT:
        return int(value)
    if node.tag == _FLOAT:
        return float(value)
    return value


def dump(data: Any) -> str:
    """Plain data as block YAML, for counterexamples a user pastes back into a policy."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
