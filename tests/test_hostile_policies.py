"""Any policy file, however broken, fails with `PolicyError` at a file position, and `lint` never
prints a traceback; the checker's own work is bounded however a policy is written.

The fuzz test mutates the five bundled policies with a fixed seed (byte flips, truncations, line
deletions and duplications, indentation slips, type swaps, deep nesting, huge numbers, NUL and
control characters, invalid UTF-8). CI runs `FUZZ_CI` mutations; the `soak` marker runs more:
`pytest -m soak tests/test_hostile_policies.py` (`SOCIALPOLICY_FUZZ=N` sets how many).
"""

from __future__ import annotations

import collections
import os
import random
import re
import shutil
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.cli import main
from socialpolicy.policy.loader import BUNDLED

FIXTURES = Path(__file__).parent / "fixtures"
MINI = (FIXTURES / "mini.yaml").read_text()
FUZZ_CI = 200
DEEP = 3000

# ---- mutations -------------------------------------------------------------------------------

Mutation = Callable[[random.Random, bytes], bytes]
_VALUE = re.compile(rb"^(\s*-?\s*[A-Za-z_]+: )(.+)$")
_SWAPS = [b"{a: 1}", b"[1, 2]", b"123", b"-7", b"true", b"null", b"1e8", b"''", b"[]", b"{}",
          b"XYZ", b"1.5", b"[[x]]", b"{label: {a: 1}}", b"100000000", b"9" * 5000]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _value_line(r: random.Random, data: bytes, new: Callable[[], bytes]) -> bytes:
    lines = _lines(data)
    spots = [i for i, line in enumerate(lines) if _VALUE.match(line.rstrip(b"\n"))]
    i = r.choice(spots)
    match = _VALUE.match(lines[i].rstrip(b"\n"))
    assert match is not None
    lines[i] = match.group(1) + new() + b"\n"
    return b"".join(lines)


def byte_flip(r: random.Random, data: bytes) -> bytes:
    i = r.randrange(len(data))
    return data[:i] + bytes([r.randrange(256)]) + data[i + 1:]


def truncate(r: random.Random, data: bytes) -> bytes:
    return data[:r.randrange(len(data))]


