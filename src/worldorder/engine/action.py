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

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from worldorder.registry import ACTIONS

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["DISTINCT", "SELECTIONS", "Action", "Classifier", "Loc", "Names", "StrictModel",
           "join_names", "named_at", "register"]

Loc = tuple[str | int, ...]
Names = str | list[str]
#: Classifier values: text, flags and numbers (``{"layer": "trade", "priced": True}``).
Classifier = dict[str, str | bool | int | float]


# Fields naming who acts and on whom: an empty list or mapping selects nobody, so it is an
# error rather than an action that silently does nothing.
SELECTIONS = ("by", "on", "against", "partner", "economy", "recipients", "members", "players",
              "partners")
# Pairs of fields that must not name the same economy (a self-deal, a tariff on oneself,
# self-retaliation); checked by name, before the dataset expands groups.
DISTINCT = (("by", "on"), ("by", "against"), ("imposer", "partner"), ("members", "against"),
            ("by", "partners"))


def _names(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value} - {"all"}
    if isinstance(value, dict):
        return {str(k) for k in value} - {"all", "default"}
    if isinstance(value, list | tuple):
        return {v for v in value if isinstance(v, str)} - {"all"}
    return set()


class StrictModel(BaseModel):
    """Base of everything a scenario states (actions and their parts, such as pledges).

    Validation is strict, so nothing is silently coerced: ``true`` is not a number (``rate:
    true`` is not a 100% tariff), a quoted ``"0.1"`` is not a number, ``.inf`` and ``.nan``
    are refused (``allow_inf_nan=False``); a whole number is accepted where a decimal is
    expected. Unknown fields are refused. An empty selection (``on: []``) and an economy
    acting on itself (see :data:`SELECTIONS` and :data:`DISTINCT`) are errors of that field.
    A field that must accept text for another type (a date written in YAML) says so with
    ``Field(strict=False)``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _selects_someone(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        if name in SELECTIONS and isinstance(value, list | dict) and not value:
            raise ValueError("an empty list selects no economy; name at least one (or 'all')")
        for first, second in DISTINCT:
            if name == second and first in info.data:
                both = _names(info.data[first]) & _names(value)
                if both:
                    raise ValueError(f"{sorted(both)[0]} is in both {first!r} and {second!r}: "
                                     "an economy cannot do this to itself")
        return value


class Action(StrictModel):
    """Base class of actions (one per scenario verb), validated strictly
    (:class:`StrictModel`).

    Class attributes:
        name: The key in a scenario file (``tariff``).
        summary: One line for ``worldorder actions``.
        classifier: ``layer`` (trade, politics, security, institutions, strategy, ...),
            ``priced`` (whether the trade model prices it), and flags such as ``strategic``.
        references: Literature and legal sources.
    """

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
