"""Deciding many rows in several processes: `decide_many(..., workers=N)`.

The calling process decides chunks itself beside `N - 1` helper processes. The policy travels
to each helper once, as its compiled document and IR (the file's content, not its path), and is
built there. A helper sends back only what the rules found in each row (kind, fired rules,
evidence, warnings) and the calling process finishes each decision from its memoised plan: a
whole decision costs about as much to pickle and unpickle as to build, and would carry back the
subject the caller already holds.

Chunks and results travel as files in a private temporary folder, and the pipes carry only
their names. So nothing here needs a background thread: sending never waits for a helper to
read, and a helper has its next chunks in hand even while this process is busy (a pause to
collect garbage holds every thread of it). Results come back in input order with a bounded
number of rows in flight, so memory stays flat however long the input. A chunk that cannot be
sent (a row that does not pickle), or that a helper fails on or dies with, is decided here
instead, with the same answer.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import shutil
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, TypeAlias

from ._batch import Evaluated, conclude_block, decide_block, evaluate_block
from .decision import NOTHING, Decision
from .vocab import SubjectKind

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from .engine import Policy

_QUEUED = 3  # chunks sent ahead per helper, so it always has the next one in hand
_HELPER_SHARE = 8  # a helper's chunk is this many times `chunk_size`: fewer hand-overs
_AHEAD = 4  # this process decides at most this many helper chunks' worth of rows ahead of
#            the oldest chunk still with a helper
_GOODBYE = 0.1  # seconds a helper is given to exit before it is stopped: by then every answer
#                wanted is in, and one still starting up (a short batch) must not hold the caller

# What a helper sends back for a row it evaluated: (kind, the fired rule ids, then evidence,
# warnings and detected labels or None where empty, and the validated subject or None when it is
# the row the caller sent). Flat and immutable, so the caller's garbage collector can set a
# chunk aside at once instead of promoting it through its generations.
_Compact: TypeAlias = tuple[SubjectKind, tuple[str, ...], Any, Any, Any, Any]
_NO_FACTS: Mapping[str, Any] = {}  # concluding never reads the facts again


def decide_parallel(policy: Policy, rows: Iterable[Any], options: Mapping[str, Any],
                    workers: int, chunk_size: int) -> Iterator[Decision]:
    """`decide_rows` over this process and `workers - 1` helpers, in input order."""
    try:
        payload = pickle.dumps((policy.document, policy._ir, policy.engine, dict(options)))
    except Exception as exc:
        raise ValueError("`workers` needs options that can be sent to another process "
                         f"(custom detectors must be picklable): {exc}") from exc
    with _Helpers(payload, workers - 1) as helpers:
        yield from _decide(policy, iter(rows), options, workers, chunk_size, helpers)


@dataclass
class _Chunk:
    start: int
    rows: list[Any]
    decided: list[Decision] | None = None  # decided here
    helper: int | None = None  # or sent to this helper, whose answer lands in `result`
    path: str = ""  # the file the rows were sent in, until a helper or this process takes it
    result: str | None = None  # the file holding the helper's answer
    failed: bool = False  # the helper could not decide it: decide it here


def _decide(policy: Policy, rows: Iterator[Any], options: Mapping[str, Any], workers: int,
            chunk_size: int, helpers: _Helpers) -> Iterator[Decision]:
    window: deque[_Chunk] = deque()
    sent: dict[int, _Chunk] = {}  # by start row: chunks with a helper
    start = held = 0
    while True:
        helpers.receive(sent, block=False)
        helper = helpers.free(_QUEUED)
        chunk = _Chunk(start, list(itertools.islice(
            rows, chunk_size * (_HELPER_SHARE if helper is not None else 1))))
        if not chunk.rows:
            break
        if helper is None or not helpers.send(helper, chunk, chunk_size):
            chunk.decided = decide_block(policy, chunk.rows, options, start)
        else:
            sent[start] = chunk
        window.append(chunk)
        start, held = start + len(chunk.rows), held + len(chunk.rows)
        while window and (held > _AHEAD * _HELPER_SHARE * chunk_size * workers
                          or _answered(window[0])):
            held -= len(window[0].rows)
            yield from _collect(policy, options, window.popleft(), sent, helpers)
    while window:  # nothing left to read: never wait on a chunk no helper has started
        if not _answered(window[0]):
            helpers.receive(sent, block=False)
        if _answered(window[0]) or not _take_back(policy, options, window):
            yield from _collect(policy, options, window.popleft(), sent, helpers)


def _answered(chunk: _Chunk) -> bool:
    return chunk.decided is not None or chunk.result is not None or chunk.failed


def _take_back(policy: Policy, options: Mapping[str, Any], window: deque[_Chunk]) -> bool:
    """Decide here the last chunk sent that no helper has started, if there is one, instead
    of waiting: claiming its file first means the helper will skip it. The answer is the
    same whoever decides a chunk, so this only ever saves time (a short batch is not held up
    by a helper still starting)."""
    return any(_kept(policy, options, chunk) for chunk in reversed(window))


def _kept(policy: Policy, options: Mapping[str, Any], chunk: _Chunk) -> bool:
    """Decide `chunk` here if no helper has started it (its rows file is still unclaimed)."""
    if _answered(chunk) or not _claim(chunk.path, ".kept"):
        return False
    _remove(chunk.path + ".kept")
    chunk.decided = decide_block(policy, chunk.rows, options, chunk.start)
    return True


def _claim(path: str, suffix: str) -> bool:
    """Rename `path`: of a helper and this process, whichever renames it first has it."""
    try:
        os.rename(path, path + suffix)
    except OSError:
        return False
    return True


def _collect(policy: Policy, options: Mapping[str, Any], chunk: _Chunk,
             sent: dict[int, _Chunk], helpers: _Helpers) -> Iterator[Decision]:
    _kept(policy, options, chunk)  # not started by a helper yet: decide it now, not wait
    if chunk.decided is not None:
        yield from chunk.decided
        return
    while not _answered(chunk):
        helpers.receive(sent, block=True)
    items = _read(chunk.result) if chunk.result is not None else None
    if items is None:
        yield from decide_block(policy, chunk.rows, options, chunk.start)
    else:
        yield from conclude_block(policy, chunk.rows, _resume(policy, chunk.rows, options, items),
                                  options, chunk.start)


def _read(path: str) -> list[Decision | _Compact] | None:
    try:
        with open(path, "rb") as file:
            items: list[Decision | _Compact] = pickle.load(file)
    except Exception:  # a torn or missing file: the chunk is decided here instead
        return None
    finally:
        _remove(path)
    return items


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


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


# ---- the helper processes ------------------------------------------------------------------

@dataclass
class _Helpers:
    """The helper processes, their pipes, and the folder chunks travel through."""

    payload: bytes
    count: int
    folder: str = ""
    processes: list[BaseProcess] = field(default_factory=list)
    inboxes: list[Connection] = field(default_factory=list)  # we write, a helper reads
    outboxes: list[Connection] = field(default_factory=list)  # a helper writes, we read
    waiting: list[int] = field(default_factory=list)  # chunks with each helper
    alive: list[bool] = field(default_factory=list)

    def __enter__(self) -> _Helpers:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # never fork a process with threads
        self.folder = tempfile.mkdtemp(prefix="socialpolicy-batch-")
        try:
            # The policy goes by file too: as an argument it would fill the pipe that starts
            # the helper, and `start()` would wait for the new interpreter to read it.
            policy_file = os.path.join(self.folder, "policy")
            with open(policy_file, "wb") as file:
                file.write(self.payload)
            for _ in range(self.count):
                inbox_read, inbox = context.Pipe(duplex=False)
                outbox, outbox_write = context.Pipe(duplex=False)
                process = context.Process(target=_helper_main, daemon=True,
                                          args=(policy_file, inbox_read, outbox_write))
                process.start()
                inbox_read.close()
                outbox_write.close()
                self.processes.append(process)
                self.inboxes.append(inbox)
                self.outboxes.append(outbox)
                self.waiting.append(0)
                self.alive.append(True)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for inbox, alive in zip(self.inboxes, self.alive, strict=True):
            if alive:
                with contextlib.suppress(OSError):
                    inbox.send(None)
        for process in self.processes:
            process.join(_GOODBYE)
            if process.is_alive():
                process.terminate()
                process.join()
        for connection in (*self.inboxes, *self.outboxes):
            connection.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def free(self, queued: int) -> int | None:
        """The least busy helper with room for another chunk, if any."""
        options = [i for i in range(self.count) if self.alive[i] and self.waiting[i] < queued]
        return min(options, key=self.waiting.__getitem__) if options else None

    def send(self, helper: int, chunk: _Chunk, block: int) -> bool:
        """Hand `chunk` to `helper`; False if it cannot go (a row that does not pickle)."""
        path = os.path.join(self.folder, f"{chunk.start}.rows")
        try:
            with open(path, "wb") as file:
                pickle.dump(chunk.rows, file, pickle.HIGHEST_PROTOCOL)
            self.inboxes[helper].send((chunk.start, path, block))
        except Exception:
            _remove(path)
            return False
        chunk.helper, chunk.path = helper, path
        self.waiting[helper] += 1
        return True

    def receive(self, sent: dict[int, _Chunk], block: bool) -> None:
        """Take in every answer ready (with `block`, wait until there is one or a helper
        has died): mark its chunk answered, or failed."""
        live = [i for i in range(self.count) if self.alive[i]]
        if not live:  # every helper is gone: whatever they held is decided here
            for chunk in sent.values():
                chunk.failed = True
            sent.clear()
            return
        ready = set(wait([*(self.outboxes[i] for i in live),
                          *(self.processes[i].sentinel for i in live)],
                         timeout=None if block else 0))
        for i in live:
            outbox = self.outboxes[i]
            while outbox in ready and self.alive[i] and outbox.poll():
                try:
                    start, result = outbox.recv()
                except (EOFError, OSError):  # it died: its pipe closed
                    self._lost(i, sent)
                    break
                chunk = sent.pop(start)
                chunk.result, chunk.failed = result, result is None
                self.waiting[i] -= 1
            if self.alive[i] and self.processes[i].sentinel in ready and not outbox.poll():
                self._lost(i, sent)

    def _lost(self, helper: int, sent: dict[int, _Chunk]) -> None:
        self.alive[helper] = False
        for start in [s for s, chunk in sent.items() if chunk.helper == helper]:
            sent.pop(start).failed = True
        self.waiting[helper] = 0


_WORKER: dict[str, Any] = {}


def _start_worker(payload: bytes) -> None:
    from .engine import Policy

    document, ir, engine, options = pickle.loads(payload)
    _WORKER["policy"] = Policy(document, ir, engine)
    _WORKER["options"] = options


def _helper_main(policy_file: str, inbox: Connection, outbox: Connection) -> None:
    """A helper process: evaluate each chunk named in `inbox`, answer with a file's name (None
    when the chunk failed or was taken back: the caller decides it itself), until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle: it stops us
    with open(policy_file, "rb") as file:
        _start_worker(file.read())
    while (message := inbox.recv()) is not None:
        start, path, block = message
        answer: str | None = None
        if _claim(path, ".taken"):  # else the caller took it back
            try:
                with open(path + ".taken", "rb") as file:
                    rows = pickle.load(file)
                items = _evaluate_chunk(start, rows, block)
                out = path[:-len(".rows")] + ".out"
                with open(out, "wb") as file:
                    pickle.dump(items, file, pickle.HIGHEST_PROTOCOL)
                answer = out
            except Exception:  # DetectorError and the like: the caller meets it itself
                pass
            finally:
                _remove(path + ".taken")
        outbox.send((start, answer))


def _evaluate_chunk(start: int, rows: list[Any], block: int) -> list[Decision | _Compact]:
    """A helper's half of `decide_block`, `block` rows at a time (a helper's chunk is larger
    than the engine's batch, and a block's facts should not outlive it)."""
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
