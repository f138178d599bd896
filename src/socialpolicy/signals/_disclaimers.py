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
# "and not ..." / "not my employer's" / "RTs ..." clause.
_END = r"(?=\s*(?:$|[^a-z0-9\s']|and\b|but\b|not\b|rts?\b|retweets?\b|likes?\b|opinions\b))"
_WHAT = r"(?:views|opinions|thoughts|tweets|posts|comments|words)"
_WHERE = (r"(?:expressed|shared|posted|stated|given|here|below|above|"
          r"on\s+this\s+(?:account|page|profile|blog|site|channel)|"
          r"in\s+this\s+(?:blog|post|thread|article|account))")
_ADVERB = r"(?:(?:entirely|solely|strictly|purely|all|only|very\s+much)\s+)?"
_MINE = r"(?:my\s+own|mine(?:\s+alone)?|personal|my\s+personal\s+(?:views?|opinions?))"
_EMPLOYER = (r"(?:my\s+(?:current\s+|former\s+)?(?:employers?|employer's|organisation'?s?|"
             r"organization'?s?|workplace'?s?|trust'?s?|company'?s?)|the\s+organisation)")
_PATTERNS = (
    # "views are my own", "opinions expressed here are solely mine", "views: my own"
    rf"\b{_WHAT}(?:\s+{_WHERE}){{0,2}}(?:\s*[:=\-]|\s+(?:are|r|is))?\s+{_ADVERB}{_MINE}{_END}",
    # "own views." / "my own views only" at the start of a sentence or bio segment
    r"(?:^|(?<=[.|/,;:()\-!?\n]))\s*(?:all\s+)?(?:my\s+)?own\s+(?:views|opinions)" + _END,
    # "personal views only", "these are my personal views."
    r"\bpersonal\s+(?:views|opinions)(?:\s+only)?" + _END,
    # "not (necessarily) those of my employer", "do not represent my employer's views"
    rf"\bnot\s+(?:necessarily\s+)?(?:the\s+(?:views|opinions|position)\s+of|those\s+of|"
    rf"representative\s+of|endorsed\s+by)\s+{_EMPLOYER}",
    rf"\b(?:do|does)(?:\s+not|n't)\s+(?:necessarily\s+)?(?:represent|reflect)\s+"
    rf"(?:the\s+(?:views|opinions|position)\s+of\s+|those\s+of\s+)?{_EMPLOYER}",
    # "posting in a personal capacity"
    r"\b(?:posting|tweeting|writing|speaking|here)\s+in\s+(?:a|my)\s+personal\s+capacity\b",
)
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
    match = _GENERIC.search(folded)
    if match:
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        yield start, match.end()
