"""Running a scenario: a :class:`~worldorder.engine.Simulation` built from it, stepped over its
dates.

:func:`build_simulation` turns a scenario into a simulation (its dataset, model parameters,
actions with their provenance, clock and seed); :func:`simulate_timeline` runs it and returns
every date's result and every recorded table (``docs/run-format.md``).
"""

from __future__ import annotations

from pathlib import Path

from worldorder.data.world import World
from worldorder.engine.clock import UNDATED
from worldorder.engine.layers.politics import PoliticalState
from worldorder.engine.layers.trade import STEP_COLUMNS, TradeLayer, TradeState
from worldorder.engine.simulation import Progress, Simulation
from worldorder.errors import EngineError
from worldorder.scenarios.result import Result, TimelineResult
from worldorder.scenarios.scenario import Scenario, load_scenario
from worldorder.scenarios.validate import check_scenario

__all__ = ["STEP_COLUMNS", "UNDATED", "TimelineResult", "build_simulation", "simulate_timeline"]


def build_simulation(scenario: Scenario | str | Path, *, world: World | None = None,
                     layers: list[str] | None = None) -> Simulation:
    """A :class:`~worldorder.engine.Simulation` for a scenario, checked before anything runs.

    Args:
        scenario: A :class:`Scenario`, a file or a bundled name.
        world: Use this World instead of the scenario's dataset.
        layers: Registered layers to run (default: all).

    Raises:
        ScenarioError: Unknown economies, groups, organisations or model parameters, located
            by file, line, field (and step and date).
        DataError: The dataset cannot be read.
    """
    checked = check_scenario(scenario, world)
    scenario = checked.scenario
    try:
        return Simulation(checked.world, checked.params, schedule=scenario.schedule(),
                          seed=scenario.seed, clock=scenario.make_clock(), layers=layers,
                          config=checked.layer_config)
    except EngineError as exc:  # a layer's parameters that do not fit the dataset
        raise scenario.error(("layers",), str(exc)) from None


def timeline_result(scenario: Scenario, sim: Simulation) -> TimelineResult:
    """Package a finished simulation of ``scenario`` as a :class:`TimelineResult`."""
    trade = sim.layer("trade")
    assert isinstance(trade, TradeLayer)
    results = {date: Result(scenario=scenario, world=sim.world, params=sim.params,
                            outcome=sol.outcome, policies=sol.policies, notes=sol.notes,
                            solver=dict(sol.solver), warnings=list(sol.warnings))
               for date, sol in trade.solutions.items()}
    warnings = list(dict.fromkeys(w for r in results.values() for w in r.warnings))
    warnings += [w for w in sim.warnings if w not in warnings]
    try:
        political: PoliticalState | None = sim.get(PoliticalState)
    except Exception:  # a run without the politics layer
        political = None
    return TimelineResult(scenario=scenario, world=sim.world, params=sim.params,
                          results=results, tables=sim.tables(),
                          schemas=dict(sim.recorder.schemas), warnings=warnings,
                          political=political, tariff_history=dict(sim.get(TradeState).history),
                          notes=dict(sim.notes))


def simulate_timeline(scenario: Scenario | str | Path, *, world: World | None = None,
                      progress: Progress | None = None) -> TimelineResult:
    """Run a scenario date by date.

    Steps are applied cumulatively in date order; the equilibrium is solved at every date on
    which the tariffs or trade costs changed (warm-started from the previous date), always
    relative to the original baseline; every other registered layer updates on every date. A
    date whose actions the trade model does not price is kept on the timeline without a solve.
    If nothing is ever priced, the last date is solved (a zero shock) so that every run has
    results.

    Args:
        scenario: A :class:`Scenario`, a file or a bundled name.
        world: Use this World instead of the scenario's dataset.
        progress: Called as ``progress(done, total, date)`` after each date.

    Raises:
        ScenarioError: Unknown economies or organisations, or an action that cannot apply,
            located by file, line, field, step index and date.
        DataError, ConvergenceError: A malformed dataset; a solver failure.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    sim = build_simulation(scenario, world=world)
    sim.run(progress)
    return timeline_result(scenario, sim)
