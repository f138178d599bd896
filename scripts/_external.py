"""Measure the detectors on real, independently labelled public text (`--external DIR`).

DIR holds files copied verbatim from public repositories (nothing is read from the network):

- `dannykliu_*.csv`: Jigsaw toxic-comment human labels (`obscene`, `identity_hate`), natural
  prevalence; rows deduplicated by id;
- `olid_tweeteval_{train,val}_{text,labels}.txt`: OLID tweets (1 = offensive);
- `epraccur.csv`: NHS Digital's GP-practice file (address lines, postcode, phone number).

Profanity is scored per tier against the gold label, side by side with the peer libraries that
are installed (`pip install -e '.[peers]'`); phone numbers and addresses are scored for recall on
the GP-practice records; every phone, NHS number, email and address found in the real comments is
counted (and listed with `--verbose`) to be read, since nobody labelled those.
"""

from __future__ import annotations

import csv
import importlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from socialpolicy.signals import DEFAULT_DETECTORS, DetectionContext, Text, normalise
from socialpolicy.signals._contact import address_candidates, phone_candidates

Check = Callable[[str], bool]
_CONTEXT = DetectionContext()
_DETECTORS = {d.name: d for d in DEFAULT_DETECTORS}


@dataclass(frozen=True)
class Labelled:
    name: str
    texts: list[str]
    gold: list[bool]


