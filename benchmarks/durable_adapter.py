"""Bare durable_rules against the socialpolicy durable adapter, facts precomputed (MSE ICB).

A quick script, not a test: `python benchmarks/durable_adapter.py [N]`. It prints decisions per
second of process CPU time for
- bare durable_rules: `durable.engine.Host` with the same ruleset, one session per fact, deleted;
- the adapter's `fired` (one hop to the worker thread per decision, cross-check included);
- the adapter's `fire_many` (one hop per batch of facts);
- the reference engine's `fired`, the oracle the adapter cross-checks against.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import socialpolicy as sp
from socialpolicy.engines import make_engine
from socialpolicy.policy.loader import compile_file
from socialpolicy.signals import derive
from socialpolicy.vocab import COMMENT_LABELS


def comments(n: int) -> list[sp.Comment]:
    rnd = random.Random(7)
    labels = sorted(COMMENT_LABELS)
    return [sp.Comment(
        platform=rnd.choice(["x", "facebook", "instagram", "linkedin"]),
        channel=rnd.choice(["comment", "reply", "direct_message", "mention"]),
        text="thanks", author="@someone",
        posted_at=f"2026-04-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}:30:00+01:00",
        labels=set(rnd.sample(labels, rnd.choice([0, 0, 1, 1, 2, 3]))),
        author_prior_removals=rnd.randint(0, 4)) for _ in range(n)]


def bare(ir: dict[str, Any]) -> Callable[[list[dict[str, Any]]], None]:
    from durable import engine

    definition = {}
    for name, rule in make_definition(ir).items():
        definition[name] = dict(rule, run=lambda c: None)
    host = engine.Host()
    host.register_rulesets({"bare": definition})
    counter = itertools.count()

    def run(facts: list[dict[str, Any]]) -> None:
        for fact in facts:
            sid = str(next(counter))
            host.assert_fact("bare", dict(fact, sid=sid))
            host.delete_state("bare", sid)

    return run


def make_definition(ir: dict[str, Any]) -> dict[str, Any]:
    try:
        from socialpolicy.engines._durable_rules import ruleset_definition
    except ImportError:  # before the adapter rewrite
        from socialpolicy.engines._durable import ruleset_definition
    return ruleset_definition(ir)


def rate(run: Callable[[], object], n: int, rounds: int = 5) -> float:
    best = 0.0
    for _ in range(rounds):
        start = time.process_time()
        run()
        best = max(best, n / (time.process_time() - start))
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    compiled = compile_file("mse_icb")
    facts = [derive(s, compiled.document, None, ())[0] for s in comments(n)]
    flat = [{key.replace(".", "__"): value for key, value in f.items()} for f in facts]
    durable = make_engine("durable", compiled.ir)
    reference = make_engine("reference", compiled.ir)
    fire_many = getattr(durable, "fire_many", None)  # absent before the worker-thread adapter
    assert [durable.fired(f) for f in facts] == [reference.fired(f) for f in facts]
    bare_run = bare(compiled.ir)
    rows = [
        ("bare durable_rules (Host, one session per fact)", lambda: bare_run(flat)),
        ("socialpolicy durable adapter, fired()", lambda: [durable.fired(f) for f in facts]),
        ("reference engine, fired()", lambda: [reference.fired(f) for f in facts]),
    ]
    if fire_many is not None:
        rows.insert(2, ("socialpolicy durable adapter, fire_many()", lambda: fire_many(facts)))
    sys.stdout.write(f"MSE ICB comments, {n} facts, best of 5 rounds, process CPU time\n")
    for label, run in rows:
        sys.stdout.write(f"{label:52} {rate(run, n):>10,.0f} decisions/s\n")


if __name__ == "__main__":
    main()
