"""The detect stage: from a subject to the flat facts the rules test, with evidence.

Caller labels always stand. What the library reads from text (an organisation's name in a
handle, a disclaimer in a bio) becomes a derived fact, carried with the span that produced it so
an analyst can check it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import phonenumbers

from .decision import Evidence
from .policy import PolicyDocument
from .subjects import CONDITION_FIELDS, AccountRequest, Comment, StaffPost, Subject, field_value
from .vocab import DERIVED_FACTS, LABELS

Facts = dict[str, Any]


# ---- text normalisation ----------------------------------------------------------------------

_CONFUSABLES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ѕ": "s",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ѕ": "S", "ο": "o", "Ο": "O", "ν": "v", "Μ": "M", "Ν": "N",
    "’": "'", "‘": "'", "“": '"', "”": '"',
})


def normalise(text: str) -> str:
    """NFKC, look-alike letters mapped to ASCII, curly quotes straightened (case kept)."""
    return unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)


# ---- organisation names in handles -----------------------------------------------------------

_TOKEN = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Split a handle or name into words: separators, camelCase and ACRONYMRuns."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=256)
def _name_keys(names: tuple[str, ...]) -> tuple[str, ...]:
    keys = {"".join(t for t, _, _ in _tokens(normalise(n))) for n in names}
    return tuple(sorted((k for k in keys if k), key=len, reverse=True))


def find_org_name(text: str, names: tuple[str, ...]) -> tuple[int, int, str] | None:
    """Span of an organisation name in `text`, matched on whole words.

    A name matches a run of consecutive whole tokens (`@mhcc_sarah`, `@JoMidAndSouthEssex`), or
    the start or end of an all-capitals token where abbreviations are run together
    (`@JoBloggsMSEICS`). It never matches inside an ordinary word (`@premsey`, `@MsEmily`).
    """
    clean = normalise(text)
    tokens = _tokens(clean)
    keys = _name_keys(names)
    for i in range(len(tokens)):
        joined = ""
        for j in range(i, len(tokens)):
            joined += tokens[j][0]
            if joined in keys:
                return tokens[i][1], tokens[j][2], clean[tokens[i][1]:tokens[j][2]]
            if len(joined) > len(keys[0] if keys else ""):
                break
        word, start, end = tokens[i]
        if clean[start:end].isupper():
            for key in keys:
                if len(key) < len(word) and (word.startswith(key) or word.endswith(key)):
                    return start, end, clean[start:end]
    return None


# ---- disclaimers -----------------------------------------------------------------------------

_GENERIC_DISCLAIMERS = re.compile(
    r"\b(?:all\s+)?(?:views|opinions|thoughts|tweets|posts)\s+(?:expressed\s+)?(?:here\s+)?"
    r"(?:are\s+|r\s+)?(?:(?:my|mine)\s+own|my\s+own|personal|mine)\b"
    r"|\b(?:my\s+)?own\s+views\b"
    r"|\bpersonal\s+(?:views|opinions)\b"
    r"|\bviews\s+(?:are\s+)?not\s+(?:necessarily\s+)?(?:those\s+of\s+)?my\s+employer"
    r"|\bnot\s+(?:necessarily\s+)?(?:the\s+views\s+of|those\s+of)\s+my\s+employer",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")


def find_disclaimer(text: str, wordings: tuple[str, ...]) -> tuple[int, int, str] | None:
    """Span of a disclaimer: the policy's own wordings, or a common "views are my own" form."""
    clean = normalise(text)
    folded = clean.casefold()
    for wording in wordings:
        target = _SPACE.sub(" ", normalise(wording).casefold()).strip().rstrip(".")
        pattern = re.escape(target).replace(r"\ ", r"\s+")
        found = re.search(pattern, folded)
        if found:
            return found.start(), found.end(), clean[found.start():found.end()]
    match = _GENERIC_DISCLAIMERS.search(clean)
    if match:
        return match.start(), match.end(), match.group()
    return None


# ---- personal contact details (MSE ICB Appendix B, 6.5.2) ------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}"
                    r"[A-Za-z]{2,24}\b")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}\b")
_HOUSE = re.compile(r"\b[0-9]{1,4}[A-Za-z]?,? +[A-Z][a-z]+")
_NHS_NUMBER = re.compile(r"(?<![0-9])([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{4})(?![0-9])")
_UK_WRITTEN = ("0", "(0", "+44", "0044", "+ 44")


