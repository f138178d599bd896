"""The `socialpolicy` command line.

Exit codes (every command): 0 ran; 1 `--fail-on` matched (opt-in; `test`: a case failed);
2 could not run (bad arguments, a bad policy, an unreadable file); 3 ran and found problems
(lint, coverage, records that would now be decided differently); 4 some rows were not decided
(the others were); 70 internal error outside any row (a bug, with its traceback); 130
interrupted. An adverse decision is ordinary data, never by itself a failure, and a crash is
never reported as 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Sequence

from pydantic import ValidationError

from ..errors import AnalysisError, SocialPolicyError
from . import analysis, policies, records, subjects, testing
from ._io import (
    EXIT_ADVERSE,
    EXIT_CANNOT_RUN,
    EXIT_FAIL_ON,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_ROWS_NOT_DECIDED,
)

__all__ = ["EXIT_ADVERSE", "EXIT_CANNOT_RUN", "EXIT_FAIL_ON", "EXIT_INTERNAL",
           "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_ROWS_NOT_DECIDED",
           "build_parser", "main"]

#: One module per group of commands, each with `register(commands)`; add a new command group
#: by writing its module and listing it here.
COMMAND_GROUPS = (subjects, policies, records, analysis, testing)

#: What "could not run" (exit 2) means: the library's own errors (a bad policy, an unknown id,
#: an unusable argument or input file: `InputError`) except `AnalysisError`, which is a bug to
#: report; a subject that does not validate; and a file that cannot be opened. Not any
#: `ValueError`: a fault inside the library that happens to be one (a `UnicodeEncodeError`,
#: say) is an internal error, reported as such.
CANNOT_RUN: tuple[type[BaseException], ...] = (SocialPolicyError, ValidationError, OSError)

_EPILOG = """\
examples:
  socialpolicy policies                                  # the bundled policies
  socialpolicy decide --policy mse_icb comments.jsonl    # JSON Lines in, JSON Lines out
  socialpolicy lint policies/ my_policy.yaml --format json
  socialpolicy <command> --help                          # options and examples per command

exit codes: 0 ran (whatever the outcomes); 1 --fail-on matched; 2 could not run; 3 problems
found (lint, coverage, verify); 4 some rows not decided; 70 internal error; 130 interrupted.
"""


def _version() -> str:
    from .. import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socialpolicy",
        description="Decide what UK public-sector social media policies say, citing clauses.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"socialpolicy {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def _quiet_stdout() -> None:
    """The reader went away (`| head`): send what is left to nowhere, so the interpreter's
    last flush does not print "Broken pipe" either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (captured in tests)
        pass


def _escape_unencodable() -> None:
    """Write what the output's encoding cannot hold as `\\uXXXX` rather than fail the run: a
    JSON `"\\ud800"` escape reads as a lone surrogate, which an error row may echo back (in
    JSON output the escape reads back as the same string)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _escape_unencodable()
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("socialpolicy: interrupted\n")
        return EXIT_INTERRUPTED
    except CANNOT_RUN as exc:
        if isinstance(exc, AnalysisError):  # the analysis and the engines disagree: a bug
            return _internal_error()
        sys.stderr.write(f"socialpolicy: error: {exc}\n")
        return EXIT_CANNOT_RUN
    except Exception:  # a bug (any other ValueError too): say so, with the traceback, never 1
        return _internal_error()


def _internal_error() -> int:
    sys.stderr.write("socialpolicy: internal error (please report it):\n")
    traceback.print_exc()
    return EXIT_INTERNAL
