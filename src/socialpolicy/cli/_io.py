"""Reading subjects and writing results, streamed: the plumbing every command shares.

Also the shape every command shares: how it is registered, how it prints a result as JSON or
text, and how it reports a count of problems with its exit code.

Input is JSON Lines (one subject per line, read and decided as it arrives, so memory stays flat
and output starts before input ends), or one JSON document (an array of subjects, or one
subject), which is read whole. A line that is not UTF-8, not JSON, or a JSON object with a
repeated key becomes an error row in place; every other line is still decided.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO

from ..decision import RowError
from ..errors import InputError, UnknownPolicyError
from ..policy.loader import available_policies

#: Exit codes, shared by every command (the README's command-line section has the table).
EXIT_OK = 0
#: `--fail-on` matched some decision (opt-in); `socialpolicy test` also uses it for a failure.
EXIT_FAIL_ON = 1
EXIT_ADVERSE = EXIT_FAIL_ON  # the name this code had before `--fail-on`
#: Could not run at all: bad arguments, a bad policy, an unreadable file.
EXIT_CANNOT_RUN = 2
#: Ran, and found problems: lint or coverage findings, records that would now be decided
#: differently.
EXIT_PROBLEMS = 3
#: Ran, but some rows were not decided (invalid input, or deciding them failed: the row says
#: why); every other row was decided and printed.
EXIT_ROWS_NOT_DECIDED = 4
#: A bug outside any row: an unexpected exception (the traceback goes to stderr). Never 1.
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: its position among rows, the line it starts on (JSON Lines), and its
    JSON value, or the errors that stopped it being read."""

    index: int
    line: int | None
    value: Any = None
    errors: tuple[RowError, ...] = ()


def describe(error: RowError) -> str:
    """One line: where, then what."""
    where = ".".join(map(str, error.loc))
    return f"{where}: {error.message}" if where else error.message


