"""DataFrames in and out, for analysts deciding thousands of rows (needs the `analysis` extra).

    out = policy.decide_frame(pd.read_csv("comments.csv"))   # same index as the input
    sp.to_frame(decisions)                                   # decisions made elsewhere
    sp.compare_decisions(df, policies=["mse_icb", "mhra"])   # one outcome column per policy

pandas is imported inside these functions only, so `import socialpolicy` stays light. The result
columns and their dtypes are fixed (`COLUMNS`, `empty_result`), so a frame of no rows has the same
schema as any other: Dask and other partitioned runners can use it as `meta`.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from ..decision import Decision
from ..errors import SocialPolicyError
from ..subjects import Subject, subject_adapter
from ..vocab import SCALES, SUBJECT_KINDS, Outcome, SubjectKind
from ._coerce import ALL_COLUMNS, check_columns, coerce_row
from ._messages import fields_at_fault, row_message

if TYPE_CHECKING:
    import pandas as pd

    from ..engine import Policy

__all__ = [
    "COLUMNS",
    "PolicyReviewWarning",
    "RowErrorWarning",
    "RowValueError",
    "compare_decisions",
    "decide_frame",
    "empty_result",
    "outcome_dtype",
    "subject_from_row",
    "to_frame",
]

Errors = Literal["coerce", "raise"]

#: The columns of a decision frame, in order, with what each holds. Lists are Python lists in
#: object columns; text columns use pandas' nullable `string` dtype (NA when absent).
COLUMNS: dict[str, str] = {
    "policy_id": "string: the policy that decided the row",
    "policy_version": "string: that policy's version",
    "subject_id": "string: the row's own `id` column, passed through (NA when not given)",
    "kind": "categorical (comment, staff_post, account_request): NA when the row was invalid",
    "outcome": ("ordered categorical: the kind's scale least to most severe (leave < hide < "
                "delete), then not_covered and error; see `outcome_dtype`"),
    "adverse": "boolean: the outcome is not the least severe of its scale (NA on an error row)",
    "reason": "string: why, in the policy's words",
    "actions": "list of str: `kind` or `kind:target`, e.g. `escalate:foi_team`",
    "cites": "list of str: every clause id behind the outcome and actions, in document order",
    "substantive_cites": ("list of str: the cited clauses that decide what happens (procedural "
                          "clauses such as response times left out)"),
    "rules": "list of str: the rules that fired",
    "respond_by": "datetime64[ns, UTC]: the response deadline, NaT when there is none",
    "detected": "list of str: labels the text detectors added that the row did not assert",
    "warnings": ("list of str: warnings about this row; a passed review date is reported once "
                 "per batch instead (`frame.attrs['policy_warnings']`)"),
    "error": "string: why the row could not be decided (NA when it was)",
}
_LIST_COLUMNS = ("actions", "cites", "substantive_cites", "rules", "detected", "warnings")
_FIRST_ERRORS = 3


class RowErrorWarning(UserWarning):
    """Some rows of a batch could not be decided; their `error` column says why."""


class PolicyReviewWarning(UserWarning):
    """A policy deciding a batch has passed its review date (said once per batch)."""


class RowValueError(SocialPolicyError, ValueError):
    """With `errors="raise"`: a row is not a valid subject. Names the row's index label."""


def _require_pandas() -> None:
    try:
        import pandas  # noqa: F401
    except ImportError as exc:
        raise ImportError("DataFrame support needs pandas; install it with "
                          "`pip install 'socialpolicy[analysis]'`") from exc


def outcome_dtype(kind: SubjectKind | None = None) -> pd.CategoricalDtype:
    """The ordered categorical of the `outcome` column.

    For one kind: its scale least to most severe, then `not_covered`, then `error`. With no kind
    (a frame mixing kinds): the three scales one after another, then `not_covered` and `error`;
    order then only means something within one kind's scale, so compare or sort per kind.
    """
    _require_pandas()
    import pandas as pd

    kinds = [kind] if kind is not None else list(SUBJECT_KINDS)
    names = [str(o) for k in kinds for o in SCALES[k]]
    return pd.CategoricalDtype([*names, str(Outcome.NOT_COVERED), str(Outcome.ERROR)],
                               ordered=True)


