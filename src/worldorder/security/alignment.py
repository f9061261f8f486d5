"""Alignment between the United States and China: positions, hedging, blocs, and how coercion
and deals move them.

Each economy i gets four component positions in [−1, 1] (−1 = with China, +1 = with the US):

* ``unga``: UN General Assembly voting, d = (a_US − a_CN) / (a_US + a_CN) with a the share of
  votes agreeing with each power (Bailey, Strezhnev & Voeten 2017; bundled panel ``unga``).
* ``defence``: defence pacts, d = D_US − D_CN with D the share of i's constituent states with
  an ATOP defence obligation to the power (bundled panel ``alliances``).
* ``trade``: trade dependence, d = (T_US − T_CN) / (T_US + T_CN) with T = (exports + imports
  with the power) / GDP, from a World's trade matrix (before) or a run's flows (after)
  (Hirschman 1945: dependence as a source of influence).
* ``membership``: d = n_US / |C_US| − n_CN / |C_CN|, shares of the US-led and China-led clubs
  (defaults NATO, G7, USMCA; SCO, BRICS) that i belongs to.

The **position** is p_i = Σ_k w_k d_k / Σ_k w_k over the components i has (weights are
parameters); the **hedging index** (Kuik 2008; Goh 2005: keeping options open with both) is
H_i = ½ (1 − |p_i|) + ½ s_i, the mean of the ambiguity of the overall position and the
dispersion s_i (weighted standard deviation) of the components across domains — e.g. a US ally
that trades mostly with China. **Blocs** are k-means clusters (scikit-learn) of the component
vectors, named by their mean position.

**Movement** (an assumption, with parameters): coercion pushes the target away from the coercer,
deals pull a partner towards it (Drezner 1999 on coercing allies; Lake 2009) and aid buys
alignment (Alesina & Dollar 2000; Kuziemko & Werker 2006; Dreher, Nunnenkamp & Thiele 2008 on
US aid and UNGA votes; Carter & Stone 2015):

.. math:: p'_i = \\mathrm{clip}\\big(p_i + θ_B (B_{CN,i} − B_{US,i}) + θ_D (D_{US,i} − D_{CN,i})
   + θ_A (A_{US,i} − A_{CN,i}), −1, 1\\big)

with B the discriminatory burden each power's duties put on i (% of i's GDP,
:func:`worldorder.security.legitimacy.discrimination_burden`), D = 1 if i made a deal with
the power in the record, and A the change of the power's aid to i against the base year in % of
i's GDP (negative for a cut; :func:`~worldorder.security.aid.aid_change`, from the
``aid-cut-pricing`` model's records: level F, each recipient's change (F − 1) A'_r summed over
the recipients an economy holds, over the dataset's GDP of the economy). θ_A defaults to θ_B
(``theta_a: null``): an income a power takes away moves alignment the same whether by a
discriminatory duty or by withdrawn aid, so the aid term adds no free number (an assumption; set
``theta_a`` to change it, 0 to leave aid out). Only US aid has data (the ``us_aid`` panel);
there is no panel of Chinese aid by recipient, so A_CN = 0. The trade component is recomputed
from the flows after the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from worldorder.data.panels import economy_panel, load_panel, panel_coverage
from worldorder.errors import SecurityModelError
from worldorder.security.aid import AidChanges, aid_change
from worldorder.security.legitimacy import discrimination_burden
from worldorder.security.model import SecurityModel, register_model
from worldorder.security.records import as_dict

__all__ = [
    "COMPONENTS",
    "AidChanges",
    "Alignment",
    "aid_change",
    "alignment_table",
    "blocs",
    "defence_component",
    "membership_component",
    "move_alignment",
    "trade_component",
    "unga_component",
]

COMPONENTS = ("unga", "defence", "trade", "membership")


def trade_component(X: np.ndarray, gdp: np.ndarray, codes: Sequence[str], us: str = "USA",
                    cn: str = "CHN") -> pd.DataFrame:
    """``economy, T_us, T_cn, trade``: trade with each power over GDP and
    d = (T_US − T_CN)/(T_US + T_CN); the powers themselves get +1 and −1."""
    X = np.asarray(X, dtype=float)
    gdp = np.asarray(gdp, dtype=float)
    codes = list(codes)
    for c in (us, cn):
        if c not in codes:
            raise SecurityModelError(f"alignment: unknown economy {c!r}")
    u, c_ = codes.index(us), codes.index(cn)
    t_us = (X[:, u] + X[u, :]) / gdp
    t_cn = (X[:, c_] + X[c_, :]) / gdp
    tot = t_us + t_cn
    d = np.where(tot > 0, (t_us - t_cn) / np.where(tot > 0, tot, 1.0), np.nan)
    d[u], d[c_] = 1.0, -1.0
    return pd.DataFrame({"economy": codes, "T_us": t_us, "T_cn": t_cn, "trade": d})


def unga_component(world: Any, year: int) -> pd.DataFrame:
    """``economy, agree_us, agree_china, ideal_point, unga`` from the bundled UNGA panel
    (aggregates: population-weighted means of their members)."""
    df = economy_panel("unga", world, years=year)
    df = df[df["economy"].isin(world.codes)]
    a, b = df["agree_us"], df["agree_china"]
    out = df[["economy", "agree_us", "agree_china", "ideal_point"]].copy()
    out["unga"] = (a - b) / (a + b)
    out.loc[out["economy"] == "USA", "unga"] = 1.0
    out.loc[out["economy"] == "CHN", "unga"] = -1.0
    return out.reset_index(drop=True)


def defence_component(world: Any, year: int, us: str = "USA", cn: str = "CHN") -> pd.DataFrame:
    """``economy, pact_us, pact_cn, defence``: the share of an economy's constituent states
    with a defence obligation to each power in ``year`` (ATOP panel), and their difference.
    An aggregate without listed constituents (``ROW``) gets NaN."""
    al = load_panel("alliances", years=year, columns=["iso3_a", "iso3_b", "defense"])
    al = al[al["defense"] == 1]
    with_us = set(al.loc[al["iso3_b"] == us, "iso3_a"]) | set(al.loc[al["iso3_a"] == us,
                                                                     "iso3_b"])
    with_cn = set(al.loc[al["iso3_b"] == cn, "iso3_a"]) | set(al.loc[al["iso3_a"] == cn,
                                                                     "iso3_b"])
    rows = []
    for code in world.codes:
        if code in world.constituents:
            states = list(world.constituents[code])
        elif code == "ROW":
            rows.append({"economy": code, "pact_us": np.nan, "pact_cn": np.nan,
                         "defence": np.nan})
            continue
        else:
            states = [code]
        pu = float(np.mean([s in with_us for s in states]))
        pc = float(np.mean([s in with_cn for s in states]))
        rows.append({"economy": code, "pact_us": pu, "pact_cn": pc, "defence": pu - pc})
    out = pd.DataFrame(rows)
    out.loc[out["economy"] == us, "defence"] = 1.0
    out.loc[out["economy"] == cn, "defence"] = -1.0
    return out


def membership_component(memberships: pd.DataFrame, codes: Sequence[str], on: str, *,
                         us_clubs: Iterable[str] = ("NATO", "G7", "USMCA"),
                         cn_clubs: Iterable[str] = ("SCO", "BRICS")) -> pd.DataFrame:
    """``economy, membership``: d = n_US/|C_US| − n_CN/|C_CN| on the ISO date ``on``
    (memberships ``economy, organization, since, until``)."""
    us_clubs, cn_clubs = list(us_clubs), list(cn_clubs)
    known = set(memberships["organization"])
    for o in [*us_clubs, *cn_clubs]:
        if o not in known:
            raise SecurityModelError(f"alignment: unknown organisation {o!r} (known: "
                                     f"{', '.join(sorted(known))})")
    m = memberships.fillna("").astype(str)
    live = m[((m["since"] == "") | (m["since"] <= on)) & ((m["until"] == "") | (m["until"] > on))]
    rows = []
    for c in codes:
        orgs = set(live.loc[live["economy"] == c, "organization"])
        rows.append({"economy": c,
                     "membership": len(orgs & set(us_clubs)) / len(us_clubs)
                     - len(orgs & set(cn_clubs)) / len(cn_clubs)})
    return pd.DataFrame(rows)


def alignment_table(components: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Position, ambiguity, dispersion and hedging from component positions.

    Args:
        components: ``economy`` and one column per component in ``weights`` (values in
            [−1, 1]; NaN = missing, dropped with its weight for that economy).
        weights: Component weights (non-negative, positive sum).

    Returns:
        The components plus ``position`` p, ``ambiguity`` 1 − |p|, ``dispersion`` s (weighted
        standard deviation of the components around p) and ``hedging`` ½(1 − |p|) + ½ s.
    """
    cols = list(weights)
    missing = [c for c in cols if c not in components.columns]
    if missing:
        raise SecurityModelError(f"alignment: no component column {missing[0]!r}")
    w = np.array([weights[c] for c in cols], dtype=float)
    if (w < 0).any() or w.sum() <= 0:
        raise SecurityModelError("alignment: weights must be non-negative with a positive sum")
    D = components[cols].to_numpy(dtype=float)
    if (np.abs(D[~np.isnan(D)]) > 1 + 1e-12).any():
        raise SecurityModelError("alignment: component positions must lie in [-1, 1]")
    W = np.where(np.isnan(D), 0.0, w[None, :])
    tot = W.sum(axis=1)
    Dz = np.nan_to_num(D)
    p = np.where(tot > 0, (W * Dz).sum(axis=1) / np.where(tot > 0, tot, 1.0), np.nan)
    s = np.sqrt(np.where(tot > 0, (W * (Dz - p[:, None]) ** 2).sum(axis=1)
                         / np.where(tot > 0, tot, 1.0), np.nan))
    out = components.copy()
    out["position"] = p
    out["ambiguity"] = 1.0 - np.abs(p)
    out["dispersion"] = s
    out["hedging"] = 0.5 * out["ambiguity"] + 0.5 * s
    return out


