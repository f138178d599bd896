"""The decide stage: signals, the engine call, combining findings, deadlines and warnings.

A `Policy` is compiled once and immutable; `decide` is safe to call from many threads.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

from ._batch import DEFAULT_CHUNK, check_options, decide_rows
from ._plan import KindPlan, PolicyPlan
from ._progress import progress_bar
from .decision import NOTHING, Citation, Decision, Evidence, Finding, FrozenList
from .engines import Engine, EngineName, make_engine
from .errors import EngineError, SubjectKindError
from .explain import Explanation, RuleTrace, trace
from .policy.compiler import SCOPE_RULE
from .policy.loader import compile_file
from .policy.model import Clause, PolicyDocument, Rule
from .signals import (
    Detector,
    check_detectors,
    derive,
    detected_labels,
    text_warnings,
)
from .subjects import AccountRequest, Comment, StaffPost, Subject, revalidated, subject_adapter
from .vocab import KIND_PLURALS, Capability, Outcome, SubjectKind

if TYPE_CHECKING:
    import pandas as pd

    from .analysis.why_not import WhyNot

PlatformCapabilities = Mapping[str, Iterable[Capability]]


class Policy:
    """A loaded, checked and compiled policy, bound to one engine."""

    def __init__(self, document: PolicyDocument, ir: dict[str, Any],
                 engine: EngineName = "durable") -> None:
        self._document = document
        self._ir = ir
        self._engine: Engine = make_engine(engine, ir)
        self._plan = PolicyPlan(document, KIND_PLURALS)
        self._review_warning: list[str] = NOTHING if document.review is None else FrozenList([
            f"the {document.id} policy passed its review date ({document.review.isoformat()}); "
            "check it is still current"])
        self._review_passed_at = _midnight_after(document.review)

    # ---- what the policy is -----------------------------------------------------------------

    @property
    def id(self) -> str:
        """The policy's id (a bundled one is its file name), as decisions name it."""
        return self._document.id

    @property
    def version(self) -> str:
        """The policy file's own version; a decision records it next to `digest`."""
        return self._document.version

    @property
    def organisation(self) -> str:
        """The organisation whose document the policy encodes."""
        return self._document.organisation

    @property
    def title(self) -> str:
        """The title of the source document."""
        return self._document.title

    @property
    def review(self) -> date | None:
        """The document's next review date; decisions after it carry a warning."""
        return self._document.review

    @property
    def digest(self) -> str:
        """SHA-256 of the policy file's text: which exact rules produced a decision."""
        return self._document.digest

    @property
    def engine(self) -> EngineName:
        """The engine decisions run on: `durable` or `reference`."""
        return self._engine.name

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """Every clause of the source document, quoted, with how it is encoded."""
        return self._document.clauses

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules, in file order; each cites the clauses it comes from."""
        return self._document.rules

    @property
    def document(self) -> PolicyDocument:
        """The checked policy file as a typed model, for tools that read it whole."""
        return self._document

    @property
    def ir(self) -> dict[str, Any]:
        """The compiled rule IR (plain data); a copy, so the policy stays immutable."""
        return copy.deepcopy(self._ir)

    def __repr__(self) -> str:
        return f"<Policy {self.id} v{self.version} engine={self.engine} digest={self.digest[:12]}>"

    # ---- deciding ---------------------------------------------------------------------------

    def decide(self, subject: Subject | Mapping[str, Any], *,
               platform_capabilities: PlatformCapabilities | None = None,
               as_of: date | None = None, detectors: Sequence[Detector] | None = None,
               staff_directory: Iterable[str] = ()) -> Decision:
        """Decide one subject: outcome, actions, the clauses behind them and any deadline.

        `subject` is a Comment, StaffPost or AccountRequest (or a mapping with a `kind` key).
        `platform_capabilities` overrides the default table of what a page owner can do to a
        comment per platform; `as_of` is the date the review-date warning is judged on.
        `detectors` replaces the built-in text detectors (`signals.DEFAULT_DETECTORS`; `()` for
        none); `staff_directory` lists staff full names, for the `names_staff` label.
        """
        step = self._prepare(subject, as_of, detectors, staff_directory)
        if isinstance(step, Decision):
            return step
        return self._conclude(step, self._engine.fired(step.facts), platform_capabilities)

    def _prepare(self, subject: Subject | Mapping[str, Any], as_of: date | None,
                 detectors: Sequence[Detector] | None, staff_directory: Iterable[str],
                 warnings: list[str] | None = None) -> Decision | _Prepared:
        """Everything before the engine call: a finished decision if no rule can apply, else
        the facts to evaluate (`decide_many` evaluates a chunk's facts in one engine call).

        A batch passes `warnings` (the review-date warning for `as_of`), worked out once for
        many rows, having checked `detectors` once too; without it both are done here."""
        subject = _as_subject(subject)
        kind: SubjectKind = subject.kind
        checked = warnings is not None
        if warnings is None:
            warnings = self._warnings(as_of)
        plan = self._plan.kinds[kind]
        if plan.not_covered is not None:
            return self._decision(Outcome.NOT_COVERED, kind, plan.not_covered,
                                  warnings=warnings, subject=subject,
                                  detectors=detectors)
        if detectors is not None and not checked:
            check_detectors(detectors)
        facts, evidence = derive(subject, self._document, detectors, staff_directory)
        long_texts = text_warnings(subject, detectors)
        if long_texts:
            warnings = FrozenList([*warnings, *long_texts])
        detected = FrozenList(detected_labels(subject, evidence)) if evidence else NOTHING
        return _Prepared(subject, kind, plan, facts, evidence, warnings, detected, detectors)

    def _conclude(self, step: _Prepared, fired: frozenset[str],
                  platform_capabilities: PlatformCapabilities | None,
                  row: int | None = None) -> Decision:
        """The decision from the rules that fired over a prepared subject's facts (numbered
        `row` in a batch)."""
        subject, kind, plan, _, evidence, warnings, detected, detectors = step
        if plan.outside_scope is not None and SCOPE_RULE not in fired:
            return self._decision(Outcome.NOT_COVERED, kind, plan.outside_scope,
                                  warnings=warnings, subject=subject,
                                  detectors=detectors, row=row)
        resolved = self._plan.resolve(
            kind, fired, self._plan.capabilities(subject.platform, platform_capabilities))
        if resolved is None:
            assert plan.default_outcome is not None
            return self._decision(plan.default_outcome, kind, plan.default_reason,
                                  citations=plan.default_citations,
                                  warnings=FrozenList([*warnings, *plan.default_warnings])
                                  if plan.default_warnings else warnings,
                                  detected=detected, subject=subject, detectors=detectors,
                                  row=row)
        combined = resolved.combined
        if evidence:
            findings = FrozenList([_with_evidence(f, [e for e in evidence if e.fact in keys])
                                   for f, keys in zip(combined.findings, resolved.evidence,
                                                      strict=True)])
        else:
            findings = combined.findings
        respond_by = None
        hours = self._document.working_hours
        if combined.respond_days and hours is not None and not isinstance(subject,
                                                                           AccountRequest):
            respond_by = hours.add_working_days(subject.posted_at, combined.respond_days)
        return Decision(
            combined.outcome, self._document.id, self._document.version, kind, combined.reason,
            combined.actions, combined.citations, findings, respond_by,
            FrozenList([*warnings, *combined.warnings]) if combined.warnings else warnings,
            self._engine.name, detected=detected, policy_digest=self._document.digest,
            subject_id=subject.id, subject=subject,
            detectors=None if detectors is None else tuple(detectors), row=row)

    def explain(self, subject: Subject | Mapping[str, Any], **options: Any) -> Explanation:
        """The decision plus, for every rule of the subject's kind, whether it fired and which
        conditions held or failed: why this outcome, and why not another."""
        subject = _as_subject(subject)
        return self._explain(subject, self.decide(subject, **options), options)

    def _explain(self, subject: Subject, decision: Decision,
                 options: Mapping[str, Any]) -> Explanation:
        """`explain` around a decision already taken with `options` (the command line decides
        a file's rows a chunk at a time, then explains each)."""
        policy = self._document.kinds.get(subject.kind)
        if policy is None or policy.not_covered is not None:
            return Explanation(decision, note="no rules: " + decision.reason)
        facts, _ = derive(subject, self._document, options.get("detectors"),
                          options.get("staff_directory", ()))
        rules = [RuleTrace(rule, (t := trace(rule.when, facts)).held, t)
                 for rule in self._document.rules_for(subject.kind)]
        scope = trace(policy.scope.when, facts) if policy.scope else None
        fired = {f.rule_id for f in decision.findings}
        traced = {t.rule.id for t in rules if t.fired}
        in_scope = scope is None or scope.held
        if in_scope and traced != fired:  # the engine and the trace must tell the same story
            raise EngineError(f"explanation disagrees with the {self.engine} engine: traced "
                              f"{sorted(traced)}, engine fired {sorted(fired)}")
        note = None if in_scope else "outside scope: " + decision.reason
        return Explanation(decision, rules, scope, note)

    def why_not(self, subject: Subject | Mapping[str, Any], outcome: str, *,
                limit: int | None = 10) -> WhyNot:
        """The smallest sets of changes to `subject` that would make this policy decide
        `outcome`, each verified on both engines (needs the `exact` extra)."""
        from .analysis.why_not import why_not

        return why_not(self, subject, outcome, limit=limit)

    def decide_many(self, subjects: Iterable[Subject | Mapping[str, Any]], *,
                    platform_capabilities: PlatformCapabilities | None = None,
                    as_of: date | None = None, detectors: Sequence[Detector] | None = None,
                    staff_directory: Iterable[str] = (),
                    progress: bool | None = None, workers: int | None = None,
                    chunk_size: int = DEFAULT_CHUNK) -> list[Decision]:
        """Decide every row, in order: exactly one decision per input, whatever it holds.

        A row that cannot be decided (not a subject, invalid fields, a date outside the
        calendar, an engine fault) gets an `error` decision with its `row`, the message in
        `error` and the problems structured in `error_detail`; the batch goes on.
        Rows are decided `chunk_size` at a time, each chunk's facts in one call to the durable
        engine (what makes it fast in bulk; the reference engine, which runs in this process,
        takes them row by row); `workers=N` decides the chunks in N processes
        (same order and results; worth it from tens of thousands of rows). `progress` draws a
        bar (None: for large batches when standard error is a terminal)."""
        return list(self._decide_rows(
            progress_bar(subjects, progress, f"deciding ({self.id})"),
            {"platform_capabilities": platform_capabilities, "as_of": as_of,
             "detectors": detectors, "staff_directory": tuple(staff_directory)},
            workers, chunk_size, read_ahead=True))

    def decide_iter(self, subjects: Iterable[Subject | Mapping[str, Any]], *,
                    platform_capabilities: PlatformCapabilities | None = None,
                    as_of: date | None = None, detectors: Sequence[Detector] | None = None,
                    staff_directory: Iterable[str] = (), workers: int | None = None,
                    chunk_size: int = DEFAULT_CHUNK) -> Iterator[Decision]:
        """`decide_many` as a stream: rows are read as decisions are taken, so memory stays
        flat at any input size. Same rules: one decision per row, in order. A list or tuple
        is decided `chunk_size` rows at a time, like `decide_many`; any other iterable one row
        at a time, each decision given as soon as its row arrives (a live pipe)."""
        return self._decide_rows(
            subjects, {"platform_capabilities": platform_capabilities, "as_of": as_of,
                       "detectors": detectors, "staff_directory": tuple(staff_directory)},
            workers, chunk_size, read_ahead=isinstance(subjects, list | tuple))

    def _decide_rows(self, subjects: Iterable[Subject | Mapping[str, Any]],
                     options: dict[str, Any], workers: int | None, chunk_size: int,
                     read_ahead: bool) -> Iterator[Decision]:
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                    or workers < 1):
            raise ValueError(f"`workers` must be a whole number of processes >= 1, "
                             f"not `{workers!r}`")
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"`chunk_size` must be a whole number >= 1, not `{chunk_size!r}`")
        check_options(options)
        if workers is None or workers == 1:
            return decide_rows(self, subjects, options, chunk=chunk_size if read_ahead else 1)
        from ._parallel import decide_parallel  # multiprocessing only when asked for

        return decide_parallel(self, subjects, options, workers, chunk_size)

    def decide_frame(self, frame: Any, *, errors: Literal["coerce", "raise"] = "coerce",
                     progress: bool | None = None, kind: SubjectKind | None = None,
                     extra: Literal["forbid", "ignore"] = "forbid",
                     **options: Any) -> pd.DataFrame:
        """Decide every row of a pandas DataFrame; a DataFrame on the same index comes back
        (needs the `analysis` extra). See `socialpolicy.frames.decide_frame`."""
        from .frames import _decide_frame  # pandas only when asked for

        return _decide_frame(self, frame, errors=errors, progress=progress, kind=kind,
                             extra=extra, **options)

    # ---- combining --------------------------------------------------------------------------

    def _citations(self, clause_ids: Sequence[str]) -> list[Citation]:
        return list(self._plan.citations(clause_ids))

    def _warnings(self, as_of: date | None) -> list[str]:
        review = self._document.review
        if review is None:
            return NOTHING
        if as_of is not None:
            passed = as_of > review
        elif self._review_passed_at is not None:
            passed = time.time() >= self._review_passed_at
        else:
            passed = date.today() > review
        return self._review_warning if passed else NOTHING

    def _decision(self, outcome: Outcome, kind: SubjectKind | None, reason: str,
                  subject: Subject | None = None, detectors: Sequence[Detector] | None = None,
                  **fields: Any) -> Decision:
        if subject is not None:
            fields.update(subject=subject, subject_id=subject.id,
                          detectors=None if detectors is None else tuple(detectors))
        return Decision(outcome=outcome, policy_id=self.id, policy_version=self.version,
                        kind=kind, reason=reason, engine=self.engine,
                        policy_digest=self._document.digest, **fields)


