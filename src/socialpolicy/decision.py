"""What a decision says: outcome, actions, citations, findings, deadline.

Plain frozen dataclasses: cheap to build on a hot path, positional like the contract
(`Action("escalate", "foi_team")`), and `to_dict()` gives JSON-ready data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from .render import decision_html
from .vocab import Outcome, SubjectKind

if TYPE_CHECKING:
    from .subjects import Subject

_T = TypeVar("_T")


def _quick_pickle(cls: type[_T]) -> type[_T]:
    """Pickle as a constructor call with the field values. A slotted dataclass otherwise
    unpickles through `dataclasses.fields()` once per object, and decisions cross process
    boundaries by the hundred thousand in `decide_many(workers=N)`, where that held the
    caller back."""
    values = attrgetter(*(f.name for f in fields(cls)))  # type: ignore[arg-type]

    def reduce(self: _T) -> tuple[type[_T], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment,method-assign]
    return cls


class FrozenList(list[_T]):
    """A decision's list: read like any list, changed never. Decisions are immutable, so the
    lists in them are too, and that lets decisions with the same outcome share one list of
    actions, citations and findings: a kept decision stays small, and a million of them give
    the garbage collector a million objects to look at instead of six million."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type[FrozenList[_T]], tuple[list[_T]]]:
        return type(self), (list(self),)  # rebuilt whole: unpickling must not append


def _refuse(self: FrozenList[Any], *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError("a decision's lists cannot be changed (decisions are immutable); "
                    "copy one first with list(...)")


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
              "__setitem__", "__delitem__", "__iadd__", "__imul__"):
    setattr(FrozenList, _name, _refuse)

NOTHING: FrozenList[Any] = FrozenList()  # the one empty list every decision may share