def blocs(table: pd.DataFrame, columns: Sequence[str], k: int = 3, *, seed: int = 0
          ) -> pd.Series:
    """Blocs by k-means on the component vectors (missing components take the economy's
    position). Labels are ``bloc 1`` (most China-aligned mean position) to ``bloc k`` (most
    US-aligned); the same data and seed give the same blocs."""
    from sklearn.cluster import KMeans

    if not 1 <= k <= len(table):
        raise SecurityModelError(f"alignment: k = {k} blocs for {len(table)} economies")
    Z = table[list(columns)].to_numpy(dtype=float)
    pos = table["position"].to_numpy(dtype=float)
    Z = np.where(np.isnan(Z), pos[:, None], Z)
    lab = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(Z)
    means = {c: pos[lab == c].mean() for c in set(lab)}
    rank = {c: r for r, c in enumerate(sorted(means, key=lambda c: (means[c], c)), start=1)}
    return pd.Series([f"bloc {rank[c]}" for c in lab], index=table.index, name="bloc")


def move_alignment(position: np.ndarray, burden_us: np.ndarray, burden_cn: np.ndarray,
                   deal_us: np.ndarray, deal_cn: np.ndarray, *, theta_b: float,
                   theta_d: float, aid_us: np.ndarray | None = None,
                   aid_cn: np.ndarray | None = None, theta_a: float | None = None
                   ) -> np.ndarray:
    """p' = clip(p + θ_B (B_CN − B_US) + θ_D (D_US − D_CN) + θ_A (A_US − A_CN), −1, 1) (see
    the module docstring; θ_A = None stands for θ_B, missing aid for no change)."""
    theta_a = theta_of_aid(theta_a, theta_b)
    if theta_b < 0 or theta_d < 0:
        raise SecurityModelError("alignment: theta_b and theta_d must be non-negative")
    p = np.asarray(position, dtype=float)
    shift = theta_b * (np.asarray(burden_cn) - np.asarray(burden_us)) + theta_d * (
        np.asarray(deal_us, dtype=float) - np.asarray(deal_cn, dtype=float))
    if theta_a and (aid_us is not None or aid_cn is not None):
        a_us = np.zeros_like(p) if aid_us is None else np.asarray(aid_us, dtype=float)
        a_cn = np.zeros_like(p) if aid_cn is None else np.asarray(aid_cn, dtype=float)
        shift = shift + theta_a * (a_us - a_cn)
    return np.clip(p + shift, -1.0, 1.0)


