"""The public surface is exactly `__all__`, alphabetised (as pydantic tests its own)."""

import socialpolicy as sp


def test_all_is_sorted_and_exact() -> None:
    assert sp.__all__ == sorted(sp.__all__)
    public = {name for name in dir(sp) if not name.startswith("_")}
    modules = {
        "analysis", "checker", "cli", "compare", "compiler", "conditions", "coverage", "decision",
        "dask", "engine", "engines", "errors", "explain", "frames", "glossary", "invariants",
        "loader", "policy", "records", "render", "schemas", "signals",
        "sources",
        "subjects", "testing", "timing", "vocab",
    }
    assert public - modules == set(sp.__all__)


def test_contract_names_exist() -> None:
    for name in ("available_policies", "load_policy", "decide", "Comment", "StaffPost",
                 "AccountRequest", "Action", "Citation", "Finding", "Decision", "run_cases"):
        assert hasattr(sp, name), name
