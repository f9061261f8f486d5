"""The report as one self-contained HTML page.

Everything the page needs is inside it: plotly.js (inlined), the figures as JSON, the country
shapes (once, shared by every map), the style sheet and a small script
(``assets/report.js``) that draws the figures. Opening the file needs no network.

plotly.js is 92% of a page inlined as it is (4.8 of 5.2 MB for ``us-2025``): it is therefore
inlined gzip-compressed and base64-encoded (2.0 MB), and ``report.js`` unpacks it with the
browser's ``DecompressionStream`` (Chrome/Edge 80+, Firefox 113+, Safari 16.4+) before drawing.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.utils import PlotlyJSONEncoder

from worldorder.reports import sections as sec
from worldorder.reports.agents import agents_section
from worldorder.reports.figures import chosen_economies, imposers, report_figures
from worldorder.reports.geo import load_countries
from worldorder.reports.run import RunData
from worldorder.reports.security import security_figures, security_section
from worldorder.reports.sweep import has_sweep, sweep_figures, sweep_section

__all__ = ["COUNTRIES_KEY", "figure_div", "figure_json", "packed_plotlyjs", "page",
           "page_shell", "standalone_figure_page", "with_contents"]

COUNTRIES_KEY = "worldorder-countries"
# plotly.js downloads its base map (land, coasts) for every geo plot unless it already holds
# one under this name; the report draws its own shapes, so an empty topology stands in.
EMPTY_TOPOLOGY = {"type": "Topology", "objects": {}, "arcs": []}
TOPOJSON_NAME = "world_110m"


@cache
def _asset(name: str) -> str:
    return resources.files("worldorder.reports").joinpath(f"assets/{name}").read_text(
        encoding="utf-8")


@cache
def packed_plotlyjs() -> str:
    """plotly.js gzip-compressed and base64-encoded (``report.js`` unpacks it)."""
    raw = get_plotlyjs().encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


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
    return "".join(f'<script type="application/json" id="{sec.e(key)}">{figure_json(fig)}'
                   "</script>\n" for key, fig in figs.items())


def page_shell(title: str, body: str, figs: dict[str, go.Figure], *, css: str = "",
               static: bool = False) -> str:
    """The whole page around ``body``: the style sheet, plotly.js, the country shapes, the
    figures ``figs`` (keyed by the ids their :func:`figure_div` name) and the drawing script."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{sec.e(title)}</title>\n<style>\n{_asset('report.css')}{css}</style>\n"
        "</head>\n"
        f"<body{' data-static' if static else ''}>\n{body}\n"
        f'<script type="application/json" id="wo-assets">{_assets_json()}</script>\n'
        f"{_figures_block(figs)}"
        '<script type="application/octet-stream" id="wo-plotly" data-encoding="gzip+base64">'
        f"{packed_plotlyjs()}</script>\n"
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"<[^>]+>", "", text).lower()).strip("-")


def with_contents(body: str) -> str:
    """``body`` with an id on every ``<h2>`` and a table of contents linking them, placed
    where ``<!--contents-->`` stands."""
    heads: list[tuple[str, str]] = []

    def anchor(m: re.Match[str]) -> str:
        title = m.group(1)
        slug = _slug(title) or f"section-{len(heads) + 1}"
        heads.append((slug, re.sub(r"<[^>]+>", "", title)))
        return f'<h2 id="{slug}">{title}</h2>'

    body = re.sub(r"<h2>(.*?)</h2>", anchor, body)
    toc = ('<nav class="toc" aria-label="Contents"><b>Contents</b><ol>'
           + "".join(f'<li><a href="#{slug}">{title}</a></li>' for slug, title in heads)
           + "</ol></nav>")
    return body.replace("<!--contents-->", toc, 1)


def figure_div(key: str, label: str) -> str:
    """The place of figure ``key`` on the page (``label`` for screen readers)."""
    return (f'<div class="figure" data-figure="{sec.e(key)}" role="img" '
            f'aria-label="{sec.e(label)}"></div>')