def delete_line(r: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[r.randrange(len(lines))]
    return b"".join(lines)


def duplicate_line(r: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = r.randrange(len(lines))
    lines.insert(i, lines[i])
    return b"".join(lines)


def indent(r: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = r.randrange(len(lines))
    lines[i] = b"  " + lines[i] if r.random() < 0.5 else lines[i][2:]
    return b"".join(lines)


def type_swap(r: random.Random, data: bytes) -> bytes:
    return _value_line(r, data, lambda: r.choice(_SWAPS))


def flow_swap(r: random.Random, data: bytes) -> bytes:
    """A value inside a flow mapping: `{label: spam}` becomes `{label: {a: 1}}`."""
    spots = [m.start(2) for m in re.finditer(rb"(\{\s*[a-z_]+: )([^{}\[\],\n]+)", data)]
    if not spots:
        return type_swap(r, data)
    i = r.choice(spots)
    end = i + len(re.match(rb"[^{}\[\],\n]+", data[i:]).group())  # type: ignore[union-attr]
    return data[:i] + r.choice(_SWAPS) + data[end:]


def deep_nesting(r: random.Random, data: bytes) -> bytes:
    nests = [b"[" * DEEP + b"]" * DEEP, b"{a: " * DEEP + b"1" + b"}" * DEEP,
             b"{not: " * DEEP + b"{label: spam}" + b"}" * DEEP]
    return _value_line(r, data, lambda: r.choice(nests))


def huge_number(r: random.Random, data: bytes) -> bytes:
    numbers = [b"9" * 5000, b"1e999999", b"-" + b"9" * 4400, b"0." + b"1" * 5000]
    return _value_line(r, data, lambda: r.choice(numbers))


def nul(r: random.Random, data: bytes) -> bytes:
    i = r.randrange(len(data))
    return data[:i] + b"\x00" + data[i:]


def control_character(r: random.Random, data: bytes) -> bytes:
    i = r.randrange(len(data))
    return data[:i] + r.choice([b"\x07", b"\x1b", b"\xef\xbf\xbf", b"\x7f"]) + data[i:]


def invalid_utf8(r: random.Random, data: bytes) -> bytes:
    i = r.randrange(len(data))
    return data[:i] + r.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82"]) + data[i:]


MUTATIONS: list[Mutation] = [byte_flip, truncate, delete_line, duplicate_line, indent,
                             type_swap, flow_swap, deep_nesting, huge_number, nul,
                             control_character, invalid_utf8]


def fuzz(count: int, seed: int, folder: Path) -> collections.Counter[str]:
    """Lint `count` mutated bundled policies; only `PolicyError`-shaped results are allowed."""
    shutil.copytree(BUNDLED / "sources", folder / "sources")
    originals = {pid: (BUNDLED / f"{pid}.yaml").read_bytes() for pid in sp.available_policies()}
    r = random.Random(seed)
    counts: collections.Counter[str] = collections.Counter()
    for _ in range(count):
        policy_id = r.choice(sorted(originals))
        mutation = r.choice(MUTATIONS)
        path = folder / f"{policy_id}.yaml"
        path.write_bytes(mutation(r, originals[policy_id]))
        found = sp.lint([path])  # anything but a list of diagnostics fails the test
        errors = [d for d in found if d.severity == "error"]
        assert all(d.line >= 1 and d.column >= 1 and d.code and d.hint for d in found), found
        assert "unreadable-policy" not in {d.code for d in found}, (mutation.__name__, found)
        counts[mutation.__name__ + (": error" if errors else ": clean")] += 1
        counts["error" if errors else "clean"] += 1
        if errors and counts["error"] % 10 == 1:  # loading fails the same way (sampled)
            with pytest.raises(sp.PolicyError) as raised:
                sp.load_policy(path, engine="reference")
            assert list(raised.value.diagnostics) == errors
    return counts


def test_mutated_bundled_policies_fail_only_with_policy_errors(tmp_path: Path) -> None:
    counts = fuzz(FUZZ_CI, seed=20261128, folder=tmp_path)
    assert counts["error"] + counts["clean"] == FUZZ_CI
    assert counts["error"] >= FUZZ_CI // 2  # most mutations break something


@pytest.mark.soak
def test_soak_mutated_bundled_policies(tmp_path: Path) -> None:
    count = int(os.environ.get("SOCIALPOLICY_FUZZ", "5000"))
    counts = fuzz(count, seed=int(os.environ.get("SOCIALPOLICY_FUZZ_SEED", "1")),
                  folder=tmp_path)
    sys.stdout.write(f"{dict(sorted(counts.items()))}\n")  # a soak report's figures (-s)
    assert counts["error"] + counts["clean"] == count


# ---- each class of hostile input, with its code and position ----------------------------------

def lint_bytes(tmp_path: Path, data: bytes) -> list[sp.Diagnostic]:
    path = tmp_path / "policy.yaml"
    path.write_bytes(data)
    return sp.lint([path])


SPAM = b"    when: {label: spam}\n"


@pytest.mark.parametrize(("old", "new", "expected"), [
    (SPAM, b"    when: {label: sp\xffam}\n", [("encoding", 53, 21)]),
    (SPAM, b"    when: {label: spam}\x00\n", [("bad-character", 53, 24)]),
    (SPAM, b"    when: {label: spam}\x1b\n", [("bad-character", 53, 24)]),
    (SPAM, b"    when: " + b"{not: " * DEEP + b"{label: spam}" + b"}" * DEEP + b"\n",
     [("too-deep", 53, 228)]),
    (SPAM, b"    when: " + b"[" * DEEP + b"]" * DEEP + b"\n", [("too-deep", 53, 48)]),
    (b"ge: 2}", b"ge: " + b"9" * 5000 + b"}", [("out-of-range", 82, 68)]),
    (b"ge: 2}", b"ge: 9223372036854775808}", [("out-of-range", 82, 68)]),
    (b"ge: 2}", b"ge: 9223372036854775}", [("out-of-range", 82, 68)]),
    (SPAM, b"    when: {label: {a: 1}}\n", [("unknown-label", 53, 19)]),
    (b"{fact: out_of_hours}", b"{fact: [1]}", [("unknown-fact", 72, 25)]),
    (b"  holidays: ENG", b"  holidays: XYZ", [("bad-value", 16, 13)]),
    (b"working_days: 2}", b"working_days: 100000000}", [("out-of-range", 64, 36)]),
    (b"working_days: 2}", b"working_days: 1e8}", [("bad-value", 64, 36)]),
    (b"names: [Example Borough Council, EBC]", b"names: [" + b"A" * 40000 + b", EBC]",
     [("out-of-range", 9, 9)]),
    (b"organisation: Example Borough Council", b"organisation: " + b"B" * 40000,
     [("out-of-range", 3, 15)]),
    (b'version: "2.0"', b"version: {a: 1}", [("bad-type", 5, 10)]),
    (b"\xef\xbb\xbf", b"", []),  # a byte-order mark at the start is allowed (added below)
])
def test_each_hostile_value_is_one_diagnostic_at_its_position(
        tmp_path: Path, old: bytes, new: bytes, expected: list[tuple[str, int, int]]) -> None:
    bom = old == b"\xef\xbb\xbf"
    data = old + MINI.encode() if bom else MINI.encode().replace(old, new, 1)
    found = lint_bytes(tmp_path, data)
    assert [(d.code, d.line, d.column) for d in found] == expected
    if expected:
        with pytest.raises(sp.PolicyError):
            sp.load_policy(tmp_path / "policy.yaml", engine="reference")


def test_a_long_name_costs_little_memory(tmp_path: Path) -> None:
    tracemalloc.start()
    try:
        lint_bytes(tmp_path, MINI.replace("names: [Example Borough Council",
                                          "names: [" + "A" * 40000).encode())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000  # every prefix of the name would be 800 MB


def test_lint_never_prints_a_traceback(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    bad = [b"\xff\xfe", b"id: x\x00", b"a: " + b"[" * DEEP, b"x: " + b"9" * 5000, b"- - -",
           b"", b"\t: :"]
    paths = []
    for i, data in enumerate(bad):
        paths.append(tmp_path / f"p{i}.yaml")
        paths[-1].write_bytes(data)
    assert main(["lint", *map(str, paths)]) == 3
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = [line for line in captured.out.splitlines() if not line.startswith("  hint:")]
    assert lines and all(re.match(r".+\.yaml:\d+:\d+: error\[[a-z-]+\] ", line)
                         for line in lines), lines


# ---- bounded analysis ------------------------------------------------------------------------

def test_a_huge_disjunctive_rule_skips_the_analysis_with_a_warning(tmp_path: Path) -> None:
    labels = ["spam", "advertising", "profanity", "illegal", "impersonation",
              "personal_details", "names_staff", "hate_speech"]
    tests = ", ".join(f"{{any: [{{label: {labels[i % 8]}}}, {{label: {labels[(i + 1) % 8]}}}]}}"
                      for i in range(24))
    text = MINI.replace("    when: {label: spam}\n", f"    when: {{all: [{tests}]}}\n", 1)
    found = lint_bytes(tmp_path, text.encode())
    skipped = [d for d in found if d.code == "analysis-skipped"]
    assert [(d.severity, d.line) for d in skipped] == [("warning", 53)]
    assert skipped[0].message.startswith("analysis skipped: rule `spam-hide` too large")


def test_a_warning_alone_does_not_stop_a_policy_loading(tmp_path: Path) -> None:
    # 3^10 = 59,049 cases for the analysis, yet only 11 groups for durable_rules
    tests = ", ".join(f"{{any: [{{label: spam}}, {{label: illegal}}, {{field: "
                      f"author_prior_removals, ge: {i}}}]}}" for i in range(1, 11))
    text = MINI.replace("    when: {label: spam}\n", f"    when: {{all: [{tests}]}}\n", 1)
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    assert [d.code for d in sp.lint([path])] == ["analysis-skipped"]
    policy = sp.load_policy(path, engine="reference")
    assert policy.decide(sp.Comment(platform="facebook", text="", author="@a",
                                    posted_at="2026-03-04T10:00:00Z",
                                    labels={"spam"})).outcome == "hide"


def test_lint_exits_zero_on_warnings_alone(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # 3^10 = 59,049 cases for the analysis, yet only 11 groups for durable_rules
    tests = ", ".join(f"{{any: [{{label: spam}}, {{label: illegal}}, {{field: "
                      f"author_prior_removals, ge: {i}}}]}}" for i in range(1, 11))
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace("    when: {label: spam}\n", f"    when: {{all: [{tests}]}}\n"))
    assert main(["lint", str(path)]) == 0
    assert "warning[analysis-skipped]" in capsys.readouterr().out


def test_the_last_guard_turns_an_unforeseen_failure_into_a_diagnostic(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialpolicy.policy import checker

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(checker, "check", broken)
    [found] = lint_bytes(tmp_path, MINI.encode())
    assert (found.code, found.line, found.column) == ("unreadable-policy", 1, 1)
    assert "TypeError: unhashable type" in found.message
