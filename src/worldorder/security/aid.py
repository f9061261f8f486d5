"""Aid cuts, restorations and new aid priced by recipient, and each country's exposure to the end
of US democracy promotion.

Data: the bundled ``us_aid`` panel (USAID / ForeignAssistance.gov, FY1946-2022; FY2021 and
FY2022 are incomplete in the April 2022 snapshot, so the default year is **FY2020**, transaction
type **disbursements, current US$**), GDP implied by SIPRI (current military expenditure over
its share of GDP, panel ``milex``, same year), and V-Dem's electoral democracy index
(``v2x_polyarchy``, panel ``democracy``, latest year 2019).

* Loss of recipient r from the cuts of a record: with cut shares s_k of the donor's programmes,
  the cumulative share is S = 1 − Π_k (1 − s_k) and

  .. math:: \\text{loss}_r = S · A_r, \\qquad \\text{loss}_r / Y_r,

  A_r the aid r received in the base year, Y_r its GDP. Cuts stated as an amount without
  recipients (e.g. the NED's withheld USD 239 m) or without a share (the 90-day pause, USAID's
  closure) are listed as not priced by recipient, with the reason.
  The panel has no agency or sector columns, so the share is applied to all US assistance
  except the military aid given in ``military`` (default: Foreign Military Financing to Israel,
  USD 3.3 bn a year under the 2016 memorandum of understanding, and Egypt, USD 1.3 bn a year;
  recalled, unverified), which the USAID cuts did not touch: an upper bound elsewhere (e.g.
  Jordan's FMF). GDP implied by SIPRI can be wrong where a currency collapsed (Venezuela's
  FY2020 figure, USD 0.16 bn): check the outliers.
* Restorations and new aid, symmetric with the cuts (:func:`aid_level`): the level of the
  donor's aid F starts at 1 (the base year); a cut of s makes it F (1 − s), a restoration of a
  share r of what was cut 1 − (1 − r)(1 − F) (never above 1: r = 1 returns every recipient to
  its base-year aid exactly), new aid of a share g of the base year's F + g; each recipient's
  aid changes by (F − 1) A'_r (A'_r its aid less the military aid left out), a loss while
  F < 1, a gain above 1. Cuts and gifts move alignment (the aid term θ_A (A_US − A_CN) of
  :func:`worldorder.security.alignment.move_alignment`); aid below the base year also adds to
  the pressure on the donor's legitimacy like a duty's burden (a · ``aid_weight`` per % of GDP,
  :class:`worldorder.security.legitimacy.Legitimacy`); aid above it earns none.
* Exposure to democracy promotion (an index, an assumption): E_r = 100 · A_r / Y_r ·
  (1 − v2x_polyarchy_r), the US aid at stake in % of GDP weighted by the democratic deficit that
  democracy assistance addresses (Finkel, Pérez-Liñán & Seligson 2007 find USAID democracy
  assistance raises democracy scores; Carothers 1999).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel, panel_coverage
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, register_model
from worldorder.security.records import as_dict

__all__ = ["AidChanges", "AidCutPricing", "DemocracyExposure", "aid_change", "aid_level",
           "aid_table", "cumulative_share", "price_aid_cuts"]

SERIES = ("disbursements_current_usd", "obligations_current_usd",
          "disbursements_constant_usd", "obligations_constant_usd")


def aid_table(year: int = 2020, series: str = "disbursements_current_usd", *,
              world: Any = None) -> pd.DataFrame:
    """US aid by recipient in one fiscal year with GDP: ``iso3, economy, aid_usd, gdp_usd,
    aid_pct_gdp`` (``economy``: the dataset economy holding the recipient when ``world`` is
    given — itself, an aggregate's constituent, else ``ROW``; GDP NaN where SIPRI has none).

    Raises:
        SecurityModelError: Unknown series or a year outside the panel.
    """
    if series not in SERIES:
        raise SecurityModelError(f"aid: unknown series {series!r} (series: {', '.join(SERIES)})")
    first, last = panel_coverage("us_aid") or (0, 0)
    if not first <= year <= last:
        raise SecurityModelError(f"aid: year {year} is outside the aid panel ({first}-{last})")
    aid = load_panel("us_aid", years=year)[["iso3", series]].rename(columns={series: "aid_usd"})
    aid = aid[aid["aid_usd"] > 0]
    mil = load_panel("milex", years=year)[["iso3", "gdp_current_usd_m"]]
    out = aid.merge(mil, on="iso3", how="left")
    out["gdp_usd"] = out.pop("gdp_current_usd_m") * 1e6
    out["aid_pct_gdp"] = 100.0 * out["aid_usd"] / out["gdp_usd"]
    if world is not None:
        home = {c: c for c in world.codes}
        for agg, members in world.constituents.items():
            home.update({m: agg for m in members})
        out["economy"] = [home.get(c, "ROW" if "ROW" in world.codes else "") for c in
                          out["iso3"]]
    else:
        out["economy"] = ""
    return out[["iso3", "economy", "aid_usd", "gdp_usd", "aid_pct_gdp"]].sort_values(
        "aid_usd", ascending=False).reset_index(drop=True)


def cumulative_share(shares: Iterable[float]) -> float:
    """S = 1 − Π (1 − s_k): successive cuts of shares s_k of what remains."""
    s = list(shares)
    if any(not 0.0 <= x <= 1.0 for x in s):
        raise SecurityModelError("aid: cut shares must lie in [0, 1]")
    return 1.0 - math.prod(1.0 - x for x in s)


#: Military aid outside the USAID cuts, USD a year (recalled, unverified): Foreign Military
#: Financing under the 2016 US-Israel memorandum (FY2019-28) and Egypt's long-standing FMF.
MILITARY_AID = {"ISR": 3.3e9, "EGY": 1.3e9}


def aid_level(records: Iterable[Mapping[str, Any]], donor: str = "USA"
              ) -> tuple[float, pd.DataFrame]:
    """The level F of a donor's aid (1 = the base year) after its records, in order, and the
    records with whether each was priced and why.

    Records stated as a share of every recipient's aid (``recipients: all``) move F:

    * a cut of share s (``aid_cut``): F ← F (1 − s), so that cuts alone give
      1 − F = :func:`cumulative_share`;
    * a restoration of share r of what was cut (``aid_restore``): F ← 1 − (1 − r)(1 − F) when
      F < 1 (r = 1 returns F to 1 exactly), F unchanged when nothing was cut;
    * new aid of share g of the base year's (``aid_give``): F ← F + g.

    Records for listed recipients, as an amount, or with no share are listed as not priced,
    with the reason.

    Returns:
        (F, ``date, kind, program, share, amount, priced, reason`` per record of ``donor``).
    """
    level, rows = 1.0, []
    for c in map(as_dict, records):
        if c.get("donor") != donor:
            continue
        kind = str(c.get("kind") or "cut")
        share, amount = c.get("share"), c.get("amount")
        rec = c.get("recipients", "all")
        if isinstance(rec, tuple | list) and len(rec) == 1:
            rec = rec[0]
        if share is not None and rec == "all":
            s = float(share)
            if kind in ("cut", "restore") and not 0.0 <= s <= 1.0:
                raise SecurityModelError(f"aid: the share of an aid {kind} must lie in [0, 1] "
                                         f"(got {s:g})")
            if kind == "cut":
                level, reason = level * (1.0 - s), "share of every recipient's aid"
            elif kind == "restore":
                if level < 1.0:
                    level, reason = 1.0 - (1.0 - s) * (1.0 - level), \
                        "share of what was cut, every recipient"
                else:
                    reason = "nothing was cut: nothing to restore"
            elif kind == "give":
                if not s >= 0.0:
                    raise SecurityModelError("aid: new aid's share must not be negative")
                level, reason = level + s, "new aid, share of every recipient's base-year aid"
            else:
                raise SecurityModelError(f"aid: unknown kind of aid record {kind!r} (cut, "
                                         "restore, give)")
            rows.append({**_cut(c), "kind": kind, "priced": True, "reason": reason})
        elif share is not None:
            rows.append({**_cut(c), "kind": kind, "priced": False,
                         "reason": "share for listed recipients: not combined with the "
                                   "donor-wide records (price it with its own table)"})
        elif amount is not None:
            rows.append({**_cut(c), "kind": kind, "priced": False,
                         "reason": "an amount without recipients (programme-level)"})
        else:
            rows.append({**_cut(c), "kind": kind, "priced": False,
                         "reason": "no share or amount stated"})
    return level, pd.DataFrame(rows, columns=["date", "kind", "program", "share", "amount",
                                              "priced", "reason"])


def price_aid_cuts(cuts: Iterable[Mapping[str, Any]], table: pd.DataFrame, *,
                   donor: str = "USA", military: Mapping[str, float] | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Price a record's aid cuts, restorations and new aid (``PoliticalState.aid`` rows:
    donor, share, amount, recipients, program, date, kind) on an :func:`aid_table`.

    With F the level of the donor's aid after the records (:func:`aid_level`), recipient r's
    aid changes by (F − 1) · A'_r, A'_r its base-year aid less the military aid outside the
    programmes: a loss S · A'_r with S = 1 − F after cuts, a gain after new aid, nothing after
    cuts fully restored.

    Args:
        cuts: The aid records.
        table: :func:`aid_table`.
        donor: Whose records.
        military: Military aid per recipient (USD) left out (default :data:`MILITARY_AID`).

    Returns:
        (by recipient: ``iso3, economy, aid_usd, share_cut, loss_usd, gdp_usd, loss_pct_gdp,
        level, programme_usd, change_usd, change_pct_gdp`` with ``share_cut`` = max(1 − F, 0),
        ``loss_usd`` = max(−change, 0), ``programme_usd`` = A'_r; the records: ``date, kind,
        program, share, amount, priced, reason``).
    """
    level, listed = aid_level(cuts, donor)
    out = table.copy()
    mil = MILITARY_AID if military is None else military
    exempt = out["iso3"].map(lambda c: float(mil.get(c, 0.0)))
    base = np.maximum(out["aid_usd"] - exempt, 0.0)
    s = max(1.0 - level, 0.0)
    out["share_cut"] = s
    out["loss_usd"] = s * base
    out["loss_pct_gdp"] = 100.0 * out["loss_usd"] / out["gdp_usd"]
    out["level"] = level
    out["programme_usd"] = base
    out["change_usd"] = (level - 1.0) * base
    out["change_pct_gdp"] = 100.0 * out["change_usd"] / out["gdp_usd"]
    cols = ["iso3", "economy", "aid_usd", "share_cut", "loss_usd", "gdp_usd", "loss_pct_gdp",
            "level", "programme_usd", "change_usd", "change_pct_gdp"]
    return out[cols], listed


def _cut(c: Mapping[str, Any]) -> dict[str, Any]:
    return {"date": c.get("date", ""), "program": c.get("program", ""),
            "share": c.get("share"), "amount": c.get("amount")}


def aid_change(records: Iterable[Any], world: Any, *, donor: str = "USA",
               table: pd.DataFrame | None = None, year: int = 2020,
               series: str = "disbursements_current_usd",
               military: Mapping[str, float] | None = None) -> np.ndarray:
    """A_{P,i} = 100 Σ_{r ∈ i} (F − 1) A'_r / Y_i: the change of ``donor``'s aid to each economy
    of ``world`` against the base year, in % of its GDP (negative after a cut).

    F is the level of the donor's aid after ``records`` and A'_r recipient r's base-year aid
    less the military aid left out (:func:`worldorder.security.aid.price_aid_cuts`); the
    recipients an economy holds (itself, an aggregate's constituents, the rest of the world in
    ``ROW``) are summed and divided by the dataset's GDP Y_i (converted to US$ by the World's
    GDP unit). Only the US has an aid panel: any other donor, a World without a known US$
    unit, or no records give zeros.

    Args:
        records: Aid records (``PoliticalState.aid`` rows or dictionaries).
        world: The World.
        donor: Whose aid.
        table: :func:`~worldorder.security.aid.aid_table` for ``world`` (built from ``year``
            and ``series`` when None).
        year, series, military: The ``aid-cut-pricing`` model's parameters.
    """
    from worldorder.data.baci import UNITS

    out = np.zeros(world.n)
    recs = [r for r in map(as_dict, records) if r.get("donor") == donor]
    scale = {**UNITS, "USD trillion": 1e12}.get(str(dict(world.units).get("gdp",
                                                                          world.currency)))
    if donor != "USA" or not recs or scale is None:
        return out
    if table is None:
        table = aid_table(year, series, world=world)
    priced, _ = price_aid_cuts(recs, table, donor=donor,
                               military=military)
    by = priced[priced["economy"].isin(world.codes)].groupby("economy")["change_usd"].sum()
    for code, usd in by.items():
        k = world.index(str(code))
        out[k] = 100.0 * float(usd) / (float(world.gdp[k]) * scale)
    return out


class AidChanges:
    """:func:`aid_change` of the US by economy after the aid records so far, recomputed only
    when the records or the ``aid-cut-pricing`` model's parameters change (the aid table is
    kept while its year and series stay): the layers that read aid (``alignment``,
    ``order``) share this rule and the aid layer's pricing."""

    def __init__(self) -> None:
        self._key: tuple[Any, ...] = ()
        self._value: np.ndarray | None = None
        self._table: pd.DataFrame | None = None
        self._table_key: tuple[Any, ...] = ()

    def __call__(self, records: Sequence[Any], world: Any, params: Mapping[str, Any]
                 ) -> np.ndarray:
        """A_US by economy of ``world`` after ``records`` (``params``: the
        ``aid-cut-pricing`` model's parameters in force)."""
        key = (len(records), int(params["year"]), str(params["series"]),
               repr(params["military"]))
        if key == self._key and self._value is not None:
            return self._value
        self._key = key
        if not len(records):
            self._value = np.zeros(world.n)
            return self._value
        if self._table_key != key[1:3] or self._table is None:
            self._table = aid_table(key[1], key[2], world=world)
            self._table_key = key[1:3]
        self._value = aid_change(records, world, table=self._table,
                                 military=params["military"])
        return self._value


@register_model
class AidCutPricing(SecurityModel):
    """Each recipient's loss from a record's aid cuts, in USD and % of GDP (module docstring).
    Parameters: ``year`` (FY, default 2020, the last complete year), ``series``,
    ``military`` (military aid left out of the cuts)."""

    name: ClassVar[str] = "aid-cut-pricing"
    summary: ClassVar[str] = "each recipient's loss from aid cuts, USD and % of GDP"
    classifier: ClassVar[dict[str, Any]] = {"layer": "aid", "question": "aid cuts",
                                            "kind": "accounting",
                                            "inputs": "US aid panel, SIPRI GDP"}
    references: ClassVar[tuple[str, ...]] = (
        "USAID / ForeignAssistance.gov, US foreign aid by country (FY1946-2022)",
        "SIPRI Military Expenditure Database 2025 (implied GDP)",
    )
    defaults: ClassVar[dict[str, Any]] = {"year": 2020, "series": "disbursements_current_usd",
                                          "military": MILITARY_AID}

    def compute(self, result: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Price the aid cuts of a :class:`~worldorder.scenarios.timeline.TimelineResult`."""
        table = aid_table(self.params["year"], self.params["series"], world=result.world)
        return price_aid_cuts(result.political.aid, table, military=self.params["military"])


@register_model
class DemocracyExposure(SecurityModel):
    """Exposure to the end of US democracy promotion: E = 100 · A/Y · (1 − polyarchy), an index
    (module docstring). Parameters: ``year`` (aid FY), ``series``, ``democracy_year``."""

    name: ClassVar[str] = "democracy-exposure"
    summary: ClassVar[str] = "exposure to the end of US democracy promotion"
    classifier: ClassVar[dict[str, Any]] = {"layer": "aid", "question": "democracy promotion",
                                            "kind": "index", "assumption": True,
                                            "inputs": "US aid panel, SIPRI GDP, V-Dem"}
    references: ClassVar[tuple[str, ...]] = (
        "Finkel, Pérez-Liñán & Seligson (2007), 'The effects of U.S. foreign assistance on "
        "democracy building, 1990-2003', World Politics 59(3)",
        "Carothers, T. (1999), Aiding Democracy Abroad, Carnegie Endowment",
        "Coppedge et al., V-Dem v10 (2020), v2x_polyarchy",
    )
    defaults: ClassVar[dict[str, Any]] = {"year": 2020, "series": "disbursements_current_usd",
                                          "democracy_year": 2019}

    def compute(self, world: Any = None) -> pd.DataFrame:
        """``iso3, economy, aid_usd, aid_pct_gdp, polyarchy, exposure, rank`` (rank 1 = most
        exposed), recipients with GDP and a democracy score only."""
        p = self.params
        table = aid_table(p["year"], p["series"], world=world)
        dem = load_panel("democracy", years=p["democracy_year"])[["iso3", "v2x_polyarchy"]]
        out = table.merge(dem, on="iso3", how="inner").rename(
            columns={"v2x_polyarchy": "polyarchy"})
        out = out[np.isfinite(out["aid_pct_gdp"]) & out["polyarchy"].notna()].copy()
        out["exposure"] = out["aid_pct_gdp"] * (1.0 - out["polyarchy"])
        out = out.sort_values("exposure", ascending=False).reset_index(drop=True)
        out["rank"] = np.arange(1, len(out) + 1)
        return out[["iso3", "economy", "aid_usd", "aid_pct_gdp", "polyarchy", "exposure",
                    "rank"]]
