"""The policy document model: what a checked policy file says, with positions kept."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ..conditions import Condition
from ..subjects import Subject, subject_adapter
from ..timing import WorkingHours
from ..vocab import Outcome, SubjectKind

ClauseStatus = Literal["encoded", "not_encodable", "out_of_scope"]
ClauseRole = Literal["substantive", "procedural"]
CLAUSE_ROLES: tuple[ClauseRole, ...] = ("substantive", "procedural")
INVARIANT_PROPERTIES: tuple[str, ...] = ("labels_monotone",)
CLAUSE_STATUSES: tuple[ClauseStatus, ...] = ("encoded", "not_encodable", "out_of_scope")


@dataclass(frozen=True, slots=True)
class Position:
    """Where something was written: `file:line:column` as `str()` gives it, for diagnostics
    and for finding a rule or example in its policy file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of the source document, quoted verbatim.

    `role` says whether the clause decides what is allowed (`substantive`) or how and when the
    organisation acts (`procedural`: deadlines, monitoring, who to tell), so summaries can lead
    with what decided an outcome. `cut_off` notes text missing from the source: a decision that
    rests on the clause carries a warning saying so.
    """

    id: str
    title: str
    text: str
    status: ClauseStatus
    reason: str | None
    note: str | None
    position: Position
    role: ClauseRole = "substantive"
    cut_off: str | None = None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """An action as a rule declares it (`kind`, optional `target` and `detail`); a decision
    carries it as an `Action` with its citations."""

    kind: str
    target: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Fallback:
    """What a rule does instead when the platform cannot apply its outcome."""

    outcome: Outcome
    actions: tuple[ActionSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class Example:
    """A partial subject that must (or must not) fire its rule."""

    fields: Mapping[str, Any]
    fires: bool
    position: Position


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a policy, as written: for subjects of kind `applies_to`, when `when` holds,
    the outcome, the actions and the clauses it `cites`, with the `reason` a decision repeats.

    `if_unavailable` says what to do where the platform cannot apply the outcome;
    `respond_within_working_days` sets a response deadline; `examples` are the partial subjects
    that must (or must not) fire it, checked on every load of the policy."""

    id: str
    applies_to: SubjectKind
    when: Condition
    outcome: Outcome
    cites: tuple[str, ...]
    reason: str
    actions: tuple[ActionSpec, ...] = ()
    if_unavailable: Fallback | None = None
    respond_within_working_days: int | None = None
    examples: tuple[Example, ...] = ()
    position: Position = Position("<memory>", 1, 1)


@dataclass(frozen=True, slots=True)
class Invariant:
    """A property every decision of a kind must have, checked by property tests.

    Either a guarded expectation (`when` and optionally `labels_within`, then `outcome_in` or
    `outcome_not_in`) or a named built-in `property` (`labels_monotone`: adding a label never
    makes the outcome less severe).
    """

    id: str
    applies_to: SubjectKind
    cites: tuple[str, ...]
    reason: str
    when: Condition | None = None
    labels_within: frozenset[str] | None = None
    outcome_in: frozenset[Outcome] | None = None
    outcome_not_in: frozenset[Outcome] | None = None
    property: str | None = None
    position: Position = Position("<memory>", 1, 1)


@dataclass(frozen=True, slots=True)
class KindDefault:
    """The outcome for a kind when none of its rules fires, with the clauses that justify it."""

    outcome: Outcome
    cites: tuple[str, ...]
    reason: str
    #: cut-off clauses whose missing text might have decided otherwise: the default warns
    cut_off: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scope:
    """Which subjects of a kind the policy governs: the rest are `not_covered`, with
    `outside` as the reason."""

    when: Condition
    cites: tuple[str, ...]
    outside: str


@dataclass(frozen=True, slots=True)
class KindPolicy:
    """How a policy treats one kind of subject: a default and a scope, or not at all."""

    kind: SubjectKind
    default: KindDefault | None = None
    scope: Scope | None = None
    not_covered: str | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    """What the policy says on one comparison topic (vocab.TOPICS), in a few words, and where."""

    summary: str
    cites: tuple[str, ...]
    position: Position = Position("<memory>", 1, 1)


