"""Charts: built from the decision frame's own numbers, in scale order and severity colours."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import socialpolicy as sp
from socialpolicy.frames import plots
from socialpolicy.render import outcome_colour

matplotlib.use("Agg")

WHEN = ["2026-01-05T10:00:00+00:00", "2026-01-06T10:00:00+00:00", "2026-01-14T10:00:00+00:00",
        "2026-01-20T10:00:00+00:00"]
ROWS = pd.DataFrame({
    "platform": ["Facebook", "twitter", "Instagram", "facebook"],
    "text": ["thanks", "ring 07700 900123", "you are scum", "Vaccines have microchips"],
    "author": ["@a", "@b", "@c", "@d"],
    "posted_at": WHEN,
    "labels": [None, "", "targeted_abuse", "misinformation"],
})


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {pid: sp.load_policy(pid, engine="reference").decide_frame(ROWS)
                for pid in ("mse_icb", "mhra")}


def _bars(figure: matplotlib.figure.Figure) -> list[matplotlib.patches.Rectangle]:
    return [p for p in figure.axes[0].patches if p.get_width() > 0]


def test_outcomes_per_policy_stack_the_counts_in_scale_order(
        frames: dict[str, pd.DataFrame]) -> None:
    figure = plots.plot_outcomes(frames)
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["mhra", "mse_icb"]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    used = {str(o) for f in frames.values() for o in f["outcome"]}
    assert legend == [o for o in ("leave", "hide", "delete") if o in used]
    # each policy's segments add up to its rows, coloured by severity
    for policy_id, frame in frames.items():
        y = ["mhra", "mse_icb"].index(policy_id)
        segments = [p for p in _bars(figure) if round(p.get_y() + p.get_height() / 2) == y]
        assert sum(p.get_width() for p in segments) == len(frame)
        counts = frame["outcome"].value_counts()
        for patch in segments:
            outcome = next(o for o in legend if to_hex(patch.get_facecolor()) ==
                           outcome_colour(o))
            assert patch.get_width() == counts[outcome]


def test_a_compare_decisions_frame_plots_the_same(frames: dict[str, pd.DataFrame]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compared = sp.compare_decisions(ROWS, policies=["mse_icb", "mhra"], engine="reference")
    widths = sorted(p.get_width() for p in _bars(plots.plot_outcomes(compared)))
    assert widths == sorted(p.get_width() for p in _bars(plots.plot_outcomes(frames)))


def test_top_clauses_counts_rows_per_clause(frames: dict[str, pd.DataFrame]) -> None:
    frame = frames["mse_icb"]
    figure = plots.plot_top_clauses(frame, n=3)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    expected = frame["substantive_cites"].explode().value_counts().head(3)
    assert [label.split("  ")[0] for label in labels] == list(expected.index)
    assert [p.get_width() for p in _bars(figure)] == list(expected)
    # each bar names its clause's title too, and the chart names the policy
    titles = {c.id: c.title for c in sp.load_policy("mse_icb", engine="reference").clauses}
    for label in labels:
        clause_id, _, shown = label.partition("  ")
        assert shown and titles[clause_id].startswith(shown.rstrip("\u2026")), label
    assert figure.axes[0].get_title(loc="right") == "Most-cited substantive clauses: mse_icb"
    both = plots.plot_top_clauses(pd.concat(frames.values()), n=50, substantive=False)
    labels = [t.get_text() for t in both.axes[0].get_yticklabels()]
    assert any(x.startswith("mhra annex-a/") for x in labels)
    assert any(x.startswith("mse_icb ") for x in labels)


def test_outcomes_over_time_buckets_by_week(frames: dict[str, pd.DataFrame]) -> None:
    figure = plots.plot_outcomes_over_time(frames["mse_icb"], ROWS["posted_at"])
    ax = figure.axes[0]
    assert ax.get_title() == "Outcomes over time"
    assert ax.get_ylabel() == "rows per week" and ax.get_xlabel() == "week starting"
    # the key sits below the chart, where it cannot hide the first weeks' stack
    assert ax.get_legend() is None
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[:-1] == [str(o) for o in frames["mse_icb"]["outcome"].cat.categories
                           if (frames["mse_icb"]["outcome"] == o).any()]
    assert legend[-1] == "partial week: last (data ends Tue 20 Jan)"  # see the tests below
    # three ISO weeks hold the four rows; the top of the stack sums to the rows per week
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == 2
    with pytest.raises(ValueError, match="posted_at"):
        plots.plot_outcomes_over_time(frames["mse_icb"], pd.Series([None] * 4, dtype=object))
    # rows without a readable time are left out, and the axis says how many
    gaps = ROWS["posted_at"].where(ROWS.index != 0, "not a date")
    monthly = plots.plot_outcomes_over_time(frames["mse_icb"], gaps, freq="M").axes[0]
    assert monthly.get_ylabel() == "rows per month"
    assert monthly.get_xlabel() == "month starting (1 rows without a time left out)"
    assert monthly.collections[-1].get_paths()[0].vertices[:, 1].max() == 3


def _weekly(posted: list[str], freq: str = "W") -> matplotlib.figure.Figure:
    rows = pd.DataFrame({"platform": "x", "text": "thanks", "author": "@a",
                         "posted_at": posted, "labels": None})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        decided = sp.load_policy("mse_icb", engine="reference").decide_frame(rows)
    return plots.plot_outcomes_over_time(decided, rows["posted_at"], freq=freq)


def _hatched(figure: matplotlib.figure.Figure) -> list[tuple[float, float]]:
    """The x extent of each hatched span, as matplotlib date numbers."""
    return [(p.get_x(), p.get_x() + p.get_width()) for p in figure.axes[0].patches
            if p.get_hatch()]


def _day(text: str) -> float:
    return float(mdates.date2num(pd.Timestamp(text)))


def test_a_partial_last_week_is_hatched_and_named(frames: dict[str, pd.DataFrame]) -> None:
    figure = plots.plot_outcomes_over_time(frames["mse_icb"], ROWS["posted_at"])
    # Mon 5 Jan starts the first week whole; Tue 20 Jan ends the data two days into the last:
    # the stretch from the week of 12 Jan into the week of 19 Jan is hatched.
    assert _hatched(figure) == [(_day("2026-01-12"), _day("2026-01-19"))]
    assert [t.get_text() for t in figure.legends[0].get_texts()].count(
        "partial week: last (data ends Tue 20 Jan)") == 1


def test_whole_weeks_are_not_marked() -> None:
    figure = _weekly(["2026-01-05T09:00:00+00:00", "2026-01-11T22:00:00+00:00",
                      "2026-01-12T09:00:00+00:00", "2026-01-18T23:00:00+00:00"])
    assert _hatched(figure) == []
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["leave"]


def test_a_partial_first_week_is_hatched_and_named() -> None:
    figure = _weekly(["2026-01-07T09:00:00+00:00", "2026-01-13T09:00:00+00:00",
                      "2026-01-25T09:00:00+00:00"])  # Wed 7 Jan ... Sun 25 Jan
    assert _hatched(figure) == [(_day("2026-01-05"), _day("2026-01-12"))]
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "leave", "partial week: first (data starts Wed 07 Jan)"]


def test_both_ends_share_one_legend_entry_and_one_period_still_gets_the_note() -> None:
    figure = _weekly(["2026-01-07T09:00:00+00:00", "2026-01-13T09:00:00+00:00",
                      "2026-01-21T09:00:00+00:00"])
    assert _hatched(figure) == [(_day("2026-01-05"), _day("2026-01-12")),
                                (_day("2026-01-12"), _day("2026-01-19"))]
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "leave", "partial week: first (data starts Wed 07 Jan), last (data ends Wed 21 Jan)"]
    monthly = _weekly(["2026-01-07T09:00:00+00:00", "2026-01-21T09:00:00+00:00"], freq="M")
    assert _hatched(monthly) == [(_day("2026-01-01"), _day("2026-01-01"))]  # nothing to hatch
    assert [t.get_text() for t in monthly.legends[0].get_texts()][-1] == (
        "partial month: first (data starts Wed 07 Jan), last (data ends Wed 21 Jan)")


def test_detector_hits_count_labels_nobody_asserted(frames: dict[str, pd.DataFrame]) -> None:
    frame = frames["mse_icb"]
    figure = plots.plot_detector_hits(frame)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "personal_details" in labels  # the phone number in row 1, with no label given
    expected = frame["detected"].explode().dropna().value_counts()
    assert [p.get_width() for p in _bars(figure)] == list(expected)
    figure.savefig(__import__("io").BytesIO(), format="png")  # renders headless
