"""Checks across the whole document: clause text against the source, clause/rule traceability,
and each rule's examples evaluated against its condition."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import conditions
from ..errors import Diagnostic
from ..signals import derive
from .check_base import CheckBase
from .model import Clause, PolicyDocument, Position, Rule, example_subject
from .sources import (
    MAX_SOURCE_BYTES,
    normalise,
    resolve_source,
    source_name_problem,
    verbatim_problem,
)


class CrossChecks(CheckBase):
    """Needs the whole parsed document, so runs after the per-block checks."""

    def verbatim(self, source_file: str | None, clauses: list[Clause],
                 top: Mapping[str, Any]) -> None:
        """Each clause's text must appear in the source document, which must be a bare file
        name inside `sources/` beside the policy: a policy file can never read another file."""
        if source_file is None:
            return
        base = self.sources_dir or Path(self.doc.file).parent / "sources"
        bad_name = source_name_problem(source_file)
        if bad_name:
            self.report(("source_file",), "bad-source-file",
                        f"`source_file` `{source_file}` is not allowed: {bad_name}",
                        f"put the document in `{base.name}/` beside the policy file and give "
                        "only its file name, e.g. `source_file: policy.txt`")
            return
        source = resolve_source(source_file, base)
        if source is None:
            self.report(("source_file",), "missing-source",
                        f"source document `{source_file}` not found next to the policy",
                        f"put it in `{base.name}/` beside the policy file or drop `source_file`")
            return
        try:
            raw = source.read_bytes() if source.stat().st_size <= MAX_SOURCE_BYTES else None
            text = None if raw is None else normalise(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            text = None
        if text is None:
            self.report(("source_file",), "bad-source-file",
                        f"source document `{source_file}` cannot be read as UTF-8 text of at "
                        f"most {MAX_SOURCE_BYTES:,} bytes",
                        "save the source document as plain UTF-8 text")
            return
        for i, clause in enumerate(clauses):
            problem = verbatim_problem(clause.text, text)
            if problem:
                self.report(("clauses", i, "text"), "not-verbatim",
                            f"clause `{clause.id}` text is not in `{source_file}`", problem)

    def traceability(self, clauses: list[Clause], rules: list[Rule],
                     top: Mapping[str, Any]) -> None:
        """Encoded clauses must be cited. Citations are read from the file as written, so a
        rule that failed its own checks still counts: its clauses are not uncited as well."""
        rule_entries = top.get("rules")
        entries = list(rule_entries) if isinstance(rule_entries, list) else []
        kinds = top.get("kinds")
        for block in kinds.values() if isinstance(kinds, Mapping) else ():
            if isinstance(block, Mapping):
                entries += [block.get("default"), block.get("scope")]
        cited: set[str] = set()
        for entry in entries:
            if isinstance(entry, Mapping) and isinstance(entry.get("cites"), list):
                cited.update(str(clause_id) for clause_id in entry["cites"])
        statuses = {clause.id: clause.status for clause in clauses}
        for i, clause in enumerate(clauses):
            if clause.status == "encoded" and clause.id not in cited:
                self.report(("clauses", i, "status"), "uncited-clause",
                            f"clause `{clause.id}` is encoded but no rule cites it",
                            "cite it from a rule, or mark it not_encodable with a reason")
        for rule in rules:
            for clause_id in rule.cites:
                if statuses.get(clause_id, "encoded") != "encoded":
                    self.problems.append(Diagnostic(
                        "cites-unencoded", f"rule `{rule.id}` cites `{clause_id}`, whose status "
                        f"is `{statuses[clause_id]}`", rule.position.file, rule.position.line,
                        rule.position.column,
                        "set the clause's status to encoded or cite another clause"))

    def examples(self, document: PolicyDocument) -> None:
        for i, rule in enumerate(document.rules):
            groups = {example.fires for example in rule.examples}
            for fires in (True, False):
                if fires not in groups:
                    key = "fires" if fires else "does_not_fire"
                    self.report(("rules", i, "examples"), "missing-examples",
                                f"rule `{rule.id}` has no `{key}` examples",
                                "every rule needs examples that fire and that do not")
            compiled = conditions.to_ir(rule.when)
            for example in rule.examples:
                where = Position(example.position.file, example.position.line,
                                 example.position.column)
                try:
                    subject = example_subject(rule.applies_to, example.fields,
                                              document.example_defaults.get(rule.applies_to))
                except ValidationError as exc:
                    for error in exc.errors():
                        loc = ".".join(str(part) for part in error["loc"])
                        self.problems.append(Diagnostic(
                            "bad-example", f"example field `{loc}`: {error['msg']}", where.file,
                            where.line, where.column, "fix the example's field"))
                    continue
                facts, _ = derive(subject, document)
                if conditions.evaluate(compiled, facts) != example.fires:
                    said = "fires" if example.fires else "does_not_fire"
                    self.problems.append(Diagnostic(
                        "example-mismatch",
                        f"rule `{rule.id}`: this `{said}` example "
                        f"{'does not fire' if example.fires else 'fires'}",
                        where.file, where.line, where.column,
                        "fix the example or the rule's `when`; `socialpolicy explain` shows "
                        "which conditions held"))
