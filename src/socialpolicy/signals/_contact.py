"""Personal contact details in a comment (MSE ICB Appendix B, 6.5.2): UK phone numbers, email
addresses, postal addresses with postcodes and NHS numbers.

Each finder is tuned for precision on what people actually write: a number counts as a phone
number only in a UK written form (`07700 900123`, `+44 (0)1702 123456`) and only for mobiles and
landlines, not 03/08 service numbers, 111 or 999; dates, prices, years, times and reference
numbers never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from ._text import Text

Span = tuple[int, int]

# A reference number is introduced as one: `ref 01234 567890`, `order no. 4857773456`.
_REFERENCE_BEFORE = re.compile(
    r"\b(?:ref|reference|order|invoice|case|account|acct|booking|tracking|claim|policy|"
    r"membership|ticket|serial|batch|lot|complaint|crime|job|customer|patient\s+id)"
    r"(?:\s*(?:no|number|num|id|ref|reference)\b\.?)?(?:\s+(?:is|was))?\s*[:#.]?\s*$")
_WINDOW = 32


def _introduced_as_reference(folded: str, start: int) -> bool:
    return _REFERENCE_BEFORE.search(folded[max(0, start - _WINDOW):start]) is not None


# ---- phone numbers ---------------------------------------------------------------------------

# A UK number as written: a 0, +44 or 0044 prefix (optionally `(0)`), then nine or ten digits
# with at most two separators between any two. Candidates are bounded, so the parser only ever
# sees a short string and the scan stays linear however long the text is.
_PHONE = re.compile(
    r"(?<![0-9+])(?:\+\s?44\s?(?:\(0\)\s?)?|0044\s?(?:\(0\)\s?)?|\(?0)"
    r"[0-9](?:[ \-)]{0,2}[0-9]){8,9}(?![0-9])")
# National significant numbers a person would give as theirs: 01/02 landlines, 07 mobiles.
_PERSONAL_NSN = re.compile(r"(?:[12][0-9]{8,9}|7[0-9]{9})")


def phone_numbers(text: Text, _context: object = None) -> Iterator[Span]:
    """UK mobile and landline numbers in their usual written forms."""
    for m in _PHONE.finditer(text.kept):
        try:
            number = phonenumbers.parse(m.group(), "GB")
        except phonenumbers.NumberParseException:
            continue
        if number.country_code != 44 or not phonenumbers.is_possible_number(number):
            continue
        personal = _PERSONAL_NSN.fullmatch(phonenumbers.national_significant_number(number))
        if personal and not _introduced_as_reference(text.folded, m.start()):
            yield m.start(), m.end()


# ---- email addresses -------------------------------------------------------------------------

# Also the bracketed `name [at] example [dot] com` form. Every repeat is bounded and each part
# ends on a character the next cannot start with, so matching is linear.
_AT = r"(?:@|\s?[\[(]at[\])]\s?)"
_DOT = r"(?:\.|\s?[\[(]dot[\])]\s?)"
_EMAIL = re.compile(
    rf"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{{0,63}}{_AT}"
    rf"(?:[a-z0-9][a-z0-9\-]{{0,62}}{_DOT}){{1,8}}[a-z]{{2,24}}(?![a-z0-9\-])")


def emails(text: Text, _context: object = None) -> Iterator[Span]:
    """Email addresses, plain or with `[at]` and `[dot]` spelled out."""
    if "@" not in text.folded and "at" not in text.folded:
        return
    for m in _EMAIL.finditer(text.folded):
        yield m.start(), m.end()


# ---- NHS numbers -----------------------------------------------------------------------------

_NHS_NUMBER = re.compile(
    r"(?<![0-9+/.,\-])([1-9][0-9]{2})([ \-]?)([0-9]{3})\2([0-9]{4})(?![0-9]|[/.,\-][0-9])")
_PHONE_PREFIX = re.compile(r"(?:\+\s?44|0044|\(0\))\s?$")
_NHS_CONTEXT = re.compile(r"\bnhs\b|\bchi\b")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: Text, _context: object = None) -> Iterator[Span]:
    """Ten-digit NHS numbers (3-3-4 or run together) that pass the check digit."""
    folded = text.folded
    for m in _NHS_NUMBER.finditer(folded):
        digits = m.group(1) + m.group(3) + m.group(4)
        if not nhs_number_valid(digits):
            continue
        before = folded[max(0, m.start() - _WINDOW):m.start()]
        if _PHONE_PREFIX.search(before):
            continue
        if _introduced_as_reference(folded, m.start()) and not _NHS_CONTEXT.search(before):
            continue
        yield m.start(), m.end()


# ---- postal addresses ------------------------------------------------------------------------

_STREET = (
    "road|rd|street|st|avenue|ave|lane|ln|close|cl|drive|dr|way|crescent|cres|gardens|gdns|"
    "court|ct|place|pl|grove|gr|terrace|tce|hill|park|walk|rise|mews|square|sq|view|row|green|"
    "parade|chase|vale|wharf|yard|boulevard|meadow|meadows|fields|paddock|paddocks|croft|"
    "gate|heights|cottages|villas|circus|approach|avenue|broadway|hollow|drove|end|wood|"
    "orchard|bank|causeway|quay|reach|ridge|side|copse|dell|glade|brow"
)
_STREET_WORD = re.compile(rf"(?:{_STREET})")
# An organisation's premises, not a person's home: `Park Road Surgery`, `Unit 5`. A street
# named after one (`Station Road`, `School Lane`) is still a home address.
_NOT_PERSONAL = re.compile(
    r"\b(?:hospital|surgery|practice|clinic|centre|center|council|ward|pharmacy|hq|offices?|"
    rf"unit|suite|hub|hospice|school|college|university|station|library)\b(?!\s+(?:{_STREET})\b)")
_POSTCODE = r"[a-z]{1,2}[0-9][a-z0-9]?\s?[0-9][abd-hjlnp-uw-z]{2}"
# A house number (optionally after `flat 2,`), one to eight words, then a postcode.
# Words and separators use disjoint classes, so there is one way to split any input.
_ADDRESS = re.compile(
    r"(?<![a-z0-9])(?:(?:flat|apartment|apt)\s?[0-9]{1,4}[a-z]?,?\s{1,3})?"
    r"[0-9]{1,4}[a-z]?(?:[\s,]{1,4}[a-z][a-z'\-]{0,30}){1,8}?[\s,]{1,4}"
    rf"({_POSTCODE})(?![a-z0-9])")
_WORDS = re.compile(r"[a-z][a-z'\-]*")


def postal_addresses(text: Text, _context: object = None) -> Iterator[Span]:
    """A street address (house number, street, town) ending in a full UK postcode."""
    folded = text.folded
    for m in _ADDRESS.finditer(folded):
        body = folded[m.start():m.start(1)]
        names = _WORDS.findall(body)
        if not any(_STREET_WORD.fullmatch(word) for word in names):
            continue
        before = folded[max(0, m.start() - 12):m.start()]
        if _NOT_PERSONAL.search(body) or _NOT_PERSONAL.search(before):
            continue
        yield m.start(), m.end()
