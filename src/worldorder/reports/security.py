"""The report's security sections: polarity over time, regional balances, the alliance network,
spending paths against pledges, alignment before and after, the order indices and legitimacy
along the timeline. Each figure is made only when the run has the tables it needs
(``security_polarity``, ``offshore``, ``alliance_network``, ``defense_paths``, ``alignment``,
``order_index`` and ``legitimacy``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from worldorder.data.panels import load_panel
from worldorder.reports.run import RunData
from worldorder.reports.style import BEFORE, GAIN, LOSS, layout
from worldorder.security.inputs import fractional_year

__all__ = ["LEGITIMACY_PARTNERS", "legitimacy_with", "security_figures", "security_section"]

#: Partners whose view of the US the report follows (``EU``: GDP-weighted over its members).
LEGITIMACY_PARTNERS = ("EU", "JPN", "KOR", "CAN", "IND", "MEX", "BRA", "CHN")
_PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
            "#666666", "#1f78b4", "#b15928"]
_COMPONENTS = (("multilateralism", "Multilateralism"), ("mfn", "MFN consistency"),
               ("non_coercion", "Non-coercion"), ("institutions_intact", "Budgets intact"))


def _t(run: RunData, name: str) -> pd.DataFrame | None:
    df = run.extra.get(name)
    return None if df is None or df.empty else df


@lru_cache(maxsize=1)
def _history() -> pd.DataFrame:
    """Effective number of poles by year (1950-2024): CINC (to 2022), GDP and military
    spending (SIPRI), over every state of the panels; SIPRI's series start when the US, China
    and Russia all have figures (1989 for spending, 1993 for GDP)."""
    mx = load_panel("milex", years=(1950, 2024))
    nmc = load_panel("nmc", years=(1950, 2022))
    parts = []
    for df, col, name in ((nmc, "cinc", "cinc"), (mx, "gdp_current_usd_m", "gdp"),
                          (mx, "milex_const2023_usd_m", "milex")):
        d = df[["iso3", "year", col]].dropna()
        d = d[d[col] > 0]
        if name != "cinc":
            # SIPRI has no figures for China before 1989 and Russia before 1988-93: before
            # that the index would show the coverage, not the distribution
            big = d[d["iso3"].isin(["USA", "CHN", "RUS"])].groupby("year")["iso3"].nunique()
            d = d[d["year"].isin(big.index[big == 3])]
        s = d[col] / d.groupby("year")[col].transform("sum")
        poles = 1.0 / (s * s).groupby(d["year"]).sum()
        parts.append(pd.DataFrame({"year": poles.index, "index": name, "poles": poles.values}))
    return pd.concat(parts, ignore_index=True)


def polarity_figure(run: RunData) -> go.Figure:
    """Effective number of poles, 1950-2024 from the panels, and on the run's dates."""
    pol = _t(run, "security_polarity")
    hist = _history()
    fig = go.Figure()
    names = {"cinc": "CINC (COW)", "gdp": "GDP (SIPRI)", "milex": "Military spending"}
    run_index = {"gdp": "gdp", "milex": "milex", "cinc": None}
    for k, (idx, name) in enumerate(names.items()):
        h = hist[hist["index"] == idx]
        fig.add_trace(go.Scatter(x=h["year"], y=h["poles"], mode="lines", name=name,
                                 line={"color": _PALETTE[k]}, legendgroup=idx,
                                 hovertemplate=f"{name}<br>%{{x}}: %{{y:.2f}} poles"
                                 "<extra></extra>"))
        if pol is not None and run_index[idx] is not None:
            p = pol[pol["index"] == run_index[idx]]
            x = [fractional_year(str(d)) for d in p["date"]]
            fig.add_trace(go.Scatter(x=x, y=p["effective_poles"], mode="markers",
                                     marker={"color": _PALETTE[k], "size": 6},
                                     name=f"{name}, run", legendgroup=idx, showlegend=False,
                                     customdata=p["date"],
                                     hovertemplate=f"{name} (run)<br>%{{customdata}}: "
                                     "%{y:.2f} poles<extra></extra>"))
    fig.update_xaxes(title="year (dots: the run's dates)", gridcolor="#eee")
    fig.update_yaxes(title="effective number of poles (1 / HHI)", gridcolor="#eee",
                     rangemode="tozero")
    layout(fig, "Polarity: the effective number of poles, 1950 to the run's dates", 420,
           legend={"orientation": "h", "y": -0.22})
    return fig


