"""The detectors' second pass: tiers as facts, numbers and addresses in context, the
organisation's public contacts, identifiers in staff posts, disclaimer variants."""

from __future__ import annotations

from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.policy.model import PublicContacts
from socialpolicy.signals import DEFAULT_DETECTORS, DetectionContext, derive, normalise
from socialpolicy.signals._contact import address_candidates, phone_candidates

DETECTORS = {d.name: d for d in DEFAULT_DETECTORS}
PUBLIC = PublicContacts(names=("Priya Shah",), domains=("example.nhs.uk",),
                        addresses=("Phoenix Court, 12 Christopher Road, Basildon SS14 3HG",),
                        phones=("01632 960000",))


def found(detector: str, text: str, context: DetectionContext | None = None) -> list[str]:
    normalised = normalise(text)
    return [text[slice(*normalised.span(s, e))]
            for s, e in DETECTORS[detector].find(normalised, context or DetectionContext())]


# ---- profanity tiers ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "tiers"), [
    ("what a bloody mess", {"profanity_mild"}),
    ("what a f***ing mess", {"profanity", "profanity_strong"}),
    ("shut up you fag", {"profanity", "slur"}),
    ("bloody hell, f u c k this", {"profanity_mild", "profanity", "profanity_strong"}),
    ("lovely staff, thank you", set()),
])
def test_each_tier_has_its_own_detector(text: str, tiers: set[str]) -> None:
    fired = {name for name in ("profanity", "profanity_mild", "profanity_strong", "slur")
             if found(name, text)}
    assert fired == tiers


def test_tiers_are_facts_a_policy_can_test() -> None:
    document = sp.load_policy("mse_icb", engine="reference").document
    comment = sp.Comment(platform="facebook", author="@a", text="bloody parking again",
                         posted_at="2026-04-02T10:00:00+01:00")
    facts, _ = derive(comment, document)
    assert facts["fact.profanity_mild"] and not facts["fact.profanity_strong"]
    assert not facts["label.profanity"] and not facts["fact.slur_detected"]
    facts, _ = derive(comment.model_copy(update={"text": "you paki"}), document)
    assert facts["fact.slur_detected"] and facts["label.profanity"]


@pytest.mark.parametrize(("text", "word"), [
    ("you motherf@#&%er", "motherf@#&%er"), ("U ANNOYING BIITCH", "BIITCH"),
    ("fcuk off", "fcuk"), ("fwck off", "fwck"), ("f\nu\nc\nk\noff", "f\nu\nc\nk"),
    ("kiss my a$$", "a$$"), ("you dick", "dick"), ("pain in the ass", "ass"),
])
def test_new_disguises_and_context(text: str, word: str) -> None:
    assert found("profanity", text) == [word]


@pytest.mark.parametrize("text", [
    "Moby Dick at the library", "Dick Francis on the radio", "see https://example.com/fuck-this",
    "a sharp prick in the arm", "popped out for a fag", "the shot was fine", "Anton Fick Ward",
    "the Shiite chaplain", "A&E was quiet", "blue tits nesting", "faggots and peas",
    "spastic diplegia review", "Cnut the Great",
    "hell of a wait, damn it, crap parking, stupid app",
])
def test_everyday_words_names_and_links_are_clean(text: str) -> None:
    for name in ("profanity", "profanity_mild", "slur"):
        assert found(name, text) == [], name


@pytest.mark.parametrize(("text", "word", "detector"), [
    # `l` written for `i`: in long words anywhere, in short ones among capitals
    ("nlgger go home", "nlgger", "slur"), ("you bltch", "bltch", "profanity_strong"),
    ("SHlT SERVICE AGAIN", "SHlT", "profanity_strong"),
    # `|` for `i`, read across the pipe the tokeniser splits at
    ("n|gger go home", "n|gger", "slur"), ("sh|t service", "sh|t", "profanity_strong"),
    # a long slur run into a name or hashtag, capitals marking where it starts and ends
    ("Hey SomeNameFaggot get lost", "Faggot", "slur"), ("#FaggotsOut again", "Faggots", "slur"),
    # a sexual verb with `off`
    ("he was sucking off his mate", "sucking off", "profanity_strong"),
    ("go suck him off", "suck him off", "profanity_strong"),
    ("caught him jerking off.", "jerking off", "profanity_strong"),
])
def test_look_alike_l_run_together_slurs_and_sexual_off(text: str, word: str,
                                                        detector: str) -> None:
    assert found(detector, text) == [word]
    assert found("profanity", text) == [word]


@pytest.mark.parametrize("text", [
    "the SPLC report on hate groups", "two SPLCs reports", "shlt happens",
    "FAGGOTING stitch on the quilt",
    "FlameRetardant foam on the ward", "SpasticParaplegia clinic", "#ChinksInTheArmour",
    "the pump sucked off the excess fluid", "the bus jerked off the kerb",
    "Nigeria and Niger teams", "a bltz of letters", "[[Pass|pass]] and [[Spa|spas]] links",
    "see https://example.com/a|n|gger",
])
def test_look_alikes_and_run_togethers_with_an_everyday_sense_are_clean(text: str) -> None:
    for name in ("profanity", "profanity_mild", "slur"):
        assert found(name, text) == [], name


