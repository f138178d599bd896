"""Capacity, publication and prescribed wordings: facts most staff-conduct clauses turn on.

Derived once per staff post, so every rule reads them the same way:

- `capacity`: `official` (a corporate or departmental account), `professional` (a professional
  account, or a personal one used for work: the post is about the employer, or the account
  names the organisation or the author's employer), `personal` otherwise;
- `published`: others can read it (a public account, not a direct message or a closed
  messaging app), for clauses about what staff *publish*;
- `account_names_employer`: the handle, display name or bio refers to the author's employer,
  including employer names a policy declares per employment type (a council employee's
  employer is the council);
- `bio_claims_official`: the bio says the account officially represents the organisation;
- `bio_has_work_contact`, `bio_has_contact`: a work email address, or any email or phone
  number, in the bio;
- `wording_<id>`: the exact words a clause prescribes, tolerant of case, whitespace, quotes
  and contractions, but not of other wordings.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..decision import Evidence
from ..subjects import StaffPost, field_value
from ..vocab import WORDING_FACT_PREFIX
from . import _contact, _names
from ._text import MAX_TEXT_CHARS, Text, normalise

__all__ = ["CAPACITY_FACTS", "EVIDENCE_PARTS", "capacity_facts", "wording_key"]

#: The staff-post facts this module sets (besides the per-policy `wording_<id>` facts).
CAPACITY_FACTS = ("capacity", "published", "account_names_employer", "bio_claims_official",
                  "bio_has_work_contact", "bio_has_contact")

_ACCOUNT_FIELDS = ("account.handle", "account.display_name", "account.bio")
_NAMES_ORG = ("fact.handle_names_org", "fact.display_name_names_org", "fact.bio_names_org")
#: Claims that an account speaks for the organisation (MHCC 7.2(c)); read only beside a name.
_OFFICIAL = re.compile(r"\b(?:official(?:ly)?|on behalf of|represent(?:s|ing)?|spokes(?:person|"
                       r"man|woman))\b")
#: Public-sector work email domains: a work contact in a bio (MSE ICB 7.2.7, HRA 3.2.1).
_WORK_DOMAIN = re.compile(r"@(?:[a-z0-9-]+\.)*(?:nhs\.net|nhs\.uk|gov\.uk)$")
_CLOSED_PLATFORMS = frozenset({"whatsapp"})
#: Evidence that also stands behind a fact derived from others.
EVIDENCE_PARTS: dict[str, tuple[str, ...]] = {
    "fact.account_names_employer": _NAMES_ORG,
    "fact.capacity": (*_NAMES_ORG, "fact.account_names_employer"),
}


def wording_key(wording_id: str) -> str:
    """The fact key a prescribed wording sets."""
    return f"fact.{WORDING_FACT_PREFIX}{wording_id}"


# ---- prescribed wordings ----------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_IS = frozenset({"it", "that", "there", "here", "what", "who", "he", "she", "this"})
_SUFFIX = {"m": "am", "re": "are", "ve": "have", "ll": "will", "d": "would"}
_WHOLE = {"won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not"}


def _expand(token: str) -> str:
    """A token with its contraction spelt out (`doesn't` -> `does not`)."""
    if token in _WHOLE:
        return _WHOLE[token]
    head, _, tail = token.partition("'")
    if not tail:
        return token
    if tail == "t" and head.endswith("n"):
        return f"{head[:-1]} not"
    if tail == "s":
        return f"{head} is" if head in _IS else head + "s"
    return f"{head} {_SUFFIX[tail]}" if tail in _SUFFIX else head + tail


@dataclass(frozen=True, slots=True)
class _Words:
    """Text as lower-case words joined by single spaces, with each word's original span."""

    joined: str
    starts: list[int]  # offset of each word in `joined`
    spans: list[tuple[int, int]]  # span of each word in the normalised text


