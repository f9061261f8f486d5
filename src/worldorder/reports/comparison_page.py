"""The comparison report as one self-contained HTML page (the machinery of
:mod:`worldorder.reports.html`: plotly.js, the figures and the country shapes inside it)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from worldorder.reports.comparison import Comparison
from worldorder.reports.comparison_figures import comparison_figures, map_bound, run_color
from worldorder.reports.html import figure_div, page_shell
from worldorder.reports.run import RunData
from worldorder.reports.sections import e
from worldorder.reports.style import MAP_COLORS

__all__ = ["comparison_page"]

CSS = """
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
          margin-right: 6px; vertical-align: -1px; }
table.compare { width: auto; min-width: 50%; }
table.compare td.num, table.compare th.num { text-align: right; padding-left: 28px; }
.best-mark { color: #2e8b57; }
table.compare td.best { background: #e3f1e6; box-shadow: inset 3px 0 0 #2e8b57; }
table.compare td.best::after { content: " ★"; color: #2e8b57; }
table.compare tfoot td { font-weight: 600; background: var(--soft); }
table.runs td { font-size: 14px; }
.maps { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 18px; }
@media (max-width: 900px) { .maps { grid-template-columns: 1fr; } }
.maps .figure { min-height: 330px; }
.scale { width: 320px; margin: 6px 0 10px; font-size: 12px; color: var(--muted); }
.scale .bar { height: 12px; border-radius: 2px; border: 1px solid var(--line); }
.scale .ticks { display: flex; justify-content: space-between; }
"""


def _name(comp: Comparison, code: str) -> str:
    name = comp.names.get(code, code)
    return e(code if name == code else f"{name} ({code})")


def _pct(v: float) -> str:
    if v is None or math.isnan(v):
        return "–"
    cls = "" if v == 0 else "gain" if v > 0 else "loss"
    return f'<span class="{cls}">{v:+.2f}%</span>'


def _describe(run: RunData) -> tuple[str, str, str]:
    m = run.manifest
    sc = m.get("scenario") or {}
    desc = ((sc.get("parsed") or {}).get("description") or "").strip()
    ds = m.get("dataset") or {}
    params = m.get("parameters") or {}
    closure = f", {params['closure']}" if params.get("closure") else ""
    model = f"{ds.get('name', '?')}; {params.get('preset', '?')}{closure}"
    return str(sc.get("name") or run.run_id), desc, model


def _header(comp: Comparison) -> str:
    rows = []
    for k, (run, label) in enumerate(zip(comp.runs, comp.labels, strict=True)):
        name, desc, model = _describe(run)
        dates = run.dates
        when = "one date" if dates == ["undated"] else (
            f"{dates[0]} to {dates[-1]}" if len(dates) > 1 else dates[0])
        scen = "" if name == label else f"<br><span class=\"note\">scenario {e(name)}</span>"
        rows.append(
            f'<tr><td><span class="swatch" style="background:{run_color(k)}"></span>'
            f"<b>{e(label)}</b>{scen}</td><td>{e(desc) or '–'}</td><td>{e(when)}</td>"
            f"<td>{e(model)}</td><td><code>{e(run.run_id)}</code></td></tr>")
    title = ", ".join(comp.labels)
    warn = ""
    shas = {str((r.manifest.get("dataset") or {}).get("sha256") or "") for r in comp.runs}
    if len(shas) > 1:
        warn = ('<p class="warn">The runs do not use the same data: each is measured against '
                "its own baseline, so their numbers compare less directly.</p>")
    return (
        '<header class="top"><div class="kicker">worldorder comparison</div>'
        f"<h1>{e(title)}</h1>"
        f'<p class="lead">{len(comp.runs)} runs side by side: who is better off at the end of '
        "each scenario.</p>"
        '<table class="runs"><colgroup><col style="width:20%"><col style="width:42%">'
        '<col style="width:12%"><col style="width:12%"><col style="width:14%"></colgroup>'
        "<thead><tr><th>Run</th><th>What it does</th><th>Dates</th><th>Data, model</th>"
        f"<th>Run id</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{warn}</header>")


def _howto(comp: Comparison) -> str:
    lasts = {r.last_date for r in comp.runs}
    same = (f"all on {e(next(iter(lasts)))}" if len(lasts) == 1 and "undated" not in lasts
            else "each run's own last date")
    return (
        '<section class="howto"><h2>How to read this</h2><p>'
        "Each number is the change in an economy's <b>welfare</b> (real income: what its income "
        "can buy) when the scenario's policies have played out, at its last date "
        f"({same}), compared with the same world without those policies. Each run has a "
        "colour; for each economy, the bar furthest to the right is its best outcome, and the "
        'table marks that run with a <span class="best-mark">★</span>. Hover over a chart for '
        "exact values.</p></section>")


def _chosen_note(comp: Comparison) -> str:
    n = len(comp.economies)
    if comp.chosen_by == "asked":
        return f"The {n} economies asked for."
    if comp.chosen_by == "parties":
        cut = (f" ({n} of {comp.candidates}: those named by most runs, then those with the "
               "largest changes)") if comp.candidates > n else ""
        return ("The economies that take part in the steps in which the runs differ (groups such "
                f"as the EU by their members){cut}. Choose others with --economies.")
    return (f"The {n} economies with the largest changes (no step names any party). Choose "
            "others with --economies.")


def _table(comp: Comparison) -> str:
    best = comp.best
    head = "".join(f'<th class="num"><span class="swatch" style="background:{run_color(k)}">'
                   f"</span>{e(label)}</th>" for k, label in enumerate(comp.labels))
    rows = []
    for code in comp.economies:
        cells = []
        for label in comp.labels:
            v = float(comp.welfare.loc[code, label])
            cls = "num best" if label in best[code] and len(comp.labels) > 1 else "num"
            cells.append(f'<td class="{cls}">{_pct(v)}</td>')
        rows.append(f"<tr><td>{_name(comp, code)}</td>{''.join(cells)}</tr>")
    counts = "".join(
        f'<td class="num">{sum(label in b for b in best.values())} of {len(comp.economies)}'
        "</td>" for label in comp.labels)
    return (f'<table class="compare"><thead><tr><th>Economy</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody>"
            f"<tfoot><tr><td>Best run for</td>{counts}</tr></tfoot></table>")


def _scale(bound: float) -> str:
    """The maps' shared colour scale as a horizontal bar with its end and middle values."""
    stops = ", ".join(f"{color} {100 * at:g}%" for at, color in MAP_COLORS)
    return (f'<div class="scale" role="img" aria-label="colour scale from -{bound:g}% to '
            f'+{bound:g}%"><div class="bar" style="background:linear-gradient(to right, '
            f'{stops})"></div><div class="ticks"><span>≤ −{bound:g}%</span><span>0%</span>'
            f"<span>≥ +{bound:g}%</span></div></div>")


def _runs_detail(comp: Comparison) -> str:
    out = []
    for run, label in zip(comp.runs, comp.labels, strict=True):
        m = run.manifest
        sc = m.get("scenario") or {}
        ds = m.get("dataset") or {}
        text = sc.get("text") or ""
        out.append(
            f"<details><summary><b>{e(label)}</b> – scenario file and provenance</summary>"
            f'<p class="note">Run <code>{e(run.run_id)}</code>, created '
            f"{e(m.get('created_utc') or '–')}; dataset {e(ds.get('name', '?'))} (SHA-256 "
            f"<code>{e(ds.get('sha256', '–'))}</code>); worldorder "
            f"{e((m.get('package') or {}).get('worldorder', ''))}.</p>"
            f"<pre>{e(text)}</pre></details>")
    return ('<h2 id="runs">The runs</h2><p class="note">Each run\'s scenario as written and '
            "where it comes from; the single-run report (<code>worldorder report RUN</code>) "
            "has every detail.</p>" + "".join(out))


def comparison_page(comp: Comparison) -> str:
    """The whole comparison page as HTML text."""
    figs = comparison_figures(comp)
    keys = {k: f"fig-{k}" for k in figs}
    maps = "".join(figure_div(keys[f"map-{k}"], f"world map of welfare changes, {label}")
                   for k, label in enumerate(comp.labels, start=1))
    bound = map_bound(comp)
    parts = [
        "<main>", _header(comp), _howto(comp),
        '<h2 id="welfare">Welfare by economy</h2>',
        f'<p class="note">{e(_chosen_note(comp))}</p>',
        figure_div(keys["bars"], "grouped bar chart of welfare by economy and run"),
        _table(comp),
        '<h2 id="maps">Welfare maps</h2>',
        '<p class="note">Each run at its last date, on one colour scale: blue better off, red '
        "worse off; changes beyond the ends of the scale take the darkest shade. Each country "
        "takes the value of the economy it belongs to in the dataset; grey countries are not in "
        "it.</p>", _scale(bound),
        f'<div class="maps">{maps}</div>',
        _runs_detail(comp),
    ]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    version = (comp.runs[0].manifest.get("package") or {}).get("worldorder", "")
    parts.append(f"<footer>Made by worldorder {e(version)} from {len(comp.runs)} run folders on "
                 f"{stamp}. This file is self-contained and works offline.</footer></main>")
    title = f"Comparison: {', '.join(comp.labels)} – worldorder"
    return page_shell(title, "\n".join(parts), {keys[k]: f for k, f in figs.items()}, css=CSS)
