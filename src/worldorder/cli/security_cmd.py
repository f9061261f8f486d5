"""``worldorder security``: power, alliances, alignment and the order, from the bundled panels,
a dataset, or a run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from worldorder.cli.help_format import HelpGroup
from worldorder.errors import WorldorderError

security_app = typer.Typer(
    cls=HelpGroup, help="Power, alliances, alignment and the rules-based order.",
    no_args_is_help=True)


class _Out:
    """A console made at each use, so that it reads the terminal's width (``COLUMNS``) then."""

    def print(self, *args: object, **kwargs: object) -> None:
        Console().print(*args, **kwargs)  # type: ignore[arg-type]


console = _Out()

Csv = Annotated[Path | None, typer.Option(help="Write the table's rows to this CSV file.")]
Dataset = Annotated[str, typer.Option(help="Bundled dataset or folder.")]
RunsDir = Annotated[Path | None, typer.Option(
    "--runs-dir", help="Runs folder (default: $WORLDORDER_RUNS, else ./runs).")]
INDEX_PANEL = {"cinc": "nmc", "gdp": "milex", "milex": "milex", "net-power": "nmc"}


def _table(title: str, columns: list[tuple[str, str]]) -> Table:
    console.print(f"[bold]{title}[/bold]", soft_wrap=True, highlight=False)
    t = Table(header_style="bold", pad_edge=False)
    for name, justify in columns:
        t.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    return t


def _note(text: str) -> None:
    console.print(f"[dim]{text}[/dim]", soft_wrap=True, highlight=False)


def _f(x: object, fmt: str = "{:.2f}") -> str:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(x)
    return "–" if not np.isfinite(v) else fmt.format(v)


def _write(df: pd.DataFrame, csv: Path | None) -> None:
    if csv is not None:
        df.to_csv(csv, index=False)
        _note(f"wrote {len(df)} rows to {csv}")


def _year(panel: str, year: int | None) -> int:
    from worldorder.data.panels import panel_coverage

    cov = panel_coverage(panel)
    assert cov is not None
    if year is None:
        return cov[1]
    if not cov[0] <= year <= cov[1]:
        raise WorldorderError(f"--year {year}: panel {panel!r} covers {cov[0]}-{cov[1]}")
    return year


@security_app.command("power")
def power_cmd(
    year: Annotated[int | None, typer.Option(help="Year (default: the index's latest).")
                    ] = None,
    index: Annotated[str, typer.Option(help="cinc, gdp, milex or net-power.")] = "cinc",
    top: Annotated[int, typer.Option(help="States to list.")] = 10,
    region: Annotated[str | None, typer.Option(
        help="Show this region's states and balance (europe, northeast_asia, gulf, "
             "south_asia).")] = None,
    csv: Csv = None,
) -> None:
    """Shares of power, polarity, regional balances and the offshore-balancing verdict in a
    year of history (bundled panels: SIPRI, COW NMC, ATOP, US troops)."""
    from worldorder.security import (
        OffshoreBalancing,
        OffshoreBalancingLatent,
        Polarity,
        get_model,
        resolve_region,
    )

    if index not in INDEX_PANEL:
        raise WorldorderError(f"--index {index!r}: use one of {', '.join(INDEX_PANEL)}")
    y = _year(INDEX_PANEL[index], year)
    if index == "net-power":
        y = min(y, 2022)
    model = get_model(index)
    values = model.values(y).dropna()  # type: ignore[attr-defined]
    values = values[values > 0].sort_values(ascending=False)
    shares = values / values.sum()
    pol = Polarity(index=index).table([y]).iloc[0]
    reg = resolve_region(region) if region else None
    states = values if reg is None else values.reindex(
        [m for m in reg.members if m in values.index]).sort_values(ascending=False)
    t = _table(f"Power in {y} by {index}: {model.summary}",
               [("#", "right"), ("State", "left"), ("Share", "right"), ("Value", "right")])
    fmt = "{:.4f}" if index == "cinc" else "{:,.0f}"
    for k, (code, v) in enumerate(states.head(top).items(), 1):
        t.add_row(str(k), str(code), f"{100 * shares[code]:.1f}%", _f(v, fmt))
    console.print(t)
    _note(f"{int(pol['n'])} states; HHI {pol['hhi']:.3f}, effective poles "
          f"{pol['effective_poles']:.2f}, Ray-Singer CON {pol['con']:.3f}; leader "
          f"{pol['leader']} {100 * pol['leader_share']:.1f}%.")
    by = min(y, 2024)
    rows = []
    for mdl in (OffshoreBalancing(), OffshoreBalancingLatent()):
        rows.append(mdl.table([by], [reg] if reg is not None else None))
    off = pd.concat(rows, ignore_index=True)
    o = _table(f"Regional balances without the US in {by} (offshore balancing)",
               [("Region", "left"), ("On", "left"), ("Leader", "left"), ("Share", "right"),
                ("B/L", "right"), ("Holds", "left"), ("Impl.", "left"),
                ("US troops", "right"), ("Act.", "left")])
    short = {"europe": "Europe", "northeast_asia": "NE Asia", "gulf": "Gulf",
             "south_asia": "S Asia"}
    for r in off.itertuples(index=False):
        o.add_row(short.get(str(r.region), str(r.region)),
                  "milex" if r.index == "milex" else "GDP", str(r.leader),
                  f"{100 * r.leader_share:.0f}%", f"{r.balancer_ratio:.2f}",
                  "yes" if r.holds else "no", str(r.implied_posture)[:3] + ".",
                  _f(r.us_troops, "{:,.0f}"), str(r.actual_posture or "–")[:3] + ".")
    console.print(o)
    _note("B/L: the other local states' power (less the leader's defence allies) over the "
          "strongest local state that is not a US ally; holds at >= 1 (offshore), else the US "
          "must help (ons.: onshore). Impl.: the implied US posture. Act.: onshore from "
          "10,000 US troops in the region.")
    out = pd.DataFrame({"iso3": values.index, "year": y, "index": index,
                        "value": values.to_numpy(), "share": shares.to_numpy()})
    if reg is not None:
        out = out[out["iso3"].isin(reg.members)]
    _write(out, csv)


