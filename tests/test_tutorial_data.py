"""The tutorial's CSV: regenerated from its script, and decided with nothing silently lost."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import socialpolicy as sp
from socialpolicy.frames import PolicyReviewWarning, RowErrorWarning

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "scripts" / "make_tutorial_data.py"
CSV = ROOT / "docs" / "tutorial" / "social_media_export.csv"


def _script() -> object:
    spec = importlib.util.spec_from_file_location("make_tutorial_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_csv_is_what_the_script_writes() -> None:
    assert CSV.read_text(encoding="utf-8") == _script().render()  # type: ignore[attr-defined]


def test_the_csv_is_as_messy_as_a_real_export() -> None:
    frame = pd.read_csv(CSV, index_col="id")
    assert len(frame) >= 1000
    assert {"comment", "staff_post"} <= set(frame["kind"].dropna())
    assert frame["labels"].isna().any() and frame["labels"].str.contains("[,;]").any()
    platforms = set(frame["platform"])
    assert {"Facebook", "facebook", "Twitter", "X"} <= platforms
    assert frame["account.handle"].isna().any() and frame["account.handle"].notna().any()


def test_decide_frame_on_the_csv_keeps_every_row_and_names_every_failure() -> None:
    frame = pd.read_csv(CSV, index_col="id")
    policy = sp.load_policy("mse_icb", engine="reference")
    with pytest.warns(RowErrorWarning, match=r"3 of 1400 rows"), \
            pytest.warns(PolicyReviewWarning):
        out = policy.decide_frame(frame)
    assert out.index.equals(frame.index)
    failed = out[out["outcome"] == "error"]
    assert list(failed.index) == list(out.index[out["error"].notna()])
    assert len(failed) == 3 and failed["error"].str.contains("did you mean").all()
    assert set(out.loc[frame["kind"].fillna("").str.lower() == "staff_post", "kind"]) == {
        "staff_post"}
    decided = out[out["outcome"] != "error"]
    assert set(decided["kind"]) == {"comment", "staff_post"}
    assert len(decided["outcome"].unique()) >= 5
