"""Decision records: what was decided, on what, by which exact policy text and code; and
re-deciding a record later to find decisions that would now come out differently.

A record is plain JSON (one line of a JSONL audit log). It names the policy by id, version and
the SHA-256 of its file, the engine, the library version and the detectors that read the text,
so a changed answer can be traced to a changed policy, a changed library, or neither. The
subject is kept whole (so it can be re-decided) or only as its SHA-256 digest (so a log holds no
personal data); the digest is always there, so an altered subject is caught. Nothing is written
anywhere unless the caller asks for records.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from .decision import Decision
from .engine import Policy, load_policy
from .engines import ENGINE_NAMES, EngineName
from .errors import InputError, SocialPolicyError
from .subjects import Subject, subject_adapter

__all__ = ["RECORD_VERSION", "PolicyCache", "Verification", "make_record", "subject_digest",
           "verify_record", "verify_records"]

#: Bumped when a record's layout changes incompatibly.
RECORD_VERSION = 1

Status = Literal["same", "changed", "unverifiable"]


def _library_version() -> str:
    from . import __version__

    return __version__


def _canonical(value: Any) -> Any:
    """Sets have no order: sort every `labels` list so equal subjects digest equally."""
    if isinstance(value, Mapping):
        return {key: sorted(item) if key == "labels" and isinstance(item, list)
                else _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def subject_json(subject: Subject) -> dict[str, Any]:
    """The subject as JSON data, every field given, labels sorted."""
    data: dict[str, Any] = _canonical(subject.model_dump(mode="json"))
    return data


def subject_digest(subject: Subject | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the subject's canonical JSON: sorted keys, sorted labels, UTF-8."""
    data = subject_json(subject) if not isinstance(subject, Mapping) else _canonical(subject)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def detector_versions(detectors: Iterable[Any] | None) -> dict[str, str]:
    """Name -> version of each detector that read the text. Built-in detectors change only with
    the library, so they carry its version; a detector of your own may set `version`."""
    from .signals import DEFAULT_DETECTORS

    builtin = {id(detector) for detector in DEFAULT_DETECTORS}
    used = DEFAULT_DETECTORS if detectors is None else tuple(detectors)
    return {str(detector.name): str(getattr(detector, "version", None) or (
        _library_version() if id(detector) in builtin else "unversioned")) for detector in used}


def make_record(decision: Decision, *, include_subject: bool = True) -> dict[str, Any]:
    """The record behind `Decision.record()`: each call stamps a new decision id and time."""
    subject = decision.subject
    record: dict[str, Any] = {
        "record_version": RECORD_VERSION,
        "decision_id": str(uuid.uuid4()),
        "timestamp": datetime.now(UTC).isoformat(),
        "subject_id": decision.subject_id,
        "kind": decision.kind,
        "subject_sha256": subject_digest(subject) if subject is not None else None,
    }
    if include_subject:
        record["subject"] = subject_json(subject) if subject is not None else None
    record.update({
        "outcome": str(decision.outcome),
        "actions": [{"kind": a.kind, "target": a.target} for a in decision.actions],
        "cited_clauses": [c.clause_id for c in decision.citations],
        "respond_by": decision.respond_by.isoformat() if decision.respond_by else None,
        "warnings": list(decision.warnings),
        "error": decision.error,
        "policy": {"id": decision.policy_id, "version": decision.policy_version,
                   "digest": decision.policy_digest},
        "engine": decision.engine,
        "library_version": _library_version(),
        "detectors": (detector_versions(decision.detectors)
                      if subject is not None else {}),
    })
    return record


# ---- verifying -----------------------------------------------------------------------------

#: What a re-decision must reproduce for a record to count as "same".
COMPARED = ("outcome", "actions", "cited_clauses", "respond_by")


