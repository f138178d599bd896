"""Per-policy structures built once at load, so a decision only looks things up.

Building a decision used to re-derive everything from the policy document on every call: the
clause order, each rule's citations and actions, the capability table, the deadline rules.
Here all of that is computed once per `Policy`. Citations, actions and findings without
evidence are shared between decisions (they are frozen), so a kept decision costs little memory,
and the combination of a given set of fired rules (outcome, reason, merged actions, citations)
is memoised: a batch sees the same few combinations again and again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .conditions import atoms, to_ir
from .decision import Action, Citation, Finding, FrozenList
from .policy.model import ActionSpec, PolicyDocument, Rule
from .signals import evidence_keys
from .vocab import DEFAULT_PLATFORM_CAPABILITIES, Capability, Outcome, SubjectKind, severity

_NEEDS: dict[Outcome, Capability] = {Outcome.HIDE: "hide", Outcome.DELETE: "delete"}
_ANY_PLATFORM: frozenset[Capability] = frozenset({"hide", "delete"})
_MEMO_LIMIT = 4096  # distinct fired-rule combinations remembered per kind


@dataclass(frozen=True, slots=True, eq=False)
class Variant:
    """What a fired rule contributes on a platform: its finding and any warning.

    Compared by identity: a tuple of variants is the memo key of a combination, and hashing
    it must not walk every citation's text."""

    finding: Finding
    warning: str | None = None
    #: for a fallback: the outcome the rule meant, and the actions that only stand in for it
    intended: Outcome | None = None
    stand_ins: frozenset[tuple[str, str | None, str | None]] = frozenset()


@dataclass(frozen=True, slots=True)
class RulePlan:
    rule: Rule
    keys: tuple[str, ...]  # fact keys the rule reads: the evidence it can rest on
    evidence: frozenset[str]  # the keys of the evidence it rests on (parts of derived facts too)
    needed: Capability | None  # what its outcome needs the platform to allow (comments only)
    plain: Variant  # the platform allows it
    unavailable: Variant  # it does not: the fallback, or the rule as is with a warning
    neither: Variant  # nor does it allow the fallback's outcome
    fallback_needs: Capability | None
    respond_days: int | None

    def variant(self, capabilities: frozenset[Capability]) -> Variant:
        if self.needed is None or self.needed in capabilities:
            return self.plain
        if self.fallback_needs is None or self.fallback_needs in capabilities:
            return self.unavailable
        return self.neither


