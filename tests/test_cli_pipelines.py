"""The command line in pipelines: streaming, rows kept in place, honest exit codes, closed
pipes, listing and linting policies, records and their verification."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.cli import main
from socialpolicy.cli._io import SubjectReader
from socialpolicy.cli.subjects import decide_rows

from .conftest import FIXTURES, ROOT
from .conftest import MINI_PATH as MINI
from .conftest import comment_row as row
from .conftest import run_cli as run

REF = ["--engine", "reference"]


def jsonl(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


# ---- streaming ------------------------------------------------------------------------------

class _Stdin:
    """Stdin as a generator, counting the lines the command has taken."""

    def __init__(self, lines: list[str]) -> None:
        self.taken = 0
        self._lines = lines

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.taken += 1
            yield line


class _Stdout(io.StringIO):
    """Stdout that notes how much input had been taken when each line was written."""

    def __init__(self, stdin: _Stdin) -> None:
        super().__init__()
        self.stdin = stdin
        self.taken_at_write: list[int] = []

    def write(self, text: str) -> int:
        self.taken_at_write.append(self.stdin.taken)
        return super().write(text)


def test_output_starts_before_input_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = _Stdin([json.dumps(row(id=str(i))) + "\n" for i in range(50)])
    stdout = _Stdout(stdin)
    monkeypatch.setattr("sys.stdin", stdin)
    monkeypatch.setattr("sys.stdout", stdout)
    assert main(["decide", "--policy", MINI, "-", *REF]) == 0
    # each decision is written right after its own line is read: one line of look-ahead at most
    assert stdout.taken_at_write == list(range(1, 51))
    assert [d["subject_id"] for d in jsonl(stdout.getvalue())] == [str(i) for i in range(50)]


def test_a_live_pipe_gets_each_decision_as_its_line_arrives() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "socialpolicy", "decide", "--policy", MINI, "-", *REF],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdin and process.stdout
    got: list[str] = []
    try:
        for i in range(3):
            process.stdin.write(json.dumps(row(id=f"r{i}")) + "\n")
            process.stdin.flush()
            reader = threading.Thread(target=lambda: got.append(process.stdout.readline()))
            reader.start()
            reader.join(120)  # a hang guard only; the answer comes as soon as it is decided
            assert len(got) == i + 1, "no decision before the input ended"
        process.stdin.close()
        assert process.wait(120) == 0
    finally:
        process.kill()
        process.wait()
    assert [json.loads(line)["subject_id"] for line in got] == ["r0", "r1", "r2"]


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps(row(id=str(i))) + "\n" for i in range(3000)))
    process = subprocess.Popen(
        [sys.executable, "-m", "socialpolicy", "decide", "--policy", MINI, str(path), *REF],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout and process.stderr
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    code = process.wait(300)
    err = process.stderr.read().decode()
    process.stderr.close()
    assert json.loads(first)["subject_id"] == "0"
    assert code == 0
    assert "Broken pipe" not in err and "Traceback" not in err and err == ""


# ---- what goes in ---------------------------------------------------------------------------

def test_a_byte_order_mark_is_accepted(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in [("in.jsonl", json.dumps(row()) + "\n" + json.dumps(row()) + "\n"),
                       ("in.json", json.dumps([row(), row()], indent=2))]:
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
        code, out, _ = run(["decide", "--policy", MINI, str(path), *REF, "--format", "jsonl"],
                           capsys)
        assert code == 0, name
        assert [d["outcome"] for d in jsonl(out)] == ["leave", "leave"]


def test_a_repeated_key_is_an_error_row_never_a_silent_choice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dropped = json.dumps(row(labels=["targeted_abuse"]))[:-1] + ', "labels": []}'
    nested = ('{"kind": "staff_post", "platform": "x", "text": "hi", "posted_at": '
              '"2026-03-04T10:00:00Z", "account": {"handle": "@a", "handle": "@b"}}')
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([dropped, nested, json.dumps(row(labels=["spam"]))]) + "\n")
    code, out, _ = run(["decide", "--policy", MINI, str(path), *REF], capsys)
    assert code == 4
    first, second, third = jsonl(out)
    assert first["outcome"] == "error" and first["error_detail"][0]["type"] == "duplicate_key"
    assert first["error_detail"][0]["loc"] == ["labels"]
    assert second["error_detail"][0]["loc"] == ["account", "handle"]
    assert second["kind"] == "staff_post"
    assert third["outcome"] == "hide"


def test_a_json_array_is_read_whole_and_answered_as_an_array(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps([row(), 5, row(labels=["spam"])], indent=2))
    code, out, _ = run(["decide", "--policy", MINI, str(path), *REF], capsys)
    assert code == 4
    decisions = json.loads(out)
    assert [d["outcome"] for d in decisions] == ["leave", "error", "hide"]
    assert decisions[1]["error_detail"][0]["type"] == "SubjectKindError"
    path.write_text(json.dumps(row(id="one"), indent=2))  # one object, over several lines
    code, out, _ = run(["decide", "--policy", MINI, str(path), *REF], capsys)
    assert code == 0 and [d["subject_id"] for d in json.loads(out)] == ["one"]
    path.write_text(json.dumps(row(id="one")))  # one line is JSON Lines: one line out
    code, out, _ = run(["decide", "--policy", MINI, str(path), *REF], capsys)
    assert code == 0 and json.loads(out)["subject_id"] == "one"
    path.write_text("")
    code, out, _ = run(["decide", "--policy", MINI, str(path), *REF, "--format", "json"],
                       capsys)
    assert code == 0 and json.loads(out) == []


def test_a_missing_or_wrong_kind_is_an_error_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"platform": "x"}\n{"kind": ["comment"]}\n' + json.dumps(row()) + "\n")
    code, out, _ = run(["decide", "--policy", MINI, str(path), *REF], capsys)
    assert code == 4
    missing, wrong, good = jsonl(out)
    assert missing["error_detail"][0]["type"] == "union_tag_not_found"
    assert wrong["error_detail"][0]["type"] == "union_tag_invalid"
    assert good["outcome"] == "leave"


# ---- exit codes -----------------------------------------------------------------------------

@pytest.mark.parametrize(("labels", "fail_on", "code"), [
    (["spam"], "delete", 0),               # hide is below delete
    (["targeted_abuse"], "delete", 1),
    (["spam"], "hide", 1),                 # delete or hide is at least hide
    (["targeted_abuse"], "hide", 1),
    ([], "adverse", 0),
    (["spam"], "breach,reject", 0),        # outcomes of other kinds never match a comment
])
def test_fail_on_is_a_severity_threshold(labels: list[str], fail_on: str, code: int,
                                         tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row(labels=labels)) + "\n")
    got, _, _ = run(["decide", "--policy", MINI, str(path), *REF, "--fail-on", fail_on], capsys)
    assert got == code


def test_an_unknown_fail_on_word_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["decide", "--policy", MINI, "-", "--fail-on", "deleet"])
    assert info.value.code == 2
    assert "unknown `deleet`" in capsys.readouterr().err


def test_a_crash_is_never_the_fail_on_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row()) + "\n" + json.dumps(row()) + "\n")

    def broken(self: sp.Policy, subject: Any, *args: Any, **options: Any) -> sp.Decision:
        raise RuntimeError("boom")

    # A file is decided a chunk at a time (which prepares each row), a pipe row by row.
    monkeypatch.setattr(sp.Policy, "decide", broken)
    monkeypatch.setattr(sp.Policy, "_prepare", broken)
    code, out, _ = run(["decide", "--policy", MINI, str(path), *REF, "--fail-on", "adverse"],
                       capsys)
    assert code == 4  # each row says it could not be decided, and why
    assert [d["error_detail"][0]["type"] for d in jsonl(out)] == ["RuntimeError"] * 2
    assert "boom" in jsonl(out)[0]["error"]

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("outside any row")

    monkeypatch.setattr("socialpolicy.cli.subjects.load_policy", crash)
    code, _, err = run(["decide", "--policy", MINI, str(path)], capsys)
    assert code == 70
    assert "internal error" in err and "RuntimeError: outside any row" in err


def test_version_and_help_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"socialpolicy {sp.__version__}"
    for command in ("decide", "explain", "policies", "lint", "coverage", "verify", "schema"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "examples:\n  socialpolicy " in capsys.readouterr().out, command


def test_every_command_has_help_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from socialpolicy.cli import build_parser

    (commands,) = [a for a in build_parser()._actions
                   if isinstance(a, argparse._SubParsersAction)]
    assert {"decide", "diff", "analyze", "test", "compare"} <= set(commands.choices)
    for command in commands.choices:
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert re.search(r"examples?:\n  socialpolicy " + command, out), command


# ---- policies, lint, coverage, explain ------------------------------------------------------

def test_policies_lists_the_bundled_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["policies", "--format", "json"], capsys)
    assert code == 0
    listed = {p["id"]: p for p in json.loads(out)}
    assert sorted(listed) == sp.available_policies()
    mhra = listed["mhra"]
    assert mhra["organisation"] == sp.load_policy("mhra", engine="reference").organisation
    assert mhra["governs"] == ["comment"]
    assert set(listed["mse_icb"]["governs"]) == {"comment", "staff_post", "account_request"}
    assert all(len(p["digest"]) == 64 for p in listed.values())
    code, out, _ = run(["policies"], capsys)
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split() == ["id", "organisation", "version", "review", "governs"]
    assert [line.split()[0] for line in lines] == sp.available_policies()
    code, out, _ = run(["policies", MINI], capsys)
    assert "mini_council" in out and "comment, staff_post" in out


def test_lint_takes_directories_and_speaks_json(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["lint", str(ROOT / "policies")], capsys)
    assert code == 0
    assert f"0 problems in {len(sp.available_policies())} files" in err
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(FIXTURES / "broken.yaml", folder / "broken.yaml")
    (folder / "notes.txt").write_text("not a policy")
    code, out, _ = run(["lint", str(folder), "--format", "json"], capsys)
    assert code == 3
    report = json.loads(out)
    assert report["files"] == [str(folder / "broken.yaml")]
    codes = {p["code"] for p in report["problems"]}
    assert "unknown-label" in codes
    assert all({"code", "message", "file", "line", "column", "hint"} <= set(p)
               for p in report["problems"])
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(["lint", str(empty)], capsys)
    assert code == 2 and "no policy files" in err


def test_coverage_speaks_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["coverage", "mhra", "--format", "json"], capsys)
    (report,) = json.loads(out)
    assert report["policy"] == "mhra"
    assert code == (0 if report["ok"] else 3)
    assert report["clauses"]["encoded"] > 0 and isinstance(report["problems"], list)


def test_explain_goes_on_past_a_bad_row(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([json.dumps(row(labels=["spam"])), "{oops",
                               json.dumps(row(platform="nope")),
                               json.dumps(row(labels=["targeted_abuse"]))]) + "\n")
    code, out, _ = run(["explain", "--policy", MINI, str(path), *REF], capsys)
    assert code == 4
    assert out.count("== row ") == 4
    assert "== row 1: not decided\n  error[json_invalid]" in out
    assert "== row 2: not decided\n  error[literal_error]: comment.platform:" in out
    assert "== row 3\n" in out and "abuse-delete" in out


# ---- records and verify ---------------------------------------------------------------------

def test_records_then_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subjects = tmp_path / "in.jsonl"
    subjects.write_text("\n".join(json.dumps(row(id=f"c{i}", labels=labels)) for i, labels in
                                  enumerate([[], ["spam"], ["bogus"]])) + "\n")
    records = tmp_path / "audit.jsonl"
    code, out, _ = run(["decide", "--policy", MINI, str(subjects), *REF, "--records",
                        str(records)], capsys)
    assert code == 4  # the bogus label; the other two are decided and recorded
    kept = jsonl(records.read_text())
    assert [r["subject_id"] for r in kept] == ["c0", "c1"]
    assert [r["outcome"] for r in kept] == [d["outcome"] for d in jsonl(out)][:2]
    code, out, err = run(["verify", str(records), "--policy", MINI], capsys)
    assert (code, out) == (0, "")
    assert "2 same, 0 changed, 0 unverifiable" in err

    edited = tmp_path / "mini.yaml"
    edited.write_text(Path(MINI).read_text().replace(
        "    outcome: hide\n    cites: [\"4.2\"]", "    outcome: delete\n    cites: [\"4.2\"]"))
    code, out, err = run(["verify", str(records), "--policy", str(edited)], capsys)
    assert code == 3
    assert out.startswith("changed: c1\n  outcome hide -> delete\n  because: policy changed")
    code, out, _ = run(["verify", str(records), "--policy", str(edited), "--format", "jsonl"],
                       capsys)
    assert [v["status"] for v in jsonl(out)] == ["same", "changed"]


def test_records_without_subjects_cannot_be_verified(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subjects = tmp_path / "in.jsonl"
    subjects.write_text(json.dumps(row(text="private words")) + "\n")
    records = tmp_path / "audit.jsonl"
    run(["decide", "--policy", MINI, str(subjects), *REF, "--records", str(records),
         "--records-without-subject"], capsys)
    assert "private words" not in records.read_text()
    with records.open("a") as handle:
        handle.write("{oops\n")
    code, out, _ = run(["verify", str(records), "--policy", MINI], capsys)
    assert code == 4
    assert "only the subject's digest" in out and "line 2 is not JSON" in out


def test_nothing_is_recorded_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row()) + "\n")
    run(["decide", "--policy", MINI, str(path), *REF], capsys)
    assert [p.name for p in tmp_path.iterdir()] == ["in.jsonl"]


# ---- whatever the rows hold -----------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["kind", "id", "platform", "labels", "text", "x"]) | st.text(max_size=4),
        inner, max_size=4),
    max_leaves=12)


@settings(max_examples=100)
@given(st.lists(_JSON | st.builds(lambda k: row() | k, st.dictionaries(
    st.sampled_from(["kind", "id", "labels", "posted_at", "author_prior_removals"]), _JSON,
    max_size=2)), max_size=6))
def test_one_result_per_line_whatever_the_lines_hold(values: list[Any]) -> None:
    policy = sp.load_policy(MINI, engine="reference")
    lines = [json.dumps(row()) + "\n"] + [json.dumps(v) + "\n" for v in values]
    results = list(decide_rows(policy, SubjectReader(lines)))
    assert [r.index for r, _ in results] == list(range(len(lines)))
    assert [r.line for r, _ in results] == list(range(1, len(lines) + 1))
    for _, decision in results:
        assert (decision.outcome == "error") == bool(decision.error_detail)
        assert all(e.type in ("SubjectKindError", "CalendarRangeError", "json_invalid",
                              "duplicate_key") or e.type.islower() for e in decision.error_detail)