@dataclass(frozen=True, slots=True)
class Verification:
    """One record re-decided: `same`, `changed` (with what changed and the likely why), or
    `unverifiable` (no subject kept, an altered subject, an unknown policy)."""

    index: int
    decision_id: str | None
    subject_id: str | None
    status: Status
    differences: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data, one line of `socialpolicy verify --format jsonl`."""
        return {"index": self.index, "decision_id": self.decision_id,
                "subject_id": self.subject_id, "status": self.status,
                "differences": list(self.differences), "reasons": list(self.reasons)}

    def __str__(self) -> str:
        name = self.subject_id or self.decision_id or f"record {self.index}"
        lines = [f"{self.status}: {name}"]
        lines += [f"  {d}" for d in self.differences]
        lines += [f"  because: {r}" for r in self.reasons]
        return "\n".join(lines)


def _describe(key: str, before: Any, after: Any) -> str:
    if key == "actions":
        was = {(a.get("kind"), a.get("target")) for a in before or [] if isinstance(a, Mapping)}
        now = {(a["kind"], a["target"]) for a in after}
        def name(pair: tuple[Any, Any]) -> str:
            return str(pair[0]) + (f"->{pair[1]}" if pair[1] else "")
        parts = [f"+{name(p)}" for p in sorted(now - was, key=str)]
        parts += [f"-{name(p)}" for p in sorted(was - now, key=str)]
        return "actions " + " ".join(parts)
    if key == "cited_clauses":
        was, now = set(before or []), set(after)
        parts = [f"+{c}" for c in sorted(now - was)] + [f"-{c}" for c in sorted(was - now)]
        return "cited clauses " + " ".join(parts) if parts else "cited clauses reordered"
    return f"{key.replace('_', ' ')} {before} -> {after}"


def _same_actions(before: Any, after: list[dict[str, Any]]) -> bool:
    if not isinstance(before, list):
        return False
    return [(a.get("kind"), a.get("target")) for a in before if isinstance(a, Mapping)] == [
        (a["kind"], a["target"]) for a in after]


def _why(record: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """The inputs to a decision that differ between the record and today."""
    reasons = []
    recorded = record.get("policy")
    then_policy: Mapping[str, Any] = recorded if isinstance(recorded, Mapping) else {}
    if then_policy.get("digest") != now["policy"]["digest"]:
        reasons.append(f"policy changed: {then_policy.get('id')} v{then_policy.get('version')} "
                       f"(digest {str(then_policy.get('digest'))[:12]}) -> "
                       f"{now['policy']['id']} v{now['policy']['version']} "
                       f"(digest {now['policy']['digest'][:12]})")
    if record.get("library_version") != now["library_version"]:
        reasons.append(f"library changed: socialpolicy {record.get('library_version')} -> "
                       f"{now['library_version']}")
    if record.get("engine") != now["engine"]:
        reasons.append(f"engine differs: {record.get('engine')} -> {now['engine']}")
    if record.get("detectors") != now["detectors"]:
        reasons.append(f"detectors differ: {record.get('detectors')} -> {now['detectors']}")
    return reasons


class PolicyCache:
    """Policies loaded once each, by the record's policy id or the caller's override."""

    def __init__(self, override: str | Path | Policy | None, engine: EngineName | None) -> None:
        self._override = override
        self._engine = engine
        self._loaded: dict[tuple[str, str], Policy] = {}

    def get(self, record: Mapping[str, Any]) -> Policy:
        if isinstance(self._override, Policy):
            return self._override
        policy = record.get("policy")
        source = self._override or (policy.get("id") if isinstance(policy, Mapping) else None)
        if not isinstance(source, str | Path):
            raise InputError("the record names no policy; pass one with `policy=` (--policy)")
        recorded = record.get("engine")
        engine = self._engine or (recorded if recorded in ENGINE_NAMES else "durable")
        key = (str(source), engine)
        if key not in self._loaded:
            self._loaded[key] = load_policy(source, engine=engine)
        return self._loaded[key]


def verify_record(index: int, record: Any, policies: PolicyCache) -> Verification:
    """Re-decide one record and say whether, what and (probably) why it changed."""
    if not isinstance(record, Mapping):
        return Verification(index, None, None, "unverifiable",
                            reasons=[f"not a record: a JSON {type(record).__name__}"])
    decision_id = record.get("decision_id") if isinstance(record.get("decision_id"), str) else None
    subject_id = record.get("subject_id") if isinstance(record.get("subject_id"), str) else None

    def unverifiable(reason: str) -> Verification:
        return Verification(index, decision_id, subject_id, "unverifiable", reasons=[reason])

    data = record.get("subject")
    if not isinstance(data, Mapping):
        return unverifiable("the record keeps only the subject's digest; re-deciding needs the "
                            "subject (write records with the subject included)")
    if subject_digest(data) != record.get("subject_sha256"):
        return unverifiable("the subject does not match its recorded SHA-256: the record was "
                            "altered")
    try:
        subject = subject_adapter.validate_python(dict(data))
        policy = policies.get(record)
        decision = policy.decide(subject)
    except ValidationError as exc:
        return unverifiable(f"the subject is no longer valid: {exc}")
    except (SocialPolicyError, ValueError, OSError) as exc:
        return unverifiable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    now = make_record(decision, include_subject=False)
    differences = []
    for key in COMPARED:
        before, after = record.get(key), now[key]
        same = _same_actions(before, after) if key == "actions" else before == after
        if not same:
            differences.append(_describe(key, before, after))
    reasons = _why(record, now)
    if not differences:
        return Verification(index, decision_id, subject_id, "same", reasons=reasons)
    if not reasons:
        reasons = ["same policy, library, engine and detectors, but a different result"]
    return Verification(index, decision_id, subject_id, "changed", differences, reasons)


def verify_records(records: Iterable[Any], policy: str | Path | Policy | None = None,
                   engine: EngineName | None = None) -> Iterator[Verification]:
    """Re-decide each record (under `policy`, or the policy id it names) and yield one
    Verification per record, in order."""
    policies = PolicyCache(policy, engine)
    for index, record in enumerate(records):
        yield verify_record(index, record, policies)
