"""Exact policy diffs: every region of subjects whose decision changes between two policies.

Both policies are encoded over one subject space (see `space`); the subjects on which any part
of the decision differs form one BDD, split into regions by what changes (the outcome from and
to, actions and clauses added or removed). Each region is printed as a simplified condition,
with a witness subject decided under both policies on both engines. Nothing is sampled.
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..decision import Decision
from ..engine import Policy, load_policy
from ..errors import AnalysisError, InputError, SubjectKindError
from ..signals import derive
from ..subjects import Subject, subject_adapter
from ..vocab import SUBJECT_KINDS, SubjectKind
from .semantics import PARTS, Semantics, Signature, differ
from .space import Function, Space
from .witness import bound, deadline_days, engines, realize, verify

#: At most this many regions per kind are listed (a whole-policy rewrite can split into many).
REGION_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Change:
    """What differs in a region: the outcome's move, and actions and clauses gained or lost.

    Attributes:
        outcome: `(old, new)` when the outcome moves, else `None`.
        actions_added: actions (`kind` or `kind:target`) only the new decision takes.
        actions_removed: actions only the old decision takes.
        clauses_added: clause ids only the new decision cites.
        clauses_removed: clause ids only the old decision cites.
        deadline: `(old, new)` response deadlines in working days when they differ, else `None`.
    """

    outcome: tuple[str, str] | None
    actions_added: tuple[str, ...] = ()
    actions_removed: tuple[str, ...] = ()
    clauses_added: tuple[str, ...] = ()
    clauses_removed: tuple[str, ...] = ()
    deadline: tuple[int | None, int | None] | None = None

    @classmethod
    def between(cls, old: Signature, new: Signature) -> Change:
        """What differs between the decisions a region gets under the old and the new policy."""
        def names(sig: Signature) -> set[str]:
            return {k if t is None else f"{k}:{t}" for k, t in sig.actions}
        return cls(None if old.outcome == new.outcome else (old.outcome, new.outcome),
                   tuple(sorted(names(new) - names(old))), tuple(sorted(names(old) - names(new))),
                   tuple(sorted(set(new.clauses) - set(old.clauses))),
                   tuple(sorted(set(old.clauses) - set(new.clauses))),
                   None if old.deadline == new.deadline else (old.deadline, new.deadline))

    def lines(self) -> list[str]:
        """The change as readable lines (`outcome leave -> hide`, `+ action ...`, `- cites ...`)."""
        out = [f"outcome {self.outcome[0]} -> {self.outcome[1]}"] if self.outcome else []
        out += [f"+ action {a}" for a in self.actions_added]
        out += [f"- action {a}" for a in self.actions_removed]
        out += [f"+ cites {c}" for c in self.clauses_added]
        out += [f"- cites {c}" for c in self.clauses_removed]
        if self.deadline:
            out.append(f"respond within {self.deadline[0]} -> {self.deadline[1]} working days")
        return out


@dataclass(frozen=True)
class Region:
    """Subjects of one kind whose decision changes in the same way.

    Attributes:
        kind: the kind of subject.
        condition: the region as readable conjunctions over labels, fields and facts; a
            subject is in the region when any one of them holds.
        change: what differs between the old and the new decision there.
        rules: the rules whose firing, outcome, actions or citations differ there.
        witness: one concrete subject in the region, decided on both engines.
        old: the witness's decision under the old policy.
        new: the witness's decision under the new policy.
        rows: with `replay`, how many replayed rows fall in the region, else `None`.
    """

    kind: SubjectKind
    condition: list[str]  # readable conjunctions; the region is their disjunction
    change: Change
    rules: list[str]  # rules whose firing, outcome, actions or citations differ here
    witness: Subject
    old: Decision
    new: Decision
    node: Function = field(repr=False, compare=False)
    rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, one region of `socialpolicy diff --format json`."""
        return {"kind": self.kind, "condition": self.condition, "change": self.change.lines(),
                "rules": self.rules, "witness": self.witness.model_dump(mode="json"),
                "old": _brief(self.old), "new": _brief(self.new), "rows": self.rows}


