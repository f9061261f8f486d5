"""Solving the samples of a sweep: a pure function of the plan and the sample numbers.

Two paths, chosen once per sweep (:func:`fixed_policy`):

* **fixed policy** (the fast path): when only model parameters vary and every action of the
  scenario is a trade instrument whose tariffs do not depend on them (``tariff``,
  ``reciprocal_tariff``, deals; no strategic action, no configured layer), the policy at the
  scenario's last date is computed once, and solved at a few anchor points spread over the
  parameters' distributions (:meth:`~worldorder.sweeps.design.Design.anchors`). Each sample
  then resolves its parameters and solves the equilibrium from the solution at the nearest
  anchor, reusing that solution's factorised Jacobian (chord steps while each divides the
  residual by ten, then Newton with a fresh Jacobian;
  :func:`~worldorder.trade.equilibrium.solve_equilibrium` with ``jacobian="reuse"``), to the
  solver's tolerance 1e-10;
* **full scenario** (otherwise, e.g. with noise on the data, whose flows also enter the USTR
  formula, or with strategic actions that depend on the elasticities): each sample runs the
  whole scenario on its World and parameters.

Every sample starts from a point fixed by its own parameters (its nearest anchor's solution, or
the baseline), so its result does not depend on which samples a worker solved before it. Each
solution is checked against the model's invariants (:mod:`worldorder.trade.invariants`); a
sample whose solve fails or breaks them is recorded with status ``failed`` and the one-line
reason, and the sweep goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from worldorder.data.world import World
from worldorder.errors import WorldorderError
from worldorder.scenarios.scenario import ModelSpec, Scenario
from worldorder.scenarios.timeline import simulate_timeline
from worldorder.sweeps.design import Design, apply_noise, merge_overrides
from worldorder.threads import limit_blas_threads
from worldorder.trade.baseline import Baseline
from worldorder.trade.counterfactual import model_baseline, outcome_columns
from worldorder.trade.equilibrium import Equilibrium, Transfers, solve_equilibrium
from worldorder.trade.invariants import check_equilibrium
from worldorder.trade.params import ModelParams, resolve_params

__all__ = ["OUTCOMES", "Plan", "fixed_policy", "one_blas_thread", "solve_chunk"]

#: Outcome columns kept per sample and economy (see :mod:`worldorder.trade.counterfactual`).
OUTCOMES = ("welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct",
            "exports_to_gdp_pct", "imports_to_gdp_pct", "tariff_revenue_pct_gdp",
            "deficit_change_pp_gdp")


def fixed_policy(scenario: Scenario, design: Design) -> bool:
    """Whether the fast path applies: no data noise, no configured layer, and every action a
    trade instrument (classifier ``layer: trade``) that is not ``strategic``."""
    if design.noise or scenario.layers:
        return False
    for _, action in scenario.actions():
        c = type(action).classifier
        if c.get("layer") != "trade" or c.get("strategic"):
            return False
    return True


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a worker needs to solve samples (picklable).

    Attributes:
        scenario: The scenario.
        world: Its World.
        design: The sweep design.
        fast: Use the fixed-policy path.
        key: A fingerprint of all of the above (workers cache their set-up by it).
    """

    scenario: Scenario
    world: World
    design: Design
    fast: bool
    key: str = field(default="")

    @classmethod
    def make(cls, scenario: Scenario, world: World, design: Design,
             fast: bool | None = None) -> Plan:
        """A plan with its fingerprint; ``fast`` defaults to :func:`fixed_policy`."""
        use_fast = fixed_policy(scenario, design) if fast is None else fast
        text = scenario.text or scenario.model_dump_json()
        key = hashlib.sha256(json.dumps(
            [text, world.fingerprint(), design.describe(), use_fast]).encode()).hexdigest()
        return cls(scenario=scenario, world=world, design=design, fast=use_fast, key=key)


@dataclass(eq=False)
class _Setup:
    """A worker's set-up for one plan: the policy and the central solution (fast path)."""

    plan: Plan
    overrides: dict[str, Any]
    t1: np.ndarray | None = None
    dhat: np.ndarray | None = None
    anchors: list[dict[str, float]] = field(default_factory=list)
    solutions: list[Equilibrium] = field(default_factory=list)
    center_base: Any = None
    baseline_varies: bool = True
    transfers: Transfers = "fixed"


_SETUPS: dict[str, _Setup] = {}


def _setup(plan: Plan) -> _Setup:
    cached = _SETUPS.get(plan.key)
    if cached is not None:
        return cached
    sc = plan.scenario
    setup = _Setup(plan=plan, overrides=sc.model.overrides())
    if plan.fast:
        last = simulate_timeline(sc, world=plan.world).last
        setup.t1 = last.outcome.equilibrium.t1
        setup.dhat = last.outcome.dhat
        params = last.params
        setup.transfers = "proportional" if params.closure == "proportional" else "fixed"
        setup.baseline_varies = (params.closure == "balanced" or bool(params.balance_with)
                                 or any(p.name == "nu" for p in plan.design.params))
        setup.center_base = last.outcome.baseline  # the baseline when it does not vary
        for point in plan.design.anchors():
            try:  # an anchor outside the model's domain is left out
                p = _params(plan, setup.overrides, point, plan.world)
                base = (model_baseline(plan.world, p) if setup.baseline_varies
                        else setup.center_base)
                with np.errstate(all="ignore"):
                    eq = solve_equilibrium(base, p, setup.t1, setup.dhat,
                                           transfers=setup.transfers, jacobian="reuse",
                                           factor_solution=True)
            except (WorldorderError, ArithmeticError, np.linalg.LinAlgError):
                continue
            setup.anchors.append(point)
            setup.solutions.append(eq)
        if not setup.solutions:  # start from the scenario's own solution
            own = last.params
            with np.errstate(all="ignore"):
                eq = solve_equilibrium(last.outcome.baseline, own, setup.t1, setup.dhat,
                                       transfers=setup.transfers, jacobian="reuse",
                                       factor_solution=True)
            setup.anchors = [plan.design.center()]
            setup.solutions = [eq]
    _SETUPS.clear()  # one plan at a time per process
    _SETUPS[plan.key] = setup
    return setup


