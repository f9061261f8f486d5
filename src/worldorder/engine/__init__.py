"""Layer 3, the engine: one clock, one source of randomness, one action queue, many layers.

* :class:`Simulation` owns the dates (:class:`Clock`) and the seeded random streams, applies the
  queued actions of each date (:class:`ActionQueue`, each action with its :class:`Provenance`),
  updates every registered :class:`Layer` and records their tables (:class:`Recorder`);
* :class:`Action` is the base class of the verbs of scenarios and agents;
* the built-in layers are the trade model (:class:`TradeLayer`, state :class:`TradeState`) and
  the political state (:class:`PoliticsLayer`, state :class:`PoliticalState`).

A layer or an action is added by registering it (``@register_layer``, ``@register``) in a module
that a package lists under the ``worldorder.layers`` or ``worldorder.actions`` entry points.
"""

from worldorder.engine import actions as _builtin_actions  # noqa: F401  (registers them)
from worldorder.engine.action import Action, Loc, Names, join_names, named_at, register
from worldorder.engine.clock import UNDATED, Clock
from worldorder.engine.docs import describe_actions, describe_layers
from worldorder.engine.layer import Layer, register_layer
from worldorder.engine.layers import PoliticalState, PoliticsLayer, Solution, TradeLayer, TradeState
from worldorder.engine.queue import ActionQueue, Provenance, QueuedAction
from worldorder.engine.recorder import Recorder
from worldorder.engine.simulation import Progress, Simulation

__all__ = [
    "UNDATED",
    "Action",
    "ActionQueue",
    "Clock",
    "Layer",
    "Loc",
    "Names",
    "PoliticalState",
    "PoliticsLayer",
    "Progress",
    "Provenance",
    "QueuedAction",
    "Recorder",
    "Simulation",
    "Solution",
    "TradeLayer",
    "TradeState",
    "describe_actions",
    "describe_layers",
    "join_names",
    "named_at",
    "register",
    "register_layer",
]
