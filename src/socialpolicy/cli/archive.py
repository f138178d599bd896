"""`decide --workers N INPUT OUTPUT`: archives from file to file through Dask.

Parquet, CSV and JSONL in and out (by file suffix, or a folder of Parquet files), decided on a
`distributed.LocalCluster` of N single-threaded worker processes, or on an existing cluster
given by `--scheduler ADDRESS`, with Dask's own progress bar. Needs the `dask` extra.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..frames import _LIST_COLUMNS
from ._io import EXIT_CANNOT_RUN, EXIT_OK

if TYPE_CHECKING:
    import dask.dataframe as dd

_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl",
            ".json": "jsonl"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The archive options of `decide`."""
    group = parser.add_argument_group(
        "archives (needs the `dask` extra)",
        "with OUTPUT, read INPUT (Parquet file or folder, CSV or JSONL) and write decisions to "
        "OUTPUT (format by suffix) through Dask, one partition at a time")
    group.add_argument("output", nargs="?", help="where to write the decisions")
    group.add_argument("--workers", type=int, metavar="N",
                       help="worker processes on a local cluster (default: one per core)")
    group.add_argument("--scheduler", metavar="ADDRESS",
                       help="use an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    group.add_argument("--partition-rows", type=int, default=50_000, metavar="N",
                       help="rows per partition when reading CSV or JSONL (default 50000)")


def wanted(args: argparse.Namespace) -> bool:
    """Whether `decide` was asked for the archive path."""
    return bool(getattr(args, "output", None) or getattr(args, "workers", None)
                or getattr(args, "scheduler", None))


def _format(path: str) -> str:
    target = Path(path)
    if target.is_dir() or not target.suffix:
        return "parquet"
    try:
        return _FORMATS[target.suffix.lower()]
    except KeyError:
        raise InputError(f"cannot tell the format of `{path}`; hint: use a .parquet, .csv or "
                         ".jsonl file, or a folder of Parquet files") from None


@contextlib.contextmanager
def _reading(path: str) -> Iterator[None]:
    """Name the input file in errors the readers raise about its content (a decode error or a
    CSV parser message says neither which file nor what to do)."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read `{path}`: it is not UTF-8 text ({exc.reason}); "
                         "hint: save it as UTF-8, or use a .parquet file") from None
    except ValueError as exc:
        from pandas.errors import EmptyDataError, ParserError

        text = str(exc)
        if not isinstance(exc, (ParserError, EmptyDataError)) and "read_csv" not in text:
            raise
        reason = text.split("Original Message:", 1)[-1].strip().splitlines()[0].strip(" .")
        raise InputError(f"cannot read `{path}` as CSV: {reason}; hint: check its quoting "
                         "(an unclosed quote runs to the end of the file) and that every row "
                         "has the header's columns") from None


def _read(path: str, partition_rows: int) -> dd.DataFrame:
    with _reading(path):
        return _read_as(path, partition_rows)


def _read_as(path: str, partition_rows: int) -> dd.DataFrame:
    import dask.dataframe as dd

    kind = _format(path)
    if kind == "parquet":
        return dd.read_parquet(path, split_row_groups="adaptive")
    if kind == "csv":
        return dd.read_csv(path, blocksize=partition_rows * 200, dtype=str,
                           keep_default_na=True)
    return dd.read_json(path, lines=True, blocksize=partition_rows * 300)


def _write(frame: dd.DataFrame, path: str) -> Any:
    """A lazy write of `frame` to `path`: list columns stay lists in Parquet and JSONL and
    become `; `-joined text in CSV, which has no lists."""
    from ..dask import to_parquet

    kind = _format(path)
    if kind == "parquet":
        return to_parquet(frame, path, compute=False)
    if kind == "csv":
        flat = frame.map_partitions(_flatten, meta=_flatten(frame._meta))
        return flat.to_csv(path, single_file=True, compute=False)
    return frame.to_json(path, orient="records", lines=True, compute=False,
                         date_format="iso")


def _flatten(part: Any) -> Any:
    part = part.copy()
    for name in _LIST_COLUMNS:
        if name in part:
            part[name] = part[name].map(lambda items: "; ".join(items),
                                        na_action="ignore").astype("string")
    return part


def run(args: argparse.Namespace) -> int:
    """Decide INPUT into OUTPUT on a cluster; exit 0 when every row was decided or kept as an
    error row, 2 when the archive could not be read or written."""
    try:
        from distributed import Client, LocalCluster, progress
    except ImportError:
        sys.stderr.write("socialpolicy: error: archives need Dask; hint: pip install "
                         "'socialpolicy[dask]'\n")
        return EXIT_CANNOT_RUN
    from ..dask import PolicySpec, decide_frame

    if not args.output:
        sys.stderr.write("socialpolicy: error: --workers and --scheduler write to a file; "
                         "hint: give OUTPUT after INPUT\n")
        return EXIT_CANNOT_RUN
    spec = PolicySpec.of(args.policy, args.engine)
    frame = _read(args.file, args.partition_rows)
    decided = decide_frame(frame, spec)
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        future = client.compute(_write(decided, args.output))
        if sys.stderr.isatty():
            progress(future)
        with _reading(args.file):  # later partitions are read only now
            client.gather(future)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    sys.stderr.write(f"decided {args.file} under {spec.bundled_id or spec.file_name} "
                     f"(digest {spec.digest[:12]}) into {args.output}\n")
    return EXIT_OK
