"""Text normalisation for detectors: NFKC, look-alike letters, case folding, with a map back.

Every detector reads the same normalised text, so MHCC written in fullwidth letters, with a
Greek capital Eta for the H, or with a zero-width space inside, all read as `MHCC`.
Normalisation works character by character, so each normalised character knows which original
character it came from and evidence spans point into the caller's text.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

#: Detectors read at most this many characters of each text field: work stays bounded on
#: hostile input, and a decision on a longer text carries a warning (`text_warnings`). A long
#: blog post fits; a comment never comes near it.
MAX_TEXT_CHARS = 100_000

# Latin look-alikes that NFKC leaves alone: Cyrillic, Greek, small capitals, dotless i;
# curly quotes and dashes straightened so patterns need only the ASCII forms.
_CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "З": "3", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ї": "I", "Ј": "J", "Ѕ": "S",
    "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ϲ": "c",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    "ı": "i", "ȷ": "j", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s",
    "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    "’": "'", "‘": "'", "‛": "'", "ʼ": "'", "′": "'", "“": '"', "”": '"', "„": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-",
})


# Symbols whose decomposition would change their meaning (`≠` would become `=`).
_KEEP = frozenset("≠")


@lru_cache(maxsize=4096)
def _char(c: str) -> tuple[str, str]:
    """(case kept, case folded) for one character; both the same length."""
    if c in _KEEP:
        return c, c
    kept = unicodedata.normalize("NFKC", c)
    if unicodedata.category(c) == "Cf":  # zero-width spaces and joiners, soft hyphens
        return "", ""
    kept = "".join(ch for ch in unicodedata.normalize("NFD", kept)
                   if not unicodedata.combining(ch))
    kept = unicodedata.normalize("NFC", kept).translate(_CONFUSABLES)
    folded = kept.casefold()
    return (kept, folded) if len(kept) == len(folded) else (folded, folded)


@dataclass(frozen=True, slots=True)
class Text:
    """A subject's text field, normalised. `kept` keeps case (camelCase handles need it);
    `folded` is case-folded. Both have the same length, and detectors report spans in them."""

    original: str
    kept: str
    folded: str
    origin: array[int] | None = None  # origin[i]: index in `original` of normalised char i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `original` that the normalised span [start, end) came from."""
        if self.origin is None:
            return start, end
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Text:
    """NFKC, combining marks dropped, look-alikes mapped to ASCII, then case-folded."""
    if text.isascii():
        return Text(text, text, text.lower())
    kept: list[str] = []
    folded: list[str] = []
    origin = array("q")
    for index, c in enumerate(text):
        k, f = _char(c)
        if k:
            kept.append(k)
            folded.append(f)
            origin.extend([index] * len(k))
    return Text(text, "".join(kept), "".join(folded), origin)


# Words of a handle or name: separators, camelCase and ACRONYMRuns split (`JoBloggsMSEICS` ->
# Jo, Bloggs, MSEICS). Each alternative consumes what it tries, so it runs in linear time.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[tuple[str, int, int]]:
    """(word in lower case, start, end) for each word of case-kept text."""
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
