"""Drive decisions through the durable engine while signals interrupt the caller at random.

Run as a script (the interruption tests start it in subprocesses, the soak runs it longer):

    python tests/durable_driver.py SECONDS SEED [--threads N] [--faults P]

Every SIGALRM (from `signal.setitimer`, now and then `signal.alarm`) raises in the main thread
wherever it is waiting, as a Celery soft time limit or an alarm-based timeout decorator does;
some raise `KeyboardInterrupt` instead. `--threads` adds threads deciding alongside (signals
reach only the main thread, so they stress the shared worker); `--faults P` makes the C engine
fail one call in 1/P, to prove a fault costs one decision, never the process. The process
checks every decision it got against the reference engine and prints one JSON line of counts;
it exits 0 only if nothing was wrong.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import socialpolicy as sp
from socialpolicy.engines import _durable

POLICY = Path(__file__).parent / "fixtures" / "mini.yaml"


class TimeLimitError(Exception):
    """What the alarm handler raises: a caller's own timeout."""


_ARMED = [False]  # the handler raises only inside the guarded call, never in bookkeeping


def _on_alarm(signum: int, frame: Any) -> None:
    if not _ARMED[0]:
        return
    _ARMED[0] = False
    if random.random() < 0.2:
        raise KeyboardInterrupt
    raise TimeLimitError


def _arm(rnd: random.Random) -> None:
    _ARMED[0] = True
    if rnd.random() < 0.02:
        signal.alarm(1)
    else:
        signal.setitimer(signal.ITIMER_REAL, rnd.uniform(0.00005, 0.003))


def _disarm() -> None:
    _ARMED[0] = False
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.alarm(0)


class _FaultyEngine:
    """The C module, but `complete_and_start_action` fails one call in `every`."""

    def __init__(self, real: Any, every: int, rnd: random.Random) -> None:
        self._real, self._every, self._rnd = real, every, rnd
        self.injected = 0

    def complete_and_start_action(self, *args: Any) -> Any:
        if self._rnd.randrange(self._every) == 0:
            self.injected += 1
            raise RuntimeError("injected fault")
        return self._real.complete_and_start_action(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def subjects(rnd: random.Random, n: int) -> list[sp.Comment]:
    labels = ["spam", "targeted_abuse", "hate_speech", "reputational_risk", "criticism"]
    return [sp.Comment(platform=rnd.choice(["x", "facebook", "instagram"]),
                       channel=rnd.choice(["comment", "reply", "mention", "direct_message"]),
                       text="", author="@a", labels=set(rnd.sample(labels, rnd.randint(0, 2))),
                       posted_at=f"2026-03-0{rnd.randint(2, 8)}T{rnd.randint(6, 20):02d}:00:00Z",
                       author_prior_removals=rnd.randint(0, 3)) for _ in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("seconds", type=float)
    parser.add_argument("seed", type=int)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--faults", type=int, default=0)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    random.seed(args.seed)
    durable = sp.load_policy(POLICY, engine="durable")
    reference = sp.load_policy(POLICY, engine="reference")
    pool = subjects(rnd, 64)
    expected = {id(s): reference.decide(s).to_dict() | {"engine": "", "row": None} for s in pool}
    faulty = None
    if args.faults:
        faulty = _FaultyEngine(_durable._engine, args.faults, random.Random(args.seed + 1))
        _durable._engine = faulty
    counts = {"decisions": 0, "batches": 0, "interrupted": 0, "engine_errors": 0, "wrong": 0,
              "thread_decisions": 0}
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def check(subject: sp.Comment, decision: sp.Decision, key: str) -> None:
        with lock:
            counts[key] += 1
            if decision.to_dict() | {"engine": "", "row": None} != expected[id(subject)]:
                counts["wrong"] += 1

    def side_thread(seed: int) -> None:
        local = random.Random(seed)
        while time.monotonic() < stop:
            subject = local.choice(pool)
            try:
                check(subject, durable.decide(subject), "thread_decisions")
            except sp.EngineError:
                with lock:
                    counts["engine_errors"] += 1

    threads = [threading.Thread(target=side_thread, args=(args.seed * 100 + i,))
               for i in range(args.threads)]
    for thread in threads:
        thread.start()
    signal.signal(signal.SIGALRM, _on_alarm)
    while time.monotonic() < stop:
        batch = rnd.sample(pool, 16) if rnd.random() < 0.1 else [rnd.choice(pool)]
        try:
            try:
                _arm(rnd)
                if len(batch) > 1:
                    decisions = durable.decide_many(batch)
                else:
                    decisions = [durable.decide(batch[0])]
            finally:
                _disarm()
        except (TimeLimitError, KeyboardInterrupt):
            counts["interrupted"] += 1
            continue
        except sp.EngineError:
            counts["engine_errors"] += 1
            continue
        counts["batches"] += len(batch) > 1
        for subject, decision in zip(batch, decisions, strict=True):
            detail = getattr(decision, "error_detail", None) or ()
            if decision.outcome == "error" and any(e.type == "TimeLimitError" for e in detail):
                counts["interrupted"] += 1  # decide_many keeps going past a row's exception
            elif decision.outcome == "error":
                counts["engine_errors"] += 1
            else:
                check(subject, decision, "decisions")
    for thread in threads:
        thread.join()
    # After all that, the engine still decides correctly.
    _durable._engine = faulty._real if faulty else _durable._engine
    for subject in pool:
        check(subject, durable.decide(subject), "decisions")
    counts["faults_injected"] = faulty.injected if faulty else 0
    rulesets = getattr(_durable, "_RULESETS", {})  # absent before the worker-thread adapter
    counts["rulesets_retired"] = sum(r.retired for r in rulesets.values())
    sys.stdout.write(json.dumps(counts) + "\n")
    if not args.faults and counts["engine_errors"]:
        return 1
    return 1 if counts["wrong"] else 0


if __name__ == "__main__":
    sys.exit(main())
