"""Actions the trade model does not price (yet): institutions, security, aid and events.

They change the politics layer's :class:`~worldorder.engine.layers.politics.PoliticalState`
and stay on the timeline, so that the security and institutions layers can give them
consequences; none is ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, ClassVar

import pandas as pd
from pydantic import Field, field_validator

from worldorder.data.organizations import organization_codes
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

__all__ = ["KNOWN_ORGANIZATIONS", "AidCut", "AidGive", "AidRestore", "DefensePledge", "Join",
           "Mediation", "Statement", "Strike", "TroopPosture", "Withdraw"]

#: Organisations a scenario may name besides those in the dataset's memberships.
#: (Besides this list, the codes of ``datasets/organizations.csv``: the 66 organisations of the
#: presidential memorandum of 7 January 2026 among them; :mod:`worldorder.data.organizations`.)
KNOWN_ORGANIZATIONS = frozenset({
    "UN", "WTO", "WHO", "PARIS", "UNFCCC", "UNHRC", "UNESCO", "UNRWA", "ICC", "IMF", "WB",
    "OECD", "NATO", "G7", "G20", "BRICS", "CPTPP", "RCEP", "SCO", "OPEC", "EU", "ASEAN",
    "USMCA", "MERCOSUR", "GCC", "EFTA", "AU", "OAS", "ANZUS", "AUKUS", "QUAD", "IAEA", "IEA",
}) | organization_codes()


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


OrgCode = Annotated[str, Field(pattern=r"^[A-Z0-9_-]{2,16}$")]


@register
class Withdraw(_Membership):
    """An economy leaves an organisation: notice on the step's date, effect on ``effective``.

    E.g. the US withdrawals from the WHO (notice 2025-01-20, effective 2026-01-22) and the Paris
    Agreement (effective 2026-01-27). ``organization`` may list several organisations (the 66
    of the memorandum of 7 January 2026): one exit, and one event, per organisation.

    An organisation whose membership the dataset does not list at all (none of the memorandum's
    66 is in ``world-2024``) is refused unless ``assume_member: true``: the economy is then
    recorded as a member until ``effective`` (a membership row with an empty ``since``) and the
    event says so in its ``outcome``. An organisation the dataset lists, of which the economy is
    not a member, is always refused.
    """

    name: ClassVar[str] = "withdraw"
    summary: ClassVar[str] = "an economy leaves an organisation (notice and effective dates)"
    references: ClassVar[tuple[str, ...]] = (
        "Executive Orders 14155 and 14162 (20 January 2025)",
        "Article 28 of the Paris Agreement (withdrawal one year after notice)",
        "Presidential Memorandum 'Withdrawing the United States from International "
        "Organizations, Conventions, and Treaties that Are Contrary to the Interests of the "
        "United States' (7 January 2026)",
    )

    organization: OrgCode | list[OrgCode] = Field(  # type: ignore[assignment]
        description="an organisation's code, or a list of codes")
    assume_member: bool = Field(
        default=False, description="record the exit from an organisation the dataset lists no "
                                   "membership of, assuming the economy was a member")

    def organizations(self) -> list[str]:
        """The organisations left, in order."""
        return [self.organization] if isinstance(self.organization, str) else \
            list(self.organization)

    def organizations_used(self) -> list[tuple[Loc, str]]:
        if isinstance(self.organization, str):
            return [(("organization",), self.organization)]
        return [(("organization", k), o) for k, o in enumerate(self.organization)]

    def apply(self, sim: Context) -> None:
        pol = sim.get(PoliticalState)
        until = self.effective_date(sim)
        listed = set(pol.memberships["organization"])
        for org in self.organizations():
            outcome = ""
            m = pol.memberships
            if org not in listed:
                if not self.assume_member:
                    raise ScenarioError(
                        f"dataset {sim.world.name!r} lists no membership of {org}: set "
                        "'assume_member: true' to record the exit anyway (the economy is then "
                        "taken to have been a member)", field="organization")
                added = pd.DataFrame([{"economy": c, "organization": org, "since": "",
                                       "until": until} for c in self._members(sim)])
                pol.memberships = pd.concat([m, added], ignore_index=True)
                outcome = (f"membership not in dataset {sim.world.name!r}'s table: assumed "
                           "(assume_member)")
            else:
                for code in self._members(sim):
                    rows = (m["economy"] == code) & (m["organization"] == org) & \
                        (m["until"].fillna("").astype(str) == "")
                    if not rows.any():
                        raise ScenarioError(f"{code} is not a member of {org} on {sim.date} "
                                            "(per the dataset's memberships and earlier steps)")
                    m.loc[rows, "until"] = until
            pol.add(Event(date=sim.date or "", kind="withdraw",
                          parties=tuple(self._members(sim)), organization=org,
                          effective=until, outcome=outcome))

    def describe(self) -> str:
        who = self.economy if isinstance(self.economy, str) else ", ".join(self.economy)
        eff = f", effective {self.effective}" if self.effective else ""
        orgs = self.organizations()
        what = orgs[0] if len(orgs) == 1 else \
            f"{len(orgs)} organisations ({', '.join(orgs[:3])}, ...)"
        return f"{who} gives notice of withdrawal from {what}{eff}"


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


class _Aid(Action):
    """A change of a donor's foreign aid, recorded for the ``aid`` layer (which prices it)."""

    classifier: ClassVar[Classifier] = {"layer": "institutions", "priced": False}
    kind: ClassVar[str] = ""
    verb: ClassVar[str] = ""

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
            share=self.share, recipients=recipients, program=self.program, kind=self.kind))

    def describe(self) -> str:
        how = f"{self.amount:g} {self.unit} of " if self.amount is not None else (
            f"{100 * self.share:g}% of " if self.share is not None else "")
        prog = f" ({self.program})" if self.program else ""
        return f"{self.donor} {self.verb} {how}foreign aid{prog}"


