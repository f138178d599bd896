"""Capacity, publication and prescribed wordings: derived once per staff post, read by rules.

Each fact is checked on both sides of its line, and enum-valued facts are checked through the
condition language on both engines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import socialpolicy as sp
from socialpolicy.signals import derive
from socialpolicy.signals._capacity import wording_spans
from socialpolicy.signals._text import normalise

from .conftest import FIXTURES, staff_post

MINI = (FIXTURES / "mini.yaml").read_text()


def facts(policy: str, **fields: Any) -> dict[str, Any]:
    document = sp.load_policy(policy, engine="reference").document
    return derive(staff_post(**fields), document)[0]


@pytest.mark.parametrize(("account", "about", "expected"), [
    ({"handle": "@team", "kind": "departmental"}, False, "official"),
    ({"handle": "@hra", "kind": "corporate"}, False, "official"),
    ({"handle": "@jo", "kind": "professional"}, False, "professional"),
    ({"handle": "@jo", "kind": "personal"}, True, "professional"),
    ({"handle": "@jo", "kind": "personal", "bio": "Research manager at the HRA"}, False,
     "professional"),
    ({"handle": "@jo_hra", "kind": "personal"}, False, "professional"),
    ({"handle": "@jo", "kind": "personal", "bio": "Dog walker, baker"}, False, "personal"),
])
def test_capacity(account: dict[str, Any], about: bool, expected: str) -> None:
    assert facts("hra", account=account, about_employer=about)["fact.capacity"] == expected


@pytest.mark.parametrize(("fields", "published"), [
    ({}, True),
    ({"format": "blog", "platform": "blog"}, True),
    ({"format": "direct_message"}, False),
    ({"account": {"handle": "@jo", "public": False}}, False),
    ({"platform": "whatsapp"}, False),
])
def test_published(fields: dict[str, Any], published: bool) -> None:
    assert facts("hra", **fields)["fact.published"] is published


def test_employer_names_are_read_per_employment_type() -> None:
    council = {"employment": "council_employee"}
    bio = {"handle": "@sam", "bio": "Commissioner, Manchester City Council"}
    assert facts("mhcc", account=bio, author=council)["fact.account_names_employer"] is True
    assert facts("mhcc", account=bio, author=council)["fact.capacity"] == "professional"
    # The council is not an NHS employee's employer.
    assert facts("mhcc", account=bio)["fact.account_names_employer"] is False
    assert facts("mhcc", account={"handle": "@sam", "bio": "Works at MHCC"},
                 )["fact.account_names_employer"] is True


def test_bio_claiming_official_status_needs_the_organisation_named() -> None:
    official = {"handle": "@sam", "bio": "Official account of the MHCC digital team"}
    assert facts("mhcc", account=official)["fact.bio_claims_official"] is True
    unrelated = {"handle": "@sam", "bio": "Official taster of Manchester tarts"}
    assert facts("mhcc", account=unrelated)["fact.bio_claims_official"] is False
    plain = {"handle": "@sam", "bio": "Analyst at MHCC"}
    assert facts("mhcc", account=plain)["fact.bio_claims_official"] is False


def test_work_contact_in_bio() -> None:
    work = {"handle": "@jo", "bio": "Say hello: jo.bloggs@nhs.net"}
    home = {"handle": "@jo", "bio": "Say hello: jo.bloggs@example.com"}
    got = facts("mse_icb", account=work)
    assert got["fact.bio_has_work_contact"] is True and got["fact.bio_has_contact"] is True
    got = facts("mse_icb", account=home)
    assert got["fact.bio_has_work_contact"] is False and got["fact.bio_has_contact"] is True
    assert facts("mse_icb")["fact.bio_has_contact"] is False


BLOG = "Any views expressed in this blog are entirely my own and not those of my employer."


@pytest.mark.parametrize("text", [
    BLOG,
    "ANY VIEWS   EXPRESSED in this blog are entirely my own, and not those of my employer",
    "'Any views expressed in this blog are entirely my own and not those of my employer.'",
    "Footer. \u201cAny views expressed in this blog are entirely my own and not those of my "
    "employer.\u201d Thanks",
])
def test_prescribed_wording_tolerates_case_whitespace_quotes(text: str) -> None:
    assert list(wording_spans(normalise(text), BLOG))


def test_prescribed_wording_tolerates_contractions() -> None:
    prescribed = "It is not intended and should not be construed as a reference from the HRA."
    said = "It isn't intended and shouldn't be construed as a reference from the HRA"
    assert list(wording_spans(normalise(said), prescribed))


@pytest.mark.parametrize("text", [
    "Views are my own.",
    "Any views expressed in this blog are my own",
    "This reference is being made by me in a personal capacity.",
    "Many views expressed in this blog are entirely my own and not those of my employers",
])
def test_other_wordings_do_not_satisfy_a_prescribed_one(text: str) -> None:
    assert not list(wording_spans(normalise(text), BLOG))


def test_wording_span_points_into_the_callers_text() -> None:
    text = "My post. " + BLOG
    (start, end), = wording_spans(normalise(text), BLOG)
    assert text[start:end] == BLOG.rstrip(".")


# ---- the condition language ---------------------------------------------------------------

ENUM_RULE = """
  - id: professional-or-official
    applies_to: staff_post
    when: {all: [{label: political}, {fact: capacity, in: [professional, official]}]}
    outcome: advisory
    cites: ["1.1"]
    reason: test
    examples:
      fires: [{labels: [political], about_employer: true}]
      does_not_fire: [{labels: [political]}]
  - id: not-personal
    applies_to: staff_post
    when: {all: [{label: religious}, {fact: capacity, ne: personal}]}
    outcome: advisory
    cites: ["1.1"]
    reason: test
    examples:
      fires: [{labels: [religious], account: {kind: professional}}]
      does_not_fire: [{labels: [religious]}]
