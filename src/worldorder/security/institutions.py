"""Institutions and the rules-based order: memberships through time, budget losses, Snidal's
k-group condition, and the order indices of a dated record.

Inputs and outputs are arrays or DataFrames with documented columns, so that a layer of the
engine can call them on every date. Conventions: ``t[j, i]`` is the tariff charged by importer
``i`` on goods from ``j``; ``X[j, i]`` the flow from ``j`` to ``i`` (trade weights); dates are
ISO strings.

* :func:`membership_panel`: who belongs to which organisation on each date, with the status
  ``member``, ``notice`` (notice given, not yet effective) or ``left``.
* :func:`budget_loss`: the share of an organisation's budget that leaves with its members.
* :func:`k_group`: Snidal's (1985) condition for a regime to survive its hegemon's exit.
* :func:`multilateralism`, :func:`mfn_consistency`, :func:`coercive_measures`,
  :func:`order_index`: the indices; :class:`RulesBasedOrder` computes them for every date of a
  :class:`~worldorder.scenarios.timeline.TimelineResult`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.organizations import organizations as _organizations
from worldorder.errors import SecurityModelError
from worldorder.security.model import SecurityModel, register_model
from worldorder.security.records import as_dict

__all__ = [
    "GLOBAL_ORGANIZATIONS",
    "RulesBasedOrder",
    "SnidalKGroup",
    "budget_loss",
    "coercive_measures",
    "funding",
    "k_group",
    "membership_panel",
    "memorandum_2026",
    "mfn_consistency",
    "multilateralism",
    "order_index",
    "organizations",
]

#: Organisations of the dataset's memberships that the multilateralism index averages over by
#: default: global, open-membership bodies (the UNHRC, elected with rotating seats, is left out).
GLOBAL_ORGANIZATIONS = ("UN", "WTO", "WHO", "PARIS", "UNESCO", "ICC")


def _data(name: str) -> Path:
    return Path(str(resources.files("worldorder") / "security" / "data" / name))


@lru_cache(maxsize=2)
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(_data(name), dtype=str, keep_default_na=False)


def organizations() -> pd.DataFrame:
    """The organisations the layer knows (:func:`worldorder.data.organizations.organizations`:
    bundled, built by ``data-raw/security-politics``).

    Columns: ``organization`` (code), ``name``, ``kind`` (``global``, ``un-entity``,
    ``non-un``, ``regional``, ``club``, ``alliance``), ``us_notice``, ``us_effective`` (dates of
    the US exits of 2025-26, empty if none), ``source``, ``confidence``. The 66 organisations
    of the memorandum of 7 January 2026 are those with ``us_notice == '2026-01-07'``.
    """
    return _organizations()


def funding() -> pd.DataFrame:
    """Members' shares of organisations' budgets: ``organization, member, share, basis, period,
    source, confidence`` (shares as fractions; the figures are cited row by row)."""
    df = _read("funding.csv").copy()
    df["share"] = df["share"].astype(float)
    return df


def memorandum_2026() -> pd.DataFrame:
    """The US exits of the memorandum of 7 January 2026 as ``economy, organization, notice,
    effective`` rows (66; the memorandum orders withdrawal 'as soon as possible', so the
    effective date is the notice date), for :func:`membership_panel`'s ``exits``."""
    org = organizations()
    memo = org[org["us_notice"] == "2026-01-07"]
    return pd.DataFrame({"economy": "USA", "organization": memo["organization"].to_numpy(),
                         "notice": "2026-01-07", "effective": "2026-01-07"})


def _check_orgs(names: Iterable[str], known: Iterable[str]) -> None:
    known = set(known)
    for o in names:
        if o not in known:
            raise SecurityModelError(
                f"unknown organisation {o!r} (known: {', '.join(sorted(known))})")


