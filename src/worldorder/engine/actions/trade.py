"""Trade actions: tariffs by economies or groups, and the 2025 USTR "reciprocal" formula.

Each is a registered :class:`~worldorder.engine.action.Action` acting on the trade layer's
:class:`~worldorder.engine.layers.trade.TradeState`. Rates are fractions (0.25 = 25%).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from worldorder.engine.action import Action, Classifier, Loc, Names, join_names, named_at, register
from worldorder.engine.layers.trade import TradeState
from worldorder.engine.rates import Rate
from worldorder.trade.instruments import apply_change, reciprocal_ustr2025, tariff_change

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["ReciprocalTariff", "Tariff"]


@register
class Tariff(Action):
    """A tariff by an economy or group on all or listed partners.

    ``rate`` is the duty on ``on`` (``all``, a list, or a mapping partner -> rate for a
    per-partner schedule). By default the rate is *additional* to the baseline applied tariff
    and replaces an earlier additional duty on the same pair; ``basis: total`` sets the whole rate;
    ``stack: true`` adds on top of what the pair already pays.
    """

    name: ClassVar[str] = "tariff"
    summary: ClassVar[str] = "ad valorem tariff by an economy or group on partners"
    classifier: ClassVar[Classifier] = {"layer": "trade", "priced": True}
    references: ClassVar[tuple[str, ...]] = (
        "Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), JIE",
    )

    by: Names
    on: Names | dict[str, Rate] = "all"
    rate: Rate | None = None
    exempt: list[str] = Field(default_factory=list)
    basis: Literal["additional", "total"] = "additional"
    stack: bool = False

    def names_used(self) -> list[tuple[Loc, str]]:
        return (named_at(self.by, ("by",)) + named_at(self.on, ("on",))
                + named_at(self.exempt, ("exempt",)))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        change = tariff_change(sim.world, self.by, self.on, self.rate, self.exempt)
        state.t = apply_change(state.t, state.t0, change, basis=self.basis, stack=self.stack)

    def describe(self) -> str:
        by = join_names(self.by)
        if isinstance(self.on, dict):
            what = ", ".join(f"{k} {100 * v:g}%" for k, v in self.on.items())
        else:
            what = f"{join_names(self.on)} {100 * (self.rate or 0):g}%"
        kind = "on top of current duties" if self.stack else (
            "all-in" if self.basis == "total" else "additional")
        ex = f" (exempt: {join_names(self.exempt)})" if self.exempt else ""
        return f"{by} tariff on {what} ({kind}){ex}"


@register
class ReciprocalTariff(Action):
    """The 2025 US "reciprocal" tariff, computed from the dataset's bilateral balances.

    Charged figure: (imports − exports)/imports of the imposer with each partner, rounded to a
    whole percent, at least the floor; applied rate: half of it rounded up, at least the floor.
    The rate is an additional duty (like every ``tariff``). EU members are one partner.
    """

    name: ClassVar[str] = "reciprocal_tariff"
    summary: ClassVar[str] = "USTR 2025 'reciprocal' rates from bilateral balances"
    classifier: ClassVar[Classifier] = {"layer": "trade", "priced": True}
    references: ClassVar[tuple[str, ...]] = (
        "Office of the U.S. Trade Representative (2025), 'Reciprocal Tariff Calculations'",
        "Executive Order 14257 (2 April 2025), Annex I",
    )

    by: str = "USA"
    method: Literal["ustr-2025"] = "ustr-2025"
    floor: Rate = Field(default=0.10, ge=0.0)
    exempt: list[str] = Field(default_factory=list)
    aggregate: list[str] | None = None
    stack: bool = False

    def names_used(self) -> list[tuple[Loc, str]]:
        return (named_at(self.by, ("by",)) + named_at(self.exempt, ("exempt",))
                + named_at(self.aggregate or [], ("aggregate",)))

    def apply(self, sim: Context) -> None:
        state = sim.get(TradeState)
        change, table = reciprocal_ustr2025(sim.world, self.by, floor=self.floor,
                                            exempt=self.exempt, aggregate=self.aggregate)
        state.t = apply_change(state.t, state.t0, change, stack=self.stack)
        sim.note("reciprocal", table, subject=self.by)

    def describe(self) -> str:
        ex = f", exempt: {join_names(self.exempt)}" if self.exempt else ""
        return f"{self.by} 'reciprocal' tariffs by the USTR 2025 formula (floor " \
               f"{100 * self.floor:g}%{ex})"
