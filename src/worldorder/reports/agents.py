"""The report's "The order over time" section, for runs where states chose by doctrines:
each agent's welfare along the dates, and who chose what and why."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from worldorder.reports.run import RunData
from worldorder.reports.style import label, layout

__all__ = ["agents_figure", "agents_section", "has_agents"]

PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
           "#666666", "#1f78b4", "#b15928", "#6a3d9a", "#33a02c"]


def has_agents(run: RunData) -> bool:
    """Whether the run has agents' payoffs to show."""
    pay = run.extra.get("agent_payoffs")
    return pay is not None and not pay.empty


def agents_figure(run: RunData) -> go.Figure:
    """Each agent's welfare (%, against the baseline) after each date it chose on."""
    pay = run.extra["agent_payoffs"]
    fig = go.Figure()
    for k, (agent, sub) in enumerate(pay.groupby("agent", sort=False)):
        sub = sub.sort_values("date")
        doctrine = str(sub["doctrine"].iloc[0])
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(sub["date"]), y=sub["welfare_pct"], mode="lines+markers",
            name=f"{label(run, str(agent))} ({doctrine})",
            line={"color": PALETTE[k % len(PALETTE)]},
            hovertemplate=f"{label(run, str(agent))}, {doctrine}<br>%{{x|%Y-%m-%d}}: "
                          "%{y:+.2f}%<extra></extra>"))
    fig.update_xaxes(type="date", gridcolor="#eee")
    fig.update_yaxes(ticksuffix="%", zeroline=True, zerolinecolor="#555", gridcolor="#eee")
    layout(fig, "Welfare of each agent, period by period (% against the baseline)", 420,
           legend={"orientation": "h", "y": -0.2})
    return fig


def agents_section(run: RunData, figure: str) -> str:
    """The section's HTML around the figure's ``figure`` div: the doctrines and the choices."""
    choices = run.extra.get("agent_choices", pd.DataFrame())
    pay = run.extra["agent_payoffs"]
    doctrines = pay.drop_duplicates("agent")[["agent", "doctrine"]]
    e = html.escape
    who = ", ".join(f"{e(label(run, str(r.agent)))}: <code>{e(str(r.doctrine))}</code>"
                    for r in doctrines.itertuples())
    rows = "".join(f"<tr><td class=\"date\">{e(str(r.date))}</td>"
                   f"<td>{e(label(run, str(r.agent)))}</td>"
                   f"<td>{e(str(r.summary))}</td><td>{e(str(r.reason))}</td></tr>"
                   for r in choices.itertuples())
    table = ("<table><thead><tr><th>Date</th><th>Agent</th><th>Action</th><th>Why</th></tr>"
             f"</thead><tbody>{rows}</tbody></table>" if rows else
             "<p>No agent took any action.</p>")
    return ('<section class="agents"><h2>The order over time: who chose what, and why</h2>'
            f'<p class="explain">States chose their actions by doctrines ({who}). On each '
            "date they saw the same state, chose at once, and their choices were applied "
            "together; a doctrine is an assumption about behaviour, written out with its "
            "references (<code>worldorder agents doctrines</code>).</p>"
            f"{figure}<h3>Choices</h3>{table}</section>")
