"""The report's figures, as plotly figures built from a :class:`~worldorder.reports.run.RunData`.

Colours are the same everywhere: blue for gains, red for losses, grey for "before". Every
figure carries its own title and axis labels so that it can be read alone (the PNG export
writes them one by one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from worldorder.reports.geo import country_economies, country_names, load_countries
from worldorder.reports.run import ReportError, RunData

__all__ = [
    "GAIN",
    "INDICATORS",
    "LOSS",
    "MapCoverage",
    "chosen_economies",
    "colour_bound",
    "gains_losses_figure",
    "imposers",
    "indicators_figure",
    "map_coverage",
    "over_time_figure",
    "trade_figure",
    "welfare_map",
]

GAIN = "#2166ac"
LOSS = "#b2182b"
BEFORE = "#b8b8b8"
NEUTRAL = "#e9e9e9"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
INDICATORS = (
    ("welfare_pct", "Welfare (real income)"),
    ("real_wage_pct", "Real wage"),
    ("employment_pct", "Employment"),
    ("price_index_pct", "Consumer prices"),
)
MAP_COLORS = [[0.0, "#67001f"], [0.2, "#d6604d"], [0.4, "#fddbc7"], [0.5, "#f7f7f7"],
              [0.6, "#d1e5f0"], [0.8, "#4393c3"], [1.0, "#053061"]]


def _layout(fig: go.Figure, title: str, height: int, **extra: object) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17},
                             "pad": {"l": 8}},
                      height=height, margin={"l": 10, "r": 20, "t": 70, "b": 40},
                      font={"family": FONT, "size": 13, "color": "#222"},
                      paper_bgcolor="white", plot_bgcolor="white", **extra)
    return fig


def _label(run: RunData, code: str, width: int = 26) -> str:
    name = run.names.get(code, code)
    if name == code:
        return code
    if len(name) > width:
        name = name[:width - 1].rstrip() + "…"
    return f"{name} ({code})"


def _date_label(date: str) -> str:
    return "" if date == "undated" else f" on {date}"


# ------------------------------------------------------------------ choosing economies
def imposers(run: RunData, date: str | None = None, limit: int = 3) -> list[str]:
    """Economies that impose a tariff differing from the baseline at ``date`` (default: last),
    largest number of partners first, at most ``limit``."""
    pol = run.at("policies", date or run.last_date)
    changed = pol[(pol["rate_after"] - pol["rate_before"]).abs() > 1e-12]
    counts = changed.groupby("imposer").size().sort_values(ascending=False, kind="stable")
    return [str(c) for c in counts.index[:limit]]


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


# ------------------------------------------------------------------ the map
@dataclass(frozen=True)
class MapCoverage:
    """Which countries the map shades, and with which economy.

    Attributes:
        countries: ISO3 country to economy code, for every shaded country.
        unmapped: Countries of the bundled shapes that belong to no economy (drawn grey).
        undrawn: Economies with no shape on the map (too small at this scale, or aggregates
            whose members are unknown).
    """

    countries: dict[str, str]
    unmapped: list[str]
    undrawn: list[str]


def map_coverage(run: RunData) -> MapCoverage:
    """How the run's economies are drawn on the bundled world map."""
    codes = [str(c) for c in run.economies["economy"].drop_duplicates()]
    countries = country_economies(codes, run.constituents)
    drawn = set(countries.values())
    unmapped = [c for c in country_names() if c not in countries]
    return MapCoverage(countries=countries, unmapped=unmapped,
                       undrawn=[c for c in codes if c not in drawn])


def colour_bound(run: RunData, column: str = "welfare_pct") -> float:
    """The half-width of the map's colour scale: the 90th percentile of the absolute values
    over every economy and date (rounded up to a readable step), so that a few extreme economies
    do not wash out the rest; larger values take the darkest colour."""
    vals = np.abs(run.economies[column].to_numpy(dtype=float))
    vals = vals[np.isfinite(vals)]
    if not vals.size or vals.max() <= 0:
        return 1.0
    q = float(np.quantile(vals, 0.9)) or float(vals.max())
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0,
                 50.0):
        if q <= step * 5:
            return float(np.ceil(q / step) * step)
    return float(np.ceil(q / 100.0) * 100.0)


