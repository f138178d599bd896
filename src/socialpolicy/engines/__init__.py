"""Engines: evaluate a compiled policy's conditions over a subject's facts.

Every engine answers one question, `fired(facts)`: which rule ids (and `scope`) hold. Combining
findings into a decision is shared code, so engines can only disagree on evaluation.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

from ..errors import InputError

EngineName = Literal["durable", "reference"]
ENGINE_NAMES: tuple[EngineName, ...] = ("durable", "reference")


class Engine(Protocol):
    @property
    def name(self) -> EngineName: ...

    #: Whether `fire_each` over many facts costs less than `fired` on each (durable: one hop
    #: to its thread per batch). Where it does not, a batch decides row by row, so that it does
    #: not hold every row's facts at once for nothing.
    batched: bool

    def fired(self, facts: Mapping[str, Any]) -> frozenset[str]:
        """Ids of the rules of `facts["kind"]` whose conditions hold, plus `scope` if in scope."""
        ...

    def fire_many(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str]]:
        """`fired` for each fact, in order: one engine call for a batch where that is faster.

        Same length and order as the input. An engine failure raises `EngineError` for the
        batch; `fire_each` keeps the other facts' answers."""
        ...

    def fire_each(self, facts: Sequence[Mapping[str, Any]]) -> list[frozenset[str] | Exception]:
        """`fire_many`, with the exception a fact met (an `EngineError`, a fact lacking a key)
        in its place instead of raised, so a batch keeps every other fact's answer. Anything
        that stops the whole call (a caller's own timeout while it waits) still raises."""
        ...


#: durable_rules does not import on Python 3.13 and later (DESIGN: it is pinned to < 3.13).
DURABLE_RUNS_HERE = sys.version_info < (3, 13)
_FALLBACK_WARNED = threading.Event()


def _fall_back_from_durable() -> None:
    """Say once per process that the pure-Python engine stands in for durable_rules."""
    if not _FALLBACK_WARNED.is_set():
        _FALLBACK_WARNED.set()
        warnings.warn(
            f"durable_rules does not run on Python {sys.version_info.major}."
            f"{sys.version_info.minor}; using the pure-Python reference engine instead "
            "(it gives identical decisions). Pass engine='reference' to silence this.",
            RuntimeWarning, stacklevel=5)


def make_engine(name: str, ir: dict[str, Any]) -> Engine:
    """Build the named engine over a compiled policy. On Python 3.13+ the durable engine
    falls back to the reference engine, with one warning per process."""
    if name == "durable" and not DURABLE_RUNS_HERE:
        _fall_back_from_durable()
        name = "reference"
    if name == "reference":
        from .reference import ReferenceEngine

        return ReferenceEngine(ir)
    if name == "durable":
        from ._durable import DurableEngine

        return DurableEngine(ir)
    raise InputError(f"unknown engine `{name}`; use one of: {', '.join(ENGINE_NAMES)}")
