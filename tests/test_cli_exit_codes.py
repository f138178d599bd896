"""Exit 2 ("could not run") is for the caller's mistakes only: the library's own errors, a
subject that does not validate, a file that cannot be opened. Any other exception, a bare
`ValueError` or a `UnicodeEncodeError` included, is an internal fault: exit 70, with the
traceback, never dressed up as a user error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import socialpolicy as sp
from socialpolicy.cli import CANNOT_RUN, EXIT_CANNOT_RUN, EXIT_INTERNAL
from socialpolicy.errors import InputError, SocialPolicyError

from .conftest import MINI_PATH as MINI
from .conftest import comment_row as row
from .conftest import run_cli as run


def _input(tmp_path: Path) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row()) + "\n", encoding="utf-8")
    return str(path)


def _validation_error() -> ValidationError:
    try:
        sp.Comment.model_validate({"platform": "facebook"})
    except ValidationError as exc:
        return exc
    raise AssertionError("an empty comment validated")  # pragma: no cover


INTERNAL_FAULTS = [
    pytest.param(ValueError("an internal invariant broke"), id="ValueError"),
    pytest.param(UnicodeEncodeError("ascii", "é", 0, 1, "ordinal not in range(128)"),
                 id="UnicodeEncodeError"),
    pytest.param(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
                 id="UnicodeDecodeError"),
    pytest.param(json.JSONDecodeError("Expecting value", "", 0), id="JSONDecodeError"),
    pytest.param(KeyError("state"), id="KeyError"),
    pytest.param(sp.AnalysisError("the diff and the engines disagree"), id="AnalysisError"),
]


def _decide_while_loading_raises(
        exc: Exception, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`socialpolicy decide` with loading the policy raising `exc`: (exit code, out, err)."""
    def raising(*args: Any, **kwargs: Any) -> None:
        raise exc

    monkeypatch.setattr("socialpolicy.cli.subjects.load_policy", raising)
    return run(["decide", "--policy", MINI, _input(tmp_path)], capsys)


@pytest.mark.parametrize("fault", INTERNAL_FAULTS)
def test_a_fault_inside_the_library_is_an_internal_error_not_a_user_error(
        fault: Exception, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _decide_while_loading_raises(fault, tmp_path, monkeypatch, capsys)
    assert code == EXIT_INTERNAL == 70
    assert out == ""
    assert "internal error (please report it)" in err
    assert f"{type(fault).__name__}:" in err and "Traceback" in err


def test_a_fault_while_writing_output_is_an_internal_error(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def unencodable(data: Any) -> None:
        raise UnicodeEncodeError("ascii", "\u2019", 0, 1, "ordinal not in range(128)")

    monkeypatch.setattr("socialpolicy.cli.records.write_json", unencodable)
    code, _, err = run(["schema", "comment"], capsys)
    assert code == EXIT_INTERNAL
    assert "UnicodeEncodeError" in err and "socialpolicy: error:" not in err


@pytest.mark.parametrize("error", [
    pytest.param(InputError("`x` is not usable; hint: give `y`"), id="InputError"),
    pytest.param(sp.UnknownPolicyError("no bundled policy or file `x`"), id="UnknownPolicyError"),
    pytest.param(_validation_error(), id="ValidationError"),
    pytest.param(FileNotFoundError(2, "No such file or directory", "x.jsonl"), id="OSError"),
])
def test_the_callers_mistakes_still_could_not_run(
        error: Exception, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _decide_while_loading_raises(error, tmp_path, monkeypatch, capsys)
    assert code == EXIT_CANNOT_RUN == 2
    assert out == "" and "Traceback" not in err
    assert err.startswith("socialpolicy: error: ")


def test_what_could_not_run_means_is_the_librarys_errors_not_any_value_error() -> None:
    assert issubclass(InputError, SocialPolicyError) and issubclass(InputError, ValueError)
    assert ValueError not in CANNOT_RUN and UnicodeError not in CANNOT_RUN


# ---- the mistakes the library raises on purpose are its own errors, so still exit 2 ----------

def test_a_policy_given_twice_to_compare_could_not_run(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["compare", "mhra", "mhra"], capsys)
    assert code == 2 and "policy id `mhra` is given twice" in err and "Traceback" not in err
    with pytest.raises(InputError):
        sp.compare_policies(["mhra", "mhra"])


def test_a_missing_cases_folder_could_not_run(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["coverage", "mhra", "--cases", str(tmp_path / "nowhere")], capsys)
    assert code == 2 and "cases directory" in err and "Traceback" not in err


def test_unknown_engine_and_schema_names_are_input_errors() -> None:
    from socialpolicy.schemas import json_schema

    with pytest.raises(InputError, match="unknown engine `fast`"):
        sp.load_policy("mhra", engine="fast")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="no schema called `subjects`"):
        json_schema("subjects")


@pytest.mark.needs_extras
def test_diff_mistakes_could_not_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["diff", "mhra", "mhra", "--compare", "outcomes"], capsys)
    assert code == 2 and "unknown decision part `outcomes`" in err and "Traceback" not in err

    # A replay file with a line that is not UTF-8 names that line (it was read as text, and
    # the decoder's bare error was reported instead).
    replay = tmp_path / "rows.jsonl"
    replay.write_bytes(json.dumps(row()).encode() + b"\n" + b'{"text": "\xff"}\n')
    code, _, err = run(["diff", "mhra", "mhra", "--replay", str(replay)], capsys)
    assert code == 2 and "Traceback" not in err
    assert "line 2 is not UTF-8" in err and "save the input as UTF-8" in err
