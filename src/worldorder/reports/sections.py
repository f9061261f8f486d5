"""The report's text sections as HTML: header, how to read it, headline numbers, notes under
the map, the timeline table and the provenance. Every value is escaped."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from worldorder.data.provenance import describe_shares
from worldorder.reports.maps import colour_bound, map_coverage
from worldorder.reports.run import RunData
from worldorder.reports.strategic import (
    NOTE_KINDS,
    RateRow,
    StrategicStep,
    WelfareRow,
    strategic_steps,
)
from worldorder.reports.tables import (
    flatten,
    headline,
    parameter_rows,
    tariff_changes,
    timeline_rows,
)

__all__ = ["brief", "data_note", "e", "header", "howto", "map_note", "provenance", "strategic",
           "timeline"]


def e(text: object) -> str:
    """Escape text for HTML (``None`` becomes empty)."""
    return html.escape("" if text is None else str(text), quote=True)


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
    return e(code if name == code else f"{name} ({code})")


def header(run: RunData) -> str:
    """Title, description and the key facts: dataset, model, dates, run."""
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
        f"<h1>{e(sc.get('name') or run.run_id)}</h1>"
        + (f'<p class="lead">{e(desc.strip())}</p>' if desc else "")
        + '<dl class="facts">'
        + "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in facts)
        + f"</dl>{warn}</header>")


def howto(run: RunData, dated: bool) -> str:
    """The plain-language paragraph on how to read the report."""
    ds = run.manifest.get("dataset") or {}
    base = f"the world of {ds['year']}" if ds.get("year") else "the dataset's baseline"
    slider = (" The slider under the map steps through the dates: each date shows the effect of "
              "every step taken up to that date, still measured against the same baseline. "
              "Each date is a separate static equilibrium under the policies in force that "
              "day, not a point on a path: a step that is later undone leaves no trace on the "
              "dates after it, so compare runs date by date to see its effect."
              if dated else "")
    return (
        '<section class="howto"><h2>How to read this</h2><p>'
        "This page shows what a general-equilibrium trade model computes when the trade policies "
        f"of this scenario are applied to {e(base)}. Every number is a percent change "
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


def brief(run: RunData, imposer_codes: list[str]) -> str:
    """Headline numbers at the last date."""
    h = headline(run, imposer_codes)
    when = "" if run.last_date == "undated" else f" (on {e(run.last_date)})"
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
    items.append(data_note(run))
    return "<h2>In brief</h2><ul class=\"brief\">" + "".join(
        f"<li>{i}</li>" for i in items) + "</ul>"


def data_note(run: RunData) -> str:
    """How much of the dataset's trade is measured, estimated or imputed, with a link to the
    sources (the provenance section) and the dataset's SOURCES.md."""
    ds = run.manifest.get("dataset") or {}
    prov = ds.get("provenance") or {}
    name = e(ds.get("name", "the dataset"))
    link = '<a href="#provenance">data sources</a>'
    if not isinstance(prov.get("shares_pct"), dict):
        return (f"Data: {name}; this run does not record how much of its trade is measured "
                f"(see the {link}).")
    doc = prov.get("sources_file")
    where = f" and <code>{e(Path(str(doc)).name)}</code> in the dataset's folder" if doc else ""
    return (f"Data: {name}, {e(describe_shares(prov['shares_pct']))} (see the "
            f"{link}{where}).")


def map_note(run: RunData) -> str:
    """The note under the map: aggregates, ROW, economies not drawn, the colour scale."""
    cov = map_coverage(run)
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
    bound = colour_bound(run)
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
            f"{e(c.target)} {_rate(c.before)} → {_rate(c.after)}")
    lines = [f"<b>{e(imp)}</b> on {', '.join(items)}" for imp, items in by_imposer.items()]
    more = len(changes) - limit
    tail = f"; and {more} more pair{'s' if more > 1 else ''}" if more > 0 else ""
    head = f"{len(changes)} tariff pair{'s' if len(changes) > 1 else ''} changed: "
    return head + "; ".join(lines) + tail + "."


def _parties(parties: list[str], limit: int = 6) -> str:
    if len(parties) <= limit:
        return ", ".join(parties)
    return f"{', '.join(parties[:limit])} and {len(parties) - limit} more"


def _source(text: str) -> str:
    if not text:
        return '<span class="note">–</span>'
    if text.startswith(("https://", "http://")) and " " not in text:
        return f'<a href="{e(text)}" rel="noopener noreferrer">{e(text)}</a>'
    return e(text)


