"""The `socialpolicy` command line.

Exit codes: 0 decided, nothing adverse; 1 decided, and some decision was adverse (hide, delete,
advisory, breach, refer, reject); 2 could not run, or some input row was invalid; 3 lint or
coverage found problems.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any, TextIO

from .analysis.compare import compare_policies
from .analysis.coverage import check_coverage
from .analysis.coverage import render as render_coverage
from .decision import Decision
from .engine import load_policy
from .engines import ENGINE_NAMES
from .errors import SocialPolicyError
from .policy.loader import lint

EXIT_OK, EXIT_ADVERSE, EXIT_CANNOT_RUN, EXIT_PROBLEMS = 0, 1, 2, 3


def _read_subjects(stream: TextIO) -> list[Any]:
    """JSON (one object or an array) or JSONL, one subject per line."""
    text = stream.read()
    stripped = text.strip()
    if not stripped:
        return []
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"line {number}: not JSON ({exc.msg}, column {exc.colno}); "
                                     "give a JSON array or one JSON object per line") from exc
        return rows
    return data if isinstance(data, list) else [data]


def _emit(decisions: Sequence[Decision], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump([d.to_dict() for d in decisions], out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "jsonl":
        for decision in decisions:
            out.write(decision.to_json() + "\n")
    else:
        for decision in decisions:
            prefix = f"[{decision.row}] " if decision.row is not None else ""
            out.write(prefix + decision.summary() + "\n")
            if decision.error:
                out.write(f"  error: {decision.error}\n")
            out.write("\n")


def _exit_code(decisions: Sequence[Decision]) -> int:
    if any(d.error for d in decisions):
        return EXIT_CANNOT_RUN
    return EXIT_ADVERSE if any(d.adverse for d in decisions) else EXIT_OK


def _cmd_decide(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy, engine=args.engine)
    if args.file == "-":
        rows = _read_subjects(sys.stdin)
    else:
        with open(args.file, encoding="utf-8") as handle:
            rows = _read_subjects(handle)
    decisions = policy.decide_many(rows)
    _emit(decisions, args.format, sys.stdout)
    return _exit_code(decisions)


def _cmd_explain(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy, engine=args.engine)
    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    with source:
        rows = _read_subjects(source)
    adverse = False
    for row, subject in enumerate(rows):
        explanation = policy.explain(subject)
        adverse |= explanation.decision.adverse
        sys.stdout.write(f"== row {row}\n{explanation}\n\n")
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


def _cmd_lint(args: argparse.Namespace) -> int:
    problems = lint(args.paths)
    for problem in problems:
        sys.stdout.write(str(problem) + "\n")
    count = len(problems)
    sys.stderr.write(f"{count} problem{'s' if count != 1 else ''} in {len(args.paths)} "
                     f"file{'s' if len(args.paths) != 1 else ''}\n")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _cmd_coverage(args: argparse.Namespace) -> int:
    reports = check_coverage(args.policies or None, args.cases)
    sys.stdout.write(render_coverage(reports, args.format))
    count = sum(len(report.problems) for report in reports)
    sys.stderr.write(f"{count} problem{'s' if count != 1 else ''} in {len(reports)} "
                     f"polic{'ies' if len(reports) != 1 else 'y'}\n")
    return EXIT_PROBLEMS if count else EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    comparison = compare_policies(args.policies or None)
    sys.stdout.write(comparison.to_markdown() if args.format == "markdown"
                     else comparison.to_text())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socialpolicy",
        description="Decide what UK public-sector social media policies say, citing clauses.")
    commands = parser.add_subparsers(dest="command", required=True)

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
    explain.set_defaults(run=_cmd_explain)

    demo = commands.add_parser("demo", help="decide a bundled set of examples and print them")
    demo.add_argument("--engine", choices=ENGINE_NAMES, default="durable")
    demo.set_defaults(run=_cmd_demo)

    lint_cmd = commands.add_parser("lint", help="check policy files; every problem at once")
    lint_cmd.add_argument("paths", nargs="+", help="policy YAML files or bundled ids")
    lint_cmd.set_defaults(run=_cmd_lint)

    coverage = commands.add_parser(
        "coverage", help="clauses, rules, examples and cases per policy; fails on any gap")
    coverage.add_argument("policies", nargs="*", help="bundled ids or YAML paths (default: all "
                          "bundled)")
    coverage.add_argument("--cases", help="folder of `<policy id>.yaml` decision cases "
                          "(default: tests/cases, if present)")
    coverage.add_argument("--format", choices=("text", "markdown"), default="text")
    coverage.set_defaults(run=_cmd_coverage)

    compare = commands.add_parser(
        "compare", help="what each policy says per topic, side by side, with clause ids")
    compare.add_argument("policies", nargs="*", help="bundled ids or YAML paths (default: all "
                         "bundled)")
    compare.add_argument("--format", choices=("text", "markdown"), default="text")
    compare.set_defaults(run=_cmd_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (SocialPolicyError, ValueError, OSError) as exc:
        sys.stderr.write(f"socialpolicy: error: {exc}\n")
        return EXIT_CANNOT_RUN
