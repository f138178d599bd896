"""Shared fixtures: the fixture policies, both engines, subject builders."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Iterator
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
# CI's second run, on Python 3.13, checks the code works there rather than searching the input
# space again: 25 examples per test (a test's own `max_examples` still wins).
settings.register_profile("quick", max_examples=25, derandomize=True, database=None,
                          deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MINI_PATH = str(FIXTURES / "mini.yaml")
ENGINES = ("durable", "reference")


# ---- markers: what a test needs beyond the package and its `testing` extra ---------------------
#
# CI runs the whole suite with the `dev` extra on Python 3.11, then again on Python 3.13 with
# only `.[testing]` and pytest installed, deselecting with
# `-m "not soak and not needs_durable and not needs_extras"` (pytest reports how many):
# - `needs_durable`: needs durable_rules itself, which does not run on 3.13 (there the reference
#   engine stands in for it, so the test would only repeat the reference run, or compare the
#   reference engine with itself). Marked by hand with why, or below because one of the test's
#   parameters is the durable engine.
# - `needs_extras`: needs a package only another extra installs (pandas, Dask, dd, jsonschema,
#   hatchling: `pip install -e '.[dev]'`). Marked by hand with which; a whole module, by
#   EXTRA_PACKAGES and MODULE_NEEDS below.
# Nothing is skipped quietly: where the packages are installed the tests run, and a run that
# should have had them and did not fails, naming the missing package.

MARKERS = {
    "needs_durable": "needs durable_rules itself (Python < 3.13); deselect with "
                     "-m 'not needs_durable' where it does not run",
    "needs_extras": "needs a package only the dev extra installs (pandas, dask, dd, jsonschema, "
                    "hatchling); deselect with -m 'not needs_extras' where it is not installed",
}

#: Packages beyond `.[testing]`, by import name, and the marker of a test that needs one. A test
#: module that imports one at the top, where it is missing, stands as one test with that marker
#: (which fails naming the package) instead of an error that stops the run.
EXTRA_PACKAGES = {"durable_rules_engine": "needs_durable",
                  **dict.fromkeys(("pandas", "matplotlib", "dask", "distributed", "pyarrow",
                                   "jsonschema", "dd", "hatchling", "cedarpy", "zen",
                                   "rule_engine", "business_rules"), "needs_extras")}

#: Test modules that need such packages, the marker and the packages: where one is missing, the
#: module is not imported. Needed for those that import them only once their tests run (or skip
#: themselves on import); the rest are listed too, to say so.
MODULE_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "test_durable.py": ("needs_durable", ("durable_rules_engine",)),
    "test_durable_batch.py": ("needs_durable", ("durable_rules_engine",)),
    "test_durable_negations.py": ("needs_durable", ("durable_rules_engine",)),
    "test_dask.py": ("needs_extras", ("dask", "distributed", "pandas", "pyarrow")),
    "test_frames.py": ("needs_extras", ("pandas", "matplotlib")),
    "test_plots.py": ("needs_extras", ("pandas", "matplotlib")),
    "test_frames_messages.py": ("needs_extras", ("pandas",)),
    "test_doc_examples.py": ("needs_extras", ("pandas", "matplotlib", "dask", "distributed",
                                              "pyarrow", "dd")),
    "test_tutorial_data.py": ("needs_extras", ("pandas",)),
    "test_schemas.py": ("needs_extras", ("jsonschema",)),
    "test_exact_diff.py": ("needs_extras", ("dd",)),
    "test_exact_cli.py": ("needs_extras", ("dd",)),
    "test_why_not.py": ("needs_extras", ("dd",)),
    "test_wheel.py": ("needs_extras", ("hatchling",)),
}


def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test parametrised with the durable engine (an `engine` argument or a
    fixture whose parameter is an engine name) as needing durable_rules."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and any(isinstance(value, str) and value == "durable"
                                         for value in callspec.params.values()):
            item.add_marker(pytest.mark.needs_durable)


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector
                                ) -> pytest.Collector:
    marker, packages = MODULE_NEEDS.get(module_path.name, ("", ()))
    missing = [name for name in packages if importlib.util.find_spec(name) is None]
    if missing:
        return _NotInstalled.from_parent(parent, path=module_path, marker=marker,
                                         missing=missing)
    return _Module.from_parent(parent, path=module_path)


class _Module(pytest.Module):
    """A test module; where it imports a package of EXTRA_PACKAGES that is missing, one test
    with that package's marker instead of a collection error."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        try:
            return super().collect()
        except pytest.Collector.CollectError as error:
            cause = error.__cause__
            name = getattr(cause, "name", None) if isinstance(cause, ModuleNotFoundError) \
                else None
            marker = EXTRA_PACKAGES.get(str(name).partition(".")[0])
            if marker is None:
                raise
            return [_Missing.from_parent(self, name=f"needs {name}", marker=marker,
                                         missing=[str(name)])]


class _NotInstalled(pytest.File):
    """A test module in MODULE_NEEDS whose packages are missing, standing as one marked test."""

    def __init__(self, *, marker: str, missing: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.marker, self.missing = marker, missing

    def collect(self) -> Iterator[pytest.Item]:
        yield _Missing.from_parent(self, name=f"needs {', '.join(self.missing)}",
                                   marker=self.marker, missing=self.missing)


class _Missing(pytest.Item):
    def __init__(self, *, marker: str, missing: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.missing = missing
        self.add_marker(getattr(pytest.mark, marker))

    def runtest(self) -> None:
        raise ModuleNotFoundError(
            f"{self.path.name} needs {', '.join(self.missing)}, not installed here "
            "(pip install -e '.[dev]'; or deselect with -m 'not needs_durable and not "
            "needs_extras')")

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


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
