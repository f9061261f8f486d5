"""``worldorder``: run scenarios, inspect datasets, import data.

Every error a user can cause prints one line (``error: <file>, line <n>, field <f>: ...``) and
exits with status 1; no traceback.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from worldorder.cli.columns import UNITS_NOTE, economy_table, fmt
from worldorder.cli.console import make_console
from worldorder.cli.help_format import HelpGroup, LazyCommands
from worldorder.cli.run_output import STATIC_NOTE, imposers_at, shorten, timeline_table
from worldorder.errors import ScenarioError, Terminated, WorldorderError
from worldorder.threads import limit_blas_threads

#: Commands of ``worldorder`` made from their typer definition only when looked up, in the
#: order they are listed after the commands defined below (:class:`LazyCommands`).
_LATER: dict[str, Callable[[], Any]] = {}


class _RootGroup(HelpGroup):
    """The ``worldorder`` group: the commands of :data:`_LATER` are made on first use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self.commands, _LATER)


def _later(name: str, register: Callable[[typer.Typer], object]) -> None:
    """Add command ``name`` to :data:`_LATER`: ``register`` adds it to a typer app (with
    ``add_typer`` or ``command``) as it would to ``app``, and the command is taken from that
    app's group when first looked up."""
    def make() -> Any:
        holder = typer.Typer(add_completion=False)
        register(holder)
        return typer.main.get_group(holder).commands[name]

    _LATER[name] = make


