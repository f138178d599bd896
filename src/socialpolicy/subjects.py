"""The three subjects a policy decides on (DESIGN 3): frozen, strict pydantic models.

Also the one description of which subject fields a policy condition may test, derived from the
models themselves so the checker, the compiler and the engines cannot drift apart.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .vocab import (
    COMMENT_LABELS,
    STAFF_POST_LABELS,
    AccountKind,
    AccountPurpose,
    CommentChannel,
    CommentPlatform,
    Employment,
    PostFormat,
    StaffPlatform,
    SubjectKind,
    UserNeedsEvidence,
    closest,
)


def _label_checker(known: frozenset[str], kind: str) -> AfterValidator:
    def check(labels: frozenset[str]) -> frozenset[str]:
        for label in sorted(labels):
            if label not in known:
                guess = closest(label, known)
                hint = f", did you mean `{guess}`?" if guess else f"; known {kind} labels: " + (
                    ", ".join(sorted(known)) or "none")
                raise PydanticCustomError(
                    "unknown_label", "unknown {kind} label `{label}`{hint}",
                    {"kind": kind, "label": label, "hint": hint},
                )
        return labels

    return AfterValidator(check)


CommentLabels = Annotated[frozenset[str], _label_checker(COMMENT_LABELS, "comment")]
StaffPostLabels = Annotated[frozenset[str], _label_checker(STAFF_POST_LABELS, "staff-post")]
RequestLabels = Annotated[frozenset[str], _label_checker(frozenset(), "account-request")]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "naive_datetime",
            "datetime `{value}` has no timezone: working hours and deadlines depend on it; "
            "add an offset such as `+00:00` or `Z`",
            {"value": value.isoformat()},
        )
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


#: The caller's own id for a subject (a queue's comment id, a case number): echoed as
#: `Decision.subject_id` and kept in records, never read by a rule.
SubjectId = Annotated[str | None, Field(min_length=1, max_length=256)]


class Author(_Model):
    """Who posted or asked: their relationship to the organisation."""

    employment: Employment = "employee"
    is_communications_team: bool = False


class Account(_Model):
    """The account a staff post was made from."""

    handle: str
    display_name: str = ""
    bio: str = ""
    kind: AccountKind = "personal"
    public: bool = True
    uses_org_branding: bool = False
    has_branding_dispensation: bool = False
    known_to_comms_team: bool = False


class Comment(_Model):
    """A comment, reply, mention or direct message from a member of the public."""

    kind: Literal["comment"] = "comment"
    id: SubjectId = None
    platform: CommentPlatform
    channel: CommentChannel = "comment"
    text: str
    author: str
    posted_at: AwareDatetime
    labels: CommentLabels = frozenset()
    author_prior_removals: int = Field(default=0, ge=0)


class StaffPost(_Model):
    """Something a member of staff posted, with the account it came from."""

    kind: Literal["staff_post"] = "staff_post"
    id: SubjectId = None
    platform: StaffPlatform
    format: PostFormat = "post"
    text: str
    posted_at: AwareDatetime
    account: Account
    author: Author = Author()
    about_employer: bool = False
    labels: StaffPostLabels = frozenset()


class AccountRequest(_Model):
    """A request to open an account, blog or survey, use the brand, or reach corporate accounts."""

    kind: Literal["account_request"] = "account_request"
    id: SubjectId = None
    platform: StaffPlatform
    purpose: AccountPurpose
    proposed_handle: str | None = None
    requested_by: Author = Author()
    objectives_and_kpis: bool = False
    approved_comms_plan: bool = False
    content_plan: bool = False
    editorial_purpose: bool = False
    corporate_monitoring: bool = False
    internal_comms: bool = False
    comms_team_approved: bool = False
    authorisation_form: bool = False
    secure_login: bool = False
    stakeholder_group: str | None = None
    user_needs_evidence: UserNeedsEvidence = "none"
    checks_per_day: int = Field(default=0, ge=0)
    operational_need: str | None = None
    labels: RequestLabels = frozenset()

    @field_validator("stakeholder_group", "operational_need", "proposed_handle")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        # An empty string means "not given"; treating it as present would approve on nothing.
        return value if value is None or value.strip() else None


Subject = Union[Comment, StaffPost, AccountRequest]  # noqa: UP007 (runtime union for TypeAdapter)
SUBJECT_MODELS: dict[SubjectKind, type[_Model]] = {
    "comment": Comment,
    "staff_post": StaffPost,
    "account_request": AccountRequest,
}
subject_adapter: TypeAdapter[Subject] = TypeAdapter(
    Annotated[Subject, Field(discriminator="kind")]
)


def kind_of(subject: Subject) -> SubjectKind:
    return subject.kind


# ---- what a condition may test -------------------------------------------------------------

FieldType = Literal["enum", "bool", "int", "present"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A testable subject field: its dotted path, type and (for enums) its values."""

    path: str
    type: FieldType
    choices: tuple[str, ...] = ()


def _specs(model: type[BaseModel], prefix: str = "") -> dict[str, FieldSpec]:
    specs: dict[str, FieldSpec] = {}
    for name, info in model.model_fields.items():
        if not prefix and name in ("kind", "labels", "id"):
            continue  # `id` is the caller's, never a rule's: durable also hangs on a top-level id
        path = prefix + name
        annotation: Any = info.annotation
        origin = get_origin(annotation)
        if origin is Literal:
            specs[path] = FieldSpec(path, "enum", tuple(get_args(annotation)))
        elif annotation is bool:
            specs[path] = FieldSpec(path, "bool")
        elif annotation is int:
            specs[path] = FieldSpec(path, "int")
        elif origin in (Union, types.UnionType) and type(None) in get_args(annotation):
            specs[path] = FieldSpec(path, "present")
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            specs.update(_specs(annotation, path + "."))
        # Free text and datetimes are read by detectors and timing, never by conditions.
    return specs


CONDITION_FIELDS: dict[SubjectKind, dict[str, FieldSpec]] = {
    kind: _specs(model) for kind, model in SUBJECT_MODELS.items()
}


def field_value(subject: Subject, path: str) -> Any:
    """The value at a dotted field path of a subject."""
    value: Any = subject
    for part in path.split("."):
        value = getattr(value, part)
    return value
