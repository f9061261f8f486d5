"""Benchmark: the equilibrium solver, each figure next to its target (issue 10).

Measured side by side in one run (alternating, so that a busy machine slows both alike), with
one BLAS thread (:mod:`worldorder.threads`) unless said otherwise:

* one 194-economy full-model solve (ignatenko2025, cold start, Liberation-Day-style shock on a
  synthetic gravity world, or on ``--dataset``, e.g. ``world-2023``): the block-structured
  Newton step (default) against the dense 2N×2N LU of the same Jacobian (same iterates);
  target ≤ 10 ms median;
* the same solve with the libraries' default BLAS threads against one thread (``--threads``);
* sweep-style repeated solves (ε drawn from U(3, 8), a fixed seed): Newton warm-started from the
  central solution against Jacobian reuse (the central factorisation, chord steps, Newton
  fallback); target ≥ 150 solves per second per core;
* solves for N = 125 … 1,000 economies and the scaling exponent of the solve time in N;
* the bundled ``world-2024`` under ``liberation-day-2025`` (solve and whole simulation).

``--before SRC`` also times another version of worldorder side by side (``SRC`` is a checkout,
e.g. ``git worktree add /tmp/before main``): a process of that version (this script with
``--serve``, its ``src`` first on ``PYTHONPATH``) solves the same cold solve and sweep-style
solves, alternating with this process run by run, and the ratios before/this version are
printed.

Usage: ``python benchmarks/bench_solver.py [--repeat 21] [--threads] [--dataset PATH]
[--before SRC]``. Machines are shared and noisy: read medians and ratios, not single runs; the
load average is printed before and after. Each time is shown with the CPU time of the process
over the same interval: on a machine busier than its cores, load stretches wall time (waiting
for a core) much more than CPU time.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from worldorder.threads import limit_blas_threads

limit_blas_threads(1)

from worldorder import World, load_world, resolve_params, simulate  # noqa: E402
from worldorder.trade.baseline import baseline_from_world  # noqa: E402
from worldorder.trade.equilibrium import solve_equilibrium  # noqa: E402
from worldorder.trade.instruments import (  # noqa: E402
    apply_change,
    reciprocal_ustr2025,
    tariff_change,
)
from worldorder.trade.jacobian import JacobianBlocks  # noqa: E402


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
    codes = [f"C{k:04d}" for k in range(n)]
    t0 = np.where(np.eye(n, dtype=bool), 0.0, rng.uniform(0.0, 0.08, (n, n)))
    econ = pd.DataFrame({"code": codes, "name": codes, "gdp": gdp})
    return World.from_frames(econ, X, tariffs=t0, name=f"synthetic-{n}")


def liberation_day(w: World, imposer: str) -> np.ndarray:
    """10% on every partner plus the USTR-formula rates, by ``imposer``."""
    t1 = apply_change(w.tariffs, w.tariffs, tariff_change(w, imposer, rate=0.10))
    return apply_change(t1, w.tariffs, reciprocal_ustr2025(w, imposer)[0])


class Problem:
    """The cold solve and the sweep-style solves of the benchmark (the same in every version)."""

    def __init__(self, dataset: str | None, samples: int) -> None:
        w = load_world(dataset) if dataset else synthetic_world()
        self.world = w
        imposer = "USA" if "USA" in w.codes else w.codes[0]
        self.params = resolve_params(w, "ignatenko2025")
        self.base = baseline_from_world(w.trade, w.gdp, w.tariffs, self.params.nu,
                                        domestic_flows=w.domestic_flows)
        self.t1 = liberation_day(w, imposer)
        # sweep-style: ε ~ U(3, 8), fixed seed; every sample starts from the central solution
        # and its factorised Jacobian (at the solution, where this version can: as sweeps do)
        rng = np.random.default_rng(12345)
        eps = rng.uniform(3.0, 8.0, samples)
        pc = resolve_params(w, "ignatenko2025", epsilon=5.5)
        extra = ({"factor_solution": True}
                 if "factor_solution" in inspect.signature(solve_equilibrium).parameters else {})
        self.central = solve_equilibrium(self.base, pc, self.t1, jacobian="reuse", **extra)
        self.samples = [resolve_params(w, "ignatenko2025", epsilon=float(e)) for e in eps]

    def cold(self) -> Any:
        return solve_equilibrium(self.base, self.params, self.t1)

    def sweep(self, mode: str = "reuse") -> None:
        for ps in self.samples:
            if mode == "reuse":
                solve_equilibrium(self.base, ps, self.t1, guess=self.central.z,
                                  jacobian="reuse", factorization=self.central.factorization)
            else:
                solve_equilibrium(self.base, ps, self.t1, guess=self.central.z)


def serve(args: argparse.Namespace) -> None:
    """``--serve``: answer ``cold`` and ``sweep`` lines on stdin with ``[wall, cpu]`` (JSON)."""
    prob = Problem(args.dataset, args.samples)
    eq = prob.cold()
    print(json.dumps({"iterations": eq.iterations,
                      "chord_steps": getattr(eq, "chord_steps", 0),
                      "residual": eq.residual}), flush=True)
    for line in sys.stdin:
        fn = prob.cold if line.strip() == "cold" else prob.sweep
        t, c = time.perf_counter(), time.process_time()
        fn()
        print(json.dumps([time.perf_counter() - t, time.process_time() - c]), flush=True)


def before_and_after(args: argparse.Namespace, prob: Problem) -> None:
    """This version against ``--before``, alternating run by run."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.path.join(args.before, "src"),
                                                    env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, os.path.abspath(__file__), "--serve", "--samples",
           str(args.samples)] + (["--dataset", args.dataset] if args.dataset else [])
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                          env=env) as child:
        assert child.stdin is not None and child.stdout is not None
        info = json.loads(child.stdout.readline())

        def remote(what: str) -> tuple[float, float]:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(what + "\n")
            child.stdin.flush()
            wall, cpu = json.loads(child.stdout.readline())
            return float(wall), float(cpu)

        def here(fn: Callable[[], object]) -> tuple[float, float]:
            t, c = time.perf_counter(), time.process_time()
            fn()
            return time.perf_counter() - t, time.process_time() - c

        jobs = {"cold": (prob.cold, args.repeat), "sweep": (prob.sweep, 3)}
        res: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for job, (fn, reps) in jobs.items():
            here(fn)
            remote(job)  # warm-up
            for _ in range(reps):
                res.setdefault((job, "this"), []).append(here(fn))
                res.setdefault((job, "before"), []).append(remote(job))
        child.stdin.close()
        child.wait()
    eq = prob.cold()
    print(f"side by side with the version in {args.before} (a process of its own, alternating "
          "run by run):")
    print(f"  cold solve: this version {eq.iterations} Newton iterations + "
          f"{eq.chord_steps} chord steps (residual {eq.residual:.1e}); before "
          f"{info['iterations']} Newton iterations + {info['chord_steps']} chord steps "
          f"(residual {info['residual']:.1e})")
    for job in jobs:
        per = 1 if job == "cold" else len(prob.samples)
        med = {}
        for who in ("this", "before"):
            walls = [w for w, _ in res[job, who]]
            cpus = [c for _, c in res[job, who]]
            med[who] = (statistics.median(walls), statistics.median(cpus))
            label = "this version" if who == "this" else "before      "
            if job == "cold":
                print(f"  cold solve, {label}: median {1000 * med[who][0]:6.1f} ms (range "
                      f"{1000 * min(walls):.1f}-{1000 * max(walls):.1f}), CPU median "
                      f"{1000 * med[who][1]:.1f} ms")
            else:
                print(f"  sweep-style, {label}: {per / med[who][0]:5.0f} solves/s (range "
                      f"{per / max(walls):.0f}-{per / min(walls):.0f}), "
                      f"{per / med[who][1]:.0f} per CPU second")
        print(f"    ratio before/this version: wall {med['before'][0] / med['this'][0]:.2f}x, "
              f"CPU {med['before'][1] / med['this'][1]:.2f}x")


