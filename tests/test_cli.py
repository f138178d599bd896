"""The command line: decide from JSON/JSONL/stdin, demo, lint, and honest exit codes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT
from .conftest import MINI_PATH as MINI
from .conftest import comment_row as row
from .conftest import run_cli as run


def test_decide_json_array_not_adverse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([row(), row(labels=["criticism"])]))
    code, out, _ = run(["decide", "--policy", MINI, str(path)], capsys)
    assert code == 0
    decisions = json.loads(out)
    assert [d["outcome"] for d in decisions] == ["leave", "leave"]
    assert [d["row"] for d in decisions] == [0, 1]


def test_decide_jsonl_in_jsonl_out_and_adverse_is_not_a_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row()) + "\n\n" + json.dumps(row(labels=["spam"])) + "\n")
    code, out, _ = run(["decide", "--policy", MINI, str(path), "--engine", "reference"], capsys)
    assert code == 0  # an adverse decision is ordinary data
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(d["outcome"], d["row"], d["line"]) for d in lines] == [("leave", 0, 1),
                                                                    ("hide", 1, 3)]
    code, _, _ = run(["decide", "--policy", MINI, str(path), "--engine", "reference",
                      "--fail-on", "adverse"], capsys)
    assert code == 1


def test_decide_from_stdin_as_text(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(row(labels=["targeted_abuse"]))))
    code, out, _ = run(["decide", "--policy", MINI, "-", "--format", "text",
                        "--fail-on", "adverse"], capsys)
    assert code == 1
    assert out.startswith("[0] delete (mini_council v2.0): abuse is deleted")
    assert '[4.1] Abuse: "Abusive comments are deleted where possible."' in out


def test_invalid_row_is_reported_and_the_batch_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row(labels=["spamm"])) + "\n" + json.dumps(row()) + "\n")
    code, out, _ = run(["decide", "--policy", MINI, str(path), "--format", "jsonl"], capsys)
    assert code == 4
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["outcome"] == "error" and "did you mean `spam`" in first["error"]
    assert first["error_detail"] == [{
        "type": "unknown_label", "loc": ["comment", "labels"],
        "message": "unknown comment label `spamm`, did you mean `spam`?"}]
    assert second["outcome"] == "leave"


def test_unreadable_lines_become_error_rows_in_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"kind": "comment"}\n{oops\n' + json.dumps(row()).encode()
                     + b"\n\xff\xfe\n" + json.dumps(row(labels=["spam"])).encode() + b"\n")
    code, out, _ = run(["decide", "--policy", MINI, str(path)], capsys)
    assert code == 4
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["outcome"] for r in rows] == ["error", "error", "leave", "error", "hide"]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["kind"] == "comment"
    assert {"type": "missing", "loc": ["comment", "text"],
            "message": "no value; hint: every comment needs `text`"} in rows[0]["error_detail"]
    assert "text: no value; hint: every comment needs `text`" in rows[0]["error"]
    assert "Field required" not in rows[0]["error"]
    assert rows[1]["error_detail"][0]["type"] == "json_invalid"
    assert rows[1]["error"].startswith("line 2 is not JSON")
    assert rows[3]["error_detail"][0]["type"] == "unicode_decode"


def test_missing_input_file_cannot_run(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["decide", "--policy", MINI, str(tmp_path / "none.jsonl")], capsys)
    assert code == 2 and out == ""
    assert "none.jsonl" in err


def test_bad_policy_cannot_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(row()))
    code, _, err = run(["decide", "--policy", str(FIXTURES / "broken.yaml"), str(path)], capsys)
    assert code == 2
    assert "broken.yaml:18:19: error[unknown-label]" in err
    code, _, err = run(["decide", "--policy", "nope", str(path)], capsys)
    assert code == 2 and "no bundled policy or file `nope`" in err


def test_lint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["lint", str(FIXTURES / "broken.yaml"), MINI], capsys)
    assert code == 3
    assert len(out.strip().splitlines()) == 10  # five problems, each with its hint line
    assert "5 problems in 2 files" in err
    code, _, err = run(["lint", MINI], capsys)
    assert code == 0 and "0 problems" in err


def test_demo_prints_decisions_with_quoted_clauses(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["demo", "--engine", "reference"], capsys)
    assert code == 0
    assert out.count("== ") == len(json.loads((ROOT / "src/socialpolicy/demo.json").read_text()))
    assert re.search(r'\[appendix-c/abuse\] .+: ".+"', out)


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(python3 -m venv .+)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text()