app = typer.Typer(
    cls=_RootGroup, help="worldorder: a simulator of the international order on real data.",
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
data_app = typer.Typer(
    cls=HelpGroup, help="Inspect and import datasets.", no_args_is_help=True)


def _register_subcommands() -> None:
    from worldorder.cli.agents_cmd import agents_app
    from worldorder.cli.runs_cmd import runs_app
    from worldorder.cli.security_cmd import security_app
    from worldorder.cli.strategy_cmd import strategy_app
    from worldorder.cli.sweep_cmd import sensitivity, sweep

    _later("sweep", lambda t: t.command("sweep")(sweep))
    _later("sensitivity", lambda t: t.command("sensitivity")(sensitivity))
    try:
        from worldorder.cli.report_cmd import report
    except ImportError:  # reports are optional at import time
        report = None
    if report is not None:
        _later("report", lambda t: t.command("report")(report))
    _later("data", lambda t: t.add_typer(data_app, name="data"))
    _later("agents", lambda t: t.add_typer(agents_app, name="agents"))
    _later("runs", lambda t: t.add_typer(runs_app, name="runs"))
    _later("strategy", lambda t: t.add_typer(strategy_app, name="strategy"))
    _later("security", lambda t: t.add_typer(security_app, name="security"))
console = make_console()
err_console = make_console(stderr=True)

Wide = Annotated[bool, typer.Option("--wide", help="Show every column even if the table is "
                                    "wider than the terminal.")]


def print_hidden(out: Console, hidden: list[str]) -> None:
    """Say which columns were left out for lack of width."""
    if hidden:
        out.print(f"[dim]Not shown for lack of width: {', '.join(dict.fromkeys(hidden))} "
                  "(--wide shows every column).[/dim]")


def _check_out(out: Path | None) -> None:
    if out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ScenarioError(f"{out}: exists and is not empty; choose another --out folder "
                            "(nothing was run)")


def _export(rec: object, out: Path) -> Path:
    """Write the last date of a stored run as flat files (economies.csv, policies.csv,
    flows.parquet, manifest.json), atomically; ``out`` must be new or empty."""
    _check_out(out)
    last = rec.manifest["dates"][-1]  # type: ignore[attr-defined]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{time.time_ns()}"
    tmp.mkdir()
    for name in ("economies", "policies"):
        df = getattr(rec, name)()
        df[df["date"] == last].drop(columns="date").to_csv(tmp / f"{name}.csv", index=False,
                                                          float_format="%.10g")
    flows = rec.flows()  # type: ignore[attr-defined]
    flows[flows["date"] == last].drop(columns="date").to_parquet(tmp / "flows.parquet",
                                                                 index=False)
    manifest = dict(rec.manifest)  # type: ignore[attr-defined]
    manifest["exported_date"] = last
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    if out.exists():
        out.rmdir()
    tmp.rename(out)
    return out


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled scenario name.")],
    out: Annotated[Path | None, typer.Option(help="Also export the last date as flat files "
                                             "(economies.csv, policies.csv, flows.parquet, "
                                             "manifest.json) to this new or empty folder.")
                   ] = None,
    runs_dir: Annotated[Path | None, typer.Option(help="Where runs are kept (default: "
                                                  "$WORLDORDER_RUNS or ./runs).")] = None,
    top: Annotated[int, typer.Option(help="Rows of largest gains and losses.")] = 8,
    wide: Wide = False,
) -> None:
    """Run a scenario, keep it in the run store, print the results.

    The scenario is checked against its dataset, and --out must be new or empty, before
    anything is solved or stored."""
    from worldorder.data.provenance import describe_shares
    from worldorder.runs import execute_run
    from worldorder.runs.store import solver_steps
    from worldorder.scenarios.corners import corner_note, search_corners
    from worldorder.scenarios.validate import validate_scenario

    out_console = make_console(wide=wide)
    _check_out(out)
    sc, world = validate_scenario(scenario)
    rec = execute_run(sc, runs_dir=runs_dir, world=world, progress=True)
    man = rec.manifest
    dates = man["dates"]
    econ_all = rec.economies()
    econ = econ_all[econ_all["date"] == dates[-1]]
    pol = rec.policies()
    imposers = imposers_at(rec, dates[-1])
    n_pairs = int((pol["date"] == dates[-1]).sum())
    out_console.print(
        f"[bold]{sc.name}[/bold] on [bold]{man['dataset']['name']}[/bold] "
        f"({man['dataset']['economies']} economies, {man['parameters']['preset']}); "
        f"{n_pairs} tariff pairs differ from the baseline"
        + (f" at {dates[-1]}" if len(dates) > 1 else ""))
    if (prov := man["dataset"].get("provenance")) is not None:
        out_console.print(f"[dim]Data: {describe_shares(prov['shares_pct'])} (worldorder data "
                          f"show {man['dataset']['name']})[/dim]")
    hidden: list[str] = []
    tl = rec.timeline()
    if imposers and tl["date"].nunique() > 1:
        out_console.print(timeline_table(out_console, rec, imposers[0]))
    if imposers:
        table, gone = economy_table(out_console, "Imposers (largest added duties first)",
                                    econ.set_index("economy").loc[imposers].reset_index())
        out_console.print(table)
        hidden += gone
    ranked = econ.sort_values("welfare_pct", ascending=False)
    for title, rows in ((f"Largest gains (top {top})", ranked.head(top)),
                        (f"Largest losses (top {top})", ranked.tail(top).iloc[::-1])):
        table, gone = economy_table(out_console, title, rows)
        out_console.print(table)
        hidden += gone
    out_console.print(f"[dim]{UNITS_NOTE}.[/dim]")
    print_hidden(out_console, hidden)
    for warning in man.get("warnings", []):
        err_console.print(f"[yellow]warning:[/yellow] {escape(str(warning))}")
    note = corner_note(search_corners(tl, pol[pol["date"] == dates[-1]], world.expand))
    if note:
        out_console.print(f"[yellow]{note}[/yellow]")
    gdp = pd.Series(world.gdp, index=world.codes)
    wel = econ.set_index("economy")["welfare_pct"]
    flows = rec.flows()
    fl = flows[flows["date"] == dates[-1]]
    solve = man["solver"][dates[-1]]
    out_console.print(
        f"World: GDP-weighted welfare {(wel * gdp).sum() / gdp.sum():+.3f}%, international "
        f"trade {100 * (fl['value_after'].sum() / fl['value_before'].sum() - 1):+.2f}%, tariff "
        f"revenue {econ['tariff_revenue'].sum():,.1f} {man['dataset']['units'].get('trade', '')}"
        f". Solver ({len(dates)} date{'s' if len(dates) > 1 else ''}): last "
        f"{solver_steps(solve)}, residual {solve['residual']:.1e}.")
    if len(dates) > 1:
        out_console.print(f"[dim]{STATIC_NOTE}[/dim]")
    out_console.print(f"Run stored in {rec.path} (see: worldorder runs show {rec.run_id}; "
                      f"worldorder report {rec.run_id})")
    if out is not None:
        out_console.print(f"Exported the last date to {_export(rec, out)}")


