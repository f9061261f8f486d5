"""Policy actions: the verbs of a scenario.

Each action is a small pydantic class with a ``name`` (its key in a scenario file), a one-line
``summary``, a ``classifier`` (which layer it acts on, whether the trade model prices it) and
literature ``references``, registered in :data:`ACTIONS` so that scenarios can use it (in the
manner of the Axelrod library's strategies). Adding an action means writing one class with
``@register`` and its test.

Actions act on a :class:`PolicyState`: the World, the baseline tariffs ``t0``, the current
tariffs ``t`` and iceberg trade-cost changes ``dhat``. Policies in a list apply in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from worldorder.trade.instruments import (
    apply_change,
    mirror_retaliation,
    reciprocal_ustr2025,
    tariff_change,
)

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["ACTIONS", "Action", "PolicyState", "ReciprocalTariff", "Retaliation", "Tariff",
           "register"]

Loc = tuple[str | int, ...]
Names = str | list[str]


@dataclass
class PolicyState:
    """What the actions change.

    Attributes:
        world: The World.
        t0: Baseline tariffs (``t0[j, i]`` charged by i on j).
        t: Current tariffs.
        dhat: Iceberg trade-cost changes (1 = none).
        notes: Tables and remarks produced by actions (e.g. the USTR calculation).
    """

    world: World
    t0: np.ndarray
    t: np.ndarray
    dhat: np.ndarray
    notes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls, world: World) -> PolicyState:
        """The state before any policy: baseline tariffs, no trade-cost change."""
        return cls(world=world, t0=world.tariffs.copy(), t=world.tariffs.copy(),
                   dhat=np.ones_like(world.trade))


class Action(BaseModel):
    """Base class of policy actions (one per scenario verb)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    classifier: ClassVar[dict[str, Any]] = {}
    references: ClassVar[tuple[str, ...]] = ()

    def names_used(self) -> list[tuple[Loc, str]]:
        """Economy/group names this action refers to, with their field paths."""
        return []

    def apply(self, state: PolicyState) -> None:
        """Change the policy state."""
        raise NotImplementedError

    def parties(self) -> list[str]:
        """Economies, groups or organisations this action involves (for timelines)."""
        return list(dict.fromkeys(name for _, name in self.names_used()))

    def describe(self) -> str:
        """One human sentence about the action (for timelines and reports)."""
        fields = ", ".join(f"{k}={v}" for k, v in self.model_dump(exclude_defaults=True).items())
        return f"{self.name}: {fields}" if fields else self.name


ACTIONS: dict[str, type[Action]] = {}


def register(cls: type[Action]) -> type[Action]:
    """Class decorator: make an action available to scenarios under ``cls.name``."""
    if not cls.name or cls.name in ACTIONS:
        raise ValueError(f"action name {cls.name!r} is empty or already registered")
    ACTIONS[cls.name] = cls
    return cls


def _names(value: Names | dict[str, float], loc: Loc) -> list[tuple[Loc, str]]:
    if isinstance(value, str):
        return [] if value == "all" else [(loc, value)]
    if isinstance(value, dict):
        return [((*loc, k), k) for k in value if k != "all"]
    return [((*loc, k), v) for k, v in enumerate(value) if v != "all"]


@register
class Tariff(Action):
    """A tariff by an economy or group on all or listed partners.

    ``rate`` is the duty on ``on`` (``all``, a list, or a mapping partner -> rate for a
    per-partner schedule). By default the rate is *additional* to the baseline applied tariff
    and replaces an earlier additional duty on the same pair; ``basis: total`` sets the whole rate;
    ``stack: true`` adds on top of what the pair already pays.
    """

    name: ClassVar[str] = "tariff"
    summary: ClassVar[str] = "ad valorem tariff by an economy or group on partners"
    classifier: ClassVar[dict[str, Any]] = {"layer": "trade", "priced": True}
    references: ClassVar[tuple[str, ...]] = (
        "Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), JIE",
    )

    by: Names
    on: Names | dict[str, float] = "all"
    rate: float | None = Field(default=None, gt=-1.0)
    exempt: list[str] = Field(default_factory=list)
    basis: Literal["additional", "total"] = "additional"
    stack: bool = False

    def names_used(self) -> list[tuple[Loc, str]]:
        return (_names(self.by, ("by",)) + _names(self.on, ("on",))
                + _names(self.exempt, ("exempt",)))

    def apply(self, state: PolicyState) -> None:
        change = tariff_change(state.world, self.by, self.on, self.rate, self.exempt)
        state.t = apply_change(state.t, state.t0, change, basis=self.basis, stack=self.stack)


