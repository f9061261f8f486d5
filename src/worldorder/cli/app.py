"""``worldorder``: run scenarios, inspect datasets, import data.

Every error a user can cause prints one line (``error: <file>, line <n>, field <f>: ...``) and
exits with status 1; no traceback.
"""

from __future__ import annotations

import logging
import math
import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from worldorder.errors import WorldorderError

app = typer.Typer(help="worldorder: a simulator of the international order on real data.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
data_app = typer.Typer(help="Inspect and import datasets.", no_args_is_help=True)
app.add_typer(data_app, name="data")
console = Console(width=None if sys.stdout.isatty() else 110)
err_console = Console(stderr=True)

COLUMNS = [
    ("welfare_pct", "Welfare"),
    ("real_wage_pct", "Real wage"),
    ("employment_pct", "Employ."),
    ("price_index_pct", "Prices"),
    ("exports_to_gdp_pct", "Exp/GDP"),
    ("imports_to_gdp_pct", "Imp/GDP"),
    ("trade_balance_change_pct", "Deficit"),
    ("tariff_revenue_pct_gdp", "Tariff rev"),
]
UNITS_NOTE = ("% changes; Exp/GDP and Imp/GDP: change of the ratio; Deficit: change of imports "
              "minus exports relative to its size; Tariff rev: % of GDP after")


def _fmt(x: float, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _economy_table(title: str, rows: pd.DataFrame) -> Table:
    t = Table(title=title, title_justify="left", header_style="bold", pad_edge=False)
    t.add_column("Economy", no_wrap=True, overflow="ellipsis", max_width=18)
    for _, label in COLUMNS:
        t.add_column(label, justify="right", no_wrap=True)
    for _, r in rows.iterrows():
        welfare = r["welfare_pct"]
        style = "green" if welfare > 0 else "red" if welfare < 0 else ""
        t.add_row(f"{r['economy']} {r['name']}", *[_fmt(r[c], 2) for c, _ in COLUMNS],
                  style=style)
    return t


def _default_out(name: str) -> Path:
    base = Path("out") / name
    if not base.exists() or (base.is_dir() and not any(base.iterdir())):
        return base
    k = 2
    while (Path("out") / f"{name}-{k}").exists():
        k += 1
    return Path("out") / f"{name}-{k}"


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled scenario name.")],
    out: Annotated[Path | None, typer.Option(help="Output folder (must be new or empty). "
                                             "Default: out/<scenario>.")] = None,
    top: Annotated[int, typer.Option(help="Rows of largest gains and losses.")] = 8,
) -> None:
    """Run a scenario: print the results and write them to a folder."""
    from worldorder.scenarios import simulate

    result = simulate(scenario)
    econ = result.economies
    imposers = sorted(set(result.policies["imposer"]))
    sc = result.scenario
    console.print(f"[bold]{sc.name}[/bold] on [bold]{result.world.name}[/bold] "
                  f"({result.world.n} economies, {result.params.preset}); "
                  f"{len(result.policies)} tariff pairs changed")
    if imposers:
        console.print(_economy_table("Imposers", econ[econ["economy"].isin(imposers[:6])]))
    ranked = econ.sort_values("welfare_pct", ascending=False)
    console.print(_economy_table(f"Largest gains (top {top})", ranked.head(top)))
    console.print(_economy_table(f"Largest losses (top {top})",
                                 ranked.tail(top).iloc[::-1]))
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {warning}", soft_wrap=True)
    console.print(f"[dim]{UNITS_NOTE}[/dim]", soft_wrap=True)
    totals = result.outcome.world_totals()
    s = result.solver
    console.print(
        f"World: GDP-weighted welfare {totals['welfare_pct_gdp_weighted']:+.3f}%, "
        f"international trade {totals['world_trade_change_pct']:+.2f}%, tariff revenue "
        f"{totals['tariff_revenue']:,.1f} {result.world.units.get('trade', '')}.  Solver: "
        f"{s['iterations']} Newton iterations, residual {s['residual']:.1e}, "
        f"{1000 * s['seconds']:.0f} ms."
    )
    folder = result.write(out if out is not None else _default_out(sc.name))
    console.print(f"Wrote {folder}/economies.csv, policies.csv, flows.parquet, manifest.json")


@app.command()
def scenarios() -> None:
    """List the bundled scenarios."""
    from worldorder.scenarios import bundled_scenarios, load_scenario

    t = Table(header_style="bold")
    t.add_column("Name")
    t.add_column("Dataset")
    t.add_column("Description")
    for name in bundled_scenarios():
        sc = load_scenario(name)
        first = sc.description.split(". ")[0].strip()
        t.add_row(name, sc.dataset, first[:100])
    console.print(t)


@app.command()
def actions() -> None:
    """List the policy actions scenarios can use."""
    from worldorder.scenarios.actions import describe_actions

    t = Table(header_style="bold")
    for col in ("Action", "Summary", "Fields", "References"):
        t.add_column(col)
    for a in describe_actions():
        t.add_row(a["name"], a["summary"], ", ".join(a["fields"]), "; ".join(a["references"]))
    console.print(t)


@app.command("optimal-tariff")
def optimal_tariff_cmd(
    economy: Annotated[str, typer.Argument(help="Economy code, e.g. USA.")],
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    preset: Annotated[str, typer.Option(help="Model preset.")] = "ignatenko2025",
    closure: Annotated[str, typer.Option(help="fixed_transfers, balanced or proportional.")
                       ] = "balanced",
    upper: Annotated[float, typer.Option(help="Upper bound of the search (1.0 = 100%).")
                     ] = 1.0,
) -> None:
    """The optimal uniform tariff of one economy: numerical and closed form.

    The default closure is balanced trade (Ossa 2014): under fixed transfers a deficit economy
    keeps importing its deficit at any tariff, which flatters prohibitive rates."""
    from worldorder.data import load_world
    from worldorder.trade.instruments import optimal_tariff
    from worldorder.trade.params import resolve_params

    world = load_world(dataset)
    try:
        world.index(economy)
        params = resolve_params(world, preset, closure=closure)
    except (KeyError, ValueError) as exc:
        raise WorldorderError(str(exc.args[0] if exc.args else exc)) from None
    res = optimal_tariff(world, params, economy, upper=upper)
    bound = " [at the search bound]" if res["at_bound"] else ""
    console.print(f"{economy} on {world.name} ({preset}, {closure}): numerical optimum "
                  f"{100 * res['numerical']:.1f}%{bound} (welfare {res['welfare_pct']:+.3f}%), "
                  f"closed form {100 * res['closed_form']:.1f}% "
                  f"(welfare {res['welfare_pct_closed_form']:+.3f}%)", soft_wrap=True)


@data_app.command("show")
def data_show(
    dataset: Annotated[str, typer.Argument(help="Bundled dataset or folder.")] = "world-2024",
) -> None:
    """Summarise a dataset: size, totals, sources."""
    from worldorder.data import load_world

    world = load_world(dataset)
    s = world.summary()
    unit = s["trade_unit"]
    console.print(f"[bold]{s['name']}[/bold] ({s['year']}): {s['economies']} economies, "
                  f"world GDP {s['world_gdp']:,.0f} {unit}, international trade "
                  f"{s['world_trade']:,.0f} {unit} in {s['trade_pairs']} pairs; "
                  f"{s['tariff_pairs']} tariff pairs, {s['groups']} groups, "
                  f"{s['organizations']} organisations, {s['alliance_pairs']} alliance pairs")
    if world.description:
        console.print(world.description.strip())
    t = Table(header_style="bold", title="Largest economies", title_justify="left")
    for col in ("Code", "Name", "GDP", "Exports", "Imports", "Region"):
        t.add_column(col, justify="right" if col in ("GDP", "Exports", "Imports") else "left")
    econ = world.economies.assign(exports=world.exports(), imports=world.imports())
    for code, r in econ.sort_values("gdp", ascending=False).head(15).iterrows():
        t.add_row(str(code), str(r["name"]), _fmt(r["gdp"], 0), _fmt(r["exports"], 0),
                  _fmt(r["imports"], 0), str(r.get("region", "")))
    console.print(t)
    if world.sources:
        console.print("[bold]Sources[/bold]")
        for table, src in world.sources.items():
            console.print(f"  {table}: {src}")
    if world.trade_sources is not None:
        counts = world.trade_sources["source"].str.split(r"[:;(,]").str[0].value_counts()
        console.print("[bold]Trade rows by source[/bold]")
        for src, k in counts.items():
            console.print(f"  {k:5d}  {src}")


@data_app.command("import-baci")
def data_import_baci(
    baci_csv: Annotated[Path, typer.Argument(help="BACI trade CSV (t,i,j,k,v,q).")],
    country_codes: Annotated[Path, typer.Option(help="BACI country-code CSV.")],
    gdp: Annotated[Path, typer.Option(help="CSV with code,gdp (and optional name, "
                                      "population, gdp_unit, source).")],
    out: Annotated[Path, typer.Option(help="Dataset folder to create.")],
    economies: Annotated[str | None, typer.Option(help="Comma-separated ISO3 codes to keep; "
                                                  "the rest becomes ROW.")] = None,
    year: Annotated[int | None, typer.Option(help="Year to keep.")] = None,
    unit: Annotated[str, typer.Option(help="Output unit, e.g. 'USD million'.")] = "USD million",
    gdp_unit: Annotated[str | None, typer.Option(help="Unit of the GDP file.")] = None,
    name: Annotated[str | None, typer.Option(help="Dataset name.")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing folder.")] = False,
) -> None:
    """Aggregate a CEPII BACI file into a worldorder dataset folder."""
    from worldorder.data.baci import import_baci

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    keep = [c.strip() for c in economies.split(",") if c.strip()] if economies else None
    path = import_baci(baci_csv, country_codes, out, gdp, year=year, economies=keep, name=name,
                       unit=unit, gdp_unit=gdp_unit, overwrite=overwrite)
    console.print(f"Wrote dataset {path}; check it with: worldorder data show {path}")


def _version(value: bool) -> None:
    if value:
        from worldorder import __version__

        console.print(f"worldorder {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """worldorder: a simulator of the international order on real data."""


def main() -> None:
    """Entry point of the ``worldorder`` console script."""
    try:
        app(standalone_mode=True)
    except WorldorderError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        err_console.print(f"[red]error:[/red] {exc.filename}: {exc.strerror}", highlight=False,
                          soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
