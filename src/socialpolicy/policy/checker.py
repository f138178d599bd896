"""The check stage: plain YAML data in, a `PolicyDocument` or every problem with its position out.

Codes are stable (documented in docs/reference/error-codes.md); messages are lowercase with
user values in backticks, and the fix goes in the hint.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from .._yaml import Document
from .._yaml import Path as YamlPath
from ..errors import Diagnostic
from ..vocab import did_you_mean
from .check_base import SNAKE
from .check_cross import CrossChecks
from .check_fidelity import FidelityChecks
from .check_kinds import KindChecks
from .check_meta import MetaChecks
from .check_reach import ReachChecks
from .check_rules import RuleChecks
from .model import CLAUSE_STATUSES, Clause, ClauseStatus, PolicyDocument

_TOP_REQUIRED = ("id", "organisation", "title", "version", "source", "kinds", "clauses", "rules")
_TOP_OPTIONAL = ("effective", "review", "source_file", "seed_file", "names", "disclaimers",
                 "working_hours", "notes", "example_defaults", "topics", "invariants",
                 "public_contacts", "prescribed_wordings", "employer_names", "unread_labels")
_CLAUSE_ID = re.compile(
    r"^(?:[0-9]+(?:\.[0-9]+)*|(?:appendix|annex)-[a-z0-9]+)(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")


class _Checker(RuleChecks, KindChecks, MetaChecks, CrossChecks, ReachChecks, FidelityChecks):
    """The whole document: top-level keys and clauses here; each block in its own module."""

    def run(self) -> PolicyDocument | None:
        top = self.mapping(self.doc.data, (), "the policy", _TOP_REQUIRED, _TOP_OPTIONAL)
        if top is None:
            return None
        policy_id = self.text(top, "id", ())
        if policy_id and not SNAKE.match(policy_id):
            self.report(("id",), "bad-id", f"policy id `{policy_id}` is not snake_case",
                        "use lowercase letters, digits and underscores, e.g. `mse_icb`")
        version = top.get("version")
        if version is not None and not isinstance(version, str):
            self.report(("version",), "bad-type", f"version `{version}` must be text",
                        f'quote it: version: "{version}"')
        clauses = self.clauses(top.get("clauses"))
        clause_ids = {c.id for c in clauses}
        rules = self.rules(top.get("rules"), clause_ids)
        kinds = self.kinds(top.get("kinds"), clause_ids, rules)
        hours = self.working_hours(top.get("working_hours"))
        defaults = self.example_defaults(top.get("example_defaults"))
        names = self.text_list(top, "names", (), longest=100)
        disclaimers = self.text_list(top, "disclaimers", ())
        contacts = self.public_contacts(top.get("public_contacts"))
        self.text(top, "organisation", (), longest=200)
        self.text(top, "title", (), longest=300)
        source_file = self.text(top, "source_file", ())
        seed_file = self.text(top, "seed_file", ())
        topics = self.topics(top.get("topics"), clause_ids)
        invariants = self.invariants(top.get("invariants", []), clause_ids)
        wordings = self.prescribed_wordings(top.get("prescribed_wordings"), clause_ids)
        self.wording_facts(rules, wordings)
        employers = self.employer_names(top.get("employer_names"))
        unread = self.unread_labels(top.get("unread_labels"))
        self.cut_offs(clauses, kinds)
        self.verbatim(source_file, clauses, top)
        self.traceability(clauses, rules, top)
        for rule in rules:
            if (rule.respond_within_working_days is not None and hours is None
                    and "working_hours" not in top):  # a broken block is reported already
                self.report(("working_hours",), "needs-working-hours",
                            f"rule `{rule.id}` sets respond_within but the policy has no "
                            "working_hours", "add a `working_hours:` block")
        if self.has_errors():
            return None
        document = PolicyDocument(
            id=cast(str, policy_id), organisation=cast(str, top["organisation"]),
            title=cast(str, top["title"]), version=cast(str, version),
            effective=self.iso_date(top, "effective", ()), review=self.iso_date(top, "review", ()),
            source=cast(str, top["source"]), source_file=source_file, seed_file=seed_file,
            names=names,
            disclaimers=disclaimers, working_hours=hours, notes=top.get("notes"), kinds=kinds,
            clauses=tuple(clauses), rules=tuple(rules), example_defaults=defaults,
            file=self.doc.file, digest="", clause_index={c.id: c for c in clauses},
            topics=topics, invariants=invariants, public_contacts=contacts,
            prescribed_wordings=wordings, employer_names=employers, unread_labels=unread,
        )
        self.reachability(document)
        self.examples(document)
        return None if self.has_errors() else document

    def clauses(self, data: Any) -> list[Clause]:
        if not isinstance(data, list):
            self.report(("clauses",), "bad-type", "`clauses` must be a list",
                        "write one `- id: ...` entry per clause")
            return []
        result: list[Clause] = []
        seen: set[str] = set()
        for i, item in enumerate(data):
            path: YamlPath = ("clauses", i)
            entry = self.mapping(item, path, "a clause", ("id", "title", "text", "status"),
                                 ("reason", "note", "role", "cut_off"))
            if entry is None:
                self.clause_lost = True
                continue
            clause_id = entry.get("id")
            if not isinstance(clause_id, str):
                if clause_id is not None:  # a missing id is reported as a missing field
                    self.report((*path, "id"), "bad-id", f"clause id `{clause_id}` must be text",
                                f'quote it: id: "{clause_id}"')
                self.clause_lost = True
                continue
            if not _CLAUSE_ID.match(clause_id):
                self.report((*path, "id"), "bad-id", f"clause id `{clause_id}` does not follow "
                            "the clause-id convention",
                            "use the printed number (`7.1.6`), `<number>/<slug>` for a bullet, "
                            "or `appendix-b/<slug>`")
            if clause_id in seen:
                self.report((*path, "id"), "duplicate-id", f"clause `{clause_id}` appears twice",
                            "give each clause a distinct id")
            seen.add(clause_id)
            status = entry.get("status")
            if status not in CLAUSE_STATUSES:
                self.report((*path, "status"), "bad-value", f"unknown clause status `{status}`",
                            did_you_mean(status, CLAUSE_STATUSES)
                            or "use encoded, not_encodable or out_of_scope")
                self.broken_clauses.add(clause_id)
                continue
            reason = self.text(entry, "reason", path)
            if status != "encoded" and not reason:
                self.report((*path, "status"), "missing-reason",
                            f"clause `{clause_id}` is `{status}` but gives no reason",
                            "add `reason:` saying why it cannot be or is not encoded")
            title, text = self.text(entry, "title", path), self.text(entry, "text", path)
            if title is None or text is None:
                self.broken_clauses.add(clause_id)
                continue
            result.append(Clause(clause_id, title, text, cast(ClauseStatus, status), reason,
                                 self.text(entry, "note", path), self.position(path),
                                 self.clause_role(entry, path), self.text(entry, "cut_off", path)))
        return result


#: Problems that only say "something is missing", by the top-level block whose loss (to a
#: syntax error) would explain them.
_KNOCK_ONS = {"unknown-clause": ("clauses",)}
#: After a syntax error blanked part of the file, problems of absence or shape anywhere may be
#: knock-ons of it (a block half blanked reads as null): they wait until the syntax is fixed.
_AFTER_SYNTAX = frozenset({"missing-field", "bad-type", "missing-default",
                           "needs-working-hours", "uncited-clause", "missing-examples",
                           "missing-citation"})


def check(doc: Document, sources_dir: Path | None = None
          ) -> tuple[PolicyDocument | None, list[Diagnostic]]:
    """Check a parsed policy file; the document is returned only if there are no errors.

    Root cause first: a problem that only follows from one already reported is left out (a
    rule citing a clause whose entry failed, a clause left uncited because the rule citing it
    failed, a key or clause "missing" from a part of the file a syntax error blanked)."""
    checker = _Checker(doc, sources_dir)
    document = checker.run()
    data = doc.data if isinstance(doc.data, Mapping) else {}
    lost = set(doc.blanked) | ({"clauses"} if checker.clause_lost or not isinstance(
        data.get("clauses"), list) else set())

    def knock_on(problem: Diagnostic) -> bool:
        if doc.blanked and problem.code in _AFTER_SYNTAX:
            return True
        return bool(lost.intersection(_KNOCK_ONS.get(problem.code, ())))

    return document, [problem for problem in checker.problems if not knock_on(problem)]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

