"""The three subjects a policy decides on: frozen, strict pydantic models.

Also the one description of which subject fields a policy condition may test, derived from the
models themselves so the checker, the compiler and the engines cannot drift apart.
"""

from __future__ import annotations

import numbers
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, Self, Union, cast, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
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
    did_you_mean,
)


def escaped(value: str) -> str:
    """`value` for an error message: a lone surrogate written as `\\udXXX`, since no encoding
    can write one and the whole message would be lost."""
    return value if value.isascii() else value.encode("utf-8", "backslashreplace").decode()


def _label_checker(known: frozenset[str], kind: str) -> AfterValidator:
    def check(labels: frozenset[str]) -> frozenset[str]:
        for label in sorted(labels):
            if label not in known:
                guess = did_you_mean(label, known)
                hint = f", {guess}" if guess else f"; known {kind} labels: " + (
                    ", ".join(sorted(known)) or "none")
                raise PydanticCustomError(
                    "unknown_label", "unknown {kind} label `{label}`{hint}",
                    {"kind": kind, "label": escaped(label), "hint": hint},
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


# Deadlines are working-day arithmetic on these dates; near the calendar's ends (year 1 with a
# +14:00 offset, year 9999 plus two working days) Python's datetime overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999


def _in_range(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "datetime_out_of_range",
            "datetime `{value}` is outside the supported range: years {low} to {high} "
            "(deadlines are counted in working days from it and must stay in the calendar)",
            {"value": value.isoformat(), "low": MIN_YEAR, "high": MAX_YEAR},
        )
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware), AfterValidator(_in_range)]


def _strict_bool(value: Any) -> Any:
    # Lax pydantic reads "yes", "off", "n", "0", 0 and 1 as booleans: a typo'd or quoted value
    # from a form, or a count in the wrong field, would silently flip a flag a rule tests.
    # (Spreadsheet cells such as "yes" or 1 are read as booleans by `frames`, before this.)
    if isinstance(value, str | bytes | bytearray):
        raise PydanticCustomError(
            "bool_from_text",
            "`{value}` is text, not a boolean: write true or false, without quotes",
            {"value": escaped(value) if isinstance(value, str) else repr(value)},
        )
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        raise PydanticCustomError(
            "bool_from_number",
            "`{value}` is a number, not a boolean: write true or false",
            {"value": str(value)},
        )
    return value


Bool = Annotated[bool, BeforeValidator(_strict_bool)]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(value: str) -> str:
    # A lone surrogate (half of a UTF-16 pair, as a JSON `"\ud800"` escape gives) is not a
    # character: no encoding can write it, so a decision, record or output line holding it
    # would fail long after the subject was accepted. Pydantic's own JSON mode rejects it too.
    if value.isascii() or (found := _SURROGATE.search(value)) is None:
        return value
    raise PydanticCustomError(
        "lone_surrogate",
        "character {at} is `{code}`, half of a UTF-16 surrogate pair, which is not text; "
        "decode the source as a whole (UTF-8, or UTF-16 with its pairs together) or drop it",
        {"at": found.start() + 1, "code": f"\\u{ord(found.group()):04x}"},
    )


#: Free text: any characters, but only characters.
Text = Annotated[str, AfterValidator(_whole_characters)]

#: Counts above this compare differently in durable_rules (doubles) and Python (exact ints).
MAX_COUNT = 2**53 - 1


def _count(value: int) -> int:
    if value > MAX_COUNT:
        raise PydanticCustomError(
            "count_too_large",
            "`{value}` is too large: counts up to {limit} (2^53 - 1) are compared exactly "
            "by both engines",
            {"value": value, "limit": f"{MAX_COUNT:,}"},
        )
    return value


Count = Annotated[int, Field(ge=0), AfterValidator(_count)]


class _Model(BaseModel):
    # An instance of a subclass, given where a model is expected (a field, the subject
    # adapter, `Model.model_validate`), is validated again by the model: see `revalidated`.
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False,
                              revalidate_instances="subclass-instances")

    # Pydantic's two ways round validation are closed: a policy must never decide on fields
    # no one checked (an unknown label would match no rule and fail open; a naive or textual
    # datetime would break deadlines mid-decision).
    @classmethod
    def model_construct(  # type: ignore[override]  # (the pydantic plugin rewrites it)
            cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        """Validated like `Model(**values)`: subjects are never built unchecked."""
        return cls.model_validate(values)

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """A copy; with `update`, the changed subject is validated like a new one."""
        if not update:
            return super().model_copy(deep=deep)
        return self.model_validate({**self.__dict__, **update})


#: The caller's own id for a subject (a queue's comment id, a case number): echoed as
#: `Decision.subject_id` and kept in records, never read by a rule.
SubjectId = Annotated[Text | None, Field(min_length=1, max_length=256)]


class Author(_Model):
    """Who posted or asked: their relationship to the organisation."""

    employment: Employment = "employee"
    is_communications_team: Bool = False


class Account(_Model):
    """The account a staff post was made from."""

    handle: Text
    display_name: Text = ""
    bio: Text = ""
    kind: AccountKind = "personal"
    public: Bool = True
    uses_org_branding: Bool = False
    has_branding_dispensation: Bool = False
    known_to_comms_team: Bool = False


class Comment(_Model):
    """A comment, reply, mention or direct message from a member of the public."""

    kind: Literal["comment"] = "comment"
    id: SubjectId = None
    platform: CommentPlatform
    channel: CommentChannel = "comment"
    text: Text
    author: Text
    posted_at: AwareDatetime
    labels: CommentLabels = frozenset()
    author_prior_removals: Count = 0


class StaffPost(_Model):
    """Something a member of staff posted, with the account it came from."""

    kind: Literal["staff_post"] = "staff_post"
    id: SubjectId = None
    platform: StaffPlatform
    format: PostFormat = "post"
    text: Text
    posted_at: AwareDatetime
    account: Account
    author: Author = Author()
    about_employer: Bool = False
    labels: StaffPostLabels = frozenset()


class AccountRequest(_Model):
    """A request to open an account, blog or survey, use the brand, or reach corporate accounts."""

    kind: Literal["account_request"] = "account_request"
    id: SubjectId = None
    platform: StaffPlatform
    purpose: AccountPurpose
    proposed_handle: Text | None = None
    requested_by: Author = Author()
    objectives_and_kpis: Bool = False
    approved_comms_plan: Bool = False
    content_plan: Bool = False
    editorial_purpose: Bool = False
    corporate_monitoring: Bool = False
    internal_comms: Bool = False
    comms_team_approved: Bool = False
    authorisation_form: Bool = False
    secure_login: Bool = False
    stakeholder_group: Text | None = None
    user_needs_evidence: UserNeedsEvidence = "none"
    checks_per_day: Count = 0
    operational_need: Text | None = None
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
_MODELS = frozenset(SUBJECT_MODELS.values())
subject_adapter: TypeAdapter[Subject] = TypeAdapter(
    Annotated[Subject, Field(discriminator="kind")]
)


def revalidated(subject: Subject) -> Subject:
    """`subject` as the Comment, StaffPost or AccountRequest model itself validates it.

    An instance of the model is returned as it is (it was validated when built). An instance
    of a subclass proves nothing: a subclass can override a validator, a field's type or
    `model_construct`, so it is validated again by the model it extends, into an instance of
    that model; a field only the subclass has is an error, like any unknown field. A policy
    never decides on what only a subclass accepted."""
    if type(subject) in _MODELS:
        return subject
    model = next(cls for cls in type(subject).__mro__ if cls in _MODELS)
    return cast(Subject, model.model_validate(subject))


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
