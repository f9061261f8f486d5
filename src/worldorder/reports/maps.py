"""The world map: welfare by country, with a date slider for dated runs.

Each country shows the value of the economy it belongs to (:func:`map_coverage`). The shapes are
bundled (:mod:`worldorder.reports.geo`) and plotly's own base map is switched off, so the figure
needs no network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from worldorder.reports.geo import country_economies, country_names, load_countries
from worldorder.reports.run import RunData
from worldorder.reports.style import MAP_COLORS, NEUTRAL, date_label, layout

__all__ = ["MapCoverage", "colour_bound", "map_coverage", "nice_bound", "welfare_map"]


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
    return nice_bound(run.economies[column].to_numpy(dtype=float))


def nice_bound(values: np.ndarray) -> float:
    """The 90th percentile of ``|values|`` rounded up to a readable step (1.0 when all are
    zero): the half-width of a colour scale centred on zero."""
    vals = np.abs(np.asarray(values, dtype=float))
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
                title: str = "Welfare change by country", *, date: str | None = None,
                bound: float | None = None) -> go.Figure:
    """A world choropleth of ``column``, with a date slider when the run has several dates.

    Each country shows the value of the economy it belongs to (see :func:`map_coverage`).
    The colour scale is centred on zero and the same at every date. The shapes are bundled and
    plotly's own base map is switched off, so the figure needs no network.

    Args:
        run: The run.
        column: The column of ``economies`` to map.
        title: The title (the date is added).
        date: Map only this date (no slider).
        bound: The half-width of the colour scale (default :func:`colour_bound`), e.g. one
            scale shared by several maps.
    """
    cov = map_coverage(run)
    names = country_names()
    geojson = load_countries()
    dates = [date] if date is not None else run.dates
    values = {d: run.at("economies", d).set_index("economy")[column] for d in dates}
    locs = list(cov.countries)
    econ = [cov.countries[c] for c in locs]

    def z_at(date: str) -> list[float | None]:
        v = values[date]
        return [None if e not in v.index or pd.isna(v[e]) else round(float(v[e]), 4)
                for e in econ]

    bound = colour_bound(run, column) if bound is None else bound
    half = bound / 2
    nice_half = round(half, 2) == half
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
                  "tickvals": [-bound, -bound / 2, 0, bound / 2, bound] if nice_half
                  else [-bound, 0, bound],
                  "ticktext": [f"≤ −{bound:g}%", f"−{half:g}%", "0%", f"+{half:g}%",
                               f"≥ +{bound:g}%"] if nice_half
                  else [f"≤ −{bound:g}%", "0%", f"≥ +{bound:g}%"]}))
    data_index = len(fig.data) - 1
    fig.update_geos(visible=False, showframe=False, showcoastlines=False, showland=False,
                    showocean=False, showlakes=False, showrivers=False, showcountries=False,
                    showsubunits=False, projection_type="natural earth", scope="world",
                    resolution=110, fitbounds=False, lataxis_range=[-56, 84],
                    projection_scale=1.08, center={"lon": 8, "lat": 12}, bgcolor="white",
                    domain={"x": [0.0, 0.93], "y": [0.0, 1.0]})
    layout(fig, f"{title}{date_label(last)}", 560)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40, "b": 0})
    if len(dates) > 1:
        fig.frames = [go.Frame(name=d, data=[go.Choropleth(z=z_at(d))], traces=[data_index],
                               layout={"title": {"text": f"{title}{date_label(d)}"}})
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
