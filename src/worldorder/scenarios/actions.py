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
from pydantic import BaseModel, ConfigDict, Field, model_validator

from worldorder.trade.instruments import (
    apply_change,
    mirror_retaliation,
    reciprocal_ustr2025,
    tariff_change,
)

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = [
    "ACTIONS",
    "Action",
    "PolicyState",
    "PoliticalState",
    "ReciprocalTariff",
    "Retaliation",
    "Tariff",
    "register",
]

Loc = tuple[str | int, ...]
Names = str | list[str]


@dataclass
class PoliticalState:
    """The side of the world the trade model does not price (yet): memberships, pledges, aid,
    forces and events. Actions record here; the security and institutions layers read it.

    Attributes:
        memberships: ``economy, organization, since, until`` (a copy of the World's table).
        pledges: Deal pledges (investment, purchases, concessions) with amounts.
        defense_targets: Defence-spending targets (share of GDP by a year).
        aid: Aid cuts (donor, amount, recipients).
        forces: Troop moves (by, from, to, troops).
        events: Recorded events (strikes, mediations).
    """

    memberships: pd.DataFrame
    pledges: list[dict[str, Any]] = field(default_factory=list)
    defense_targets: list[dict[str, Any]] = field(default_factory=list)
    aid: list[dict[str, Any]] = field(default_factory=list)
    forces: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def is_member(self, economy: str, organization: str, on: str) -> bool:
        """Whether ``economy`` belongs to ``organization`` on the ISO date ``on``."""
        m = self.memberships
        rows = m[(m["economy"] == economy) & (m["organization"] == organization)]
        since = rows["since"].fillna("").astype(str)
        until = rows["until"].fillna("").astype(str)
        return bool((((since == "") | (since <= on)) & ((until == "") | (until > on))).any())


@dataclass
class PolicyState:
    """What the actions change.

    Attributes:
        world: The World.
        t0: Baseline tariffs (``t0[j, i]`` charged by i on j).
        t: Current tariffs.
        dhat: Iceberg trade-cost changes (1 = none).
        political: Memberships, pledges, aid, forces and events.
        date: The date of the step being applied (ISO string, or ``undated``).
        notes: Tables and remarks produced by actions (e.g. the USTR calculation).
        params: Model parameters (set by the engine; strategic actions need them).
    """

    world: World
    t0: np.ndarray
    t: np.ndarray
    dhat: np.ndarray
    political: PoliticalState
    date: str = "undated"
    notes: dict[str, Any] = field(default_factory=dict)
    params: Any = None
    _evaluator: Any = None

    def evaluator(self) -> Any:
        """A :class:`~worldorder.trade.evaluator.Evaluator` for strategic actions that solve
        equilibria (best responses, optimal retaliation, trade wars, coalitions).

        Raises:
            ValueError: When the state was built without model parameters.
        """
        if self._evaluator is None:
            if self.params is None:
                raise ValueError("this action needs the model parameters (run it through "
                                 "simulate or simulate_timeline)")
            from worldorder.trade.evaluator import Evaluator

            self._evaluator = Evaluator(self.world, self.params)
        return self._evaluator

    @classmethod
    def start(cls, world: World) -> PolicyState:
        """The state before any policy: baseline tariffs, no trade-cost change."""
        return cls(world=world, t0=world.tariffs.copy(), t=world.tariffs.copy(),
                   dhat=np.ones_like(world.trade),
                   political=PoliticalState(memberships=world.memberships.copy()))

    def record(self, category: str, **data: Any) -> None:
        """Append a record to the political state list ``category`` with the current date."""
        getattr(self.political, category).append({"date": self.date, **data})


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

    def organizations_used(self) -> list[tuple[Loc, str]]:
        """Organisations this action refers to, with their field paths."""
        return []

    def apply(self, state: PolicyState) -> None:
        """Change the policy state."""
        raise NotImplementedError

    def involved(self) -> list[str]:
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


def _join(value: Names | dict[str, float]) -> str:
    return value if isinstance(value, str) else ", ".join(value)


