"""Negations a policy author can write decide the same on durable_rules as on the reference.

durable_rules never matches an absent or null key against `!= true`, and the adapter's facts
are sparse (a key only ever compared with a boolean is left out when false). A policy reaches
that shape by `ne: true`, by `not:` around `eq: true`, a label, a derived fact or `present`,
and by `not:` around an `any:` (De Morgan). The compiler writes each such test on presence
("absent, or present and not true"), and no fact a rule tests is ever null: subject fields a
condition may test are enums, booleans and counts, an optional field is tested only by
`present` (a boolean), and derived facts are booleans or enum values. These tests write such a
policy and hold both engines to the same decisions, and the facts to never holding null.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.engines._durable_rules import ruleset_definition
from socialpolicy.policy.loader import compile_file
from socialpolicy.signals import derive
from socialpolicy.testing import account_requests, comments, staff_posts

from .conftest import FIXTURES

pytest.importorskip("durable_rules_engine")

RULES = """\
  - id: not-about-employer
    applies_to: staff_post
    when: {field: about_employer, ne: true}
    outcome: advisory
    cites: ["5.1"]
    reason: "`!= true` on a boolean field"
    examples:
      fires: [{about_employer: false}]
      does_not_fire: [{about_employer: true}]
  - id: political-not-public
    applies_to: staff_post
    when: {all: [{label: political}, {not: {field: account.public, eq: true}}]}
    outcome: advisory
    cites: ["5.1"]
    reason: "`not` around `eq: true`"
    examples:
      fires: [{labels: [political], account: {public: false}}]
      does_not_fire: [{labels: [political]}]
  - id: religious-unbranded
    applies_to: staff_post
    when: {all: [{label: religious}, {field: account.uses_org_branding, eq: false}]}
    outcome: advisory
    cites: ["5.1"]
    reason: a boolean field compared with false
    examples:
      fires: [{labels: [religious]}]
      does_not_fire: [{labels: [religious], account: {uses_org_branding: true}}]
  - id: grievance-without-disclaimer
    applies_to: staff_post
    when: {all: [{label: grievance}, {not: {fact: has_disclaimer}}]}
    outcome: breach
    cites: ["5.1"]
    reason: "`not` around a derived fact"
    examples:
      fires: [{labels: [grievance]}]
      does_not_fire: [{labels: [grievance], text: "views are my own"}]
  - id: no-bullying
    applies_to: staff_post
    when: {not: {label: bullying}}
    outcome: compliant
    cites: ["5.1"]
    reason: a rule that is only a negation
    examples:
      fires: [{labels: []}]
      does_not_fire: [{labels: [bullying]}]
  - id: comms-defamation
    applies_to: staff_post
    when: {all: [{field: author.is_communications_team, ne: false}, {label: defamatory}]}
    outcome: breach
    cites: ["5.1"]
    reason: "`!= false` on a boolean field"
    examples:
      fires: [{labels: [defamatory], author: {is_communications_team: true}}]
      does_not_fire: [{labels: [defamatory]}]
  - id: known-and-not-confidential
    applies_to: staff_post
    when: {not: {any: [{label: confidential}, {field: account.known_to_comms_team, ne: true}]}}
    outcome: advisory
    cites: ["5.1"]
    reason: "`not` around an `any` holding `!= true`"
    examples:
      fires: [{account: {known_to_comms_team: true}}]
      does_not_fire: [{labels: [confidential], account: {known_to_comms_team: true}}, {}]
  - id: in-hours-not-criticism
    applies_to: comment
    when:
      all: [{not: {fact: out_of_hours}}, {not: {all: [{label: spam}, {not: {label: criticism}}]}}]
    outcome: leave
    cites: ["4.3"]
    reason: nested negations of labels and a derived fact
    examples:
      fires: [{labels: [criticism]}]
      does_not_fire: [{labels: [spam]}]
  - id: no-handle-no-login
    applies_to: account_request
    when: {any: [{not: {field: proposed_handle, present: true}}, {field: secure_login, ne: true}]}
    outcome: refer
    cites: ["6.1"]
    reason: "`not present` and `!= true`"
    examples:
      fires:
        - {proposed_handle: null, secure_login: true}
        - {proposed_handle: "@ebc", secure_login: false}
      does_not_fire: [{proposed_handle: "@ebc", secure_login: true}]
"""


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture policy with the rules above, and account requests governed by clause 6.1."""
    text = (FIXTURES / "mini.yaml").read_text()
    text = text.replace(
        "    not_covered: the policy says nothing about opening accounts",
        '    default: {outcome: approve, cites: ["6.1"], reason: requests are approved}')
    text = text.replace(
        "clauses:\n",
        "clauses:\n  - {id: \"6.1\", title: Accounts, text: Requests need a handle and a secure "
        "login., status: encoded}\n")
    folder = tmp_path_factory.mktemp("negations")
    (folder / "negations.yaml").write_text(text + RULES)
    return folder / "negations.yaml"