@security_app.command("alliances")
def alliances_cmd(
    year: Annotated[int | None, typer.Option(help="Base year (SIPRI; default 2024).")] = None,
    target: Annotated[float, typer.Option(help="Pledged share of GDP, in percent.")] = 5.0,
    by: Annotated[int, typer.Option(help="Year by which the pledge is met.")] = 2035,
    dataset: Dataset = "world-2024",
    csv: Csv = None,
) -> None:
    """NATO's burden-sharing: each ally's defence share of GDP, the yearly cost of the pledge in
    the target year (linear path, GDP at base-year prices), and the US saving."""
    from scipy.stats import spearmanr

    from worldorder.data import load_world
    from worldorder.security import PledgeCompliance, patron_saving, pledge_baseline

    y = _year("milex", year)
    if by <= y:
        raise WorldorderError(f"--by {by} must follow the base year {y}")
    base = pledge_baseline(y)
    path = PledgeCompliance(target=target / 100.0, base_year=y, target_year=by).path(base)
    end = path[path["year"] == by].set_index("iso3")
    base = base.assign(gdp_bn=base["gdp"] / 1e3, extra_bn=base["iso3"].map(
        end["extra_cost"]) / 1e3).sort_values("gdp", ascending=False)
    t = _table(f"NATO allies in {y}: defence share of GDP (SIPRI) and the cost of the "
               f"{target:g}% pledge in {by}",
               [("Ally", "left"), ("GDP $bn", "right"), ("Milex %", "right"),
                (">=2%", "left"), (f"Extra {by} $bn", "right")])
    for r in base.itertuples(index=False):
        t.add_row(str(r.iso3), _f(r.gdp_bn, "{:,.0f}"), _f(100 * r.share, "{:.2f}"),
                  "yes" if r.share >= 0.02 else ("–" if r.share != r.share else "no"),
                  _f(r.extra_bn, "{:,.1f}"))
    console.print(t)
    ok = base.dropna(subset=["share", "gdp"])
    rho = spearmanr(ok["gdp"], ok["share"]).statistic if len(ok) > 2 else np.nan
    sav = patron_saving(path, base_year=y)
    sav = sav[sav["year"] == by].set_index("model")["saving"] / 1e3
    _note(f"{int((ok['share'] >= 0.02).sum())} of {len(ok)} allies at 2% or more (SIPRI); "
          f"rank correlation of GDP and defence share {rho:.2f}; allies' extra spending in "
          f"{by}: ${float(end['extra_cost'].sum()) / 1e3:,.0f}bn; US saving "
          + ", ".join(f"{m} ${v:,.0f}bn" for m, v in sav.items()) + ".")
    world = load_world(dataset)
    if world.alliances.empty:
        _note(f"dataset {world.name!r} has no alliances table (alliances.csv): its pacts are "
              "not listed.")
    else:
        a = world.alliances
        _note(f"dataset {world.name!r}: {len(a)} alliance pairs in "
              f"{a['treaty'].nunique()} treaties (alliances.csv).")
    _write(path, csv)


