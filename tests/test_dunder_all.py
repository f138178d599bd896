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


def test_integration_modules_are_attributes_imported_on_first_use() -> None:
    """`sp.frames.COLUMNS` works after `import socialpolicy as sp`, as a notebook user writes
    it, and nothing heavy is imported until then."""
    import subprocess
    import sys

    code = ("import sys, socialpolicy as sp\n"
            "assert 'socialpolicy.frames' not in sys.modules and 'pandas' not in sys.modules\n"
            "assert 'outcome' in sp.frames.COLUMNS and sp.signals.DEFAULT_DETECTORS\n"
            "assert sp.frames is sys.modules['socialpolicy.frames']\n"
            "try:\n    sp.framez\nexcept AttributeError as e:\n    assert 'framez' in str(e)\n"
            "else:\n    raise SystemExit('sp.framez resolved')\n")
    subprocess.run([sys.executable, "-c", code], check=True)
