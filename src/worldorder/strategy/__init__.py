"""The strategy layer: best responses, optimal retaliation and trade wars on the trade model.

* :func:`best_response`: the tariffs that maximise a player's welfare given everyone else's;
* :func:`optimal_retaliation`: a group's optimal common rate on a target, closed form and
  numerical;
* :func:`trade_war`: Nash equilibria in tariffs by iterated best responses, with the cooperative
  benchmark;
* scenario steps ``best_response`` and ``trade_war`` (:mod:`worldorder.strategy.actions`);
* :func:`coalition_outcomes`: every coalition of candidates facing a hegemon, their TU values and
  stability (:mod:`worldorder.strategy.coalitions`); core and Shapley value
  (:mod:`worldorder.strategy.coalition_games`); scenario step ``coalition``.
"""

import worldorder.strategy.actions  # noqa: F401  (registers the scenario steps)
from worldorder.strategy.best_response import BestResponse, StrategyError, best_response
from worldorder.strategy.coalition_games import core_nonempty, least_core, shapley
from worldorder.strategy.coalitions import (
    CoalitionTable,
    coalition_outcomes,
    coalition_value,
    stability,
    stable_coalitions,
)
from worldorder.strategy.nash import StartReport, TradeWar, trade_war
from worldorder.strategy.retaliation import RetaliationResult, optimal_retaliation

__all__ = [
    "BestResponse",
    "CoalitionTable",
    "RetaliationResult",
    "StartReport",
    "StrategyError",
    "TradeWar",
    "best_response",
    "coalition_outcomes",
    "coalition_value",
    "core_nonempty",
    "least_core",
    "optimal_retaliation",
    "shapley",
    "stability",
    "stable_coalitions",
    "trade_war",
]