def _dataset_alignment(world: object, k: int) -> pd.DataFrame:
    """Positions from a dataset (its trade, the panels' UNGA and ATOP, its memberships at the
    end of its year), with the components that are missing left out and said so."""
    from worldorder.security.alignment import (
        COMPONENTS,
        Alignment,
        alignment_table,
        blocs,
        defence_component,
        trade_component,
        unga_component,
    )
    from worldorder.security.layer_alignment import club_positions

    w = world
    p = Alignment.defaults
    comp = trade_component(w.trade, w.gdp, w.codes)  # type: ignore[attr-defined]
    try:
        u = unga_component(w, p["unga_year"])[["economy", "unga"]]
        d = defence_component(w, p["defence_year"])[["economy", "defence"]]
        comp = comp.merge(u, on="economy", how="left").merge(d, on="economy", how="left")
    except WorldorderError as exc:
        comp["unga"], comp["defence"] = np.nan, np.nan
        _note(f"UNGA and defence components left out: {exc}")
    m = w.memberships.fillna("").astype(str)  # type: ignore[attr-defined]
    on = f"{w.year}-12-31"  # type: ignore[attr-defined]
    live = m if m.empty else m[((m.get("since", "") == "") | (m.get("since", "") <= on))
                               & ((m.get("until", "") == "") | (m.get("until", "") > on))]
    known = set(m["organization"]) if "organization" in m else set()
    clubs = club_positions(live, known, list(w.codes), p["us_clubs"],  # type: ignore[attr-defined]
                           p["cn_clubs"])
    comp["membership"] = clubs["membership"].to_numpy()
    if comp["membership"].isna().all():
        _note(f"dataset {w.name!r} has no memberships of NATO, G7, USMCA, SCO and "  # type: ignore[attr-defined]
              "BRICS (memberships.csv): the membership component is left out.")
    weights = {c: (v if comp[c].notna().any() else 0.0) for c, v in p["weights"].items()}
    table = alignment_table(comp[["economy", *COMPONENTS]], weights)
    cols = [c for c, v in weights.items() if v > 0]
    table["bloc"] = blocs(table, cols, k).to_numpy()
    return table