def empty_result(kind: SubjectKind | None = None) -> pd.DataFrame:
    """A decision frame with no rows and every column typed: `meta` for partitioned runners."""
    return to_frame([], kind=kind)


def _reason(decision: Decision, label: Any) -> str:
    """An error row's reason names the row by its index label, as the frame does, so a batch
    decided in pieces (Dask partitions) reads the same as one decided whole."""
    prefix = f"row {decision.row} "
    if (decision.outcome == Outcome.ERROR and decision.row is not None
            and decision.reason.startswith(prefix)):
        return f"row {label!r} " + decision.reason[len(prefix):]
    return decision.reason


def _is_review_warning(text: str) -> bool:
    return "review date" in text


def _action_text(kind: str, target: str | None) -> str:
    return f"{kind}:{target}" if target else kind


def _single_kind(decisions: Sequence[Decision]) -> SubjectKind | None:
    kinds = {d.kind for d in decisions if d.kind is not None}
    return kinds.pop() if len(kinds) == 1 else None


def to_frame(decisions: Iterable[Decision], index: Any = None, *,
             kind: SubjectKind | None = None) -> pd.DataFrame:
    """Decisions as a DataFrame, one row each, with the columns in `COLUMNS`.

    `index` labels the rows (default 0..n-1). The outcome's categories follow `kind`, or the
    one kind every decided row shares, or all three scales when kinds are mixed
    (`outcome_dtype`). Review-date warnings go to `frame.attrs["policy_warnings"]`, once each.
    """
    _require_pandas()
    import pandas as pd

    rows = list(decisions)
    if index is None:
        index = pd.RangeIndex(len(rows))
    elif len(index) != len(rows):
        raise ValueError(f"index has {len(index)} labels for {len(rows)} decisions; "
                         "hint: pass one label per decision")
    chosen = kind if kind is not None else _single_kind(rows)
    policy_warnings: list[str] = []
    row_warnings: list[list[str]] = []
    for d in rows:
        mine = []
        for text in d.warnings:
            if _is_review_warning(text):
                if text not in policy_warnings:
                    policy_warnings.append(text)
            else:
                mine.append(text)
        row_warnings.append(mine)
    lists: dict[str, list[list[str]]] = {
        "actions": [[_action_text(a.kind, a.target) for a in d.actions] for d in rows],
        "cites": [[c.clause_id for c in d.citations] for d in rows],
        "substantive_cites": [[c.clause_id for c in d.citations
                               if getattr(c, "role", "substantive") != "procedural"]
                              for d in rows],
        "rules": [[f.rule_id for f in d.findings] for d in rows],
        "detected": [list(d.detected) for d in rows],
        "warnings": row_warnings,
    }
    data: dict[str, Any] = {
        "policy_id": pd.array([d.policy_id for d in rows], dtype="string"),
        "policy_version": pd.array([d.policy_version for d in rows], dtype="string"),
        "subject_id": pd.array([getattr(d, "subject_id", None) for d in rows], dtype="string"),
        "kind": pd.Categorical([d.kind for d in rows], categories=list(SUBJECT_KINDS)),
        "outcome": pd.Categorical([str(d.outcome) for d in rows],
                                  dtype=outcome_dtype(chosen)),
        "adverse": pd.array([None if d.outcome == Outcome.ERROR else d.adverse for d in rows],
                            dtype="boolean"),
        "reason": pd.array([_reason(d, label) for d, label in zip(rows, index, strict=True)],
                           dtype="string"),
    }
    for name in _LIST_COLUMNS[:4]:
        data[name] = pd.Series(lists[name], index=index, dtype=object)
    data["respond_by"] = pd.to_datetime(
        pd.Series([d.respond_by for d in rows], dtype=object), utc=True
    ).astype("datetime64[ns, UTC]").array
    for name in _LIST_COLUMNS[4:]:
        data[name] = pd.Series(lists[name], index=index, dtype=object)
    data["error"] = pd.array([d.error for d in rows], dtype="string")
    frame = pd.DataFrame({name: (value.array if isinstance(value, pd.Series) else value)
                          for name, value in data.items()}, index=index)
    frame.attrs["policy_warnings"] = policy_warnings
    return frame