def _brief(decision: Decision) -> dict[str, Any]:
    return {"outcome": str(decision.outcome),
            "actions": [a.kind if a.target is None else f"{a.kind}:{a.target}"
                        for a in decision.actions],
            "cites": [c.clause_id for c in decision.citations],
            "rules": [f.rule_id for f in decision.findings]}


@dataclass(frozen=True, slots=True)
class ClauseChange:
    """A clause whose text differs between the two policies: `status` is `added`, `removed` or
    `changed`, and `diff` the line diff of its text."""

    clause_id: str
    status: str  # added | removed | changed
    diff: str

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, one clause of `socialpolicy diff --format json`."""
        return {"clause_id": self.clause_id, "status": self.status, "diff": self.diff}


@dataclass
class PolicyDiff:
    """The result of `diff_policies`: regions per kind, clause text changes, replay counts."""

    old: Policy
    new: Policy
    parts: tuple[str, ...]
    regions: list[Region]
    clauses: list[ClauseChange]
    truncated: list[SubjectKind] = field(default_factory=list)
    replayed: int | None = None
    replay_invalid: int = 0
    spaces: dict[SubjectKind, Space] = field(default_factory=dict, repr=False)

    @property
    def identical(self) -> bool:
        """True when no subject is decided differently and no clause text changed."""
        return not self.regions and not self.clauses

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON-ready data; `str()` gives it as readable text."""
        return {"old": {"id": self.old.id, "version": self.old.version,
                        "digest": self.old.digest},
                "new": {"id": self.new.id, "version": self.new.version,
                        "digest": self.new.digest},
                "compared": list(self.parts), "identical": self.identical,
                "regions": [r.to_dict() for r in self.regions],
                "clauses": [c.to_dict() for c in self.clauses],
                "truncated_kinds": list(self.truncated), "replayed_rows": self.replayed,
                "replay_invalid_rows": self.replay_invalid}

    def __str__(self) -> str:
        head = (f"{self.old.id} v{self.old.version} ({self.old.digest[:12]}) -> "
                f"{self.new.id} v{self.new.version} ({self.new.digest[:12]})")
        if self.identical:
            return head + "\nno difference: every subject is decided the same way"
        out = [head, f"{len(self.regions)} region(s) where decisions differ "
                     f"(compared: {', '.join(self.parts)})"]
        for i, region in enumerate(self.regions, 1):
            out.append(f"\n[{i}] {region.kind}: " + "; ".join(region.change.lines()))
            out.append("  when: " + "\n     or ".join(region.condition))
            if region.rules:
                out.append("  rules: " + ", ".join(region.rules))
            out.append(f"  witness: {region.witness.model_dump_json(exclude_defaults=True)}")
            out.append(f"  old: {_line(region.old)}")
            out.append(f"  new: {_line(region.new)}")
            if region.rows is not None:
                out.append(f"  rows: {region.rows} of {self.replayed}")
        for kind in self.truncated:
            out.append(f"\n(only the first {REGION_LIMIT} regions of {kind} are listed)")
        if self.clauses:
            out.append(f"\n{len(self.clauses)} clause text change(s)")
            out += [f"--- {c.clause_id} ({c.status})\n{c.diff}" for c in self.clauses]
        if self.replayed is not None:
            out.append(f"\nreplayed {self.replayed} row(s): "
                       f"{sum(r.rows or 0 for r in self.regions)} decided differently"
                       + (f", {self.replay_invalid} invalid" if self.replay_invalid else ""))
        return "\n".join(out)


def _line(decision: Decision) -> str:
    brief = _brief(decision)
    return (f"{brief['outcome']} actions=[{', '.join(brief['actions'])}] "
            f"cites=[{', '.join(brief['cites'])}] rules=[{', '.join(brief['rules'])}]")


def as_policy(policy: Policy | str | Path) -> Policy:
    return policy if isinstance(policy, Policy) else load_policy(policy, engine="reference")