@dataclass(frozen=True, slots=True)
class PublicContacts:
    """The organisation's own published contact details (`public_contacts:` in a policy):
    a comment repeating them shares no one's personal details."""

    names: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PrescribedWording:
    """Words a clause prescribes exactly ("a disclaimer which says: ...")."""

    id: str
    clause: str
    text: str


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """Everything a policy file says, as loaded and checked: metadata, clauses, rules, how each
    kind is treated, topics and invariants. `Policy.document` gives it; `file` and `digest` name the
    exact text it was read from."""

    id: str
    organisation: str
    title: str
    version: str
    effective: date | None
    review: date | None
    source: str
    source_file: str | None
    #: the file name the source document was first collected under, kept for provenance
    seed_file: str | None
    names: tuple[str, ...]
    disclaimers: tuple[str, ...]
    working_hours: WorkingHours | None
    notes: str | None
    kinds: Mapping[SubjectKind, KindPolicy]
    clauses: tuple[Clause, ...]
    rules: tuple[Rule, ...]
    example_defaults: Mapping[SubjectKind, Mapping[str, Any]]
    file: str
    digest: str
    clause_index: Mapping[str, Clause] = field(default_factory=dict)
    invariants: tuple[Invariant, ...] = ()
    #: Comparison topics the document speaks to; a topic left out has no clause on it.
    topics: Mapping[str, Topic] = field(default_factory=dict)
    #: The organisation's published names, domains, addresses and numbers: not personal data.
    public_contacts: PublicContacts = field(default_factory=PublicContacts)
    #: Exact words a clause prescribes, by id (fact `wording_<id>`), with the clause id.
    prescribed_wordings: Mapping[str, PrescribedWording] = field(default_factory=dict)
    #: Names of the author's employer, per employment type, beyond the organisation's own.
    employer_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Labels of a kind's vocabulary no rule reads, each with the reason (coverage reports
    #: any other unread label as a gap).
    unread_labels: Mapping[SubjectKind, Mapping[str, str]] = field(default_factory=dict)

    def cut_off_warnings(self, clause_ids: Iterable[str], because: str) -> list[str]:
        """Warnings for the cut-off clauses among `clause_ids`, in clause order."""
        wanted = set(clause_ids)
        return [f"clause {c.id} ({c.title}) is cut off in the source: {c.cut_off}; {because}"
                for c in self.clauses if c.id in wanted and c.cut_off]

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; a `KeyError` if the policy has none."""
        return self.clause_index[clause_id]

    def rules_for(self, kind: SubjectKind) -> tuple[Rule, ...]:
        """The rules that apply to `kind`, in file order."""
        return tuple(rule for rule in self.rules if rule.applies_to == kind)


BUILTIN_EXAMPLE_DEFAULTS: dict[SubjectKind, dict[str, Any]] = {
    "comment": {
        "platform": "facebook", "channel": "comment", "text": "",
        "author": "@member_of_public", "posted_at": "2026-03-04T10:00:00+00:00", "labels": [],
    },
    "staff_post": {
        "platform": "x", "format": "post", "text": "", "posted_at": "2026-03-04T10:00:00+00:00",
        "account": {"handle": "@jo_bloggs", "display_name": "Jo Bloggs", "bio": "",
                    "kind": "personal"},
        "author": {"employment": "employee"}, "about_employer": False, "labels": [],
    },
    "account_request": {
        "platform": "x", "purpose": "department", "requested_by": {"employment": "employee"},
    },
}


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def example_subject(kind: SubjectKind, fields: Mapping[str, Any],
                    policy_defaults: Mapping[str, Any] | None = None) -> Subject:
    """Build a full subject from a partial one: built-in defaults, then the policy's, then
    the example's own fields (nested mappings merged key by key)."""
    data = _merge(BUILTIN_EXAMPLE_DEFAULTS[kind], policy_defaults or {})
    data = _merge(data, {k: v for k, v in fields.items() if k != "kind"})
    data["kind"] = kind
    return subject_adapter.validate_python(data)
