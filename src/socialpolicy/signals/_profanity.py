"""Swearing and obscenity, including the usual disguises: `f***ing`, `sh1t`, `f u c k`,
`fuuuck`. Words are matched whole, so Scunthorpe, assess, class, cocktail and Hancock are safe.

The list is British and deliberately short: clear swearing and obscenity, not mild words
(`crap`, `damn`), and not words with an everyday meaning in a health service's comments
(`prick` as in a finger-prick test, `cock`, `dick`, `tit`). `bloody` counts unless it
describes a symptom (`bloody nose`, `bloody stools`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ._text import Text

Span = tuple[int, int]

_FORMS = """
fuck fucks fucked fucker fuckers fucking fuckin fuckn fucken fuckwit fuckwits fuckhead
fuckheads fuckface fuckup fuckups fuckery fuckall motherfucker motherfuckers motherfucking
clusterfuck fck fcking fckin fcked fkn fking fuk fuking fukin fukn fuked fvck fvcking
phuck phucking
wtf stfu ffs
shit shits shite shitty shitting shitted shitter shithole shitholes shithead shitheads
shitshow shitstorm shitless bullshit bullshitting bullshitter horseshit batshit apeshit
dipshit chickenshit shyte
cunt cunts cunty
twat twats twatting
wank wanks wanked wanker wankers wanking wanky wankstain
bollocks bollock bollocking bollocked bollox
bastard bastards
bitch bitches bitching bitchy
arse arses arsed arsey arsehole arseholes asshole assholes asshat jackass dumbass
dickhead dickheads knobhead knobheads bellend bellends tosser tossers
piss pissed pissing pisses pisstake pissy pisshead pissheads
bugger buggers buggered buggering
whore whores slut sluts
bloody
"""
PROFANITY: frozenset[str] = frozenset(_FORMS.split())
# Stems that never occur inside an innocent English word, so they count inside any token.
_ANYWHERE = ("fuck", "fvck", "phuck")
_SYMPTOM_WORDS = """
nose noses stool stools poo poos urine wee discharge diarrhoea diarrhea vomit sick mucus phlegm
sputum cough lip lips gums tissue wound nappy nappies show bandage nipple nipples tears mary
"""
_SYMPTOMS: frozenset[str] = frozenset(_SYMPTOM_WORDS.split())

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i"})
_MASK = frozenset("*#%")
_TOKEN = re.compile(r"[a-z0-9@$*#%!]+")
_LETTERS = re.compile(r"[a-z]")
_REPEATS = re.compile(r"([a-z])\1+")
_TRIPLE = re.compile(r"([a-z])\1\1")
# Three to fourteen single letters with one or two separators: `f u c k`, `s.h.i.t`.
_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?:[ ._\-]{1,2}[a-z]){2,13}(?![a-z0-9])")
_NEXT_WORD = re.compile(r"[^a-z]{1,3}([a-z]+)")


def _known(word: str) -> bool:
    return word in PROFANITY or any(stem in word for stem in _ANYWHERE)


@lru_cache(maxsize=1)
def _collapsed() -> frozenset[str]:
    """Forms with repeated letters squeezed, for `fuuuck`; too-short ones would hit `as`."""
    return frozenset(s for s in (_REPEATS.sub(r"\1", w) for w in PROFANITY) if len(s) >= 4)


@lru_cache(maxsize=1)
def _by_length() -> dict[int, tuple[str, ...]]:
    table: dict[int, list[str]] = {}
    for word in sorted(PROFANITY):
        table.setdefault(len(word), []).append(word)
    return {n: tuple(words) for n, words in table.items()}


def _masked(token: str) -> bool:
    """`f***ing`, `sh*t`, `b*llocks`: each mask stands for one letter; a letter must show."""
    token = token.lstrip("*#%")
    if len(token) < 3 or not _LETTERS.match(token):
        return False
    for word in _by_length().get(len(token), ()):
        if all(t == w or t in _MASK for t, w in zip(token, word, strict=True)):
            return True
    return False


def _profane(token: str) -> bool:
    if token.isalpha():  # the common case, kept fast
        return _known(token) or (_TRIPLE.search(token) is not None
                                 and _REPEATS.sub(r"\1", token) in _collapsed())
    token = token.rstrip("!")
    if token.startswith(("@", "#")):  # a mention or hashtag: judge the name after it
        token = token[1:]
    if token.isalpha():
        return _profane(token)
    letters = len(_LETTERS.findall(token))
    if letters == 0:
        return False
    if any(c in _MASK for c in token) and _masked(token):
        return True
    # Look-alike digits and symbols: only in a word, so `a55` (a road) or `5*` stay clean.
    return letters >= 2 and letters * 2 > len(token) and _known(token.translate(_LEET))


def _symptom_follows(folded: str, end: int) -> bool:
    following = _NEXT_WORD.match(folded, end)
    return following is not None and following.group(1) in _SYMPTOMS


def profanity(text: Text, _context: object = None) -> Iterator[Span]:
    """Spans of swear words and obscenities, disguised or not."""
    folded = text.folded
    for m in _TOKEN.finditer(folded):
        token = m.group()
        if not _profane(token):
            continue
        start, end = m.start(), m.end() - (len(token) - len(token.rstrip("!")))
        if token.rstrip("!") == "bloody" and _symptom_follows(folded, end):
            continue
        yield start, end
    for m in _SPACED.finditer(folded):
        joined = "".join(c for c in m.group() if c.isalpha())
        if _known(joined):
            yield m.start(), m.end()
