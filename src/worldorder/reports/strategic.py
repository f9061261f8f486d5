"""Plain data for the "Strategic responses" section: the steps where economies chose their
tariffs by the model (a best response, a trade war's Nash equilibrium, a coalition, an optimal
retaliation), the rates they set and the welfare of the economies involved.

No HTML here (see :func:`worldorder.reports.sections.strategic`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from worldorder.reports.run import RunData
from worldorder.reports.tables import TariffChange, tariff_changes

__all__ = ["STRATEGIC_ACTIONS", "RateRow", "StrategicStep", "WelfareRow", "is_strategic",
           "strategic_steps"]

STRATEGIC_ACTIONS = ("best_response", "trade_war", "coalition")
#: The notes table each strategic action keeps its own results in (``note_<kind>``).
NOTE_KINDS = {"best_response": "best_response", "trade_war": "trade_war",
              "coalition": "coalition", "retaliation": "retaliation_optimal"}
SAME_RATE = 5e-5  # rates within 0.005 percentage points are the same rate


@dataclass(frozen=True)
class RateRow:
    """Tariffs set at one rate by some imposers on some targets (fractions, 0.1 = 10%).

    Attributes:
        imposers: Economy codes that set the rate.
        targets: Economy codes it applies to.
        imposers_text: The imposers as the step named them (e.g. ``EU, JPN``), else their codes.
        targets_text: The targets in words: codes, ``each other`` or ``all N other economies``.
        before: Lowest and highest rate of these pairs at the previous date (or the baseline).
        after: The rate set.
        pairs: How many pairs changed to this rate.
        at_bound: The rate is the upper bound of the search (the optimum may lie beyond).
    """

    imposers: list[str]
    targets: list[str]
    imposers_text: str
    targets_text: str
    before: tuple[float, float]
    after: float
    pairs: int
    at_bound: bool = False


@dataclass(frozen=True)
class WelfareRow:
    """Welfare (% change against the baseline) of one economy at the previous date and at the
    step's date, and the change between them (% of the previous level)."""

    economy: str
    before: float
    after: float
    step: float


@dataclass(frozen=True)
class StrategicStep:
    """One strategic step of the timeline.

    Attributes:
        date: Its date (``undated`` for a scenario without dates).
        action: ``best_response``, ``trade_war``, ``coalition`` or ``retaliation``.
        summary: The timeline's sentence.
        parties: Economies and groups as the step named them.
        economies: The parties as economy codes (groups expanded).
        previous: The previous solved date; ``None`` when it is the baseline.
        solved: Whether the equilibrium was solved at this date (some tariff changed).
        rates: The tariffs the imposers among the parties set, grouped by rate.
        welfare: The parties' welfare at the previous date and at this one (the economy a
            coalition or a retaliation answers first).
        others_on_date: Other priced steps on the same date (their effects are in the numbers).
        note: The step's own results as it recorded them (``note_<kind>`` rows of its date:
            rates, convergence, whether a search stopped at its bound).
    """

    date: str
    action: str
    summary: str
    parties: list[str]
    economies: list[str]
    previous: str | None
    solved: bool
    rates: list[RateRow]
    welfare: list[WelfareRow]
    others_on_date: int
    note: pd.DataFrame | None = None


def _details(text: object) -> dict:
    if not isinstance(text, str) or not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def is_strategic(action: str, details: object) -> bool:
    """True for a best response, a trade war, a coalition, or a retaliation at the optimal
    rate (``details`` is the timeline's JSON text)."""
    if action in STRATEGIC_ACTIONS:
        return True
    return action == "retaliation" and _details(details).get("rule") == "optimal"


def _previous(run: RunData, date: str) -> str | None:
    earlier = [d for d in run.dates if d < date and d != "undated"]
    return earlier[-1] if earlier else None


