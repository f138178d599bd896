"""`lint`, `coverage` and `compare`: commands that read policies, not subjects."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..analysis.compare import compare_policies
from ..analysis.coverage import check_coverage
from ..analysis.coverage import render as render_coverage
from ..policy.loader import lint
from ._io import EXIT_OK, EXIT_PROBLEMS


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


def register(commands: Any) -> None:
    """Add the policy commands to the top-level parser's subcommands."""
    lint_cmd = commands.add_parser("lint", help="check policy files; every problem at once")
    lint_cmd.add_argument("paths", nargs="+", help="policy YAML files or bundled ids")
    lint_cmd.set_defaults(run=_cmd_lint)

    coverage = commands.add_parser(
        "coverage", help="clauses, rules, examples and cases per policy; fails on any gap")
    coverage.add_argument("policies", nargs="*", help="bundled ids or YAML paths (default: all "
                          "bundled)")
    coverage.add_argument("--cases", help="folder of `<policy id>.yaml` decision cases "
                          "(default: the bundled policies/cases)")
    coverage.add_argument("--format", choices=("text", "markdown"), default="text")
    coverage.set_defaults(run=_cmd_coverage)

    compare = commands.add_parser(
        "compare", help="what each policy says per topic, side by side, with clause ids")
    compare.add_argument("policies", nargs="*", help="bundled ids or YAML paths (default: all "
                         "bundled)")
    compare.add_argument("--format", choices=("text", "markdown"), default="text")
    compare.set_defaults(run=_cmd_compare)
