"""Decide archives too big for one process with Dask, from a laptop to a cluster.

    import dask.dataframe as dd
    from socialpolicy.dask import decide_frame, to_parquet

    comments = dd.read_parquet("comments/")
    decided = decide_frame(comments, "mse_icb")        # lazy, partition by partition
    to_parquet(decided, "decided/")                    # list columns stay lists on disk

The result has the same columns, dtypes and index as `Policy.decide_frame` on the same rows, and
no row is lost or duplicated: every partition is decided by the pandas path on a worker. The
policy travels to workers as a small `PolicySpec` (a bundled id, or the file's text and its source
document), and each worker process compiles it once and keeps it, so nothing heavy is pickled per
task and nothing is reloaded per partition. A worker whose bundled policy differs from the
caller's (another library version) refuses to decide rather than decide under other rules.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .engine import Policy, load_policy
from .engines import EngineName
from .errors import Diagnostic, PolicyError
from .frames import _LIST_COLUMNS, outcome_dtype
from .policy.loader import available_policies, resolve
from .vocab import SubjectKind

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["PolicySpec", "compilations", "decide_frame", "to_parquet"]

Errors = Literal["coerce", "raise"]

_LOADED: dict[tuple[str, str], Policy] = {}
_LOADED_LOCK = threading.Lock()
_COMPILED: Counter[str] = Counter()


def compilations() -> dict[str, int]:
    """How many times this process compiled each policy (by digest): once, if all is well."""
    with _LOADED_LOCK:
        return dict(_COMPILED)


@dataclass(frozen=True, slots=True)
class PolicySpec:
    """What a worker needs to compile a policy: small, picklable, and pinned by digest."""

    digest: str
    engine: EngineName
    bundled_id: str | None = None
    file_name: str | None = None
    text: str | None = None
    source_name: str | None = None
    source_text: str | None = None

    @classmethod
    def of(cls, policy: str | Path | Policy, engine: EngineName = "durable") -> PolicySpec:
        """The spec of a bundled id, a path to a policy file, or a loaded `Policy`."""
        if isinstance(policy, Policy):
            engine, policy = policy.engine, Path(policy.document.file)
        path = resolve(policy)
        loaded = _load_cached(path.read_text(encoding="utf-8"), engine, lambda: path)
        if isinstance(policy, str) and policy in available_policies():
            return cls(loaded.digest, engine, bundled_id=policy)
        source = loaded.document.source_file
        source_path = path.parent / "sources" / source if source else None
        return cls(loaded.digest, engine, file_name=path.name,
                   text=path.read_text(encoding="utf-8"),
                   source_name=source,
                   source_text=(source_path.read_text(encoding="utf-8")
                                if source_path and source_path.is_file() else None))

    def load(self) -> Policy:
        """The compiled policy, once per process; a digest mismatch is an error, not a guess."""
        with _LOADED_LOCK:
            cached = _LOADED.get((self.digest, self.engine))
        if cached is not None:
            return cached
        if self.bundled_id is not None:
            path = resolve(self.bundled_id)
            text = path.read_text(encoding="utf-8")
            policy = _load_cached(text, self.engine, lambda: path)
        else:
            assert self.text is not None and self.file_name is not None
            policy = _load_cached(self.text, self.engine, self._materialise)
        if policy.digest != self.digest:
            name = self.bundled_id or self.file_name or "policy"
            raise PolicyError([Diagnostic(
                "policy-mismatch", f"this worker's copy of `{name}` differs from the caller's "
                f"(digest {policy.digest[:12]}, expected {self.digest[:12]})", name, 1, 1,
                "install the same socialpolicy version on every worker")])
        return policy

    def _materialise(self) -> Path:
        """Write the policy and its source document where this process can load them."""
        folder = Path(tempfile.gettempdir()) / f"socialpolicy-{self.digest[:16]}"
        (folder / "sources").mkdir(parents=True, exist_ok=True)
        if self.source_name and self.source_text is not None:
            _write_once(folder / "sources" / self.source_name, self.source_text)
        assert self.file_name is not None and self.text is not None
        path = folder / self.file_name
        _write_once(path, self.text)
        return path


def _write_once(path: Path, text: str) -> None:
    """Write atomically, so two worker processes on one machine never read half a file."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".tmp") as handle:
        handle.write(text)
    Path(handle.name).replace(path)


def _load_cached(text: str, engine: EngineName, locate: Any) -> Policy:
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), engine)
    with _LOADED_LOCK:
        if key not in _LOADED:
            policy = load_policy(locate(), engine=engine)
            _COMPILED[policy.digest] += 1
            _LOADED[key] = _LOADED[(policy.digest, engine)] = policy
        return _LOADED[key]


def _decide_partition(rows: pd.DataFrame, spec: PolicySpec, errors: Errors,
                      kind: SubjectKind | None, options: dict[str, Any]) -> pd.DataFrame:
    decided = spec.load().decide_frame(rows, errors=errors, progress=False, kind=kind,
                                       **options)
    if kind is None:  # one partition may hold one kind only: keep every scale, as in `meta`
        decided["outcome"] = decided["outcome"].astype(outcome_dtype(None))
    return decided


def decide_frame(frame: dd.DataFrame, policy: str | Path | Policy | PolicySpec, *,
                 engine: EngineName = "durable", errors: Errors = "coerce",
                 kind: SubjectKind | None = None, **options: Any) -> dd.DataFrame:
    """Decide every row of a Dask DataFrame, lazily, partition by partition.

    `policy` is a bundled id, a path to a policy file, a loaded `Policy` or a `PolicySpec`;
    `options` are passed to `Policy.decide_frame` (`platform_capabilities`, `as_of`, ...).
    With `kind` the outcome column is that kind's ordered scale, exactly as the pandas path
    gives it; without, the kinds are not known before the data is read, so the outcome's
    categories span all three scales (`socialpolicy.frames.outcome_dtype(None)`).
    The result's `policy_digest` column names the exact policy text behind each row.
    """
    spec = policy if isinstance(policy, PolicySpec) else PolicySpec.of(policy, engine)
    meta = _decide_partition(frame._meta, spec, errors, kind, options)
    return frame.map_partitions(_decide_partition, spec, errors, kind, options, meta=meta)


def to_parquet(decided: dd.DataFrame, path: str | Path, **options: Any) -> Any:
    """Write decided rows to Parquet with the list columns as lists of strings, index kept.

    Dask infers a file's schema from `meta`, where a list column is an untyped object it
    cannot describe (`decided.to_parquet` fails on it); this hands it the whole schema.
    `options` go to `dask.dataframe.DataFrame.to_parquet` (e.g. `compute=False`).
    """
    import pyarrow as pa

    meta = decided._meta
    lists = [name for name in _LIST_COLUMNS if name in meta.columns]
    typed = meta.astype(dict.fromkeys(lists, "string"))
    if typed.index.name is None:
        typed.index.name = "__null_dask_index__"  # the name Dask itself gives an unnamed index
    schema = pa.Schema.from_pandas(typed, preserve_index=True)
    for name in lists:
        schema = schema.set(schema.get_field_index(name), pa.field(name, pa.list_(pa.string())))
    options.setdefault("schema", schema)
    return decided.to_parquet(str(path), **options)
