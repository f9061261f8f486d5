"""Layers: the models a :class:`~worldorder.engine.Simulation` steps on every date.

A layer owns a typed slice of the simulation's state (a dataclass), handles the actions that act
on that state, updates after each date's actions, and declares the tables it records, each with
its Arrow schema. Layers are registered in :data:`~worldorder.registry.LAYERS` next to their
definition and discovered through the ``worldorder.layers`` entry-point group; the engine never
imports a layer by name. A minimal layer::

    @LAYERS.register
    class Members(Layer):
        name = "members"
        summary = "members of each organisation on each date"
        tables = {"members": pa.schema([("date", pa.string()), ("organization", pa.string()),
                                        ("members", pa.int64())])}

        def init(self, sim):              # the layer's typed state (or None)
            return None

        def collect(self, sim, date):     # rows recorded for this date
            return {"members": ...}

Order: layers are updated by ascending ``priority`` (then name): the trade model (0) first,
the political state (10) next, then the layers that read them (security 20, agents later).

Parameters: a layer with a ``Config`` (a pydantic model) is configured from the scenario's
``layers:`` section (``layers: {security: {threshold: 0.8}}``), validated with located errors;
the defaults apply otherwise. The instance holds it as ``self.config``.

Hooks, on each date: ``begin(sim, date)`` before the date's actions (agents choose and push
theirs here), ``update(sim, date)`` after them, ``collect(sim, date)`` for the recorder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import pandas as pd
import pyarrow as pa
from pydantic import BaseModel

from worldorder.registry import LAYERS

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["Layer", "register_layer"]


class Layer:
    """Base class of simulation layers.

    Class attributes:
        name: Registry name (also the prefix of nothing: table names are global, keep them
            distinctive).
        summary: One line for ``worldorder plugins``.
        classifier: e.g. ``{"domain": "trade", "stochastic": False}``.
        references: Literature the layer's equations come from.
        priority: Update order (ascending).
        tables: The tables the layer records, each with its Arrow schema (columns of the
            schema come first, in its order and types; ``date`` is added if absent).
        Config: The layer's parameters as a pydantic model (``None``: no parameters).

    Args:
        config: The layer's parameters (an instance of ``Config``; default: its defaults).
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    classifier: ClassVar[dict[str, str | bool | int | float]] = {}
    references: ClassVar[tuple[str, ...]] = ()
    priority: ClassVar[int] = 100
    tables: ClassVar[dict[str, pa.Schema]] = {}
    Config: ClassVar[type[BaseModel] | None] = None

    def __init__(self, config: BaseModel | None = None) -> None:
        if config is None and self.Config is not None:
            config = self.Config()
        self.config = config

    def begin(self, sim: Context, date: str) -> None:
        """Before ``date``'s actions are applied (agents push their choices here)."""

    def init(self, sim: Context) -> object | None:
        """The layer's state before the first date (``None`` for a stateless layer).

        The state's type is its key: actions and other layers reach it with
        ``sim.get(StateType)``.
        """
        return None

    def update(self, sim: Context, date: str) -> None:
        """Bring the layer up to date after ``date``'s actions were applied."""

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        """Rows to record for ``date``, by table name (only tables in :attr:`tables`)."""
        return {}


def register_layer(cls: type[Layer]) -> type[Layer]:
    """Class decorator: ``LAYERS.register`` for layers."""
    return LAYERS.register(cls)
