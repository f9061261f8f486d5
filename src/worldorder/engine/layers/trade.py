"""The trade layer: tariffs and trade costs in, general equilibrium out.

Its state, :class:`TradeState`, holds the baseline tariffs ``t0``, the tariffs in force ``t``
and the iceberg trade-cost changes ``dhat``; trade actions change them. After a date's actions
the layer solves the equilibrium of :mod:`worldorder.trade` when ``t`` or ``dhat`` changed since
the last solve, always relative to the original baseline and warm-started from the previous
solution. A date whose actions the trade model does not price keeps the last solution (nothing
is solved or recorded for it). If nothing is ever priced, the last date is solved (a zero shock)
so that every run has results.

Each solved date's result is a *separate static equilibrium* of the policy in force on that
date, compared with the baseline year: dates are not linked by dynamics.

Tables (recorded on solved dates): ``economies`` (one row per economy, with ``*_step`` changes
from the previous solved date), ``flows`` (one row per pair) and ``policies`` (every pair whose
tariff differs from the baseline).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import BaseModel

from worldorder.engine.layer import Layer, register_layer
from worldorder.trade.counterfactual import Outcome, model_baseline, run_counterfactual

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.engine.context import Context
    from worldorder.trade.baseline import Baseline

__all__ = ["STEP_COLUMNS", "Solution", "TradeLayer", "TradeState", "policy_table"]

_STR, _F64 = pa.string(), pa.float64()

#: Columns of ``economies`` whose change from the previous solved date is recorded as ``*_step``.
STEP_COLUMNS = ("welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct")


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in fields])


@dataclass
class TradeState:
    """Tariffs and trade costs in force.

    Attributes:
        world: The World.
        t0: Baseline tariffs (``t0[j, i]``: charged by importer i on goods from j).
        t: Tariffs in force.
        dhat: Iceberg trade-cost changes relative to the baseline (1 = none).
        history: The tariff matrix after each date processed (solved or not).
        welfare: Ŵ (real income, 1 = the baseline) of every economy in the equilibrium in
            force: the last one the layer solved (ones before the first solve). Layers above
            read it instead of solving again.
        flows: International flows ``flows[j, i]`` (exports of j to i, the dataset's value
            unit) in the equilibrium in force: the counterfactual flows of the last solve on
            the pairs that trade at the baseline, zero on the diagonal (the dataset's flows
            before the first solve).
        solved_on: The date of the last solve (empty before the first).
    """

    world: World
    t0: np.ndarray
    t: np.ndarray
    dhat: np.ndarray
    history: dict[str, np.ndarray] = field(default_factory=dict)
    welfare: np.ndarray = field(default_factory=lambda: np.ones(0))
    flows: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    solved_on: str = ""

    @classmethod
    def start(cls, world: World) -> TradeState:
        """Baseline tariffs, no trade-cost change."""
        return cls(world=world, t0=world.tariffs.copy(), t=world.tariffs.copy(),
                   dhat=np.ones_like(world.trade), welfare=np.ones(world.n),
                   flows=np.array(world.trade, dtype=float, copy=True))

    def dhat_or_none(self) -> np.ndarray | None:
        """``dhat``, or ``None`` when no trade cost changed (the solver's fast path)."""
        return None if np.all(self.dhat == 1.0) else self.dhat


@dataclass(eq=False)
class Solution:
    """The equilibrium solved on one date.

    Attributes:
        outcome: Baseline, equilibrium and the economies and flows tables.
        policies: Every pair whose tariff differs from the baseline.
        notes: The notes kept by actions up to this date (by key).
        solver: ``iterations`` (Newton steps), ``chord_steps`` (steps reusing a factorisation),
            ``residual``, ``seconds``, ``homotopy_steps``.
        warnings: Data warnings (e.g. economies whose domestic sales were clipped).
    """

    outcome: Outcome
    policies: pd.DataFrame
    notes: dict[str, pd.DataFrame]
    solver: dict[str, float | int]
    warnings: list[str]


def policy_table(state: TradeState) -> pd.DataFrame:
    """Every pair whose tariff changed: ``imposer, target, rate_before, rate_after``."""
    changed = np.abs(state.t - state.t0) > 1e-12
    j, i = np.nonzero(changed)
    codes = np.asarray(state.world.codes)
    df = pd.DataFrame({"imposer": codes[i], "target": codes[j],
                       "rate_before": state.t0[j, i], "rate_after": state.t[j, i]})
    return df.sort_values(["imposer", "target"], ignore_index=True)


@register_layer
class TradeLayer(Layer):
    """The general-equilibrium trade model of Ignatenko, Macedoni, Lashkaripour & Simonovska
    (2025) (see :mod:`worldorder.trade.equilibrium` for its equations), solved on every date on
    which tariffs or trade costs change."""

    name: ClassVar[str] = "trade"
    summary: ClassVar[str] = "general-equilibrium trade model, solved when policy changes"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {
        "domain": "trade", "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), 'Making America Great Again? "
        "The Economic Impacts of Liberation Day Tariffs', JIE",
        "Dekle, Eaton & Kortum (2008), IMF Staff Papers",
    )
    priority: ClassVar[int] = 0
    tables: ClassVar[dict[str, pa.Schema]] = {
        "economies": _schema(
            ("date", _STR), ("economy", _STR), ("name", _STR),
            *[(c, _F64) for c in (
                "welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct",
                "exports_to_gdp_pct", "imports_to_gdp_pct", "trade_balance_change_pct",
                "tariff_revenue", "tariff_revenue_pct_gdp", "nominal_wage_pct",
                "expenditure_pct", "exports_to_gdp_after", "imports_to_gdp_after",
                "domestic_share_after", "welfare_pct_step", "real_wage_pct_step",
                "employment_pct_step", "price_index_pct_step", "deficit_change_pp_gdp")]),
        "flows": _schema(
            ("date", _STR), ("exporter", _STR), ("importer", _STR),
            *[(c, _F64) for c in ("value_before", "value_after", "change_pct", "tariff_before",
                                  "tariff_after")]),
        "policies": _schema(
            ("date", _STR), ("imposer", _STR), ("target", _STR), ("rate_before", _F64),
            ("rate_after", _F64)),
    }

    def __init__(self, config: BaseModel | None = None) -> None:
        super().__init__(config)
        self.solutions: dict[str, Solution] = {}
        self._baseline: Baseline | None = None
        self._t_prev: np.ndarray | None = None
        self._d_prev: np.ndarray | None = None
        self._guess: np.ndarray | None = None
        self._levels: dict[str, pd.Series] = {}

    def init(self, sim: Context) -> TradeState:
        self._baseline = model_baseline(sim.world, sim.params)
        state = TradeState.start(sim.world)
        self._t_prev, self._d_prev = state.t.copy(), state.dhat.copy()
        return state

    def update(self, sim: Context, date: str) -> None:
        state = sim.get(TradeState)
        state.history[date] = state.t.copy()
        changed = (self._t_prev is None or self._d_prev is None
                   or not (np.array_equal(state.t, self._t_prev)
                           and np.array_equal(state.dhat, self._d_prev)))
        if not (changed or (sim.is_last and not self.solutions)):
            return
        outcome = run_counterfactual(sim.world, sim.params, state.t, state.dhat_or_none(),
                                     baseline=self._baseline, guess=self._guess)
        eq = outcome.equilibrium
        solver: dict[str, float | int] = {
            "iterations": eq.iterations, "chord_steps": eq.chord_steps, "residual": eq.residual,
            "seconds": eq.seconds, "homotopy_steps": eq.homotopy_steps}
        warnings = [f"{sim.world.codes[k]}: imports exceed GDP plus the trade deficit, so its "
                    "domestic sales were set to zero (check its GDP and trade)"
                    for k in outcome.baseline.clipped] + sim.params.warnings()
        self.solutions[date] = Solution(outcome=outcome, policies=policy_table(state),
                                        notes=dict(sim.notes), solver=solver,
                                        warnings=warnings)
        sim.warnings.extend(w for w in warnings if w not in sim.warnings)
        self._guess = eq.z
        self._t_prev, self._d_prev = state.t.copy(), state.dhat.copy()
        state.welfare = np.array(eq.welfare, dtype=float, copy=True)
        X0 = outcome.baseline.X
        state.flows = np.where((X0 > 0) & ~np.eye(X0.shape[0], dtype=bool), eq.X1, 0.0)
        state.solved_on = date

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        sol = self.solutions.get(date)
        if sol is None:
            return {}
        econ = _dated(sol.outcome.economies, date)
        for col in STEP_COLUMNS:
            level = 1.0 + econ[col] / 100.0
            prev = self._levels.get(col)
            before = (pd.Series(1.0, index=econ.index) if prev is None
                      else econ["economy"].map(prev).fillna(1.0))
            econ[f"{col}_step"] = 100.0 * (level / before - 1.0)
            self._levels[col] = pd.Series(level.to_numpy(), index=econ["economy"].to_numpy())
        return {"economies": econ, "flows": _dated(sol.outcome.flows, date),
                "policies": _dated(sol.policies, date)}


def _dated(df: pd.DataFrame, date: str) -> pd.DataFrame:
    out = df.assign(date=date)
    return out[["date", *[c for c in out.columns if c != "date"]]]