"""


def _with_rules(tmp_path: Path, extra: str) -> Path:
    assert "\nrules:\n" in MINI
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace("\nrules:\n", "\nrules:\n" + extra, 1))
    return path


def test_enum_fact_conditions_agree_on_both_engines(tmp_path: Path) -> None:
    path = _with_rules(tmp_path, ENUM_RULE)
    policies = [sp.load_policy(path, engine=e) for e in ("durable", "reference")]
    cases = [
        ({"labels": ["political"], "account": {"handle": "@a", "kind": "professional"}}, True),
        ({"labels": ["political"], "account": {"handle": "@a", "kind": "corporate"}}, True),
        ({"labels": ["political"], "account": {"handle": "@a"}}, False),
        ({"labels": ["religious"], "account": {"handle": "@a"}, "about_employer": True}, True),
        ({"labels": ["religious"], "account": {"handle": "@a"}}, False),
    ]
    for fields, fires in cases:
        decisions = [p.decide(staff_post(**fields)) for p in policies]
        assert decisions[0].outcome == decisions[1].outcome
        fired = {f.rule_id for f in decisions[0].findings}
        assert bool(fired & {"professional-or-official", "not-personal"}) is fires, fields


@pytest.mark.parametrize(("when", "code"), [
    ("{fact: capacity}", "condition-shape"),
    ("{fact: capacity, eq: personnel}", "bad-value"),
    ("{fact: published, eq: true}", "bad-operator"),
    ("{fact: wording_blog}", "unknown-fact"),
])
def test_bad_fact_conditions_are_reported(tmp_path: Path, when: str, code: str) -> None:
    rule = f"""
  - id: bad
    applies_to: staff_post
    when: {when}
    outcome: advisory
    cites: ["1.1"]
    reason: test
    examples: {{fires: [{{}}], does_not_fire: [{{}}]}}
"""
    codes = {d.code for d in sp.lint([_with_rules(tmp_path, rule)])}
    assert code in codes
