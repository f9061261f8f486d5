"""``worldorder agents``: runs where states choose by doctrines, and tournaments of doctrines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from worldorder.cli.help_format import HelpGroup
from worldorder.cli.runs_cmd import RunsDir
from worldorder.errors import WorldorderError

agents_app = typer.Typer(
    cls=HelpGroup, help="States that choose by doctrines: runs and tournaments.",
    no_args_is_help=True)
console = Console()


def _names(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


SHORT = {"america_first": "am_first", "liberal_internationalist": "liberal",
         "middle_power_coalition": "coalition", "offshore_balancer": "offshore",
         "reciprocator": "recipr", "subordinate": "subord", "stabiliser": "stabil",
         "revisionist": "revision"}


def _checked(dataset: str, doctrines: dict[str, list[str]],
             middle_powers: str | None) -> tuple[Any, list[str]]:
    """The dataset and the middle powers, after every option is checked: one line naming the
    option for an unknown doctrine or economy, before any match is played."""
    from worldorder.agents.tournament import MIDDLE_POWERS
    from worldorder.data import load_world
    from worldorder.registry import DOCTRINES

    known = ", ".join(sorted(DOCTRINES))
    for option, names in doctrines.items():
        if not names:
            raise WorldorderError(f"{option}: give at least one doctrine (known: {known})")
        for name in names:
            if name not in DOCTRINES:
                raise WorldorderError(f"{option}: unknown doctrine {name!r} (known: {known})")
    world = load_world(dataset)
    powers = _names(middle_powers) if middle_powers else list(MIDDLE_POWERS)
    for code in powers:
        if code in ("USA", "CHN"):
            raise WorldorderError(f"--middle-powers: {code} plays its own doctrine (--us, "
                                  "--china), not a middle power's")
        if not world.is_known(code):
            raise WorldorderError(f"--middle-powers: unknown economy or group {code!r} in "
                                  f"dataset {world.name!r}")
    if len(set(powers)) != len(powers):
        raise WorldorderError("--middle-powers: an economy is named twice")
    return world, powers


def _command_line(command: str, inputs: dict[str, Any]) -> str:
    """The command as a user would type it again, every input spelt out."""
    parts = [f"worldorder agents {command}"]
    for key, value in inputs.items():
        text = ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"--{key.replace('_', '-')} {text}")
    return " ".join(parts)


@agents_app.command("doctrines")
def doctrines_cmd() -> None:
    """List the registered doctrines with their stance and payoff weights (welfare, security,
    legitimacy, alignment: overridable with params: {weights: {...}} in a scenario)."""
    from typing import cast

    from worldorder.agents import Doctrine
    from worldorder.agents.payoffs import COMPONENTS
    from worldorder.registry import DOCTRINES

    t = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("Doctrine", "Stance", "W/S/L/A", "Summary"):
        t.add_column(col, no_wrap=col != "Summary")
    for name in DOCTRINES:
        cls = cast("type[Doctrine]", DOCTRINES[name])
        w = cls.payoff_weights
        t.add_row(name, str(cls.classifier.get("stance", "")),
                  "/".join(f"{w.get(k, 0.0):g}" for k in COMPONENTS), cls.summary)
    console.print(t)
    console.print("W/S/L/A: payoff weights of welfare, security, legitimacy and alignment "
                  "(worldorder.agents.payoffs); a scenario overrides them with params: "
                  "{weights: {security: 0.5}}.")


@agents_app.command("run")
def run_cmd(
    scenario: Annotated[str, typer.Argument(help="Scenario file or bundled name with a "
                                                 "layers: {agents: ...} section.")],
    runs_dir: Annotated[Path | None, typer.Option(help="Where runs are kept (default: "
                                                       "$WORLDORDER_RUNS or ./runs).")] = None,
) -> None:
    """Run a scenario whose states choose by doctrines; show who chose what, and why, and each
    agent's welfare by date. The run is kept like any other (worldorder runs, report)."""
    from worldorder.runs import execute_run
    from worldorder.scenarios import load_scenario

    sc = load_scenario(scenario)
    if not (sc.layers.get("agents") or {}).get("agents"):
        raise typer.BadParameter(f"{scenario}: no agents (add layers: {{agents: {{agents: "
                                 "{USA: {doctrine: america_first}}}}})")
    rec = execute_run(sc, runs_dir=runs_dir, progress=True)
    choices = rec.table("agent_choices")
    t = Table(title="Choices", header_style="bold")
    for col in ("Date", "Agent", "Action", "Reason"):
        t.add_column(col, overflow="fold")
    for r in choices.itertuples():
        t.add_row(str(r.date), str(r.agent), str(r.action), str(r.reason))
    console.print(t)
    pay = rec.table("agent_payoffs")
    first, last = pay["date"].min(), pay["date"].max()
    p = Table(title="Welfare of each agent (% change against the baseline)",
              header_style="bold")
    for col in ("Agent", "Doctrine", first, last, "Lowest", "Highest"):
        p.add_column(col, justify="left" if col in ("Agent", "Doctrine") else "right")
    for agent, sub in pay.groupby("agent", sort=False):
        w = sub.set_index("date")["welfare_pct"]
        p.add_row(str(agent), str(sub["doctrine"].iloc[0]), f"{w[first]:.2f}",
                  f"{w[last]:.2f}", f"{w.min():.2f}", f"{w.max():.2f}")
    console.print(p)
    if "payoff" in pay.columns:
        end = pay[pay["date"] == last]
        c = Table(title=f"Payoff and its components on {last}", header_style="bold")
        for col in ("Agent", "Welfare %", "Security %", "Legit. %", "Allies %", "Align.",
                    "Payoff"):
            c.add_column(col, justify="left" if col == "Agent" else "right")

        def f(x: float, digits: int = 2) -> str:
            return "" if x != x else f"{x:.{digits}f}"

        for r in end.itertuples():
            c.add_row(str(r.agent), f(r.welfare_pct), f(r.security_pct, 1),
                      f(r.legitimacy_pct, 1), f(r.legitimacy_allies_pct, 1),
                      f(r.alignment_pts, 1), f(r.payoff))
        console.print(c)
        console.print("Payoff = the doctrine's weights times welfare, security (capability "
                      "against threat), legitimacy (with everyone; Allies %: with its allies) "
                      "and alignment (points of others' positions towards it); blank: not "
                      "defined for the agent (worldorder agents doctrines lists the weights).")
    console.print(f"Run kept as {rec.run_id}.", soft_wrap=True)


