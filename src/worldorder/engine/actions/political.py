"""Actions the trade model does not price (yet): institutions, security, aid and events.

They change the politics layer's :class:`~worldorder.engine.layers.politics.PoliticalState`
and stay on the timeline, so that the security and institutions layers can give them
consequences; none is ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

import pandas as pd
from pydantic import Field

from worldorder.engine.action import Action, Classifier, Loc, Names, named_at, register
from worldorder.engine.layers.politics import (
    AidCutRecord,
    DefenseTarget,
    Event,
    ForceMove,
    PoliticalState,
)
from worldorder.errors import ScenarioError

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["KNOWN_ORGANIZATIONS", "AidCut", "DefensePledge", "Join", "Mediation", "Strike",
           "TroopPosture", "Withdraw"]

#: Organisations a scenario may name besides those in the dataset's memberships.
KNOWN_ORGANIZATIONS = frozenset({
    "UN", "WTO", "WHO", "PARIS", "UNFCCC", "UNHRC", "UNESCO", "UNRWA", "ICC", "IMF", "WB",
    "OECD", "NATO", "G7", "G20", "BRICS", "CPTPP", "RCEP", "SCO", "OPEC", "EU", "ASEAN",
    "USMCA", "MERCOSUR", "GCC", "EFTA", "AU", "OAS", "ANZUS", "AUKUS", "QUAD", "IAEA", "IEA",
})

_PARTIES = "economies of the dataset; use 'others' for parties outside it"


class _Membership(Action):
    economy: Names
    organization: str = Field(pattern=r"^[A-Z0-9_-]{2,16}$")
    effective: dt.date | None = Field(default=None, strict=False)  # YAML gives text

    classifier: ClassVar[Classifier] = {"layer": "institutions", "priced": False}

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.economy, ("economy",))

    def organizations_used(self) -> list[tuple[Loc, str]]:
        return [(("organization",), self.organization)]

    def effective_date(self, sim: Context) -> str:
        return self.effective.isoformat() if self.effective else (sim.date or "")

    def _members(self, sim: Context) -> list[str]:
        return sim.world.expand(self.economy)


@register
class Withdraw(_Membership):
    """An economy leaves an organisation: notice on the step's date, effect on ``effective``.

    E.g. the US withdrawals from the WHO (notice 2025-01-20, effective 2026-01-22) and the Paris
    Agreement (effective 2026-01-27).
    """

    name: ClassVar[str] = "withdraw"
    summary: ClassVar[str] = "an economy leaves an organisation (notice and effective dates)"
    references: ClassVar[tuple[str, ...]] = (
        "Executive Orders 14155 and 14162 (20 January 2025)",
        "Article 28 of the Paris Agreement (withdrawal one year after notice)",
    )

    def apply(self, sim: Context) -> None:
        pol = sim.get(PoliticalState)
        m = pol.memberships
        until = self.effective_date(sim)
        for code in self._members(sim):
            rows = (m["economy"] == code) & (m["organization"] == self.organization) & \
                (m["until"].fillna("").astype(str) == "")
            if not rows.any():
                raise ScenarioError(f"{code} is not a member of {self.organization} on "
                                    f"{sim.date} (per the dataset's memberships and earlier "
                                    "steps)")
            m.loc[rows, "until"] = until
        pol.add(Event(date=sim.date or "", kind="withdraw", parties=tuple(self._members(sim)),
                      organization=self.organization, effective=until))

    def describe(self) -> str:
        who = self.economy if isinstance(self.economy, str) else ", ".join(self.economy)
        eff = f", effective {self.effective}" if self.effective else ""
        return f"{who} gives notice of withdrawal from {self.organization}{eff}"


@register
class Join(_Membership):
    """An economy joins an organisation (accession on ``effective``, default the step date)."""

    name: ClassVar[str] = "join"
    summary: ClassVar[str] = "an economy joins an organisation"
    references: ClassVar[tuple[str, ...]] = ("Accession instruments of the organisation",)

    def apply(self, sim: Context) -> None:
        pol = sim.get(PoliticalState)
        since = self.effective_date(sim)
        rows = [{"economy": c, "organization": self.organization, "since": since, "until": ""}
                for c in self._members(sim)]
        pol.memberships = pd.concat([pol.memberships, pd.DataFrame(rows)], ignore_index=True)
        pol.add(Event(date=sim.date or "", kind="join", parties=tuple(self._members(sim)),
                      organization=self.organization, effective=since))

    def describe(self) -> str:
        who = self.economy if isinstance(self.economy, str) else ", ".join(self.economy)
        eff = f", effective {self.effective}" if self.effective else ""
        return f"{who} joins {self.organization}{eff}"


@register
class DefensePledge(Action):
    """A defence-spending target: a share of GDP by a year (e.g. NATO's 5% by 2035, The Hague,
    25 June 2025: 3.5% core defence plus 1.5% defence-related)."""

    name: ClassVar[str] = "defense_pledge"
    summary: ClassVar[str] = "defence spending target (share of GDP by a year)"
    classifier: ClassVar[Classifier] = {"layer": "security", "priced": False}
    references: ClassVar[tuple[str, ...]] = (
        "NATO, The Hague Summit Declaration (25 June 2025)",
    )

    by: Names
    target_pct_gdp: float = Field(gt=0.0, le=100.0)
    core_pct_gdp: float | None = Field(default=None, gt=0.0, le=100.0)
    by_year: int = Field(ge=1900, le=2200)

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",))

    def apply(self, sim: Context) -> None:
        pol = sim.get(PoliticalState)
        for code in sim.world.expand(self.by):
            pol.add(DefenseTarget(date=sim.date or "", economy=code,
                                  target_pct_gdp=self.target_pct_gdp,
                                  core_pct_gdp=self.core_pct_gdp, by_year=self.by_year))

    def describe(self) -> str:
        by = self.by if isinstance(self.by, str) else ", ".join(self.by)
        core = f" ({self.core_pct_gdp:g}% core)" if self.core_pct_gdp else ""
        return f"{by} pledge defence spending of {self.target_pct_gdp:g}% of GDP{core} " \
               f"by {self.by_year}"


@register
class AidCut(Action):
    """A cut of foreign aid by a donor: an amount, a recipient group (e.g. USAID's dismantling)."""

    name: ClassVar[str] = "aid_cut"
    summary: ClassVar[str] = "foreign aid cut (amount, recipients)"
    classifier: ClassVar[Classifier] = {"layer": "institutions", "priced": False}
    references: ClassVar[tuple[str, ...]] = (
        "Executive Order 14169 (20 January 2025); US State Department, 10 March 2025",
    )

    donor: str
    amount: float | None = Field(default=None, ge=0.0)
    unit: str = "USD billion"
    share: float | None = Field(default=None, ge=0.0, le=1.0)
    recipients: Names = "all"
    program: str = ""

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.donor, ("donor",)) + named_at(self.recipients, ("recipients",))

    def apply(self, sim: Context) -> None:
        recipients = (self.recipients,) if isinstance(self.recipients, str) else \
            tuple(self.recipients)
        sim.get(PoliticalState).add(AidCutRecord(
            date=sim.date or "", donor=self.donor, amount=self.amount, unit=self.unit,
            share=self.share, recipients=recipients, program=self.program))

    def describe(self) -> str:
        how = f"{self.amount:g} {self.unit} of " if self.amount is not None else (
            f"{100 * self.share:g}% of " if self.share is not None else "")
        prog = f" ({self.program})" if self.program else ""
        return f"{self.donor} cuts {how}foreign aid{prog}"


