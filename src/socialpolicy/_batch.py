"""Deciding many rows: one decision per input row, in order, whatever the row holds.

A batch must never be lost to one bad row, so every exception a row can raise (a validation
error, something that is not a subject at all, a date the calendar cannot hold, an engine
fault) becomes an `error` decision for that row, carrying the row number and a structured
`RowError` list beside the message. Only mistakes in the call itself (bad `detectors`, a bad
`workers` count) raise, before any row is decided.

`workers=N` decides in this process and N-1 helper processes. The policy travels to them as
its compiled document and IR (the file's content, not its path) and is built once per helper.
A helper sends back only what the rules found (kind, fired rules, evidence, warnings), and this
process finishes each decision from its memoised plan: a whole decision costs about as much
to pickle and unpickle as to build. Results come back in input order, with a bounded number of
chunks in flight, so memory stays flat however long the input. A chunk that cannot be sent (a
row that does not pickle) or a helper that dies is decided here instead, with the same answer.
"""

from __future__ import annotations

import itertools
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import ValidationError

from .decision import NOTHING, Decision, RowError
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
    that need the engine go to it in one call (`fire_each`: one hop to the durable engine's
    worker, cross-checked like `fired`), then each decision is concluded.

    Same results, order and error rows as deciding the rows one by one: a row that fails to
    prepare, to be evaluated (`fire_each` returns each fact's own engine error) or to conclude
    is its own error row. An exception that stops the engine call as a whole (a caller's
    timeout while it waits) becomes the error of every row it stopped."""
    return conclude_block(policy, block, evaluate_block(policy, block, options, start),
                          options, start)


#: A prepared row and the rules that fired over its facts.
Evaluated: TypeAlias = tuple["_Prepared", frozenset[str]]


def evaluate_block(policy: Policy, block: list[Any], options: Mapping[str, Any],
                   start: int) -> list[Decision | Evaluated]:
    """The first half of `decide_block`: each row's decision where no rule needs to run or
    the row failed, else its prepared facts and the rules that fired over them."""
    as_of, detectors = options.get("as_of"), options.get("detectors")
    staff = options.get("staff_directory", ())
    out: list[Decision | Evaluated | None] = [None] * len(block)
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


# What a helper sends back for a row it evaluated: (kind, the fired rule ids, then evidence,
# warnings and detected labels or None where empty, and the validated subject or None when it is
# the row the caller sent). Flat and immutable, so the caller's garbage collector can set the
# chunk aside at once instead of promoting it through its generations while it waits.
_Compact: TypeAlias = tuple[SubjectKind, tuple[str, ...], Any, Any, Any, Any]


def _evaluate_chunk(start: int, rows: list[Any], block: int) -> list[Decision | _Compact]:
    """A helper's half of `decide_block`, `block` rows at a time (a helper's chunk is larger
    than the engine's batch, and a block's facts should not outlive it). Concluding (outcome,
    citations, deadline) happens in the caller from the policy's memoised plan: a full decision
    costs about as much to pickle and unpickle as to build, and would carry back the subject
    the caller already holds."""
    policy, options = _WORKER["policy"], _WORKER["options"]
    out: list[Decision | _Compact] = []
    for at in range(0, len(rows), block):
        part = rows[at:at + block]
        out += [item if isinstance(item, Decision) else
                (item[0].kind, tuple(item[1]), item[0].evidence or None,
                 item[0].warnings or None, item[0].detected or None,
                 None if item[0].subject is row else item[0].subject)
                for row, item in zip(part, evaluate_block(policy, part, options, start + at),
                                     strict=True)]
    return out


def _resume(policy: Policy, chunk: list[Any], options: Mapping[str, Any],
            items: list[Decision | _Compact]) -> Iterator[Decision | Evaluated]:
    """What `evaluate_block` gave in the helper, row by row as it is concluded (so nothing
    built here outlives its row)."""
    from .engine import _Prepared

    plans, detectors = policy._plan.kinds, options.get("detectors")
    for row, item in zip(chunk, items, strict=True):
        if isinstance(item, Decision):
            yield item
            continue
        kind, fired, evidence, warnings, detected, subject = item
        yield (_Prepared(row if subject is None else subject, kind, plans[kind], _NO_FACTS,
                         evidence or NOTHING, warnings or NOTHING, detected or NOTHING,
                         detectors), frozenset(fired))


_NO_FACTS: Mapping[str, Any] = {}  # concluding never reads the facts again


_QUEUED = 3  # chunks sent ahead per helper: enough to outlast this process's pauses
_HELPER_SHARE = 8  # a helper's chunk is this many times `chunk_size`: fewer hand-overs
_AHEAD = 4  # this process decides at most this many helper chunks' worth of rows ahead of
#            the oldest chunk still with a helper, so memory stays flat on a stream


def decide_parallel(policy: Policy, rows: Iterable[Any], options: Mapping[str, Any],
                    workers: int, chunk_size: int = DEFAULT_CHUNK) -> Iterator[Decision]:
    """`decide_rows` over `workers` processes, in input order: this process and `workers - 1`
    helpers. Helpers are kept fed with chunks; the calling process decides a chunk itself
    whenever they have enough queued, so it works while they start and never waits on a chunk
    it could have decided, and only the helpers' rows pay for crossing between processes."""
    import multiprocessing

    try:
        payload = pickle.dumps((policy.document, policy._ir, policy.engine, dict(options)))
    except Exception as exc:
        raise ValueError("`workers` needs options that can be sent to another process "
                         f"(custom detectors must be picklable): {exc}") from exc
    rows = iter(rows)
    helpers, start, held = workers - 1, 0, 0
    share, limit = _HELPER_SHARE * chunk_size, _AHEAD * _HELPER_SHARE * chunk_size * workers
    window: deque[tuple[int, list[Any], _Pending]] = deque()
    context = multiprocessing.get_context("spawn")  # never fork a process holding threads
    pool = ProcessPoolExecutor(helpers, mp_context=context, initializer=_start_worker,
                               initargs=(payload,))
    try:
        broken = False
        while True:
            send = not broken and sum(isinstance(item, Future) and not item.done()
                                      for _, _, item in window) < _QUEUED * helpers
            chunk = list(itertools.islice(rows, share if send else chunk_size))
            if not chunk:
                break
            item: _Pending | None = None
            if send:
                try:
                    item = pool.submit(_evaluate_chunk, start, chunk, chunk_size)
                except Exception:  # the pool broke (a helper died): decide here from now on
                    broken = True
            if item is None:
                item = decide_block(policy, chunk, options, start)
            window.append((start, chunk, item))
            start, held = start + len(chunk), held + len(chunk)
            while window and (held > limit or _ready(window[0][2])):
                held -= len(window[0][1])
                yield from _collect(policy, options, *window.popleft())
        while window:
            yield from _collect(policy, options, *window.popleft())
    finally:  # a caller that stops reading early does not wait for chunks sent ahead
        pool.shutdown(wait=True, cancel_futures=True)


# A chunk in the window: decided here already, or sent to a helper.
_Pending: TypeAlias = "list[Decision] | Future[list[Decision | _Compact]]"


def _ready(item: _Pending) -> bool:
    return not isinstance(item, Future) or item.done()


def _collect(policy: Policy, options: Mapping[str, Any], start: int, chunk: list[Any],
             item: _Pending) -> Iterator[Decision]:
    if isinstance(item, list):
        yield from item
        return
    try:
        items = item.result()
    except Exception:  # the helper died or the chunk could not be sent: decide it here
        yield from decide_block(policy, chunk, options, start)
    else:
        yield from conclude_block(policy, chunk, _resume(policy, chunk, options, items),
                                  options, start)
