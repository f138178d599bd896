"""`decide`, `explain` and `demo`: subjects in, decisions out."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any

from ..engine import load_policy
from ..engines import ENGINE_NAMES
from ._io import EXIT_ADVERSE, EXIT_OK, emit, exit_code, read_subjects


def _cmd_decide(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy, engine=args.engine)
    if args.file == "-":
        rows = read_subjects(sys.stdin)
    else:
        with open(args.file, encoding="utf-8") as handle:
            rows = read_subjects(handle)
    decisions = policy.decide_many(rows)
    emit(decisions, args.format, sys.stdout)
    return exit_code(decisions)


def _cmd_explain(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy, engine=args.engine)
    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    with source:
        rows = read_subjects(source)
    adverse = False
    for row, subject in enumerate(rows):
        explanation = policy.explain(subject)
        adverse |= explanation.decision.adverse
        sys.stdout.write(f"== row {row}\n{explanation}\n\n")
        if args.why_not:
            sys.stdout.write(f"{policy.why_not(subject, args.why_not)}\n\n")
    return EXIT_ADVERSE if adverse else EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    demo = json.loads(resources.files("socialpolicy").joinpath("demo.json").read_text("utf-8"))
    out = sys.stdout
    for entry in demo:
        policy = load_policy(entry["policy"], engine=args.engine)
        out.write(f"== {entry['title']} ({policy.organisation})\n")
        decision = policy.decide(entry["subject"])
        out.write(f"   {entry['subject'].get('text') or entry['subject'].get('purpose')!r}\n")
        out.write("   " + decision.summary().replace("\n", "\n   ") + "\n\n")
    return EXIT_OK


def register(commands: Any) -> None:
    """Add the subject commands to the top-level parser's subcommands."""
    decide = commands.add_parser("decide", help="decide subjects from a JSON or JSONL file")
    decide.add_argument("--policy", required=True, help="bundled policy id or a YAML path")
    decide.add_argument("file", help="JSON or JSONL subjects, each with `kind`; `-` for stdin")
    decide.add_argument("--engine", choices=ENGINE_NAMES, default="durable")
    decide.add_argument("--format", choices=("json", "jsonl", "text"), default="json")
    decide.set_defaults(run=_cmd_decide)

    explain = commands.add_parser(
        "explain", help="show, for every rule, whether it fired and which conditions held")
    explain.add_argument("--policy", required=True, help="bundled policy id or a YAML path")
    explain.add_argument("file", help="JSON or JSONL subjects, each with `kind`; `-` for stdin")
    explain.add_argument("--engine", choices=ENGINE_NAMES, default="durable")
    explain.add_argument("--why-not", metavar="OUTCOME",
                         help="also list the smallest changes that would give this outcome")
    explain.set_defaults(run=_cmd_explain)

    demo = commands.add_parser("demo", help="decide a bundled set of examples and print them")
    demo.add_argument("--engine", choices=ENGINE_NAMES, default="durable")
    demo.set_defaults(run=_cmd_demo)

