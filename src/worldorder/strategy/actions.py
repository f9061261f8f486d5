"""Scenario steps of the strategy layer: best responses and trade wars.

Registered :class:`~worldorder.scenarios.actions.Action` classes (see that module). They solve
the trade model many times from the policy state (its ``evaluator()``, built from the scenario's
model parameters), given the tariffs and trade costs in force at their step::

    - best_response: {by: USA}                                # optimal uniform tariff now
    - best_response: {by: EU, instrument: per_partner, partners: [USA, CHN]}
    - trade_war: {players: [USA, CHN, EU], targets: players}  # Nash equilibrium from here

Rates they set are whole rates (``basis: total``), and their reports go to ``state.notes``.
Optimal retaliation is ``retaliation: {rule: optimal}`` (in the scenarios' action module).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from worldorder.scenarios.actions import Action, Loc, PolicyState, named_at, register

__all__ = ["BestResponseStep", "TradeWarStep", "note_key"]


def note_key(state: PolicyState, base: str) -> str:
    """A key for ``state.notes`` that no earlier action used (the date, then a counter)."""
    key = base if state.date == "undated" else f"{base}_{state.date}"
    k, out = 2, key
    while out in state.notes:
        out, k = f"{key}_{k}", k + 1
    return out


def _join(names: str | list[str]) -> str:
    return names if isinstance(names, str) else ", ".join(names)


def _dhat(state: PolicyState) -> np.ndarray | None:
    return None if np.all(state.dhat == 1.0) else state.dhat


@register
class BestResponseStep(Action):
    """An economy or group sets its tariffs to its best response to the current state.

    The rates maximise the player's welfare (income-weighted over a group's members) given every
    other tariff and trade cost in force, solving the full equilibrium at each trial:
    ``instrument: uniform`` is one rate on every partner (or on ``partners``), ``per_partner``
    one rate per listed partner (or per economy). Rates are whole rates in [0, ``upper``].
    """

    name: ClassVar[str] = "best_response"
    summary: ClassVar[str] = "set an economy's tariffs to its best response (optimal tariff)"
    classifier: ClassVar[dict[str, Any]] = {"layer": "strategy", "priced": True,
                                            "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "Johnson (1953-54), 'Optimum Tariffs and Retaliation', Review of Economic Studies 21(2)",
        "Ossa (2014), 'Trade Wars and Trade Talks with Data', AER 104(12)",
        "Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), JIE",
    )

    by: str
    instrument: Literal["uniform", "per_partner"] = "uniform"
    partners: list[str] | None = None
    upper: float = Field(default=1.0, gt=0.0)

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + named_at(self.partners or [], ("partners",))

    def apply(self, state: PolicyState) -> None:
        from worldorder.strategy.best_response import best_response

        br = best_response(state.evaluator(), self.by, state.t, instrument=self.instrument,
                           partners=self.partners, upper=self.upper, dhat=_dhat(state))
        state.t = br.t
        state.notes[note_key(state, f"best_response_{br.player}")] = pd.DataFrame(
            [{"player": br.player, "partner": k, "rate": v, "welfare_pct": br.welfare_pct,
              "gain_pp": br.gain_pp, "converged": br.converged, "solves": br.solves}
             for k, v in br.rates.items()])

    def describe(self) -> str:
        on = f" on {_join(self.partners)}" if self.partners else ""
        kind = "per-partner" if self.instrument == "per_partner" else "uniform"
        return f"{self.by} sets its {kind} best-response tariff{on}"


@register
class TradeWarStep(Action):
    """A trade war among players, played to its Nash equilibrium from the current state.

    Players (economies, or groups acting as one) take turns setting their best-response tariff
    (one uniform rate on all imports, or on the other players only with ``targets: players``)
    until no rate moves; several starting points are tried and the convergence report, the
    equilibrium rates and welfare, and the cooperative benchmark (free trade among the players)
    are recorded in the notes. The players' tariffs are set to the equilibrium.
    """

    name: ClassVar[str] = "trade_war"
    summary: ClassVar[str] = "players' tariffs set to the Nash equilibrium of a trade war"
    classifier: ClassVar[dict[str, Any]] = {"layer": "strategy", "priced": True,
                                            "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "Ossa (2014), 'Trade Wars and Trade Talks with Data', AER 104(12)",
        "Johnson (1953-54), 'Optimum Tariffs and Retaliation', Review of Economic Studies 21(2)",
    )

    players: list[str] = Field(min_length=2)
    targets: Literal["all", "players"] = "all"
    upper: float = Field(default=1.0, gt=0.0)
    tol: float = Field(default=1e-4, gt=0.0)

    @field_validator("players")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("players must be distinct")
        return v

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.players, ("players",))

    def apply(self, state: PolicyState) -> None:
        from worldorder.strategy.nash import trade_war

        war = trade_war(state.evaluator(), self.players, t=state.t, targets=self.targets,
                        upper=self.upper, tol=self.tol, dhat=_dhat(state))
        state.t = war.t
        key = note_key(state, "trade_war")
        state.notes[key] = war.table()
        state.notes[f"{key}_convergence"] = war.convergence()

    def describe(self) -> str:
        on = "each other" if self.targets == "players" else "all imports"
        return f"trade war among {_join(self.players)} (Nash tariffs on {on})"
