"""`decide`, `explain` and `demo`: subjects in, decisions out, streamed (a file a chunk of rows
at a time, a pipe row by row)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import stat
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, TextIO

from pydantic import ValidationError

from .. import _batch
from .._batch import error_decision
from ..decision import Decision
from ..engine import Policy, load_policy
from ..engines import ENGINE_NAMES
from ..errors import SocialPolicyError
from ..subjects import subject_adapter
from ..vocab import SCALES, Outcome, severity
from . import archive
from ._demo import show
from ._io import (
    EXIT_FAIL_ON,
    EXIT_OK,
    EXIT_ROWS_NOT_DECIDED,
    JsonArrayWriter,
    JsonLinesWriter,
    Row,
    SubjectReader,
    add_command,
    add_format,
    describe,
)

_OUTCOMES = tuple(str(o) for o in Outcome if o is not Outcome.ERROR)


# ---- --fail-on ------------------------------------------------------------------------------

def fail_on(text: str) -> frozenset[str]:
    """`--fail-on adverse`, or outcomes (`delete,breach`): argparse's type for the option."""
    words = frozenset(word.strip() for word in text.split(",") if word.strip())
    unknown = sorted(words - {"adverse", *_OUTCOMES})
    if unknown or not words:
        raise argparse.ArgumentTypeError(
            f"unknown `{', '.join(unknown) or text}`; give `adverse` or outcomes, comma-separated:"
            f" {', '.join(_OUTCOMES)}")
    return words


def fails(decision: Decision, words: frozenset[str]) -> bool:
    """An outcome word matches that outcome or anything more severe on its kind's scale."""
    outcome, kind = decision.outcome, decision.kind
    if outcome == Outcome.ERROR:
        return False  # rows not decided have their own exit code
    if "adverse" in words and decision.adverse:
        return True
    if outcome in words:
        return True
    scale = SCALES.get(kind) if kind else None
    return bool(scale and outcome in scale and any(
        word in scale and severity(kind, outcome) >= severity(kind, Outcome(word))  # type: ignore[arg-type]
        for word in words))


@dataclass(slots=True)
class Tally:
    """What the exit code depends on, counted as rows go by."""

    words: frozenset[str] = frozenset()
    decided: int = 0
    not_decided: int = 0
    failed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, decision: Decision) -> None:
        if decision.outcome == Outcome.ERROR:
            self.not_decided += 1
            return
        self.decided += 1
        self.outcomes[str(decision.outcome)] = self.outcomes.get(str(decision.outcome), 0) + 1
        self.failed += fails(decision, self.words)

    def exit_code(self) -> int:
        if self.not_decided:
            return EXIT_ROWS_NOT_DECIDED
        return EXIT_FAIL_ON if self.failed else EXIT_OK

    def summary(self) -> str:
        counts = ", ".join(f"{n} {o}" for o, n in sorted(self.outcomes.items()))
        text = f"{self.decided} decided" + (f" ({counts})" if counts else "")
        if self.not_decided:
            text += f", {self.not_decided} not decided"
        if self.words:
            text += f", {self.failed} matching --fail-on {','.join(sorted(self.words))}"
        return text


# ---- deciding rows --------------------------------------------------------------------------

def unreadable(policy: Policy, row: Row) -> Decision:
    """The error decision for a row that could not even be read (not UTF-8, not JSON, a
    repeated key), in the same shape as the library's own error decisions."""
    value = row.value if isinstance(row.value, dict) else {}
    kind = value.get("kind")
    kind = kind if isinstance(kind, str) and kind in SCALES else None  # any JSON may be here
    subject_id = value.get("id") if isinstance(value.get("id"), str) else None
    return Decision(outcome=Outcome.ERROR, policy_id=policy.id, policy_version=policy.version,
                    kind=kind, reason=f"row {row.index} is not a valid subject",
                    engine=policy.engine, row=row.index,
                    error="; ".join(map(describe, row.errors)), error_detail=row.errors,
                    subject_id=subject_id, policy_digest=policy.digest)


_UNREAD = object()  # stands in for an unreadable row; its decision is replaced


def decide_rows(policy: Policy, rows: Iterable[Row], *, read_ahead: bool = False
                ) -> Iterator[tuple[Row, Decision]]:
    """Each row with its decision, or an error decision in its place (`error`, and the
    problems structured in `error_detail`): one result per row, in order, streamed.

    With `read_ahead` (the input is a file, all there to be read), rows are decided a chunk at
    a time, their facts in one engine call, as `decide_many` does; without it (a pipe, a
    terminal), each row is decided as soon as it arrives. Results, numbering and error rows
    are the same either way."""
    pending: deque[Row] = deque()

    def values() -> Iterator[Any]:
        for row in rows:
            pending.append(row)
            yield _UNREAD if row.errors else row.value

    decisions = (_batch.decide_rows(policy, values(), _NO_OPTIONS, chunk=_batch.DEFAULT_CHUNK)
                 if read_ahead else policy.decide_iter(values()))
    for decision in decisions:
        row = pending.popleft()
        yield row, (unreadable(policy, row) if row.errors else decision)