def named_at(value: Names | dict[str, float], loc: Loc) -> list[tuple[Loc, str]]:
    """Economy or group names in a field value, each with its field path."""
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
        return (named_at(self.by, ("by",)) + named_at(self.on, ("on",))
                + named_at(self.exempt, ("exempt",)))

    def apply(self, state: PolicyState) -> None:
        change = tariff_change(state.world, self.by, self.on, self.rate, self.exempt)
        state.t = apply_change(state.t, state.t0, change, basis=self.basis, stack=self.stack)

    def describe(self) -> str:
        by = _join(self.by)
        if isinstance(self.on, dict):
            what = ", ".join(f"{k} {100 * v:g}%" for k, v in self.on.items())
        else:
            what = f"{_join(self.on)} {100 * (self.rate or 0):g}%"
        kind = "on top of current duties" if self.stack else (
            "all-in" if self.basis == "total" else "additional")
        ex = f" (exempt: {_join(self.exempt)})" if self.exempt else ""
        return f"{by} tariff on {what} ({kind}){ex}"


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
        return (named_at(self.by, ("by",)) + named_at(self.exempt, ("exempt",))
                + named_at(self.aggregate or [], ("aggregate",)))

    def apply(self, state: PolicyState) -> None:
        change, table = reciprocal_ustr2025(state.world, self.by, floor=self.floor,
                                            exempt=self.exempt, aggregate=self.aggregate)
        state.t = apply_change(state.t, state.t0, change, stack=self.stack)
        state.notes[f"reciprocal_{self.by}"] = table

    def describe(self) -> str:
        ex = f", exempt: {_join(self.exempt)}" if self.exempt else ""
        return f"{self.by} 'reciprocal' tariffs by the USTR 2025 formula (floor " \
               f"{100 * self.floor:g}%{ex})"


@register
class Retaliation(Action):
    """Retaliation against an imposer.

    ``rule: mirror``: each retaliator sets on the imposer the additional rate it now faces from
    it. ``by: all`` means every economy the imposer taxes above the baseline.

    ``rule: optimal``: the retaliators act as one group and every member sets one common whole
    rate on the imposer: ``method: numerical`` (default) the rate that maximises the group's
    income-weighted welfare Σ Y_i (Ŵ_i − 1) given the tariffs in force; ``method: closed_form``
    the two-region closed form t = 1/((1 + δ_G ε) φ_G − 1) of Ignatenko et al. (2025) (see
    :mod:`worldorder.strategy.retaliation`). Both rates are recorded in the notes.
    """

    name: ClassVar[str] = "retaliation"
    summary: ClassVar[str] = "retaliatory tariffs against an imposer (mirror or optimal rule)"
    classifier: ClassVar[dict[str, Any]] = {"layer": "trade", "priced": True, "strategic": True}
    references: ClassVar[tuple[str, ...]] = (
        "Ignatenko et al. (2025), JIE, retaliation scenarios",
        "Ossa (2014), 'Trade Wars and Trade Talks with Data', AER 104(12)",
    )

    by: Names = "all"
    against: str
    rule: Literal["mirror", "optimal"] = "mirror"
    method: Literal["numerical", "closed_form"] | None = None
    upper: float = Field(default=1.0, gt=0.0)

    @model_validator(mode="after")
    def _method_needs_optimal(self) -> Retaliation:
        if self.method is not None and self.rule != "optimal":
            raise ValueError("'method' applies to rule: optimal only")
        return self

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + named_at(self.against, ("against",))

    def apply(self, state: PolicyState) -> None:
        if self.rule == "mirror":
            change = mirror_retaliation(state.world, state.t, state.t0, self.against, self.by)
            state.t = apply_change(state.t, state.t0, change)
            return
        from worldorder.strategy.retaliation import optimal_retaliation

        w = state.world
        if self.by == "all":
            targets = {w.index(c) for c in w.expand(self.against)}
            surcharge = state.t - state.t0
            group = [c for k, c in enumerate(w.codes) if k not in targets
                     and any(surcharge[k, a] > 1e-12 for a in targets)]
            if not group:
                return  # nobody is taxed above the baseline: nobody retaliates
        else:
            group = self.by if isinstance(self.by, str) else list(self.by)
        dhat = None if np.all(state.dhat == 1.0) else state.dhat
        res = optimal_retaliation(state.evaluator(), group, self.against, state.t,
                                  upper=self.upper, dhat=dhat)
        closed = self.method == "closed_form"
        state.t = res.t_closed_form if closed else res.t
        table = res.table()
        table["applied"] = table["method"] == ("closed_form" if closed else "numerical")
        key = f"retaliation_optimal_{'all' if self.by == 'all' else res.group}"
        key = key if state.date == "undated" else f"{key}_{state.date}"
        k, out = 2, key
        while out in state.notes:
            out, k = f"{key}_{k}", k + 1
        state.notes[out] = table

    def describe(self) -> str:
        who = "every economy it taxes" if self.by == "all" else _join(self.by)
        verb = f"retaliate{'s' if isinstance(self.by, str) and self.by != 'all' else ''}"
        if self.rule == "optimal":
            how = "closed form" if self.method == "closed_form" else "numerical"
            return f"{who} {verb} against {self.against} (optimal common rate, {how})"
        return f"{who} {verb} against {self.against} ({self.rule})"


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
