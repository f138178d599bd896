"""HTML views for notebooks: decisions, explanations, comparisons and coverage.

Each object's `_repr_html_` calls in here. What decided the outcome comes first (the outcome,
the actions, the substantive clauses quoted); what is procedural (response times, how to reply)
or did not fire is folded into `<details>`, so a cell reads in seconds and nothing is hidden.
The functions read attributes only, so this module imports nothing it renders.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from .vocab import SCALES

if TYPE_CHECKING:
    from .analysis.compare import Comparison
    from .analysis.coverage import Coverage
    from .decision import Citation, Decision
    from .explain import Explanation, Trace

#: Colours by rank on a scale: least severe, middle, most severe.
RANK_COLOURS = ("#1b7f3b", "#b26a00", "#b3261e")
OTHER_COLOURS = {"not_covered": "#5f6368", "error": "#6a1b9a"}
_STYLE = ("font-family:system-ui,sans-serif;font-size:13px;line-height:1.45;"
          "max-width:60em")


def outcome_colour(outcome: str) -> str:
    """The badge colour of an outcome: green, amber, red by severity; grey; purple."""
    for scale in SCALES.values():
        if outcome in scale:
            return RANK_COLOURS[scale.index(outcome)]
    return OTHER_COLOURS.get(str(outcome), "#5f6368")


def badge(outcome: str) -> str:
    return (f'<span style="background:{outcome_colour(outcome)};color:#fff;padding:1px 8px;'
            f'border-radius:9px;font-weight:600">{escape(str(outcome))}</span>')


def is_procedural(citation: Any) -> bool:
    """Procedural clauses say how and when, not what: they never decide an outcome."""
    return getattr(citation, "role", "substantive") == "procedural"


def split_roles(citations: Iterable[Citation]) -> tuple[list[Citation], list[Citation]]:
    """(substantive, procedural), each in the order given."""
    items = list(citations)
    return ([c for c in items if not is_procedural(c)], [c for c in items if is_procedural(c)])


def _quote(citation: Citation) -> str:
    return (f'<li><code>{escape(citation.clause_id)}</code> <b>{escape(citation.title)}</b>'
            f'<blockquote style="margin:2px 0 6px 0;padding-left:8px;border-left:3px solid '
            f'#ccc;color:#333">{escape(citation.text)}</blockquote></li>')


def _details(summary: str, body: str, open_: bool = False) -> str:
    return (f"<details{' open' if open_ else ''}><summary>{summary}</summary>{body}</details>")


def citations_html(citations: Sequence[Citation]) -> str:
    """Substantive clauses quoted in full; procedural ones folded under their count."""
    substantive, procedural = split_roles(citations)
    parts = []
    if substantive:
        parts.append("<ul style='padding-left:1.2em'>"
                     + "".join(_quote(c) for c in substantive) + "</ul>")
    if procedural:
        ids = ", ".join(escape(c.clause_id) for c in procedural)
        parts.append(_details(f"{len(procedural)} procedural clause"
                              f"{'s' if len(procedural) != 1 else ''} ({ids})",
                              "<ul style='padding-left:1.2em'>"
                              + "".join(_quote(c) for c in procedural) + "</ul>"))
    return "".join(parts)


def decision_html(decision: Decision, heading: bool = True) -> str:
    """A decision: outcome badge, reason, actions, deadline, evidence, clauses, warnings."""
    d = decision
    rows = []
    if heading:
        rows.append(f"<div>{badge(str(d.outcome))} <b>{escape(d.policy_id)}</b> "
                    f"v{escape(d.policy_version)} · {escape(str(d.kind or 'unknown kind'))}</div>")
    rows.append(f"<div style='margin:4px 0'>{escape(d.reason)}</div>")
    if d.error:
        rows.append(f"<pre style='color:{OTHER_COLOURS['error']};white-space:pre-wrap'>"
                    f"{escape(d.error)}</pre>")
    if d.actions:
        items = "".join(
            f"<li><code>{escape(a.kind)}</code>"
            + (f" → <code>{escape(a.target)}</code>" if a.target else "")
            + (f" <i>({escape(a.detail)})</i>" if a.detail else "") + "</li>"
            for a in d.actions)
        rows.append(f"<div><b>Actions</b><ul style='margin:2px 0'>{items}</ul></div>")
    if d.respond_by:
        rows.append(f"<div><b>Respond by</b> {escape(d.respond_by.isoformat())}</div>")
    if d.detected:
        rows.append("<div><b>Detected in the text</b> "
                    + ", ".join(f"<code>{escape(x)}</code>" for x in d.detected) + "</div>")
    evidence = {e: None for f in d.findings for e in f.evidence}
    if evidence:
        rows.append(_details(f"evidence ({len(evidence)} span{'s' if len(evidence) != 1 else ''})",
                             "<ul>" + "".join(
                                 f"<li>{escape(e.detector)}: <mark>{escape(e.text)}</mark> in "
                                 f"<code>{escape(e.field)}[{e.start}:{e.end}]</code> → "
                                 f"<code>{escape(e.fact)}</code></li>" for e in evidence)
                             + "</ul>"))
    if d.citations:
        rows.append("<div><b>Clauses</b>" + citations_html(d.citations) + "</div>")
    rows += [f"<div style='color:{RANK_COLOURS[1]}'>⚠ {escape(w)}</div>" for w in d.warnings]
    return f"<div style='{_STYLE}'>" + "".join(rows) + "</div>"


def _trace_html(trace: Trace) -> str:
    mark = ("<span style='color:#1b7f3b'>✔</span>" if trace.held
            else "<span style='color:#b3261e'>✘</span>")
    inner = "".join(_trace_html(part) for part in trace.parts)
    return (f"<li>{mark} {escape(trace.text)}"
            + (f"<ul style='margin:0'>{inner}</ul>" if inner else "") + "</li>")


def _rule_html(item: Any) -> str:
    rule = item.rule
    cites = ", ".join(f"<code>{escape(c)}</code>" for c in rule.cites)
    return (f"<li><b>{escape(rule.id)}</b> → {badge(str(rule.outcome))} [{cites}]"
            f"<ul style='margin:0;list-style:none'>{_trace_html(item.condition)}</ul></li>")


def explanation_html(explanation: Explanation) -> str:
    """The decision, then the rules that fired with their conditions; the others folded."""
    e = explanation
    parts = [decision_html(e.decision)]
    if e.note:
        parts.append(f"<p><i>{escape(e.note)}</i></p>")
    if e.scope is not None:
        parts.append(_details("scope", f"<ul style='list-style:none'>{_trace_html(e.scope)}</ul>"))
    fired = [t for t in e.rules if t.fired]
    rest = [t for t in e.rules if not t.fired]
    if fired:
        parts.append(f"<div><b>Rules that fired ({len(fired)})</b><ul>"
                     + "".join(_rule_html(t) for t in fired) + "</ul></div>")
    if rest:
        parts.append(_details(f"{len(rest)} rule{'s' if len(rest) != 1 else ''} did not fire",
                              "<ul>" + "".join(_rule_html(t) for t in rest) + "</ul>"))
    return f"<div style='{_STYLE}'>" + "".join(parts) + "</div>"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    cell = "style='text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid #ddd'"
    out = "<table style='border-collapse:collapse'><thead><tr>" + "".join(
        f"<th {cell}>{h}</th>" for h in head) + "</tr></thead><tbody>"
    out += "".join("<tr>" + "".join(f"<td {cell}>{c}</td>" for c in row) + "</tr>"
                   for row in rows)
    return out + "</tbody></table>"


def comparison_html(comparison: Comparison) -> str:
    """Topics as rows, organisations as columns; "no clause" greyed out."""
    def cell(topic: str, pid: str) -> str:
        found = comparison.topic(topic, pid)
        if found is None:
            return "<span style='color:#999'>no clause</span>"
        ids = ", ".join(f"<code>{escape(c)}</code>" for c in found.cites)
        return f"{escape(found.summary)} ({ids})"

    from .vocab import TOPICS

    head = ["topic", *(f"<span title='{escape(c.organisation)}'>{escape(c.policy_id)}</span>"
                       for c in comparison.columns)]
    rows = [[escape(heading), *(cell(topic, pid) for pid in comparison.policy_ids)]
            for topic, heading in TOPICS.items()]
    return f"<div style='{_STYLE};max-width:none'>" + _table(head, rows) + "</div>"


def coverage_html(reports: Sequence[Coverage]) -> str:
    """The coverage table, problems listed under it per policy."""
    if not reports:
        return "<p>no policies</p>"
    table_rows = [report.row() for report in reports]
    head = [escape(h) for h in table_rows[0]]
    rows = [[escape(v) if k != "result" else
             (f"<span style='color:{RANK_COLOURS[0] if v == 'ok' else RANK_COLOURS[2]}'>"
              f"{escape(v)}</span>") for k, v in row.items()] for row in table_rows]
    problems = "".join(
        _details(f"{escape(r.policy)}: {len(r.problems)} problem(s)",
                 "<pre>" + escape("\n".join(str(p) for p in r.problems)) + "</pre>")
        for r in reports if r.problems)
    return f"<div style='{_STYLE}'>" + _table(head, rows) + problems + "</div>"
