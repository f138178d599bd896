"""Deciding many rows: one decision per input row, in order, whatever the row holds.

A batch must never be lost to one bad row, so every exception a row can raise (a validation
error, something that is not a subject at all, a date the calendar cannot hold, an engine
fault) becomes an `error` decision for that row, carrying the row number and a structured
`RowError` list beside the message. Only mistakes in the call itself (bad `detectors`, a bad
`workers` count) raise, before any row is decided.

`workers=N` spreads chunks of rows over N processes. The policy travels as its compiled
document and IR (the file's content, not its path) and is built once per worker; results come
back in input order, with at most a few chunks in flight, so memory stays flat however long the
input. A chunk that cannot be sent (a row that does not pickle) or a worker that dies is
decided in this process instead, so the answer is the same either way.
"""

from __future__ import annotations

import itertools
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

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
    time, their facts evaluated in one engine call."""
    if chunk > 1:
        rows = iter(rows)
        while block := list(itertools.islice(rows, chunk)):
            yield from decide_block(policy, block, options, start)
            start += len(block)
        return
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
    that need the engine go to it in one call (`fire_many`: one hop to the durable engine's
    worker, cross-checked like `fired`), then each decision is concluded.

    Same results, order and error rows as deciding the rows one by one: a row that fails to
    prepare, to be evaluated (`fire_each` returns each fact's own engine error) or to conclude
    is its own error row. An exception that stops the engine call as a whole (a caller's
    timeout while it waits) becomes the error of every row it stopped."""
    capabilities = options.get("platform_capabilities")
    as_of, detectors = options.get("as_of"), options.get("detectors")
    staff = options.get("staff_directory", ())
    out: list[Decision | None] = [None] * len(block)
    pending: list[tuple[int, _Prepared]] = []
    for i, subject in enumerate(block):
        try:
            step = policy._prepare(subject, as_of, detectors, staff)
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
        try:
            if isinstance(result, BaseException):
                raise result
            out[i] = policy._conclude(step, result, capabilities)
        except Exception as exc:
            out[i] = error_decision(policy, start + i, block[i], exc)
    decisions: list[Decision] = []
    for row, decision in enumerate(out, start):
        assert decision is not None  # every row was given a decision above
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
    text = str(exc) or type(exc).__name__
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "..."


def _details(exc: BaseException) -> tuple[RowError, ...]:
    if isinstance(exc, ValidationError):
        return tuple(RowError(str(e["type"]), tuple(e["loc"]), str(e["msg"])[:_MESSAGE_LIMIT])
                     for e in exc.errors(include_url=False, include_input=False))
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


# ---- across processes ----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _start_worker(payload: bytes) -> None:
    from .engine import Policy

    document, ir, engine, options = pickle.loads(payload)
    _WORKER["policy"] = Policy(document, ir, engine)
    _WORKER["options"] = options


def _decide_chunk(start: int, rows: list[Any]) -> list[Decision]:
    return decide_block(_WORKER["policy"], rows, _WORKER["options"], start)


def decide_parallel(policy: Policy, rows: Iterable[Any], options: Mapping[str, Any],
                    workers: int, chunk_size: int = DEFAULT_CHUNK) -> Iterator[Decision]:
    """`decide_rows` over `workers` processes, in input order, a few chunks in flight."""
    import multiprocessing

    try:
        payload = pickle.dumps((policy.document, policy._ir, policy.engine, dict(options)))
    except Exception as exc:
        raise ValueError("`workers` needs options that can be sent to another process "
                         f"(custom detectors must be picklable): {exc}") from exc
    rows = iter(rows)
    chunks = ((start, list(itertools.islice(rows, chunk_size)))
              for start in itertools.count(0, chunk_size))
    pending: deque[tuple[int, list[Any], Future[list[Decision]] | None]] = deque()
    context = multiprocessing.get_context("spawn")  # never fork a process holding threads
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(payload,)) as pool:
        broken = False
        for start, chunk in chunks:
            if not chunk:
                break
            future = None
            if not broken:
                try:
                    future = pool.submit(_decide_chunk, start, chunk)
                except Exception:
                    broken = True
            pending.append((start, chunk, future))
            while len(pending) > 2 * workers:
                yield from _collect(policy, options, *pending.popleft())
        while pending:
            yield from _collect(policy, options, *pending.popleft())


def _collect(policy: Policy, options: Mapping[str, Any], start: int, chunk: list[Any],
             future: Future[list[Decision]] | None) -> Iterator[Decision]:
    if future is not None:
        try:
            decisions = future.result()
        except Exception:
            pass
        else:
            yield from decisions
            return
    yield from decide_block(policy, chunk, options, start)
