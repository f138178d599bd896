"""socialpolicy beside its peers on the MSE ICB comment rules, side by side in one run.

    python benchmarks/compare.py [--subjects 5000] [--rounds 7] [--kept 100000]

Every configuration decides the same comments (the policy's own comment examples and typical
public comments, cycled to `--subjects`), timed in process CPU time, `--rounds` times,
interleaved so that the machine's state affects all alike; the median is reported with its
ratio to the hand-written baseline. Peers get the subjects' facts precomputed (labels, channel,
out-of-hours, prior removals); socialpolicy starts from the Comment and does all its own work.
The peer engines (Cedar, GoRules ZEN, rule-engine, business-rules: see peers.py; the `bench`
extra) are timed per call and, where the library has one, in its batch form. Before timing,
every peer's fired rules and outcome are checked against socialpolicy's on every subject, per
call and batch, and the script exits 1 on any disagreement.

Then: per-decision latency (p50/p99), decide_many in one process and with `workers=2` (best of
`--batch-rounds` interleaved rounds over `--batch` rows), load time
(cold with the cache off, warm from it) and import time, each in a fresh interpreter, and the
memory a kept decision costs (tracemalloc over `--kept` decisions held in a list).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from decide import bare_durable, subjects_for, typical_comments
from peers import ENGINES, combine

import socialpolicy as sp
from socialpolicy.signals import derive
from socialpolicy.vocab import DEFAULT_PLATFORM_CAPABILITIES

POLICY = "mse_icb"

# ---- the hand-written baseline: the MSE ICB comment rules as a developer would write them ----

HOUSE_RULES = {"personal_attack", "hate_speech", "personal_details", "spam",
               "repetitive_provocation", "impersonation", "profanity", "illegal", "advertising",
               "names_staff", "platform_terms_breach"}
REMOVABLE = HOUSE_RULES | {"targeted_abuse", "misinformation", "disinformation",
                           "emerging_health_threat", "encourages_breaches", "offensive_username",
                           "offensive_profile_image"}
DELETE_ON = {"targeted_abuse": "targeted-abuse-delete", "personal_attack": "personal-attack-delete",
             "hate_speech": "hate-speech-delete", "names_staff": "naming-staff-remove",
             "platform_terms_breach": "platform-terms-breach-delete", "spam": "spam-delete",
             "repetitive_provocation": "repetitive-provocation-delete",
             "impersonation": "impersonation-delete", "profanity": "profanity-delete",
             "illegal": "illegal-delete", "advertising": "advertising-delete",
             "encourages_breaches": "encourages-breaches-ban",
             "offensive_profile_image": "offensive-profile-image-ban",
             "offensive_username": "offensive-username-ban",
             "personal_details": "personal-details-pass-on-and-delete"}
MISINFORMATION = {"misinformation", "disinformation", "emerging_health_threat"}


def hand_written(labels: frozenset[str], channel: str, out_of_hours: bool, prior: int,
                 can: frozenset[str]) -> tuple[str, set[str]]:
    fired = set()
    if channel == "direct_message" and "personal_details" in labels:
        fired.add("personal-details-in-direct-message")  # invited there: no house-rule breach
        labels = labels - {"personal_details"}
    if channel in ("comment", "reply"):
        fired.add("respond-to-comments")
    elif channel == "mention":
        fired.add("respond-to-mentions")
    elif channel == "direct_message":
        fired.add("respond-to-direct-messages")
    clean = not (labels & REMOVABLE)
    if channel == "direct_message" and clean:
        fired.add("signpost-direct-message-enquiries")
    if out_of_hours:
        fired.add("out-of-hours-next-working-day")
        if "patient_safety_risk" in labels or "reputational_risk" in labels:
            fired.add("out-of-hours-risk-to-duty-manager")
    if labels & {"safety_or_care_concern", "patient_safety_risk", "safeguarding_concern"}:
        fired.add("safety-or-care-concern-escalate")
    if "needs_department" in labels:
        fired.add("needs-department-escalate")
    if "medical_question" in labels:
        fired.add("medical-question-signpost")
    if "foi_request" in labels and "real_name_discernible" in labels:
        fired.add("foi-request-to-foi-team")
    if labels & {"complaint", "media_request", "foi_request"}:
        fired.add("complaints-media-foi-traditional-channels")
    if "third_party_enquiry" in labels:
        fired.add("third-party-enquiry-consent")
    if "safeguarding_concern" in labels:
        fired.add("safeguarding-concern-escalate")
    critical = "criticism" in labels or "complaint" in labels
    if critical and clean:
        fired.add("criticism-not-suppressed")
    if clean:
        fired.add("anything-else-leave")
    outcome = "leave"
    for label in labels & DELETE_ON.keys():
        fired.add(DELETE_ON[label])
        outcome = "delete" if "delete" in can else "hide"
    if "names_staff" in labels and critical:
        fired.add("naming-staff-in-critical-post-delete")
    if labels & MISINFORMATION:
        fired.add("misinformation-hide")
        if outcome == "leave":
            outcome = "hide" if "hide" in can else "delete"
        elif "hide" not in can:
            outcome = "delete"
    if labels & HOUSE_RULES:
        fired.add("house-rule-breach-reply")
        if prior >= 1:
            fired.add("repeat-breaches-ban")
    elif prior >= 1 and "targeted_abuse" in labels:
        fired.add("repeat-breaches-ban")
    return outcome, fired


# ---- shared ----------------------------------------------------------------------------------


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def fresh(code: str, env: Mapping[str, str] | None = None) -> float:
    """CPU seconds a snippet reports in a fresh interpreter (median of 3)."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**os.environ, **(env or {})})
        runs.append(float(out.stdout.strip()))
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--kept", type=int, default=100_000)
    parser.add_argument("--batch-rounds", type=int, default=2,
                        help="interleaved rounds of the workers table (the best is kept)")
    parser.add_argument("--batch", type=int, default=400_000,
                        help="rows for the decide_many workers=1 vs workers=2 table: big "
                             "enough that two workers' start-up is a small part of it")
    parser.add_argument("--throughput-only", action="store_true",
                        help="stop after the throughput table (skip latency, workers, load, "
                             "import and memory)")
    args = parser.parse_args()

    policies = {e: sp.load_policy(POLICY, engine=e) for e in ("reference", "durable")}
    reference = policies["reference"]
    try:
        peers = [build(reference) for build in ENGINES.values()]
    except ImportError as exc:
        raise SystemExit(f"{exc.name} is missing: the peer engines come with the bench extra "
                         "(pip install -e '.[bench]')") from exc
    pool = [s for s in subjects_for(reference, 4000) if s.kind == "comment"]
    pool = list({id(s): s for s in pool}.values()) + typical_comments(len(pool))
    subjects = list(itertools.islice(itertools.cycle(pool), args.subjects))
    document = reference.document
    facts = [derive(s, document, ())[0] for s in subjects]
    plain = [(frozenset(s.labels), s.channel, f["fact.out_of_hours"], s.author_prior_removals,
              DEFAULT_PLATFORM_CAPABILITIES.get(s.platform, frozenset({"hide", "delete"})))
             for s, f in zip(subjects, facts, strict=True)]
    inputs = {peer.name: [peer.prepare(f) for f in facts] for peer in peers}
    engine = reference._engine

    # Agreement first: every peer fires the same rules and reaches the same outcome, per call
    # and in its batch form.
    expected = [reference.decide(s, detectors=()) for s in subjects]
    answers: dict[str, list[tuple[str, set[str]]]] = {
        "hand-written": [hand_written(*p) for p in plain],
        "durable": [(str(d.outcome), {f.rule_id for f in d.findings}) for d in (
            policies["durable"].decide(s, detectors=()) for s in subjects)]}
    for peer in peers:
        runs = {peer.call: [peer.decide(x) for x in inputs[peer.name]]}
        if peer.decide_batch:
            runs[peer.batch] = peer.decide_batch(inputs[peer.name])
        for call, got in runs.items():
            fired_sets = [peer.fired(answer) for answer in got]
            answers[f"{peer.name}, {call}"] = [
                (combine(reference, fired, s.platform), fired)
                for s, fired in zip(subjects, fired_sets, strict=True)]
    disagreements = 0
    for name, theirs in answers.items():
        for i, (decision, (outcome, fired)) in enumerate(zip(expected, theirs, strict=True)):
            ours = {f.rule_id for f in decision.findings}
            if outcome != decision.outcome or fired != ours:
                disagreements += 1
                sys.stderr.write(f"{name} disagrees on subject {i}: {outcome} "
                                 f"{sorted(fired)} vs {decision.outcome} {sorted(ours)}\n")
    bare = bare_durable(policies["durable"], subjects)

    configs: dict[str, Callable[[], object]] = {
        "hand-written if/else (facts precomputed)": lambda: [hand_written(*p) for p in plain],
        "socialpolicy rule evaluation alone (reference, compiled)":
            lambda: [engine.fired(f) for f in facts],
    }
    for peer in peers:  # each library's own call on its prepared input
        configs[f"{peer.name}, {peer.call}"] = (
            lambda decide=peer.decide, xs=inputs[peer.name]: [decide(x) for x in xs])
        if peer.decide_batch:
            configs[f"{peer.name}, {peer.batch}"] = (
                lambda batch=peer.decide_batch, xs=inputs[peer.name]: batch(xs))
    configs["bare durable_rules (facts precomputed)"] = bare
    engine_rows = [name for name in configs if name in answers or name.startswith("bare ")]
    for name, policy in policies.items():
        configs[f"socialpolicy {name}, detectors off"] = (
            lambda p=policy: [p.decide(s, detectors=()) for s in subjects])
        configs[f"socialpolicy {name}, detectors on"] = (
            lambda p=policy: [p.decide(s) for s in subjects])
        configs[f"socialpolicy {name}, decide_many, detectors off"] = (
            lambda p=policy: p.decide_many(subjects, detectors=()))
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(args.rounds):
        for name, run in configs.items():
            gc.collect()
            times[name].append(cpu(run))
    base = statistics.median(times["hand-written if/else (facts precomputed)"])
    say(f"policy {POLICY}: {args.subjects} comments x {args.rounds} rounds, interleaved, "
          f"process CPU time (median); Python {sys.version.split()[0]}")
    say(f"agreement with socialpolicy: {disagreements or '100%'}\n")
    say("| configuration | decisions/s | us/decision | time vs hand-written |")
    say("|---|---:|---:|---:|")
    for name, samples in times.items():
        median = statistics.median(samples)
        say(f"| {name} | {args.subjects / median:,.0f} | {median / args.subjects * 1e6:.1f} "
              f"| {median / base:.1f}x |")
    cedar = statistics.median(times["Cedar via cedarpy, is_authorized per call"])
    say("\nsocialpolicy vs Cedar per call (`is_authorized`), same run: " + ", ".join(
        f"{name.removeprefix('socialpolicy ')} {cedar / statistics.median(times[name]):.1f}x"
        for name in times if name.startswith("socialpolicy ") and "alone" not in name))
    fastest = min(engine_rows, key=lambda name: statistics.median(times[name]))
    say(f"socialpolicy vs the fastest peer engine in this run ({fastest}): " + ", ".join(
        f"{name.removeprefix('socialpolicy ')} "
        f"{statistics.median(times[fastest]) / statistics.median(times[name]):.1f}x"
        for name in times if name.startswith("socialpolicy ") and "alone" not in name))
    if args.throughput_only:
        return 1 if disagreements else 0

    say("\nlatency per decision, each timed on its own (microseconds, wall clock)\n")
    say("| configuration | p50 | p99 |")
    say("|---|---:|---:|")
    for name, policy in policies.items():
        for label, detectors in (("off", ()), ("on", None)):
            samples = []
            for subject in subjects:
                start = time.perf_counter_ns()
                policy.decide(subject, detectors=detectors)
                samples.append((time.perf_counter_ns() - start) / 1000)
            cuts = statistics.quantiles(samples, n=100)
            say(f"| socialpolicy {name}, detectors {label} | {cuts[49]:.1f} | {cuts[98]:.1f} |")

    batch = list(itertools.islice(itertools.cycle(subjects), args.batch))
    say(f"\ndecide_many over {len(batch)} comments (reference, detectors on), including "
        f"worker start-up; best of {args.batch_rounds} interleaved rounds by wall clock, with "
        "that round's CPU seconds of this process and of its helper processes\n")
    say("| workers | wall s | this process CPU s | helpers CPU s | decisions/s (wall) | "
        "speed-up |")
    say("|---:|---:|---:|---:|---:|---:|")
    best: dict[int | None, tuple[float, float, float]] = {}
    for _ in range(args.batch_rounds):
        for workers in (None, 2):
            gc.collect()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            start, own = time.perf_counter(), time.process_time()
            kept = reference.decide_many(batch, workers=workers, chunk_size=500)
            took, own = time.perf_counter() - start, time.process_time() - own
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            spent = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
            del kept
            if workers not in best or took < best[workers][0]:
                best[workers] = (took, own, spent)
    single = best[None][0]
    for workers, (took, own, spent) in best.items():
        say(f"| {workers or 1} | {took:.2f} | {own:.2f} | {spent:.2f} | "
            f"{len(batch) / took:,.0f} | {single / took:.2f}x |")

    timer = "import time; t = time.process_time(); "
    import_cpu = fresh(timer + "import socialpolicy; print(time.process_time() - t)")
    load = ("import time, socialpolicy as sp; t = time.process_time(); "
            f"sp.load_policy('{POLICY}', engine='reference'); print(time.process_time() - t)")
    call = ("import time, socialpolicy as sp, socialpolicy.engine, socialpolicy.policy.checker; "
            f"t = time.process_time(); sp.load_policy('{POLICY}', engine='reference'); "
            "print(time.process_time() - t)")
    cold = fresh(load, {"SOCIALPOLICY_CACHE": "off"})
    cold_call = fresh(call, {"SOCIALPOLICY_CACHE": "off"})
    fresh(load)  # fill the cache
    warm = fresh(load)
    warm_call = fresh(call)
    say("\nfresh interpreter, CPU milliseconds (median of 3)\n")
    say("| what | ms |")
    say("|---|---:|")
    say(f"| `import socialpolicy` | {import_cpu * 1000:.0f} |")
    say(f"| `load_policy('{POLICY}')` cold (cache off), with the imports it needs | "
          f"{cold * 1000:.0f} |")
    say(f"| `load_policy('{POLICY}')` cold (cache off), the call alone | "
          f"{cold_call * 1000:.0f} |")
    say(f"| `load_policy('{POLICY}')` warm (from the cache), with the imports it needs | "
          f"{warm * 1000:.0f} |")
    say(f"| `load_policy('{POLICY}')` warm (from the cache), the call alone | "
          f"{warm_call * 1000:.0f} |")
    reference.decide_many(subjects[:100])  # load detector tables outside the measurement

    rows = list(itertools.islice(itertools.cycle(subjects), args.kept))
    say(f"\nmemory per decision kept in a list ({args.kept:,} decisions, tracemalloc)\n")
    say("| configuration | bytes/decision |")
    say("|---|---:|")
    for label, detectors in (("detectors off", ()), ("detectors on", None)):
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = reference.decide_many(rows, detectors=detectors)
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        say(f"| reference, decide_many, {label} | {used / len(kept):,.0f} |")
        del kept
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
