"""Precision and recall of each text detector on the labelled corpus.

    python scripts/detector_quality.py [--corpus tests/data/detector_corpus.yaml]
    python scripts/detector_quality.py --external DIR [--no-peers] [--verbose]

Prints a Markdown table (detector, examples, positives, precision, recall) and exits 1 if any
detector falls below precision 0.95 or recall 0.90, or if the corpus is malformed. A positive
example with a `match` counts as found only if the detector reports exactly that text.

With `--external DIR`, it then measures on real, independently labelled text in DIR (see
`_external.py` for the files it reads), side by side with the peer libraries that are installed
(the `peers` extra), and prints a second table with precision, recall, F1 and microseconds per
text. That table is a measurement, not a gate.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import socialpolicy as sp
from socialpolicy._yaml import load
from socialpolicy.signals import DEFAULT_DETECTORS, DetectionContext, Detector, normalise

MIN_PRECISION = 0.95
MIN_RECALL = 0.90
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "detector_corpus.yaml"
_KEYS = {"detector", "field", "text", "expected", "match", "policy", "kind"}


@dataclass
class Score:
    examples: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0


@cache
def _policy_context(policy: str, staff: tuple[str, ...]) -> DetectionContext:
    document = sp.load_policy(policy, engine="reference").document
    return DetectionContext(document.names, document.disclaimers, staff)


def _context(example: dict[str, Any], staff: tuple[str, ...]) -> DetectionContext:
    policy = example.get("policy")
    return DetectionContext(staff=staff) if policy is None else _policy_context(policy, staff)


def _targets_field(detector: Detector, example: dict[str, Any]) -> bool:
    kind = example.get("kind")
    return any(path == example["field"] and (kind is None or kind == k)
               for k, path in detector.targets)


def score(corpus: dict[str, Any]) -> tuple[dict[str, Score], list[str]]:
    """Score every detector on the corpus; also every problem with the corpus itself."""
    detectors = {d.name: d for d in DEFAULT_DETECTORS}
    staff = tuple(corpus.get("staff_directory", ()))
    scores = {name: Score() for name in detectors}
    problems: list[str] = []
    for number, example in enumerate(corpus["examples"], start=1):
        name = example.get("detector")
        unknown = set(example) - _KEYS
        if name not in detectors or unknown or not isinstance(example.get("expected"), bool):
            problems.append(f"example {number}: unknown detector `{name}`, missing `expected` "
                            f"or unknown keys {sorted(unknown)}")
            continue
        detector = detectors[name]
        if not _targets_field(detector, example):
            problems.append(f"example {number}: `{name}` does not read `{example['field']}`")
            continue
        text = normalise(example["text"])
        found = [example["text"][slice(*text.span(start, end))]
                 for start, end in detector.find(text, _context(example, staff))]
        expected = example.get("match")
        hit = bool(found) and (expected is None or expected in found)
        result = scores[name]
        result.examples += 1
        if example["expected"]:
            if hit:
                result.true_positives += 1
            else:
                result.false_negatives += 1
                result.misses.append(f"missed: {example['text']!r} (found {found})")
        elif found:
            result.false_positives += 1
            result.misses.append(f"false positive: {example['text']!r} (found {found})")
    return scores, problems


def table(scores: dict[str, Score]) -> str:
    lines = ["| detector | examples | positives | precision | recall |",
             "|---|---:|---:|---:|---:|"]
    lines += [f"| `{name}` | {s.examples} | {s.positives} | {s.precision:.3f} | {s.recall:.3f} |"
              for name, s in scores.items()]
    total = sum(s.examples for s in scores.values())
    lines.append(f"| all | {total} | {sum(s.positives for s in scores.values())} | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--external", type=Path, metavar="DIR",
                        help="also measure on real labelled text in DIR")
    parser.add_argument("--no-peers", action="store_true",
                        help="leave out the peer libraries even when installed")
    args = parser.parse_args(argv)
    document, problems = load(args.corpus.read_text(encoding="utf-8"), str(args.corpus))
    if document is None or problems:
        sys.stderr.write("\n".join(str(p) for p in problems) + "\n")
        return 2
    scores, corpus_problems = score(document.data)
    out = sys.stdout
    out.write(table(scores) + "\n")
    failing = [name for name, s in scores.items()
               if s.examples == 0 or s.precision < MIN_PRECISION or s.recall < MIN_RECALL]
    for name, s in scores.items():
        if args.verbose or name in failing:
            out.writelines(f"  {name}: {miss}\n" for miss in s.misses)
    for problem in corpus_problems:
        sys.stderr.write(f"corpus: {problem}\n")
    if failing:
        sys.stderr.write(f"below precision {MIN_PRECISION} or recall {MIN_RECALL} (or no "
                         f"examples): {', '.join(failing)}\n")
    if args.external is not None:
        from _external import report  # beside this script; reads only DIR

        out.write("\n")
        for line in report(args.external, args.verbose, not args.no_peers):
            out.write(line + "\n")
            out.flush()
    return 1 if failing or corpus_problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
