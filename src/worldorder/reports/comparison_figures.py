"""The comparison report's charts: grouped welfare bars and one small welfare map per run.

Each run keeps one colour (:data:`RUN_COLORS`) across the page: its bars, its swatch in the
table of runs and the frame of its map title.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from worldorder.reports.comparison import Comparison
from worldorder.reports.maps import nice_bound, welfare_map
from worldorder.reports.style import layout, name_label

__all__ = ["RUN_COLORS", "comparison_figures", "map_bound", "run_color", "welfare_bars"]

# colour-blind-safe and distinct from the blue/red of gains and losses (Okabe–Ito)
RUN_COLORS = ("#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#0072B2", "#D55E00", "#999999",
              "#F0E442")


def run_color(k: int) -> str:
    """The colour of the ``k``-th run."""
    return RUN_COLORS[k % len(RUN_COLORS)]


def _label(comp: Comparison, code: str, width: int = 22) -> str:
    return name_label(comp.names, code, width)


def welfare_bars(comp: Comparison) -> go.Figure:
    """Horizontal grouped bars: each economy's welfare at each run's last date, one colour per
    run, the economies best off on average at the top."""
    codes = comp.economies
    labels = [_label(comp, c) for c in codes]
    n_runs = len(comp.labels)
    fig = go.Figure()
    # the first trace of a horizontal group is drawn lowest: add the runs in reverse order so
    # that the first run is on top of each group, as in the legend
    for k in reversed(range(n_runs)):
        name = comp.labels[k]
        vals = comp.welfare[name].to_numpy(dtype=float)
        date = comp.runs[k].last_date
        when = "" if date == "undated" else f" on {date}"
        fig.add_trace(go.Bar(
            x=vals[::-1], y=labels[::-1], orientation="h", name=name,
            marker_color=run_color(k), legendrank=k,
            text=["" if np.isnan(v) else f"{v:+.2f}%" for v in vals[::-1]],
            textposition="outside", cliponaxis=False, textfont={"size": 11},
            hovertemplate=f"%{{y}}<br>{name}{when}: %{{x:+.3f}}%<extra></extra>"))
    vals = comp.welfare.to_numpy(dtype=float)
    finite = vals[np.isfinite(vals)]
    low = min(0.0, float(finite.min())) if finite.size else -1.0
    high = max(0.0, float(finite.max())) if finite.size else 1.0
    span = (high - low) or 1.0
    per_group = 12 * n_runs + 14
    layout(fig, "Welfare (real income) at each run's last date, % change",
           170 + per_group * len(codes), barmode="group", bargap=0.22, bargroupgap=0.05,
           legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.0,
                   "yanchor": "bottom", "traceorder": "normal"})
    fig.update_layout(margin={"l": 10, "r": 30, "t": 100, "b": 50})
    fig.update_xaxes(title_text="change in real income against the baseline, %",
                     ticksuffix="%", zeroline=True, zerolinecolor="#555", zerolinewidth=1.5,
                     gridcolor="#eee", range=[low - 0.16 * span, high + 0.16 * span],
                     side="bottom")
    fig.update_yaxes(automargin=True, tickfont={"size": 13})
    for k in range(1, len(codes)):  # a faint line between economies
        fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y", y0=k - 0.5, y1=k - 0.5,
                      line={"color": "#e4e4e4", "width": 1}, layer="below")
    return fig


def map_bound(comp: Comparison) -> float:
    """One colour scale for every run's map: from all economies at every run's last date."""
    vals = np.concatenate([run.at("economies", run.last_date)["welfare_pct"]
                           .to_numpy(dtype=float) for run in comp.runs])
    return nice_bound(vals)


def comparison_figures(comp: Comparison) -> dict[str, go.Figure]:
    """Every figure of the comparison: ``bars``, then ``map-1``, ``map-2``, ... (one per run,
    at its last date, on one colour scale)."""
    figs = {"bars": welfare_bars(comp)}
    bound = map_bound(comp)
    for k, (run, name) in enumerate(zip(comp.runs, comp.labels, strict=True), start=1):
        swatch = f'<span style="color:{run_color(k - 1)}">■</span> '
        fig = welfare_map(run, title=swatch + name, date=run.last_date, bound=bound)
        fig.update_layout(height=330, margin={"l": 0, "r": 0, "t": 36, "b": 0},
                          title={"font": {"size": 15}})
        fig.update_traces(showscale=False)  # one scale for all, drawn on the page
        fig.update_geos(domain={"x": [0.0, 1.0], "y": [0.0, 1.0]})
        figs[f"map-{k}"] = fig
    return figs
