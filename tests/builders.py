"""Builders shared by the tests (worlds live in conftest; simulations at a date here)."""

from __future__ import annotations

from worldorder.data.world import World
from worldorder.engine import Clock, Simulation
from worldorder.trade.params import resolve_params


def sim_at(world: World, date: str = "2025-06-01") -> Simulation:
    """A simulation of ``world`` (ignatenko2025 preset) stepped to ``date`` with no action
    applied, so that a test can apply actions on that date (``undated`` too)."""
    clock = Clock((date,)) if date == "undated" else Clock((date, "2999-12-31"))
    sim = Simulation(world, resolve_params(world, "ignatenko2025"), clock=clock)
    sim.step()
    return sim