#: `decide_iter`'s options as the command line leaves them (the library's defaults).
_NO_OPTIONS: dict[str, Any] = {"platform_capabilities": None, "as_of": None, "detectors": None,
                               "staff_directory": ()}


def is_file(stream: IO[Any]) -> bool:
    """Whether `stream` reads a regular file (read to its end at any pace), not a pipe, a
    terminal or a socket (where a row is decided as soon as it arrives)."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # no descriptor: an in-memory stream
        return False


def _item(row: Row, decision: Decision) -> dict[str, Any]:
    item = decision.to_dict()
    item["row"] = row.index
    if row.line is not None:
        item["line"] = row.line
    return item


def _text(row: Row, decision: Decision, out: TextIO) -> None:
    out.write(f"[{row.index}] " + decision.summary() + "\n")
    for error in decision.error_detail:
        out.write(f"  error[{error.type}]: {describe(error)}\n")
    out.write("\n")
    out.flush()


@contextlib.contextmanager
def open_input(name: str) -> Iterator[IO[Any]]:
    """A path, or `-` for stdin; read as bytes where possible so each line is decoded alone."""
    if name == "-":
        yield getattr(sys.stdin, "buffer", sys.stdin)
    else:
        with open(name, "rb") as handle:
            yield handle


@contextlib.contextmanager
def _records(path: str | None) -> Iterator[TextIO | None]:
    if path is None:
        yield None
    else:
        with open(path, "a", encoding="utf-8") as handle:
            yield handle


def read_rows(stream: IO[Any]) -> tuple[SubjectReader, Iterator[Row], bool]:
    """The rows of `stream`, and whether to read ahead (decide a chunk at a time): the input is
    a regular file, or one JSON document, read whole. The first row is read at once: it tells
    JSON Lines from one JSON document (`reader.mode`)."""
    reader = SubjectReader(stream)
    rows = iter(reader)
    first = next(rows, None)
    pending = rows if first is None else _prepend(first, rows)
    return reader, pending, reader.mode == "document" or is_file(stream)


def _cmd_decide(args: argparse.Namespace) -> int:
    if archive.wanted(args):
        return archive.run(args)
    policy = load_policy(args.policy, engine=args.engine)
    tally = Tally(args.fail_on or frozenset())
    with open_input(args.file) as stream, _records(args.records) as records:
        reader, pending, read_ahead = read_rows(stream)
        fmt = args.format
        if fmt == "auto":
            fmt = "json" if reader.mode == "document" else "jsonl"
        writer = (JsonArrayWriter(sys.stdout) if fmt == "json" else
                  JsonLinesWriter(sys.stdout) if fmt == "jsonl" else None)
        for row, decision in decide_rows(policy, pending, read_ahead=read_ahead):
            if writer is None:
                _text(row, decision, sys.stdout)
            else:
                writer.write(_item(row, decision))
            if records is not None and decision.outcome != Outcome.ERROR:
                record = decision.record(include_subject=not args.records_without_subject)
                records.write(json.dumps(record, ensure_ascii=False) + "\n")
                records.flush()
            tally.add(decision)
        if writer is not None:
            writer.close()
    if args.summary:
        sys.stderr.write(tally.summary() + "\n")
    return tally.exit_code()


def _prepend(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest


#: What a row's explanation may fail with and still be reported in its place.
_EXPLAIN_ERRORS = (ValidationError, SocialPolicyError, ValueError, OverflowError)


def _cmd_explain(args: argparse.Namespace) -> int:
    """Rows are decided as `decide` decides them (a file a chunk at a time, a pipe row by
    row), then each decision is explained."""
    policy = load_policy(args.policy, engine=args.engine)
    tally = Tally(args.fail_on or frozenset())
    with open_input(args.file) as stream:
        _, rows, read_ahead = read_rows(stream)
        for row, decision in decide_rows(policy, _validated(policy, rows),
                                         read_ahead=read_ahead):
            subject = decision.subject
            if decision.outcome != Outcome.ERROR and subject is not None:
                try:
                    explanation = policy._explain(subject, decision, _NO_OPTIONS)
                    why_not = policy.why_not(subject, args.why_not) if args.why_not else None
                except _EXPLAIN_ERRORS as exc:
                    decision = error_decision(policy, row.index, row.value, exc)
                else:
                    sys.stdout.write(f"== row {row.index}\n{explanation}\n\n")
                    if why_not is not None:
                        sys.stdout.write(f"{why_not}\n\n")
                    sys.stdout.flush()
                    tally.add(explanation.decision)
                    continue
            sys.stdout.write(f"== row {row.index}: not decided\n" + "".join(
                f"  error[{e.type}]: {describe(e)}\n" for e in decision.error_detail) + "\n")
            tally.add(decision)
    return tally.exit_code()


def _validated(policy: Policy, rows: Iterable[Row]) -> Iterator[Row]:
    """Each row with its value validated as a subject, or with the validation's problems as
    its errors: `explain` reports any value that is not a subject (a number, a list) as a
    validation error, where `decide` names it a `SubjectKindError`."""
    for row in rows:
        if not row.errors:
            try:
                row = dataclasses.replace(row, value=subject_adapter.validate_python(row.value))
            except _EXPLAIN_ERRORS as exc:
                detail = error_decision(policy, row.index, row.value, exc).error_detail
                row = dataclasses.replace(row, errors=detail)
        yield row


def _cmd_demo(args: argparse.Namespace) -> int:
    show(sys.stdout, args.engine)  # rich panels on a terminal, plain text otherwise
    return EXIT_OK


_DECIDE_EXAMPLES = """\
input: JSON Lines (one subject per line, streamed: output starts at once and memory stays
flat), or one JSON array or object. Each subject has "kind": "comment", "staff_post" or
"account_request", and may carry your own "id" (echoed as subject_id). A bad line becomes an
error row in place (outcome "error", with "error_detail": [{type, loc, message}]) and the rest
go on.

