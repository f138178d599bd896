"""`socialpolicy demo`: rich panels on a terminal, plain text elsewhere, review dates said once."""

from __future__ import annotations

import io
import json
from pathlib import Path

from socialpolicy.cli import _demo

ROOT = Path(__file__).parent.parent
ENTRIES = json.loads((ROOT / "src/socialpolicy/demo.json").read_text())


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_output_names_each_example_and_says_each_review_date_once() -> None:
    out = io.StringIO()
    _demo.show(out, "reference")
    text = out.getvalue()
    assert "\x1b[" not in text  # no colour codes off a terminal
    assert text.count("== ") == len(ENTRIES)
    reviews = [line for line in text.splitlines() if "passed its review date" in line]
    assert reviews and len(reviews) == len(set(reviews))
    assert all(line.startswith("warning: ") for line in reviews)
    assert len(reviews) < sum(entry["policy"] in ("mse_icb", "mhcc", "portsmouth")
                              for entry in ENTRIES)


def test_a_terminal_gets_coloured_wrapped_panels() -> None:
    out = _Terminal()
    _demo.show(out, "reference")
    text = out.getvalue()
    assert "\x1b[" in text and "╭" in text
    assert all(len(line) <= 80 for line in _strip(text).splitlines())  # wrapped to the width
    plain = _strip(text)
    for entry in ENTRIES[:3]:
        assert entry["title"][:30] in plain
    assert "[appendix-c/abuse]" in plain and " hide " in plain
    assert plain.count("passed its review date") == len(
        {line for line in plain.splitlines() if "passed its review date" in line})


def _strip(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)
