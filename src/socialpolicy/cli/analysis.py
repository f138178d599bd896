"""`diff` and `analyze`: exact questions about policies (needs the `exact` extra)."""

from __future__ import annotations

import argparse
from typing import Any

from ..vocab import SUBJECT_KINDS
from ._io import EXIT_ADVERSE, EXIT_OK, add_command, add_format, read_subjects, write_result


def _kinds(args: argparse.Namespace) -> tuple[Any, ...] | None:
    return tuple(args.kind) if args.kind else None


def _add_kinds(command: argparse.ArgumentParser) -> None:
    command.add_argument("--kind", action="append", choices=SUBJECT_KINDS,
                         help="only this kind of subject (repeatable)")


def _cmd_diff(args: argparse.Namespace) -> int:
    from ..analysis.diff import diff_policies
    from ..analysis.semantics import PARTS

    parts = tuple(args.compare.split(",")) if args.compare else PARTS
    rows = None
    if args.replay:
        with open(args.replay, "rb") as handle:  # a line not UTF-8 is named, not a crash
            rows = read_subjects(handle)
    result = diff_policies(args.old, args.new, kinds=_kinds(args), parts=parts, replay=rows)
    write_result(args.format, result.to_dict, lambda: f"{result}\n")
    return EXIT_ADVERSE if args.exit_code and not result.identical else EXIT_OK


def _cmd_analyze(args: argparse.Namespace) -> int:
    from ..analysis.diff import as_policy
    from ..analysis.questions import agreement, analyze, can_happen, render

    policy = as_policy(args.policy)
    kinds = _kinds(args)
    if args.agree:
        result = agreement(policy, args.agree, kinds)
        write_result(args.format, result.to_dict, lambda: f"{result}\n")
    elif args.can:
        found = [can_happen(policy, kind, args.can) for kind in kinds or SUBJECT_KINDS]
        write_result(args.format, lambda: [f.to_dict() for f in found], lambda: "\n".join(
            f"{f.kind}: {args.can} " + (
                f"can happen, e.g. {f.witness.model_dump_json(exclude_defaults=True)}\n  when "
                + "\n    or ".join(f.condition) if f.possible else f"never: {f.reason}")
            for f in found) + "\n")
    else:
        results = analyze(policy, kinds)
        write_result(args.format, lambda: [r.to_dict() for r in results],
                     lambda: render(policy, results) + "\n")
    return EXIT_OK


def register(commands: Any) -> None:
    """Add `diff` and `analyze` to the top-level parser's subcommands."""
    diff = add_command(
        commands, "diff", _cmd_diff,
        help="every region of subjects decided differently by two policy files",
        epilog="examples:\n  socialpolicy diff mse_icb edited/mse_icb.yaml\n"
        "  socialpolicy diff mse_icb edited/mse_icb.yaml --compare outcome --exit-code\n"
        "  socialpolicy diff mse_icb mhra --kind comment --replay queue.jsonl --format json")
    diff.add_argument("old", help="bundled policy id or a YAML path")
    diff.add_argument("new", help="bundled policy id or a YAML path")
    _add_kinds(diff)
    diff.add_argument("--replay", metavar="ROWS",
                      help="JSON or JSONL subjects: count how many land in each region")
    diff.add_argument("--compare", metavar="PARTS",
                      help="what counts as a difference, comma-separated: outcome, actions, "
                      "clauses, deadline (default: all)")
    add_format(diff, "text", "json")
    diff.add_argument("--exit-code", action="store_true",
                      help="exit 1 when the policies differ (like `git diff --exit-code`)")

    analyze = add_command(
        commands, "analyze", _cmd_analyze,
        help="which outcomes can happen, rules that never change one, agreement",
        epilog="examples:\n  socialpolicy analyze mse_icb\n"
        "  socialpolicy analyze mse_icb --kind comment --can delete\n"
        "  socialpolicy analyze mse_icb --agree mhra --format json")
    analyze.add_argument("policy", help="bundled policy id or a YAML path")
    _add_kinds(analyze)
    analyze.add_argument("--can", metavar="OUTCOME", help="can this outcome ever happen?")
    analyze.add_argument("--agree", metavar="OTHER",
                         help="another policy: where do the two decide different outcomes?")
    add_format(analyze, "text", "json")
