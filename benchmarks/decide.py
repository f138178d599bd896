"""Decisions per second, side by side in one run: the durable engine, the reference engine, and
bare durable_rules asserting the same pre-computed facts on the same compiled ruleset; then what
the text detectors cost per subject, beside the rule evaluation they feed.

    python benchmarks/decide.py [--policy mse_icb] [--rounds 5] [--subjects 2000]

Every subject comes from the policy's own rule examples, cycled to the requested count. Each
configuration is timed `rounds` times, interleaved, and the median is reported together with its
ratio to bare durable_rules (the baseline: the least work any durable-backed decision can do).

Detector costs are timed subject by subject (median and 99th percentile), over the examples and a
set of typical public comments. The last table decides the typical comments on their labels alone
(`detectors=()`) and with the built-in detectors; the script exits 1 if detectors make that
decision 3x slower or more.
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
from socialpolicy.policy.model import example_subject
from socialpolicy.signals import DEFAULT_DETECTORS, DetectionContext, derive, normalise
from socialpolicy.subjects import field_value


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


# Typical comments on an NHS page: mostly labelled by a moderator, a few carrying details.
TYPICAL = [
    ("Waited six weeks for a GP appointment. This ICB is failing Southend.", {"criticism"}),
    ("Is the walk-in centre at Basildon open on Easter Monday? My son has an ear infection and "
     "111 told me to try there first.", {"medical_question"}),
    ("Absolutely disgusted with the wait at A&E last night, 7 hours with my 80 year old mum on "
     "a trolley in the corridor. Nobody came to check on her once. Is this what we pay for?",
     {"criticism", "complaint"}),
    ("Thank you to the vaccination team at the Cliffs Pavilion, so quick and kind!", set()),
    ("Closing the minor injuries unit is a disgrace, we were promised better than this when "
     "the ICB took over. Shame on the board.", {"criticism"}),
    ("Please can someone from the continuing care team call me back on 07700 900123, I have "
     "been waiting three weeks for an answer about my dad's care package.", {"complaint"}),
    ("FOI request: how much did the ICB spend on agency staff in 2023?", {"foi_request"}),
    ("Why does the app keep logging me out? Tried three times to book my flu jab.", {"complaint"}),
]
MAX_RATIO = 3.0


def typical_comments(count: int) -> list[sp.Comment]:
    pool = [sp.Comment(platform="facebook", text=text, author="@member_of_public",
                       posted_at="2026-03-04T10:00:00+00:00", labels=labels)
            for text, labels in TYPICAL]
    return list(itertools.islice(itertools.cycle(pool), count))


def per_subject(run: Callable[[Any], object], subjects: list[Any], rounds: int) -> list[float]:
    """Microseconds per subject, each timed on its own, over `rounds` passes."""
    samples = []
    for _ in range(rounds):
        for subject in subjects:
            start = time.perf_counter_ns()
            run(subject)
            samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def detector_costs(policy: sp.Policy, subjects: list[Any], rounds: int) -> dict[str, list[float]]:
    """Per-subject cost of each detector on the fields it reads, then of the whole stage."""
    document = policy.document
    staff = ("Priya Shah", "Mark Davies", "Jo Bloggs")
    context = DetectionContext(document.names, document.disclaimers, staff)

    def one(detector: Any) -> Callable[[Any], object]:
        def run(subject: Any) -> object:
            for kind, path in detector.targets:
                value = field_value(subject, path) if kind == subject.kind else None
                if value:
                    list(detector.find(normalise(value), context))
            return None
        return run

    costs = {f"`{d.name}`": per_subject(one(d), subjects, rounds) for d in DEFAULT_DETECTORS}
    costs["all detectors (detect stage)"] = per_subject(
        lambda s: derive(s, document, staff_directory=staff), subjects, rounds)
    costs["labels only (no detectors)"] = per_subject(
        lambda s: derive(s, document, ()), subjects, rounds)
    return costs


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

    typical = typical_comments(max(len(TYPICAL), args.subjects // 4))
    out.write(f"\nper subject, timed one by one ({len(subjects)} policy examples and "
              f"{len(typical)} typical comments x {args.rounds} rounds; microseconds)\n\n")
    out.write("| stage | median (examples) | p99 (examples) | median (typical) "
              "| p99 (typical) |\n|---|---:|---:|---:|---:|\n")
    on_examples = detector_costs(reference, subjects, args.rounds)
    on_typical = detector_costs(reference, typical, args.rounds)
    rule_costs = {
        "rule evaluation, durable (decide on labels)": (
            lambda s: durable.decide(s, detectors=())),
        "rule evaluation, reference (decide on labels)": (
            lambda s: reference.decide(s, detectors=())),
    }
    for name, run in rule_costs.items():
        on_examples[name] = per_subject(run, subjects, args.rounds)
        on_typical[name] = per_subject(run, typical, args.rounds)
    for name, samples in on_examples.items():
        other = on_typical[name]
        out.write(f"| {name} | {statistics.median(samples):.1f} | {p99(samples):.1f} | "
                  f"{statistics.median(other):.1f} | {p99(other):.1f} |\n")

    out.write("\ntypical comment, decided on labels alone vs with the built-in detectors "
              "(median of rounds)\n\n| engine | labels alone (us) | with detectors (us) "
              "| ratio |\n|---|---:|---:|---:|\n")
    worst = 0.0
    for name, policy in (("durable", durable), ("reference", reference)):
        alone: list[float] = []
        detected: list[float] = []
        for _ in range(args.rounds):  # interleaved, so drift hits both
            for options, sink in (({"detectors": ()}, alone), ({}, detected)):
                start = time.perf_counter()
                for subject in typical:
                    policy.decide(subject, **options)
                sink.append(1e6 * (time.perf_counter() - start) / len(typical))
        ratio = statistics.median(detected) / statistics.median(alone)
        worst = max(worst, ratio)
        out.write(f"| {name} | {statistics.median(alone):.1f} | "
                  f"{statistics.median(detected):.1f} | {ratio:.2f}x |\n")
    verdict = "within" if worst < MAX_RATIO else "OVER"
    out.write(f"\ndetectors cost at most {worst:.2f}x deciding on labels alone: {verdict} the "
              f"{MAX_RATIO:.0f}x budget\n")
    return 0 if worst < MAX_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
