"""Exact diffs: the BDD model of decisions against brute force, and mutated rules found exactly."""

from __future__ import annotations

import copy
import itertools
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialpolicy as sp
from socialpolicy.analysis._facts import ENUM_FACTS
from socialpolicy.analysis.diff import diff_policies
from socialpolicy.analysis.semantics import Semantics, Signature, differ
from socialpolicy.analysis.space import Space
from socialpolicy.analysis.witness import deadline_days, realize
from socialpolicy.engine import Policy
from socialpolicy.testing import subjects
from socialpolicy.vocab import SUBJECT_KINDS


@cache
def bundled(policy_id: str) -> Policy:
    return sp.load_policy(policy_id, engine="reference")


def points(space: Space) -> list[dict[str, Any]]:
    """Every valid point of a space, by brute force over the attribute domains."""
    keys = [a.key for a in space.attributes]
    out = []
    for combo in itertools.product(*(a.domain() for a in space.attributes)):
        values = dict(zip(keys, combo, strict=True))
        if space.contains(space.valid, values):
            out.append(values)
    return out


def decided(policy: Policy, subject: sp.Comment | sp.StaffPost | sp.AccountRequest
            ) -> Signature:
    decision = policy.decide(subject)
    return Signature.of(decision, deadline_days(policy, decision, subject))


def space_size(space: Space) -> int:
    size = 1
    for attr in space.attributes:
        size *= len(attr.domain())
    return size


def test_decisions_match_brute_force_on_small_kinds() -> None:
    """Every point of every kind small enough to enumerate (the rest are sampled below)."""
    checked = []
    for policy_id in sp.available_policies():
        policy = bundled(policy_id)
        for kind in SUBJECT_KINDS:
            space = Space(kind, [policy.ir], [policy.document])
            if space_size(space) > 2500:
                continue
            semantics = Semantics(space, policy.ir, policy.document)
            for values in points(space):
                subject = realize(space, values, [policy.document])
                assert semantics.signature(values) == decided(policy, subject), values
            checked.append((policy_id, kind))
    assert len(checked) >= 8, checked


@settings(max_examples=60)
@given(st.sampled_from(sp.available_policies()), st.data())
def test_decisions_match_sampled_subjects(policy_id: str, data: st.DataObject) -> None:
    policy = bundled(policy_id)
    subject = data.draw(subjects(names=policy.document.names))
    space = Space(subject.kind, [policy.ir], [policy.document])
    semantics = Semantics(space, policy.ir, policy.document)
    facts, _ = sp.signals.derive(subject, policy.document)
    assert semantics.signature(space.from_facts(facts)) == decided(policy, subject)


@pytest.mark.parametrize("policy_id", sp.available_policies())
def test_a_policy_against_itself_has_no_difference(policy_id: str) -> None:
    policy = bundled(policy_id)
    result = diff_policies(policy, policy)
    assert result.identical
    assert result.regions == [] and result.clauses == []
    assert "no difference" in str(result)


# ---- mutations -------------------------------------------------------------------------------

def _atoms_paths(ir: dict[str, Any], path: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    parts = ir.get("all") or ir.get("any")
    if parts is None:
        return [path]
    return [p for i, part in enumerate(parts) for p in _atoms_paths(part, (*path, i))]


def _junctions(ir: dict[str, Any], path: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    parts = ir.get("all") or ir.get("any")
    if parts is None:
        return []
    here = [path] if len(parts) >= 2 else []
    return here + [p for i, part in enumerate(parts) for p in _junctions(part, (*path, i))]


def _at(ir: dict[str, Any], path: tuple[int, ...]) -> dict[str, Any]:
    for i in path:
        ir = (ir.get("all") or ir.get("any"))[i]  # type: ignore[index]
    return ir


def _mutate_operand(kind: str, atom: dict[str, Any], pick: int) -> None:
    key, value = atom["key"], atom["value"]
    if key.startswith("label."):
        labels = sorted(sp.vocab.LABELS[kind])  # type: ignore[index]
        atom["key"] = "label." + labels[pick % len(labels)]
        if atom["key"] == key:
            atom["value"] = not value
    elif isinstance(value, bool):
        atom["value"] = not value
    elif isinstance(value, int):
        atom["value"] = value + 1
    else:
        choices = ENUM_FACTS.get(key) or sp.subjects.CONDITION_FIELDS[kind][  # type: ignore[index]
            key.removeprefix("field.")].choices
        others = [c for c in choices if c != value]  # type: ignore[index]
        atom["value"] = others[pick % len(others)]


@settings(max_examples=30)
@given(st.sampled_from(sp.available_policies()), st.sampled_from(SUBJECT_KINDS),
       st.integers(0, 10_000), st.booleans(), st.integers(0, 10_000))
def test_a_mutated_rule_is_found_exactly(policy_id: str, kind: Any, which: int, drop: bool,
                                         pick: int) -> None:
    policy = bundled(policy_id)
    ir = policy.ir
    block = ir["kinds"].get(kind)
    if block is None or "not_covered" in block:
        return
    rule = block["rules"][which % len(block["rules"])]
    mutated_ir = copy.deepcopy(ir)
    target = next(r for r in mutated_ir["kinds"][kind]["rules"] if r["id"] == rule["id"])
    junctions = _junctions(target["when"])
    if drop and junctions:
        parent = _at(target["when"], junctions[pick % len(junctions)])
        parts = parent.get("all") or parent.get("any")
        assert parts is not None
        del parts[pick % len(parts)]
    else:
        paths = _atoms_paths(target["when"])
        _mutate_operand(kind, _at(target["when"], paths[pick % len(paths)]), pick)
    mutated = Policy(policy.document, mutated_ir, "reference")
    result = diff_policies(policy, mutated, kinds=[kind])
    # Exactly the mutated region: every subject whose decision changes is one where the mutated
    # rule fires differently, and every such subject whose decision changes is in a region.
    space = result.spaces[kind]
    before = Semantics(space, policy.ir, policy.document)
    after = Semantics(space, mutated_ir, policy.document)
    moved = space.xor(before.fires(rule["id"]), after.fires(rule["id"]))
    union = space.false
    for region in result.regions:
        assert region.kind == kind
        assert space.is_empty(region.node & ~moved)
        assert region.rules == [rule["id"]]
        assert region.old.outcome != region.new.outcome or region.change.lines()
        union |= region.node
    assert union == differ(before, after)
    # ... and brute force agrees, wherever the space is small enough to enumerate.
    if space_size(space) <= 2500:
        for values in points(space):
            subject = realize(space, values, [policy.document])
            changed = decided(policy, subject) != decided(mutated, subject)
            assert changed == space.contains(union, values), values


def test_dropping_a_condition_reports_only_that_region() -> None:
    policy = bundled("mhra")
    ir = policy.ir
    rules = ir["kinds"]["comment"]["rules"]
    target = next(r for r in rules if "all" in r["when"] or "any" in r["when"])
    mutated_ir = copy.deepcopy(ir)
    changed = next(r for r in mutated_ir["kinds"]["comment"]["rules"] if r["id"] == target["id"])
    parts = changed["when"].get("all") or changed["when"].get("any")
    del parts[0]
    result = diff_policies(policy, Policy(policy.document, mutated_ir, "reference"))
    assert result.regions, "dropping a condition must change some decision"
    assert {r.kind for r in result.regions} == {"comment"}
    assert all(r.rules == [target["id"]] for r in result.regions)