def regional_figure(run: RunData) -> go.Figure:
    """The balancers' power over the strongest local rival, per region, at the first and last
    date (military spending and GDP); 1 = the region holds without the US."""
    off = run.extra["offshore"]
    dates = sorted(off["date"].astype(str).unique())
    first, last = dates[0], dates[-1]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=["on military spending", "on GDP (latent power)"])
    for col, model in enumerate(("offshore-balancing", "offshore-balancing-latent"), start=1):
        for date, colour in ((first, BEFORE), (last, GAIN)):
            d = off[(off["date"].astype(str) == date) & (off["model"] == model)]
            fig.add_trace(go.Bar(
                x=d["region"].str.replace("_", " "), y=d["balancer_ratio"], marker_color=colour,
                name=date, legendgroup=date, showlegend=col == 1,
                customdata=np.stack([d["leader"], d["implied_posture"], d["actual_posture"]],
                                    axis=-1),
                hovertemplate="%{x}: %{y:.2f}<br>rival: %{customdata[0]}<br>implied: "
                "%{customdata[1]}, actual: %{customdata[2]}<extra>" + date + "</extra>"),
                row=1, col=col)
        fig.add_hline(y=1.0, line_dash="dash", line_color=LOSS, row=1, col=col)
    fig.update_yaxes(type="log", title="balancers / rival (log)", gridcolor="#eee", col=1)
    fig.update_yaxes(type="log", gridcolor="#eee", col=2)
    layout(fig, "Regional balances without the US: above the dashed line the region holds "
           "(offshore)", 400, barmode="group", legend={"orientation": "h", "y": -0.15})
    return fig


def _component_layout(g: nx.Graph) -> dict[str, np.ndarray]:
    """Kamada-Kawai within each connected component, components side by side (largest first),
    each scaled with the square root of its size."""
    pos: dict[str, np.ndarray] = {}
    x0 = 0.0
    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), sorted(c)))
    for comp in comps:
        sub = g.subgraph(comp)
        scale = float(np.sqrt(len(comp)))
        lay = nx.kamada_kawai_layout(sub, scale=scale) if len(comp) > 2 else {
            n: np.array([0.0, 0.5 * k]) for k, n in enumerate(sorted(comp))}
        xs = np.array([p[0] for p in lay.values()])
        shift = x0 - xs.min()
        pos.update({n: np.array([p[0] + shift, p[1]]) for n, p in lay.items()})
        x0 += float(xs.max() - xs.min()) + 1.0
    return pos


def network_figure(run: RunData) -> go.Figure:
    """The dataset's alliances (and commitments) as a network (networkx spring layout),
    economies coloured by their alignment position at the last date when known."""
    net = run.extra["alliance_network"]
    g = nx.Graph()
    for a, b, link in zip(net["a"], net["b"], net["link"], strict=True):
        g.add_edge(str(a), str(b), link=str(link))
    pos = _component_layout(g)
    ex, ey = [], []
    for a, b in g.edges():
        ex += [pos[a][0], pos[b][0], None]
        ey += [pos[a][1], pos[b][1], None]
    fig = go.Figure(go.Scatter(x=ex, y=ey, mode="lines", line={"color": "#bbb", "width": 1},
                               hoverinfo="skip", showlegend=False))
    align = _t(run, "alignment")
    colour: dict[str, float] = {}
    if align is not None:
        last = align[align["date"] == align["date"].max()]
        colour = dict(zip(last["economy"].astype(str), last["position"], strict=True))
    nodes = list(g.nodes())
    treaties = {n: sorted({d["link"] for _, _, d in g.edges(n, data=True)}) for n in nodes}
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text",
        text=nodes, textposition="top center", textfont={"size": 11},
        marker={"size": [8 + 2 * g.degree(n) ** 0.5 for n in nodes],
                "color": [colour.get(n, 0.0) for n in nodes], "colorscale": "RdBu",
                "cmin": -1, "cmax": 1, "line": {"color": "#333", "width": 0.5},
                "colorbar": {"title": {"text": "China −1 … +1 US"}, "thickness": 12}},
        customdata=["; ".join(treaties[n]) for n in nodes], showlegend=False,
        hovertemplate="%{text}<br>%{customdata}<extra></extra>"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    layout(fig, "Alliances of the dataset's economies (colour: alignment at the last date)",
           560)
    return fig


