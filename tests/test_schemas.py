"""JSON Schema: subjects' straight from the models, decisions' and records' checked against real
output, so none of them can drift from what the library reads and writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import socialpolicy as sp
from socialpolicy.cli import main
from socialpolicy.schemas import SCHEMA_NAMES, json_schema
from socialpolicy.subjects import subject_adapter

from .conftest import FIXTURES

ROOT = Path(__file__).parent.parent
DEMO = json.loads((ROOT / "src/socialpolicy/demo.json").read_text())


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_command_prints_each_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", name]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema(name)


def test_subject_schemas_are_the_models_own(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == list(SCHEMA_NAMES)
    for name, model in [("comment", sp.Comment), ("staff_post", sp.StaffPost),
                        ("account_request", sp.AccountRequest)]:
        schema = dict(printed[name])
        assert schema.pop("$schema") == "https://json-schema.org/draft/2020-12/schema"
        assert schema == model.model_json_schema()
        assert "id" in schema["properties"]
    assert {k: v for k, v in printed["subject"].items() if k not in ("$schema", "title")} == (
        subject_adapter.json_schema())


def test_subject_schemas_accept_real_subjects_and_reject_strays() -> None:
    check = validator("subject")
    for entry in DEMO:
        check.validate(subject_adapter.validate_python(entry["subject"]).model_dump(mode="json"))
        check.validate(entry["subject"])
    stray = dict(DEMO[0]["subject"], colour="red")
    assert not check.is_valid(stray)


def _decisions() -> list[sp.Decision]:
    decisions = []
    for entry in DEMO:
        for engine in ("reference",):
            policy = sp.load_policy(entry["policy"], engine=engine)
            decisions.append(policy.decide(entry["subject"]))
    mini = sp.load_policy(FIXTURES / "mini.yaml", engine="reference")
    rows: list[Any] = [{"kind": "comment", "id": "x1", "platform": "facebook", "text": "hi",
                        "author": "@a", "posted_at": "2026-03-04T10:00:00Z",
                        "labels": ["targeted_abuse", "spam"]},
                       {"kind": "account_request", "platform": "x", "purpose": "blog"},
                       {"kind": "comment", "platform": "nope"}, 7]
    decisions += mini.decide_many(rows)
    return decisions


def test_decisions_match_the_decision_schema() -> None:
    check = validator("decision")
    decisions = _decisions()
    assert {str(d.outcome) for d in decisions} >= {"error", "not_covered", "delete", "breach"}
    for decision in decisions:
        check.validate(decision.to_dict())
    assert not check.is_valid(decisions[0].to_dict() | {"surprise": 1})


def test_command_line_rows_match_the_decision_schema(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([json.dumps(DEMO[0]["subject"]), "{oops", '{"kind": "comment"}',
                               json.dumps(DEMO[0]["subject"])[:-1] + ', "text": "again"}']))
    main(["decide", "--policy", DEMO[0]["policy"], str(path), "--engine", "reference"])
    check = validator("decision")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 4
    for item in rows:
        check.validate(item)


def test_records_match_the_record_schema() -> None:
    check = validator("record")
    for decision in _decisions():
        check.validate(decision.record())
        check.validate(decision.record(include_subject=False))
