"""The swearing vocabulary, one tier per entry: `mild`, `strong` or `slur`.

Tiers follow how British audiences rate the words (mild: `bloody`, `bugger`, `arse`, `piss`;
strong: the sexual and excretory swear words and insults built on them; slur: words that abuse
people for a protected characteristic). Words that flag more clean text than they catch
(`hell`, `damn`, `crap`, `stupid`) are left out. Words with an everyday meaning (`cock`, `dick`,
`ass`, `prick`, `hoe`, `fag`) are in `CONTEXTUAL`: they count only where the words around
them make the swearing plain (`you dick`, `my ass`, `a big cock`), never in a name (`Dick
Francis`, `Moby Dick`) or a phrase such as `finger prick`.
"""

from __future__ import annotations

from typing import Final, Literal

Tier = Literal["mild", "strong", "slur"]


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())

_MILD = """
bloody bugger buggers buggered buggering bollocks bollock bollocking bollocked bollox
arse arses arsed arsey piss pissed pissing pisses pisstake pissy sod sodding
wtf ffs stfu feck fecking goddamn goddamned goddammit goddamnit goddamit
"""

_STRONG = """
fuck fucks fucked fucker fuckers fucking fuckin fuckn fucken fuckwit fuckwits fuckhead
fuckheads fuckface fuckup fuckups fuckery fuckall motherfucker motherfuckers motherfucking
clusterfuck fck fcking fckin fcked fkn fking fuk fuking fukin fukn fuked fvck fvcking
phuck phucking fucktard fuker fukers fuken fukked fukkin fukking
shit shits shite shitty shittier shittiest shitting shittin shitted shitter shithole shitholes
shithead shitheads shithouse shitpost shitposts shitposting shitposter
shitshow shitstorm shitless bullshit bullshitting bullshitter horseshit batshit apeshit
dipshit chickenshit shyte shyt
cunt cunts cunty
twat twats twatting
wank wanks wanked wanker wankers wanking wanky wankstain
bastard bastards
bitch bitches bitching bitchy biatch biatches beyotch biotch biyatch biyatches biyotch bytch
bytches bitchass
arsehole arseholes asshole assholes asshat asshats jackass dumbass smartass fatass
dickhead dickheads knobhead knobheads bellend bellends tosser tossers pisshead pissheads
cocksucker cocksuckers cocksucking douchebag douchebags
pussy pussies whore whores hoes slut sluts skank skanks skanky thot thots slapper slappers
bint bints
knobend knobends nobhead nobheads nobend nobends mofo mofos
jizz jizzed jizzing blowjob blowjobs handjob handjobs rimjob dildo dildos titties
clunge minge punani punany bloodclaat bloodclot bumbaclot bumbaclaat rassclaat rasclaat
"""

_SLUR = """
nigger niggers nigga niggas nigg3r niggaz niggah niggahs nigguh nigguhs niglet niglets
nignog nignogs jigaboo jigaboos jiggaboo zipperhead zipperheads wetback wetbacks beaner beaners
chinky chinkies yid yids dago dagos wop wops honky honkies honkey
paki pakis wog wogs chink chinks gook gooks spic spics
kike kikes raghead ragheads towelhead towelheads darkie darkies golliwog golliwogs
faggot faggots fagot fagots fagget faggit faggy tranny trannies shemale shemales
poofter poofters lesbo lezza lezzas lezzer lezzers lezbo lezbos bumboy bumboys battyboy
battyboys shirtlifter shirtlifters
retard retards retarded spastic spastics spaz spazz spacker spakka spazzy mong mongs
windowlicker windowlickers gyppo gyppos gippo gippos pikey pikeys
"""

#: Every whole-word form, with its tier.
VOCABULARY: Final[dict[str, Tier]] = {
    **{w: "mild" for w in _MILD.split()},
    **{w: "strong" for w in _STRONG.split()},
    **{w: "slur" for w in _SLUR.split()},
}

#: Words that count only in context, with their tier.
CONTEXTUAL: Final[dict[str, Tier]] = {
    "ass": "strong", "asses": "strong", "dick": "strong", "dicks": "strong",
    "cock": "strong", "cocks": "strong", "prick": "strong", "pricks": "strong",
    "knob": "strong", "knobs": "strong", "tits": "strong", "douche": "strong",
    "fanny": "strong", "hoe": "strong", "sob": "strong", "slag": "strong", "slags": "strong",
    "fag": "slur", "fags": "slur", "dyke": "slur", "dykes": "slur", "coon": "slur",
    "coons": "slur", "homo": "slur", "homos": "slur", "poof": "slur", "poofs": "slur",
}

#: Words before a contextual word that make it an insult or obscenity: `you dick`,
#: `my ass`, `a big cock`, `suck my ...`, `pain in the ass`.
CUES: Final[frozenset[str]] = word_set("""
you u ur your yer ya yo my his her their our ur big little small fat dumb lazy stupid silly
smart sorry kiss suck sucks sucking sucked lick licking eat up such total complete absolute
massive huge giant tiny whole kick kicked bad hairy dirty gay raging this that beautiful bloody
""")