@register
class ReciprocalTariff(Action):
    """The 2025 US "reciprocal" tariff, computed from the dataset's bilateral balances.

    Charged figure: (imports − exports)/imports of the imposer with each partner, rounded to a
    whole percent, at least the floor; applied rate: half of it rounded up, at least the floor.
    The rate is an additional duty (like every ``tariff``). EU members are one partner.
    """

    name: ClassVar[str] = "reciprocal_tariff"
    summary: ClassVar[str] = "USTR 2025 'reciprocal' rates from bilateral balances"
    classifier: ClassVar[dict[str, Any]] = {"layer": "trade", "priced": True}
    references: ClassVar[tuple[str, ...]] = (
        "Office of the U.S. Trade Representative (2025), 'Reciprocal Tariff Calculations'",
        "Executive Order 14257 (2 April 2025), Annex I",
    )

    by: str = "USA"
    method: Literal["ustr-2025"] = "ustr-2025"
    floor: float = Field(default=0.10, ge=0.0)
    exempt: list[str] = Field(default_factory=list)
    aggregate: list[str] | None = None
    stack: bool = False

    def names_used(self) -> list[tuple[Loc, str]]:
        return (_names(self.by, ("by",)) + _names(self.exempt, ("exempt",))
                + _names(self.aggregate or [], ("aggregate",)))

    def apply(self, state: PolicyState) -> None:
        change, table = reciprocal_ustr2025(state.world, self.by, floor=self.floor,
                                            exempt=self.exempt, aggregate=self.aggregate)
        state.t = apply_change(state.t, state.t0, change, stack=self.stack)
        state.notes[f"reciprocal_{self.by}"] = table


@register
class Retaliation(Action):
    """Retaliation against an imposer.

    ``rule: mirror``: each retaliator sets on the imposer the additional rate it now faces from
    it. ``by: all`` means every economy the imposer taxes above the baseline.
    """

    name: ClassVar[str] = "retaliation"
    summary: ClassVar[str] = "retaliatory tariffs against an imposer (mirror rule)"
    classifier: ClassVar[dict[str, Any]] = {"layer": "trade", "priced": True, "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "Ignatenko et al. (2025), JIE, retaliation scenarios",
    )

    by: Names = "all"
    against: str
    rule: Literal["mirror"] = "mirror"

    def names_used(self) -> list[tuple[Loc, str]]:
        return _names(self.by, ("by",)) + _names(self.against, ("against",))

    def apply(self, state: PolicyState) -> None:
        change = mirror_retaliation(state.world, state.t, state.t0, self.against, self.by)
        state.t = apply_change(state.t, state.t0, change)


def policy_table(state: PolicyState) -> pd.DataFrame:
    """Every pair whose tariff changed: ``imposer, target, rate_before, rate_after``."""
    changed = np.abs(state.t - state.t0) > 1e-12
    j, i = np.nonzero(changed)
    codes = np.asarray(state.world.codes)
    df = pd.DataFrame({"imposer": codes[i], "target": codes[j],
                       "rate_before": state.t0[j, i], "rate_after": state.t[j, i]})
    return df.sort_values(["imposer", "target"], ignore_index=True)


def describe_actions() -> list[dict[str, Any]]:
    """The registered actions, for documentation and ``worldorder actions``."""
    out = []
    for name, cls in sorted(ACTIONS.items()):
        out.append({"name": name, "summary": cls.summary, "classifier": cls.classifier,
                    "references": list(cls.references),
                    "fields": list(cls.model_fields)})
    return out


ActionFactory = Callable[..., Action]