def theta_of_aid(theta_a: Any, theta_b: float) -> float:
    """θ_A in force: ``theta_a``, or θ_B when it is None (module docstring).

    Raises:
        SecurityModelError: ``theta_a`` is not a non-negative number (naming the parameter).
    """
    if theta_a is None:
        return float(theta_b)
    if isinstance(theta_a, bool) or not isinstance(theta_a, int | float) \
            or not math.isfinite(theta_a) or theta_a < 0:
        raise SecurityModelError(f"alignment: parameter 'theta_a' = {theta_a!r} must be a "
                                 "non-negative number (or null: the same as theta_b)")
    return float(theta_a)


@register_model
class Alignment(SecurityModel):
    """Each economy's position between the US and China, before and after a record; hedging;
    blocs (module docstring). Parameters: ``weights`` of the components, ``unga_year`` (the
    UNGA panel ends in 2023: the latest session stands for later years, said in the output),
    ``defence_year``, the clubs, ``theta_b``, ``theta_d``, ``theta_a`` (aid; null = θ_B),
    ``k`` blocs, ``seed``."""

    name: ClassVar[str] = "alignment"
    summary: ClassVar[str] = "position between the US and China, hedging and blocs"
    classifier: ClassVar[dict[str, Any]] = {"layer": "alignment", "question": "alignment",
                                            "kind": "index", "assumption": True,
                                            "inputs": "UNGA, ATOP, trade, memberships"}
    references: ClassVar[tuple[str, ...]] = (
        "Bailey, Strezhnev & Voeten (2017), JCR 61(2) (UNGA ideal points and agreement)",
        "Leeds et al. (2002), ATOP, International Interactions 28",
        "Hirschman, A. O. (1945), National Power and the Structure of Foreign Trade",
        "Kuik, C.-C. (2008), 'The essence of hedging', Contemporary Southeast Asia 30(2)",
        "Drezner, D. W. (1999), The Sanctions Paradox, Cambridge University Press",
        "Alesina, A. & Dollar, D. (2000), 'Who gives foreign aid to whom and why?', Journal "
        "of Economic Growth 5(1)",
        "Kuziemko, I. & Werker, E. (2006), 'How much is a seat on the Security Council "
        "worth?', Journal of Political Economy 114(5)",
        "Dreher, A., Nunnenkamp, P. & Thiele, R. (2008), 'Does US aid buy UN General Assembly "
        "votes?', Public Choice 136(1-2)",
        "Carter, D. B. & Stone, R. W. (2015), 'Democracy and multilateralism: the case of "
        "vote buying in the UN General Assembly', International Organization 69(1)",
    )
    defaults: ClassVar[dict[str, Any]] = {
        "weights": {"unga": 1.0, "defence": 1.0, "trade": 1.0, "membership": 1.0},
        "unga_year": 2023, "defence_year": 2024,
        "us_clubs": ("NATO", "G7", "USMCA"), "cn_clubs": ("SCO", "BRICS"),
        "theta_b": 0.05, "theta_d": 0.05, "theta_a": None, "k": 3, "seed": 0,
    }
    bounds: ClassVar[dict[str, tuple[float | None, float | None]]] = {
        "theta_b": (0.0, None), "theta_d": (0.0, None), "theta_a": (0.0, None),
        "k": (1, None)}

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        theta_of_aid(self.params["theta_a"], self.params["theta_b"])  # checked when read

    def compute(self, world: Any, result: Any = None) -> pd.DataFrame:
        """Positions before (the World's data) and, with a ``result``
        (:class:`~worldorder.scenarios.timeline.TimelineResult`), after its last date.

        Returns:
            One row per economy: the components, ``position``, ``ambiguity``, ``dispersion``,
            ``hedging``, ``bloc``; with a result also ``trade_after``, ``burden_us``,
            ``burden_cn``, ``deal_us``, ``aid_us``, ``position_after`` (the trade component
            recomputed from the flows after, then the movement rule), ``hedging_after``,
            ``bloc_after``.
            ``attrs['notes']`` says which panel years were used.
        """
        p = self.params
        first, last = panel_coverage("unga") or (0, 0)
        if not first <= p["unga_year"] <= last:
            raise SecurityModelError(f"alignment: unga_year {p['unga_year']} is outside the "
                                     f"UNGA panel ({first}-{last})")
        comp = trade_component(world.trade, world.gdp, world.codes)[["economy", "trade"]]
        comp = comp.merge(unga_component(world, p["unga_year"])[["economy", "unga"]],
                          on="economy", how="left")
        comp = comp.merge(defence_component(world, p["defence_year"])[["economy", "defence"]],
                          on="economy", how="left")
        on = f"{world.year}-12-31"
        comp = comp.merge(membership_component(world.memberships, world.codes, on,
                                               us_clubs=p["us_clubs"], cn_clubs=p["cn_clubs"]),
                          on="economy")
        cols = list(p["weights"])
        out = alignment_table(comp[["economy", *COMPONENTS]], p["weights"])
        out["bloc"] = blocs(out, cols, p["k"], seed=p["seed"])
        notes = [f"UNGA agreement of session {p['unga_year'] - 1945} ({p['unga_year']})",
                 f"ATOP defence obligations of {p['defence_year']}",
                 f"trade and memberships of dataset {world.name!r} ({world.year})"]
        if result is not None:
            out = self._after(world, result, out, cols)
            notes.append(f"after: flows and memberships on {result.dates[-1]}")
        out.attrs["notes"] = notes
        return out

    def _after(self, world: Any, result: Any, out: pd.DataFrame, cols: list[str]
               ) -> pd.DataFrame:
        p = self.params
        fl = result.last.flows
        idx = {c: k for k, c in enumerate(world.codes)}
        X1 = np.zeros((world.n, world.n))
        X1[fl["exporter"].map(idx), fl["importer"].map(idx)] = fl["value_after"]
        last = result.dates[-1]
        t_last = result.tariff_history[max(result.tariff_history)]
        trade_after = trade_component(X1, world.gdp, world.codes)["trade"].to_numpy()
        b_us = discrimination_burden(t_last, world.tariffs, world.trade, world.gdp,
                                     world.index("USA"))
        b_cn = discrimination_burden(t_last, world.tariffs, world.trade, world.gdp,
                                     world.index("CHN"))
        deals = {(d.get("imposer"), d.get("partner"))
                 for d in map(as_dict, result.political.pledges)}
        deal_us = np.array([any(("USA", g) in deals for g in [c, *self._groups(world, c)])
                            for c in world.codes], dtype=float)
        deal_cn = np.array([("CHN", c) in deals for c in world.codes], dtype=float)
        comp = out[["economy", *COMPONENTS]].copy()
        comp["trade"] = trade_after
        mem = membership_component(result.political.memberships, world.codes, last,
                                   us_clubs=p["us_clubs"], cn_clubs=p["cn_clubs"])
        comp["membership"] = mem["membership"].to_numpy()
        after = alignment_table(comp, p["weights"])
        aid_us = aid_change(result.political.aid, world)
        moved = move_alignment(after["position"].to_numpy(), b_us, b_cn, deal_us, deal_cn,
                               theta_b=p["theta_b"], theta_d=p["theta_d"], aid_us=aid_us,
                               theta_a=p["theta_a"])
        us, cn = world.index("USA"), world.index("CHN")
        moved[us], moved[cn] = 1.0, -1.0
        out["trade_after"] = trade_after
        out["burden_us"], out["burden_cn"] = b_us, b_cn
        out["deal_us"] = deal_us
        out["aid_us"] = aid_us
        out["position_after"] = moved
        out["hedging_after"] = 0.5 * (1 - np.abs(moved)) + 0.5 * after["dispersion"]
        tmp = after.assign(position=moved)
        out["bloc_after"] = blocs(tmp, cols, p["k"], seed=p["seed"]).to_numpy()
        return out

    @staticmethod
    def _groups(world: Any, code: str) -> list[str]:
        return [g for g, members in world.groups.items() if code in members]