CPU: dict[int, list[float]] = {}  # id of a wall-time list -> the CPU times measured with it


def side_by_side(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Wall times of each function, alternating between them ``repeat`` times (the process CPU
    times are kept too: on a machine busier than its cores, they show the work done)."""
    out: dict[str, list[float]] = {k: [] for k in fns}
    for k in fns:
        CPU[id(out[k])] = []
    for f in fns.values():  # warm up
        f()
    for _ in range(repeat):
        for k, f in fns.items():
            t, c = time.perf_counter(), time.process_time()
            f()
            out[k].append(time.perf_counter() - t)
            CPU[id(out[k])].append(time.process_time() - c)
    return out


def ms(v: list[float]) -> str:
    cpu = CPU.get(id(v))
    extra = f", CPU {1000 * statistics.median(cpu):.1f} ms" if cpu else ""
    return (f"median {1000 * statistics.median(v):7.1f} ms (range {1000 * min(v):.1f}-"
            f"{1000 * max(v):.1f}{extra})")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def dense_lu() -> Callable[[], None]:
    """Make every factorisation use the dense 2N×2N LU (the comparison); returns the undo."""
    original = JacobianBlocks.structured
    JacobianBlocks.structured = lambda self: False  # type: ignore[method-assign]

    def undo() -> None:
        JacobianBlocks.structured = original  # type: ignore[method-assign]
    return undo


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=21)
    ap.add_argument("--samples", type=int, default=60, help="sweep-style solves")
    ap.add_argument("--threads", action="store_true",
                    help="also compare with the libraries' default BLAS threads")
    ap.add_argument("--dataset", help="a 194-economy dataset (folder or bundled name) to use "
                    "instead of the synthetic world")
    ap.add_argument("--sizes", default="125,250,500,1000")
    ap.add_argument("--before", help="a checkout of another version to time side by side")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args)
        return
    if args.before and not os.path.isdir(os.path.join(args.before, "src", "worldorder")):
        sys.exit(f"error: {args.before}: no src/worldorder in this folder")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; one BLAS thread")

    prob = Problem(args.dataset, args.samples)
    w, p, b, t1 = prob.world, prob.params, prob.base, prob.t1
    eq = prob.cold()

    def solve_dense() -> None:
        undo = dense_lu()
        try:
            solve_equilibrium(b, p, t1)
        finally:
            undo()

    r = side_by_side({"structured": lambda: solve_equilibrium(b, p, t1),
                      "dense": solve_dense}, args.repeat)
    med = statistics.median(r["structured"])
    cpu = statistics.median(CPU[id(r["structured"])])
    print(f"solve, {w.n} economies ({w.name}), {eq.iterations} Newton iterations and "
          f"{eq.chord_steps} chord steps, residual {eq.residual:.1e}:")
    print(f"  block-structured Newton step: {ms(r['structured'])}  target <= 10 ms: "
          f"{verdict(med <= 0.010)} (CPU: {verdict(cpu <= 0.010)})")
    print(f"  dense 2N x 2N LU, same iterates: {ms(r['dense'])}  ratio dense/structured "
          f"{statistics.median(r['dense']) / med:.1f}x")

    if args.threads:
        from threadpoolctl import threadpool_limits

        def default_threads() -> None:
            with threadpool_limits(limits=os.cpu_count() or 1, user_api="blas"):
                solve_equilibrium(b, p, t1)
        rt = side_by_side({"one": lambda: solve_equilibrium(b, p, t1),
                           "all": default_threads}, max(5, args.repeat // 3))
        print(f"  {os.cpu_count()} BLAS threads: {ms(rt['all'])}; one thread: {ms(rt['one'])}; "
              f"ratio {statistics.median(rt['all']) / statistics.median(rt['one']):.1f}x")

    sweep = prob.sweep
    rs = side_by_side({"reuse": sweep, "newton": lambda: sweep("newton")}, 3)
    rate_r = args.samples / statistics.median(rs["reuse"])
    rate_n = args.samples / statistics.median(rs["newton"])
    cpu_r = args.samples / statistics.median(CPU[id(rs["reuse"])])
    cpu_n = args.samples / statistics.median(CPU[id(rs["newton"])])
    print(f"sweep-style solves, {w.n} economies, epsilon ~ U(3, 8), {args.samples} samples, "
          f"one core:")
    lo_r, hi_r = args.samples / max(rs["reuse"]), args.samples / min(rs["reuse"])
    print(f"  Jacobian reuse (central factorisation, Newton fallback): {rate_r:6.0f} solves/s "
          f"(range {lo_r:.0f}-{hi_r:.0f}; per CPU second {cpu_r:.0f})  target >= 150/s: "
          f"{verdict(rate_r >= 150)} (CPU: {verdict(cpu_r >= 150)})")
    print(f"  Newton warm-started from the central solution:          {rate_n:6.0f} solves/s "
          f"(per CPU second {cpu_n:.0f})  ratio {rate_r / rate_n:.2f}x")
    print(f"  so 10,000 samples on 2 cores take about {10_000 / (2 * rate_r):.0f} s "
          f"({10_000 / (2 * cpu_r):.0f} s of CPU per core)  target <= 60 s: "
          f"{verdict(10_000 / (2 * rate_r) <= 60)} (assuming 2 workers scale perfectly; "
          "worldorder sweep measures the real scaling)")

    if args.before:
        before_and_after(args, prob)

    sizes = [int(s) for s in args.sizes.split(",") if s]
    times = []
    for n in sizes:
        ws = synthetic_world(n, seed=7)
        ps = resolve_params(ws, "ignatenko2025")
        bs = baseline_from_world(ws.trade, ws.gdp, ws.tariffs, ps.nu)
        ts = liberation_day(ws, ws.codes[0])
        reps = 3 if n >= 500 else 7
        rn = side_by_side({"solve": lambda bs=bs, ps=ps, ts=ts: solve_equilibrium(bs, ps, ts)},
                          reps)
        times.append(statistics.median(rn["solve"]))
        e = solve_equilibrium(bs, ps, ts)
        print(f"solve, {n:5d} economies: {ms(rn['solve'])}, {e.iterations} Newton iterations + "
              f"{e.chord_steps} chord steps")
    if len(sizes) >= 2:
        slope = np.polyfit(np.log(sizes), np.log(times), 1)[0]
        last = np.polyfit(np.log(sizes[-2:]), np.log(times[-2:]), 1)[0]
        print(f"  scaling exponent of the solve time in N: {slope:.2f} over {sizes[0]}-"
              f"{sizes[-1]} ({last:.2f} between the two largest; dense linear algebra is "
              f"O(N^3))")

    wl = load_world("world-2024")
    res = simulate("liberation-day-2025", world=wl)
    pl, bl, tl = res.params, res.outcome.baseline, res.outcome.equilibrium.t1
    rw = side_by_side({"solve": lambda: solve_equilibrium(bl, pl, tl),
                       "simulate": lambda: simulate("liberation-day-2025", world=wl)},
                      max(3, args.repeat // 3))
    print(f"world-2024 ({wl.n} economies), liberation-day-2025: solve {ms(rw['solve'])}; "
          f"simulate incl. policies and tables {ms(rw['simulate'])}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
