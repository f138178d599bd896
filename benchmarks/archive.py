"""Archive benchmark: generated comments from Parquet to Parquet through Dask, 1 vs 2 workers.

    python benchmarks/archive.py --rows 1000000 --workers 1 2

For each worker count it starts a `distributed.LocalCluster` (one single-threaded worker
process per worker), decides every row under MSE ICB with `socialpolicy.dask.decide_frame` and
writes Parquet, then reports wall time, microseconds per row, rows per hour per core, the
speed-up over one worker, and each worker's peak resident memory. Run it at two sizes to see
that memory does not grow with the row count: a partition is decided and written, then freed.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TEXTS = (
    "Waited six weeks for a GP appointment. This ICB is failing Southend.",
    "Thank you to the staff at Basildon, they were wonderful.",
    "Call me on 07700 900123 about my mum's care",
    "This is a bloody disgrace, sort it out",
    "Vaccines contain microchips, do not take them",
    "When is the next pharmacy consultation?",
    "Nurse Jane at Basildon should be strung up",
    "Buy cheap followers at example dot com",
    "My complaint has been ignored for months",
    "What are your opening hours over Easter?",
)
LABEL_SETS = ("", "criticism", "complaint", "personal_details", "profanity", "misinformation",
              "medical_question", "targeted_abuse,names_staff", "spam,advertising",
              "complaint,criticism")
PLATFORMS = ("facebook", "x", "instagram", "linkedin", "youtube", "tiktok", "other")
CHANNELS = ("comment", "reply", "direct_message", "mention")


def generate(rows: int, seed: int = 7) -> pd.DataFrame:
    """`rows` realistic comments, vectorised so ten million take seconds, not minutes."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(TEXTS), rows)
    start = pd.Timestamp("2025-01-01", tz="UTC").value
    span = pd.Timedelta(days=600).value
    posted = pd.to_datetime(start + rng.integers(0, span, rows), utc=True).floor("s")
    return pd.DataFrame({
        "kind": "comment",
        "platform": pd.Categorical.from_codes(rng.integers(0, len(PLATFORMS), rows), PLATFORMS),
        "channel": pd.Categorical.from_codes(rng.integers(0, len(CHANNELS), rows), CHANNELS),
        "text": pd.Categorical.from_codes(picks, TEXTS),
        "author": "@user" + pd.Series(rng.integers(0, 50_000, rows)).astype(str),
        "posted_at": posted.tz_convert("Europe/London"),
        "labels": pd.Categorical.from_codes(picks, LABEL_SETS),
        "author_prior_removals": rng.integers(0, 4, rows),
    })


def write_input(rows: int, folder: Path, partition_rows: int) -> None:
    """Write the generated rows as a folder of Parquet files, in chunks to keep memory flat."""
    folder.mkdir(parents=True, exist_ok=True)
    chunk = 2_000_000
    for number, offset in enumerate(range(0, rows, chunk)):
        part = generate(min(chunk, rows - offset), seed=number)
        part.index = pd.RangeIndex(offset, offset + len(part))
        part.to_parquet(folder / f"part-{number:04d}.parquet", row_group_size=partition_rows)


def _warm_up(engine: str) -> None:
    """Load the policy on a worker; return nothing, since a Policy does not travel back."""
    import socialpolicy

    socialpolicy.load_policy("mse_icb", engine=engine)


def _resident_mb() -> float:
    import psutil  # a dependency of distributed

    return float(psutil.Process().memory_info().rss) / 2**20


def run(source: Path, target: Path, workers: int, engine: str) -> dict[str, float]:
    """Decide the archive on a fresh LocalCluster: wall time, and each worker's resident memory
    sampled every two seconds, so a growth with the rows shows as the first tenth of the run
    against the last."""
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from socialpolicy.dask import decide_frame, to_parquet

    shutil.rmtree(target, ignore_errors=True)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        frame = dd.read_parquet(source, split_row_groups=True)
        client.run(_warm_up, engine)  # imports and compilation are start-up, not per-row work
        began = time.perf_counter()
        future = client.compute(to_parquet(decide_frame(frame, "mse_icb", engine=engine),
                                           target, compute=False))
        samples: list[tuple[float, float]] = []
        while not future.done():
            samples.append((time.perf_counter() - began,
                            max(client.run(_resident_mb).values())))
            time.sleep(2)
        future.result()
        elapsed = time.perf_counter() - began
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    early = [mb for at, mb in samples if at <= elapsed / 10] or [0.0]
    late = [mb for at, mb in samples if at >= elapsed * 0.9] or [0.0]
    return {"seconds": elapsed, "peak_mb": max(peaks.values()) / 1024,
            "early_mb": max(early), "late_mb": max(late)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-rows", type=int, default=50_000)
    parser.add_argument("--engine", default="durable", choices=("durable", "reference"))
    args = parser.parse_args(argv)
    out = sys.stdout
    out.write(f"engine {args.engine}; partitions of {args.partition_rows:,} rows; resident MB per "
              "worker in the first and last tenth of the run, and its peak\n\n"
              "| rows | workers | seconds | us/row | rows/hour/core | speed-up | "
              "MB first tenth | MB last tenth | peak MB/worker |\n"
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    with tempfile.TemporaryDirectory() as scratch:
        for rows in args.rows:
            source = Path(scratch) / f"in-{rows}"
            write_input(rows, source, args.partition_rows)
            single = None
            for workers in args.workers:
                result = run(source, Path(scratch) / "out", workers, args.engine)
                single = single or result["seconds"]  # the first worker count is the baseline
                per_row = result["seconds"] / rows
                out.write(f"| {rows:,} | {workers} | {result['seconds']:.1f} | "
                          f"{per_row * 1e6:.1f} | {3600 / (per_row * workers):,.0f} | "
                          f"{single / result['seconds']:.2f}x | {result['early_mb']:.0f} | "
                          f"{result['late_mb']:.0f} | {result['peak_mb']:.0f} |\n")
                out.flush()
            shutil.rmtree(source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