@security_app.command("alignment")
def alignment_cmd(
    dataset: Dataset = "world-2024",
    run: Annotated[str | None, typer.Option(help="A run (id, scenario name): positions "
                                             "before and at its last date.")] = None,
    runs_dir: RunsDir = None,
    k: Annotated[int, typer.Option(help="Number of blocs (k-means).")] = 3,
    csv: Csv = None,
) -> None:
    """Each economy's position between the US (+1) and China (-1): UNGA votes, defence pacts,
    trade dependence and memberships; hedging; blocs. From a dataset, or a run's dates."""
    from worldorder.security.alignment import COMPONENTS, blocs

    if run is not None:
        from worldorder.runs.paths import resolve_runs_dir
        from worldorder.runs.record import load_run
        from worldorder.runs.tables import read_table, table_path

        rec = load_run(run, resolve_runs_dir(runs_dir))
        if not table_path(rec.path, "alignment").is_file():
            raise WorldorderError(f"run {rec.run_id} has no alignment table (run before the "
                                  "security layers, or a dataset without USA and CHN)")
        df = read_table(rec.path, "alignment", rec.run_id)
        if df.empty:
            raise WorldorderError(f"run {rec.run_id} has an empty alignment table: its dataset "
                                  "lacks USA or CHN (alignment is measured between them)")
        last = df[df["date"] == df["date"].max()].reset_index(drop=True)
        cols = [c for c in COMPONENTS if last[c].notna().any()]
        last["bloc"] = blocs(last, cols, k).to_numpy()
        title = f"Alignment at {last['date'].iloc[0]} (run {rec.run_id})"
        table = last.assign(before=last["position_baseline"])
    else:
        from worldorder.data import load_world

        world = load_world(dataset)
        missing = [c for c in ("USA", "CHN") if c not in world.codes]
        if missing:
            raise WorldorderError(f"dataset {world.name!r} has no economy {missing[0]}: "
                                  "alignment is measured between USA and CHN")
        table = _dataset_alignment(world, k)
        table["before"] = table["position"]
        title = f"Alignment between the US (+1) and China (-1), dataset {world.name}"
    t = _table(title, [("Economy", "left"), ("UNGA", "right"), ("Defence", "right"),
                       ("Trade", "right"), ("Members", "right"), ("Before", "right"),
                       ("Now", "right"), ("Hedging", "right"), ("Bloc", "left")])
    for r in table.sort_values("position").itertuples(index=False):
        t.add_row(str(r.economy), _f(r.unga), _f(r.defence), _f(r.trade), _f(r.membership),
                  _f(r.before), _f(r.position), _f(r.hedging),
                  str(r.bloc).replace("bloc ", ""))
    console.print(t)
    _note("Components in [-1, 1]; Before/Now: position before the run and at its last "
          "date (the same without a run); blocs 1 (most China-aligned) to k (k-means); "
          "position = their weighted mean (moved by the burden of each "
          "power's duties and by deals in a run); hedging = ½(1-|p|) + ½ dispersion.")
    _write(table, csv)


@security_app.command("order")
def order_cmd(
    run: Annotated[str, typer.Argument(help="A run (id, scenario name, or folder).")],
    runs_dir: RunsDir = None,
    year: Annotated[int | None, typer.Option(help="Only the dates of this year.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every date (default: the dates on "
                                        "which the index moves).")] = False,
    csv: Csv = None,
) -> None:
    """The rules-based-order index and its components on the dates of a run, with the US's
    legitimacy among its partners."""
    from worldorder.runs.paths import resolve_runs_dir
    from worldorder.runs.record import load_run
    from worldorder.runs.tables import read_table, table_path

    rec = load_run(run, resolve_runs_dir(runs_dir))
    if not table_path(rec.path, "order_index").is_file():
        raise WorldorderError(f"run {rec.run_id} has no order_index table (it was made before "
                              "the security layers: run its scenario again)")
    df = read_table(rec.path, "order_index", rec.run_id)
    if year is not None:
        df = df[df["date"].astype(str).str.startswith(str(year))]
        if df.empty:
            raise WorldorderError(f"run {rec.run_id} has no date in {year}")
    shown = df
    if not every and len(df) > 2:
        moved = df["index"].round(4).diff().fillna(1.0) != 0
        moved.iloc[-1] = True
        shown = df[moved.to_numpy()]
    leg = None
    if table_path(rec.path, "legitimacy").is_file():
        leg = read_table(rec.path, "legitimacy", rec.run_id)
        leg = leg[leg["power"] == "USA"].groupby("date")["legitimacy"].mean()
    t = _table(f"Rules-based order on the dates of run {rec.run_id}",
               [("Date", "left"), ("Multi", "right"), ("MFN", "right"), ("NonCoer", "right"),
                ("Instit", "right"), ("Index", "right"), ("US legit", "right")])
    for r in shown.itertuples(index=False):
        t.add_row(str(r.date), _f(r.multilateralism), _f(r.mfn), _f(r.non_coercion),
                  _f(r.institutions_intact), _f(r.index),
                  _f(leg.get(r.date, np.nan)) if leg is not None else "–")
    console.print(t)
    if df["multilateralism"].isna().all():
        _note("the run's dataset has no memberships of the global organisations "
              "(memberships.csv): multilateralism and budgets are not measured.")
    _note("Multi: GDP-weighted participation in UN, WTO, WHO, Paris, UNESCO, ICC; MFN: share "
          "of world trade at non-discriminatory rates; NonCoer: 1 - share under coercive "
          "duties; Instit: 1 - budget share lost; Index: their mean. US legit: mean "
          "legitimacy R of the US with the other economies (1 = baseline).")
    _write(df, csv)
