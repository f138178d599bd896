"""`socialpolicy test`: run policies' rule examples, invariants and decision cases.

Exit 0 when everything passed, 1 when some check failed, 2 when a policy or case file could not
be run at all (its problems are printed with positions)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..analysis.cases import CaseReport, run_cases
from ..errors import SocialPolicyError
from ..policy.loader import available_policies
from ._io import EXIT_ADVERSE, EXIT_CANNOT_RUN, EXIT_OK, add_command, add_format, expand_policies

EXIT_FAILED = EXIT_ADVERSE  # 1: some check failed


def _cmd_test(args: argparse.Namespace) -> int:
    report = CaseReport((), (), ())
    broken = 0
    for target in expand_policies(args.policies or available_policies()):
        try:
            report += run_cases(target, args.cases, engines=args.engine or ("durable",
                                                                            "reference"))
        except (SocialPolicyError, OSError) as exc:
            broken += 1
            sys.stderr.write(f"socialpolicy test: cannot run `{target}`: {exc}\n")
    if args.junit_xml:
        Path(args.junit_xml).write_text(report.to_junit_xml(), encoding="utf-8")
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
        sys.stderr.write(report.summary() + "\n")
    else:
        sys.stdout.write(report.to_text(verbose=args.verbose))
    if broken:
        return EXIT_CANNOT_RUN
    return EXIT_OK if report.ok else EXIT_FAILED


def register(commands: Any) -> None:
    """Add `test` to the top-level parser's subcommands."""
    test = add_command(
        commands, "test", _cmd_test,
        help="run policies' rule examples, invariants and decision cases on both engines",
        description="Run each policy's rule examples, its invariants (on every example and case "
        "subject) and its decision cases (`cases/<id>.yaml` beside the policy, or --cases), on "
        "both engines. Exit 0 all passed, 1 some check failed, 2 could not run.",
        epilog="examples:\n  socialpolicy test                      # every bundled policy\n"
        "  socialpolicy test my_org.yaml          # cases from cases/my_org.yaml beside it\n"
        "  socialpolicy test my_org.yaml --cases tests/my_org_cases.yaml --junit-xml out.xml")
    test.add_argument("policies", nargs="*", metavar="ID|PATH",
                      help="bundled ids, policy files or folders of them (default: all bundled)")
    test.add_argument("--cases", help="a decision-case file, or a folder holding `<id>.yaml`")
    test.add_argument("--engine", action="append", choices=("durable", "reference"),
                      help="run on this engine only (repeatable; default: both)")
    add_format(test, "text", "json",
               help="text: failures and the summary line; json: every result")
    test.add_argument("--junit-xml", metavar="PATH", help="also write JUnit XML for CI")
    test.add_argument("-v", "--verbose", action="store_true", help="list passing checks too")
