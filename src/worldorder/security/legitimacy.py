"""Legitimacy of a great power in the eyes of every other economy, and its price in bargaining.

**Definition (an assumption, stated so that it can be tested and changed).** Following Hurd
(1999), legitimacy is an actor's belief that a rule or an authority ought to be obeyed; Lake
(2009) grounds a dominant state's authority in an exchange — the order it provides is worth more
to the subordinate than what it costs — and Ikenberry (2001, 2011) in strategic restraint and
institutional binding. So the legitimacy of great power g with economy i falls when g imposes
costs on i through discriminatory measures, leaves the institutions that bind it, and uses
force against i; and it starts from how closely i's preferences align with g's.

* Level: L_{g,i} = A_{g,i}^κ · R_{g,i}, with A the baseline alignment (UNGA voting agreement of
  i with g, in [0, 1]; κ ≥ 0, κ = 0 ignores it) and R the change since the baseline (R = 1 at
  the baseline).
* Pressure on date d (levels in force):

  .. math:: x_{g,i}(d) = a\\,B_{g,i}(d) + a\\,w_A\\,(-\\Delta A_{g,i}(d))^+
            + b\\,E_g(d) + b_m\\,M_g(d) + c\\,S_{g,i}(d)
            + d_T\\,(a\\,B^T_{g,i}(d) + c\\,A_{g,i}(d)),

  with B the first-order burden of g's discriminatory duties on i in % of i's GDP,
  B = 100 · X_{i,g} (t_{i,g}(d) − t^0_{i,g})^+ / Y_i (exports of i to g times the additional
  duty g charges on them), E_g the number of global organisations g has left or given notice
  to leave by d, M_g the number of other organisations it has left (e.g. the 66 of the
  memorandum of 7 January 2026; weight b_m, by default a tenth of b: an assumption, as none of
  them binds g as the global bodies do), S the number of strikes g has carried out on i by d,
  B^T = Σ q · 100 · X_{i,g} r / Y_i the expected burden of the tariff threats standing against
  i (rate r threatened for d, credibility q) and A = Σ q over the abandonment threats against
  i (the ``threat`` step; d_T = 1: an expected cost counts like a realised one).
* Aid withdrawn: ΔA_{g,i} is the change of g's aid to i against the base year in % of i's GDP
  (negative after a cut), priced from the aid records as the aid layer prices them
  (:func:`worldorder.security.aid.aid_change`; only the US has an aid panel, so it is 0
  for any other power). Its positive part (−ΔA)^+ is an income loss g imposes on i, in the
  unit of B, and counts like a duty's burden: weight a · w_A with ``aid_weight`` w_A = 1 by
  default (0 turns it off). An assumption: aid buys political support and deference
  (Dreher, Nunnenkamp & Thiele 2008, UNGA voting; Carter & Stone 2015, votes bought with
  aid), so withdrawing it is a cost the power chooses to impose, and by Hurd (1999) a cost
  imposed rather than an order provided lowers legitimacy. Symmetric with B, which counts only
  duties above the baseline: aid restored up to the base year removes the added pressure
  (ΔA → 0), and aid above the base year (ΔA > 0) earns no credit beyond it, as a duty cut
  below the baseline does not; legitimacy recovers through memory (τ), as after a lifted duty.
* Update with memory (τ days): R(d) = exp(ℓ(d)),

  .. math:: ℓ(d) = λ\\,ℓ(d^-) − (1 − λ)\\,x(d), \\qquad λ = e^{-Δ/τ},

  Δ the days since the previous date; ℓ = 0 at the baseline. With the measures held, R tends
  to e^{−x}; τ → 0 gives R = e^{−x} at once.

**Consequence.** :func:`bargaining_weight` lowers a coercer's Nash bargaining weight as its
legitimacy in the partner's eyes falls (the ``legitimacy`` argument of
:func:`worldorder.strategy.bargaining.bargain`): β' = β R^η / (β R^η + 1 − β), so that an
illegitimate demand meets more resistance (Hurd 1999: coercion is the costly substitute for
legitimacy).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.errors import SecurityModelError
from worldorder.security.aid import AidChanges, AidCutPricing
from worldorder.security.model import SecurityModel, register_model
from worldorder.security.records import as_dict
from worldorder.strategy.bargaining import legitimacy_weight

__all__ = ["Legitimacy", "bargaining_weight", "discrimination_burden", "legitimacy_path",
           "legitimacy_step", "threat_burden"]

#: Organisations whose exit counts against a great power's legitimacy (global bodies).
BINDING_ORGANIZATIONS = ("UN", "WTO", "WHO", "PARIS", "UNESCO", "UNHRC", "ICC")


def bargaining_weight(beta: float, legitimacy: float, elasticity: float = 1.0) -> float:
    """A coercer's Nash bargaining weight at legitimacy R: β R^η / (β R^η + 1 − β) (the same
    function as :func:`worldorder.strategy.bargaining.legitimacy_weight`)."""
    return legitimacy_weight(beta, legitimacy, elasticity)


def discrimination_burden(t: np.ndarray, t0: np.ndarray, X: np.ndarray, gdp: np.ndarray,
                          g: int) -> np.ndarray:
    """B_i = 100 · X[i, g] · max(t[i, g] − t0[i, g], 0) / Y_i: the first-order cost of g's
    additional duties on each economy's exports to g, in % of its GDP (0 for g itself)."""
    t, t0, X, gdp = (np.asarray(a, dtype=float) for a in (t, t0, X, gdp))
    if (gdp <= 0).any():
        raise SecurityModelError("discrimination_burden: GDP must be positive")
    b = 100.0 * X[:, g] * np.maximum(t[:, g] - t0[:, g], 0.0) / gdp
    b[g] = 0.0
    return b


