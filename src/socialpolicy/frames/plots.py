"""Charts for the questions analysts ask of a batch of decisions (needs the `analysis` extra).

- `plot_outcomes`: how many rows each policy leaves, hides, deletes... (one bar per policy);
- `plot_top_clauses`: which clauses decide most rows (procedural clauses left out by default);
- `plot_outcomes_over_time`: outcomes per week (or any pandas frequency);
- `plot_detector_hits`: which labels the text detectors added that nobody asserted.

Each takes a decision frame (`decide_frame`, `to_frame`; frames of several policies may be
concatenated) and returns a matplotlib `Figure` built without pyplot, so no global state is
touched and nothing is shown until the caller displays or saves it. Outcomes keep their scale
order and severity colours (green, amber, red) in every chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..render import outcome_colour

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_detector_hits", "plot_outcomes", "plot_outcomes_over_time", "plot_top_clauses"]


def _figure(height: float = 3.2, width: float = 7.0) -> tuple[Figure, Axes]:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("charts need matplotlib; install it with "
                          "`pip install 'socialpolicy[analysis]'`") from exc
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def _long(frame: pd.DataFrame | Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """(policy_id, outcome) rows from a decision frame, a `compare_decisions` frame or a
    mapping of policy id to decision frame."""
    import pandas as pd

    if isinstance(frame, Mapping):
        return pd.concat([f.assign(policy_id=pid) for pid, f in frame.items()])
    if "outcome" in frame.columns:
        return frame
    columns = [c for c in frame.columns if c != "disagree"]  # a compare_decisions frame
    melted = frame[columns].melt(var_name="policy_id", value_name="outcome")
    melted["outcome"] = melted["outcome"].astype(frame[columns[0]].dtype)
    return melted


def plot_outcomes(frame: pd.DataFrame | Mapping[str, pd.DataFrame], *,
                  title: str = "Outcomes per policy") -> Figure:
    """One horizontal bar per policy, split by outcome in scale order, counts on the axis."""
    import pandas as pd

    data = _long(frame)
    counts = pd.crosstab(data["policy_id"].astype(str), data["outcome"])
    counts = counts.loc[:, counts.sum() > 0]
    figure, ax = _figure(height=1.5 + 0.45 * len(counts))
    left = pd.Series(0, index=counts.index)
    for outcome in counts.columns:
        ax.barh(counts.index, counts[outcome], left=left, label=str(outcome),
                color=outcome_colour(str(outcome)), edgecolor="white")
        left = left + counts[outcome]
    ax.invert_yaxis()
    ax.set_xlabel("rows")
    ax.set_title(title)
    figure.legend(ncols=min(len(counts.columns), 6), loc="outside lower center",
                  frameon=False, fontsize="small")
    return figure


def _clause_titles(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(policy id, clause id) -> title, for the bundled policies the frame was decided under.

    A clause id alone (`6.1.2`) means nothing to a reader without the document, so bars are
    labelled with titles where the policy can be found: a bundled id at the frame's version.
    """
    from ..errors import SocialPolicyError
    from ..policy.loader import available_policies, cached_compile, resolve

    titles: dict[tuple[str, str], str] = {}
    pairs = frame[["policy_id", "policy_version"]].dropna().drop_duplicates()
    for policy_id, version in pairs.itertuples(index=False):
        if str(policy_id) not in available_policies():
            continue
        try:
            document = cached_compile(resolve(str(policy_id))).document
        except (SocialPolicyError, OSError):
            continue
        if str(document.version) == str(version):
            titles.update({(str(policy_id), c.id): c.title for c in document.clauses})
    return titles


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "\u2026"


def plot_top_clauses(frame: pd.DataFrame, n: int = 10, *, substantive: bool = True,
                     title: str | None = None) -> Figure:
    """The `n` clauses cited by most rows; `substantive=False` counts procedural ones too.

    Bars are labelled `clause id  title` (the title from the bundled policy, when the frame
    was decided under one), prefixed by the policy id when the frame mixes policies.
    """
    import pandas as pd

    column = "substantive_cites" if substantive else "cites"
    exploded = frame[["policy_id", column]].explode(column).dropna()
    policy_ids = exploded["policy_id"].astype(str)
    clause_ids = exploded[column].astype(str)
    several = policy_ids.nunique() > 1
    keys = pd.Series(list(zip(policy_ids, clause_ids, strict=True)), dtype=object)
    counts = keys.value_counts().head(n)
    titles = _clause_titles(frame)

    def label(key: tuple[str, str]) -> str:
        named = key[1] + (f"  {_short(titles[key])}" if key in titles else "")
        return f"{key[0]} {named}" if several else named

    figure, ax = _figure(height=1.0 + 0.3 * max(len(counts), 1),
                         width=7.0 + (2.0 if titles else 0.0))
    ax.barh([label(key) for key in counts.index], counts.to_numpy(), color="#3b5b92")
    ax.invert_yaxis()
    ax.set_xlabel("rows citing the clause")
    policies = ", ".join(sorted(set(exploded["policy_id"].astype(str))))
    # right-aligned: long clause titles push the bars right, and a centred title would overflow
    ax.set_title(title or (("Most-cited substantive clauses" if substantive
                            else "Most-cited clauses") + (f": {policies}" if policies else "")),
                 loc="right")
    return figure


