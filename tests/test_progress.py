"""Progress bars appear where someone is watching: a terminal or a notebook, not a log."""

from __future__ import annotations

import importlib.util
import io
import warnings
from typing import Any

import pytest
from tqdm import TqdmWarning
from tqdm import tqdm as text_bar

from socialpolicy import _progress


class KernelStream(io.StringIO):
    """Stands in for a Jupyter kernel's stderr, which says it is not a terminal."""


KernelStream.__module__ = "ipykernel.iostream"


def test_a_log_gets_no_bar_unless_asked() -> None:
    assert not _progress.wanted(None, 5000)  # pytest captures stderr: not a terminal
    assert _progress.wanted(True, 5) and not _progress.wanted(False, 5000)


def test_a_notebook_gets_a_bar_for_a_long_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", KernelStream())
    assert _progress.wanted(None, _progress.THRESHOLD)
    assert not _progress.wanted(None, _progress.THRESHOLD - 1)


def test_without_ipywidgets_a_notebook_gets_the_text_bar_and_no_warning(
        monkeypatch: pytest.MonkeyPatch) -> None:
    stream = KernelStream()
    monkeypatch.setattr("sys.stderr", stream)
    real = importlib.util.find_spec

    def no_widgets(name: str, *args: Any) -> Any:
        return None if name == "ipywidgets" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", no_widgets)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TqdmWarning)
        bar = _progress.progress_bar(range(3), progress=True, desc="deciding (mse_icb)")
        assert type(bar) is text_bar
        assert list(bar) == [0, 1, 2]
    assert "deciding (mse_icb)" in stream.getvalue() and "3/3" in stream.getvalue()
