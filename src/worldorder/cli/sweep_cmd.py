"""``worldorder sweep`` and ``worldorder sensitivity``: results with their uncertainty.

``sweep`` solves a scenario over drawn or gridded parameters and noisy data
(:mod:`worldorder.sweeps`), on this process for small sweeps and on a Dask cluster for large
ones, keeps the samples in the run store and prints bands; ``sensitivity`` varies ε, κ and ψ one
at a time at a few values each and prints one table.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from worldorder.cli.columns import fmt
from worldorder.cli.console import fit_table, make_console
from worldorder.errors import SweepError

__all__ = ["print_sweep_summary", "sensitivity", "sweep"]

#: Samples from which ``sweep`` uses every CPU (a Dask local cluster) unless --workers says.
PARALLEL_FROM = 200

#: Values of ``sensitivity``: ε as in the issue's example (2, 4, 8), κ from none to twice the
#: preset's 0.5, ψ from none to near ψε = 1 at ε = 4 (0.1675 = 0.67/4 is the preset's).
SENSITIVITY_VALUES = {"epsilon": "2,4,8", "kappa": "0,0.5,1", "psi": "0,0.1675,0.24"}

OUTCOME_LABELS = {"welfare_pct": "welfare", "real_wage_pct": "real wage",
                  "employment_pct": "employment", "price_index_pct": "prices",
                  "exports_to_gdp_pct": "exports/GDP", "imports_to_gdp_pct": "imports/GDP",
                  "tariff_revenue_pct_gdp": "tariff revenue (% GDP)",
                  "deficit_change_pp_gdp": "deficit (pp of GDP)"}


def _codes(text: str | None) -> list[str]:
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def _check_outcome(outcome: str) -> None:
    from worldorder.sweeps.solve import OUTCOMES

    if outcome not in OUTCOMES:
        raise SweepError(f"--outcome {outcome!r}: choose from {', '.join(OUTCOMES)}")


def _band_table(console: Console, title: str, rows: pd.DataFrame, outcome: str,
                central: dict[str, float]) -> Table:
    def build(kept: list[str]) -> Table:
        t = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                  pad_edge=False, collapse_padding=True)
        t.add_column("Code", no_wrap=True)
        if "name" in kept:
            t.add_column("Name", no_wrap=True, max_width=18, overflow="ellipsis")
        if "central" in kept:
            t.add_column("Scenario", justify="right")
        for label in ("5%", "Median", "95%"):
            t.add_column(label, justify="right")
        if "width" in kept:
            t.add_column("Width", justify="right")
        for _, r in rows.iterrows():
            lo, mid, hi = (r[f"{outcome}_p{q}"] for q in (5, 50, 95))
            style = "green" if lo > 0 else "red" if hi < 0 else ""
            cells = [str(r["economy"]), *([str(r.get("name", ""))] if "name" in kept else []),
                     *([fmt(central.get(r["economy"]), 2, sign=True)]
                       if "central" in kept else []),
                     fmt(lo, 2, sign=True), fmt(mid, 2, sign=True), fmt(hi, 2, sign=True),
                     *([fmt(hi - lo, 2)] if "width" in kept else [])]
            t.add_row(*cells, style=style)
        return t

    table, _ = fit_table(console, build, ["name", "central", "width"],
                         ["name", "width", "central"])
    return table


def _tornado_table(console: Console, frame: pd.DataFrame, economy: str, outcome: str
                   ) -> Table:
    t = Table(title=f"What moves {economy}'s {OUTCOME_LABELS.get(outcome, outcome)} most",
              title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
              collapse_padding=True)
    for label, just in (("Parameter", "left"), ("Low", "right"), ("High", "right"),
                        ("At low", "right"), ("At high", "right"), ("Swing", "right"),
                        ("Rank corr.", "right")):
        t.add_column(label, justify=just, no_wrap=True)  # type: ignore[arg-type]
    for _, r in frame.iterrows():
        t.add_row(str(r["parameter"]), f"{r['low']:.3g}", f"{r['high']:.3g}",
                  fmt(r["outcome_low"], 2, sign=True), fmt(r["outcome_high"], 2, sign=True),
                  fmt(r["swing"], 2, sign=True), fmt(r["spearman"], 2, sign=True))
    return t


def print_sweep_summary(console: Console, rec: Any, economies: list[str] | None = None,
                        outcome: str = "welfare_pct", top: int = 8) -> None:
    """Bands (5%, median, 95%) of ``outcome`` for some economies and, with more than one
    parameter, the tornado ranking for the first of them."""
    from worldorder.cli.run_output import imposers_at
    from worldorder.sweeps.bands import bands, tornado
    from worldorder.sweeps.run import ECONOMIES, SAMPLES, read_sweep

    sweep = rec.manifest.get("sweep") or {}
    samples = read_sweep(rec.path, SAMPLES)
    econ = read_sweep(rec.path, ECONOMIES)
    failed = int((samples["status"] != "ok").sum())
    params = "; ".join([*(sweep.get("params") or []), *(sweep.get("noise") or [])])
    console.print(f"Sweep      {len(samples):,} samples ({failed:,} failed), seed "
                  f"{sweep.get('seed')}, {params}; {sweep.get('path', '')}", highlight=False)
    if failed:
        first = samples.loc[samples["status"] != "ok", "reason"].iloc[0]
        console.print(f"[yellow]first failure:[/yellow] {first}", highlight=False)
    if econ.empty:
        return
    band = bands(econ, [outcome])
    names = {}
    central: dict[str, float] = {}
    try:
        base = rec.economies()
        last = base[base["date"] == base["date"].iloc[-1]]
        names = dict(zip(last["economy"], last["name"], strict=True))
        central = dict(zip(last["economy"], last[outcome], strict=True))
    except Exception:  # a run whose central tables cannot be read: bands alone
        pass
    band["name"] = band["economy"].map(names).fillna("")
    chosen = list(economies or [])
    unknown = [c for c in chosen if c not in set(band["economy"])]
    if unknown:
        raise SweepError(f"--economies: {unknown[0]!r} is not an economy of this sweep")
    if not chosen:
        try:
            chosen = imposers_at(rec, rec.dates[-1])[:2]
        except Exception:
            chosen = []
        order = band.reindex(band[f"{outcome}_p50"].abs().sort_values(ascending=False).index)
        chosen += [c for c in order["economy"] if c not in chosen]
        chosen = chosen[:top]
    rows = band.set_index("economy").loc[chosen].reset_index()
    label = OUTCOME_LABELS.get(outcome, outcome)
    console.print(_band_table(console, f"{label.capitalize()}, % change: 5-95% band over "
                              f"{len(samples) - failed:,} samples", rows, outcome, central))
    columns = [c for c in (sweep.get("columns") or []) if c in samples.columns]
    if columns:
        tor = tornado(samples[samples["status"] == "ok"], econ, columns, chosen[0], outcome)
        if len(tor):
            console.print(_tornado_table(console, tor, chosen[0], outcome))
            console.print("[dim]Low/High: the parameter's bottom and top deciles (grid: its "
                          "lowest and highest value); At low/high: median outcome there; "
                          "Rank corr.: Spearman.[/dim]")


def _executor(workers: int | None, scheduler: str | None, total: int) -> tuple[Any, str]:
    from worldorder.executor import SerialExecutor, available_cpus, get_executor
    from worldorder.sweeps.dask_backend import DaskExecutor, register

    register()
    if scheduler:
        return DaskExecutor(1, scheduler=scheduler), "dask"
    n = workers if workers is not None else (available_cpus() if total >= PARALLEL_FROM
                                             else 1)
    if n < 1:
        raise SweepError(f"--workers {n}: give at least 1")
    if n == 1:
        return SerialExecutor(), "serial"
    return get_executor(n, backend="dask"), "dask"


def sweep(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled scenario name.")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="NAME=DIST or NAME[ECONOMY]=DIST: uniform(a,b), loguniform(a,b), "
        "normal(m,sd), triangular(l,m,h), choice(...), grid(...) or a,b,c. Repeatable.")
    ] = None,
    noise: Annotated[list[str] | None, typer.Option(
        "--noise", help="flows=lognormal(SIGMA) or gdp=lognormal(SIGMA): mean-one "
        "multiplicative noise on the data. Repeatable.")] = None,
    samples: Annotated[int | None, typer.Option(
        help="Samples (per grid point when there are grids; default 100, or 1 with grids "
        "only).")] = None,
    seed: Annotated[int, typer.Option(help="Seed of every draw.")] = 0,
    workers: Annotated[int | None, typer.Option(
        help="Dask worker processes of a local cluster (1: this process). Default: every "
        f"CPU from {PARALLEL_FROM} samples, else 1.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Address of an existing Dask scheduler (tcp://host:8786) instead of a local "
        "cluster.")] = None,
    resume: Annotated[str | None, typer.Option(
        help="Continue this stopped sweep run (same options).")] = None,
    fresh: Annotated[bool, typer.Option(
        "--fresh", help="Start a new run even if a stopped run of the same sweep exists "
        "(by default it is continued).")] = False,
    economies: Annotated[str | None, typer.Option(
        help="Economies to show, comma-separated (default: the imposers and the largest "
        "changes).")] = None,
    outcome: Annotated[str, typer.Option(help="Outcome to show.")] = "welfare_pct",
    runs_dir: Annotated[Path | None, typer.Option(
        help="Where runs are kept (default: $WORLDORDER_RUNS or ./runs).")] = None,
) -> None:
    """Solve a scenario over uncertain parameters and data; keep the samples; print bands.

    Sample i's draws depend only on --seed and i, so results are the same with any number of
    workers. A sweep that stops is continued by running the same command again."""
    from worldorder.runs.progress import RunProgress
    from worldorder.scenarios.validate import validate_scenario
    from worldorder.sweeps.design import Design
    from worldorder.sweeps.run import execute_sweep
    from worldorder.sweeps.spec import parse_noise, parse_param

    _check_outcome(outcome)
    sc, world = validate_scenario(scenario)
    specs = tuple(parse_param(p, world) for p in (param or []))
    noises = tuple(parse_noise(n) for n in (noise or []))
    if not specs and not noises:
        raise SweepError("give at least one --param or --noise, e.g. "
                         "--param 'epsilon=uniform(3,8)'")
    random = bool(noises) or any(p.dist.is_random for p in specs)
    if samples is not None and samples < 1:
        raise SweepError(f"--samples {samples}: give at least 1")
    per_point = samples if samples is not None else (100 if random else 1)
    if not random and per_point > 1:
        raise SweepError("--samples: nothing is drawn (only grids and fixed values), so "
                         "every sample would be the same; leave --samples out")
    design = Design(params=specs, noise=noises, per_point=per_point, seed=seed)
    executor, backend = _executor(workers, scheduler, design.total)
    out = make_console()
    start = time.perf_counter()
    try:
        with RunProgress(f"sweep {sc.name}") as bar:
            rec = execute_sweep(sc, design, world=world, runs_dir=runs_dir, executor=executor,
                                resume=resume, fresh=fresh, progress=bar, backend=backend)
    finally:
        executor.close()
    took = time.perf_counter() - start
    sweep_info = rec.manifest.get("sweep") or {}
    how = f"{executor.workers} Dask workers" if backend == "dask" else "this process"
    resumed = sweep_info.get("solved_now", design.total) < design.total
    out.print(f"[bold]{sc.name}[/bold] on [bold]{world.name}[/bold] ({world.n} economies): "
              f"{design.total:,} samples, {took:.1f} s, {how}"
              + (f" ({sweep_info.get('solved_now')} solved now, the rest resumed)"
                 if resumed else ""), highlight=False)
    print_sweep_summary(out, rec, _codes(economies), outcome)
    out.print(f"Run {rec.run_id}\n[dim]'worldorder report {rec.run_id}' shows the "
              "bands; 'worldorder runs sql \"select * from sweep_economies\"' queries the "
              "samples.[/dim]", highlight=False)


def sensitivity(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled scenario name.")],
    epsilon: Annotated[str, typer.Option(help="Values of epsilon.")] =
        SENSITIVITY_VALUES["epsilon"],
    kappa: Annotated[str, typer.Option(help="Values of kappa.")] = SENSITIVITY_VALUES["kappa"],
    psi: Annotated[str, typer.Option(help="Values of psi.")] = SENSITIVITY_VALUES["psi"],
    economies: Annotated[str | None, typer.Option(
        help="Economies, comma-separated (default: the imposers, then the largest "
        "changes, as many as fit).")] = None,
    outcome: Annotated[str, typer.Option(help="Outcome to show.")] = "welfare_pct",
    wide: Annotated[bool, typer.Option("--wide", help="Show every economy asked for even "
                                       "beyond the terminal's width.")] = False,
) -> None:
    """Vary epsilon, kappa and psi one at a time (the others as in the scenario) and print
    one table of an outcome per economy."""
    from worldorder.runs.imposers import rank_imposers
    from worldorder.scenarios.timeline import simulate_timeline
    from worldorder.scenarios.validate import validate_scenario
    from worldorder.sweeps.design import Design
    from worldorder.sweeps.solve import Plan, solve_chunk
    from worldorder.sweeps.spec import parse_param

    _check_outcome(outcome)
    sc, world = validate_scenario(scenario)
    rows: list[dict[str, Any]] = []
    timeline = simulate_timeline(sc, world=world)
    central = timeline.last.economies
    flows = timeline.tables.get("flows")
    imposing = ([str(c) for c in rank_imposers(flows, timeline.dates[-1])["imposer"]]
                if flows is not None and not flows.empty else [])
    for name, values in (("epsilon", epsilon), ("kappa", kappa), ("psi", psi)):
        spec = parse_param(f"{name}=grid({values})", world)
        design = Design(params=(spec,), per_point=1)
        plan = Plan.make(sc, world, design)
        smp, econ = solve_chunk(plan, list(range(design.total)))
        for _, s in smp.iterrows():
            got = econ[econ["sample"] == s["sample"]].set_index("economy")[outcome]
            rows.append({"parameter": name, "value": s[name], "status": s["status"],
                         "reason": s["reason"], **got.to_dict()})
    out = make_console(wide=wide)
    chosen = _codes(economies)
    for c in chosen:
        if c not in world.codes:
            raise SweepError(f"--economies: {c!r} is not an economy of {world.name}")
    if not chosen:
        order = central.reindex(central[outcome].abs().sort_values(ascending=False).index)
        chosen = list(dict.fromkeys([*imposing[:2], *order["economy"]]))
    base = dict(zip(central["economy"], central[outcome], strict=True))

    def build(kept: list[str]) -> Table:
        t = Table(title=f"{OUTCOME_LABELS.get(outcome, outcome).capitalize()}, % change, "
                  f"{sc.name} on {world.name}", title_justify="left", header_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        t.add_column("Parameter", no_wrap=True)
        t.add_column("Value", justify="right", no_wrap=True)
        for c in kept:
            t.add_column(c, justify="right", no_wrap=True)
        t.add_row("scenario", "", *[fmt(base.get(c), 2, sign=True) for c in kept],
                  style="bold")
        for r in rows:
            if r["status"] != "ok":
                t.add_row(r["parameter"], f"{r['value']:g}", *(["failed"] * len(kept)))
                continue
            t.add_row(r["parameter"], f"{r['value']:g}",
                      *[fmt(r.get(c), 2, sign=True) for c in kept])
        return t

    keep = chosen if wide or economies else chosen[:12]
    table, _ = fit_table(out, build, keep, list(reversed(keep[1:])))
    out.print(table)
    failed = [r for r in rows if r["status"] != "ok"]
    for r in failed:
        out.print(f"[yellow]{r['parameter']}={r['value']:g} failed:[/yellow] {r['reason']}",
                  highlight=False, soft_wrap=True)
    out.print("[dim]Each row changes one parameter for every economy, the others as in the "
              "scenario (under ignatenko2025, psi follows 0.67/epsilon unless set).[/dim]")
