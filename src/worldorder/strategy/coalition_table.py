"""The table of coalitions of candidates facing a hegemon, and the figures read from it.

Built by :func:`worldorder.strategy.coalition_outcomes.coalition_outcomes`; see
:mod:`worldorder.strategy.coalitions` for the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from worldorder.strategy.coalition_legitimacy import member_gains
from worldorder.strategy.coalition_players import CoalitionError, mask_names
from worldorder.strategy.coalition_value import coalition_tariffs

__all__ = ["CoalitionTable"]


@dataclass(frozen=True, eq=False)
class CoalitionTable:
    """Outcomes of coalitions of candidates facing a hegemon (:func:`coalition_outcomes`).

    Coalitions are bitmasks over ``players`` (bit k = ``players[k]``); rows are sorted by size,
    then mask. Welfare figures are relative to the dataset's baseline.

    Attributes:
        players: The candidates (economy codes or group names).
        members: Economy codes of each player.
        hegemon: The hegemon.
        response, internal: The rules applied.
        codes: The World's economy codes (columns of ``welfare``).
        masks: ``(K,)`` coalitions in the table.
        rates: ``(K,)`` common rate on the hegemon (NaN unless ``response="optimal"``).
        welfare: ``(K, N)`` Ŵ of every economy when the coalition forms.
        status_quo: ``(N,)`` Ŵ under the current tariffs (no coalition).
        weights: ``(N,)`` baseline expenditure E_i (the money-metric weights).
        t, t0: Current and baseline tariffs.
        exhaustive: Whether every coalition is in the table.
        method: How the coalitions were chosen (``exhaustive`` or the heuristic's description).
        dev_keys: ``(D, 2)`` deviation structures ``(mask, leaver)``: mask without the leaver
            forms, the leaver acts alone.
        dev_welfare: ``(D, N)`` Ŵ in each deviation structure.
        greedy: Heuristic only: the order in which greedy growth added players.
        solves, seconds, workers: Cost.
        member_index, hegemon_index: Matrix positions of each player's and the hegemon's
            economies.
        balancing: ``(N,)`` μ per economy when legitimacy enters the worths
            (:mod:`worldorder.strategy.coalition_legitimacy`): every gain is then
            E_i (Ŵ_i − 1) − μ_i E_i (Ŵ_H − 1); ``None`` = μ = 0.
    """

    players: tuple[str, ...]
    members: tuple[tuple[str, ...], ...]
    hegemon: str
    response: str
    internal: str
    codes: tuple[str, ...]
    masks: np.ndarray
    rates: np.ndarray
    welfare: np.ndarray
    status_quo: np.ndarray
    weights: np.ndarray
    t: np.ndarray
    t0: np.ndarray
    exhaustive: bool
    method: str
    dev_keys: np.ndarray
    dev_welfare: np.ndarray
    greedy: tuple[str, ...] = ()
    solves: int = 0
    seconds: float = 0.0
    workers: int = 1
    member_index: tuple[tuple[int, ...], ...] = field(default=(), repr=False)
    hegemon_index: tuple[int, ...] = field(default=(), repr=False)
    balancing: np.ndarray | None = field(default=None, repr=False)

    # ---- lookup
    @cached_property
    def _row(self) -> dict[int, int]:
        return {int(m): k for k, m in enumerate(self.masks)}

    @cached_property
    def _dev_row(self) -> dict[tuple[int, int], int]:
        return {(int(m), int(p)): k for k, (m, p) in enumerate(self.dev_keys)}

    def mask(self, coalition: Iterable[str] | str | int) -> int:
        """The bitmask of a coalition given by player names (or a mask)."""
        if isinstance(coalition, int | np.integer):
            return int(coalition)
        names = [coalition] if isinstance(coalition, str) else list(coalition)
        out = 0
        for name in names:
            if name not in self.players:
                raise CoalitionError(f"{name!r} is not a candidate "
                                     f"(candidates: {', '.join(self.players)})")
            out |= 1 << self.players.index(name)
        return out

    def names(self, coalition: Iterable[str] | str | int) -> tuple[str, ...]:
        """The players of a coalition, in candidate order."""
        return mask_names(self.players, self.mask(coalition))

    def __contains__(self, coalition: Iterable[str] | str | int) -> bool:
        return self.mask(coalition) in self._row

    def row(self, coalition: Iterable[str] | str | int) -> int:
        """The row of a coalition.

        Raises:
            CoalitionError: The coalition is not in the table (heuristic tables).
        """
        m = self.mask(coalition)
        if m not in self._row:
            names = ", ".join(mask_names(self.players, m))
            raise CoalitionError(f"coalition {{{names}}} is not in the table "
                                 f"({self.method.split(':')[0]})")
        return self._row[m]

    # ---- money-metric figures
    @cached_property
    def player_weights(self) -> np.ndarray:
        """``(P,)`` Σ E_i over each player's economies."""
        return np.array([self.weights[list(m)].sum() for m in self.member_index])

    def _gains(self, W: np.ndarray, *, own: bool = False) -> np.ndarray:
        G = member_gains(W, self.weights, None if own else self.balancing, self.hegemon_index)
        return np.stack([G[..., list(m)].sum(axis=-1) for m in self.member_index], axis=-1)

    @cached_property
    def gains(self) -> np.ndarray:
        """``(K, P)`` money-metric gain (Ŵ − 1)·E of every player in every coalition's world
        (with :attr:`balancing`, the legitimacy-weighted payoff (Ŵ − 1)·E − μ E (Ŵ_H − 1))."""
        return self._gains(self.welfare)

    @cached_property
    def own_gains(self) -> np.ndarray:
        """``(K, P)`` (Ŵ − 1)·E of every player: its own welfare, without the legitimacy term
        (equal to :attr:`gains` when :attr:`balancing` is ``None``)."""
        return self.gains if self.balancing is None else self._gains(self.welfare, own=True)

    @cached_property
    def values(self) -> np.ndarray:
        """``(K,)`` worth v(S) of each coalition."""
        member = (self.masks[:, None] >> np.arange(len(self.players))[None, :]) & 1
        return (self.gains * member).sum(axis=1)

    def value(self, coalition: Iterable[str] | str | int) -> float:
        """v(S) = Σ_{i∈S} (Ŵ_i − 1) E_i (dataset unit; with :attr:`balancing`, v_R(S) =
        Σ_{i∈S} [(Ŵ_i − 1) − μ_i (Ŵ_H − 1)] E_i); v(∅) = 0."""
        m = self.mask(coalition)
        return 0.0 if m == 0 else float(self.values[self.row(m)])

    def welfare_pct(self, coalition: Iterable[str] | str | int, *, members_only: bool = True,
                    ) -> dict[str, float]:
        """Welfare change (percent, vs. the baseline) of each member (or every player)."""
        m = self.mask(coalition)
        g = self.own_gains[self.row(m)]
        return {p: float(100.0 * g[k] / self.player_weights[k])
                for k, p in enumerate(self.players) if not members_only or m >> k & 1}

    def singleton_values(self) -> np.ndarray:
        """``(P,)`` v({i}) of every player."""
        return np.array([self.value(1 << k) for k in range(len(self.players))])

    def surplus(self, coalition: Iterable[str] | str | int) -> float:
        """v(S) − Σ_{i∈S} v({i}): what forming S adds to its members acting alone."""
        m = self.mask(coalition)
        sv = self.singleton_values()
        return self.value(m) - float(sum(sv[k] for k in range(len(self.players)) if m >> k & 1))

    def game(self, relative_to: Literal["baseline", "status_quo"] = "baseline",
             ) -> dict[frozenset[str], float]:
        """The TU game ``frozenset(players) -> worth`` over the coalitions in the table (with
        v(∅) = 0). ``"status_quo"`` subtracts each member's gain under the current tariffs."""
        if relative_to not in ("baseline", "status_quo"):
            raise CoalitionError(f"unknown reference {relative_to!r} (baseline or status_quo)")
        sq = self._gains(self.status_quo) if relative_to == "status_quo" else \
            np.zeros(len(self.players))
        out: dict[frozenset[str], float] = {frozenset(): 0.0}
        for k, m in enumerate(self.masks):
            names = mask_names(self.players, int(m))
            shift = sum(sq[self.players.index(p)] for p in names)
            out[frozenset(names)] = float(self.values[k] - shift)
        return out

    def tariffs(self, coalition: Iterable[str] | str | int) -> np.ndarray:
        """The tariff matrix used for a coalition."""
        m = self.mask(coalition)
        r = float(self.rates[self.row(m)])
        econ = sorted(i for k, pos in enumerate(self.member_index) if m >> k & 1 for i in pos)
        return coalition_tariffs(self.t, self.t0, econ, self.hegemon_index,
                                 response=self.response,  # type: ignore[arg-type]
                                 rate=None if math.isnan(r) else r,
                                 internal=self.internal)  # type: ignore[arg-type]

    def deviation_gains(self, coalition: Iterable[str] | str | int, leaver: str,
                        ) -> np.ndarray | None:
        """``(P,)`` gains when the coalition without ``leaver`` forms and ``leaver`` acts alone
        (None when not computed)."""
        m = self.mask(coalition)
        p = self.players.index(leaver)
        k = self._dev_row.get((m, p))
        return None if k is None else self._gains(self.dev_welfare[k])

    def best(self, by: Literal["value", "surplus", "per_member"] = "surplus",
             min_size: int = 2) -> tuple[str, ...]:
        """The coalition (of at least ``min_size`` players) with the largest worth, surplus over
        acting alone, or gain per member (percent of the members' income)."""
        sizes = np.array([int(m).bit_count() for m in self.masks])
        ok = np.flatnonzero(sizes >= min_size)
        if ok.size == 0:
            raise CoalitionError(f"no coalition of {min_size} or more players in the table")
        if by == "value":
            score = self.values[ok]
        elif by == "surplus":
            score = np.array([self.surplus(int(self.masks[k])) for k in ok])
        elif by == "per_member":
            member = (self.masks[ok, None] >> np.arange(len(self.players))[None, :]) & 1
            score = self.values[ok] / (member * self.player_weights).sum(axis=1)
        else:
            raise CoalitionError(f"unknown criterion {by!r} (value, surplus or per_member)")
        return mask_names(self.players, int(self.masks[ok[int(np.argmax(score))]]))

    def frame(self) -> pd.DataFrame:
        """One row per coalition: ``coalition, size, rate, value, surplus,
        gain_vs_status_quo, welfare_pct, hegemon_welfare_pct`` and each member's welfare (%,
        NaN for non-members). With :attr:`balancing`, ``value``, ``surplus`` and
        ``gain_vs_status_quo`` are legitimacy-weighted worths; the welfare columns stay the
        members' own welfare."""
        sv = self.singleton_values() if all((1 << k) in self._row
                                             for k in range(len(self.players))) else None
        sq = self._gains(self.status_quo)
        h = list(self.hegemon_index)
        rows = []
        for k, m in enumerate(self.masks):
            m = int(m)
            inside = [j for j in range(len(self.players)) if m >> j & 1]
            w = float(self.player_weights[inside].sum())
            row: dict[str, Any] = {
                "coalition": "+".join(mask_names(self.players, m)), "size": len(inside),
                "rate": self.rates[k], "value": self.values[k],
                "surplus": (self.values[k] - sv[inside].sum()) if sv is not None else np.nan,
                "gain_vs_status_quo": self.values[k] - sq[inside].sum(),
                "welfare_pct": 100.0 * (self.values[k] if self.balancing is None else
                                        float(self.own_gains[k, inside].sum())) / w,
                "hegemon_welfare_pct": 100.0 * float(
                    self.weights[h] @ (self.welfare[k, h] - 1.0) / self.weights[h].sum()),
            }
            for j, p in enumerate(self.players):
                row[p] = 100.0 * self.own_gains[k, j] / self.player_weights[j] if m >> j & 1 \
                    else np.nan
            rows.append(row)
        return pd.DataFrame(rows)
