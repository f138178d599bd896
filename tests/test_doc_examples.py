"""The Python examples on the analyst's pages run as written, top to bottom, one namespace per
page, in a folder holding the tutorial's CSV (under its own name and as `comments.csv`, the
name the how-to uses): a newcomer copying them never meets an example that does not run."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
CSV = DOCS / "tutorial" / "social_media_export.csv"
PAGES = ["index.md", "tutorial/index.md", "how-to/decide-a-spreadsheet.md",
         "reference/detectors.md"]
#: What a page's text says the reader already holds before an example (run first).
SETUP = {
    "reference/detectors.md": (
        "import socialpolicy as sp\n"
        "comment = sp.Comment(platform='x', author='@a', posted_at='2026-04-02T10:00:00+01:00',"
        " text='Priya Shah lost my case 1234567 again')\n"),
}
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def blocks(page: str) -> list[str]:
    return _BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_python_examples_run(page: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    found = blocks(page)
    assert found, f"{page} has no Python example"
    shutil.copy(CSV, tmp_path / CSV.name)
    shutil.copy(CSV, tmp_path / "comments.csv")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warnings the pages show are tested elsewhere
        exec(SETUP.get(page, ""), namespace)
        for number, source in enumerate(found, 1):
            code = compile(source, f"{page} example {number}", "exec")
            exec(code, namespace)


def test_every_page_with_python_examples_is_run_or_says_why_not() -> None:
    """A new page of examples joins `PAGES`, or is listed here with the reason it cannot run
    on its own (it needs a file, service or cluster the reader brings)."""
    elsewhere = {
        "how-to/decide-in-bulk.md": "reads the reader's own rows and JSON Lines file",
        "how-to/property-testing.md": "sets Hypothesis profiles for the reader's own suite",
        "how-to/review-a-policy-change.md": "the reader's edited policy file",
        "how-to/add-an-organisation.md": "the reader's new policy file",
        "how-to/run-on-a-cluster.md": "a Dask cluster",
    }
    with_examples = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")
                     if "```python" in p.read_text(encoding="utf-8")}
    assert with_examples == set(PAGES) | set(elsewhere)
