"""Coverage: how completely each policy accounts for its source document, for CI and reviewers.

A policy passes when the checker finds nothing (so every encoded clause is cited by a rule, every
citation resolves, every rule has examples both ways and every clause is verbatim in the source)
and it names the source document those quotes are checked against. The problems are the
checker's own diagnostics, not a second implementation of them; this module adds the counts a
reviewer reads to see what a policy covers, and the decision cases that exercise it, and
it reports the labels of each governed kind's vocabulary that no rule reads: each needs a reason
in the policy's `unread_labels`, or it is a gap (a label a caller can assert that changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _yaml
from ..conditions import AllOf, AnyOf, Condition, HasLabel, Not
from ..errors import Diagnostic, InputError
from ..policy.check_fidelity import ALL_UNREAD
from ..policy.loader import available_policies, compile_file, lint, resolve
from ..policy.model import CLAUSE_STATUSES, PolicyDocument
from ..render import coverage_html
from ..vocab import LABELS, SUBJECT_KINDS
from .case_files import BUNDLED_CASES, load_cases

if TYPE_CHECKING:
    import pandas as pd

#: Where decision cases are looked for when no directory is given: the bundled policies' own
#: cases, shipped beside them.
DEFAULT_CASES = BUNDLED_CASES


@dataclass(frozen=True, slots=True)
class Coverage:
    """One policy's coverage: counts by status, kind and example group, and every problem."""

    policy: str
    file: str
    clauses: Mapping[str, int]
    rules: Mapping[str, int]
    examples: Mapping[str, int]
    cases: int | None
    encoded_in_cases: int
    problems: tuple[Diagnostic, ...]
    #: per governed kind, the vocabulary labels no rule reads (with or without a reason)
    unread: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def _repr_html_(self) -> str:  # notebooks
        return coverage_html([self])

    @property
    def encoded(self) -> int:
        return self.clauses.get("encoded", 0)

    def row(self) -> dict[str, str]:
        """The table row: each count with its breakdown, as printed."""
        def split(counts: Mapping[str, int]) -> str:
            return f"{sum(counts.values())} = " + "+".join(str(n) for n in counts.values())

        count = len(self.problems)
        return {
            "policy": self.policy,
            "clauses": split(self.clauses),
            "rules": split(self.rules),
            "examples": split(self.examples),
            "cases": "-" if self.cases is None else str(self.cases),
            "cited by cases": ("-" if self.cases is None else
                               f"{self.encoded_in_cases} of {self.encoded} encoded"),
            "unread labels": str(sum(len(labels) for labels in self.unread.values())),
            "result": "ok" if self.ok else f"{count} problem{'s' if count != 1 else ''}",
        }


class CoverageReport(list[Coverage]):
    """The coverage of several policies: a list, rendered as a table in notebooks."""

    def _repr_html_(self) -> str:
        return coverage_html(self)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per policy, every count in its own integer column (needs the `analysis`
        extra): `clauses_encoded`, `rules_comment`, `examples_fires`, `cases`, `problems`, ..."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("to_dataframe needs pandas; install it with "
                              "`pip install 'socialpolicy[analysis]'`") from exc
        records = []
        for report in self:
            record: dict[str, Any] = {"policy": report.policy}
            for group, counts in (("clauses", report.clauses), ("rules", report.rules),
                                  ("examples", report.examples)):
                record.update({f"{group}_{key}": n for key, n in counts.items()})
            record.update(cases=report.cases, encoded_cited_by_cases=report.encoded_in_cases,
                          problems=len(report.problems), ok=report.ok)
            records.append(record)
        frame = pd.DataFrame.from_records(records)
        if len(frame):
            frame["cases"] = frame["cases"].astype("Int64")
            frame = frame.set_index("policy")
        return frame


def _items(data: Any, key: str) -> list[Mapping[str, Any]]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _examples(rule: Mapping[str, Any], group: str) -> list[Any]:
    examples = rule.get("examples")
    items = examples.get(group) if isinstance(examples, Mapping) else None
    return items if isinstance(items, list) else []


def _counts(keys: Sequence[str], values: Iterable[Any]) -> dict[str, int]:
    found = list(values)
    return {key: found.count(key) for key in keys}


def _cases(path: Path, policy_id: str, encoded: set[str], known: set[str]
           ) -> tuple[int | None, int, list[Diagnostic]]:
    """Count the decision cases in `path` (read as `socialpolicy test` reads them, so every
    problem it would stop on is reported here, with its position) and the encoded clauses they
    cite; report unknown clause ids."""
    if not path.is_file():
        return None, 0, []
    doc, cases, problems = load_cases(path, policy_id)
    if doc is None:
        return 0, 0, problems
    cited: set[str] = set()
    for case in cases:
        for j, clause_id in enumerate(case.expect["cites"]):
            if clause_id not in known:
                problems.append(doc.diagnostic(
                    (*case.where, "expect", "cites", j), "unknown-clause",
                    f"case cites clause `{clause_id}`, which is not in the policy",
                    "fix the clause id or the case"))
            cited.add(clause_id)
    return len(cases), len(encoded & cited), problems


