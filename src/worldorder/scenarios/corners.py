"""Corner solutions: strategic rates that stopped at the upper bound of their search.

A best response, a trade war or an optimal coalition response searches rates in
``[0, upper]`` (``upper`` defaults to 1.0 = 100%). A rate that ends at ``upper`` is a corner: the
optimum may lie beyond it, and a conclusion built on it depends on the cap (under fixed
transfers a deficit economy keeps importing its deficit at any tariff, which flatters
prohibitive rates). :func:`search_corners` finds them in a run's timeline and tariff table, so
that every place a user reads the results (``worldorder run``, ``strategy middle-powers``, the
report) can say so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = ["Corner", "corner_note", "search_corners"]

TOL = 1e-6


@dataclass(frozen=True)
class Corner:
    """An economy whose strategic rate ended at the search cap.

    Attributes:
        date: The date of the strategic step.
        action: The step's action (``trade_war``, ``best_response``, ``coalition``).
        economy: The imposer at the cap.
        rate: Its highest rate set (a fraction: 1.0 = 100%).
        upper: The cap of the search.
    """

    date: str
    action: str
    economy: str
    rate: float
    upper: float


def _details(text: object) -> dict:
    try:
        value = json.loads(str(text))
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [] if value == "all" else [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _sides(details: dict, parties: str) -> tuple[list[str], list[str] | None]:
    """Who searched a rate (players, members or ``by``) and on whom (None: everyone)."""
    searchers = next((_names(details[k]) for k in ("players", "members", "by")
                      if _names(details.get(k))), [p for p in parties.split(",") if p])
    if _names(details.get("against")):
        return searchers, _names(details["against"])
    if details.get("targets") == "players":
        return searchers, searchers
    if _names(details.get("partners")):
        return searchers, _names(details["partners"])
    return searchers, None


def search_corners(timeline: pd.DataFrame, policies: pd.DataFrame,
                   expand: Callable[[Iterable[str]], list[str]] | None = None) -> list[Corner]:
    """The imposers of each strategic step whose rate ended at the step's ``upper`` bound.

    Args:
        timeline: The run's timeline (``date, action, parties, details``; ``details`` the
            action's fields as JSON, with ``upper`` for searches).
        policies: The run's changed tariff pairs (``date, imposer, target, rate_after``) at the
            solved dates.
        expand: Turns party names (groups such as ``EU``) into economy codes; by default a party
            is taken as an economy code.

    Returns:
        One :class:`Corner` per (step, economy) in date order.
    """
    if timeline.empty or policies.empty or "details" not in timeline.columns:
        return []
    expand = expand or (lambda names: list(names))
    dates = sorted(set(policies["date"].astype(str)))
    out: list[Corner] = []
    seen: set[tuple[str, str]] = set()
    for row in timeline.itertuples():
        details = _details(row.details)
        upper = details.get("upper")
        if not isinstance(upper, int | float) or isinstance(upper, bool):
            continue
        if details.get("response", "optimal") != "optimal" or \
                details.get("rule", "optimal") != "optimal":
            continue  # mirror or no response: no search, the cap plays no role
        date = str(row.date)
        solved = next((d for d in dates if d >= date), None)  # the date the step was solved
        if solved is None:
            continue
        searchers, targets = _sides(details, str(row.parties or ""))
        searchers = set(expand(searchers))
        at = policies[(policies["date"].astype(str) == solved)
                      & policies["imposer"].isin(searchers)]
        if targets is not None:
            at = at[at["target"].isin(set(expand(targets)))]
        top = at.groupby("imposer")["rate_after"].max()
        for economy, rate in top.items():
            if rate >= upper - TOL and (date, str(economy)) not in seen:
                seen.add((date, str(economy)))
                out.append(Corner(date=date, action=str(row.action), economy=str(economy),
                                  rate=float(rate), upper=float(upper)))
    return out


def corner_note(corners: list[Corner]) -> str:
    """One sentence naming the economies at the cap (empty when there are none)."""
    if not corners:
        return ""
    by_cap: dict[tuple[str, float], list[str]] = {}
    for c in corners:
        by_cap.setdefault((c.action, c.upper), []).append(c.economy)
    parts = [f"{', '.join(dict.fromkeys(codes))} at the {100 * upper:g}% cap of the {action} "
             "search" for (action, upper), codes in by_cap.items()]
    return ("Corner solution: " + "; ".join(parts) + ". The optimum may lie beyond the cap: "
            "results for these economies depend on it (raise 'upper' to check).")
