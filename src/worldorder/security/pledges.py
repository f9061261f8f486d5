"""Defence-spending pledges: each ally's path to a target share of GDP, its cost, and the
patron's saving.

Baseline (year ``t0``, SIPRI): GDP ``Y_i``, military expenditure ``M_i`` and share
``s_i0 = M_i / Y_i`` of each ally (NATO members but the patron by default). GDP grows at a real
rate ``g`` (default 0: costs at the baseline year's GDP and prices). Two rules for the path of
the share ``s_it`` to the target ``S`` by year ``T`` (NATO's Hague pledge: 5% of GDP by 2035,
3.5% core defence plus 1.5% related):

- ``pledge-compliance`` (accounting): every ally below the target closes the gap linearly,
  ``s_it = s_i0 + (S − s_i0)^+ (t − t0)/(T − t0)``; an ally above it keeps its share;
- ``coercive-burden-sharing`` (after Blankenship 2021): an ally moves towards
  ``s_i* = s_i0 + c d_i (S − s_i0)^+`` by partial adjustment ``s_it = s_i,t−1 + λ(s_i* −
  s_i,t−1)``, where ``c ∈ [0, 1]`` is the credibility of the patron's threat of abandonment
  and ``d_i ∈ [0, 1]`` the ally's dependence on the patron. Blankenship argues that pressure
  works when the threat to abandon is credible and the ally depends on the patron; the linear
  form, ``λ`` and the measures of ``c`` and ``d`` are this module's assumptions (parameters).

Each rule gives, per ally and year: GDP, share, spending ``s_it Y_it``, the extra cost against
the baseline ``s_it Y_it − M_i`` (US$ m), and the gap to the pledge ``(S − s_it)^+ Y_it``.
:func:`patron_saving` adds what the patron saves when it best-responds to the allies' higher
total in the Olson–Zeckhauser or joint-product model (which disagree by an order of magnitude).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel
from worldorder.errors import SecurityModelError
from worldorder.security.joint_product import JointProduct
from worldorder.security.model import SecurityModel, register_model
from worldorder.security.public_good import OlsonZeckhauser

__all__ = [
    "CoerciveBurdenSharing",
    "PledgeCompliance",
    "check_target",
    "coercive_shares",
    "linear_shares",
    "patron_saving",
    "pledge_baseline",
    "pledge_table",
]


def check_target(target: float, what: str = "pledge") -> float:
    """A target share of GDP must lie in (0, 1]: above 100% of GDP is impossible."""
    t = float(target)
    if not np.isfinite(t) or t <= 0:
        raise SecurityModelError(f"{what}: target share {target} must be positive (a fraction "
                                 "of GDP, 0.05 = 5%)")
    if t > 1:
        raise SecurityModelError(f"{what}: target share {target} is above 100% of GDP (write "
                                 "5% as 0.05)")
    return t


def pledge_baseline(year: int = 2024, members: Iterable[str] | None = None,
                    patron: str | None = "USA") -> pd.DataFrame:
    """``iso3, gdp, milex, share`` of the allies in ``year`` (SIPRI, current US$ m).

    ``members`` defaults to the NATO members of that year (bundled panel ``nato``); the
    ``patron`` is left out. Allies without SIPRI figures keep NaN (say so, never guess).
    """
    if members is None:
        nato = load_panel("nato")
        members = nato.loc[nato["accession_year"] <= year, "iso3"].tolist()
    members = [m for m in members if m != patron]
    mx = load_panel("milex", years=year).set_index("iso3")
    unknown = [m for m in members if m not in mx.index]
    rows = []
    for m in members:
        r = mx.loc[m] if m not in unknown else None
        rows.append({"iso3": m,
                     "gdp": np.nan if r is None else float(r["gdp_current_usd_m"]),
                     "milex": np.nan if r is None else float(r["milex_current_usd_m"]),
                     "share": np.nan if r is None else float(r["milex_share_gdp"])})
    return pd.DataFrame(rows)


def linear_shares(s0: np.ndarray, target: float, years: np.ndarray, t0: float,
                  t1: float) -> np.ndarray:
    """``s_it = s_i0 + (S − s_i0)^+ (t − t0)/(t1 − t0)`` (years × allies), capped at t1."""
    if t1 <= t0:
        raise SecurityModelError(f"pledge: target year {t1} must follow the baseline {t0}")
    frac = np.clip((np.asarray(years, dtype=float) - t0) / (t1 - t0), 0.0, 1.0)
    gap = np.maximum(target - np.asarray(s0, dtype=float), 0.0)
    return s0[None, :] + frac[:, None] * gap[None, :]


def coercive_shares(s0: np.ndarray, target: float, years: np.ndarray, t0: int,
                    credibility: float, dependence: np.ndarray, speed: float) -> np.ndarray:
    """Partial adjustment ``s_t = s_{t−1} + λ(s* − s_{t−1})`` to
    ``s* = s0 + c d (S − s0)^+`` (years × allies; the baseline year is ``s0``)."""
    s0 = np.asarray(s0, dtype=float)
    star = s0 + credibility * np.asarray(dependence, dtype=float) * np.maximum(target - s0, 0.0)
    out = np.empty((len(years), s0.size))
    s = s0.copy()
    for k, y in enumerate(years):
        if y > t0:
            s = s + speed * (star - s)
        out[k] = s
    return out


def pledge_table(base: pd.DataFrame, shares_path: np.ndarray, years: np.ndarray, t0: int,
                 target: float, growth: float | Mapping[str, float] = 0.0) -> pd.DataFrame:
    """Per ally and year: gdp, share, spending, extra_cost (vs ``t0``), gap_to_pledge, and
    the gap as a share of GDP (US$ m; GDP grows at ``growth``, one rate or per ISO3)."""
    g = np.array([growth.get(c, 0.0) if isinstance(growth, Mapping) else float(growth)
                  for c in base["iso3"]])
    if (g <= -1).any():
        raise SecurityModelError("pledge: growth rates must exceed -100%")
    gdp0 = base["gdp"].to_numpy(dtype=float)
    m0 = base["milex"].to_numpy(dtype=float)
    rows = []
    for k, y in enumerate(years):
        gdp = gdp0 * (1.0 + g) ** (y - t0)
        s = shares_path[k]
        spend = s * gdp
        rows.append(pd.DataFrame({
            "iso3": base["iso3"].to_numpy(), "year": int(y), "gdp": gdp, "share": s,
            "spending": spend, "extra_cost": spend - m0,
            "gap_to_pledge": np.maximum(target - s, 0.0) * gdp,
            "gap_share": np.maximum(target - s, 0.0)}))
    return pd.concat(rows, ignore_index=True)


class _PledgeModel(SecurityModel):
    classifier: ClassVar[dict[str, Any]] = {"question": "burden-sharing", "kind": "rule",
                                            "inputs": ["milex", "nato"]}

    def _years(self) -> np.ndarray:
        t0, t1 = int(self.params["base_year"]), int(self.params["target_year"])
        if t1 <= t0:
            raise SecurityModelError(f"model {self.name!r}: target_year {t1} must follow "
                                     f"base_year {t0}")
        return np.arange(t0, t1 + 1)

    def shares(self, base: pd.DataFrame, years: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def path(self, base: pd.DataFrame | None = None) -> pd.DataFrame:
        """The table of :func:`pledge_table` for the allies of ``base`` (default: the NATO
        allies of ``base_year`` without the patron)."""
        target = check_target(self.params["target"], f"model {self.name!r}")
        if base is None:
            base = pledge_baseline(int(self.params["base_year"]), patron=self.params["patron"])
        years = self._years()
        sp = self.shares(base, years)
        return pledge_table(base, sp, years, int(self.params["base_year"]), target,
                            self.params["growth"])


@register_model
class PledgeCompliance(_PledgeModel):
    """Every ally below the target reaches it linearly by the target year (accounting).

    Parameters: ``target`` (share of GDP, default 0.05 = the Hague pledge), ``base_year``,
    ``target_year``, ``growth`` (real GDP growth per year, one rate or a mapping ISO3 → rate;
    default 0), ``patron`` (left out of the allies).
    """

    name: ClassVar[str] = "pledge-compliance"
    summary: ClassVar[str] = "allies reach the pledged share of GDP linearly by the target year"
    references: ClassVar[tuple[str, ...]] = (
        "NATO, The Hague Summit Declaration, 25 June 2025 (5% of GDP by 2035: 3.5% core, 1.5% "
        "defence-related)",
        "NATO, Wales Summit Declaration, 5 September 2014 (2% guideline)",
    )
    defaults: ClassVar[dict[str, Any]] = {"target": 0.05, "base_year": 2024,
                                          "target_year": 2035, "growth": 0.0,
                                          "patron": "USA"}

    def shares(self, base: pd.DataFrame, years: np.ndarray) -> np.ndarray:
        return linear_shares(base["share"].to_numpy(dtype=float), float(self.params["target"]),
                             years, int(self.params["base_year"]),
                             int(self.params["target_year"]))


@register_model
class CoerciveBurdenSharing(_PledgeModel):
    """Coercive burden-sharing (after Blankenship 2021): allies move towards the pledge in
    proportion to the credibility of the patron's threat of abandonment and their dependence.

    Parameters: ``credibility`` c ∈ [0, 1] (default 0.5), ``dependence`` (``'uniform'``: d = 1
    for every ally; ``'troops'``: US active-duty troops hosted in the base year over the largest
    host's, a proxy of how much an ally relies on the patron's forces; or a mapping ISO3 → d),
    ``speed`` λ ∈ (0, 1] (default 0.3 per year), and those of ``pledge-compliance``.
    """

    name: ClassVar[str] = "coercive-burden-sharing"
    summary: ClassVar[str] = "allies comply in proportion to credible abandonment and dependence"
    references: ClassVar[tuple[str, ...]] = (
        "Blankenship (2021), The Price of Protection: Explaining Success and Failure of US "
        "Alliance Burden-Sharing Pressure, Security Studies 30(5): 691-724",
        "Blankenship (2023), The Burden-Sharing Dilemma: Coercive Diplomacy in US Alliance "
        "Politics, Cornell University Press",
    )
    defaults: ClassVar[dict[str, Any]] = {**PledgeCompliance.defaults, "credibility": 0.5,
                                          "dependence": "uniform", "speed": 0.3}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "credibility": (0.0, 1.0), "speed": (1e-9, 1.0)}

    def dependence(self, base: pd.DataFrame) -> np.ndarray:
        d = self.params["dependence"]
        codes = base["iso3"].tolist()
        if isinstance(d, Mapping):
            bad = {k: v for k, v in d.items() if not 0 <= float(v) <= 1}
            if bad:
                raise SecurityModelError(f"model {self.name!r}: dependence must lie in [0, 1], "
                                         f"got {bad}")
            return np.array([float(d.get(c, 0.0)) for c in codes])
        if d == "uniform":
            return np.ones(len(codes))
        if d == "troops":
            tr = load_panel("us_troops", years=int(self.params["base_year"]))
            t = tr.set_index("iso3")["troops_active"].reindex(codes).fillna(0.0).to_numpy()
            return t / t.max() if t.max() > 0 else np.zeros(len(codes))
        raise SecurityModelError(f"model {self.name!r}: dependence must be 'uniform', 'troops' "
                                 f"or a mapping, got {d!r}")

    def shares(self, base: pd.DataFrame, years: np.ndarray) -> np.ndarray:
        return coercive_shares(base["share"].to_numpy(dtype=float),
                               float(self.params["target"]), years,
                               int(self.params["base_year"]),
                               float(self.params["credibility"]), self.dependence(base),
                               float(self.params["speed"]))


def patron_saving(path: pd.DataFrame, patron: str = "USA", base_year: int = 2024,
                  growth: float = 0.0,
                  models: Iterable[SecurityModel] | None = None) -> pd.DataFrame:
    """What the patron saves each year when it best-responds to the allies' higher spending.

    Counterfactual: allies keep their base-year shares (``s_i0 Y_it``). The patron's income and
    spending are its base-year figures grown at ``growth``; each model is calibrated so that the
    patron's base-year spending is its best response to the allies' base-year total, then gives
    its best response to the counterfactual and to the pledged totals; the saving is the
    difference. Olson–Zeckhauser: ``(1 − a) ΔQ`` (nearly one for one); joint product: far less.
    """
    mx = load_panel("milex", years=base_year).set_index("iso3")
    if patron not in mx.index:
        raise SecurityModelError(f"patron {patron!r} has no SIPRI figures in {base_year}")
    inc0 = float(mx.loc[patron, "gdp_current_usd_m"])
    m0 = float(mx.loc[patron, "milex_current_usd_m"])
    base = path[path["year"] == base_year]
    if base.empty:
        raise SecurityModelError(f"patron_saving: the path has no base year {base_year}")
    s0 = base.set_index("iso3")["share"]
    models = list(models) if models is not None else [OlsonZeckhauser(), JointProduct()]
    rows = []
    for y, part in path.groupby("year"):
        f = (1.0 + growth) ** (int(y) - base_year)
        p = part.dropna(subset=["spending"])
        before = float((s0.reindex(p["iso3"]).to_numpy() * p["gdp"].to_numpy()).sum())
        after = float(p["spending"].sum())
        for mdl in models:
            r = mdl.patron_response(inc0 * f, m0 * f, before, after)
            rows.append({"year": int(y), "model": mdl.name, "allies_counterfactual": before,
                         "allies_pledged": after, "patron_before": r["before"],
                         "patron_after": r["after"], "saving": r["saving"]})
    return pd.DataFrame(rows)
