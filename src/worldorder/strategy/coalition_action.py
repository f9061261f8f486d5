"""The scenario step ``coalition``: middle powers facing a hegemon join together.

::

    - date: 2026-02-01
      coalition: {members: [EU, CAN, JPN, GBR], against: USA, response: optimal,
                  internal: free_trade}

Members drop every tariff between them and answer the hegemon as one (see
:mod:`worldorder.strategy.coalitions`); the common rate and each member's welfare are recorded in
the notes.

With ``legitimacy: state`` (the hegemon's legitimacy R with each member, as the ``order`` layer
last updated it) or ``legitimacy: {EU: 0.85, CAN: 0.43}``, members weigh the hegemon's loss by
μ = θ (1 − R^η) in the coalition's worth and its optimal rate
(:mod:`worldorder.strategy.coalition_legitimacy`; ``balancing`` = θ, ``legitimacy_elasticity`` =
η); ``legitimacy: none`` (the default) or R = 1 leaves the step exactly as without legitimacy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from worldorder.engine.action import Action, Classifier, Loc, named_at, register
from worldorder.engine.layers.politics import PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.errors import ScenarioError
from worldorder.strategy.coalition_legitimacy import (
    DEFAULT_BALANCING,
    DEFAULT_ELASTICITY,
    balancing_weights,
)
from worldorder.strategy.coalition_players import CoalitionError
from worldorder.strategy.coalitions import coalition_value
from worldorder.trade.instruments import MAX_RATE

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["Coalition"]


@register
class Coalition(Action):
    """A coalition of economies (or groups, each one member) against a hegemon's tariffs.

    ``internal: free_trade`` removes every tariff between members (baseline MFN duties and
    additional duties; ``keep`` leaves them). ``response`` towards ``against``: ``optimal`` — one
    common uniform rate on all of its goods, set by every member, the rate that maximises the
    coalition's money-metric welfare Σ_{i∈S} (Ŵ_i − 1) E_i given the tariffs in force (grid scan
    then bounded Brent search on [0, ``upper``], full equilibrium at each trial); ``mirror`` —
    each member sets on the hegemon the additional rate the hegemon charges it; ``none`` — only
    the internal free trade. Non-members' tariffs are unchanged. The notes get one table per step
    (``coalition_<members>[_<date>]``): each member's rate on the hegemon and welfare change.

    ``legitimacy``: ``none`` (default), ``state`` (the hegemon's R with each member economy as
    the ``order`` layer last updated it, i.e. before this date's steps) or ``{member: R}``
    with R in (0, 1]. Each member economy then weighs the hegemon's welfare change by
    μ = θ (1 − R^η) (θ = ``balancing``, η = ``legitimacy_elasticity``), in the worth and in the
    optimal rate: v_R(S) = Σ_{i∈S} E_i [(Ŵ_i − 1) − μ_i (Ŵ_H − 1)]
    (:mod:`worldorder.strategy.coalition_legitimacy`; Grieco 1988, Powell 1991). At R = 1 the
    step is exactly the one without legitimacy.
    """

    name: ClassVar[str] = "coalition"
    summary: ClassVar[str] = "coalition against a hegemon: internal free trade, joint response"
    classifier: ClassVar[Classifier] = {"layer": "strategy", "priced": True,
                                            "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "d'Aspremont, Jacquemin, Gabszewicz & Weymark (1983), 'On the stability of collusive "
        "price leadership', Canadian Journal of Economics 16(1)",
        "Ossa (2014), 'Trade Wars and Trade Talks with Data', AER 104(12)",
        "Carney (2026), address to the World Economic Forum, Davos: 'if we're not at the table, "
        "we're on the menu'",
        "Grieco (1988), 'Anarchy and the limits of cooperation', International Organization "
        "42(3); Powell (1991), 'Absolute and relative gains in international relations "
        "theory', APSR 85(4) (the legitimacy weight)",
    )

    members: list[str] = Field(min_length=1)
    against: str = "USA"
    response: Literal["optimal", "mirror", "none"] = "optimal"
    internal: Literal["free_trade", "keep"] = "free_trade"
    upper: float = Field(default=1.0, gt=0.0, le=MAX_RATE)
    legitimacy: Literal["none", "state"] | dict[str, float] = "none"
    balancing: float = Field(default=DEFAULT_BALANCING, ge=0.0, allow_inf_nan=False)
    legitimacy_elasticity: float = Field(default=DEFAULT_ELASTICITY, ge=0.0,
                                         allow_inf_nan=False)

    def names_used(self) -> list[tuple[Loc, str]]:
        out = named_at(self.members, ("members",)) + named_at(self.against, ("against",))
        if isinstance(self.legitimacy, dict):
            out += [(("legitimacy", k), k) for k in self.legitimacy]
        return out

    def _legitimacy(self, sim: Context) -> dict[str, float] | None:
        """``{economy or member: R}`` for the balancing weights (None: not used)."""
        if self.legitimacy == "none":
            return None
        if isinstance(self.legitimacy, dict):
            return dict(self.legitimacy)
        published = sim.get(PoliticalState).legitimacy
        if self.against not in published:
            raise ScenarioError(
                field="legitimacy", message=
                f"coalition: legitimacy: state needs the legitimacy of {self.against} from the "
                f"layer 'order' (it follows {', '.join(published) or 'no power yet'}); add the "
                f"layer and {self.against} to its 'powers', or give legitimacy as "
                f"{{member: R}}")
        return published[self.against]

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        w = sim.world
        heg = [w.index(c) for c in w.expand(self.against)]
        try:
            mu = balancing_weights(w, self._legitimacy(sim), heg, theta=self.balancing,
                                   eta=self.legitimacy_elasticity)
        except CoalitionError as err:
            raise ScenarioError(f"coalition: {err}", field="legitimacy") from None
        out = coalition_value(sim.evaluator(), self.members, self.against, state.t,
                              response=self.response, internal=self.internal,
                              dhat=state.dhat_or_none(), upper=self.upper, balancing=mu)
        state.t = out.tariffs
        rows = []
        for p in out.players:
            econ = [w.index(c) for c in w.expand(p)]
            on_h = state.t[np.ix_(heg, econ)]
            row = {"member": p, "against": self.against, "response": self.response,
                   "rate": float(np.mean(on_h)), "common_rate": out.rate,
                   "at_bound": out.at_bound, "welfare_pct": out.welfare_pct[p],
                   "coalition_value": out.value}
            if self.legitimacy != "none":  # μ of the member (income-weighted over a group)
                row["balancing_weight"] = 0.0 if mu is None else float(np.average(
                    mu[econ], weights=sim.evaluator().baseline.E[econ]))
            rows.append(row)
        sim.note("coalition", pd.DataFrame(rows), subject="+".join(self.members))

    def describe(self) -> str:
        how = {"optimal": "a common optimal rate", "mirror": "mirror tariffs",
               "none": "no retaliation"}[self.response]
        inside = "free trade among members" if self.internal == "free_trade" else \
            "internal tariffs kept"
        leg = "" if self.legitimacy == "none" else \
            f", members weighing {self.against}'s loss by its lost legitimacy"
        return f"coalition of {', '.join(self.members)} against {self.against}: {inside}, " \
               f"{how}{leg}"

