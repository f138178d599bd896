"""From a point of the subject space to a concrete subject, and back through the real engines.

A witness is built so that the library's own detectors derive exactly the intended facts from it
(an organisation name in the handle, a disclaimer in the bio, a posting time out of hours); the
facts are then re-derived and compared, and the subject is decided on both engines. Any
disagreement raises `AnalysisError`: an exact answer is never reported unchecked.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..decision import Decision
from ..engine import Policy
from ..engines import EngineName
from ..errors import AnalysisError as AnalysisError  # its home before it was public
from ..policy.model import PolicyDocument
from ..signals import derive
from ..subjects import Subject, subject_adapter
from ..vocab import SubjectKind
from ._facts import WORDING
from .semantics import PARTS, Signature
from .space import Space, Values

_LONDON = ZoneInfo("Europe/London")
_IN_HOURS = datetime(2026, 3, 4, 11, 0, tzinfo=_LONDON)  # a Wednesday, no bank holiday
_OUT_OF_HOURS = datetime(2026, 3, 8, 3, 0, tzinfo=_LONDON)  # a Sunday night
_NEUTRAL = {"comment": "Thanks for the update.",
            "staff_post": "Lovely walk along the seafront this morning."}
_DISCLAIMER = "Views are my own."
_PRESENT = {"proposed_handle": "@wellbeing_updates", "stakeholder_group": "carers",
            "operational_need": "out-of-hours incident updates"}
_TEMPLATES: dict[SubjectKind, dict[str, Any]] = {
    "comment": {"kind": "comment", "platform": "facebook", "text": _NEUTRAL["comment"],
                "author": "@a_resident", "posted_at": _IN_HOURS.isoformat()},
    "staff_post": {"kind": "staff_post", "platform": "x", "text": _NEUTRAL["staff_post"],
                   "posted_at": _IN_HOURS.isoformat(), "account": {"handle": "@jsmith"}},
    "account_request": {"kind": "account_request", "platform": "x", "purpose": "department"},
}


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _get(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _org_word(documents: Sequence[PolicyDocument]) -> str:
    """A run of organisation names every document recognises (`MSEICB`, `HRA`)."""
    names = [d.names[0].replace(" ", "") for d in documents if d.names]
    return "_".join(dict.fromkeys(names))


def _texts(kind: SubjectKind, want: Values, documents: Sequence[PolicyDocument],
           data: dict[str, Any]) -> None:
    """Rewrite the text fields so detectors derive exactly the wanted facts."""
    org = _org_word(documents)
    if kind == "comment":
        data["text"] = _NEUTRAL["comment"]
    elif kind == "staff_post":
        _staff_texts(want, documents, data, org)
    elif want.get("fact.proposed_handle_names_org"):
        data["proposed_handle"] = f"@{org}_updates"
    elif data.get("proposed_handle"):
        data["proposed_handle"] = _PRESENT["proposed_handle"]


def _staff_texts(want: Values, documents: Sequence[PolicyDocument], data: dict[str, Any],
                 org: str) -> None:
    """A staff post's text, handle, display name and bio for the wanted facts."""
    account = data.setdefault("account", {})
    employment = (data.get("author") or {}).get("employment", "employee")
    employers = [n for d in documents
                 for n in (getattr(d, "employer_names", {}) or {}).get(employment, ())[:1]]
    wordings = [w.text for d in documents[:1]
                for name, w in (getattr(d, "prescribed_wordings", {}) or {}).items()
                if want.get(f"{WORDING}{name}")]
    in_text = bool(want.get("fact.text_has_disclaimer"))
    text = [_NEUTRAL["staff_post"]]
    text += wordings if in_text else []
    if in_text and not wordings:
        text.append(_DISCLAIMER)
    data["text"] = " ".join(text)
    names_org = any(want.get(k) for k in ("fact.handle_names_org",
                                          "fact.display_name_names_org", "fact.bio_names_org"))
    employer_only = bool(want.get("fact.account_names_employer")) and not names_org
    claims = bool(want.get("fact.bio_claims_official"))
    account["handle"] = f"@jo_{org}" if want.get("fact.handle_names_org") else "@jsmith"
    display = ["Jo Smith"]
    if want.get("fact.display_name_names_org"):
        display.append(org)
    if employer_only and employers and not claims:
        display.append(employers[0])
    account["display_name"] = " ".join(display)
    bio = ["Nurse at " + org + "." if want.get("fact.bio_names_org") else "Nurse."]
    if employer_only and employers and claims:
        bio.append(f"Working for {employers[0]}.")
    if claims:
        bio.append("Official account.")
    if want.get("fact.bio_has_work_contact"):
        bio.append("jo.smith@nhs.net")
    elif want.get("fact.bio_has_contact"):
        bio.append("jo.smith@example.com")
    if want.get("fact.bio_has_disclaimer"):
        bio += ([] if in_text else wordings) or [_DISCLAIMER]
    account["bio"] = " ".join(bio)


