"""The samples of a sweep: which parameter values and which data noise sample ``i`` gets.

A sweep has ``points`` grid points (the Cartesian product of the ``grid`` specifications, in the
order given, the last varying fastest; one point without grids) and ``per_point`` samples at each
(``--samples``). Sample ``i`` is repetition ``r = i mod per_point`` at point ``i // per_point``.

Randomness: the draws of sample ``i`` come from NumPy generators seeded by
``SeedSequence(seed, spawn_key=(r, 0))`` (parameters, drawn in the order of the specifications)
and ``SeedSequence(seed, spawn_key=(r, 1, k))`` (the k-th noise specification): the children that
``SeedSequence(seed).spawn`` would give, addressed directly. They depend only on the seed and the
sample, never on the worker, the chunk or the order in which samples are computed, so a sweep is
bit-identical with any number of workers. Repetition ``r`` gets the same draws at every grid point
(common random numbers), so grid points differ only by the grid values.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from worldorder.sweeps.spec import NoiseSpec, ParamSpec

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["MANY_SAMPLES", "Design", "apply_noise", "merge_overrides"]

#: Samples from which :meth:`Design.anchors` spreads more anchors.
MANY_SAMPLES = 500


@dataclass(frozen=True)
class Design:
    """The parameters and noise of a sweep, and how many samples it has.

    Attributes:
        params: The ``--param`` specifications, in order.
        noise: The ``--noise`` specifications, in order.
        per_point: Samples at each grid point.
        seed: The seed of every draw.
    """

    params: tuple[ParamSpec, ...]
    noise: tuple[NoiseSpec, ...] = ()
    per_point: int = 1
    seed: int = 0

    @property
    def grid_specs(self) -> tuple[ParamSpec, ...]:
        """The specifications taken in turn."""
        return tuple(p for p in self.params if p.dist.is_grid)

    @property
    def points(self) -> list[tuple[float, ...]]:
        """The grid points (values of :attr:`grid_specs`), in sweep order."""
        return list(itertools.product(*(p.dist.args for p in self.grid_specs)))

    @property
    def total(self) -> int:
        """Number of samples."""
        return len(self.points) * self.per_point

    @property
    def random(self) -> bool:
        """Whether anything is drawn (a random parameter or noise)."""
        return bool(self.noise) or any(p.dist.is_random for p in self.params)

    def values(self, i: int) -> dict[str, float]:
        """The parameter values of sample ``i`` by column (``epsilon``, ``epsilon_USA``)."""
        point = self.points[i // self.per_point]
        rep = i % self.per_point
        rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(rep, 0)))
        grid = iter(point)
        out: dict[str, float] = {}
        for spec in self.params:
            if spec.dist.is_grid:
                out[spec.column] = float(next(grid))
            else:
                out[spec.column] = spec.dist.draw(rng)
        return out

    def center(self) -> dict[str, float]:
        """Central values of every parameter (:meth:`~worldorder.sweeps.spec.Dist.center`)."""
        return {spec.column: spec.dist.center() for spec in self.params}

    def anchors(self) -> list[dict[str, float]]:
        """Parameter points whose solutions the fast path starts samples from: the product of
        each varying specification's :meth:`~worldorder.sweeps.spec.Dist.anchors` (5 values
        for one, 3 each for two, the centre beyond; from :data:`MANY_SAMPLES` samples on, 17
        for one and 5 each for two: closer anchors cost a solve each, once per worker, and
        save chord steps in every sample)."""
        varying = [p for p in self.params if p.dist.kind != "fixed"]
        many = self.total >= MANY_SAMPLES
        k = {0: 1, 1: 17 if many else 5, 2: 5 if many else 3}.get(len(varying), 1)
        lists = [p.dist.anchors(k) if p.dist.kind != "fixed" and k > 1
                 else [p.dist.center()] for p in self.params]
        return [dict(zip([p.column for p in self.params], point, strict=True))
                for point in itertools.product(*lists)]

    def nearest_anchor(self, values: dict[str, float], anchors: list[dict[str, float]]
                       ) -> int:
        """Index of the anchor nearest to ``values`` (each parameter scaled by the spread of
        its anchors; the first of equally near ones)."""
        if len(anchors) == 1:
            return 0
        spread = {c: (max(a[c] for a in anchors) - min(a[c] for a in anchors)) or 1.0
                  for c in anchors[0]}
        dist = [sum(((values[c] - a[c]) / spread[c]) ** 2 for c in a) for a in anchors]
        return int(np.argmin(dist))

    def noise_rng(self, i: int, k: int) -> np.random.Generator:
        """The generator of noise specification ``k`` for sample ``i``."""
        rep = i % self.per_point
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(rep, 1, k)))

    def describe(self) -> dict[str, Any]:
        """JSON-ready description (for the manifest)."""
        return {"params": [p.text for p in self.params], "noise": [n.text for n in self.noise],
                "per_point": self.per_point, "points": len(self.points),
                "samples": self.total, "seed": self.seed}


def merge_overrides(base: dict[str, Any], specs: tuple[ParamSpec, ...],
                    values: dict[str, float]) -> dict[str, Any]:
    """The scenario's model overrides with a sample's values set.

    ``NAME`` specifications replace the parameter; ``NAME[ECONOMY]`` ones then set an entry of
    a ``{default: ..., ECONOMY: ...}`` mapping (the default kept from the scenario or its
    preset when the parameter itself is not swept).
    """
    out = dict(base)
    for spec in specs:
        if spec.economy is None:
            out[spec.name] = values[spec.column]
    for spec in specs:
        if spec.economy is None:
            continue
        current = out.get(spec.name)
        if isinstance(current, dict):
            mapping = dict(current)
        elif isinstance(current, int | float):
            mapping = {"default": float(current)}
        else:
            mapping = {}
        mapping[spec.economy] = values[spec.column]
        out[spec.name] = mapping
    return out


def apply_noise(world: World, noise: tuple[NoiseSpec, ...], rngs: list[np.random.Generator]
                ) -> World:
    """``world`` with multiplicative lognormal noise on its flows and/or GDP.

    Each positive bilateral flow X_ji (j ≠ i; measured domestic flows are left as they are) or
    GDP_i is multiplied by exp(σ z − σ²/2), z ~ N(0, 1), drawn in matrix order from the
    matching generator. Zero flows stay zero.
    """
    trade = world.trade
    economies = world.economies
    for spec, rng in zip(noise, rngs, strict=True):
        s = spec.sigma
        if spec.target == "flows":
            z = rng.standard_normal(trade.shape)
            factor = np.exp(s * z - 0.5 * s * s)
            np.fill_diagonal(factor, 1.0)
            trade = trade * factor
        else:
            z = rng.standard_normal(world.n)
            economies = economies.copy()
            economies["gdp"] = economies["gdp"].to_numpy(dtype=float) * np.exp(s * z - 0.5 * s * s)
    return replace(world, trade=trade, economies=economies)
