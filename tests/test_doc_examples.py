"""The examples of the documentation pages run as written, top to bottom, one namespace and one
empty temporary folder per page: a newcomer copying them never meets an example that does not run.

What a page's fenced blocks mean here:
- a `python` block runs;
- a block with a `title="path"` (the site shows it as a file name) is that file's content, written
  before the next block runs (a second block with the same title continues the file);
- each line of an `sh` block starting `socialpolicy` runs through the command line's entry point
  and must exit 0 (or the code `EXIT` gives); a `pytest` line runs pytest in a fresh interpreter;
  any other command is one `SHELL_NOT_RUN` or `LINE_NOT_RUN` says why it is not run;
- other blocks (`text`, `yaml`, `json` without a title) show output or formats and are not run.

The folder also holds the tutorial's CSV (under its own name and as `comments.csv`, the name the
spreadsheet how-to uses).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pytest

from socialpolicy.cli import main

matplotlib.use("Agg")

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
CSV = DOCS / "tutorial" / "social_media_export.csv"
PAGES = ["index.md", "tutorial/index.md", "how-to/decide-a-spreadsheet.md",
         "reference/detectors.md", "how-to/decide-in-bulk.md", "how-to/property-testing.md",
         "how-to/review-a-policy-change.md", "how-to/add-an-organisation.md",
         "how-to/run-on-a-cluster.md"]
#: What a page's text says the reader already holds before an example (run first).
SETUP = {
    "reference/detectors.md": (
        "import socialpolicy as sp\n"
        "comment = sp.Comment(platform='x', author='@a', posted_at='2026-04-02T10:00:00+01:00',"
        " text='Priya Shah lost my case 1234567 again')\n"),
}
#: Shell commands that are not run, by their first words, and why.
SHELL_NOT_RUN = {
    "pip install": "installs packages; the test runs in an environment that has them",
    "jupyter lab": "opens a browser session; CI runs the notebook itself with nbmake",
    "mkdocs build": "CI builds the site as a step of its own",
    "python scripts/detector_quality.py": "CI runs the measurement as a step of its own",
    "python benchmarks/archive.py": "a benchmark of millions of rows, run on an idle machine",
}
#: Single shell lines that are not run, by page, and why.
LINE_NOT_RUN = {
    "how-to/property-testing.md": {
        "HYPOTHESIS_PROFILE=nightly .venv/bin/python -m pytest -q tests examples/downstream":
            "this repository's whole suite with the nightly profile",
    },
    "how-to/run-on-a-cluster.md": {
        "socialpolicy decide --policy mse_icb --scheduler tcp://10.0.0.5:8786 archive/ decided/":
            "needs a running cluster at that address",
        "socialpolicy decide --policy my_trust.yaml --workers 8 comments.csv decided.csv":
            "the reader's own policy file and eight workers",
    },
}
#: Exit codes other than 0 that a page documents for a command it runs.
EXIT: dict[str, int] = {}
#: Output a page shows for a command it runs (lines that do not depend on digests or dates).
OUTPUT = {
    "socialpolicy diff mse_icb my_edited/mse_icb.yaml": [
        "1 region(s) where decisions differ (compared: outcome, actions, clauses, deadline)",
        "[1] comment: - action signpost:999; - action signpost:gp; - action signpost:nhs_111; "
        "- cites 6.5.1; - cites appendix-b/medical-enquiries",
        "  when: medical_question and channel != comment",
        "  rules: medical-question-signpost",
        "  new: leave actions=[record_theme] cites=[",
    ],
    "socialpolicy test my_policies/example_trust.yaml": ["20 passed, 0 failed"],
}

_FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```", re.S | re.M)
_TITLE = re.compile(r'title="([^"]+)"')


@dataclass(frozen=True)
class Block:
    language: str
    title: str | None
    source: str
    line: int


def examples(page: str) -> list[Block]:
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        title = _TITLE.search(match.group(2))
        found.append(Block(match.group(1), title.group(1) if title else None, match.group(3),
                           text.count("\n", 0, match.start()) + 1))
    return found


def _shell_lines(block: Block) -> list[str]:
    lines = []
    for raw in block.source.splitlines():
        words = shlex.split(raw, comments=True)
        if words:
            lines.append(shlex.join(words))
    return lines


def _not_run(page: str, line: str) -> str | None:
    reasons = LINE_NOT_RUN.get(page, {})
    if line in reasons:
        return reasons[line]
    return next((why for start, why in SHELL_NOT_RUN.items()
                 if line == start or line.startswith(start + " ")), None)


def _run_shell(page: str, line: str, capsys: pytest.CaptureFixture[str]) -> None:
    if _not_run(page, line) is not None:
        return
    words = shlex.split(line)
    assert not {"|", "<", ">", "&&"} & set(words), f"{page}: `{line}`: pipes are not run"
    if words[0] == "socialpolicy":
        capsys.readouterr()
        code = main(words[1:])
        out, err = capsys.readouterr()
    elif words[0] == "pytest":
        env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS")}
        done = subprocess.run([sys.executable, "-m", *words, "-p", "no:cacheprovider"],
                              capture_output=True, text=True, check=False, timeout=600,
                              env=env)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        pytest.fail(f"{page}: `{line}` is neither run nor listed in SHELL_NOT_RUN with why")
    assert code == EXIT.get(line, 0), f"{page}: `{line}` exited {code}\n{out[-3000:]}\n{err}"
    for shown in OUTPUT.get(line, []):
        assert shown in (DOCS / page).read_text(encoding="utf-8"), f"{page} no longer shows {shown}"
        assert shown in out, f"{page}: `{line}` no longer prints {shown!r}:\n{out}"


def _close_clients(namespace: dict[str, object]) -> None:
    """A page that starts a Dask client leaves it running, as a reader would: stop it here."""
    from distributed import Client

    for value in namespace.values():
        if isinstance(value, Client):
            cluster = value.cluster
            value.close()
            if cluster is not None:
                cluster.close()


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    found = examples(page)
    assert any(b.language in ("python", "sh") for b in found), f"{page} has no example"
    shutil.copy(CSV, tmp_path / CSV.name)
    shutil.copy(CSV, tmp_path / "comments.csv")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__main__"}  # as in a script or a notebook
    written: set[str] = set()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the warnings the pages show are tested elsewhere
            exec(SETUP.get(page, ""), namespace)
            for block in found:
                if block.title is not None:
                    path = tmp_path / block.title
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with path.open("a" if block.title in written else "w",
                                   encoding="utf-8") as file:
                        file.write(block.source)
                    written.add(block.title)
                elif block.language == "python":
                    exec(compile(block.source, f"{page}:{block.line}", "exec"), namespace)
                elif block.language == "sh":
                    for line in _shell_lines(block):
                        _run_shell(page, line, capsys)
    finally:
        _close_clients(namespace)


def test_every_line_not_run_is_on_its_page() -> None:
    """A reason for a line the page no longer shows would hide a new line that does not run."""
    for page, reasons in LINE_NOT_RUN.items():
        shown = {line for block in examples(page) if block.language == "sh"
                 for line in _shell_lines(block)}
        assert set(reasons) <= shown, (page, set(reasons) - shown)


def test_every_page_with_examples_is_run_or_says_why_not() -> None:
    """A new page with Python or `socialpolicy` examples joins `PAGES`, or is listed here with
    the reason it cannot run on its own (it needs a file, service or cluster the reader
    brings)."""
    elsewhere = {
        "reference/decision-cases.md": "runs `socialpolicy test` on the reader's own files; "
                                       "Add an organisation runs it on its example",
    }
    with_examples = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")
                     if any(b.language == "python" or (b.language == "sh" and any(
                         line.startswith("socialpolicy") for line in _shell_lines(b)))
                            for b in examples(str(p.relative_to(DOCS))))}
    assert with_examples == set(PAGES) | set(elsewhere)
