"""The caller's id, decision records, and re-deciding records to find changed decisions."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import socialpolicy as sp
from socialpolicy import engines
from socialpolicy.records import RECORD_VERSION, subject_digest, verify_records
from socialpolicy.signals import DEFAULT_DETECTORS, derive
from socialpolicy.subjects import CONDITION_FIELDS

from .conftest import FIXTURES, comment

MINI = FIXTURES / "mini.yaml"


# ---- the caller's id ------------------------------------------------------------------------

def test_id_is_echoed_and_never_a_fact(mini: sp.Policy) -> None:
    subject = comment(id="queue-42", labels={"spam"})
    decision = mini.decide(subject)
    assert decision.subject_id == "queue-42"
    assert decision.to_dict()["subject_id"] == "queue-42"
    assert mini.decide(comment()).subject_id is None
    facts, _ = derive(subject, mini.document)
    assert not any("id" in key.split(".") for key in facts)
    assert all("id" not in fields for fields in CONDITION_FIELDS.values())


@pytest.mark.parametrize("value", ["", 42, "x" * 257])
def test_bad_id_is_a_validation_error_naming_it(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        comment(id=value)
    assert info.value.errors()[0]["loc"] == ("id",)


def test_every_subject_kind_takes_an_id(mini: sp.Policy) -> None:
    post = sp.StaffPost(id="hr-7", platform="x", text="hi", posted_at="2026-03-04T10:00:00Z",
                        account={"handle": "@me"})
    request = sp.AccountRequest(id="req-1", platform="x", purpose="blog")
    assert mini.decide(post).subject_id == "hr-7"
    assert mini.decide(request).subject_id == "req-1"  # not_covered still carries it


def test_invalid_row_keeps_its_id(mini: sp.Policy) -> None:
    rows: list[Any] = [{"kind": "comment", "id": "bad-1", "platform": "nope"},
                       comment(id="good-1")]
    bad, good = mini.decide_many(rows)
    assert (bad.outcome, bad.subject_id) == ("error", "bad-1")
    assert (good.outcome, good.subject_id) == ("leave", "good-1")


# ---- records --------------------------------------------------------------------------------

def test_record_says_what_was_decided_and_by_what(mini: sp.Policy) -> None:
    decision = mini.decide(comment(id="q-1", labels={"targeted_abuse", "spam"}))
    record = decision.record()
    json.dumps(record)  # JSON-ready
    assert record["record_version"] == RECORD_VERSION
    assert record["subject_id"] == "q-1" and record["kind"] == "comment"
    assert record["subject"]["labels"] == ["spam", "targeted_abuse"]
    assert record["subject_sha256"] == subject_digest(decision.subject)  # type: ignore[arg-type]
    assert record["outcome"] == "delete"
    assert {"kind": "contact_author", "target": None} in record["actions"]
    assert record["cited_clauses"] == [c.clause_id for c in decision.citations]
    assert record["policy"] == {"id": "mini_council", "version": "2.0", "digest": mini.digest}
    assert record["engine"] == mini.engine
    assert record["library_version"] == sp.__version__
    assert set(record["detectors"]) == {d.name for d in DEFAULT_DETECTORS}
    assert record["timestamp"].endswith("+00:00")
    assert decision.record()["decision_id"] != record["decision_id"]


def test_record_can_keep_only_the_digest(mini: sp.Policy) -> None:
    record = mini.decide(comment(text="private words")).record(include_subject=False)
    assert "subject" not in record
    assert "private words" not in json.dumps(record)
    assert len(record["subject_sha256"]) == 64


def test_digest_ignores_label_order_but_not_content() -> None:
    one = comment(labels={"spam", "criticism", "complaint"})
    two = comment(labels={"complaint", "spam", "criticism"})
    assert subject_digest(one) == subject_digest(two)
    assert subject_digest(one) != subject_digest(comment(labels={"spam"}))


def test_custom_detectors_are_named_in_the_record(mini: sp.Policy) -> None:
    mine = DEFAULT_DETECTORS[:2]
    record = mini.decide(comment(), detectors=mine).record()
    assert list(record["detectors"]) == [d.name for d in mine]


# ---- verifying ------------------------------------------------------------------------------

def _records(policy: sp.Policy) -> list[dict[str, Any]]:
    return [policy.decide(comment(id=f"c{i}", labels=labels)).record()
            for i, labels in enumerate([set(), {"spam"}, {"targeted_abuse"}])]


def test_unchanged_records_verify_as_same(mini: sp.Policy) -> None:
    results = list(verify_records(_records(mini), policy=MINI))
    assert [r.status for r in results] == ["same"] * 3
    assert [r.subject_id for r in results] == ["c0", "c1", "c2"]


def test_an_edited_policy_is_named_as_the_reason(mini: sp.Policy, tmp_path: Path) -> None:
    edited = tmp_path / "mini.yaml"
    edited.write_text(MINI.read_text().replace("    outcome: hide\n    cites: [\"4.2\"]",
                                               "    outcome: delete\n    cites: [\"4.2\"]"))
    results = list(verify_records(_records(mini), policy=edited))
    assert [r.status for r in results] == ["same", "changed", "same"]
    changed = results[1]
    assert changed.differences == ["outcome hide -> delete"]
    assert changed.reasons[0].startswith("policy changed: mini_council v2.0")
    assert "policy changed" in results[0].reasons[0]  # noted even where the answer held


def test_a_different_result_from_the_same_inputs_is_reported(mini: sp.Policy) -> None:
    record = _records(mini)[1]
    record["outcome"] = "leave"
    record["cited_clauses"] = ["4.3", "4.4"]
    (result,) = verify_records([record], policy=MINI)
    assert result.status == "changed"
    assert result.differences == ["outcome leave -> hide", "cited clauses +4.2 -4.3"]
    assert result.reasons == ["same policy, library, engine and detectors, but a different "
                              "result"]


def test_library_change_is_a_reason(mini: sp.Policy) -> None:
    record = _records(mini)[2]
    record["library_version"] = "0.0.1"
    record["outcome"] = "hide"
    (result,) = verify_records([record], policy=MINI)
    assert result.status == "changed"
    assert any(r.startswith("library changed: socialpolicy 0.0.1 ->") for r in result.reasons)


def test_records_that_cannot_be_verified_say_why(mini: sp.Policy) -> None:
    good = _records(mini)[0]
    digest_only = mini.decide(comment()).record(include_subject=False)
    altered = json.loads(json.dumps(good))
    altered["subject"]["labels"] = ["spam"]
    results = list(verify_records([digest_only, altered, 7], policy=MINI))
    assert [r.status for r in results] == ["unverifiable"] * 3
    assert "only the subject's digest" in results[0].reasons[0]
    assert "altered" in results[1].reasons[0]
    assert "not a record" in results[2].reasons[0]


def test_records_name_their_own_policy() -> None:
    policy = sp.load_policy("mhra", engine="reference")
    record = policy.decide(comment(labels={"spam"})).record()
    (result,) = verify_records([record])
    assert result.status == "same"


# ---- Python 3.13: durable falls back to the reference engine --------------------------------

def test_durable_falls_back_with_one_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "DURABLE_RUNS_HERE", False)
    monkeypatch.setattr(engines, "_FALLBACK_WARNED", type(engines._FALLBACK_WARNED)())
    with pytest.warns(RuntimeWarning, match="using the pure-Python reference engine") as caught:
        policy = sp.load_policy(MINI)
    assert len(caught) == 1
    assert policy.engine == "reference"
    assert policy.decide(comment(labels={"spam"})).outcome == "hide"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sp.load_policy(MINI).engine == "reference"  # once per process


def test_durable_stays_durable_where_it_runs() -> None:
    if not engines.DURABLE_RUNS_HERE:
        pytest.skip("durable_rules does not run on this Python; the fallback test covers it")
    assert sp.load_policy(MINI).engine == "durable"
