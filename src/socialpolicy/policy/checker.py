"""The check stage: plain YAML data in, a `PolicyDocument` or every problem with its position out.

Codes are stable (documented in docs/reference/error-codes.md); messages are lowercase with
user values in backticks, and the fix goes in the hint.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, time
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from .. import conditions
from .._yaml import Document
from .._yaml import Path as YamlPath
from ..errors import Diagnostic
from ..signals import derive
from ..timing import WEEKDAYS, WorkingHours
from ..vocab import (
    ACTION_KINDS,
    ACTIONS_NEEDING_TARGET,
    SCALES,
    SUBJECT_KINDS,
    TOPICS,
    Outcome,
    SubjectKind,
    closest,
    severity,
)
from . import reachability as satisfiability
from .model import (
    CLAUSE_STATUSES,
    INVARIANT_PROPERTIES,
    ActionSpec,
    Clause,
    ClauseStatus,
    Example,
    Fallback,
    Invariant,
    KindDefault,
    KindPolicy,
    PolicyDocument,
    Position,
    Rule,
    Scope,
    Topic,
    example_subject,
)
from .sources import verbatim_problem

_TOP_REQUIRED = ("id", "organisation", "title", "version", "source", "kinds", "clauses", "rules")
_TOP_OPTIONAL = ("effective", "review", "source_file", "seed_file", "names", "disclaimers",
                 "working_hours", "notes", "example_defaults", "topics", "invariants")
_TOPIC_SUMMARY_MAX = 120
_CLAUSE_ID = re.compile(
    r"^(?:[0-9]+(?:\.[0-9]+)*|(?:appendix|annex)-[a-z0-9]+)(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


class _Checker:
    def __init__(self, doc: Document, sources_dir: Path | None) -> None:
        self.doc = doc
        self.sources_dir = sources_dir
        self.problems: list[Diagnostic] = []

    # ---- reporting and shape helpers ----------------------------------------------------------

    def report(self, path: YamlPath, code: str, message: str, hint: str | None = None,
               at_key: bool = False) -> None:
        self.problems.append(self.doc.diagnostic(path, code, message, hint, at_key=at_key))

    def position(self, path: YamlPath) -> Position:
        line, column = self.doc.position(path)
        return Position(self.doc.file, line, column)

    def mapping(self, data: Any, path: YamlPath, what: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> Mapping[str, Any] | None:
        if not isinstance(data, Mapping):
            self.report(path, "bad-type", f"{what} must be a mapping",
                        f"write `key: value` lines for the {what}")
            return None
        known = required + optional
        for key in data:
            if key not in known:
                guess = closest(key, known)
                self.report((*path, key), "unknown-field", f"unknown field `{key}` in {what}",
                            f"did you mean `{guess}`?" if guess else
                            "allowed: " + ", ".join(known), at_key=True)
        for key in required:
            if key not in data:
                self.report(path, "missing-field", f"{what} is missing `{key}`",
                            f"add `{key}:`")
        return data

    def text(self, data: Mapping[str, Any], key: str, path: YamlPath,
             required: bool = True) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.report((*path, key), "bad-type", f"`{key}` must be non-empty text",
                        "quote the value")
            return None
        return value

    def text_list(self, data: Mapping[str, Any], key: str, path: YamlPath) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.report((*path, key), "bad-type", f"`{key}` must be a list of text",
                        f"write `{key}: [first, second]`")
            return ()
        return tuple(value)

    def iso_date(self, data: Mapping[str, Any], key: str, path: YamlPath) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.report((*path, key), "bad-value", f"`{value}` is not a date",
                        'write an ISO date in quotes, e.g. "2026-01-05"')
            return None

    def outcome(self, value: Any, kind: SubjectKind, path: YamlPath) -> Outcome | None:
        scale = [str(o) for o in SCALES[kind]]
        if value not in scale:
            guess = closest(str(value), scale)
            self.report(path, "bad-outcome", f"`{value}` is not a {kind} outcome",
                        f"did you mean `{guess}`?" if guess else "use one of " + ", ".join(scale))
            return None
        return Outcome(value)

    def cites(self, data: Mapping[str, Any], path: YamlPath, clause_ids: set[str]
              ) -> tuple[str, ...]:
        value = data.get("cites")
        if not isinstance(value, list) or not value:
            self.report((*path, "cites"), "missing-citation",
                        "every rule, default, scope and topic must cite at least one clause",
                        'add `cites: ["<clause id>"]`')
            return ()
        result = []
        for i, item in enumerate(value):
            item = str(item)
            if item not in clause_ids:
                guess = closest(item, clause_ids)
                self.report((*path, "cites", i), "unknown-clause",
                            f"cites clause `{item}`, which is not in `clauses`",
                            f"did you mean `{guess}`?" if guess else "add the clause first")
            result.append(item)
        return tuple(result)

    # ---- the document -------------------------------------------------------------------------

    def run(self) -> PolicyDocument | None:
        top = self.mapping(self.doc.data, (), "the policy", _TOP_REQUIRED, _TOP_OPTIONAL)
        if top is None:
            return None
        policy_id = self.text(top, "id", ())
        if policy_id and not _SNAKE.match(policy_id):
            self.report(("id",), "bad-id", f"policy id `{policy_id}` is not snake_case",
                        "use lowercase letters, digits and underscores, e.g. `mse_icb`")
        version = top.get("version")
        if version is not None and not isinstance(version, str):
            self.report(("version",), "bad-type", f"version `{version}` must be text",
                        f'quote it: version: "{version}"')
        clauses = self.clauses(top.get("clauses"))
        clause_ids = {c.id for c in clauses}
        rules = self.rules(top.get("rules"), clause_ids)
        kinds = self.kinds(top.get("kinds"), clause_ids, rules)
        hours = self.working_hours(top.get("working_hours"))
        defaults = self.example_defaults(top.get("example_defaults"))
        names = self.text_list(top, "names", ())
        disclaimers = self.text_list(top, "disclaimers", ())
        source_file = self.text(top, "source_file", ())
        seed_file = self.text(top, "seed_file", ())
        topics = self.topics(top.get("topics"), clause_ids)
        invariants = self.invariants(top.get("invariants", []), clause_ids)
        self.verbatim(source_file, clauses, top)
        self.traceability(clauses, rules, kinds)
        for rule in rules:
            if rule.respond_within_working_days is not None and hours is None:
                self.report(("working_hours",), "needs-working-hours",
                            f"rule `{rule.id}` sets respond_within but the policy has no "
                            "working_hours", "add a `working_hours:` block")
        if self.problems:
            return None
        document = PolicyDocument(
            id=cast(str, policy_id), organisation=cast(str, top["organisation"]),
            title=cast(str, top["title"]), version=cast(str, version),
            effective=self.iso_date(top, "effective", ()), review=self.iso_date(top, "review", ()),
            source=cast(str, top["source"]), source_file=source_file, seed_file=seed_file,
            names=names,
            disclaimers=disclaimers, working_hours=hours, notes=top.get("notes"), kinds=kinds,
            clauses=tuple(clauses), rules=tuple(rules), example_defaults=defaults,
            file=self.doc.file, digest="", clause_index={c.id: c for c in clauses},
            topics=topics, invariants=invariants,
        )
        self.reachability(document)
        self.examples(document)
        return None if self.problems else document

    def clauses(self, data: Any) -> list[Clause]:
        if not isinstance(data, list):
            self.report(("clauses",), "bad-type", "`clauses` must be a list",
                        "write one `- id: ...` entry per clause")
            return []
        result: list[Clause] = []
        seen: set[str] = set()
        for i, item in enumerate(data):
            path: YamlPath = ("clauses", i)
            entry = self.mapping(item, path, "a clause", ("id", "title", "text", "status"),
                                 ("reason", "note"))
            if entry is None:
                continue
            clause_id = entry.get("id")
            if not isinstance(clause_id, str):
                self.report((*path, "id"), "bad-id", f"clause id `{clause_id}` must be text",
                            f'quote it: id: "{clause_id}"')
                continue
            if not _CLAUSE_ID.match(clause_id):
                self.report((*path, "id"), "bad-id", f"clause id `{clause_id}` does not follow "
                            "the clause-id convention",
                            "use the printed number (`7.1.6`), `<number>/<slug>` for a bullet, "
                            "or `appendix-b/<slug>`")
            if clause_id in seen:
                self.report((*path, "id"), "duplicate-id", f"clause `{clause_id}` appears twice",
                            "give each clause a distinct id")
            seen.add(clause_id)
            status = entry.get("status")
            if status not in CLAUSE_STATUSES:
                guess = closest(str(status), CLAUSE_STATUSES)
                self.report((*path, "status"), "bad-value", f"unknown clause status `{status}`",
                            f"did you mean `{guess}`?" if guess else
                            "use encoded, not_encodable or out_of_scope")
                continue
            reason = self.text(entry, "reason", path)
            if status != "encoded" and not reason:
                self.report((*path, "status"), "missing-reason",
                            f"clause `{clause_id}` is `{status}` but gives no reason",
                            "add `reason:` saying why it cannot be or is not encoded")
            title, text = self.text(entry, "title", path), self.text(entry, "text", path)
            if title is None or text is None:
                continue
            result.append(Clause(clause_id, title, text, cast(ClauseStatus, status), reason,
                                 self.text(entry, "note", path), self.position(path)))
        return result

    def rules(self, data: Any, clause_ids: set[str]) -> list[Rule]:
        if not isinstance(data, list):
            self.report(("rules",), "bad-type", "`rules` must be a list",
                        "write one `- id: ...` entry per rule")
            return []
        result: list[Rule] = []
        seen: set[str] = set()
        for i, item in enumerate(data):
            rule = self.rule(item, ("rules", i), clause_ids)
            if rule is None:
                continue
            if rule.id in seen:
                self.report(("rules", i, "id"), "duplicate-id", f"rule `{rule.id}` appears twice",
                            "give each rule a distinct id")
            seen.add(rule.id)
            result.append(rule)
        return result

    def rule(self, item: Any, path: YamlPath, clause_ids: set[str]) -> Rule | None:
        entry = self.mapping(item, path, "a rule",
                             ("id", "applies_to", "when", "outcome", "cites", "reason",
                              "examples"), ("actions", "if_unavailable", "respond_within"))
        if entry is None:
            return None
        before = len(self.problems)
        rule_id = self.text(entry, "id", path)
        if rule_id and not _RULE_ID.match(rule_id):
            self.report((*path, "id"), "bad-id", f"rule id `{rule_id}` is not kebab-case",
                        "use lowercase words joined by hyphens, e.g. `abuse-delete`")
        kind = entry.get("applies_to")
        if kind not in SUBJECT_KINDS:
            guess = closest(str(kind), SUBJECT_KINDS)
            self.report((*path, "applies_to"), "bad-value", f"unknown subject kind `{kind}`",
                        f"did you mean `{guess}`?" if guess else
                        "use comment, staff_post or account_request")
            return None
        kind = cast(SubjectKind, kind)
        when = None
        if "when" in entry:
            when = conditions.parse(entry["when"], kind, (*path, "when"), self.report)
        outcome = self.outcome(entry.get("outcome"), kind, (*path, "outcome"))
        cites = self.cites(entry, path, clause_ids)
        actions = self.actions(entry.get("actions", []), (*path, "actions"))
        fallback = None
        if "if_unavailable" in entry:
            fallback = self.fallback(entry["if_unavailable"], kind, (*path, "if_unavailable"))
        within = self.respond_within(entry.get("respond_within"), (*path, "respond_within"))
        examples = self.rule_examples(entry.get("examples"), (*path, "examples"))
        reason = self.text(entry, "reason", path)
        if len(self.problems) > before or when is None or outcome is None or reason is None:
            return None
        return Rule(cast(str, rule_id), kind, when, outcome, cites, reason, actions, fallback,
                    within, examples, self.position(path))

    def actions(self, data: Any, path: YamlPath) -> tuple[ActionSpec, ...]:
        if not isinstance(data, list):
            self.report(path, "bad-type", "`actions` must be a list",
                        "write `actions: [{kind: contact_author}]`")
            return ()
        result = []
        for i, item in enumerate(data):
            entry = self.mapping(item, (*path, i), "an action", ("kind",), ("target", "detail"))
            if entry is None:
                continue
            kind = entry.get("kind")
            if kind not in ACTION_KINDS:
                guess = closest(str(kind), ACTION_KINDS)
                self.report((*path, i, "kind"), "bad-action", f"unknown action `{kind}`",
                            f"did you mean `{guess}`?" if guess else
                            "use one of " + ", ".join(ACTION_KINDS))
                continue
            target = entry.get("target")
            if kind in ACTIONS_NEEDING_TARGET and not target:
                self.report((*path, i), "missing-target", f"`{kind}` needs a `target`",
                            "add e.g. `target: communications_team`")
            if target is not None and (not isinstance(target, str) or not _SNAKE.match(target)):
                self.report((*path, i, "target"), "bad-value",
                            f"target `{target}` is not snake_case",
                            "write it like `duty_communications_manager` (quote `\"999\"`)")
                continue
            result.append(ActionSpec(kind, target, self.text(entry, "detail", (*path, i))))
        return tuple(result)

    def fallback(self, data: Any, kind: SubjectKind, path: YamlPath) -> Fallback | None:
        entry = self.mapping(data, path, "`if_unavailable`", ("outcome",), ("actions",))
        if entry is None:
            return None
        if kind != "comment":
            self.report(path, "bad-fallback", "`if_unavailable` applies to comments only",
                        "remove it: only comment outcomes depend on the platform")
            return None
        outcome = self.outcome(entry.get("outcome"), kind, (*path, "outcome"))
        actions = self.actions(entry.get("actions", []), (*path, "actions"))
        return None if outcome is None else Fallback(outcome, actions)

    def respond_within(self, data: Any, path: YamlPath) -> int | None:
        if data is None:
            return None
        entry = self.mapping(data, path, "`respond_within`", ("working_days",))
        days = entry.get("working_days") if entry else None
        if entry is not None and (not isinstance(days, int) or isinstance(days, bool)
                                  or days < 1):
            self.report((*path, "working_days"), "bad-value",
                        f"`{days}` is not a positive whole number of working days",
                        "write e.g. `working_days: 2`")
            return None
        return cast(int | None, days)

    def rule_examples(self, data: Any, path: YamlPath) -> tuple[Example, ...]:
        entry = self.mapping(data, path, "`examples`", ("fires", "does_not_fire"))
        if entry is None:
            return ()
        result = []
        for key, fires in (("fires", True), ("does_not_fire", False)):
            items = entry.get(key)
            if key in entry and (not isinstance(items, list) or not items):
                self.report((*path, key), "missing-examples",
                            f"`{key}` needs at least one example",
                            "add a partial subject that " +
                            ("fires the rule" if fires else "comes close but does not fire it"))
                continue
            for i, item in enumerate(items or []):
                if not isinstance(item, Mapping):
                    self.report((*path, key, i), "bad-example", "an example must be a mapping",
                                "write the subject's fields, e.g. `{labels: [spam]}`")
                    continue
                result.append(Example(item, fires, self.position((*path, key, i))))
        return tuple(result)

    def kinds(self, data: Any, clause_ids: set[str], rules: list[Rule]
              ) -> dict[SubjectKind, KindPolicy]:
        entry = self.mapping(data, ("kinds",), "`kinds`", (), SUBJECT_KINDS)
        result: dict[SubjectKind, KindPolicy] = {}
        for kind in SUBJECT_KINDS:
            path: YamlPath = ("kinds", kind)
            has_rules = any(rule.applies_to == kind for rule in rules)
            if entry is None or kind not in entry:
                if has_rules:
                    self.report(("kinds",), "missing-default",
                                f"rules apply to `{kind}` but `kinds` gives it no default",
                                f"add `{kind}: {{default: {{outcome: ..., cites: [...], "
                                "reason: ...}}`")
                continue
            block = self.mapping(entry[kind], path, f"`kinds.{kind}`", (),
                                 ("default", "scope", "not_covered"))
            if block is None:
                continue
            if "not_covered" in block:
                reason = self.text(block, "not_covered", path)
                if "default" in block or "scope" in block or has_rules:
                    self.report((*path, "not_covered"), "not-covered-conflict",
                                f"`{kind}` is marked not_covered but also has a default, a scope "
                                "or rules", "remove `not_covered` or the rules for this kind")
                result[kind] = KindPolicy(kind, not_covered=reason)
                continue
            default = self.kind_default(block.get("default"), kind, (*path, "default"),
                                        clause_ids)
            scope = None
            if "scope" in block:
                scope = self.scope(block["scope"], kind, (*path, "scope"), clause_ids)
            result[kind] = KindPolicy(kind, default=default, scope=scope)
        return result

    def kind_default(self, data: Any, kind: SubjectKind, path: YamlPath, clause_ids: set[str]
                     ) -> KindDefault | None:
        if data is None:
            self.report(path, "missing-default", f"`{kind}` needs a `default` or `not_covered`",
                        "add `default: {outcome: ..., cites: [...], reason: ...}`")
            return None
        entry = self.mapping(data, path, "a default", ("outcome", "cites", "reason"))
        if entry is None:
            return None
        outcome = self.outcome(entry.get("outcome"), kind, (*path, "outcome"))
        cites = self.cites(entry, path, clause_ids)
        reason = self.text(entry, "reason", path)
        if outcome is None or reason is None:
            return None
        return KindDefault(outcome, cites, reason)

    def scope(self, data: Any, kind: SubjectKind, path: YamlPath, clause_ids: set[str]
              ) -> Scope | None:
        entry = self.mapping(data, path, "a scope", ("when", "cites", "outside"))
        if entry is None or "when" not in entry:
            return None
        when = conditions.parse(entry["when"], kind, (*path, "when"), self.report)
        cites = self.cites(entry, path, clause_ids)
        outside = self.text(entry, "outside", path)
        if when is None or outside is None:
            return None
        return Scope(when, cites, outside)

    def invariants(self, data: Any, clause_ids: set[str]) -> tuple[Invariant, ...]:
        if not isinstance(data, list):
            self.report(("invariants",), "bad-type", "`invariants` must be a list",
                        "write one `- id: ...` entry per invariant")
            return ()
        result = []
        for i, item in enumerate(data):
            path: YamlPath = ("invariants", i)
            entry = self.mapping(item, path, "an invariant", ("id", "applies_to", "cites",
                                                             "reason"),
                                 ("when", "labels_within", "outcome_in", "outcome_not_in",
                                  "property"))
            if entry is None:
                continue
            before = len(self.problems)
            kind = entry.get("applies_to")
            if kind not in SUBJECT_KINDS:
                self.report((*path, "applies_to"), "bad-value", f"unknown subject kind `{kind}`",
                            "use comment, staff_post or account_request")
                continue
            kind = cast(SubjectKind, kind)
            cites = self.cites(entry, path, clause_ids)
            when = (conditions.parse(entry["when"], kind, (*path, "when"), self.report)
                    if "when" in entry else None)
            outcomes: dict[str, frozenset[Outcome] | None] = {}
            for key in ("outcome_in", "outcome_not_in"):
                values = entry.get(key)
                if values is None:
                    outcomes[key] = None
                    continue
                if not isinstance(values, list) or not values:
                    self.report((*path, key), "bad-type", f"`{key}` must be a list of outcomes",
                                f"write `{key}: [leave]`")
                    continue
                checked = [self.outcome(v, kind, (*path, key, j)) for j, v in enumerate(values)]
                outcomes[key] = frozenset(o for o in checked if o is not None)
            labels = entry.get("labels_within")
            if labels is not None:
                for j, label in enumerate(labels if isinstance(labels, list) else [labels]):
                    conditions.parse({"label": label}, kind, (*path, "labels_within", j),
                                     self.report)
            prop = entry.get("property")
            if prop is not None and prop not in INVARIANT_PROPERTIES:
                self.report((*path, "property"), "bad-value", f"unknown property `{prop}`",
                            "use one of " + ", ".join(INVARIANT_PROPERTIES))
            expects = outcomes.get("outcome_in") or outcomes.get("outcome_not_in")
            if (prop is None) == (expects is None):
                self.report(path, "invariant-shape",
                            "an invariant needs either `property` or one of `outcome_in`/"
                            "`outcome_not_in`", "say what must hold of the decision")
            rule_id = self.text(entry, "id", path)
            reason = self.text(entry, "reason", path)
            if len(self.problems) > before or rule_id is None or reason is None:
                continue
            result.append(Invariant(
                rule_id, kind, cites, reason, when,
                frozenset(labels) if isinstance(labels, list) else None,
                outcomes.get("outcome_in"), outcomes.get("outcome_not_in"), prop,
                self.position(path)))
        return tuple(result)

    def topics(self, data: Any, clause_ids: set[str]) -> dict[str, Topic]:
        """The comparison topics: fixed keys, so every organisation's column means the same."""
        if data is None:
            return {}
        entry = self.mapping(data, ("topics",), "`topics`", (), tuple(TOPICS))
        result: dict[str, Topic] = {}
        for key, value in (entry or {}).items():
            if key not in TOPICS:
                continue
            path: YamlPath = ("topics", key)
            block = self.mapping(value, path, f"topic `{key}`", ("summary", "cites"))
            if block is None:
                continue
            summary = self.text(block, "summary", path)
            if summary is not None and len(summary) > _TOPIC_SUMMARY_MAX:
                self.report((*path, "summary"), "bad-value",
                            f"topic `{key}` summary is {len(summary)} characters long",
                            f"say the rule in a few words (at most {_TOPIC_SUMMARY_MAX} "
                            "characters); the clauses hold the detail")
                summary = None
            cites = self.cites(block, path, clause_ids) if "cites" in block else ()
            if summary is not None and cites:
                result[key] = Topic(summary, cites, self.position(path))
        return result

    def working_hours(self, data: Any) -> WorkingHours | None:
        if data is None:
            return None
        path: YamlPath = ("working_hours",)
        entry = self.mapping(data, path, "`working_hours`", ("timezone", "start", "end", "days"),
                             ("holidays",))
        if entry is None:
            return None
        bounds: list[time] = []
        for key in ("start", "end"):
            match = _TIME.match(str(entry.get(key, "")))
            if not match:
                self.report((*path, key), "bad-value", f"`{entry.get(key)}` is not a time",
                            'write 24-hour time in quotes, e.g. "09:00"')
                return None
            bounds.append(time(int(match[1]), int(match[2])))
        days = entry.get("days")
        if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
            self.report((*path, "days"), "bad-value", "`days` must list weekdays",
                        "write e.g. `days: [mon, tue, wed, thu, fri]`")
            return None
        try:
            return WorkingHours(str(entry["timezone"]), bounds[0], bounds[1],
                                frozenset(WEEKDAYS.index(d) for d in days),
                                entry.get("holidays"))
        except Exception as exc:  # an unknown zone: ZoneInfoNotFoundError or ValueError
            self.report((*path, "timezone"), "bad-value",
                        f"unknown time zone `{entry['timezone']}` ({type(exc).__name__})",
                        "use an IANA name such as `Europe/London`")
            return None

    def example_defaults(self, data: Any) -> dict[SubjectKind, Mapping[str, Any]]:
        if data is None:
            return {}
        entry = self.mapping(data, ("example_defaults",), "`example_defaults`", (), SUBJECT_KINDS)
        return {cast(SubjectKind, k): v for k, v in (entry or {}).items()
                if isinstance(v, Mapping)}

    # ---- cross-cutting checks -----------------------------------------------------------------

    def verbatim(self, source_file: str | None, clauses: list[Clause],
                 top: Mapping[str, Any]) -> None:
        if source_file is None:
            return
        base = self.sources_dir or Path(self.doc.file).parent / "sources"
        source = base / source_file
        if not source.is_file():
            self.report(("source_file",), "missing-source",
                        f"source document `{source_file}` not found next to the policy",
                        f"put it in `{base.name}/` beside the policy file or drop `source_file`")
            return
        text = source.read_text(encoding="utf-8")
        for i, clause in enumerate(clauses):
            problem = verbatim_problem(clause.text, text)
            if problem:
                self.report(("clauses", i, "text"), "not-verbatim",
                            f"clause `{clause.id}` text is not in `{source_file}`", problem)

    def traceability(self, clauses: list[Clause], rules: list[Rule],
                     kinds: Mapping[SubjectKind, KindPolicy]) -> None:
        cited: set[str] = {c for rule in rules for c in rule.cites}
        for policy in kinds.values():
            cited.update(policy.default.cites if policy.default else ())
            cited.update(policy.scope.cites if policy.scope else ())
        statuses = {clause.id: clause.status for clause in clauses}
        for i, clause in enumerate(clauses):
            if clause.status == "encoded" and clause.id not in cited:
                self.report(("clauses", i, "status"), "uncited-clause",
                            f"clause `{clause.id}` is encoded but no rule cites it",
                            "cite it from a rule, or mark it not_encodable with a reason")
        for i, rule in enumerate(rules):
            for clause_id in rule.cites:
                if statuses.get(clause_id, "encoded") != "encoded":
                    self.report(("rules", i, "cites"), "cites-unencoded",
                                f"rule `{rule.id}` cites `{clause_id}`, whose status is "
                                f"`{statuses[clause_id]}`",
                                "set the clause's status to encoded or cite another clause")

    def reachability(self, document: PolicyDocument) -> None:
        """Rules that can never fire, and rules another rule already covers in full."""
        for kind in SUBJECT_KINDS:
            policy = document.kinds.get(kind)
            scope = policy.scope if policy else None
            rules = [(i, rule) for i, rule in enumerate(document.rules) if rule.applies_to == kind]
            compiled = {rule.id: conditions.to_ir(rule.when) for _, rule in rules}
            in_scope = {rule.id: ({"all": [conditions.to_ir(scope.when), compiled[rule.id]]}
                                  if scope else compiled[rule.id]) for _, rule in rules}
            for i, rule in rules:
                if not satisfiability.satisfiable(kind, in_scope[rule.id]):
                    self.report(("rules", i, "when"), "unreachable-rule",
                                f"rule `{rule.id}` can never fire: its conditions contradict "
                                "each other" + (" or the kind's scope" if scope else ""),
                                "remove the contradictory test, or the rule")
                    continue
                for j, other in rules:
                    if j != i and self._covers(kind, other, rule, in_scope, compiled) and not (
                            j > i and self._covers(kind, rule, other, in_scope, compiled)):
                        self.report(("rules", i, "when"), "shadowed-rule",
                                    f"rule `{rule.id}` is shadowed by `{other.id}`: whenever it "
                                    f"fires, `{other.id}` fires with the same or a stronger "
                                    "outcome, actions and citations",
                                    f"remove `{rule.id}` or make it say something `{other.id}` "
                                    "does not")
                        break

    @staticmethod
    def _covers(kind: SubjectKind, wide: Rule, narrow: Rule, in_scope: dict[str, Any],
                compiled: dict[str, Any]) -> bool:
        """Whether `wide` says everything `narrow` says whenever `narrow` fires."""
        def actions(rule: Rule) -> set[tuple[str, str | None]]:
            return {(a.kind, a.target) for a in rule.actions}

        if (severity(kind, wide.outcome) < severity(kind, narrow.outcome)
                or not set(narrow.cites) <= set(wide.cites)
                or not actions(narrow) <= actions(wide)
                or narrow.if_unavailable != wide.if_unavailable
                or narrow.respond_within_working_days not in (
                    None, wide.respond_within_working_days)):
            return False
        negated = conditions.to_ir(wide.when, negate=True)
        return satisfiability.implies(kind, in_scope[narrow.id], negated)

    def examples(self, document: PolicyDocument) -> None:
        for i, rule in enumerate(document.rules):
            groups = {example.fires for example in rule.examples}
            for fires in (True, False):
                if fires not in groups:
                    key = "fires" if fires else "does_not_fire"
                    self.report(("rules", i, "examples"), "missing-examples",
                                f"rule `{rule.id}` has no `{key}` examples",
                                "every rule needs examples that fire and that do not")
            compiled = conditions.to_ir(rule.when)
            for example in rule.examples:
                where = Position(example.position.file, example.position.line,
                                 example.position.column)
                try:
                    subject = example_subject(rule.applies_to, example.fields,
                                              document.example_defaults.get(rule.applies_to))
                except ValidationError as exc:
                    for error in exc.errors():
                        loc = ".".join(str(part) for part in error["loc"])
                        self.problems.append(Diagnostic(
                            "bad-example", f"example field `{loc}`: {error['msg']}", where.file,
                            where.line, where.column, "fix the example's field"))
                    continue
                facts, _ = derive(subject, document)
                if conditions.evaluate(compiled, facts) != example.fires:
                    said = "fires" if example.fires else "does_not_fire"
                    self.problems.append(Diagnostic(
                        "example-mismatch",
                        f"rule `{rule.id}`: this `{said}` example "
                        f"{'does not fire' if example.fires else 'fires'}",
                        where.file, where.line, where.column,
                        "fix the example or the rule's `when`; `socialpolicy explain` shows "
                        "which conditions held"))


def check(doc: Document, sources_dir: Path | None = None
          ) -> tuple[PolicyDocument | None, list[Diagnostic]]:
    """Check a parsed policy file; the document is returned only if there are no problems."""
    checker = _Checker(doc, sources_dir)
    document = checker.run()
    return document, checker.problems


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
