"""Every coalition of candidates facing a hegemon, solved in deterministic chunks.

:func:`coalition_outcomes` prices all 2^n − 1 coalitions of up to ``max_exact`` candidates (a
documented heuristic above) and the deviation structures that stability needs (see
:mod:`worldorder.strategy.coalitions` for the model). Coalitions are visited in Gray-code order
(neighbours differ by one member, so their equilibria are close and warm starts pay) in fixed
chunks; each chunk starts cold (:meth:`~worldorder.trade.evaluator.Evaluator.reset`), so the table
depends only on the inputs and the chunk size, never on the executor, the number of workers or
the order in which chunks run (tested bit for bit). Chunks go through one
:class:`~worldorder.executor.Executor` (serial, a process pool, or a plug-in backend).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from worldorder.errors import ExecutorError
from worldorder.executor import Executor, get_executor
from worldorder.progress import report as report_progress
from worldorder.strategy.coalition_legitimacy import member_gains
from worldorder.strategy.coalition_players import (
    CoalitionError,
    Internal,
    Players,
    Response,
    check_rule,
    gray_masks,
    mask_names,
    resolve_players,
)
from worldorder.strategy.coalition_table import CoalitionTable
from worldorder.strategy.coalition_value import (
    check_search,
    coalition_tariffs,
    optimal_common_rate,
)

if TYPE_CHECKING:
    from worldorder.trade.evaluator import Evaluator

__all__ = ["ChunkSpec", "coalition_outcomes", "solve_chunk"]

#: A deviation structure: (coalition mask, leaver, rate of the mask without the leaver, rate of
#: the leaver alone).
Deviation = tuple[int, int, float, float]


@dataclass(frozen=True, eq=False)
class ChunkSpec:
    """Everything a chunk needs besides the evaluator and its items."""

    players: Players
    t: np.ndarray
    t0: np.ndarray
    dhat: np.ndarray | None
    response: Response
    internal: Internal
    grid: int
    upper: float
    xatol: float
    balancing: np.ndarray | None = None


def solve_chunk(ev: Evaluator, spec: ChunkSpec, items: Sequence[int] | Sequence[Deviation],
                ) -> tuple[np.ndarray, np.ndarray, int]:
    """Solve one chunk: coalitions (``items`` = masks) or deviation structures (``items`` =
    ``(mask, leaver, rate of mask without leaver, rate of leaver alone)``).

    The chunk starts from the baseline (no warm start from an earlier chunk), so its results
    depend only on its items; it is a pure function of its arguments, so any executor may run
    it anywhere.

    Returns:
        ``(rates, welfare, solves)``: the common rate of each item (NaN unless optimal), Ŵ of
        every economy for each item, and the equilibria solved.
    """
    ev.reset()  # cold start: chunks are independent of each other and of the workers
    start = ev.solves
    pl = spec.players
    rates = np.full(len(items), np.nan)
    W = np.empty((len(items), ev.world.n))
    for k, item in enumerate(items):
        if isinstance(item, int):
            econ = pl.economies(item)
            if spec.response == "optimal":
                rs = optimal_common_rate(ev, spec.t, econ, pl.hegemon, dhat=spec.dhat,
                                         internal=spec.internal, grid=spec.grid,
                                         upper=spec.upper, xatol=spec.xatol,
                                         balancing=spec.balancing)
                rates[k], W[k] = rs.rate, rs.welfare
            else:
                t1 = coalition_tariffs(spec.t, spec.t0, econ, pl.hegemon,
                                       response=spec.response, internal=spec.internal)
                W[k] = ev.welfare(t1, spec.dhat)
        else:
            mask, p, rate_rest, rate_p = item
            t1 = coalition_tariffs(spec.t, spec.t0, pl.economies(mask & ~(1 << p)), pl.hegemon,
                                   response=spec.response, internal=spec.internal,
                                   rate=None if math.isnan(rate_rest) else rate_rest)
            t1 = coalition_tariffs(t1, spec.t0, pl.members[p], pl.hegemon,
                                   response=spec.response, internal=spec.internal,
                                   rate=None if math.isnan(rate_p) else rate_p)
            W[k] = ev.welfare(t1, spec.dhat)
    return rates, W, ev.solves - start


class _Chunks:
    """Split items into fixed chunks, solve them through the executor, join the results.

    The chunks go to the executor a batch at a time (one chunk with one worker, four per worker
    with several), and after each batch :func:`worldorder.progress.report` says how many are
    done (``coalitions: chunk 12/32, 384 solves``), so that a long table shows progress.
    Batching changes neither the chunks nor their results (each starts cold)."""

    def __init__(self, ev: Evaluator, spec: ChunkSpec, executor: Executor, chunk: int) -> None:
        self.ev, self.spec, self.executor, self.chunk = ev, spec, executor, chunk
        self.solves = 0

    def __call__(self, items: Sequence[int] | Sequence[Deviation], what: str = "coalitions",
                 ) -> tuple[np.ndarray, np.ndarray]:
        chunks = [items[k:k + self.chunk] for k in range(0, len(items), self.chunk)]
        solve = partial(solve_chunk, self.ev, self.spec)
        batch = 1 if self.executor.workers <= 1 else 4 * int(self.executor.workers)
        parts: list[tuple[np.ndarray, np.ndarray, int]] = []
        for k in range(0, len(chunks), batch):
            todo = chunks[k:k + batch]
            parts += self.executor.map(solve, todo) if len(chunks) > 1 else [solve(todo[0])]
            self.solves += sum(p[2] for p in parts[-len(todo):])
            report_progress(f"{what}: chunk {len(parts)}/{len(chunks)}, {self.solves:,} solves")
        if not parts:
            return np.zeros(0), np.zeros((0, self.ev.world.n))
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def coalition_outcomes(evaluator: Evaluator, candidates: Sequence[str], hegemon: str = "USA",
                       t: np.ndarray | None = None, *, response: Response = "optimal",
                       internal: Internal = "free_trade", dhat: np.ndarray | None = None,
                       max_exact: int = 12, workers: int | None = None, chunk: int = 32,
                       grid: int = 11, upper: float = 1.0, xatol: float = 1e-5,
                       deviations: bool = True, executor: Executor | None = None,
                       balancing: np.ndarray | None = None) -> CoalitionTable:
    """Every coalition of the candidates against the hegemon, with each player's welfare.

    Up to ``max_exact`` candidates: all 2^n − 1 coalitions. Above: a heuristic, flagged by
    ``exhaustive=False`` and described in ``method``: every coalition of at most 3 players, the
    grand coalition and the n coalitions without one player, and greedy growth from the pair
    with the largest surplus v(S) − Σ v({i}), adding at each step the player that adds most
    (v(S ∪ {j}) − v({j})) until the grand coalition.

    With ``deviations`` (default), also the deviation structures :func:`stability` needs (for
    every coalition S in the table and member i with S∖{i} in the table: S∖{i} forms with its
    policy, i acts alone with its singleton policy).

    Work is split into fixed chunks of ``chunk`` coalitions in Gray-code order, each started
    cold, and run by ``executor`` (default: :func:`~worldorder.executor.get_executor` of
    ``workers``, every CPU by default, 1 = this process): the table is bit-for-bit the same
    whatever the executor and the number of workers.

    Args:
        evaluator: The :class:`~worldorder.trade.evaluator.Evaluator` of the World.
        candidates: Economy codes or groups (a group is one player).
        hegemon: The economy (or group) they face.
        t: Current tariffs (default: the baseline).
        response, internal: See the module docstring.
        dhat: Iceberg trade-cost changes, if any.
        max_exact: Most candidates for the exhaustive table.
        workers: Worker processes (ignored when ``executor`` is given).
        chunk: Coalitions (or deviation structures) per chunk.
        grid, upper, xatol: The optimal-rate search (:func:`optimal_common_rate`).
        deviations: Compute the deviation structures for
            :func:`~worldorder.strategy.coalition_stability.stability`.
        executor: An executor to run the chunks (left open; e.g. a Dask backend).
        balancing: μ per economy (legitimacy, from
            :func:`~worldorder.strategy.coalition_legitimacy.balancing_weights`): every worth,
            gain and optimal rate counts μ_i E_i (1 − Ŵ_H) (``None`` = μ = 0, the plain worth).

    Raises:
        CoalitionError: Unknown names, the hegemon among the candidates, bad settings.
        ConvergenceError: No equilibrium for some coalition.
    """
    t_start = time.perf_counter()
    check_rule(response, internal)
    check_search(grid, upper)
    if max_exact > 20:
        raise CoalitionError(f"max_exact={max_exact}: at most 20 (2^20 coalitions)")
    if chunk < 1:
        raise CoalitionError(f"chunk must be at least 1 (got {chunk})")
    world = evaluator.world
    pl = resolve_players(world, candidates, hegemon)
    n = len(pl.names)
    t = evaluator.t0.copy() if t is None else np.array(t, dtype=float)
    if t.shape != evaluator.t0.shape:
        raise CoalitionError(f"tariffs of shape {t.shape}; the world needs {evaluator.t0.shape}")
    owned = executor is None
    if executor is None:
        try:
            executor = get_executor(workers)
        except ExecutorError as err:
            raise CoalitionError(str(err)) from None
    spec = ChunkSpec(players=pl, t=t, t0=evaluator.t0, dhat=dhat, response=response,
                 internal=internal, grid=grid, upper=upper, xatol=xatol, balancing=balancing)
    evaluator.reset()
    status_quo = evaluator.welfare(t, dhat)
    E = evaluator.baseline.E
    run = _Chunks(evaluator, spec, executor, chunk)
    done: dict[int, tuple[float, np.ndarray]] = {}

    def ensure(masks: list[int]) -> None:
        todo = [m for m in dict.fromkeys(masks) if m not in done]
        rates, W = run(todo)
        for k, m in enumerate(todo):
            done[m] = (float(rates[k]), W[k])

    def worth(m: int) -> float:
        econ = pl.economies(m)
        return float(member_gains(done[m][1], E, balancing, pl.hegemon)[econ].sum())

    greedy: list[str] = []
    try:
        if n <= max_exact:
            ensure(gray_masks(n))
            method = "exhaustive"
        else:
            full = (1 << n) - 1
            small = [sum(1 << k for k in c) for size in (1, 2, 3)
                     for c in itertools.combinations(range(n), size)]
            ensure(small + [full] + [full ^ (1 << k) for k in range(n)])
            single = {k: worth(1 << k) for k in range(n)}
            pairs = [m for m in small if m.bit_count() == 2]
            s = max(pairs, key=lambda m: (worth(m) - sum(single[k] for k in range(n)
                                                          if m >> k & 1), -m))
            greedy = list(mask_names(pl.names, s))
            while s.bit_count() < n - 1:
                outside = [k for k in range(n) if not s >> k & 1]
                ensure([s | 1 << k for k in outside])
                j = max(outside, key=lambda k: (worth(s | 1 << k) - single[k], -k))
                s |= 1 << j
                greedy.append(pl.names[j])
            greedy += [p for p in pl.names if p not in greedy]
            method = (f"heuristic ({n} candidates > max_exact={max_exact}): every coalition of "
                      f"at most 3 players, the grand coalition and those without one player, "
                      f"greedy growth from the best pair by surplus; {len(done)} of "
                      f"{(1 << n) - 1} coalitions")
        order = sorted(done, key=lambda m: (m.bit_count(), m))
        dev_items: list[Deviation] = []
        if deviations:
            visit = gray_masks(n) if n <= max_exact else order
            for m in visit:
                if m.bit_count() < 2:
                    continue
                for p in range(n):
                    rest = m & ~(1 << p)
                    if m >> p & 1 and rest in done:
                        dev_items.append((m, p, done[rest][0], done[1 << p][0]))
        # With no response, a leaver acting alone does nothing (unless it is a group that drops
        # its internal tariffs): the structure is the table's S∖{i}, solved already.
        same = [response == "none" and (internal == "keep" or len(pl.members[p]) == 1)
                for _, p, _, _ in dev_items]
        _, solved = run([d for d, r in zip(dev_items, same, strict=True) if not r],
                        "stability")
        rows = iter(solved)
        dev_W = np.array([done[m & ~(1 << p)][1] if r else next(rows)
                          for (m, p, _, _), r in zip(dev_items, same, strict=True)])
    finally:
        if owned:
            executor.close()
    return CoalitionTable(
        players=pl.names,
        members=tuple(tuple(world.codes[i] for i in m) for m in pl.members),
        hegemon=hegemon, response=response, internal=internal, codes=tuple(world.codes),
        masks=np.array(order, dtype=np.int64),
        rates=np.array([done[m][0] for m in order]),
        welfare=np.array([done[m][1] for m in order]).reshape(len(order), world.n),
        status_quo=status_quo, weights=E.copy(), t=t, t0=evaluator.t0.copy(),
        exhaustive=n <= max_exact, method=method,
        dev_keys=np.array([(m, p) for m, p, _, _ in dev_items], dtype=np.int64).reshape(-1, 2),
        dev_welfare=dev_W.reshape(len(dev_items), world.n), greedy=tuple(greedy),
        solves=1 + run.solves, seconds=time.perf_counter() - t_start,
        workers=executor.workers, member_index=pl.members, hegemon_index=pl.hegemon,
        balancing=None if balancing is None else np.array(balancing, dtype=float))
