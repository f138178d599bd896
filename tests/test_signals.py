"""The text detectors one by one: normalisation, spans, the hard negatives, linear time."""

from __future__ import annotations

import pytest

from socialpolicy.signals import DEFAULT_DETECTORS, DetectionContext, normalise
from socialpolicy.signals._contact import nhs_number_valid

DETECTORS = {d.name: d for d in DEFAULT_DETECTORS}
MSE = ("NHS Mid and South Essex", "Mid and South Essex", "MSE", "MSEICB", "MSEICS", "MSE ICB")
CONTEXT = DetectionContext(names=(*MSE, "MHCC"),
                           disclaimers=("these views are personal and not necessarily those of "
                                        "my employer",),
                           staff=("Priya Shah", "Tom McDonald"))


def found(detector: str, text: str) -> list[str]:
    """What the detector matched, as text of the caller's original string."""
    normalised = normalise(text)
    return [text[slice(*normalised.span(s, e))]
            for s, e in DETECTORS[detector].find(normalised, CONTEXT)]


# ---- normalisation ---------------------------------------------------------------------------

def test_normalise_folds_lookalikes_and_maps_spans_back() -> None:
    # Greek capital Mu and Eta, a zero-width space, fullwidth letters, a sharp s.
    original = "@\u039c\u0397\u200bCC_fan \uff26\uff35\uff23\uff2b straße"
    text = normalise(original)
    assert text.kept.startswith("@MHCC_fan FUCK")
    assert text.folded == "@mhcc_fan fuck strasse"
    assert len(text.kept) == len(text.folded)
    start = text.folded.index("mhcc")
    assert original[slice(*text.span(start, start + 4))] == "\u039c\u0397\u200bCC"
    start = text.folded.index("strasse")
    assert original[slice(*text.span(start, start + 7))] == "straße"


def test_ascii_text_is_its_own_map() -> None:
    text = normalise("Views My Own")
    assert (text.kept, text.folded, text.span(0, 5)) == ("Views My Own", "views my own", (0, 5))


# ---- personal details ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "number"), [
    ("Call me on 07700 900123 please", "07700 900123"),
    ("ring +44 (0)7700 900123", "+44 (0)7700 900123"),
    ("landline (01632) 960381", "(01632) 960381"),
    ("020 7946 0321 after 6", "020 7946 0321"),
])
def test_phone_numbers_in_written_forms(text: str, number: str) -> None:
    assert found("phone_number", text) == [number]


@pytest.mark.parametrize("text", [
    "Phoned 111 then 999", "on 12/03/2024 at 10:30", "costs £1,250 a year", "from 2019 to 2024",
    "FOI ref 23/566", "call 0300 123 4567", "freephone 0800 123 4567",
    "complaint reference is 01632960777", "NHS number 943 476 5919",
])
def test_not_phone_numbers(text: str) -> None:
    assert found("phone_number", text) == []


def test_nhs_number_check_digit() -> None:
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert found("nhs_number", "my NHS number is 943 476 5919") == ["943 476 5919"]
    assert found("nhs_number", "my NHS number is 943 476 5918") == []
    assert found("nhs_number", "order no 943 476 5919") == []  # a reference, not a patient


def test_email_and_postal_address() -> None:
    assert found("email", "email jo.bloggs@example.co.uk now") == ["jo.bloggs@example.co.uk"]
    assert found("email", "jo [at] example [dot] org") == ["jo [at] example [dot] org"]
    assert found("email", "tagging @MSEICB, meet @ 10") == []
    assert found("postal_address", "I live at 14 Elm Road, Rayleigh SS6 7AB, come round") == [
        "14 Elm Road, Rayleigh SS6 7AB"]
    assert found("postal_address", "Basildon Hospital, Nethermayne, Basildon SS16 5NL") == []
    assert found("postal_address", "Flu clinic at 10 Park Road Surgery, Rochford SS4 1AA") == []


