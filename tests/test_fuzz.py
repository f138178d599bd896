"""The bad-input contract on generated hostile input, one property per surface.

- the Python API (`decide`, `decide_many`, `decide_iter`, `sp.decide`): only a pydantic
  `ValidationError` or the library's own errors escape, every batch row gets a decision or an
  `error` decision (exactly the rows `decide` refuses), and whatever is decided can be written
  as UTF-8 JSON;
- the text detectors: any text, in every text field, gives evidence that points at the text;
- policy files: structured mutations of a complete policy (nulls, wrong types, deletions,
  duplicates, garbage operators, deep nesting, anchors, BOM, CRLF, tabs, a list or nothing at
  the top) give `PolicyError`-shaped diagnostics with positions, never the checker's last
  guard, and a policy that loads decides;
- the command line (`decide`, `explain`, `verify`, `lint`) on random bytes, truncated and deep
  JSON, odd line endings and stdin: a clear exit code, never a traceback.

Runs a few seconds in CI (fixed seed, bounded examples); `HYPOTHESIS_PROFILE=nightly` runs
more. Regressions for what fuzzing found are in `test_hostile_input.py`.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import socialpolicy as sp
from socialpolicy.cli import main
from socialpolicy.signals import DEFAULT_DETECTORS, DetectionContext, normalise
from socialpolicy.vocab import COMMENT_LABELS, STAFF_POST_LABELS

from .conftest import MINI_PATH

FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
MINI_TEXT = Path(MINI_PATH).read_text()
MINI_TREE = yaml.safe_load(MINI_TEXT)
REFERENCE = sp.load_policy(MINI_PATH, engine="reference")
DURABLE = sp.load_policy(MINI_PATH, engine="durable")
BUNDLED = sp.load_policy("mse_icb", engine="reference")
ALLOWED = (ValidationError, sp.SocialPolicyError)

# ---- hostile values --------------------------------------------------------------------------

PIECES = ["\ud800", "\udfff", "\x00", "\u200b", "\u200d", "\u202e", "\u0301" * 30, "\ufeff",
          "\U0001f3f3\ufe0f\u200d\U0001f308", "\uff46\uff55\uff43\uff4b", "f\u0301uck", "fuck",
          "07700 900123", "943 476 5919", "jo@nhs.net", "SS1 1AA", "views are my own", "@",
          "http://x.co/", "Priya Shah", "EBC", "\r\n", "\t", "\u0130", "\u00df", "\u03a3"]
TEXTS = st.one_of(
    st.sampled_from(["\ud800", "\udfff", "\x00"]).map(lambda piece: f"a {piece} b"),
    st.sampled_from(PIECES).map(lambda piece: f"a {piece} b"),
    st.text(st.characters(codec=None, categories=None), max_size=60),  # surrogates too
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=20).map("".join),
    st.sampled_from(["x" * 120_000, "\u0301" * 50_000, "07700 " * 20_000]))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([2**53, 2**64, -(2**70), 10**400]),
    st.floats(), st.sampled_from([math.nan, math.inf, -0.0]), TEXTS, st.binary(max_size=8),
    st.sampled_from(["2026-03-04T10:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z",
                     "2026-03-04T10:00:00+23:59", "2026-02-30T10:00:00Z", "spam", "comment",
                     "staff_post", "account_request", "facebook", "x", "personal", "blog"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3),
    st.frozensets(st.sampled_from(sorted(COMMENT_LABELS | STAFF_POST_LABELS)), max_size=3)),
    max_leaves=8)

BASES: dict[str, dict[str, Any]] = {
    "comment": {"kind": "comment", "platform": "facebook", "text": "hi", "author": "@a",
                "posted_at": "2026-03-04T10:00:00Z"},
    "staff_post": {"kind": "staff_post", "platform": "x", "text": "hi",
                   "posted_at": "2026-03-04T10:00:00Z", "account": {"handle": "@jo_EBC"}},
    "account_request": {"kind": "account_request", "platform": "x", "purpose": "blog"},
}
FIELDS = {kind: sorted({*base, "id", "labels", "channel", "author_prior_removals", "format",
                        "about_employer", "author", "account", "proposed_handle",
                        "checks_per_day", "stakeholder_group"})
          for kind, base in BASES.items()}

TEXT_FIELDS = {"comment": ["text", "author", "id"], "staff_post": ["text", "id"],
               "account_request": ["proposed_handle", "stakeholder_group", "operational_need"]}


@st.composite
def rows(draw: st.DrawFn) -> Any:
    """A subject-shaped dict with a few fields deleted, replaced or added, or any JSON-ish
    value at all."""
    kind = draw(st.sampled_from(sorted(BASES)))
    row = dict(BASES[kind])
    if draw(st.booleans()):  # hostile text where text belongs
        row[draw(st.sampled_from(TEXT_FIELDS[kind]))] = draw(TEXTS)
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.sampled_from([*FIELDS[kind], "extra"]))
        if draw(st.integers(0, 4)) == 0:
            row.pop(key, None)
        else:
            row[key] = draw(VALUES)
    return row if draw(st.integers(0, 5)) else draw(VALUES)


def utf8_json(decision: sp.Decision) -> None:
    """What was decided can be sent on and kept: JSON, writable as UTF-8. (An error row echoes
    the caller's own id as given, even one that is not text, so it is only JSON.)"""
    if decision.outcome == "error":
        json.dumps(decision.to_dict())
        return
    json.dumps(decision.to_dict(), ensure_ascii=False).encode("utf-8")
    json.dumps(decision.record(), ensure_ascii=False).encode("utf-8")


@FUZZ
@given(st.lists(rows(), max_size=5))
def test_the_api_lets_only_documented_errors_escape(batch: list[Any]) -> None:
    refused = []
    for row in batch:
        try:
            decision = REFERENCE.decide(row)
        except ALLOWED:
            refused.append(True)
            continue
        assert decision.outcome != "error"
        utf8_json(decision)
        refused.append(False)
    for policy in (REFERENCE, DURABLE):
        decisions = policy.decide_many(batch)
        assert [d.row for d in decisions] == list(range(len(batch)))
        assert [d.outcome == "error" for d in decisions] == refused  # never lenient, never lost
        for decision in decisions:
            utf8_json(decision)
            assert decision.outcome != "error" or decision.error_detail
        streamed = list(policy.decide_iter(iter(batch)))
        assert [d.to_dict() for d in streamed] == [d.to_dict() for d in decisions]
    for row in batch[:1]:
        with contextlib.suppress(*ALLOWED):
            sp.decide(row, policy="mse_icb", engine="reference")


# ---- the detectors ---------------------------------------------------------------------------

CONTEXT = DetectionContext(names=("Example Borough Council", "EBC"),
                           disclaimers=("views here are mine and not the council's",),
                           staff=("Priya Shah",))


@FUZZ
@given(TEXTS.filter(lambda t: "\ud800" not in t and "\udfff" not in t))
def test_detectors_read_any_text_and_point_into_it(text: str) -> None:
    normalised = normalise(text)
    for detector in DEFAULT_DETECTORS:
        for start, end in detector.find(normalised, CONTEXT):
            assert 0 <= start <= end <= len(normalised.folded)
    subjects = [
        sp.Comment(platform="facebook", text=text, author=text,
                   posted_at="2026-03-04T10:00:00Z"),
        sp.StaffPost(platform="x", text=text, posted_at="2026-03-04T10:00:00Z",
                     account={"handle": text, "display_name": text, "bio": text}),
        sp.AccountRequest(platform="x", purpose="blog", proposed_handle=text,
                          stakeholder_group=text, operational_need=text),
    ]
    for policy in (REFERENCE, BUNDLED):
        for subject in subjects:
            decision = policy.decide(subject, staff_directory=["Priya Shah"])
            utf8_json(decision)
            for finding in decision.findings:
                for item in finding.evidence:
                    value = sp.subjects.field_value(subject, item.field)
                    assert value[item.start:item.end] == item.text


# ---- policy files ----------------------------------------------------------------------------

GARBAGE = [None, 0, -1, 2**64, 1e308, "", "XYZ", [], {}, [[]], {"a": 1}, True, "9" * 40,
           {"label": "spam"}, {"any": []}, {"not": None}, {"field": "text", "eq": "x"},
           {"field": "author_prior_removals", "ge": "2"}, {"label": "spam", "ne": True},
           "2026-13-45", "25:99", {"working_days": -1}, {"working_days": 10**6}]


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    items = (tree.items() if isinstance(tree, dict) else
             enumerate(tree) if isinstance(tree, list) else ())
    for key, value in items:
        found += _paths(value, (*prefix, key))
    return found


@st.composite
def policy_texts(draw: st.DrawFn) -> str:
    """The mini policy with one to three structural mutations, dumped, then maybe one textual
    one."""
    tree = copy.deepcopy(MINI_TREE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(tree)[1:]))
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        op = draw(st.sampled_from(["delete", "null", "replace", "duplicate", "rename", "wrap"]))
        if op == "delete":
            del parent[key]
        elif op == "null":
            parent[key] = None
        elif op == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(GARBAGE)))
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["when", "id", "any", "le", "in", "$or", "x"]))] = (
                parent.pop(key))
        elif op == "wrap":
            parent[key] = draw(st.sampled_from([{"not": parent[key]}, [parent[key]],
                                                {"any": [parent[key]] * 20}]))
    text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True)
    change = draw(st.sampled_from(["none", "bom", "crlf", "cr", "tabs", "alias", "deep",
                                   "empty", "list", "nul"]))
    if change == "bom":
        return "\ufeff" + text
    if change in ("crlf", "cr"):
        return text.replace("\n", "\r\n" if change == "crlf" else "\r")
    if change == "tabs":
        return text.replace("  ", "\t", draw(st.integers(1, 3)))
    if change == "alias":
        return "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n" + text
    if change == "deep":
        return text.replace("rules:", "rules: " + "[" * 5000 + "]" * 5000 + "\nrulez:", 1)
    if change == "empty":
        return draw(st.sampled_from(["", "\n", "---\n", "~\n", "# nothing\n", "[]\n", "1\n"]))
    if change == "list":
        return "- " + text.replace("\n", "\n  ")
    if change == "nul":
        return text.replace(":", ":\x00", 1)
    return text


