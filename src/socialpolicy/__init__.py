"""UK public-sector social media policies as policy-as-code.

    import socialpolicy as sp
    policy = sp.load_policy("mse_icb")
    decision = policy.decide(sp.Comment(...))

Every decision names the clauses behind it, quoted from the source document.
"""

from .analysis.compare import compare_policies
from .analysis.coverage import check_coverage
from .analysis.diff import diff_policies
from .decision import Action, Citation, Decision, Evidence, Finding
from .engine import Policy, decide, load_policy
from .errors import (
    DetectorError,
    Diagnostic,
    EngineError,
    PolicyError,
    SocialPolicyError,
    SubjectKindError,
    UnknownPolicyError,
)
from .frames import compare_decisions, to_frame
from .policy.loader import available_policies, lint
from .subjects import Account, AccountRequest, Author, Comment, StaffPost
from .vocab import Outcome

__version__ = "0.1.0"

__all__ = [
    "Account",
    "AccountRequest",
    "Action",
    "Author",
    "Citation",
    "Comment",
    "Decision",
    "DetectorError",
    "Diagnostic",
    "EngineError",
    "Evidence",
    "Finding",
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
    "to_frame",
]