def diff_policies(old: Policy | str | Path, new: Policy | str | Path, *,
                  kinds: Iterable[SubjectKind] | None = None,
                  parts: Sequence[str] = PARTS,
                  replay: Iterable[Any] | None = None,
                  clause_texts: bool = True) -> PolicyDiff:
    """Every region of subjects whose decision differs between `old` and `new` (policies, bundled
    ids or file paths), each with a witness verified on both engines; the clause texts that
    changed; with `replay` (subjects or mappings), how many rows land in each region.

    `parts` chooses what counts as a difference: any of outcome, actions, clauses, deadline;
    `clause_texts=False` leaves out the clause text diff (two organisations' documents).
    """
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise InputError(f"unknown decision part `{unknown[0]}`; use some of {', '.join(PARTS)}")
    old_policy, new_policy = as_policy(old), as_policy(new)
    chosen = tuple(kinds) if kinds is not None else SUBJECT_KINDS
    for kind in chosen:
        if kind not in SUBJECT_KINDS:
            raise InputError(f"unknown subject kind `{kind}`; use one of "
                             + ", ".join(SUBJECT_KINDS))
    regions: list[Region] = []
    truncated: list[SubjectKind] = []
    spaces: dict[SubjectKind, Space] = {}
    for kind in chosen:
        spaces[kind] = Space(kind, [old_policy.ir, new_policy.ir],
                             [old_policy.document, new_policy.document])
        found, cut = _regions(spaces[kind], old_policy, new_policy, tuple(parts))
        regions += found
        if cut:
            truncated.append(kind)
    result = PolicyDiff(old_policy, new_policy, tuple(parts), regions,
                        clause_changes(old_policy, new_policy) if clause_texts else [],
                        truncated, spaces=spaces)
    return result if replay is None else _replay(result, replay)


def _regions(space: Space, old: Policy, new: Policy, parts: tuple[str, ...],
             ) -> tuple[list[Region], bool]:
    kind = space.kind
    documents = [old.document, new.document]
    before, after = Semantics(space, old.ir, old.document), Semantics(space, new.ir, new.document)
    remaining = differ(before, after, parts)
    regions: list[Region] = []
    while not space.is_empty(remaining):
        if len(regions) >= REGION_LIMIT:
            return regions, True
        point = space.pick(remaining)
        assert point is not None
        was, now = before.signature(point), after.signature(point)
        change = Change.between(was.restricted(parts), now.restricted(parts))
        node = remaining & _same_change(before, after, change, parts, remaining)
        remaining &= ~node
        witness = realize(space, point, documents)
        regions.append(Region(
            kind, space.describe(node), change, _rules_differing(before, after, node, old, new),
            witness, verify(old, witness, was, parts), verify(new, witness, now, parts), node))
    return regions, False


def _same_change(before: Semantics, after: Semantics, change: Change, parts: Sequence[str],
                 within: Function) -> Function:
    """The subjects (of `within`) whose decision changes exactly as `change` says."""
    node = within
    if "outcome" in parts:
        node &= _moves(before, after, "outcome", change.outcome)
    if "actions" in parts:
        node &= _gains(before, after, "actions", change.actions_added, change.actions_removed)
    if "clauses" in parts:
        node &= _gains(before, after, "clauses", change.clauses_added, change.clauses_removed)
    if "deadline" in parts:
        node &= _moves(before, after, "deadline", change.deadline)
    return node


def _moves(before: Semantics, after: Semantics, part: str, move: tuple[Any, Any] | None,
           ) -> Function:
    """Where single-valued `part` goes from `move[0]` to `move[1]` (None: stays the same)."""
    if move is not None:
        return before.at(part, move[0]) & after.at(part, move[1])
    same = before.space.false
    for value, where in before.part(part).items():
        same |= where & after.at(part, value)
    return same


def _gains(before: Semantics, after: Semantics, part: str, added: Sequence[str],
           removed: Sequence[str]) -> Function:
    """Where set-valued `part` gains exactly `added` and loses exactly `removed` (members named
    as `Change` names them: an action with a target as `kind:target`)."""
    space = before.space
    node = space.true
    for key in set(before.part(part)) | set(after.part(part)):
        name = key if isinstance(key, str) else key[0] if key[1] is None else f"{key[0]}:{key[1]}"
        was, now = before.at(part, key), after.at(part, key)
        node &= ((~was & now) if name in added else (was & ~now) if name in removed
                 else ~space.xor(was, now))
    return node