@FUZZ
@given(policy_texts())
def test_a_broken_policy_fails_only_with_positioned_diagnostics(tmp_path_factory: Any,
                                                                 text: str) -> None:
    path = tmp_path_factory.mktemp("policy") / "policy.yaml"
    path.write_bytes(text.encode("utf-8"))
    found = sp.lint([path])
    assert all(d.line >= 1 and d.column >= 1 and d.code and d.hint for d in found), found
    assert "unreadable-policy" not in {d.code for d in found}, found
    errors = [d for d in found if d.severity == "error"]
    try:
        policy = sp.load_policy(path, engine="reference")
    except sp.PolicyError as exc:
        assert errors and list(exc.diagnostics) == errors
        return
    assert not errors
    written = yaml.safe_load(text.lstrip("\ufeff"))  # it loaded, so it is plain YAML
    assert len(policy.rules) == len(written["rules"])  # nothing written is silently dropped
    assert len(policy.clauses) == len(written["clauses"])
    assert all(isinstance(value, str) and value for value in (
        policy.id, policy.organisation, policy.title, *(r.id for r in policy.rules),
        *(r.reason for r in policy.rules), *(c.title for c in policy.clauses)))
    for kind, base in BASES.items():
        decision = policy.decide(base | {"labels": ["spam"]} if kind == "comment" else base)
        assert decision.outcome != "error"


