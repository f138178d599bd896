"""The labelled corpus: big enough, balanced, scored by the script CI runs, table in the docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from socialpolicy._yaml import load
from socialpolicy.signals import DEFAULT_DETECTORS
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
    for kind, facts in DERIVED_FACTS.items():
        for fact in facts:
            assert (kind, f"fact.{fact}") in produced, (kind, fact)
