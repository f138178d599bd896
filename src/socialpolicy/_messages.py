"""A subject's validation problems in the house wording: the field, the value in backticks,
then a hint with the fix.

pydantic's own wording ("Field required", "Input should be 'facebook', 'x' ...") names neither
the value given nor what to do about it. One builder serves every place a bad row is reported:
`decide_many`'s error rows, the command line's and `decide_frame`'s `error` column (which adds
its spreadsheet hints, such as the pandas conversion for a column of dates, through `adjust`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .subjects import SUBJECT_MODELS, escaped
from .vocab import SUBJECT_KINDS, did_you_mean

__all__ = ["DATETIME_TYPES", "Problem", "problems", "row_message", "shown", "subject_kind"]

#: pydantic's error types for a value that is not a date and time at all.
DATETIME_TYPES = frozenset({"datetime_parsing", "datetime_from_date_parsing", "datetime_type",
                            "date_from_datetime_parsing"})
#: The library's own error types (`subjects`), already worded the house way.
_OWN_TYPES = frozenset({"unknown_label", "naive_datetime", "datetime_out_of_range",
                        "bool_from_text", "bool_from_number", "lone_surrogate",
                        "count_too_large"})
_KIND_OF_TITLE = {model.__name__: kind for kind, model in SUBJECT_MODELS.items()}
_QUOTED = re.compile(r"'([^']*)'")
_SCALAR = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with a subject: where (`loc` as pydantic gives it; `field`, its dotted path
    without the subject's kind, such as `account.bio`), what is wrong, and the fix."""

    type: str
    loc: tuple[str | int, ...]
    field: str
    text: str
    hint: str | None = None

    @property
    def message(self) -> str:
        """What is wrong and the fix, without the field (which `loc` holds beside it)."""
        return f"{self.text}; hint: {self.hint}" if self.hint else self.text

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def shown(value: Any, limit: int = 60) -> str:
    """`value` for a message: shortened, and a lone surrogate written as `\\udXXX` (no
    encoding can write it, so the message would be lost)."""
    text = str(value)
    return escaped(text if len(text) <= limit else text[:limit - 3] + "...")


