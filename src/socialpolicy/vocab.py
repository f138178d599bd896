"""The fixed vocabularies: subject kinds, labels, outcome scales and actions.

Everything that names a thing a policy file or a caller may write lives here, so the subject
models, the checker and the engines agree on one spelling.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from enum import StrEnum
from typing import Final, Literal, get_args

SubjectKind = Literal["comment", "staff_post", "account_request"]
SUBJECT_KINDS: Final[tuple[SubjectKind, ...]] = ("comment", "staff_post", "account_request")
#: Each kind as a plural noun, for messages ("the mhra policy does not cover staff posts").
KIND_PLURALS: Final[dict[str, str]] = {
    "comment": "comments", "staff_post": "staff posts", "account_request": "account requests"}


class Outcome(StrEnum):
    """Every outcome a decision can carry; compares equal to its string value."""

    LEAVE = "leave"
    HIDE = "hide"
    DELETE = "delete"
    COMPLIANT = "compliant"
    ADVISORY = "advisory"
    BREACH = "breach"
    APPROVE = "approve"
    REFER = "refer"
    REJECT = "reject"
    NOT_COVERED = "not_covered"
    ERROR = "error"


SCALES: Final[dict[SubjectKind, tuple[Outcome, ...]]] = {
    "comment": (Outcome.LEAVE, Outcome.HIDE, Outcome.DELETE),
    "staff_post": (Outcome.COMPLIANT, Outcome.ADVISORY, Outcome.BREACH),
    "account_request": (Outcome.APPROVE, Outcome.REFER, Outcome.REJECT),
}


def severity(kind: SubjectKind, outcome: Outcome) -> int:
    """Rank of `outcome` on the scale of `kind` (0 is the least severe)."""
    return SCALES[kind].index(outcome)


COMMENT_LABELS: Final[frozenset[str]] = frozenset(
    [
        "targeted_abuse", "hate_speech", "personal_attack", "names_staff", "personal_details",
        "spam", "repetitive_provocation", "impersonation", "profanity", "illegal",
        "advertising", "platform_terms_breach", "misinformation", "disinformation",
        "emerging_health_threat", "criticism", "complaint", "medical_question", "foi_request",
        "real_name_discernible", "media_request", "patient_safety_risk", "reputational_risk",
        "safety_or_care_concern", "needs_department", "encourages_breaches",
        "offensive_username", "offensive_profile_image", "third_party_enquiry",
        "safeguarding_concern",
    ]
)

STAFF_POST_LABELS: Final[frozenset[str]] = frozenset(
    [
        "patient_identifiable", "confidential", "internal_information",
        "partners_or_suppliers", "attacks_colleague", "abusive_language", "profanity",
        "political", "religious", "defamatory", "discriminatory", "bullying", "grievance",
        "criticises_employer", "media_response", "media_contact_about_post",
        "official_comment_request", "speaks_for_employer", "whistleblowing", "commercial_gain",
        "professional_reference", "personal_reference", "engages_under_13",
        "minor_friend_request_accepted", "requests_personal_details", "child_image_named",
        "intimate_content", "legal_matter", "patient_care", "major_incident_content",
        "uncredited_content", "big_announcement", "edited_without_note", "copyright_breach",
        "endorses_inappropriate_content", "photo_without_consent",
        "contradicts_partner_agencies", "picks_fight",
    ]
)

LABELS: Final[dict[SubjectKind, frozenset[str]]] = {
    "comment": COMMENT_LABELS,
    "staff_post": STAFF_POST_LABELS,
    # Reserved by DESIGN 3: account requests carry no labels yet.
    "account_request": frozenset(),
}

ActionKind = Literal[
    "report_to_platform",
    "ban_author",
    "reply_with_reason",
    "contact_author",
    "escalate",
    "signpost",
    "record_theme",
    "notify_comms_team",
    "seek_approval",
]
ACTION_KINDS: Final[tuple[str, ...]] = get_args(ActionKind)
#: Seeking approval names whose approval (Portsmouth 10.1: the communications team).
ACTIONS_NEEDING_TARGET: Final[frozenset[str]] = frozenset({"escalate", "signpost", "seek_approval"})

CommentPlatform = Literal["facebook", "x", "instagram", "linkedin", "youtube", "tiktok", "other"]
StaffPlatform = Literal[
    "facebook", "x", "instagram", "linkedin", "youtube", "tiktok", "other",
    "whatsapp", "yammer", "blog",
]
CommentChannel = Literal["comment", "reply", "direct_message", "mention"]
PostFormat = Literal["post", "reply", "direct_message", "blog", "reference", "profile"]
AccountKind = Literal["personal", "professional", "departmental", "corporate"]
Employment = Literal[
    "employee", "secondee", "agency_worker", "contractor", "volunteer", "apprentice",
    "non_executive_director", "governor", "committee_member", "council_employee", "other",
]
AccountPurpose = Literal[
    "department", "programme", "product_or_service", "blog", "survey", "video",
    "collaboration_space", "branding_dispensation", "account_access",
]
UserNeedsEvidence = Literal["research", "hearsay", "none"]

Capability = Literal["hide", "delete"]

#: Which moderation outcomes a page owner can apply to another user's comment (DESIGN 4).
DEFAULT_PLATFORM_CAPABILITIES: Final[dict[str, frozenset[Capability]]] = {
    "facebook": frozenset({"hide", "delete"}),
    "instagram": frozenset({"delete"}),
    "x": frozenset({"hide"}),
    "linkedin": frozenset({"delete"}),
    "youtube": frozenset({"delete"}),
    "tiktok": frozenset({"delete"}),
    "other": frozenset({"hide", "delete"}),
}

#: Facts the library derives from a subject; policies test them with `{fact: name}`.
DERIVED_FACTS: Final[dict[SubjectKind, tuple[str, ...]]] = {
    "comment": ("out_of_hours", "profanity_mild", "profanity_strong", "slur_detected"),
    "staff_post": (
        "profanity_mild",
        "profanity_strong",
        "slur_detected",
        "handle_names_org",
        "display_name_names_org",
        "bio_names_org",
        "text_has_disclaimer",
        "bio_has_disclaimer",
        "has_disclaimer",
        # Capacity and publication (signals._capacity): read once, tested by every clause
        # that turns on them.
        "capacity",
        "published",
        "account_names_employer",
        "bio_claims_official",
        "bio_has_work_contact",
        "bio_has_contact",
    ),
    "account_request": ("proposed_handle_names_org",),
}

#: Derived facts that hold one of several values rather than true/false; conditions test them
#: with `eq`, `ne` or `in` (`{fact: capacity, in: [official, professional]}`).
ENUM_FACTS: Final[dict[str, tuple[str, ...]]] = {
    "capacity": ("official", "professional", "personal"),
}

#: Per-policy facts: `wording_<id>` for each prescribed wording the policy declares.
WORDING_FACT_PREFIX: Final[str] = "wording_"


#: Topics an analyst compares across organisations (`socialpolicy compare`), in table order,
#: with their headings. A policy's `topics:` block may only use these keys, so every column of
#: the comparison means the same thing.
TOPICS: Final[dict[str, str]] = {
    "disclaimer_required": "disclaimer required?",
    "org_name_in_personal_handle": "organisation name in a personal handle",
    "branding_logo": "branding / logo",
    "journalists": "responding to journalists",
    "political_content": "political content",
    "patient_information": "patient information",
    "safeguarding_under_13s": "safeguarding under-13s",
    "opening_accounts": "who may open accounts, on what criteria",
    "removing_public_comments": "grounds for removing public comments",
    "response_times": "response times",
    "escalation_routes": "escalation routes",
}


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known spelling nearest to `word`, for "did you mean" hints."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: object, choices: Iterable[str]) -> str | None:
    """The hint for an unknown `word`: "did you mean `x`?" naming the closest known spelling.

    None when nothing is close, so a caller writes `did_you_mean(w, known) or "use one of ..."`
    and every message in the library words the suggestion the same way.
    """
    guess = closest(str(word), choices)
    return f"did you mean `{guess}`?" if guess is not None else None
