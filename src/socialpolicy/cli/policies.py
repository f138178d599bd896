"""`policies`, `lint`, `coverage` and `compare`: commands that read policies, not subjects."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..analysis.compare import compare_policies
from ..analysis.coverage import Coverage, check_coverage
from ..analysis.coverage import render as render_coverage
from ..errors import Diagnostic
from ..policy.loader import available_policies, compile_file, lint
from ..policy.model import PolicyDocument
from ._io import EXIT_OK, EXIT_PROBLEMS

_FORMATTER = argparse.RawDescriptionHelpFormatter


def expand(paths: list[str]) -> list[str]:
    """Bundled ids and files as given; a directory stands for the policy files directly in it
    (`*.yaml`, `*.yml`; its `cases/` and `sources/` folders are not policies)."""
    expanded: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise ValueError(f"no policy files (`*.yaml`) directly in directory `{name}`")
            expanded += [str(p) for p in found]
        else:
            expanded.append(name)
    return expanded


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _diagnostic(problem: Diagnostic) -> dict[str, Any]:
    return dataclasses.asdict(problem)


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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
    chosen = expand(args.policies) if args.policies else available_policies()
    rows = [describe(compile_file(name).document) for name in chosen]
    if args.format == "json":
        _dump(rows)
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
    paths = expand(args.paths)
    problems = lint(paths)
    if args.format == "json":
        _dump({"files": paths, "problems": [_diagnostic(p) for p in problems]})
    else:
        for problem in problems:
            sys.stdout.write(str(problem) + "\n")
    sys.stderr.write(f"{_plural(len(problems), 'problem')} in {_plural(len(paths), 'file')}\n")
    # Warnings (an analysis skipped for size) are shown but do not fail the lint.
    return EXIT_PROBLEMS if any(p.severity == "error" for p in problems) else EXIT_OK


def _coverage_dict(report: Coverage) -> dict[str, Any]:
    return {"policy": report.policy, "file": report.file, "ok": report.ok,
            "clauses": dict(report.clauses), "rules": dict(report.rules),
            "examples": dict(report.examples), "cases": report.cases,
            "encoded_in_cases": report.encoded_in_cases,
            "problems": [_diagnostic(p) for p in report.problems]}


def _cmd_coverage(args: argparse.Namespace) -> int:
    reports = check_coverage(expand(args.policies) if args.policies else None, args.cases)
    if args.format == "json":
        _dump([_coverage_dict(report) for report in reports])
    else:
        sys.stdout.write(render_coverage(reports, args.format))
    count = sum(len(report.problems) for report in reports)
    sys.stderr.write(f"{_plural(count, 'problem')} in "
                     f"{_plural(len(reports), 'policy', 'policies')}\n")
    return EXIT_PROBLEMS if count else EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    comparison = compare_policies(expand(args.policies) if args.policies else None)
    sys.stdout.write(comparison.to_markdown() if args.format == "markdown"
                     else comparison.to_text())
    return EXIT_OK


def register(commands: Any) -> None:
    """Add the policy commands to the top-level parser's subcommands."""
    listing = commands.add_parser(
        "policies", help="list policies: id, organisation, version, review date, kinds governed",
        epilog="examples:\n  socialpolicy policies\n  socialpolicy policies --format json\n"
        "  socialpolicy policies my_policies/", formatter_class=_FORMATTER)
    listing.add_argument("policies", nargs="*", help="bundled ids, YAML paths or directories "
                         "(default: every bundled policy)")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(run=_cmd_policies)

    lint_cmd = commands.add_parser(
        "lint", help="check policy files; every problem at once",
        epilog="examples:\n  socialpolicy lint my_policy.yaml\n  socialpolicy lint policies/ "
        "--format json\n\nexit codes: 0 no problems; 3 problems found; 2 could not run",
        formatter_class=_FORMATTER)
    lint_cmd.add_argument("paths", nargs="+", help="policy YAML files, directories of them, or "
                          "bundled ids")
    lint_cmd.add_argument("--format", choices=("text", "json"), default="text")
    lint_cmd.set_defaults(run=_cmd_lint)

    coverage = commands.add_parser(
        "coverage", help="clauses, rules, examples and cases per policy; fails on any gap",
        epilog="examples:\n  socialpolicy coverage\n  socialpolicy coverage my_policies/ "
        "--cases my_policies/cases --format json\n\nexit codes: 0 no gaps; 3 gaps found",
        formatter_class=_FORMATTER)
    coverage.add_argument("policies", nargs="*", help="bundled ids, YAML paths or directories "
                          "(default: all bundled)")
    coverage.add_argument("--cases", help="folder of `<policy id>.yaml` decision cases "
                          "(default: the bundled policies/cases)")
    coverage.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    coverage.set_defaults(run=_cmd_coverage)

    compare = commands.add_parser(
        "compare", help="what each policy says per topic, side by side, with clause ids",
        epilog="examples:\n  socialpolicy compare\n  socialpolicy compare mse_icb mhra "
        "--format markdown", formatter_class=_FORMATTER)
    compare.add_argument("policies", nargs="*", help="bundled ids, YAML paths or directories "
                         "(default: all bundled)")
    compare.add_argument("--format", choices=("text", "markdown"), default="text")
    compare.set_defaults(run=_cmd_compare)