@register
class TroopPosture(Action):
    """Deployed forces moved between hosts (``from_host`` to ``to_host``; ``home`` = withdrawn)."""

    name: ClassVar[str] = "troop_posture"
    summary: ClassVar[str] = "deployed forces moved between host countries"
    classifier: ClassVar[Classifier] = {"layer": "security", "priced": False}
    references: ClassVar[tuple[str, ...]] = (
        "Kane (2004, updated), 'Global U.S. Troop Deployment', Heritage Foundation / DMDC",
    )

    by: str
    from_host: str | None = None
    to_host: str | None = None
    troops: int = Field(gt=0)

    def names_used(self) -> list[tuple[Loc, str]]:
        out = named_at(self.by, ("by",))
        for fld in ("from_host", "to_host"):
            v = getattr(self, fld)
            if v and v != "home":
                out += named_at(v, (fld,))
        return out

    def apply(self, sim: Context) -> None:
        sim.get(PoliticalState).add(ForceMove(
            date=sim.date or "", by=self.by, from_host=self.from_host, to_host=self.to_host,
            troops=self.troops))

    def describe(self) -> str:
        return f"{self.by} moves {self.troops:,} troops from {self.from_host or 'home'} to " \
               f"{self.to_host or 'home'}"


class _Event(Action):
    classifier: ClassVar[Classifier] = {"layer": "security", "priced": False,
                                            "event": True}
    parties: list[str] = Field(default_factory=list, description=_PARTIES)
    others: list[str] = Field(default_factory=list)
    description: str = ""
    outcome: str = ""

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.parties, ("parties",))

    def apply(self, sim: Context) -> None:
        sim.get(PoliticalState).add(Event(
            date=sim.date or "", kind=self.name, parties=tuple(self.involved()),
            others=tuple(self.others), actor=self.actor(), target=self.acted_on(),
            description=self.description, outcome=self.outcome))

    def actor(self) -> str:
        """Who acts (the striker, the mediator)."""
        return ""

    def acted_on(self) -> str:
        """Who is acted on (a strike's target)."""
        return ""


@register
class Mediation(_Event):
    """A mediation between parties, with its outcome (e.g. the Cambodia–Thailand ceasefire)."""

    name: ClassVar[str] = "mediation"
    summary: ClassVar[str] = "mediation between parties (recorded event)"
    references: ClassVar[tuple[str, ...]] = ("Bercovitch et al. (1991), JPR, on mediation",)

    mediator: str

    def actor(self) -> str:
        return self.mediator

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.mediator, ("mediator",)) + super().names_used()

    def describe(self) -> str:
        who = ", ".join([*self.parties, *self.others])
        out = f": {self.outcome}" if self.outcome else ""
        return f"{self.mediator} mediates between {who}{out}"


@register
class Strike(_Event):
    """A military strike (recorded event), e.g. the US strikes on Iran of 22 June 2025."""

    name: ClassVar[str] = "strike"
    summary: ClassVar[str] = "military strike (recorded event)"
    references: ClassVar[tuple[str, ...]] = ("Correlates of War MID definitions (Palmer et al.)",)

    by: Names
    target: str

    def actor(self) -> str:
        return self.by if isinstance(self.by, str) else ",".join(self.by)

    def acted_on(self) -> str:
        return self.target

    def names_used(self) -> list[tuple[Loc, str]]:
        return (named_at(self.by, ("by",)) + named_at(self.target, ("target",))
                + super().names_used())

    def describe(self) -> str:
        by = self.by if isinstance(self.by, str) else ", ".join(self.by)
        what = f" ({self.description})" if self.description else ""
        return f"{by} strikes {self.target}{what}"
