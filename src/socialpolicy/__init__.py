"""UK public-sector social media policies as policy-as-code.

    import socialpolicy as sp
    policy = sp.load_policy("mse_icb")
    decision = policy.decide(sp.Comment(...))

Every decision names the clauses behind it, quoted from the source document.
"""

import importlib as _importlib
import typing as _typing

# Public names are imported on first use, not with the package: `import socialpolicy` stays
# cheap for a CLI start-up or a worker process, and pandas, Hypothesis, the detectors' tables
# and durable_rules load only when something needs them. Add a public name here and to
# `__all__`; the TYPE_CHECKING block below keeps type checkers and IDEs informed.
_LAZY: dict[str, str] = {
    "run_cases": "analysis.cases",
    "compare_policies": "analysis.compare",
    "check_coverage": "analysis.coverage",
    "diff_policies": "analysis.diff",
    **dict.fromkeys(("Action", "Citation", "Decision", "Evidence", "Finding"), "decision"),
    **dict.fromkeys(("Policy", "decide", "load_policy"), "engine"),
    **dict.fromkeys(("AnalysisError", "DetectorError", "Diagnostic", "EngineError",
                     "InputError", "PolicyError", "SocialPolicyError", "SubjectKindError",
                     "UnknownPolicyError"), "errors"),
    **dict.fromkeys(("compare_decisions", "to_frame"), "frames"),
    **dict.fromkeys(("available_policies", "lint"), "policy.loader"),
    **dict.fromkeys(("Account", "AccountRequest", "Author", "Comment", "StaffPost"), "subjects"),
    "Outcome": "vocab",
}

if _typing.TYPE_CHECKING:
    from .analysis.cases import run_cases
    from .analysis.compare import compare_policies
    from .analysis.coverage import check_coverage
    from .analysis.diff import diff_policies
    from .decision import Action, Citation, Decision, Evidence, Finding
    from .engine import Policy, decide, load_policy
    from .errors import (
        AnalysisError,
        DetectorError,
        Diagnostic,
        EngineError,
        InputError,
        PolicyError,
        SocialPolicyError,
        SubjectKindError,
        UnknownPolicyError,
    )
    from .frames import compare_decisions, to_frame
    from .policy.loader import available_policies, lint
    from .subjects import Account, AccountRequest, Author, Comment, StaffPost
    from .vocab import Outcome


#: Integration modules reachable as attributes (`sp.frames.COLUMNS`) without an import of
#: their own, as a notebook user expects; each is imported (with pandas, Dask...) only then.
_SUBMODULES = frozenset({"dask", "frames", "signals", "testing"})


def __getattr__(name: str) -> _typing.Any:
    if name in _SUBMODULES:
        return _importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'socialpolicy' has no attribute '{name}'")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__version__ = "0.1.0"

__all__ = [
    "Account",
    "AccountRequest",
    "Action",
    "AnalysisError",
    "Author",
    "Citation",
    "Comment",
    "Decision",
    "DetectorError",
    "Diagnostic",
    "EngineError",
    "Evidence",
    "Finding",
    "InputError",
    "Outcome",
    "Policy",
    "PolicyError",
    "SocialPolicyError",
    "StaffPost",
    "SubjectKindError",
    "UnknownPolicyError",
    "available_policies",
    "check_coverage",
    "compare_decisions",
    "compare_policies",
    "decide",
    "diff_policies",
    "lint",
    "load_policy",
    "run_cases",
    "to_frame",
]