@dataclass(frozen=True, slots=True)
class Combined:
    """Everything a decision takes from one combination of fired rules."""

    outcome: Outcome
    reason: str
    # Read-only lists handed to every decision of this combination as they are.
    actions: FrozenList[Action]
    citations: FrozenList[Citation]
    warnings: tuple[str, ...]
    respond_days: int | None
    findings: FrozenList[Finding]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A fired set of rules on a platform: the combination, and each fired rule's evidence
    keys in finding order. Memoised per (kind, fired ids, platform capabilities)."""

    combined: Combined
    evidence: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class KindPlan:
    kind: SubjectKind
    not_covered: str | None
    outside_scope: str | None  # the reason given when the scope condition does not hold
    default_outcome: Outcome | None
    default_reason: str
    default_citations: FrozenList[Citation]
    rules: tuple[RulePlan, ...]
    #: the default rests on cut-off source text: say so whenever it applies
    default_warnings: tuple[str, ...] = ()


class PolicyPlan:
    """The lookup tables of one policy; immutable after construction except the memo."""

    def __init__(self, document: PolicyDocument, kind_names: Mapping[str, str]) -> None:
        self.order = {clause.id: i for i, clause in enumerate(document.clauses)}
        self.citation = {clause.id: Citation(document.id, clause.id, clause.title, clause.text,
                                             getattr(clause, "role", "substantive"))
                         for clause in document.clauses}
        # A decision that cites a clause whose text the source is missing says so.
        self.cut_off = {clause_id: warning for clause_id, warning in (
            (c.id, w) for c in document.clauses
            for w in document.cut_off_warnings([c.id], "the decision rests on the surviving text"))}
        self.kinds: dict[str, KindPlan] = {}
        for kind, name in kind_names.items():
            self.kinds[kind] = self._kind(document, kind, name)  # type: ignore[arg-type]
        self._memo: dict[tuple[Variant, ...], Combined] = {}
        self._resolved: dict[tuple[str, frozenset[str], frozenset[Capability]],
                             Resolved | None] = {}
        self._memo_lock = threading.Lock()

    def resolve(self, kind: SubjectKind, fired: frozenset[str],
                capabilities: frozenset[Capability]) -> Resolved | None:
        """What the rules in `fired` decide together on a platform with `capabilities`;
        None when no rule of the kind fired (the default applies). Memoised: a batch fires the
        same few sets again and again, and this skips filtering and combining them."""
        key = (kind, fired, capabilities)
        resolved = self._resolved.get(key, False)
        if resolved is not False:
            return resolved  # type: ignore[return-value]
        plans = [rule for rule in self.kinds[kind].rules if rule.rule.id in fired]
        if plans:
            combined = self.combine(
                kind, tuple(rule.variant(capabilities) for rule in plans),
                tuple(r.respond_days for r in plans if r.respond_days))
            resolved = Resolved(combined, tuple(rule.evidence for rule in plans))
        else:
            resolved = None
        with self._memo_lock:
            if len(self._resolved) < _MEMO_LIMIT:
                self._resolved[key] = resolved
        return resolved

    def citations(self, clause_ids: Iterable[str]) -> tuple[Citation, ...]:
        """The cited clauses, once each, in document order."""
        return tuple(self.citation[cid] for cid in sorted(set(clause_ids),
                                                           key=self.order.__getitem__))

    def capabilities(self, platform: str,
                     override: Mapping[str, Iterable[Capability]] | None) -> frozenset[Capability]:
        if override and platform in override:
            return frozenset(override[platform])
        return DEFAULT_PLATFORM_CAPABILITIES.get(platform, _ANY_PLATFORM)

    def combine(self, kind: SubjectKind, chosen: tuple[Variant, ...],
                respond: tuple[int, ...]) -> Combined:
        """Outcome, reason, actions and citations of these fired rules (memoised)."""
        combined = self._memo.get(chosen)
        if combined is not None:
            return combined
        outcome = max((v.finding.outcome for v in chosen), key=lambda o: severity(kind, o))
        findings = [_without_moot_fallback(v, kind, outcome) for v in chosen]
        citations = self.citations(c.clause_id for f in findings for c in f.citations)
        combined = Combined(
            outcome=outcome,
            reason="; ".join(f.reason for f in findings if f.outcome == outcome),
            actions=FrozenList(merge_actions(findings)),
            citations=FrozenList(citations),
            warnings=(*(v.warning for v in chosen if v.warning is not None),
                      *(self.cut_off[c.clause_id] for c in citations
                        if c.clause_id in self.cut_off)),
            respond_days=min(respond) if respond else None,
            findings=FrozenList(findings))
        with self._memo_lock:
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[chosen] = combined
        return combined

    def _kind(self, document: PolicyDocument, kind: SubjectKind, name: str) -> KindPlan:
        policy = document.kinds.get(kind)
        if policy is None or policy.not_covered is not None:
            reason = (policy.not_covered if policy and policy.not_covered else
                      f"the {document.organisation} policy has no clauses governing {name}")
            return KindPlan(kind, reason, None, None, "", FrozenList(), ())
        assert policy.default is not None  # the checker guarantees it
        return KindPlan(
            kind, None, policy.scope.outside if policy.scope else None, policy.default.outcome,
            policy.default.reason, FrozenList(self.citations(policy.default.cites)),
            tuple(self._rule(rule) for rule in document.rules_for(kind)),
            tuple(document.cut_off_warnings(
                (*policy.default.cites, *policy.default.cut_off),
                "this default might read otherwise with the missing text")))

    def _rule(self, rule: Rule) -> RulePlan:
        citations = self.citations(rule.cites)
        keys = tuple(atom["key"] for atom in atoms(to_ir(rule.when)))
        evidence = evidence_keys(keys)

        def finding(outcome: Outcome, specs: tuple[ActionSpec, ...]) -> Finding:
            actions = tuple(Action(s.kind, s.target, s.detail, citations) for s in specs)
            return Finding(rule.id, outcome, actions, citations, rule.reason, ())

        plain = Variant(finding(rule.outcome, rule.actions))
        needed = _NEEDS.get(rule.outcome) if rule.applies_to == "comment" else None
        fallback = rule.if_unavailable
        if needed is None:
            return RulePlan(rule, keys, evidence, None, plain, plain, plain, None,
                            rule.respond_within_working_days)
        if fallback is None:
            unavailable = Variant(plain.finding, f"rule `{rule.id}` says {rule.outcome}, which "
                                  "the platform does not allow for comments; the rule gives no "
                                  "alternative")
            return RulePlan(rule, keys, evidence, needed, plain, unavailable, unavailable, None,
                            rule.respond_within_working_days)
        instead = finding(fallback.outcome, (*rule.actions, *fallback.actions))
        still = _NEEDS.get(fallback.outcome)
        own = {(a.kind, a.target, a.detail) for a in rule.actions}
        stand_ins = frozenset((a.kind, a.target, a.detail) for a in fallback.actions) - own
        neither = Variant(instead, f"rule `{rule.id}`: the platform can neither {needed} nor "
                          f"{still} this comment; {fallback.outcome} it by other means",
                          rule.outcome, stand_ins)
        return RulePlan(rule, keys, evidence, needed, plain,
                        Variant(instead, None, rule.outcome, stand_ins),
                        neither, still, rule.respond_within_working_days)


def _without_moot_fallback(variant: Variant, kind: SubjectKind, outcome: Outcome) -> Finding:
    """A fallback's own actions stand in for the outcome the platform could not apply; when the
    decision goes at least as far anyway (the comment is deleted as abuse), they are moot."""
    finding = variant.finding
    if (variant.intended is None or not variant.stand_ins
            or severity(kind, outcome) < severity(kind, variant.intended)):
        return finding
    kept = tuple(a for a in finding.actions
                 if (a.kind, a.target, a.detail) not in variant.stand_ins)
    return replace(finding, actions=kept)


def merge_actions(findings: Iterable[Finding]) -> list[Action]:
    """Every fired rule's actions, once each by (kind, target), with all their citations."""
    merged: dict[tuple[str, str | None], Action] = {}
    for finding in findings:
        for action in finding.actions:
            key = (action.kind, action.target)
            if key in merged:
                known = merged[key]
                extra = tuple(c for c in action.citations if c not in known.citations)
                if extra:
                    merged[key] = Action(known.kind, known.target, known.detail,
                                         known.citations + extra)
            else:
                merged[key] = action
    return list(merged.values())
