"""Shared fixtures: the fixture policies, both engines, subject builders."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import socialpolicy as sp
from socialpolicy.cli import main

# Property tests: CI runs a fixed seed with 200 examples per test (so every policy and kind gets
# at least 200); HYPOTHESIS_PROFILE=nightly runs 5000 fresh random ones per test.
settings.register_profile("ci", max_examples=200, derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=5000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MINI_PATH = str(FIXTURES / "mini.yaml")
ENGINES = ("durable", "reference")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def mini(engine: str) -> sp.Policy:
    return sp.load_policy(FIXTURES / "mini.yaml", engine=engine)  # type: ignore[arg-type]


def comment(**fields: Any) -> sp.Comment:
    base: dict[str, Any] = {"platform": "facebook", "text": "", "author": "@someone",
                            "posted_at": datetime.fromisoformat("2026-03-04T10:00:00+00:00")}
    return sp.Comment(**(base | fields))


def staff_post(**fields: Any) -> sp.StaffPost:
    base: dict[str, Any] = {"platform": "x", "text": "", "posted_at": "2026-03-04T10:00:00Z",
                            "account": {"handle": "@jo_bloggs"}}
    return sp.StaffPost.model_validate(base | fields)



# ---- the command line ----------------------------------------------------------------------

def comment_row(**fields: object) -> dict[str, object]:
    """A comment as one JSON input row for the command line."""
    return {"kind": "comment", "platform": "facebook", "text": "hello", "author": "@a",
            "posted_at": "2026-03-04T10:00:00+00:00"} | fields


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `socialpolicy argv`: its exit code, stdout and stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err