def legitimacy_step(ell: np.ndarray, x: np.ndarray, gap_days: float, tau_days: float
                    ) -> np.ndarray:
    """One update: ℓ' = λ ℓ − (1 − λ) x with λ = exp(−gap/τ) (arrays, element by element)."""
    if not tau_days > 0:
        raise SecurityModelError(f"legitimacy: tau_days must be positive (got {tau_days})")
    lam = math.exp(-gap_days / tau_days)
    return lam * np.asarray(ell, dtype=float) - (1.0 - lam) * np.asarray(x, dtype=float)


def legitimacy_path(pressure: pd.DataFrame, *, tau_days: float) -> pd.DataFrame:
    """The update rule on a table of pressures.

    Args:
        pressure: ``date, economy, x`` (x ≥ 0 the pressure in force on that date), dates ISO.
        tau_days: Memory τ in days (> 0; use a tiny value for no memory).

    Returns:
        ``date, economy, x, R`` with R = exp(ℓ), ℓ(d) = λ ℓ(d⁻) − (1 − λ) x(d), λ =
        exp(−Δ/τ), ℓ = 0 before the first date (the first date counts from the day before).
    """
    if not tau_days > 0:
        raise SecurityModelError(f"legitimacy: tau_days must be positive (got {tau_days})")
    out = []
    for econ, part in pressure.sort_values("date").groupby("economy", sort=False):
        ell, prev = 0.0, None
        for d, x in zip(part["date"], part["x"], strict=True):
            day = dt.date.fromisoformat(str(d))
            gap = 1.0 if prev is None else float((day - prev).days)
            ell = float(legitimacy_step(np.array([ell]), np.array([x]), gap, tau_days)[0])
            prev = day
            out.append({"date": d, "economy": econ, "x": float(x), "R": math.exp(ell)})
    return pd.DataFrame(out, columns=["date", "economy", "x", "R"])


