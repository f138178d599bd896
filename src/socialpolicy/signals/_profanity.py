"""Swearing, obscenity and slurs, each found with its tier (`mild`, `strong`, `slur`).

The disguises people use are read through: masks (`f***ing`, `motherf@#&%er`, `bl**dy`),
look-alike digits and symbols (`sh1t`, `a$$`, `nlgger`, `SHlT`), letters spaced or one per
line (`f u c k`), stretched or doubled letters (`fuuuck`, `BIITCH`), a swapped pair (`fcuk`)
and a replaced vowel in the strongest words (`fwck`, `cvnt`), insults run together
(`shitface`, `dickweed`), slurs run into a name (`SomeNameFaggot`) and a sexual verb with
`off` (`sucking off my ...`). Words are matched whole, so Scunthorpe, assess, class, cocktail
and Hancock are safe, and nothing inside a web address counts. Words with an everyday meaning
(`dick`, `cock`, `ass`, `prick`) count only in context (see `_words` and `_swearing_context`).

One scan of a text serves all four detectors (`profanity`, `profanity_mild`,
`profanity_strong`, `slur`): the last few texts' results are kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from typing import Final, Literal

from ._swearing_context import (
    NEXT_WORD,
    after_sexual_verb,
    in_context,
    l_for_i,
    named,
    run_into,
    sexual_off,
)
from ._text import Text
from ._words import (
    COMPOUND_HEADS,
    COMPOUND_TAILS,
    CONTEXTUAL,
    DISGUISED_STEMS,
    EVERYDAY_AFTER,
    NOT_DISGUISES,
    NOT_SQUEEZED,
    RUN_INTO,
    SEXUAL_OBJECTS,
    VOCABULARY,
    Tier,
)

Span = tuple[int, int]
Hit = tuple[int, int, Tier]

# Stems that never occur inside an innocent English word, so they count inside any token.
_ANYWHERE = ("fuck", "fvck", "phuck")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s",
                       "!": "i", "@": "a"})
_MASKS = "*#%&^@"
_TOKEN = re.compile(r"[a-z0-9@$*#%!&^]{3,}")  # no listed word is shorter
_NOT_LETTERS = "0123456789@$*#%!&^"
_LETTERS = re.compile(r"[a-z$@!]")
_REPEATS = re.compile(r"([a-z])\1+")
_MASK_RUN = re.compile(r"[*#%&^@]+|[^*#%&^@]+")
# Three to fourteen single letters, each one to three separators apart: `f u c k`, `s.h.i.t`,
# and one letter per line.
_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?:[\s._\-*]{1,3}[a-z]){2,13}(?![a-z0-9])")
# Cheap test for the spaced-letters pass: two single letters one separator apart.
_SPACED_HINT = re.compile(r"(?<![a-z0-9])[a-z][\s._\-*]{1,3}[a-z](?![a-z0-9])")
# A word with `|` written for `i` (`n|gger`, `sh|t`): the tokeniser splits at `|`, so that
# wiki links (`[[Page|text]]`) keep their words; this pass reads it joined.
_PIPED = re.compile(r"(?<![a-z0-9|])[a-z]{1,8}(?:\|[a-z]{0,8}){1,3}(?![a-z0-9|])")
_SEPARATORS = re.compile(r"[^a-z]+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]\[]+")
# Long slurs, found inside a run-together name or hashtag only where capitals mark the word.
_RUN_INTO = re.compile("|".join(sorted(RUN_INTO, key=len, reverse=True)))
_ORDER: dict[Tier, int] = {"strong": 0, "slur": 1, "mild": 2}


def _build_disguises() -> dict[str, Tier]:
    """Swapped pairs and replaced vowels of the strongest stems, with their suffixes."""
    found: dict[str, Tier] = {}
    for stem, suffixes in DISGUISED_STEMS.items():
        variants = {stem[:i] + stem[i + 1] + stem[i] + stem[i + 2:]
                    for i in range(1, len(stem) - 1)}
        for i, c in enumerate(stem):
            if c in "aeiou":
                variants |= {stem[:i] + v + stem[i + 1:] for v in "aeiouyvw"}
        for variant in variants - NOT_DISGUISES - {stem}:
            for suffix in suffixes:
                found.setdefault(variant + suffix, "strong")
    return found


def _build_squeezed() -> dict[str, Tier]:
    """Forms with repeated letters squeezed (`fuuuck`, `biitch`); short ones would hit `as`."""
    table: dict[str, Tier] = {}
    for word, tier in sorted(VOCABULARY.items(), key=lambda item: _ORDER[item[1]]):
        squeezed = _REPEATS.sub(r"\1", word)
        if len(squeezed) >= 4:
            table.setdefault(squeezed, tier)
    return table


def _build_by_initial() -> dict[str, tuple[tuple[str, Tier], ...]]:
    """Every listed word (contextual ones too: masking one shows the intent) by first letter,
    strong words first."""
    table: dict[str, list[tuple[str, Tier]]] = {}
    for word, tier in sorted({**CONTEXTUAL, **VOCABULARY}.items(),
                             key=lambda item: (_ORDER[item[1]], item[0])):
        table.setdefault(word[0], []).append((word, tier))
    return {c: tuple(words) for c, words in table.items()}


def _build_l_for_i() -> dict[str, Tier]:
    """`nlgger`, `bltch`, `SHlT`: listed words with an `l` written for any of their `i`s (the
    scan checks that it looks like one: see `l_for_i`)."""
    table: dict[str, Tier] = {}
    for word, tier in sorted(VOCABULARY.items(), key=lambda item: _ORDER[item[1]]):
        at = [i for i, c in enumerate(word) if c == "i"]
        for chosen in range(1, 2 ** len(at)):
            form = list(word)
            for bit, i in enumerate(at):
                if chosen >> bit & 1:
                    form[i] = "l"
            table.setdefault("".join(form), tier)
    return table


# Built once at import: every token lookup reads these.
_DISGUISES: Final = _build_disguises()
_SQUEEZED: Final = _build_squeezed()
_BY_INITIAL: Final = _build_by_initial()
_L_FOR_I: Final = _build_l_for_i()


@lru_cache(maxsize=4096)
def _mask_pattern(token: str) -> re.Pattern[str]:
    """A masked token as a pattern: one mask is one letter, a run of k masks k-1 to k+1."""
    parts = []
    for run in _MASK_RUN.findall(token):
        if run[0] not in _MASKS:
            parts.append(re.escape(run))
        elif len(run) == 1:
            parts.append("[a-z]")
        else:
            parts.append(f"[a-z]{{{len(run) - 1},{len(run) + 1}}}")
    return re.compile("".join(parts))


def _masked(token: str) -> Tier | None:
    """`f***ing`, `sh*t`, `motherf@#&%er`: a listed word with letters hidden by masks.
    The token must start with a letter and show one, so `*really*` and `A*` stay clean."""
    if len(token) < 3 or len(token) > 40 or not token[0].isalpha():
        return None
    unmasked = token.translate(str.maketrans("013457$!", "oieastsi"))
    for candidate in {unmasked, unmasked.replace("@", "a")}:
        if not any(c in _MASKS for c in candidate):
            continue
        pattern = _mask_pattern(candidate)
        for word, tier in _BY_INITIAL.get(candidate[0], ()):
            if pattern.fullmatch(word):
                return tier
    return None


def _compound(token: str) -> bool:
    """A swear stem run together with an insulting ending (`shitface`, `dickweed`)."""
    for cut in range(3, min(7, len(token) - 2)):
        if token[:cut] in COMPOUND_HEADS and token[cut:] in COMPOUND_TAILS:
            return True
    return False


def _alpha_tier(token: str) -> Tier | None:
    tier = VOCABULARY.get(token)
    if tier is not None:
        return tier
    if any(stem in token for stem in _ANYWHERE) or _compound(token):
        return "strong"
    tier = _DISGUISES.get(token)
    if tier is not None:
        return tier
    squeezed = _REPEATS.sub(r"\1", token)
    if squeezed != token and token not in NOT_SQUEEZED:
        return _SQUEEZED.get(squeezed)
    return None


def _tier(token: str) -> Tier | None:
    """The tier of a token on its own, or None (contextual words are judged by the caller)."""
    if token.isalpha():
        return _alpha_tier(token)
    if token.startswith(("@", "#")) and token[1:].isalpha():  # a mention or a hashtag
        return _alpha_tier(token[1:])
    letters = len(_LETTERS.findall(token))
    if letters == 0:
        return None
    if any(c in _MASKS for c in token[1:]):
        tier = _masked(token)
        if tier is not None:
            return tier
    # Look-alike digits and symbols: only in a word, so `a55` (a road) or `5*` stay clean.
    if letters >= 2 and letters * 2 > len(token):
        plain = token.translate(_LEET)
        if plain.isalpha():
            return _alpha_tier(plain) or CONTEXTUAL.get(plain)
    return None


def _contextual(token: str) -> str | None:
    """The contextual word a token is, stretched letters squeezed (`fagg`, `diiick`)."""
    if token in CONTEXTUAL:
        return token
    squeezed = _REPEATS.sub(r"\1", token) if len(token) <= 12 else token
    return squeezed if squeezed in CONTEXTUAL else None


# What a token can be, worked out once per distinct token: (the length that counts, how it
# is judged, its tier, the contextual word, the words after it that make it everyday).
_Kind = Literal["word", "disguise", "l_for_i", "masks", "sexual", "contextual", "off", "camel"]
_Token = tuple[int, _Kind, Tier | None, str, frozenset[str]]
_NOTHING: Final[frozenset[str]] = frozenset()


@lru_cache(maxsize=65536)
def _classify(token: str) -> _Token | None:
    """None for the great majority of tokens, which nothing could make swearing."""
    if "!" in token:  # `sh!t` is a word; `dick!81` is a word and what follows its `!`
        stem = token.rstrip(_NOT_LETTERS)
        tail = token[len(stem):]
        if "!" in tail:
            token = stem + tail[:tail.index("!")]
    everyday = EVERYDAY_AFTER.get(token, _NOTHING)
    tier = _tier(token)
    if tier is not None:
        kind: _Kind = "disguise" if token in _DISGUISES else "word"
        return len(token), kind, tier, "", everyday
    tier = _L_FOR_I.get(token)
    if tier is not None:
        return len(token), "l_for_i", tier, "", everyday
    if token.strip(_MASKS) == "":
        return len(token), "masks", "strong", "", everyday
    if token in SEXUAL_OBJECTS:
        return len(token), "sexual", SEXUAL_OBJECTS[token], "", everyday
    word = _contextual(token)
    if word is not None:
        return len(token), "contextual", CONTEXTUAL[word], word, everyday
    if token == "off":
        return 3, "off", "strong", "", everyday
    if len(token) > 7 and token.lstrip("@#").isalpha():
        inside = _RUN_INTO.search(token)
        if inside is not None:
            return len(token), "camel", VOCABULARY[inside.group()], inside.group(), everyday
    return None


@lru_cache(maxsize=8)
def scan(kept: str, folded: str) -> tuple[Hit, ...]:
    """Every swear word or slur in the text with its tier, in order of position."""
    urls = [m.span() for m in _URL.finditer(folded)] if "www." in folded or "://" in folded \
        else []
    shouting = kept.upper() == kept
    hits: list[Hit] = []
    u = 0
    for m in _TOKEN.finditer(folded):  # tokens of three characters or more
        found = _classify(m.group())
        if found is None:
            continue
        length, kind, tier, word, everyday = found
        start = m.start()
        end = start + length
        if urls:
            while u < len(urls) and urls[u][1] <= start:
                u += 1
            if u < len(urls) and urls[u][0] <= start:
                continue  # inside a web address
        if kind == "disguise" and named(kept, start, end, shouting):
            continue  # a surname that happens to look like a disguise: Anton Fick
        if kind == "l_for_i" and not l_for_i(kept[start:end]):
            continue
        if kind == "masks" and not folded.endswith("son of a ", 0, start):
            continue  # only `son of a *****`
        if kind == "sexual" and not after_sexual_verb(folded, start):
            continue
        if kind == "contextual":
            tier = in_context(word, folded, kept, start, end, shouting)
            if tier is None:
                continue
        if kind == "off":
            start = sexual_off(folded, start, end)
            if start < 0:
                continue
        if kind == "camel":
            start = run_into(kept, folded, start, end, word)
            if start < 0:
                continue
            end = start + len(word)
        if everyday:
            following = NEXT_WORD.match(folded, end)
            if following is not None and following.group(1) in everyday:
                continue
        assert tier is not None
        hits.append((start, end, tier))
    if _SPACED_HINT.search(folded):
        hits += _spaced(folded, urls)
    if "|" in folded:
        hits += _piped(folded, urls, sorted(start for start, _, _ in hits))
    return tuple(sorted(hits))


def _piped(folded: str, urls: list[Span], found: list[int]) -> Iterator[Hit]:
    """`n|gger`, `sh|t`: `|` for `i`, where no word inside was found on its own."""
    u = 0
    for m in _PIPED.finditer(folded):
        tier = _alpha_tier(m.group().replace("|", "i"))
        if tier is None:
            continue
        while u < len(urls) and urls[u][1] <= m.start():
            u += 1
        inside = bisect_left(found, m.start())
        if (u < len(urls) and urls[u][0] <= m.start()) or (
                inside < len(found) and found[inside] < m.end()):
            continue
        yield m.start(), m.end(), tier


def _spaced(folded: str, urls: list[Span]) -> Iterator[Hit]:
    """Letters spaced out or one per line: `f u c k`, `s.h.i.t`."""
    u = 0
    for m in _SPACED.finditer(folded):
        joined = _SEPARATORS.sub("", m.group())
        tier = VOCABULARY.get(joined) or _alpha_tier(joined)
        if tier is None:
            continue
        while u < len(urls) and urls[u][1] <= m.start():
            u += 1
        if u < len(urls) and urls[u][0] <= m.start():
            continue
        yield m.start(), m.end(), tier


_STRONG_OR_SLUR: Final = frozenset[Tier]({"strong", "slur"})
_MILD_ONLY: Final = frozenset[Tier]({"mild"})
_STRONG_ONLY: Final = frozenset[Tier]({"strong"})
_SLUR_ONLY: Final = frozenset[Tier]({"slur"})


def _spans(text: Text, tiers: frozenset[Tier]) -> Iterator[Span]:
    for start, end, tier in scan(text.kept, text.folded):
        if tier in tiers:
            yield start, end


def profanity(text: Text, _context: object = None) -> Iterator[Span]:
    """What the `profanity` label means when a detector sets it: strong swearing or a slur."""
    return _spans(text, _STRONG_OR_SLUR)


def mild(text: Text, _context: object = None) -> Iterator[Span]:
    """Mild swearing only: `bloody`, `bugger`, `arse`, `pissed off`."""
    return _spans(text, _MILD_ONLY)


def strong(text: Text, _context: object = None) -> Iterator[Span]:
    """Strong swearing only (not slurs)."""
    return _spans(text, _STRONG_ONLY)


def slurs(text: Text, _context: object = None) -> Iterator[Span]:
    """Slurs on a protected characteristic (race, sexuality, gender identity, disability)."""
    return _spans(text, _SLUR_ONLY)
