"""Trade actions of the 2025 record: bilateral deals, exemptions and sanctions.

Each is a registered :class:`~worldorder.engine.action.Action` (see that module).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from worldorder.engine.action import (
    Action,
    Classifier,
    Loc,
    Names,
    StrictModel,
    named_at,
    register,
)
from worldorder.engine.layers.politics import PledgeRecord, PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.engine.rates import Rate
from worldorder.trade.instruments import apply_change, tariff_change

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["EMBARGO_COST", "Exemption", "Pledge", "Sanction", "TariffDeal"]

#: Iceberg cost factor d̂ used for a full embargo: d̂^(−ε) = 1e-12 at ε = 4, i.e. no trade.
EMBARGO_COST = 1000.0


class Pledge(StrictModel):
    """A pledge attached to a deal: investment, purchases or another concession."""

    kind: Literal["investment", "purchases", "energy_purchases", "market_access", "other"]
    amount: float | None = Field(default=None, ge=0.0)
    unit: str = "USD billion"
    by: str | None = None
    period: str = ""
    note: str = ""


@register
class TariffDeal(Action):
    """A bilateral tariff deal: new rates for both sides, with recorded pledges.

    ``rate`` is what ``imposer`` charges ``partner`` from now on (``basis: total`` = all-in,
    including the MFN duty, as in the 15% US deals with Japan, the EU and Korea; ``additional`` =
    on top of the baseline); ``partner_rate`` is what the partner charges the imposer (e.g. 0 for
    Vietnam's and Indonesia's market opening), left unchanged when omitted. Pledges (investment,
    purchases, concessions, with amounts) are recorded on the timeline and in the political
    state; the strategy layer prices them.
    """

    name: ClassVar[str] = "tariff_deal"
    summary: ClassVar[str] = "bilateral deal: new rates both ways, pledges recorded"
    classifier: ClassVar[Classifier] = {"layer": "trade", "priced": True, "deal": True}
    references: ClassVar[tuple[str, ...]] = (
        "White House fact sheets on the 2025 trade deals (UK, Vietnam, Indonesia, Philippines, "
        "Japan, EU, Korea, Switzerland)",
    )

    imposer: str = "USA"
    partner: str
    rate: Rate | None = None
    partner_rate: Rate | None = None
    basis: Literal["total", "additional"] = "total"
    pledges: list[Pledge] = Field(default_factory=list)
    exempt_products: str = ""

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.imposer, ("imposer",)) + named_at(self.partner, ("partner",))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        w = sim.world
        if self.rate is not None:
            ch = tariff_change(w, self.imposer, [self.partner], self.rate)
            state.t = apply_change(state.t, state.t0, ch, basis=self.basis)
        if self.partner_rate is not None:
            ch = tariff_change(w, self.partner, [self.imposer], self.partner_rate)
            state.t = apply_change(state.t, state.t0, ch, basis=self.basis)
        politics = sim.get(PoliticalState)
        for p in self.pledges:
            politics.add(PledgeRecord(date=sim.date or "", imposer=self.imposer,
                                      partner=self.partner, **p.model_dump()))

    def describe(self) -> str:
        parts = [f"{self.imposer}-{self.partner} deal"]
        if self.rate is not None:
            parts.append(f"{self.imposer} rate on {self.partner} {100 * self.rate:g}%"
                         f"{' all-in' if self.basis == 'total' else ' additional'}")
        if self.partner_rate is not None:
            parts.append(f"{self.partner} rate on {self.imposer} {100 * self.partner_rate:g}%")
        for p in self.pledges:
            amt = f" {p.amount:g} {p.unit}" if p.amount is not None else ""
            parts.append(f"{p.kind.replace('_', ' ')}{amt}")
        return "; ".join(parts)


@register
class Exemption(Action):
    """Exempt pairs from the additional duties they pay (e.g. USMCA-compliant goods).

    ``share`` is the share of the pair's trade exempted: the additional duty becomes
    ``(1 − share) × duty`` (1 = fully exempt). With ``share`` below one this is the standard
    trade-weighted way to represent product exemptions in a one-sector model.
    """

    name: ClassVar[str] = "exemption"
    summary: ClassVar[str] = "exempt pairs or a share of their trade from additional duties"
    classifier: ClassVar[Classifier] = {"layer": "trade", "priced": True}
    references: ClassVar[tuple[str, ...]] = (
        "Executive Order of 6 March 2025 exempting USMCA-compliant goods",
    )

    by: Names
    on: Names
    share: float = Field(default=1.0, ge=0.0, le=1.0)

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + named_at(self.on, ("on",))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        mask = ~np.isnan(tariff_change(sim.world, self.by, self.on, 0.0))
        extra = state.t - state.t0
        state.t = np.where(mask, state.t0 + (1.0 - self.share) * extra, state.t)

    def describe(self) -> str:
        by = self.by if isinstance(self.by, str) else ", ".join(self.by)
        on = self.on if isinstance(self.on, str) else ", ".join(self.on)
        return f"{by} exempts {100 * self.share:g}% of imports from {on} from additional duties"


@register
class Sanction(Action):
    """Sanctions as an iceberg trade-cost shock, up to a full embargo.

    The trade cost of goods from ``on`` to ``by`` (and back if ``both_ways``) is multiplied by
    d̂ = 1 + ``cost``; ``embargo: true`` uses d̂ = 1000 (trade falls by a factor 10^-12 at ε = 4).
    Unlike a tariff, the cost earns no revenue (Eaton & Kortum 2002; Ignatenko et al. 2025).
    """

    name: ClassVar[str] = "sanction"
    summary: ClassVar[str] = "iceberg trade-cost shock on listed pairs, up to an embargo"
    classifier: ClassVar[Classifier] = {"layer": "trade", "priced": True}
    references: ClassVar[tuple[str, ...]] = (
        "Eaton & Kortum (2002), Econometrica; Felbermayr et al. (2020), 'The Global Sanctions "
        "Data Base', EER",
    )

    by: Names
    on: Names
    cost: float | None = Field(default=None, gt=-1.0)
    embargo: bool = False
    both_ways: bool = True

    @model_validator(mode="after")
    def _one_of(self) -> Sanction:
        if (self.cost is None) == (not self.embargo):
            raise ValueError("give either a cost (e.g. 0.5 = +50% trade cost) or embargo: true")
        return self

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + named_at(self.on, ("on",))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        factor = EMBARGO_COST if self.embargo else 1.0 + float(self.cost or 0.0)
        mask = ~np.isnan(tariff_change(sim.world, self.by, self.on, 0.0))
        if self.both_ways:
            mask |= mask.T
        state.dhat = np.where(mask, state.dhat * factor, state.dhat)

    def describe(self) -> str:
        by = self.by if isinstance(self.by, str) else ", ".join(self.by)
        on = self.on if isinstance(self.on, str) else ", ".join(self.on)
        what = "embargo" if self.embargo else f"trade costs +{100 * (self.cost or 0):g}%"
        return f"{by} sanctions {on}: {what}{' (both ways)' if self.both_ways else ''}"
