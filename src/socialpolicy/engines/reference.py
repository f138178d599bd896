"""The reference engine: the IR interpreted in pure Python, the oracle for the durable engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..conditions import evaluate
from ..policy.compiler import evaluated_rules


class ReferenceEngine:
    name: Literal["reference"] = "reference"

    def __init__(self, ir: dict[str, Any]) -> None:
        self._rules = {kind: evaluated_rules(ir, kind) for kind in ir["kinds"]}

    def fired(self, facts: Mapping[str, Any]) -> frozenset[str]:
        rules = self._rules.get(facts["kind"], [])
        return frozenset(rule["id"] for rule in rules if evaluate(rule["when"], facts))

    def fire_many(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str]]:
        return [self.fired(one) for one in facts]
