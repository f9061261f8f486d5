"""``worldorder strategy``: bargaining and coalitions from the command line.

Every command checks its inputs first, prints tables that fit the terminal, shows progress
while it works, and keeps its results as a run in the run store (``--runs-dir``, else
``$WORLDORDER_RUNS``, else ``./runs``; :mod:`worldorder.runs.command_run`): ``worldorder runs
list``, ``runs show`` and ``runs sql`` (tables ``strategy_bargain``, ``strategy_coalitions``,
``strategy_shapley``, ``strategy_middle_powers``) find them. ``--csv FILE`` also writes the
table, ``--out DIR`` (new or empty) the table and a ``manifest.json`` with the command's inputs.
``middle-powers`` also keeps each regime as a scenario run (``worldorder report ...
--compare``).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from worldorder.cli.console import fit_table, make_console
from worldorder.cli.help_format import HelpGroup
from worldorder.errors import WorldorderError
from worldorder.progress import reporting

strategy_app = typer.Typer(
    cls=HelpGroup, help="Strategic responses: coercive bargaining, coalitions.",
    no_args_is_help=True)

Out = Annotated[Path | None, typer.Option(help="Write the table (table.csv) and the "
                                          "command's inputs (manifest.json) to this new or "
                                          "empty folder.")]
Csv = Annotated[Path | None, typer.Option(help="Write the table to this CSV file.")]
Wide = Annotated[bool, typer.Option("--wide", help="Show every column even if the table is "
                                    "wider than the terminal.")]
RunsDir = Annotated[Path | None, typer.Option(help="Where the run is kept (default: "
                                              "$WORLDORDER_RUNS, else ./runs).")]


def _command_line(command: str, inputs: dict[str, Any]) -> str:
    """The command as a user would type it again, every input spelt out."""
    parts = [f"worldorder strategy {command}"]
    for key, value in inputs.items():
        if value is None:
            continue
        text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"--{key.replace('_', '-')} {text}")
    return " ".join(parts)


def _check_names(world: Any, names: list[str], what: str) -> None:
    """Refuse an unknown economy or group before anything is computed or kept."""
    for name in names:
        if not world.is_known(name):
            raise WorldorderError(f"{what}: unknown economy or group {name!r} in dataset "
                                  f"{world.name!r} (nothing was computed)")


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _check_out(out: Path | None) -> None:
    if out is not None and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise WorldorderError(f"{out}: exists and is not empty; choose another --out folder "
                              "(nothing was computed)")


def _keep(table: pd.DataFrame, command: str, inputs: dict[str, Any], out: Path | None,
          csv: Path | None, console: Console, seconds: float, run_id: str) -> None:
    """Say where the run is kept; write the result table to ``csv`` and/or ``out`` (with a
    manifest of the inputs)."""
    from worldorder import __version__

    console.print(f"Kept as run {run_id} (worldorder runs show {run_id}).", highlight=False)
    if csv is not None:
        csv.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(csv, index=False, float_format="%.10g")
        console.print(f"Wrote {len(table)} rows to {csv}")
    if out is not None:
        _check_out(out)
        tmp = out.parent / f".{out.name}.tmp-{time.time_ns()}"
        tmp.mkdir(parents=True)
        table.to_csv(tmp / "table.csv", index=False, float_format="%.10g")
        manifest = {"command": _command_line(command, inputs), "inputs": inputs,
                    "run_id": run_id,
                    "worldorder_version": __version__,
                    "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "seconds": round(seconds, 3), "rows": len(table),
                    "columns": list(map(str, table.columns))}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        if out.exists():
            out.rmdir()
        tmp.rename(out)
        console.print(f"Wrote {out / 'table.csv'} and {out / 'manifest.json'}")


class _Steps:
    """A progress bar on standard error, advanced with ``(done, total, label)``; inside a step,
    the messages of :func:`worldorder.progress.report` (rounds of a trade war, chunks of
    coalitions) follow the label."""

    def __init__(self, description: str) -> None:
        self.progress = Progress(TextColumn(description), BarColumn(bar_width=10),
                                 MofNCompleteColumn(),
                                 TextColumn("{task.fields[label]}",
                                            table_column=Column(overflow="fold")),
                                 TimeElapsedColumn(), console=make_console(stderr=True),
                                 transient=True)
        self.task = self.progress.add_task(description, total=None, label="")
        self.label = ""
        self.reporting = reporting(self.inner)

    def __enter__(self) -> Callable[[int, int, str], None]:
        self.progress.start()
        self.reporting.__enter__()
        return self

    def __call__(self, done: int, total: int, label: str) -> None:
        self.label = label
        self.progress.update(self.task, completed=done, total=total, label=label)

    def inner(self, message: str) -> None:
        self.progress.update(self.task, label=f"{self.label}: {message}")

    def __exit__(self, *exc: object) -> None:
        self.reporting.__exit__(None, None, None)
        self.progress.stop()


def _model(dataset: str, preset: str, closure: str) -> tuple:
    from worldorder.data import load_world
    from worldorder.trade.evaluator import Evaluator
    from worldorder.trade.params import resolve_params

    world = load_world(dataset)
    try:
        params = resolve_params(world, preset, closure=closure)
    except ValueError as exc:
        raise WorldorderError(str(exc)) from None
    return world, Evaluator(world, params)


def _pair(a: float, b: float) -> str:
    return f"{a:+.2f} / {b:+.2f}"


def _rates(a: float, b: float) -> str:
    return f"{100 * a:.0f}% / {100 * b:.0f}%"


def _actual_text(row: dict[str, Any] | None) -> str:
    if not row:
        return "–"
    pl = []
    for key, label in (("investment_usd_bn", "inv"), ("purchases_usd_bn", "buy")):
        v = row.get(key)
        if v == v and v:  # not NaN, not zero
            pl.append(f"{label} ${v:g}bn")
    basis = "all-in" if row["deal_basis"] == "all-in" else "+"
    return f"{row['deal_pct']:g}% {basis} {str(row['deal_date'])[:7]}" + \
        (f"; {', '.join(pl)}" if pl else "")


@strategy_app.command("bargain")
def bargain_cmd(
    hegemon: Annotated[str, typer.Option(help="The economy that threatens.")] = "USA",
    partners: Annotated[str, typer.Option(help="Comma-separated partners (economies or "
                                          "groups).")] = "EU,JPN,KOR,GBR,VNM,IDN,PHL,CHE,IND",
    threat: Annotated[float | None, typer.Option(help="Threatened additional tariff for "
                                                 "partners without a recorded 2025 threat "
                                                 "(a fraction: 0.25 = 25%).")] = 0.25,
    weight: Annotated[float | None, typer.Option(help="The hegemon's bargaining weight "
                                                 "(default: from mutual dependence).")] = None,
    realisation: Annotated[float, typer.Option(help="Share of headline pledges realised.")
                           ] = 0.5,
    pledge_years: Annotated[float, typer.Option(help="Years over which pledges are spread.")
                            ] = 4.0,
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    preset: Annotated[str, typer.Option(help="Model preset.")] = "ignatenko2025",
    closure: Annotated[str, typer.Option(help="fixed_transfers, balanced or proportional.")
                       ] = "fixed_transfers",
    out: Out = None,
    csv: Csv = None,
    wide: Wide = False,
    runs_dir: RunsDir = None,
) -> None:
    """Threat, trade war and Nash-bargained deal for each partner, beside the actual 2025 deal.

    Rates are all-in tariffs; welfare in percent (income-weighted over a group's members);
    the pledge is the realised annual transfer, and its headline equivalent over the stated
    years at the stated realisation."""
    from worldorder.runs.command_run import command_run
    from worldorder.strategy.bargaining import actual_deals_2025, bargain

    console = make_console(wide=wide)
    _check_out(out)
    started = time.perf_counter()
    world, ev = _model(dataset, preset, closure)
    names = _codes(partners)
    _check_names(world, [hegemon], "--hegemon")
    _check_names(world, names, "--partners")
    if weight is not None and not 0.0 < weight < 1.0:
        raise WorldorderError(f"--weight {weight:g}: must lie strictly between 0 and 1")
    deals = actual_deals_2025().set_index("partner")
    unit = world.units.get("trade", "")
    results = []
    inputs = {"hegemon": hegemon, "partners": names, "threat": threat, "weight": weight,
              "realisation": realisation, "pledge_years": pledge_years, "dataset": dataset,
              "preset": preset, "closure": closure}
    with command_run("strategy-bargain", world=world, command=_command_line("bargain", inputs),
                     inputs=inputs, parameters={"preset": preset, "closure": closure},
                     runs_dir=runs_dir) as run:
        with _Steps("bargaining") as step:
            for k, partner in enumerate(names):
                step(k, len(names), partner)
                row = deals.loc[partner].to_dict() if partner in deals.index else None
                thr = row["threat_pct"] / 100.0 if row else float(threat or 0.0)
                res = bargain(ev, hegemon, partner, ev.t0, thr, weight=weight, actual=row,
                              pledge_years=pledge_years, realisation=realisation)
                results.append((partner, thr, row, res))
            step(len(names), len(names), "done")
        run.add_table("strategy_bargain", _bargain_frame(results))
    war = Table(title=f"{hegemon}'s threats and the wars that would follow ({preset}, "
                f"{closure}); welfare % {hegemon} / partner", title_justify="left",
                header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                collapse_padding=True)
    for col in ("Partner", "β(H)", "Threat", "W threat", "War rates", "W war"):
        war.add_column(col, justify="left" if col == "Partner" else "right", no_wrap=True)
    deal = Table(title="The Nash-bargained deal and the actual 2025 deal", title_justify="left",
                 header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                 collapse_padding=True)
    for col in ("Partner", "Deal rates", "Pledge/yr", "W deal", "W actual", "Actual deal"):
        deal.add_column(col, justify="left" if col in ("Partner", "Actual deal") else "right",
                        no_wrap=col != "Actual deal", min_width=14 if col == "Actual deal"
                        else None)
    for partner, thr, row, res in results:
        actual_w = "–" if res.actual is None else \
            _pair(res.actual.welfare_hegemon, res.actual.welfare_partner)
        war.add_row(partner, f"{res.weight_hegemon:.2f}", f"+{100 * thr:.0f}%",
                    _pair(res.threat.welfare_hegemon, res.threat.welfare_partner),
                    _rates(res.war.hegemon_rate, res.war.partner_rate),
                    _pair(res.war.welfare_hegemon, res.war.welfare_partner))
        deal.add_row(partner, _rates(res.deal.hegemon_rate, res.deal.partner_rate),
                     f"{res.deal.transfer:,.1f}",
                     _pair(res.deal.welfare_hegemon, res.deal.welfare_partner), actual_w,
                     _actual_text(row))
    console.print(war)
    console.print(deal)
    console.print(f"[dim]W: welfare change in % for {hegemon} / the partner. Rates: all-in, "
                  f"{hegemon} / partner. Pledge/yr: realised annual transfer from the partner "
                  f"in {unit}. Threat: the April 2025 rate (additional) for partners in the "
                  "bundled record, else --threat. War: alternating best responses from the "
                  "threat. Deal: Nash bargaining solution over both rates and an annual "
                  "transfer (realised pledge); actual pledges are evaluated at "
                  f"{100 * realisation:g}% realised over {pledge_years:g} years, purchases as "
                  "a demand shift.[/dim]")
    _keep(run.tables["strategy_bargain"], "bargain", inputs, out, csv, console,
          time.perf_counter() - started, run.run_id)


_PACKAGE_FIELDS = ("hegemon_rate", "partner_rate", "transfer", "welfare_hegemon",
                   "welfare_partner")


def _bargain_frame(results: list[tuple[str, float, dict[str, Any] | None, Any]]
                   ) -> pd.DataFrame:
    """One row per partner: the weight, the threat, and each package's rates, transfer and
    welfare (``threat_*``, ``war_*``, ``deal_*``, ``actual_*``; NaN without an actual deal)."""
    rows = []
    for partner, thr, row, res in results:
        rows.append({
            "partner": partner, "weight_hegemon": res.weight_hegemon, "threat": thr,
            **{f"{name}_{field}": getattr(pkg, field) if pkg is not None else math.nan
               for name, pkg in (("threat", res.threat), ("war", res.war), ("deal", res.deal),
                                 ("actual", res.actual))
               for field in _PACKAGE_FIELDS},
            "actual_deal": _actual_text(row) if row else ""})
    return pd.DataFrame(rows)


def _us_tariffs(ev: object, scenario: str) -> object:
    """The tariff matrix at the last date of ``scenario`` (on the evaluator's World)."""
    from worldorder.scenarios.timeline import simulate_timeline

    res = simulate_timeline(scenario, world=ev.world)  # type: ignore[attr-defined]
    return res.tariff_history[list(res.tariff_history)[-1]]


@strategy_app.command("coalitions")
def coalitions_cmd(
    candidates: Annotated[str, typer.Option(help="Comma-separated candidates (economies or "
                                            "groups; a group is one player).")
                          ] = "EU,JPN,KOR,CAN,GBR,AUS,MEX,CHE,NOR",
    hegemon: Annotated[str, typer.Option(help="The economy the coalition answers.")] = "USA",
    scenario: Annotated[str, typer.Option(help="Scenario whose last tariffs are the starting "
                                          "point.")] = "liberation-day-2025",
    response: Annotated[str, typer.Option(help="optimal, mirror or none.")] = "optimal",
    top: Annotated[int, typer.Option(help="Coalitions to list.")] = 10,
    workers: Annotated[int | None, typer.Option(help="Processes (default: all CPUs).")] = None,
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    preset: Annotated[str, typer.Option(help="Model preset.")] = "ignatenko2025",
    closure: Annotated[str, typer.Option(help="fixed_transfers, balanced or proportional.")
                       ] = "fixed_transfers",
    legitimacy: Annotated[str, typer.Option(
        help="The hegemon's legitimacy R with candidates, NAME=R,... (e.g. "
             "EU=0.86,JPN=0.81,CAN=0.43; 1 = baseline): members weigh the hegemon's loss by "
             "θ(1 − R^η) (docs/politics.md).")] = "",
    balancing: Annotated[float, typer.Option(help="θ, the weight on the hegemon's loss at "
                                             "zero legitimacy.")] = 1.0,
    out: Out = None,
    csv: Csv = None,
    wide: Wide = False,
    runs_dir: RunsDir = None,
) -> None:
    """Every coalition of the candidates against the hegemon: values, stability, core, Shapley.

    A coalition trades freely inside and answers the hegemon as one (``--response``); its value
    is the money-metric welfare gain of its members (with ``--legitimacy``, minus θ(1 − R) times
    the hegemon's relative gain, for each member). Exhaustive up to 12 candidates."""
    from worldorder.runs.command_run import command_run
    from worldorder.scenarios.validate import validate_scenario
    from worldorder.strategy.coalition_games import core_nonempty, least_core, shapley
    from worldorder.strategy.coalition_legitimacy import balancing_weights
    from worldorder.strategy.coalition_players import check_rule, resolve_players
    from worldorder.strategy.coalitions import coalition_outcomes, stable_coalitions

    console = make_console(wide=wide)
    _check_out(out)
    started = time.perf_counter()
    world, ev = _model(dataset, preset, closure)
    names = _codes(candidates)
    check_rule(response, "free_trade")
    resolve_players(world, names, hegemon)  # unknown names, overlaps: before any run folder
    validate_scenario(scenario, world)
    leg = _legitimacy_option(legitimacy)
    mu = balancing_weights(world, leg, [world.index(c) for c in world.expand(hegemon)],
                           theta=balancing) if leg else None
    inputs = {"candidates": names, "hegemon": hegemon, "scenario": scenario,
              "response": response, "top": top, "workers": workers, "dataset": dataset,
              "preset": preset, "closure": closure,
              "legitimacy": legitimacy or None, "balancing": balancing}
    with command_run("strategy-coalitions", world=world,
                     command=_command_line("coalitions", inputs), inputs=inputs,
                     parameters={"preset": preset, "closure": closure},
                     runs_dir=runs_dir) as run:
        with _Steps("coalitions") as step:
            step(0, 2, f"tariffs of {scenario}")
            t = _us_tariffs(ev, scenario)
            step(1, 2, f"every coalition of {len(names)} candidates")
            tab = coalition_outcomes(ev, names, hegemon, t,  # type: ignore[arg-type]
                                     response=response, workers=workers,  # type: ignore[arg-type]
                                     balancing=mu)
            step(2, 2, "done")
        stable = stable_coalitions(tab, min_size=2)
        run.add_table("strategy_coalitions", tab.frame())
        run.results.update(exhaustive=tab.exhaustive, method=tab.method, solves=tab.solves,
                           stable_coalitions=["+".join(c) for c in stable])
        if tab.exhaustive:
            game = tab.game(relative_to="status_quo")
            ok, _ = core_nonempty(game, tab.players)
            eps, _ = least_core(game, tab.players)
            sh = shapley(game, tab.players)
            run.results.update(core_nonempty=ok, least_core_epsilon=eps)
            run.add_table("strategy_shapley", pd.DataFrame(
                {"player": list(sh), "shapley_value": list(sh.values())}))
    unit = world.units.get("trade", "")
    frame = tab.frame().sort_values("surplus", ascending=False)
    cols = [("coalition", "Coalition"), ("size", "Size"), ("rate", f"Rate on\n{hegemon}"),
            ("value", "Value"), ("surplus", "Surplus"), ("welfare_pct", "Members'\nwelfare %"),
            ("hegemon_welfare_pct", f"{hegemon}\nwelfare %")]

    def build(kept: list[str]) -> Table:
        table = Table(title=f"Coalitions against {hegemon} after {scenario} ({response} "
                      f"response; {len(tab.masks)} coalitions"
                      f"{'' if tab.exhaustive else ', heuristic'}); values in {unit}",
                      title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                      pad_edge=False, collapse_padding=True)
        shown = [(c, label) for c, label in cols if c in kept]
        for c, label in shown:
            table.add_column(label, justify="left" if c == "coalition" else "right",
                             no_wrap=c != "coalition", min_width=12 if c == "coalition"
                             else None)
        for _, row in frame.head(top).iterrows():
            cells = {"coalition": str(row["coalition"]), "size": str(int(row["size"])),
                     "rate": "–" if row["rate"] != row["rate"] else f"{100 * row['rate']:.1f}%",
                     "value": f"{row['value']:,.1f}", "surplus": f"{row['surplus']:,.1f}",
                     "welfare_pct": f"{row['welfare_pct']:+.3f}",
                     "hegemon_welfare_pct": f"{row['hegemon_welfare_pct']:+.3f}"}
            table.add_row(*[cells[c] for c, _ in shown])
        return table

    table, dropped = fit_table(console, build, [c for c, _ in cols], ["size", "value"])
    console.print(table)
    if dropped:
        console.print(f"[dim]Not shown for lack of width: {', '.join(dropped)} (--wide shows "
                      "every column).[/dim]")
    console.print(f"Stable coalitions (internally and externally, size ≥ 2): "
                  f"{'; '.join('+'.join(c) for c in stable) if stable else 'none'}")
    if tab.exhaustive:
        console.print(f"Core of the TU game (worth = members' money-metric gain over the status "
                      f"quo, {unit}): "
                      f"{'non-empty' if ok else 'empty'} (least-core ε = {eps:,.3f})")
        console.print("Shapley values (" + unit + "): " +
                      ", ".join(f"{p} {v:,.2f}" for p, v in sh.items()))
    _keep(run.tables["strategy_coalitions"], "coalitions", inputs, out, csv, console,
          time.perf_counter() - started, run.run_id)


def _legitimacy_option(text: str) -> dict[str, float] | None:
    """``NAME=R,...`` as a mapping (None when empty).

    Raises:
        CoalitionError: A part that is not NAME=number.
    """
    from worldorder.strategy.coalitions import CoalitionError

    if not text.strip():
        return None
    out: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise CoalitionError(f"--legitimacy: {part.strip()!r} is not NAME=R (e.g. EU=0.86)")
    return out


@strategy_app.command("middle-powers")
def middle_powers_cmd(
    members: Annotated[str, typer.Option(help="Comma-separated middle powers.")
                       ] = "EU,JPN,KOR,CAN,GBR,AUS,MEX,CHE,NOR",
    hegemon: Annotated[str, typer.Option(help="The economy whose tariffs are given.")] = "USA",
    deal_rate: Annotated[float, typer.Option(help="All-in rate of the bilateral deals (a "
                                             "fraction: 0.15 = 15%).")] = 0.15,
    fortress: Annotated[str, typer.Option(help="everyone (a world of fortresses) or members.")
                        ] = "everyone",
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    runs_dir: Annotated[Path | None, typer.Option(help="Where the four regime runs and the "
                                                  "comparison are kept (default: "
                                                  "$WORLDORDER_RUNS, else ./runs).")] = None,
    out: Out = None,
    csv: Csv = None,
    wide: Wide = False,
) -> None:
    """Carney's comparison: subordination, fortress or coalition under the 2025 US tariffs.

    Each regime (and the status quo) is run as a scenario and kept in the run store, so that
    `worldorder report` can show and compare them."""
    from worldorder.data import load_world
    from worldorder.runs import execute_run
    from worldorder.runs.command_run import command_run
    from worldorder.scenarios.corners import corner_note, search_corners
    from worldorder.scenarios.scenario import Scenario
    from worldorder.strategy.regimes import REGIMES, regime_scenarios, regime_table

    console = make_console(wide=wide)
    _check_out(out)
    started = time.perf_counter()
    world = load_world(dataset)
    try:
        specs = regime_scenarios(_codes(members), hegemon=hegemon, deal_rate=deal_rate,
                                 dataset=dataset, fortress=fortress, world=world)
        rows = [*world.expand(_codes(members)), hegemon]
    except (KeyError, ValueError) as exc:
        raise WorldorderError(str(exc.args[0] if exc.args else exc)) from None
    last: dict[str, pd.DataFrame] = {}
    run_ids: dict[str, str] = {}
    notes: list[str] = []
    caps: dict[str, set[str]] = {}
    inputs = {"members": _codes(members), "hegemon": hegemon, "deal_rate": deal_rate,
              "fortress": fortress, "dataset": dataset}
    with command_run("strategy-middle-powers", world=world,
                     command=_command_line("middle-powers", inputs), inputs=inputs,
                     runs_dir=runs_dir) as run:
        with _Steps("regimes") as step:
            for k, (regime, data) in enumerate(specs.items()):
                step(k, len(specs), regime.replace("_", " "))
                rec = execute_run(Scenario.from_dict(data), runs_dir=runs_dir, world=world)
                dates = rec.manifest["dates"]
                econ = rec.economies()
                last[regime] = econ[econ["date"] == dates[-1]]
                run_ids[regime] = rec.run_id
                pol = rec.policies()
                found = search_corners(rec.timeline(), pol[pol["date"] == dates[-1]],
                                       world.expand)
                caps[regime] = {c.economy for c in found}
                note = corner_note(found)
                if note:
                    notes.append(f"{regime.replace('_', ' ').capitalize()}: {note}")
            step(len(specs), len(specs), "done")
        table = regime_table(last, rows)
        kept = table.rename_axis("economy").reset_index().assign(
            **{f"at_cap_{k}": [c in caps.get(k, set()) for c in table.index] for k in REGIMES},
            **{f"run_{k}": v for k, v in run_ids.items()})
        run.add_table("strategy_middle_powers", kept)
        run.results.update(regime_runs=run_ids, corner_solutions=notes)
    labels = {"status_quo": "Status quo", "subordination": "Subordin.",
              "fortress": "Fortress", "coalition": "Coalition"}
    t = Table(title=f"Welfare (%) of the middle powers under the 2025 {hegemon} tariffs (April "
              "rates)", title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
              pad_edge=False, collapse_padding=True)
    t.add_column("Economy", no_wrap=True)
    for regime in REGIMES:
        t.add_column(labels[regime], justify="right", no_wrap=True)
    t.add_column("Best", no_wrap=True)
    for code, row in table.iterrows():
        t.add_row(str(code), *[f"{row[c]:+.2f}" + ("*" if code in caps.get(c, ()) else " ")
                               for c in REGIMES],
                  labels[str(row["best"])] + ("*" if code in caps.get(str(row["best"]), ())
                                              else ""))
    console.print(t)
    if any(caps.values()):
        console.print("[yellow]* a corner solution: the economy's rate ended at the cap of "
                      "its search, so this figure depends on the cap (see below).[/yellow]")
    console.print(f"[dim]Best: the highest of the four, the status quo included. "
                  f"Subordination: bilateral deals ({100 * deal_rate:g}% all-in, no tariffs "
                  f"on {hegemon}). Fortress: autonomy tariffs on everyone, a Nash equilibrium "
                  f"({fortress}). Coalition: internal free trade and one optimal response to "
                  f"{hegemon}.[/dim]")
    for note in notes:
        console.print(f"[yellow]{note}[/yellow]")
    console.print("Regime runs: " + ", ".join(run_ids.values()) + " (compare them with "
                  f"worldorder report {run_ids['coalition']} --compare ...).", highlight=False)
    _keep(kept, "middle-powers", inputs, out, csv, console, time.perf_counter() - started,
          run.run_id)
