"""Benchmark: one full-model equilibrium solve.

Prints the median wall time of :func:`worldorder.solve_equilibrium` (ignatenko2025 preset, cold
start) for

* a synthetic 194-economy world (gravity flows from seeded random GDPs and distances) under a
  Liberation-Day-style shock (10% US-style baseline plus USTR-formula rates by the largest
  economy), the issue's speed target being ≤ 50 ms;
* the bundled ``world-2024`` dataset under ``liberation-day-2025``;

and, for comparison, SciPy's Levenberg–Marquardt root finder (finite-difference Jacobian) on the
same 194-economy system, once.

Usage: ``python benchmarks/bench_solver.py [--repeat 21] [--no-lm]``. Machines are shared and
noisy: read medians and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd
from scipy.optimize import root

from worldorder import World, load_world, resolve_params, simulate
from worldorder.trade.baseline import baseline_from_world
from worldorder.trade.equilibrium import _System, solve_equilibrium
from worldorder.trade.instruments import apply_change, reciprocal_ustr2025, tariff_change


def synthetic_world(n: int = 194, seed: int = 2024) -> World:
    """A gravity world: X_ij ∝ Y_i Y_j / dist_ij, imports about 25% of GDP on average."""
    rng = np.random.default_rng(seed)
    gdp = np.sort(rng.lognormal(4.0, 1.8, n))[::-1]
    loc = rng.uniform(0, 1, (n, 2))
    dist = np.sqrt(((loc[:, None, :] - loc[None, :, :]) ** 2).sum(-1)) + 0.05
    X = np.outer(gdp, gdp) / dist * rng.lognormal(0, 0.5, (n, n))
    np.fill_diagonal(X, 0.0)
    X *= 0.25 * gdp.sum() / X.sum()
    X = np.minimum(X, 0.5 * gdp[None, :] * X / X.sum(axis=0, keepdims=True))
    codes = [f"C{k:03d}" for k in range(n)]
    t0 = np.where(np.eye(n, dtype=bool), 0.0, rng.uniform(0.0, 0.08, (n, n)))
    econ = pd.DataFrame({"code": codes, "name": codes, "gdp": gdp})
    return World.from_frames(econ, X, tariffs=t0, name=f"synthetic-{n}")


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--no-lm", action="store_true", help="skip the Levenberg-Marquardt run")
    args = ap.parse_args()

    w = synthetic_world()
    p = resolve_params(w, "ignatenko2025")
    b = baseline_from_world(w.trade, w.gdp, w.tariffs, p.nu)
    big = w.codes[0]
    t1 = apply_change(w.tariffs, w.tariffs, tariff_change(w, big, rate=0.10))
    t1 = apply_change(t1, w.tariffs, reciprocal_ustr2025(w, big)[0])
    eq = solve_equilibrium(b, p, t1)
    times = timed(lambda: solve_equilibrium(b, p, t1), args.repeat)
    med = statistics.median(times)
    print(f"solve, 194 economies (ignatenko2025, Newton + analytic Jacobian): median "
          f"{1000 * med:.1f} ms, min {1000 * min(times):.1f} ms, max {1000 * max(times):.1f} ms "
          f"over {args.repeat} runs; {eq.iterations} iterations, residual {eq.residual:.1e}; "
          f"target <= 50 ms: {'met' if med <= 0.050 else 'NOT met'}")

    warm = timed(lambda: solve_equilibrium(b, p, t1 * 1.001, guess=eq.z), args.repeat)
    print(f"solve, 194 economies, warm start from a nearby solution: median "
          f"{1000 * statistics.median(warm):.1f} ms")

    wl = load_world("world-2024")
    res = simulate("liberation-day-2025", world=wl)
    pl = res.params
    bl = res.outcome.baseline
    tl = res.outcome.equilibrium.t1
    tw = timed(lambda: solve_equilibrium(bl, pl, tl), args.repeat)
    print(f"solve, world-2024 ({wl.n} economies), liberation-day-2025: median "
          f"{1000 * statistics.median(tw):.1f} ms")
    tr = timed(lambda: simulate("liberation-day-2025", world=wl), max(3, args.repeat // 3))
    print(f"simulate('liberation-day-2025') incl. policies and tables: median "
          f"{1000 * statistics.median(tr):.1f} ms")

    if not args.no_lm:
        system = _System(b, p, t1, None, "fixed")
        t = time.perf_counter()
        sol = root(system.residual, np.zeros(2 * b.n), method="lm",
                   options={"xtol": 1e-12, "ftol": 1e-12})
        lm = time.perf_counter() - t
        err = float(np.max(np.abs(system.residual(sol.x))))
        agree = float(np.max(np.abs(sol.x - eq.z)))
        print(f"scipy root(method='lm'), finite-difference Jacobian, same system: {lm:.2f} s "
              f"(residual {err:.1e}, max |z - z_newton| {agree:.1e}); ratio to Newton median "
              f"{lm / med:.0f}x")


if __name__ == "__main__":
    main()
