"""A third-party worldorder plugin: a layer, an action and a doctrine, defined outside
worldorder.

* the layer ``organization_members`` records, on every date, how many members each organisation
  has (from the politics layer's memberships) and their share of world GDP;
* the action ``suspend`` suspends an economy's membership of an organisation from the step's
  date (e.g. a suspension from the G8 or from a regional body);
* the doctrine ``grudger`` (Friedman's grim trigger, Axelrod's "Grudger") answers every rise in
  a partner's duties in kind and never forgives.

worldorder finds them through the entry points this package declares in its ``pyproject.toml``
(``worldorder.layers``, ``worldorder.actions``, ``worldorder.doctrines``); worldorder itself is
not edited.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
from pydantic import Field

from worldorder.agents import Choice, Doctrine, Observation, make_action, register_doctrine
from worldorder.engine import Action, Layer, PoliticalState, register, register_layer
from worldorder.engine.action import Classifier, Loc, named_at
from worldorder.engine.context import Context
from worldorder.engine.layers.politics import Event
from worldorder.errors import ScenarioError


@register_layer
class OrganizationMembers(Layer):
    """Members of each organisation on each date, and their share of world GDP (baseline GDP
    of the dataset; a count, not a model)."""

    name: ClassVar[str] = "organization_members"
    summary: ClassVar[str] = "members of each organisation on each date"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {"domain": "institutions",
                                                                  "stochastic": False}
    priority: ClassVar[int] = 50
    tables: ClassVar[dict[str, pa.Schema]] = {
        "organization_members": pa.schema([
            ("date", pa.string()), ("organization", pa.string()), ("members", pa.int64()),
            ("gdp_share", pa.float64())]),
    }

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        pol = sim.get(PoliticalState)
        on = date if date != "undated" else "9999-12-31"
        gdp = dict(zip(sim.world.codes, sim.world.gdp, strict=True))
        total = float(sum(gdp.values()))
        rows = []
        for org in sorted(set(pol.memberships["organization"])):
            members = pol.members(org, on)
            rows.append({"organization": org, "members": len(members),
                         "gdp_share": sum(gdp.get(m, 0.0) for m in members) / total})
        return {"organization_members": pd.DataFrame(rows)}


@register
class Suspend(Action):
    """Suspend an economy's membership of an organisation from the step's date."""

    name: ClassVar[str] = "suspend"
    summary: ClassVar[str] = "suspend an economy's membership of an organisation"
    classifier: ClassVar[Classifier] = {"layer": "institutions", "priced": False}
    references: ClassVar[tuple[str, ...]] = ("An example plugin for worldorder",)

    economy: str
    organization: str = Field(pattern=r"^[A-Z0-9_-]{2,16}$")

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.economy, ("economy",))

    def organizations_used(self) -> list[tuple[Loc, str]]:
        return [(("organization",), self.organization)]

    def apply(self, sim: Context) -> None:
        pol = sim.get(PoliticalState)
        m = pol.memberships
        rows = ((m["economy"] == self.economy) & (m["organization"] == self.organization)
                & (m["until"].fillna("").astype(str) == ""))
        if not rows.any():
            raise ScenarioError(f"{self.economy} is not a member of {self.organization}")
        m.loc[rows, "until"] = sim.date
        pol.add(Event(date=sim.date or "", kind="suspend", parties=(self.economy,),
                      organization=self.organization))


@register_doctrine
class Grudger(Doctrine):
    """Grim trigger in tariffs (Friedman 1971; Axelrod's "Grudger", 1984): never moves first;
    every partner that raised its duties on this state since its previous choice (trade-weighted
    rise above ``threshold``) is answered by mirror retaliation, and the retaliation is never
    removed, whatever the partner does afterwards (unlike ``reciprocator``, which forgives).

    Payoff weights: welfare 1, security 0.5, legitimacy 0, alignment 0 (as ``reciprocator``).
    """

    name: ClassVar[str] = "grudger"
    summary: ClassVar[str] = "grim trigger: answer every new duty in kind, never forgive"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "reciprocal", "instruments": ("retaliation",), "memory": 1,
        "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Friedman (1971), 'A Non-cooperative Equilibrium for Supergames', RES 38(1)",
        "Axelrod (1984), The Evolution of Cooperation, Basic Books",
    )

    threshold: float = 0.005

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.5, "legitimacy": 0.0, "alignment": 0.0}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        return [Choice(make_action("retaliation", by=obs.me, against=c, rule="mirror"),
                       f"{c} raised its duties on {obs.me}: answered in kind, never forgiven")
                for c in obs.coercers(self.threshold)]
