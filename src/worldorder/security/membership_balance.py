"""What a membership costs and what it returns: the balance a transactional state weighs
before it leaves an organisation.

**An assumption, not a measurement.** For economy i and organisation o of which it is a member
on a date (the dataset's memberships, as moved by ``withdraw`` and ``join``):

* **Cost** c_{i,o}: i's share of o's budget, from the bundled funding shares
  (:func:`worldorder.security.institutions.funding`; an assessed basis first, as the
  ``institutions_intact`` component does). Where no figure is bundled the share is
  **estimated** (flagged row by row) by the rule of the UN scale of assessments, which follows
  members' shares of gross national income with a ceiling of 22% (General Assembly resolution
  79/249; recalled): c = min(σ_{i,o}, c̄), with σ_{i,o} i's share of the GDP of o's members and
  c̄ = ``ceiling``. Organisations without a budget of their own (:data:`NO_BUDGET`: the G7,
  G20 and BRICS, clubs without a secretariat, recalled; the UN Human Rights Council, funded
  from the UN regular budget, as ``funding.csv`` says) cost 0.
* **Return** r_{i,o} = ρ · σ_{i,o} · ā_{i,o}:

  - σ_{i,o} = y_i / Σ_{j∈o} y_j, i's share of the members' GDP (baseline GDP of the dataset):
    its share of the organisation's collective benefit when, as in Olson & Zeckhauser's (1966)
    model of alliances, a member's valuation of a public good grows with its size; a member
    whose cost share exceeds that benefit share is the one "exploited" by the others;
  - ā_{i,o} = Σ_{j∈o, j≠i} y_j a_{ij} / Σ_{j∈o, j≠i} y_j, the GDP-weighted UNGA agreement of
    the other members with i (Bailey, Strezhnev & Voeten 2017; the bundled ``unga`` panel of
    the ``alignment`` layer, session ``unga_year``): the share of the organisation's output —
    resolutions, rules, programmes decided by its members — that goes i's way. Keohane (1984)
    and Abbott & Snidal (1998) ground an institution's value to a member in the co-operation it
    makes possible with the others; here that value is discounted by how far the others' aims
    differ from i's. Members without a UNGA record (Taiwan) are left out of ā;
  - ρ = ``value_ratio``, the organisation's value to its members over its cost. ρ = 1 is the
    transactional account (an organisation returns what it spends); Snidal's k-group model
    (:class:`~worldorder.security.institutions.SnidalKGroup`) assumes ρ = 4, at which no
    membership of the US on ``world-2024`` costs more than it returns.

* **Net cost** n_{i,o} = c_{i,o} − r_{i,o}, in shares of o's budget; a transactional state
  leaves where n exceeds a margin (:class:`~worldorder.agents.doctrines.transactional.
  AmericaFirst`).

Agreement a_{ij}: the panel's own column where i is one of the states it scores agreement with
(:data:`AGREEMENT_COLUMNS`: the US, China, Russia, India, Brazil, Israel); for any other i it is
**estimated** from the one-dimensional ideal points by the least-squares line of agreement on
the ideal-point distance fitted on those six columns of the same session,
a = α − β |θ_i − θ_j| clipped to [0, 1] (R² ≈ 0.75 on the 2023 session); the table says which.

Inputs recalled and unverified: the funding shares (marked row by row in ``funding.csv``), the
22% ceiling and the list of clubs without a budget.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from worldorder.data.panels import economy_panel
from worldorder.errors import SecurityModelError
from worldorder.security.institutions import funding

__all__ = ["AGREEMENT_COLUMNS", "NO_BUDGET", "agreement_with", "live_memberships",
           "membership_balance"]

#: States the UNGA panel scores agreement with, and their columns.
AGREEMENT_COLUMNS = {"USA": "agree_us", "CHN": "agree_china", "RUS": "agree_russia",
                     "IND": "agree_india", "BRA": "agree_brazil", "ISR": "agree_israel"}

#: Organisations without a budget of their own: clubs without a secretariat (the presidency
#: hosts; recalled) and the UN Human Rights Council (a subsidiary organ of the General Assembly,
#: funded from the UN regular budget: ``funding.csv``).
NO_BUDGET = ("G7", "G20", "BRICS", "UNHRC")

_AGREEMENT: dict[tuple[str, tuple[str, ...], str, int], tuple[pd.Series, bool]] = {}


def live_memberships(memberships: pd.DataFrame, on: str) -> pd.DataFrame:
    """``economy, organization`` of the memberships in force on the ISO date ``on`` with no
    exit scheduled (``since`` empty or on/before ``on``, ``until`` empty): those a ``withdraw``
    may still end."""
    m = memberships[["economy", "organization", "since", "until"]].fillna("").astype(str)
    live = m[((m["since"] == "") | (m["since"] <= on)) & (m["until"] == "")]
    return live[["economy", "organization"]].drop_duplicates().reset_index(drop=True)


def agreement_with(world: Any, member: str, year: int) -> tuple[pd.Series, bool]:
    """UNGA agreement of every economy of ``world`` with ``member`` in ``year``'s session, in
    [0, 1] (NaN without a record), and whether it is estimated from ideal points (module
    docstring). Cached per dataset, member and year."""
    key = (str(world.name), tuple(world.codes), member, int(year))
    if key in _AGREEMENT:
        return _AGREEMENT[key]
    panel = economy_panel("unga", world, years=year).set_index("economy")
    panel = panel.reindex(list(world.codes))
    if member in AGREEMENT_COLUMNS:
        out, estimated = panel[AGREEMENT_COLUMNS[member]].astype(float), False
    else:
        theta = panel["ideal_point"].astype(float)
        if member not in theta.index or not math.isfinite(float(theta[member])):
            raise SecurityModelError(f"membership balance: no UNGA ideal point for {member!r} "
                                     f"in {year}")
        alpha, beta = _agreement_line(year)
        out = (alpha - beta * (theta - float(theta[member])).abs()).clip(0.0, 1.0)
        estimated = True
    out = out.rename("agreement")
    _AGREEMENT[key] = (out, estimated)
    return out, estimated


def _agreement_line(year: int) -> tuple[float, float]:
    """(α, β) of a = α − β |Δθ|, least squares over the panel's agreement columns."""
    from worldorder.data.panels import load_panel

    df = load_panel("unga", years=year).set_index("iso3")
    xs, ys = [], []
    for iso, col in AGREEMENT_COLUMNS.items():
        if iso not in df.index:
            continue
        d = (df["ideal_point"] - df.loc[iso, "ideal_point"]).abs()
        ok = df[col].notna() & d.notna() & (df.index != iso)
        xs.append(d[ok].to_numpy(dtype=float))
        ys.append(df.loc[ok, col].to_numpy(dtype=float))
    x, y = np.concatenate(xs), np.concatenate(ys)
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(-slope)


