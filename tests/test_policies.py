"""Every bundled policy: loads clean, its rule examples fire (or not) and its decision cases hold,
under both engines; every clause is quoted verbatim from its source document."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.analysis.case_files import Case, read_cases

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


def test_examples_cases_and_invariants_pass_through_decide(policy: sp.Policy) -> None:
    """The library's own runner (`sp.run_cases`, `socialpolicy test`) on this engine."""
    report = sp.run_cases(policy, engines=(policy.engine,))
    assert report.failures == [], "\n".join(r.describe() for r in report.failures)
    counts = Counter(result.kind for result in report.results)
    assert counts["example"] >= 2 * len(policy.rules)
    assert counts["case"] == len(_cases(policy.id))
    assert counts["invariant"] == len(policy.document.invariants)


def _cases(policy_id: str) -> list[Case]:
    return read_cases(CASES / f"{policy_id}.yaml", policy_id)


@pytest.mark.parametrize("policy_id", POLICIES)
def test_enough_decision_cases(policy_id: str) -> None:
    cases = _cases(policy_id)
    assert len(cases) >= MIN_CASES.get(policy_id, 20)
    assert len({case.name for case in cases}) == len(cases), "case names are unique"