_PERIODS = {"D": "day", "W": "week", "M": "month", "MS": "month", "ME": "month",
            "Q": "quarter", "QS": "quarter", "QE": "quarter", "Y": "year", "YS": "year",
            "YE": "year", "A": "year"}


def plot_outcomes_over_time(frame: pd.DataFrame, when: str | pd.Series[Any], *,
                            freq: str = "W", title: str = "Outcomes over time") -> Figure:
    """Rows per outcome per period (`freq`: a pandas frequency, weekly by default), stacked.

    `when` is a column of `frame` or a Series on its index (e.g. the input's `posted_at`).
    Rows without a time are left out, and the x-axis label says how many. A first or last
    period the data covers only in part (it starts after the period's first day, or ends
    before its last) is hatched and named in the legend, so a short week at either end does
    not read as a rise or a fall.
    """
    import pandas as pd

    stamps = frame[when] if isinstance(when, str) else when.reindex(frame.index)
    stamps = pd.to_datetime(stamps, utc=True, errors="coerce", format="mixed")
    if stamps.isna().all():
        raise ValueError("no timestamps to plot; hint: pass the input's `posted_at` column")
    period = stamps.dt.tz_localize(None).dt.to_period(freq).dt.start_time
    counts = pd.crosstab(period, frame["outcome"]).sort_index()
    counts = counts.loc[:, counts.sum() > 0]
    figure, ax = _figure(height=3.6)
    ax.stackplot(counts.index, [counts[c].to_numpy() for c in counts.columns],
                 labels=[str(c) for c in counts.columns],
                 colors=[outcome_colour(str(c)) for c in counts.columns], alpha=0.85)
    unit = _PERIODS.get(freq.upper().lstrip("0123456789").split("-")[0], "period")
    _mark_partial(ax, counts.index, stamps.dropna().dt.tz_localize(None), freq, unit)
    ax.set_ylabel(f"rows per {unit}")
    missing = int(stamps.isna().sum())
    ax.set_xlabel(f"{unit} starting" + (f" ({missing} rows without a time left out)"
                                        if missing else ""))
    ax.set_title(title)
    figure.legend(ncols=min(len(counts.columns), 6), loc="outside lower center",
                  frameon=False, fontsize="small")
    figure.autofmt_xdate()
    return figure


def _partial_ends(stamps: pd.Series[Any], freq: str) -> tuple[str | None, str | None]:
    """What makes the first and the last period partial ("data starts Wed 07 Jan"), or None
    where the data reaches that period's first (or last) day."""
    first, last = stamps.min(), stamps.max()
    starts = first.normalize() > first.to_period(freq).start_time.normalize()
    ends = last.normalize() < last.to_period(freq).end_time.normalize()
    return (f"data starts {first:%a %d %b}" if starts else None,
            f"data ends {last:%a %d %b}" if ends else None)


def _mark_partial(ax: Axes, periods: pd.Index[Any], stamps: pd.Series[Any], freq: str,
                  unit: str) -> None:
    """Hatch the stack's stretch into a partial first or last period; one legend entry."""
    first, last = _partial_ends(stamps, freq)
    notes = [f"first ({first})"] * bool(first) + [f"last ({last})"] * bool(last)
    if not notes:
        return
    label = f"partial {unit}: " + ", ".join(notes)
    style: dict[str, Any] = {"facecolor": "white", "alpha": 0.45, "hatch": "//",
                             "edgecolor": "#555555", "linewidth": 0}
    if len(periods) == 1:  # no stretch to hatch (nor a trend to misread): the note shows
        ax.axvspan(periods[0], periods[0], label=label, **style)
        return
    for marked, (left, right) in ((first, periods[:2]), (last, periods[-2:])):
        if marked:
            ax.axvspan(left, right, label=label, **style)
            label = "_" + label  # one legend entry for both ends


def plot_detector_hits(frame: pd.DataFrame, *,
                       title: str = "Labels found by the text detectors") -> Figure:
    """How many rows each detector-added label was found in (labels nobody asserted)."""
    counts = frame["detected"].explode().dropna().value_counts()
    figure, ax = _figure(height=1.0 + 0.3 * max(len(counts), 1))
    ax.barh(counts.index.astype(str), counts.to_numpy(), color="#6a4c93")
    ax.invert_yaxis()
    ax.set_xlabel("rows")
    ax.set_title(title)
    return figure
