"""Decision-case files: where a policy's cases are found, and reading one into checked `Case`s.

A case file is data a policy author writes by hand, so it is read like a policy file: strict YAML,
every shape problem reported at once with its position, as a `PolicyError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from .. import _yaml
from .._yaml import Path as YamlPath
from ..errors import Diagnostic, PolicyError
from ..policy.loader import BUNDLED
from ..policy.model import Position
from ..vocab import SUBJECT_KINDS, SubjectKind, did_you_mean

#: The bundled policies' decision cases, shipped beside them.
BUNDLED_CASES = BUNDLED / "cases"

_CASE_KEYS = ("name", "subject", "expect", "platform_capabilities")
_EXPECT_KEYS = ("outcome", "cites", "actions", "respond_by", "rules")


@dataclass(frozen=True, slots=True)
class Case:
    """One scenario: a partial subject and what the policy must decide for it."""

    name: str
    kind: SubjectKind
    fields: Mapping[str, Any]
    expect: Mapping[str, Any]
    platform_capabilities: Mapping[str, Any] | None
    position: Position
    #: where the case stands in its file (`("cases", 3)`), for positioned diagnostics
    where: YamlPath = field(default=(), compare=False)


def cases_file_for(policy_file: Path, policy_id: str, cases_path: str | Path | None = None
                   ) -> Path | None:
    """The case file for a policy: `cases_path` (a file, or a folder holding `<id>.yaml`), else
    `cases/<id>.yaml` beside the policy file (the bundled ones live in `policies/cases/`).

    None when no file is there; an explicit `cases_path` that does not exist is an error."""
    if cases_path is not None:
        path = Path(cases_path)
        if path.is_dir():
            path = path / f"{policy_id}.yaml"
        if not path.is_file():
            raise FileNotFoundError(f"decision-case file `{path}` not found; give a case file or "
                                    f"a folder holding `{policy_id}.yaml`")
        return path
    beside = policy_file.parent / "cases" / f"{policy_id}.yaml"
    return beside if beside.is_file() else None


def read_cases(path: Path, policy_id: str) -> list[Case]:
    """Every case in the file; a `PolicyError` listing every shape problem otherwise."""
    _, cases, problems = load_cases(path, policy_id)
    if problems:
        raise PolicyError(problems)
    return cases


def load_cases(path: Path, policy_id: str
               ) -> tuple[_yaml.Document | None, list[Case], list[Diagnostic]]:
    """The parsed file, its well-formed cases and every problem (positioned, sorted); never
    raises on a bad file (bytes that are not UTF-8 are problems too), for callers that report
    problems beside other findings."""
    doc, problems = _yaml.load(path.read_bytes(), str(path))
    if doc is None:
        return None, [], problems
    cases = _Reader(doc, policy_id, problems).cases()
    return doc, cases, sorted(problems, key=lambda d: (d.line, d.column))


class _Reader:
    def __init__(self, doc: _yaml.Document, policy_id: str, problems: list[Diagnostic]) -> None:
        self.doc, self.policy_id, self.problems = doc, policy_id, problems

    def report(self, path: YamlPath, code: str, message: str, hint: str,
               at_key: bool = False) -> None:
        self.problems.append(self.doc.diagnostic(path, code, message, hint, at_key=at_key))

    def keys(self, data: Mapping[str, Any], path: YamlPath, known: tuple[str, ...]) -> None:
        for key in data:
            if key not in known:
                self.report((*path, key), "unknown-field", f"unknown field `{key}` in a case",
                            did_you_mean(key, known) or "allowed: " + ", ".join(known),
                            at_key=True)

    def cases(self) -> list[Case]:
        data = self.doc.data
        if not isinstance(data, Mapping):
            self.report((), "bad-type", "a case file must be a mapping",
                        "start with `policy: <id>` and `cases:`")
            return []
        self.keys(data, (), ("policy", "cases"))
        if data.get("policy") != self.policy_id:
            self.report(("policy",), "bad-value",
                        f"cases file is for policy `{data.get('policy')}`, not `{self.policy_id}`",
                        f"set `policy: {self.policy_id}` or rename the file")
        items = data.get("cases")
        if not isinstance(items, list):
            self.report(("cases",), "bad-type", "`cases` must be a list",
                        "write one `- name: ...` entry per case")
            return []
        result, names = [], set()
        for i, item in enumerate(items):
            case = self.case(item, ("cases", i))
            if case is None:
                continue
            if case.name in names:
                self.report(("cases", i, "name"), "duplicate-id",
                            f"case `{case.name}` appears twice", "give each case a distinct name")
            names.add(case.name)
            result.append(case)
        return result

    def case(self, item: Any, path: YamlPath) -> Case | None:
        if not isinstance(item, Mapping):
            self.report(path, "bad-type", "a case must be a mapping",
                        "write `name:`, `subject:` and `expect:`")
            return None
        before = len(self.problems)
        self.keys(item, path, _CASE_KEYS)
        for key in ("name", "subject", "expect"):
            if key not in item:
                self.report(path, "missing-field", f"case is missing `{key}`", f"add `{key}:`")
        name, subject, expect = item.get("name"), item.get("subject"), item.get("expect")
        if name is not None and not (isinstance(name, str) and name.strip()):
            self.report((*path, "name"), "bad-type", "`name` must be non-empty text",
                        "quote the value")
        if subject is not None and not isinstance(subject, Mapping):
            self.report((*path, "subject"), "bad-type", "`subject` must be a mapping",
                        "write the subject's fields, with `kind:`")
        elif subject is not None and subject.get("kind") not in SUBJECT_KINDS:
            self.report((*path, "subject", "kind"), "bad-value",
                        f"unknown subject kind `{subject.get('kind')}`",
                        "use comment, staff_post or account_request")
        capabilities = item.get("platform_capabilities")
        if capabilities is not None and not isinstance(capabilities, Mapping):
            self.report((*path, "platform_capabilities"), "bad-type",
                        "`platform_capabilities` must be a mapping",
                        "write e.g. `{x: [hide]}`")
        self.expectation(expect, (*path, "expect"))
        if len(self.problems) > before:
            return None
        assert isinstance(subject, Mapping) and isinstance(expect, Mapping)
        line, column = self.doc.position(path)
        return Case(str(name), cast(SubjectKind, subject["kind"]), subject, expect, capabilities,
                    Position(self.doc.file, line, column), path)

    def expectation(self, expect: Any, path: YamlPath) -> None:
        if expect is None:
            return
        if not isinstance(expect, Mapping):
            self.report(path, "bad-type", "`expect` must be a mapping",
                        "write `outcome:` and `cites:`")
            return
        self.keys(expect, path, _EXPECT_KEYS)
        for key in ("outcome", "cites"):
            if key not in expect:
                self.report(path, "missing-field", f"`expect` is missing `{key}`", f"add `{key}:`")
        if "outcome" in expect and not isinstance(expect["outcome"], str):
            self.report((*path, "outcome"), "bad-type", "`outcome` must be text",
                        "write e.g. `outcome: delete`")
        for key in ("cites", "rules"):
            value = expect.get(key)
            if value is not None and not (isinstance(value, list)
                                          and all(isinstance(v, str) for v in value)):
                self.report((*path, key), "bad-type", f"`{key}` must be a list of text",
                            f"write `{key}: [first, second]` (quote numbers: `\"6.3.2\"`)")
        actions = expect.get("actions")
        if actions is not None and not (isinstance(actions, list) and all(
                isinstance(a, Mapping) and isinstance(a.get("kind"), str) for a in actions)):
            self.report((*path, "actions"), "bad-type", "`actions` must be a list of mappings "
                        "with `kind`", "write `actions: [{kind: contact_author}]`")
        respond_by = expect.get("respond_by")
        if respond_by is not None and not _is_timestamp(respond_by):
            self.report((*path, "respond_by"), "bad-value", f"`{respond_by}` is not a timestamp "
                        "with a time zone", 'write e.g. "2026-03-06T10:00:00+00:00", or null')


def _is_timestamp(value: Any) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False