@register_model
class Legitimacy(SecurityModel):
    """Each great power's legitimacy with every other economy on every date of a record (see
    the module docstring for the equations). Parameters: ``a`` (per % of GDP of
    discriminatory burden), ``b`` (per organisation left), ``c`` (per strike), ``tau_days``
    (memory), ``kappa`` (weight of baseline UNGA alignment in the level), ``b_minor``,
    ``d_threat``, ``aid_weight`` (withdrawn aid against a duty's burden; 0 = aid ignored),
    ``organizations`` (whose exit counts)."""

    name: ClassVar[str] = "legitimacy"
    summary: ClassVar[str] = "a great power's legitimacy with each economy, date by date"
    classifier: ClassVar[dict[str, Any]] = {"layer": "legitimacy", "question": "legitimacy",
                                            "kind": "state", "assumption": True,
                                            "inputs": "tariffs, trade, GDP, exits, strikes"}
    references: ClassVar[tuple[str, ...]] = (
        "Hurd, I. (1999), 'Legitimacy and authority in international politics', International "
        "Organization 53(2): 379-408",
        "Lake, D. A. (2009), Hierarchy in International Relations, Cornell University Press",
        "Ikenberry, G. J. (2001), After Victory, Princeton University Press; (2011) Liberal "
        "Leviathan",
        "Bailey, Strezhnev & Voeten (2017), 'Estimating dynamic state preferences from United "
        "Nations voting data', JCR 61(2) (agreement scores)",
        "Dreher, A., Nunnenkamp, P. & Thiele, R. (2008), 'Does US aid buy UN general assembly "
        "votes? A disaggregated analysis', Public Choice 136(1-2): 139-164",
        "Carter, D. B. & Stone, R. W. (2015), 'Democracy and multilateralism: the case of vote "
        "buying in the UN General Assembly', International Organization 69(1): 1-33",
    )
    defaults: ClassVar[dict[str, Any]] = {"a": 0.3, "b": 0.02, "c": 0.1, "tau_days": 90.0,
                                          "kappa": 0.0, "b_minor": 0.002, "d_threat": 1.0,
                                          "aid_weight": 1.0,
                                          "organizations": BINDING_ORGANIZATIONS}
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "a": (0.0, None), "b": (0.0, None), "c": (0.0, None), "tau_days": (1e-9, None),
        "kappa": (0.0, None), "b_minor": (0.0, None), "d_threat": (0.0, None),
        "aid_weight": (0.0, None)}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        _aid_weight(self.params["aid_weight"])  # checked when read

    def pressure(self, w: Any, t: np.ndarray, events: Sequence[Mapping[str, Any]], power: str,
                 date: str, threats: Sequence[Any] = (), aid: np.ndarray | None = None
                 ) -> tuple[np.ndarray, int, dict[str, int], np.ndarray]:
        """x_{g,i} on one date: (B per economy, E_g, strikes by target, x per economy; x of
        the power itself is 0). ``threats``: the
        :class:`~worldorder.engine.layers.politics.ThreatRecord` of the record (or mappings
        with its fields). ``aid``: ΔA_{g,i} per economy, the change of the power's aid against
        the base year in % of GDP (:func:`~worldorder.security.aid.aid_change`; None =
        no change)."""
        p = self.params
        gi = w.index(power)
        wa = _aid_weight(p["aid_weight"])
        burden = discrimination_burden(t, w.tariffs, w.trade, w.gdp, gi)
        exits = _exits(events, power, date, p["organizations"])
        strikes = _strikes(events, power, date)
        s = np.array([strikes.get(c, 0) for c in w.codes], dtype=float)
        x = p["a"] * burden + p["b"] * exits + p["c"] * s
        if aid is not None and wa:
            aid = np.asarray(aid, dtype=float)
            if aid.shape != (w.n,) or not np.isfinite(aid).all():
                raise SecurityModelError(f"legitimacy: the aid change must be {w.n} finite "
                                         f"numbers, one per economy (got shape {aid.shape})")
            x = x + p["a"] * wa * np.maximum(-aid, 0.0)
        if p["b_minor"]:
            minor = _exits(events, power, date, None, exclude=p["organizations"])
            if minor:
                x = x + p["b_minor"] * minor
        if threats and p["d_threat"]:
            tb, ab = threat_burden(w, threats, power, date)
            x = x + p["d_threat"] * (p["a"] * tb + p["c"] * ab)
        x[gi] = 0.0
        return burden, exits, strikes, x

    def compute(self, result: Any, powers: Sequence[str] = ("USA",), *,
                alignment: Mapping[str, Mapping[str, float]] | None = None,
                aid_pricing: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Legitimacy of each of ``powers`` with every other economy of a
        :class:`~worldorder.scenarios.timeline.TimelineResult`, at ``baseline`` and on each
        date of its tariff history.

        Args:
            result: The record.
            powers: Great powers (codes of the dataset).
            alignment: ``{power: {economy: agreement in [0, 1]}}`` for the level (κ > 0);
                missing economies count as 1.
            aid_pricing: The ``aid-cut-pricing`` model's parameters for the aid withdrawn
                (None = its defaults); the aid records of the record in force on each date
                count.

        Returns:
            ``power, date, economy, burden_pct_gdp, exits, strikes, x, R, L``.
        """
        w = result.world
        p = self.params
        for g in powers:
            if g not in w.codes:
                raise SecurityModelError(f"legitimacy: unknown economy {g!r} in dataset "
                                         f"{w.name!r}")
        dates = list(result.tariff_history)
        events = [as_dict(e) for e in result.political.events]
        threats = list(getattr(result.political, "threats", []))
        pricing = {**AidCutPricing.defaults, **(aid_pricing or {})}
        records = [as_dict(r) for r in getattr(result.political, "aid", [])]
        rows = []
        for g in powers:
            changes = AidChanges()
            for d in dates:
                aid = (changes([r for r in records if str(r["date"]) <= d], w, pricing)
                       if g == "USA" else None)
                burden, exits, strikes, x = self.pressure(w, result.tariff_history[d], events,
                                                          g, d, threats, aid)
                for k, c in enumerate(w.codes):
                    if c == g:
                        continue
                    rows.append({"power": g, "date": d, "economy": c,
                                 "burden_pct_gdp": float(burden[k]), "exits": exits,
                                 "strikes": strikes.get(c, 0), "x": float(x[k])})
        df = pd.DataFrame(rows)
        paths = []
        for _g, part in df.groupby("power", sort=False):
            path = legitimacy_path(part[["date", "economy", "x"]], tau_days=p["tau_days"])
            paths.append(part.merge(path[["date", "economy", "R"]], on=["date", "economy"]))
        out = pd.concat(paths, ignore_index=True)
        base = out[out["date"] == dates[0]].assign(date="baseline", burden_pct_gdp=0.0,
                                                   exits=0, strikes=0, x=0.0, R=1.0)
        out = pd.concat([base, out], ignore_index=True)
        align = alignment or {}
        out["L"] = [r * (align.get(g, {}).get(c, 1.0) ** p["kappa"])
                    for g, c, r in zip(out["power"], out["economy"], out["R"], strict=True)]
        return out[["power", "date", "economy", "burden_pct_gdp", "exits", "strikes", "x", "R",
                    "L"]]


def _aid_weight(value: Any) -> float:
    """``aid_weight`` checked: a non-negative finite number (one line naming it otherwise)."""
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or value < 0:
        raise SecurityModelError(f"legitimacy: parameter 'aid_weight' = {value!r} must be a "
                                 "non-negative number (0 = aid withdrawn is not counted)")
    return float(value)


def _exits(events: Iterable[Mapping[str, Any]], g: str, date: str,
           organizations: Iterable[str] | None, exclude: Iterable[str] = ()) -> int:
    """Organisations g has left (or given notice to leave) by ``date``: those in
    ``organizations`` (None = any), less ``exclude``."""
    orgs = None if organizations is None else set(organizations)
    skip = set(exclude)
    return len({e["organization"] for e in events
                if e.get("kind") == "withdraw" and g in e.get("parties", [])
                and (orgs is None or e.get("organization") in orgs)
                and e.get("organization") not in skip and str(e.get("date")) <= date})


def threat_burden(w: Any, threats: Sequence[Any], g: str, date: str
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The threats of ``g`` standing on ``date``, per economy of ``w``: (B^T, A) with B^T =
    Σ q · 100 · X_{i,g} · r / Y_i over tariff threats (r the rate threatened for ``date``, q
    the credibility) and A = Σ q over abandonment threats."""
    gi = w.index(g)
    tb, ab = np.zeros(w.n), np.zeros(w.n)
    for th in threats:
        rec = as_dict(th)
        if rec["by"] != g or not (rec["date"] <= date and (not rec["until"]
                                                            or date < rec["until"])):
            continue
        idx = [w.index(c) for c in rec["targets"] if c in w.codes and c != g]
        q = float(rec["credibility"])
        if rec["kind"] == "abandonment":
            ab[idx] += q
            continue
        rate = rec["rate"] or 0.0
        if rec.get("escalate_to") is not None and rec.get("escalate_on") and \
                date >= rec["escalate_on"]:
            rate = rec["escalate_to"]
        tb[idx] += q * 100.0 * w.trade[idx, gi] * rate / w.gdp[idx]
    return tb, ab


def _strikes(events: Iterable[Mapping[str, Any]], g: str, date: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in events:
        if e.get("kind") != "strike" or str(e.get("date")) > date:
            continue
        by = e.get("by", e.get("actor"))
        by = [by] if isinstance(by, str) else list(by or [])
        if not by:  # the engine's events name the striker as a party
            by = [p for p in e.get("parties", ()) if p != e.get("target")]
        if g in by and e.get("target"):
            out[e["target"]] = out.get(e["target"], 0) + 1
    return out
