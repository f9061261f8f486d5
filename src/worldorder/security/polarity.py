"""Concentration of power: HHI, the effective number of poles, Ray–Singer CON, regional balances.

With shares ``s_i`` of a power index among the ``N`` states of a system:

- Herfindahl–Hirschman index ``HHI = Σ s_i²`` (1/N for equal shares, 1 for a unipole);
- effective number of poles ``N_eff = 1 / HHI`` (Laakso & Taagepera 1979; two equal powers
  give 2, a world with one dominant power approaches 1);
- Ray–Singer concentration ``CON = sqrt((Σ s_i² − 1/N) / (1 − 1/N))`` (Ray & Singer 1973),
  0 for equal shares and 1 when one state holds everything, usually computed over the major
  powers only;
- a regional balance: within a region's local states, the strongest ``h`` and the ratio
  ``R = Σ_{i≠h} p_i / p_h`` of what the others hold together to what it holds.

The registered model ``polarity`` computes them for each year of history from a power index and
a system (``all`` states, the COW ``major_powers`` — their list ends in 2016 — or the top ``k``
states by the index).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, get_model, register_model
from worldorder.security.power import PowerIndex, shares
from worldorder.security.regions import REGIONS, Region, resolve_region

__all__ = [
    "Polarity",
    "effective_poles",
    "hhi",
    "ray_singer_con",
    "regional_balance",
    "regional_balance_table",
    "top_shares",
]


def _shares(s: np.ndarray | Iterable[float]) -> np.ndarray:
    x = np.asarray(s, dtype=float)
    x = x[~np.isnan(x)]
    return shares(x)


def hhi(values: np.ndarray | Iterable[float]) -> float:
    """``Σ s_i²`` of the shares of ``values`` (renormalised to sum to one; NaN left out)."""
    s = _shares(values)
    return float(np.sum(s * s))


def effective_poles(values: np.ndarray | Iterable[float]) -> float:
    """Effective number of poles ``1 / Σ s_i²`` (Laakso & Taagepera 1979)."""
    return 1.0 / hhi(values)


def ray_singer_con(values: np.ndarray | Iterable[float]) -> float:
    """Ray–Singer CON ``sqrt((Σ s_i² − 1/N)/(1 − 1/N))`` over the ``N`` given states.

    NaN for a single state (concentration among one is undefined).
    """
    s = _shares(values)
    n = s.size
    if n < 2:
        return float("nan")
    # Σ s² − 1/N = Σ (s − 1/N)², computed in the second form (exactly 0 for equal shares)
    return float(np.sqrt(np.sum((s - 1.0 / n) ** 2) / (1.0 - 1.0 / n)))


def top_shares(values: pd.Series, k: int = 5) -> pd.Series:
    """The ``k`` largest shares of a power Series (indexed by ISO3), largest first."""
    v = values.dropna()
    v = v[v > 0]
    s = pd.Series(shares(v.to_numpy()), index=v.index, name="share")
    return s.sort_values(ascending=False).head(k)


def regional_balance(values: pd.Series | Mapping[str, float],
                     region: str | Region | Iterable[str],
                     exclude: Iterable[str] = (), leader: str | None = None) -> dict[str, Any]:
    """The balance among a region's local states for one power Series (indexed by ISO3).

    Returns the strongest local state ``leader`` (or the given one), its regional share, the
    others' combined power relative to it ``R = Σ_{i≠h} p_i / p_h`` (``balance_ratio``), the
    same without the states in ``exclude`` (e.g. the leader's allies, which would not balance
    it: ``balancer_ratio``), and the region's HHI and effective number of poles. States without
    data are left out (``n_states`` counts those with data; ``missing`` lists the others).
    """
    reg = resolve_region(region)
    if "USA" in reg.members:
        raise SecurityModelError(f"region {reg.name!r}: the US cannot be a local power")
    table = values.to_dict() if isinstance(values, pd.Series) else dict(values)
    names, vals, missing = [], [], []
    for m in reg.members:
        x = table.get(m)
        x = float("nan") if x is None else float(x)
        if np.isnan(x):
            missing.append(m)
        elif x > 0:
            names.append(m)
            vals.append(x)
    if not names:
        raise SecurityModelError(f"region {reg.name!r}: no local state has data")
    v = np.asarray(vals)
    if leader is None:
        h = int(np.argmax(v))
        leader = names[h]
    elif leader in names:
        h = names.index(leader)
    else:
        raise SecurityModelError(f"region {reg.name!r}: {leader!r} is not a local state with "
                                 "data")
    p_h = float(v[h])
    excl = set(exclude)
    others = [k for k in range(len(names)) if k != h]
    bal = [k for k in others if names[k] not in excl]
    s = v / v.sum()
    return {"region": reg.name, "leader": leader, "leader_share": float(s[h]),
            "balance_ratio": float(v[others].sum() / p_h),
            "balancer_ratio": float(v[bal].sum() / p_h),
            "balancers": ",".join(names[k] for k in bal),
            "hhi": float(np.sum(s * s)), "effective_poles": float(1.0 / np.sum(s * s)),
            "n_states": len(names), "missing": ",".join(missing)}


def regional_balance_table(index: str | PowerIndex, years: Iterable[int],
                           regions: Iterable[str | Region] | None = None) -> pd.DataFrame:
    """:func:`regional_balance` for each region (default: all of ``REGIONS``) and year."""
    model = get_model(index) if isinstance(index, str) else index
    regs = [resolve_region(r) for r in (regions if regions is not None else REGIONS)]
    rows = []
    for y in years:
        vals = model.values(int(y))
        for r in regs:
            rows.append({"year": int(y), **regional_balance(vals, r)})
    return pd.DataFrame(rows)


@register_model
class Polarity(SecurityModel):
    """Polarity of the system each year: HHI, effective number of poles, CON, leader, top five.

    Parameters: ``index`` (a registered power index: ``cinc``, ``gdp``, ``milex``,
    ``net-power``), ``system`` (``'all'`` states of the index, ``'major_powers'`` (COW list,
    1816–2016) or an integer ``k``: the ``k`` strongest states that year), ``top`` (how many
    leading shares to list). Shares are renormalised within the system.
    """

    name: ClassVar[str] = "polarity"
    summary: ClassVar[str] = "HHI, effective number of poles and Ray-Singer CON by year"
    classifier: ClassVar[dict[str, Any]] = {"question": "polarity", "kind": "index",
                                            "inputs": ["nmc", "milex"]}
    references: ClassVar[tuple[str, ...]] = (
        "Ray & Singer (1973), Measuring the Concentration of Power in the International System, "
        "Sociological Methods & Research 1(4): 403-437",
        "Laakso & Taagepera (1979), 'Effective' Number of Parties, Comparative Political "
        "Studies 12(1): 3-27",
        "Mansfield (1993), Concentration, Polarity, and the Distribution of Power, "
        "International Studies Quarterly 37(1): 105-128",
    )
    defaults: ClassVar[dict[str, Any]] = {"index": "cinc", "system": "all", "top": 5}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {"top": (1, None)}

    def system_values(self, year: int) -> pd.Series:
        """The index for the states of the system in ``year``."""
        model = get_model(self.params["index"])
        if not isinstance(model, PowerIndex):
            raise SecurityModelError(f"model 'polarity': {self.params['index']!r} is not a "
                                     "power index")
        v = model.values(year).dropna()
        v = v[v > 0]
        system = self.params["system"]
        if system == "all":
            return v
        if system == "major_powers":
            if year > 2016:
                raise SecurityModelError("model 'polarity': the COW major-power list ends in "
                                         f"2016 (year {year}); use system=k for the top k")
            mp = load_panel("major_powers")
            on = mp[(mp["styear"] <= year) & (mp["endyear"] >= year)]["iso3"]
            return v.reindex([c for c in on if c in v.index])
        if isinstance(system, int) and system >= 1:
            return v.sort_values(ascending=False).head(system)
        raise SecurityModelError(f"model 'polarity': system must be 'all', 'major_powers' or a "
                                 f"positive integer, got {system!r}")

    def table(self, years: Iterable[int]) -> pd.DataFrame:
        """One row per year: n, hhi, effective_poles, con, leader, leader_share, top."""
        rows = []
        for y in years:
            v = self.system_values(int(y))
            top = top_shares(v, int(self.params["top"]))
            rows.append({"year": int(y), "n": int(v.size), "hhi": hhi(v.to_numpy()),
                         "effective_poles": effective_poles(v.to_numpy()),
                         "con": ray_singer_con(v.to_numpy()), "leader": str(top.index[0]),
                         "leader_share": float(top.iloc[0]),
                         "top": ", ".join(f"{c} {s:.1%}" for c, s in top.items())})
        return pd.DataFrame(rows)
