"""The condition language of policy rules: its AST, its parser and its normal form.

A rule's `when:` is parsed into this AST (with every problem reported at its position), then
lowered to negation normal form over flat fact keys, the shape both engines evaluate:

    label.<name>      bool   the label is on the subject
    field.<path>      value  a subject field (`present` fields hold a bool)
    fact.<name>       value  a fact derived by the library (bool, or one of ENUM_FACTS' values)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, cast

from .subjects import CONDITION_FIELDS
from .vocab import DERIVED_FACTS, ENUM_FACTS, LABELS, WORDING_FACT_PREFIX, SubjectKind, did_you_mean

Op = Literal["eq", "ne", "lt", "le", "gt", "ge"]
COMPARISONS: tuple[str, ...] = ("eq", "ne", "lt", "le", "gt", "ge")
#: The largest number a condition may test a whole-number field against.
MAX_THRESHOLD = 1_000_000
_NEGATED: dict[str, Op] = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le"}


@dataclass(frozen=True, slots=True)
class HasLabel:
    label: str


@dataclass(frozen=True, slots=True)
class FieldTest:
    path: str
    op: Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "present"]
    value: Any


@dataclass(frozen=True, slots=True)
class HasFact:
    """A derived fact: true (`{fact: published}`), or an enum fact's value
    (`{fact: capacity, eq: professional}`, `ne`, or `in: [...]`)."""

    fact: str
    op: Literal["eq", "ne", "in"] = "eq"
    value: Any = True


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Condition


Condition: TypeAlias = HasLabel | FieldTest | HasFact | AllOf | AnyOf | Not

# ---- parsing ---------------------------------------------------------------------------------

Path = tuple[str | int, ...]
Report = Callable[[Path, str, str, str | None], None]
_FORMS = ("label", "field", "fact", "all", "any", "not")


def parse(data: Any, kind: SubjectKind, path: Path, report: Report) -> Condition | None:
    """Parse a `when:` mapping for subjects of `kind`; report problems, return None if any."""
    if not isinstance(data, Mapping):
        report(path, "condition-shape", "a condition must be a mapping",
               "write e.g. `{label: spam}` or `{all: [...]}`")
        return None
    forms = [key for key in data if key in _FORMS]
    if len(forms) != 1:
        found = ", ".join(f"`{k}`" for k in data) or "nothing"
        report(path, "condition-shape", f"a condition needs exactly one of label, field, fact, "
               f"all, any, not; found {found}", "split it into `all: [...]` of single tests")
        return None
    form = forms[0]
    extra = [k for k in data if k != form and not (form == "field" and k in (*COMPARISONS, "in",
                                                                            "present"))
             and not (form == "fact" and k in ("eq", "ne", "in"))]
    for key in extra:
        report((*path, key), "unknown-field", f"unknown key `{key}` in a `{form}` condition",
               did_you_mean(key, _FORMS + COMPARISONS + ("in", "present")) or "remove it")
    if extra:
        return None
    value = data[form]
    if form == "label":
        return _parse_label(value, kind, (*path, form), report)
    if form == "fact":
        return _parse_fact(data, kind, path, report)
    if form == "field":
        return _parse_field(data, kind, path, report)
    if form == "not":
        inner = parse(value, kind, (*path, form), report)
        return None if inner is None else Not(inner)
    if not isinstance(value, list) or not value:
        report((*path, form), "condition-shape", f"`{form}` needs a non-empty list of conditions",
               f"write `{form}: [{{label: ...}}, ...]`")
        return None
    parts = [parse(item, kind, (*path, form, i), report) for i, item in enumerate(value)]
    if any(part is None for part in parts):
        return None
    checked = tuple(part for part in parts if part is not None)
    return AllOf(checked) if form == "all" else AnyOf(checked)


def _parse_fact(data: Mapping[str, Any], kind: SubjectKind, path: Path,
                report: Report) -> Condition | None:
    value = data["fact"]
    known = DERIVED_FACTS[kind]
    wording = (kind == "staff_post" and isinstance(value, str)
               and value.startswith(WORDING_FACT_PREFIX))  # declared per policy; checked there
    if not isinstance(value, str) or (value not in known and not wording):
        report((*path, "fact"), "unknown-fact", f"unknown {kind} fact `{value}`",
               did_you_mean(value, known) or "known facts: " + ", ".join(known))
        return None
    ops = [key for key in data if key != "fact"]
    choices = ENUM_FACTS.get(value)
    if choices is None:
        if ops:
            report((*path, ops[0]), "bad-operator", f"fact `{value}` is true or false",
                   f"write `{{fact: {value}}}`, or `{{not: {{fact: {value}}}}}`")
            return None
        return HasFact(value)
    if len(ops) != 1:
        report(path, "condition-shape", f"fact `{value}` holds one of {', '.join(choices)}",
               f"test it with one operator: `{{fact: {value}, eq: {choices[0]}}}` (or ne, in)")
        return None
    op = ops[0]
    values = data[op] if op == "in" else [data[op]]
    if not isinstance(values, list) or not values:
        report((*path, op), "bad-value", "`in` needs a non-empty list",
               f"write `in: [{choices[0]}, ...]`")
        return None
    for i, item in enumerate(values):
        if item not in choices:
            report((*path, op, i) if op == "in" else (*path, op), "bad-value",
                   f"`{item}` is not a value of fact `{value}`",
                   did_you_mean(item, choices) or "one of " + ", ".join(choices))
            return None
    return HasFact(value, cast(Any, op), tuple(values) if op == "in" else values[0])


def _parse_label(value: Any, kind: SubjectKind, path: Path, report: Report) -> Condition | None:
    known = LABELS[kind]
    if not isinstance(value, str) or value not in known:
        hint = did_you_mean(value, known) or (
            f"{kind} labels are listed in `socialpolicy.vocab.LABELS` and the labels reference "
            "of the documentation")
        report(path, "unknown-label", f"unknown {kind} label `{value}`", hint)
        return None
    return HasLabel(value)


def _parse_field(data: Mapping[str, Any], kind: SubjectKind, path: Path,
                 report: Report) -> Condition | None:
    name = data["field"]
    specs = CONDITION_FIELDS[kind]
    spec = specs.get(name) if isinstance(name, str) else None
    if spec is None:
        report((*path, "field"), "unknown-field", f"`{name}` is not a testable {kind} field",
               did_you_mean(name, specs) or "testable fields: " + ", ".join(specs))
        return None
    ops = [key for key in data if key != "field"]
    if len(ops) != 1:
        report(path, "condition-shape", f"field `{name}` needs exactly one operator",
               "use one of eq, ne, in, lt, le, gt, ge, present")
        return None
    op = ops[0]
    value = data[op]
    allowed = {"enum": ("eq", "ne", "in"), "bool": ("eq", "ne"),
               "int": ("eq", "ne", "lt", "le", "gt", "ge", "in"), "present": ("present",)}
    if op not in allowed[spec.type]:
        report((*path, op), "bad-operator", f"`{op}` cannot test {spec.type} field `{name}`",
               "use " + ", ".join(allowed[spec.type]))
        return None
    values = value if op == "in" else [value]
    if op == "in" and (not isinstance(value, list) or not value):
        report((*path, op), "bad-value", "`in` needs a non-empty list",
               f"write `in: [{name}, ...]`")
        return None
    for i, item in enumerate(values):
        where = (*path, op, i) if op == "in" else (*path, op)
        problem = _value_problem(spec.type, spec.choices, item)
        if problem:
            code = "out-of-range" if "out of range" in problem else "bad-value"
            report(where, code, f"{problem} for field `{name}`",
                   did_you_mean(item, spec.choices) or _type_hint(spec.type, spec.choices))
            return None
    return FieldTest(name, cast(Any, op), tuple(value) if op == "in" else value)


def _value_problem(field_type: str, choices: tuple[str, ...], value: Any) -> str | None:
    if field_type == "enum" and value not in choices:
        return f"`{value}` is not a valid value"
    if field_type in ("bool", "present") and not isinstance(value, bool):
        return f"`{value}` is not true or false"
    if field_type == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        # Never compare text with numbers: the durable engine would say '11' > 10.
        return f"`{value}` is not a whole number"
    if field_type == "int" and not 0 <= value <= MAX_THRESHOLD:
        # Both engines compare exactly only well inside 64 bits; counts are small anyway.
        return f"`{value}` is out of range (0 to {MAX_THRESHOLD:,})"
    return None


def _type_hint(field_type: str, choices: tuple[str, ...]) -> str:
    if field_type == "enum":
        return "one of " + ", ".join(choices)
    return {"bool": "use true or false", "present": "use true or false",
            "int": "use an unquoted whole number"}[field_type]


# ---- normal form -----------------------------------------------------------------------------

IR = dict[str, Any]


def key_of(condition: HasLabel | FieldTest | HasFact) -> str:
    if isinstance(condition, HasLabel):
        return f"label.{condition.label}"
    if isinstance(condition, HasFact):
        return f"fact.{condition.fact}"
    return f"field.{condition.path}"


def _atom(key: str, op: Op, value: Any) -> IR:
    return {"key": key, "op": op, "value": value}


def to_ir(condition: Condition, negate: bool = False) -> IR:
    """Lower to negation normal form: only all/any over (key, op, value) atoms."""
    if isinstance(condition, Not):
        return to_ir(condition.part, not negate)
    if isinstance(condition, AllOf | AnyOf):
        conjunctive = isinstance(condition, AllOf) != negate
        return {"all" if conjunctive else "any": [to_ir(p, negate) for p in condition.parts]}
    if isinstance(condition, HasLabel):
        return _atom(key_of(condition), "eq", not negate)
    if isinstance(condition, HasFact) and condition.value is True:
        return _atom(key_of(condition), "eq", not negate)
    key = key_of(condition)
    if condition.op == "present":
        return _atom(key, "eq", condition.value != negate)
    if condition.op == "in":
        atoms = [_atom(key, "ne" if negate else "eq", v) for v in condition.value]
        if len(atoms) == 1:
            return atoms[0]
        return {"all": atoms} if negate else {"any": atoms}
    op: Op = condition.op
    return _atom(key, _NEGATED[op] if negate else op, condition.value)


def evaluate(ir: IR, facts: Mapping[str, Any]) -> bool:
    """Evaluate a normal-form condition over flat facts (the reference semantics)."""
    if "all" in ir:
        return all(evaluate(part, facts) for part in ir["all"])
    if "any" in ir:
        return any(evaluate(part, facts) for part in ir["any"])
    actual = facts[ir["key"]]
    expected = ir["value"]
    op = ir["op"]
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "lt":
        return bool(actual < expected)
    if op == "le":
        return bool(actual <= expected)
    if op == "gt":
        return bool(actual > expected)
    if op == "ge":
        return bool(actual >= expected)
    raise ValueError(f"unknown operator `{op}` in compiled condition")


def atoms(ir: IR) -> list[IR]:
    """Every atom of a normal-form condition, in order."""
    parts = ir.get("all") or ir.get("any")
    if parts is not None:
        return [atom for part in parts for atom in atoms(part)]
    return [ir]