# ---- the command line ------------------------------------------------------------------------

GOOD_LINES = [json.dumps(base) for base in BASES.values()]
LINES = st.one_of(
    st.sampled_from(GOOD_LINES),
    rows().map(lambda row: json.dumps(row, default=repr)),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    st.sampled_from(GOOD_LINES).flatmap(lambda line: st.integers(0, len(line)).map(
        lambda n: line[:n])),
    st.sampled_from(["[" * 5000, '{"a": ' * 3000 + "1" + "}" * 3000, "NaN", "1e999999",
                     '{"kind": "comment", "kind": "comment"}', "", " ", "[1,", "\x00"]))


@st.composite
def inputs(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(LINES, min_size=0, max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = newline.join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 4)) == 0:
        data = draw(st.binary(max_size=200))
    return data


@FUZZ
@given(inputs(), st.sampled_from(["decide", "explain", "verify"]), st.booleans())
def test_the_command_line_never_prints_a_traceback(
        tmp_path_factory: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], data: bytes, command: str, stdin: bool) -> None:
    path = tmp_path_factory.mktemp("cli") / "in.jsonl"
    path.write_bytes(data)
    target = "-" if stdin else str(path)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    argv = [command, target] if command == "verify" else [
        command, "--policy", MINI_PATH, target, "--engine", "reference"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and code in (0, 2, 3, 4), (code, err[-2000:])
    if command == "decide" and code in (0, 4):
        decided = ([] if not out.strip() else json.loads(out) if out.startswith("[")
                   else [json.loads(line) for line in out.splitlines()])
        assert all(row["outcome"] for row in decided)
        assert (code == 4) == any(row["outcome"] == "error" for row in decided)


@pytest.mark.parametrize("argv", [
    ["decide", "--policy", MINI_PATH, "{folder}"],
    ["decide", "--policy", MINI_PATH, "{folder}/missing.jsonl"],
    ["decide", "--policy", "{folder}", "-"],
    ["explain", "--policy", MINI_PATH, "{folder}"],
    ["verify", "{folder}"],
    ["lint", "{folder}/missing.yaml"],
    ["test", "{folder}/missing.yaml"],
    ["coverage", "{folder}/missing.yaml"],
    ["compare", "{folder}/missing.yaml"],
])
def test_a_folder_or_a_missing_file_cannot_run_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code = main([arg.replace("{folder}", str(tmp_path)) for arg in argv])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    assert err.startswith("socialpolicy") and str(tmp_path) in err
