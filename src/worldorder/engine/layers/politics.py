"""The political state: memberships, pledges, defence targets, aid, forces and events.

The actions of the institutions and security side (``withdraw``, ``join``, ``defense_pledge``,
``aid_cut``, ``aid_restore``, ``aid_give``, ``troop_posture``, ``strike``, ``mediation``) and the
pledges of ``tariff_deal`` change this typed state; the layers above (security, institutions,
legitimacy, agents) read it. It is recorded at the end of a run, one table per kind of record,
each row with the date of the action that made it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, ClassVar

import pandas as pd
import pyarrow as pa

from worldorder.engine.layer import Layer, register_layer

if TYPE_CHECKING:
    from worldorder.engine.context import Context

__all__ = ["AidCutRecord", "DefenseTarget", "Event", "ForceMove", "PledgeRecord",
           "PoliticalState", "PoliticsLayer", "ThreatRecord"]

_STR, _F64 = pa.string(), pa.float64()


@dataclass(frozen=True)
class PledgeRecord:
    """A pledge attached to a deal (investment, purchases, energy, market access)."""

    date: str
    imposer: str
    partner: str
    kind: str
    amount: float | None = None
    unit: str = "USD billion"
    by: str | None = None
    period: str = ""
    note: str = ""


@dataclass(frozen=True)
class DefenseTarget:
    """A defence-spending target: a share of GDP by a year (percent)."""

    date: str
    economy: str
    target_pct_gdp: float
    core_pct_gdp: float | None
    by_year: int


@dataclass(frozen=True)
class AidCutRecord:
    """A change of foreign aid by a donor (an amount or a share, for recipients, of a
    programme): ``kind`` ``cut`` (``aid_cut``), ``restore`` (``aid_restore``: a share of what
    was cut given back) or ``give`` (``aid_give``: new aid, a share of the base year's)."""

    date: str
    donor: str
    amount: float | None
    unit: str
    share: float | None
    recipients: tuple[str, ...]
    program: str
    kind: str = "cut"


@dataclass(frozen=True)
class ForceMove:
    """Troops moved between hosts (``None`` or ``home`` = home)."""

    date: str
    by: str
    from_host: str | None
    to_host: str | None
    troops: int


@dataclass(frozen=True)
class Event:
    """A recorded event: an institutional exit or entry, a strike, a mediation.

    Attributes:
        kind: ``withdraw``, ``join``, ``strike``, ``mediation``, ...
        parties: Economies of the dataset involved.
        others: Parties outside the dataset.
        organization: For exits and entries.
        effective: When an exit or entry takes effect (ISO).
        actor: Who acts (the striker, the mediator), if one.
        target: Who is acted on, if one.
        description, outcome: Free text.
    """

    date: str
    kind: str
    parties: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    organization: str = ""
    effective: str = ""
    actor: str = ""
    target: str = ""
    description: str = ""
    outcome: str = ""


@dataclass(frozen=True)
class ThreatRecord:
    """A conditional threat (the ``threat`` step): a measure announced against targets unless a
    demand is met, not (yet) in force.

    Attributes:
        by: Who threatens.
        targets: Economies of the dataset threatened.
        kind: ``tariff`` (an additional duty) or ``abandonment`` (of allies' defence).
        rate: The additional duty threatened (tariff threats; fraction), from ``start``.
        start: When the threatened duty would start (ISO; empty = at once).
        escalate_to, escalate_on: A later, higher rate and its date (optional).
        until: When the threat was dropped (ISO; empty = it stands).
        credibility: The probability, in [0, 1], that the targets attach to its execution.
        demand: What the threat demands.
        note: Free text (sources, what is unverified).
    """

    date: str
    by: str
    targets: tuple[str, ...]
    kind: str
    rate: float | None
    start: str
    escalate_to: float | None
    escalate_on: str
    until: str
    credibility: float
    demand: str = ""
    note: str = ""

    def rate_on(self, on: str) -> float:
        """The duty threatened for the date ``on`` (the first rate before ``start``; 0 for
        abandonment threats)."""
        if self.rate is None:
            return 0.0
        if self.escalate_to is not None and self.escalate_on and on >= self.escalate_on:
            return self.escalate_to
        return self.rate

    def stands_on(self, on: str) -> bool:
        """Whether the threat is made and not dropped on the ISO date ``on``."""
        return self.date <= on and (not self.until or on < self.until)


Record = PledgeRecord | DefenseTarget | AidCutRecord | ForceMove | Event | ThreatRecord

#: Table name of each kind of record.
RECORD_TABLES: dict[type, str] = {PledgeRecord: "pledges", DefenseTarget: "defense_targets",
                                  AidCutRecord: "aid", ForceMove: "forces", Event: "events",
                                  ThreatRecord: "threats"}


@dataclass
class PoliticalState:
    """Memberships and the records of political actions.

    Attributes:
        memberships: ``economy, organization, since, until`` (ISO dates or empty), starting
            from the World's table.
        pledges, defense_targets, aid, forces, events, threats: Typed records, in the order
            made.
        legitimacy: ``{power: {economy: R}}``, each great power's legitimacy with every other
            economy (1 = the baseline) as of the last date that the layer modelling it (the
            security layer ``order``) updated; empty when no such layer runs. Steps read it
            (the ``coalition`` step's ``legitimacy: state``); it is not recorded here (the
            ``order`` layer records its table ``legitimacy``).
    """

    memberships: pd.DataFrame
    pledges: list[PledgeRecord] = field(default_factory=list)
    defense_targets: list[DefenseTarget] = field(default_factory=list)
    aid: list[AidCutRecord] = field(default_factory=list)
    forces: list[ForceMove] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    legitimacy: dict[str, dict[str, float]] = field(default_factory=dict)
    threats: list[ThreatRecord] = field(default_factory=list)

    def add(self, record: Record) -> None:
        """Append a record to its list."""
        getattr(self, RECORD_TABLES[type(record)]).append(record)

    def is_member(self, economy: str, organization: str, on: str) -> bool:
        """Whether ``economy`` belongs to ``organization`` on the ISO date ``on``."""
        m = self.memberships
        rows = m[(m["economy"] == economy) & (m["organization"] == organization)]
        since = rows["since"].fillna("").astype(str)
        until = rows["until"].fillna("").astype(str)
        return bool((((since == "") | (since <= on)) & ((until == "") | (until > on))).any())

    def members(self, organization: str, on: str) -> list[str]:
        """Members of ``organization`` on the ISO date ``on``."""
        m = self.memberships
        rows = m[m["organization"] == organization]
        since = rows["since"].fillna("").astype(str)
        until = rows["until"].fillna("").astype(str)
        ok = ((since == "") | (since <= on)) & ((until == "") | (until > on))
        return sorted(set(rows.loc[ok, "economy"]))

    def table(self, name: str) -> pd.DataFrame:
        """The records of one kind as a table (tuples joined by commas)."""
        kind = next(k for k, v in RECORD_TABLES.items() if v == name)
        cols = [f.name for f in fields(kind)]
        rows = [{k: ",".join(v) if isinstance(v, tuple) else v for k, v in asdict(r).items()}
                for r in getattr(self, name)]
        return pd.DataFrame(rows, columns=cols)


def _record_schema(kind: type) -> pa.Schema:
    types = {"str": _STR, "str | None": _STR, "float | None": _F64, "float": _F64,
             "int": pa.int64(), "tuple[str, ...]": _STR}
    return pa.schema([pa.field(f.name, types[str(f.type)]) for f in fields(kind)])


@register_layer
class PoliticsLayer(Layer):
    """Memberships and the records of political actions (no dynamics of its own: the
    security and institutions layers give them consequences)."""

    name: ClassVar[str] = "politics"
    summary: ClassVar[str] = "memberships, pledges, defence targets, aid, forces and events"
    classifier: ClassVar[dict[str, str | bool | int | float]] = {
        "domain": "politics", "stochastic": False}
    references: ClassVar[tuple[str, ...]] = ()
    priority: ClassVar[int] = 10
    tables: ClassVar[dict[str, pa.Schema]] = {
        "memberships": pa.schema([("date", _STR), ("economy", _STR), ("organization", _STR),
                                  ("since", _STR), ("until", _STR)]),
        **{name: _record_schema(kind) for kind, name in RECORD_TABLES.items()},
    }

    def init(self, sim: Context) -> PoliticalState:
        m = sim.world.memberships.copy()
        for col in ("since", "until"):
            if col not in m.columns:
                m[col] = ""
        return PoliticalState(memberships=m)

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        if not sim.is_last:
            return {}
        state = sim.get(PoliticalState)
        m = state.memberships[["economy", "organization", "since", "until"]].copy()
        for col in ("since", "until"):
            m[col] = m[col].fillna("").astype(str)
        m.insert(0, "date", date)
        out = {"memberships": m}
        out.update({name: state.table(name) for name in RECORD_TABLES.values()})
        return out
