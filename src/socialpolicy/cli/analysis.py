"""`diff` and `analyze`: exact questions about policies (needs the `exact` extra)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..vocab import SUBJECT_KINDS
from ._io import EXIT_ADVERSE, EXIT_OK, read_subjects


def _kinds(args: argparse.Namespace) -> tuple[Any, ...] | None:
    return tuple(args.kind) if args.kind else None


def _cmd_diff(args: argparse.Namespace) -> int:
    from ..analysis.diff import diff_policies
    from ..analysis.semantics import PARTS

    parts = tuple(args.compare.split(",")) if args.compare else PARTS
    rows = None
    if args.replay:
        with open(args.replay, encoding="utf-8") as handle:
            rows = read_subjects(handle)
    result = diff_policies(args.old, args.new, kinds=_kinds(args), parts=parts, replay=rows)
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(str(result) + "\n")
    return EXIT_ADVERSE if args.exit_code and not result.identical else EXIT_OK


def _cmd_analyze(args: argparse.Namespace) -> int:
    from ..analysis.diff import as_policy
    from ..analysis.questions import agreement, analyze, can_happen, render

    policy = as_policy(args.policy)
    kinds = _kinds(args)
    out: Any
    if args.agree:
        result = agreement(policy, args.agree, kinds)
        out = result.to_dict() if args.format == "json" else str(result)
    elif args.can:
        found = [can_happen(policy, kind, args.can) for kind in kinds or SUBJECT_KINDS]
        out = [f.to_dict() for f in found] if args.format == "json" else "\n".join(
            f"{f.kind}: {args.can} " + (
                f"can happen, e.g. {f.witness.model_dump_json(exclude_defaults=True)}\n  when "
                + "\n    or ".join(f.condition) if f.possible else f"never: {f.reason}")
            for f in found)
    else:
        results = analyze(policy, kinds)
        out = [r.to_dict() for r in results] if args.format == "json" else render(
            policy, results)
    if args.format == "json":
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(str(out) + "\n")
    return EXIT_OK


def register(commands: Any) -> None:
    """Add `diff` and `analyze` to the top-level parser's subcommands."""
    diff = commands.add_parser(
        "diff", help="every region of subjects decided differently by two policy files")
    diff.add_argument("old", help="bundled policy id or a YAML path")
    diff.add_argument("new", help="bundled policy id or a YAML path")
    diff.add_argument("--kind", action="append", choices=SUBJECT_KINDS,
                      help="only this kind of subject (repeatable)")
    diff.add_argument("--replay", metavar="ROWS",
                      help="JSON or JSONL subjects: count how many land in each region")
    diff.add_argument("--compare", metavar="PARTS",
                      help="what counts as a difference, comma-separated: outcome, actions, "
                      "clauses, deadline (default: all)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument("--exit-code", action="store_true",
                      help="exit 1 when the policies differ (like `git diff --exit-code`)")
    diff.set_defaults(run=_cmd_diff)

    analyze = commands.add_parser(
        "analyze", help="which outcomes can happen, rules that never change one, agreement")
    analyze.add_argument("policy", help="bundled policy id or a YAML path")
    analyze.add_argument("--kind", action="append", choices=SUBJECT_KINDS,
                         help="only this kind of subject (repeatable)")
    analyze.add_argument("--can", metavar="OUTCOME", help="can this outcome ever happen?")
    analyze.add_argument("--agree", metavar="OTHER",
                         help="another policy: where do the two decide different outcomes?")
    analyze.add_argument("--format", choices=("text", "json"), default="text")
    analyze.set_defaults(run=_cmd_analyze)
