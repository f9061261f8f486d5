"""The ``aid`` layer: ``aid_cut`` priced for every recipient, on the date of each cut.

With the model ``aid-cut-pricing`` (:class:`~worldorder.security.aid.AidCutPricing`, its
parameters in force), the cuts of the US on the record so far are combined into the share of US
assistance cut, ``S = 1 − Π_k (1 − s_k)`` over the cuts stated as a share of every recipient's
aid, and each recipient loses ``S · A_r`` (``A_r`` its aid in the base fiscal year, military aid
left out), in US$ and % of its GDP (:func:`~worldorder.security.aid.price_aid_cuts`). Cuts
stated as an amount, or without a share, are listed as not priced by recipient, with the reason.

Tables: ``aid_losses`` (per date with a new cut and recipient with a loss) and, at the last
date, ``aid_cuts`` (every cut, whether it was priced and why).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, ClassVar

import pandas as pd
import pyarrow as pa

from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import PoliticalState
from worldorder.security.aid import aid_table, price_aid_cuts
from worldorder.security.config import SecurityModels

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["AidLayer"]

_STR, _F64, _BOOL = pa.string(), pa.float64(), pa.bool_()


def _records(pol: PoliticalState) -> list[dict]:
    out = []
    for r in pol.aid:
        d = asdict(r)
        d["recipients"] = list(r.recipients) if r.recipients != ("all",) else "all"
        out.append(d)
    return out


@register_layer
class AidLayer(Layer):
    """US aid cuts priced by recipient (:mod:`worldorder.security.layer_aid`)."""

    name: ClassVar[str] = "aid"
    summary: ClassVar[str] = "aid cuts priced by recipient (US$, % of GDP)"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "aid",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "USAID / ForeignAssistance.gov, US foreign aid by country (FY1946-2022)",
    )
    priority: ClassVar[int] = 35
    tables: ClassVar[dict[str, pa.Schema]] = {
        "aid_losses": pa.schema([("date", _STR), ("iso3", _STR), ("economy", _STR),
                                 ("aid_usd", _F64), ("share_cut", _F64), ("loss_usd", _F64),
                                 ("gdp_usd", _F64), ("loss_pct_gdp", _F64)]),
        "aid_cuts": pa.schema([("date", _STR), ("program", _STR), ("share", _F64),
                               ("amount", _F64), ("priced", _BOOL), ("reason", _STR)]),
    }

    def __init__(self, config: object = None) -> None:
        super().__init__(None)
        self._seen = 0
        self._key: tuple[int, str] | None = None
        self._table = pd.DataFrame()

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        pol = sim.get(PoliticalState)
        out: dict[str, pd.DataFrame] = {}
        if len(pol.aid) == 0 or not (len(pol.aid) > self._seen or sim.is_last):
            return out
        cfg = sim.get(SecurityModels)
        p = cfg.params("aid-cut-pricing")
        key = (int(p["year"]), str(p["series"]))
        if key != self._key:
            self._key, self._table = key, aid_table(key[0], key[1], world=sim.world)
        table = self._table
        losses, cuts = price_aid_cuts(_records(pol), table, military=p["military"])
        if len(pol.aid) > self._seen:
            out["aid_losses"] = losses[losses["loss_usd"] > 0].reset_index(drop=True)
            self._seen = len(pol.aid)
            cfg.note(self.name, "aid base year",
                     f"FY{p['year']} ({p['series']}), GDP implied by SIPRI {p['year']}")
        if sim.is_last:
            out["aid_cuts"] = cuts.drop(columns="date").assign(date=cuts["date"])[
                ["date", "program", "share", "amount", "priced", "reason"]]
        return out