@register
class AidCut(_Aid):
    """A cut of foreign aid by a donor: an amount, a recipient group (e.g. USAID's dismantling).

    ``share`` is the share of what remains that is cut (successive cuts compound); the ``aid``
    layer prices a share of every recipient's aid per recipient (:mod:`worldorder.security.aid`).
    """

    name: ClassVar[str] = "aid_cut"
    summary: ClassVar[str] = "foreign aid cut (amount, recipients)"
    references: ClassVar[tuple[str, ...]] = (
        "Executive Order 14169 (20 January 2025); US State Department, 10 March 2025",
    )
    kind: ClassVar[str] = "cut"
    verb: ClassVar[str] = "cuts"


@register
class AidRestore(_Aid):
    """Aid that was cut given back: ``share`` of what the donor's cuts took away (1 = all of it).

    With the level of the donor's aid F (1 = the base year; a cut of s makes it F (1 − s)), a
    restoration of r makes it 1 − (1 − r)(1 − F): a full one (r = 1) returns every recipient
    to its base-year aid exactly, and a restoration never goes above it (for aid beyond the base
    year, use ``aid_give``); with nothing cut it changes nothing. Priced by the ``aid`` layer
    like a cut, with the sign reversed (:mod:`worldorder.security.aid`). Like cuts, it moves the
    recipients' alignment (the ``alignment`` layer's aid term θ_A (A_US − A_CN), A the change
    against the base year in % of GDP) and removes the legitimacy pressure of the aid it gives
    back (the ``order`` layer counts aid below the base year like a duty's burden).
    """

    name: ClassVar[str] = "aid_restore"
    summary: ClassVar[str] = "aid that was cut given back (share of what was cut)"
    references: ClassVar[tuple[str, ...]] = (
        "Finkel, Pérez-Liñán & Seligson (2007), World Politics 59(3) (what the aid buys)",
        "Congressional Research Service, 'Foreign Assistance: An Introduction to U.S. "
        "Programs and Policy' (appropriations and rescissions)",
    )
    kind: ClassVar[str] = "restore"
    verb: ClassVar[str] = "restores"

    share: float | None = Field(default=None, ge=0.0, description=(
        "share of what was cut that is given back (1 = all of it)"))

    @field_validator("share")
    @classmethod
    def _at_most_all(cls, v: float | None) -> float | None:
        if v is not None and v > 1.0:
            raise ValueError(f"a restoration gives back at most all that was cut (share 1; "
                             f"got {v:g}): aid beyond the base year is new aid, 'aid_give'")
        return v


@register
class AidGive(_Aid):
    """New aid by a donor: ``share`` of its base-year aid added for every recipient (0.1 = 10%
    more), or an amount for a programme (recorded, not priced by recipient).

    The level of the donor's aid F (1 = the base year) becomes F + g: unlike ``aid_restore`` it
    may exceed the base year. Priced by the ``aid`` layer as a gain per recipient (US$ and % of
    GDP, military aid left out as for cuts). Moves the recipients towards the donor in the
    ``alignment`` layer (its aid term, as for cuts). Legitimacy counts withdrawn aid only: new
    aid above the base year earns the donor no legitimacy (as a duty cut below the baseline
    does not).
    """

    name: ClassVar[str] = "aid_give"
    summary: ClassVar[str] = "new foreign aid (share of the base year's, or an amount)"
    references: ClassVar[tuple[str, ...]] = (
        "OECD DAC, the 0.7% of GNI target for official development assistance (UNGA "
        "resolution 2626, 1970)",
    )
    kind: ClassVar[str] = "give"
    verb: ClassVar[str] = "gives"

    share: float | None = Field(default=None, ge=0.0, le=10.0, description=(
        "new aid as a share of the donor's base-year aid (0.1 = 10% more)"))


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


@register
class Statement(_Event):
    """A public statement or declaration, recorded on the timeline (e.g. Prime Minister
    Carney's address at Davos, 20 January 2026: a 'rupture' in the world order, middle powers
    to act together).

    It changes nothing that is measured, by design: alignment, coalitions and legitimacy move
    with acts (votes, pacts, duties, deals, exits, strikes), and a statement that commits to no
    act is cheap talk, which moves beliefs only where interests already align (Crawford & Sobel
    1982; Farrell & Rabin 1996) and so adds nothing the acts do not carry. A statement that
    binds (a pledge, a coalition, a duty) is written as that act.
    """

    name: ClassVar[str] = "statement"
    summary: ClassVar[str] = "public statement or declaration (recorded; changes nothing measured)"
    references: ClassVar[tuple[str, ...]] = (
        "Crawford & Sobel (1982), 'Strategic Information Transmission', Econometrica 50(6)",
        "Farrell & Rabin (1996), 'Cheap Talk', Journal of Economic Perspectives 10(3)",
        "Fearon (1994), 'Domestic Political Audiences and the Escalation of International "
        "Disputes', APSR 88(3) (when words bind: audience costs)",
    )

    by: str
    venue: str = ""

    def actor(self) -> str:
        return self.by

    def names_used(self) -> list[tuple[Loc, str]]:
        return named_at(self.by, ("by",)) + super().names_used()

    def describe(self) -> str:
        at = f" at {self.venue}" if self.venue else ""
        what = f": {self.description}" if self.description else ""
        return f"{self.by} statement{at}{what}"
