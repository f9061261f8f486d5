"""Benchmark: the strategy layer on the bundled ``world-2024`` dataset (47 economies).

Prints the median wall time and the equilibria solved for

* the US uniform best response from the baseline (grid scan + bounded Brent);
* the US per-partner best response on 8 partners (L-BFGS-B from the uniform optimum,
  finite-difference gradients);
* the EU's optimal retaliation against the US after ``liberation-day-2025`` (closed form and
  numerical);
* a 5-player Nash equilibrium in uniform tariffs (USA, CHN, EU as one player, JPN, GBR) from
  three starts, with the cooperative benchmark;

* the coalition table of five middle powers against the US (mirror response, with deviations)
  with 1 and 2 worker processes side by side (:mod:`worldorder.executor`; bit-identical tables);

each with a fresh :class:`~worldorder.trade.evaluator.Evaluator` (the baseline is built once per
run, outside the timing). Usage: ``python benchmarks/bench_strategy.py [--repeat 5]``. Machines
are shared and noisy: read medians, not single runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from worldorder import load_world, resolve_params, simulate
from worldorder.strategy import (
    best_response,
    coalition_outcomes,
    optimal_retaliation,
    trade_war,
)
from worldorder.trade.evaluator import Evaluator

PARTNERS = ["CHN", "EU", "MEX", "CAN", "JPN", "KOR", "GBR", "IND"]
PLAYERS = ["USA", "CHN", "EU", "JPN", "GBR"]
MIDDLE = ["EU", "JPN", "KOR", "CAN", "GBR"]


def timed(make: Callable[[Evaluator], Any], world: Any, params: Any,
          repeat: int) -> tuple[Any, float, int]:
    """Median seconds and the solves of the last run (fresh Evaluator each time)."""
    secs, out, solves = [], None, 0
    for _ in range(repeat):
        ev = Evaluator(world, params)
        t = time.perf_counter()
        out = make(ev)
        secs.append(time.perf_counter() - t)
        solves = ev.solves
    return out, statistics.median(secs), solves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    r = args.repeat
    w = load_world("world-2024")
    p = resolve_params(w, "ignatenko2025")

    br, s, n = timed(lambda ev: best_response(ev, "USA"), w, p, r)
    print(f"best response, USA uniform: median {s:.3f} s, {n} solves "
          f"({1000 * s / n:.2f} ms/solve); rate {100 * br.rate:.2f}%, "
          f"welfare {br.welfare_pct:+.3f}%")

    pp, s, n = timed(lambda ev: best_response(ev, "USA", instrument="per_partner",
                                              partners=PARTNERS), w, p, r)
    rates = ", ".join(f"{k} {100 * v:.1f}%" for k, v in pp.rates.items())
    print(f"best response, USA per partner (8): median {s:.3f} s, {n} solves; converged "
          f"{pp.converged}; welfare {pp.welfare_pct:+.3f}% (uniform on the same partners "
          f"{100 * (pp.welfare_uniform - 1):+.3f}%); {rates}")

    ld = simulate("liberation-day-2025", world=w)
    t_ld = ld.outcome.equilibrium.t1
    rt, s, n = timed(lambda ev: optimal_retaliation(ev, "EU", "USA", t_ld), w, ld.params, r)
    print(f"optimal retaliation, EU on USA after liberation-day-2025: median {s:.3f} s, "
          f"{n} solves; numerical {100 * rt.numerical:.2f}% (EU welfare "
          f"{100 * (rt.welfare - 1):+.3f}% vs {100 * (rt.welfare_before - 1):+.3f}% without), "
          f"closed form {100 * rt.closed_form:.2f}% ({100 * (rt.welfare_closed_form - 1):+.3f}%)")

    war, s, n = timed(lambda ev: trade_war(ev, PLAYERS), w, p, max(1, r // 2))
    conv = "; ".join(f"{x.start}: {x.rounds} rounds, {x.max_change:.1e}" for x in war.starts)
    print(f"Nash, 5 players (USA, CHN, EU, JPN, GBR), uniform on all imports: median {s:.2f} s, "
          f"{n} solves; {len(war.equilibria)} equilibrium(s); {conv}")
    print(war.table().to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    war2, s, n = timed(lambda ev: trade_war(ev, PLAYERS, targets="players"), w, p,
                       max(1, r // 2))
    print(f"Nash, same players, tariffs on each other only: median {s:.2f} s, {n} solves")
    print(war2.table().to_string(index=False, float_format=lambda v: f"{v:.3f}"))

    secs: dict[int, list[float]] = {1: [], 2: []}
    tabs = {}
    for _ in range(max(1, r // 2)):
        for workers in (1, 2):
            ev = Evaluator(w, ld.params)
            start = time.perf_counter()
            tabs[workers] = coalition_outcomes(ev, MIDDLE, "USA", t_ld, response="mirror",
                                               workers=workers, chunk=8)
            secs[workers].append(time.perf_counter() - start)
    same = all(np.array_equal(getattr(tabs[1], f), getattr(tabs[2], f))
               for f in ("welfare", "dev_welfare"))
    m1, m2 = statistics.median(secs[1]), statistics.median(secs[2])
    print(f"coalition table, {len(MIDDLE)} candidates (mirror), {tabs[1].solves} solves: "
          f"1 worker median {m1:.2f} s (range {min(secs[1]):.2f}-{max(secs[1]):.2f}) | "
          f"2 workers median {m2:.2f} s (range {min(secs[2]):.2f}-{max(secs[2]):.2f}) | "
          f"ratio {m1 / m2:.2f}; bit-identical {same}")


if __name__ == "__main__":
    main()
