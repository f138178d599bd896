"""Bounded work on hostile text: every detector is linear, and decisions say when text was cut.

Each detector reads a megabyte of each adversarial shape (whitespace, newlines, digits,
punctuation, repeated tokens, many `@` or web addresses, mixed scripts, and near misses of what
the detectors look for) in under a second of CPU, and the megabyte costs no more than about ten
times the 100 KB prefix (a quadratic scan would cost a hundred times).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import socialpolicy as sp
from socialpolicy.signals import (
    DEFAULT_DETECTORS,
    MAX_TEXT_CHARS,
    DetectionContext,
    _profanity,
    normalise,
)

_MB = 1_000_000
CONTEXT = DetectionContext(names=("NHS Mid and South Essex", "MSE", "MSEICB"),
                           disclaimers=("these views are personal and not necessarily those "
                                        "of my employer",),
                           staff=("Priya Shah", "Tom McDonald"))


def _repeat(piece: str) -> Callable[[int], str]:
    return lambda n: (piece * (n // len(piece) + 1))[:n]


SHAPES: dict[str, Callable[[int], str]] = {
    "spaces": lambda n: " " * n,
    "newlines": lambda n: "hi" + "\n" * n,
    "tabs and spaces": _repeat("\t \r\n "),
    "digits": _repeat("0"),
    "digit groups": _repeat("07700 9001 "),
    "nhs-like digits": _repeat("943 476 591"),
    "punctuation": _repeat(".,;:!?-*#@&%$^()[]"),
    "repeated tokens": _repeat("views my own fuck "),
    "at signs": _repeat("@a "),
    "urls": _repeat("http://x.com/a/07700900123 www.b.uk/ "),
    "letters": _repeat("a"),
    "dotted letters": _repeat("a."),
    "spaced letters": _repeat("f u "),
    "masks": _repeat("f*"),
    "address-like": _repeat("12 elm road, ss1 "),
    "names": _repeat("Priya Priya Dr "),
    "mixed": _repeat("Rd, SS1 1AA 12 \u039c\u0397\u200b f*ck a.b@c.d at x dot com\n"),
}


def _cpu(detector_name: str, text: str) -> float:
    detector = next(d for d in DEFAULT_DETECTORS if d.name == detector_name)
    normalised = normalise(text)
    _profanity.scan.cache_clear()  # each profanity tier pays for its own scan here
    start = time.process_time()
    list(detector.find(normalised, CONTEXT))
    return time.process_time() - start


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_detector_is_linear_on_a_megabyte(shape: str) -> None:
    big, small = SHAPES[shape](_MB), SHAPES[shape](_MB // 10)
    for detector in DEFAULT_DETECTORS:
        seconds, tenth = _cpu(detector.name, big), _cpu(detector.name, small)
        for _ in range(2):  # a busy machine can stall one run: the best of three counts
            if seconds < 1.0 and seconds < 25 * tenth + 0.05:
                break
            seconds = min(seconds, _cpu(detector.name, big))
            tenth = min(tenth, _cpu(detector.name, small))
        assert seconds < 1.0, (shape, detector.name, seconds)
        assert seconds < 25 * tenth + 0.05, (shape, detector.name, seconds, tenth)


def test_decisions_say_when_text_was_cut() -> None:
    policy = sp.load_policy("mse_icb", engine="reference")
    long_text = "x " * MAX_TEXT_CHARS + "call me on 07700 900123"
    comment = sp.Comment(platform="facebook", author="@a", text=long_text,
                         posted_at="2026-04-02T10:00:00+01:00")
    decision = policy.decide(comment)
    assert any("first 100,000" in w and "`text`" in w for w in decision.warnings)
    assert "personal_details" not in decision.detected  # beyond the cap: not looked for
    short = policy.decide(comment.model_copy(update={"text": "call me on 07700 900123"}))
    assert not any("first 100,000" in w for w in short.warnings)
    assert "personal_details" in short.detected
