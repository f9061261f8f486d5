"""The report as one self-contained HTML page.

Everything the page needs is inside it: plotly.js (inlined), the figures as JSON, the country
shapes (once, shared by every map), the style sheet and a small script
(``assets/report.js``) that draws the figures. Opening the file needs no network.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.utils import PlotlyJSONEncoder

from worldorder.reports import figures as fg
from worldorder.reports.geo import load_countries
from worldorder.reports.run import RunData
from worldorder.reports.tables import (
    flatten,
    headline,
    parameter_rows,
    tariff_changes,
    timeline_rows,
)

__all__ = ["COUNTRIES_KEY", "figure_json", "page", "report_figures", "standalone_figure_page"]

COUNTRIES_KEY = "worldorder-countries"
# plotly.js downloads its base map (land, coasts) for every geo plot unless it already holds
# one under this name; the report draws its own shapes, so an empty topology stands in.
EMPTY_TOPOLOGY = {"type": "Topology", "objects": {}, "arcs": []}
TOPOJSON_NAME = "world_110m"


@cache
def _asset(name: str) -> str:
    return resources.files("worldorder.reports").joinpath(f"assets/{name}").read_text(
        encoding="utf-8")


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    text = value if isinstance(value, str) else json.dumps(value, cls=PlotlyJSONEncoder,
                                                          separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def figure_json(fig: go.Figure) -> str:
    """The figure as JSON, with the bundled country shapes replaced by a reference to the
    page's single copy (``PlotlyGeoAssets['worldorder-countries']``)."""
    spec = fig.to_plotly_json()
    for trace in spec.get("data", []):
        geo = trace.get("geojson")
        if isinstance(geo, dict) and geo.get("source") == load_countries().get("source"):
            trace["geojson"] = COUNTRIES_KEY
    return _script_json(spec)


def _assets_json() -> str:
    return _script_json({"topojson": {TOPOJSON_NAME: EMPTY_TOPOLOGY},
                         "geojson": {COUNTRIES_KEY: load_countries()}})


def _figures_block(figs: dict[str, go.Figure]) -> str:
    return "".join(f'<script type="application/json" id="{_e(key)}">{figure_json(fig)}'
                   "</script>\n" for key, fig in figs.items())


def _shell(title: str, body: str, figs: dict[str, go.Figure], *, css: str = "",
           static: bool = False) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_e(title)}</title>\n<style>\n{_asset('report.css')}{css}</style>\n"
        f"<script>{get_plotlyjs()}</script>\n</head>\n"
        f"<body{' data-static' if static else ''}>\n{body}\n"
        f'<script type="application/json" id="wo-assets">{_assets_json()}</script>\n'
        f"{_figures_block(figs)}<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n")


def _fig_div(key: str, label: str) -> str:
    return f'<div class="figure" data-figure="{_e(key)}" role="img" aria-label="{_e(label)}">' \
           "</div>"


def _pct(v: float | None, digits: int = 2, *, rise_is_bad: bool = False) -> str:
    if v is None:
        return "–"
    good = v < 0 if rise_is_bad else v > 0
    cls = "" if v == 0 else "gain" if good else "loss"
    return f'<span class="{cls}">{v:+.{digits}f}%</span>'


def _rate(v: float) -> str:
    return f"{100.0 * v:.1f}%"


def _name(run: RunData, code: str) -> str:
    name = run.names.get(code, code)
    return _e(code if name == code else f"{name} ({code})")


# ------------------------------------------------------------------ sections
def _header(run: RunData) -> str:
    m = run.manifest
    sc = m.get("scenario") or {}
    parsed = sc.get("parsed") or {}
    ds = m.get("dataset") or {}
    params = m.get("parameters") or {}
    dates = run.dates
    if dates == ["undated"]:
        when = "one date (the policies all at once)"
    else:
        when = (f"{dates[0]} to {dates[-1]} ({len(dates)} solved dates)" if len(dates) > 1
                else dates[0])
    year = f", year {ds['year']}" if ds.get("year") else ""
    n_econ = ds.get("economies") or run.economies["economy"].nunique()
    closure = f", closure {params['closure']}" if params.get("closure") else ""
    facts = [
        ("Dataset", f"{ds.get('name', '?')}{year}, {n_econ} economies"),
        ("Model", f"{params.get('preset', '?')}{closure}"),
        ("Dates", when),
        ("Run", run.run_id),
        ("Created", str(m.get("created_utc") or "–").replace("T", " ").replace("Z", " UTC")),
    ]
    if m.get("status", "complete") != "complete":
        facts.append(("Status", m["status"]))
    desc = parsed.get("description") or ""
    warn = ""
    if m.get("status") == "interrupted":
        warn = ('<p class="warn">This run was interrupted: only the dates solved before the '
                "interruption are shown.</p>")
    return (
        '<header class="top"><div class="kicker">worldorder report</div>'
        f"<h1>{_e(sc.get('name') or run.run_id)}</h1>"
        + (f'<p class="lead">{_e(desc.strip())}</p>' if desc else "")
        + '<dl class="facts">'
        + "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)
        + f"</dl>{warn}</header>")


