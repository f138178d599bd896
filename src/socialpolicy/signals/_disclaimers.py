"""Disclaimers: "views are my own" and its common variants, and the policy's own wordings
(the HRA's in 3.1, 3.3 and 3.4), in a post's text or an account's bio.

A disclaimer has to end where a disclaimer ends: "views my own." is one, "the views of my own
garden" and "I have my own views on parking" are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ._text import Text, normalise

Span = tuple[int, int]

# Where a disclaimer may end: end of text, punctuation, a symbol or emoji, or a following
# "and not ..." / "not my employer's" / "RTs ..." clause. Every run of spaces is bounded (at
# most eight characters) so no start position can make the scan read the rest of the text.
_S = r"\s{1,8}"
_S0 = r"\s{0,8}"
_END = (r"(?=\s{0,8}+(?:$|[^a-z0-9\s']|and\b|but\b|not\b|rts?\b|retweets?\b|likes?\b|"
        r"opinions\b))")
_WHAT = r"(?:views|opinions|thoughts|tweets|posts|comments|words)"
_WHERE = (rf"(?:expressed|shared|posted|stated|given|here|below|above|"
          rf"on{_S}this{_S}(?:account|page|profile|blog|site|channel)|"
          rf"in{_S}this{_S}(?:blog|post|thread|article|account))")
_ADVERB = rf"(?:(?:entirely|solely|strictly|purely|all|only|very{_S}much){_S})?"
_MINE = rf"(?:my{_S}own|mine(?:{_S}alone)?|personal|my{_S}personal{_S}(?:views?|opinions?))"
_EMPLOYER = (rf"(?:my{_S}(?:current{_S}|former{_S})?(?:employers?|employer's|organisation'?s?|"
             rf"organization'?s?|workplace'?s?|trust'?s?|company'?s?)|the{_S}organisation)")
_SHARED = r"(?:rts?|retweets?|reposts?|shares?|likes?|follows?)"
_PATTERNS = (
    # "views are my own", "opinions expressed here are solely mine", "views: my own",
    # "opinions mine"
    rf"\b{_WHAT}(?:{_S}{_WHERE}){{0,2}}(?:{_S0}[:=\-]|{_S}(?:are|r|is))?{_S}{_ADVERB}{_MINE}"
    + _END,
    # "personal views only", "these are my personal views."
    rf"\bpersonal{_S}(?:views|opinions)(?:{_S}only)?" + _END,
    # "not (necessarily) those of my employer", "do not represent my employer's views"
    rf"\bnot{_S}(?:necessarily{_S})?(?:the{_S}(?:views|opinions|position){_S}of|those{_S}of|"
    rf"representative{_S}of|endorsed{_S}by){_S}{_EMPLOYER}",
    rf"\b(?:do|does)(?:{_S}not|n't){_S}(?:necessarily{_S})?(?:represent|reflect){_S}"
    rf"(?:the{_S}(?:views|opinions|position){_S}of{_S}|those{_S}of{_S})?{_EMPLOYER}",
    # "my views, not my employer's"
    rf"\bmy{_S}(?:own{_S})?{_WHAT}{_S0}[,;:\-]?{_S0}(?:and{_S})?not{_S}{_EMPLOYER}",
    # "posting in a personal capacity", "this is a personal account"
    rf"\b(?:posting|tweeting|writing|speaking|here){_S}in{_S}(?:a|my){_S}personal{_S}capacity\b",
    r"(?:(?<=\bthis is a )|(?<=\bthis is my ))personal\s(?:account|blog|page|profile)" + _END,
    # "RTs are not endorsements", "RTs/likes ≠ endorsement", "retweets don't mean endorsement"
    rf"\b{_SHARED}(?:{_S0}(?:/|&|,|and){_S0}{_SHARED}){{0,3}}{_S0}"
    rf"(?:(?:are|r|is){_S})?(?:not|n't|≠|!=|=/=|(?:do|does)(?:n't|{_S}not){_S}(?:mean|equal))"
    rf"{_S0}(?:an?{_S})?endorse(?:ments?|d)?\b",
)
# "own views." / "my own views only" at the start of a sentence or bio segment: found by its
# words, then the segment start is checked, so a long run of newlines is read once.
_OWN_VIEWS = re.compile(rf"\b(?:all{_S})?(?:my{_S})?own{_S}(?:views|opinions){_END}")
_SEGMENT_START = re.compile(r"(?:^|[.|/,;:()\-!?\n])\s{0,8}$")
# Every common form needs one of these, so most text is passed over without the patterns.
_NEEDED = ("own", "mine", "personal", "employer", "organis", "organiz", "workplace", "trust",
           "company", "capacity", "endorse")
_GENERIC = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.MULTILINE)

_SPACE = re.compile(r"\s+")
_NOT = re.compile(r"\b(do|does|is|are|was|were|has|have|had|should|would|could|did)n't\b")


@lru_cache(maxsize=64)
def _wording(wording: str) -> re.Pattern[str]:
    """A policy wording as a pattern: any whitespace, `doesn't` or `does not`, no final stop."""
    target = _SPACE.sub(" ", normalise(wording).folded).strip().rstrip(".")
    parts = []
    for piece in re.split(r"(\b\w+n't\b| )", target):
        negated = _NOT.fullmatch(piece)
        if piece == " ":
            parts.append(r"\s+")
        elif negated:
            parts.append(rf"(?:{negated.group(1)}n't|{negated.group(1)}\s+not)")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


def disclaimers(text: Text, wordings: tuple[str, ...]) -> Iterator[Span]:
    """The first disclaimer: one of the policy's wordings, else a common variant."""
    folded = text.folded
    for wording in wordings:
        found = _wording(wording).search(folded)
        if found:
            yield found.start(), found.end()
            return
    if not any(key in folded for key in _NEEDED):
        return
    spans = [m.span() for m in (_GENERIC.search(folded),) if m]
    for m in _OWN_VIEWS.finditer(folded):
        if _SEGMENT_START.search(folded, max(0, m.start() - 9), m.start()):
            spans.append(m.span())
            break
    if spans:
        yield min(spans)