class _Prepared(NamedTuple):
    """A subject ready for the engine: its facts, and what the decision needs besides."""

    subject: Subject
    kind: SubjectKind
    plan: KindPlan
    facts: Mapping[str, Any]
    evidence: list[Evidence]
    warnings: list[str]
    detected: list[str]
    detectors: Sequence[Detector] | None


def _midnight_after(day: date | None) -> float | None:
    """The moment local time reaches the day after `day`: `date.today() > day` from then on,
    so a decision reads the clock instead of building today's date."""
    if day is None:
        return None
    try:
        return time.mktime((day + timedelta(days=1)).timetuple())
    except (OverflowError, ValueError):
        return None  # beyond the clock's range: compare dates instead


_SUBJECT_TYPES = frozenset({Comment, StaffPost, AccountRequest})


def _as_subject(subject: Any) -> Subject:
    if type(subject) in _SUBJECT_TYPES:
        return cast(Subject, subject)
    if isinstance(subject, Comment | StaffPost | AccountRequest):
        return revalidated(subject)  # a subclass: validated again by its model
    if isinstance(subject, Mapping):
        return subject_adapter.validate_python(dict(subject))
    raise SubjectKindError(
        f"cannot decide a `{type(subject).__name__}`; pass a Comment, StaffPost or "
        "AccountRequest (or a mapping with `kind`)")


def _with_evidence(finding: Finding, evidence: list[Evidence]) -> Finding:
    if not evidence:
        return finding
    return Finding(finding.rule_id, finding.outcome, finding.actions, finding.citations,
                   finding.reason, evidence)


def load_policy(policy: str | Path, engine: EngineName = "durable") -> Policy:
    """Load a bundled policy by id, or a policy file by path, compiled for `engine`."""
    compiled = compile_file(policy)
    return Policy(compiled.document, compiled.ir, engine)


_CACHE: dict[tuple[str, str], Policy] = {}
_CACHE_LOCK = threading.Lock()


def decide(subject: Subject | Mapping[str, Any], policy: str | Policy,
           engine: EngineName = "durable", **options: Any) -> Decision:
    """Convenience: decide under a bundled policy id (loaded once and cached) or a Policy."""
    if isinstance(policy, str):
        key = (policy, engine)
        with _CACHE_LOCK:  # several threads asking at once load the policy once
            if key not in _CACHE:
                _CACHE[key] = load_policy(policy, engine)
            policy = _CACHE[key]
    return policy.decide(subject, **options)