def spending_figure(run: RunData, top: int = 10) -> go.Figure:
    """Defence spending as a share of GDP on each pledging economy's path, against its pledge
    (the largest ``top`` by GDP)."""
    dp = run.extra["defense_paths"]
    last = dp[dp["date"] == dp["date"].max()]
    big = (last[last["year"] == last["year"].min()].sort_values("gdp_usd_m", ascending=False)
           ["economy"].head(top).tolist())
    fig = go.Figure()
    for k, econ in enumerate(big):
        d = last[last["economy"] == econ]
        fig.add_trace(go.Scatter(
            x=d["year"], y=d["share_pct_gdp"], mode="lines+markers", name=econ,
            line={"color": _PALETTE[k % len(_PALETTE)]},
            customdata=np.stack([d["extra_cost_usd_m"] / 1e3, d["gap_to_pledge_usd_m"] / 1e3],
                                axis=-1),
            hovertemplate=f"{econ} %{{x}}: %{{y:.2f}}% of GDP<br>extra vs base year: "
            "$%{customdata[0]:,.1f}bn<br>gap to pledge: $%{customdata[1]:,.1f}bn"
            "<extra></extra>"))
    for target in sorted(set(last["target_pct_gdp"])):
        fig.add_hline(y=float(target), line_dash="dash", line_color=LOSS,
                      annotation_text=f"pledge {target:g}%", annotation_position="top left")
    fig.update_xaxes(title="year", dtick=1, gridcolor="#eee")
    fig.update_yaxes(title="military spending, % of GDP", gridcolor="#eee", rangemode="tozero")
    layout(fig, "Spending paths against the pledges (largest pledging economies)", 420,
           legend={"orientation": "h", "y": -0.2})
    return fig


def alignment_figure(run: RunData) -> go.Figure:
    """UNGA ideal point against trade dependence (US vs China), before the scenario (grey) and
    at its last date (coloured by the moved position), one arrow per economy."""
    al = run.extra["alignment"]
    last = al[al["date"] == al["date"].max()].dropna(subset=["ideal_point"])
    fig = go.Figure()
    for r in last.itertuples(index=False):
        fig.add_annotation(x=r.ideal_point, y=r.trade, ax=r.ideal_point, ay=r.trade_baseline,
                           xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=2, arrowsize=1, arrowwidth=1, arrowcolor="#999")
    fig.add_trace(go.Scatter(x=last["ideal_point"], y=last["trade_baseline"], mode="markers",
                             marker={"color": BEFORE, "size": 7}, name="before",
                             text=last["economy"],
                             hovertemplate="%{text} before: trade %{y:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=last["ideal_point"], y=last["trade"], mode="markers+text", text=last["economy"],
        textposition="middle right", textfont={"size": 10}, name="after",
        marker={"size": 9, "color": last["position"], "colorscale": "RdBu", "cmin": -1,
                "cmax": 1, "line": {"color": "#333", "width": 0.5},
                "colorbar": {"title": {"text": "position"}, "thickness": 12}},
        customdata=np.stack([last["position_baseline"], last["position"]], axis=-1),
        hovertemplate="%{text}: ideal point %{x:.2f}, trade %{y:.2f}<br>position "
        "%{customdata[0]:+.2f} → %{customdata[1]:+.2f}<extra></extra>"))
    fig.update_xaxes(title="UNGA ideal point (Bailey, Strezhnev & Voeten; higher = closer to "
                     "the US)", gridcolor="#eee", zeroline=False)
    fig.update_yaxes(title="trade with the US vs China (−1 China … +1 US)", gridcolor="#eee",
                     zerolinecolor="#555")
    layout(fig, f"Alignment: UN votes against trade dependence, before and on "
           f"{last['date'].iloc[0] if len(last) else ''}", 560,
           legend={"orientation": "h", "y": -0.15})
    return fig


