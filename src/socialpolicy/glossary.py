"""What each label, derived fact and subject field means, in a sentence.

The reference pages (labels, subjects) are generated from these tables together with the
vocabulary and the bundled policies, and a test keeps every label and field described, so a new
label cannot ship without saying what a moderator should mean by it.
"""

from __future__ import annotations

from typing import Final

COMMENT_LABEL_MEANINGS: Final[dict[str, str]] = {
    "targeted_abuse": "harmful abuse, threats, violence or harassment aimed at a person or group, "
                      "including on protected characteristics",
    "hate_speech": "attacks people for a protected characteristic (race, religion, sexuality, "
                   "disability, ...)",
    "personal_attack": "attacks a person rather than what they said or did",
    "names_staff": "names an individual member of the organisation's staff",
    "personal_details": "contains personal details: a phone number, email or postal address, "
                        "an NHS number (also detected from the text)",
    "spam": "unsolicited, repeated or automated content",
    "repetitive_provocation": "the same provocation posted again and again",
    "impersonation": "pretends to be someone else, or the organisation",
    "profanity": "swearing or obscenity (also detected from the text)",
    "illegal": "breaks the law or encourages others to",
    "advertising": "promotes a product, service or business",
    "platform_terms_breach": "breaks the platform's own terms of use",
    "misinformation": "false or misleading information, shared without intent to deceive",
    "disinformation": "false information spread deliberately to deceive",
    "emerging_health_threat": "a new mis- or disinformation narrative about an emerging health "
                              "threat that is gaining traction",
    "criticism": "criticises the organisation or its services",
    "complaint": "a complaint about a service, to be routed to the complaints process",
    "medical_question": "asks for medical advice about the author or someone else",
    "foi_request": "asks for information under the Freedom of Information Act",
    "real_name_discernible": "the author's real name can be seen from the account",
    "media_request": "a journalist or outlet asking for comment",
    "patient_safety_risk": "suggests a patient may come to harm",
    "reputational_risk": "could seriously damage the organisation's reputation",
    "safety_or_care_concern": "raises a concern about safety or the quality of care",
    "needs_department": "needs an answer from a particular department",
    "encourages_breaches": "encourages others to break the house rules",
    "offensive_username": "the author's username is offensive",
    "offensive_profile_image": "the author's profile picture is offensive",
    "third_party_enquiry": "asks about someone else's care or details",
    "safeguarding_concern": "suggests a child or adult at risk may need safeguarding",
}

STAFF_POST_LABEL_MEANINGS: Final[dict[str, str]] = {
    "patient_identifiable": "a patient could be identified from it",
    "confidential": "discloses confidential information",
    "internal_information": "shares information meant for inside the organisation",
    "partners_or_suppliers": "discusses partner organisations or suppliers",
    "attacks_colleague": "attacks or criticises a colleague",
    "abusive_language": "uses abusive or offensive language",
    "profanity": "swearing or obscenity (also detected from the text)",
    "political": "expresses a political view or supports a party or candidate",
    "religious": "promotes or attacks a religious view",
    "defamatory": "could damage someone's reputation untruthfully",
    "discriminatory": "discriminates against people for a protected characteristic",
    "bullying": "bullies or harasses someone",
    "grievance": "airs a workplace grievance in public",
    "criticises_employer": "criticises the employer",
    "media_response": "answers a journalist or comments on published media",
    "media_contact_about_post": "a journalist has been in touch about the post",
    "official_comment_request": "the author was asked to comment officially",
    "speaks_for_employer": "speaks, or appears to speak, for the employer",
    "whistleblowing": "raises a concern in public before using the proper channels",
    "commercial_gain": "promotes something for personal commercial gain",
    "professional_reference": "gives a professional reference",
    "personal_reference": "gives a personal reference",
    "engages_under_13": "engages with a child under 13",
    "minor_friend_request_accepted": "accepted a friend request from a minor",
    "requests_personal_details": "asks someone for their personal details",
    "child_image_named": "shows a child who is named or identifiable",
    "intimate_content": "intimate or sexual content",
    "legal_matter": "discusses a legal matter involving the organisation",
    "patient_care": "discusses a patient's care",
    "major_incident_content": "shows or discusses a major incident as it happens",
    "uncredited_content": "uses someone else's content without credit",
    "big_announcement": "makes a significant announcement",
    "edited_without_note": "was edited after posting without saying so",
    "copyright_breach": "breaches copyright",
    "endorses_inappropriate_content": "likes or shares inappropriate content",
    "photo_without_consent": "includes a photo of someone without their consent",
    "contradicts_partner_agencies": "contradicts what partner agencies are saying",
    "picks_fight": "picks a fight or argues with members of the public",
}

