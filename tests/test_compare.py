"""`socialpolicy compare`: topics by organisations, from each policy's `topics:` block."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import socialpolicy as sp
from socialpolicy.analysis.compare import NO_CLAUSE, Comparison
from socialpolicy.cli import main
from socialpolicy.policy.loader import compile_file
from socialpolicy.vocab import TOPICS

ROOT = Path(__file__).parent.parent
MINI = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text()


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return sp.compare_policies()


def test_columns_are_the_bundled_policies_and_rows_the_fixed_topics(
        comparison: Comparison) -> None:
    assert comparison.policy_ids == sp.available_policies()
    assert comparison.topics == list(TOPICS)
    assert len(TOPICS) == 11


def test_a_topic_the_document_is_silent_on_reads_no_clause(comparison: Comparison) -> None:
    assert comparison.topic("political_content", "mhra") is None
    assert comparison.cell("political_content", "mhra") == NO_CLAUSE == "no clause"
    # MHRA's document is moderation guidance only: nothing on staff conduct or accounts.
    for topic in ("disclaimer_required", "journalists", "patient_information", "opening_accounts"):
        assert comparison.cell(topic, "mhra") == "no clause", topic


def test_cells_cite_the_clauses_they_summarise(comparison: Comparison) -> None:
    response = comparison.topic("response_times", "mse_icb")
    assert response is not None and "6.4.1" in response.cites
    assert "48 hours" in response.summary
    assert comparison.cell("response_times", "mse_icb").endswith(
        "(" + ", ".join(response.cites) + ")")
    handle = comparison.topic("org_name_in_personal_handle", "mse_icb")
    assert handle is not None and "7.1.9/personal-handle" in handle.cites
    logo = comparison.topic("branding_logo", "hra")
    assert logo is not None and logo.cites == ("3.1/logo",)


def test_every_topic_cites_clauses_of_its_own_policy(comparison: Comparison) -> None:
    for column in comparison.columns:
        document = compile_file(column.policy_id).document
        assert dict(document.topics) == dict(column.topics)
        for topic, found in column.topics.items():
            assert topic in TOPICS
            assert set(found.cites) <= set(document.clause_index), (column.policy_id, topic)
            assert found.summary.strip()


def test_text_groups_organisations_under_each_topic(comparison: Comparison) -> None:
    text = comparison.to_text()
    for heading in TOPICS.values():
        assert f"\n{heading}\n" in text
    block = text.split("\nresponse times\n")[1].split("\n\n")[0]
    assert re.search(r"^  mhra +(?!no clause)\S", block, re.MULTILINE)
    assert "(annex-a/routine)" in block
    assert re.search(r"^  hra +no clause$", block, re.MULTILINE)
    assert all(len(line) <= 100 for line in text.splitlines())


def test_markdown_is_one_table_row_per_topic(comparison: Comparison) -> None:
    lines = comparison.to_markdown().splitlines()
    header = lines.index("| topic | `hra` | `mhcc` | `mhra` | `mse_icb` | `portsmouth` |")
    rows = lines[header + 2:]
    assert len(rows) == len(TOPICS)
    for row, heading in zip(rows, TOPICS.values(), strict=True):
        assert row.startswith(f"| {heading} |")
        assert row.count(" | ") == len(comparison.policy_ids)  # no stray pipe in a cell
    assert "(`6.4.1`, `6.4.3`, `appendix-b/replies`)" in rows[list(TOPICS).index("response_times")]


@pytest.mark.needs_extras  # pandas
def test_dataframe_wide_and_tidy(comparison: Comparison) -> None:
    wide = comparison.to_dataframe()
    assert list(wide.index) == list(TOPICS) and list(wide.columns) == comparison.policy_ids
    assert wide.loc["political_content", "mhra"] == "no clause"
    assert wide.loc["response_times", "mse_icb"] == comparison.cell("response_times", "mse_icb")
    tidy = comparison.to_dataframe(tidy=True)
    assert len(tidy) == len(TOPICS) * len(comparison.policy_ids)
    assert int(tidy["covered"].sum()) == sum(len(c.topics) for c in comparison.columns)
    assert set(tidy[~tidy.covered].summary.isna()) == {True}
    row = tidy[(tidy.topic == "response_times") & (tidy.policy_id == "mse_icb")].iloc[0]
    assert "6.4.1" in row["cites"] and row["organisation"].startswith("NHS Mid and South Essex")


def test_dataframe_without_pandas_says_how_to_get_it(
        comparison: Comparison, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"socialpolicy\[analysis\]"):
        comparison.to_dataframe()


def test_same_policy_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="given twice"):
        sp.compare_policies(["mhra", "mhra"])


def test_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "mhra", "portsmouth"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("mhra        Medicines and Healthcare products Regulatory Agency\n")
    assert "hra " not in out.replace("mhra", "")
    assert main(["compare", "hra", "mhcc", "--format", "markdown"]) == 0
    assert "| topic | `hra` | `mhcc` |\n" in capsys.readouterr().out
    assert main(["compare", "no_such_policy"]) == 2
    assert "no bundled policy or file `no_such_policy`" in capsys.readouterr().err


# The checker validates `topics:` like the rest of the file: (topics block, code, hint part).
BAD_TOPICS = [
    ('  politcal_content: {summary: none, cites: ["5.1"]}', "unknown-field",
     "did you mean `political_content`?"),
    ('  response_times: {summary: two working days, cites: ["4.44"]}', "unknown-clause",
     "did you mean `4.4`?"),
    ("  response_times: {summary: two working days, cites: []}", "missing-citation", "cites"),
    ("  response_times: {summary: two working days}", "missing-field", "add `cites:`"),
    (f'  response_times: {{summary: "{"x" * 121}", cites: ["4.4"]}}', "bad-value",
     "a few words"),
]


@pytest.mark.parametrize(("block", "code", "hint"), BAD_TOPICS,
                         ids=[bad[1] for bad in BAD_TOPICS])
def test_checker_validates_topics(tmp_path: Path, block: str, code: str, hint: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace("\nkinds:\n", f"\ntopics:\n{block}\nkinds:\n"))
    problems = sp.lint([path])
    assert [p.code for p in problems] == [code]
    assert hint in (problems[0].hint or "")
    assert problems[0].line == MINI.split("\nkinds:\n")[0].count("\n") + 3


def test_valid_topics_load_and_missing_ones_default_to_none(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(MINI.replace(
        "\nkinds:\n", '\ntopics:\n  response_times: {summary: two working days, cites: ["4.4"]}'
        "\nkinds:\n"))
    document = sp.load_policy(path, engine="reference").document
    assert list(document.topics) == ["response_times"]
    assert document.topics["response_times"].cites == ("4.4",)
    assert sp.load_policy(ROOT / "tests" / "fixtures" / "mini.yaml",
                          engine="reference").document.topics == {}


def test_the_docs_show_the_current_comparison(comparison: Comparison) -> None:
    doc = (ROOT / "docs" / "reference" / "coverage.md").read_text()
    assert comparison.to_markdown() in doc, (
        "docs/reference/coverage.md is out of date: paste the output of "
        "`socialpolicy compare --format markdown`")
