"""Compare organisations topic by topic: what each policy says, in a few words, and where.

The cells come from each policy file's `topics:` block, never from code, so a sixth organisation
gets its column by writing its YAML. A topic a policy leaves out reads "no clause": its document
says nothing on it, which is itself what an analyst harmonising policies needs to see.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..policy.loader import available_policies, compile_file
from ..policy.model import PolicyDocument, Topic
from ..render import comparison_html
from ..vocab import TOPICS

if TYPE_CHECKING:
    import pandas as pd

NO_CLAUSE = "no clause"


@dataclass(frozen=True, slots=True)
class Column:
    """One organisation's column of the comparison."""

    policy_id: str
    organisation: str
    topics: Mapping[str, Topic] = field(repr=False)  # positions name files on this machine


@dataclass(frozen=True, slots=True)
class Comparison:
    """Topics (rows, in `vocab.TOPICS` order) by organisations (columns, in the order given)."""

    columns: tuple[Column, ...]

    def __repr__(self) -> str:
        return f"<Comparison of {', '.join(self.policy_ids)} on {len(TOPICS)} topics>"

    def _repr_html_(self) -> str:  # notebooks
        return comparison_html(self)

    @property
    def policy_ids(self) -> list[str]:
        """The compared policies' ids, in column order."""
        return [column.policy_id for column in self.columns]

    @property
    def topics(self) -> list[str]:
        """Every comparison topic, in row order; a policy silent on one shows "no clause"."""
        return list(TOPICS)

    def topic(self, topic: str, policy_id: str) -> Topic | None:
        """What `policy_id` says on `topic`, or None when it has no clause on it."""
        if topic not in TOPICS:
            raise KeyError(f"unknown topic `{topic}`; topics: {', '.join(TOPICS)}")
        for column in self.columns:
            if column.policy_id == policy_id:
                return column.topics.get(topic)
        raise KeyError(f"policy `{policy_id}` is not in this comparison; "
                       f"columns: {', '.join(self.policy_ids)}")

    def cell(self, topic: str, policy_id: str) -> str:
        """The cell as printed: the rule in a few words and its clause ids, or "no clause"."""
        found = self.topic(topic, policy_id)
        return NO_CLAUSE if found is None else f"{found.summary} ({', '.join(found.cites)})"

    def to_text(self, width: int = 100) -> str:
        """One block per topic, one line per organisation: readable in any terminal."""
        pad = max([len(pid) for pid in self.policy_ids] + [4]) + 2
        lines = [f"{column.policy_id.ljust(pad)}{column.organisation}"
                 for column in self.columns]
        for topic, heading in TOPICS.items():
            lines += ["", heading]
            for pid in self.policy_ids:
                lines += textwrap.wrap(self.cell(topic, pid), width=width,
                                       initial_indent="  " + pid.ljust(pad),
                                       subsequent_indent=" " * (pad + 2))
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """A Markdown table, topics as rows; clause ids in code spans."""
        def cell(topic: str, pid: str) -> str:
            found = self.topic(topic, pid)
            if found is None:
                return NO_CLAUSE
            ids = ", ".join(f"`{clause_id}`" for clause_id in found.cites)
            return f"{found.summary} ({ids})".replace("|", "\\|")

        lines = [", ".join(f"`{c.policy_id}`: {c.organisation}" for c in self.columns), "",
                 "| topic | " + " | ".join(f"`{pid}`" for pid in self.policy_ids) + " |",
                 "|---|" + "---|" * len(self.columns)]
        lines += ["| " + " | ".join([heading, *(cell(topic, pid) for pid in self.policy_ids)])
                  + " |" for topic, heading in TOPICS.items()]
        return "\n".join(lines) + "\n"

    def to_dataframe(self, tidy: bool = False) -> pd.DataFrame:
        """A pandas DataFrame (needs the `analysis` extra).

        Wide (default): one row per topic key, one column per policy id, cells as printed.
        Tidy: one row per topic and policy with `covered`, `summary` and `cites` (a list), for
        filtering and grouping.
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("to_dataframe needs pandas; install it with "
                              "`pip install 'socialpolicy[analysis]'`") from exc
        if not tidy:
            frame = pd.DataFrame(
                {pid: [self.cell(topic, pid) for topic in TOPICS] for pid in self.policy_ids},
                index=pd.Index(list(TOPICS), name="topic"))
            frame.columns.name = "policy_id"
            return frame
        records: list[dict[str, Any]] = []
        for topic in TOPICS:
            for column in self.columns:
                found = column.topics.get(topic)
                records.append({
                    "topic": topic, "policy_id": column.policy_id,
                    "organisation": column.organisation, "covered": found is not None,
                    "summary": found.summary if found else None,
                    "cites": list(found.cites) if found else [],
                })
        return pd.DataFrame.from_records(records)


def _column(document: PolicyDocument) -> Column:
    return Column(document.id, document.organisation, dict(document.topics))


def compare_policies(policies: Iterable[str | Path] | None = None) -> Comparison:
    """Compare policies (bundled ids or paths to YAML files; default: every bundled one).

    Each policy is loaded and checked as `load_policy` would, so a broken file raises
    `PolicyError` listing every problem.
    """
    chosen = list(policies) if policies is not None else list(available_policies())
    columns = [_column(compile_file(policy).document) for policy in chosen]
    seen: set[str] = set()
    for column in columns:
        if column.policy_id in seen:
            raise InputError(f"policy id `{column.policy_id}` is given twice; "
                             "each column needs a distinct policy")
        seen.add(column.policy_id)
    return Comparison(tuple(columns))