# ---- profanity -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "word"), [
    ("This is a f***ing joke", "f***ing"), ("sh1t service", "sh1t"),
    ("what the f u c k", "f u c k"), ("Fuuuuck this", "Fuuuuck"),
    ("Absolute sh*tshow", "sh*tshow"), ("$hit show", "$hit"), ("f\u200buck it", "f\u200buck"),
    # run-together insults, inflections, Twitter spellings, masked and phrase-final words
    ("what a shitface", "shitface"), ("the cockwaffle on reception", "cockwaffle"),
    ("even shittier than last year", "shittier"), ("you are a biyatch", "biyatch"),
    ("FUKKEN useless", "FUKKEN"), ("you son of a *****", "*****"),
    ("what an ungraceful dick!", "dick"), ("such a dick!81.2.3.4", "dick"),
    ("go suck my balls", "balls"), ("suck on my sack", "sack"),
])
def test_profanity_and_its_disguises(text: str, word: str) -> None:
    assert found("profanity", text) == [word]


def test_mild_swearing_is_its_own_tier() -> None:
    # `bloody` is mild: it sets `profanity_mild`, not the `profanity` label (strong or slur).
    assert found("profanity_mild", "a bl**dy disgrace") == ["bl**dy"]
    assert found("profanity", "a bl**dy disgrace") == []


@pytest.mark.parametrize("text", [
    "Scunthorpe", "please assess him", "my class", "a cocktail", "Matt Hancock",
    "finger prick test", "a bloody nose", "shiitake", "an A* and 5* service", "*really*",
    "the A55 was closed", "Swanky new building",
    "spotted dick and custard, a door knob.", "kick the balls into the net",
    "my son has a small penis, is that normal?", "a sack of potatoes", "he was sacked",
    "the sound of a *****", "a ***** rating", "the Wankel engine and a twattle",
])
def test_profanity_has_no_substring_false_positives(text: str) -> None:
    assert found("profanity", text) == []


# ---- names -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("handle", "name"), [
    ("@JoBloggsMSEICS", "MSEICS"), ("@mhcc_sarah", "mhcc"), ("@mhccsarah", "mhcc"),
    ("@JoMidAndSouthEssex", "MidAndSouthEssex"), ("@\u039c\u0397CC_comms", "\u039c\u0397CC"),
])
def test_org_name_on_whole_words(handle: str, name: str) -> None:
    assert found("org_name", handle) == [name]


@pytest.mark.parametrize("handle", ["@MsEmily", "@premsey", "@JoeBloggsICB", "@mseldon",
                                    "@midwife_sue"])
def test_org_name_not_inside_ordinary_words(handle: str) -> None:
    assert found("org_name", handle) == []


def test_staff_names_need_a_directory_and_a_full_name() -> None:
    assert found("staff_name", "Priya Shah was brilliant") == ["Priya Shah"]
    assert found("staff_name", "Dr Shah was rude, @TomMcDonald too") == ["Dr Shah", "TomMcDonald"]
    assert found("staff_name", "tom mcdonald never rang") == ["tom mcdonald"]
    assert found("staff_name", "Priya was lovely. Priya Shahid too") == []
    normalised = normalise("Priya Shah was brilliant")
    assert list(DETECTORS["staff_name"].find(normalised, DetectionContext())) == []


# ---- disclaimers -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "span"), [
    ("Nurse. Views my own.", "Views my own"), ("Opinions expressed here are solely mine",
                                               "Opinions expressed here are solely mine"),
    ("Own views.", "Own views"),
    ("Estates, these views are personal and not necessarily those of my employer",
     "these views are personal and not necessarily those of my employer"),
])
def test_disclaimers(text: str, span: str) -> None:
    assert found("disclaimer", text) == [span]


@pytest.mark.parametrize("text", [
    "the views of my own garden", "I have my own views on parking",
    "He shared his personal views on the merger", "Sea views are my own little luxury",
])
def test_not_disclaimers(text: str) -> None:
    assert found("disclaimer", text) == []