@agents_app.command("tournament")
def tournament_cmd(
    us: Annotated[str, typer.Option(help="US doctrines (comma-separated).")
                  ] = "america_first,liberal_internationalist,reciprocator",
    china: Annotated[str, typer.Option(help="Chinese doctrines.")
                     ] = "reciprocator,stabiliser",
    middle: Annotated[str, typer.Option(help="Middle powers' doctrines.")
                      ] = "middle_power_coalition,subordinate,hedger,fortress",
    periods: Annotated[int, typer.Option(min=1, help="Years per match.")] = 5,
    seeds: Annotated[str, typer.Option(help="Seeds (comma-separated).")] = "0",
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    middle_powers: Annotated[str | None, typer.Option(
        help="The middle powers (comma-separated; default: EU, GBR, CAN, JPN, KOR, AUS, MEX, "
             "IND, BRA, IDN).")] = None,
    csv: Annotated[Path | None, typer.Option(help="Also write the table as CSV.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes (results do not depend on "
                                                    "it).")] = 1,
    runs_dir: RunsDir = None,
) -> None:
    """Round robin of doctrines: every US, Chinese and middle-power doctrine against each
    other; each player's welfare (W, %), security (S, %) and legitimacy (L, %) after the last
    period, against the baseline, and the rules-based-order index (RBO); the CSV has every
    column (alignment, payoffs, the middle powers' security, seeds). The table is kept as a
    run (worldorder runs sql "select * from agents_tournament")."""
    from worldorder.agents.tournament import round_robin
    from worldorder.cli.strategy_cmd import _Steps
    from worldorder.runs.command_run import command_run

    us_, china_, middle_ = _names(us), _names(china), _names(middle)
    try:
        seed_list = [int(s) for s in _names(seeds)]
    except ValueError:
        raise WorldorderError(f"--seeds {seeds!r}: give whole numbers, e.g. 0,1,2") from None
    if not seed_list:
        raise WorldorderError("--seeds: give at least one seed, e.g. 0")
    world, powers = _checked(dataset, {"--us": us_, "--china": china_, "--middle": middle_},
                             middle_powers)
    inputs = {"us": us_, "china": china_, "middle": middle_, "periods": periods,
              "seeds": seed_list, "dataset": dataset, "middle_powers": powers}
    with command_run("agents-tournament", world=world,
                     command=_command_line("tournament", inputs), inputs=inputs,
                     runs_dir=runs_dir) as run:
        with _Steps("tournament") as steps:
            table = round_robin(us_, china_, middle_, periods=periods, seeds=seed_list,
                                dataset=dataset, middle_powers=powers, workers=workers,
                                progress=steps)
        run.add_table("agents_tournament", table)
    if csv is not None:
        table.to_csv(csv, index=False)
    t = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    cols = ("US", "China", "Middle", "US W", "US S", "US L", "CN W", "MP W", "RBO")
    for col in cols:
        t.add_column(col, no_wrap=True, justify="left" if col in cols[:3] else "right")
    short = SHORT
    for r in table.groupby(["us", "china", "middle"], sort=False).mean(numeric_only=True
                                                                       ).reset_index(
                                                                       ).itertuples():
        t.add_row(short.get(r.us, r.us), short.get(r.china, r.china),
                  short.get(r.middle, r.middle), f"{r.usa_welfare:.2f}",
                  f"{r.usa_security:.1f}", f"{r.usa_legitimacy:.1f}", f"{r.chn_welfare:.2f}",
                  f"{r.middle_welfare:.2f}", f"{r.order_index:.3f}")
    console.print(t)
    console.print("W welfare, S security, L legitimacy (% against the baseline, after the last "
                  "period; means over seeds); MP the middle powers (GDP-weighted); RBO the "
                  "rules-based-order index at the end.")
    console.print(f"Kept as run {run.run_id}.", soft_wrap=True)


