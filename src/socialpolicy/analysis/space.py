"""The finite subject space of one kind, as the rules see it, encoded in a binary decision
diagram (the `dd` package, optional extra `exact`).

Conditions range over small vocabularies, so every subject is, to the rules, one point of a
finite space: a boolean per label and per text-derived fact, one-hot booleans per enum field,
and, per integer field, a boolean `x >= c` for each constant the rules compare it with (the
integers are partitioned at those constants). A derived fact that is a function of others (such
as `has_disclaimer`, true when the text or the bio carries one) is substituted by its definition,
so it is never a free choice. Sets of subjects are BDDs; exact answers are BDD operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any, Literal

from ..conditions import IR, atoms
from ..policy.compiler import evaluated_rules
from ..policy.model import PolicyDocument
from ..subjects import CONDITION_FIELDS, SUBJECT_MODELS
from ..vocab import SubjectKind
from . import _facts
from ._readable import Readable

Function = Any  # a dd BDD node (dd.autoref.Function)
AttrType = Literal["bool", "enum", "int"]
Values = dict[str, Any]  # attribute key -> bool | enum value | int

#: The platform decides what a page owner can do with a comment, so it always matters.
_ALWAYS: dict[SubjectKind, tuple[str, ...]] = {"comment": ("field.platform",),
                                               "staff_post": (), "account_request": ()}

def require_dd() -> Any:
    """The BDD package (imported on first use: `import socialpolicy` stays light), or a clear
    error when the optional `dd` package is missing."""
    try:
        from dd import autoref
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("exact analysis needs the `dd` package; "
                          "install it with: pip install 'socialpolicy[exact]'") from exc
    return autoref


def _manager() -> Any:
    """A new BDD manager. The pure-Python manager asserts, when it is finalised, that no node is
    still referenced; when the garbage collector frees a manager and its nodes together (a
    traceback holding a frame, say) the order is arbitrary and that check prints a spurious
    error. Its memory is plain Python objects either way, so the check is switched off."""
    manager = require_dd().BDD()
    inner = manager._bdd
    quiet = _QUIET.get(type(inner))
    if quiet is None:
        quiet = _QUIET[type(inner)] = type("QuietBDD", (type(inner),), {"__del__": _no_check})
    inner.__class__ = quiet
    return manager


def _no_check(self: Any) -> None:
    return None


_QUIET: dict[type, type] = {}


@dataclass(frozen=True, slots=True)
class Attribute:
    """One thing about a subject a rule can test: a label, a field or a derived fact.

    `choices` are an enum's values, or an integer's thresholds (its variable `i` means
    `value >= choices[i]`); `names` are the BDD variables, one per choice (one for a bool)."""

    key: str
    type: AttrType
    choices: tuple[Any, ...]
    names: tuple[str, ...]

    @property
    def label(self) -> str:
        """How the attribute reads in a condition: `spam`, `channel`, `fact out_of_hours`."""
        prefix, _, rest = self.key.partition(".")
        return rest if prefix in ("label", "field") else f"{prefix} {rest}"

    def domain(self) -> tuple[Any, ...]:
        """Every value the attribute can take, as the rules distinguish them."""
        if self.type == "bool":
            return (False, True)
        if self.type == "enum":
            return self.choices
        return (0, *self.choices)


def _field_spec_type(kind: SubjectKind, key: str) -> tuple[AttrType, tuple[Any, ...]]:
    if key in _facts.ENUM_FACTS:
        return "enum", _facts.ENUM_FACTS[key]
    if not key.startswith("field."):
        return "bool", ()
    spec = CONDITION_FIELDS[kind][key.removeprefix("field.")]
    if spec.type == "enum":
        return "enum", spec.choices
    if spec.type == "int":
        return "int", ()
    return "bool", ()


def _thresholds(tests: Iterable[IR]) -> tuple[int, ...]:
    cuts: set[int] = set()
    for test in tests:
        value, op = int(test["value"]), test["op"]
        if op in ("lt", "ge"):
            cuts.add(value)
        elif op in ("gt", "le"):
            cuts.add(value + 1)
        else:
            cuts.update((value, value + 1))
    return tuple(sorted(c for c in cuts if c > 0))


class Space(Readable):
    """The subject space of `kind` as the given policies' rules see it."""

    def __init__(self, kind: SubjectKind, irs: Sequence[dict[str, Any]],
                 documents: Sequence[PolicyDocument]) -> None:
        self.kind = kind
        self.bdd = _manager()
        tests: dict[str, list[IR]] = {key: [] for key in _ALWAYS[kind]}
        for ir in irs:
            for rule in evaluated_rules(ir, kind):
                for atom in atoms(rule["when"]):
                    for key in _facts.needs(atom["key"]):
                        tests.setdefault(key, [])
                        if key == atom["key"]:
                            tests[key].append(atom)
        order = {"label": 0, "field": 1, "fact": 2}
        self.attributes: list[Attribute] = []
        for key in sorted(tests, key=lambda k: (order.get(k.partition(".")[0], 3), k)):
            kind_of, choices = _field_spec_type(kind, key)
            if kind_of == "int":
                choices = _thresholds(tests[key])
            count = len(choices) if kind_of != "bool" else 1
            names = tuple(f"v{len(self.attributes)}_{i}" for i in range(count))
            self.bdd.declare(*names)
            self.attributes.append(Attribute(key, kind_of, choices, names))
        self.by_key = {a.key: a for a in self.attributes}
        self.optional = frozenset(path for path, spec in CONDITION_FIELDS[kind].items()
                                  if spec.type == "present")
        self.valid = self._constraints(documents)
        self._defaults = _model_defaults(kind)

    # ---- building sets of subjects ---------------------------------------------------------

    @property
    def true(self) -> Function:
        return self.bdd.true

    @property
    def false(self) -> Function:
        return self.bdd.false

    def node(self, key: str, value: Any) -> Function:
        """`equals` for an attribute, or the definition of a computed fact."""
        if key in _facts.DEFINED:
            return _facts.definition(self, key, value)
        if key not in self.by_key:
            raise KeyError(f"`{key}` is not part of this subject space")
        return self.equals(key, value)

    def xor(self, first: Function, second: Function) -> Function:
        return self.bdd.apply("xor", first, second)

    def var(self, name: str) -> Function:
        return self.bdd.var(name)

    def equals(self, key: str, value: Any) -> Function:
        """The subjects whose attribute `key` has `value` (an int: its partition)."""
        attr = self.by_key[key]
        if attr.type == "bool":
            node = self.var(attr.names[0])
            return node if value else ~node
        if attr.type == "enum":
            return self.var(attr.names[attr.choices.index(value)])
        lower = max((c for c in attr.choices if c <= value), default=0)
        upper = [c for c in attr.choices if c > value]
        node = self._at_least(attr, lower)
        return node & ~self._at_least(attr, upper[0]) if upper else node

    def _at_least(self, attr: Attribute, value: int) -> Function:
        """`x >= value` for a threshold the rules use (true for 0: counts are never negative)."""
        if value <= 0:
            return self.true
        return self.var(attr.names[attr.choices.index(value)])

    def condition(self, ir: IR) -> Function:
        """The set of subjects a normal-form condition holds for."""
        if "all" in ir:
            return reduce(lambda a, b: a & b, (self.condition(p) for p in ir["all"]), self.true)
        if "any" in ir:
            return reduce(lambda a, b: a | b, (self.condition(p) for p in ir["any"]), self.false)
        key, op, value = ir["key"], ir["op"], ir["value"]
        if key in _facts.DEFINED:  # a fact computed from others: substitute its definition
            node = _facts.definition(self, key, value)
            return node if op == "eq" else ~node
        attr = self.by_key[key]
        if attr.type == "int":
            value = int(value)
            if op in ("eq", "ne"):
                node = self._at_least(attr, value) & ~self._at_least(attr, value + 1)
                return node if op == "eq" else ~node
            bound = value + 1 if op in ("gt", "le") else value
            node = self._at_least(attr, bound)
            return node if op in ("ge", "gt") else ~node
        node = self.equals(key, value)
        return node if op == "eq" else ~node

    def _constraints(self, documents: Sequence[PolicyDocument]) -> Function:
        valid = self.true
        for attr in self.attributes:
            if attr.type == "enum":
                nodes = [self.var(n) for n in attr.names]
                one = self.false
                for i, node in enumerate(nodes):
                    others = reduce(lambda a, b: a & ~b, nodes[:i] + nodes[i + 1:], self.true)
                    one |= node & others
                valid &= one
            elif attr.type == "int":
                for lower, higher in zip(attr.names, attr.names[1:], strict=False):
                    valid &= ~self.var(higher) | self.var(lower)
        valid &= _facts.constraints(self, documents)
        return valid

    # ---- points of the space ---------------------------------------------------------------

    def point(self, values: Mapping[str, Any]) -> Function:
        """The subjects that have every one of `values` (a partial assignment)."""
        node = self.true
        for key, value in values.items():
            node &= self.equals(key, value)
        return node

    def is_empty(self, node: Function) -> bool:
        return bool(node == self.false)

    def encode(self, values: Mapping[str, Any]) -> dict[str, bool]:
        """BDD variable values for attribute values (missing attributes are left out)."""
        out: dict[str, bool] = {}
        for attr in self.attributes:
            if attr.key not in values:
                continue
            value = values[attr.key]
            if attr.type == "bool":
                out[attr.names[0]] = bool(value)
            elif attr.type == "enum":
                out.update({n: c == value for n, c in zip(attr.names, attr.choices, strict=True)})
            else:
                out.update({n: int(value) >= c
                            for n, c in zip(attr.names, attr.choices, strict=True)})
        return out

    def from_facts(self, facts: Mapping[str, Any]) -> Values:
        """Attribute values of a subject's derived facts (as `signals.derive` gives them)."""
        return {attr.key: facts[attr.key] for attr in self.attributes}

    def contains(self, node: Function, values: Mapping[str, Any]) -> bool:
        return bool(self.bdd.let(self.encode(values), node) == self.true)

    def pick(self, node: Function, prefer: Mapping[str, Any] | None = None) -> Values | None:
        """A point of `node`, as close as the set allows to `prefer` (else the models'
        defaults), attribute by attribute: a readable witness rather than an arbitrary one."""
        node = node & self.valid
        if self.is_empty(node):
            return None
        chosen: Values = {}
        for attr in self.attributes:
            wanted = (prefer or {}).get(attr.key, self._defaults.get(attr.key))
            candidates = list(attr.domain())
            if attr.type == "int" and wanted is not None:
                candidates.sort(key=lambda c: (c > int(wanted), abs(int(wanted) - c)))
            elif wanted in candidates:
                candidates.remove(wanted)
                candidates.insert(0, wanted)
            for value in candidates:
                narrowed = node & self.equals(attr.key, value)
                if not self.is_empty(narrowed):
                    node, chosen[attr.key] = narrowed, value
                    break
        return chosen

    def representative(self, key: str, value: Any, original: Any = None) -> Any:
        """A concrete value in the same partition as `value` (the original one if it is)."""
        attr = self.by_key[key]
        if attr.type != "int":
            return value
        if original is not None and self.contains(self.equals(key, value), {key: original}):
            return original
        return value

    def describe_values(self, values: Mapping[str, Any]) -> str:
        return ", ".join(f"{self.by_key[k].label}={v}" for k, v in values.items())


def _model_defaults(kind: SubjectKind) -> Values:
    """The subject model's default for each field (so witnesses look ordinary)."""
    defaults: Values = {}
    for path, spec in CONDITION_FIELDS[kind].items():
        model: Any = SUBJECT_MODELS[kind]
        *parents, last = path.split(".")
        for part in parents:
            model = model.model_fields[part].annotation
        info = model.model_fields[last]
        if info.is_required():
            continue
        value = info.get_default(call_default_factory=True)
        defaults[f"field.{path}"] = (value is not None) if spec.type == "present" else value
    return defaults
