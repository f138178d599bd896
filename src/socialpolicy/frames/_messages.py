"""A row's validation problems as an analyst reads them in the `error` column.

The wording is the library's own (`socialpolicy._messages`: the field, the cell's value in
backticks, a hint with the fix), the same as `decide_many`'s error rows; here each hint also
says what to do in a spreadsheet or in pandas (fill the blanks, convert a column of day-first
or local times).
"""

from __future__ import annotations

import dataclasses
import re

from pydantic import ValidationError

from .. import _messages
from .._messages import DATETIME_TYPES, Problem

_PANDAS_DATES = ("for a column of day-first or local times, convert it first with "
                 "`pd.to_datetime(column, dayfirst=True).dt.tz_localize(\"Europe/London\")`")
_PANDAS_LOCAL = ("for a column of local times, "
                 "`pd.to_datetime(column).dt.tz_localize(\"Europe/London\")`")


def _spreadsheet(problem: Problem) -> Problem:
    """`problem` with the spreadsheet's side of the fix."""
    if problem.type == "missing":
        return dataclasses.replace(
            problem, text=f"{problem.text} (the cell is empty or the column is missing)",
            hint=f"{problem.hint}: fill the blanks or add the column")
    if problem.type in DATETIME_TYPES:
        return dataclasses.replace(problem, hint=f"{problem.hint}; {_PANDAS_DATES}")
    if problem.type == "naive_datetime":
        return dataclasses.replace(problem, hint=_PANDAS_LOCAL)
    return problem


def row_message(exc: ValidationError) -> str:
    """A validation error in one line, one problem per field, in the library's wording with
    the spreadsheet's hints."""
    return _messages.row_message(exc, adjust=_spreadsheet)


_FIELD = re.compile(r"(?:^|; )([\w.]+): ")


def fields_at_fault(message: str) -> list[str]:
    """The fields an `error` cell names (`author`, `posted_at`...), in order, once each."""
    found = [name for name in _FIELD.findall(message) if name != "hint"]
    return list(dict.fromkeys(found))
