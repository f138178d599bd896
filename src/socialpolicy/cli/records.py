"""`verify` and `schema`: what other systems keep and read, checked and described."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..engine import Policy, load_policy
from ..engines import ENGINE_NAMES
from ..records import PolicyCache, Verification, verify_record
from ..schemas import SCHEMA_NAMES, json_schema
from ._io import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_ROWS_NOT_DECIDED,
    JsonLinesWriter,
    SubjectReader,
    add_command,
    add_format,
    describe,
    write_json,
)
from .subjects import open_input


def _cmd_verify(args: argparse.Namespace) -> int:
    policy: Policy | None = (load_policy(args.policy, engine=args.engine or "durable")
                             if args.policy else None)  # a bad policy: could not run
    policies = PolicyCache(policy, args.engine)
    counts = {"same": 0, "changed": 0, "unverifiable": 0}
    writer = JsonLinesWriter(sys.stdout) if args.format == "jsonl" else None
    with open_input(args.file) as stream:
        for row in SubjectReader(stream):
            result = (verify_record(row.index, row.value, policies) if not row.errors else
                      Verification(row.index, None, None, "unverifiable",
                                   reasons=[describe(error) for error in row.errors]))
            counts[result.status] += 1
            if writer is not None:
                writer.write(result.to_dict())
            elif result.status != "same" or args.all:
                sys.stdout.write(str(result) + "\n")
                sys.stdout.flush()
    sys.stderr.write(f"{counts['same']} same, {counts['changed']} changed, "
                     f"{counts['unverifiable']} unverifiable\n")
    if counts["changed"]:
        return EXIT_PROBLEMS
    return EXIT_ROWS_NOT_DECIDED if counts["unverifiable"] else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    write_json(json_schema(args.name) if args.name else
               {name: json_schema(name) for name in SCHEMA_NAMES})
    return EXIT_OK


_VERIFY_EXAMPLES = """\
Re-decides each record (written by `decide --records` or Decision.record()) and reports any
that would now be decided differently (outcome, actions, cited clauses or deadline), and why:
the policy's text changed (its digest), the library changed, the engine or detectors differ,
or none of these (the same inputs gave a different result). Records that kept only the
subject's digest, or whose subject no longer matches its digest, are unverifiable.

examples:
  socialpolicy verify audit.jsonl
  socialpolicy verify audit.jsonl --policy policies/mse_icb.yaml --format jsonl

exit codes: 0 every record decided the same; 3 some would now be decided differently;
4 some records could not be verified; 2 could not run.
"""


def register(commands: Any) -> None:
    """Add `verify` and `schema` to the top-level parser's subcommands."""
    verify = add_command(
        commands, "verify", _cmd_verify,
        help="re-decide decision records and report any that would now differ",
        epilog=_VERIFY_EXAMPLES)
    verify.add_argument("file", help="records, JSON Lines; `-` for stdin")
    verify.add_argument("--policy", help="decide under this policy id or YAML path (default: "
                        "the bundled policy each record names)")
    verify.add_argument("--engine", choices=ENGINE_NAMES, default=None,
                        help="default: the engine each record names")
    add_format(verify, "text", "jsonl")
    verify.add_argument("--all", action="store_true",
                        help="text format: print records that verify as the same too")

    schema = add_command(
        commands, "schema", _cmd_schema, help="JSON Schema for subjects, decisions and records",
        epilog="examples:\n  socialpolicy schema comment > comment.schema.json\n"
        "  socialpolicy schema decision\n  socialpolicy schema        # all of them, by name")
    schema.add_argument("name", nargs="?", choices=SCHEMA_NAMES,
                        help="which schema (default: all, in one object keyed by name)")
