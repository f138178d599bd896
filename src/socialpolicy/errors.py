"""The error tree: one root, builtin bases, stable kebab-case codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a policy file, at a position, with a fix in `hint`."""

    code: str
    message: str
    file: str
    line: int
    column: int
    hint: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}] {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class SocialPolicyError(Exception):
    """Root of every error this library raises on purpose."""


class PolicyError(SocialPolicyError, ValueError):
    """A policy file that cannot be loaded; `diagnostics` lists every problem found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        count = len(self.diagnostics)
        head = f"policy has {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([head, *map(str, self.diagnostics)]))


class InputError(SocialPolicyError, ValueError):
    """An argument or input file the caller gave that cannot be used as asked (an unknown
    option value, a missing folder, a file in an unknown format): a mistake to fix, told apart
    from a fault inside the library, which is never one of these."""


class UnknownPolicyError(SocialPolicyError, LookupError):
    """`load_policy` was given an id that is neither bundled nor a file."""


class EngineError(SocialPolicyError, RuntimeError):
    """The rule engine failed inside a decision; never turned into a lenient outcome."""


class SubjectKindError(SocialPolicyError, TypeError):
    """`decide` was given something that is not a Comment, StaffPost or AccountRequest."""


class AnalysisError(SocialPolicyError, RuntimeError):
    """The exact analysis (`diff_policies`, `why_not`, `socialpolicy analyze`) and the engines
    disagree about a subject: a bug to report, never reported as a result."""


class DetectorError(SocialPolicyError, ValueError):
    """A detector passed to `decide` that reads no text field or sets no known label or fact."""
