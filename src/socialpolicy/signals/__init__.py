"""The detect stage: from a subject to the flat facts the rules test, with evidence.

Detectors read a subject's text fields and report spans; each span sets a label
(`label.personal_details`) or a derived fact (`fact.handle_names_org`) and is kept as evidence
an analyst can check. Caller labels always stand: a detector only adds. A caller may pass its
own list of detectors (`detectors=` on `Policy.decide`), to switch some off or add its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple, Protocol, runtime_checkable

from ..decision import Evidence
from ..errors import DetectorError
from ..policy.model import PolicyDocument
from ..subjects import CONDITION_FIELDS, Comment, StaffPost, Subject, field_value
from ..vocab import DERIVED_FACTS, LABELS, SubjectKind
from . import _capacity, _contact, _disclaimers, _names, _profanity
from ._context import DetectionContext
from ._text import MAX_TEXT_CHARS, Text, normalise

__all__ = [
    "DEFAULT_DETECTORS",
    "MAX_TEXT_CHARS",
    "TEXT_FIELDS",
    "DetectionContext",
    "Detector",
    "Text",
    "TextDetector",
    "check_detectors",
    "derive",
    "detected_labels",
    "evidence_for",
    "evidence_keys",
    "normalise",
    "text_warnings",
]

Facts = dict[str, Any]
Span = tuple[int, int]
Target = tuple[SubjectKind, str]

#: The free-text fields a detector may read, per subject kind.
TEXT_FIELDS: dict[SubjectKind, tuple[str, ...]] = {
    "comment": ("text", "author"),
    "staff_post": ("text", "account.handle", "account.display_name", "account.bio"),
    "account_request": ("proposed_handle", "stakeholder_group", "operational_need"),
}

#: Derived facts that are true when any of their parts is.
_EITHER: dict[str, tuple[str, ...]] = {
    "fact.has_disclaimer": ("fact.text_has_disclaimer", "fact.bio_has_disclaimer"),
}


@runtime_checkable
class Detector(Protocol):
    """Reads text fields and reports spans, each setting a label or derived fact.

    `targets` maps (subject kind, text field) to the key a span sets: `label.<name>` or
    `fact.<name>`. `find` gets the field's normalised text and returns (start, end) spans in
    `text.folded` (`text.kept` has the same offsets); the library maps them back to the
    caller's text for the evidence.
    """

    @property
    def name(self) -> str: ...

    @property
    def targets(self) -> Mapping[Target, str]: ...

    def find(self, text: Text, context: DetectionContext) -> Iterable[Span]: ...


@dataclass(frozen=True, slots=True)
class TextDetector:
    """A detector from a function: the simplest way to supply your own."""

    name: str
    targets: Mapping[Target, str]
    function: Callable[[Text, DetectionContext], Iterable[Span]] = field(repr=False)
    description: str = ""

    def find(self, text: Text, context: DetectionContext) -> Iterable[Span]:
        return self.function(text, context)


_PERSONAL: Mapping[Target, str] = {("comment", "text"): "label.personal_details"}
# In a staff post an NHS number or a personal phone number identifies a patient or member of
# the public (MSE ICB 7.1.8, HRA 3.1); the organisation's own published numbers never count.
_IDENTIFIER: Mapping[Target, str] = {("comment", "text"): "label.personal_details",
                                     ("staff_post", "text"): "label.patient_identifiable"}
_PROFANITY: Mapping[Target, str] = {("comment", "text"): "label.profanity",
                                    ("staff_post", "text"): "label.profanity"}
_MILD: Mapping[Target, str] = {("comment", "text"): "fact.profanity_mild",
                               ("staff_post", "text"): "fact.profanity_mild"}
_STRONG: Mapping[Target, str] = {("comment", "text"): "fact.profanity_strong",
                                 ("staff_post", "text"): "fact.profanity_strong"}
_SLUR: Mapping[Target, str] = {("comment", "text"): "fact.slur_detected",
                               ("staff_post", "text"): "fact.slur_detected"}
_STAFF: Mapping[Target, str] = {("comment", "text"): "label.names_staff"}
_ORG_NAME: Mapping[Target, str] = {
    ("staff_post", "account.handle"): "fact.handle_names_org",
    ("staff_post", "account.display_name"): "fact.display_name_names_org",
    ("staff_post", "account.bio"): "fact.bio_names_org",
    ("account_request", "proposed_handle"): "fact.proposed_handle_names_org",
}
_DISCLAIMER: Mapping[Target, str] = {("staff_post", "text"): "fact.text_has_disclaimer",
                                     ("staff_post", "account.bio"): "fact.bio_has_disclaimer"}

#: The built-in detectors, in the order they run. Pass a filtered copy, or your own list, as
#: `detectors=` to `Policy.decide` to switch some off or add your own.
DEFAULT_DETECTORS: tuple[Detector, ...] = (
    TextDetector("phone_number", _IDENTIFIER, _contact.phone_numbers,
                 "UK mobile and landline numbers as people write them"),
    TextDetector("email", _PERSONAL, _contact.emails, "email addresses"),
    TextDetector("postal_address", _PERSONAL, _contact.postal_addresses,
                 "a street address ending in a UK postcode"),
    TextDetector("nhs_number", _IDENTIFIER, _contact.nhs_numbers,
                 "NHS numbers that pass the check digit"),
    TextDetector("profanity", _PROFANITY, _profanity.profanity,
                 "strong swearing, obscenity or a slur, disguised or not"),
    TextDetector("profanity_mild", _MILD, _profanity.mild,
                 "mild swearing: bloody, bugger, arse, pissed off"),
    TextDetector("profanity_strong", _STRONG, _profanity.strong,
                 "strong swearing and obscenity, not slurs"),
    TextDetector("slur", _SLUR, _profanity.slurs,
                 "slurs on race, sexuality, gender identity or disability"),
    TextDetector("staff_name", _STAFF,
                 lambda text, context: _names.staff_names(text, _private_staff(context)),
                 "members of staff from the caller's directory, named in a comment"),
    TextDetector("org_name", _ORG_NAME,
                 lambda text, context: _names.org_names(text, context.names),
                 "the organisation's names and abbreviations, on whole words"),
    TextDetector("disclaimer", _DISCLAIMER,
                 lambda text, context: _disclaimers.disclaimers(text, context.disclaimers),
                 "\"views are my own\" and variants, and the policy's own wordings"),
)


_private: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())


def _private_staff(context: DetectionContext) -> tuple[str, ...]:
    """The staff directory less the names the policy publishes as public contacts; the last
    answer is kept (by identity), since a batch asks it for every row."""
    global _private
    public, staff = context.contacts.names, context.staff
    if not public:
        return staff
    last = _private
    if last[0] is staff and last[1] is public:
        return last[2]
    private = tuple(s for s in staff if s not in public)
    _private = (staff, public, private)
    return private


def check_detectors(detectors: Sequence[Detector]) -> None:
    """Raise DetectorError unless every detector has a unique name and targets a text field
    and a label or derived fact of that kind."""
    seen: set[str] = set()
    for detector in detectors:
        name = getattr(detector, "name", None)
        if not isinstance(detector, Detector) or not isinstance(name, str):
            raise DetectorError(
                f"`{detector!r}` is not a detector; give it `name`, `targets` and `find`, or "
                "build one with socialpolicy.signals.TextDetector")
        if name in seen:
            raise DetectorError(f"two detectors are named `{name}`; give each a unique name")
        seen.add(name)
        for (kind, path), key in detector.targets.items():
            fields = TEXT_FIELDS.get(kind)
            if fields is None or path not in fields:
                known = ", ".join(f"{k}.{f}" for k, fs in TEXT_FIELDS.items() for f in fs)
                raise DetectorError(f"detector `{name}` reads `{kind}.{path}`, which is not a "
                                    f"text field; text fields: {known}")
            prefix, _, rest = key.partition(".")
            allowed = LABELS[kind] if prefix == "label" else (
                DERIVED_FACTS[kind] if prefix == "fact" else ())
            if rest not in allowed:
                raise DetectorError(f"detector `{name}` sets `{key}`, which is not a label or "
                                    f"derived fact of a {kind}; use `label.<name>` or "
                                    "`fact.<name>` from the vocabulary")


class _Step(NamedTuple):
    """One detector reading one field: what `detect` runs, worked out once per detector list."""

    name: str
    find: Callable[[Text, DetectionContext], Iterable[Span]]
    field: int  # index into `_Reads.paths`
    path: str
    key: str


@dataclass(frozen=True, slots=True)
class _Reads:
    steps: tuple[_Step, ...]  # in the order detectors and their targets are listed
    paths: tuple[str, ...]  # every field read, in the order first read
    getters: tuple[Callable[[Subject], Any], ...]  # one per path


def _reads(kind: SubjectKind, detectors: Sequence[Detector]) -> _Reads:
    """What `detectors` read in a subject of `kind`: built-in detectors are worked out once."""
    if detectors is DEFAULT_DETECTORS:
        return _DEFAULT_READS[kind]
    return _build_reads(kind, detectors)


def _build_reads(kind: SubjectKind, detectors: Sequence[Detector]) -> _Reads:
    steps = []
    paths: dict[str, int] = {}
    for detector in detectors:
        # A TextDetector's function is called directly: one call less per field.
        find = (detector.function if type(detector) is TextDetector
                else detector.find)
        for (target_kind, path), key in detector.targets.items():
            if target_kind == kind:
                index = paths.setdefault(path, len(paths))
                steps.append(_Step(detector.name, find, index, path, key))
    return _Reads(tuple(steps), tuple(paths), tuple(attrgetter(path) for path in paths))


_DEFAULT_READS = {kind: _build_reads(kind, DEFAULT_DETECTORS) for kind in TEXT_FIELDS}


def detect(subject: Subject, detectors: Sequence[Detector],
           context: DetectionContext) -> list[Evidence]:
    """Run every detector on the fields it reads; each field is normalised once."""
    reads = _reads(subject.kind, detectors)
    texts = [normalise(value[:MAX_TEXT_CHARS]) if (value := get(subject)) else None
             for get in reads.getters]
    evidence: list[Evidence] = []
    for name, find, field_index, path, key in reads.steps:
        text = texts[field_index]
        if text is None:
            continue
        for start, end in find(text, context):
            first, last = text.span(start, end)
            evidence.append(Evidence(name, path, first, last, text.original[first:last], key))
    return evidence


def text_warnings(subject: Subject, detectors: Sequence[Detector] | None = None) -> list[str]:
    """A warning for each text field the detectors read only in part (over MAX_TEXT_CHARS)."""
    warnings = []
    reads = _reads(subject.kind, DEFAULT_DETECTORS if detectors is None else detectors)
    for path in sorted(reads.paths):
        value = field_value(subject, path)
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            warnings.append(
                f"`{path}` is {len(value):,} characters long; text detectors read only the "
                f"first {MAX_TEXT_CHARS:,}, so evidence after that was not looked for")
    return warnings


@dataclass(frozen=True, slots=True)
class _Template:
    """A kind's facts before reading a subject: every key in its place, labels and derived
    facts false, and how to fill in the rest."""

    facts: Facts
    labels: dict[str, str]  # label -> its fact key
    fields: tuple[tuple[str, Callable[[Subject], Any], bool], ...]  # key, getter, presence only
    either: tuple[tuple[str, tuple[str, ...]], ...]


def _template(kind: SubjectKind) -> _Template:
    facts: Facts = {"kind": kind}
    labels = {label: f"label.{label}" for label in sorted(LABELS[kind])}
    facts.update(dict.fromkeys(labels.values(), False))
    fields = tuple((f"field.{path}", attrgetter(path), spec.type == "present")
                   for path, spec in CONDITION_FIELDS[kind].items())
    facts.update(dict.fromkeys((key for key, _, _ in fields), None))
    facts.update(dict.fromkeys((f"fact.{name}" for name in DERIVED_FACTS[kind]), False))
    return _Template(facts, labels, fields,
                     tuple((key, parts) for key, parts in _EITHER.items() if key in facts))


_TEMPLATES = {kind: _template(kind) for kind in LABELS}


_last_context: tuple[PolicyDocument | None, tuple[str, ...], DetectionContext] = (
    None, (), DetectionContext())


def _context(doc: PolicyDocument, staff: tuple[str, ...]) -> DetectionContext:
    """What detectors may know under `doc`; the last one is kept (by identity), since a batch
    decides every row under the same policy and directory."""
    global _last_context
    last = _last_context
    if last[0] is doc and last[1] is staff:
        return last[2]
    context = DetectionContext(doc.names, doc.disclaimers, staff, doc.public_contacts)
    _last_context = (doc, staff, context)
    return context


def derive(subject: Subject, doc: PolicyDocument, detectors: Sequence[Detector] | None = None,
           staff_directory: Iterable[str] = ()) -> tuple[Facts, list[Evidence]]:
    """The flat facts for `subject` under `doc`, keyed as conditions address them, and the
    evidence behind every label or fact a detector set."""
    template = _TEMPLATES[subject.kind]
    facts = template.facts.copy()
    keys = template.labels
    for label in subject.labels:
        key = keys.get(label)
        if key is not None:
            facts[key] = True
    for field_key, get, present in template.fields:
        value = get(subject)
        facts[field_key] = (value is not None) if present else value
    if isinstance(subject, Comment):
        hours = doc.working_hours
        facts["fact.out_of_hours"] = bool(hours and not hours.is_working_time(subject.posted_at))
    if detectors is None:
        detectors = DEFAULT_DETECTORS
    evidence: list[Evidence] = []
    if detectors:
        evidence = detect(subject, detectors, _context(doc, tuple(staff_directory)))
    for item in evidence:  # a detected label adds to the caller's; it never removes one
        facts[item.fact] = True
    for key, parts in template.either:
        facts[key] = any(facts[part] for part in parts)
    if isinstance(subject, StaffPost):
        _capacity.capacity_facts(subject, facts, evidence, doc.employer_names,
                                 {w.id: w.text for w in doc.prescribed_wordings.values()})
    return facts, evidence


def detected_labels(subject: Subject, evidence: Iterable[Evidence]) -> list[str]:
    """Labels a detector set that the caller did not assert, sorted."""
    return sorted({item.fact.removeprefix("label.") for item in evidence
                   if item.fact.startswith("label.")} - subject.labels)


def evidence_keys(keys: Iterable[str]) -> frozenset[str]:
    """The fact keys whose evidence stands behind any of `keys`: the keys themselves and the
    parts of any derived fact among them."""
    wanted = set(keys)
    for key, parts in (*_EITHER.items(), *_capacity.EVIDENCE_PARTS.items()):
        if key in wanted:
            wanted.update(parts)
    return frozenset(wanted)


def evidence_for(keys: Iterable[str], evidence: list[Evidence]) -> list[Evidence]:
    """The evidence behind any of the given fact or label keys."""
    wanted = evidence_keys(keys)
    return [item for item in evidence if item.fact in wanted]