def membership_panel(memberships: pd.DataFrame, dates: Sequence[str], *,
                     notices: pd.DataFrame | None = None,
                     exits: pd.DataFrame | None = None,
                     organizations: Iterable[str] | None = None) -> pd.DataFrame:
    """Membership of every economy in every organisation on each date.

    Args:
        memberships: ``economy, organization, since, until`` (ISO dates, empty = open), e.g.
            ``TimelineResult.political.memberships`` after a run (a withdrawal's effective date
            is its ``until``).
        dates: ISO dates.
        notices: ``economy, organization, date`` of withdrawal notices (e.g. the ``withdraw``
            events of the political state); between notice and ``until`` the status is
            ``notice``.
        exits: Extra exits outside the memberships table, ``economy, organization, notice,
            effective`` (e.g. :func:`memorandum_2026`); listed economies count as members before
            the notice.
        organizations: Keep these organisations only (unknown ones are an error).

    Returns:
        ``date, economy, organization, status`` with status ``member`` (since <= date < until
        and no notice yet), ``notice`` or ``left``; rows only where the economy is or was a
        member by that date.
    """
    m = memberships[["economy", "organization", "since", "until"]].copy()
    m = m.fillna("").astype(str)
    m["notice"] = ""
    if notices is not None and len(notices):
        nt = notices.rename(columns={"date": "notice"})[["economy", "organization", "notice"]]
        m = m.drop(columns="notice").merge(nt.astype(str), how="left",
                                           on=["economy", "organization"])
        m["notice"] = m["notice"].fillna("")
    if exits is not None and len(exits):
        ex = exits.astype(str)
        m = pd.concat([m, pd.DataFrame({"economy": ex["economy"],
                                        "organization": ex["organization"], "since": "",
                                        "until": ex["effective"], "notice": ex["notice"]})],
                      ignore_index=True)
    if organizations is not None:
        keep = list(organizations)
        _check_orgs(keep, m["organization"].unique())
        m = m[m["organization"].isin(keep)]
    rows = []
    for d in dates:
        started = (m["since"] == "") | (m["since"] <= d)
        left = (m["until"] != "") & (m["until"] <= d)
        noticed = (m["notice"] != "") & (m["notice"] <= d)
        status = np.where(left, "left", np.where(noticed, "notice", "member"))
        sub = m[started.to_numpy()].assign(date=d, status=status[started.to_numpy()])
        rows.append(sub[["date", "economy", "organization", "status"]])
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["date", "economy", "organization", "status"])
    # one row per (date, economy, organization): a later spell wins over an earlier one
    order = {"left": 0, "notice": 1, "member": 2}
    out["_k"] = out["status"].map(order)
    out = out.sort_values("_k").drop_duplicates(["date", "economy", "organization"], keep="last")
    return out.drop(columns="_k").sort_values(["date", "organization", "economy"]) \
        .reset_index(drop=True)


def budget_loss(leaving: Mapping[str, Iterable[str]] | pd.DataFrame,
                shares: pd.DataFrame | None = None, *, basis: str | None = None
                ) -> pd.DataFrame:
    """The share of each organisation's budget that leaves with its departing members.

    .. math:: L_o = \\sum_{m \\in \\text{leaving}(o)} s_{m,o}

    with s_{m,o} member m's share of o's budget on the chosen basis (an assessed scale, or its
    share of all contributions). A member without a figure contributes nothing and is listed in
    ``missing``.

    Args:
        leaving: ``{organization: [members]}`` or a DataFrame ``organization, economy``.
        shares: ``organization, member, share, basis, ...`` (default :func:`funding`).
        basis: Keep only rows whose basis contains this text (e.g. ``"assessed"``); by default
            every basis of an organisation gives its own row.

    Returns:
        ``organization, basis, share_lost, members, missing, source``.
    """
    sh = funding() if shares is None else shares
    if isinstance(leaving, pd.DataFrame):
        leaving = leaving.groupby("organization")["economy"].apply(list).to_dict()
    if basis is not None:
        sh = sh[sh["basis"].str.contains(basis, case=False, regex=False)]
    rows = []
    for org, members in leaving.items():
        members = list(members)
        sub = sh[sh["organization"] == org]
        if sub.empty:
            rows.append({"organization": org, "basis": "", "share_lost": math.nan,
                         "members": ",".join(members), "missing": ",".join(members),
                         "source": "no funding figure"})
            continue
        for b, part in sub.groupby("basis", sort=False):
            have = part[part["member"].isin(members)]
            rows.append({"organization": org, "basis": b,
                         "share_lost": float(have["share"].astype(float).sum()),
                         "members": ",".join(members),
                         "missing": ",".join(sorted(set(members) - set(have["member"]))),
                         "source": "; ".join(have["source"].astype(str))})
    return pd.DataFrame(rows, columns=["organization", "basis", "share_lost", "members",
                                       "missing", "source"])


