"""Policy-level questions over the exact subject space: can an outcome ever happen for a kind,
which rules can never change an outcome, and where two organisations' policies disagree.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..decision import Decision
from ..engine import Policy
from ..vocab import SCALES, SUBJECT_KINDS, Outcome, SubjectKind
from .diff import PolicyDiff, as_policy, diff_policies
from .semantics import PARTS, Semantics, differ
from .space import Space
from .why_not import _unreachable
from .witness import realize, verify


@dataclass(frozen=True)
class Reachability:
    """Whether `outcome` can happen for `kind`: where, with a verified example, or why not."""

    kind: SubjectKind
    outcome: str
    possible: bool
    condition: list[str] = field(default_factory=list)
    witness: Any = None
    decision: Decision | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "outcome": self.outcome, "possible": self.possible,
                "condition": self.condition, "reason": self.reason,
                "witness": None if self.witness is None else self.witness.model_dump(
                    mode="json")}


@dataclass(frozen=True)
class RuleEffect:
    """A rule that never changes any outcome: removing it leaves every outcome as it was.
    `adds` says whether it still adds actions or cited clauses somewhere; `fires` whether any
    subject makes it fire at all."""

    rule_id: str
    fires: bool
    adds: bool

    def __str__(self) -> str:
        if not self.fires:
            return f"{self.rule_id} (never fires)"
        return f"{self.rule_id} ({'still adds actions or clauses' if self.adds else 'redundant'})"


@dataclass
class KindAnalysis:
    kind: SubjectKind
    rules: int
    outcomes: list[Reachability]
    never_change_outcome: list[RuleEffect]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rules": self.rules,
                "outcomes": [o.to_dict() for o in self.outcomes],
                "never_change_outcome": [{"rule": r.rule_id, "fires": r.fires, "adds": r.adds}
                                         for r in self.never_change_outcome]}


def can_happen(policy: Policy | str | Path, kind: SubjectKind, outcome: str) -> Reachability:
    """Can `policy` ever decide `outcome` for a subject of `kind`? With a verified witness."""
    policy = as_policy(policy)
    space = Space(kind, [policy.ir], [policy.document])
    return _reachable(policy, space, Semantics(space, policy.ir, policy.document), outcome)


def _reachable(policy: Policy, space: Space, semantics: Semantics,
               outcome: str) -> Reachability:
    kind = space.kind
    node = semantics.at("outcome", outcome) & space.valid
    point = space.pick(node)
    if point is None:
        return Reachability(kind, outcome, False,
                            reason=_unreachable(policy, semantics, kind, outcome))
    witness = realize(space, point, [policy.document])
    decision = verify(policy, witness, semantics.signature(point))
    return Reachability(kind, outcome, True, space.describe(node, limit=8), witness, decision)


def never_change_outcome(policy: Policy | str | Path, kind: SubjectKind) -> list[RuleEffect]:
    """Rules whose removal changes no outcome for any subject of `kind` (subsumed by others,
    or never firing), each saying whether it still adds actions or clauses."""
    policy = as_policy(policy)
    ir = policy.ir
    space = Space(kind, [ir], [policy.document])
    full = Semantics(space, ir, policy.document)
    return _never_change(policy, space, full, ir)


def _never_change(policy: Policy, space: Space, full: Semantics,
                  ir: dict[str, Any]) -> list[RuleEffect]:
    kind = space.kind
    block = ir["kinds"].get(kind)
    if block is None or "not_covered" in block:
        return []
    found = []
    for index, rule in enumerate(block["rules"]):
        reduced = copy.copy(ir)
        reduced["kinds"] = dict(ir["kinds"])
        reduced["kinds"][kind] = {**block, "rules": block["rules"][:index]
                                  + block["rules"][index + 1:]}
        without = Semantics(space, reduced, policy.document)
        if space.is_empty(differ(full, without, ("outcome",))):
            fires = not space.is_empty(full.fires(rule["id"]) & space.valid)
            adds = not space.is_empty(differ(full, without, PARTS))
            found.append(RuleEffect(rule["id"], fires, adds))
    return found


def analyze(policy: Policy | str | Path, kinds: tuple[SubjectKind, ...] | None = None,
            ) -> list[KindAnalysis]:
    """Per governed kind: which outcomes can happen (with witnesses) and which rules never
    change an outcome."""
    policy = as_policy(policy)
    ir = policy.ir
    results = []
    for kind in kinds or SUBJECT_KINDS:
        block = ir["kinds"].get(kind)
        space = Space(kind, [ir], [policy.document])
        semantics = Semantics(space, ir, policy.document)
        outcomes = [_reachable(policy, space, semantics, str(o))
                    for o in (*SCALES[kind], Outcome.NOT_COVERED)]
        rules = 0 if block is None or "not_covered" in block else len(block["rules"])
        results.append(KindAnalysis(kind, rules, outcomes,
                                    _never_change(policy, space, semantics, ir)))
    return results


def agreement(first: Policy | str | Path, second: Policy | str | Path,
              kinds: tuple[SubjectKind, ...] | None = None) -> PolicyDiff:
    """Where two organisations' policies decide a different outcome for the same subject,
    with witnesses (clause ids and actions naturally differ between organisations)."""
    return diff_policies(first, second, kinds=kinds, parts=("outcome",), clause_texts=False)


def render(policy: Policy, results: list[KindAnalysis]) -> str:
    lines = [f"{policy.id} ({policy.organisation}) v{policy.version}"]
    for result in results:
        lines.append(f"\n{result.kind}: {result.rules} rule(s)")
        for reach in result.outcomes:
            if reach.possible:
                lines.append(f"  {reach.outcome}: possible, e.g. "
                             f"{reach.witness.model_dump_json(exclude_defaults=True)}")
                lines += [f"      when {c}" for c in reach.condition[:3]]
            else:
                lines.append(f"  {reach.outcome}: never ({reach.reason})")
        if result.never_change_outcome:
            lines.append("  rules that never change an outcome: "
                         + ", ".join(str(r) for r in result.never_change_outcome))
        elif result.rules:
            lines.append("  every rule changes some outcome")
    return "\n".join(lines)