def _howto(run: RunData, dated: bool) -> str:
    ds = run.manifest.get("dataset") or {}
    base = f"the world of {ds['year']}" if ds.get("year") else "the dataset's baseline"
    slider = (" The slider under the map steps through the dates: each date shows the effect of "
              "every step taken up to that date, still measured against the same baseline."
              if dated else "")
    return (
        '<section class="howto"><h2>How to read this</h2><p>'
        "This page shows what a general-equilibrium trade model computes when the trade policies "
        f"of this scenario are applied to {_e(base)}. Every number is a percent change "
        "compared with the same world without those policies, once prices, wages and trade "
        "have adjusted: it is a comparison of two equilibria, not a forecast for a given "
        "month. <b>Welfare</b> is real income (what an economy's income can buy). "
        '<span class="gain">Blue</span> means better off, <span class="loss">red</span> '
        "worse off; for consumer prices, red means prices rise. On the map each country takes "
        "the value of the economy it belongs to in the dataset"
        + ("; countries not modelled on their own share the value of the “Rest of the world”."
           if "ROW" in set(run.economies["economy"]) else
           "; countries outside the dataset are grey.") + slider
        + " Hover over any chart for exact values; the scenario, the parameters and the data "
        "sources are at the end, so the page stands alone.</p></section>")


def _brief(run: RunData, imposer_codes: list[str]) -> str:
    h = headline(run, imposer_codes)
    when = "" if run.last_date == "undated" else f" (on {_e(run.last_date)})"
    items = [f"{h['losers']} of {h['economies']} economies lose real income and "
             f"{h['gainers']} gain{when}."]
    if "worst" in h:
        items.append(f"Largest loss: {_name(run, h['worst'][0])} {_pct(h['worst'][1])}; "
                     f"largest gain: {_name(run, h['best'][0])} {_pct(h['best'][1])}.")
    flows = run.at("flows", run.last_date)
    flows = flows[flows["exporter"] != flows["importer"]]
    before = float(flows["value_before"].sum())
    if before > 0:
        change = 100.0 * (float(flows["value_after"].sum()) / before - 1.0)
        items.append(f"Trade between economies: {_pct(change, 1)} (at producer prices).")
    for code, welfare, prices in h["imposers"]:
        items.append(f"Imposer {_name(run, code)}: welfare {_pct(welfare)}, consumer prices "
                     f"{_pct(prices, rise_is_bad=True)}.")
    return "<h2>In brief</h2><ul class=\"brief\">" + "".join(
        f"<li>{i}</li>" for i in items) + "</ul>"


def _map_note(run: RunData) -> str:
    cov = fg.map_coverage(run)
    parts = []
    aggregates = sorted({e for c, e in cov.countries.items() if c != e and e != "ROW"})
    if aggregates:
        parts.append("Aggregates are drawn over their member countries: "
                     + ", ".join(_name(run, a) for a in aggregates) + ".")
    if "ROW" in set(cov.countries.values()):
        parts.append("Every country not modelled on its own takes the value of "
                     f"{_name(run, 'ROW')}.")
    if cov.undrawn:
        econ = run.at("economies", run.last_date).set_index("economy")["welfare_pct"]
        listed = ", ".join(f"{_name(run, e)} {_pct(float(econ[e]))}" if e in econ.index
                           else _name(run, e) for e in cov.undrawn)
        parts.append(f"Not on the map (too small at this scale, or members unknown): {listed}.")
    if cov.unmapped:
        parts.append(f"{len(cov.unmapped)} countries belong to no economy of this dataset and "
                     "are grey.")
    bound = fg.colour_bound(run)
    parts.append(f"Colours deepen up to ±{bound:g}%; larger changes take the darkest shade "
                 "(hover for the exact value). Country shapes: Natural Earth 1:110m (public "
                 "domain).")
    return f'<p class="note">{" ".join(parts)}</p>'


