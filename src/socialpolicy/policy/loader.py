"""Load, check and compile a policy file: the stages below `decide`, run once per policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import _yaml
from ..engines._durable import check_limits
from ..errors import Diagnostic, PolicyError, UnknownPolicyError
from ..vocab import closest
from .checker import check, digest
from .compiler import compile_policy
from .model import PolicyDocument


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
    guess = closest(str(policy), available_policies())
    hint = f"did you mean `{guess}`?" if guess else (
        "bundled: " + ", ".join(available_policies()) + "; or give a path to a .yaml file")
    raise UnknownPolicyError(f"no bundled policy or file `{policy}`; {hint}")


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    document: PolicyDocument
    ir: dict[str, Any]


def _diagnose(path: Path) -> tuple[CompiledPolicy | None, list[Diagnostic]]:
    text = path.read_text(encoding="utf-8")
    doc, problems = _yaml.load(text, str(path))
    if doc is None:
        return None, problems
    document, more = check(doc)
    problems = sorted(problems + more, key=lambda d: (d.line, d.column))
    if document is None or problems:
        return None, problems
    document = replace(document, digest=digest(text))
    ir = compile_policy(document)
    limits = [Diagnostic("durable-limit", problem, str(path), 1, 1,
                         "split the policy or simplify conditions")
              for problem in check_limits(ir)]
    if limits:
        return None, limits
    return CompiledPolicy(document, ir), []


def compile_file(policy: str | Path) -> CompiledPolicy:
    """Load, check and compile; raise `PolicyError` listing every problem."""
    compiled, problems = _diagnose(resolve(policy))
    if compiled is None:
        raise PolicyError(problems)
    return compiled


def lint(paths: Iterable[str | Path]) -> list[Diagnostic]:
    """Every problem in every given policy file (bundled ids accepted), in one list."""
    problems: list[Diagnostic] = []
    for path in paths:
        problems += _diagnose(resolve(path))[1]
    return problems
