"""The scenario step ``coalition``: middle powers facing a hegemon join together.

::

    - date: 2026-02-01
      coalition: {members: [EU, CAN, JPN, GBR], against: USA, response: optimal,
                  internal: free_trade}

Members drop every tariff between them and answer the hegemon as one (see
:mod:`worldorder.strategy.coalitions`); the common rate and each member's welfare are recorded in
the notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from worldorder.engine.action import Action, Classifier, Loc, named_at, register
from worldorder.engine.layers.trade import TradeState
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
    )

    members: list[str] = Field(min_length=1)
    against: str = "USA"
    response: Literal["optimal", "mirror", "none"] = "optimal"
    internal: Literal["free_trade", "keep"] = "free_trade"
    upper: float = Field(default=1.0, gt=0.0, le=MAX_RATE)

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.members, ("members",)) + named_at(self.against, ("against",))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        out = coalition_value(sim.evaluator(), self.members, self.against, state.t,
                              response=self.response, internal=self.internal,
                              dhat=state.dhat_or_none(), upper=self.upper)
        state.t = out.tariffs
        w = sim.world
        heg = [w.index(c) for c in w.expand(self.against)]
        rows = []
        for p in out.players:
            econ = [w.index(c) for c in w.expand(p)]
            on_h = state.t[np.ix_(heg, econ)]
            rows.append({"member": p, "against": self.against, "response": self.response,
                         "rate": float(np.mean(on_h)), "common_rate": out.rate,
                         "at_bound": out.at_bound, "welfare_pct": out.welfare_pct[p],
                         "coalition_value": out.value})
        sim.note("coalition", pd.DataFrame(rows), subject="+".join(self.members))

    def describe(self) -> str:
        how = {"optimal": "a common optimal rate", "mirror": "mirror tariffs",
               "none": "no retaliation"}[self.response]
        inside = "free trade among members" if self.internal == "free_trade" else \
            "internal tariffs kept"
        return f"coalition of {', '.join(self.members)} against {self.against}: {inside}, " \
               f"{how}"

