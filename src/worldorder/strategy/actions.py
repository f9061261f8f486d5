"""Scenario steps of the strategy layer: best responses and trade wars.

Registered :class:`~worldorder.engine.action.Action` classes (see that module). They solve the
trade model many times (the simulation's ``evaluator()``, built from the scenario's model
parameters), given the tariffs and trade costs in force at their step::

    - best_response: {by: USA}                                # optimal uniform tariff now
    - best_response: {by: EU, instrument: per_partner, partners: [USA, CHN]}
    - trade_war: {players: [USA, CHN, EU], targets: players}  # Nash equilibrium from here

    - retaliation: {by: all, against: USA}                    # mirror the US surcharges
    - retaliation: {by: [EU], against: USA, rule: optimal}    # the EU's optimal common rate

Rates they set are whole rates (``basis: total``), and their reports are kept as notes
(``sim.note``), recorded in the run's ``note_<kind>`` tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import pandas as pd
from pydantic import Field, field_validator, model_validator

from worldorder.engine.action import Action, Classifier, Loc, Names, join_names, named_at, register
from worldorder.engine.layers.trade import TradeState
from worldorder.strategy.best_response import best_response
from worldorder.strategy.closed_form import best_response_closed_form
from worldorder.strategy.nash import trade_war
from worldorder.strategy.retaliation import optimal_retaliation
from worldorder.trade.instruments import MAX_RATE, apply_change, mirror_retaliation

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["BestResponseStep", "Retaliation", "TradeWarStep", "edge_warning"]


def edge_warning(what: str, rate: float | None) -> str:
    """The warning for a search whose best rate is the last with an equilibrium: welfare rose
    up to the edge of the model's domain (:attr:`ScalarMaximum.at_edge
    <worldorder.numerics.ScalarMaximum>`), so the edge, not an interior optimum, sets it."""
    return (f"{what}: the best rate, {100 * (rate or 0.0):,.1f}%, is the highest with a valid "
            "equilibrium (above it some economy's real income would turn negative, or no "
            "equilibrium exists): welfare rises up to where the model breaks, so that edge, not "
            "an interior optimum, sets the rate; closure: balanced or a lower 'upper' gives a "
            "rate the model supports")


@register
class BestResponseStep(Action):
    """An economy or group sets its tariffs to its best response to the current state.

    The rates maximise the player's welfare (income-weighted over a group's members) given every
    other tariff and trade cost in force, solving the full equilibrium at each trial:
    ``instrument: uniform`` is one rate on every partner (or on ``partners``), ``per_partner``
    one rate per listed partner (or per economy). Rates are whole rates in [0, ``upper``].

    ``method: numerical`` (default) searches as above; ``method: closed_form`` (uniform
    instrument only) sets the closed-form optimal tariff t* = 1/((1 + δε)φ − 1) of Ignatenko et
    al. (2025), of the two-region aggregate for a group or listed partners, without a search
    (:mod:`worldorder.strategy.closed_form`).
    """

    name: ClassVar[str] = "best_response"
    summary: ClassVar[str] = "set an economy's tariffs to its best response (optimal tariff)"
    classifier: ClassVar[Classifier] = {"layer": "strategy", "priced": True,
                                            "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "Johnson (1953-54), 'Optimum Tariffs and Retaliation', Review of Economic Studies 21(2)",
        "Ossa (2014), 'Trade Wars and Trade Talks with Data', AER 104(12)",
        "Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), JIE",
    )

    by: str
    instrument: Literal["uniform", "per_partner"] = "uniform"
    partners: list[str] | None = None
    upper: float = Field(default=1.0, gt=0.0, le=MAX_RATE)
    method: Literal["numerical", "closed_form"] = "numerical"

    @model_validator(mode="after")
    def _closed_form_is_uniform(self) -> BestResponseStep:
        if self.method == "closed_form" and self.instrument != "uniform":
            raise ValueError("method: closed_form is a uniform rate; use instrument: uniform")
        return self

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + named_at(self.partners or [], ("partners",))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        if self.method == "closed_form":
            br = best_response_closed_form(sim.evaluator(), self.by, state.t,
                                           partners=self.partners, dhat=state.dhat_or_none())
        else:
            br = best_response(sim.evaluator(), self.by, state.t, instrument=self.instrument,
                               partners=self.partners, upper=self.upper,
                               dhat=state.dhat_or_none())
        state.t = br.t
        if br.at_edge:
            sim.warnings.append(edge_warning(f"best_response of {br.player}", br.rate))
        sim.note("best_response", pd.DataFrame(
            [{"player": br.player, "partner": k, "rate": v, "welfare_pct": br.welfare_pct,
              "gain_pp": br.gain_pp, "converged": br.converged, "at_bound": br.at_bound,
              "solves": br.solves}
             for k, v in br.rates.items()]), subject=br.player)

    def describe(self) -> str:
        on = f" on {join_names(self.partners)}" if self.partners else ""
        kind = "per-partner" if self.instrument == "per_partner" else "uniform"
        how = " (closed form)" if self.method == "closed_form" else ""
        return f"{self.by} sets its {kind} best-response tariff{on}{how}"


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
    classifier: ClassVar[Classifier] = {"layer": "strategy", "priced": True,
                                            "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "Ossa (2014), 'Trade Wars and Trade Talks with Data', AER 104(12)",
        "Johnson (1953-54), 'Optimum Tariffs and Retaliation', Review of Economic Studies 21(2)",
    )

    players: list[str] = Field(min_length=2)
    targets: Literal["all", "players"] = "all"
    upper: float = Field(default=1.0, gt=0.0, le=MAX_RATE)
    tol: float = Field(default=1e-4, gt=0.0)

    @field_validator("players")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("players must be distinct")
        return v

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.players, ("players",))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        war = trade_war(sim.evaluator(), self.players, t=state.t, targets=self.targets,
                        upper=self.upper, tol=self.tol, dhat=state.dhat_or_none())
        state.t = war.t
        for player, edge in war.at_edge.items():
            if edge:
                sim.warnings.append(edge_warning(f"trade_war: the Nash tariff of {player}",
                                                 war.rates[player]))
        sim.note("trade_war", war.table())
        sim.note("trade_war_convergence", war.convergence())

    def describe(self) -> str:
        on = "each other" if self.targets == "players" else "all imports"
        return f"trade war among {join_names(self.players)} (Nash tariffs on {on})"


@register
class Retaliation(Action):
    """Retaliation against an imposer.

    ``rule: mirror``: each retaliator sets on the imposer the additional rate it now faces from
    it. ``by: all`` means every economy the imposer taxes above the baseline.

    ``rule: optimal``: the retaliators act as one group and every member sets one common whole
    rate on the imposer: ``method: numerical`` (default) the rate that maximises the group's
    income-weighted welfare Σ Y_i (Ŵ_i − 1) given the tariffs in force; ``method: closed_form``
    the two-region closed form t = 1/((1 + δ_G ε) φ_G − 1) of Ignatenko et al. (2025) (see
    :mod:`worldorder.strategy.retaliation`), computed without the numerical search. The rates
    computed are recorded in the notes.
    """

    name: ClassVar[str] = "retaliation"
    summary: ClassVar[str] = "retaliatory tariffs against an imposer (mirror or optimal rule)"
    classifier: ClassVar[Classifier] = {"layer": "trade", "priced": True, "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "Ignatenko et al. (2025), JIE, retaliation scenarios",
        "Ossa (2014), 'Trade Wars and Trade Talks with Data', AER 104(12)",
    )

    by: Names = "all"
    against: str
    rule: Literal["mirror", "optimal"] = "mirror"
    method: Literal["numerical", "closed_form"] | None = None
    upper: float = Field(default=1.0, gt=0.0, le=MAX_RATE)

    @model_validator(mode="after")
    def _method_needs_optimal(self) -> Retaliation:
        if self.method is not None and self.rule != "optimal":
            raise ValueError("'method' applies to rule: optimal only")
        return self

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + named_at(self.against, ("against",))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        if self.rule == "mirror":
            change = mirror_retaliation(sim.world, state.t, state.t0, self.against, self.by)
            state.t = apply_change(state.t, state.t0, change)
            return
        w = sim.world
        if self.by == "all":
            targets = {w.index(c) for c in w.expand(self.against)}
            surcharge = state.t - state.t0
            group = [c for k, c in enumerate(w.codes) if k not in targets
                     and any(surcharge[k, a] > 1e-12 for a in targets)]
            if not group:
                return  # nobody is taxed above the baseline: nobody retaliates
        else:
            group = self.by if isinstance(self.by, str) else list(self.by)
        closed = self.method == "closed_form"
        res = optimal_retaliation(sim.evaluator(), group, self.against, state.t,
                                  upper=self.upper, dhat=state.dhat_or_none(),
                                  numerical=not closed)
        state.t = res.t_closed_form if closed else res.t
        if res.at_edge and not closed:
            sim.warnings.append(edge_warning(f"optimal retaliation of {res.group}",
                                             res.numerical))
        table = res.table()
        table["applied"] = table["method"] == ("closed_form" if closed else "numerical")
        sim.note("retaliation_optimal", table,
                 subject="all" if self.by == "all" else res.group)

    def describe(self) -> str:
        who = "every economy it taxes" if self.by == "all" else join_names(self.by)
        verb = f"retaliate{'s' if isinstance(self.by, str) and self.by != 'all' else ''}"
        if self.rule == "optimal":
            how = "closed form" if self.method == "closed_form" else "numerical"
            return f"{who} {verb} against {self.against} (optimal common rate, {how})"
        return f"{who} {verb} against {self.against} ({self.rule})"