def _changes_cell(run: RunData, date: str, priced: bool, limit: int = 10) -> str:
    changes = tariff_changes(run, date)
    if not changes:
        return ("No tariff changed at this date." if priced else
                '<span class="note">Nothing the trade model prices (context).</span>')
    by_imposer: dict[str, list[str]] = {}
    for c in changes[:limit]:
        by_imposer.setdefault(c.imposer, []).append(
            f"{_e(c.target)} {_rate(c.before)} → {_rate(c.after)}")
    lines = [f"<b>{_e(imp)}</b> on {', '.join(items)}" for imp, items in by_imposer.items()]
    more = len(changes) - limit
    tail = f"; and {more} more pair{'s' if more > 1 else ''}" if more > 0 else ""
    head = f"{len(changes)} tariff pair{'s' if len(changes) > 1 else ''} changed: "
    return head + "; ".join(lines) + tail + "."


def _source(text: str) -> str:
    if not text:
        return '<span class="note">–</span>'
    if text.startswith(("https://", "http://")) and " " not in text:
        return f'<a href="{_e(text)}" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


def _timeline(run: RunData) -> str:
    rows = timeline_rows(run)
    if not rows:
        return "<h2>Timeline of actions</h2><p>The scenario has no steps.</p>"
    body = []
    for r in rows:
        tag = ('<span class="tag priced">priced by the model</span>' if r.priced else
               '<span class="tag">context only, not priced</span>')
        cells = [f'<td class="date">{_e(r.date)}</td>' if r.first_of_date else ""]
        if r.first_of_date and r.rows_on_date > 1:
            cells[0] = f'<td class="date" rowspan="{r.rows_on_date}">{_e(r.date)}</td>'
        cells += [f"<td><b>{_e(r.action)}</b><br>{tag}</td>", f"<td>{_e(r.summary)}</td>",
                  f"<td>{_e(', '.join(r.parties))}</td>", f"<td>{_source(r.source)}</td>"]
        if r.first_of_date:
            span = f' rowspan="{r.rows_on_date}"' if r.rows_on_date > 1 else ""
            priced = any(x.priced for x in rows if x.date == r.date)
            cells.append(f"<td{span}>{_changes_cell(run, r.date, priced)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<h2>Timeline of actions</h2>"
        '<p class="note">Each step of the scenario, in date order, with its source. The last '
        "column lists the tariffs that differ from the previous date (or from the baseline at "
        "the first date): all the priced steps of that date together; rates are the total "
        "applied tariff.</p>"
        '<table class="timeline"><colgroup><col style="width:9%"><col style="width:14%">'
        '<col style="width:25%"><col style="width:9%"><col style="width:12%">'
        '<col style="width:31%"></colgroup>'
        "<thead><tr><th>Date</th><th>Action</th><th>What it does</th><th>Parties</th>"
        "<th>Source</th><th>What changed (tariffs)</th></tr></thead><tbody>"
        + "".join(body) + "</tbody></table>")


def _kv_table(pairs: Sequence[tuple[str, str]], mono: Sequence[str] = ()) -> str:
    hash_cell = ' class="hash"'
    rows = "".join(
        f"<tr><th>{_e(k)}</th><td{hash_cell if k in mono else ''}>{_e(v)}</td></tr>"
        for k, v in pairs if v not in (None, ""))
    return f"<table>{rows}</table>"


def _params_table(parameters: dict[str, Any]) -> str:
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td><td class=\"note\">{_e(m)}</td></tr>"
                   for k, v, m in parameter_rows(parameters))
    return ("<table><thead><tr><th>Parameter</th><th>Value</th><th>Meaning</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _provenance(run: RunData) -> str:
    m = run.manifest
    sc = m.get("scenario") or {}
    ds = m.get("dataset") or {}
    text = sc.get("text") or json.dumps(sc.get("parsed") or {}, indent=2)
    dataset_rows = [("name", ds.get("name", "")), ("year", ds.get("year", "")),
                    ("economies", ds.get("economies", "")), ("sha256", ds.get("sha256", ""))]
    dataset_rows += [(f"unit of {k}", v) for k, v in (ds.get("units") or {}).items()]
    sources = [(k, v) for k, v in (ds.get("sources") or {}).items()]
    run_rows = [("run id", run.run_id), ("status", m.get("status", "complete")),
                ("created (UTC)", m.get("created_utc", "")),
                ("finished (UTC)", m.get("finished_utc", "")), ("seed", m.get("seed", ""))]
    run_rows += flatten(m.get("package") or {}, "package")
    run_rows += flatten(m.get("timings") or {}, "timings")
    solver = []
    for date, s in (m.get("solver") or {}).items():
        if isinstance(s, dict):
            solver.append((date, ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else
                                           f"{k} {v}" for k, v in s.items())))
    warnings = m.get("warnings") or []
    warn_html = ("<h3>Warnings</h3><ul>" + "".join(f"<li>{_e(w)}</li>" for w in warnings)
                 + "</ul>") if warnings else ""
    return (
        "<h2>Scenario, parameters and provenance</h2>"
        '<p class="note">What is needed to understand and reproduce these results: the '
        "scenario file as written, the model parameters as resolved, and the dataset with its "
        "sources and fingerprint (SHA-256 of the numbers the model uses).</p>"
        f"<h3>Scenario file</h3><pre>{_e(text)}</pre>"
        "<h3>Model parameters</h3>"
        '<p class="note">Per-economy values are shown as <i>default</i> followed by the '
        "economies that differ from it.</p>"
        f"{_params_table(m.get('parameters') or {})}"
        f'<div class="cols"><div><h3>Dataset</h3>{_kv_table(dataset_rows, mono=("sha256",))}'
        "</div>"
        f"<div><h3>Run</h3>{_kv_table(run_rows)}</div></div>"
        f"<h3>Data sources</h3>{_kv_table(sources)}"
        f"<h3>Solver (per date)</h3>{_kv_table(solver)}{warn_html}")


