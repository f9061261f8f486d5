"""The report's charts, as plotly figures built from a :class:`~worldorder.reports.run.RunData`.

Every figure carries its own title and axis labels so that it can be read alone (the PNG export
writes them one by one). The map is in :mod:`worldorder.reports.maps`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from worldorder.reports.agents import agents_figure, has_agents, order_figure
from worldorder.reports.maps import welfare_map
from worldorder.reports.run import ReportError, RunData
from worldorder.reports.style import BEFORE, GAIN, LOSS, date_label, label, layout
from worldorder.runs.imposers import rank_imposers

__all__ = [
    "INDICATORS",
    "chosen_economies",
    "gains_losses_figure",
    "import_shares",
    "imposers",
    "indicators_figure",
    "over_time_figure",
    "report_figures",
    "trade_figure",
]

INDICATORS = (
    ("welfare_pct", "Welfare (real income)"),
    ("real_wage_pct", "Real wage"),
    ("employment_pct", "Employment"),
    ("price_index_pct", "Consumer prices"),
)

# ------------------------------------------------------------------ choosing economies
def imposers(run: RunData, date: str | None = None, limit: int = 3) -> list[str]:
    """Economies whose tariffs rose at ``date`` (default: last), by the duty their new rates
    add on baseline imports (:func:`~worldorder.runs.imposers.rank_imposers`), at most
    ``limit``; those adding under 2% of the largest are left out."""
    ranked = rank_imposers(run.flows, date or run.last_date)
    return [str(c) for c in ranked["imposer"].head(limit)]


def _trade_size(run: RunData, date: str) -> pd.Series:
    """Exports plus imports before the policies, by economy (a size measure the run has)."""
    f = run.at("flows", date)
    f = f[f["exporter"] != f["importer"]]
    return (f.groupby("exporter")["value_before"].sum()
            .add(f.groupby("importer")["value_before"].sum(), fill_value=0.0))


def chosen_economies(run: RunData, economies: Sequence[str] | None = None,
                     count: int = 6) -> list[str]:
    """The economies shown in detail: ``economies`` when given, else the imposers and then
    the largest traders, ``count`` in all (``ROW`` is never chosen by default).

    Raises:
        ReportError: When a given code is not an economy of the run.
    """
    known = set(run.economies["economy"])
    if economies:
        unknown = [e for e in economies if e not in known]
        if unknown:
            raise ReportError(f"economy {unknown[0]!r} is not in run {run.run_id} (economies: "
                              f"{', '.join(sorted(known))})")
        return list(dict.fromkeys(economies))
    chosen = imposers(run)
    size = _trade_size(run, run.last_date).sort_values(ascending=False)
    for code in size.index:
        if len(chosen) >= count:
            break
        if code not in chosen and code in known and code != "ROW":
            chosen.append(str(code))
    return chosen


# ------------------------------------------------------------------ bars and lines
def gains_losses_figure(run: RunData, top: int = 10, date: str | None = None) -> go.Figure:
    """Horizontal bars: the ``top`` largest welfare gains and losses at ``date`` (default last)."""
    date = date or run.last_date
    econ = run.at("economies", date).sort_values("welfare_pct")
    if len(econ) > 2 * top:
        econ = pd.concat([econ.head(top), econ.tail(top)])
    marked = set(imposers(run, date))
    labels = [label(run, c) + (" ◆ imposer" if c in marked else "") for c in econ["economy"]]
    vals = econ["welfare_pct"].to_numpy(dtype=float)
    fig = go.Figure(go.Bar(
        x=vals, y=labels, orientation="h",
        marker_color=[GAIN if v >= 0 else LOSS for v in vals],
        text=[f"{v:+.2f}%" for v in vals], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:+.3f}%<extra></extra>"))
    layout(fig, f"Largest welfare gains and losses{date_label(date)}",
            max(320, 60 + 24 * len(econ)), showlegend=False, bargap=0.25)
    span = float(np.max(np.abs(vals))) if len(vals) else 1.0
    fig.update_xaxes(title_text="change in real income, %", ticksuffix="%", zeroline=True,
                     zerolinecolor="#555", gridcolor="#eee",
                     range=[min(0.0, vals.min()) - 0.25 * span, max(0.0, vals.max()) + 0.25 * span])
    fig.update_yaxes(automargin=True)
    return fig


def indicators_figure(run: RunData, economies: Sequence[str], date: str | None = None
                      ) -> go.Figure:
    """Small multiples (two by two): welfare, real wage, employment and prices of
    ``economies``."""
    date = date or run.last_date
    econ = run.at("economies", date).set_index("economy")
    codes = [e for e in economies if e in econ.index]
    cols = [(c, label) for c, label in INDICATORS if c in econ.columns]
    n_cols = 2 if len(cols) > 1 else 1
    n_rows = (len(cols) + n_cols - 1) // n_cols
    fig = make_subplots(rows=n_rows, cols=n_cols, shared_yaxes=True, horizontal_spacing=0.06,
                        vertical_spacing=0.16 if n_rows > 1 else 0.0,
                        subplot_titles=[f"{label}, % change"
                                        + (" (red: dearer)" if c == "price_index_pct" else "")
                                        for c, label in cols])
    labels = [label(run, c) for c in codes][::-1]
    for k, (col, _) in enumerate(cols):
        row, column = k // n_cols + 1, k % n_cols + 1
        vals = econ.loc[codes, col].to_numpy(dtype=float)[::-1]
        if col == "price_index_pct":
            colors = [LOSS if v > 0 else GAIN for v in vals]  # higher prices hurt consumers
        else:
            colors = [GAIN if v >= 0 else LOSS for v in vals]
        fig.add_trace(go.Bar(x=vals, y=labels, orientation="h", marker_color=colors,
                             text=[f"{v:+.2f}%" for v in vals], textposition="outside",
                             cliponaxis=False, showlegend=False,
                             hovertemplate="%{y}: %{x:+.3f}%<extra></extra>"),
                      row=row, col=column)
        span = float(np.max(np.abs(vals))) if len(vals) else 1.0
        span = span or 1.0
        fig.update_xaxes(range=[min(0.0, vals.min()) - 0.3 * span,
                                max(0.0, vals.max()) + 0.3 * span],
                         ticksuffix="%", zeroline=True, zerolinecolor="#555", gridcolor="#eee",
                         row=row, col=column)
    fig.update_yaxes(automargin=True)
    per_row = 70 + 30 * len(codes)
    layout(fig, f"Prices, wages and jobs in selected economies{date_label(date)}",
            110 + n_rows * per_row, bargap=0.3)
    return fig


def over_time_figure(run: RunData, economies: Sequence[str]) -> go.Figure:
    """Welfare and consumer prices of ``economies`` on a time axis: a step line, since the
    results of a solved date hold until the next one (each date is a separate equilibrium
    against the baseline)."""
    econ = run.economies[run.economies["economy"].isin(list(economies))]
    dates = run.dates
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=["Welfare (real income), %", "Consumer prices, %"])
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
               "#666666"]
    for k, code in enumerate(economies):
        sub = econ[econ["economy"] == code].set_index("date").reindex(dates)
        color = palette[k % len(palette)]
        for col, (c, _) in enumerate((("welfare_pct", ""), ("price_index_pct", "")), start=1):
            fig.add_trace(go.Scatter(
                x=dates, y=sub[c], mode="lines+markers", name=label(run, code, width=60),
                legendgroup=code, showlegend=col == 1, line={"color": color, "shape": "hv"},
                hovertemplate=f"{label(run, code)}<br>%{{x}}: %{{y:+.2f}}%<extra></extra>"),
                row=1, col=col)
    fig.update_xaxes(type="date", tickformat="%-d %b %Y", gridcolor="#eee")
    fig.update_yaxes(ticksuffix="%", zeroline=True, zerolinecolor="#555", gridcolor="#eee")
    layout(fig, "How the effects build up: the results in force on each date", 400,
           legend={"orientation": "h", "y": -0.18})
    fig.update_layout(margin={"l": 10, "r": 20, "t": 70, "b": 90})
    return fig


# ------------------------------------------------------------------ the imposers' trade
def import_shares(run: RunData, importer: str, date: str | None = None, partners: int = 8
                  ) -> pd.DataFrame:
    """Shares of ``importer``'s imports by partner, before and after, in percent.

    The ``partners`` largest partners (by their larger share) are kept and the rest summed as
    ``Other``. Columns: ``partner, label, before, after, tariff_before, tariff_after``.
    """
    f = run.at("flows", date or run.last_date)
    f = f[(f["importer"] == importer) & (f["exporter"] != importer)].copy()
    cols = ["partner", "label", "before", "after", "tariff_before", "tariff_after"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    f["before"] = 100.0 * f["value_before"] / f["value_before"].sum()
    total_after = f["value_after"].sum()
    f["after"] = 100.0 * f["value_after"] / total_after if total_after > 0 else 0.0
    f["key"] = f[["before", "after"]].max(axis=1)
    f = f.sort_values("key", ascending=False)
    top, rest = f.head(partners), f.iloc[partners:]
    rows = [{"partner": str(r.exporter), "label": label(run, str(r.exporter)),
             "before": r.before, "after": r.after,
             "tariff_before": getattr(r, "tariff_before", np.nan),
             "tariff_after": getattr(r, "tariff_after", np.nan)}
            for r in top.itertuples()]
    if len(rest):
        rows.append({"partner": "other", "label": f"{len(rest)} other partners",
                     "before": rest["before"].sum(), "after": rest["after"].sum(),
                     "tariff_before": np.nan, "tariff_after": np.nan})
    return pd.DataFrame(rows, columns=cols)


def trade_figure(run: RunData, importers: Sequence[str], date: str | None = None) -> go.Figure:
    """Where each imposer buys from: partners' shares of its imports before and after."""
    date = date or run.last_date
    importers = list(importers)
    f = run.at("flows", date)
    titles = []
    for imp in importers:
        sub = f[(f["importer"] == imp) & (f["exporter"] != imp)]
        b, a = sub["value_before"].sum(), sub["value_after"].sum()
        change = f"{100.0 * (a / b - 1.0):+.0f}%" if b > 0 else "n/a"
        titles.append(f"{label(run, imp)}: imports {change}")
    fig = make_subplots(rows=1, cols=max(1, len(importers)), horizontal_spacing=0.12,
                        subplot_titles=titles or [""])
    height = 300
    for k, imp in enumerate(importers, start=1):
        shares = import_shares(run, imp, date).iloc[::-1]
        height = max(height, 120 + 46 * len(shares))
        tariffs = [
            "" if pd.isna(tb) else f"<br>tariff {100 * tb:.1f}% → {100 * ta:.1f}%"
            for tb, ta in zip(shares["tariff_before"], shares["tariff_after"], strict=True)]
        # the second trace of a horizontal group is drawn on top: "after" first
        for col, color, name in (("after", GAIN, "after"), ("before", BEFORE, "before")):
            fig.add_trace(go.Bar(
                x=shares[col], y=shares["label"], orientation="h", marker_color=color,
                name=f"share {name}", legendgroup=name, showlegend=k == 1,
                text=[f"{v:.1f}%" for v in shares[col]], textposition="outside",
                cliponaxis=False, customdata=tariffs,
                hovertemplate=f"%{{y}}: %{{x:.1f}}% of imports {name}%{{customdata}}"
                              "<extra></extra>"), row=1, col=k)
        top = float(shares[["before", "after"]].to_numpy().max()) if len(shares) else 1.0
        fig.update_xaxes(range=[0, top * 1.3], ticksuffix="%", gridcolor="#eee", row=1, col=k)
    fig.update_yaxes(automargin=True)
    layout(fig, f"Where the imposers buy from: partners' shares of imports, before and after"
                 f"{date_label(date)}", height, barmode="group", bargap=0.25,
            legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.02,
                    "yanchor": "bottom", "yref": "container", "traceorder": "reversed"})
    fig.update_layout(margin={"l": 10, "r": 20, "t": 90, "b": 70})
    return fig


# ------------------------------------------------------------------ all of them
def report_figures(run: RunData, economies: Sequence[str] | None = None, top: int = 10
                   ) -> dict[str, go.Figure]:
    """Every figure of the report, keyed by a short name (``map``, ``gains``, ``indicators``,
    ``over-time`` when there are several dates, ``trade`` when some tariff changed)."""
    chosen = chosen_economies(run, economies)
    figs = {"map": welfare_map(run), "gains": gains_losses_figure(run, top=top),
            "indicators": indicators_figure(run, chosen)}
    if len(run.dates) > 1:
        figs["over-time"] = over_time_figure(run, chosen)
    imposer_codes = imposers(run)
    if imposer_codes:
        figs["trade"] = trade_figure(run, imposer_codes)
    if has_agents(run):
        figs["agents"] = agents_figure(run)
        figs["agents-order"] = order_figure(run)
    return figs
