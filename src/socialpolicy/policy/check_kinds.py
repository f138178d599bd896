"""Checks for `kinds:` (per-kind default, scope, not_covered) and `invariants:`."""

from __future__ import annotations

from typing import Any, cast

from .. import conditions
from .._yaml import Path as YamlPath
from ..vocab import SUBJECT_KINDS, Outcome, SubjectKind
from .check_base import CheckBase
from .model import INVARIANT_PROPERTIES, Invariant, KindDefault, KindPolicy, Rule, Scope


class KindChecks(CheckBase):
    """Builds `KindPolicy` and `Invariant` entries."""

    def kinds(self, data: Any, clause_ids: set[str], rules: list[Rule]
              ) -> dict[SubjectKind, KindPolicy]:
        entry = self.mapping(data, ("kinds",), "`kinds`", (), SUBJECT_KINDS)
        result: dict[SubjectKind, KindPolicy] = {}
        for kind in SUBJECT_KINDS:
            path: YamlPath = ("kinds", kind)
            has_rules = any(rule.applies_to == kind for rule in rules)
            if entry is None or kind not in entry:
                if has_rules:
                    self.report(("kinds",), "missing-default",
                                f"rules apply to `{kind}` but `kinds` gives it no default",
                                f"add `{kind}: {{default: {{outcome: ..., cites: [...], "
                                "reason: ...}}`")
                continue
            block = self.mapping(entry[kind], path, f"`kinds.{kind}`", (),
                                 ("default", "scope", "not_covered"))
            if block is None:
                continue
            if "not_covered" in block:
                reason = self.text(block, "not_covered", path)
                if block["not_covered"] is None:  # read as absent, it would leave no default
                    self.report((*path, "not_covered"), "missing-field",
                                "`not_covered` has no value", "say why the policy does not "
                                "govern this kind, e.g. `not_covered: no clause covers it`")
                if "default" in block or "scope" in block or has_rules:
                    self.report((*path, "not_covered"), "not-covered-conflict",
                                f"`{kind}` is marked not_covered but also has a default, a scope "
                                "or rules", "remove `not_covered` or the rules for this kind")
                result[kind] = KindPolicy(kind, not_covered=reason)
                continue
            default = self.kind_default(block.get("default"), kind, (*path, "default"),
                                        clause_ids)
            scope = None
            if "scope" in block:
                scope = self.scope(block["scope"], kind, (*path, "scope"), clause_ids)
            result[kind] = KindPolicy(kind, default=default, scope=scope)
        return result

    def kind_default(self, data: Any, kind: SubjectKind, path: YamlPath, clause_ids: set[str]
                     ) -> KindDefault | None:
        if data is None:
            self.report(path, "missing-default", f"`{kind}` needs a `default` or `not_covered`",
                        "add `default: {outcome: ..., cites: [...], reason: ...}`")
            return None
        entry = self.mapping(data, path, "a default", ("outcome", "cites", "reason"),
                             ("cut_off",))
        if entry is None:
            return None
        outcome = self.outcome(entry.get("outcome"), kind, (*path, "outcome"))
        cites = self.cites(entry, path, clause_ids)
        # Cut-off clauses the default leans on: it warns whenever it applies (check_fidelity).
        cut_off = self.cites({"cites": entry["cut_off"]}, (*path, "cut_off"), clause_ids
                             ) if "cut_off" in entry else ()
        reason = self.text(entry, "reason", path)
        if outcome is None or reason is None:
            return None
        return KindDefault(outcome, cites, reason, cut_off)

    def scope(self, data: Any, kind: SubjectKind, path: YamlPath, clause_ids: set[str]
              ) -> Scope | None:
        entry = self.mapping(data, path, "a scope", ("when", "cites", "outside"))
        if entry is None or "when" not in entry:
            return None
        when = conditions.parse(entry["when"], kind, (*path, "when"), self.report)
        cites = self.cites(entry, path, clause_ids)
        outside = self.text(entry, "outside", path)
        if when is None or outside is None:
            return None
        return Scope(when, cites, outside)

    def invariants(self, data: Any, clause_ids: set[str]) -> tuple[Invariant, ...]:
        if not isinstance(data, list):
            self.report(("invariants",), "bad-type", "`invariants` must be a list",
                        "write one `- id: ...` entry per invariant")
            return ()
        result = []
        for i, item in enumerate(data):
            path: YamlPath = ("invariants", i)
            entry = self.mapping(item, path, "an invariant", ("id", "applies_to", "cites",
                                                             "reason"),
                                 ("when", "labels_within", "outcome_in", "outcome_not_in",
                                  "property"))
            if entry is None:
                continue
            before = len(self.problems)
            kind = entry.get("applies_to")
            if kind not in SUBJECT_KINDS:
                self.report((*path, "applies_to"), "bad-value", f"unknown subject kind `{kind}`",
                            "use comment, staff_post or account_request")
                continue
            kind = cast(SubjectKind, kind)
            cites = self.cites(entry, path, clause_ids)
            when = (conditions.parse(entry["when"], kind, (*path, "when"), self.report)
                    if "when" in entry else None)
            outcomes: dict[str, frozenset[Outcome] | None] = {}
            for key in ("outcome_in", "outcome_not_in"):
                values = entry.get(key)
                if values is None:
                    outcomes[key] = None
                    continue
                if not isinstance(values, list) or not values:
                    self.report((*path, key), "bad-type", f"`{key}` must be a list of outcomes",
                                f"write `{key}: [leave]`")
                    continue
                checked = [self.outcome(v, kind, (*path, key, j)) for j, v in enumerate(values)]
                outcomes[key] = frozenset(o for o in checked if o is not None)
            labels = entry.get("labels_within")
            if labels is not None:
                for j, label in enumerate(labels if isinstance(labels, list) else [labels]):
                    conditions.parse({"label": label}, kind, (*path, "labels_within", j),
                                     self.report)
            prop = entry.get("property")
            if prop is not None and prop not in INVARIANT_PROPERTIES:
                self.report((*path, "property"), "bad-value", f"unknown property `{prop}`",
                            "use one of " + ", ".join(INVARIANT_PROPERTIES))
            expects = outcomes.get("outcome_in") or outcomes.get("outcome_not_in")
            if (prop is None) == (expects is None):
                self.report(path, "invariant-shape",
                            "an invariant needs either `property` or one of `outcome_in`/"
                            "`outcome_not_in`", "say what must hold of the decision")
            rule_id = self.text(entry, "id", path)
            reason = self.text(entry, "reason", path)
            if len(self.problems) > before or rule_id is None or reason is None:
                continue
            result.append(Invariant(
                rule_id, kind, cites, reason, when,
                frozenset(labels) if isinstance(labels, list) else None,
                outcomes.get("outcome_in"), outcomes.get("outcome_not_in"), prop,
                self.position(path)))
        return tuple(result)
