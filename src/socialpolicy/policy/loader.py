"""Load, check and compile a policy file: the stages below `decide`, run once per policy."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, PolicyError, UnknownPolicyError
from ..vocab import did_you_mean
from .compiler import compile_policy
from .model import PolicyDocument

if TYPE_CHECKING:
    from .._yaml import Document


def _bundled_dir() -> Path:
    """Bundled policies: inside the package in a wheel, at the repository top in a checkout."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "policies"
    return packaged if packaged.is_dir() else here.parents[3] / "policies"


BUNDLED = _bundled_dir()


def available_policies() -> list[str]:
    """Ids of the policies shipped with the library."""
    return sorted(path.stem for path in BUNDLED.glob("*.yaml"))


def resolve(policy: str | Path) -> Path:
    """A bundled id or a path to a YAML file, as a path; unknown ids get a "did you mean"."""
    if isinstance(policy, str) and policy in available_policies():
        return BUNDLED / f"{policy}.yaml"
    path = Path(policy)
    if path.is_file():
        return path
    hint = did_you_mean(policy, available_policies()) or (
        "bundled: " + ", ".join(available_policies()) + "; or give a path to a .yaml file")
    raise UnknownPolicyError(f"no bundled policy or file `{policy}`; {hint}")


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    document: PolicyDocument
    ir: dict[str, Any]


def _check(doc: Document) -> tuple[PolicyDocument | None, list[Diagnostic]]:
    """The checker, with a last guard: a value of a shape no check foresaw becomes a diagnostic
    (the fuzz tests keep this path unused), never a bare exception or a traceback in `lint`."""
    from .checker import check

    try:
        return check(doc)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError,
            RecursionError) as exc:
        return None, [Diagnostic("unreadable-policy", f"the policy could not be checked: "
                                 f"{type(exc).__name__}: {str(exc)[:200]}", doc.file, 1, 1,
                                 "look for a value of an unexpected type or size; please "
                                 "report this as a bug")]


def _diagnose(path: Path) -> tuple[CompiledPolicy | None, list[Diagnostic]]:
    """Every problem of the file; the compiled policy when none is an error (warnings, such as
    an analysis skipped for size, do not stop a policy loading)."""
    # Imported here: a load served from the cache needs neither the YAML parser nor the checker.
    from .. import _yaml
    from ..engines._durable_rules import check_limits
    from .checker import digest

    data = path.read_bytes()
    doc, problems = _yaml.load(data, str(path))
    if doc is None:
        return None, problems
    document, more = _check(doc)
    problems = sorted(problems + more, key=lambda d: (d.severity != "error", d.line, d.column))
    if document is None or any(d.severity == "error" for d in problems):
        return None, problems
    document = replace(document, digest=digest(data.decode("utf-8-sig")))
    ir = compile_policy(document)
    positions = {rule.id: rule.position for rule in document.rules}
    limits = []
    for problem in check_limits(ir):
        at = positions.get(problem.rule_id or "")
        limits.append(Diagnostic("durable-limit", problem.message, str(path),
                                 at.line if at else 1, at.column if at else 1, problem.hint))
    if limits:
        return None, limits + problems
    return CompiledPolicy(document, ir), problems


def compile_file(policy: str | Path) -> CompiledPolicy:
    """Load, check and compile; raise `PolicyError` listing every problem."""
    return cached_compile(resolve(policy))


def lint(paths: Iterable[str | Path]) -> list[Diagnostic]:
    """Every problem in every given policy file (bundled ids accepted), in one list."""
    problems: list[Diagnostic] = []
    for path in paths:
        problems += _diagnose(resolve(path))[1]
    return problems


# ---- the compiled-policy cache ----------------------------------------------------------------
# Parsing the YAML (pure Python, to keep positions) and checking every clause against the source
# document cost most of a load, yet depend only on the file's content, the source documents
# beside it and the library's own code. A successful compile is stored under a key made of all
# three; a changed file, source or library gives a new key. Entries are written to a temporary
# file and renamed into place (concurrent writers cannot tear one), and an entry that does not
# read back exactly is ignored and rewritten. Set SOCIALPOLICY_CACHE=off to disable the cache,
# SOCIALPOLICY_CACHE_DIR to move it (default: $XDG_CACHE_HOME/socialpolicy or
# ~/.cache/socialpolicy). `lint` never uses it.

_CACHE_MAGIC = b"socialpolicy-compiled-1\n"
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    """Where compiled policies are kept, or None when the cache is switched off."""
    if os.environ.get("SOCIALPOLICY_CACHE", "").strip().lower() in ("0", "off", "false", "no"):
        return None
    explicit = os.environ.get("SOCIALPOLICY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "socialpolicy"


@functools.lru_cache(maxsize=1)
def _library_fingerprint() -> str:
    """Changes whenever any module of the library does (an upgrade or an edit in a checkout)."""
    stats = sorted((str(p.relative_to(_PACKAGE)), p.stat().st_size, p.stat().st_mtime_ns)
                   for p in _PACKAGE.rglob("*.py"))
    return hashlib.sha256(repr(stats).encode()).hexdigest()


def _cache_key(path: Path, data: bytes) -> str:
    sources = path.parent / "sources"
    beside = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                    for p in sources.iterdir() if p.is_file()) if sources.is_dir() else []
    digest = hashlib.sha256()
    for part in (_library_fingerprint(), str(path.resolve()), repr(beside)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def cached_compile(path: Path) -> CompiledPolicy:
    """`compile_file` for one resolved path, through the cache when it is on."""
    folder = cache_dir()
    if folder is None:
        return _compile_path(path)
    try:
        key = _cache_key(path, path.read_bytes())
    except OSError:
        return _compile_path(path)
    entry = folder / f"{key[:40]}.pickle"
    try:
        blob = entry.read_bytes()
        if blob.startswith(_CACHE_MAGIC):
            stored_key, compiled = pickle.loads(blob[len(_CACHE_MAGIC):])
            if stored_key == key and isinstance(compiled, CompiledPolicy):
                return compiled
    except Exception:
        pass
    compiled = _compile_path(path)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_CACHE_MAGIC + pickle.dumps((key, compiled), protocol=5))
            os.replace(temporary, entry)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError:
        pass  # a read-only or full disk only costs the next load its speed
    return compiled


def _compile_path(path: Path) -> CompiledPolicy:
    compiled, problems = _diagnose(path)
    if compiled is None:
        raise PolicyError([d for d in problems if d.severity == "error"])
    return compiled