# ------------------------------------------------------------------ the page
def report_figures(run: RunData, economies: Sequence[str] | None = None, top: int = 10
                   ) -> dict[str, go.Figure]:
    """Every figure of the report, keyed by a short name (``map``, ``gains``, ``indicators``,
    ``over-time`` when there are several dates, ``trade`` when some tariff changed)."""
    chosen = fg.chosen_economies(run, economies)
    figs = {"map": fg.welfare_map(run), "gains": fg.gains_losses_figure(run, top=top),
            "indicators": fg.indicators_figure(run, chosen)}
    if len(run.dates) > 1:
        figs["over-time"] = fg.over_time_figure(run, chosen)
    imposer_codes = fg.imposers(run)
    if imposer_codes:
        figs["trade"] = fg.trade_figure(run, imposer_codes)
    return figs


def page(run: RunData, economies: Sequence[str] | None = None, top: int = 10) -> str:
    """The whole report page as HTML text."""
    figs = report_figures(run, economies, top)
    keys = {k: f"fig-{k}" for k in figs}
    imposer_codes = fg.imposers(run)
    dated = len(run.dates) > 1
    chosen = fg.chosen_economies(run, economies)
    chosen_note = ("the economies asked for" if economies else
                   "the imposers and the largest traders")
    parts = [
        "<main>", _header(run), _howto(run, dated), _brief(run, imposer_codes),
        "<h2>Who gains and who loses</h2>",
        '<p class="note">Change in welfare (real income) by country. '
        + ("Drag the slider or press Play to step through the dates." if dated else "")
        + "</p>",
        _fig_div(keys["map"], "world map of welfare changes"), _map_note(run),
        _fig_div(keys["gains"], "bar chart of the largest gains and losses"),
        "<h2>Prices, wages and jobs</h2>",
        f'<p class="note">Selected economies ({_e(chosen_note)}: '
        f"{_e(', '.join(chosen))}). Real wage: what an hour of work buys; employment: "
        "jobs; consumer prices: the cost of the consumption basket.</p>",
        _fig_div(keys["indicators"], "bar charts of welfare, real wage, employment, prices"),
    ]
    if "over-time" in figs:
        parts.append(_fig_div(keys["over-time"], "lines of welfare and prices over the dates"))
    parts.append("<h2>Trade diverted: where the imposers buy from</h2>")
    if "trade" in figs:
        parts += [
            '<p class="note">For each economy that raises tariffs (at most three), each '
            "partner's share of its imports before and after. Partners hit by higher tariffs "
            "lose shares; those spared gain them: that is trade diversion. Hover a bar for the "
            "tariff the partner faces.</p>",
            _fig_div(keys["trade"], "bar charts of import shares before and after")]
    else:
        parts.append("<p>No tariff differs from the baseline at the last date.</p>")
    parts += [_timeline(run), _provenance(run)]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    version = (run.manifest.get("package") or {}).get("worldorder", "")
    parts.append(f"<footer>Made by worldorder {_e(version)} from run folder "
                 f"<code>{_e(run.path.name)}</code> on {stamp}. This file is self-contained "
                 "and works offline.</footer></main>")
    title = f"{(run.manifest.get('scenario') or {}).get('name') or run.run_id} – worldorder"
    return _shell(title, "\n".join(parts), {keys[k]: f for k, f in figs.items()})


def standalone_figure_page(fig: go.Figure, width: int, height: int) -> str:
    """A page with one figure of a fixed size and nothing else (for PNG screenshots)."""
    fig = go.Figure(fig)
    fig.update_layout(width=width, height=height)
    css = ("body{margin:0;overflow:hidden} main{padding:0;max-width:none}"
           f".figure{{width:{width}px;height:{height}px}}")
    return _shell("figure", _fig_div("fig", "figure"), {"fig": fig}, css=css, static=True)

