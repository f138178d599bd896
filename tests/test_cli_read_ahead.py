"""`socialpolicy decide` reads a file a chunk at a time, a pipe a row at a time, same output.

A file is all there to be read, so its rows are decided as `decide_many` decides them: a chunk
at a time, their facts in one engine call. A pipe or terminal may be live, so each row is
decided as soon as it arrives. Either way the output, its order, the error rows with their
numbers, the records and the exit code are the same.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from socialpolicy import _batch, load_policy
from socialpolicy.cli import main
from socialpolicy.cli.subjects import is_file

from .conftest import MINI_PATH as MINI
from .conftest import comment_row as row

ROWS = 600  # more than two chunks


def lines() -> list[str]:
    """Rows of every sort, with bad ones in every chunk (numbered across chunks)."""
    out = []
    for i in range(ROWS):
        if i % 131 == 7:
            out.append('{"kind": "comment", "oops')  # not JSON
        elif i % 97 == 5:
            out.append(json.dumps(row(id=str(i), labels=["spamm"])))  # fails validation
        else:
            out.append(json.dumps(row(id=str(i), labels=["spam"] if i % 3 == 0 else [])))
    return [line + "\n" for line in out]


@pytest.fixture
def blocks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every chunk decided at once."""
    sizes: list[int] = []
    block = _batch.decide_block

    def counted(policy: Any, rows: list[Any], *args: Any) -> Any:
        sizes.append(len(rows))
        return block(policy, rows, *args)

    monkeypatch.setattr(_batch, "decide_block", counted)
    return sizes


def decide_stdin(argv: list[str], text: str, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`socialpolicy decide ... -` with `text` on a stdin that is not a file."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code = main([*argv, "-"])
    out, err = capsys.readouterr()
    return code, out, err


def test_only_a_regular_file_counts_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("{}\n")
    with open(path, "rb") as handle:
        assert is_file(handle)
    read, write = os.pipe()
    try:
        with os.fdopen(read, "rb") as handle:
            assert not is_file(handle)
    finally:
        os.close(write)
    with open(os.devnull, "rb") as handle:
        assert not is_file(handle)  # a device
    assert not is_file(io.BytesIO(b"{}\n"))


def _same_from_file_as_from_pipe(argv: list[str], text: str, tmp_path: Path, blocks: list[int],
                                 monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> str:
    """`argv` over `text` from a pipe (row by row) and from a file (in chunks): the same
    output, exit code and messages; the file's output."""
    path = tmp_path / "in.jsonl"
    path.write_text(text)
    code, from_pipe, err = decide_stdin(argv, text, monkeypatch, capsys)
    assert blocks == []  # a pipe: row by row
    assert main([*argv, str(path)]) == code == 4  # some rows not decided
    from_file, file_err = capsys.readouterr()
    assert blocks == [_batch.DEFAULT_CHUNK, _batch.DEFAULT_CHUNK, ROWS - 2 * _batch.DEFAULT_CHUNK]
    assert from_file == from_pipe and file_err == err
    return from_file


@pytest.mark.parametrize("fmt", ["jsonl", "text"])
def test_a_file_is_decided_in_chunks_with_the_same_output_as_a_pipe(
        fmt: str, engine: str, tmp_path: Path, blocks: list[int],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["decide", "--policy", MINI, "--engine", engine, "--format", fmt, "--fail-on", "hide"]
    from_file = _same_from_file_as_from_pipe(argv, "".join(lines()), tmp_path, blocks,
                                             monkeypatch, capsys)
    if fmt == "jsonl":
        decided = [json.loads(line) for line in from_file.splitlines()]
        assert [d["row"] for d in decided] == list(range(ROWS))
        assert [d["line"] for d in decided] == list(range(1, ROWS + 1))
        late = decided[296]  # a bad row in the second chunk keeps its own number
        assert (late["outcome"], late["reason"]) == ("error", "row 296 is not a valid subject")
        assert "did you mean `spam`" in late["error"]
        assert decided[531]["outcome"] == "error" and "is not JSON" in decided[531]["error"]
        assert decided[3]["outcome"] == "hide" and decided[4]["outcome"] == "leave"


def test_records_from_a_file_are_written_in_order_for_every_decided_row(
        tmp_path: Path, blocks: list[int], capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(lines()))
    records = tmp_path / "audit.jsonl"
    assert main(["decide", "--policy", MINI, "--engine", "reference", str(path),
                 "--records", str(records)]) == 4
    decided = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    written = [json.loads(line) for line in records.read_text().splitlines()]
    assert len(blocks) == 3
    assert [r["subject_id"] for r in written] == [
        d["subject_id"] for d in decided if d["outcome"] != "error"]


def test_a_json_document_read_whole_is_decided_in_chunks(
        blocks: list[int], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    subjects = [row(id=str(i)) for i in range(300)]
    code, out, _ = decide_stdin(["decide", "--policy", MINI, "--engine", "reference"],
                                json.dumps(subjects), monkeypatch, capsys)
    assert code == 0 and blocks == [_batch.DEFAULT_CHUNK, 300 - _batch.DEFAULT_CHUNK]
    assert [d["subject_id"] for d in json.loads(out)] == [str(i) for i in range(300)]


def test_explain_reads_a_file_in_chunks_with_the_same_output_as_a_pipe(
        engine: str, tmp_path: Path, blocks: list[int], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = lines()
    rows[300] = "42\n"  # not an object: still a validation error in its place, as before
    argv = ["explain", "--policy", MINI, "--engine", engine, "--fail-on", "hide"]
    from_file = _same_from_file_as_from_pipe(argv, "".join(rows), tmp_path, blocks,
                                             monkeypatch, capsys)
    sections = from_file.split("== row ")[1:]
    assert len(sections) == ROWS
    policy = load_policy(MINI, engine=engine)  # type: ignore[arg-type]
    for i in (0, 3, 299, 599):  # each as `Policy.explain` explains it alone
        assert sections[i] == f"{i}\n{policy.explain(json.loads(rows[i]))}\n\n"
    assert sections[296].startswith("296: not decided\n") and "did you mean `spam`" in sections[296]
    assert sections[531].startswith("531: not decided\n") and "is not JSON" in sections[531]
    assert sections[300].startswith("300: not decided\n  error[")
    assert "SubjectKindError" not in sections[300]