def k_group(sizes: Mapping[str, float] | pd.Series, benefit_cost: float, *,
            exclude: Iterable[str] = (), k_max: int = 5) -> dict[str, Any]:
    """Snidal's k-group condition: can a small group provide a regime without the hegemon?

    Each member i draws a benefit proportional to its size s_i (GDP by default), b_i = β s_i;
    the regime costs C. Let ρ = β S / C be the ratio of the regime's total benefit to its cost
    over the *original* membership (S = Σ s_i). A group K can provide the regime on its own —
    every member of K gains even if it pays a cost share proportional to its size and everyone
    else free-rides — iff

    .. math:: \\beta \\sum_{i \\in K} s_i \\ge C \\iff \\sum_{i\\in K} \\sigma_i \\ge 1/ρ,
       \\quad σ_i = s_i / S.

    The smallest such group takes the largest members first: k* = min{k : Σ_{top k} σ ≥ 1/ρ}
    (Olson's privileged group is k* = 1). After the hegemon leaves (``exclude``), the regime
    survives iff some k-group of the remaining members exists with k* ≤ ``k_max``, the largest
    group that can still coordinate (Snidal 1985: hegemonic decline need not end cooperation
    when a few large states remain).

    Args:
        sizes: Members' sizes (e.g. GDP), by code.
        benefit_cost: ρ > 0, the regime's total benefit over its cost (an assumption; e.g.
            ρ = 4: the regime is worth four times its cost to its members).
        exclude: Members who leave (the hegemon).
        k_max: Largest group able to act collectively.

    Returns:
        ``k`` (the smallest group size, or None if even all remaining members cannot cover
        the cost), ``group`` (its members), ``coverage`` (Σσ of that group), ``threshold``
        (1/ρ), ``survives`` (k is not None and k <= k_max).
    """
    s = pd.Series(sizes, dtype=float)
    if s.empty or (s < 0).any() or not np.isfinite(s).all():
        raise SecurityModelError("k_group: sizes must be finite, non-negative and not empty")
    if not benefit_cost > 0:
        raise SecurityModelError(f"k_group: benefit_cost must be positive (got {benefit_cost})")
    if k_max < 1:
        raise SecurityModelError(f"k_group: k_max must be at least 1 (got {k_max})")
    exclude = list(exclude)
    unknown = [c for c in exclude if c not in s.index]
    if unknown:
        raise SecurityModelError(f"k_group: {unknown[0]!r} is not a member")
    sigma = s / s.sum()
    rest = sigma.drop(exclude).sort_values(ascending=False, kind="stable")
    threshold = 1.0 / benefit_cost
    cum = rest.cumsum().to_numpy()
    hit = np.nonzero(cum >= threshold * (1 - 1e-12))[0]
    if hit.size == 0:
        return {"k": None, "group": list(rest.index), "coverage": float(rest.sum()),
                "threshold": threshold, "survives": False}
    k = int(hit[0]) + 1
    return {"k": k, "group": list(rest.index[:k]), "coverage": float(cum[k - 1]),
            "threshold": threshold, "survives": k <= k_max}


