"""The detectors' pre-checks only ever skip text in which a finder cannot match.

Each finder first asks something cheap of the text (enough digits for a phone or NHS number, a
postcode's ending for an address, `@` or a spelt-out `at` for an email address, a directory
word for a staff name) and reads no further without it. These properties hold the pre-checks
to that: wherever the full pattern or scan would find something, the pre-check lets it through.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from socialpolicy.signals import _contact, _names, normalise

# Fragments that build near-misses as well as matches: numbers in every written form, postcodes
# and street words, email spellings, names run together, look-alike and full-width characters.
_PIECES = [
    "07700 900123", "+44 (0)1702 123456", "0044 20 7946 0321", "(01632) 960381", "943 476 5919",
    "9434765919", "0", "1", "44", "+", "(", ")", "-", " ", ", ", ".",
    "14 Elm Road", "Flat 2, 3 High St", "Rayleigh", "SS6 7AB", "ss67ab", "N1 9GU", "BN3 2FR",
    "Kingsway, Hove", "14 Elm Road, Rayleigh SS6 7AB", "12 Kingsway, Hove, BN3 2FR",
    "Flat 2, 3 High St, Leigh SS9 1AA", "7 Park Lane N1 9GU1",
    "jo@example.com", "jo [at] example [dot] com", "jo at gmail dot com", "at", "dot", "@",
    "(at)", "[at]",
    "Priya Shah", "PriyaShah", "priya shah", "Dr Shah", "dr. shah", "Tom McDonald",
    "TomMcDonald", "Mc", "Donald", "Sarah O'Neill", "Nurse", "NHS", "ICB", "A&E", "Ward7",
    "\uff17\uff17\uff10\uff10", "\u0397ello", "\u200b", "\u00e9", "word", "Word", "WORD",
]
texts = st.one_of(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join),
                  st.text(max_size=40))
STAFF = ("Priya Shah", "Tom McDonald", "Sarah O'Neill", "Mark Davies", "Jo Bloggs")


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_phone_and_nhs_candidates_hold_ten_digits(text: str) -> None:
    normal = normalise(text)
    if next(_contact._PHONE.finditer(normal.kept), None) is not None:
        assert _contact._TEN_DIGITS.match(normal.kept)
    if next(_contact._NHS_NUMBER.finditer(normal.folded), None) is not None:
        assert _contact._TEN_DIGITS.match(normal.folded)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_addresses_end_in_a_postcode_ending(text: str) -> None:
    folded = normalise(text).folded
    if next(_contact._ADDRESS.finditer(folded), None) is not None:
        assert _contact._POSTCODE_END.search(folded)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_emails_need_an_at_sign_or_a_spelt_out_at(text: str) -> None:
    folded = normalise(text).folded
    found = (next(_contact._EMAIL.finditer(folded), None) is not None
             or next(_contact._SPOKEN_EMAIL.finditer(folded), None) is not None)
    if found:
        assert "@" in folded or "at]" in folded or "at)" in folded or " dot " in folded


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_staff_names_need_a_directory_word(text: str) -> None:
    kept = normalise(text).kept
    index = _names._directory(STAFF)
    if list(_names._scan_names(kept, index)):
        assert _names._may_name(kept, index)


def test_the_pre_checks_let_every_kind_of_match_through() -> None:
    """The properties above are not vacuous: each finder does find its examples."""
    assert list(_contact.phone_numbers(normalise("call 07700 900123")))
    assert list(_contact.nhs_numbers(normalise("NHS no 943 476 5919")))
    assert list(_contact.postal_addresses(normalise("14 Elm Road, Rayleigh SS6 7AB")))
    assert list(_contact.emails(normalise("jo [at] example [dot] com")))
    for text in ("@PriyaShah", "Tom McDonald", "dr shah"):
        assert list(_names.staff_names(normalise(text), STAFF)), text
