"""The report of a sweep run: bands on the welfare map and bars, and the tornado chart.

A sweep run (:mod:`worldorder.sweeps.run`) holds the scenario's own run, which the rest of the
report shows, and its samples. This section adds

* a map of the median welfare change over the samples, each country's 5–95% band in its hover
  text;
* the largest median gains and losses as bars with their 5–95% band as error bars;
* a tornado chart: for the first chosen economy, how far each swept parameter moves its welfare
  (median at the parameter's top decile minus at its bottom decile, :func:`~worldorder.sweeps.
  bands.tornado`), with Spearman's rank correlation in the hover text;
* a table of the bands of the chosen economies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from html import escape
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from worldorder.reports.maps import welfare_map
from worldorder.reports.run import RunData
from worldorder.reports.style import GAIN, LOSS, label, layout
from worldorder.sweeps.bands import bands, tornado
from worldorder.sweeps.run import ECONOMIES, SAMPLES, read_sweep

__all__ = ["has_sweep", "sweep_figures", "sweep_section"]

OUTCOME = "welfare_pct"


def has_sweep(run: RunData) -> bool:
    """Whether the run is a sweep with samples on disk."""
    return isinstance(run.manifest.get("sweep"), dict) and (run.path / SAMPLES).is_dir()


def _data(run: RunData) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    samples = read_sweep(run.path, SAMPLES)
    econ = read_sweep(run.path, ECONOMIES)
    return samples, econ, bands(econ, [OUTCOME])


def band_map(run: RunData, band: pd.DataFrame) -> go.Figure:
    """The welfare map of the medians, with each economy's band in the hover text."""
    last = run.at("economies", run.last_date).copy()
    med = band.set_index("economy")
    last[OUTCOME] = last["economy"].map(med[f"{OUTCOME}_p50"])
    medians = replace(run, economies=last.assign(date=run.last_date))
    fig = welfare_map(medians, title="Median welfare change over the sweep",
                      date=run.last_date)
    trace = fig.data[-1]
    rows = []
    for row in trace.customdata:
        code = row[1]
        lo = med[f"{OUTCOME}_p5"].get(code, np.nan)
        hi = med[f"{OUTCOME}_p95"].get(code, np.nan)
        rows.append([*row, f"{lo:+.2f}%", f"{hi:+.2f}%"])
    trace.customdata = rows
    trace.hovertemplate = ("<b>%{customdata[0]}</b> %{customdata[3]}<br>welfare, shown "
                           "%{z:+.2f}%<br>5-95%: %{customdata[4]} to %{customdata[5]}"
                           "<extra></extra>")
    index = len(fig.data) - 1
    buttons = []
    for q, name in ((5, "5th percentile"), (50, "median"), (95, "95th percentile")):
        col = med[f"{OUTCOME}_p{q}"]
        z = [None if pd.isna(col.get(row[1], np.nan)) else round(float(col[row[1]]), 4)
             for row in trace.customdata]
        buttons.append({"label": name, "method": "update",
                        "args": [{"z": [z]}, {"title.text": f"Welfare change over the sweep: "
                                                            f"{name} of the samples"},
                                 [index]]})
    fig.update_layout(
        title_text="Welfare change over the sweep: median of the samples",
        updatemenus=[{"type": "buttons", "direction": "left", "active": 1, "x": 0.0,
                      "y": 1.0, "xanchor": "left", "yanchor": "bottom", "showactive": True,
                      "pad": {"b": 4}, "buttons": buttons}],
        margin={"l": 0, "r": 0, "t": 80, "b": 0})
    return fig


def band_bars(run: RunData, band: pd.DataFrame, top: int = 10) -> go.Figure:
    """The largest median gains and losses with their 5–95% bands as error bars."""
    order = band.sort_values(f"{OUTCOME}_p50")
    if len(order) > 2 * top:
        order = pd.concat([order.head(top), order.tail(top)])
    mid = order[f"{OUTCOME}_p50"].to_numpy(dtype=float)
    lo = order[f"{OUTCOME}_p5"].to_numpy(dtype=float)
    hi = order[f"{OUTCOME}_p95"].to_numpy(dtype=float)
    labels = [label(run, c) for c in order["economy"]]
    fig = go.Figure(go.Bar(
        x=mid, y=labels, orientation="h", marker_color=[GAIN if v >= 0 else LOSS for v in mid],
        error_x={"type": "data", "symmetric": False, "array": hi - mid,
                 "arrayminus": mid - lo, "color": "#333", "thickness": 1.2, "width": 4},
        customdata=np.column_stack([lo, hi]),
        hovertemplate="%{y}: median %{x:+.2f}%<br>5-95%: %{customdata[0]:+.2f}% to "
                      "%{customdata[1]:+.2f}%<extra></extra>"))
    layout(fig, "Largest median welfare gains and losses, with 5-95% bands",
           max(320, 60 + 24 * len(order)), showlegend=False, bargap=0.25)
    span = float(np.max(np.abs(np.concatenate([lo, hi])))) if len(mid) else 1.0
    fig.update_xaxes(title_text="change in real income, % (bar: median; line: 5-95% of "
                                "samples)", ticksuffix="%", zeroline=True,
                     zerolinecolor="#555", gridcolor="#eee",
                     range=[min(0.0, lo.min()) - 0.1 * span, max(0.0, hi.max()) + 0.1 * span])
    fig.update_yaxes(automargin=True)
    return fig


