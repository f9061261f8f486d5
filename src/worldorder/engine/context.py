"""What actions and layers see of a running simulation: the :class:`Context` protocol.

:class:`~worldorder.engine.simulation.Simulation` implements it. Actions and layers are written
against this protocol rather than the class, so that the engine's modules import one another in
one direction only (actions and layers below the simulation that runs them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from worldorder.data.world import World
    from worldorder.trade.evaluator import Evaluator
    from worldorder.trade.params import ModelParams

__all__ = ["Context"]

S = TypeVar("S")


class Context(Protocol):
    """The running simulation, as actions and layers use it.

    Attributes:
        world: The World.
        params: The trade model's parameters.
        date: The date being processed (``None`` before the first step).
        notes: Tables kept by actions, by key.
        warnings: Data and model warnings.
    """

    world: World
    params: ModelParams
    date: str | None
    notes: dict[str, pd.DataFrame]
    warnings: list[str]

    @property
    def is_last(self) -> bool:
        """Whether the date being processed is the clock's last."""
        ...

    def get(self, kind: type[S]) -> S:
        """The state of type ``kind`` owned by one of the layers."""
        ...

    def evaluator(self) -> Evaluator:
        """Warm-started repeated solves of the trade model."""
        ...

    def note(self, kind: str, table: pd.DataFrame, subject: str = "") -> str:
        """Keep a table produced by an action; returns its key."""
        ...

    def spawn_rng(self, key: str) -> np.random.Generator:
        """An independent random stream for ``key``."""
        ...