def membership_balance(world: Any, memberships: pd.DataFrame, member: str, on: str, *,
                       unga_year: int = 2023, value_ratio: float = 1.0, ceiling: float = 0.22,
                       shares: pd.DataFrame | None = None,
                       agreement: pd.Series | None = None,
                       organizations: Iterable[str] | None = None) -> pd.DataFrame:
    """Cost and return of each membership of ``member`` in force on ``on`` (module docstring).

    Args:
        world: The World (codes, baseline GDP).
        memberships: ``economy, organization, since, until`` (the political state's table).
        member: An economy of ``world``.
        on: ISO date.
        unga_year: UNGA session year of the agreement.
        value_ratio: ρ ≥ 0.
        ceiling: c̄ in (0, 1], the cap of an estimated cost share.
        shares: Funding shares (default :func:`~worldorder.security.institutions.funding`).
        agreement: Agreement of each economy with ``member`` (default :func:`agreement_with`).
        organizations: Only these organisations (default: every one ``member`` belongs to).

    Returns:
        One row per organisation: ``organization, members, cost, cost_basis, cost_estimated,
        gdp_share, agreement, agreement_estimated, return, net`` (net = cost − return), in the
        order of the memberships table.

    Raises:
        SecurityModelError: An unknown member, or ρ or c̄ out of range.
    """
    if member not in world.codes:
        raise SecurityModelError(f"membership balance: {member!r} is not an economy of "
                                 f"dataset {world.name!r}")
    if not (value_ratio >= 0 and math.isfinite(value_ratio)):
        raise SecurityModelError(f"membership balance: value_ratio must be a finite number "
                                 f"≥ 0 (got {value_ratio})")
    if not 0 < ceiling <= 1:
        raise SecurityModelError(f"membership balance: ceiling must lie in (0, 1] (got "
                                 f"{ceiling})")
    live = live_memberships(memberships, on)
    live = live[live["economy"].isin(world.codes)]
    mine = list(dict.fromkeys(live.loc[live["economy"] == member, "organization"]))
    if organizations is not None:
        keep = set(organizations)
        mine = [o for o in mine if o in keep]
    if agreement is None:
        agreement, agree_est = agreement_with(world, member, unga_year)
    else:
        agree_est = False
    sh = funding() if shares is None else shares
    gdp = pd.Series(np.asarray(world.gdp, dtype=float), index=list(world.codes))
    rows = []
    for org in mine:
        members = list(dict.fromkeys(live.loc[live["organization"] == org, "economy"]))
        y = gdp[members]
        sigma = float(y[member] / y.sum()) if y.sum() > 0 else math.nan
        others = [c for c in members if c != member and math.isfinite(
            float(agreement.get(c, math.nan)))]
        yo = gdp[others]
        a = float((yo * agreement[others]).sum() / yo.sum()) if yo.sum() > 0 else math.nan
        cost, basis, estimated = _cost(sh, org, member, sigma, ceiling)
        ret = value_ratio * sigma * a if math.isfinite(a) else math.nan
        rows.append({"organization": org, "members": len(members), "cost": cost,
                     "cost_basis": basis, "cost_estimated": estimated, "gdp_share": sigma,
                     "agreement": a, "agreement_estimated": agree_est, "return": ret,
                     "net": cost - ret})
    return pd.DataFrame(rows, columns=["organization", "members", "cost", "cost_basis",
                                       "cost_estimated", "gdp_share", "agreement",
                                       "agreement_estimated", "return", "net"])


def _cost(shares: pd.DataFrame, org: str, member: str, sigma: float, ceiling: float
          ) -> tuple[float, str, bool]:
    """(cost share, its basis, estimated?) of ``member`` in ``org``."""
    if org in NO_BUDGET:
        return 0.0, "no budget of its own", False
    rows = shares[(shares["organization"] == org) & (shares["member"] == member)]
    if len(rows):
        assessed = rows[rows["basis"].str.contains("assessed", case=False, regex=False)]
        row = (assessed if len(assessed) else rows).iloc[0]
        return float(row["share"]), str(row["basis"]), False
    return min(sigma, ceiling), f"estimated: GDP share among members, at most {ceiling:g}", True