def legitimacy_with(run: RunData, power: str = "USA",
                    partners: tuple[str, ...] = LEGITIMACY_PARTNERS) -> pd.DataFrame:
    """``date, partner, R``: the power's legitimacy with each partner (a group such as ``EU``:
    the mean over its member economies weighted by their GDP in the ``power`` table)."""
    leg = run.extra["legitimacy"]
    leg = leg[leg["power"] == power]
    gdp: dict[str, float] = {}
    pw = _t(run, "security_power")
    if pw is not None:
        first = pw[pw["date"] == pw["date"].min()]
        gdp = dict(zip(first["economy"].astype(str), first["gdp"], strict=True))
    rows = []
    for p in partners:
        members, _ = run.expand([p])
        members = [m for m in members if m != power]
        sub = leg[leg["economy"].isin(members)]
        if sub.empty:
            continue
        w = sub["economy"].map(gdp).fillna(1.0) if gdp else pd.Series(1.0, index=sub.index)
        r = (sub["legitimacy"] * w).groupby(sub["date"]).sum() / w.groupby(sub["date"]).sum()
        rows.append(pd.DataFrame({"date": r.index, "partner": p, "R": r.to_numpy()}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["date", "partner", "R"])


def order_figure(run: RunData) -> go.Figure:
    """The rules-based-order index and its components (left), and US legitimacy with its main
    partners (right), along the run's dates."""
    oi = run.extra["order_index"]
    has_leg = _t(run, "legitimacy") is not None
    fig = make_subplots(rows=1, cols=2 if has_leg else 1, horizontal_spacing=0.08,
                        subplot_titles=["Rules-based order (1 = the baseline's order intact)",
                                        "US legitimacy R with … (1 = baseline)"][
                                            : 2 if has_leg else 1])
    x = oi["date"].astype(str)
    fig.add_trace(go.Scatter(x=x, y=oi["index"], mode="lines", name="order index",
                             line={"color": "#111", "width": 3}), row=1, col=1)
    for k, (col, name) in enumerate(_COMPONENTS):
        fig.add_trace(go.Scatter(x=x, y=oi[col], mode="lines", name=name,
                                 line={"color": _PALETTE[k], "width": 1.5, "dash": "dot"}),
                      row=1, col=1)
    if has_leg:
        leg = legitimacy_with(run)
        for k, p in enumerate(leg["partner"].unique()):
            d = leg[leg["partner"] == p]
            fig.add_trace(go.Scatter(x=d["date"].astype(str), y=d["R"], mode="lines",
                                     name=f"US legitimacy: {p}",
                                     line={"color": _PALETTE[(k + 4) % 10]}), row=1, col=2)
    fig.update_xaxes(type="date", gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee")
    layout(fig, "The order and US legitimacy along the timeline", 480,
           legend={"orientation": "h", "y": -0.15})
    fig.update_layout(margin={"l": 10, "r": 20, "t": 70, "b": 120})
    return fig


def security_figures(run: RunData) -> dict[str, go.Figure]:
    """The security figures the run's tables allow, keyed ``sec-<name>``."""
    figs: dict[str, go.Figure] = {}
    if _t(run, "security_polarity") is not None:
        figs["sec-polarity"] = polarity_figure(run)
    if _t(run, "offshore") is not None:
        figs["sec-regions"] = regional_figure(run)
    if _t(run, "alliance_network") is not None:
        figs["sec-network"] = network_figure(run)
    if _t(run, "defense_paths") is not None:
        figs["sec-spending"] = spending_figure(run)
    if _t(run, "alignment") is not None:
        figs["sec-alignment"] = alignment_figure(run)
    if _t(run, "order_index") is not None:
        figs["sec-order"] = order_figure(run)
    return figs


_TEXT = {
    "sec-order": ("The rules-based order and legitimacy",
                  "How rules-based the order is on each date: GDP-weighted participation in "
                  "the global organisations, the share of world trade at non-discriminatory "
                  "(MFN) rates, the share free of coercive duties, the organisations' budgets "
                  "intact after exits, and their mean. Right: the US's legitimacy in each "
                  "partner's eyes (1 at the baseline), which falls with the burden of US "
                  "duties on it, US exits from organisations, strikes on it and the "
                  "expected burden of US threats against it (EU: its members weighted by "
                  "GDP)."),
    "sec-polarity": ("Power and polarity",
                     "The effective number of poles (1 / Σ shares²) over every state: lines "
                     "from the panels (1950-2024), dots on the run's dates over the dataset's "
                     "economies (GDP moved by the trade model, military spending by the "
                     "pledges)."),
    "sec-regions": ("Regional balances",
                    "Can the local states balance the strongest local rival of the US without "
                    "it (Mearsheimer & Walt's offshore balancing)? Bars: the balancers' power "
                    "over the rival's; above 1 the region holds. Hover for the implied and "
                    "actual US posture."),
    "sec-spending": ("Spending paths against the pledges",
                     "Military spending as a share of GDP on the path to each pledge (linear "
                     "from the pledge's date; a doubtful US commitment or a threat of "
                     "abandonment moves allies by coercive burden-sharing instead). Hover for "
                     "the extra cost and the gap."),
    "sec-network": ("The alliance network",
                    "Defence treaties between the dataset's economies (alliances.csv) and the "
                    "commitments recorded in the run; colour: position between China (red) "
                    "and the US (blue) at the last date."),
    "sec-alignment": ("Alignment before and after",
                      "Each economy's UN voting (ideal point) against its trade dependence on "
                      "the US rather than China, before the scenario (grey) and at its last "
                      "date (coloured by its overall position)."),
}


def security_section(keys: dict[str, str], figure_div: Callable[[str, str], str]) -> str:
    """The HTML of the security section (empty when the run has no security figures).

    Args:
        keys: Figure key -> the element key the page uses for it.
        figure_div: Makes the page's place of a figure from its element key and a label.
    """
    present = [k for k in _TEXT if k in keys]
    if not present:
        return ""
    parts = ['<section id="security">', "<h2>Power, alliances and the order</h2>"]
    for k in present:
        head, note = _TEXT[k]
        parts += [f"<h3>{head}</h3>", f'<p class="note">{note}</p>',
                  figure_div(keys[k], head)]
    parts.append("</section>")
    return "\n".join(parts)