def welfare_map(run: RunData, column: str = "welfare_pct",
                title: str = "Welfare change by country") -> go.Figure:
    """A world choropleth of ``column``, with a date slider when the run has several dates.

    Each country shows the value of the economy it belongs to (see :func:`map_coverage`).
    The colour scale is centred on zero and the same at every date. The shapes are bundled and
    plotly's own base map is switched off, so the figure needs no network.
    """
    cov = map_coverage(run)
    names = country_names()
    geojson = load_countries()
    dates = run.dates
    values = {d: run.at("economies", d).set_index("economy")[column] for d in dates}
    locs = list(cov.countries)
    econ = [cov.countries[c] for c in locs]

    def z_at(date: str) -> list[float | None]:
        v = values[date]
        return [None if e not in v.index or pd.isna(v[e]) else round(float(v[e]), 4)
                for e in econ]

    bound = colour_bound(run, column)
    custom = [[names[c], e, run.names.get(e, e),
               "" if c == e else f"part of {run.names.get(e, e)} ({e})"] for c, e in
              zip(locs, econ, strict=True)]
    fig = go.Figure()
    if cov.unmapped:
        fig.add_trace(go.Choropleth(
            geojson=geojson, locations=cov.unmapped, z=[0.0] * len(cov.unmapped),
            colorscale=[[0, NEUTRAL], [1, NEUTRAL]], showscale=False, name="not in the dataset",
            customdata=[[names[c]] for c in cov.unmapped],
            hovertemplate="<b>%{customdata[0]}</b><br>not in this dataset<extra></extra>",
            marker={"line": {"color": "white", "width": 0.5}}))
    last = dates[-1]
    fig.add_trace(go.Choropleth(
        geojson=geojson, locations=locs, z=z_at(last), zmin=-bound, zmax=bound, zmid=0.0,
        colorscale=MAP_COLORS, customdata=custom, name=column,
        hovertemplate="<b>%{customdata[0]}</b> %{customdata[3]}<br>"
                      "welfare %{z:+.2f}%<extra></extra>",
        marker={"line": {"color": "white", "width": 0.5}},
        colorbar={"title": {"text": "welfare, % change", "side": "right"},
                  "ticksuffix": "%", "thickness": 14, "len": 0.75,
                  "tickvals": [-bound, -bound / 2, 0, bound / 2, bound],
                  "ticktext": [f"≤ −{bound:g}%", f"−{bound / 2:g}%", "0%", f"+{bound / 2:g}%",
                               f"≥ +{bound:g}%"]}))
    data_index = len(fig.data) - 1
    fig.update_geos(visible=False, showframe=False, showcoastlines=False, showland=False,
                    showocean=False, showlakes=False, showrivers=False, showcountries=False,
                    showsubunits=False, projection_type="natural earth", scope="world",
                    resolution=110, fitbounds=False, lataxis_range=[-56, 84],
                    projection_scale=1.08, center={"lon": 8, "lat": 12}, bgcolor="white",
                    domain={"x": [0.0, 0.93], "y": [0.0, 1.0]})
    _layout(fig, f"{title}{_date_label(last)}", 560)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0})
    if len(dates) > 1:
        fig.frames = [go.Frame(name=d, data=[go.Choropleth(z=z_at(d))], traces=[data_index],
                               layout={"title": {"text": f"{title}{_date_label(d)}"}})
                      for d in dates]
        animate = {"mode": "immediate", "frame": {"duration": 600, "redraw": True},
                   "transition": {"duration": 0}, "fromcurrent": True}
        fig.update_layout(
            height=640, margin={"l": 0, "r": 0, "t": 40, "b": 80},
            sliders=[{"active": len(dates) - 1,
                      "currentvalue": {"prefix": "Date: ", "font": {"size": 15}},
                      "pad": {"t": 10, "b": 10}, "x": 0.16, "len": 0.8, "y": 0.0,
                      "yanchor": "top",
                      "steps": [{"label": d, "method": "animate",
                                 "args": [[d], {**animate, "frame": {"duration": 0,
                                                                     "redraw": True}}]}
                                for d in dates]}],
            updatemenus=[{"type": "buttons", "direction": "left", "showactive": False,
                          "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top",
                          "pad": {"t": 45, "l": 10}, "buttons": [
                              {"label": "▶ Play", "method": "animate",
                               "args": [None, {**animate, "fromcurrent": False}]},
                              {"label": "❚❚", "method": "animate",
                               "args": [[None], {"mode": "immediate",
                                                 "frame": {"duration": 0, "redraw": False}}]},
                          ]}])
    return fig


# ------------------------------------------------------------------ bars
def gains_losses_figure(run: RunData, top: int = 10, date: str | None = None) -> go.Figure:
    """Horizontal bars: the ``top`` largest welfare gains and losses at ``date`` (default last)."""
    date = date or run.last_date
    econ = run.at("economies", date).sort_values("welfare_pct")
    if len(econ) > 2 * top:
        econ = pd.concat([econ.head(top), econ.tail(top)])
    marked = set(imposers(run, date))
    labels = [_label(run, c) + (" ◆ imposer" if c in marked else "") for c in econ["economy"]]
    vals = econ["welfare_pct"].to_numpy(dtype=float)
    fig = go.Figure(go.Bar(
        x=vals, y=labels, orientation="h",
        marker_color=[GAIN if v >= 0 else LOSS for v in vals],
        text=[f"{v:+.2f}%" for v in vals], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:+.3f}%<extra></extra>"))
    _layout(fig, f"Largest welfare gains and losses{_date_label(date)}",
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
    labels = [_label(run, c) for c in codes][::-1]
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
    _layout(fig, f"Prices, wages and jobs in selected economies{_date_label(date)}",
            110 + n_rows * per_row, bargap=0.3)
    return fig


def over_time_figure(run: RunData, economies: Sequence[str]) -> go.Figure:
    """Lines over the dates: welfare and consumer prices of ``economies``."""
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
            fig.add_trace(go.Scatter(x=dates, y=sub[c], mode="lines+markers", name=_label(
                run, code), legendgroup=code, showlegend=col == 1, line={"color": color},
                hovertemplate=f"{_label(run, code)}<br>%{{x}}: %{{y:+.2f}}%<extra></extra>"),
                row=1, col=col)
    fig.update_xaxes(type="category", gridcolor="#eee")
    fig.update_yaxes(ticksuffix="%", zeroline=True, zerolinecolor="#555", gridcolor="#eee")
    _layout(fig, "How the effects build up, date by date (each date: all steps so far)", 400,
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
    rows = [{"partner": str(r.exporter), "label": _label(run, str(r.exporter)),
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
        titles.append(f"{_label(run, imp)}: imports {change}")
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
    _layout(fig, f"Where the imposers buy from: partners' shares of imports, before and after"
                 f"{_date_label(date)}", height, barmode="group", bargap=0.25,
            legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.02,
                    "yanchor": "bottom", "yref": "container", "traceorder": "reversed"})
    fig.update_layout(margin={"l": 10, "r": 20, "t": 90, "b": 70})
    return fig
