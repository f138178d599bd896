"""Checks for `rules:` entries: ids, conditions, outcome, actions, fallbacks, deadlines and the
examples beside each rule (shape only; whether an example fires is checked in `check_cross`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from .. import conditions
from .._yaml import Path as YamlPath
from ..vocab import ACTION_KINDS, ACTIONS_NEEDING_TARGET, SUBJECT_KINDS, SubjectKind, did_you_mean
from .check_base import SNAKE, CheckBase
from .model import ActionSpec, Example, Fallback, Rule

#: A year of working days: any response time longer than that is a mistake.
MAX_WORKING_DAYS = 260
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RuleChecks(CheckBase):
    """Builds `Rule`s from their YAML entries."""

    def rules(self, data: Any, clause_ids: set[str]) -> list[Rule]:
        if not isinstance(data, list):
            self.report(("rules",), "bad-type", "`rules` must be a list",
                        "write one `- id: ...` entry per rule")
            return []
        result: list[Rule] = []
        seen: set[str] = set()
        for i, item in enumerate(data):
            rule = self.rule(item, ("rules", i), clause_ids)
            if rule is None:
                continue
            if rule.id in seen:
                self.report(("rules", i, "id"), "duplicate-id", f"rule `{rule.id}` appears twice",
                            "give each rule a distinct id")
            seen.add(rule.id)
            result.append(rule)
        return result

    def rule(self, item: Any, path: YamlPath, clause_ids: set[str]) -> Rule | None:
        entry = self.mapping(item, path, "a rule",
                             ("id", "applies_to", "when", "outcome", "cites", "reason",
                              "examples"), ("actions", "if_unavailable", "respond_within"))
        if entry is None:
            return None
        before = len(self.problems)
        rule_id = self.text(entry, "id", path)
        if rule_id and not _RULE_ID.match(rule_id):
            self.report((*path, "id"), "bad-id", f"rule id `{rule_id}` is not kebab-case",
                        "use lowercase words joined by hyphens, e.g. `abuse-delete`")
        kind = entry.get("applies_to")
        if kind not in SUBJECT_KINDS:
            self.report((*path, "applies_to"), "bad-value", f"unknown subject kind `{kind}`",
                        did_you_mean(kind, SUBJECT_KINDS)
                        or "use comment, staff_post or account_request")
            return None
        kind = cast(SubjectKind, kind)
        when = None
        if "when" in entry:
            when = conditions.parse(entry["when"], kind, (*path, "when"), self.report)
        outcome = self.outcome(entry.get("outcome"), kind, (*path, "outcome"))
        cites = self.cites(entry, path, clause_ids)
        actions = self.actions(entry.get("actions", []), (*path, "actions"))
        fallback = None
        if "if_unavailable" in entry:
            fallback = self.fallback(entry["if_unavailable"], kind, (*path, "if_unavailable"))
        within = self.respond_within(entry.get("respond_within"), (*path, "respond_within"))
        examples = self.rule_examples(entry.get("examples"), (*path, "examples"))
        reason = self.text(entry, "reason", path)
        if len(self.problems) > before or when is None or outcome is None or reason is None:
            return None
        return Rule(cast(str, rule_id), kind, when, outcome, cites, reason, actions, fallback,
                    within, examples, self.position(path))

    def actions(self, data: Any, path: YamlPath) -> tuple[ActionSpec, ...]:
        if not isinstance(data, list):
            self.report(path, "bad-type", "`actions` must be a list",
                        "write `actions: [{kind: contact_author}]`")
            return ()
        result = []
        for i, item in enumerate(data):
            entry = self.mapping(item, (*path, i), "an action", ("kind",), ("target", "detail"))
            if entry is None:
                continue
            kind = entry.get("kind")
            if kind not in ACTION_KINDS:
                self.report((*path, i, "kind"), "bad-action", f"unknown action `{kind}`",
                            did_you_mean(kind, ACTION_KINDS)
                            or "use one of " + ", ".join(ACTION_KINDS))
                continue
            target = entry.get("target")
            if kind in ACTIONS_NEEDING_TARGET and not target:
                self.report((*path, i), "missing-target", f"`{kind}` needs a `target`",
                            "add e.g. `target: communications_team`")
            if target is not None and (not isinstance(target, str) or not SNAKE.match(target)):
                self.report((*path, i, "target"), "bad-value",
                            f"target `{target}` is not snake_case",
                            "write it like `duty_communications_manager` (quote `\"999\"`)")
                continue
            result.append(ActionSpec(kind, target, self.text(entry, "detail", (*path, i))))
        return tuple(result)

    def fallback(self, data: Any, kind: SubjectKind, path: YamlPath) -> Fallback | None:
        entry = self.mapping(data, path, "`if_unavailable`", ("outcome",), ("actions",))
        if entry is None:
            return None
        if kind != "comment":
            self.report(path, "bad-fallback", "`if_unavailable` applies to comments only",
                        "remove it: only comment outcomes depend on the platform")
            return None
        outcome = self.outcome(entry.get("outcome"), kind, (*path, "outcome"))
        actions = self.actions(entry.get("actions", []), (*path, "actions"))
        return None if outcome is None else Fallback(outcome, actions)

    def respond_within(self, data: Any, path: YamlPath) -> int | None:
        if data is None:
            return None
        entry = self.mapping(data, path, "`respond_within`", ("working_days",))
        days = entry.get("working_days") if entry else None
        if entry is not None and (not isinstance(days, int) or isinstance(days, bool)
                                  or days < 1):
            self.report((*path, "working_days"), "bad-value",
                        f"`{days}` is not a positive whole number of working days",
                        "write e.g. `working_days: 2`")
            return None
        if isinstance(days, int) and days > MAX_WORKING_DAYS:
            self.report((*path, "working_days"), "out-of-range",
                        f"`{days}` working days is out of range (1 to {MAX_WORKING_DAYS})",
                        "a response time is a few working days, e.g. `working_days: 2`")
            return None
        return cast(int | None, days)

    def rule_examples(self, data: Any, path: YamlPath) -> tuple[Example, ...]:
        entry = self.mapping(data, path, "`examples`", ("fires", "does_not_fire"))
        if entry is None:
            return ()
        result = []
        for key, fires in (("fires", True), ("does_not_fire", False)):
            items = entry.get(key)
            if key in entry and (not isinstance(items, list) or not items):
                self.report((*path, key), "missing-examples",
                            f"`{key}` needs at least one example",
                            "add a partial subject that " +
                            ("fires the rule" if fires else "comes close but does not fire it"))
                continue
            for i, item in enumerate(items or []):
                if not isinstance(item, Mapping):
                    self.report((*path, key, i), "bad-example", "an example must be a mapping",
                                "write the subject's fields, e.g. `{labels: [spam]}`")
                    continue
                result.append(Example(item, fires, self.position((*path, key, i))))
        return tuple(result)
