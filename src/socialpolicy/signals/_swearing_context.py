"""Whether a word with an everyday sense is swearing where it stands: the words around it,
names and titles, sexual verbs, and capitals that mark a word run into a name."""

from __future__ import annotations

import re

from ._words import (
    CONTEXTUAL,
    CUES,
    FUNCTION_WORDS,
    INNOCENT_AFTER,
    INNOCENT_BEFORE,
    INSULT_AFTER,
    OFF_OBJECTS,
    OFF_PERSONS,
    OFF_VERBS,
    SEXUAL_VERBS,
    Tier,
    word_set,
)

WORD_BEFORE = re.compile(r"([a-z']+)[^a-z']{1,3}$")
NEXT_WORD = re.compile(r"[^a-z0-9]{1,3}([a-z'\-]+)")
_KEPT_BEFORE = re.compile(r"([A-Za-z']+)[^A-Za-z']{1,3}$")
_KEPT_AFTER = re.compile(r"[^A-Za-z0-9]{1,3}([A-Za-z'\-]+)")
_TITLES = word_set("mr mrs ms miss dr sir st prof")
# `prick`, `fag`, `hoe`, `homo` and `poof` have an everyday meaning (a finger-prick test, a
# cigarette, a garden tool, `homo-erotic`, `and poof, it was gone`): only these words before
# them make them insults, and `a` is not one of them (`a hoe for the allotment`).
_STRICT_CUES = word_set("you u ur ya yer such total complete absolute arrogant smug utter "
                         "gay stupid dumb fat little")
_STRICT: dict[str, frozenset[str]] = {
    **dict.fromkeys(("prick", "pricks", "fag", "fags", "homo", "homos", "poof", "poofs"),
                    _STRICT_CUES),
    **dict.fromkeys(("hoe", "coon", "coons"),
                    _STRICT_CUES | word_set("these those them that yo dirty bitches")),
}
# `SOB` counts only in capitals: lower case is the verb (`began to sob`).
_CAPITALS_ONLY = frozenset({"sob"})
# `a/an/you <any word> dick!`: an insult when the word ends the phrase.
_PHRASE_OPENERS = word_set("a an you ur your such what")
_PHRASE_END = frozenset(".!?,;:)\n")
_NOT_BEFORE_INTENSIFIER = FUNCTION_WORDS | INNOCENT_BEFORE | _TITLES
_NOT_AFTER_INTENSIFIER = FUNCTION_WORDS | INNOCENT_AFTER


def named(kept: str, start: int, end: int, shouting: bool) -> bool:
    """A capitalised word next to another capitalised word, in text that is not all capitals:
    part of a name or a title."""
    if shouting or not kept[start].isupper() or not kept[start + 1:end].islower():
        return False
    before = _KEPT_BEFORE.search(kept, max(0, start - 24), start)
    after = _KEPT_AFTER.match(kept, end)
    return ((before is not None and kept[before.start(1)].isupper())
            or (after is not None and kept[after.start(1)].isupper()))


def in_context(word: str, folded: str, kept: str, start: int, end: int,
               shouting: bool) -> Tier | None:
    """The tier of a contextual word used as swearing here (an insult cue before it, no
    everyday phrase around it, not part of a name), or None. `ass` as an intensifier (`long
    ass wait`) is mild, as the British `bloody` is."""
    tier = CONTEXTUAL[word]
    return tier if _insult(word, folded, kept, start, end, shouting) else (
        "mild" if word == "ass" and _intensifier(folded, kept, start, end, shouting) else None)


