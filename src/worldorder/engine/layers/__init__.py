"""The built-in layers: the trade model (``trade``) and the political state (``politics``)."""

from worldorder.engine.layers.politics import PoliticalState, PoliticsLayer
from worldorder.engine.layers.trade import Solution, TradeLayer, TradeState

__all__ = ["PoliticalState", "PoliticsLayer", "Solution", "TradeLayer", "TradeState"]