def page(run: RunData, economies: Sequence[str] | None = None, top: int = 10) -> str:
    """The whole report page as HTML text."""
    figs = report_figures(run, economies, top)
    figs.update(security_figures(run))
    chosen = chosen_economies(run, economies)
    sweep = has_sweep(run)
    if sweep:
        figs.update(sweep_figures(run, chosen, top))
    keys = {k: f"fig-{k}" for k in figs}
    imposer_codes = imposers(run)
    dated = len(run.dates) > 1
    chosen_note = ("the economies asked for" if economies else
                   "the imposers and the largest traders")
    parts = [
        "<main>", sec.header(run), "<!--contents-->", sec.howto(run, dated),
        sec.brief(run, imposer_codes),
        "<h2>Who gains and who loses</h2>",
        '<p class="note">Change in welfare (real income) by country. '
        + ("Drag the slider or press Play to step through the dates." if dated else "")
        + "</p>",
        figure_div(keys["map"], "world map of welfare changes"), sec.map_note(run),
        figure_div(keys["gains"], "bar chart of the largest gains and losses"),
        *([sweep_section(run, chosen, figure_div, keys)] if sweep else []),
        "<h2>Prices, wages and jobs</h2>",
        f'<p class="note">Selected economies ({sec.e(chosen_note)}: '
        f"{sec.e(', '.join(chosen))}). Real wage: what an hour of work buys; employment: "
        "jobs; consumer prices: the cost of the consumption basket.</p>",
        figure_div(keys["indicators"], "bar charts of welfare, real wage, employment, prices"),
    ]
    if "over-time" in figs:
        parts += ['<p class="note">The results in force on each date: each solved date is a '
                  "separate equilibrium against the baseline, held until the next one.</p>",
                  figure_div(keys["over-time"], "lines of welfare and prices over the dates")]
    parts.append("<h2>Trade diverted: where the imposers buy from</h2>")
    if "trade" in figs:
        parts += [
            '<p class="note">For each economy that raises tariffs (at most three), each '
            "partner's share of its imports before and after. Partners hit by higher tariffs "
            "lose shares; those spared gain them: that is trade diversion. Hover a bar for the "
            "tariff the partner faces.</p>",
            figure_div(keys["trade"], "bar charts of import shares before and after")]
    else:
        parts.append("<p>No tariff differs from the baseline at the last date.</p>")
    if "agents" in figs:
        parts.append(agents_section(
            run, figure_div(keys["agents"], "lines of each agent's welfare"),
            figure_div(keys["agents-order"], "the order index, legitimacy, security and "
                                             "blocs along the dates")
            if "agents-order" in figs else ""))
    parts += [security_section(keys, figure_div), sec.strategic(run), sec.timeline(run),
              sec.provenance(run), sec.data_appendix(run)]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    version = (run.manifest.get("package") or {}).get("worldorder", "")
    parts.append(f"<footer>Made by worldorder {sec.e(version)} from run folder "
                 f"<code>{sec.e(run.path.name)}</code> on {stamp}. This file is self-contained "
                 "and works offline.</footer></main>")
    title = f"{(run.manifest.get('scenario') or {}).get('name') or run.run_id} – worldorder"
    return page_shell(title, with_contents("\n".join(parts)),
                      {keys[k]: f for k, f in figs.items()})


def standalone_figure_page(fig: go.Figure, width: int, height: int) -> str:
    """A page with one figure of a fixed size and nothing else (for PNG screenshots)."""
    fig = go.Figure(fig)
    fig.update_layout(width=width, height=height)
    css = ("body{margin:0;overflow:hidden} main{padding:0;max-width:none}"
           f".figure{{width:{width}px;height:{height}px}}")
    return page_shell("figure", figure_div("fig", "figure"), {"fig": fig}, css=css, static=True)
