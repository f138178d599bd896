"""What a detector may know beyond the text it reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..policy.model import PublicContacts


@dataclass(frozen=True, slots=True)
class DetectionContext:
    """What detectors may know beyond the subject: the policy's organisation names, disclaimer
    wordings and published contact details, and the caller's staff directory (full names)."""

    names: tuple[str, ...] = ()
    disclaimers: tuple[str, ...] = ()
    staff: tuple[str, ...] = ()
    contacts: PublicContacts = field(default_factory=PublicContacts)
