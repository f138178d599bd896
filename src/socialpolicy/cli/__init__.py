"""The `socialpolicy` command line.

Exit codes: 0 decided, nothing adverse; 1 decided, and some decision was adverse (hide, delete,
advisory, breach, refer, reject); 2 could not run, or some input row was invalid; 3 lint or
coverage found problems.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import SocialPolicyError
from . import analysis, policies, subjects
from ._io import EXIT_ADVERSE, EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS

__all__ = ["EXIT_ADVERSE", "EXIT_CANNOT_RUN", "EXIT_OK", "EXIT_PROBLEMS", "build_parser", "main"]

#: One module per group of commands, each with `register(commands)`; add a new command group
#: by writing its module and listing it here.
COMMAND_GROUPS = (subjects, policies, analysis)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socialpolicy",
        description="Decide what UK public-sector social media policies say, citing clauses.")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (SocialPolicyError, ValueError, OSError) as exc:
        sys.stderr.write(f"socialpolicy: error: {exc}\n")
        return EXIT_CANNOT_RUN
