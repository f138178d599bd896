"""Rules that can never fire, and rules another rule already covers in full."""

from __future__ import annotations

from typing import Any

from .. import conditions
from ..vocab import SUBJECT_KINDS, SubjectKind, severity
from . import reachability as satisfiability
from .check_base import CheckBase
from .model import PolicyDocument, Rule


class ReachChecks(CheckBase):
    """Unreachable and shadowed rules, from the satisfiability analysis."""

    def reachability(self, document: PolicyDocument) -> None:
        """Rules that can never fire, and rules another rule already covers in full."""
        for kind in SUBJECT_KINDS:
            policy = document.kinds.get(kind)
            scope = policy.scope if policy else None
            rules = [(i, rule) for i, rule in enumerate(document.rules) if rule.applies_to == kind]
            compiled = {rule.id: conditions.to_ir(rule.when) for _, rule in rules}
            in_scope = {rule.id: ({"all": [conditions.to_ir(scope.when), compiled[rule.id]]}
                                  if scope else compiled[rule.id]) for _, rule in rules}
            for i, rule in rules:
                if not satisfiability.within_budget(in_scope[rule.id]):
                    self.report(("rules", i, "when"), "analysis-skipped",
                                f"analysis skipped: rule `{rule.id}` too large (its conditions "
                                f"expand to more than {satisfiability.LIMIT:,} cases), so "
                                "whether it can fire or is shadowed was not checked",
                                "split it into smaller rules, or accept the skipped check",
                                severity="warning")
                    continue
                if not satisfiability.satisfiable(kind, in_scope[rule.id]):
                    self.report(("rules", i, "when"), "unreachable-rule",
                                f"rule `{rule.id}` can never fire: its conditions contradict "
                                "each other" + (" or the kind's scope" if scope else ""),
                                "remove the contradictory test, or the rule")
                    continue
                for j, other in rules:
                    if j != i and self._covers(kind, other, rule, in_scope, compiled) and not (
                            j > i and self._covers(kind, rule, other, in_scope, compiled)):
                        self.report(("rules", i, "when"), "shadowed-rule",
                                    f"rule `{rule.id}` is shadowed by `{other.id}`: whenever it "
                                    f"fires, `{other.id}` fires with the same or a stronger "
                                    "outcome, actions and citations",
                                    f"remove `{rule.id}` or make it say something `{other.id}` "
                                    "does not")
                        break

    @staticmethod
    def _covers(kind: SubjectKind, wide: Rule, narrow: Rule, in_scope: dict[str, Any],
                compiled: dict[str, Any]) -> bool:
        """Whether `wide` says everything `narrow` says whenever `narrow` fires."""
        def actions(rule: Rule) -> set[tuple[str, str | None]]:
            return {(a.kind, a.target) for a in rule.actions}

        if (severity(kind, wide.outcome) < severity(kind, narrow.outcome)
                or not set(narrow.cites) <= set(wide.cites)
                or not actions(narrow) <= actions(wide)
                or narrow.if_unavailable != wide.if_unavailable
                or narrow.respond_within_working_days not in (
                    None, wide.respond_within_working_days)):
            return False
        negated = conditions.to_ir(wide.when, negate=True)
        return satisfiability.implies(kind, in_scope[narrow.id], negated)
