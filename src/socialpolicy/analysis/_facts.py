"""What the exact analysis knows about derived facts: which are functions of other attributes
(substituted by their definitions), and which are read from text but constrained by others.

This mirrors `signals.derive`; the witness re-check (facts derived again from the built subject,
then decided on both engines) catches any drift between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from typing import TYPE_CHECKING, Any

from .. import vocab
from ..policy.model import PolicyDocument
from ..signals import _EITHER

if TYPE_CHECKING:
    from .space import Function, Space

#: Derived facts holding one of several values (`capacity`), by key.
ENUM_FACTS: dict[str, tuple[str, ...]] = {
    f"fact.{name}": choices for name, choices in getattr(vocab, "ENUM_FACTS", {}).items()}
WORDING = "fact." + getattr(vocab, "WORDING_FACT_PREFIX", "wording_")
_NAMES_ORG = ("fact.handle_names_org", "fact.display_name_names_org", "fact.bio_names_org")
_EMPLOYER = "fact.account_names_employer"
_CLOSED_PLATFORMS = ("whatsapp",)

#: Facts computed from other attributes, and the attributes they are computed from.
DEFINED: dict[str, tuple[str, ...]] = {
    **{key: tuple(parts) for key, parts in _EITHER.items()},
    "fact.published": ("field.account.public", "field.format", "field.platform"),
    "fact.capacity": ("field.account.kind", "field.about_employer", _EMPLOYER),
}
#: Facts read from text that other attributes constrain, and those attributes.
CONSTRAINED: dict[str, tuple[str, ...]] = {
    "fact.proposed_handle_names_org": ("field.proposed_handle",),
    _EMPLOYER: (*_NAMES_ORG, "field.author.employment"),
    "fact.bio_claims_official": ("fact.bio_names_org", _EMPLOYER),
    "fact.bio_has_work_contact": ("fact.bio_has_contact",),
}


def needs(key: str) -> tuple[str, ...]:
    """The attributes a condition on `key` brings into the space (itself unless defined)."""
    if key in DEFINED:
        return tuple(k for part in DEFINED[key] for k in needs(part))
    if key.startswith(WORDING):
        return (key, "fact.text_has_disclaimer", "fact.bio_has_disclaimer")
    return (key, *(k for part in CONSTRAINED.get(key, ()) for k in needs(part)))


def _any(space: Space, nodes: Sequence[Function]) -> Function:
    return reduce(lambda a, b: a | b, nodes, space.false)


def definition(space: Space, key: str, value: Any) -> Function:
    """The subjects on which defined fact `key` has `value`."""
    if key in _EITHER:
        node = _any(space, [space.node(part, True) for part in _EITHER[key]])
        return node if value else ~node
    if key == "fact.published":
        node = (space.node("field.account.public", True)
                & ~space.node("field.format", "direct_message")
                & ~_any(space, [space.node("field.platform", p) for p in _CLOSED_PLATFORMS]))
        return node if value else ~node
    if key == "fact.capacity":
        official = (space.node("field.account.kind", "corporate")
                    | space.node("field.account.kind", "departmental"))
        professional = ~official & (space.node("field.account.kind", "professional")
                                    | space.node("field.about_employer", True)
                                    | space.node(_EMPLOYER, True))
        return {"official": official, "professional": professional,
                "personal": ~official & ~professional}[value]
    raise KeyError(key)


def constraints(space: Space, documents: Sequence[PolicyDocument]) -> Function:
    """What real subjects satisfy among the text-read facts (under every document)."""
    valid = space.true
    has: Callable[[str], bool] = lambda key: key in space.by_key  # noqa: E731
    if has("fact.proposed_handle_names_org") and has("field.proposed_handle"):
        valid &= ~space.node("fact.proposed_handle_names_org", True) | space.node(
            "field.proposed_handle", True)
    for fact in (*_NAMES_ORG, "fact.proposed_handle_names_org"):
        if has(fact) and any(not d.names for d in documents):
            valid &= space.node(fact, False)
    if has("fact.out_of_hours") and any(d.working_hours is None for d in documents):
        valid &= space.node("fact.out_of_hours", False)
    if has(_EMPLOYER):
        names = _any(space, [space.node(k, True) for k in _NAMES_ORG if has(k)])
        valid &= ~names | space.node(_EMPLOYER, True)  # naming the organisation names it
        declared = set.intersection(*(set(getattr(d, "employer_names", {}) or {})
                                      for d in documents)) if documents else set()
        employer = _any(space, [space.node("field.author.employment", e)
                                for e in sorted(declared)
                                if e in space.by_key["field.author.employment"].choices])
        valid &= ~space.node(_EMPLOYER, True) | names | employer
    if has("fact.bio_claims_official"):
        valid &= ~space.node("fact.bio_claims_official", True) | space.node(
            "fact.bio_names_org", True) | space.node(_EMPLOYER, True)
    if has("fact.bio_has_work_contact"):
        valid &= ~space.node("fact.bio_has_work_contact", True) | space.node(
            "fact.bio_has_contact", True)
    for attr in space.attributes:
        if attr.key.startswith(WORDING):
            name = attr.key.removeprefix(WORDING)
            if not all(name in (getattr(d, "prescribed_wordings", {}) or {}) for d in documents):
                valid &= space.node(attr.key, False)
            valid &= ~space.node(attr.key, True) | space.node(
                "fact.text_has_disclaimer", True) | space.node("fact.bio_has_disclaimer", True)
    return valid
