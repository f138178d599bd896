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

#: Policy files are a few levels deep; deeper nesting is refused before it can exhaust the stack.
MAX_DEPTH = 40
#: At most this many encoding or character problems are listed (one bad file, not 10,000 lines).
_MAX_LISTED = 20
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD"
                            "\U00010000-\U0010FFFF]")
_MAX_DIGITS = 18

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
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if self.depth >= MAX_DEPTH:
            raise _TooDeep(None, None, f"nesting deeper than {MAX_DEPTH} levels",
                           event.start_mark)
        self.depth += 1
        try:
            return self._compose(parent, index, event)
        finally:
            self.depth -= 1

    def _compose(self, parent: Node | None, index: Any, event: Any) -> Node | None:
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


class _TooDeep(yaml.MarkedYAMLError):
    """Nesting past `MAX_DEPTH`: reported like a syntax error, with its own code."""


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
    #: Values the YAML layer already reported (a number too long to read): later stages say
    #: nothing more about them, so each mistake is reported once.
    reported: set[Path] = field(default_factory=set)
    #: Top-level keys a syntax error blanked part of: problems that only mean "something is
    #: missing" there (an unknown clause id when `clauses` lost an entry) may be knock-ons.
    blanked: set[str] = field(default_factory=set)

    def already_reported(self, path: Sequence[str | int]) -> bool:
        """Whether `path` or a value enclosing it was already reported."""
        key = tuple(path)
        return any(key[:n] in self.reported for n in range(len(key) + 1))

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


def decode(data: bytes, file: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 text from `data` (a byte-order mark is dropped); each undecodable byte sequence is
    reported at its line and column and stands as U+FFFD, so later problems are still found."""
    text = data.decode("utf-8-sig", errors="replace")
    if "\ufffd" not in text:
        return text, []
    problems: list[Diagnostic] = []
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while len(problems) < _MAX_LISTED:
        try:
            data[start:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            offset = start + exc.start
            line = data.count(b"\n", 0, offset) + 1
            column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
            problems.append(Diagnostic(
                "encoding", f"bytes `{data[offset:start + exc.end].hex(' ')}` are not UTF-8 "
                f"({exc.reason})", file, line, column, "save the file as UTF-8 text"))
            start += exc.end
    return text, problems


def _printable(text: str, file: str) -> tuple[str, list[Diagnostic]]:
    """Characters YAML refuses (NUL, control characters), each reported and blanked."""
    problems: list[Diagnostic] = []
    for match in _NON_PRINTABLE.finditer(text):
        if len(problems) < _MAX_LISTED:
            offset = match.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            problems.append(Diagnostic(
                "bad-character", f"character U+{ord(match.group()):04X} is not allowed in YAML",
                file, line, column, "remove it; policy files are plain text"))
    return (_NON_PRINTABLE.sub(" ", text) if problems else text), problems


def load(text: str | bytes, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse `text` (or UTF-8 bytes); return the document and every problem found.

    After a syntax error the block holding it is blanked out (line numbers kept) and parsing
    goes on, so one stray brace does not hide every other problem in the file; a second error
    at the same place is the same mistake and is not reported again. The document is None only
    if nothing readable is left. Nothing here raises on bad input: undecodable bytes, control
    characters, nesting past `MAX_DEPTH` and unreadable numbers are all diagnostics.
    """
    syntax: list[Diagnostic] = []
    if isinstance(text, bytes):
        text, syntax = decode(text, file)
    text, more = _printable(text, file)
    syntax += more
    lines = text.splitlines(keepends=True)
    seen: set[int | str] = set()
    blanked: set[str] = set()
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
            # One mistake, one report: a second error at the same line, or inside the same
            # enclosing block (an indentation slip breaks every key after it), is the same one.
            same: set[int | str] = {line, problem} if not exc.context_mark else {
                line, exc.context_mark.line + 1}
            if not same & seen:
                seen.update(same)
                syntax.append(
                    Diagnostic("too-deep", problem, file, line, column,
                               "a policy needs only a few levels; flatten this value")
                    if isinstance(exc, _TooDeep) else
                    Diagnostic("yaml-syntax", f"yaml syntax error: {problem}", file, line,
                               column, "check indentation, quotes and colons on this line"))
            anchor = exc.context_mark or exc.problem_mark
            if isinstance(exc, _TooDeep):
                anchor = exc.problem_mark
            if anchor is None or not lines:
                return None, syntax
            index = min(anchor.line, len(lines) - 1)
            if not _blank_block(lines, index, blanked):
                return None, syntax
        except yaml.YAMLError as exc:  # a reader error the checks above did not foresee
            return None, [*syntax, Diagnostic("yaml-syntax", f"yaml error: {exc}", file, 1, 1,
                                              "check the file is valid YAML")]
        finally:
            loader.dispose()
    else:
        return None, syntax
    problems = syntax + [
        Diagnostic(code, f"{what} is not allowed", file, mark.line + 1, mark.column + 1, hint)
        for code, what, mark, hint in loader.refused]
    doc = Document(file, None, blanked=blanked)
    if node is not None:
        doc.data = _build(node, (), doc, problems)
    return doc, sorted(problems, key=lambda d: (d.line, d.column))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _top_key(lines: list[str], index: int) -> str:
    """The top-level key whose block holds line `index` ("" if none)."""
    for line in reversed(lines[:index + 1]):
        if line.strip() and _indent(line) == 0 and not line.startswith(("#", "-")):
            return line.split(":", 1)[0].strip()
    return ""


def _blank_block(lines: list[str], index: int, keys: set[str]) -> bool:
    """Blank the list item (or top-level key) enclosing line `index`, adding the top-level keys
    it was part of to `keys`; False if nothing would be left."""
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
    keys.add(_top_key(lines, start))
    keys.update(_top_key(lines, i) for i in range(start, end) if _indent(lines[i]) == 0)
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
    if node.tag in (_INT, _FLOAT) and len(node.value.lstrip("+-").split(".")[0]) > _MAX_DIGITS:
        doc.reported.add(path)
        problems.append(doc.diagnostic(
            path, "out-of-range", f"number `{node.value[:20]}...` has more than {_MAX_DIGITS} "
            "digits", "policy numbers are small: counts, days and thresholds"))
        return None
    if "\ufffd" in node.value:  # bytes that were not UTF-8: reported where they stand
        doc.reported.add(path)
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
