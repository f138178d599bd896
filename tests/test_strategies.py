"""The Hypothesis strategies in `socialpolicy.testing`: valid, far-reaching, biased, narrowable.

Reach is measured on a fixed-seed sample of each kind: every label, enum value and boundary turns
up, and every rule of every bundled policy fires on some generated subject.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import time, timedelta
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any, get_args

import holidays
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import socialpolicy as sp
from socialpolicy import testing
from socialpolicy.testing import account_requests, comments, staff_posts, subjects
from socialpolicy.timing import WorkingHours
from socialpolicy.vocab import (
    COMMENT_LABELS,
    STAFF_POST_LABELS,
    AccountKind,
    AccountPurpose,
    CommentChannel,
    CommentPlatform,
    Employment,
    PostFormat,
    StaffPlatform,
    UserNeedsEvidence,
)

SAMPLE_SIZE = 1000
SRC = Path(sp.__file__).parent


@cache
def bundled() -> tuple[sp.Policy, ...]:
    return tuple(sp.load_policy(pid, engine="reference") for pid in sp.available_policies())


@cache
def sample(kind: str, size: int = SAMPLE_SIZE) -> list[Any]:
    """A fixed-seed sample of generated subjects, in every bundled organisation's words."""
    names = [name for policy in bundled() for name in policy.document.names]
    wordings = [text for policy in bundled() for text in policy.document.disclaimers]
    strategy: st.SearchStrategy[Any] = {
        "comment": comments(),
        "staff_post": staff_posts(names=names, disclaimers=wordings),
        "account_request": account_requests(names=names),
    }[kind]
    seen: list[Any] = []

    @settings(max_examples=size, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(subject: Any) -> None:
        seen.append(subject)

    collect()
    return seen


def values(kind: str, read: Callable[[Any], Any]) -> set[Any]:
    return {read(subject) for subject in sample(kind)}


def all_labels(kind: str) -> set[str]:
    return {label for subject in sample(kind) for label in subject.labels}


# ---- reach -----------------------------------------------------------------------------------


def test_comments_reach_every_label_and_value() -> None:
    assert all_labels("comment") == COMMENT_LABELS
    assert values("comment", lambda c: c.platform) == set(get_args(CommentPlatform))
    assert values("comment", lambda c: c.channel) == set(get_args(CommentChannel))
    removals = values("comment", lambda c: c.author_prior_removals)
    assert set(range(6)) <= removals and max(removals) > 5
    assert set() in values("comment", lambda c: frozenset(c.labels))


def test_comment_times_reach_the_working_hour_edges() -> None:
    hours = WorkingHours()
    local = [hours.local(c.posted_at) for c in sample("comment")]
    times = {moment.time() for moment in local}
    assert {time(9), time(17), time(8, 59, 59, 999999), time(16, 59, 59, 999999)} <= times
    england = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2028))
    assert any(m.date() in england and m.weekday() < 5 for m in local)  # a weekday bank holiday
    assert {m.weekday() for m in local} == set(range(7))
    assert {m.utcoffset() for m in local} == {timedelta(0), timedelta(hours=1)}  # GMT and BST
    assert len({c.posted_at.utcoffset() for c in sample("comment")}) >= 4  # written variously
    in_hours = [hours.is_working_time(m) for m in local]
    assert 0.2 < sum(in_hours) / len(in_hours) < 0.8


def test_comment_texts_sometimes_carry_personal_details() -> None:
    policy = next(p for p in bundled() if p.id == "mse_icb")
    detected = [c for c in sample("comment") if "personal_details" not in c.labels
                and any(f.rule_id == "personal-details-pass-on-and-delete"
                        for f in policy.decide(c).findings)]
    assert detected


def test_staff_posts_reach_every_label_and_value() -> None:
    assert all_labels("staff_post") == STAFF_POST_LABELS
    assert values("staff_post", lambda p: p.platform) == set(get_args(StaffPlatform))
    assert values("staff_post", lambda p: p.format) == set(get_args(PostFormat))
    assert values("staff_post", lambda p: p.account.kind) == set(get_args(AccountKind))
    assert values("staff_post", lambda p: p.author.employment) == set(get_args(Employment))
    for flag in ("public", "uses_org_branding", "has_branding_dispensation",
                 "known_to_comms_team"):
        assert values("staff_post", attrgetter(f"account.{flag}")) == {True, False}
    assert values("staff_post", lambda p: p.about_employer) == {True, False}


def test_account_requests_reach_every_value_and_threshold() -> None:
    assert values("account_request", lambda r: r.purpose) == set(get_args(AccountPurpose))
    assert values("account_request", lambda r: r.platform) == set(get_args(StaffPlatform))
    assert (values("account_request", lambda r: r.requested_by.employment)
            == set(get_args(Employment)))
    assert (values("account_request", lambda r: r.user_needs_evidence)
            == set(get_args(UserNeedsEvidence)))
    checks = values("account_request", lambda r: r.checks_per_day)
    assert set(range(6)) <= checks and max(checks) > 5
    for name in ("objectives_and_kpis", "internal_comms", "comms_team_approved"):
        assert values("account_request", attrgetter(name)) == {True, False}
    for name in ("proposed_handle", "stakeholder_group", "operational_need"):
        missing = values("account_request", lambda r, n=name: getattr(r, n) is None)  # type: ignore[misc]
        assert missing == {True, False}


