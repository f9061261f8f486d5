"""The scenario step ``threat``: a conditional tariff or abandonment threat, not (yet) carried
out.

::

    - date: 2026-01-17
      threat: {by: USA, on: [DNK, NOR, SWE, FRA, DEU, GBR, NLD, FIN], kind: tariff,
               rate: 0.10, start: 2026-02-01, escalate_to: 0.25, escalate_on: 2026-06-01,
               credibility: 0.5, demand: 'a deal for the purchase of Greenland'}

A threat changes no tariff (the trade model prices what is in force); it is a record
(:class:`~worldorder.engine.layers.politics.ThreatRecord`, table ``threats``) with two
documented consequences, both scaled by its credibility q ∈ [0, 1] (Schelling 1966: a threat
works through the expectation that it will be carried out; Sechser 2010 on compellent threats):

* **legitimacy** (layer ``order``, :class:`~worldorder.security.legitimacy.Legitimacy`): while a
  tariff threat stands, each target bears the expected burden q · 100 · X_{i,g} · r / Y_i (r the
  rate threatened for that date), which enters the pressure with weight ``d`` × ``a`` (``d`` = 1:
  an expected burden counts like a realised one); an abandonment threat counts ``d`` · q · ``c``
  (a credible threat to abandon an ally weighs like q strikes on it);
* **alliances** (abandonment threats; layer ``alliances``): the patron's commitment to each
  target falls to credibility 1 − q, which the ``coercive-burden-sharing`` model reads as an
  abandonment threat of credibility q (Blankenship 2021); a later ``commitment`` step restores
  it. ``until`` (the day the threat is dropped) ends the legitimacy term of a tariff threat.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field, model_validator

from worldorder.engine.action import Action, Classifier, Loc, Names, named_at, register
from worldorder.engine.layers.politics import Event, PoliticalState, ThreatRecord
from worldorder.security.config import CommitmentRecord, SecurityModels

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["Threat"]


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


@register
class Threat(Action):
    """A conditional threat against targets unless a demand is met: an additional tariff
    (``kind: tariff``, ``rate`` from ``start``, optionally ``escalate_to`` from ``escalate_on``)
    or the abandonment of allies (``kind: abandonment``). Its credibility q in [0, 1] scales its
    consequences: the targets' expected burden enters the patron's legitimacy with them (layer
    ``order``), and an abandonment threat lowers the patron's commitment to 1 − q (layer
    ``alliances``, Blankenship 2021). Nothing is priced: a threat is not a duty in force."""

    name: ClassVar[str] = "threat"
    summary: ClassVar[str] = "conditional tariff or abandonment threat (credibility 0-1)"
    classifier: ClassVar[Classifier] = {"layer": "security", "priced": False,
                                            "coercive": True}
    references: ClassVar[tuple[str, ...]] = (
        "Schelling (1966), Arms and Influence, Yale University Press",
        "Sechser (2010), 'Goliath's Curse: Coercive Threats and Asymmetric Power', "
        "International Organization 64(4)",
        "Blankenship (2021), 'The Price of Protection', Security Studies 30(5): 691-724",
        "Hurd (1999), 'Legitimacy and authority in international politics', International "
        "Organization 53(2)",
    )

    by: str
    on: Names
    kind: Literal["tariff", "abandonment"] = "tariff"
    rate: float | None = Field(default=None, gt=0.0, le=10.0,
                               description="the additional duty threatened (fraction)")
    start: dt.date | None = Field(default=None, strict=False)
    escalate_to: float | None = Field(default=None, gt=0.0, le=10.0)
    escalate_on: dt.date | None = Field(default=None, strict=False)
    until: dt.date | None = Field(default=None, strict=False,
                                  description="the day the threat was dropped")
    credibility: float = Field(ge=0.0, le=1.0)
    demand: str = ""
    others: list[str] = Field(default_factory=list,
                              description="targets outside the dataset (recorded only)")
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> Threat:
        if self.kind == "tariff" and self.rate is None:
            raise ValueError("a tariff threat needs 'rate' (the additional duty threatened)")
        if self.kind == "abandonment" and (self.rate is not None or
                                           self.escalate_to is not None):
            raise ValueError("an abandonment threat has no 'rate' or 'escalate_to'")
        if (self.escalate_to is None) != (self.escalate_on is None):
            raise ValueError("give both 'escalate_to' and 'escalate_on', or neither")
        if self.kind == "abandonment" and self.until is not None:
            raise ValueError("'until' applies to tariff threats; end an abandonment threat with "
                             "a later 'commitment' step")
        return self

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + named_at(self.on, ("on",))

    def apply(self, sim: Context) -> None:
        targets = tuple(c for c in sim.world.expand(self.on) if c != self.by)
        date = sim.date or ""
        pol = sim.get(PoliticalState)
        pol.add(ThreatRecord(
            date=date, by=self.by, targets=targets, kind=self.kind, rate=self.rate,
            start=_iso(self.start), escalate_to=self.escalate_to,
            escalate_on=_iso(self.escalate_on), until=_iso(self.until),
            credibility=float(self.credibility), demand=self.demand, note=self.note))
        pol.add(Event(date=date, kind=self.name, parties=(self.by, *targets),
                      others=tuple(self.others), actor=self.by, description=self.describe()))
        if self.kind == "abandonment":
            cfg = sim.get(SecurityModels)
            for ally in targets:
                cfg.commitments.append(CommitmentRecord(
                    date=date, patron=self.by, ally=ally,
                    credibility=1.0 - float(self.credibility),
                    note=f"abandonment threat of credibility {self.credibility:g}"))

    def describe(self) -> str:
        on = self.on if isinstance(self.on, str) else ", ".join(self.on)
        if self.kind == "tariff":
            what = f"a {100 * (self.rate or 0):g}% tariff"
            if self.start:
                what += f" from {self.start}"
            if self.escalate_to is not None:
                what += f" ({100 * self.escalate_to:g}% from {self.escalate_on})"
        else:
            what = "abandonment"
        demand = f" unless {self.demand}" if self.demand else ""
        dropped = f"; dropped {self.until}" if self.until else ""
        return (f"{self.by} threatens {on} with {what}{demand} (credibility "
                f"{self.credibility:g}{dropped})")