def _rates_at(run: RunData, date: str) -> dict[tuple[str, str], float]:
    """Every pair's total tariff at ``date`` (imposer, target): the traded pairs from the flows,
    the pairs that differ from the baseline from the policies."""
    out: dict[tuple[str, str], float] = {}
    flows = run.at("flows", date)
    if "tariff_after" in flows.columns:
        out.update({(str(r.importer), str(r.exporter)): float(r.tariff_after)
                    for r in flows.itertuples() if r.importer != r.exporter
                    and pd.notna(r.tariff_after)})
    out.update({(str(r.imposer), str(r.target)): float(r.rate_after)
                for r in run.at("policies", date).itertuples()})
    return out


def _as_named(codes: Sequence[str], parties: Sequence[str], run: RunData) -> str:
    """``codes`` in the names the step used when they cover them exactly (``EU, JPN`` rather
    than the EU's members and Japan), else the codes."""
    left, names = set(codes), []
    for party in parties:
        members, _ = run.expand([party])
        if members and set(members) <= left:
            names.append(party)
            left -= set(members)
    return ", ".join(names) if not left and names else ", ".join(codes)


def _targets_text(targets: Sequence[str], imposers: Sequence[str], everyone: Sequence[str],
                  parties: Sequence[str], run: RunData) -> str:
    if len(imposers) > 1 and set(targets) == set(imposers):
        return "each other"
    if len(targets) > 6 and set(targets) | set(imposers) == set(everyone):
        if len(imposers) == 1:
            return f"all {len(targets)} other economies"
        if not set(targets) & set(imposers):
            return f"all {len(targets)} economies outside them"
        return "all other economies"
    return _as_named(targets, parties, run)


