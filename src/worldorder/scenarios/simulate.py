"""Running an undated scenario (or the last date of a dated one): :func:`simulate`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from worldorder.data.world import World
from worldorder.scenarios.result import Result
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import simulate_timeline

__all__ = ["Result", "simulate"]


def simulate(scenario: Scenario | str | Path, *, world: World | None = None) -> Result:
    """Run a scenario: apply its policies and solve the general equilibrium.

    For a dated scenario (``steps``) this is the result at its last solved date; use
    :func:`~worldorder.scenarios.timeline.simulate_timeline` for every date.

    Args:
        scenario: A :class:`Scenario`, a scenario file or a bundled scenario name.
        world: Use this World instead of the scenario's ``dataset``.

    Returns:
        A :class:`Result` with ``economies``, ``flows``, ``policies`` and ``solver``; its
        ``warnings`` are every warning of the run (the last date's, then those of earlier dates
        and of the engine and its layers, e.g. a layer's parameter that the dataset cannot
        use), as ``worldorder run`` prints them.

    Raises:
        ScenarioError: A malformed scenario (file, line, field).
        DataError: A malformed dataset.
        ConvergenceError: The solver did not converge.
    """
    timeline = simulate_timeline(scenario, world=world)
    last = timeline.last
    return replace(last, warnings=list(dict.fromkeys([*last.warnings, *timeline.warnings])))
