"""What a sweep varies: ``--param`` and ``--noise`` specifications, parsed and checked.

Grammar (one specification per option)::

    --param NAME=DIST            NAME one of epsilon, kappa, psi, nu, phi: every economy
    --param NAME[ECONOMY]=DIST   one economy (or a group's members) on top of the rest
    --noise flows=lognormal(SIGMA)   multiplicative noise on every bilateral flow
    --noise gdp=lognormal(SIGMA)     multiplicative noise on every economy's GDP

DIST is one of

* ``uniform(a,b)``, ``loguniform(a,b)`` (log-uniform on [a, b], a > 0), ``normal(mean,sd)``,
  ``triangular(low,mode,high)``, ``choice(v1,v2,...)`` (one value drawn with equal
  probabilities): drawn afresh for every sample;
* ``grid(v1,v2,...)`` or a plain list ``v1,v2,...``: every value in turn; several grids make
  their Cartesian product, and each grid point gets ``--samples`` samples of the random
  parameters (one when there are none);
* a number: fixed.

Lognormal noise multiplies each value by exp(σ z − σ²/2) with z ~ N(0, 1) independent across
values, a factor of mean 1 (the value's expectation is the data) and a coefficient of variation
√(exp(σ²) − 1) ≈ σ for small σ: a statement about measurement error, e.g. σ = 0.1 for flows
measured to about ±10%.

Parameter semantics: ``epsilon=`` replaces the scenario's ε for every economy; ``epsilon[USA]=``
sets the USA's entry after that. Parameters derived by the preset follow the swept ones unless
they are swept too (under ``ignatenko2025`` ψ = 0.67/ε and φ from ν and ε), as in a scenario's
``model`` section.

Every problem is one line naming the option, its text and the column where it starts
(:class:`~worldorder.errors.SweepError`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from worldorder.errors import SweepError
from worldorder.trade.params import PER_ECONOMY

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["DISTRIBUTIONS", "NOISE_TARGETS", "Dist", "NoiseSpec", "ParamSpec", "parse_noise",
           "parse_param"]

#: Distributions and the number of arguments each takes (None: one or more values).
DISTRIBUTIONS: dict[str, int | None] = {
    "uniform": 2, "loguniform": 2, "normal": 2, "triangular": 3, "choice": None, "grid": None,
    "fixed": 1,
}
NOISE_TARGETS = ("flows", "gdp")
NOISE_KINDS = {"lognormal": 1}

_NAME = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*([^\]]*?)\s*\])?\s*=")
_CALL = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)\s*$", re.DOTALL)


@dataclass(frozen=True)
class Dist:
    """A distribution of one swept quantity.

    Attributes:
        kind: A key of :data:`DISTRIBUTIONS`.
        args: Its arguments (bounds, moments, or the values of a grid or choice).
    """

    kind: str
    args: tuple[float, ...]

    @property
    def is_grid(self) -> bool:
        """Whether the values are taken in turn (a grid) rather than drawn."""
        return self.kind == "grid"

    @property
    def is_random(self) -> bool:
        """Whether a value is drawn for each sample."""
        return self.kind not in ("grid", "fixed")

    def draw(self, rng: np.random.Generator) -> float:
        """One value drawn with ``rng`` (a fixed value draws nothing)."""
        a = self.args
        if self.kind == "uniform":
            return float(rng.uniform(a[0], a[1]))
        if self.kind == "loguniform":
            return float(math.exp(rng.uniform(math.log(a[0]), math.log(a[1]))))
        if self.kind == "normal":
            return float(rng.normal(a[0], a[1]))
        if self.kind == "triangular":
            return float(rng.triangular(a[0], a[1], a[2]))
        if self.kind == "choice":
            return float(a[int(rng.integers(len(a)))])
        return float(a[0])

    def center(self) -> float:
        """A central value (the median of the distribution, the middle of a grid or choice):
        the point whose solution every sample of the fast path starts from."""
        a = self.args
        if self.kind == "uniform":
            return 0.5 * (a[0] + a[1])
        if self.kind == "loguniform":
            return math.sqrt(a[0] * a[1])
        if self.kind == "normal":
            return a[0]
        if self.kind == "triangular":
            return a[1]
        values = sorted(a)
        return float(values[(len(values) - 1) // 2])

    def anchors(self, k: int) -> list[float]:
        """``k`` values spread over the distribution (its quantiles (j + ½)/k; a grid's or
        choice's own values, thinned to ``k``): the points whose solutions samples start from
        (the nearest one) on the fast path."""
        a = self.args
        q = [(j + 0.5) / k for j in range(k)]
        if self.kind == "uniform":
            return [a[0] + (a[1] - a[0]) * p for p in q]
        if self.kind == "loguniform":
            return [a[0] * (a[1] / a[0]) ** p for p in q]
        if self.kind == "normal":
            return [NormalDist(a[0], a[1]).inv_cdf(p) for p in q]
        if self.kind == "triangular":
            low, mode, high = a
            cut = (mode - low) / (high - low)
            return [low + math.sqrt(p * (high - low) * (mode - low)) if p < cut
                    else high - math.sqrt((1 - p) * (high - low) * (high - mode)) for p in q]
        values = sorted(a)
        if len(values) <= k:
            return [float(v) for v in values]
        return [float(values[round(j * (len(values) - 1) / (k - 1))]) for j in range(k)]

    def describe(self) -> str:
        """The distribution as a user writes it."""
        return f"{self.kind}({','.join(f'{x:g}' for x in self.args)})"


@dataclass(frozen=True)
class ParamSpec:
    """One ``--param``: a model parameter, optionally for one economy or group.

    Attributes:
        name: ``epsilon``, ``kappa``, ``psi``, ``nu`` or ``phi``.
        economy: An economy code or group name, or None for every economy.
        dist: Its distribution.
        text: The option as given (for messages and manifests).
    """

    name: str
    economy: str | None
    dist: Dist
    text: str

    @property
    def column(self) -> str:
        """The column of the samples table: ``epsilon`` or ``epsilon_USA``."""
        return self.name if self.economy is None else f"{self.name}_{self.economy}"

    @property
    def label(self) -> str:
        """``epsilon`` or ``epsilon[USA]``."""
        return self.name if self.economy is None else f"{self.name}[{self.economy}]"


@dataclass(frozen=True)
class NoiseSpec:
    """One ``--noise``: multiplicative lognormal noise on a data table.

    Attributes:
        target: ``flows`` or ``gdp``.
        sigma: The standard deviation σ of the log factor.
        text: The option as given.
    """

    target: str
    sigma: float
    text: str

    @property
    def label(self) -> str:
        """``flows=lognormal(0.1)``."""
        return f"{self.target}=lognormal({self.sigma:g})"


def _error(option: str, text: str, column: int, message: str) -> SweepError:
    return SweepError(f"{option} {text!r} (column {column + 1}): {message}")


def _numbers(option: str, text: str, body: str, start: int) -> tuple[float, ...]:
    """The comma-separated numbers of ``body`` (which starts at column ``start`` of text)."""
    out: list[float] = []
    pos = start
    for part in body.split(","):
        stripped = part.strip()
        col = pos + (len(part) - len(part.lstrip()))
        if not stripped:
            raise _error(option, text, col, "a value is missing")
        try:
            value = float(stripped)
        except ValueError:
            raise _error(option, text, col, f"{stripped!r} is not a number") from None
        if not math.isfinite(value):
            raise _error(option, text, col, f"{stripped!r} is not a finite number")
        out.append(value)
        pos += len(part) + 1
    return tuple(out)


def _dist(option: str, text: str, body: str, start: int) -> Dist:
    """Parse the right-hand side ``body`` (at column ``start`` of ``text``)."""
    lead = len(body) - len(body.lstrip())
    call = _CALL.match(body)
    if call is None:
        if "(" in body or ")" in body:
            raise _error(option, text, start + lead, "unbalanced parentheses; write e.g. "
                         "uniform(3,8)")
        if not body.strip():
            raise _error(option, text, start, "no value after '='; write e.g. "
                         "epsilon=uniform(3,8)")
        values = _numbers(option, text, body, start)
        return Dist("fixed", values) if len(values) == 1 else Dist("grid", values)
    kind = call.group(1).lower()
    if kind not in DISTRIBUTIONS or kind == "fixed":
        known = ", ".join(k for k in DISTRIBUTIONS if k != "fixed")
        raise _error(option, text, start + lead, f"unknown distribution {call.group(1)!r} "
                     f"(choose from {known}, a list of values or a number)")
    args = _numbers(option, text, call.group(2), start + call.start(2))
    want = DISTRIBUTIONS[kind]
    where = start + lead
    if want is not None and len(args) != want:
        raise _error(option, text, where, f"{kind} takes {want} numbers, got {len(args)}")
    if kind in ("uniform", "loguniform") and not args[0] < args[1]:
        raise _error(option, text, where, f"{kind}(a,b) needs a < b")
    if kind == "loguniform" and args[0] <= 0:
        raise _error(option, text, where, "loguniform(a,b) needs a > 0")
    if kind == "normal" and args[1] <= 0:
        raise _error(option, text, where, "normal(mean,sd) needs sd > 0")
    if kind == "triangular" and not (args[0] <= args[1] <= args[2] and args[0] < args[2]):
        raise _error(option, text, where, "triangular(low,mode,high) needs low <= mode <= "
                     "high and low < high")
    if kind in ("grid", "choice") and len(set(args)) != len(args):
        raise _error(option, text, where, f"{kind} lists a value twice")
    return Dist(kind, args)


def parse_param(text: str, world: World | None = None) -> ParamSpec:
    """Parse one ``--param`` (see the module docstring).

    Args:
        text: E.g. ``epsilon=uniform(3,8)``, ``kappa=grid(0.3,0.5,0.7)``,
            ``epsilon[USA]=2,4,8``.
        world: When given, the economy or group is checked against it.

    Raises:
        SweepError: One line naming the option, its text and the column of the problem.
    """
    option = "--param"
    m = _NAME.match(text)
    if m is None:
        col = text.find("=")
        raise _error(option, text, max(col, 0), "write NAME=DIST or NAME[ECONOMY]=DIST, e.g. "
                     "epsilon=uniform(3,8)")
    name, economy = m.group(1), m.group(2)
    if name not in PER_ECONOMY:
        raise _error(option, text, m.start(1), f"unknown parameter {name!r} (choose from "
                     f"{', '.join(PER_ECONOMY)})")
    if economy is not None:
        if not economy:
            raise _error(option, text, m.start(2), "empty economy between [ ]")
        if world is not None and not world.is_known(economy):
            raise _error(option, text, m.start(2), f"unknown economy or group {economy!r} in "
                         f"dataset {world.name!r}")
    dist = _dist(option, text, text[m.end():], m.end())
    low = min(dist.args) if dist.kind not in ("normal",) else -math.inf
    if name in ("epsilon",) and dist.kind != "normal" and low <= 0:
        raise _error(option, text, m.end(), "epsilon must be positive")
    if name in ("kappa", "psi") and dist.kind != "normal" and low < 0:
        raise _error(option, text, m.end(), f"{name} must not be negative")
    if name == "nu" and dist.kind != "normal" and (low < 0 or max(dist.args) >= 1):
        raise _error(option, text, m.end(), "nu must lie in [0, 1)")
    return ParamSpec(name=name, economy=economy, dist=dist, text=text)


def parse_noise(text: str) -> NoiseSpec:
    """Parse one ``--noise`` (``flows=lognormal(0.1)`` or ``gdp=lognormal(0.05)``).

    Raises:
        SweepError: One line naming the option, its text and the column of the problem.
    """
    option = "--noise"
    m = _NAME.match(text)
    if m is None or m.group(2) is not None:
        col = text.find("=")
        raise _error(option, text, max(col, 0), "write TARGET=lognormal(SIGMA), e.g. "
                     "flows=lognormal(0.1)")
    target = m.group(1)
    if target not in NOISE_TARGETS:
        raise _error(option, text, m.start(1), f"unknown noise target {target!r} (choose from "
                     f"{', '.join(NOISE_TARGETS)})")
    body = text[m.end():]
    call = _CALL.match(body)
    lead = m.end() + len(body) - len(body.lstrip())
    if call is None:
        raise _error(option, text, lead, "write lognormal(SIGMA), e.g. lognormal(0.1)")
    kind = call.group(1).lower()
    if kind not in NOISE_KINDS:
        raise _error(option, text, lead, f"unknown noise {call.group(1)!r} (choose from "
                     f"{', '.join(NOISE_KINDS)})")
    args = _numbers(option, text, call.group(2), m.end() + call.start(2))
    if len(args) != NOISE_KINDS[kind]:
        raise _error(option, text, lead, f"{kind} takes {NOISE_KINDS[kind]} number, got "
                     f"{len(args)}")
    if not 0 < args[0] <= 2:
        raise _error(option, text, lead, "sigma must lie in (0, 2]")
    return NoiseSpec(target=target, sigma=args[0], text=text)