def jigsaw(root: Path, label: str = "obscene") -> Labelled:
    rows: dict[str, dict[str, str]] = {}
    for path in sorted(root.glob("dannykliu_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.setdefault(row["id"], row)
    return Labelled(f"Jigsaw `{label}`", [r["comment_text"] for r in rows.values()],
                    [r[label] == "1" for r in rows.values()])


def olid(root: Path) -> Labelled:
    texts: list[str] = []
    gold: list[bool] = []
    for part in ("train", "val"):
        text_file = root / f"olid_tweeteval_{part}_text.txt"
        label_file = root / f"olid_tweeteval_{part}_labels.txt"
        lines = text_file.read_text(encoding="utf-8").splitlines()
        labels = label_file.read_text(encoding="utf-8").splitlines()
        if len(lines) != len(labels):
            raise SystemExit(f"{text_file.name}: {len(lines)} texts but {len(labels)} labels")
        texts += lines
        gold += [label.strip() == "1" for label in labels]
    return Labelled("OLID `offensive`", texts, gold)


def gp_records(root: Path) -> tuple[list[str], list[str]]:
    """(addresses written on one line, phone numbers) from the GP-practice file. An address
    counts when a line starts with a house number, as the detector defines an address."""
    addresses: list[str] = []
    phones: list[str] = []
    with (root / "epraccur.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            lines = [cell for cell in row[4:9] if cell.strip()]
            if row[9].strip() and any(line[:1].isdigit() for line in lines):
                addresses.append(", ".join([*lines, row[9]]))
            if row[17].strip():
                phones.append(row[17])
    return addresses, phones


# ---- scoring ---------------------------------------------------------------------------------

def _detector(*names: str) -> Callable[[Text], bool]:
    chosen = [_DETECTORS[n] for n in names if n in _DETECTORS]
    return lambda text: any(True for d in chosen for _ in d.find(text, _CONTEXT))


def _progress(texts: Sequence[str], who: str) -> Iterable[str]:
    """A progress bar on a terminal for the peers that take minutes (none when piped)."""
    return tqdm(texts, desc=who, unit="text", leave=False, disable=None)


def _peers() -> dict[str, Callable[[Sequence[str]], list[bool]]]:
    """Peer libraries that are installed, each as a batch predictor."""
    found: dict[str, Callable[[Sequence[str]], list[bool]]] = {}
    try:
        check = importlib.import_module("profanity_check")
        found["alt-profanity-check"] = lambda texts: [bool(p) for p in check.predict(texts)]
    except ImportError:
        pass
    try:
        better = importlib.import_module("better_profanity").profanity
        found["better-profanity"] = lambda texts: [
            better.contains_profanity(t) for t in _progress(texts, "better-profanity")]
    except ImportError:
        pass
    try:
        glin = importlib.import_module("glin_profanity").Filter()
        found["glin-profanity"] = lambda texts: [
            bool(glin.is_profane(t)) for t in _progress(texts, "glin-profanity")]
    except ImportError:
        pass
    return found


def _row(dataset: str, who: str, gold: Sequence[bool], predicted: Sequence[bool],
         seconds: float) -> str:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    micro = 1e6 * seconds / max(1, len(gold))
    return (f"| {dataset} | {who} | {len(gold)} | {sum(gold)} | {precision:.3f} | "
            f"{recall:.3f} | {f1:.3f} | {micro:,.0f} |")


#: Peers that take a tenth of a second of CPU per comment: their rows come last.
_SLOW = frozenset({"better-profanity"})

_TIERS = (
    ("socialpolicy strong tier (`profanity_strong`)", ("profanity_strong",)),
    ("socialpolicy `profanity` label (strong or slur)", ("profanity",)),
    ("socialpolicy any tier (mild, strong or slur)", ("profanity", "profanity_mild")),
)


def _profanity_rows(data: Labelled, peers: dict[str, Callable[[Sequence[str]], list[bool]]],
                    tiers: Iterable[tuple[str, tuple[str, ...]]] = _TIERS) -> Iterator[str]:
    texts = [normalise(t) for t in data.texts]
    for who, names in tiers:
        found = _detector(*names)
        start = time.process_time()
        predicted = [found(t) for t in texts]
        yield _row(data.name, who, data.gold, predicted, time.process_time() - start)
    for who, predict in peers.items():
        start = time.process_time()
        predicted = predict(data.texts)
        yield _row(data.name, who, data.gold, predicted, time.process_time() - start)


def _recall_row(dataset: str, who: str, texts: list[str], check: Check) -> tuple[str, list[str]]:
    start = time.process_time()
    hits = [check(t) for t in texts]
    seconds = time.process_time() - start
    return (_row(dataset, who, [True] * len(texts), hits, seconds),
            [t for t, h in zip(texts, hits, strict=True) if not h])


def report(root: Path, verbose: bool = False, peers: bool = True) -> Iterator[str]:
    """The Markdown table for every set in `root`, a line at a time (CPU time per text, so a
    busy machine does not skew the speed column)."""
    yield "| set | detector | texts | positives | precision | recall | F1 | µs/text |"
    yield "|---|---|---:|---:|---:|---:|---:|---:|"
    chosen = _peers() if peers else {}
    fast = {who: predict for who, predict in chosen.items() if who not in _SLOW}
    slow = {who: predict for who, predict in chosen.items() if who in _SLOW}
    sets = (jigsaw(root), olid(root))
    yield from _profanity_rows(sets[0], fast)
    yield from _profanity_rows(jigsaw(root, "identity_hate"), {},
                               (("socialpolicy `slur`", ("slur",)),))
    yield from _profanity_rows(sets[1], fast)
    addresses, phones = gp_records(root)
    misses: list[str] = []
    for who, texts, check in (
        ("`phone_number` finder (any UK number)", phones,
         lambda t: any(True for _ in phone_candidates(normalise(t)))),
        ("`postal_address` finder (house number to postcode)", addresses,
         lambda t: any(True for _ in address_candidates(normalise(t)))),
    ):
        row, missed = _recall_row("GP-practice records", who, texts, check)
        yield row
        misses += [f"  missed ({who.split()[0]}): {m}" for m in missed]
    for data in sets:  # last, so a slow peer does not hold up every other row
        yield from _profanity_rows(data, slow, ())
    comments = sets[0].texts + sets[1].texts
    yield ""
    yield (f"Contact details found in {len(comments):,} real comments and tweets (read each "
           "one: none is labelled):")
    yield ""
    for name in ("phone_number", "nhs_number", "email", "postal_address"):
        detector = _DETECTORS[name]
        found = []
        for comment in comments:
            text = normalise(comment)
            found += [comment[slice(*text.span(s, e))] for s, e in detector.find(text, _CONTEXT)]
        yield f"- `{name}`: {len(found)} found" + (f": {found}" if verbose else "")
    if verbose:
        yield ""
        yield from misses