examples:
  socialpolicy decide --policy mse_icb comments.jsonl > decisions.jsonl
  socialpolicy decide --policy mse_icb comments.jsonl | head -1
  cat comments.jsonl | socialpolicy decide --policy mhra - --format text
  socialpolicy decide --policy hra posts.json --fail-on breach      # exit 1 on any breach
  socialpolicy decide --policy mse_icb queue.jsonl --records audit.jsonl
  socialpolicy decide --policy mse_icb --workers 2 archive.parquet decided.parquet   # Dask

exit codes: 0 every row decided, whatever the outcomes; 1 --fail-on matched; 2 could not run
(bad policy, unreadable file, bad arguments); 4 some rows not decided (the rest were);
70 internal error outside any row.
"""

_EXPLAIN_EXAMPLES = """\
examples:
  socialpolicy explain --policy mse_icb comment.json
  socialpolicy explain --policy hra posts.jsonl --engine reference

A bad row is reported in place and the rest are explained (exit 4 if any row was bad).
"""


def _add_common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--policy", required=True, help="bundled policy id or a YAML path")
    command.add_argument("file", help="JSON Lines or JSON subjects, each with `kind`; `-` for "
                         "stdin")
    command.add_argument("--engine", choices=ENGINE_NAMES, default="durable",
                         help="rule engine (default: durable; both decide identically)")
    command.add_argument("--fail-on", type=fail_on, metavar="OUTCOMES",
                         help="exit 1 if any decision is `adverse` (not the least severe "
                         "outcome), or at least as severe as one of these outcomes "
                         "(comma-separated, e.g. `delete,breach,reject`)")


def register(commands: Any) -> None:
    """Add the subject commands to the top-level parser's subcommands."""
    decide = add_command(
        commands, "decide", _cmd_decide, help="decide subjects from JSON Lines or JSON, streamed",
        description="Decide each subject under a policy, citing the clauses behind it.",
        epilog=_DECIDE_EXAMPLES)
    _add_common(decide)
    add_format(decide, "auto", "json", "jsonl", "text",
               help="auto (default): JSON Lines for JSON Lines input, a JSON array for "
               "a JSON document")
    decide.add_argument("--records", metavar="FILE",
                        help="append a verifiable record of each decision to FILE (JSON Lines; "
                        "see `socialpolicy verify`)")
    decide.add_argument("--records-without-subject", action="store_true",
                        help="keep only each subject's SHA-256 digest in the records")
    decide.add_argument("--summary", action="store_true",
                        help="print counts by outcome to stderr at the end")
    archive.add_arguments(decide)

    explain = add_command(
        commands, "explain", _cmd_explain,
        help="show, for every rule, whether it fired and which conditions held",
        description="Explain each decision: every rule of the subject's kind, whether it fired, "
        "and which of its conditions held or failed.",
        epilog=_EXPLAIN_EXAMPLES)
    _add_common(explain)
    explain.add_argument("--why-not", metavar="OUTCOME",
                         help="also list the smallest changes that would give this outcome")

    demo = add_command(commands, "demo", _cmd_demo,
                       help="decide a bundled set of examples and print them",
                       epilog="example:\n  socialpolicy demo --engine reference")
    demo.add_argument("--engine", choices=ENGINE_NAMES, default="durable")
