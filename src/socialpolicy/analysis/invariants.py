"""Checking a policy's declared invariants on a subject, and reporting a failure as a
ready-to-paste YAML example with the clauses involved (property tests drive this)."""

from __future__ import annotations

from .. import _yaml
from ..conditions import evaluate, to_ir
from ..engine import Policy
from ..policy.model import Invariant
from ..signals import derive
from ..subjects import Subject
from ..vocab import LABELS, Outcome, severity


def violation(policy: Policy, invariant: Invariant, subject: Subject) -> str | None:
    """Why `subject` breaks `invariant` under `policy`, or None if it holds (or does not apply).
    Subjects outside the policy's scope are not covered, so no invariant applies to them."""
    kind = subject.kind
    if kind != invariant.applies_to:
        return None
    decision = policy.decide(subject)
    if decision.outcome is Outcome.NOT_COVERED:
        return None
    if invariant.property == "labels_monotone":
        for label in sorted(LABELS[kind] - subject.labels):
            more = policy.decide(subject.model_copy(update={"labels": subject.labels | {label}}))
            if more.outcome is Outcome.NOT_COVERED:
                continue
            if severity(kind, more.outcome) < severity(kind, decision.outcome):
                return (f"adding label `{label}` lowers the outcome from {decision.outcome} to "
                        f"{more.outcome}")
        return None
    facts, _ = derive(subject, policy.document)
    if invariant.when is not None and not evaluate(to_ir(invariant.when), facts):
        return None
    if invariant.labels_within is not None:
        present = {label for label in LABELS[kind] if facts[f"label.{label}"]}
        if not present <= invariant.labels_within:
            return None
    if invariant.outcome_in is not None and decision.outcome not in invariant.outcome_in:
        expected = sorted(str(outcome) for outcome in invariant.outcome_in)
        return f"outcome is {decision.outcome}, expected one of {expected}"
    if invariant.outcome_not_in is not None and decision.outcome in invariant.outcome_not_in:
        return f"outcome is {decision.outcome}, which the invariant rules out"
    return None


def counterexample(policy: Policy, invariant: Invariant, subject: Subject, problem: str) -> str:
    """A failing subject as YAML to paste under a rule's `examples`, with what it violated."""
    decision = policy.decide(subject)
    fields = subject.model_dump(mode="json", exclude_defaults=True, exclude={"kind"})
    fields.setdefault("labels", sorted(subject.labels))
    rules = [f.rule_id for f in decision.findings] or ["(none: the default applied)"]
    return "\n".join([
        f"# invariant `{invariant.id}` ({policy.id}, {invariant.position}) failed: {problem}",
        f"# the invariant cites: {', '.join(invariant.cites)}; reason: {invariant.reason}",
        f"# the decision: {decision.outcome} by rules {', '.join(rules)}, citing "
        f"{', '.join(c.clause_id for c in decision.citations) or 'nothing'}",
        _yaml.dump([fields]).rstrip(),
    ])