@pytest.fixture(scope="module")
def engines(path: Path) -> tuple[sp.Policy, sp.Policy]:
    return sp.load_policy(path), sp.load_policy(path, engine="reference")


def view(decision: sp.Decision) -> tuple[str, list[str], list[str]]:
    return (str(decision.outcome), sorted(f.rule_id for f in decision.findings),
            sorted(c.clause_id for c in decision.citations))


def test_the_policy_is_clean_and_its_examples_pass_on_both_engines(path: Path) -> None:
    assert [d for d in sp.lint([path]) if d.severity == "error"] == []
    report = sp.run_cases(path, engines=("durable", "reference"))
    assert report.ok and report.failed == 0 and report.engines == ("durable", "reference")


def test_not_true_compiles_to_absent_or_not_true(path: Path) -> None:
    text = json.dumps(ruleset_definition(compile_file(path).ir, sparse=True))
    for key in ("field__about_employer", "field__account__public"):
        assert f'{{"$or": [{{"$nex": {{"{key}": 1}}}}, {{"$neq": {{"{key}": true}}}}]}}' in text
    # inside an `any`, the two branches join it (one group fewer against durable's limit)
    assert '{"$nex": {"field__secure_login": 1}}, {"$neq": {"field__secure_login": true}}' in text
    # `not` around `!= true` is `== true`, which never needed the presence test
    assert '{"field__account__known_to_comms_team": true}' in text
    for key in ("field__account__uses_org_branding", "label__bullying", "fact__has_disclaimer",
                "fact__out_of_hours", "field__proposed_handle"):
        assert f'{{"$nex": {{"{key}": 1}}}}' in text  # `== false` is `absent`
    assert '{"$ex": {"field__author__is_communications_team": 1}}' in text  # `!= false`


def test_every_combination_of_the_tested_booleans_decides_the_same(
        engines: tuple[sp.Policy, sp.Policy]) -> None:
    durable, reference = engines
    label_sets: list[set[str]] = [set(), {"political"}, {"religious", "grievance"},
                                  {"bullying", "defamatory"}, {"confidential"}]
    fired: set[str] = set()
    for about, public, branded, comms, known, disclaimer in itertools.product(
            (False, True), repeat=6):
        for labels in label_sets:
            post = sp.StaffPost.model_validate({
                "platform": "x", "posted_at": "2026-04-02T10:00:00+01:00",
                "text": "views are my own" if disclaimer else "a post", "labels": labels,
                "about_employer": about,
                "account": {"handle": "@jo", "public": public, "uses_org_branding": branded,
                            "known_to_comms_team": known},
                "author": {"is_communications_team": comms}})
            expected = view(reference.decide(post))
            assert view(durable.decide(post)) == expected, post
            fired.update(expected[1])
    for handle, login in itertools.product((None, "@ebc_news"), (False, True)):
        request = sp.AccountRequest(platform="x", purpose="department", proposed_handle=handle,
                                    secure_login=login,
                                    requested_by={"employment": "employee"})
        expected = view(reference.decide(request))
        assert view(durable.decide(request)) == expected, request
        fired.update(expected[1])
    # Each negated rule fired somewhere and was held back somewhere: the test is not vacuous.
    negated = {"not-about-employer", "political-not-public", "religious-unbranded",
               "grievance-without-disclaimer", "no-bullying", "comms-defamation",
               "known-and-not-confidential", "no-handle-no-login"}
    assert negated <= fired


@given(st.data())
def test_generated_subjects_decide_the_same_on_both_engines(
        engines: tuple[sp.Policy, sp.Policy], data: st.DataObject) -> None:
    durable, reference = engines
    document = reference.document
    subject = data.draw(st.one_of(
        comments(), account_requests(names=document.names),
        staff_posts(names=document.names, disclaimers=document.disclaimers)))
    assert view(durable.decide(subject)) == view(reference.decide(subject))


@pytest.fixture(scope="module")
def pairs(path: Path) -> st.SearchStrategy[tuple[Any, Any]]:
    """A policy (every bundled one, and the one above) with a subject in its own names; the
    strategies are built once, here, as building them is most of their cost."""
    documents = [compile_file(p).document for p in (*sp.available_policies(), path)]
    return st.one_of([st.tuples(st.just(document), subjects) for document in documents
                      for subjects in (comments(), account_requests(names=document.names),
                                       staff_posts(names=document.names,
                                                   disclaimers=document.disclaimers))])


@given(st.data())
def test_no_fact_a_rule_can_test_is_ever_null(
        pairs: st.SearchStrategy[tuple[Any, Any]], data: st.DataObject) -> None:
    # The one shape on which durable_rules and Python would part (`null != true`) never arises.
    document, subject = data.draw(pairs)
    facts, _ = derive(subject, document)
    assert [key for key, value in facts.items() if value is None] == []