def tornado_figure(run: RunData, tor: pd.DataFrame, economy: str) -> go.Figure:
    """Bars from the outcome at each parameter's bottom decile to its top decile, the
    parameter with the largest swing on top."""
    tor = tor.iloc[::-1]
    at = run.at("economies", run.last_date).set_index("economy")[OUTCOME]
    base = float(at.get(economy, 0.0))  # the scenario at its own parameters
    fig = go.Figure()
    names = [f"{p} ({lo:.3g} to {hi:.3g})" for p, lo, hi in
             zip(tor["parameter"], tor["low"], tor["high"], strict=True)]
    for side, col, colour in (("low", "outcome_low", "#92c5de"),
                              ("high", "outcome_high", "#f4a582")):
        fig.add_trace(go.Bar(
            y=names,
            x=tor[col] - base, base=base, orientation="h", name=f"parameter {side}",
            marker_color=colour,
            customdata=np.column_stack([tor[side], tor[col], tor["spearman"]]),
            hovertemplate=f"%{{y}} at its {side} (%{{customdata[0]:.3g}}): median "
                          "%{customdata[1]:+.2f}%<br>rank correlation "
                          "%{customdata[2]:+.2f}<extra></extra>"))
    layout(fig, f"What moves the welfare of {label(run, economy)} most",
           max(300, 150 + 46 * len(tor)), barmode="overlay",
           legend={"orientation": "h", "y": 0.0, "x": 0.0, "yref": "container",
                   "yanchor": "bottom"})
    fig.update_layout(margin={"b": 90})
    fig.add_vline(x=base, line={"color": "#555", "width": 1, "dash": "dot"},
                  annotation_text=f"scenario {base:+.2f}%", annotation_position="top")
    fig.update_xaxes(title_text="median welfare change, % (parameter in its bottom or top "
                                "decile)", ticksuffix="%", gridcolor="#eee")
    fig.update_yaxes(automargin=True)
    return fig


def sweep_figures(run: RunData, economies: Sequence[str], top: int = 10
                  ) -> dict[str, go.Figure]:
    """``sweep-map``, ``sweep-bars`` and (when parameters vary) ``sweep-tornado``."""
    samples, econ, band = _data(run)
    figs = {"sweep-map": band_map(run, band), "sweep-bars": band_bars(run, band, top)}
    columns = [c for c in run.manifest["sweep"].get("columns") or [] if c in samples.columns]
    if columns and economies:
        tor = tornado(samples[samples["status"] == "ok"], econ, columns, economies[0])
        if len(tor):
            figs["sweep-tornado"] = tornado_figure(run, tor, economies[0])
    return figs


def _fmt(v: Any) -> str:
    return "–" if v is None or not np.isfinite(v) else f"{v:+.2f}%"


def sweep_section(run: RunData, economies: Sequence[str], div: Any, keys: dict[str, str]
                  ) -> str:
    """The section's HTML (``div(key, label)`` places a figure)."""
    sweep = run.manifest["sweep"]
    samples, _, band = _data(run)
    failed = int((samples["status"] != "ok").sum())
    what = "; ".join(escape(x) for x in [*(sweep.get("params") or []),
                                         *(sweep.get("noise") or [])])
    med = band.set_index("economy")
    rows = "".join(
        f"<tr><td>{escape(label(run, c))}</td>"
        + "".join(f"<td class=num>{_fmt(med.loc[c, f'{OUTCOME}_p{q}'])}</td>"
                  for q in (5, 50, 95)) + "</tr>"
        for c in economies if c in med.index)
    fail_note = ""
    if failed:
        first = samples.loc[samples["status"] != "ok", "reason"].iloc[0]
        fail_note = (f" {failed:,} samples failed and are left out of the bands; the first "
                     f"reason: {escape(str(first))}.")
    parts = [
        "<h2>Uncertainty: bands over the sweep</h2>",
        f'<p class="note">{len(samples):,} samples of {what} (seed {sweep.get("seed")}, '
        f"{escape(str(sweep.get('path', '')))}).{fail_note} The rest of this report shows the "
        "scenario at its own parameters; here each economy's median welfare change over the "
        "samples and the band holding 90% of them (5th to 95th percentile). A band says how "
        "much the result depends on the parameters swept, not how likely each value is: that "
        "depends on the distributions chosen.</p>",
        div(keys["sweep-map"], "world map of median welfare changes with bands"),
        div(keys["sweep-bars"], "bar chart of median gains and losses with 5-95% bands"),
        "<table class=compact><thead><tr><th>Economy</th><th>5%</th><th>Median</th>"
        f"<th>95%</th></tr></thead><tbody>{rows}</tbody></table>",
    ]
    if "sweep-tornado" in keys:
        parts += ['<p class="note">Tornado: each bar runs from the median welfare change among '
                  "the samples in the parameter's bottom decile to that in its top decile (for "
                  "a grid: its lowest and highest value); the longest bar is the parameter "
                  "that moves the result most. A one-at-a-time reading of a joint sweep.</p>",
                  div(keys["sweep-tornado"], "tornado chart of the parameters")]
    return "\n".join(parts)
