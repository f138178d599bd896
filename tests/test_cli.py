"""The command line: decide from JSON/JSONL/stdin, demo, lint, and honest exit codes."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from socialpolicy.cli import main

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent
MINI = str(FIXTURES / "mini.yaml")


def row(**fields: object) -> dict[str, object]:
    return {"kind": "comment", "platform": "facebook", "text": "hello", "author": "@a",
            "posted_at": "2026-03-04T10:00:00+00:00"} | fields


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_decide_json_array_not_adverse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([row(), row(labels=["criticism"])]))
    code, out, _ = run(["decide", "--policy", MINI, str(path)], capsys)
    assert code == 0
    decisions = json.loads(out)
    assert [d["outcome"] for d in decisions] == ["leave", "leave"]
    assert [d["row"] for d in decisions] == [0, 1]


def test_decide_jsonl_adverse_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row()) + "\n\n" + json.dumps(row(labels=["spam"])) + "\n")
    code, out, _ = run(["decide", "--policy", MINI, str(path), "--engine", "reference"], capsys)
    assert code == 1
    assert [d["outcome"] for d in json.loads(out)] == ["leave", "hide"]


def test_decide_from_stdin_as_text(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(row(labels=["targeted_abuse"]))))
    code, out, _ = run(["decide", "--policy", MINI, "-", "--format", "text"], capsys)
    assert code == 1
    assert out.startswith("[0] delete (mini_council v2.0): abuse is deleted")
    assert '[4.1] Abuse: "Abusive comments are deleted where possible."' in out


def test_invalid_row_is_reported_and_the_batch_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row(labels=["spamm"])) + "\n" + json.dumps(row()) + "\n")
    code, out, _ = run(["decide", "--policy", MINI, str(path), "--format", "jsonl"], capsys)
    assert code == 2
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["outcome"] == "error" and "did you mean `spam`" in first["error"]
    assert second["outcome"] == "leave"


def test_unreadable_input_cannot_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"kind": "comment"}\n{oops\n')
    code, _, err = run(["decide", "--policy", MINI, str(path)], capsys)
    assert code == 2
    assert "line 2: not JSON" in err


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