@pytest.mark.parametrize("kind", ["comment", "staff_post", "account_request"])
def test_every_rule_of_every_bundled_policy_fires_on_some_generated_subject(kind: str) -> None:
    for policy in bundled():
        rules = {rule.id for rule in policy.rules if rule.applies_to == kind}
        # Three times the usual sample: a rule needing a rare combination (MSE ICB's Yammer
        # rules want platform=yammer and one of four conduct labels, about 1 subject in 250)
        # must not hinge on which constants Hypothesis happens to draw from loaded modules.
        fired = {f.rule_id for subject in sample(kind, 3 * SAMPLE_SIZE)
                 for f in policy.decide(subject).findings}
        assert not rules - fired, (
            f"no generated {kind} fires these {policy.id} rules: {sorted(rules - fired)}; "
            "widen the label groups or the near misses in socialpolicy.testing")


def test_labels_come_in_themed_groups_that_cover_the_vocabulary() -> None:
    assert {x for group in testing.COMMENT_LABEL_GROUPS for x in group} == COMMENT_LABELS
    assert {x for group in testing.STAFF_POST_LABEL_GROUPS for x in group} == STAFF_POST_LABELS
    # Bias, not noise: pairs from one group come up far more often than uniform draws would give.
    both = [c for c in sample("comment") if {"foi_request", "real_name_discernible"} <= c.labels]
    assert len(both) >= SAMPLE_SIZE // 50


# ---- narrowing -------------------------------------------------------------------------------


@settings(max_examples=50)
@given(comments(labels={"criticism", "complaint"}, platform="x", channel=["reply", "mention"],
                author_prior_removals=3, text="fine"))
def test_comment_arguments_narrow(comment: sp.Comment) -> None:
    assert comment.labels <= {"criticism", "complaint"}
    assert (comment.platform, comment.author_prior_removals, comment.text) == ("x", 3, "fine")
    assert comment.channel in ("reply", "mention")


@settings(max_examples=50)
@given(staff_posts(labels=[], kind="departmental", employment=["volunteer", "governor"],
                   platform="yammer", format="blog", about_employer=True))
def test_staff_post_arguments_narrow(post: sp.StaffPost) -> None:
    assert post.labels == frozenset()
    assert (post.account.kind, post.platform, post.format) == ("departmental", "yammer", "blog")
    assert post.author.employment in ("volunteer", "governor") and post.about_employer


@settings(max_examples=50)
@given(account_requests(purpose="survey", employment="apprentice", checks_per_day=st.just(1),
                        platform="blog"))
def test_account_request_arguments_narrow(request: sp.AccountRequest) -> None:
    assert (request.purpose, request.requested_by.employment, request.checks_per_day,
            request.platform) == ("survey", "apprentice", 1, "blog")


@settings(max_examples=100)
@given(staff_posts(names=[], kind=["personal", "professional"]))
def test_without_names_no_handle_names_the_organisation(post: sp.StaffPost) -> None:
    policy = next(p for p in bundled() if p.id == "mse_icb")
    assert "personal-handle-names-org" not in {f.rule_id for f in policy.decide(post).findings}


@settings(max_examples=50)
@given(subjects())
def test_subjects_are_valid_and_of_every_kind(subject: Any) -> None:
    rebuilt = type(subject).model_validate(subject.model_dump())
    assert rebuilt == subject


# Typos in enum values are also caught by a type checker: the arguments are Literal-typed.
BAD_ARGUMENTS: list[tuple[Callable[[], Any], str]] = [
    (lambda: comments(labels={"targted_abuse"}),
     "unknown comment label `targted_abuse`, did you mean `targeted_abuse`?"),
    (lambda: comments(labels="spam"), "not the string `spam`; write labels={'spam'}"),
    (lambda: comments(platform="tiktokk"),  # type: ignore[arg-type]
     "unknown platform `tiktokk`; did you mean `tiktok`?"),
    (lambda: comments(channel="dm"),  # type: ignore[arg-type]
     "unknown channel `dm`; use one of: comment, reply, "),
    (lambda: staff_posts(kind="persnal"),  # type: ignore[arg-type]
     "unknown account kind `persnal`; did you mean `personal`?"),
    (lambda: account_requests(purpose=[]), "no purpose to draw from"),
    (lambda: staff_posts(names="MSE"), "not the string `MSE`; write names=['MSE']"),
    (lambda: staff_posts(disclaimers="Views my own"),
     "disclaimers must be a collection of texts, not the string `Views my own`"),
]


@pytest.mark.parametrize(("build", "message"), BAD_ARGUMENTS)
def test_bad_arguments_are_refused_with_a_hint(build: Callable[[], Any], message: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        build()
    assert message in str(caught.value)


# ---- isolation -------------------------------------------------------------------------------


def test_only_the_testing_module_imports_hypothesis() -> None:
    importing = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                       if re.search(r"^\s*(from|import) hypothesis\b", path.read_text(), re.M))
    assert importing == ["testing.py"]
    done = subprocess.run([sys.executable, "-c", "import sys, socialpolicy as sp; "
                           "sp.load_policy('mhra', engine='reference'); "
                           "print('hypothesis' in sys.modules)"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