def _rows(rows: Any, extra: Literal["forbid", "ignore"], kind: SubjectKind | None
          ) -> tuple[list[Any], Any]:
    """The rows to decide (coerced mappings, or subjects as given) and their index."""
    _require_pandas()
    import pandas as pd

    if isinstance(rows, pd.DataFrame):
        if extra == "forbid":
            check_columns(rows.columns)
        keep = [c for c in rows.columns if str(c) in ALL_COLUMNS]
        records = rows[keep].to_dict(orient="records")
        return [coerce_row(record, kind) for record in records], rows.index
    items = list(rows)
    out = [coerce_row(item, kind) if isinstance(item, Mapping) else item for item in items]
    return out, pd.RangeIndex(len(out))


def subject_from_row(row: Mapping[Any, Any], kind: SubjectKind | None = None) -> Subject:
    """One CSV-shaped row (a mapping or a DataFrame row) as a typed subject, read as
    `decide_frame` reads it: for `policy.explain(...)` or `policy.decide(...)` on one row.
    Columns no subject has are left out. Raises pydantic's `ValidationError` naming the field.
    """
    record = {key: value for key, value in dict(row).items() if str(key) in ALL_COLUMNS}
    return subject_adapter.validate_python(coerce_row(record, kind))


def _validated(rows: list[Any]) -> tuple[list[Any], dict[int, str]]:
    """Rows as subjects where valid; the others kept as given, with a readable message each."""
    out: list[Any] = []
    messages: dict[int, str] = {}
    for position, row in enumerate(rows):
        if isinstance(row, Mapping):
            try:
                row = subject_adapter.validate_python(row)
            except ValidationError as exc:
                messages[position] = row_message(exc)
        out.append(row)
    return out, messages


def _by_field(messages: pd.Series[Any]) -> str:
    """`rows by field: author 2468, platform 1960`: which columns to fix first."""
    counts: Counter[str] = Counter()
    for message in messages:
        counts.update(fields_at_fault(str(message)) or ["(no field)"])
    return "\n  rows by field: " + ", ".join(f"{name} {n}" for name, n in counts.most_common())


def _report(frame: pd.DataFrame, policy_id: str, errors: Errors, stacklevel: int,
            rows: bool = True) -> None:
    failed = frame[frame["error"].notna()] if rows else frame.iloc[:0]
    if len(failed) and errors == "raise":
        label, message = failed.index[0], failed["error"].iloc[0]
        raise RowValueError(f"row {label!r} is not a valid subject: {message}")
    if len(failed):
        shown = "\n".join(f"  row {label!r}: {str(message).splitlines()[0]}"
                          for label, message in failed["error"].head(_FIRST_ERRORS).items())
        more = len(failed) - _FIRST_ERRORS
        warnings.warn(RowErrorWarning(
            f"{len(failed)} of {len(frame)} rows could not be decided under {policy_id}; "
            f"their outcome is `error` and the `error` column says why. First:\n{shown}"
            + (f"\n  ... and {more} more" if more > 0 else "")
            + (_by_field(failed["error"]) if more > 0 else "")), stacklevel=stacklevel)
    for text in frame.attrs.get("policy_warnings", []):
        warnings.warn(PolicyReviewWarning(text), stacklevel=stacklevel)


def _decide(policy: Policy, subjects: list[Any], index: Any, kind: SubjectKind | None,
            progress: bool | None, options: Mapping[str, Any]) -> pd.DataFrame:
    subjects, messages = _validated(subjects)
    decisions = policy.decide_many(subjects, progress=progress, **options)
    decisions = [replace(d, error=messages[i]) if i in messages else d
                 for i, d in enumerate(decisions)]
    return to_frame(decisions, index, kind=kind)


