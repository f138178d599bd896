"""Why not: the smallest sets of changes to a subject that would give it another outcome.

A change is to one attribute the rules can see: a label added or removed, a field set to another
value (an integer to another side of a threshold the rules use), or a derived fact turned on or
off (by editing the text it is read from). Over the exact subject space (see `space`), the sets
of attributes whose change can reach the target form a monotone family; its minimal members are
found by one recursion over the attributes, cofactoring the target's BDD: an attribute is either
kept as it is, or freed (quantified away). Every answer is realised as a changed subject and
decided on both engines before it is returned.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..decision import Decision
from ..errors import InputError
from ..signals import derive
from ..subjects import (
    AccountRequest,
    Comment,
    StaffPost,
    Subject,
    revalidated,
    subject_adapter,
)
from ..vocab import KIND_PLURALS, SCALES, Outcome, SubjectKind
from .semantics import Semantics
from .space import Attribute, Function, Space
from .witness import realize, verify

if TYPE_CHECKING:
    from ..engine import Policy

#: Stop collecting minimal sets past this many (the answer then says it is incomplete).
SET_LIMIT = 5000
_FACTS = {"fact.out_of_hours": "posted out of working hours",
          "fact.handle_names_org": "the handle names the organisation",
          "fact.display_name_names_org": "the display name names the organisation",
          "fact.bio_names_org": "the bio names the organisation",
          "fact.text_has_disclaimer": "the text carries a disclaimer",
          "fact.bio_has_disclaimer": "the bio carries a disclaimer",
          "fact.proposed_handle_names_org": "the proposed handle names the organisation"}


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to a subject: attribute `key` from `before` to `after`."""

    key: str
    before: Any
    after: Any

    def __str__(self) -> str:
        prefix, _, name = self.key.partition(".")
        if prefix == "label":
            return f"{'add' if self.after else 'remove'} label `{name}`"
        if prefix == "fact":
            what = _FACTS.get(self.key, f"fact `{name}`")
            return what if self.after else f"not: {what}"
        return f"`{name}`: {_show(self.before)} -> {_show(self.after)}"

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, with the edit as readable text under `change`."""
        return {"key": self.key, "from": self.before, "to": self.after, "change": str(self)}


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class Answer:
    """A minimal set of edits, the changed subject, and its decision (checked on both
    engines).

    Attributes:
        edits: the changes to make, none of which can be left out.
        subject: the subject with the edits made.
        decision: the changed subject's decision, which has the outcome asked for.
    """

    edits: tuple[Edit, ...]
    subject: Subject
    decision: Decision

    @property
    def rules(self) -> list[str]:
        """Ids of the rules that fire on the changed subject."""
        return [f.rule_id for f in self.decision.findings]

    @property
    def clauses(self) -> list[str]:
        """Ids of the clauses the changed subject's decision cites."""
        return [c.clause_id for c in self.decision.citations]

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data: the edits, the new outcome, its rules and clauses, the subject."""
        return {"edits": [e.to_dict() for e in self.edits], "rules": self.rules,
                "cites": self.clauses, "outcome": str(self.decision.outcome),
                "subject": self.subject.model_dump(mode="json")}


@dataclass
class WhyNot:
    """The answer to "why not `target`?": minimal edit sets, smallest first, or the reason
    none can reach it."""

    subject: Subject
    target: str
    decision: Decision
    answers: list[Answer] = field(default_factory=list)
    reason: str | None = None  # set when no change can reach the target
    complete: bool = True  # False when `limit` (or SET_LIMIT) cut the list short
    total: int = 0  # how many minimal sets exist (as far as counted)

    @property
    def already(self) -> bool:
        """True when the subject is already decided `target`: no change is needed."""
        return str(self.decision.outcome) == self.target

    def to_dict(self) -> dict[str, Any]:
        """The answer as JSON-ready data; `str()` gives the same as readable lines."""
        return {"target": self.target, "outcome": str(self.decision.outcome),
                "already": self.already, "reason": self.reason, "complete": self.complete,
                "minimal_sets": self.total, "answers": [a.to_dict() for a in self.answers]}

    def __str__(self) -> str:
        head = f"why not {self.target}? (decided {self.decision.outcome})"
        if self.already:
            return f"{head}\nit already is: no change needed"
        if self.reason:
            return f"{head}\nnone can: {self.reason}"
        shown = f"{len(self.answers)} of {self.total}" if not self.complete else str(self.total)
        lines = [f"{head}\n{shown} smallest set(s) of changes, smallest first:"]
        for i, answer in enumerate(self.answers, 1):
            lines.append(f"[{i}] " + "; ".join(str(e) for e in answer.edits))
            lines.append(f"    then {answer.decision.outcome} by rules "
                         f"{', '.join(answer.rules) or '(default)'}; cites "
                         f"{', '.join(answer.clauses) or 'nothing'}")
        return "\n".join(lines)


def why_not(policy: Policy, subject: Subject | Mapping[str, Any], outcome: str, *,
            limit: int | None = 10) -> WhyNot:
    """The smallest sets of changes to `subject` that make `policy` decide `outcome`.

    Minimal: no proper subset of an answer's changes can reach the outcome (whatever values
    it gives them); answers come smallest first, at most `limit` (None for all). Each answer is
    decided on both engines before it is returned. Unreachable outcomes give `reason`.
    """
    subject = (revalidated(subject) if isinstance(subject, Comment | StaffPost | AccountRequest)
               else subject_adapter.validate_python(dict(subject)))
    kind: SubjectKind = subject.kind
    allowed = [str(o) for o in SCALES[kind]] + [str(Outcome.NOT_COVERED)]
    if outcome not in allowed:
        raise InputError(f"`{outcome}` is not an outcome for {KIND_PLURALS[kind]}; use one of "
                         + ", ".join(allowed))
    decision = policy.decide(subject)
    result = WhyNot(subject, outcome, decision)
    if result.already:
        return result
    space, semantics, lock = _models(policy, kind)
    # One BDD manager per policy and kind serves every thread: dd's managers are not
    # thread-safe, so all work on its nodes (made and dropped) happens under its lock.
    with lock:
        _search(policy, space, semantics, result, limit)
    return result


def _search(policy: Policy, space: Space, semantics: Semantics, result: WhyNot,
            limit: int | None) -> None:
    """Fill `result` (plain data only: no BDD node outlives this call, so none is freed
    outside the lock)."""
    subject, outcome = result.subject, result.target
    target = semantics.at("outcome", outcome) & space.valid
    if space.is_empty(target):
        result.reason = _unreachable(policy, semantics, subject.kind, outcome)
        return
    facts, _ = derive(subject, policy.document)
    original = space.from_facts(facts)
    sets, complete = _minimal_sets(space, target, original)
    sets.sort(key=lambda s: (len(s), sorted(s)))
    result.total, result.complete = len(sets), complete
    for chosen in sets if limit is None else sets[:limit]:
        result.answers.append(_answer(policy, semantics, space, target, subject, original,
                                      chosen))
    if limit is not None and len(sets) > limit:
        result.complete = False


_Models = tuple[Space, Semantics, threading.Lock]
_MODELS: weakref.WeakKeyDictionary[Policy, dict[str, _Models]] = weakref.WeakKeyDictionary()
_MODELS_LOCK = threading.Lock()


def _models(policy: Policy, kind: SubjectKind) -> _Models:
    """The space and decisions of `policy` for `kind`, built once per loaded policy, with the
    lock that guards their BDD manager."""
    with _MODELS_LOCK:
        per_kind = _MODELS.setdefault(policy, {})
        if kind not in per_kind:
            ir = policy.ir
            space = Space(kind, [ir], [policy.document])
            per_kind[kind] = (space, Semantics(space, ir, policy.document), threading.Lock())
        return per_kind[kind]


def models(policy: Policy, kind: SubjectKind) -> tuple[Space, Semantics]:
    """The space and decisions `why_not` uses for `policy` and `kind` (for tests and single-
    threaded inspection: `why_not` itself holds the manager's lock while it works)."""
    space, semantics, _ = _models(policy, kind)
    return space, semantics


def _minimal_sets(space: Space, target: Function, original: Mapping[str, Any],
                  ) -> tuple[list[frozenset[int]], bool]:
    """Minimal sets of attribute indices whose change can reach `target`."""
    search = _Search(space, original)
    return search.minimal(0, target), search.complete


class _Search:
    """The recursion behind `_minimal_sets` (a class, not a closure: no reference cycle keeps
    BDD nodes alive past their manager)."""

    def __init__(self, space: Space, original: Mapping[str, Any]) -> None:
        self.space = space
        self.original = original
        # Keyed by node id; the node is kept in the value so its id cannot be reused.
        self.memo: dict[tuple[int, int], tuple[Function, list[frozenset[int]]]] = {}
        self.complete = True

    def minimal(self, i: int, node: Function) -> list[frozenset[int]]:
        space = self.space
        if node == space.false:
            return []
        attributes = space.attributes
        if i == len(attributes):
            return [frozenset()]
        key = (i, int(node))
        if key in self.memo:
            return self.memo[key][1]
        attr: Attribute = attributes[i]
        bdd = space.bdd
        if not set(attr.names) & bdd.support(node):
            found = self.minimal(i + 1, node)
        else:
            kept = bdd.let(space.encode({attr.key: self.original[attr.key]}), node)
            keep = self.minimal(i + 1, kept)
            free = self.minimal(i + 1, bdd.exist(list(attr.names), node))
            found = keep + [s | {i} for s in free if not any(k <= s for k in keep)]
            if len(found) > SET_LIMIT:
                self.complete = False
                found = found[:SET_LIMIT]
        self.memo[key] = (node, found)
        return found


def _answer(policy: Policy, semantics: Semantics, space: Space, target: Function,
            subject: Subject, original: Mapping[str, Any], chosen: frozenset[int]) -> Answer:
    keep = {a.key: original[a.key] for i, a in enumerate(space.attributes) if i not in chosen}
    node = target & space.point(keep)
    values = space.pick(node, prefer=original)
    assert values is not None  # the set was found reachable
    changed = realize(space, values, [policy.document], base=subject)
    decision = verify(policy, changed, semantics.signature(values))
    facts, _ = derive(changed, policy.document)
    edits = tuple(Edit(a.key, original[a.key], facts[a.key])
                  for i, a in enumerate(space.attributes) if i in chosen)
    return Answer(edits, changed, decision)


def _unreachable(policy: Policy, semantics: Semantics, kind: SubjectKind, outcome: str) -> str:
    block = policy.ir["kinds"].get(kind)
    if block is None or "not_covered" in block:
        return (f"the {policy.id} policy does not cover {KIND_PLURALS[kind]}"
                + (f": {block['not_covered']}" if block else ""))
    if outcome == Outcome.NOT_COVERED:
        return f"every one of the {policy.id} policy's {KIND_PLURALS[kind]} is within its scope"
    saying = [r["id"] for r in block["rules"] if r["outcome"] == outcome]
    default = block["default"]["outcome"]
    if not saying:
        return (f"no {policy.id} rule for {KIND_PLURALS[kind]} says `{outcome}`, and the default "
                f"is `{default}`")
    live = [rid for rid in saying if not semantics.space.is_empty(semantics.fires(rid))]
    if not live:
        return f"the rules that say `{outcome}` ({', '.join(saying)}) can never fire"
    return (f"whenever a rule that says `{outcome}` fires ({', '.join(saying)}), a rule with a "
            "more severe outcome fires too (or the platform fallback changes it)")