def coverage_of(policy: str | Path, cases: str | Path | None = None) -> Coverage:
    """The coverage of one policy (bundled id or path), with decision cases from `cases`."""
    path = resolve(policy)
    doc, _ = _yaml.load(path.read_bytes(), str(path))  # lint reports its problems
    data: Any = doc.data if doc is not None else None
    top: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    policy_id = top.get("id") if isinstance(top.get("id"), str) else path.stem
    clauses = _items(top, "clauses")
    rules = _items(top, "rules")
    groups = [group for rule in rules for group in ("fires", "does_not_fire")
              for _ in _examples(rule, group)]
    problems = lint([path])
    if doc is not None and not top.get("source_file"):
        problems.append(doc.diagnostic((), "missing-source",
                                       "no `source_file`: clause text cannot be checked against "
                                       "the source document",
                                       "add `source_file:` naming the document's text in "
                                       "`sources/` beside the policy"))
    encoded = {str(c.get("id")) for c in clauses if c.get("status") == "encoded"}
    known = {str(c.get("id")) for c in clauses}
    unread: dict[str, tuple[str, ...]] = {}
    if doc is not None and not problems:
        document = compile_file(path).document
        unread = unread_labels(document)
        problems += _unread_problems(doc, document, unread)
    base = _cases_dir(cases)
    count, exercised, more = (_cases(base / f"{policy_id}.yaml", str(policy_id), encoded, known)
                              if base is not None else (None, 0, []))
    return Coverage(
        policy=str(policy_id), file=str(path),
        clauses=_counts(CLAUSE_STATUSES, (c.get("status") for c in clauses)),
        rules=_counts(SUBJECT_KINDS, (r.get("applies_to") for r in rules)),
        examples=_counts(("fires", "does_not_fire"), groups),
        cases=count, encoded_in_cases=exercised, problems=tuple(problems + more),
        unread=unread,
    )


def _labels(condition: Condition) -> set[str]:
    if isinstance(condition, HasLabel):
        return {condition.label}
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(_labels(part) for part in condition.parts))
    if isinstance(condition, Not):
        return _labels(condition.part)
    return set()


def unread_labels(document: PolicyDocument) -> dict[str, tuple[str, ...]]:
    """Per kind the policy governs, the labels of its vocabulary that no rule or scope reads."""
    result: dict[str, tuple[str, ...]] = {}
    for kind, policy in document.kinds.items():
        if policy.not_covered is not None:
            continue
        read = set().union(*(_labels(rule.when) for rule in document.rules_for(kind)))
        if policy.scope is not None:
            read |= _labels(policy.scope.when)
        result[kind] = tuple(sorted(LABELS[kind] - read))
    return result


def _unread_problems(doc: _yaml.Document, document: PolicyDocument,
                     unread: Mapping[str, tuple[str, ...]]) -> list[Diagnostic]:
    """An unread label without a reason is a gap; a reason for a label a rule reads is stale."""
    problems = []
    for kind, labels in unread.items():
        reasons = document.unread_labels.get(kind, {})  # type: ignore[call-overload]
        where: tuple[str, ...] = ("unread_labels", kind) if reasons else ()
        if ALL_UNREAD in reasons:
            continue
        for label in labels:
            if label not in reasons:
                problems.append(doc.diagnostic(
                    where, "unread-label", f"no {kind} rule reads label `{label}`",
                    f"encode the clause that governs it, or say why under `unread_labels: "
                    f"{{{kind}: {{{label}: ...}}}}` (e.g. \"the document has no clause on this\")"))
        for label in sorted(set(reasons) - set(labels)):
            problems.append(doc.diagnostic(
                ("unread_labels", kind, label), "unread-label",
                f"`unread_labels` gives a reason for `{label}`, but a {kind} rule reads it",
                "remove the stale reason"))
    return problems


def _cases_dir(cases: str | Path | None) -> Path | None:
    if cases is None:
        return DEFAULT_CASES if DEFAULT_CASES.is_dir() else None
    path = Path(cases)
    if not path.is_dir():
        raise InputError(f"cases directory `{cases}` not found; give the folder holding "
                         "`<policy id>.yaml` decision-case files")
    return path


def check_coverage(policies: Iterable[str | Path] | None = None,
                   cases: str | Path | None = None) -> CoverageReport:
    """Coverage of each policy (default: every bundled one), in the order given.

    Decision cases are read from `cases/<policy id>.yaml`; with no `cases`, from the bundled
    `policies/cases/`.
    """
    chosen = list(policies) if policies is not None else list(available_policies())
    return CoverageReport(coverage_of(policy, cases) for policy in chosen)


_LEGEND = ("clauses = encoded+not_encodable+out_of_scope; rules = comment+staff_post+"
           "account_request;\nexamples = fires+does_not_fire; cases: decision cases; cited by "
           "cases: encoded clauses\nthat at least one decision case cites; unread labels: "
           "vocabulary labels no rule reads,\neach with its reason in the policy")


def _table(rows: list[dict[str, str]], markdown: bool) -> list[str]:
    heads = list(rows[0])
    if markdown:
        return ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads),
                *("| " + " | ".join(row.values()) + " |" for row in rows)]
    widths = {h: max(len(h), *(len(row[h]) for row in rows)) for h in heads}
    right = {"cases"}
    return ["  ".join((row[h].rjust if h in right else row[h].ljust)(widths[h])
                      for h in heads).rstrip() for row in [dict(zip(heads, heads, strict=True)),
                                                          *rows]]


def render(reports: Sequence[Coverage], fmt: str = "text") -> str:
    """The report as a table (`text` or `markdown`), then every problem, policy by policy."""
    if not reports:
        return ""
    markdown = fmt == "markdown"
    lines = _table([report.row() for report in reports], markdown)
    lines += ["", _LEGEND.replace("\n", " ") if markdown else _LEGEND]
    for report in reports:
        if report.problems:
            lines += ["", f"{report.policy}: {report.row()['result']}"]
            lines += [("- " if markdown else "  ") + str(problem).replace("\n", "\n  ")
                      for problem in report.problems]
    return "\n".join(lines) + "\n"
