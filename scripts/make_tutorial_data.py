"""Write the tutorial's synthetic CSV: public comments and staff posts as an analyst gets them.

Deterministic (fixed seed), so the committed file can be regenerated and compared. The rows are
made to look like a moderation export, not like tidy input: labels as comma- or semicolon-
separated strings in mixed case, empty cells, platforms spelt `Facebook`, `twitter`, `X`, dotted
columns for the staff account, a few labels misspelt. Every person and number in it is invented
(phone numbers from Ofcom's drama range).

    python scripts/make_tutorial_data.py            # rewrite docs/tutorial/social_media_export.csv
    python scripts/make_tutorial_data.py --check    # exit 1 if the committed file is stale
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "tutorial" / "social_media_export.csv"
SEED = 13
COMMENTS = 1050
STAFF_POSTS = 350

COLUMNS = ["kind", "platform", "channel", "text", "author", "posted_at", "labels",
           "author_prior_removals", "format", "account.handle", "account.display_name",
           "account.bio", "account.kind", "author.employment", "about_employer"]

PLATFORMS = ["Facebook", "facebook", "FACEBOOK", "Twitter", "twitter", "X", "x", "Instagram",
             "instagram", "LinkedIn", "YouTube", "TikTok"]
STAFF_PLATFORMS = ["X", "twitter", "Facebook", "LinkedIn", "linkedin", "Instagram", "Blog",
                   "WhatsApp"]

#: (weight, text, labels as a moderator typed them; None for an empty cell)
COMMENT_TEMPLATES: list[tuple[int, str, str | None]] = [
    (14, "Thank you to the team at {place}, brilliant care for my mum", None),
    (8, "Great campaign, shared with my family", ""),
    (10, "Waited four hours at {place} A&E last night. Not good enough.", "criticism"),
    (7, "Why are you closing the walk-in centre? Nobody asked us.", "Criticism; complaint"),
    (6, "I want to make a formal complaint about my GP surgery", "complaint"),
    (6, "Can I get my flu jab at a pharmacy if I am 64?", "medical_question"),
    (3, "My dad has chest pain and his arm is numb, what should we do?",
     "medical_question, patient_safety_risk"),
    (3, "How much did the ICB spend on consultants last year? Please treat this as an FOI.",
     "foi_request"),
    (3, "I'm a reporter at the Echo, who can comment on the new hospital plans?",
     "media_request"),
    (4, "Vaccines are full of microchips, do your own research", "Misinformation"),
    (2, "Share before they delete it: the new virus is spread by 5G masts",
     "disinformation; emerging_health_threat"),
    (4, "Nurse {staff} at {place} is useless and should be sacked", "personal_attack,names_staff"),
    (3, "{staff} should be strung up for what happened to my son",
     "targeted_abuse, names_staff"),
    (2, "People like them shouldn't be allowed in this country", "Hate_Speech"),
    (5, "Cheap followers!!! visit best-followers dot shop", "spam, advertising"),
    (3, "This is a bloody joke, sort it out", None),
    (2, "Absolute shit service from start to finish", "profanity"),
    (3, "Ring me on 07700 900{n3} about my mum's discharge", None),
    (2, "My email is jo.bloggs{n2}@example.com, please get back to me", ""),
    (2, "Same question again. Same question again. Answer me.", "repetitive_provocation"),
    (2, "I'm worried about the little boy next door, nobody is feeding him",
     "safeguarding_concern"),
    (1, "my neighbour's care home is filthy and residents are left alone",
     "safety_or_care_concern"),
]

STAFF_TEMPLATES: list[tuple[int, str, str | None, bool]] = [
    (12, "Lovely walk along the seafront this morning", None, False),
    (8, "Proud of our team at {place} today for the new diabetes clinic", None, True),
    (4, "Honestly the way {org} is run is a disgrace", "criticises_employer", True),
    (3, "Vote for the candidate who will save our NHS!", "Political", False),
    (3, "Patient in bed 4 at {place} was {patient}, what a night", "patient_identifiable", True),
    (2, "Leaked board papers: ward closures planned for spring",
     "confidential; internal_information", True),
    (2, "{colleague} is hopeless, can't believe we work together", "attacks_colleague, bullying",
     True),
    (2, "Happy to give a reference for my former colleague, contact me directly",
     "professional_reference", True),
    (2, "Asked by the Echo to comment on the hospital plans, here's what I think",
     "media_response, speaks_for_employer", True),
    (1, "Buy my handmade candles, discount for NHS colleagues!", "commercial_gain", False),
]

PLACES = ["Basildon Hospital", "Southend Hospital", "Broomfield", "Thurrock Health Centre",
          "Orsett Hospital"]
STAFF = ["Jane Moss", "Ahmed Karim", "Priya Shah", "Tom Reilly", "Grace Okafor"]
PATIENTS = ["Mr Bell", "Mrs Hale", "John Drew"]
FIRST = ["jo", "sam", "alex", "kim", "lee", "pat", "chris", "ash", "nik", "dee"]


def _weighted(rng: random.Random, items: list[tuple[int, ...]]) -> tuple[int, ...]:
    return rng.choices(items, weights=[item[0] for item in items], k=1)[0]


def _when(rng: random.Random) -> datetime:
    """Spread over January to March 2026, more in working hours; GMT all quarter."""
    day = datetime(2026, 1, 5, tzinfo=UTC) + timedelta(days=rng.randrange(0, 84))
    hour = rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 21, 23])
    return day.replace(hour=hour, minute=rng.randrange(60))


def _fill(rng: random.Random, text: str) -> str:
    return text.format(place=rng.choice(PLACES), staff=rng.choice(STAFF),
                       patient=rng.choice(PATIENTS), colleague=rng.choice(STAFF),
                       org="Mid and South Essex ICB", n3=f"{rng.randrange(1000):03d}",
                       n2=f"{rng.randrange(100):02d}")


def _comment(rng: random.Random) -> dict[str, object]:
    _, text, labels = _weighted(rng, COMMENT_TEMPLATES)  # type: ignore[misc]
    author = f"@{rng.choice(FIRST)}{rng.randrange(10, 999)}"
    return {
        "kind": rng.choice(["comment", "comment", "Comment", ""]),
        "platform": rng.choice(PLATFORMS),
        "channel": rng.choice(["comment"] * 8 + ["reply", "Direct message"]),
        "text": _fill(rng, text), "author": author,
        "posted_at": _when(rng).isoformat(sep=" "),
        "labels": labels if labels is not None else "",
        "author_prior_removals": rng.choice([0] * 12 + [1, 2, 3]),
    }


def _staff_post(rng: random.Random) -> dict[str, object]:
    _, text, labels, about = _weighted(rng, STAFF_TEMPLATES)  # type: ignore[misc]
    name = rng.choice(FIRST)
    work_account = rng.random() < 0.3
    bio = rng.choice(["", "Nurse. Dog person.", "Nurse at Mid and South Essex. Views are my own",
                      "Physio | runner | views my own"])
    return {
        "kind": rng.choice(["staff_post", "Staff post"]),
        "platform": rng.choice(STAFF_PLATFORMS),
        "text": _fill(rng, text),
        "posted_at": _when(rng).isoformat(sep=" "),
        "labels": labels if labels is not None else "",
        "format": rng.choice(["post"] * 6 + ["reply", "Blog"]),
        "account.handle": f"@{name}_{'mseicb' if work_account else rng.randrange(10, 99)}",
        "account.display_name": name.title(),
        "account.bio": bio,
        "account.kind": rng.choice(["Personal"] * 5 + ["professional"]),
        "author.employment": rng.choice(["employee"] * 8 + ["Agency worker", "volunteer"]),
        "about_employer": "TRUE" if about else rng.choice(["FALSE", "", "no"]),
    }


def rows(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    made = [_comment(rng) for _ in range(COMMENTS)] + [_staff_post(rng) for _ in range(STAFF_POSTS)]
    rng.shuffle(made)
    # Three rows as a tired moderator typed them: the tutorial shows how they are reported.
    for index, typo in ((17, "mis-information"), (404, "targetted_abuse"), (911, "spamm")):
        made[index]["labels"] = typo
    made.sort(key=lambda row: str(row["posted_at"]))
    return made


def render(seed: int = SEED) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", *COLUMNS], lineterminator="\n")
    writer.writeheader()
    for number, row in enumerate(rows(seed), start=1):
        writer.writerow({"id": f"SM-{number:05d}", **row})
    return out.getvalue()


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            sys.stderr.write(f"{OUT.name} is stale; run python scripts/make_tutorial_data.py\n")
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
