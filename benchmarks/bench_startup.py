"""Benchmark: start-up and data-layer times, each figure next to its target (issue 10).

* ``import worldorder`` in a fresh process (target ≤ 0.5 s), against ``import pandas`` measured
  alternately as a yardstick of the machine's state;
* the whole ``worldorder run SCENARIO`` process as the console script runs it
  (``worldorder_entry:main``), run store and printout included (target
  ≤ 1.5 s on the 194-economy dataset: ``liberation-day-2025-world-2023``; ``liberation-day-2025``
  on ``world-2024`` is shown too; ``--scenario`` to choose others);
* :meth:`World.from_frames` with 1,600 economies given as arrays (target ≤ 1 s), and loading a
  dataset folder (``world-2024``, or ``--dataset``).

Processes are timed as an installed package runs them: with its compiled bytecode cached (a
private ``PYTHONPYCACHEPREFIX``, filled by one warm-up run). When the environment sets
``PYTHONDONTWRITEBYTECODE`` (as an editable install may run: every module of worldorder is then
compiled from source at each start), the processes are also timed that way.

``--before SRC`` times another version of worldorder side by side (``SRC`` is a checkout, e.g.
``git worktree add /tmp/before main``; its ``src`` goes first on ``PYTHONPATH``), alternating
run by run, so that a busy machine slows both alike.

Every figure is a median with its range over ``--repeat`` runs, wall time and CPU time (user +
system of the child process). On a machine shared with other work, the CPU time is the steadier
figure: load stretches wall time by waiting for a core, and CPU time much less.

Usage: ``python benchmarks/bench_startup.py [--repeat 5] [--before SRC] [--scenario NAME ...]
[--dataset PATH]``. The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

from worldorder.threads import limit_blas_threads

limit_blas_threads(1)

from worldorder.data import World, load_world  # noqa: E402

SCENARIOS = ("liberation-day-2025-world-2023", "liberation-day-2025")
#: What the ``worldorder`` console script runs (``[project.scripts]``), whichever version of
#: ``src`` comes first on the path.
CONSOLE_SCRIPT = ("import sys; from worldorder_entry import main; sys.argv[0] = 'worldorder'; "
                  "sys.exit(main())")


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def process_seconds(args: list[str], cwd: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (which must succeed)."""
    c, t = _child_cpu(), time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - t, _child_cpu() - c


def show(label: str, wall: list[float], cpu: list[float] | None = None,
         target: float | None = None) -> str:
    med = statistics.median(wall)
    out = f"{label}: median {med:6.3f} s (range {min(wall):.3f}-{max(wall):.3f}"
    if cpu:
        out += f"; CPU median {statistics.median(cpu):.3f} s, range {min(cpu):.3f}-{max(cpu):.3f}"
    out += f", {len(wall)} runs)"
    if target is not None:
        out += (f"  target <= {target:g} s: {'met' if med <= target else 'NOT met'}"
                + (f" (CPU: {'met' if statistics.median(cpu) <= target else 'NOT met'})"
                   if cpu else ""))
    return out


def environments(tmp: str) -> dict[str, dict[str, str]]:
    """The ways processes are started: bytecode cached, and the inherited environment when it
    forbids writing bytecode."""
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pyc")
    out = {"bytecode cached": cached}
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        out["PYTHONDONTWRITEBYTECODE=1 (modules compiled at each start)"] = dict(os.environ)
    for env in out.values():
        env["OMP_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = env["MKL_NUM_THREADS"] = "1"
    return out


def with_source(env: dict[str, str], src: str | None) -> dict[str, str]:
    if src is None:
        return env
    out = dict(env)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (os.path.join(src, "src"),
                                                    env.get("PYTHONPATH")) if p)
    if "PYTHONPYCACHEPREFIX" in out:  # its own cache: the same file names as ours
        out["PYTHONPYCACHEPREFIX"] += "-before"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scenario", action="append", help=f"default: {', '.join(SCENARIOS)}")
    ap.add_argument("--before", help="a checkout of another version to time side by side")
    ap.add_argument("--dataset", default="world-2024")
    ap.add_argument("--economies", type=int, default=1600)
    args = ap.parse_args()
    scenarios = args.scenario or list(SCENARIOS)
    if args.before and not os.path.isdir(os.path.join(args.before, "src", "worldorder")):
        sys.exit(f"error: {args.before}: no src/worldorder in this folder")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; one BLAS thread; "
          "wall and CPU (user + system) time of each process")
    py = sys.executable
    versions = {"this version": None} | ({"before (" + args.before + ")": args.before}
                                         if args.before else {})
    with tempfile.TemporaryDirectory() as tmp:
        for mode, env0 in environments(tmp).items():
            print(f"processes with {mode}:")
            envs = {v: with_source(env0, src) for v, src in versions.items()}
            jobs: dict[str, list[str]] = {"import worldorder": [py, "-c", "import worldorder"],
                                          "import pandas": [py, "-c", "import pandas"]}
            for sc in scenarios:
                jobs[f"worldorder run {sc}"] = [py, "-c", CONSOLE_SCRIPT, "run", sc,
                                                "--runs-dir", os.path.join(tmp, "runs")]
            for job in jobs.values():  # warm-up: bytecode, the OS's file cache
                for env in envs.values():
                    process_seconds(job, tmp, env)
            res = {(v, j): ([], []) for v in versions for j in jobs}  # type: ignore[var-annotated]
            for _ in range(args.repeat):
                for j, job in jobs.items():
                    for v, env in envs.items():
                        w, c = process_seconds(job, tmp, env)
                        res[v, j][0].append(w)
                        res[v, j][1].append(c)
            for j in jobs:
                target = (0.5 if j == "import worldorder" else
                          1.5 if j.startswith("worldorder run") else None)
                for v in versions:
                    if j == "import pandas" and v != "this version":
                        continue
                    who = f" [{v}]" if len(versions) > 1 and j != "import pandas" else ""
                    note = "" if target is not None else " (a yardstick of the machine)"
                    print("  " + show(f"{j}{who}{note}", *res[v, j], target))
                if len(versions) > 1 and j != "import pandas":
                    (wa, ca), (wb, cb) = res["this version", j], res[list(versions)[1], j]
                    print(f"    ratio before/this version: wall "
                          f"{statistics.median(wb) / statistics.median(wa):.2f}x, CPU "
                          f"{statistics.median(cb) / statistics.median(ca):.2f}x")

    n = args.economies
    rng = np.random.default_rng(0)
    X = rng.lognormal(0.0, 1.0, (n, n))
    np.fill_diagonal(X, 0.0)
    t0 = np.where(np.eye(n, dtype=bool), 0.0, rng.uniform(0.0, 0.08, (n, n)))
    codes = [f"C{k:04d}" for k in range(n)]
    econ = pd.DataFrame({"code": codes, "name": codes, "gdp": 3.0 * X.sum(axis=0)})
    ff, ffc, ld, ldc = [], [], [], []
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        World.from_frames(econ, X, tariffs=t0)
        ff.append(time.perf_counter() - t)
        ffc.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        w = load_world(args.dataset)
        ld.append(time.perf_counter() - t)
        ldc.append(time.process_time() - c)
    print(show(f"World.from_frames, {n} economies as arrays", ff, ffc, 1.0))
    print(show(f"load_world({args.dataset!r}), {w.n} economies", ld, ldc))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
