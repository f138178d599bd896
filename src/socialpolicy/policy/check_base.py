"""Reporting and shape helpers every part of the checker shares: a problem at a YAML path, and
typed reads (mapping, text, dates, outcomes, citations) that report instead of raising."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .._yaml import Document
from .._yaml import Path as YamlPath
from ..errors import Diagnostic
from ..vocab import SCALES, Outcome, SubjectKind, did_you_mean
from .model import Position

SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


class CheckBase:
    """Holds the document and the problems found so far; the other check modules extend it."""

    def __init__(self, doc: Document, sources_dir: Path | None) -> None:
        self.doc = doc
        self.sources_dir = sources_dir
        self.problems: list[Diagnostic] = []
        #: Ids of clauses whose entries failed: citing them is not a second mistake.
        self.broken_clauses: set[str] = set()
        #: Whether some clause entry could not be read far enough to know its id.
        self.clause_lost = False

    # ---- reporting and shape helpers ----------------------------------------------------------

    def report(self, path: YamlPath, code: str, message: str, hint: str | None = None,
               at_key: bool = False, severity: str = "error") -> None:
        """Record a problem, unless the value was already reported by the YAML layer (root
        cause first: one mistake, one diagnostic)."""
        if self.doc.already_reported(path):
            return
        self.problems.append(self.doc.diagnostic(path, code, message, hint, severity, at_key))

    def has_errors(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)

    def position(self, path: YamlPath) -> Position:
        line, column = self.doc.position(path)
        return Position(self.doc.file, line, column)

    def mapping(self, data: Any, path: YamlPath, what: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> Mapping[str, Any] | None:
        if not isinstance(data, Mapping):
            self.report(path, "bad-type", f"{what} must be a mapping",
                        f"write `key: value` lines for the {what}")
            return None
        known = required + optional
        for key in data:
            if key not in known:
                self.report((*path, key), "unknown-field", f"unknown field `{key}` in {what}",
                            did_you_mean(key, known) or "allowed: " + ", ".join(known),
                            at_key=True)
        for key in required:
            if key not in data:
                self.report(path, "missing-field", f"{what} is missing `{key}`",
                            f"add `{key}:`")
            elif data[key] is None:
                # `key:` with nothing after it (or `null`) is as missing as no key at all; the
                # checks below would otherwise read the null as "not given" and drop the rule
                # or clause without a word. Reported once, here.
                self.report((*path, key), "missing-field", f"`{key}` in {what} has no value",
                            f"give `{key}:` a value")
                self.doc.reported.add((*path, key))
        return data

    def text(self, data: Mapping[str, Any], key: str, path: YamlPath,
             required: bool = True, longest: int | None = None) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.report((*path, key), "bad-type", f"`{key}` must be non-empty text",
                        "quote the value")
            return None
        if longest is not None and len(value) > longest:
            self.report((*path, key), "out-of-range", f"`{key}` is {len(value):,} characters "
                        f"long, more than {longest}", "shorten it")
            return None
        return value

    def text_list(self, data: Mapping[str, Any], key: str, path: YamlPath,
                  longest: int = 300, most: int = 50) -> tuple[str, ...]:
        """A list of short texts; the bounds keep what detectors build from them small."""
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.report((*path, key), "bad-type", f"`{key}` must be a list of text",
                        f"write `{key}: [first, second]`")
            return ()
        if len(value) > most:
            self.report((*path, key), "out-of-range", f"`{key}` lists {len(value)} entries, "
                        f"more than {most}", "keep the ones the policy needs")
            return ()
        for i, item in enumerate(value):
            if len(item) > longest:
                self.report((*path, key, i), "out-of-range", f"an entry of `{key}` is "
                            f"{len(item):,} characters long, more than {longest}",
                            "write the name or wording itself, nothing more")
                return ()
        return tuple(value)

    def iso_date(self, data: Mapping[str, Any], key: str, path: YamlPath) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.report((*path, key), "bad-value", f"`{value}` is not a date",
                        'write an ISO date in quotes, e.g. "2026-01-05"')
            return None

    def outcome(self, value: Any, kind: SubjectKind, path: YamlPath) -> Outcome | None:
        scale = [str(o) for o in SCALES[kind]]
        if value not in scale:
            self.report(path, "bad-outcome", f"`{value}` is not a {kind} outcome",
                        did_you_mean(value, scale) or "use one of " + ", ".join(scale))
            return None
        return Outcome(value)

    def cites(self, data: Mapping[str, Any], path: YamlPath, clause_ids: set[str]
              ) -> tuple[str, ...]:
        value = data.get("cites")
        if not isinstance(value, list) or not value:
            self.report((*path, "cites"), "missing-citation",
                        "every rule, default, scope and topic must cite at least one clause",
                        'add `cites: ["<clause id>"]`')
            return ()
        result = []
        for i, item in enumerate(value):
            item = str(item)
            if item not in clause_ids and item not in self.broken_clauses:
                self.report((*path, "cites", i), "unknown-clause",
                            f"cites clause `{item}`, which is not in `clauses`",
                            did_you_mean(item, clause_ids) or "add the clause first")
            result.append(item)
        return tuple(result)
