"""Tariff instruments: who taxes whom at what rate.

Library functions that build tariff changes; the scenario actions call them. Matrices follow the
model's orientation: ``t[j, i]`` is the ad valorem rate charged by importer i on goods from j.
A *change* is an ``(N, N)`` array that is NaN where a pair is untouched.

* :func:`tariff_change`: a tariff by one economy or group on all or listed partners, a uniform rate
  or a per-partner schedule, with exemptions;
* :func:`reciprocal_ustr2025`: the 2025 USTR "reciprocal" formula computed from the dataset's own
  bilateral balances (Office of the U.S. Trade Representative, "Reciprocal Tariff Calculations",
  April 2025);
* :func:`mirror_retaliation`: each target sets on the imposer the additional rate it now faces;
* :func:`optimal_tariff`: the optimal uniform tariff of one economy, numerically and in closed
  form (Ignatenko et al. 2025; Lashkaripour 2021, "The cost of a global tariff war", JIE).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from worldorder.errors import ModelDomainError, NumericsError, ScenarioError
from worldorder.numerics import maximise_scalar
from worldorder.trade.evaluator import Evaluator

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.baseline import Baseline
    from worldorder.trade.params import ModelParams

__all__ = [
    "MAX_RATE",
    "apply_change",
    "check_upper",
    "mirror_retaliation",
    "optimal_tariff",
    "optimal_tariff_closed_form",
    "reciprocal_ustr2025",
    "tariff_change",
]


def _as_list(names: str | Iterable[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def _imposers(world: World, by: str | Iterable[str]) -> tuple[list[int], set[tuple[int, int]]]:
    """Imposer positions and the pairs inside each imposing group (never taxed by it)."""
    idx: list[int] = []
    internal: set[tuple[int, int]] = set()
    for name in _as_list(by):
        members = [world.index(c) for c in world.expand(name)]
        idx.extend(members)
        if name in world.groups:
            internal.update((a, b) for a in members for b in members)
    return sorted(set(idx)), internal


def tariff_change(world: World, by: str | Iterable[str], on: str | Iterable[str] |
                  Mapping[str, float] = "all", rate: float | None = None,
                  exempt: Iterable[str] = ()) -> np.ndarray:
    """Rates that ``by`` sets on goods from ``on``.

    Args:
        world: The World.
        by: Imposing economy, group (every member imposes) or list of them.
        on: ``"all"``, a list of economies/groups (at ``rate``), or a mapping economy/group ->
            rate (a per-partner schedule; an economy entry wins over its group's).
        rate: The uniform rate (required unless ``on`` is a mapping).
        exempt: Economies or groups left untouched.

    Returns:
        ``(N, N)`` change, NaN where untouched. Imposers never tax themselves, and members of an
        imposing group never tax each other.

    Raises:
        KeyError: An unknown economy or group.
        ValueError: A missing or negative rate.
    """
    n = world.n
    out = np.full((n, n), np.nan)
    imposers, internal = _imposers(world, by)
    if isinstance(on, Mapping):
        if rate is not None:
            raise ScenarioError("give either a uniform rate or a per-partner schedule, not both")
        targets: dict[int, float] = {}
        for key in sorted(on, key=lambda k: k not in world.groups):  # groups first
            for c in world.expand(key):
                targets[world.index(c)] = float(on[key])
    else:
        if rate is None:
            raise ScenarioError("a uniform rate is required when 'on' is not a schedule")
        targets = {world.index(c): float(rate) for c in world.expand(_as_list(on))}
    if any(r <= -1 or not math.isfinite(r) for r in targets.values()):
        raise ScenarioError("tariff rates must be finite and greater than -100%")
    skip = {world.index(c) for c in world.expand(_as_list(exempt))} if exempt else set()
    for i in imposers:
        for j, r in targets.items():
            if j != i and j not in skip and (j, i) not in internal:
                out[j, i] = r
    return out


def apply_change(t: np.ndarray, t0: np.ndarray, change: np.ndarray, *,
                 basis: str = "additional", stack: bool = False) -> np.ndarray:
    """Apply a change to the current tariffs ``t``.

    ``basis="additional"``: the rate is a duty on top of the baseline, ``t = t0 + rate``
    (replacing an earlier additional duty on the pair); ``basis="total"``: ``t = rate``;
    ``stack=True``: ``t = t + rate`` (on top of whatever the pair already pays).

    Raises:
        ModelDomainError: A resulting tariff is not finite or at or below −100% (the price
            factor 1 + t must stay positive: the model's domain), e.g. two stacked −90%
            subsidies.
    """
    new = t.copy()
    m = ~np.isnan(change)
    if stack:
        new[m] = t[m] + change[m]
    elif basis == "total":
        new[m] = change[m]
    elif basis == "additional":
        new[m] = t0[m] + change[m]
    else:
        raise ScenarioError(f"unknown basis {basis!r} (additional or total)")
    bad = m & ~(np.isfinite(new) & (new > -1.0))
    if bad.any():
        worst = float(np.min(np.where(bad, np.nan_to_num(new, nan=-np.inf), np.inf)))
        raise ModelDomainError(f"a tariff would become {100 * worst:,.0f}% on "
                               f"{int(bad.sum())} pair(s): tariffs must stay above -100% (rates "
                               "are fractions, -0.1 = a 10% import subsidy; stacked changes "
                               "add up)")
    return new


def reciprocal_ustr2025(world: World, by: str = "USA", *, floor: float = 0.10,
                        exempt: Iterable[str] = (), aggregate: Iterable[str] | None = None,
                        ) -> tuple[np.ndarray, pd.DataFrame]:
    """The USTR 2025 "reciprocal" rates from the dataset's bilateral balances.

    With M and X the imposer's imports from and exports to a partner, the "charged" figure is
    ``c = round(100 (M − X) / M)`` percent, at least the floor; the applied rate is
    ``ceil(c / 2)`` percent, at least the floor (floor 10%: charged 67% → 34%, 39% → 20%).

    Args:
        world: The World (its trade matrix gives M and X).
        by: The imposing economy or group.
        floor: The minimum rate (0.10).
        exempt: Economies or groups exempted (left untouched).
        aggregate: Groups whose members are treated as one partner (the USTR computed one figure
            for the EU). Default: ``["EU"]`` when the dataset has an EU group.

    Returns:
        The change matrix (additional rates) and a table ``partner, imports, exports, charged,
        rate`` (percent figures as fractions).
    """
    imposers, _ = _imposers(world, by)
    if aggregate is None:
        aggregate = ["EU"] if "EU" in world.groups else []
    units: list[tuple[str, list[int]]] = []
    done: set[int] = set(imposers)
    for g in aggregate:
        members = [world.index(c) for c in world.expand(g) if world.index(c) not in done]
        if members:
            units.append((g, members))
            done.update(members)
    units += [(c, [k]) for k, c in enumerate(world.codes) if k not in done]
    skip = {world.index(c) for c in world.expand(_as_list(exempt))} if exempt else set()
    X = world.trade
    out = np.full((world.n, world.n), np.nan)
    rows = []
    fl = round(100 * floor)
    for name, members in units:
        imports = float(X[np.ix_(members, imposers)].sum())
        exports = float(X[np.ix_(imposers, members)].sum())
        charged = max(round(100 * (imports - exports) / imports), fl) if imports > 0 else fl
        applied = max(math.ceil(charged / 2), fl)
        rows.append({"partner": name, "imports": imports, "exports": exports,
                     "charged": charged / 100, "rate": applied / 100,
                     "exempt": all(m in skip for m in members)})
        for j in members:
            if j not in skip:
                out[j, imposers] = applied / 100
    return out, pd.DataFrame(rows)


def mirror_retaliation(world: World, t: np.ndarray, t0: np.ndarray, against: str,
                       by: str | Iterable[str] = "all") -> np.ndarray:
    """Each retaliator sets on ``against`` the additional rate it now faces from it.

    Args:
        world: The World.
        t: Current tariffs (after the imposer's policies).
        t0: Baseline tariffs.
        against: The imposer (economy or group).
        by: Retaliators (economies/groups), or ``"all"``: every economy ``against`` now taxes
            above the baseline.

    Returns:
        Change matrix of additional rates (NaN where untouched).
    """
    targets = [world.index(c) for c in world.expand(against)]
    surcharge = t - t0
    if by == "all":
        retal = sorted({j for j in range(world.n) for a in targets
                        if j not in targets and surcharge[j, a] > 1e-12})
    else:
        retal = [world.index(c) for c in world.expand(_as_list(by)) if world.index(c)
                 not in targets]
    out = np.full((world.n, world.n), np.nan)
    for j in retal:
        for a in targets:
            if surcharge[j, a] > 0:
                out[a, j] = surcharge[j, a]
    return out


def optimal_tariff_closed_form(base: Baseline, params: ModelParams, i: int) -> float:
    """Closed-form optimal uniform tariff of economy i (Ignatenko et al. 2025):

    .. math::

        t^*_i = 1 / ((1 + δ_i ε_i) φ_i − 1),\\qquad
        δ_i = \\frac{\\sum_{k≠i} X_{ik}(1-ν_k)(1-λ_{ik})}{(1-ν_i)(E_i - X_{ii})}.

    With ν = 0 and φ = 1 this is the familiar t* = 1/(ε δ_i): the inverse of the export-supply
    elasticity that i faces (Gros 1987; Costinot & Rodríguez-Clare 2014).
    """
    X, lam, nu = base.X, base.lam, params.nu
    mask = np.arange(base.n) != i
    num = float((X[i, mask] * (1 - nu[mask]) * (1 - lam[i, mask])).sum())
    den = (1 - nu[i]) * (base.E[i] - X[i, i])
    delta = num / den
    return float(1.0 / ((1.0 + delta * params.epsilon[i]) * params.phi[i] - 1.0))


#: The largest upper bound a tariff search accepts: a 1,000% tariff. It cuts the taxed flows by
#: a factor 11^ε (160,000 at ε = 5); a higher bound asks the solver for equilibria at rates where
#: deficit economies have none (each failed solve costs about a second on world-2024) and changes
#: no answer except through the fixed-deficit artifact (see :func:`optimal_tariff`). An optimum
#: on the bound is reported (``at_bound``).
MAX_RATE = 10.0


def check_upper(upper: float, field: str = "upper") -> float:
    """``upper`` as a float, if it is a valid bound of a tariff search: 0 < upper ≤ MAX_RATE.

    Raises:
        NumericsError: A bound that is not a number, not positive, or above :data:`MAX_RATE`.
    """
    if isinstance(upper, bool) or not isinstance(upper, int | float | np.floating):
        raise NumericsError(f"{field}: the bound on rates must be a number, got {upper!r}")
    if not (math.isfinite(upper) and upper > 0):
        raise NumericsError(f"{field}: the bound on rates must be positive, got {upper!r}")
    if upper > MAX_RATE:
        raise NumericsError(f"{field}: {upper:g} is above the largest bound accepted, "
                            f"{MAX_RATE:g} (a {100 * MAX_RATE:,.0f}% tariff already prohibits "
                            "trade); use a bound of at most that")
    return float(upper)


def optimal_tariff(world: World, params: ModelParams, economy: str,
                   t: np.ndarray | None = None, *, upper: float = 1.0) -> dict[str, float]:
    """The optimal uniform tariff of ``economy`` given everyone else's tariffs.

    Numerically: maximise Ŵ_i(τ) over one uniform rate τ on all of i's imports, solving the full
    equilibrium at each trial (:func:`worldorder.numerics.maximise_scalar`: a 31-point scan of
    [0, min(upper, 1)] continued geometrically up to ``upper``, then a bounded Brent search
    around the best point; warm-started by an
    :class:`~worldorder.trade.evaluator.Evaluator`). Closed form:
    :func:`optimal_tariff_closed_form` evaluated at the model baseline. The closed form is exact
    to first order in the Armington case with balanced trade (tested); with scale economies,
    labour supply and deficits it is a benchmark and the two are reported side by side.
    :func:`worldorder.strategy.best_response` generalises this search (groups, listed partners,
    per-partner rates).

    Caveat (fixed transfers): a deficit economy must keep importing its fixed deficit however
    high its tariff, so the revenue on that forced import makes its welfare rise again at
    prohibitive rates. This artifact is why Ossa (2014) purges deficits before computing optimal
    tariffs; use ``closure: balanced`` for the clean benchmark. The search is bounded at
    ``upper`` (100% by default, at most :data:`MAX_RATE`) and ``at_bound`` says whether the
    optimum sits on it.

    Raises:
        NumericsError: ``upper`` is not in (0, MAX_RATE].
        ConvergenceError: No equilibrium at any rate tried.

    Returns:
        ``numerical``, ``welfare_pct`` at the numerical optimum, ``closed_form``,
        ``welfare_pct_closed_form`` and ``at_bound`` (a bool).
    """
    upper = check_upper(upper)
    ev = Evaluator(world, params)
    i = world.index(economy)
    current = ev.t0 if t is None else np.asarray(t, dtype=float)

    def welfare(rate: float) -> float:
        t1 = current.copy()
        t1[:, i] = rate
        t1[i, i] = 0.0
        w = ev.valid_welfare(t1)  # None: no valid equilibrium at this rate (e.g. a surplus
        return -np.inf if w is None else float(w[i])  # economy's expenditure < 0): never optimal

    # Welfare need not be concave in the tariff (scale economies, labour supply).
    best = maximise_scalar(welfare, 0.0, upper, what=f"the uniform tariff of {economy}")
    closed = float(optimal_tariff_closed_form(ev.baseline, params, i))
    return {
        "at_bound": best.at_upper or best.at_edge,
        "numerical": best.x,
        "welfare_pct": 100.0 * (best.fx - 1.0),
        "closed_form": closed,
        "welfare_pct_closed_form": 100.0 * (welfare(closed) - 1.0),
    }
