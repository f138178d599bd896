"""Names: the organisation's in a handle, display name or bio (MHCC 7.2, MSE ICB 7.1.9), and
members of staff named in a comment (from a directory the caller supplies).

Matching is on whole words of the normalised text, never inside an ordinary word: `@mhcc_sarah`
and `@JoBloggsMSEICS` name the organisation, `@MsEmily` and `@premsey` do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ._text import Text, normalise, words

Span = tuple[int, int]

# Long keys are safe as the start or end of a run-together lower-case word (`mhccsarah`);
# a three-letter one is not (`msemily`, `sarahra`), except inside an all-capitals run.
_AFFIX_MIN = 4


@dataclass(frozen=True, slots=True)
class _Keys:
    """An organisation's names as their words run together in lower case (`mhcc`,
    `midandsouthessex`), with every prefix, for a scan that gives up on the first letter."""

    keys: frozenset[str]
    prefixes: frozenset[str]
    lengths: tuple[int, ...]  # distinct key lengths, longest first


@lru_cache(maxsize=256)
def _name_keys(names: tuple[str, ...]) -> _Keys:
    keys = {"".join(w for w, _, _ in words(normalise(n).kept)) for n in names} - {""}
    prefixes = {key[:n] for key in keys for n in range(1, len(key) + 1)}
    return _Keys(frozenset(keys), frozenset(prefixes),
                 tuple(sorted({len(k) for k in keys}, reverse=True)))


def _affix(word: str, capitals: bool, names: _Keys) -> Span | None:
    """Where a name starts or ends a longer word: any name in an all-capitals run
    (`MSEICS`), only a long one in a lower-case run (`mhccsarah`, not `msemily`)."""
    for n in names.lengths:
        if n >= len(word) or not (capitals or n >= _AFFIX_MIN):
            continue
        if word[:n] in names.keys:
            return 0, n
        if word[-n:] in names.keys:
            return len(word) - n, len(word)
    return None


def org_names(text: Text, names: tuple[str, ...]) -> Iterator[Span]:
    """Spans naming the organisation: a run of whole words equal to one of its names, or an
    abbreviation at the start or end of a word (`MSEICS` in `JoBloggsMSEICS`)."""
    found_keys = _name_keys(names)
    if not found_keys.keys:
        return
    tokens = words(text.kept)
    i = 0
    while i < len(tokens):
        last = None
        joined = ""
        for j in range(i, len(tokens)):
            joined += tokens[j][0]
            if joined not in found_keys.prefixes:
                break
            if joined in found_keys.keys:
                last = j  # keep going: the longest name wins
        if last is not None:
            yield tokens[i][1], tokens[last][2]
            i = last + 1
            continue
        word, start, end = tokens[i]
        span = _affix(word, text.kept[start:end].isupper(), found_keys)
        if span is not None:
            yield start + span[0], start + span[1]
        i += 1


# ---- staff named in a comment ----------------------------------------------------------------

_TITLES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "nurse", "sister", "matron",
                     "prof", "professor"})
_GAP = re.compile(r"[\s'\-.]{0,3}")


_NAME_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=16)
def _directory(staff: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word -> the names (as lower-case word tuples) starting with it, longest first;
    each surname also under its titles (`dr shah`)."""
    index: dict[str, set[tuple[str, ...]]] = {}
    for person in staff:
        parts = tuple(_NAME_WORD.findall(normalise(person).folded))
        if len(parts) < 2:
            continue  # a single name is too ambiguous to count as naming someone
        index.setdefault(parts[0], set()).add(parts)
        for title in _TITLES:
            index.setdefault(title, set()).add((title, parts[-1]))
    return {first: tuple(sorted(names, key=len, reverse=True)) for first, names in index.items()}


# Two words of a handle run together (`PriyaShah`, `McDonald`, `Ward7`): where `words` splits
# inside a run of letters and digits.
_INNER_SPLIT = re.compile(r"[a-z][A-Z]|[A-Z][A-Z][a-z]|[A-Za-z][0-9]|[0-9][A-Za-z]")
_RUN = re.compile(r"[A-Za-z0-9]+")
_last: tuple[tuple[str, ...], dict[str, tuple[tuple[str, ...], ...]]] = ((), {})


def _index(staff: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """`_directory(staff)`, remembering the last directory by identity: a batch passes the
    same tuple for every row, and hashing a long directory per row would cost more than
    reading the text."""
    global _last
    last = _last
    if last[0] is staff:
        return last[1]
    index = _directory(staff)
    _last = (staff, index)
    return index


def _may_name(kept: str, index: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    """False when no word of the text can start a name: every name starts with a word (or
    words run together) of the directory's first words and titles. Without a run-together
    word, each run of letters and digits is one word, so a set test settles it."""
    if _INNER_SPLIT.search(kept):
        return True
    runs = _RUN.findall(kept)
    return not index.keys().isdisjoint("\n".join(runs).lower().split("\n"))


def _match_name(name: tuple[str, ...], tokens: list[tuple[str, int, int]], i: int,
                kept: str) -> list[int] | None:
    """Where each of the name's words starts, if they start at token i, and the end. A word
    may span adjacent tokens (`McDonald` is `mc` + `donald`); words are a short gap apart."""
    starts = []
    for n, part in enumerate(name):
        if i >= len(tokens):
            return None
        if n and _GAP.fullmatch(kept, tokens[i - 1][2], tokens[i][1]) is None:
            return None
        starts.append(tokens[i][1])
        joined = tokens[i][0]
        while (len(joined) < len(part) and i + 1 < len(tokens)
               and tokens[i + 1][1] == tokens[i][2]):
            i += 1
            joined += tokens[i][0]
        if joined != part:
            return None
        i += 1
    return [*starts, tokens[i - 1][2]]


def staff_names(text: Text, staff: tuple[str, ...]) -> Iterator[Span]:
    """Full names (`Priya Shah`, `@PriyaShah`) or title and surname (`Dr Shah`) of staff.

    In text with capital letters, each word of the name must be capitalised (`Will Green`, not
    `will green light it`); text written all in lower case is taken as it is.
    """
    if not staff:
        return
    index = _index(staff)
    if _may_name(text.kept, index):
        yield from _scan_names(text.kept, index)


def _scan_names(kept: str, index: dict[str, tuple[tuple[str, ...], ...]]) -> Iterator[Span]:
    """Every name of `index` in `kept`, word by word (`staff_names` without its pre-check)."""
    tokens = words(kept)
    strict = kept != kept.lower()
    i = 0
    while i < len(tokens):
        candidates = list(index.get(tokens[i][0], ()))
        joined = tokens[i][0]
        for j in range(i + 1, min(i + 3, len(tokens))):  # a first word split like `Mc|Donald`
            if tokens[j][1] != tokens[j - 1][2]:
                break
            joined += tokens[j][0]
            candidates += index.get(joined, ())
        found = None
        for name in candidates:
            found = _match_name(name, tokens, i, kept)
            if found and (not strict or all(kept[s].isupper() for s in found[:-1])):
                break
            found = None
        if found is None:
            i += 1
            continue
        yield found[0], found[-1]
        while i < len(tokens) and tokens[i][1] < found[-1]:
            i += 1