@app.command()
def scenarios() -> None:
    """List the bundled scenarios."""
    from rich.padding import Padding
    from rich.text import Text

    from worldorder.scenarios import bundled_scenarios, load_scenario

    console = make_console()
    rows = []
    for name in bundled_scenarios():
        sc = load_scenario(name)
        first = sc.description.split(". ")[0].strip().rstrip(".")
        rows.append((name, sc.dataset, shorten(first, 160)))
    if console.width >= 110:
        t = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
        t.add_column("Name", no_wrap=True)
        t.add_column("Dataset", no_wrap=True)
        t.add_column("Description")
        for row in rows:
            t.add_row(*row)
        console.print(t)
        return
    # narrow terminals: each scenario on its line, its description below at full width (a
    # table's description column would be some twenty characters wide and cut long words)
    for name, dataset, text in rows:
        console.print(f"[bold]{name}[/bold]  [dim]{dataset}[/dim]", highlight=False)
        console.print(Padding(Text(text), (0, 0, 0, 4)), highlight=False)


@app.command()
def actions(
    name: Annotated[str | None, typer.Argument(help="An action, e.g. tariff: its fields with "
                                               "types, defaults and units, and an example.")
                    ] = None,
) -> None:
    """List the policy actions scenarios can use, or document one (worldorder actions tariff).

    Rates are fractions everywhere: 0.25 means 25%."""
    from worldorder.engine import describe_actions
    from worldorder.scenarios.action_docs import action_doc

    console = make_console()
    if name is None:
        t = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)
        t.add_column("Action", no_wrap=True)
        t.add_column("What it does")
        t.add_column("Priced", no_wrap=True)
        for a in describe_actions():
            t.add_row(a["name"], a["summary"], "yes" if a["classifier"].get("priced") else "no")
        console.print(t)
        console.print("[dim]Priced: changes tariffs or trade costs, so the trade model solves "
                      "for it (the others are recorded for the later layers). worldorder "
                      "actions NAME documents one; rates are fractions (0.25 = 25%).[/dim]")
        return
    try:
        d = action_doc(name)
    except KeyError as exc:
        raise ScenarioError(str(exc.args[0])) from None
    priced = "priced by the trade model" if d["classifier"].get("priced") else \
        "recorded, not priced by the trade model"
    console.print(f"[bold]{d['name']}[/bold]: {d['summary']} ({priced})", highlight=False)
    for paragraph in d["doc"].replace("``", "'").split("\n\n"):
        console.print(" ".join(paragraph.split()), highlight=False)
    t = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
              title="Fields", title_justify="left")
    t.add_column("Field", no_wrap=True)
    t.add_column("Type")
    t.add_column("Default")
    t.add_column("Unit")
    for f in d["fields"]:
        t.add_row(f["name"], f["type"] + (f" ({f['description']})" if f["description"] else ""),
                  f["default"], f["unit"])
    console.print(t)
    if d["example"]:
        console.print("[bold]Example[/bold]")
        console.print(d["example"], highlight=False, markup=False, soft_wrap=True)
    if d["references"]:
        console.print("References: " + "; ".join(d["references"]), highlight=False)


@app.command()
def validate(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled scenario name.")],
) -> None:
    """Check a scenario against its dataset without solving anything.

    Fields, types and ranges (rates are fractions), dates, extends/fork, every economy, group
    and organisation named, the model section and the layers' parameters; errors name the
    file, line and field."""
    from worldorder.scenarios.validate import validate_scenario

    console = make_console()
    sc, world = validate_scenario(scenario)
    pairs = sc.actions()
    dates = sorted({str(d) for d, _ in pairs if d != "undated"})
    if len(dates) == 1:
        when = f" on {dates[0]}"
    else:
        when = f" on {len(dates)} dates ({dates[0]} to {dates[-1]})" if dates else ""
    console.print(f"{scenario}: valid; {len(pairs)} action"
                  f"{'s' if len(pairs) != 1 else ''}{when} on {world.name} "
                  f"({len(world.codes)} economies). Nothing was solved.", highlight=False)