def _same(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= SAME_RATE


def _among(members: set[str], codes: Sequence[str], rate: float,
           state: dict[tuple[str, str], float]) -> set[str]:
    """``members`` with every other economy of ``codes`` that charges ``rate`` on each of them
    and is charged it by each (a coalition's internal free trade, pairs already at the rate
    included)."""
    out = set(members)
    for c in codes:
        if c not in out and all(_same(state.get((c, m)), rate) and _same(state.get((m, c)), rate)
                                for m in out):
            out.add(c)
    return out


def _rate_rows(run: RunData, date: str, changes: list[TariffChange], parties: Sequence[str],
               order: Sequence[str], upper: float | None = None) -> list[RateRow]:
    """The changes grouped by the rate set: one row when every imposer of the group charges it
    on every target of the group at ``date``, else one row per imposer."""
    rank = {c: k for k, c in enumerate(order)}
    everyone = [str(c) for c in run.economies["economy"].drop_duplicates()]
    state = _rates_at(run, date)
    groups: dict[float, list[TariffChange]] = {}
    for c in changes:
        key = next((k for k in groups if abs(k - c.after) <= SAME_RATE), c.after)
        groups.setdefault(key, []).append(c)

    def row(part: list[TariffChange]) -> RateRow:
        imposers = sorted({c.imposer for c in part}, key=lambda x: (rank.get(x, len(rank)), x))
        targets = sorted({c.target for c in part}, key=lambda x: (rank.get(x, len(rank)), x))
        before = [c.before for c in part]
        return RateRow(imposers=imposers, targets=targets,
                       imposers_text=_as_named(imposers, parties, run),
                       targets_text=_targets_text(targets, imposers, everyone, parties, run),
                       before=(min(before), max(before)), after=part[0].after, pairs=len(part),
                       at_bound=upper is not None and part[0].after >= upper - SAME_RATE)

    rows = []
    for rate, part in groups.items():
        imposers = {c.imposer for c in part}
        targets = {c.target for c in part}
        if targets <= set(order) and imposers <= set(order) and targets & imposers:
            inside = _among(imposers | targets, order, rate, state)
            if all(_same(state.get((i, t)), rate) for i in inside for t in inside if i != t):
                r = row(part)
                members = sorted(inside, key=lambda x: (rank.get(x, len(rank)), x))
                rows.append(RateRow(
                    imposers=members, targets=members,
                    imposers_text=_as_named(members, parties, run), targets_text="each other",
                    before=r.before, after=r.after, pairs=r.pairs, at_bound=r.at_bound))
                continue
        if all(_same(state.get((i, t)), rate) for i in imposers for t in targets if i != t):
            rows.append(row(part))
        else:
            rows += [row([c for c in part if c.imposer == i]) for i in imposers]
    rows.sort(key=lambda r: (-r.after, rank.get(r.imposers[0], len(rank))))
    return rows


def _target_first(codes: list[str], details: dict) -> list[str]:
    """The economy a coalition or a retaliation answers first, then the others."""
    against = details.get("against")
    return [against, *(c for c in codes if c != against)] if against in codes else codes


def _welfare_rows(run: RunData, date: str, previous: str | None, codes: Sequence[str]
                  ) -> list[WelfareRow]:
    now = run.at("economies", date).set_index("economy")
    before = run.at("economies", previous).set_index("economy") if previous else None
    rows = []
    for code in codes:
        if code not in now.index:
            continue
        after = float(now.loc[code, "welfare_pct"])
        prev = float(before.loc[code, "welfare_pct"]) if before is not None and \
            code in before.index else 0.0
        if "welfare_pct_step" in now.columns and pd.notna(now.loc[code, "welfare_pct_step"]):
            step = float(now.loc[code, "welfare_pct_step"])
        else:
            step = 100.0 * ((1.0 + after / 100.0) / (1.0 + prev / 100.0) - 1.0)
        rows.append(WelfareRow(economy=code, before=prev, after=after, step=step))
    return rows


def strategic_steps(run: RunData) -> list[StrategicStep]:
    """The run's strategic steps in date order (empty when there are none).

    For each: the tariffs changed at its date (against the previous solved date, or the
    baseline) by the imposers among its parties, and the parties' welfare. A party that is
    neither an economy nor a known group of the dataset stands for the imposers that changed
    tariffs on that date and are not named otherwise.
    """
    tl = run.timeline
    if tl.empty:
        return []
    details = tl["details"] if "details" in tl.columns else pd.Series([""] * len(tl),
                                                                       index=tl.index)
    keys = ["date", "step"] if "step" in tl.columns else ["date"]
    tl = tl.assign(_strategic=[is_strategic(str(a), d) for a, d in
                               zip(tl["action"], details, strict=True)])
    tl = tl.sort_values(keys, kind="stable")
    priced = tl["priced"].astype(bool) if "priced" in tl.columns else pd.Series(True, tl.index)
    out = []
    for r in tl[tl["_strategic"]].itertuples():
        date = str(r.date)
        details_of = _details(getattr(r, "details", ""))
        upper = details_of.get("upper")
        parties = [p for p in str(getattr(r, "parties", "") or "").split(",") if p]
        codes, unknown = run.expand(parties)
        changes = tariff_changes(run, date)
        if unknown:  # a group the report cannot resolve: the other imposers of the date
            codes += [c for c in dict.fromkeys(x.imposer for x in changes) if c not in codes]
        mine = [c for c in changes if c.imposer in codes]
        previous = _previous(run, date)
        solved = date in run.dates
        others = int(((tl["date"].astype(str) == date) & priced).sum()) - 1
        note = run.notes(NOTE_KINDS.get(str(r.action), str(r.action)), date)
        if not note.empty and "at_bound" in note.columns and bool(note["at_bound"].any()):
            upper = upper if isinstance(upper, int | float) else float(note["rate"].max()) \
                if "rate" in note.columns else None
        out.append(StrategicStep(
            date=date, action=str(r.action), summary=str(r.summary), parties=parties,
            economies=codes, previous=previous, solved=solved,
            rates=_rate_rows(run, date, mine, parties, codes,
                             upper if isinstance(upper, int | float) else None)
            if solved else [],
            welfare=_welfare_rows(run, date, previous, _target_first(codes, details_of))
            if solved else [],
            others_on_date=max(others, 0), note=None if note.empty else note))
    return out
