"""JSON Schema for what goes in and what comes out, for callers in other languages.

Subjects' schemas come straight from the pydantic models, so they cannot drift. Decisions and
records are plain dataclasses and dicts, so their schemas are written out here, closed
(`additionalProperties: false`), and a test validates real `to_dict()` and `record()` output
against them: a key added to either must be described here too.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .errors import InputError
from .subjects import AccountRequest, Comment, StaffPost, subject_adapter
from .vocab import Outcome

__all__ = ["SCHEMA_NAMES", "json_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_STRS = {"type": "array", "items": _STR}
_KINDS = {"enum": ["comment", "staff_post", "account_request"]}


def _object(properties: dict[str, Any], description: str,
            optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties,
            "required": [name for name in properties if name not in optional],
            "additionalProperties": False}


_ACTION = _object({
    "kind": {**_STR, "description": "report_to_platform, escalate, signpost, ..."},
    "target": {**_OPT_STR, "description": "who, for escalate and signpost"},
    "detail": _OPT_STR,
    "cites": {**_STRS, "description": "ids of the clauses behind this action"},
}, "something to do")

_CITATION = _object({
    "policy_id": _STR, "clause_id": _STR, "title": _STR,
    "text": {**_STR, "description": "the clause, quoted verbatim from the source document"},
}, "a clause behind the decision")

_EVIDENCE = _object({
    "detector": _STR, "field": {**_STR, "description": "the text field read, e.g. account.bio"},
    "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0},
    "text": {**_STR, "description": "the matched text"},
    "fact": {**_STR, "description": "the label or derived fact it set, e.g. label.profanity"},
}, "a span of the subject's text a detector matched")

_FINDING = _object({
    "rule_id": _STR, "outcome": {"enum": [str(o) for o in Outcome]},
    "actions": {"type": "array", "items": _ACTION}, "cites": _STRS, "reason": _STR,
    "evidence": {"type": "array", "items": _EVIDENCE},
}, "one rule that fired")

_ROW_ERROR = _object({
    "type": {**_STR, "description": "pydantic's error type for a validation problem (missing, "
             "literal_error, unknown_label, ...); the exception's class name when deciding "
             "failed (SubjectKindError, CalendarRangeError, EngineError, ...); from the command "
             "line also json_invalid, duplicate_key or unicode_decode"},
    "loc": {"type": "array", "items": {"type": ["string", "integer"]},
            "description": "where in the row, e.g. [\"staff_post\", \"account\", \"kind\"]; "
            "empty when the row as a whole is at fault"},
    "message": _STR,
}, "why a row was not decided")

DECISION_SCHEMA: dict[str, Any] = {
    "$schema": _DIALECT,
    "title": "Decision",
    **_object({
        "outcome": {"enum": [str(o) for o in Outcome],
                    "description": "the most severe outcome of the rules that fired; "
                    "not_covered, or error for a row that was not decided"},
        "kind": {"enum": [*_KINDS["enum"], None]},
        "reason": _STR,
        "policy_id": _STR,
        "policy_version": _STR,
        "actions": {"type": "array", "items": _ACTION},
        "citations": {"type": "array", "items": _CITATION},
        "findings": {"type": "array", "items": _FINDING},
        "respond_by": {"type": ["string", "null"], "format": "date-time"},
        "warnings": _STRS,
        "engine": _STR,
        "row": {"type": ["integer", "null"], "minimum": 0,
                "description": "position in the input (decide_many, the command line)"},
        "error": {**_OPT_STR, "description": "why the row was not decided, in one line"},
        "detected": {**_STRS, "description": "labels a detector added to the caller's"},
        "subject_id": {**_OPT_STR, "description": "the subject's own `id`, passed through"},
        "error_detail": {"type": "array", "items": _ROW_ERROR,
                         "description": "each reason the row was not decided, structured"},
        "line": {"type": "integer", "minimum": 1,
                 "description": "command line, JSON Lines input: the line the row was on"},
    }, "what a policy decides for one subject (`Decision.to_dict()`, a `decide` output row)",
        optional=("line",)),
}

RECORD_SCHEMA: dict[str, Any] = {
    "$schema": _DIALECT,
    "title": "Decision record",
    **_object({
        "record_version": {"const": 1},
        "decision_id": {**_STR, "format": "uuid"},
        "timestamp": {**_STR, "format": "date-time", "description": "when the record was made"},
        "subject_id": _OPT_STR,
        "kind": {"enum": [*_KINDS["enum"], None]},
        "subject_sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$",
                           "description": "SHA-256 of the subject's canonical JSON (sorted "
                           "keys, sorted labels, UTF-8, no spaces)"},
        "subject": {"type": ["object", "null"],
                    "description": "the subject, every field given (absent when the record "
                    "keeps only the digest)"},
        "outcome": {"enum": [str(o) for o in Outcome]},
        "actions": {"type": "array", "items": _object(
            {"kind": _STR, "target": _OPT_STR}, "an action")},
        "cited_clauses": _STRS,
        "respond_by": {"type": ["string", "null"], "format": "date-time"},
        "warnings": _STRS,
        "error": _OPT_STR,
        "policy": _object({"id": _STR, "version": _STR,
                           "digest": {**_STR, "description": "SHA-256 of the policy file"}},
                          "which exact policy text decided"),
        "engine": _STR,
        "library_version": _STR,
        "detectors": {"type": "object", "additionalProperties": _STR,
                      "description": "name -> version of each detector that read the text"},
    }, "a verifiable record of one decision (`Decision.record()`, `decide --records`)",
        optional=("subject",)),
}

_SUBJECTS: dict[str, type[BaseModel]] = {
    "comment": Comment, "staff_post": StaffPost, "account_request": AccountRequest}

#: Every name `json_schema` (and `socialpolicy schema`) knows.
SCHEMA_NAMES = ("comment", "staff_post", "account_request", "subject", "decision", "record")


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called `name` (one of SCHEMA_NAMES); `subject` is any of the three."""
    if name in _SUBJECTS:
        return {"$schema": _DIALECT, **_SUBJECTS[name].model_json_schema()}
    if name == "subject":
        return {"$schema": _DIALECT, "title": "Subject", **subject_adapter.json_schema()}
    if name == "decision":
        return DECISION_SCHEMA
    if name == "record":
        return RECORD_SCHEMA
    raise InputError(f"no schema called `{name}`; known: {', '.join(SCHEMA_NAMES)}")