def _nothing() -> list[Any]:
    return NOTHING


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Citation:
    """A clause behind a decision, with its text quoted from the source document.

    Attributes:
        policy_id: The policy the clause belongs to (`mse_icb`).
        clause_id: The clause's number in the source document (`6.4`, `appendix-b`).
        title: The clause's heading, as the source gives it.
        text: The clause's words, quoted verbatim from the source document.
        role: `substantive` (decides what happens) or `procedural` (how and when it is
            done)."""

    policy_id: str
    clause_id: str
    title: str
    text: str
    #: `substantive` (decides what happens) or `procedural` (how and when it is done).
    role: str = field(default="substantive", compare=False)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, the shape `Decision.to_dict()` nests it in."""
        return {"policy_id": self.policy_id, "clause_id": self.clause_id, "title": self.title,
                "text": self.text}


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Action:
    """Something to do. Equality is on (kind, target): `detail` and `citations` describe it.

    Attributes:
        kind: What to do (`hide`, `reply`, `escalate`...; see the policy's actions).
        target: Who or what it is done to or for, where the policy names one.
        detail: The policy's words on how to do it.
        citations: The clauses that call for it."""

    kind: str
    target: str | None = None
    detail: str | None = field(default=None, compare=False)
    citations: tuple[Citation, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, the shape `Decision.to_dict()` nests it in."""
        return {"kind": self.kind, "target": self.target, "detail": self.detail,
                "cites": [c.clause_id for c in self.citations]}


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the subject's text that a detector matched, and the key it set
    (`label.personal_details`, `fact.handle_names_org`).

    Attributes:
        detector: The detector's name (`phone_number`, `profanity`).
        field: The text field it read (`text`, `account.bio`).
        start: Where the span starts in the caller's own string.
        end: Where it ends: `subject_text[start:end] == text`.
        text: The matched text, as the caller wrote it.
        fact: The key the span set (`label.profanity`, `fact.bio_has_disclaimer`)."""

    detector: str
    field: str
    start: int
    end: int
    text: str
    fact: str

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, the shape `Decision.to_dict()` nests it in."""
        return {"detector": self.detector, "field": self.field, "start": self.start,
                "end": self.end, "text": self.text, "fact": self.fact}


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that fired: what it says, why, and on what evidence.

    Attributes:
        rule_id: The rule's id in the policy file.
        outcome: The outcome the rule gives.
        actions: What the rule says to do.
        citations: The clauses the rule cites, quoted.
        reason: The rule's reason, in the policy's words.
        evidence: The detector matches behind the labels and facts the rule tested (empty
            when it fired on the caller's own labels)."""

    rule_id: str
    outcome: Outcome
    # Sequences, not lists: a finding without evidence is shared by every decision that
    # fired its rule (tuples built once per policy), which keeps kept decisions small.
    actions: Sequence[Action]
    citations: Sequence[Citation]
    reason: str
    evidence: Sequence[Evidence] = ()

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, the shape `Decision.to_dict()` nests it in."""
        return {"rule_id": self.rule_id, "outcome": str(self.outcome),
                "actions": [a.to_dict() for a in self.actions],
                "cites": [c.clause_id for c in self.citations], "reason": self.reason,
                "evidence": [e.to_dict() for e in self.evidence]}


@_quick_pickle
@dataclass(frozen=True, slots=True)
class RowError:
    """One reason a row could not be decided, located within the row.

    `type` is pydantic's error type (`missing`, `literal_error`, ...) for a validation problem,
    else the exception's class name (`SubjectKindError`, `CalendarRangeError`, `EngineError`);
    `loc` is the path of the offending field inside the row (`("comment", "labels", 0)`), empty
    when the row as a whole is at fault."""

    type: str
    loc: tuple[str | int, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, the shape `Decision.to_dict()` nests it in."""
        return {"type": self.type, "loc": list(self.loc), "message": self.message}


@_quick_pickle
@dataclass(frozen=True, slots=True)
class Decision:
    """The policy's answer for one subject.

    Immutable, lists included: the lists a decision holds are read-only (changing one raises
    `TypeError`; `list(d.actions)` gives a copy to change) and decisions with the same outcome
    share them, which keeps a kept decision small.

    Attributes:
        outcome: The policy's answer (`leave`, `hide`, `delete`, `breach`, `reject`, ...;
            `error` for a row `decide_many` could not decide, `not_covered` where the policy
            says nothing).
        policy_id: The policy that decided.
        policy_version: Its version, as the policy file gives it.
        kind: The subject's kind (`comment`, `staff_post`, `account_request`); None on an
            error row whose kind could not be read.
        reason: Why, in one line.
        actions: What to do, from every rule that fired.
        citations: The clauses behind the outcome, quoted from the source document.
        findings: Every rule that fired, with its evidence.
        respond_by: When the response is due, where the policy sets a deadline.
        warnings: What to read the decision with: a clause cut off in the source, a
            reading chosen where the source is ambiguous, a policy past its review date, text
            beyond the detectors' limit.
        engine: The engine that decided (`durable` or `reference`).
        row: The row's position in the input, set by `decide_many`.
        error: On an `error` decision, what was wrong, as text.
        detected: Labels a detector found in the text that the caller did not assert.
        policy_digest: SHA-256 of the policy file's text: exactly which rules decided.
        subject_id: The caller's own id for the subject (its `id` field), passed through.
        subject: The subject decided on (kept for `record()`; not compared or printed).
        detectors: The detectors that read it (None: the built-in ones).
        error_detail: On an `error` decision, every problem, structured (see `RowError`)."""

    outcome: Outcome
    policy_id: str
    policy_version: str
    kind: SubjectKind | None
    reason: str
    actions: list[Action] = field(default_factory=_nothing)
    citations: list[Citation] = field(default_factory=_nothing)
    findings: list[Finding] = field(default_factory=_nothing)
    respond_by: datetime | None = None
    warnings: list[str] = field(default_factory=_nothing)
    engine: str = ""
    row: int | None = None  # set by decide_many
    error: str | None = None  # set on an `error` decision from decide_many
    #: Labels a detector found in the text that the caller did not assert (provenance).
    detected: list[str] = field(default_factory=_nothing)
    #: SHA-256 of the policy file's text, so a record says exactly which rules decided.
    policy_digest: str = ""
    #: The caller's own id for the subject (its `id` field), passed through untouched.
    subject_id: str | None = None
    #: The subject decided on and the detectors that read it (None: the built-in ones); kept
    #: by reference so `record()` can describe the decision, never compared or printed.
    subject: Subject | None = field(default=None, compare=False, repr=False)
    detectors: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    #: On an `error` decision: every problem, structured (see `RowError`); `error` is its text.
    error_detail: tuple[RowError, ...] = ()

    @property
    def adverse(self) -> bool:
        """True unless the outcome is the least severe on its scale (or not_covered)."""
        return self.outcome not in (Outcome.LEAVE, Outcome.COMPLIANT, Outcome.APPROVE,
                                    Outcome.NOT_COVERED)

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data (the subject itself left out; see `record`)."""
        return {
            "outcome": str(self.outcome), "kind": self.kind, "reason": self.reason,
            "policy_id": self.policy_id, "policy_version": self.policy_version,
            "actions": [a.to_dict() for a in self.actions],
            "citations": [c.to_dict() for c in self.citations],
            "findings": [f.to_dict() for f in self.findings],
            "respond_by": self.respond_by.isoformat() if self.respond_by else None,
            "warnings": list(self.warnings), "engine": self.engine, "row": self.row,
            "error": self.error, "detected": list(self.detected), "subject_id": self.subject_id,
            "error_detail": [e.to_dict() for e in self.error_detail],
        }

    def record(self, *, include_subject: bool = True) -> dict[str, Any]:
        """A JSON-ready audit record: a new decision id and timestamp, the subject (or only its
        SHA-256 digest), the outcome, actions and cited clauses, and exactly which policy text,
        engine, library and detectors produced it. `socialpolicy verify` re-decides records."""
        from .records import make_record

        return make_record(self, include_subject=include_subject)

    def to_json(self, indent: int | None = None) -> str:
        """`to_dict` as JSON text, non-ASCII kept as written."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def _repr_html_(self) -> str:  # notebooks
        return decision_html(self)

    def summary(self) -> str:
        """A few readable lines: outcome, actions and the quoted clauses behind them."""
        lines = [f"{self.outcome} ({self.policy_id} v{self.policy_version}): {self.reason}"]
        lines += [f"  action: {a.kind}" + (f" -> {a.target}" if a.target else "")
                  + (f" ({a.detail})" if a.detail else "") for a in self.actions]
        if self.respond_by:
            lines.append(f"  respond by: {self.respond_by.isoformat()}")
        if self.detected:
            lines.append("  detected in the text: " + ", ".join(self.detected))
        used_by: dict[Evidence, list[str]] = {}
        for finding in self.findings:  # one line per span, naming every rule that used it
            for item in finding.evidence:
                used_by.setdefault(item, []).append(finding.rule_id)
        lines += [f"  evidence: {e.detector} `{e.text}` in {e.field}[{e.start}:{e.end}] "
                  f"-> {e.fact} (rules {', '.join(rules)})" for e, rules in used_by.items()]
        for citation in self.citations:
            lines.append(f"  [{citation.clause_id}] {citation.title}: \"{citation.text}\"")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)
