"""Power indices: CINC, GDP, military expenditure and Beckley's net power, with shares.

Pure functions on arrays:

- shares ``s_i = x_i / Σ_j x_j`` (:func:`shares`);
- CINC from its six components (Singer, Bremer & Stuckey 1972): for each component ``k``
  (military expenditure, military personnel, iron and steel, primary energy, total and urban
  population), the state's share of the system total ``c_ik = x_ik / Σ_j x_jk``, and
  ``CINC_i = mean_k c_ik`` over the components the state reports (:func:`cinc_from_components`);
- net power (Beckley 2018): ``NP_i = GDP_i × GDP_i / population_i`` (GDP times GDP per capita),
  which discounts size without wealth (:func:`net_power`).

Registered index models (``classifier['question'] == 'power'``) read the bundled panels for a
year of history: ``cinc`` (COW NMC v7, 1816–2022), ``gdp`` (GDP in current US$ implied by SIPRI,
1949–2024), ``milex`` (SIPRI, constant 2023 US$, 1949–2024) and ``net-power`` (SIPRI GDP and COW
population, 1949–2022). Each returns a Series indexed by ISO3 code; ``frame(years)`` gives the
long table ``iso3, year, value, share``. The indices disagree by design (CINC counts population
and energy and rates China above the US from the 1990s; net power does not), which is why all
four are offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, get_model, register_model

__all__ = [
    "CINC_COMPONENTS",
    "CincIndex",
    "GdpIndex",
    "MilexIndex",
    "NetPowerIndex",
    "PowerIndex",
    "cinc_from_components",
    "net_power",
    "power_frame",
    "shares",
]

CINC_COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")


def shares(values: np.ndarray | Iterable[float]) -> np.ndarray:
    """Shares ``x_i / Σ x_j`` of non-negative values (NaN entries stay NaN and are left out).

    Raises:
        SecurityModelError: A negative value, or no positive total.
    """
    x = np.asarray(values, dtype=float)
    ok = ~np.isnan(x)
    if (x[ok] < 0).any():
        raise SecurityModelError(f"shares: negative value {x[ok][x[ok] < 0][0]}")
    total = x[ok].sum()
    if not total > 0:
        raise SecurityModelError("shares: the values sum to zero (no power to share)")
    return x / total


def cinc_from_components(components: np.ndarray) -> np.ndarray:
    """CINC from an (n states × 6) array of components (NaN = not reported).

    ``c_ik = x_ik / Σ_j x_jk`` and ``CINC_i = (1/K_i) Σ_k c_ik`` over the ``K_i`` components state
    ``i`` reports (Singer, Bremer & Stuckey 1972; COW NMC codebook). With complete data the
    result sums to one.
    """
    x = np.asarray(components, dtype=float)
    if x.ndim != 2:
        raise SecurityModelError("cinc_from_components: expected a 2-D array (states × "
                                 "components)")
    totals = np.nansum(x, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(totals > 0, x / np.where(totals > 0, totals, 1.0), np.nan)
    count = np.sum(~np.isnan(c), axis=1)
    out = np.where(count > 0, np.nansum(c, axis=1) / np.maximum(count, 1), np.nan)
    return out


def net_power(gdp: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Beckley's (2018) net power ``GDP × GDP per capita = GDP² / population``.

    Units: with GDP in US$ m and population in thousands the result is in (US$ m)²/thousand;
    only ratios and shares are meaningful.
    """
    g = np.asarray(gdp, dtype=float)
    p = np.asarray(population, dtype=float)
    if g.shape != p.shape:
        raise SecurityModelError(f"net_power: gdp {g.shape} and population {p.shape} differ")
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # inf beyond ~1e154
        return np.where(p > 0, g * g / np.where(p > 0, p, 1.0), np.nan)


class PowerIndex(SecurityModel):
    """A power index for each year of history: ``values(year)`` → Series by ISO3."""

    classifier: ClassVar[dict[str, Any]] = {"question": "power", "kind": "index"}
    unit: ClassVar[str] = ""

    def values(self, year: int) -> pd.Series:
        raise NotImplementedError

    def frame(self, years: Iterable[int]) -> pd.DataFrame:
        """Long table ``iso3, year, value, share`` for the given years."""
        parts = []
        for y in years:
            v = self.values(int(y)).dropna()
            v = v[v > 0]
            parts.append(pd.DataFrame({"iso3": v.index, "year": int(y), "value": v.to_numpy(),
                                       "share": shares(v.to_numpy())}))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["iso3", "year", "value", "share"])