def multilateralism(member: np.ndarray, weights: np.ndarray,
                    org_weights: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Weighted participation in global organisations.

    .. math:: P_o = \\sum_i g_i m_{io}, \\qquad M = \\sum_o ω_o P_o / \\sum_o ω_o

    with m_{io} = 1 if economy i is a member of organisation o (0 otherwise), g_i economy i's
    share of world GDP (or trade), normalised to sum to one, and ω_o organisation weights
    (equal by default). M = 1 when every economy belongs to every organisation.

    Args:
        member: (n economies, k organisations) 0/1 matrix.
        weights: (n,) non-negative sizes g (normalised here).
        org_weights: (k,) non-negative ω (default equal).

    Returns:
        (M, P): the index and each organisation's participation.
    """
    m = np.asarray(member, dtype=float)
    g = np.asarray(weights, dtype=float)
    if m.ndim != 2 or g.shape != (m.shape[0],) or (g < 0).any() or g.sum() <= 0:
        raise SecurityModelError("multilateralism: member must be (n, k) and weights (n,), "
                                 "non-negative with a positive sum")
    g = g / g.sum()
    part = g @ m
    w = np.ones(m.shape[1]) if org_weights is None else np.asarray(org_weights, dtype=float)
    if w.shape != (m.shape[1],) or (w < 0).any() or w.sum() <= 0:
        raise SecurityModelError("multilateralism: org_weights must be (k,), non-negative, "
                                 "with a positive sum")
    return float(w @ part / w.sum()), part


def mfn_consistency(t: np.ndarray, X: np.ndarray, mfn: np.ndarray, *,
                    preferential: np.ndarray | None = None, tol: float = 1e-4) -> float:
    """Share of world trade at non-discriminatory rates.

    The flow j→i is at a non-discriminatory rate iff the importer charges its MFN rate,
    |t[j,i] − mfn_i| ≤ tol, or a lower rate under a preferential agreement (GATT Art. XXIV),
    preferential[j,i] and t[j,i] ≤ mfn_i + tol. A partner-specific surcharge (t > mfn), or a
    cut for one partner outside an agreement (t < mfn), discriminates.

    .. math:: \\text{MFN} = \\sum_{j\\ne i} X_{ji}\\,\\mathbb 1[\\text{ok}_{ji}] /
       \\sum_{j\\ne i} X_{ji}

    Args:
        t: (n, n) tariffs, ``t[j, i]`` charged by i on j.
        X: (n, n) trade weights (e.g. baseline flows; the diagonal is ignored).
        mfn: (n,) each importer's MFN rate (see :func:`baseline_mfn`).
        preferential: (n, n) booleans, pairs with a preferential agreement.
        tol: Tolerance on rates.
    """
    t = np.asarray(t, dtype=float)
    X = np.asarray(X, dtype=float)
    mfn = np.asarray(mfn, dtype=float)
    n = t.shape[0]
    if t.shape != (n, n) or X.shape != (n, n) or mfn.shape != (n,):
        raise SecurityModelError("mfn_consistency: t and X must be (n, n) and mfn (n,)")
    if (X < 0).any():
        raise SecurityModelError("mfn_consistency: trade weights must be non-negative")
    pref = np.zeros((n, n), dtype=bool) if preferential is None else np.asarray(
        preferential, dtype=bool)
    ok = np.abs(t - mfn[None, :]) <= tol
    ok |= pref & (t <= mfn[None, :] + tol)
    w = X.copy()
    np.fill_diagonal(w, 0.0)
    if w.sum() <= 0:
        raise SecurityModelError("mfn_consistency: no trade between different economies")
    return float((w * ok).sum() / w.sum())


def baseline_mfn(t0: np.ndarray, X: np.ndarray, *, tol: float = 1e-4
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Each importer's MFN rate and preferential pairs, read off a baseline tariff matrix.

    The MFN rate of importer i is the rate that covers the largest value of its imports among
    the rates it charges (the modal rate by trade); a partner charged less is treated as
    preferential (an agreement), a partner charged more as discriminated already at baseline
    (e.g. the Section 301 duties on China in ``world-2024``).

    Returns:
        (mfn (n,), preferential (n, n) booleans).
    """
    t0 = np.asarray(t0, dtype=float)
    n = t0.shape[0]
    mfn = np.zeros(n)
    for i in range(n):
        rates = np.delete(t0[:, i], i)
        vals = np.delete(np.asarray(X, dtype=float)[:, i], i)
        r = np.round(rates / tol) * tol
        uniq = np.unique(r)
        cover = np.array([vals[r == u].sum() for u in uniq])
        # ties: the highest rate (an importer's general rate is the one above its preferences)
        best = np.flatnonzero(cover == cover.max())
        mfn[i] = float(uniq[best[-1]])
    pref = t0 < mfn[None, :] - tol
    np.fill_diagonal(pref, False)
    return mfn, pref


def coercive_measures(t: np.ndarray, t0: np.ndarray, X: np.ndarray, codes: Sequence[str], *,
                      dhat: np.ndarray | None = None, tol: float = 1e-4) -> pd.DataFrame:
    """Coercive trade measures in force: partner-specific duties above the baseline and
    sanctions (iceberg trade-cost increases), by imposer.

    A pair (j, i) is under a coercive duty when t[j,i] − t0[j,i] > tol and the imposer does not
    apply the same additional duty to all its partners (max − min of its additional duties >
    tol): uniform increases are protection, not coercion of a partner. A pair is sanctioned when
    d̂[j,i] > 1 + tol.

    Returns:
        One row per imposer with any measure: ``imposer, targets`` (number of partners),
        ``trade_share`` (share of the imposer's baseline imports covered),
        ``mean_additional`` (import-weighted additional duty on the covered pairs),
        ``sanctioned`` (number of partners under a trade-cost shock), ``world_trade_share``
        (covered flows over world trade).
    """
    t, t0, X = (np.asarray(a, dtype=float) for a in (t, t0, X))
    n = len(codes)
    if t.shape != (n, n) or t0.shape != (n, n) or X.shape != (n, n):
        raise SecurityModelError("coercive_measures: t, t0 and X must be (n, n) with n codes")
    add = t - t0
    off = ~np.eye(n, dtype=bool)
    world = X[off].sum()
    rows = []
    for i, code in enumerate(codes):
        a = add[off[:, i], i]
        uniform = a.max() - a.min() <= tol
        hit = (add[:, i] > tol) & off[:, i] & (not uniform)
        sanc = np.zeros(n, dtype=bool) if dhat is None else (np.asarray(dhat)[:, i] > 1 + tol)
        sanc &= off[:, i]
        if not hit.any() and not sanc.any():
            continue
        imports = X[off[:, i], i].sum()
        cov = X[hit | sanc, i].sum()
        rows.append({"imposer": code, "targets": int(hit.sum()),
                     "trade_share": float(cov / imports) if imports > 0 else 0.0,
                     "mean_additional": float((X[hit, i] * add[hit, i]).sum() / X[hit, i].sum())
                     if hit.any() and X[hit, i].sum() > 0 else 0.0,
                     "sanctioned": int(sanc.sum()),
                     "world_trade_share": float(cov / world) if world > 0 else 0.0})
    return pd.DataFrame(rows, columns=["imposer", "targets", "trade_share", "mean_additional",
                                       "sanctioned", "world_trade_share"])


def order_index(components: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """Composite rules-based-order index: R = Σ_c w_c x_c / Σ_c w_c over components in [0, 1].

    A NaN component (not measurable on the data, e.g. multilateralism on a dataset without
    memberships of the global organisations) is left out with its weight; all NaN gives NaN.

    Raises:
        SecurityModelError: A component without a weight, a weight without a component, a
            negative weight, or a component outside [0, 1].
    """
    if set(components) != set(weights):
        raise SecurityModelError(
            f"order_index: components {sorted(components)} and weights {sorted(weights)} "
            "must name the same components")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise SecurityModelError("order_index: weights must be non-negative, with a positive "
                                 "sum")
    have = {c: x for c, x in components.items() if not math.isnan(x)}
    for c, x in have.items():
        if not -1e-12 <= x <= 1 + 1e-12:
            raise SecurityModelError(f"order_index: component {c!r} = {x} is outside [0, 1]")
    total = sum(weights[c] for c in have)
    if not have or total <= 0:
        return math.nan
    return float(sum(weights[c] * x for c, x in have.items()) / total)


def _share_index(shares: pd.DataFrame) -> dict[str, list[tuple[str, dict[str, float]]]]:
    """organization -> [(basis, {member: share})], in the table's order."""
    out: dict[str, list[tuple[str, dict[str, float]]]] = {}
    for org, basis, member, share in zip(shares["organization"], shares["basis"],
                                         shares["member"], shares["share"], strict=True):
        bases = out.setdefault(org, [])
        for b, d in bases:
            if b == basis:
                d[member] = float(share)
                break
        else:
            bases.append((basis, {member: float(share)}))
    return out


def _lost_share(table: dict[str, list[tuple[str, dict[str, float]]]], org: str,
                leavers: list[str]) -> float:
    """Share of ``org``'s budget lost with ``leavers`` (an assessed basis first); 0 without
    leavers; a leaver without a figure counts 0 (a lower bound); NaN when the organisation has
    no figure at all."""
    if not leavers:
        return 0.0
    bases = table.get(org, [])
    if not bases:
        return math.nan
    basis = next((d for b, d in bases if "assessed" in b.lower()), bases[0][1])
    return float(sum(basis.get(c, 0.0) for c in leavers))


@register_model
class SnidalKGroup(SecurityModel):
    """Does a regime survive its hegemon's exit? Snidal's k-group condition (see
    :func:`k_group`): with benefits proportional to GDP and a benefit-cost ratio ρ, the
    regime survives iff the k* largest remaining members cover 1/ρ of the members' GDP with
    k* ≤ k_max."""

    name: ClassVar[str] = "snidal-k-group"
    summary: ClassVar[str] = "whether a regime survives its hegemon's exit (k-group)"
    classifier: ClassVar[dict[str, Any]] = {"layer": "institutions",
                                            "question": "regime survival", "kind": "rule",
                                            "inputs": "GDP, memberships"}
    references: ClassVar[tuple[str, ...]] = (
        "Snidal, D. (1985), 'The limits of hegemonic stability theory', International "
        "Organization 39(4): 579-614",
        "Olson, M. (1965), The Logic of Collective Action, Harvard University Press",
        "Keohane, R. O. (1984), After Hegemony, Princeton University Press",
    )
    defaults: ClassVar[dict[str, Any]] = {"benefit_cost": 4.0, "k_max": 5}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "benefit_cost": (1e-9, None), "k_max": (1, None)}

    def survives(self, world: Any, organization: str, hegemon: str = "USA", *,
                 on: str | None = None) -> dict[str, Any]:
        """The condition for ``organization``'s members in a World (sizes = GDP)."""
        members = world.members(organization, on=on) if on else world.members(organization)
        if not members:
            raise SecurityModelError(f"unknown organisation {organization!r} or no members "
                                     f"in dataset {world.name!r}")
        sizes = {c: float(world.gdp[world.index(c)]) for c in members}
        out = k_group(sizes, self.params["benefit_cost"],
                      exclude=[hegemon] if hegemon in sizes else [],
                      k_max=self.params["k_max"])
        return {"organization": organization, "hegemon": hegemon, **out}


@register_model
class RulesBasedOrder(SecurityModel):
    """How rules-based is the order on each date of a record: four components in [0, 1] and
    their weighted mean (:func:`order_index`), all reported.

    * ``multilateralism``: GDP-weighted participation in the global organisations
      (:func:`multilateralism`; default :data:`GLOBAL_ORGANIZATIONS`, equal weights); a member
      under notice still counts until its exit takes effect, unless ``notice_counts_as_exit``
      (then the notice date counts, for this and for the budgets).
    * ``mfn``: share of world trade at non-discriminatory rates (:func:`mfn_consistency`),
      MFN rates and preferences read off the baseline (:func:`baseline_mfn`), weights =
      baseline flows.
    * ``non_coercion``: 1 − share of world trade under coercive measures
      (:func:`coercive_measures`).
    * ``institutions_intact``: 1 − the mean share of the global organisations' budgets lost
      to exits in effect (:func:`budget_loss`, basis ``assessed`` where there is one), over
      the organisations with a funding figure once someone has left (the others are skipped:
      the ICC, left by the Philippines in 2019); a leaver without a figure counts 0 (Israel's
      UNESCO exit of 2019), so the loss is a lower bound.

    Weights are parameters (equal by default). An assumption, not a measurement: the
    components follow Ikenberry's (2011) account of the liberal order (multilateral
    institutions, non-discrimination, restraint in the use of power); the weights are the
    user's.
    """

    name: ClassVar[str] = "rules-based-order"
    summary: ClassVar[str] = "multilateralism, MFN, non-coercion, budgets and their composite"
    classifier: ClassVar[dict[str, Any]] = {"layer": "institutions", "question": "order index",
                                            "kind": "index",
                                            "inputs": "tariffs, trade, memberships, funding"}
    references: ClassVar[tuple[str, ...]] = (
        "Ikenberry, G. J. (2011), Liberal Leviathan, Princeton University Press",
        "Ruggie, J. G. (1992), 'Multilateralism: the anatomy of an institution', International "
        "Organization 46(3): 561-598",
        "Bagwell, K. & Staiger, R. W. (2002), The Economics of the World Trading System, MIT "
        "Press (MFN and reciprocity)",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "weights": {"multilateralism": 1.0, "mfn": 1.0, "non_coercion": 1.0,
                    "institutions_intact": 1.0},
        "organizations": GLOBAL_ORGANIZATIONS,
        "size": "gdp",
        "tol": 1e-4,
        "notice_counts_as_exit": False,
    }

    def components(self, w: Any, t: np.ndarray,
                   statuses: pd.DataFrame | list[tuple[str, str, str]], mfn: np.ndarray,
                   pref: np.ndarray, shares: pd.DataFrame | None = None,
                   dhat: np.ndarray | None = None) -> dict[str, Any]:
        """The components and the index on one date.

        Args:
            w: The World (trade weights ``w.trade``, baseline tariffs ``w.tariffs``, GDP).
            t: Tariffs in force.
            statuses: ``economy, organization, status`` on that date (:func:`membership_panel`),
                or a list of such tuples.
            mfn, pref: From :func:`baseline_mfn`.
            shares: Funding shares (default :func:`funding`).
            dhat: Iceberg trade-cost changes in force (sanctions count as coercion); the
                ``order`` layer passes them, :meth:`compute` on a finished record has tariffs
                only.

        Returns:
            ``multilateralism, mfn, non_coercion, institutions_intact, index,
            coercive_imposers`` and ``P_<org>`` for the organisations of the dataset's
            memberships (multilateralism and institutions_intact are NaN, and left out of the
            index, when none of the organisations is in them).
        """
        p = self.params
        listed = set(w.memberships["organization"]) if len(w.memberships) else set()
        orgs = [o for o in p["organizations"] if o in listed]
        gone = ("left", "notice") if p["notice_counts_as_exit"] else ("left",)
        size = w.gdp if p["size"] == "gdp" else (w.imports + w.exports)
        X, t0 = w.trade, w.tariffs
        recs = statuses if isinstance(statuses, list) else statuses[
            ["economy", "organization", "status"]].to_numpy(dtype=object).tolist()
        pos = {c: i for i, c in enumerate(w.codes)}
        col = {o: k for k, o in enumerate(orgs)}
        member = np.zeros((w.n, len(orgs)))
        leavers: dict[str, list[str]] = {}
        for econ, org, status in recs:
            if org not in col:
                continue
            if status in gone:
                leavers.setdefault(org, []).append(econ)
            elif econ in pos:
                member[pos[econ], col[org]] = 1.0
        mult, part = multilateralism(member, size) if orgs else (math.nan, np.zeros(0))
        coer = coercive_measures(t, t0, X, w.codes, dhat=dhat, tol=p["tol"])
        table = _share_index(funding() if shares is None else shares)
        lost = [_lost_share(table, o, leavers.get(o, [])) for o in orgs]
        comp = {"multilateralism": mult,
                "mfn": mfn_consistency(t, X, mfn, preferential=pref, tol=p["tol"]),
                "non_coercion": max(1.0 - float(coer["world_trade_share"].sum()), 0.0),
                "institutions_intact": 1.0 - float(np.nanmean(lost))
                if any(not math.isnan(x) for x in lost) else math.nan}
        out: dict[str, Any] = {**comp, "index": order_index(comp, p["weights"]),
                               "coercive_imposers": ",".join(coer["imposer"])}
        out.update({f"P_{o}": float(v) for o, v in zip(orgs, part, strict=True)})
        return out

    def compute(self, result: Any) -> pd.DataFrame:
        """Every date of a :class:`~worldorder.scenarios.timeline.TimelineResult`, plus the
        dates on which a withdrawal takes effect between its first and last date (tariffs as
        of the latest step), and ``baseline`` (memberships at the end of the dataset's year).

        Returns:
            ``date, multilateralism, mfn, non_coercion, institutions_intact, index`` plus
            ``P_<org>`` (participation in each organisation) and ``coercive_imposers``.
        """
        w = result.world
        p = self.params
        orgs = list(p["organizations"])
        mem = result.political.memberships
        _check_orgs(orgs, mem["organization"].unique())
        t0 = w.tariffs
        mfn, pref = baseline_mfn(t0, w.trade, tol=p["tol"])
        steps = list(result.tariff_history)
        # the record's dates plus the dates on which exits take effect between them
        until = {u for u in mem["until"].fillna("").astype(str) if u and steps
                 and steps[0] <= u <= steps[-1]}
        dates = sorted(set(steps) | until)
        start = f"{w.year}-12-31"
        notices = pd.DataFrame(
            [{"economy": c, "organization": e["organization"], "date": e["date"]}
             for e in map(as_dict, result.political.events) if e.get("kind") == "withdraw"
             for c in e.get("parties", [])],
            columns=["economy", "organization", "date"]).drop_duplicates(
                ["economy", "organization"])
        panel = membership_panel(mem, [start, *dates], notices=notices, organizations=orgs)
        shares = funding()
        rows = []
        for d in ["baseline", *dates]:
            key = start if d == "baseline" else d
            t = t0 if d == "baseline" else result.tariff_history[max(s for s in steps
                                                                     if s <= d)]
            row = {"date": d, **self.components(w, t, panel[panel["date"] == key], mfn, pref,
                                                shares)}
            rows.append(row)
        return pd.DataFrame(rows)
