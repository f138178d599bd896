"""`policies`, `lint`, `coverage` and `compare`: commands that read policies, not subjects."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import date
from typing import Any

from ..analysis.compare import compare_policies
from ..analysis.coverage import Coverage, check_coverage
from ..analysis.coverage import render as render_coverage
from ..errors import Diagnostic
from ..policy.loader import available_policies, compile_file, lint
from ..policy.model import PolicyDocument
from ._io import (
    EXIT_OK,
    add_command,
    add_format,
    expand_policies,
    plural,
    problems_found,
    write_json,
    write_result,
)


def _diagnostic(problem: Diagnostic) -> dict[str, Any]:
    return dataclasses.asdict(problem)


def _add_policies(command: argparse.ArgumentParser) -> None:
    command.add_argument("policies", nargs="*", help="bundled ids, YAML paths or directories "
                         "(default: every bundled policy)")


def _chosen(args: argparse.Namespace) -> list[str] | None:
    """The policies the command names, or None for every bundled one."""
    return expand_policies(args.policies) if args.policies else None


# ---- policies --------------------------------------------------------------------------------

def describe(document: PolicyDocument, today: date | None = None) -> dict[str, Any]:
    """What `socialpolicy policies` says about one policy."""
    governed = [kind for kind, policy in document.kinds.items() if policy.not_covered is None]
    review = document.review
    return {
        "id": document.id, "organisation": document.organisation, "title": document.title,
        "version": document.version,
        "effective": document.effective.isoformat() if document.effective else None,
        "review": review.isoformat() if review else None,
        "review_passed": bool(review and (today or date.today()) > review),
        "governs": governed, "clauses": len(document.clauses), "rules": len(document.rules),
        "digest": document.digest, "file": document.file,
    }


def _cmd_policies(args: argparse.Namespace) -> int:
    rows = [describe(compile_file(name).document)
            for name in _chosen(args) or available_policies()]
    if args.format == "json":
        write_json(rows)
        return EXIT_OK
    table = [["id", "organisation", "version", "review", "governs"]] + [
        [row["id"], row["organisation"], row["version"],
         (row["review"] or "-") + (" (passed)" if row["review_passed"] else ""),
         ", ".join(row["governs"]) or "-"] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for line in table:
        sys.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
                         .rstrip() + "\n")
    return EXIT_OK


# ---- lint, coverage, compare -----------------------------------------------------------------

def _cmd_lint(args: argparse.Namespace) -> int:
    paths = expand_policies(args.paths)
    problems = lint(paths)
    write_result(args.format,
                 lambda: {"files": paths, "problems": [_diagnostic(p) for p in problems]},
                 lambda: "".join(f"{problem}\n" for problem in problems))
    # Warnings (an analysis skipped for size) are shown but do not fail the lint.
    return problems_found(len(problems), plural(len(paths), "file"),
                          failing=any(p.severity == "error" for p in problems))


def _coverage_dict(report: Coverage) -> dict[str, Any]:
    return {"policy": report.policy, "file": report.file, "ok": report.ok,
            "clauses": dict(report.clauses), "rules": dict(report.rules),
            "examples": dict(report.examples), "cases": report.cases,
            "encoded_in_cases": report.encoded_in_cases,
            "problems": [_diagnostic(p) for p in report.problems]}


def _cmd_coverage(args: argparse.Namespace) -> int:
    reports = check_coverage(_chosen(args), args.cases)
    write_result(args.format, lambda: [_coverage_dict(report) for report in reports],
                 lambda: render_coverage(reports, args.format))
    return problems_found(sum(len(report.problems) for report in reports),
                          plural(len(reports), "policy", "policies"))


def _cmd_compare(args: argparse.Namespace) -> int:
    comparison = compare_policies(_chosen(args))
    sys.stdout.write(comparison.to_markdown() if args.format == "markdown"
                     else comparison.to_text())
    return EXIT_OK


def register(commands: Any) -> None:
    """Add the policy commands to the top-level parser's subcommands."""
    listing = add_command(
        commands, "policies", _cmd_policies,
        help="list policies: id, organisation, version, review date, kinds governed",
        epilog="examples:\n  socialpolicy policies\n  socialpolicy policies --format json\n"
        "  socialpolicy policies my_policies/")
    _add_policies(listing)
    add_format(listing, "text", "json")

    lint_cmd = add_command(
        commands, "lint", _cmd_lint, help="check policy files; every problem at once",
        epilog="examples:\n  socialpolicy lint my_policy.yaml\n  socialpolicy lint policies/ "
        "--format json\n\nexit codes: 0 no problems; 3 problems found; 2 could not run")
    lint_cmd.add_argument("paths", nargs="+", help="policy YAML files, directories of them, or "
                          "bundled ids")
    add_format(lint_cmd, "text", "json")

    coverage = add_command(
        commands, "coverage", _cmd_coverage,
        help="clauses, rules, examples and cases per policy; fails on any gap",
        epilog="examples:\n  socialpolicy coverage\n  socialpolicy coverage my_policies/ "
        "--cases my_policies/cases --format json\n\nexit codes: 0 no gaps; 3 gaps found")
    _add_policies(coverage)
    coverage.add_argument("--cases", help="folder of `<policy id>.yaml` decision cases "
                          "(default: the bundled policies/cases)")
    add_format(coverage, "text", "markdown", "json")

    compare = add_command(
        commands, "compare", _cmd_compare,
        help="what each policy says per topic, side by side, with clause ids",
        epilog="examples:\n  socialpolicy compare\n  socialpolicy compare mse_icb mhra "
        "--format markdown")
    _add_policies(compare)
    add_format(compare, "text", "markdown")