_LIMITED: list[int] = []  # pids of processes whose BLAS this module limited


def one_blas_thread() -> None:
    """Limit BLAS to one thread in this process, once (a process that solves samples computes
    the same bits as any other; :mod:`worldorder.threads` explains the policy)."""
    if os.getpid() not in _LIMITED:
        limit_blas_threads(1)
        _LIMITED.append(os.getpid())


def _params(plan: Plan, overrides: dict[str, Any], values: dict[str, float],
            world: World) -> ModelParams:
    merged = merge_overrides(overrides, plan.design.params, values)
    return resolve_params(world, plan.scenario.model.preset, **merged)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _solve_fast(setup: _Setup, values: dict[str, float]
                ) -> tuple[Baseline, Equilibrium, dict[str, Any]]:
    plan = setup.plan
    assert setup.solutions and setup.t1 is not None
    params = _params(plan, setup.overrides, values, plan.world)
    base = model_baseline(plan.world, params) if setup.baseline_varies else setup.center_base
    start = setup.solutions[plan.design.nearest_anchor(values, setup.anchors)]
    with np.errstate(all="ignore"):
        eq = solve_equilibrium(base, params, setup.t1, setup.dhat, transfers=setup.transfers,
                               guess=start.z, jacobian="reuse",
                               factorization=start.factorization)
    check_equilibrium(eq, plan.world.codes)
    stats = {"iterations": eq.iterations + eq.chord_steps, "residual": eq.residual,
             "seconds": eq.seconds, "method": "chord" if eq.homotopy_steps == 1 else "homotopy"}
    return base, eq, stats


def _solve_full(setup: _Setup, i: int, values: dict[str, float]
                ) -> tuple[Baseline, Equilibrium, dict[str, Any]]:
    plan = setup.plan
    design = plan.design
    world = plan.world
    if design.noise:
        world = apply_noise(world, design.noise,
                            [design.noise_rng(i, k) for k in range(len(design.noise))])
    merged = merge_overrides(setup.overrides, design.params, values)
    sc = plan.scenario.model_copy(update={
        "model": ModelSpec(preset=plan.scenario.model.preset, **merged)})
    last = simulate_timeline(sc, world=world).last
    eq = last.outcome.equilibrium
    stats = {"iterations": eq.iterations + eq.chord_steps, "residual": eq.residual,
             "seconds": eq.seconds, "method": "scenario"}
    return last.outcome.baseline, eq, stats


def solve_chunk(plan: Plan, samples: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Solve ``samples`` of ``plan``; each result depends only on the plan and the sample.

    Returns:
        ``(samples, economies)``: one row per sample (``sample, point, status, reason``, the
        parameter values, ``iterations, residual, seconds, method, welfare_world_pct``) and one
        row per sample and economy for the samples solved (``sample, economy`` and
        :data:`OUTCOMES`).
    """
    one_blas_thread()
    rows: list[dict[str, Any]] = []
    columns: list[dict[str, np.ndarray]] = []
    solved: list[int] = []
    design = plan.design
    setup = _setup(plan)
    for i in samples:
        values = design.values(i)
        row: dict[str, Any] = {"sample": i, "point": i // design.per_point,
                               "status": "ok", "reason": "", **values,
                               "iterations": 0, "residual": float("nan"),
                               "seconds": 0.0, "method": "", "welfare_world_pct":
                               float("nan")}
        start = time.perf_counter()
        try:
            if plan.fast:
                base, eq, stats = _solve_fast(setup, values)
            else:
                base, eq, stats = _solve_full(setup, i, values)
            cols = outcome_columns(base, eq)
            weights = base.Y / base.Y.sum()
            row.update(stats)
            row["welfare_world_pct"] = float((weights * cols["welfare_pct"]).sum())
            columns.append(cols)
            solved.append(i)
        except (WorldorderError, ArithmeticError, np.linalg.LinAlgError) as exc:
            row.update(status="failed", reason=_one_line(exc))
        row["seconds"] = time.perf_counter() - start
        rows.append(row)
    codes = np.asarray(plan.world.codes, dtype=object)
    econ_df = pd.DataFrame({
        "sample": np.repeat(np.asarray(solved, dtype=np.int64), len(codes)),
        "economy": np.tile(codes, len(solved)),
        **{c: (np.concatenate([cols[c] for cols in columns]) if columns
               else np.zeros(0)) for c in OUTCOMES}})
    return pd.DataFrame(rows), econ_df
