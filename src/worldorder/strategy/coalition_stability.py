"""Stability of coalitions (d'Aspremont et al. 1983): does a member want to leave, an outsider
to join?

See :mod:`worldorder.strategy.coalitions` for the deviation structures priced in the table.

References:
    d'Aspremont, C., Jacquemin, A., Gabszewicz, J. J. & Weymark, J. A. (1983), "On the
    stability of collusive price leadership", Canadian Journal of Economics 16(1), 17–25.
"""

from __future__ import annotations

import pandas as pd

from worldorder.strategy.coalition_players import mask_names
from worldorder.strategy.coalition_table import CoalitionTable

__all__ = ["stability", "stable_coalitions"]


def stability(table: CoalitionTable, *, tol: float = 1e-9) -> pd.DataFrame:
    """Internal and external stability of every coalition in the table (d'Aspremont et al.
    1983), one coalition among the candidates, the others singletons.

    * internal: for every member i, gain_i(S) ≥ gain_i(S∖{i} forms, i alone); singletons are
      internally stable;
    * external: no outsider j with gain_j(S ∪ {j}) > gain_j(S forms, j alone) while
      gain_k(S ∪ {j}) ≥ gain_k(S forms, j alone) for every member k of S; the grand coalition
      is externally stable.

    Gains are money-metric (Ŵ − 1)·E per player; comparisons allow ``tol`` times the player's
    income as a tie. ``None`` where a needed coalition or deviation is not in a heuristic
    table.

    Returns:
        ``coalition, mask, size, internal, external, stable, leavers, joiners`` (who would leave,
        who would join and be welcome).
    """
    players = table.players
    n = len(players)
    slack = tol * table.player_weights
    rows = []
    for k, m in enumerate(table.masks):
        m = int(m)
        g_in = table.gains[k]
        inside = [p for p in range(n) if m >> p & 1]
        leavers: list[str] = []
        internal: bool | None = True
        for p in inside if len(inside) > 1 else []:
            d = table._dev_row.get((m, p))
            if d is None:
                internal = None
                continue
            g_dev = table._gains(table.dev_welfare[d])
            if g_dev[p] > g_in[p] + slack[p]:
                leavers.append(players[p])
        if leavers:
            internal = False
        joiners: list[str] = []
        external: bool | None = True
        for j in range(n):
            if m >> j & 1:
                continue
            big = m | 1 << j
            d = table._dev_row.get((big, j))
            if big not in table._row or d is None:
                external = None
                continue
            g_big = table.gains[table._row[big]]
            g_dev = table._gains(table.dev_welfare[d])
            if g_big[j] > g_dev[j] + slack[j] and all(g_big[i] >= g_dev[i] - slack[i]
                                                      for i in inside):
                joiners.append(players[j])
        if joiners:
            external = False
        stable = None if internal is None or external is None else internal and external
        if internal is False or external is False:
            stable = False
        rows.append({"coalition": "+".join(mask_names(players, m)), "mask": m,
                     "size": len(inside),
                     "internal": internal, "external": external, "stable": stable,
                     "leavers": ",".join(leavers), "joiners": ",".join(joiners)})
    return pd.DataFrame(rows)


def stable_coalitions(table: CoalitionTable, *, min_size: int = 1, tol: float = 1e-9,
                      ) -> list[tuple[str, ...]]:
    """The coalitions (of at least ``min_size`` players) that are internally and externally
    stable (:func:`stability`), in table order."""
    st = stability(table, tol=tol)
    keep = st[(st["stable"] == True) & (st["size"] >= min_size)]  # noqa: E712
    return [table.names(int(m)) for m in keep["mask"]]
