"""Every bundled policy: loads clean, its rule examples fire (or not) and its decision cases hold,
under both engines; every clause is quoted verbatim from its source document."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import socialpolicy as sp
from socialpolicy._yaml import load
from socialpolicy.policy.model import example_subject

CASES = Path(__file__).parents[1] / "policies" / "cases"
POLICIES = sp.available_policies()
MIN_CASES = {"mhra": 10, "portsmouth": 10}


def test_the_five_bundled_policies() -> None:
    assert POLICIES == ["hra", "mhcc", "mhra", "mse_icb", "portsmouth"]


@pytest.fixture(scope="module", params=[(p, e) for p in POLICIES for e in ("durable",
                                                                             "reference")],
                ids=lambda pe: f"{pe[0]}-{pe[1]}")
def policy(request: pytest.FixtureRequest) -> sp.Policy:
    policy_id, engine = request.param
    return sp.load_policy(policy_id, engine=engine)


def test_policy_lints_clean_and_is_traceable(policy: sp.Policy) -> None:
    assert sp.lint([policy.id]) == []
    document = policy.document
    assert document.source_file, "bundled policies name their source for verbatim checks"
    cited = {c for rule in policy.rules for c in rule.cites}
    for kind in document.kinds.values():
        cited |= set(kind.default.cites if kind.default else ())
        cited |= set(kind.scope.cites if kind.scope else ())
    for clause in policy.clauses:
        assert (clause.status == "encoded") == (clause.id in cited), clause.id
        assert clause.status == "encoded" or clause.reason


def test_every_rule_example_fires_or_not_through_decide(policy: sp.Policy) -> None:
    checked = 0
    for rule in policy.rules:
        assert {e.fires for e in rule.examples} == {True, False}, rule.id
        for example in rule.examples:
            subject = example_subject(rule.applies_to, example.fields,
                                      policy.document.example_defaults.get(rule.applies_to))
            fired = {f.rule_id for f in policy.decide(subject).findings}
            assert (rule.id in fired) == example.fires, (rule.id, example.position)
            checked += 1
    assert checked >= 2 * len(policy.rules)


def _cases(policy_id: str) -> list[dict[str, Any]]:
    path = CASES / f"{policy_id}.yaml"
    doc, problems = load(path.read_text(), str(path))
    assert problems == [] and doc is not None
    assert doc.data["policy"] == policy_id
    cases: list[dict[str, Any]] = doc.data["cases"]
    return cases


@pytest.mark.parametrize("policy_id", POLICIES)
def test_enough_decision_cases(policy_id: str) -> None:
    cases = _cases(policy_id)
    assert len(cases) >= MIN_CASES.get(policy_id, 20)
    assert len({case["name"] for case in cases}) == len(cases), "case names are unique"


def test_decision_cases(policy: sp.Policy) -> None:
    failures = []
    for case in _cases(policy.id):
        fields = dict(case["subject"])
        kind = fields.pop("kind")
        subject = example_subject(kind, fields, policy.document.example_defaults.get(kind))
        decision = policy.decide(subject,
                                 platform_capabilities=case.get("platform_capabilities"))
        expect = case["expect"]
        got: dict[str, Any] = {
            "outcome": str(decision.outcome),
            "cites": sorted(c.clause_id for c in decision.citations),
        }
        want: dict[str, Any] = {"outcome": expect["outcome"], "cites": sorted(expect["cites"])}
        if "rules" in expect:
            got["rules"] = sorted(f.rule_id for f in decision.findings)
            want["rules"] = sorted(expect["rules"])
        if "respond_by" in expect:
            got["respond_by"] = decision.respond_by
            want["respond_by"] = (datetime.fromisoformat(expect["respond_by"])
                                  if expect["respond_by"] else None)
        for action in expect.get("actions", []):
            if sp.Action(action["kind"], action.get("target")) not in decision.actions:
                got.setdefault("missing_actions", []).append(action)
        if got != want:
            failures.append((case["name"], want, got))
    assert failures == []
