"""The policy author's test runner: rule examples, invariants and decision cases, on both engines.

`run_cases` is what `socialpolicy test` runs (as Cedar's `run-tests` or `opa test` do): each rule
example must fire (or not) through a real decision, each decision case must get the expected
outcome and cited clauses, and each declared invariant must hold on every example and case subject.
A failure carries the file position of the example, case or invariant, and expected vs actual.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree

from pydantic import ValidationError

from ..decision import Action, Decision
from ..engine import Policy, load_policy
from ..engines import ENGINE_NAMES, EngineName
from ..policy.model import Position, example_subject
from ..subjects import Subject
from .case_files import Case, cases_file_for, read_cases
from .invariants import counterexample, violation

TestKind = Literal["example", "case", "invariant"]


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One check on one engine: passed, or why not (expected vs actual).

    Attributes:
        policy_id: the policy checked.
        kind: what was checked: a decision case, a rule example or an invariant.
        name: the case's name, or which example or invariant.
        engine: the engine that decided it (`durable` or `reference`).
        position: where the check is written, as `file:line:column`.
        passed: whether the decision met the expectation.
        expected: what the check expects (outcome, cited clauses, whether a rule fires).
        actual: what the decision gave, with the rules that fired.
        message: why it failed, in words, else `None`.
    """

    policy_id: str
    kind: TestKind
    name: str
    engine: str
    position: Position
    passed: bool
    expected: Mapping[str, Any] = field(default_factory=dict)
    actual: Mapping[str, Any] = field(default_factory=dict)
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, one result of `socialpolicy test --format json`."""
        return {"policy": self.policy_id, "kind": self.kind, "name": self.name,
                "engine": self.engine, "file": self.position.file, "line": self.position.line,
                "column": self.position.column, "passed": self.passed,
                "expected": _jsonable(self.expected), "actual": _jsonable(self.actual),
                "message": self.message}

    def describe(self) -> str:
        """The failure as a reader wants it: where, what, expected vs actual."""
        head = (f"{self.position}: {'ok' if self.passed else 'FAILED'} {self.kind} "
                f"`{self.name}` ({self.policy_id}, {self.engine} engine)")
        lines = [head]
        if self.message:
            lines += [f"  {line}" for line in self.message.splitlines()]
        for key in self.expected:
            want, got = self.expected[key], self.actual.get(key)
            mark = "" if want == got else "   <-- differs"
            lines.append(f"  {key}: expected {_show(want)}, got {_show(got)}{mark}")
        for key in self.actual:
            if key not in self.expected:
                lines.append(f"  {key}: {_show(self.actual[key])}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class CaseReport:
    """Every result of a run; `ok` when nothing failed."""

    results: tuple[CaseResult, ...]
    policies: tuple[str, ...]
    engines: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> int:
        """How many checks passed (each engine counts separately)."""
        return sum(result.passed for result in self.results)

    @property
    def failed(self) -> int:
        """How many checks failed."""
        return len(self.results) - self.passed

    @property
    def failures(self) -> list[CaseResult]:
        """The failed checks, each with its file position and message."""
        return [result for result in self.results if not result.passed]

    @property
    def ok(self) -> bool:
        """True when nothing failed: the gate a CI step or a review checks."""
        return self.failed == 0

    def summary(self) -> str:
        """The closing line CI readers look for."""
        return f"{self.passed} passed, {self.failed} failed"

    def __add__(self, other: CaseReport) -> CaseReport:
        return CaseReport(self.results + other.results, self.policies + other.policies,
                          tuple(dict.fromkeys(self.engines + other.engines)),
                          self.notes + other.notes)

    def to_text(self, verbose: bool = False) -> str:
        """The failures (every result with `verbose`), any notes, then the summary line."""
        shown = self.results if verbose else self.failures
        blocks = [result.describe() for result in shown] + list(self.notes)
        return "".join(block + "\n" for block in blocks) + self.summary() + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Counts and every result as JSON-ready data (`socialpolicy test --format json`)."""
        return {"passed": self.passed, "failed": self.failed, "policies": list(self.policies),
                "engines": list(self.engines), "notes": list(self.notes),
                "results": [result.to_dict() for result in self.results]}

    def to_json(self) -> str:
        """`to_dict` as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_junit_xml(self) -> str:
        """JUnit XML, one test suite per policy, for CI systems that render test reports."""
        root = ElementTree.Element("testsuites", tests=str(len(self.results)),
                                   failures=str(self.failed))
        for policy_id in self.policies:
            mine = [r for r in self.results if r.policy_id == policy_id]
            suite = ElementTree.SubElement(root, "testsuite", name=policy_id,
                                           tests=str(len(mine)),
                                           failures=str(sum(not r.passed for r in mine)))
            for result in mine:
                case = ElementTree.SubElement(
                    suite, "testcase", classname=f"{policy_id}.{result.kind}",
                    name=f"{result.name} [{result.engine}]", file=result.position.file,
                    line=str(result.position.line))
                if not result.passed:
                    failure = ElementTree.SubElement(
                        case, "failure", message=(result.message or "expectation not met"
                                                  ).splitlines()[0])
                    failure.text = result.describe()
        return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def run_cases(policy_or_path: Policy | str | Path, cases_path: str | Path | None = None, *,
              engines: Sequence[EngineName] = ENGINE_NAMES) -> CaseReport:
    """Run a policy's rule examples, invariants and decision cases on each engine.

    `policy_or_path` is a loaded `Policy`, a bundled id or a policy file (a broken one raises
    `PolicyError`). Cases come from `cases_path` (a file, or a folder holding `<id>.yaml`), else
    from `cases/<id>.yaml` beside the policy file; a policy with no case file runs its examples
    and invariants only. A malformed case file raises `PolicyError` with positions."""
    policy = (policy_or_path if isinstance(policy_or_path, Policy)
              else load_policy(policy_or_path, engine="reference"))
    case_file = cases_file_for(Path(policy.document.file), policy.id, cases_path)
    cases = read_cases(case_file, policy.id) if case_file is not None else []
    results: list[CaseResult] = []
    ran: list[str] = []
    notes: list[str] = []
    for engine in engines:
        try:
            bound = (policy if policy.engine == engine
                     else Policy(policy.document, policy.ir, engine))
        except ImportError as exc:
            notes.append(f"{policy.id}: the {engine} engine is not available here ({exc}); "
                         "its checks did not run")
            continue
        ran.append(engine)
        subjects = list(_example_results(bound, results))
        subjects += _case_results(bound, cases, results)
        _invariant_results(bound, subjects, results)
    if case_file is None:
        notes.append(f"{policy.id}: no decision-case file (looked for "
                     f"`cases/{policy.id}.yaml` beside the policy)")
    return CaseReport(tuple(results), (policy.id,), tuple(ran), tuple(notes))


def _example_results(policy: Policy, results: list[CaseResult]) -> Iterator[Subject]:
    defaults = policy.document.example_defaults
    for rule in policy.rules:
        counts = {True: 0, False: 0}
        for example in rule.examples:
            counts[example.fires] += 1
            subject = example_subject(rule.applies_to, example.fields,
                                      defaults.get(rule.applies_to))
            decision = policy.decide(subject)
            fired = sorted(f.rule_id for f in decision.findings)
            said = "fires" if example.fires else "does_not_fire"
            passed = (rule.id in fired) == example.fires
            results.append(CaseResult(
                policy.id, "example", f"{rule.id} {said} #{counts[example.fires]}", policy.engine,
                example.position, passed,
                {"fires": example.fires}, {"fires": rule.id in fired, "rules": fired,
                                           "outcome": str(decision.outcome)},
                None if passed else f"rule `{rule.id}` "
                f"{'did not fire' if example.fires else 'fired'}; `socialpolicy explain` shows "
                "which conditions held"))
            yield subject


def _case_results(policy: Policy, cases: list[Case], results: list[CaseResult]
                  ) -> list[Subject]:
    subjects = []
    for case in cases:
        try:
            subject = example_subject(case.kind, case.fields,
                                      policy.document.example_defaults.get(case.kind))
            decision = policy.decide(subject, platform_capabilities=case.platform_capabilities)
        except (ValidationError, ValueError) as exc:
            results.append(CaseResult(policy.id, "case", case.name, policy.engine,
                                      case.position, False,
                                      message=f"the case could not be decided: {_error(exc)}"))
            continue
        subjects.append(subject)
        expected, actual = _compare(case.expect, decision)
        passed = expected == actual
        results.append(CaseResult(
            policy.id, "case", case.name, policy.engine, case.position, passed, expected,
            {**actual, "rules fired": sorted(f.rule_id for f in decision.findings)},
            None if passed else "the decision differs from the expectation"))
    return subjects


def _compare(expect: Mapping[str, Any], decision: Decision
             ) -> tuple[dict[str, Any], dict[str, Any]]:
    expected: dict[str, Any] = {"outcome": expect["outcome"], "cites": sorted(expect["cites"])}
    actual: dict[str, Any] = {"outcome": str(decision.outcome),
                              "cites": sorted(c.clause_id for c in decision.citations)}
    if "rules" in expect:
        expected["rules"] = sorted(expect["rules"])
        actual["rules"] = sorted(f.rule_id for f in decision.findings)
    if "respond_by" in expect:
        want = expect["respond_by"]
        expected["respond_by"] = datetime.fromisoformat(want) if want else None
        actual["respond_by"] = decision.respond_by
    if expect.get("actions"):
        wanted = [Action(a["kind"], a.get("target")) for a in expect["actions"]]
        expected["actions present"] = [_action(a) for a in wanted]
        actual["actions present"] = [_action(a) for a in wanted if a in decision.actions]
    return expected, actual


def _invariant_results(policy: Policy, subjects: list[Subject],
                       results: list[CaseResult]) -> None:
    for invariant in policy.document.invariants:
        mine = [s for s in subjects if s.kind == invariant.applies_to]
        problem = None
        for subject in mine:
            problem = violation(policy, invariant, subject)
            if problem is not None:
                problem = counterexample(policy, invariant, subject, problem)
                break
        results.append(CaseResult(
            policy.id, "invariant", invariant.id, policy.engine, invariant.position,
            problem is None, message=problem,
            actual={"checked on": f"{len(mine)} example and case subjects"}))


def _action(action: Action) -> str:
    return action.kind + (f" -> {action.target}" if action.target else "")


def _error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        # The first step of a location is the union's tag (`comment`): not a field name.
        return "; ".join(f"`{'.'.join(str(p) for p in e['loc'][1:] or e['loc'])}`: {e['msg']}"
                         for e in exc.errors())
    return str(exc)


def _show(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in values.items()}
