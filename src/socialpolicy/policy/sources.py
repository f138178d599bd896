"""Source documents: the normalisation under which a clause's text must appear verbatim."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "·": " ", "•": " "})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What "verbatim" allows to differ: whitespace, quote style and bullet characters."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).strip()


@lru_cache(maxsize=8)
def _normalised_source(source: str) -> str:
    """A document is checked against once per clause: normalise it once."""
    return normalise(source)


def verbatim_problem(quote: str, source: str) -> str | None:
    """None if `quote` appears in `source` (normalised); else a hint saying where it diverges."""
    wanted, haystack = normalise(quote), _normalised_source(source)
    if wanted in haystack:
        return None
    low, high = 0, len(wanted)
    while low < high:  # the longest prefix that is still found
        middle = (low + high + 1) // 2
        if wanted[:middle] in haystack:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return "none of it was found; copy the text from the source document"
    return (f"the first {low} characters match; it diverges at `{wanted[low:low + 40]}`: "
            "copy the source's words exactly (only whitespace, quotes and bullets may differ)")