#: A timeline with more rows than this scrolls inside its own box on screen.
TIMELINE_BOX_ROWS = 15


def timeline(run: RunData) -> str:
    """The timeline table: each step with its date, source and the tariffs it changed."""
    rows = timeline_rows(run)
    if not rows:
        return "<h2>Timeline of actions</h2><p>The scenario has no steps.</p>"
    body = []
    for r in rows:
        tag = ('<span class="tag priced">priced</span>' if r.priced else
               '<span class="tag">not priced</span>')
        cells = [f'<td class="date">{e(r.date)}</td>' if r.first_of_date else ""]
        if r.first_of_date and r.rows_on_date > 1:
            cells[0] = f'<td class="date" rowspan="{r.rows_on_date}">{e(r.date)}</td>'
        cells += [f"<td><b>{e(r.action)}</b><br>{tag}</td>", f"<td>{e(r.summary)}</td>",
                  f"<td>{e(_parties(r.parties))}</td>",
                  f'<td class="source">{_source(r.source)}</td>']
        if r.first_of_date:
            span = f' rowspan="{r.rows_on_date}"' if r.rows_on_date > 1 else ""
            priced = any(x.priced for x in rows if x.date == r.date)
            cells.append(f"<td{span}>{_changes_cell(run, r.date, priced)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    # a long timeline (the 2025 record: 60+ steps) scrolls in a box of its own, with its header
    # kept in view, so that the sections after it stay a scroll away; on paper it prints whole
    box = ('<div class="scrollbox" tabindex="0" role="region" aria-label="Timeline of actions">'
           if len(rows) > TIMELINE_BOX_ROWS else "<div>")
    return (
        "<h2>Timeline of actions</h2>"
        '<p class="note">Each step of the scenario, in date order, with its source. '
        "<i>Priced</i> steps change tariffs, which the trade model prices; the others (exits "
        "from organisations, aid cuts, strikes, pledges...) are recorded as context. The last "
        "column lists the tariffs that differ from the previous date (or from the baseline at "
        "the first date): all the priced steps of that date together; rates are the total "
        "applied tariff."
        + (f" The {len(rows)} steps scroll inside the box (printed whole)."
           if len(rows) > TIMELINE_BOX_ROWS else "") + "</p>"
        + box + '<table class="timeline"><colgroup><col style="width:9.5%"><col style="width:11%">'
        '<col style="width:22%"><col style="width:7.5%"><col style="width:24%">'
        '<col style="width:26%"></colgroup>'
        "<thead><tr><th>Date</th><th>Action</th><th>What it does</th><th>Parties</th>"
        "<th>Source</th><th>What changed (tariffs)</th></tr></thead><tbody>"
        + "".join(body) + "</tbody></table></div>")


STRATEGIC_TITLES = {"best_response": "Best response", "trade_war": "Trade war (Nash equilibrium)",
                    "coalition": "Coalition response", "retaliation": "Optimal retaliation"}
STRATEGIC_EXPLAINED = (
    "In these steps the model, not the scenario, chooses the tariffs. A <b>best response</b> is "
    "the tariff an economy (or a group acting as one) would set to make its own welfare – real "
    "income – as high as possible, taking everyone else's tariffs as they stand on that date. "
    "In a <b>trade war</b> every player does this at once until no one can gain by changing "
    "its own tariffs alone: a <b>Nash equilibrium</b>, in which players often end up worse off "
    "than if none had raised tariffs. In a <b>coalition response</b> the members remove the "
    "tariffs among themselves and answer the hegemon with one common rate chosen for the "
    "members' combined welfare; an <b>optimal retaliation</b> is that common rate without the "
    "free trade inside. This is what self-interested governments would do in the model, not a "
    "forecast of what they will do. Below, each such step: the rates it set (compared with the "
    "previous date) and the welfare of the economies involved.")


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _capped(head: str, rows: list[str], limit: int = 10, cls: str = "compact") -> str:
    """A table of ``rows``; beyond ``limit``, the rest in a second table one click away."""
    table = f'<table class="{cls}"><thead>{head}</thead><tbody>{{}}</tbody></table>'
    out = table.format("".join(rows[:limit]))
    if len(rows) > limit:
        out += (f"<details><summary>{len(rows) - limit} more</summary>"
                + table.format("".join(rows[limit:])) + "</details>")
    return out


def _rate_range(low: float, high: float) -> str:
    return _rate(low) if abs(high - low) < 5e-5 else f"{_rate(low)}–{_rate(high)}"


def _rate_row(r: RateRow) -> str:
    bound = (' <span class="tag" title="the upper bound of the search: the best rate may be '
             'higher">upper bound</span>') if r.at_bound else ""
    every = sum(1 for i in r.imposers for t in r.targets if i != t)
    pairs = (f'<br><span class="note">{r.pairs} of {every} pairs changed; the others were '
             "already at this rate</span>") if r.pairs < every else ""
    return (f"<tr><td><b>{e(r.imposers_text)}</b></td>"
            f'<td title="{e(", ".join(r.targets))}">{e(r.targets_text)}{pairs}</td>'
            f'<td class="num">{_rate_range(*r.before)}</td>'
            f'<td class="num"><b>{_rate(r.after)}</b>{bound}</td></tr>')


def _welfare_row(run: RunData, w: WelfareRow) -> str:
    return (f"<tr><td>{_name(run, w.economy)}</td><td class=\"num\">{_pct(w.before)}</td>"
            f'<td class="num">{_pct(w.after)}</td><td class="num">{_pct(w.step)}</td></tr>')


def _strategic_step(run: RunData, s: StrategicStep) -> str:
    when = "" if s.date == "undated" else f"{e(s.date)} · "
    parts = [f'<div class="strategic-step"><h3>{when}{e(STRATEGIC_TITLES.get(s.action, s.action))}'
             f"</h3><p>{e(_sentence(s.summary))}</p>"]
    if not s.solved:
        parts.append('<p class="note">No tariff changed on this date: the rates in force were '
                     "already the response.</p></div>")
        return "".join(parts)
    if s.others_on_date:
        n = s.others_on_date
        them = "them" if n > 1 else "it"
        parts.append(f'<p class="note">{n} other priced step{"s" if n > 1 else ""} on this date '
                     f"changed tariffs too; the numbers below include {them}.</p>")
    before = "the baseline" if s.previous is None else f"on {e(s.previous)}"
    if s.rates:
        head = "<tr><th>Who</th><th>On</th><th>Before</th><th>Set</th></tr>"
        rates = (_capped(head, [_rate_row(r) for r in s.rates])
                 + f'<p class="note">Total tariffs. Before: {before} (a range when the pairs '
                 "differ); set: by this step.</p>")
    else:
        rates = '<p class="note">The parties changed no tariff on this date.</p>'
    head = "<tr><th>Economy</th><th>Before</th><th>After</th><th>Change</th></tr>"
    after = "after the step" if s.date == "undated" else f"on {e(s.date)}"
    welfare = (_capped(head, [_welfare_row(run, w) for w in s.welfare])
               + f'<p class="note">Real income, % change against the baseline. Before: {before}; '
               f"after: {after}; change: from before to after, in % of real income "
               "before.</p>")
    parts.append(f'<div class="cols"><div><h4>Tariffs set</h4>{rates}</div>'
                 f"<div><h4>Welfare of the parties</h4>{welfare}</div></div>")
    if s.note is not None:
        parts.append("<h4>As the step computed it</h4>" + _frame_table(s.note, limit=12)
                     + '<p class="note">The step\'s own record (the run\'s <code>note_'
                     f"{e(NOTE_KINDS.get(s.action, s.action))}</code> table): rates as "
                     "fractions, welfare in %, whether the search converged or stopped at its "
                     "upper bound.</p>")
    parts.append("</div>")
    return "".join(parts)


def _cell(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _frame_table(df: pd.DataFrame, limit: int = 10) -> str:
    """The first ``limit`` rows (the ``date`` column only when the rows' dates differ)."""
    one_date = "date" in df.columns and df["date"].nunique() <= 1
    cols = [c for c in df.columns if c != "note" and not (c == "date" and one_date)]
    head = "".join(f"<th>{e(c)}</th>" for c in cols)
    rows = "".join("<tr>" + "".join(f"<td>{e(_cell(v))}</td>" for v in r) + "</tr>"
                   for r in df[cols].head(limit).itertuples(index=False))
    more = (f'<p class="note">… and {len(df) - limit} more rows.</p>' if len(df) > limit
            else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"


def data_appendix(run: RunData) -> str:
    """Every table of the run folder: its name, size and columns, with the first rows of the
    tables beyond the trade model's (the politics layer's, other layers', notes)."""
    core = {"economies": run.economies, "flows": run.flows, "policies": run.policies,
            "timeline": run.timeline}
    rows = "".join(
        f'<tr><td style="white-space:nowrap"><code>{e(name)}</code></td><td>{len(df):,}</td>'
        f"<td>{e(', '.join(map(str, df.columns)))}</td></tr>"
        for name, df in {**core, **run.extra}.items())
    # folded: the first rows of some thirty tables made the page twice as tall (issue 11)
    shown = "".join(f"<details><summary><code>{e(name)}</code>: the first rows</summary>"
                    f"{_frame_table(df, limit=8)}</details>"
                    for name, df in run.extra.items() if not df.empty)
    return ("<section class=\"appendix\"><h2>Data appendix</h2>"
            '<p class="note">Every table recorded in the run folder (Parquet files, queryable '
            "with <code>worldorder runs sql</code>), and the first rows of those beyond the "
            "trade model's (click a table's name to open them).</p>"
            "<table><thead><tr><th>Table</th><th>Rows</th><th>Columns</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{shown}</section>")


def strategic(run: RunData) -> str:
    """The strategic responses (best responses, trade wars, coalitions, optimal retaliation):
    what each set and what it did to the parties' welfare; empty when the run has none."""
    steps = strategic_steps(run)
    if not steps:
        return ""
    return ('<section class="strategic"><h2>Strategic responses</h2>'
            f'<p class="explain">{STRATEGIC_EXPLAINED}</p>'
            + "".join(_strategic_step(run, s) for s in steps) + "</section>")


def _kv_table(pairs: Sequence[tuple[str, str]], mono: Sequence[str] = ()) -> str:
    hash_cell = ' class="hash"'
    rows = "".join(
        f"<tr><th>{e(k)}</th><td{hash_cell if k in mono else ''}>{e(v)}</td></tr>"
        for k, v in pairs if v not in (None, ""))
    return f"<table>{rows}</table>"


def _params_table(parameters: dict[str, Any]) -> str:
    rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td><td class=\"note\">{e(m)}</td></tr>"
                   for k, v, m in parameter_rows(parameters))
    return ("<table><thead><tr><th>Parameter</th><th>Value</th><th>Meaning</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def provenance(run: RunData) -> str:
    """The scenario text, the parameters, the dataset and its sources, the run."""
    m = run.manifest
    sc = m.get("scenario") or {}
    ds = m.get("dataset") or {}
    text = sc.get("text") or json.dumps(sc.get("parsed") or {}, indent=2)
    dataset_rows = [("name", ds.get("name", "")), ("year", ds.get("year", "")),
                    ("economies", ds.get("economies", "")), ("sha256", ds.get("sha256", ""))]
    dataset_rows += [(f"unit of {k}", v) for k, v in (ds.get("units") or {}).items()]
    sources = [(k, v) for k, v in (ds.get("sources") or {}).items()]
    prov = ds.get("provenance") or {}
    if isinstance(prov.get("shares_pct"), dict):
        dataset_rows.append(("trade provenance", describe_shares(prov["shares_pct"])))
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
    warn_html = ("<h3>Warnings</h3><ul>" + "".join(f"<li>{e(w)}</li>" for w in warnings)
                 + "</ul>") if warnings else ""
    return (
        '<h2 id="provenance">Scenario, parameters and provenance</h2>'
        '<p class="note">What is needed to understand and reproduce these results: the '
        "scenario file as written, the model parameters as resolved, and the dataset with its "
        "sources and fingerprint (SHA-256 of the numbers the model uses).</p>"
        f"<details><summary>Scenario file ({len(text.splitlines())} lines)</summary>"
        f"<pre>{e(text)}</pre></details>"
        "<h3>Model parameters</h3>"
        '<p class="note">Per-economy values are shown as <i>default</i> followed by the '
        "economies that differ from it.</p>"
        f"{_params_table(m.get('parameters') or {})}"
        f'<div class="cols"><div><h3>Dataset</h3>{_kv_table(dataset_rows, mono=("sha256",))}'
        "</div>"
        f"<div><h3>Run</h3>{_kv_table(run_rows)}</div></div>"
        f"<h3>Data sources</h3>{_kv_table(sources)}"
        f"<h3>Solver (per date)</h3>{_kv_table(solver)}{warn_html}")