FACT_MEANINGS: Final[dict[str, str]] = {
    "out_of_hours": "the comment arrived outside the policy's working hours",
    "profanity_mild": "the text holds mild swearing (detected)",
    "profanity_strong": "the text holds strong swearing or obscenity (detected)",
    "slur_detected": "the text holds a slur (detected)",
    "handle_names_org": "the account handle carries the organisation's name",
    "display_name_names_org": "the account's display name carries the organisation's name",
    "bio_names_org": "the account's bio names the organisation",
    "text_has_disclaimer": "the post itself says the views are the author's own",
    "bio_has_disclaimer": "the account's bio says the views are the author's own",
    "has_disclaimer": "a disclaimer is in the post or the bio",
    "proposed_handle_names_org": "the proposed handle carries the organisation's name",
    "capacity": "official (corporate or departmental account), professional (a professional "
                "account, or a personal one used for work) or personal",
    "published": "others can read it: a public account, not a direct message or closed app",
    "account_names_employer": "the handle, display name or bio names the organisation or the "
                              "author's employer",
    "bio_claims_official": "the bio names the organisation and claims to speak for it",
    "bio_has_work_contact": "the bio holds a work email address",
    "bio_has_contact": "the bio holds an email address or phone number",
}

#: Subject fields by model and field name.
FIELD_MEANINGS: Final[dict[str, dict[str, str]]] = {
    "Comment": {
        "kind": "always `comment`; needed only when kinds are mixed in one file",
        "id": "your own id for the subject (a queue's comment id), echoed on the decision",
        "platform": "where the comment was left",
        "channel": "how it arrived: a comment, a reply, a direct message or a mention",
        "text": "what the comment says; read by the text detectors",
        "author": "the author's handle",
        "posted_at": "when it was received, with a timezone; starts any response clock",
        "labels": "what a moderator or classifier says the comment is (see Labels)",
        "author_prior_removals": "how many earlier comments by this author were removed under "
                                 "the house rules",
    },
    "StaffPost": {
        "kind": "always `staff_post`",
        "id": "your own id for the subject (a case number), echoed on the decision",
        "platform": "where it was posted",
        "format": "a post, reply, direct message, blog, reference or profile",
        "text": "what was posted; read by the text detectors",
        "posted_at": "when it was posted, with a timezone",
        "account": "the account it was posted from (see Account)",
        "author": "who posted it (see Author)",
        "about_employer": "the post discusses the employer or work-related matters",
        "labels": "what a reviewer says the post is (see Labels)",
    },
    "AccountRequest": {
        "kind": "always `account_request`",
        "id": "your own id for the request, echoed on the decision",
        "platform": "the platform the account or access is for",
        "purpose": "what the account is for, or `account_access` to reach corporate accounts",
        "proposed_handle": "the handle asked for, if any",
        "requested_by": "who is asking (see Author)",
        "objectives_and_kpis": "the request states objectives and how success is measured",
        "approved_comms_plan": "a communications plan has been approved",
        "content_plan": "there is a plan for regular content",
        "editorial_purpose": "a blog request states its editorial purpose",
        "corporate_monitoring": "the corporate team will be able to monitor the account",
        "internal_comms": "the request went through internal communications",
        "comms_team_approved": "the communications team has approved it",
        "authorisation_form": "the authorisation form is completed",
        "secure_login": "login details will be held securely",
        "stakeholder_group": "the stakeholder group the account serves",
        "user_needs_evidence": "evidence that users need it: research, hearsay or none",
        "checks_per_day": "how many times a day the account will be checked",
        "operational_need": "the operational need for access, in words",
        "labels": "reserved; account requests carry no labels yet",
    },
    "Account": {
        "handle": "the account's handle",
        "display_name": "the name shown on the account",
        "bio": "the account's biography text",
        "kind": "personal, professional, departmental or corporate",
        "public": "anyone can read it (false for a locked or private account)",
        "uses_org_branding": "the account shows the organisation's logo or branding",
        "has_branding_dispensation": "the communications team allowed the branding",
        "known_to_comms_team": "the communications team knows about the account",
    },
    "Author": {
        "employment": "the author's relationship to the organisation",
        "is_communications_team": "the author works in the communications team",
    },
}