def _apply(space: Space, want: Values, documents: Sequence[PolicyDocument],
           data: dict[str, Any]) -> None:
    labels = set(data.get("labels") or ())
    for key, value in want.items():
        prefix, _, name = key.partition(".")
        if prefix == "label":
            labels.add(name) if value else labels.discard(name)
        elif key == "fact.out_of_hours":
            current = datetime.fromisoformat(str(data["posted_at"]))
            hours = [d.working_hours for d in documents if d.working_hours is not None]
            if any(h.is_working_time(current) == value for h in hours):
                data["posted_at"] = (_OUT_OF_HOURS if value else _IN_HOURS).isoformat()
        elif prefix == "field":
            attr = space.by_key[key]
            path = name
            current = _get(data, path)
            if attr.type == "int":
                if current is None or not space.contains(space.equals(key, value),
                                                         {key: current}):
                    _set(data, path, value)
            elif path in _PRESENT and attr.type == "bool":
                if bool(current) != value:
                    _set(data, path, _PRESENT[path] if value else None)
            else:
                _set(data, path, value)
    data["labels"] = sorted(labels)


def realize(space: Space, want: Values, documents: Sequence[PolicyDocument],
            base: Subject | None = None) -> Subject:
    """A subject whose derived facts under every document are `want` (on the space)."""
    data = base.model_dump(mode="json") if base is not None else dict(_TEMPLATES[space.kind])
    _apply(space, want, documents, data)
    subject = subject_adapter.validate_python(data)
    if _mismatch(space, subject, want, documents):
        _texts(space.kind, want, documents, data)
        _apply(space, want, documents, data)
        subject = subject_adapter.validate_python(data)
        wrong = _mismatch(space, subject, want, documents)
        if wrong:
            raise AnalysisError(f"cannot build a {space.kind} with {space.describe_values(want)}:"
                                f" the library derives {wrong} instead")
    return subject


def _mismatch(space: Space, subject: Subject, want: Values,
              documents: Sequence[PolicyDocument]) -> dict[str, Any]:
    wrong: dict[str, Any] = {}
    for document in documents:
        facts, _ = derive(subject, document)
        got = space.from_facts(facts)
        for key, value in want.items():
            if not space.contains(space.equals(key, value), {key: got[key]}):
                wrong[key] = got[key]
    return wrong


def engines() -> tuple[EngineName, ...]:
    """The engines a witness is decided on: both, where durable_rules imports."""
    if sys.version_info >= (3, 13):
        return ("reference",)
    return ("reference", "durable")


def bound(policy: Policy, engine: EngineName) -> Policy:
    """The same compiled policy (by IR content) on another engine."""
    if policy.engine == engine:
        return policy
    key = (hashlib.sha256(json.dumps(policy.ir, sort_keys=True).encode()).hexdigest(), engine)
    found = _BOUND.get(key)
    if found is None:
        found = _BOUND[key] = Policy(policy.document, policy.ir, engine)
    return found


_BOUND: dict[tuple[str, str], Policy] = {}


def deadline_days(policy: Policy, decision: Decision, subject: Subject) -> int | None:
    """The working days behind a decision's response deadline (None without one)."""
    fired = {f.rule_id for f in decision.findings}
    days = [r.respond_within_working_days for r in policy.rules
            if r.id in fired and r.respond_within_working_days]
    return min(days) if days and decision.respond_by is not None else None


def verify(policy: Policy, subject: Subject, expected: Signature,
           parts: Sequence[str] = PARTS) -> Decision:
    """Decide `subject` on every engine and check each decision has `expected`'s parts."""
    decision: Decision | None = None
    for engine in engines():
        current = bound(policy, engine)
        decision = current.decide(subject)
        got = Signature.of(decision, deadline_days(current, decision, subject))
        if got.restricted(parts) != expected.restricted(parts):
            raise AnalysisError(
                f"exact analysis expected {expected.to_dict()} from policy `{policy.id}` but the "
                f"{engine} engine decided {got.to_dict()} for {subject.model_dump(mode='json')}")
    assert decision is not None
    return decision
