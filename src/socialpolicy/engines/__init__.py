"""Engines: evaluate a compiled policy's conditions over a subject's facts.

Every engine answers one question, `fired(facts)`: which rule ids (and `scope`) hold. Combining
findings into a decision is shared code, so engines can only disagree on evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

EngineName = Literal["durable", "reference"]
ENGINE_NAMES: tuple[EngineName, ...] = ("durable", "reference")


class Engine(Protocol):
    @property
    def name(self) -> EngineName: ...

    def fired(self, facts: Mapping[str, Any]) -> frozenset[str]:
        """Ids of the rules of `facts["kind"]` whose conditions hold, plus `scope` if in scope."""
        ...

    def fire_many(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str]]:
        """`fired` for each fact, in order: one engine call for a batch where that is faster.

        Same length and order as the input. An engine failure raises `EngineError` for the
        batch; a caller that must keep every row retries the rows one by one with `fired`."""
        ...


def make_engine(name: str, ir: dict[str, Any]) -> Engine:
    """Build the named engine over a compiled policy."""
    if name == "reference":
        from .reference import ReferenceEngine

        return ReferenceEngine(ir)
    if name == "durable":
        from ._durable import DurableEngine

        return DurableEngine(ir)
    raise ValueError(f"unknown engine `{name}`; use one of: {', '.join(ENGINE_NAMES)}")