def _rules_differing(before: Semantics, after: Semantics, node: Function, old: Policy,
                     new: Policy) -> list[str]:
    """Rules that fire differently in the region, or fire there and were edited."""
    space = before.space
    old_rules = {r.id: r for r in old.document.rules_for(space.kind)}
    new_rules = {r.id: r for r in new.document.rules_for(space.kind)}
    found = []
    for rule_id in dict.fromkeys([*before.fired, *after.fired]):
        was, now = before.fires(rule_id), after.fires(rule_id)
        edited = (rule_id in old_rules and rule_id in new_rules
                  and _effect(old_rules[rule_id]) != _effect(new_rules[rule_id]))
        if not space.is_empty(node & space.xor(was, now)) or (edited and not space.is_empty(
                node & (was | now))):
            found.append(rule_id)
    return found


def _effect(rule: Any) -> tuple[Any, ...]:
    return (str(rule.outcome), rule.cites, rule.actions, rule.if_unavailable,
            rule.respond_within_working_days)


def clause_changes(old: Policy, new: Policy) -> list[ClauseChange]:
    """Clauses added, removed or reworded, with a line diff of the wrapped text."""
    before = {c.id: c for c in old.clauses}
    after = {c.id: c for c in new.clauses}
    changes = []
    for clause_id in dict.fromkeys([*before, *after]):
        was, now = before.get(clause_id), after.get(clause_id)
        old_text = _wrap(was) if was else []
        new_text = _wrap(now) if now else []
        if old_text == new_text:
            continue
        status = "added" if was is None else "removed" if now is None else "changed"
        diff = "\n".join(difflib.unified_diff(old_text, new_text, f"{old.id}:{clause_id}",
                                              f"{new.id}:{clause_id}", lineterm="", n=1))
        changes.append(ClauseChange(clause_id, status, diff))
    return changes


def _wrap(clause: Any) -> list[str]:
    return [f"{clause.title} [{clause.status}]", *textwrap.wrap(clause.text, 88)]


def _replay(result: PolicyDiff, rows: Iterable[Any]) -> PolicyDiff:
    """Count the rows in each region, and check each against deciding it under both policies."""
    counts = [0] * len(result.regions)
    spaces = result.spaces
    total = invalid = 0
    old, new = result.old, result.new
    for row in rows:
        total += 1
        try:
            subject = row if not isinstance(row, dict) else subject_adapter.validate_python(row)
        except (ValidationError, SubjectKindError):
            invalid += 1
            continue
        kind = subject.kind
        if kind not in spaces:
            continue  # a kind left out of the diff
        space = spaces[kind]
        facts, _ = derive(subject, new.document)
        point = space.from_facts(facts)
        inside = [i for i, r in enumerate(result.regions)
                  if r.kind == kind and space.contains(r.node, point)]
        for i in inside:
            counts[i] += 1
        changed = _decided_differently(old, new, subject, result.parts)
        if changed != bool(inside) and kind not in result.truncated:
            raise AnalysisError(f"row {total - 1}: the diff places it "
                                f"{'inside' if inside else 'outside'} the changed regions, but "
                                f"deciding it says {'changed' if changed else 'unchanged'}")
    regions = [Region(r.kind, r.condition, r.change, r.rules, r.witness, r.old, r.new, r.node,
                      counts[i]) for i, r in enumerate(result.regions)]
    return PolicyDiff(old, new, result.parts, regions, result.clauses, result.truncated,
                      total, invalid, spaces)


def _decided_differently(old: Policy, new: Policy, subject: Subject,
                         parts: Sequence[str]) -> bool:
    engine = engines()[0]
    signatures = []
    for policy in (old, new):
        current = bound(policy, engine)
        decision = current.decide(subject)
        signatures.append(Signature.of(decision, deadline_days(current, decision, subject))
                          .restricted(parts))
    return signatures[0] != signatures[1]
