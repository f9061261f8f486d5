"""The built-in actions of the trade and politics layers (registered on import).

Strategic actions (``best_response``, ``trade_war``, ``retaliation``, ``coalition``) live in
:mod:`worldorder.strategy.actions` and are found through the ``worldorder.actions`` entry points.
"""

from worldorder.engine.actions import deals, political, trade

__all__ = ["deals", "political", "trade"]