def _model_at(kind: str | None, path: Sequence[str | int]) -> type[BaseModel] | None:
    """The model that holds the field at `path` (the subject, or a nested account/author)."""
    model: Any = SUBJECT_MODELS.get(kind) if kind else None  # type: ignore[call-overload]
    for part in path:
        info = model.model_fields.get(part) if model is not None else None
        model = info.annotation if info is not None else None
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _problem(err: ErrorDetails, kind: str | None) -> Problem:
    loc = tuple(err["loc"])
    path = loc[1:] if loc and loc[0] in SUBJECT_KINDS else loc
    where = ".".join(map(str, path)) or "row"
    kind_name = (kind or "subject").replace("_", " ")
    kind_list = ", ".join(f"`{k}`" for k in SUBJECT_KINDS)
    got, kind_of_error = err.get("input"), err["type"]
    value = ("null" if got is None else shown(got)) if isinstance(got, _SCALAR) else None

    def problem(text: str, hint: str | None = None, field: str = where) -> Problem:
        return Problem(kind_of_error, loc, field, text, hint)

    if kind_of_error in _OWN_TYPES:
        return problem(err["msg"])
    if kind_of_error == "missing":
        return problem("no value", f"every {kind_name} needs `{where}`")
    if kind_of_error in ("literal_error", "enum"):
        choices = _QUOTED.findall(str(err.get("ctx", {}).get("expected", "")))
        guess = did_you_mean(got, choices) if choices else None
        listed = ", ".join(f"`{c}`" for c in choices)
        other = (f" (`other` for any {path[-1]} not listed)" if "other" in choices and path
                 else "")
        return problem(f"unknown value `{value}`" + (f", {guess}" if guess else ""),
                       f"use one of {listed}{other}" if choices else None)
    if kind_of_error == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag", got))
        guess = did_you_mean(tag, SUBJECT_KINDS)
        return problem(f"unknown value `{shown(tag)}`" + (f", {guess}" if guess else ""),
                       f"use one of {kind_list}", field="kind")
    if kind_of_error == "union_tag_not_found":
        return problem("no value", f"every subject says what it is: `kind` is one of "
                       f"{kind_list}", field="kind")
    if kind_of_error == "extra_forbidden":
        model = _model_at(kind, path[:-1])
        known = list(model.model_fields) if model else []
        guess = did_you_mean(path[-1], known) if path and known else None
        owner = f"`{'.'.join(map(str, path[:-1]))}`" if path[:-1] else f"a {kind_name}"
        return problem(f"not a field of {owner}" + (f", {guess}" if guess else ""),
                       "remove it" + (f", or use one of {', '.join(f'`{k}`' for k in known)}"
                                      if known and not guess else ""))
    if kind_of_error in DATETIME_TYPES:
        return problem(f"`{value}` is not a date and time",
                       "write it as ISO 8601 with an offset, e.g. `2026-04-02 10:00:00+01:00`")
    if kind_of_error in ("int_parsing", "int_from_float", "int_type"):
        return problem(f"`{value}` is not a whole number", "write a count such as `2`")
    if kind_of_error == "greater_than_equal":
        least = err.get("ctx", {}).get("ge")
        return problem(f"`{value}` is below {least}", f"write a count of {least} or more")
    if kind_of_error in ("too_short", "string_too_short", "too_long", "string_too_long"):
        ctx = err.get("ctx", {})
        if "short" in kind_of_error:
            model = _model_at(kind, path[:-1])
            info = model.model_fields.get(str(path[-1])) if model and path else None
            optional = info is not None and not info.is_required()
            return problem("empty" if got == "" else f"`{value}` is too short",
                           f"give at least {ctx.get('min_length')} character(s)"
                           + (", or leave it out" if optional else ""))
        return problem(f"`{value}` is too long", f"give at most {ctx.get('max_length')} "
                       "characters")
    if kind_of_error == "string_type":
        return problem(f"`{value}` is not text" if value is not None else "not text",
                       "write it as a string, in quotes")
    if kind_of_error in ("bool_type", "bool_parsing"):
        return problem("not true or false", "write true or false, without quotes")
    if kind_of_error in ("model_type", "model_attributes_type", "dict_type"):
        return problem("not an object with fields",
                       f"give `{where}` as a mapping of its fields (a JSON object)")
    if kind_of_error in ("frozen_set_type", "set_type", "list_type"):
        example = f"[\"{value}\"]" if isinstance(got, str) else "[\"a\", \"b\"]"
        return problem("not a list", f"give `{where}` as a list, e.g. `{example}`")
    msg = err["msg"]
    text = msg[:1].lower() + msg[1:]
    return problem(text + (f", not `{value}`" if value is not None and value not in text
                           else ""))


def subject_kind(exc: ValidationError, kind: str | None = None) -> str | None:
    """The kind of subject a validation error is about: `kind` if given, else read from the
    error's first location (a tagged subject) or its model's name (`Comment(...)`)."""
    if kind:
        return kind
    errors = exc.errors(include_url=False, include_input=False)
    first = errors[0]["loc"] if errors else ()
    return str(first[0]) if first and first[0] in SUBJECT_KINDS else _KIND_OF_TITLE.get(exc.title)


def problems(exc: ValidationError, kind: str | None = None) -> list[Problem]:
    """Each problem of a validation error, in order (`kind`: see `subject_kind`)."""
    found = subject_kind(exc, kind)
    return [_problem(err, found) for err in exc.errors(include_url=False)]


def row_message(exc: ValidationError, kind: str | None = None,
                adjust: Callable[[Problem], Problem] | None = None) -> str:
    """A validation error in one line, one problem per field: `field: what; hint: fix`.
    `adjust` may reword each problem for its audience (`frames`: the pandas fix)."""
    found = problems(exc, kind)
    return "; ".join(str(adjust(p) if adjust else p) for p in found)
