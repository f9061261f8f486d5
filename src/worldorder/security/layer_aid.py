"""The ``aid`` layer: ``aid_cut``, ``aid_restore`` and ``aid_give`` priced for every recipient,
on the date of each.

With the model ``aid-cut-pricing`` (:class:`~worldorder.security.aid.AidCutPricing`, its
parameters in force), the US records so far set the level F of US assistance (1 = the base
fiscal year; :func:`~worldorder.security.aid.aid_level`): a cut of s makes it F (1 − s), so
that cuts alone give the share cut ``S = 1 − Π_k (1 − s_k)``; a restoration of a share r of
what was cut 1 − (1 − r)(1 − F) (at most the base year); new aid of a share g F + g. Each
recipient's aid changes by ``(F − 1) · A_r`` (``A_r`` its aid in the base fiscal year, military
aid left out), in US$ and % of its GDP (:func:`~worldorder.security.aid.price_aid_cuts`).
Records stated as an amount, or without a share, are listed as not priced, with the reason.
The ``alignment`` layer prices the same records the same way and moves positions by them
(θ_A (A_US − A_CN)); the ``order`` layer counts the aid withdrawn in legitimacy's pressure
(a · ``aid_weight`` per % of GDP below the base year).

Tables: ``aid_losses`` (per date with a new record and recipient with a loss against the base
year), ``aid_changes`` (per date with a new record and recipient whose aid differs from the base
year or changed on that date: ``level`` F, ``change_usd`` against the base year, ``step_usd``
since the previous record's date — a restoration's gain — each also in % of GDP) and, at the
last date, ``aid_cuts`` (every record, its ``kind``, whether it was priced and why).
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
        "aid_changes": pa.schema([("date", _STR), ("iso3", _STR), ("economy", _STR),
                                  ("aid_usd", _F64), ("level", _F64), ("change_usd", _F64),
                                  ("change_pct_gdp", _F64), ("step_usd", _F64),
                                  ("step_pct_gdp", _F64), ("gdp_usd", _F64)]),
        "aid_cuts": pa.schema([("date", _STR), ("kind", _STR), ("program", _STR),
                               ("share", _F64), ("amount", _F64), ("priced", _BOOL),
                               ("reason", _STR)]),
    }

    def __init__(self, config: object = None) -> None:
        super().__init__(None)
        self._seen = 0
        self._key: tuple[int, str] | None = None
        self._table = pd.DataFrame()
        self._level = 1.0

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
            out["aid_losses"] = losses[losses["loss_usd"] > 0][
                ["iso3", "economy", "aid_usd", "share_cut", "loss_usd", "gdp_usd",
                 "loss_pct_gdp"]].reset_index(drop=True)
            level = float(losses["level"].iloc[0]) if len(losses) else 1.0
            ch = losses.assign(step_usd=(level - self._level) * losses["programme_usd"])
            ch["step_pct_gdp"] = 100.0 * ch["step_usd"] / ch["gdp_usd"]
            moved = (ch["change_usd"] != 0) | (ch["step_usd"] != 0)
            out["aid_changes"] = ch[moved][
                ["iso3", "economy", "aid_usd", "level", "change_usd", "change_pct_gdp",
                 "step_usd", "step_pct_gdp", "gdp_usd"]].reset_index(drop=True)
            self._level = level
            self._seen = len(pol.aid)
            cfg.note(self.name, "aid base year",
                     f"FY{p['year']} ({p['series']}), GDP implied by SIPRI {p['year']}")
        if sim.is_last:
            out["aid_cuts"] = cuts[["date", "kind", "program", "share", "amount", "priced",
                                    "reason"]]
        return out