@agents_app.command("ecological")
def ecological_cmd(
    us: Annotated[str, typer.Option(help="The US doctrine.")] = "america_first",
    china: Annotated[str, typer.Option(help="The Chinese doctrine.")] = "reciprocator",
    middle: Annotated[str, typer.Option(help="Middle powers' doctrines that compete "
                                             "(comma-separated).")
                      ] = "middle_power_coalition,subordinate,hedger,fortress",
    generations: Annotated[int, typer.Option(min=1, help="Generations (one simulation "
                                                         "each).")] = 10,
    periods: Annotated[int, typer.Option(min=1, help="Years per simulation.")] = 5,
    selection: Annotated[float, typer.Option(min=0.0, help="Selection strength s of the "
                                                           "replicator equation.")] = 1.0,
    fitness: Annotated[str, typer.Option(help="welfare (% change, common to every doctrine) "
                                              "or payoff (each doctrine's own).")
                       ] = "welfare",
    seed: Annotated[int, typer.Option(help="Seed of the simulations.")] = 0,
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    middle_powers: Annotated[str | None, typer.Option(
        help="The middle powers (comma-separated; default: EU, GBR, CAN, JPN, KOR, AUS, MEX, "
             "IND, BRA, IDN).")] = None,
    csv: Annotated[Path | None, typer.Option(help="Also write the table as CSV.")] = None,
    runs_dir: RunsDir = None,
) -> None:
    """Ecological tournament (Axelrod): the middle powers' doctrines start with equal shares;
    each generation assigns them to the middle powers by share, runs one simulation against
    the US and Chinese doctrines, and grows each share by the replicator equation
    x' = x (1 + s (f - mean f)), f a doctrine's fitness (its followers' mean welfare change).
    Prints each doctrine's share and fitness by generation; the table is kept as a run."""
    from worldorder.agents.tournament import ecological
    from worldorder.cli.strategy_cmd import _Steps
    from worldorder.runs.command_run import command_run

    if fitness not in ("welfare", "payoff"):
        raise WorldorderError(f"--fitness {fitness!r}: choose welfare or payoff")
    middle_ = _names(middle)
    if len(set(middle_)) != len(middle_):
        raise WorldorderError("--middle: a doctrine is named twice")
    world, powers = _checked(dataset, {"--us": [us], "--china": [china], "--middle": middle_},
                             middle_powers)
    inputs = {"us": us, "china": china, "middle": middle_, "generations": generations,
              "periods": periods, "selection": selection, "fitness": fitness, "seed": seed,
              "dataset": dataset, "middle_powers": powers}
    with command_run("agents-ecological", world=world,
                     command=_command_line("ecological", inputs), inputs=inputs,
                     runs_dir=runs_dir) as run:
        with _Steps("ecological") as steps:
            table = ecological(us, china, middle_, generations=generations, periods=periods,
                               selection=selection, seed=seed,
                               fitness="payoff" if fitness == "payoff" else "welfare",
                               dataset=dataset, middle_powers=powers, progress=steps)
        run.add_table("agents_ecological", table)
    if csv is not None:
        table.to_csv(csv, index=False)
    t = Table(title=f"Shares of the middle powers' doctrines (%) and their fitness ({fitness}"
              f"{' %' if fitness == 'welfare' else ''}) against {SHORT.get(us, us)} (USA) and "
              f"{SHORT.get(china, china)} (CHN)", title_justify="left", header_style="bold",
              box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("Gen.", justify="right")
    for d in middle_:
        t.add_column(SHORT.get(d, d), justify="right", no_wrap=True)
    for g, sub in table.groupby("generation", sort=True):
        by = sub.set_index("doctrine")
        t.add_row(str(g), *[f"{100 * by.loc[d, 'share']:5.1f}"
                            + ("" if by.loc[d, "payoff"] != by.loc[d, "payoff"]
                               else f" {by.loc[d, 'payoff']:+.2f}") for d in middle_])
    console.print(t)
    final = table[table["generation"] == generations].sort_values("share", ascending=False)
    console.print("After {} generation{}: {}. Each cell: share at the start of the generation "
                  "and the fitness of its followers in that generation's simulation (none: "
                  "no middle power followed it); the last row is the shares the replicator "
                  "equation gives after the last one.".format(
                      generations, "s" if generations > 1 else "",
                      ", ".join(f"{SHORT.get(d, d)} {100 * x:.1f}%"
                                for d, x in zip(final["doctrine"], final["share"],
                                                strict=True))))
    console.print(f"Kept as run {run.run_id}.", soft_wrap=True)
