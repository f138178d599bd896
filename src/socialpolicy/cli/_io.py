"""Reading subjects and writing decisions: the plumbing every command shares."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from ..decision import Decision

EXIT_OK, EXIT_ADVERSE, EXIT_CANNOT_RUN, EXIT_PROBLEMS = 0, 1, 2, 3


def read_subjects(stream: TextIO) -> list[Any]:
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


def emit(decisions: Sequence[Decision], fmt: str, out: TextIO) -> None:
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


def exit_code(decisions: Sequence[Decision]) -> int:
    if any(d.error for d in decisions):
        return EXIT_CANNOT_RUN
    return EXIT_ADVERSE if any(d.adverse for d in decisions) else EXIT_OK
