"""One dedicated thread that runs every call into durable_rules, and nothing else.

durable_rules' C extension is not safe against interruption: a signal-driven timeout (Celery's
soft limit, `signal.alarm`) raised between two of its calls leaves a session half-processed, and
deleting it then aborts the process. Python runs signal handlers only on the main thread, so a
job handed to this thread always runs to its end; the caller merely waits, and a timeout or
Ctrl-C there abandons the wait, never the job. Jobs run one at a time, in order, which is also
the lock durable_rules needs.

The thread is started on first use, and again in a forked child (threads do not survive
`fork`), so a process pool works unchanged. Like a daemon thread, it never holds up exit.
"""

from __future__ import annotations

import _thread
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_SLICE = 0.05  # seconds a caller waits before looking at its signals again


class _Call(Generic[T]):
    """One job and its outcome; `done` is released by the worker when the job has finished.

    Lighter than `concurrent.futures.Future` (a lock instead of a condition), which matters at
    tens of microseconds per decision."""

    __slots__ = ("args", "done", "error", "function", "result")

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...], wait: bool) -> None:
        self.function, self.args = function, args
        self.result: T | None = None
        self.error: BaseException | None = None
        self.done: threading.Lock | None = None
        if wait:
            self.done = threading.Lock()
            self.done.acquire()


class Worker:
    """A single daemon thread fed by a queue of jobs.

    The thread claims the worker when it starts running, so a start interrupted by a signal
    handler in the caller (the thread may or may not exist by then) can never leave two
    threads consuming jobs: a second thread finds the worker claimed and ends at once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._reset()
        _WORKERS.append(self)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Call[Any]] = queue.SimpleQueue()
        self._owner: int | None = None  # the thread running the loop, once it has claimed it
        self._spawned = False

    @property
    def ident(self) -> int | None:
        """The worker thread's id once running (tests check durable runs only there)."""
        return self._owner

    def _ensure_running(self) -> None:
        if self._owner is not None or self._spawned:
            return
        with self._lock:
            if self._owner is None and not self._spawned:
                # Not `threading.Thread.start`: a handler raising inside it can break the
                # thread's own bookkeeping (a `KeyError` in either thread).
                _thread.start_new_thread(self._run, ())
                self._spawned = True

    def _run(self) -> None:
        _block_signals()  # the OS then never delivers a signal to this thread
        with self._lock:
            if self._owner is not None:
                return  # a start that looked interrupted had in fact succeeded
            self._owner = threading.get_ident()
        _loop(self._queue)

    def call(self, function: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run `function(*args)` on the worker thread and return its result (or raise its error).

        If the wait is interrupted (a signal handler raising, KeyboardInterrupt) or `timeout`
        seconds pass (`TimeoutError`), the exception is raised here while the job still runs to
        its end on the worker."""
        if threading.get_ident() == self._owner:  # already on the worker: run in place
            return function(*args)
        job: _Call[T] = _Call(function, args, wait=True)
        self._queue.put(job)
        self._ensure_running()
        assert job.done is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        # Wait in slices: a signal that lands just before the wait starts would otherwise
        # only be handled once the job ends, so a caller's own timeout would fire late.
        while not job.done.acquire(timeout=_SLICE):
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"the {self.name} worker did not finish within {timeout} s;"
                                   " the job goes on in the background")
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]  # set by the worker before `done`

    def post(self, function: Callable[..., Any], *args: Any) -> None:
        """Queue `function(*args)` without waiting, if the worker runs in this process.

        Safe from a finaliser: it takes no lock (`SimpleQueue.put` is reentrant)."""
        if self._owner is not None:
            self._queue.put(_Call(function, args, wait=False))


def _block_signals() -> None:
    if hasattr(signal, "pthread_sigmask"):  # POSIX
        signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())


def _loop(jobs: queue.SimpleQueue[_Call[Any]]) -> None:
    while True:
        job = jobs.get()
        try:
            job.result = job.function(*job.args)
        except BaseException as exc:  # handed to the caller: the worker itself never dies
            job.error = exc
        job.function = job.args = None  # type: ignore[assignment]  # drop references early
        if job.done is not None:
            job.done.release()
        del job


def _after_fork() -> None:
    for worker in _WORKERS:
        worker._reset()


_WORKERS: list[Worker] = []
os.register_at_fork(after_in_child=_after_fork)
