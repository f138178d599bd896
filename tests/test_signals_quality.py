"""The labelled corpus: big enough, balanced, scored by the script CI runs, table in the docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from socialpolicy._yaml import load
from socialpolicy.signals import DEFAULT_DETECTORS
from socialpolicy.signals._capacity import CAPACITY_FACTS
from socialpolicy.vocab import DERIVED_FACTS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "detector_corpus.yaml"
SCRIPT = ROOT / "scripts" / "detector_quality.py"


def test_corpus_has_positives_and_negatives_for_every_detector() -> None:
    document, problems = load(CORPUS.read_text(encoding="utf-8"), str(CORPUS))
    assert document is not None and problems == []
    examples = document.data["examples"]
    assert len(examples) >= 300
    for detector in DEFAULT_DETECTORS:
        mine = [e for e in examples if e["detector"] == detector.name]
        assert sum(e["expected"] for e in mine) >= 15, detector.name
        assert sum(not e["expected"] for e in mine) >= 10, detector.name


def test_script_holds_the_thresholds_and_its_table_is_in_the_docs() -> None:
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,
                         check=False, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    table = run.stdout.strip()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [d.name for d in DEFAULT_DETECTORS]
    for row in rows:
        precision, recall = (float(cell) for cell in row.split("|")[4:6])
        assert precision >= 0.95 and recall >= 0.90, row
    docs = (ROOT / "docs" / "reference" / "detectors.md").read_text(encoding="utf-8")
    assert table in docs, "paste the output of scripts/detector_quality.py into detectors.md"


def test_script_fails_below_the_thresholds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(
        "examples:\n"
        '  - {detector: email, field: text, expected: true, text: "no address here"}\n'
        '  - {detector: email, field: text, expected: false, text: "jo@example.com"}\n',
        encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), "--corpus", str(corpus)],
                         capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 1
    assert "| `email` | 2 | 1 | 0.000 | 0.000 |" in run.stdout
    assert "email" in run.stderr


def test_every_derived_fact_has_a_detector() -> None:
    produced = {("comment", "fact.out_of_hours"), ("staff_post", "fact.has_disclaimer")}
    produced |= {(kind, key) for d in DEFAULT_DETECTORS for (kind, _), key in d.targets.items()}
    produced |= {("staff_post", f"fact.{name}") for name in CAPACITY_FACTS}
    for kind, facts in DERIVED_FACTS.items():
        for fact in facts:
            assert (kind, f"fact.{fact}") in produced, (kind, fact)


def test_external_sets_are_scored_side_by_side(tmp_path: Path) -> None:
    """`--external DIR` reads the public labelled files by name; here a tiny stand-in for each."""
    header = "id,comment_text,toxic,severe_toxic,obscene,threat,insult,identity_hate\n"
    (tmp_path / "dannykliu_a_subset.csv").write_text(
        header + 'a1,"what a f***ing mess",1,0,1,0,0,0\n'
        'a2,"thanks for the help",0,0,0,0,0,0\n'
        'a3,"you are an idiot",1,0,1,0,1,0\n', encoding="utf-8")
    (tmp_path / "dannykliu_b_subset.csv").write_text(
        header + 'a1,"what a f***ing mess",1,0,1,0,0,0\n'
        'b2,"email me at jo@example.com",0,0,0,0,0,0\n', encoding="utf-8")
    for part, texts, labels in (("train", ["@user shit take", "@user nice one"], ["1", "0"]),
                                ("val", ["@user you clown"], ["1"])):
        (tmp_path / f"olid_tweeteval_{part}_text.txt").write_text("\n".join(texts) + "\n")
        (tmp_path / f"olid_tweeteval_{part}_labels.txt").write_text("\n".join(labels) + "\n")
    row = ["A1", "SURGERY", "", "", "THE SURGERY", "12 ELM ROAD", "RAYLEIGH", "ESSEX", "",
           "SS6 7AB", *[""] * 7, "01632 960000"]
    (tmp_path / "epraccur.csv").write_text(",".join(f'"{c}"' for c in row) + "\n")
    run = subprocess.run([sys.executable, str(SCRIPT), "--external", str(tmp_path),
                          "--no-peers"], capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    # Jigsaw rows are deduplicated by id: 4 texts, 2 positives; the insult is a miss.
    assert ("| Jigsaw `obscene` | socialpolicy strong tier (`profanity_strong`) | 4 | 2 | "
            "1.000 | 0.500 | 0.667 |") in out
    assert "| OLID `offensive` | socialpolicy `profanity` label (strong or slur) | 3 | 2 | " in out
    assert "| GP-practice records | `phone_number` finder (any UK number) | 1 | 1 | 1.000 | " in out
    assert "`postal_address` finder (house number to postcode) | 1 | 1 | 1.000 | 1.000 |" in out
    assert "- `email`: 1 found" in out