def _origin(module: object) -> str:
    text = str(module)
    return "built-in" if text.startswith("worldorder.") else text


@app.command()
def plugins() -> None:
    """List the registered layers, actions and doctrines, where each comes from, and any
    plugin that failed to load (plugins register through the worldorder.layers,
    worldorder.actions and worldorder.doctrines entry points)."""
    from worldorder.engine import describe_actions, describe_layers
    from worldorder.registry import ACTIONS, DOCTRINES, LAYERS

    t = Table(title="Layers (updated in this order on every date)", header_style="bold")
    for col in ("Layer", "Tables", "From"):
        t.add_column(col)
    for lay in sorted(describe_layers(), key=lambda d: (d["priority"], d["name"])):
        t.add_row(str(lay["name"]), ", ".join(map(str, lay["tables"])), _origin(lay["module"]))
    console.print(t)
    a = Table(title="Actions", header_style="bold")
    for col in ("Action", "Layer", "From"):
        a.add_column(col)
    for act in describe_actions():
        classifier = act["classifier"]
        layer = classifier.get("layer", "") if isinstance(classifier, dict) else ""
        a.add_row(str(act["name"]), str(layer), _origin(act["module"]))
    console.print(a)
    d = Table(title="Doctrines", header_style="bold")
    for col in ("Doctrine", "Stance", "From"):
        d.add_column(col)
    for name in DOCTRINES:
        cls = DOCTRINES[name]
        classifier = getattr(cls, "classifier", {})
        stance = classifier.get("stance", "") if isinstance(classifier, dict) else ""
        d.add_row(name, str(stance), _origin(cls.__module__))
    console.print(d)
    for registry in (LAYERS, ACTIONS, DOCTRINES):
        for name, why in registry.failures.items():
            console.print(f"[red]plugin {name!r} failed to load[/red]: {why}", soft_wrap=True)


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
                  f"(welfare {res['welfare_pct_closed_form']:+.3f}%)", highlight=False)


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
        t.add_row(str(code), str(r["name"]), fmt(r["gdp"], 0), fmt(r["exports"], 0),
                  fmt(r["imports"], 0), str(r.get("region", "")))
    console.print(t)
    if world.sources:
        console.print("[bold]Sources[/bold]")
        for table, src in world.sources.items():
            console.print(f"  {table}: {src}")
    prov = world.provenance_summary()
    console.print(f"[bold]Provenance[/bold]: {prov.sentence()}"
                  + (f"; method and sources in {prov.sources_file}" if prov.sources_file else ""),
                  soft_wrap=True)
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


_register_subcommands()


_SIGNALLED: list[str] = []


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM acts like Ctrl-C: a run being written is kept as ``interrupted``."""
    _SIGNALLED.append("SIGTERM")
    raise Terminated("terminated (SIGTERM)")


def _interrupted(code: int) -> None:
    """Say why the command stopped and exit: 143 after SIGTERM, 130 after Ctrl-C."""
    if _SIGNALLED:
        err_console.print("terminated (SIGTERM)")
        sys.exit(143)
    err_console.print("interrupted")
    sys.exit(code)


def main() -> None:
    """Entry point of the ``worldorder`` script (one BLAS thread: :mod:`worldorder.threads`).

    SIGTERM is handled like Ctrl-C (exit status 143, Ctrl-C 130); an error a user can cause is
    printed as one ``error:`` line (exit status 1), an OS error (a full disk, a name too long)
    too, naming the file.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        limit_blas_threads()
        app(standalone_mode=True)
    except SystemExit as exc:
        if exc.code == 130:  # typer turns KeyboardInterrupt (and so SIGTERM) into exit 130
            _interrupted(130)
        raise
    except WorldorderError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False,
                          soft_wrap=True)
        sys.exit(1)
    except OSError as exc:
        name = str(exc.filename) if exc.filename is not None else ""
        if len(name) > 120:
            name = f"{name[:60]}...{name[-40:]}"
        where = f"{name}: " if name else ""
        err_console.print(f"[red]error:[/red] {escape(where + str(exc.strerror or exc))}",
                          highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        _interrupted(130)


if __name__ == "__main__":
    main()
