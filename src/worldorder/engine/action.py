"""Actions: the verbs of a scenario, and of agents.

Each action is a small pydantic class with a ``name`` (its key in a scenario file), a one-line
``summary``, a ``classifier`` (the layer it acts on, whether the trade model prices it, ...) and
literature ``references``, registered in :data:`~worldorder.registry.ACTIONS` next to its
definition (in the manner of the Axelrod library's strategies)::

    @ACTIONS.register
    class Tariff(Action):
        name: ClassVar[str] = "tariff"
        ...
        def apply(self, sim: Context) -> None:
            trade = sim.get(TradeState)
            trade.t = ...

An action reads and changes the typed states of the layers through ``sim.get(StateType)``; it
raises :class:`~worldorder.errors.ScenarioError` (or another
:class:`~worldorder.errors.WorldorderError`) for a problem the user can fix, which the engine
locates from the action's provenance; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict

from worldorder.registry import ACTIONS

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["Action", "Classifier", "Loc", "Names", "join_names", "named_at", "register"]

Loc = tuple[str | int, ...]
Names = str | list[str]
#: Classifier values: text, flags and numbers (``{"layer": "trade", "priced": True}``).
Classifier = dict[str, str | bool | int | float]


class Action(BaseModel):
    """Base class of actions (one per scenario verb).

    Class attributes:
        name: The key in a scenario file (``tariff``).
        summary: One line for ``worldorder actions``.
        classifier: ``layer`` (trade, politics, security, institutions, strategy, ...),
            ``priced`` (whether the trade model prices it), and flags such as ``strategic``.
        references: Literature and legal sources.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    classifier: ClassVar[Classifier] = {}
    references: ClassVar[tuple[str, ...]] = ()

    def names_used(self) -> list[tuple[Loc, str]]:
        """Economy/group names this action refers to, with their field paths."""
        return []

    def organizations_used(self) -> list[tuple[Loc, str]]:
        """Organisations this action refers to, with their field paths."""
        return []

    def apply(self, sim: Context) -> None:
        """Change the layers' states (``sim.get(StateType)``)."""
        raise NotImplementedError

    def involved(self) -> list[str]:
        """Economies, groups or organisations this action involves (for timelines)."""
        return list(dict.fromkeys(name for _, name in self.names_used()))

    def describe(self) -> str:
        """One human sentence about the action (for timelines and reports)."""
        fields = ", ".join(f"{k}={v}" for k, v in self.model_dump(exclude_defaults=True).items())
        return f"{self.name}: {fields}" if fields else self.name


def register(cls: type[Action]) -> type[Action]:
    """Class decorator: make an action available to scenarios under ``cls.name``
    (``ACTIONS.register``)."""
    return ACTIONS.register(cls)


def join_names(value: Names | dict[str, float]) -> str:
    """``"USA"`` or ``"USA, CHN"`` for a name, a list or the keys of a schedule."""
    return value if isinstance(value, str) else ", ".join(value)


def named_at(value: Names | dict[str, float], loc: Loc) -> list[tuple[Loc, str]]:
    """Economy or group names in a field value, each with its field path (``all`` skipped)."""
    if isinstance(value, str):
        return [] if value == "all" else [(loc, value)]
    if isinstance(value, dict):
        return [((*loc, k), k) for k in value if k != "all"]
    return [((*loc, k), v) for k, v in enumerate(value) if v != "all"]