#: Sexual words that are obscene only as the object of a sexual act: `suck my balls`, `licking
#: penises`; a parent asking about a child's penis, or a ball game, is not.
SEXUAL_OBJECTS: Final[dict[str, Tier]] = {
    "penis": "strong", "penises": "strong", "balls": "strong", "ballsack": "strong",
    "sack": "strong",
}
SEXUAL_VERBS: Final[frozenset[str]] = word_set(
    "suck sucks sucking sucked lick licks licking licked")

#: `sucking off my ...`, `jerking off.`, `suck him off`: a sexual verb with `off`, before a
#: person (`OFF_PERSONS`) or the end of a phrase, or around one (`OFF_OBJECTS`); `sucked off
#: the excess` and `jerked off the kerb` are not.
OFF_VERBS: Final[frozenset[str]] = word_set("suck sucks sucking sucked jerk jerks jerking jerked")
OFF_PERSONS: Final[frozenset[str]] = word_set(
    "my me him his her you your ur u them their each other some guys men")
OFF_OBJECTS: Final[frozenset[str]] = word_set("me him her you u them ya")

#: Run-together insults: a swear stem and an insulting ending (`shitface`, `dickweed`,
#: `cumbucket`, `twatwaffle`); listed whole words (`shithead`) keep their own entries.
COMPOUND_HEADS: Final[frozenset[str]] = word_set(
    "shit fuck dick cock cunt twat wank douche ass arse piss cum knob slut whore jizz")
COMPOUND_TAILS: Final[frozenset[str]] = word_set("""
head heads face faces hole holes bag bags wad wads stain stains weed weeds wipe wipes
nugget nuggets waffle waffles lord lords sucker suckers brain brains burger burgers bucket
buckets goblin goblins muncher munchers rag rags hat hats clown clowns biscuit biscuits
""")

#: `ass` between two words is the intensifier (`sick ass people`, `long ass blog`) unless one
#: of them is a function word (`the ass and the cart`, `make an ass of`).
FUNCTION_WORDS: Final[frozenset[str]] = word_set("""
a an the my your his her their our its this that these those some any no of and or nor but to
in on at for with by from as is was are were be been than then so
""")

#: Words after a contextual word that make it an insult: `cock breath`, `dick face`.
INSULT_AFTER: Final[frozenset[str]] = word_set("breath face head hole sucker suckers")

#: Stems whose letters are often swapped or a vowel replaced (`fcuk`, `fwck`, `cvnt`), with
#: suffixes they take; variants that are English words (`shot`, `cant`, `botch`, `Cnut`) are
#: excluded.
DISGUISED_STEMS: Final[dict[str, tuple[str, ...]]] = {
    "fuck": ("", "s", "ed", "er", "ers", "ing", "in"),
    "shit": ("", "s", "ty", "e"),
    "cunt": ("", "s"),
    "bitch": ("", "es", "y"),
    "twat": ("", "s"),
    "wank": ("", "er", "ers", "ing"),
}
NOT_DISGUISES: Final[frozenset[str]] = word_set(
    "shot shut cant cent cont batch botch butch twit wink wonk cnut feck")

#: Tokens that squeeze (repeated letters removed) to a listed word but are ordinary words.
NOT_SQUEEZED: Final[frozenset[str]] = word_set(
    "shiite shiites shiitake shiitakes asses passes bass basss")

#: Words after `bloody` that make it a symptom, not swearing.
SYMPTOMS: Final[frozenset[str]] = word_set("""
nose noses stool stools poo poos urine wee discharge diarrhoea diarrhea vomit sick mucus phlegm
sputum cough lip lips gums tissue wound nappy nappies show bandage nipple nipples tears mary
""")

#: Words that give a listed word its everyday meaning when they follow it: a symptom after
#: `bloody`, the British dish (`faggots and peas`), a clinical term (`spastic diplegia`).
EVERYDAY_AFTER: Final[dict[str, frozenset[str]]] = {
    "bloody": SYMPTOMS,
    "faggots": word_set("and in with peas gravy mash onions"),
    "spastic": word_set("""paralysis diplegia quadriplegia hemiplegia cerebral colon bladder
                        muscle muscles gait movement movements"""),
    "retarded": word_set("growth development flow ejaculation"),
    "honky": word_set("tonk tonks"),
    "hoes": word_set("rakes spades forks trowels shears"),
    **dict.fromkeys(("pussy", "pussies"), word_set("cat cats willow willows hat hats riot")),
}

#: Words before a contextual word that give it its everyday meaning.
INNOCENT_BEFORE: Final[frozenset[str]] = word_set("""
finger pin needle thumb heel blue great coal marsh willow weather turkey game stop ball
moby offa's offas spotted door wild
""")
#: Words after a contextual word that give it its everyday meaning.
INNOCENT_AFTER: Final[frozenset[str]] = word_set("""
test tests testing cat cats willow a-doodle-doo tail tails pit pits van whittington cheney
francis van sapiens erectus habilis neanderthalensis hound hounds dog dogs skin pack packs adams
heap heaps tip tips
""")

#: Slurs found inside a run-together name or hashtag (`SomeNameFaggot`, `#NiggerLover`): only
#: stems of six letters or more with no everyday sense (not `spastic`, `chinks`), and only where
#: a capital letter starts the word and another (or the end) follows it.
RUN_INTO: Final[frozenset[str]] = frozenset(
    w for w, tier in VOCABULARY.items() if tier == "slur" and len(w) >= 6 and w not in
    word_set("retarded spastic spastics chinks"))
