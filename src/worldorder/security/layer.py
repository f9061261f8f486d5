"""The ``security`` layer: power indices, polarity and regional balances on every date.

State (:class:`SecurityState`), for the economies of the dataset, from its baseline year (GDP
and military expenditure of ``economies.csv``, US$ bn):

- GDP moves with the trade layer's real-income change: ``Y_it = Y_i0 · Ŵ_it``, with ``Ŵ`` the
  welfare (real income) index of the equilibrium in force on the date (1 before any priced
  policy), read from ``TradeState.welfare`` (the layer solves nothing itself); the trade
  model's real income is the only macro channel the simulator has, so GDP is in baseline-year
  prices;
- military expenditure follows the ``defense_pledge``\\ s in force (the latest for each economy),
  on the one pledge path of worldorder, :func:`~worldorder.security.layer_power.pledge_share`,
  with the parameters of the ``dated-power`` model (the ``alliances`` layer reads the same):
  ``compliance`` — the share of GDP ``s_it`` rises linearly from the baseline share ``s_i0 =
  M_i0 / Y_i0`` at the pledge's date ``t_p`` to the target ``S`` by the pledge's year;
  ``coercive`` (for every pledger under ``pledge_rule: coercive``, and for an ally with a
  patron's ``commitment`` or ``threat`` of abandonment) — partial adjustment towards ``s* = s_i0
  + c (S − s_i0)^+`` at the yearly speed ``λ``, ``s_it = s* − (s* − s_i0)(1 − λ)^(t − t_p)``
  (after Blankenship 2021; ``c`` the credibility of the threat of abandonment, 1 − the
  commitment's credibility; dependence uniform here, as the dataset's economies carry no troop
  figures). A pledge never lowers a share. ``M_it = s_it Y_it``; without a pledge the baseline
  share is kept;
- power indices on the date: GDP, military expenditure and Beckley's net power ``Y²/pop``, and
  their shares among the dataset's *states* (aggregates such as ``EU-REST`` and ``ROW`` are not
  states and get no share);
- concentration (HHI, effective number of poles, Ray–Singer CON of the top five) and the
  regional balances of :data:`~worldorder.security.regions.REGIONS` (an aggregate counts for a
  region when all its constituents are members: ``EU-REST`` for Europe).

Parameters: one store, the registered models' parameters in force
(:class:`~worldorder.security.config.SecurityModels`: ``security_params`` steps change them from
a date on). A scenario's ``layers: {security: {pledge_rule: coercive, credibility: 0.5, speed:
0.3}}`` (:class:`SecurityConfig`) is a shorthand that sets the ``dated-power`` model's
``pledge_rule``, ``credibility`` (as 1 − the abandonment credibility given here) and ``speed``
at the start of the run.

Tables (one set of rows per date): ``security_power``, ``security_polarity``,
``security_regions``. Economies without a baseline military expenditure (the dataset leaves
them empty, or has no ``military_expenditure`` column) keep NaN in the military columns: never a
guess (the tables show what is missing; no run warning is raised, since these columns are
optional in a dataset).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers.politics import DefenseTarget, PoliticalState
from worldorder.engine.layers.trade import TradeState
from worldorder.security.config import ModelsInForce, SecurityModels
from worldorder.security.layer_power import abandonment, pledge_share, pledge_start
from worldorder.security.polarity import effective_poles, hhi, ray_singer_con, regional_balance
from worldorder.security.power import net_power
from worldorder.security.regions import REGIONS

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.engine.context import Context

__all__ = ["SecurityConfig", "SecurityLayer", "SecurityState", "dataset_regions",
           "date_to_year"]

_STR, _F64 = pa.string(), pa.float64()
INDICES = ("gdp", "milex", "net_power")


def date_to_year(date: str, default: float) -> float:
    """An ISO date as a fractional year (2025-07-02 → 2025.5); ``default`` if not a date."""
    try:
        d = dt.date.fromisoformat(date)
    except ValueError:
        return float(default)
    start = dt.date(d.year, 1, 1)
    days = (dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / days


def dataset_regions(world: World) -> dict[str, list[str]]:
    """The dataset economies of each region: a named economy if it is a member, an aggregate if
    all its constituents are."""
    out: dict[str, list[str]] = {}
    for name, reg in REGIONS.items():
        members = set(reg.members)
        econ = []
        for code in world.codes:
            cons = world.constituents.get(code)
            if (cons and set(cons) <= members) or (not cons and code in members):
                econ.append(code)
        out[name] = econ
    return out


class SecurityConfig(BaseModel):
    """Parameters of the security layer.

    A shorthand for the ``dated-power`` model's parameters (:meth:`overrides`), set at the
    start of the run in :class:`~worldorder.security.config.SecurityModels`, the one store of
    the security models' parameters (which ``security_params`` steps change later).

    Attributes:
        pledge_rule: ``comply`` (linear to the target by its year; ``compliance``) or
            ``coercive`` (partial adjustment towards ``s0 + credibility·(S − s0)``).
        credibility: The patron's credibility of abandonment ``c`` in [0, 1] (``coercive``;
            ``dated-power``'s commitment credibility is 1 − c).
        speed: Yearly adjustment speed ``λ`` in (0, 1] (``coercive``).
    """

    model_config = ConfigDict(extra="forbid")

    pledge_rule: Literal["comply", "coercive"] = "comply"
    credibility: float = Field(default=0.5, ge=0.0, le=1.0)
    speed: float = Field(default=0.3, gt=0.0, le=1.0)

    def overrides(self) -> dict[str, object]:
        """The ``dated-power`` parameters this section sets (only those the scenario gives)."""
        given = self.model_fields_set
        out: dict[str, object] = {}
        if "pledge_rule" in given:
            out["pledge_rule"] = "compliance" if self.pledge_rule == "comply" else "coercive"
        if "credibility" in given:
            out["credibility"] = 1.0 - self.credibility
        if "speed" in given:
            out["speed"] = self.speed
        return out


@dataclass
class SecurityState:
    """Power on the current date.

    Attributes:
        codes: The dataset's economies.
        is_state: False for aggregates (constituents listed, or ``ROW``).
        base_year: The dataset's year.
        gdp0, milex0, population: Baseline GDP and military expenditure (US$ bn), population
            (millions); NaN where the dataset has none.
        real_income: Ŵ of the equilibrium in force (1 = baseline).
        gdp, milex, share: On the current date.
        pledges: The latest ``defense_pledge`` of each economy.
    """

    codes: list[str]
    is_state: np.ndarray
    base_year: int
    gdp0: np.ndarray
    milex0: np.ndarray
    population: np.ndarray
    real_income: np.ndarray
    gdp: np.ndarray
    milex: np.ndarray
    share: np.ndarray
    pledges: dict[str, DefenseTarget] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """The power table of the current date (without the date column)."""
        st = self.is_state
        out = pd.DataFrame({"economy": self.codes, "gdp": self.gdp,
                            "gdp_change_pct": 100.0 * (self.real_income - 1.0),
                            "milex": self.milex, "milex_share_gdp": self.share})
        values = {"gdp": self.gdp, "milex": self.milex,
                  "net_power": net_power(self.gdp, self.population)}
        for name, v in values.items():
            s = np.full(len(self.codes), np.nan)
            ok = st & np.isfinite(v) & (v > 0)
            if ok.any():
                s[ok] = v[ok] / v[ok].sum()
            out[f"{name}_share"] = s
        out["pledge_pct_gdp"] = [self.pledges[c].target_pct_gdp if c in self.pledges
                                 else np.nan for c in self.codes]
        out["pledge_by_year"] = [float(self.pledges[c].by_year) if c in self.pledges
                                 else np.nan for c in self.codes]
        out["extra_milex"] = self.milex - self.milex0
        return out


@register_layer
class SecurityLayer(ModelsInForce, Layer):
    """Power, polarity and regional balances of the dataset's economies on every date (GDP with
    the trade model's real income, military spending with defence pledges)."""

    name: ClassVar[str] = "security"
    summary: ClassVar[str] = "power indices, polarity and regional balances on every date"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {
        "domain": "security", "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Beckley (2018), The Power of Nations, International Security 43(2)",
        "Ray & Singer (1973), Measuring the Concentration of Power in the International System",
        "Mearsheimer & Walt (2016), The Case for Offshore Balancing, Foreign Affairs 95(4)",
        "NATO, The Hague Summit Declaration (25 June 2025)",
    )
    priority: ClassVar[int] = 20
    tables: ClassVar[dict[str, pa.Schema]] = {
        "security_power": pa.schema([
            ("date", _STR), ("economy", _STR),
            *[(c, _F64) for c in ("gdp", "gdp_change_pct", "milex", "milex_share_gdp",
                                  "gdp_share", "milex_share", "net_power_share",
                                  "pledge_pct_gdp", "pledge_by_year", "extra_milex")]]),
        "security_polarity": pa.schema([
            ("date", _STR), ("index", _STR), ("states", pa.int64()), ("hhi", _F64),
            ("effective_poles", _F64), ("con_top5", _F64), ("leader", _STR),
            ("leader_share", _F64)]),
        "security_regions": pa.schema([
            ("date", _STR), ("region", _STR), ("index", _STR), ("leader", _STR),
            ("leader_share", _F64), ("balance_ratio", _F64), ("states", pa.int64()),
            ("members", _STR)]),
    }

    Config: ClassVar[type[BaseModel] | None] = SecurityConfig

    def __init__(self, config: BaseModel | None = None) -> None:
        super().__init__(config)
        self._regions: dict[str, list[str]] | None = None
        self._models: SecurityModels | None = None


    def init(self, sim: Context) -> SecurityState:
        if isinstance(self.config, SecurityConfig) and self.config.overrides():
            self._store(sim).set("layers: security", "dated-power", self.config.overrides())
        w = sim.world
        econ = w.economies
        if "code" in econ.columns:
            econ = econ.set_index("code")
        econ = econ.reindex(w.codes)

        def col(name: str) -> np.ndarray:
            if name not in econ.columns:
                return np.full(w.n, np.nan)
            return pd.to_numeric(econ[name], errors="coerce").to_numpy(dtype=float)

        gdp0 = w.gdp.astype(float).copy()
        milex0 = col("military_expenditure")
        is_state = np.array([c not in w.constituents and c != "ROW" for c in w.codes])
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(gdp0 > 0, milex0 / gdp0, np.nan)
        return SecurityState(codes=list(w.codes), is_state=is_state,
                             base_year=int(w.year or 2024), gdp0=gdp0, milex0=milex0,
                             population=col("population"), real_income=np.ones(w.n),
                             gdp=gdp0.copy(), milex=milex0.copy(), share=share)

    def update(self, sim: Context, date: str) -> None:
        state = sim.get(SecurityState)
        trade = sim.get(TradeState)
        # real income of the equilibrium in force: the trade layer's (never solved again here)
        if np.array_equal(trade.t, trade.t0) and np.all(trade.dhat == 1.0):
            state.real_income = np.ones(len(state.codes))
        elif trade.solved_on:
            state.real_income = np.asarray(trade.welfare, dtype=float)
        state.gdp = state.gdp0 * state.real_income
        # defence pledges in force: the latest per economy
        for rec in sim.get(PoliticalState).defense_targets:
            state.pledges[rec.economy] = rec
        now = date_to_year(date, state.base_year)
        models = self._store(sim)
        p = models.params("dated-power")
        cred = models.credibility(str(p["patron"]))
        share0 = np.where(state.gdp0 > 0, state.milex0 / state.gdp0, np.nan)
        share = share0.copy()
        for k, code in enumerate(state.codes):
            pl = state.pledges.get(code)
            if pl is None or np.isnan(share0[k]):
                continue
            share[k] = pledge_share(share0[k:k + 1], pl.target_pct_gdp / 100.0, now,
                                    pledge_start(pl, state.base_year), pl.by_year,
                                    abandonment(code, 1, p, cred), None, float(p["speed"]))[0]
        state.share = share
        state.milex = share * state.gdp

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        state = sim.get(SecurityState)
        power = state.frame()
        codes = np.asarray(state.codes)
        pol_rows = []
        for index in INDICES:
            v = power[f"{index}_share"].to_numpy(dtype=float)
            ok = state.is_state & np.isfinite(v) & (v > 0)
            if not ok.any():
                continue
            x, names = v[ok], codes[ok]
            order = np.argsort(-x, kind="stable")
            pol_rows.append({"index": index, "states": int(ok.sum()), "hhi": hhi(x),
                             "effective_poles": effective_poles(x),
                             "con_top5": ray_singer_con(x[order[:5]]),
                             "leader": str(names[order[0]]),
                             "leader_share": float(x[order[0]] / x.sum())})
        reg_rows = []
        if self._regions is None:
            self._regions = dataset_regions(sim.world)
        values = {"gdp": dict(zip(state.codes, state.gdp, strict=True)),
                  "milex": dict(zip(state.codes, state.milex, strict=True))}
        for region, members in self._regions.items():
            for index, table in values.items():
                have = [m for m in members if np.isfinite(table[m]) and table[m] > 0]
                if len(have) < 2:
                    continue
                b = regional_balance(table, have)
                reg_rows.append({"region": region, "index": index, "leader": b["leader"],
                                 "leader_share": b["leader_share"],
                                 "balance_ratio": b["balance_ratio"], "states": b["n_states"],
                                 "members": ",".join(have)})
        return {"security_power": power,
                "security_polarity": pd.DataFrame(pol_rows, columns=[
                    "index", "states", "hhi", "effective_poles", "con_top5", "leader",
                    "leader_share"]),
                "security_regions": pd.DataFrame(reg_rows, columns=[
                    "region", "index", "leader", "leader_share", "balance_ratio", "states",
                    "members"])}
