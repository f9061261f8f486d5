"""The ``alliances`` layer: offshore balancing by region on every date, the defence-spending
paths that pledges and commitments set, the patron's saving, and the alliance network.

(Power shares, polarity and regional balances of the dataset's economies on every date are the
``security`` layer's, :mod:`worldorder.security.layer`; this layer works on the panels' states.)

Each date starts from the base year of the panels (:mod:`worldorder.security.inputs`) and moves:

* **GDP** with the trade model: state ``c`` of dataset economy ``e`` has
  ``Y_c(d) = Y_c0 (1 + w_e(d)/100)``, ``w_e`` the real-income change (``welfare_pct``) of ``e``
  on the latest solved date (parameter ``gdp_moves_with_trade``);
* **military spending** with ``defense_pledge``: ``M_c(d) = s_c(y) Y_c(d)``, with ``s_c(y)``
  the share of GDP in the date's calendar year ``y`` on the pledge path of the latest target
  of ``e`` in force on ``d`` (before any target, the base-year share ``s_c0``):

  - ``compliance`` (default): ``s(y) = s0 + (S − s0)^+ · clip((y − b)/(T − b), 0, 1)``, the
    target ``S`` reached linearly by the target year ``T`` from ``b``, the later of the base
    year and the pledge's date (:func:`pledge_share`, the one pledge-path rule, which the
    ``security`` layer uses too);
  - an ally with a ``commitment`` of the patron (or every ally if ``pledge_rule =
    'coercive'``), after Blankenship (2021): ``s* = s0 + c d (S − s0)^+`` reached by partial
    adjustment ``s(y) = s* − (s* − s0)(1 − λ)^(y − b)``, with ``c = 1 − credibility`` of the
    commitment (the credibility of the threat of abandonment; the parameter ``credibility``
    when there is no commitment), ``d`` the ally's dependence (``uniform`` = 1, or ``troops``:
    US troops hosted over the largest host's) and ``λ`` = ``speed``;
* **US troops** with ``troop_posture``: troops leave the states of ``from_host`` (in
  proportion to those stationed) and arrive in ``to_host``.

Tables: ``offshore`` (per region and model: the regional balance, the offshore-balancing
verdict, the actual US posture) and, at the last date, ``defense_paths`` (per pledging economy
and year to the target year: spending, extra cost against the base year, gap to the pledge) and
``patron_saving`` (Olson–Zeckhauser and joint product), and ``alliance_network`` (the dataset's
alliances, ``alliances.csv``, and the commitments in force). CINC is not moved (the NMC panel
ends in 2022 and its six components are not simulated): it is the ``cinc_year`` value on every
date, as ``security_basis`` says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa

from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import DefenseTarget, PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.errors import PanelError, SecurityModelError
from worldorder.security.config import SecurityModels
from worldorder.security.inputs import CountryBase, country_base, fractional_year, panel_year
from worldorder.security.model import SecurityModel, register_model
from worldorder.security.pledges import patron_saving
from worldorder.security.regions import REGIONS, Region, resolve_region

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["AlliancesLayer", "AlliancesState", "DatedPower", "abandonment", "pledge_share",
           "pledge_start"]

_STR, _F64, _I64, _BOOL = pa.string(), pa.float64(), pa.int64(), pa.bool_()
INDICES = ("gdp", "milex", "net_power", "cinc")


@register_model
class DatedPower(SecurityModel):
    """How the ``power`` layer moves the panels on the dates of a simulation (module
    docstring of :mod:`worldorder.security.layer_power`).

    Parameters: ``base_year`` (SIPRI year of GDP, spending and shares), ``cinc_year`` (NMC year
    of CINC and population), ``troops_year``, ``alliance_year`` (ATOP year of defence pacts),
    ``gdp_moves_with_trade``, ``patron``, ``pledge_rule`` (``compliance`` or ``coercive``),
    ``credibility`` (commitment credibility assumed without a ``commitment`` step, coercive
    rule only), ``dependence`` (``uniform`` or ``troops``), ``speed`` λ, ``growth`` (real GDP
    growth a year on the ``defense_paths`` table, beyond the trade model's level effect),
    ``con_top`` (states over which Ray–Singer CON is computed), ``lower``/``upper`` (parity
    band), ``regions`` (names of :data:`~worldorder.security.regions.REGIONS`, or a mapping
    name -> ISO3 codes for regions of your own).
    """

    name: ClassVar[str] = "dated-power"
    summary: ClassVar[str] = "power indices moved by trade, pledges and troop moves, by date"
    classifier: ClassVar[dict[str, Any]] = {"question": "power", "kind": "rule",
                                            "inputs": ["milex", "nmc", "us_troops",
                                                       "alliances"]}
    references: ClassVar[tuple[str, ...]] = (
        "SIPRI Military Expenditure Database, 2025 release",
        "Singer, Bremer & Stuckey (1972); COW NMC v7.0",
        "Beckley (2018), The Power of Nations, International Security 43(2)",
        "Blankenship (2021), The Price of Protection, Security Studies 30(5)",
        "Organski & Kugler (1980), The War Ledger",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "base_year": 2024, "cinc_year": 2022, "troops_year": 2024, "alliance_year": 2024,
        "gdp_moves_with_trade": True, "patron": "USA", "pledge_rule": "compliance",
        "credibility": 0.5, "dependence": "uniform", "speed": 0.3, "growth": 0.0,
        "con_top": 5, "lower": 0.8, "upper": 1.2, "regions": tuple(REGIONS)}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "credibility": (0.0, 1.0), "speed": (1e-9, 1.0), "growth": (-0.5, 0.5),
        "con_top": (2, None), "lower": (0.0, None), "upper": (0.0, None)}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        p = self.params
        if p["pledge_rule"] not in ("compliance", "coercive"):
            raise SecurityModelError(f"model 'dated-power': pledge_rule must be 'compliance' or "
                                     f"'coercive', got {p['pledge_rule']!r}")
        if p["dependence"] not in ("uniform", "troops"):
            raise SecurityModelError(f"model 'dated-power': dependence must be 'uniform' or "
                                     f"'troops', got {p['dependence']!r}")
        self.region_list()  # unknown regions are an error now
        for key, panel in (("base_year", "milex"), ("cinc_year", "nmc"),
                           ("troops_year", "us_troops"), ("alliance_year", "alliances")):
            try:
                panel_year(panel, int(p[key]), key)
            except PanelError as exc:
                raise SecurityModelError(f"model 'dated-power': {exc}") from None

    def region_list(self) -> list[Region]:
        """The regions, resolved (unknown names are an error)."""
        regs = self.params["regions"]
        if isinstance(regs, dict):
            return [Region(str(k), tuple(v), "user-defined") for k, v in regs.items()]
        return [resolve_region(r) for r in regs]


def pledge_share(s0: np.ndarray, target: float, year: float, base_year: float, by_year: int,
                 abandon: np.ndarray | None = None, dependence: np.ndarray | None = None,
                 speed: float = 0.3) -> np.ndarray:
    """The share of GDP in ``year`` on a pledge path: the one pledge-path rule of worldorder
    (the ``security`` and ``alliances`` layers both use it).

    ``base_year`` is the year the path starts from the share ``s0`` (callers pass the later of
    the data's base year and the pledge's date: a pledge raises nothing before it is made).
    Compliance: ``s = s0 + (S − s0)^+ · clip((y − b)/(T − b), 0, 1)``. ``abandon`` (per state,
    the credibility of the threat of abandonment) selects the coercive rule for the states
    where it is not NaN: ``s* = s0 + c d (S − s0)^+``, ``s = s* − (s* − s0)(1 − λ)^(y − b)``
    (Blankenship 2021; ``d`` the dependence, 1 by default, λ = ``speed``).
    """
    s0 = np.asarray(s0, dtype=float)
    gap = np.maximum(target - s0, 0.0)
    if by_year <= base_year:
        frac = 1.0 if year >= by_year else 0.0
    else:
        frac = float(np.clip((year - base_year) / (by_year - base_year), 0.0, 1.0))
    out = s0 + frac * gap
    if abandon is not None:
        c = np.asarray(abandon, dtype=float)
        d = np.ones_like(s0) if dependence is None else np.asarray(dependence, dtype=float)
        star = s0 + np.nan_to_num(c) * d * gap
        k = max(year - base_year, 0.0)
        coerced = star - (star - s0) * (1.0 - speed) ** k
        out = np.where(np.isnan(c), out, coerced)
    return out


def abandonment(economy: str, n: int, p: dict[str, Any], commitments: dict[str, float]
                ) -> np.ndarray | None:
    """The credibility of the threat of abandonment that the pledge path of ``economy`` uses
    (``n`` states), from the ``dated-power`` parameters ``p`` and the patron's commitments:
    ``1 − credibility`` of its commitment to the economy; without one, ``1 − p['credibility']``
    under ``pledge_rule = 'coercive'``; ``None`` (compliance) otherwise and for the patron."""
    if economy == p["patron"]:
        return None
    if economy in commitments:
        return np.full(n, 1.0 - commitments[economy])
    if p["pledge_rule"] == "coercive":
        return np.full(n, 1.0 - float(p["credibility"]))
    return None


def pledge_start(tgt: DefenseTarget, base_year: float) -> float:
    """The year a pledge's path starts: the later of the base year and the pledge's date."""
    y = fractional_year(tgt.date)
    return max(float(base_year), y) if np.isfinite(y) else float(base_year)


@dataclass
class AlliancesState:
    """The alliances layer's state on the date last processed.

    Attributes:
        states: State-level figures (``iso3, economy, gdp, milex, share, population, cinc,
            troops, net_power``).
        troops: US active-duty troops by host state (moved by ``troop_posture``).
        factor: ``economy -> 1 + real-income change`` applied to GDP.
        available: Whether the dataset has economies in the panels (else no rows).
        reason: Why not, when not.
    """

    states: pd.DataFrame
    troops: pd.Series
    factor: dict[str, float] = field(default_factory=dict)
    available: bool = True
    reason: str = ""
    forces_seen: int = 0
    #: The ``offshore`` rows of the date last collected (regional balance and verdict).
    offshore: pd.DataFrame = field(default_factory=pd.DataFrame)


def _schema(*cols: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in cols])


@register_layer
class AlliancesLayer(Layer):
    """Offshore balancing on every date, the defence-spending paths of the pledges, the
    patron's saving and the alliance network (:mod:`worldorder.security.layer_power`)."""

    name: ClassVar[str] = "alliances"
    summary: ClassVar[str] = "offshore balancing by region, pledge paths and the patron's " \
                             "saving, the alliance network"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "security",
                                                                  "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        *DatedPower.references,
        "Mearsheimer & Walt (2016), The Case for Offshore Balancing, Foreign Affairs 95(4)",
        "Ray & Singer (1973); Laakso & Taagepera (1979)",
    )
    priority: ClassVar[int] = 25
    tables: ClassVar[dict[str, pa.Schema]] = {
        "offshore": _schema(("date", _STR), ("region", _STR), ("model", _STR),
                            ("leader", _STR), ("leader_share", _F64), ("balance_ratio", _F64),
                            ("balancer_ratio", _F64), ("balancers", _STR), ("holds", _BOOL),
                            ("implied_posture", _STR), ("us_troops", _F64),
                            ("us_defence_pacts", _I64), ("actual_posture", _STR),
                            ("consistent", _BOOL)),
        "defense_paths": _schema(("date", _STR), ("economy", _STR), ("year", _I64),
                                 ("rule", _STR), ("target_pct_gdp", _F64),
                                 ("by_year", _I64), ("gdp_usd_m", _F64),
                                 ("share_pct_gdp", _F64), ("spending_usd_m", _F64),
                                 ("extra_cost_usd_m", _F64), ("gap_to_pledge_usd_m", _F64)),
        "alliance_network": _schema(("date", _STR), ("a", _STR), ("b", _STR),
                                    ("link", _STR), ("credibility", _F64)),
        "patron_saving": _schema(("date", _STR), ("patron", _STR), ("year", _I64),
                                 ("model", _STR), ("allies_counterfactual", _F64),
                                 ("allies_pledged", _F64), ("patron_before", _F64),
                                 ("patron_after", _F64), ("saving", _F64)),
    }

    def init(self, sim: Context) -> AlliancesState:
        cfg = sim.get(SecurityModels)
        p = cfg.params("dated-power")
        base = self._base(sim, p)
        t = base.table
        if t.empty:
            return AlliancesState(states=t, troops=pd.Series(dtype=float), available=False,
                              reason=f"no economy of dataset {sim.world.name!r} is in the "
                                     "SIPRI and COW panels (codes must be ISO3)")
        cfg.note(self.name, "GDP, military spending, shares",
                 f"SIPRI {base.years['milex']} (current US$), GDP moved by the trade model's "
                 "real income" if p["gdp_moves_with_trade"] else
                 f"SIPRI {base.years['milex']} (current US$), GDP not moved")
        cfg.note(self.name, "CINC, population",
                 f"COW NMC {base.years['nmc']}, held on every date (not simulated)")
        cfg.note(self.name, "US troops", f"DMDC {base.years['us_troops']}, moved by "
                 "troop_posture steps")
        cfg.note(self.name, "defence pacts", f"ATOP {base.years['alliances']}")
        return AlliancesState(states=t.copy(), troops=t.set_index("iso3")["troops"].copy())

    def _base(self, sim: Context, p: dict[str, Any]) -> CountryBase:
        """The panels' base table for the years in force (read once per set of years)."""
        key = (int(p["base_year"]), int(p["cinc_year"]), int(p["troops_year"]),
               int(p["alliance_year"]))
        cache: dict[tuple[int, ...], CountryBase] = self.__dict__.setdefault("_bases", {})
        if key not in cache:
            cache[key] = country_base(sim.world, *key)
        return cache[key]

    # -- update ---------------------------------------------------------------------------
    def update(self, sim: Context, date: str) -> None:
        state = sim.get(AlliancesState)
        if not state.available:
            return
        cfg = sim.get(SecurityModels)
        p = cfg.params("dated-power")
        base = self._base(sim, p)
        pol = sim.get(PoliticalState)
        self._move_troops(sim, state, pol)
        trade = sim.get(TradeState)
        if p["gdp_moves_with_trade"] and trade.solved_on == date:
            state.factor = dict(zip(sim.world.codes, trade.welfare.tolist(), strict=True))
        t = base.table.copy()
        if state.factor:
            f = pd.Series(state.factor, dtype=float)
            k = f.index.get_indexer(t["economy"])
            t["gdp"] = t["gdp"].to_numpy() * np.where(k >= 0, f.to_numpy()[k], 1.0)
        year = fractional_year(date)
        y = int(year) if np.isfinite(year) else int(p["base_year"])
        t["share"] = self._shares(t, _targets(pol, date), cfg, p, y, base)
        t["milex"] = t["share"] * t["gdp"]
        k = state.troops.index.get_indexer(t["iso3"])
        t["troops"] = np.where(k >= 0, state.troops.to_numpy(dtype=float)[k], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            t["net_power"] = np.where(t["population"] > 0, t["gdp"] ** 2 / t["population"],
                                      np.nan)
        state.states = t

    @staticmethod
    def _shares(t: pd.DataFrame, targets: dict[str, DefenseTarget], cfg: SecurityModels,
                p: dict[str, Any], year: int, base: CountryBase) -> np.ndarray:
        s0 = t["share"].to_numpy(dtype=float)
        out = s0.copy()
        cred = cfg.credibility(str(p["patron"]))
        troops = t["troops"].to_numpy(dtype=float)
        dep = (troops / troops.max() if p["dependence"] == "troops" and troops.max() > 0
               else np.ones_like(s0))
        for econ, tgt in targets.items():
            rows = (t["economy"] == econ).to_numpy()
            abandon = abandonment(econ, int(rows.sum()), p, cred)
            out[rows] = pledge_share(s0[rows], tgt.target_pct_gdp / 100.0, year,
                                     pledge_start(tgt, int(p["base_year"])), tgt.by_year,
                                     abandon, dep[rows], float(p["speed"]))
        return out

    @staticmethod
    def _move_troops(sim: Context, state: AlliancesState, pol: PoliticalState) -> None:
        new = pol.forces[state.forces_seen:]
        state.forces_seen = len(pol.forces)
        t = state.states
        for mv in new:
            if mv.by != "USA":
                continue
            moved = float(mv.troops)
            if mv.from_host and mv.from_host != "home":
                hosts = t.loc[t["economy"] == mv.from_host, "iso3"].tolist()
                have = state.troops.reindex(hosts).fillna(0.0)
                if have.sum() > 0:
                    take = np.minimum(have, moved * have / have.sum())
                    state.troops.loc[hosts] = have - take
                    moved = float(take.sum())
            if mv.to_host and mv.to_host != "home":
                hosts = t.loc[t["economy"] == mv.to_host, "iso3"].tolist()
                if hosts:
                    have = state.troops.reindex(hosts).fillna(0.0)
                    w = have / have.sum() if have.sum() > 0 else pd.Series(
                        1.0 / len(hosts), index=hosts)
                    state.troops.loc[hosts] = have + moved * w

    # -- collect --------------------------------------------------------------------------
    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        state = sim.get(AlliancesState)
        if not state.available:
            return {}
        cfg = sim.get(SecurityModels)
        p = cfg.params("dated-power")
        base = self._base(sim, p)
        pol = sim.get(PoliticalState)
        t = state.states
        out = {"offshore": self._offshore(t, cfg, p, base)}
        state.offshore = out["offshore"]
        if sim.is_last:
            out.update(self._paths(t, pol, date, cfg, p, base))
            out["alliance_network"] = _network(sim, cfg)
        return out

    @staticmethod
    def _offshore(t: pd.DataFrame, cfg: SecurityModels, p: dict[str, Any],
                  base: CountryBase) -> pd.DataFrame:
        """The regional balance of :func:`~worldorder.security.polarity.regional_balance`
        (on arrays) and the offshore-balancing rule of
        :class:`~worldorder.security.offshore.OffshoreBalancing`, for each region."""
        rows = []
        iso = t["iso3"].to_numpy()
        pos = {c: k for k, c in enumerate(iso)}
        troops_all = t["troops"].to_numpy(dtype=float)
        for model_name in ("offshore-balancing", "offshore-balancing-latent"):
            op = cfg.params(model_name)
            if op["index"] not in ("milex", "gdp"):
                raise SecurityModelError(f"model {model_name!r}: on the dates of a simulation "
                                         "the index must be 'milex' or 'gdp'")
            vals_all = t[op["index"]].to_numpy(dtype=float)
            for reg in _regions(cfg):
                idx = np.array([pos[m] for m in reg.members if m in pos], dtype=int)
                if idx.size == 0:
                    continue
                v = vals_all[idx]
                ok = np.isfinite(v) & (v > 0)
                codes, v = iso[idx][ok], v[ok]
                if v.size == 0:
                    continue
                cand = np.ones(v.size, dtype=bool)
                if op["hegemon"] == "rival":
                    cand = np.array([c not in base.us_allies for c in codes])
                if not cand.any():
                    continue
                k = int(np.flatnonzero(cand)[np.argmax(v[cand])])
                leader = str(codes[k])
                allies = base.defence.get(leader, frozenset()) if op["exclude_allies"] \
                    else frozenset()
                others = np.arange(v.size) != k
                bal = others & np.array([c not in allies for c in codes])
                ratio = float(v[bal].sum() / v[k])
                holds = bool(ratio >= op["threshold"])
                troops = float(troops_all[idx].sum())
                actual = "onshore" if troops >= op["troop_threshold"] else "offshore"
                implied = "offshore" if holds else "onshore"
                rows.append({"region": reg.name, "model": model_name, "leader": leader,
                             "leader_share": float(v[k] / v.sum()),
                             "balance_ratio": float(v[others].sum() / v[k]),
                             "balancer_ratio": ratio,
                             "balancers": ",".join(map(str, codes[bal])), "holds": holds,
                             "implied_posture": implied, "us_troops": troops,
                             "us_defence_pacts": int(sum(m in base.us_allies
                                                         for m in reg.members)),
                             "actual_posture": actual, "consistent": actual == implied})
        return pd.DataFrame(rows)

    def _paths(self, t: pd.DataFrame, pol: PoliticalState, date: str, cfg: SecurityModels,
               p: dict[str, Any], base: CountryBase) -> dict[str, pd.DataFrame]:
        targets = _targets(pol, date)
        if not targets:
            return {}
        b = int(p["base_year"])
        growth = float(p["growth"])
        t0 = base.table
        rows = []
        cred = cfg.credibility(str(p["patron"]))
        troops = t["troops"].to_numpy(dtype=float)
        dep_all = (troops / troops.max() if p["dependence"] == "troops" and troops.max() > 0
                   else np.ones(len(t)))
        for econ, tgt in sorted(targets.items()):
            mine = (t["economy"] == econ).to_numpy()
            sub = t[mine]
            m0 = float(np.nansum(t0.loc[sub.index, "milex"].to_numpy(dtype=float)))
            s0 = t0.loc[sub.index, "share"].to_numpy(dtype=float)
            gdp = sub["gdp"].to_numpy(dtype=float)
            abandon = abandonment(econ, int(mine.sum()), p, cred)
            rule = "compliance" if abandon is None else "coercive"
            start = pledge_start(tgt, b)
            for y in range(b, max(tgt.by_year, b) + 1):
                # the path of :meth:`_shares` (the same rule), on this economy's states only
                share = pledge_share(s0, tgt.target_pct_gdp / 100.0, y, start, tgt.by_year,
                                     abandon, dep_all[mine], float(p["speed"]))
                g = gdp * (1.0 + growth) ** (y - b)
                spend = float(np.nansum(share * g))
                total_gdp = float(np.nansum(g[~np.isnan(share)]))
                rows.append({"economy": econ, "year": y, "rule": rule,
                             "target_pct_gdp": tgt.target_pct_gdp, "by_year": tgt.by_year,
                             "gdp_usd_m": total_gdp,
                             "share_pct_gdp": 100.0 * spend / total_gdp if total_gdp else
                             np.nan, "spending_usd_m": spend,
                             "extra_cost_usd_m": spend - m0,
                             "gap_to_pledge_usd_m": max(tgt.target_pct_gdp / 100.0
                                                        * total_gdp - spend, 0.0)})
        paths = pd.DataFrame(rows)
        out = {"defense_paths": paths}
        patron = str(p["patron"])
        allies = paths[paths["economy"] != patron].rename(columns={
            "economy": "iso3", "gdp_usd_m": "gdp", "spending_usd_m": "spending"})
        if len(allies) and patron in set(t0["iso3"]):
            allies = allies.assign(share=allies["share_pct_gdp"] / 100.0)
            try:
                sav = patron_saving(allies, patron=patron, base_year=b, growth=growth)
            except SecurityModelError as exc:
                cfg.note(self.name, "patron saving", f"not computed: {exc}")
            else:
                out["patron_saving"] = sav.assign(patron=patron)
        return out


def _network(sim: Context, cfg: SecurityModels) -> pd.DataFrame:
    """The dataset's alliances (``alliances.csv``: one row per pair and treaty) and the
    patrons' commitments in force (credibility)."""
    a = sim.world.alliances
    rows = [] if a.empty else [
        {"a": str(x), "b": str(y), "link": str(tr), "credibility": np.nan}
        for x, y, tr in zip(a["a"], a["b"], a.get("treaty", pd.Series([""] * len(a))),
                            strict=True)]
    latest = {(c.patron, c.ally): c.credibility for c in cfg.commitments}
    rows += [{"a": p, "b": q, "link": "commitment", "credibility": v}
             for (p, q), v in latest.items()]
    return pd.DataFrame(rows, columns=["a", "b", "link", "credibility"])


def _regions(cfg: SecurityModels) -> list[Region]:
    model = cfg.model("dated-power")
    assert isinstance(model, DatedPower)
    return model.region_list()


def _targets(pol: PoliticalState, date: str) -> dict[str, DefenseTarget]:
    """The latest defence target of each economy made on or before ``date``."""
    out: dict[str, DefenseTarget] = {}
    for tgt in pol.defense_targets:
        if date == "undated" or tgt.date <= date:
            out[tgt.economy] = tgt
    return out
