"""Progress bars for long batches, shown only where someone is watching.

`tqdm.auto` picks the notebook widget or the terminal bar itself; without ipywidgets (the
`analysis` extra does not need it) a notebook gets the text bar, not tqdm's warning to "update
jupyter". By default (`progress=None`) a bar appears for batches of at least `THRESHOLD` rows
when someone is watching (standard error is a terminal, or a Jupyter kernel's output), so logs,
pipes and CI stay clean; `True` asks for one anyway and `False` turns it off.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable, Sized
from typing import TypeVar

T = TypeVar("T")

#: Batches smaller than this finish before a bar is worth drawing.
THRESHOLD = 1000


def wanted(progress: bool | None, total: int | None) -> bool:
    """Whether to draw a bar for a batch of `total` rows (None: unknown)."""
    if progress is not None:
        return progress
    isatty = getattr(sys.stderr, "isatty", None)
    watched = bool(isatty and isatty()) or _in_notebook()
    return total is not None and total >= THRESHOLD and watched


def _in_notebook() -> bool:
    """Standard error is a Jupyter kernel's output stream (it says it is not a terminal)."""
    return type(sys.stderr).__module__.startswith("ipykernel.")


def progress_bar(items: Iterable[T], progress: bool | None = None, desc: str = "deciding",
                 total: int | None = None) -> Iterable[T]:
    """`items`, wrapped in a tqdm bar when `wanted`."""
    if total is None and isinstance(items, Sized):
        total = len(items)
    if not wanted(progress, total):
        return items
    if _in_notebook() and importlib.util.find_spec("ipywidgets") is None:
        from tqdm import tqdm as text_bar

        return text_bar(items, total=total, desc=desc, unit="row", file=sys.stderr)
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=desc, unit="row", file=sys.stderr)
