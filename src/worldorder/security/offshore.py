"""Offshore balancing (Mearsheimer & Walt 2016): can a region hold its balance without the US?

The rule, for each region ``R`` and year, with a power index ``p`` (military expenditure by
default; latent power, GDP, in the second model):

1. the potential regional hegemon ``h``: the strongest local state that is not a US defence
   ally that year (``hegemon = 'rival'``, default: Mearsheimer & Walt ask whether a *rival*
   can be contained, and a US ally is not the hegemon the US would balance), or simply the
   strongest local state (``hegemon = 'strongest'``);
2. its balancers: the other local states, less those bound to ``h`` by a defence pact that year
   (ATOP, brought to 2024) when ``exclude_allies`` is true — an ally of the potential hegemon
   will not balance it;
3. the balancers' combined power relative to it ``B = Σ_{balancers} p_i / p_h``;
4. the local balance holds when ``B ≥ threshold`` (default 1: the balancers together at least
   match the leader). Then the implied US posture is **offshore** (stay over the horizon, let
   local powers balance, come back only if the balance fails); otherwise **onshore** (the US
   must help contain ``h``).

Beside it, the actual US posture: active-duty US troops stationed in the region's states (DMDC,
1950–2024), US base sites there (a 2018 snapshot) and the number of local states with a US
defence pact that year; ``actual_posture`` is onshore when the troops reach ``troop_threshold``
(default 10,000). Mearsheimer & Walt give no numerical threshold: both thresholds are parameters,
and the verdict is only as good as the index (compare the two registered models).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import load_panel, panel_coverage
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, get_model, register_model
from worldorder.security.polarity import regional_balance
from worldorder.security.power import PowerIndex
from worldorder.security.regions import REGIONS, Region, resolve_region

__all__ = ["OffshoreBalancing", "OffshoreBalancingLatent", "defence_partners", "implied_posture"]


def implied_posture(balancer_ratio: np.ndarray | float, threshold: float = 1.0) -> np.ndarray:
    """``'offshore'`` where ``balancer_ratio ≥ threshold`` (the region balances itself), else
    ``'onshore'``."""
    if threshold <= 0:
        raise SecurityModelError(f"offshore balancing: threshold must be positive, got "
                                 f"{threshold}")
    r = np.asarray(balancer_ratio, dtype=float)
    return np.where(r >= threshold, "offshore", "onshore")


def defence_partners(iso3: str, year: int) -> set[str]:
    """States bound to ``iso3`` by a defence obligation in ``year`` (ATOP 5.1, to 2024)."""
    a = load_panel("alliances", years=year)
    a = a[(a["iso3_a"] == iso3) & (a["defense"] == 1)]
    return set(a["iso3_b"].astype(str))


@register_model
class OffshoreBalancing(SecurityModel):
    """Offshore balancing on deployed military power (SIPRI military expenditure).

    Parameters: ``index`` (a power index), ``hegemon`` (``'rival'``: the strongest local state
    that is not a US defence ally; ``'strongest'``: the strongest local state), ``threshold``
    (balancers' power over the leader's at which the region balances itself),
    ``exclude_allies`` (the leader's defence allies do not balance it), ``troop_threshold`` (US
    active-duty troops in the region from which the actual posture counts as onshore).
    """

    name: ClassVar[str] = "offshore-balancing"
    summary: ClassVar[str] = "does a region balance its strongest state without the US? " \
                             "(military expenditure)"
    classifier: ClassVar[dict[str, Any]] = {"question": "offshore", "kind": "rule",
                                            "inputs": ["milex", "alliances", "us_troops",
                                                       "us_bases"]}
    references: ClassVar[tuple[str, ...]] = (
        "Mearsheimer & Walt (2016), The Case for Offshore Balancing, Foreign Affairs 95(4): "
        "70-83",
        "Layne (1997), From Preponderance to Offshore Balancing, International Security 22(1): "
        "86-124",
    )
    defaults: ClassVar[dict[str, Any]] = {"index": "milex", "threshold": 1.0,
                                          "exclude_allies": True, "troop_threshold": 10_000,
                                          "hegemon": "rival"}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "threshold": (1e-9, None), "troop_threshold": (0, None)}

    def table(self, years: Iterable[int],
              regions: Iterable[str | Region] | None = None) -> pd.DataFrame:
        """One row per region and year: the balance, the implied and the actual posture."""
        model = get_model(self.params["index"])
        if not isinstance(model, PowerIndex):
            raise SecurityModelError(f"model {self.name!r}: {self.params['index']!r} is not a "
                                     "power index")
        if self.params["hegemon"] not in ("rival", "strongest"):
            raise SecurityModelError(f"model {self.name!r}: hegemon must be 'rival' or "
                                     f"'strongest', got {self.params['hegemon']!r}")
        regs = [resolve_region(r) for r in (regions if regions is not None else REGIONS)]
        troops_cov = panel_coverage("us_troops")
        bases = load_panel("us_bases")
        base_count = bases[bases["base"] == 1].groupby("iso3").size()
        rows = []
        for y in years:
            y = int(y)
            vals = model.values(y)
            us_allies = defence_partners("USA", y)
            troops = None
            if troops_cov is not None and troops_cov[0] <= y <= troops_cov[1]:
                troops = load_panel("us_troops", years=y).set_index("iso3")["troops_active"]
            for reg in regs:
                local = vals.reindex(list(reg.members)).dropna()
                local = local[local > 0]
                if self.params["hegemon"] == "rival":
                    local = local[[c not in us_allies for c in local.index]]
                if local.empty:
                    raise SecurityModelError(f"model {self.name!r}: region {reg.name!r} has no "
                                             f"candidate hegemon with data in {y}")
                leader = str(local.idxmax())
                exclude = defence_partners(leader, y) if self.params["exclude_allies"] else set()
                bal = regional_balance(vals, reg, exclude=exclude, leader=leader)
                implied = str(implied_posture(bal["balancer_ratio"], self.params["threshold"]))
                n_troops = (float(troops.reindex(list(reg.members)).fillna(0).sum())
                            if troops is not None else np.nan)
                actual = (None if np.isnan(n_troops) else
                          ("onshore" if n_troops >= self.params["troop_threshold"]
                           else "offshore"))
                rows.append({
                    "year": y, "region": reg.name, "index": model.name,
                    "leader": bal["leader"], "leader_share": bal["leader_share"],
                    "balance_ratio": bal["balance_ratio"],
                    "balancer_ratio": bal["balancer_ratio"], "balancers": bal["balancers"],
                    "holds": bool(bal["balancer_ratio"] >= self.params["threshold"]),
                    "implied_posture": implied, "us_troops": n_troops,
                    "us_bases_2018": int(base_count.reindex(list(reg.members)).fillna(0).sum()),
                    "us_defence_pacts": int(sum(m in us_allies for m in reg.members)),
                    "actual_posture": actual,
                    "consistent": None if actual is None else actual == implied,
                    "missing": bal["missing"],
                })
        return pd.DataFrame(rows)


@register_model
class OffshoreBalancingLatent(OffshoreBalancing):
    """Offshore balancing on latent power (GDP), Mearsheimer's (2001) measure of the wealth a
    state could turn into military power; otherwise the same rule as ``offshore-balancing``."""

    name: ClassVar[str] = "offshore-balancing-latent"
    summary: ClassVar[str] = "does a region balance its strongest state without the US? (GDP)"
    classifier: ClassVar[dict[str, Any]] = {"question": "offshore", "kind": "rule",
                                            "inputs": ["milex", "alliances", "us_troops",
                                                       "us_bases"]}
    references: ClassVar[tuple[str, ...]] = (
        *OffshoreBalancing.references,
        "Mearsheimer (2001), The Tragedy of Great Power Politics, ch. 3 (latent power)",
    )
    defaults: ClassVar[dict[str, Any]] = {**OffshoreBalancing.defaults, "index": "gdp"}