# ---- numbers, emails and addresses in context --------------------------------------------

def test_no_phone_numbers_in_isbns_or_links() -> None:
    assert found("phone_number", "ISBN 0747532699 in the library") == []
    assert found("phone_number", "see http://example.com/item/07700900123") == []
    assert found("phone_number", "page?id=07700900123") == []
    assert found("phone_number", "call 07700 900123") == ["07700 900123"]


def test_nhs_numbers_need_context_not_just_the_check_digit() -> None:
    assert found("nhs_number", "call 212-384-5000 in New York") == []
    assert found("nhs_number", "our office 212-384-5000") == []  # hyphens, no NHS context
    assert found("nhs_number", "NHS no: 212-384-5000") == ["212-384-5000"]
    assert found("nhs_number", "my number is 943 476 5919") == ["943 476 5919"]
    assert found("nhs_number", "ring me on 943 476 5919") == []


def test_spoken_email_addresses() -> None:
    assert found("email", "to jo.bloggs at gmail dot com") == ["jo.bloggs at gmail dot com"]
    assert found("email", "look at the dot com bubble") == []


@pytest.mark.parametrize(("text", "address"), [
    ("I live at 3 ST.GILES ROAD, NORWICH NR2 1AA", "3 ST.GILES ROAD, NORWICH NR2 1AA"),
    ("send it to 4 High Street, Jarrow, TYNE & WEAR NE32 3AA",
     "4 High Street, Jarrow, TYNE & WEAR NE32 3AA"),
    ("at 12 Kingsway, Hove, BN3 2FR", "12 Kingsway, Hove, BN3 2FR"),
])
def test_addresses_with_stops_ampersands_and_no_street_type(text: str, address: str) -> None:
    assert found("postal_address", text) == [address]


def test_an_address_without_a_street_type_needs_its_capitals() -> None:
    assert found("postal_address", "paid 40 quid, come to SS1 2AB") == []


def test_premises_are_addresses_but_not_personal() -> None:
    text = normalise("Surgery at 10 Park Road Surgery, Rochford SS4 1AA")
    assert [c[2] for c in address_candidates(text)] == [True]
    assert found("postal_address", text.original) == []
    assert [c[2] for c in phone_candidates(normalise("call 0300 123 4567"))] == ["3001234567"]


# ---- the organisation's public contacts --------------------------------------------------

def test_public_contacts_are_not_personal_details() -> None:
    context = DetectionContext(staff=("Priya Shah", "Tom McDonald"), contacts=PUBLIC)
    assert found("phone_number", "ring them on 01632 960000", context) == []
    assert found("phone_number", "ring me on 01632 960001", context) == ["01632 960001"]
    assert found("email", "email pals@example.nhs.uk", context) == []
    assert found("email", "email jo@example.com", context) == ["jo@example.com"]
    assert found("postal_address", "write to 12 Christopher Road, Basildon SS14 3HG",
                 context) == []
    assert found("staff_name", "Priya Shah and Tom McDonald", context) == ["Tom McDonald"]


def test_policy_key_for_public_contacts(tmp_path: Path) -> None:
    source = Path(sp.load_policy("mse_icb", engine="reference").document.file)
    policy_file = tmp_path / "mse_icb.yaml"
    policy_file.write_text(
        source.read_text(encoding="utf-8").replace("source_file: ", "source_file: ", 1)
        + "\npublic_contacts:\n  phones: [\"01632 960000\"]\n  domains: [example.nhs.uk]\n",
        encoding="utf-8")
    for sibling in source.parent.glob("sources"):
        (tmp_path / "sources").symlink_to(sibling)
    policy = sp.load_policy(str(policy_file), engine="reference")
    assert policy.document.public_contacts.phones == ("01632 960000",)
    comment = sp.Comment(platform="facebook", author="@a", posted_at="2026-04-02T10:00:00+01:00",
                         text="PALS is on 01632 960000 or pals@example.nhs.uk")
    assert "personal_details" not in policy.decide(comment).detected
    mine = comment.model_copy(update={"text": "call me on 07700 900123"})
    assert "personal_details" in policy.decide(mine).detected


# ---- staff posts and disclaimers ---------------------------------------------------------

def test_identifiers_in_a_staff_post_are_patient_identifiable() -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    post = sp.StaffPost(platform="x", text="Lovely patient today, NHS no 943 476 5919",
                        posted_at="2026-04-02T10:00:00+01:00",
                        account={"handle": "@jo", "kind": "personal"},
                        author={"employment": "employee"}, about_employer=True)
    decision = policy.decide(post)
    assert "patient_identifiable" in decision.detected
    assert decision.outcome == "breach"
    clean = policy.decide(post.model_copy(update={"text": "Lovely team today"}))
    assert "patient_identifiable" not in clean.detected


@pytest.mark.parametrize(("text", "span"), [
    ("My views, not my employer's", "My views, not my employer"),
    ("Nurse. Opinions mine.", "Opinions mine"),
    ("RTs are not endorsements", "RTs are not endorsements"),
    ("Retweets/likes ≠ endorsement", "Retweets/likes ≠ endorsement"),
])
def test_disclaimer_variants(text: str, span: str) -> None:
    assert found("disclaimer", text) == [span]
