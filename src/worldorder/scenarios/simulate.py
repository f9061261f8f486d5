"""Running an undated scenario (or the last date of a dated one): :func:`simulate`."""

from __future__ import annotations

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
        A :class:`Result` with ``economies``, ``flows``, ``policies`` and ``solver``.

    Raises:
        ScenarioError: A malformed scenario (file, line, field).
        DataError: A malformed dataset.
        ConvergenceError: The solver did not converge.
    """
    return simulate_timeline(scenario, world=world).last