def _insult(word: str, folded: str, kept: str, start: int, end: int, shouting: bool) -> bool:
    before = WORD_BEFORE.search(folded, max(0, start - 24), start)
    previous = before.group(1) if before else ""
    after = NEXT_WORD.match(folded, end)
    following = after.group(1) if after else ""
    if previous in INNOCENT_BEFORE or following in INNOCENT_AFTER or previous in _TITLES:
        return False
    if named(kept, start, end, shouting):  # Dick Francis, Moby Dick
        return False
    if word in _CAPITALS_ONLY and not kept[start:end].isupper():
        return False
    strict = _STRICT.get(word)
    if strict is not None:
        return previous in strict
    if following in INSULT_AFTER:
        return True
    if previous in CUES or previous in {"a", "an"}:
        return True
    two_before = folded[max(0, start - 10):start].rstrip()
    if two_before.endswith(("in the", "piece of")):  # `pain in the ass`, `piece of ass`
        return True
    return before is not None and ends_phrase(folded, end) and word_before(
        folded, before.start(1)) in _PHRASE_OPENERS  # `an ungraceful dick!`, `you arrogant SOB`


def _intensifier(folded: str, kept: str, start: int, end: int, shouting: bool) -> bool:
    """`sick ass people`, `long-ass wait`: a word, `ass` and a word, one character apart,
    neither a function word nor one that gives `ass` its everyday sense (`the wild ass`), and
    not in a name."""
    before = WORD_BEFORE.search(folded, max(0, start - 24), start)
    after = NEXT_WORD.match(folded, end)
    return (before is not None and after is not None
            and before.end(1) == start - 1 and after.start(1) == end + 1
            and before.group(1) not in _NOT_BEFORE_INTENSIFIER
            and after.group(1) not in _NOT_AFTER_INTENSIFIER
            and not named(kept, start, end, shouting))


def word_before(folded: str, start: int) -> str:
    before = WORD_BEFORE.search(folded, max(0, start - 24), start)
    return before.group(1) if before else ""


def ends_phrase(folded: str, end: int) -> bool:
    return end == len(folded) or folded[end] in _PHRASE_END


def after_sexual_verb(folded: str, start: int) -> bool:
    """`suck my balls`, `licking penises`, `suck on my sack`: a sexual verb among the three
    words before."""
    for _ in range(3):
        before = WORD_BEFORE.search(folded, max(0, start - 24), start)
        if before is None:
            return False
        if before.group(1) in SEXUAL_VERBS:
            return True
        start = before.start(1)
    return False


def run_into(kept: str, folded: str, start: int, end: int, word: str) -> int:
    """Where a long slur starts inside a run-together name or hashtag (`SomeNameFaggot`,
    `#FaggotsOut`), written with a capital where it starts and another (or the end) after it;
    -1 if it is not."""
    at = folded.find(word, start, end)
    after = at + len(word)
    if at < 0 or not kept[at].isupper() or not kept[at + 1:after].islower():
        return -1  # in capitals (`FAGGOTING`, a stitch) nothing marks where a word starts
    if at != start and folded[at - 1] not in "@#" and not kept[at - 1].islower():
        return -1
    return at if after == end or kept[after].isupper() else -1


def l_for_i(word: str) -> bool:
    """Whether the `l`s of a word read as `i`: written in lower case (a capital `L` never looks
    like one) and, in words under five letters, among capitals (`SHlT`, not the SPLC)."""
    if "L" in word:
        return False
    return len(word) >= 5 or all(c.isupper() for c in word if c != "l")


def sexual_off(folded: str, start: int, end: int) -> int:
    """Where `sucking off my ...`, `jerking off.` or `suck him off` starts; -1 if `off` is not
    part of one."""
    before = WORD_BEFORE.search(folded, max(0, start - 24), start)
    if before is None:
        return -1
    if before.group(1) in OFF_OBJECTS:  # `suck him off`
        verb = WORD_BEFORE.search(folded, max(0, before.start(1) - 24), before.start(1))
        return verb.start(1) if verb is not None and verb.group(1) in OFF_VERBS else -1
    if before.group(1) not in OFF_VERBS:
        return -1
    after = NEXT_WORD.match(folded, end)
    if ends_phrase(folded, end) or (after is not None and after.group(1) in OFF_PERSONS):
        return before.start(1)
    return -1