def _nhs_number_valid(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def find_personal_details(text: str) -> list[tuple[str, int, int, str]]:
    """(detector, start, end, matched) for phone numbers, emails, NHS numbers and postal
    addresses with postcodes. Numbers must be written as UK numbers are (`07700 900123`,
    `+44 ...`), so years, prices, times, reference numbers and 111/999 do not count."""
    found: list[tuple[str, int, int, str]] = []
    clean = normalise(text)
    for match in phonenumbers.PhoneNumberMatcher(clean, "GB",
                                                 leniency=phonenumbers.Leniency.POSSIBLE):
        if match.raw_string.startswith(_UK_WRITTEN):
            found.append(("phone_number", match.start, match.end, match.raw_string))
    found += [("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(clean)]
    for m in _NHS_NUMBER.finditer(clean):
        digits = "".join(m.groups())
        taken = any(start <= m.start() < end for _, start, end, _ in found)
        if not taken and _nhs_number_valid(digits):
            found.append(("nhs_number", m.start(), m.end(), m.group()))
    for m in _POSTCODE.finditer(clean):
        house = _HOUSE.search(clean, max(0, m.start() - 80), m.start())
        if house:
            found.append(("postal_address", house.start(), m.end(), clean[house.start():m.end()]))
    return sorted(found, key=lambda item: item[1])


# ---- facts -----------------------------------------------------------------------------------


def _staff_post_facts(post: StaffPost, doc: PolicyDocument,
                      evidence: list[Evidence]) -> dict[str, bool]:
    def names_in(field: str, value: str, fact: str) -> bool:
        found = find_org_name(value, doc.names) if doc.names else None
        if found:
            evidence.append(Evidence("org_name", field, found[0], found[1], found[2],
                                     f"fact.{fact}"))
        return found is not None

    def disclaimer_in(field: str, value: str, fact: str) -> bool:
        found = find_disclaimer(value, doc.disclaimers)
        if found:
            evidence.append(Evidence("disclaimer", field, found[0], found[1], found[2],
                                     f"fact.{fact}"))
        return found is not None

    text_has = disclaimer_in("text", post.text, "text_has_disclaimer")
    bio_has = disclaimer_in("account.bio", post.account.bio, "bio_has_disclaimer")
    return {
        "handle_names_org": names_in("account.handle", post.account.handle, "handle_names_org"),
        "display_name_names_org": names_in("account.display_name", post.account.display_name,
                                           "display_name_names_org"),
        "text_has_disclaimer": text_has,
        "bio_has_disclaimer": bio_has,
        "has_disclaimer": text_has or bio_has,
    }


def derive(subject: Subject, doc: PolicyDocument) -> tuple[Facts, list[Evidence]]:
    """The flat facts for `subject` under `doc`, keyed as conditions address them."""
    kind = subject.kind
    facts: Facts = {"kind": kind}
    for label in sorted(LABELS[kind]):
        facts[f"label.{label}"] = label in subject.labels
    for path, spec in CONDITION_FIELDS[kind].items():
        value = field_value(subject, path)
        facts[f"field.{path}"] = (value is not None) if spec.type == "present" else value
    evidence: list[Evidence] = []
    derived: dict[str, bool]
    if isinstance(subject, Comment):
        details = find_personal_details(subject.text)
        evidence += [Evidence(name, "text", start, end, text, "label.personal_details")
                     for name, start, end, text in details]
        if details:  # a detected label adds to the caller's; it never removes one
            facts["label.personal_details"] = True
        hours = doc.working_hours
        derived = {"out_of_hours": bool(hours and not hours.is_working_time(subject.posted_at))}
    elif isinstance(subject, StaffPost):
        derived = _staff_post_facts(subject, doc, evidence)
    else:
        assert isinstance(subject, AccountRequest)
        handle = subject.proposed_handle
        found = find_org_name(handle, doc.names) if handle and doc.names else None
        if found:
            evidence.append(Evidence("org_name", "proposed_handle", *found,
                                     "fact.proposed_handle_names_org"))
        derived = {"proposed_handle_names_org": found is not None}
    missing = set(DERIVED_FACTS[kind]) - set(derived)
    if missing:
        raise AssertionError(f"derived facts not computed: {sorted(missing)}")
    facts.update({f"fact.{name}": value for name, value in derived.items()})
    return facts, evidence


def evidence_for(keys: Iterable[str], evidence: list[Evidence]) -> list[Evidence]:
    """The evidence behind any of the given fact or label keys."""
    wanted = set(keys)
    return [item for item in evidence if item.fact in wanted]
