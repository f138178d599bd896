"""Decisions per second, side by side in one run: the durable engine, the reference engine, and
bare durable_rules asserting the same pre-computed facts on the same compiled ruleset.

    python benchmarks/decide.py [--policy mse_icb] [--rounds 5] [--subjects 2000]

Every subject comes from the policy's own rule examples, cycled to the requested count. Each
configuration is timed `rounds` times, interleaved, and the median is reported together with its
ratio to bare durable_rules (the baseline: the least work any durable-backed decision can do).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import socialpolicy as sp
from socialpolicy.engines._durable import fact_key, ruleset_definition
from socialpolicy.policy import example_subject
from socialpolicy.signals import derive


def subjects_for(policy: sp.Policy, count: int) -> list[Any]:
    pool = [example_subject(rule.applies_to, example.fields,
                            policy.document.example_defaults.get(rule.applies_to))
            for rule in policy.rules for example in rule.examples]
    return list(itertools.islice(itertools.cycle(pool), count))


def bare_durable(policy: sp.Policy, subjects: list[Any]) -> Callable[[], None]:
    from durable import engine

    def noop(closure: Any) -> None:
        return None

    definition = ruleset_definition(policy.ir)
    for rule in definition.values():
        rule["run"] = noop
    host = engine.Host()
    name = f"bench_{policy.id}"
    host.register_rulesets({name: definition})
    facts = [{fact_key(k): v for k, v in derive(s, policy.document)[0].items()} for s in subjects]
    counter = itertools.count()

    def run() -> None:
        for fact in facts:
            request = next(counter)
            session = f"b{request}"
            host.assert_fact(name, {**fact, "sid": session, "socialpolicy_request": request})
            host.delete_state(name, session)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", default="mse_icb")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--subjects", type=int, default=2000)
    args = parser.parse_args()

    durable = sp.load_policy(args.policy, engine="durable")
    reference = sp.load_policy(args.policy, engine="reference")
    subjects = subjects_for(reference, args.subjects)
    runs: dict[str, Callable[[], None]] = {
        "bare durable_rules (facts only)": bare_durable(durable, subjects),
        "socialpolicy, durable engine": lambda: [durable.decide(s) for s in subjects] and None,
        "socialpolicy, reference engine": lambda: [reference.decide(s) for s in subjects] and None,
        "detect stage alone (derive facts)": (
            lambda: [derive(s, reference.document) for s in subjects] and None),
    }
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():  # interleaved, so drift hits every configuration
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)

    baseline = statistics.median(timings["bare durable_rules (facts only)"])
    out = sys.stdout
    out.write(f"policy {args.policy}: {len(subjects)} subjects x {args.rounds} rounds "
              f"(median), Python {sys.version.split()[0]}\n\n")
    out.write("| configuration | decisions/s | us/decision | time vs bare durable |\n")
    out.write("|---|---:|---:|---:|\n")
    for name, samples in timings.items():
        median = statistics.median(samples)
        out.write(f"| {name} | {len(subjects) / median:,.0f} | "
                  f"{1e6 * median / len(subjects):.1f} | {median / baseline:.2f}x |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
