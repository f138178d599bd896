"""Personal contact details in a comment (MSE ICB Appendix B, 6.5.2): UK phone numbers, email
addresses, postal addresses with postcodes and NHS numbers.

Each finder is tuned for precision on what people actually write: a number counts as a phone
number only in a UK written form (`07700 900123`, `+44 (0)1702 123456`) and only for mobiles and
landlines, not 03/08 service numbers, 111 or 999; dates, prices, years, times and reference
numbers never count.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers

from ..policy.model import PublicContacts
from ._context import DetectionContext
from ._text import Text, normalise

Span = tuple[int, int]

# A reference number is introduced as one: `ref 01234 567890`, `order no. 4857773456`.
_REFERENCE_BEFORE = re.compile(
    r"\b(?:ref|reference|order|invoice|case|account|acct|booking|tracking|claim|policy|"
    r"membership|ticket|serial|batch|lot|complaint|crime|job|customer|patient\s+id)"
    r"(?:\s*(?:no|number|num|id|ref|reference)\b\.?)?(?:\s+(?:is|was))?\s*[:#.]?\s*$")
_WINDOW = 32
# A phone or NHS number holds at least ten digits; most comments hold fewer, and counting them
# (anchored, possessive: one pass) is far cheaper than running a finder's pattern over the text.
_TEN_DIGITS = re.compile(r"(?:[^0-9]*+[0-9]){10}")


def _introduced_as_reference(folded: str, start: int) -> bool:
    return _REFERENCE_BEFORE.search(folded[max(0, start - _WINDOW):start]) is not None


# ---- phone numbers ---------------------------------------------------------------------------

# A UK number as written: a 0, +44 or 0044 prefix (optionally `(0)`), then nine or ten digits
# with at most two separators between any two. Candidates are bounded, so the parser only ever
# sees a short string and the scan stays linear however long the text is. Digits straight after
# `/`, `=` or `#` belong to a web address or a reference, not a phone number.
_PHONE = re.compile(
    r"(?<![0-9+/=#])(?:\+\s?44\s?(?:\(0\)\s?)?|0044\s?(?:\(0\)\s?)?|\(?0)"
    r"[0-9](?:[ \-)]{0,2}[0-9]){8,9}(?![0-9])")
# National significant numbers a person would give as theirs: 01/02 landlines, 07 mobiles.
_PERSONAL_NSN = re.compile(r"(?:[12][0-9]{8,9}|7[0-9]{9})")
_ISBN = re.compile(r"\bisbn(?:-?1[03])?\s*[:#]?\s*$")
# A web address: with a scheme or `www.`, or a bare domain followed by a path. Each start is at
# the beginning of a word, so the scan is linear.
_URL = re.compile(r"(?<![a-z0-9\-.])(?:(?:https?://|www\.)[^\s<>\"']+|"
                  r"[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|org|net|uk|gov|io|info)/[^\s<>\"']*)")


def _url_spans(folded: str) -> list[Span]:
    if "/" not in folded and "www." not in folded:
        return []
    return [m.span() for m in _URL.finditer(folded)]


def _inside(spans: list[Span], start: int) -> bool:
    at = bisect.bisect_right(spans, start, key=lambda span: span[0])
    return at > 0 and spans[at - 1][0] <= start < spans[at - 1][1]


def phone_candidates(text: Text) -> Iterator[tuple[int, int, str]]:
    """Every UK number written in full (service numbers too), with its national digits:
    what "a phone number is present" means. Not inside a web address, not an ISBN."""
    if _TEN_DIGITS.match(text.kept) is None:
        return
    urls: list[Span] | None = None
    for m in _PHONE.finditer(text.kept):
        if urls is None:
            urls = _url_spans(text.folded)
        if _inside(urls, m.start()) or _ISBN.search(text.folded, max(0, m.start() - 16),
                                                      m.start()):
            continue
        try:
            number = phonenumbers.parse(m.group(), "GB")
        except phonenumbers.NumberParseException:
            continue
        if number.country_code == 44 and phonenumbers.is_possible_number(number):
            yield m.start(), m.end(), phonenumbers.national_significant_number(number)


def phone_numbers(text: Text, context: DetectionContext | None = None) -> Iterator[Span]:
    """UK mobile and landline numbers a person would give as theirs; not service numbers,
    references, or the organisation's own published numbers."""
    public = _public(context.contacts)[0] if context else frozenset()
    for start, end, digits in phone_candidates(text):
        if (_PERSONAL_NSN.fullmatch(digits) and digits not in public
                and not _introduced_as_reference(text.folded, start)):
            yield start, end


