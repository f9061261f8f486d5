"""Benchmark: sweeps on the 194-economy world-2023, in this process and on 1 and 2 Dask workers.

The sweep is ``liberation-day-2025-world-2023`` with ε ~ U(3, 8) (``--samples``, default 2,000,
seed 0), run with :func:`worldorder.sweeps.run.execute_sweep` into a temporary run store: the
fixed-policy path (each sample solved from the central solution with its factorised Jacobian
reused, invariants checked, outcome tables built, Parquet partitions written). Measured side by
side, alternating between the set-ups ``--repeat`` times so that a busy machine slows them alike:

* serial: this process, no Dask;
* Dask local clusters of 1 and of 2 worker processes (one BLAS thread each), started and set up
  (each process runs the scenario once and solves its anchors) before the timing; both one-off
  costs are printed apart.

Printed: medians and ranges of the sweep time (without the scenario's own run, which every sweep
records once), solves per second and per second per core, solves per CPU second (this process
and the workers: on a machine busier than its cores, the work a core does when it is free), the
scaling from 1 to 2 workers, and
the time 10,000 samples would take on 2 cores; targets ≥ 150 solves/s per core and 10,000
samples in ≤ 60 s on 2 cores. The machine is shared: read the load average printed first.

``--before SRC`` also runs the serial sweep with another version of worldorder (``SRC`` is a
checkout, e.g. ``git worktree add /tmp/before main``) in a process of its own (this script with
``--serve``, its ``src`` first on ``PYTHONPATH``), alternating with the set-ups above, and prints
the ratio before/this version.

Usage: ``python benchmarks/bench_sweep.py [--samples 2000] [--repeat 3] [--before SRC]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from worldorder.threads import limit_blas_threads

limit_blas_threads(1)

from worldorder.data import load_world  # noqa: E402
from worldorder.executor import Executor, SerialExecutor  # noqa: E402
from worldorder.scenarios import load_scenario  # noqa: E402
from worldorder.sweeps.dask_backend import DaskExecutor  # noqa: E402
from worldorder.sweeps.design import Design  # noqa: E402
from worldorder.sweeps.run import execute_sweep  # noqa: E402
from worldorder.sweeps.solve import Plan, solve_chunk  # noqa: E402
from worldorder.sweeps.spec import parse_param  # noqa: E402

SCENARIO = "liberation-day-2025-world-2023"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def cpu_seconds(ex: Executor) -> float:
    """CPU seconds used so far by this process and, for Dask, by its workers."""
    total = time.process_time()
    if isinstance(ex, DaskExecutor):
        total += sum(ex.client.run(time.process_time).values())
    return total


def serve(samples: int) -> None:
    """``--serve``: a serial sweep for each ``run`` line on stdin, answered with
    ``[sweep seconds, CPU seconds]`` (JSON)."""
    sc = load_scenario(SCENARIO)
    world = load_world(sc.dataset)
    design = Design(params=(parse_param("epsilon=uniform(3,8)", world),),
                    per_point=samples, seed=0)
    solve_chunk(Plan.make(sc, world, design), [0])
    print("ready", flush=True)
    with tempfile.TemporaryDirectory() as runs:
        for _ in sys.stdin:
            before = time.process_time()
            rec = execute_sweep(sc, design, world=world, runs_dir=runs,
                                executor=SerialExecutor(), fresh=True, backend="serial")
            print(json.dumps([float(rec.manifest["timings"]["sweep_seconds"]),
                              time.process_time() - before]), flush=True)


def start_before(src: str, samples: int) -> subprocess.Popen[str]:
    """The ``--serve`` process of the version in ``src``, ready."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.path.join(src, "src"),
                                                    env.get("PYTHONPATH")) if p)
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve",
                              "--samples", str(samples)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    if child.stdout.readline().strip() != "ready":
        sys.exit(f"error: the version in {src} did not start")
    return child


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--before", help="a checkout of another version to time side by side")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.samples)
        return
    if args.before and not os.path.isdir(os.path.join(args.before, "src", "worldorder")):
        sys.exit(f"error: {args.before}: no src/worldorder in this folder")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; one BLAS thread "
          "per process")
    sc = load_scenario(SCENARIO)
    world = load_world(sc.dataset)
    design = Design(params=(parse_param("epsilon=uniform(3,8)", world),),
                    per_point=args.samples, seed=0)
    plan = Plan.make(sc, world, design)
    t = time.perf_counter()
    solve_chunk(plan, [0])
    print(f"set-up in this process (the scenario's run, anchor solutions): "
          f"{time.perf_counter() - t:.1f} s")
    child = start_before(args.before, args.samples) if args.before else None
    executors: dict[str, Executor] = {"serial": SerialExecutor()}
    for k in (1, 2):
        t = time.perf_counter()
        ex = DaskExecutor(k)
        assert len(ex.client.nthreads()) == k  # starts the cluster
        started = time.perf_counter() - t
        ex.client.run(solve_chunk, plan, [0])  # each worker's one-off set-up, as above
        executors[f"dask-{k}"] = ex
        print(f"Dask local cluster of {k} worker(s): started in {started:.1f} s, workers set "
              f"up in {time.perf_counter() - t - started:.1f} s (not in the timings below)")
    seconds: dict[str, list[float]] = {k: [] for k in executors}
    cpu: dict[str, list[float]] = {k: [] for k in executors}
    failed = 0
    with tempfile.TemporaryDirectory() as runs:
        for _ in range(args.repeat):
            for name, ex in executors.items():
                before = cpu_seconds(ex)
                rec = execute_sweep(sc, design, world=world, runs_dir=runs, executor=ex,
                                    fresh=True, backend=name)
                seconds[name].append(float(rec.manifest["timings"]["sweep_seconds"]))
                # the central run that every sweep records runs in this process
                cpu[name].append(cpu_seconds(ex) - before)
                failed += int(rec.manifest["sweep"]["failed"])
            if child is not None:
                assert child.stdin is not None and child.stdout is not None
                child.stdin.write("run\n")
                child.stdin.flush()
                wall, used = json.loads(child.stdout.readline())
                seconds.setdefault("before", []).append(float(wall))
                cpu.setdefault("before", []).append(float(used))
    for ex in executors.values():
        ex.close()
    if child is not None:
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
    print(f"sweep: {SCENARIO} ({world.n} economies), epsilon ~ U(3, 8), {args.samples:,} "
          f"samples, {args.repeat} runs of each set-up alternating; {failed} failed samples")
    rates = {}
    for name, vals in seconds.items():
        med = statistics.median(vals)
        cores = 2 if name == "dask-2" else 1
        rates[name] = args.samples / med
        label = {"serial": "this process (no Dask)", "dask-1": "Dask, 1 worker",
                 "dask-2": "Dask, 2 workers", "before": "before, its own process"}[name]
        per_cpu = args.samples / statistics.median(cpu[name])
        print(f"  {label:<23} median {med:6.2f} s (range {min(vals):.2f}-{max(vals):.2f}): "
              f"{rates[name]:6.0f} solves/s, {rates[name] / cores:5.0f} per core  "
              f"target >= 150/s per core: {verdict(rates[name] / cores >= 150)}")
        print(f"  {'':<23} CPU {statistics.median(cpu[name]):6.2f} s: {per_cpu:5.0f} solves "
              "per CPU second (what a core would do alone, the scenario's own run included)")
    if "before" in seconds:
        med = {k: (statistics.median(seconds[k]), statistics.median(cpu[k]))
               for k in ("before", "serial")}
        print(f"  before = the serial sweep of the version in {args.before}; ratio before/this "
              f"process: wall {med['before'][0] / med['serial'][0]:.2f}x, CPU "
              f"{med['before'][1] / med['serial'][1]:.2f}x")
    scaling = rates["dask-2"] / rates["dask-1"]
    cpu_ratio = statistics.median(cpu["dask-2"]) / statistics.median(cpu["dask-1"])
    ten_k = 10_000 / rates["dask-2"]
    print(f"  scaling from 1 to 2 Dask workers: {scaling:.2f}x (ideal 2.00x on 2 idle cores); "
          f"CPU seconds of 2 workers / 1 worker {cpu_ratio:.2f} (1.00: no work added)")
    print(f"  10,000 samples on 2 workers: about {ten_k:.0f} s  target <= 60 s: "
          f"{verdict(ten_k <= 60)}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
