"""Turn a DataFrame row as it arrives from a CSV into a subject mapping pydantic accepts.

A CSV flattens everything to strings and NaN: labels come as `"spam; profanity"`, an empty
cell is NaN, platforms are `Facebook` or `Twitter`, nested fields are dotted columns
(`account.handle`). Coercion only ever reshapes a value into the spelling the subject models
use; anything it cannot recognise is passed on unchanged so validation reports it by field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from ..subjects import CONDITION_FIELDS, SUBJECT_MODELS
from ..vocab import SUBJECT_KINDS, SubjectKind, did_you_mean

#: Common spellings of enum values, after case folding, mapped to the library's own.
ALIASES: dict[str, dict[str, str]] = {
    "platform": {
        "twitter": "x", "x_twitter": "x", "twitter_x": "x", "x.com": "x", "x_(twitter)": "x",
        "fb": "facebook", "ig": "instagram", "insta": "instagram", "yt": "youtube",
        "linked_in": "linkedin", "tik_tok": "tiktok", "whats_app": "whatsapp",
        "viva_engage": "yammer", "weblog": "blog",
    },
    "channel": {"dm": "direct_message", "pm": "direct_message",
                "private_message": "direct_message", "message": "direct_message"},
    "format": {"dm": "direct_message", "pm": "direct_message", "blog_post": "blog"},
    "kind": {"staff": "staff_post", "post": "staff_post", "staffpost": "staff_post",
             "request": "account_request", "accountrequest": "account_request"},
}
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
_LABEL_SPLIT = re.compile(r"[,;|]")
_SEPARATORS = re.compile(r"[\s\-]+")


def _field_names(model: type[BaseModel], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for name, info in model.model_fields.items():
        annotation = info.annotation
        names.add(prefix + name)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _field_names(annotation, prefix + name + ".")
    return names


#: Every column a subject of each kind may carry (nested fields as dotted names).
KNOWN_COLUMNS: dict[SubjectKind, frozenset[str]] = {
    kind: frozenset(_field_names(model)) for kind, model in SUBJECT_MODELS.items()
}
ALL_COLUMNS: frozenset[str] = frozenset().union(*KNOWN_COLUMNS.values())


_NEVER_MISSING = frozenset({str, int, bool, list, tuple, dict})


def is_missing(value: Any) -> bool:
    """None, NaN, NaT and pandas' NA: an empty cell."""
    if type(value) in _NEVER_MISSING:  # the common cells, without the isinstance chain
        return False
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str | bytes | list | tuple | set | frozenset | dict | bool | int):
        return False
    if isinstance(value, datetime):  # pandas' NaT is a datetime that is unequal to itself
        return bool(value != value)
    import numpy as np
    import pandas as pd

    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return isinstance(result, bool | np.bool_) and bool(result)


def fold(value: str) -> str:
    """`Direct message` -> `direct_message`: case and separators folded."""
    return _SEPARATORS.sub("_", value.strip().lower())


_BUILTIN = frozenset({str, int, float, bool, type(None), list, dict, datetime})


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as the builtin they hold."""
    if type(value) in _BUILTIN:
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        return value.item()
    return value


def labels(value: Any) -> Any:
    """Labels from a list, set or `"a, b; c"` string; NaN and "" are none."""
    if is_missing(value):
        return []
    value = _plain(value)
    if isinstance(value, str):
        return list(_labels_in_text(value))
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        parts = list(value)
    else:
        return value
    return _folded_labels(parts)


@lru_cache(maxsize=4096)
def _labels_in_text(value: str) -> tuple[Any, ...]:
    """`"a, b; c"` as labels, remembered: an archive repeats a few label cells many times."""
    return tuple(_folded_labels(_LABEL_SPLIT.split(value.strip().strip("[](){}"))))


def _folded_labels(parts: Iterable[Any]) -> list[Any]:
    out = []
    for part in parts:
        if isinstance(part, str):
            text = fold(part.strip().strip("'\""))
            if text:
                out.append(text)
        elif not is_missing(part):
            out.append(part)
    return out


def _enum(name: str, value: Any, choices: tuple[str, ...]) -> Any:
    return _enum_text(name, value, choices) if isinstance(value, str) else value


@lru_cache(maxsize=4096)
def _enum_text(name: str, value: str, choices: tuple[str, ...]) -> str:
    folded = fold(value)
    folded = ALIASES.get(name, {}).get(folded, folded)
    return folded if folded in choices else value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        folded = value.strip().lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    if isinstance(value, int | float) and value in (0, 1):  # a 0/1 column: subjects want bools
        return bool(value)
    return value


def _int(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # a bare date: let validation say what is wrong
    return value


def kind_of_row(row: Mapping[str, Any], default: SubjectKind | None) -> Any:
    """The row's `kind` column, else `default`, else guessed from which fields it fills."""
    given = row.get("kind")
    if isinstance(given, str):
        folded = fold(given)
        return ALIASES["kind"].get(folded, folded)
    if given is not None:
        return given
    if default is not None:
        return default
    if any(key == "purpose" for key in row):
        return "account_request"
    if any(key in ("account", "format", "about_employer") or key.startswith("account.")
           for key in row):
        return "staff_post"
    return "comment"


def coerce_row(row: Mapping[Any, Any], default_kind: SubjectKind | None = None
               ) -> dict[str, Any]:
    """One CSV-shaped row as a nested subject mapping with the spellings the models use."""
    present = {str(key): _plain(value) for key, value in row.items()
               if key == "labels" or key == "text" or not is_missing(value)}
    kind = kind_of_row(present, default_kind)
    specs = CONDITION_FIELDS.get(kind, {}) if kind in SUBJECT_KINDS else {}
    out: dict[str, Any] = {}
    for key, value in present.items():
        if key == "labels":
            value = labels(value)
        elif key == "text":
            value = "" if is_missing(value) else value
        elif key == "kind":
            value = kind
        elif key == "id" and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value)) if float(value).is_integer() else str(value)
        elif key == "posted_at":
            value = _datetime(value)
        elif key in specs:
            spec = specs[key]
            name = key.rsplit(".", 1)[-1]
            if spec.type == "enum":
                value = _enum(name, value, spec.choices)
            elif spec.type == "bool":
                value = _bool(value)
            elif spec.type == "int":
                value = _int(value)
        _put(out, key, value)
    out["kind"] = kind
    return out


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        nested = target.get(part)
        if not isinstance(nested, dict):
            nested = dict(nested) if isinstance(nested, Mapping) else {}
            target[part] = nested
        target = nested
    target[parts[-1]] = value


def check_columns(columns: Iterable[Any]) -> None:
    """Reject columns no subject has, naming each with the closest known one."""
    unknown = [str(c) for c in columns if str(c) not in ALL_COLUMNS]
    if not unknown:
        return
    hints = []
    for name in unknown:
        hint = did_you_mean(name, ALL_COLUMNS)
        hints.append(f"`{name}`" + (f" ({hint})" if hint else ""))
    # An export's own row id (`comment_id`, `Post ID`) is the usual culprit: say what to do.
    ids = [name for name in unknown if fold(name).rsplit("_", 1)[-1] in ("id", "ref")]
    id_hint = (f"; an identifier such as `{ids[0]}` belongs in the index "
               f"(`pd.read_csv(..., index_col=\"{ids[0]}\")`) or in a column named `id`"
               if ids else "")
    raise ValueError(
        "unknown subject column" + ("s " if len(unknown) > 1 else " ") + ", ".join(hints)
        + "; hint: drop or rename it, or pass `extra=\"ignore\"` to leave such columns out"
        + id_hint)