class _Repeated(dict[str, Any]):
    """A JSON object that repeated a key: which value was meant is unknowable."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]], repeated: str) -> None:
        super().__init__(pairs)
        self.repeated = repeated


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return _Repeated(pairs, key)
        seen.add(key)
    return result  # pragma: no cover (a shorter dict always repeats a key)


def _repeated_key(value: Any) -> RowError | None:
    # A loop, not recursion: a row nested nearly as deep as `parse_json` allows must not
    # overflow the stack here instead.
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        loc, item = stack.pop()
        if isinstance(item, _Repeated):
            return RowError("duplicate_key", (*loc, item.repeated),
                            f"the key `{item.repeated}` appears more than once in one object; "
                            "which value was meant is unknowable, so give it once")
        children: Iterable[tuple[str | int, Any]] = (
            item.items() if isinstance(item, dict) else enumerate(item)
            if isinstance(item, list) else ())
        stack.extend(reversed([((*loc, key), child) for key, child in children
                               if isinstance(child, dict | list)]))
    return None


def parse_json(text: str) -> Any:
    """`json.loads` that marks objects with a repeated key (see `_repeated_key`), and reports
    nesting deeper than the interpreter can parse as a `JSONDecodeError` like any other."""
    try:
        return json.loads(text, object_pairs_hook=_object)
    except RecursionError:
        raise json.JSONDecodeError(
            "nested too deeply: a subject is a few levels deep at most", text, 0) from None


def _row(index: int, line: int | None, value: Any) -> Row:
    repeated = _repeated_key(value)
    return Row(index, line, value, (repeated,) if repeated else ())


class SubjectReader:
    """Rows from a byte or text stream, as they arrive. `mode` says what the input turned out
    to be: `lines` (JSON Lines) or `document` (one JSON array or object)."""

    def __init__(self, stream: BinaryIO | TextIO | Iterable[bytes | str]) -> None:
        self._stream = stream
        self.mode: Literal["lines", "document"] | None = None

    def _lines(self) -> Iterator[tuple[int, str | RowError]]:
        for number, raw in enumerate(self._stream, start=1):
            if isinstance(raw, bytes):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield number, RowError("unicode_decode", (), f"line {number} is not UTF-8 "
                                           f"(byte {exc.start + 1}); save the input as UTF-8")
                    continue
            else:
                text = raw
            yield number, text.removeprefix(BOM) if number == 1 else text

    def __iter__(self) -> Iterator[Row]:
        lines = self._lines()
        index = 0
        for number, text in lines:
            if isinstance(text, str) and not text.strip():
                continue
            if self.mode is None and isinstance(text, str):
                try:
                    value = parse_json(text)
                except json.JSONDecodeError:
                    rest = [(number, text), *lines]  # maybe one JSON document over many lines
                    whole = "".join(t for _, t in rest if isinstance(t, str))
                    if all(isinstance(t, str) for _, t in rest):
                        try:
                            value = parse_json(whole)
                        except json.JSONDecodeError:
                            pass
                        else:
                            self.mode = "document"
                            yield from self._document(value)
                            return
                    self.mode = "lines"
                    yield from self._each(rest, index)
                    return
                if isinstance(value, list):
                    self.mode = "document"
                    for item in value:
                        yield _row(index, None, item)
                        index += 1
                    continue
                self.mode = "lines"
                yield _row(index, number, value)
                index += 1
                continue
            self.mode = self.mode or "lines"
            yield from self._each([(number, text)], index)
            index += 1

    def _document(self, value: Any) -> Iterator[Row]:
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            yield _row(index, None, item)

    @staticmethod
    def _each(lines: Iterable[tuple[int, str | RowError]], index: int) -> Iterator[Row]:
        for number, text in lines:
            if isinstance(text, RowError):
                yield Row(index, number, errors=(text,))
            elif not text.strip():
                continue
            else:
                try:
                    yield _row(index, number, parse_json(text))
                except json.JSONDecodeError as exc:
                    yield Row(index, number, errors=(RowError(
                        "json_invalid", (), f"line {number} is not JSON ({exc.msg}, column "
                        f"{exc.colno}); give one JSON object per line, or a JSON array"),))
            index += 1


def read_subjects(stream: BinaryIO | TextIO | Iterable[bytes | str]) -> list[Any]:
    """Every row's JSON value, for commands that need the whole input at once (`diff
    --replay`); an unreadable row is an InputError naming its line."""
    values = []
    for row in SubjectReader(stream):
        if row.errors:
            raise InputError("; ".join(map(describe, row.errors)))
        values.append(row.value)
    return values


# ---- writing ---------------------------------------------------------------------------------

class JsonArrayWriter:
    """A JSON array written one element at a time, so nothing is held back."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._count = 0

    def write(self, item: dict[str, Any]) -> None:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        self._out.write(("[\n  " if not self._count else ",\n  ") + text)
        self._out.flush()
        self._count += 1

    def close(self) -> None:
        self._out.write("\n]\n" if self._count else "[]\n")
        self._out.flush()


class JsonLinesWriter:
    """One JSON object per line, flushed as it is written."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, item: dict[str, Any]) -> None:
        self._out.write(json.dumps(item, ensure_ascii=False) + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


# ---- policies named on the command line -------------------------------------------------------

#: What counts as a policy file in a folder.
POLICY_SUFFIXES = (".yaml", ".yml")


def expand_policies(names: Iterable[str]) -> list[str]:
    """The policies `names` stand for, one rule for every command that takes policies.

    A bundled id stays an id (as `load_policy` reads it, even where a folder has that name); a
    folder stands for the `*.yaml` and `*.yml` files directly in it (its `cases/` and `sources/`
    folders are not policies), and a folder with none is an error rather than a silent no-op;
    anything else is passed on as a file, for the loader to read or reject by name.
    """
    bundled = set(available_policies())
    expanded: list[str] = []
    for name in names:
        path = Path(name)
        if name in bundled or not path.is_dir():
            expanded.append(name)
            continue
        found = sorted(p for p in path.iterdir() if p.suffix in POLICY_SUFFIXES and p.is_file())
        if not found:
            raise UnknownPolicyError(
                f"no policy files (`*.yaml`, `*.yml`) directly in folder `{name}`; hint: name "
                "a folder that holds policy files, a policy file, or a bundled id ("
                + ", ".join(sorted(bundled)) + ")")
        expanded += [str(p) for p in found]
    return expanded


# ---- commands --------------------------------------------------------------------------------

Run = Callable[[argparse.Namespace], int]


def add_command(commands: Any, name: str, run: Run, *, help: str,
                epilog: str | None = None, description: str | None = None,
                ) -> argparse.ArgumentParser:
    """A subcommand that runs `run`, its `--help` text laid out as written (examples,
    exit-code tables)."""
    command: argparse.ArgumentParser = commands.add_parser(
        name, help=help, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    command.set_defaults(run=run)
    return command


def add_format(command: argparse.ArgumentParser, *choices: str, default: str | None = None,
               help: str | None = None) -> None:
    """`--format`, defaulting to the first choice."""
    command.add_argument("--format", choices=choices, default=default or choices[0], help=help)


def write_json(data: Any) -> None:
    """`data` as indented JSON on stdout (non-ASCII kept readable)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_result(fmt: str, as_json: Callable[[], Any], as_text: Callable[[], str]) -> None:
    """The JSON form when `fmt` is `json`, else the text form as given; only the one asked for
    is built."""
    if fmt == "json":
        write_json(as_json())
    else:
        sys.stdout.write(as_text())


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural_form or word + 's'}"


def problems_found(count: int, where: str, *, failing: bool | None = None) -> int:
    """Say on stderr how many problems were found `where`; EXIT_PROBLEMS when they fail the
    run (by default, when there are any), else EXIT_OK."""
    sys.stderr.write(f"{plural(count, 'problem')} in {where}\n")
    return EXIT_PROBLEMS if (bool(count) if failing is None else failing) else EXIT_OK