def _words(text: Text) -> _Words:
    parts: list[str] = []
    starts: list[int] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for match in _TOKEN.finditer(text.folded):
        for word in _expand(match.group()).split():
            parts.append(word)
            starts.append(offset)
            spans.append(match.span())
            offset += len(word) + 1
    return _Words(" ".join(parts), starts, spans)


def wording_spans(text: Text, wording: str) -> Iterator[tuple[int, int]]:
    """Spans of `text` that say `wording`, word for word."""
    wanted = _words(normalise(wording)).joined
    if not wanted:
        return
    have = _words(text)
    at = have.joined.find(wanted)
    while at >= 0:
        first = bisect.bisect_left(have.starts, at)
        end_word = bisect.bisect_left(have.starts, at + len(wanted)) - 1
        at_word_edge = first < len(have.starts) and have.starts[first] == at and (
            at + len(wanted) == len(have.joined) or have.joined[at + len(wanted)] == " ")
        if at_word_edge:
            yield have.spans[first][0], have.spans[end_word][1]
        at = have.joined.find(wanted, at + 1)


# ---- the facts --------------------------------------------------------------------------------

def capacity_facts(post: StaffPost, facts: dict[str, Any], evidence: list[Evidence],
                   employer_names: Mapping[str, tuple[str, ...]],
                   wordings: Mapping[str, str]) -> None:
    """Set the capacity, publication and wording facts of `post` in `facts`, adding evidence.

    Reads the organisation-name facts the detectors already set, so it runs after them.
    """
    # The same first MAX_TEXT_CHARS characters the detectors read (and warn about), so a
    # megabyte bio costs no more here than there.
    texts = {path: normalise((field_value(post, path) or "")[:MAX_TEXT_CHARS])
             for path in (*_ACCOUNT_FIELDS, "text")}

    def add(detector: str, path: str, span: tuple[int, int], key: str) -> None:
        first, last = texts[path].span(*span)
        evidence.append(Evidence(detector, path, first, last,
                                 texts[path].original[first:last], key))

    names_employer = any(facts.get(key) for key in _NAMES_ORG)
    own = employer_names.get(post.author.employment, ())
    for path in _ACCOUNT_FIELDS:
        for span in _names.org_names(texts[path], own) if own else ():
            add("employer_name", path, span, "fact.account_names_employer")
            names_employer = True
    facts["fact.account_names_employer"] = names_employer

    bio = texts["account.bio"]
    claims = facts.get("fact.bio_names_org", False) or any(
        item.field == "account.bio" for item in evidence
        if item.fact == "fact.account_names_employer")
    official = False
    for match in _OFFICIAL.finditer(bio.folded) if claims else ():
        add("official_claim", "account.bio", match.span(), "fact.bio_claims_official")
        official = True
    facts["fact.bio_claims_official"] = official

    work = contact = False
    for span in _contact.emails(bio):
        contact = True
        if _WORK_DOMAIN.search(bio.folded[span[0]:span[1]]):
            work = True
            add("work_contact", "account.bio", span, "fact.bio_has_work_contact")
    for _span in _contact.phone_numbers(bio):
        contact = True
    facts["fact.bio_has_work_contact"] = work
    facts["fact.bio_has_contact"] = contact

    account = post.account
    if account.kind in ("corporate", "departmental"):
        capacity = "official"
    elif account.kind == "professional" or post.about_employer or names_employer:
        capacity = "professional"
    else:
        capacity = "personal"
    facts["fact.capacity"] = capacity
    facts["fact.published"] = (account.public and post.format != "direct_message"
                               and post.platform not in _CLOSED_PLATFORMS)

    for wording_id, wording in wordings.items():
        key = wording_key(wording_id)
        facts[key] = False
        for path, disclaimer in (("text", "fact.text_has_disclaimer"),
                                 ("account.bio", "fact.bio_has_disclaimer")):
            for span in wording_spans(texts[path], wording):
                add("prescribed_wording", path, span, key)
                # A prescribed wording is a disclaimer too, for clauses that take any.
                facts[key] = facts[disclaimer] = facts["fact.has_disclaimer"] = True
