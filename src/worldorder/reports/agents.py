"""The report's "The order over time" section, for runs where states chose by doctrines:
each agent's welfare along the dates; the order beside it (the rules-based-order index, the
great powers' legitimacy overall and with their allies, each agent's security, and the blocs:
the shares of world GDP leaning to the US, hedging and leaning to China); and who chose what
and why."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from worldorder.reports.run import RunData
from worldorder.reports.style import label, layout

__all__ = ["BLOC_BAND", "agents_figure", "agents_section", "bloc_shares", "has_agents",
           "order_figure"]

#: Alignment positions within this distance of 0 count as hedging in the blocs' panel.
BLOC_BAND = 0.3

PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
           "#666666", "#1f78b4", "#b15928", "#6a3d9a", "#33a02c"]


def _clean(values: pd.Series) -> pd.Series:
    """Values rounded to 1e-9 (points of a percent): solver noise of 1e-14 is drawn as 0, not
    on an axis of femto-percents."""
    return values.astype(float).round(9)


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
            x=pd.to_datetime(sub["date"]), y=_clean(sub["welfare_pct"]), mode="lines+markers",
            name=f"{label(run, str(agent))} ({doctrine})",
            line={"color": PALETTE[k % len(PALETTE)]},
            hovertemplate=f"{label(run, str(agent))}, {doctrine}<br>%{{x|%Y-%m-%d}}: "
                          "%{y:+.2f}%<extra></extra>"))
    fig.update_xaxes(type="date", gridcolor="#eee")
    fig.update_yaxes(ticksuffix="%", zeroline=True, zerolinecolor="#555", gridcolor="#eee")
    layout(fig, "Welfare of each agent, period by period (% against the baseline)", 420,
           legend={"orientation": "h", "y": -0.2})
    return fig


def bloc_shares(run: RunData, band: float = BLOC_BAND) -> pd.DataFrame:
    """``date, bloc, share``: the shares of the World's GDP (the poles left out) whose alignment
    position leans to the US (p > band), hedges (|p| <= band) or leans to China (p < -band)."""
    al = run.extra.get("alignment")
    if al is None or al.empty:
        return pd.DataFrame(columns=["date", "bloc", "share"])
    power = run.extra.get("security_power")  # GDP of each economy on each date
    gdp = (power.set_index(["date", "economy"])["gdp"] if power is not None
           and {"date", "economy", "gdp"} <= set(power.columns) else None)
    rows = []
    for date, sub in al[~al["economy"].isin(["USA", "CHN"])].groupby("date"):
        if gdp is not None:
            idx = pd.MultiIndex.from_arrays([[date] * len(sub), sub["economy"]])
            w = gdp.reindex(idx).to_numpy(dtype=float)
        else:
            w = np.ones(len(sub))
        p = sub["position"].to_numpy(dtype=float)
        ok = np.isfinite(p) & np.isfinite(w)
        total = w[ok].sum()
        for bloc, mask in (("leaning to the US", p > band), ("hedging", np.abs(p) <= band),
                           ("leaning to China", p < -band)):
            rows.append({"date": date, "bloc": bloc,
                         "share": float(w[ok & mask].sum() / total) if total else np.nan})
    return pd.DataFrame(rows)


def order_figure(run: RunData) -> go.Figure:
    """Four panels along the dates: the rules-based-order index; the great powers' legitimacy
    (% against the baseline: with their allies, solid; with everyone, dotted); each agent's
    security (capability against threat, %); the blocs (shares of world GDP)."""
    pay = run.extra["agent_payoffs"]
    fig = make_subplots(rows=2, cols=2, vertical_spacing=0.16, horizontal_spacing=0.1,
                        subplot_titles=["Rules-based-order index (0-1)",
                                        "Legitimacy of the great powers (%)",
                                        "Security: capability against threat (%)",
                                        "Blocs: shares of world GDP"])
    oi = run.extra.get("order_index")
    if oi is not None and not oi.empty:
        oi = oi.sort_values("date")
        fig.add_trace(go.Scatter(x=pd.to_datetime(oi["date"]), y=oi["index"], mode="lines",
                                 line={"color": "#222", "shape": "hv"}, name="order index",
                                 legendgroup="order"), row=1, col=1)
    colours = {a: PALETTE[k % len(PALETTE)] for k, a in enumerate(pay["agent"].unique())}
    if "legitimacy_pct" in pay.columns:
        for agent, sub in pay.groupby("agent", sort=False):
            sub = sub.sort_values("date")
            if sub["legitimacy_pct"].isna().all():
                continue
            name = label(run, str(agent))
            for col, dash, what in (("legitimacy_allies_pct", "solid", "with its allies"),
                                    ("legitimacy_pct", "dot", "with everyone")):
                if sub[col].notna().any():
                    fig.add_trace(go.Scatter(
                        x=pd.to_datetime(sub["date"]), y=_clean(sub[col]), mode="lines",
                        name=f"{name}: legitimacy {what}",
                        line={"color": colours[agent], "dash": dash, "shape": "hv"}),
                        row=1, col=2)
        for agent, sub in pay.groupby("agent", sort=False):
            sub = sub.sort_values("date")
            if sub["security_pct"].notna().any():
                fig.add_trace(go.Scatter(
                    x=pd.to_datetime(sub["date"]), y=_clean(sub["security_pct"]), mode="lines",
                    name=f"{label(run, str(agent))}: security", showlegend=False,
                    line={"color": colours[agent], "shape": "hv"},
                    hovertemplate=f"{label(run, str(agent))}<br>%{{x|%Y-%m-%d}}: "
                                  "%{y:+.1f}%<extra></extra>"), row=2, col=1)
    blocs = bloc_shares(run)
    for bloc, colour in (("leaning to the US", "#1f78b4"), ("hedging", "#999999"),
                         ("leaning to China", "#e31a1c")):
        sub = blocs[blocs["bloc"] == bloc].sort_values("date")
        if len(sub):
            fig.add_trace(go.Scatter(x=pd.to_datetime(sub["date"]), y=sub["share"],
                                     mode="lines", name=bloc, stackgroup="blocs",
                                     line={"color": colour, "shape": "hv"}), row=2, col=2)
    fig.update_xaxes(type="date", gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee", zeroline=True, zerolinecolor="#555")
    fig.update_yaxes(tickformat=".0%", range=[0, 1], row=2, col=2)
    fig.update_yaxes(range=[0, 1.02], row=1, col=1)
    layout(fig, "The order over time", 720, legend={"orientation": "h", "y": -0.12})
    return fig


def agents_section(run: RunData, figure: str, order: str = "") -> str:
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
            f"{figure}{_order_text(order)}<h3>Choices</h3>{table}</section>")


def _order_text(order: str) -> str:
    if not order:
        return ""
    return ("<h3>The order beside welfare</h3><p class=\"explain\">The payoff of each agent is "
            "the sum of its welfare, security, legitimacy and alignment, weighted by its "
            "doctrine (<code>agent_payoffs</code>; <code>worldorder agents doctrines</code> "
            "lists the weights). Top left: the rules-based-order index (its components are in "
            "the security section). Top right: each great power's legitimacy with its allies "
            "(solid) and with everyone (dotted), % against the baseline. Bottom left: each "
            "agent's military capability with its allies' credible support against the "
            "strongest state outside its alliance, % against the baseline. Bottom right: the "
            f"shares of world GDP whose alignment position leans to the US (above "
            f"{BLOC_BAND:g}), hedges, or leans to China.</p>{order}")
