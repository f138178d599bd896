"""socialpolicy beside its peers on the MSE ICB comment rules, side by side in one run.

    python benchmarks/compare.py [--subjects 5000] [--rounds 7] [--kept 100000]

Every configuration decides the same comments (the policy's own comment examples and typical
public comments, cycled to `--subjects`), timed in process CPU time, `--rounds` times,
interleaved so that the machine's state affects all alike; the median is reported with its
ratio to the hand-written baseline. Peers get the subjects' facts precomputed (labels, channel,
out-of-hours, prior removals); socialpolicy starts from the Comment and does all its own work.
Before timing, every peer's fired rules and outcome are checked against socialpolicy's on every
subject, and the script exits 1 on any disagreement.

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
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from decide import bare_durable, subjects_for, typical_comments

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


# ---- Cedar: the same IR, translated mechanically to Cedar policies ----------------------------

_CEDAR_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _cedar(ir: Mapping[str, Any]) -> str:
    if "all" in ir or "any" in ir:
        joiner, parts = (" && ", ir["all"]) if "all" in ir else (" || ", ir["any"])
        return "(" + joiner.join(_cedar(part) for part in parts) + ")"
    value = ir["value"]
    literal = ("true" if value else "false") if isinstance(value, bool) else (
        f'"{value}"' if isinstance(value, str) else str(value))
    return f'(context["{ir["key"]}"] {_CEDAR_OPS[ir["op"]]} {literal})'


def cedar_setup(policy: sp.Policy) -> tuple[str, list[str]]:
    rules = policy.ir["kinds"]["comment"]["rules"]
    text = "\n".join(f"permit(principal, action, resource) when {{ {_cedar(r['when'])} }};"
                     for r in rules)
    return text, [r["id"] for r in rules]


def cedar_request(facts: Mapping[str, Any]) -> dict[str, Any]:
    context = {k: v for k, v in facts.items() if v is not None and k != "kind"}
    return {"principal": 'User::"moderator"', "action": 'Action::"decide"',
            "resource": 'Comment::"c"', "context": context}


# ---- shared ----------------------------------------------------------------------------------


def combine(policy: sp.Policy, fired: set[str], platform: str) -> str:
    """The outcome from a fired set, as socialpolicy combines it (used for peers' answers)."""
    can = DEFAULT_PLATFORM_CAPABILITIES.get(platform, frozenset({"hide", "delete"}))
    scale = ["leave", "hide", "delete"]
    best = "leave"
    for rule in policy.rules:
        if rule.id not in fired:
            continue
        outcome = str(rule.outcome)
        if outcome in ("hide", "delete") and outcome not in can and rule.if_unavailable:
            outcome = str(rule.if_unavailable.outcome)
        best = max(best, outcome, key=scale.index)
    return best


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

    import cedarpy

    policies = {e: sp.load_policy(POLICY, engine=e) for e in ("reference", "durable")}
    reference = policies["reference"]
    pool = [s for s in subjects_for(reference, 4000) if s.kind == "comment"]
    pool = list({id(s): s for s in pool}.values()) + typical_comments(len(pool))
    subjects = list(itertools.islice(itertools.cycle(pool), args.subjects))
    document = reference.document
    facts = [derive(s, document, ())[0] for s in subjects]
    plain = [(frozenset(s.labels), s.channel, f["fact.out_of_hours"], s.author_prior_removals,
              DEFAULT_PLATFORM_CAPABILITIES.get(s.platform, frozenset({"hide", "delete"})))
             for s, f in zip(subjects, facts, strict=True)]
    cedar_text, cedar_ids = cedar_setup(reference)
    cedar_policies = cedarpy.PolicySet.from_str(cedar_text)  # parsed once, reused
    no_entities = cedarpy.Entities.from_json_str("[]")
    requests = [cedar_request(f) for f in facts]
    engine = reference._engine

    # Agreement first: every peer fires the same rules and reaches the same outcome.
    expected = [reference.decide(s, detectors=()) for s in subjects]
    disagreements = 0
    cedar_answers = cedarpy.is_authorized_batch(requests, cedar_policies, no_entities)
    for i, (subject, decision) in enumerate(zip(subjects, expected, strict=True)):
        fired = {f.rule_id for f in decision.findings}
        outcome, by_hand = hand_written(*plain[i])
        by_cedar = {cedar_ids[int(p.removeprefix("policy"))]
                    for p in cedar_answers[i].diagnostics.reasons}
        answers = {"hand-written": (outcome, by_hand),
                   "cedar": (combine(reference, by_cedar, subject.platform), by_cedar),
                   "durable": (str(policies["durable"].decide(subject, detectors=()).outcome),
                               fired)}
        for name, (their_outcome, their_fired) in answers.items():
            if their_outcome != decision.outcome or their_fired != fired:
                disagreements += 1
                sys.stderr.write(f"{name} disagrees on subject {i}: {their_outcome} "
                                 f"{sorted(their_fired)} vs {decision.outcome} {sorted(fired)}\n")
    bare = bare_durable(policies["durable"], subjects)

    configs: dict[str, Callable[[], object]] = {
        "hand-written if/else (facts precomputed)": lambda: [hand_written(*p) for p in plain],
        "socialpolicy rule evaluation alone (reference, compiled)":
            lambda: [engine.fired(f) for f in facts],
        "Cedar via cedarpy, is_authorized per call": lambda: [
            cedarpy.is_authorized(r, cedar_policies, no_entities) for r in requests],
        "Cedar via cedarpy, is_authorized_batch": lambda: cedarpy.is_authorized_batch(
            requests, cedar_policies, no_entities),
        "bare durable_rules (facts precomputed)": bare,
    }
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
