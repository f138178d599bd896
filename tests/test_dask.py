"""Dask: the same decisions as the pandas path, row for row, on a real LocalCluster.

The cluster runs two single-threaded worker processes, so policies really travel to other
processes and are compiled there; nothing here uses the synchronous scheduler.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import socialpolicy as sp
from socialpolicy.dask import PolicySpec, decide_frame

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from archive import generate  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as connected:
        yield connected


def _rows(count: int) -> pd.DataFrame:
    """Generated comments with invalid rows mixed in, on a shuffled, non-default index."""
    rows = generate(count).astype({"platform": object, "channel": object, "text": object,
                                   "labels": object})
    bad = np.arange(0, count, 997)
    rows.loc[bad, "labels"] = "targted_abuse"            # an unknown label: an error row
    rows.loc[bad[::2], "platform"] = "myspace"            # an unknown platform: an error row
    rows.index = pd.Index(np.random.default_rng(3).permutation(count) * 3 + 11, name="row_id")
    return rows


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    right = right.loc[left.index]
    assert list(left.columns) == list(right.columns)
    assert dict(left.dtypes) == dict(right.dtypes)
    pd.testing.assert_frame_equal(left, right)


#: Rows in the main equality test: 100k in CI; DASK_TEST_ROWS lowers it while developing.
ROWS = int(os.environ.get("DASK_TEST_ROWS", "100000"))


def test_dask_equals_pandas_on_100k_rows(client: Client) -> None:
    rows = _rows(ROWS)
    policy = sp.load_policy("mse_icb")
    expected = policy.decide_frame(rows, kind="comment", progress=False)
    lazy = decide_frame(dd.from_pandas(rows, npartitions=8), "mse_icb", kind="comment")
    assert dict(lazy.dtypes) == dict(expected.dtypes)          # meta is right before computing
    got = lazy.compute()
    assert len(got) == len(rows) and got.index.is_unique        # nothing lost or duplicated
    assert (got["outcome"] == "error").sum() > 0                 # error rows stay rows
    _same(got, expected)


def test_policy_is_compiled_once_per_worker_process(client: Client) -> None:
    rows = _rows(4_000)
    spec = PolicySpec.of("mhra")
    decide_frame(dd.from_pandas(rows, npartitions=16), spec, kind="comment").compute()
    counts = client.run(lambda: sys.modules["socialpolicy.dask"].compilations())
    assert sum(c.get(spec.digest, 0) for c in counts.values()) >= 1   # it ran on the workers
    assert all(c.get(spec.digest, 0) <= 1 for c in counts.values())   # 16 partitions, 1 compile


def test_custom_policy_travels_by_content(client: Client, tmp_path: Path) -> None:
    bundled = ROOT / "policies"
    (tmp_path / "sources").mkdir()
    (tmp_path / "mine.yaml").write_text((bundled / "mhra.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    (tmp_path / "sources" / "mhra.txt").write_text(
        (bundled / "sources" / "mhra.txt").read_text(encoding="utf-8"), encoding="utf-8")
    spec = PolicySpec.of(tmp_path / "mine.yaml")
    assert spec.bundled_id is None and spec.text and spec.source_text
    rows = _rows(2_000)
    got = decide_frame(dd.from_pandas(rows, npartitions=4), spec, kind="comment").compute()
    _same(got, sp.load_policy("mhra").decide_frame(rows, kind="comment", progress=False))


def _die_once(part: pd.DataFrame, marker: str) -> pd.DataFrame:
    """Kill this worker process the first time the partition holding row 11 runs."""
    if 11 in part.index and not os.path.exists(marker):
        Path(marker).write_text("killed")
        os._exit(1)
    return part


def test_a_worker_killed_mid_run_loses_nothing(client: Client, tmp_path: Path) -> None:
    rows = _rows(20_000)
    marker = str(tmp_path / "killed")
    source = dd.from_pandas(rows, npartitions=10)
    frame = source.map_partitions(_die_once, marker, meta=source._meta)
    got = decide_frame(frame, "mse_icb", kind="comment").compute()
    assert Path(marker).exists()                     # a worker really died during the run
    _same(got, sp.load_policy("mse_icb").decide_frame(rows, kind="comment", progress=False))


def test_without_kind_the_outcome_spans_every_scale(client: Client) -> None:
    rows = _rows(1_000)
    lazy = decide_frame(dd.from_pandas(rows, npartitions=2), "mse_icb")
    got = lazy.compute()
    assert got["outcome"].dtype == lazy.dtypes["outcome"]
    assert {"leave", "compliant", "approve"} <= set(got["outcome"].cat.categories)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_cli_decides_an_archive_file_to_file(tmp_path: Path, suffix: str) -> None:
    from socialpolicy.cli import main

    rows = _rows(600)
    source = tmp_path / "in.parquet"
    rows.to_parquet(source)
    target = tmp_path / f"out{suffix}"
    assert main(["decide", "--policy", "mhra", "--workers", "2", "--partition-rows", "200",
                 str(source), str(target)]) == 0
    got = pd.read_parquet(target) if suffix == ".parquet" else pd.read_csv(target, index_col=0)
    expected = sp.load_policy("mhra").decide_frame(rows, progress=False)
    assert len(got) == len(rows) and set(got.index) == set(rows.index)
    assert (got.loc[expected.index, "outcome"].astype(str) == expected["outcome"].astype(str)).all()


def test_to_parquet_keeps_lists_and_index(client: Client, tmp_path: Path) -> None:
    from socialpolicy.dask import to_parquet

    rows = _rows(2_000)
    expected = sp.load_policy("mse_icb").decide_frame(rows, progress=False)
    to_parquet(decide_frame(dd.from_pandas(rows, npartitions=3), "mse_icb"), tmp_path / "out")
    back = dd.read_parquet(tmp_path / "out").compute()
    assert sorted(back.index) == sorted(rows.index)
    for name in ("actions", "cites", "rules", "detected", "warnings"):
        assert [list(v) for v in back.loc[expected.index, name]] == list(expected[name]), name
    assert (back.loc[expected.index, "outcome"].astype(str)
            == expected["outcome"].astype(str)).all()


@pytest.mark.parametrize(("content", "says"), [
    (b'kind,text,platform\ncomment,"an unclosed quote,x\n', "as CSV: EOF encountered"),
    (b"", "as CSV: No columns to parse"),
    (b"kind,text\n\xc1\xff\xfe,comment\n", "not UTF-8 text (invalid start byte)"),
    # past the first partition, so only reading it on the cluster finds the bad byte
    (b"kind,platform,text\n" + b"comment,facebook,fine\n" * 400 + b"comment,facebook,\xff\n",
     "not UTF-8 text"),
])
def test_cli_names_an_unreadable_csv_archive_with_a_hint(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, says: str) -> None:
    from socialpolicy.cli import main

    source = tmp_path / "in.csv"
    source.write_bytes(content)
    assert main(["decide", "--policy", "mhra", "--workers", "1", "--partition-rows", "10",
                 str(source), str(tmp_path / "out.csv")]) == 2
    error = capsys.readouterr().err
    assert f"cannot read `{source}`" in error and says in error and "hint:" in error
    assert "Traceback" not in error
