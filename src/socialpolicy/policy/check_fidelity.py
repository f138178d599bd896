"""Checks for what makes a reading faithful to the text: prescribed wordings, employer names,
labels no rule reads (with why), clause roles and cut-off notes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, cast, get_args

from .. import conditions
from .._yaml import Path as YamlPath
from ..vocab import (
    LABELS,
    SUBJECT_KINDS,
    WORDING_FACT_PREFIX,
    Employment,
    SubjectKind,
    did_you_mean,
)
from .check_base import CheckBase
from .model import CLAUSE_ROLES, Clause, ClauseRole, KindPolicy, PrescribedWording, Rule

#: The key under which one reason stands for every unread label of a kind.
ALL_UNREAD = "*"
_WORDING_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_EMPLOYMENTS: tuple[str, ...] = get_args(Employment)


def _facts(condition: conditions.Condition) -> Iterator[str]:
    if isinstance(condition, conditions.HasFact):
        yield condition.fact
    elif isinstance(condition, conditions.AllOf | conditions.AnyOf):
        for part in condition.parts:
            yield from _facts(part)
    elif isinstance(condition, conditions.Not):
        yield from _facts(condition.part)


class FidelityChecks(CheckBase):
    """Prescribed wordings, employer names, unread labels, clause roles and cut-off notes."""

    def clause_role(self, entry: Mapping[str, Any], path: YamlPath) -> ClauseRole:
        """A clause's role: substantive (the default) or procedural."""
        value = entry.get("role", "substantive")
        if value not in CLAUSE_ROLES:
            self.report((*path, "role"), "bad-value", f"unknown clause role `{value}`",
                        did_you_mean(value, CLAUSE_ROLES) or "use substantive or procedural")
            return "substantive"
        return cast(ClauseRole, value)

    def prescribed_wordings(self, data: Any, clause_ids: set[str]
                            ) -> dict[str, PrescribedWording]:
        """`prescribed_wordings: {id: {clause: "3.3", text: "..."}}`."""
        if data is None:
            return {}
        entry = data if isinstance(data, Mapping) else None
        if entry is None:
            self.report(("prescribed_wordings",), "bad-type",
                        "`prescribed_wordings` must be a mapping",
                        "write `<id>: {clause: ..., text: ...}` lines")
        result: dict[str, PrescribedWording] = {}
        for key, value in (entry or {}).items():
            path: YamlPath = ("prescribed_wordings", key)
            if not isinstance(key, str) or not _WORDING_ID.match(key):
                self.report(path, "bad-id", f"wording id `{key}` is not snake_case",
                            "use lowercase letters, digits and underscores, e.g. `blog`",
                            at_key=True)
                continue
            block = self.mapping(value, path, f"wording `{key}`", ("clause", "text"))
            if block is None:
                continue
            clause, text = block.get("clause"), block.get("text")
            if not isinstance(clause, str) or clause not in clause_ids:
                self.report((*path, "clause"), "unknown-clause",
                            f"wording `{key}` names clause `{clause}`, which is not in `clauses`",
                            did_you_mean(clause, clause_ids) or "name the prescribing clause")
                continue
            if not isinstance(text, str) or not re.search(r"[A-Za-z0-9]", text):
                self.report((*path, "text"), "bad-type", f"wording `{key}` needs its words",
                            "quote the exact words the clause prescribes")
                continue
            result[key] = PrescribedWording(key, clause, text)
        return result

    def employer_names(self, data: Any) -> dict[str, tuple[str, ...]]:
        """`employer_names: {council_employee: [Manchester City Council, MCC]}`."""
        if data is None:
            return {}
        entry = self.mapping(data, ("employer_names",), "`employer_names`", (), _EMPLOYMENTS)
        result: dict[str, tuple[str, ...]] = {}
        for key, value in (entry or {}).items():
            if key not in _EMPLOYMENTS:
                continue  # reported by `mapping`
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                self.report(("employer_names", key), "bad-type",
                            f"employer names for `{key}` must be a list of text",
                            f"write `{key}: [Full Name, ABBREVIATION]`")
                continue
            result[key] = tuple(value)
        return result

    def unread_labels(self, data: Any) -> dict[SubjectKind, dict[str, str]]:
        """`unread_labels: {staff_post: {label: reason}}`: labels no rule reads, and why; or
        `{comment: reason}`, one reason for every label of the kind no rule reads."""
        if data is None:
            return {}
        entry = self.mapping(data, ("unread_labels",), "`unread_labels`", (), SUBJECT_KINDS)
        result: dict[SubjectKind, dict[str, str]] = {}
        for kind in SUBJECT_KINDS:
            if entry is None or kind not in entry:
                continue
            path: YamlPath = ("unread_labels", kind)
            if isinstance(entry[kind], str) and entry[kind].strip():
                result[kind] = {ALL_UNREAD: entry[kind]}  # one reason for every unread label
                continue
            block = self.mapping(entry[kind], path, f"`unread_labels.{kind}`", (),
                                 tuple(sorted(LABELS[kind])))
            reasons: dict[str, str] = {}
            for label, reason in (block or {}).items():
                if label not in LABELS[kind]:
                    continue  # reported by `mapping`
                if not isinstance(reason, str) or not reason.strip():
                    self.report((*path, label), "missing-reason",
                                f"unread label `{label}` gives no reason",
                                'say why no rule reads it, e.g. "the document has no clause on '
                                'this"')
                    continue
                reasons[label] = reason
            result[kind] = reasons
        return result

    def wording_facts(self, rules: list[Rule], wordings: Mapping[str, PrescribedWording]
                      ) -> None:
        """Every `wording_<id>` fact a rule tests names a declared prescribed wording."""
        declared = {f"{WORDING_FACT_PREFIX}{key}" for key in wordings}
        for index, rule in enumerate(rules):
            for fact in _facts(rule.when):
                if fact.startswith(WORDING_FACT_PREFIX) and fact not in declared:
                    self.report(("rules", index, "when"), "unknown-fact",
                                f"rule `{rule.id}` tests `{fact}`, but the policy declares no "
                                f"wording `{fact.removeprefix(WORDING_FACT_PREFIX)}`",
                                did_you_mean(fact, declared)
                                or "declare it under `prescribed_wordings:`")

    def cut_offs(self, clauses: list[Clause], kinds: Mapping[SubjectKind, KindPolicy]) -> None:
        """A default's `cut_off` list names only clauses that carry a `cut_off` note."""
        noted = {c.id for c in clauses if c.cut_off}
        for kind, policy in kinds.items():
            for i, clause_id in enumerate(policy.default.cut_off if policy.default else ()):
                if clause_id not in noted:
                    self.report(("kinds", kind, "default", "cut_off", i), "bad-value",
                                f"default names clause `{clause_id}` as cut off, but the clause "
                                "has no `cut_off` note", 'add `cut_off: "..."` to the clause '
                                "saying what is missing")