@register_model
class CincIndex(PowerIndex):
    """CINC, the Composite Index of National Capability (COW NMC v7.0, 1816–2022).

    ``recompute = False`` (default) uses COW's published CINC; ``True`` recomputes it from the
    six components with :func:`cinc_from_components` over the states present in the year. The
    published values of a year do not always sum to one (COW's missing-data handling); shares
    renormalise them.
    """

    name: ClassVar[str] = "cinc"
    summary: ClassVar[str] = "Composite Index of National Capability (COW NMC v7)"
    classifier: ClassVar[dict[str, Any]] = {"question": "power", "kind": "index",
                                            "inputs": ["nmc"]}
    references: ClassVar[tuple[str, ...]] = (
        "Singer, Bremer & Stuckey (1972), Capability Distribution, Uncertainty, and Major Power "
        "War, 1820-1965",
        "Greig & Enterline, COW National Material Capabilities v7.0 codebook",
    )
    defaults: ClassVar[dict[str, Any]] = {"recompute": False}
    unit = "share of the system"

    def values(self, year: int) -> pd.Series:
        df = load_panel("nmc", years=year)
        if self.params["recompute"]:
            v = cinc_from_components(df[list(CINC_COMPONENTS)].to_numpy(dtype=float))
        else:
            v = df["cinc"].to_numpy(dtype=float)
        return pd.Series(v, index=df["iso3"].to_numpy(), name=self.name)


@register_model
class GdpIndex(PowerIndex):
    """GDP at current US$ (SIPRI's denominators: current military expenditure / its share of
    GDP), 1949–2024. Economic size, the base of latent power (Mearsheimer 2001, ch. 3)."""

    name: ClassVar[str] = "gdp"
    summary: ClassVar[str] = "GDP, current US$ (implied by SIPRI)"
    classifier: ClassVar[dict[str, Any]] = {"question": "power", "kind": "index",
                                            "inputs": ["milex"]}
    references: ClassVar[tuple[str, ...]] = (
        "Mearsheimer (2001), The Tragedy of Great Power Politics, ch. 3 (wealth as latent power)",
        "SIPRI Military Expenditure Database, 2025 release",
    )
    unit = "US$ m, current"

    def values(self, year: int) -> pd.Series:
        df = load_panel("milex", years=year)
        return pd.Series(df["gdp_current_usd_m"].to_numpy(dtype=float),
                         index=df["iso3"].to_numpy(), name=self.name)


@register_model
class MilexIndex(PowerIndex):
    """Military expenditure (SIPRI, 1949–2024), ``prices = 'constant'`` (2023 US$, default) or
    ``'current'``."""

    name: ClassVar[str] = "milex"
    summary: ClassVar[str] = "military expenditure (SIPRI)"
    classifier: ClassVar[dict[str, Any]] = {"question": "power", "kind": "index",
                                            "inputs": ["milex"]}
    references: ClassVar[tuple[str, ...]] = ("SIPRI Military Expenditure Database, 2025 release",)
    defaults: ClassVar[dict[str, Any]] = {"prices": "constant"}
    unit = "US$ m"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        if self.params["prices"] not in ("constant", "current"):
            raise SecurityModelError(f"model 'milex': prices must be 'constant' or 'current', "
                                     f"got {self.params['prices']!r}")

    def values(self, year: int) -> pd.Series:
        df = load_panel("milex", years=year)
        col = ("milex_const2023_usd_m" if self.params["prices"] == "constant"
               else "milex_current_usd_m")
        return pd.Series(df[col].to_numpy(dtype=float), index=df["iso3"].to_numpy(),
                         name=self.name)


@register_model
class NetPowerIndex(PowerIndex):
    """Beckley's net power, GDP × GDP per capita (1949–2022: SIPRI GDP, COW population).

    Gross size overstates the power of populous poor states, which spend much of their output on
    their own people; multiplying GDP by GDP per capita is Beckley's (2018) simple correction.
    """

    name: ClassVar[str] = "net-power"
    summary: ClassVar[str] = "Beckley's net power: GDP × GDP per capita"
    classifier: ClassVar[dict[str, Any]] = {"question": "power", "kind": "index",
                                            "inputs": ["milex", "nmc"]}
    references: ClassVar[tuple[str, ...]] = (
        "Beckley (2018), The Power of Nations: Measuring What Matters, International Security "
        "43(2): 7-44",
    )
    unit = "GDP²/population (relative)"

    def values(self, year: int) -> pd.Series:
        g = load_panel("milex", years=year)[["iso3", "gdp_current_usd_m"]]
        p = load_panel("nmc", years=year)[["iso3", "tpop"]]
        df = g.merge(p, on="iso3", how="inner")
        v = net_power(df["gdp_current_usd_m"].to_numpy(dtype=float),
                      df["tpop"].to_numpy(dtype=float))
        return pd.Series(v, index=df["iso3"].to_numpy(), name=self.name)


def power_frame(index: str | PowerIndex, years: Iterable[int]) -> pd.DataFrame:
    """``iso3, year, value, share`` of a registered index (name or instance) for ``years``."""
    model = get_model(index) if isinstance(index, str) else index
    if not isinstance(model, PowerIndex):
        raise SecurityModelError(f"model {model.name!r} is not a power index")
    return model.frame(years)
