"""`socialpolicy demo`: the bundled examples, decided and shown.

On a terminal: one wrapped, coloured panel per example (rich), outcome coloured by severity,
substantive clauses quoted and procedural ones named. Anywhere else (a pipe, a file, CI): plain
text, stable for scripts and tests. A policy past its review date is said once, at the end.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import IO, Any

from ..decision import Decision
from ..engine import Policy, load_policy
from ..render import OTHER_COLOURS, RANK_COLOURS, outcome_colour, split_roles

#: The 16-colour names every terminal has, for the notebook colours of each severity.
_TERMINAL = dict(zip(RANK_COLOURS, ("green", "yellow", "red"), strict=True)) | {
    OTHER_COLOURS["not_covered"]: "bright_black", OTHER_COLOURS["error"]: "magenta"}


def _entries() -> list[dict[str, Any]]:
    text = resources.files("socialpolicy").joinpath("demo.json").read_text("utf-8")
    entries: list[dict[str, Any]] = json.loads(text)
    return entries


def _decided(engine: str) -> list[tuple[dict[str, Any], Policy, Decision]]:
    policies: dict[str, Policy] = {}
    out = []
    for entry in _entries():
        pid = entry["policy"]
        if pid not in policies:
            policies[pid] = load_policy(pid, engine=engine)  # type: ignore[arg-type]
        out.append((entry, policies[pid], policies[pid].decide(entry["subject"])))
    return out


def _review(decision: Decision) -> list[str]:
    return [w for w in decision.warnings if "review date" in w]


def _said_once(decided: list[tuple[dict[str, Any], Policy, Decision]]) -> list[str]:
    seen: list[str] = []
    for _, _, decision in decided:
        seen += [w for w in _review(decision) if w not in seen]
    return seen


def _shown(entry: dict[str, Any]) -> str:
    subject = entry["subject"]
    return str(subject.get("text") or subject.get("purpose"))


def plain(out: IO[str], engine: str) -> None:
    decided = _decided(engine)
    for entry, policy, decision in decided:
        out.write(f"== {entry['title']} ({policy.organisation})\n")
        out.write(f"   {_shown(entry)!r}\n")
        review = set(_review(decision))
        lines = [line for line in decision.summary().splitlines()
                 if not any(line == f"  warning: {w}" for w in review)]
        out.write("   " + "\n   ".join(lines) + "\n\n")
    for warning in _said_once(decided):
        out.write(f"warning: {warning}\n")


def rich(out: IO[str], engine: str) -> None:
    from rich.console import Console, Group
    from rich.markup import escape
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.text import Text

    console = Console(file=out, force_terminal=True, highlight=False)
    decided = _decided(engine)
    for entry, policy, decision in decided:
        colour = _TERMINAL.get(outcome_colour(str(decision.outcome)), "white")
        parts: list[Any] = [
            Text(_shown(entry), style="italic dim"),
            Text.assemble((f" {decision.outcome} ", f"bold white on {colour}"), "  ",
                          (decision.reason, "")),
        ]
        for action in decision.actions:
            target = f" → {action.target}" if action.target else ""
            detail = f" ({action.detail})" if action.detail else ""
            parts.append(Text(f"  • {action.kind}{target}{detail}", style="cyan"))
        if decision.respond_by:
            parts.append(Text(f"  respond by {decision.respond_by:%a %d %b %Y %H:%M %Z}",
                              style="magenta"))
        if decision.detected:
            parts.append(Text("  detected in the text: " + ", ".join(decision.detected),
                              style="yellow"))
        substantive, procedural = split_roles(decision.citations)
        for citation in substantive:
            parts.append(Text.assemble((f"[{citation.clause_id}] ", "bold"),
                                       (citation.title, "bold")))
            parts.append(Padding(Text(f"“{citation.text}”", style="dim"), (0, 0, 0, 2)))
        if procedural:
            parts.append(Text("procedural: " + ", ".join(c.clause_id for c in procedural),
                              style="dim"))
        review = set(_review(decision))
        parts += [Text(f"⚠ {w}", style="yellow") for w in decision.warnings if w not in review]
        console.print(Panel(Group(*parts), title=f"[bold]{escape(entry['title'])}[/]",
                            title_align="left", subtitle=escape(policy.organisation),
                            subtitle_align="right", border_style=colour))
    for warning in _said_once(decided):
        console.print(Text(f"⚠ {warning}", style="yellow"))


def show(out: IO[str], engine: str) -> None:
    """Rich panels on a terminal, plain text otherwise."""
    isatty = getattr(out, "isatty", None)
    (rich if isatty is not None and isatty() else plain)(out, engine)