def _check_errors(errors: str) -> None:
    if errors not in ("coerce", "raise"):
        raise ValueError(f"errors=`{errors}`; hint: use \"coerce\" or \"raise\"")


def decide_frame(policy: Policy, rows: Any, *, errors: Errors = "coerce",
                 progress: bool | None = None, kind: SubjectKind | None = None,
                 extra: Literal["forbid", "ignore"] = "forbid",
                 **options: Any) -> pd.DataFrame:
    """Decide every row of a DataFrame; the result has the same index and the `COLUMNS`.

    Rows are read as a CSV gives them: `labels` as a list, set or `"a, b; c"` string; NaN as
    empty; enum values with case and common aliases folded (`Twitter` -> `x`); nested fields as
    dotted columns (`account.handle`, `author.employment`). A row's kind is its `kind` column,
    else `kind`, else guessed from its fields. `errors="coerce"` keeps going and warns once with
    counts and the first messages; `errors="raise"` raises `RowValueError` naming the first bad
    row. `extra="ignore"` leaves out columns no subject has (by default they are an error).
    `progress` shows a bar (None: for large batches on a terminal). Other keyword arguments go
    to `Policy.decide`. Also accepts a list of subjects or mappings (index 0..n-1).
    """
    return _decide_frame(policy, rows, errors=errors, progress=progress, kind=kind,
                         extra=extra, **options)


def _decide_frame(policy: Policy, rows: Any, *, errors: Errors, progress: bool | None,
                  kind: SubjectKind | None, extra: Literal["forbid", "ignore"],
                  **options: Any) -> pd.DataFrame:
    """`decide_frame`, called one frame below the caller's code (for warnings' stacklevel)."""
    _check_errors(errors)
    subjects, index = _rows(rows, extra, kind)
    frame = _decide(policy, subjects, index, kind, progress, options)
    _report(frame, policy.id, errors, 4)  # _report, _decide_frame, the public wrapper, caller
    return frame


def compare_decisions(rows: Any, policies: Sequence[str | Path | Policy], *,
                      errors: Errors = "coerce", progress: bool | None = None,
                      kind: SubjectKind | None = None,
                      extra: Literal["forbid", "ignore"] = "forbid",
                      engine: Literal["durable", "reference"] = "durable",
                      **options: Any) -> pd.DataFrame:
    """What each organisation would do with the same rows: one outcome column per policy
    (named by policy id, on the input's index), then `disagree`, true where they differ.

    `policies` are bundled ids, paths or loaded policies. Rows are read as `decide_frame`
    reads them, and invalid rows are reported once (they are invalid under every policy).
    `not_covered` counts as an answer: a policy silent on a row disagrees with one that acts.
    For the clauses behind each answer, call `decide_frame` per policy.
    """
    from ..engine import Policy, load_policy

    _require_pandas()
    import pandas as pd

    _check_errors(errors)
    loaded = [p if isinstance(p, Policy) else load_policy(p, engine=engine) for p in policies]
    if not loaded:
        raise ValueError("no policies to compare; hint: pass `policies=[\"mse_icb\", \"mhra\"]`")
    ids = [p.id for p in loaded]
    if len(set(ids)) != len(ids):
        raise ValueError(f"policy ids {ids} repeat; hint: compare distinct policies")
    subjects, index = _rows(rows, extra, kind)
    frames = {policy.id: _decide(policy, subjects, index, kind, progress, options)
              for policy in loaded}
    for position, (pid, frame) in enumerate(frames.items()):
        _report(frame, pid, errors, 3, rows=position == 0)
    kinds = {k for f in frames.values() for k in f["kind"].dropna().unique()}
    common = kind if kind is not None else (kinds.pop() if len(kinds) == 1 else None)
    dtype = outcome_dtype(common)
    out = pd.DataFrame({pid: f["outcome"].astype(str).astype(dtype) for pid, f in frames.items()},
                       index=index)
    first = out[ids[0]].astype(str)
    disagree = pd.Series(False, index=index, dtype=bool)
    for pid in ids[1:]:
        disagree |= out[pid].astype(str) != first
    out["disagree"] = disagree
    return out
