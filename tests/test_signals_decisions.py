"""Detectors inside decisions: what a comment or staff post decides with no caller labels,
the evidence it carries, provenance (`detected`), and switching detectors off or adding one."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import pytest

import socialpolicy as sp
from socialpolicy.signals import DEFAULT_DETECTORS, DetectionContext, Text, TextDetector

from .conftest import ENGINES, comment


@cache
def policy(policy_id: str, engine: str) -> sp.Policy:
    return sp.load_policy(policy_id, engine=engine)  # type: ignore[arg-type]


@pytest.fixture(params=ENGINES)
def mse(request: pytest.FixtureRequest) -> sp.Policy:
    return policy("mse_icb", str(request.param))


def post(text: str = "Lovely walk this morning", **account: Any) -> sp.StaffPost:
    return sp.StaffPost(platform="x", text=text, posted_at="2026-03-04T10:00:00Z",
                        account={"handle": "@jo_bloggs", **account})


# ---- comments: MSE ICB Appendix B, with no labels from the caller ---------------------------

@pytest.mark.parametrize(("text", "detector", "span"), [
    ("Please call me back on 07700 900123 about my referral", "phone_number", (23, 35)),
    ("Email me at jo.bloggs@example.com, nobody has replied", "email", (12, 33)),
])
def test_contact_details_remove_an_unlabelled_comment(mse: sp.Policy, text: str, detector: str,
                                                      span: tuple[int, int]) -> None:
    d = mse.decide(comment(text=text))
    assert d.outcome == "delete"
    assert "appendix-b/personal-details" in [c.clause_id for c in d.citations]
    assert d.detected == ["personal_details"]
    evidence = [e for f in d.findings for e in f.evidence]
    assert evidence and {(e.detector, e.field, e.start, e.end, e.fact) for e in evidence} == {
        (detector, "text", *span, "label.personal_details")}
    assert text[span[0]:span[1]] == evidence[0].text
    assert "detected in the text: personal_details" in d.summary()
    assert d.to_dict()["detected"] == ["personal_details"]


def test_profanity_and_named_staff_are_detected(mse: sp.Policy) -> None:
    swearing = mse.decide(comment(text="This is a f***ing joke, 6 weeks for a blood test"))
    assert swearing.outcome == "delete" and swearing.detected == ["profanity"]
    assert "appendix-b/swearing" in [c.clause_id for c in swearing.citations]
    text = "Priya Shah in the funding team never rang back"
    assert mse.decide(comment(text=text)).outcome == "leave"  # no directory, no detection
    named = mse.decide(comment(text=text), staff_directory=["Priya Shah", "Mark Davies"])
    assert named.detected == ["names_staff"]
    assert "appendix-b/naming-staff" in [c.clause_id for c in named.citations]


def test_a_clean_comment_detects_nothing(mse: sp.Policy) -> None:
    d = mse.decide(comment(text="Is the Scunthorpe clinic open on 12/03/2024 at 10:30? Call 111",
                           labels={"criticism"}))
    assert d.outcome == "leave" and d.detected == []


# ---- provenance and options ------------------------------------------------------------------

def test_caller_labels_stand_and_are_not_marked_detected(mse: sp.Policy) -> None:
    d = mse.decide(comment(text="call 07700 900123", labels={"personal_details"}))
    assert d.outcome == "delete" and d.detected == []
    assert any(e.detector == "phone_number" for f in d.findings for e in f.evidence)
    asserted = mse.decide(comment(text="no number here", labels={"personal_details"}))
    assert asserted.outcome == "delete"  # a detector never removes a caller's label


def test_detectors_can_be_switched_off(mse: sp.Policy) -> None:
    text = "call 07700 900123 or jo@example.com"
    assert mse.decide(comment(text=text), detectors=()).outcome == "leave"
    no_phone = [d for d in DEFAULT_DETECTORS if d.name != "phone_number"]
    d = mse.decide(comment(text=text), detectors=no_phone)
    assert d.outcome == "delete"
    assert {e.detector for f in d.findings for e in f.evidence} == {"email"}
    rows = mse.decide_many([comment(text=text)], detectors=())
    assert [r.outcome for r in rows] == ["leave"]


def test_a_caller_can_supply_its_own_detector(mse: sp.Policy) -> None:
    def case_numbers(text: Text, context: DetectionContext) -> Iterable[tuple[int, int]]:
        start = text.folded.find("case ")
        return [] if start < 0 else [(start, start + 11)]

    mine = TextDetector("case_number", {("comment", "text"): "label.personal_details"},
                        case_numbers)
    d = mse.decide(comment(text="My CASE 123456 is still open"),
                   detectors=[*DEFAULT_DETECTORS, mine])
    assert d.outcome == "delete" and d.detected == ["personal_details"]
    (evidence,) = {e for f in d.findings for e in f.evidence}
    assert (evidence.detector, evidence.text) == ("case_number", "CASE 123456")


@pytest.mark.parametrize(("detectors", "message"), [
    ([TextDetector("x", {("comment", "posted_at"): "label.spam"}, lambda t, c: [])],
     "not a text field"),
    ([TextDetector("x", {("comment", "text"): "label.spamm"}, lambda t, c: [])],
     "not a label or derived fact"),
    ([TextDetector("x", {("comment", "text"): "fact.handle_names_org"}, lambda t, c: [])],
     "not a label or derived fact"),
    ([DEFAULT_DETECTORS[0], DEFAULT_DETECTORS[0]], "two detectors are named `phone_number`"),
    (["phone_number"], "is not a detector"),
])
def test_bad_detectors_are_refused(detectors: Any, message: str) -> None:
    with pytest.raises(sp.DetectorError, match=message):
        policy("mse_icb", "reference").decide(comment(text="hi"), detectors=detectors)


# ---- staff posts: names and disclaimers, nothing asserted ------------------------------------

@pytest.mark.parametrize(("policy_id", "subject", "outcome", "rules"), [
    # MHCC 7.2: a name in the handle is branding, which a disclaimer does not cure.
    ("mhcc", post(handle="@sarah_mhcc", bio="Views are my own."), "breach",
     ["org-name-in-account-name"]),
    ("mhcc", post(handle="@\u039c\u0397CC_sarah", bio="Views are my own."), "breach",
     ["org-name-in-account-name"]),
    # MHCC 7.4: a bio naming MHCC needs the views statement.
    ("mhcc", post(bio="Commissioning manager at MHCC."), "breach", ["no-views-statement"]),
    ("mhcc", post(bio="Commissioning manager at MHCC. Views are my own."), "compliant", []),
    ("mhcc", post(handle="@ManchesterSarah", bio="Runner"), "compliant", []),
    # MSE ICB 7.1.9: never in a personal handle, with or without a disclaimer.
    ("mse_icb", post(handle="@JoBloggsMSEICS", bio="Views my own"), "breach",
     ["personal-handle-names-org"]),
    ("mse_icb", post(handle="@MsEmily"), "compliant", []),
    ("mse_icb", post(handle="@premsey"), "compliant", []),
    ("mse_icb", post(handle="@PrimaryCareEssex", kind="departmental", known_to_comms_team=True),
     "advisory", ["departmental-handle-missing-org-name"]),
    ("mse_icb", post(handle="@MSEICB_PrimaryCare", kind="departmental",
                     known_to_comms_team=True), "compliant", []),
    # HRA 3.1: naming the HRA needs a disclaimer, in the bio or in the post's exact wording.
    ("hra", post(handle="@sam_hra"), "breach", ["missing-disclaimer"]),
    ("hra", post(handle="@sam_hra", bio="Approvals. Views are my own."), "compliant", []),
    ("hra", post("Off to the RECs training day - this is my personal view and doesn't represent "
                 "the position, strategy or opinions of the HRA", handle="@sam_hra"),
     "compliant", []),
    ("hra", post(display_name="Priya Khan | Health Research Authority", kind="professional"),
     "breach", ["missing-disclaimer"]),
    ("hra", post(handle="@HRAnnah"), "compliant", []),
])
@pytest.mark.parametrize("engine", ENGINES)
def test_staff_posts_decided_from_handles_and_bios(policy_id: str, subject: sp.StaffPost,
                                                   outcome: str, rules: list[str],
                                                   engine: str) -> None:
    d = policy(policy_id, engine).decide(subject)
    assert (d.outcome, [f.rule_id for f in d.findings]) == (outcome, rules)
    evidence = [e for f in d.findings for e in f.evidence]
    assert bool(evidence) == (outcome == "breach")  # a breach shows the name behind it
    for item in evidence:
        value = {"account.handle": subject.account.handle, "account.bio": subject.account.bio,
                 "account.display_name": subject.account.display_name}[item.field]
        assert item.detector == "org_name" and value[item.start:item.end] == item.text


def test_staff_post_profanity_is_a_detected_label() -> None:
    d = policy("mse_icb", "reference").decide(
        sp.StaffPost(platform="x", text="Another f***ing restructure at work, here we go",
                     posted_at="2026-03-04T10:00:00Z", about_employer=True,
                     account={"handle": "@jo_bloggs"}))
    assert d.detected == ["profanity"] and d.outcome != "compliant"


def test_explain_agrees_with_decide_when_detectors_are_off() -> None:
    mse = policy("mse_icb", "reference")
    subject = comment(text="call 07700 900123")
    assert mse.explain(subject, detectors=()).decision.outcome == "leave"
    assert mse.explain(subject).decision.outcome == "delete"
