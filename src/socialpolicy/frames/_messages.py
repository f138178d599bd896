"""A row's validation problems as an analyst reads them in the `error` column.

pydantic's own wording ("Field required", "Input should be 'facebook', 'x' ...") names neither
the cell's value nor what to do about it. A spreadsheet's usual faults (an empty cell, a value
outside a field's choices, a date written day-first or without an offset) get the house
wording here instead: the field, the value in backticks, then a hint with the fix.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..vocab import SUBJECT_KINDS, did_you_mean

_QUOTED = re.compile(r"'([^']*)'")
_DATETIME_TYPES = frozenset({"datetime_parsing", "datetime_from_date_parsing", "datetime_type",
                             "date_from_datetime_parsing"})
_DATE_HINT = ("hint: write it as ISO 8601 with an offset, e.g. `2026-04-02 10:00:00+01:00`; "
              "for a column of day-first or local times, convert it first with "
              "`pd.to_datetime(column, dayfirst=True).dt.tz_localize(\"Europe/London\")`")


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(err: ErrorDetails, kind: str | None) -> str:
    """One problem as `field: what is wrong; hint: the fix`."""
    loc = [str(p) for p in err["loc"]]
    if loc and loc[0] in SUBJECT_KINDS:
        loc = loc[1:]
    where = ".".join(loc) or "row"
    kind_name = (kind or "subject").replace("_", " ")
    got = err.get("input")
    if err["type"] == "missing":
        return (f"{where}: no value (the cell is empty or the column is missing); hint: every "
                f"{kind_name} needs `{where}`: fill the blanks or add the column")
    if err["type"] in ("literal_error", "enum"):
        choices = _QUOTED.findall(str(err.get("ctx", {}).get("expected", "")))
        guess = did_you_mean(got, choices) if choices else None
        listed = ", ".join(f"`{c}`" for c in choices)
        other = f" (`other` for any {loc[-1]} not listed)" if "other" in choices and loc else ""
        return (f"{where}: unknown value `{_shown(got)}`" + (f", {guess}" if guess else "")
                + (f"; hint: use one of {listed}{other}" if choices else ""))
    if err["type"] in _DATETIME_TYPES:
        return f"{where}: `{_shown(got)}` is not a date and time; {_DATE_HINT}"
    if err["type"] in ("int_parsing", "int_from_float"):
        return f"{where}: `{_shown(got)}` is not a whole number; hint: write a count such as `2`"
    if "has no timezone" in err["msg"]:  # the subject's own wording, plus the pandas fix
        return (f"{where}: {err['msg']}; hint: for a column of local times, "
                "`pd.to_datetime(column).dt.tz_localize(\"Europe/London\")`")
    return f"{where}: {err['msg']}"


def row_message(exc: ValidationError) -> str:
    """A validation error in one line, one problem per field, without pydantic's union-tag
    noise (the row's kind is read from the first location)."""
    errors = exc.errors()
    first = [str(p) for p in errors[0]["loc"]] if errors else []
    kind = first[0] if first and first[0] in SUBJECT_KINDS else None
    return "; ".join(_problem(err, kind) for err in errors)


_FIELD = re.compile(r"(?:^|; )([\w.]+): ")


def fields_at_fault(message: str) -> list[str]:
    """The fields an `error` cell names (`author`, `posted_at`...), in order, once each."""
    found = [name for name in _FIELD.findall(message) if name != "hint"]
    return list(dict.fromkeys(found))
