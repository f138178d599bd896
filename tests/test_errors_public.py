"""Every error the library raises on purpose can be caught by its name from `socialpolicy`,
and every one is a `SocialPolicyError` (so one `except` catches them all)."""

from __future__ import annotations

import inspect

import socialpolicy as sp
from socialpolicy import errors


def test_every_error_class_is_public_and_under_the_root() -> None:
    classes = {name: cls for name, cls in vars(errors).items()
               if inspect.isclass(cls) and issubclass(cls, Exception)}
    assert {"AnalysisError", "InputError"} <= set(classes)
    for name, cls in classes.items():
        assert issubclass(cls, sp.SocialPolicyError), name
        assert name in sp.__all__ and getattr(sp, name) is cls, name


def test_analysis_error_is_public_and_the_one_the_analysis_raises() -> None:
    from socialpolicy.analysis import diff, witness

    assert sp.AnalysisError is witness.AnalysisError is diff.AnalysisError
    assert issubclass(sp.AnalysisError, sp.SocialPolicyError)
    assert issubclass(sp.AnalysisError, RuntimeError)  # a bug to report, not a bad input
    try:
        raise sp.AnalysisError("the engines and the analysis disagree")
    except sp.SocialPolicyError as caught:
        assert "disagree" in str(caught)


def test_input_error_is_a_value_error_under_the_root() -> None:
    assert issubclass(sp.InputError, sp.SocialPolicyError)
    assert issubclass(sp.InputError, ValueError)  # what callers caught before it had a name
