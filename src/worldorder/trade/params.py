"""Model parameters and presets of the trade-equilibrium core.

Per-economy parameters (arrays over economies, in World order):

* ``epsilon`` ε_i: trade elasticity of importer i's demand;
* ``kappa`` κ_i: labour-supply elasticity;
* ``psi`` ψ_j ≥ 0: scale economies of exporter j (unit cost ∝ ŵ_j L̂_j^(−ψ_j)); ψ_j ε ≥ 1 is
  allowed, with a warning that the equilibrium may not be unique (:meth:`ModelParams.warnings`);
* ``nu`` ν_i: share of the value of sales in market i paid to i's own factors (local
  distribution);
* ``phi`` φ_i: tariff pass-through parameter.

Presets (Ignatenko, Macedoni, Lashkaripour & Simonovska 2025, "Making America Great Again? The
Economic Impacts of Liberation Day Tariffs", Journal of International Economics):

* ``ignatenko2025``: ε = 4, κ = 0.5, ψ = 0.67/ε, θ = ε/0.67,
  φ_i = 1 + (1+θ)/((1−ν_i)θ) − 1/θ − 1, ν = 0.2705 for the USA and 0.1143 elsewhere,
  tariff revenue recycled as income-tax relief, transfers fixed relative to world income;
* ``ek-krugman``: the same with ν = 0 and φ = 1. Like every preset it takes the domestic flows
  X_ii from the dataset when the dataset measures them (``domestic_flows = true``); otherwise
  they are derived as X_ii = GDP_i + T_i − imports_i with ν = 0
  (:func:`~worldorder.trade.baseline.baseline_from_world`);
* ``armington``: κ = 0, ψ = 0, ν = 0, φ = 1, lump-sum rebate: the exact-hat model of Dekle,
  Eaton & Kortum (2008), "Global Rebalancing with Gravity", IMF Staff Papers 55(3).

Every parameter can be overridden, per economy where it is per economy, with a scalar or a mapping
``{CODE or GROUP: value, default: value}``. When ``nu`` is overridden and ``phi`` is not, ``phi`` is
derived from ``nu`` by the preset's formula; likewise ``psi`` from ``epsilon``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from worldorder.errors import ParameterError
from worldorder.registry import CLOSURES, PRESETS
from worldorder.trade.baseline import baseline_from_world

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["CLOSURES", "PLAUSIBLE_MAX", "PRESETS", "ClosureSpec", "ModelParams",
           "ParamValue", "parameter_warnings", "resolve_params"]

Revenue = Literal["income_tax", "lump_sum"]
Closure = Literal["fixed_transfers", "balanced", "proportional"]
Numeraire = Literal["price_index", "world_income"]

PER_ECONOMY = ("epsilon", "kappa", "psi", "nu", "phi")
SCALE_ELASTICITY = 0.67  # ψ·ε in Ignatenko et al. (2025), their θ = ε / 0.67


def phi_ignatenko(nu: np.ndarray, epsilon: np.ndarray) -> np.ndarray:
    """Tariff pass-through φ_i = 1 + (1+θ)/((1−ν_i)θ) − 1/θ − 1 with θ = ε/0.67."""
    theta = epsilon / SCALE_ELASTICITY
    return 1.0 + (1.0 + theta) / ((1.0 - nu) * theta) - 1.0 / theta - 1.0


def psi_ignatenko(epsilon: np.ndarray) -> np.ndarray:
    """Scale elasticity ψ = 0.67/ε."""
    return SCALE_ELASTICITY / epsilon


#: A model setting as a user gives it: a number, a mapping economy or group -> number with a
#: ``default`` entry, a switch's name (closure, revenue, numeraire) or economy codes
#: (balance_with).
ParamValue = float | str | Mapping[str, float] | list[str]

#: Named parameter sets (registered in :data:`worldorder.registry.PRESETS`).
PRESETS.add("ignatenko2025", {
    "epsilon": 4.0, "kappa": 0.5, "psi": psi_ignatenko,
    "nu": {"USA": 0.2705, "default": 0.1143}, "phi": phi_ignatenko,
    "revenue": "income_tax", "closure": "fixed_transfers",
    "reference": "Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), JIE",
})
PRESETS.add("ek-krugman", {
    "epsilon": 4.0, "kappa": 0.5, "psi": psi_ignatenko, "nu": 0.0, "phi": 1.0,
    "revenue": "income_tax", "closure": "fixed_transfers",
    "reference": "Ignatenko et al. (2025), Eaton-Kortum/Krugman special case (nu=0, phi=1)",
})
PRESETS.add("armington", {
    "epsilon": 4.0, "kappa": 0.0, "psi": 0.0, "nu": 0.0, "phi": 1.0,
    "revenue": "lump_sum", "closure": "fixed_transfers",
    "reference": "Dekle, Eaton & Kortum (2008), IMF Staff Papers",
})


@dataclass(frozen=True)
class ClosureSpec:
    """How trade imbalances adjust in a counterfactual (implemented in
    :mod:`worldorder.trade.equilibrium`)."""

    name: str
    summary: str
    reference: str = ""


for _closure in (
    ClosureSpec("fixed_transfers", "deficits fixed relative to world income",
                "Dekle, Eaton & Kortum (2008)"),
    ClosureSpec("balanced", "deficits removed first, then the policy applied",
                "Ossa (2014), AER 104(12)"),
    ClosureSpec("proportional", "deficits a fixed share of own income (Walras-consistent)"),
):
    CLOSURES.add(_closure.name, _closure)


@dataclass(frozen=True, eq=False)
class ModelParams:
    """Resolved parameters: one array entry per economy, plus the model switches.

    Attributes:
        codes: Economy codes in World order.
        epsilon, kappa, psi, nu, phi: Per-economy arrays (see the module docstring).
        revenue: ``income_tax`` (revenue relieves labour-income taxes) or ``lump_sum``.
        closure: ``fixed_transfers`` (deficits fixed relative to world income),
            ``proportional`` (deficits a fixed share of own income) or ``balanced`` (Ossa 2014:
            deficits removed first, then the policy applied).
        numeraire: ``price_index`` (Σ_i E_i (P̂_i − 1) = 0) or ``world_income``
            (Σ_i Y'_i = Σ_i Y_i).
        preset: Name of the preset the parameters came from.
        overrides: The overrides as given (for manifests).
        balance_with: Economies (codes) with which every economy's trade imbalance is removed
            before the policy is applied, or empty (see
            :func:`~worldorder.trade.counterfactual.model_baseline`).
    """

    codes: tuple[str, ...]
    epsilon: np.ndarray
    kappa: np.ndarray
    psi: np.ndarray
    nu: np.ndarray
    phi: np.ndarray
    revenue: Revenue = "income_tax"
    closure: Closure = "fixed_transfers"
    numeraire: Numeraire = "price_index"
    preset: str = "ignatenko2025"
    overrides: Mapping[str, ParamValue | None] = field(default_factory=dict)
    balance_with: tuple[str, ...] = ()

    def describe(self) -> dict[str, ParamValue]:
        """A JSON-ready description: per-economy values as ``{default, exceptions}``."""
        out: dict[str, ParamValue] = {"preset": self.preset, "revenue": self.revenue,
                                      "closure": self.closure, "numeraire": self.numeraire}
        if self.balance_with:
            out["balance_with"] = ",".join(self.balance_with)
        for name in PER_ECONOMY:
            arr = getattr(self, name)
            with np.errstate(over="ignore", invalid="ignore"):  # beyond 1e15 nothing to round
                rounded = np.where(np.abs(arr) < 1e15, np.round(arr, 12), arr)
            vals, counts = np.unique(rounded, return_counts=True)
            default = float(vals[np.argmax(counts)])
            exc = {c: float(v) for c, v in zip(self.codes, arr, strict=True)
                   if abs(v - default) > 1e-12}
            out[name] = {"default": default, **exc} if exc else default
        return out

    def warnings(self) -> list[str]:
        """Model warnings: economies with ψ_j ε ≥ 1 and labour that responds (κ_j > 0).

        With ψε < 1 (every preset: ψε = 0.67) the equilibrium of the model is unique. With
        stronger scale economies an economy's supply curve bends down: an equilibrium can still
        exist (the solver says when it finds none) but need not be unique, and the solution
        reported is the one Newton's method reaches from the baseline (Kucheryavyy, Lyn &
        Rodríguez-Clare 2023, "Grounded by Gravity: A Well-Behaved Trade Model with
        Industry-Level Economies of Scale", AEJ: Macroeconomics 15(2)). With κ_j = 0, L̂_j = 1 and
        ψ_j has no effect, so no warning is given for j.
        """
        # ψ_j of exporter j against the smallest importer ε: the strongest effect on j's sales
        strong = (self.psi * float(self.epsilon.max()) >= 1.0) & (self.kappa > 0)
        if not strong.any():
            return []
        k = int(np.argmax(strong))
        more = int(strong.sum()) - 1
        others = f" and {more} other economies" if more else ""
        return [f"model.psi: psi*epsilon = {self.psi[k] * self.epsilon.max():.3g} >= 1 for "
                f"{self.codes[k]}{others}: strong scale economies, the equilibrium may not be "
                "unique (Kucheryavyy, Lyn & Rodriguez-Clare 2023); the solution reported is the "
                "one reached from the baseline"]

    def with_values(self, **arrays: np.ndarray) -> ModelParams:
        """A copy with some per-economy arrays replaced."""
        unknown = set(arrays) - set(PER_ECONOMY)
        if unknown:
            raise TypeError(f"with_values: {sorted(unknown)[0]!r} is not a per-economy parameter")
        v = {k: np.asarray(arrays[k], dtype=float) if k in arrays else getattr(self, k)
             for k in PER_ECONOMY}
        return replace(self, epsilon=v["epsilon"], kappa=v["kappa"], psi=v["psi"], nu=v["nu"],
                       phi=v["phi"])


def _per_economy(value: Any, name: str, world: World, *, strict: bool = True) -> np.ndarray:
    n = world.n
    if isinstance(value, int | float) and not isinstance(value, bool):
        return np.full(n, float(value))
    if isinstance(value, Mapping):
        if "default" not in value:
            raise ParameterError("a per-economy mapping needs a 'default' entry",
                                 parameter=name, field=f"model.{name}")
        out = np.full(n, float(value["default"]))
        # groups first, then single economies, so that an economy entry wins over its group
        keys = sorted((k for k in value if k != "default"), key=lambda k: k not in world.groups)
        for key in keys:
            if not world.is_known(key):
                if not strict:  # a preset's entry for an economy this World does not have
                    continue
                raise ParameterError(f"unknown economy or group {key!r}", parameter=name,
                                     field=f"model.{name}.{key}")
            for code in world.expand(key):
                out[world.index(code)] = float(value[key])
        return out
    raise ParameterError(f"expected a number or a mapping with a default, got {value!r}",
                         parameter=name, field=f"model.{name}")


def _check(arrays: Mapping[str, np.ndarray], world: World,
           checks: Mapping[str, tuple[np.ndarray, str]]) -> None:
    """Raise for the first parameter that is not finite or fails its range check."""
    for name, (ok, why) in checks.items():
        finite = np.isfinite(arrays[name])
        if not finite.all():
            k = int(np.argmin(finite))
            raise ParameterError(f"{arrays[name][k]:g} for {world.codes[k]} must be a finite "
                                 "number", parameter=name, economy=world.codes[k],
                                 field=f"model.{name}")
        if not ok.all():
            k = int(np.argmin(ok))
            raise ParameterError(f"{arrays[name][k]:g} for {world.codes[k]} {why}",
                                 parameter=name, economy=world.codes[k], field=f"model.{name}")


# E/Y of the last few (World, ν) pairs: sweeps resolve parameters for thousands of samples on
# one World and one ν. An entry holds its World (so that the World's id is not reused) and is
# used for the same World object (Worlds are not changed in place) with the same ν
_RATIOS: list[tuple[World, bytes, np.ndarray]] = []


def _spending_ratio(world: World, nu: np.ndarray) -> np.ndarray:
    """E_i/Y_i of the data baseline of ``world`` under ``nu`` (cached, see ``_RATIOS``)."""
    key = nu.tobytes()
    for w, k, cached in _RATIOS:
        if w is world and k == key:
            return cached
    base = baseline_from_world(world.trade, world.gdp, world.tariffs, nu,
                               domestic_flows=world.domestic_flows)
    ratio: np.ndarray = base.E / base.Y
    ratio.flags.writeable = False
    del _RATIOS[:-3]
    _RATIOS.append((world, key, ratio))
    return ratio


def _check_labour_domain(world: World, arrays: Mapping[str, np.ndarray]) -> None:
    """The welfare weight δ_i = E_i / (E_i − κ_i/(1+κ_i) Y_i) of the model (Ignatenko et al.
    2025) needs E_i − κ_i/(1+κ_i) Y_i > 0: consumption net of the disutility of work must be
    positive. An economy with a trade surplus (E_i < Y_i) bounds κ_i: κ/(1+κ) < E/Y. (Under the
    balanced closure E = Y and any κ ≥ 0 is in the domain.)"""
    kappa = arrays["kappa"]
    if not (kappa > 0).any():
        return
    ratio = _spending_ratio(world, arrays["nu"])
    share = kappa / (1.0 + kappa)
    bad = share >= ratio
    if bad.any():
        k = int(np.argmax(share - ratio))
        bound = ratio[k] / (1.0 - ratio[k]) if ratio[k] < 1 else float("inf")
        raise ParameterError(
            f"{kappa[k]:g} for {world.codes[k]} is outside the model's domain: with its trade "
            f"surplus (expenditure/income {ratio[k]:.3f}) labour supply must have kappa < "
            f"{bound:.3g} (kappa/(1+kappa) below expenditure/income), or use closure: balanced",
            parameter="kappa", economy=world.codes[k], field="model.kappa")


# Beyond these values a parameter is outside anything estimated in the literature (trade
# elasticities are 2-15, labour-supply elasticities 0-3; Ignatenko et al. 2025 use 4 and 0.5),
# and the results are limits rather than estimates: a warning, not an error.
PLAUSIBLE_MAX = {"epsilon": 50.0, "kappa": 20.0}


def parameter_warnings(params: ModelParams) -> list[str]:
    """Warnings for parameters far outside the estimated range (:data:`PLAUSIBLE_MAX`)."""
    out = []
    for name, high in PLAUSIBLE_MAX.items():
        arr = getattr(params, name)
        if (arr > high).any():
            k = int(np.argmax(arr))
            out.append(f"model.{name}: {arr[k]:g} for {params.codes[k]} is far above the "
                       f"estimated range (at most about {high:g}); the results are limits, "
                       "not estimates")
    return out


def resolve_params(world: World, preset: str = "ignatenko2025",
                   **overrides: ParamValue | None) -> ModelParams:
    """Resolve a preset plus overrides into per-economy arrays for ``world``.

    Args:
        world: The World the parameters are for.
        preset: ``ignatenko2025``, ``ek-krugman`` or ``armington``.
        **overrides: ``epsilon``, ``kappa``, ``psi``, ``nu``, ``phi`` (number or mapping with a
            ``default``), ``revenue``, ``closure``, ``numeraire``, and ``balance_with`` (an
            economy, group or list of them: every economy's trade imbalance with them is
            removed before the policy; not with the ``balanced`` closure, which removes all).

    Raises:
        ParameterError: Unknown preset, parameter, economy, or a value out of range (a
            ``ValueError``; its ``parameter`` and ``economy`` say which).
    """
    if preset not in PRESETS:
        raise ParameterError(f"unknown preset {preset!r} (choose from {', '.join(PRESETS)})",
                             parameter="preset", field="model.preset")
    unknown = (set(overrides) - set(PER_ECONOMY)
               - {"revenue", "closure", "numeraire", "balance_with"})
    if unknown:
        name = sorted(unknown)[0]
        raise ParameterError("unknown model parameter", parameter=name, field=f"model.{name}")
    spec: dict[str, Any] = {**PRESETS[preset],
                            **{k: v for k, v in overrides.items() if v is not None}}
    arrays: dict[str, np.ndarray] = {}
    for name in ("epsilon", "kappa", "nu"):
        arrays[name] = _per_economy(spec[name], name, world, strict=name in overrides)
    # the primitives are checked before psi and phi are derived from them (no 0.67/0)
    _check(arrays, world, {
        "epsilon": (arrays["epsilon"] > 0, "must be positive"),
        "kappa": (arrays["kappa"] >= 0, "must not be negative"),
        "nu": ((arrays["nu"] >= 0) & (arrays["nu"] < 1), "must lie in [0, 1)"),
    })
    psi = spec["psi"]
    arrays["psi"] = psi(arrays["epsilon"]) if callable(psi) else _per_economy(psi, "psi", world)
    phi = spec["phi"]
    arrays["phi"] = (phi(arrays["nu"], arrays["epsilon"]) if callable(phi)
                     else _per_economy(phi, "phi", world))
    _check(arrays, world, {
        "psi": (arrays["psi"] >= 0, "must not be negative (psi*epsilon >= 1 is allowed, "
                "with a warning: see ModelParams.warnings)"),
        "phi": (arrays["phi"] > 0, "must be positive"),
    })
    for name, allowed in (("revenue", ("income_tax", "lump_sum")),
                          ("closure", tuple(CLOSURES)),
                          ("numeraire", ("price_index", "world_income"))):
        val = spec.get(name, "price_index" if name == "numeraire" else None)
        if val not in allowed:
            raise ParameterError(f"{val!r} is not one of {', '.join(allowed)}", parameter=name,
                                 field=f"model.{name}")
        spec[name] = val
    if spec["closure"] != "balanced":
        _check_labour_domain(world, arrays)
    return ModelParams(
        codes=tuple(world.codes), revenue=spec["revenue"], closure=spec["closure"],
        numeraire=spec["numeraire"], preset=preset, overrides=dict(overrides),
        balance_with=_balance_with(overrides.get("balance_with"), spec["closure"], world),
        **arrays,
    )


def _balance_with(value: Any, closure: str, world: World) -> tuple[str, ...]:
    """Economy codes of the ``balance_with`` option (checked)."""
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else list(value)
    if closure == "balanced":
        raise ParameterError("the balanced closure removes every imbalance already; use "
                             "balance_with with fixed_transfers or proportional",
                             parameter="balance_with", field="model.balance_with")
    codes: list[str] = []
    for name in names:
        if not isinstance(name, str) or not world.is_known(name) or name == "all":
            raise ParameterError(f"unknown economy or group {name!r}", parameter="balance_with",
                                 field="model.balance_with")
        codes += [c for c in world.expand(name) if c not in codes]
    if len(codes) == world.n:
        raise ParameterError("names every economy; use closure: balanced to remove every "
                             "imbalance", parameter="balance_with", field="model.balance_with")
    return tuple(codes)
