"""Source documents: where a policy's source text may be read from, and the normalisation under
which a clause's text must appear in it verbatim."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "·": " ", "•": " "})
_SPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[/\\:\x00]")
#: A source document larger than this is refused rather than read (the bundled ones are < 100 kB).
MAX_SOURCE_BYTES = 5_000_000


def normalise(text: str) -> str:
    """What "verbatim" allows to differ: whitespace, quote style and bullet characters."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).strip()


def source_name_problem(name: str) -> str | None:
    """Why `name` is not a bare file name (None if it is): a policy file may only name a
    document inside its `sources/` folder, so it can never make the library read another file."""
    if name in (".", "..") or name.startswith("~") or _SEPARATORS.search(name) or (
            Path(name).is_absolute()):
        return "it must be a bare file name, without folders"
    return None


def resolve_source(name: str, base: Path) -> Path | None:
    """`base/name` if it is a regular file that really lies inside `base` (no symlink out)."""
    path = base / name
    try:
        inside = path.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):  # a symlink loop or an unreadable folder
        return None
    return path if inside and path.is_file() else None


def verbatim_problem(quote: str, source: str) -> str | None:
    """None if `quote` appears in `source` (normalised by the caller, once for all quotes); else
    a hint saying where it diverges."""
    wanted, haystack = normalise(quote), source
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
