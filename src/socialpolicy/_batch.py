"""Deciding many rows: one decision per input row, in order, whatever the row holds.

A batch must never be lost to one bad row, so every exception a row can raise (a validation
error, something that is not a subject at all, a date the calendar cannot hold, an engine
fault) becomes an `error` decision for that row, carrying the row number and a structured
`RowError` list beside the message. Only mistakes in the call itself (bad `detectors`, a bad
`workers` count) raise, before any row is decided.

A chunk is decided in two halves, `evaluate_block` (facts and the engine call) and
`conclude_block` (the decision from the plan), so that `workers=N` (`_parallel`) can run the
first half in a helper process and the second here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import ValidationError

from ._messages import problems, row_message
from .decision import Decision, RowError
from .errors import DetectorError
from .signals import check_detectors
from .timing import CalendarRangeError
from .vocab import SCALES, Outcome, SubjectKind

if TYPE_CHECKING:
    from .engine import Policy, _Prepared

DEFAULT_CHUNK = 256
_MESSAGE_LIMIT = 2000  # characters of an exception message kept on an error row


def check_options(options: Mapping[str, Any]) -> None:
    """Problems with the call itself raise at once, not once per row."""
    detectors = options.get("detectors")
    if detectors is not None:
        check_detectors(detectors)


def decide_rows(policy: Policy, rows: Iterable[Any], options: Mapping[str, Any],
                start: int = 0, chunk: int = 1) -> Iterator[Decision]:
    """Each row's decision (or error decision), numbered from `start`; `chunk` rows at a
    time, their facts evaluated in one engine call. (The blocks are chained in C: a
    generator resumed once per row was a measurable part of a batch's cost.)"""
    if chunk > 1:
        return itertools.chain.from_iterable(_blocks(policy, iter(rows), options, start, chunk))
    return _one_by_one(policy, rows, options, start)


def _blocks(policy: Policy, rows: Iterator[Any], options: Mapping[str, Any], start: int,
            chunk: int) -> Iterator[list[Decision]]:
    while block := list(itertools.islice(rows, chunk)):
        yield decide_block(policy, block, options, start)
        start += len(block)


def _one_by_one(policy: Policy, rows: Iterable[Any], options: Mapping[str, Any],
                start: int) -> Iterator[Decision]:
    """Each row decided as it arrives (a live pipe), by `decide` itself."""
    for row, subject in enumerate(rows, start):
        try:
            decision = policy.decide(subject, **options)
        except DetectorError:
            raise
        except Exception as exc:
            yield error_decision(policy, row, subject, exc)
        else:
            # `decide` returned a new decision no one else holds yet: number it in place
            # rather than copying twenty fields with `dataclasses.replace`.
            object.__setattr__(decision, "row", row)
            yield decision


def decide_block(policy: Policy, block: list[Any], options: Mapping[str, Any],
                 start: int) -> list[Decision]:
    """`decide_rows` for rows held in memory: every row is prepared, then the facts of all
    that need the engine go to it in one call (`fire_each`: one hop to the durable engine's
    worker, cross-checked like `fired`), then each decision is concluded.

    Same results, order and error rows as deciding the rows one by one: a row that fails to
    prepare, to be evaluated (`fire_each` returns each fact's own engine error) or to conclude
    is its own error row. An exception that stops the engine call as a whole (a caller's
    timeout while it waits) becomes the error of every row it stopped.

    An engine that gains nothing from one call (`batched` false: the reference engine runs in
    this process) has each row decided before the next is prepared instead (`_decide_each`)."""
    if not policy._engine.batched:
        return _decide_each(policy, block, options, start)
    return conclude_block(policy, block, evaluate_block(policy, block, options, start),
                          options, start)


def _decide_each(policy: Policy, block: list[Any], options: Mapping[str, Any],
                 start: int) -> list[Decision]:
    """`decide_block` row by row, with the same results and error rows. Holding a whole
    block's prepared facts until one engine call made young objects outlive the garbage
    collector's first generation (about three times as many collections, a facts dict of
    some sixty entries traversed in each), which is why a batch on the reference engine
    measured slower than a loop of `decide` calls; here each row's facts die with its row."""
    as_of, detectors = options.get("as_of"), options.get("detectors")
    staff = options.get("staff_directory", ())
    capabilities = options.get("platform_capabilities")
    warnings = policy._warnings(as_of)  # once a block; `detectors` were checked once a call
    prepare, fired, conclude = policy._prepare, policy._engine.fired, policy._conclude
    decisions: list[Decision] = []
    for row, subject in enumerate(block, start):
        try:
            step = prepare(subject, as_of, detectors, staff, warnings)
        except DetectorError:
            raise
        except Exception as exc:
            decision = error_decision(policy, row, subject, exc)
        else:
            if isinstance(step, Decision):
                decision = step
            else:
                try:
                    decision = conclude(step, fired(step.facts), capabilities, row)
                except Exception as exc:
                    decision = error_decision(policy, row, subject, exc)
        if decision.row is None:
            object.__setattr__(decision, "row", row)  # a new decision no one else holds yet
        decisions.append(decision)
    return decisions


#: A prepared row and the rules that fired over its facts.
Evaluated: TypeAlias = tuple["_Prepared", frozenset[str]]


def evaluate_block(policy: Policy, block: list[Any], options: Mapping[str, Any],
                   start: int) -> list[Decision | Evaluated]:
    """The first half of `decide_block`: each row's decision where no rule needs to run or
    the row failed, else its prepared facts and the rules that fired over them."""
    as_of, detectors = options.get("as_of"), options.get("detectors")
    staff = options.get("staff_directory", ())
    warnings = policy._warnings(as_of)  # once a block; `detectors` were checked once a call
    out: list[Decision | Evaluated | None] = [None] * len(block)
    pending: list[tuple[int, _Prepared]] = []
    for i, subject in enumerate(block):
        try:
            step = policy._prepare(subject, as_of, detectors, staff, warnings)
        except DetectorError:
            raise
        except Exception as exc:
            out[i] = error_decision(policy, start + i, subject, exc)
            continue
        if isinstance(step, Decision):
            out[i] = step
        else:
            pending.append((i, step))
    fired: list[frozenset[str] | Exception] = []
    if pending:
        try:
            fired = policy._engine.fire_each([step.facts for _, step in pending])
        except Exception as exc:  # nothing came back (a caller's timeout while it waited)
            fired = [exc] * len(pending)
    for (i, step), result in zip(pending, fired, strict=True):
        out[i] = (error_decision(policy, start + i, block[i], result)
                  if isinstance(result, BaseException) else (step, result))
    return out  # type: ignore[return-value]  # every row was given an answer above


def conclude_block(policy: Policy, block: list[Any], evaluated: Iterable[Decision | Evaluated],
                   options: Mapping[str, Any], start: int) -> list[Decision]:
    """The second half of `decide_block`: every row's decision, numbered from `start`."""
    capabilities = options.get("platform_capabilities")
    decisions: list[Decision] = []
    for row, (subject, item) in enumerate(zip(block, evaluated, strict=True), start):
        if isinstance(item, Decision):
            decision = item
        else:
            try:
                decision = policy._conclude(item[0], item[1], capabilities)
            except Exception as exc:
                decision = error_decision(policy, row, subject, exc)
        if decision.row is None:
            object.__setattr__(decision, "row", row)  # a new decision no one else holds yet
        decisions.append(decision)
    return decisions


def error_decision(policy: Policy, row: int, subject: Any, exc: BaseException) -> Decision:
    """An `error` decision for a row that raised `exc`; never raises itself."""
    try:
        detail = _details(exc)
        message = _text(exc)
    except Exception:
        detail, message = (RowError(type(exc).__name__, (), "the row could not be decided"),), \
            f"{type(exc).__name__} while deciding the row"
    return policy._decision(Outcome.ERROR, _kind_hint(subject),
                            f"row {row} is not a valid subject" if _invalid(exc) else
                            f"row {row} could not be decided", error=message,
                            error_detail=detail, subject_id=_id_hint(subject), row=row)


def _invalid(exc: BaseException) -> bool:
    return isinstance(exc, ValidationError | TypeError | CalendarRangeError)


def _text(exc: BaseException) -> str:
    # A validation error in the house wording (the same as `decide_frame`'s error column),
    # one line naming each field, not pydantic's several lines of its own wording.
    text = (row_message(exc) if isinstance(exc, ValidationError) else str(exc)
            ) or type(exc).__name__
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "..."


def _details(exc: BaseException) -> tuple[RowError, ...]:
    if isinstance(exc, ValidationError):
        return tuple(RowError(p.type, p.loc, p.message[:_MESSAGE_LIMIT]) for p in problems(exc))
    loc: tuple[str | int, ...] = ("posted_at",) if isinstance(exc, CalendarRangeError) else ()
    return (RowError(type(exc).__name__, loc, _text(exc)),)


def _kind_hint(subject: Any) -> SubjectKind | None:
    try:
        kind = subject.get("kind") if isinstance(subject, Mapping) else getattr(
            subject, "kind", None)
    except Exception:
        return None
    return kind if isinstance(kind, str) and kind in SCALES else None


def _id_hint(subject: Any) -> str | None:
    """The caller's id on a row that failed validation, so an error row can still be matched."""
    try:
        value = subject.get("id") if isinstance(subject, Mapping) else getattr(subject, "id", None)
    except Exception:
        return None
    return value if isinstance(value, str) else None