# ---- email addresses -------------------------------------------------------------------------

# Also the bracketed `name [at] example [dot] com` form. Every repeat is bounded and each part
# ends on a character the next cannot start with, so matching is linear.
_AT = r"(?:@|\s?[\[(]at[\])]\s?)"
_DOT = r"(?:\.|\s?[\[(]dot[\])]\s?)"
_EMAIL = re.compile(
    rf"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{{0,63}}{_AT}"
    rf"((?:[a-z0-9][a-z0-9\-]{{0,62}}{_DOT}){{1,8}}[a-z]{{2,24}})(?![a-z0-9\-])")
# `jo.bloggs at gmail dot com`: spelled out without brackets, only before a known ending.
_SPOKEN_EMAIL = re.compile(
    r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]{0,63} at "
    r"([a-z0-9][a-z0-9\-]{0,62}(?: dot [a-z0-9][a-z0-9\-]{0,62}){0,3} dot "
    r"(?:com|net|org|uk|io|me|info|edu|gov))\b")


_NOT_DOMAINS = frozenset(["the", "a", "an", "this", "that", "my", "your", "his", "her", "our",
                          "their", "its", "any", "some"])


def _domain(found: str) -> str:
    return re.sub(r"\s?[\[(]?dot[\])]?\s?| dot ", ".", found)


def emails(text: Text, context: DetectionContext | None = None) -> Iterator[Span]:
    """Email addresses, plain, with `[at]` and `[dot]`, or `name at gmail dot com`; not at
    one of the organisation's own domains."""
    folded = text.folded
    # Every form needs `@`, a bracketed `[at]`/`(at)`, or a spoken ` dot `.
    if ("@" not in folded and "at]" not in folded and "at)" not in folded
            and " dot " not in folded):
        return
    domains = _public(context.contacts)[2] if context else frozenset()
    found = [*_EMAIL.finditer(folded)]
    if " dot " in folded:
        found += _SPOKEN_EMAIL.finditer(folded)
    for m in sorted(found, key=lambda m: m.start()):
        domain = _domain(m.group(1))
        if domain.split(".")[0] in _NOT_DOMAINS:
            continue  # `look at the dot com bubble`
        if not any(domain == d or domain.endswith("." + d) for d in domains):
            yield m.start(), m.end()


# ---- NHS numbers -----------------------------------------------------------------------------

_NHS_NUMBER = re.compile(
    r"(?<![0-9+/.,\-=#])([1-9][0-9]{2})([ \-]?)([0-9]{3})\2([0-9]{4})(?![0-9]|[/.,\-][0-9])")
