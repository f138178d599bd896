"""The README's tour is a real program: the same text as examples/readme_example.py, which runs,
says what the README says it does, and is type-checked by the project's `mypy --strict`."""

from __future__ import annotations

import re
import runpy
import tomllib
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "readme_example.py"


def test_the_tour_is_the_example_file() -> None:
    readme = (ROOT / "README.md").read_text()
    (tour,) = re.findall(r"## A tour for service authors\n\n```python\n(.*?)```", readme, re.S)
    assert tour == EXAMPLE.read_text()


def test_the_example_does_what_the_readme_says(capsys: object) -> None:
    names = runpy.run_path(str(EXAMPLE))
    decision = names["decision"]
    assert decision.outcome == "hide"
    assert any(a.kind == "report_to_platform" for a in decision.actions)
    assert "appendix-c/abuse" in [c.clause_id for c in decision.citations]
    assert decision.respond_by == datetime.fromisoformat("2026-04-08T10:00:00+01:00")


def test_mypy_checks_the_example_with_the_pydantic_plugin() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True
    assert "examples/readme_example.py" in config["files"]
    assert "pydantic.mypy" in config["plugins"]
    assert 'plugins = ["pydantic.mypy"]' in (ROOT / "README.md").read_text()