_PHONE_PREFIX = re.compile(r"(?:\+\s?1?|\+\s?44|0044|\(0\)|\b1[ \-.])\s?$")
_NHS_CONTEXT = re.compile(r"\b(?:nhs|chi|patient|hospital)\b")
_PHONE_CONTEXT = re.compile(r"\b(?:call|phone|tel|telephone|ring|fax|text|mobile|cell|dial|"
                            r"us|usa|america|new york|ext)\b")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: Text, _context: object = None) -> Iterator[Span]:
    """Ten-digit NHS numbers that pass the check digit, in context: the word NHS (or patient,
    hospital, CHI) nearby, or the NHS's own spaced 3-3-4 form with no sign of a phone number.
    About one random ten-digit number in eleven passes the check digit, so a US number
    (`212-384-5000`) needs more than the digit to count."""
    folded = text.folded
    if _TEN_DIGITS.match(folded) is None:
        return
    urls: list[Span] | None = None
    for m in _NHS_NUMBER.finditer(folded):
        digits = m.group(1) + m.group(3) + m.group(4)
        if not nhs_number_valid(digits):
            continue
        before = folded[max(0, m.start() - _WINDOW):m.start()]
        if urls is None:
            urls = _url_spans(folded)
        if _PHONE_PREFIX.search(before) or _inside(urls, m.start()):
            continue
        named = _NHS_CONTEXT.search(before) or _NHS_CONTEXT.search(folded, m.end(),
                                                                     m.end() + _WINDOW)
        spaced = (m.group(2) == " " and not _PHONE_CONTEXT.search(before)
                  and not _introduced_as_reference(folded, m.start()))
        if named or spaced:
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
# A house number (optionally after `flat 2,`, a range `1-3`, or a floor `1st`), up to twelve
# words, then a postcode. Words and separators (space, comma, full stop, `&`, `/`, brackets)
# use disjoint classes, so there is one way to split any input.
_ADDRESS = re.compile(
    r"(?<![a-z0-9])(?:(?:flat|apartment|apt)\s?[0-9]{1,4}[a-z]?,?\s{1,3})?"
    r"[0-9]{1,4}(?:st|nd|rd|th|[a-z])?(?:-[0-9]{1,4}[a-z]?)?"
    r"(?:[\s,.&()/]{1,4}[a-z][a-z'\-]{0,30}){1,12}?"
    rf"[\s,.&()/]{{1,4}}({_POSTCODE})(?![a-z0-9])")
# How every postcode ends, so how every address ends: a pattern that starts with a digit is
# scanned for quickly, and most text holding digits holds no postcode.
_POSTCODE_END = re.compile(r"[0-9][abd-hjlnp-uw-z]{2}(?![a-z0-9])")
_WORDS = re.compile(r"[a-z][a-z'\-]*")
_SPACE = re.compile(r"\s+")


def _capitalised(kept: str, start: int, end: int) -> bool:
    return all(word[0].isupper() for word in _KEPT_WORDS.findall(kept, start, end))


_KEPT_WORDS = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def address_candidates(text: Text) -> Iterator[tuple[int, int, bool, str]]:
    """Every street address ending in a full postcode, whether it is an organisation's
    premises, and its postcode: what "an address is present" means. A street needs a type
    word (`Road`, `St.Giles`) unless every word is capitalised and a comma comes before the
    town (`12 Kingsway, Hove, BN3 2FR`)."""
    folded = text.folded
    if _POSTCODE_END.search(folded) is None:
        return
    for m in _ADDRESS.finditer(folded):
        body = folded[m.start():m.start(1)]
        names = _WORDS.findall(body)
        typed = any(_STREET_WORD.fullmatch(word) for word in names)
        if not typed and not ("," in body and _capitalised(text.kept, m.start(), m.start(1))):
            continue
        before = folded[max(0, m.start() - 12):m.start()]
        premises = bool(_NOT_PERSONAL.search(body) or _NOT_PERSONAL.search(before))
        yield m.start(), m.end(), premises, _SPACE.sub("", m.group(1))


def postal_addresses(text: Text, context: DetectionContext | None = None) -> Iterator[Span]:
    """A home address (house number, street, town, postcode): not an organisation's premises
    and not one of the addresses the policy lists as the organisation's own."""
    postcodes = _public(context.contacts)[1] if context else frozenset()
    for start, end, premises, postcode in address_candidates(text):
        if not premises and postcode not in postcodes:
            yield start, end


# ---- the organisation's public contacts ------------------------------------------------------

_POSTCODE_IN = re.compile(rf"(?<![a-z0-9])({_POSTCODE})(?![a-z0-9])")


@lru_cache(maxsize=64)
def _public(contacts: PublicContacts) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The organisation's published phone numbers (national digits), postcodes and email
    domains, in the forms the finders compare."""
    phones = set()
    for phone in contacts.phones:
        with contextlib.suppress(phonenumbers.NumberParseException):
            phones.add(phonenumbers.national_significant_number(phonenumbers.parse(phone, "GB")))
    postcodes = {_SPACE.sub("", m.group(1)) for address in contacts.addresses
                 for m in _POSTCODE_IN.finditer(normalise(address).folded)}
    domains = {d.lower().lstrip("@").strip() for d in contacts.domains}
    return frozenset(phones), frozenset(postcodes), frozenset(domains)
