"""America First: tariffs as leverage for bilateral deals, burden-shifting, exits."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from worldorder.agents.doctrine import Choice, Doctrine, make_action, register_doctrine
from worldorder.agents.observation import Observation
from worldorder.security.membership_balance import membership_balance
from worldorder.trade.instruments import apply_change, tariff_change

__all__ = ["AmericaFirst"]


@register_doctrine
class AmericaFirst(Doctrine):
    """Transactional coercion: tariffs as leverage for bilateral deals, burden-shifting backed
    by threats of abandonment, exits where membership costs more than it returns.

    Rule:
    1. at its first choice (with ``opening: reciprocal``), the "reciprocal" tariffs of 2 April
       2025 (the USTR formula on the dataset's bilateral balances, at least ``floor``); with
       ``opening: none`` (e.g. starting from the 2025 record) it goes straight to 2 and 3;
    2. afterwards, a partner that has removed its duties on this state (its all-in rate on it at
       most ``open_rate``) gets a deal: this state's rate on it falls to ``deal_rate`` all-in;
    3. a partner that retaliated since the previous period is answered by escalation, if the
       model says escalation pays: candidate rates on it, ``escalation`` steps above the current
       one up to ``upper``, are evaluated with the full equilibrium and the one with the highest
       payoff is kept, the payoff being this state's (its weighted components,
       :meth:`~worldorder.agents.observation.Observation.score`) plus ``leverage`` times the
       partner's welfare loss (the value of hurting a target that might then deal);
    4. burden-shifting backed by a threat of abandonment, from the first choice on, when the
       security layers run: its commitment to each ally (the dataset's ``alliances``) whose
       military spending is below ``burden_target`` of GDP falls to credibility
       ``threat_credibility`` (the alliances layer's coercive burden-sharing rule: the ally's
       spending on a pledge path rises with the credibility of the threat, 1 −
       ``threat_credibility``); an ally at the target gets credibility 1 (made again only when
       the credibility on the record differs). ``burden_target: 0`` turns it off;
    5. exits where membership costs more than it returns, from the first choice on: for every
       organisation of which this state is a member on the date with no exit scheduled (the
       dataset's memberships, as moved by ``withdraw`` and ``join``), the cost c (its share of
       the budget: ``funding.csv``, else estimated as its GDP share among the members, at most
       ``cost_ceiling``, the UN scale's ceiling) and the return r = ``value_ratio`` · σ · ā (σ
       its share of the members' GDP, ā the members' GDP-weighted UNGA agreement with it, of
       session ``unga_year``) of :func:`~worldorder.security.membership_balance.
       membership_balance` (equations, references — Olson & Zeckhauser 1966, Keohane 1984,
       Abbott & Snidal 1998 — and which inputs are recalled: its docstring). Where
       c − r > ``exit_margin`` it gives notice of withdrawal, effective at once (the memorandum
       of 7 January 2026 ordered its exits "as soon as possible"), one ``withdraw`` per
       organisation with the figures in its reason; elsewhere it stays. Never from
       ``stay_in`` (default the UN: its Charter has no withdrawal clause). The margin (default
       0.02, two points of the budget) keeps exits from turning on the rounding of the recalled
       shares (stated to two digits): on ``world-2024`` the US leaves the WHO and the Paris
       Agreement (22% of the budget against a return of 11%), stays in UNESCO (8% against 11%)
       and the clubs, and stays in the WTO only by the margin (11% against 10.9%).
       A group agent (e.g. ``EU``) does not use the rule (the balance is an economy's).
       ``exits: false`` turns the rule off; ``value_ratio: 4`` (Snidal's k-group default) keeps
       the US in everything.

    Payoff weights (:mod:`worldorder.agents.payoffs`): welfare 1, security 0.5, legitimacy 0,
    alignment 0 — transactional: welfare and security, no value on legitimacy or others'
    alignment.
    """

    name: ClassVar[str] = "america_first"
    summary: ClassVar[str] = "tariffs as leverage (reciprocal rates, deals, escalation); exits"
    classifier: ClassVar[dict[str, str | int | bool | tuple[str, ...]]] = {
        "stance": "transactional",
        "instruments": ("reciprocal_tariff", "tariff", "commitment", "withdraw"),
        "memory": 1, "stochastic": False}
    references: ClassVar[tuple[str, ...]] = (
        "Executive Order 14257 (2 April 2025) and the 2025 deals (UK, Japan, EU, Korea)",
        "Schelling (1966), Arms and Influence: coercion as bargaining",
        "Ignatenko, Macedoni, Lashkaripour & Simonovska (2025), JIE",
        "Olson & Zeckhauser (1966), 'An economic theory of alliances', Review of Economics "
        "and Statistics 48(3)",
        "Keohane (1984), After Hegemony; Abbott & Snidal (1998), 'Why states act through "
        "formal international organizations', Journal of Conflict Resolution 42(1)",
        "Presidential Memorandum of 7 January 2026 (withdrawal from 66 organisations)",
    )

    opening: Literal["reciprocal", "none"] = "reciprocal"
    floor: float = 0.10
    deal_rate: float = 0.15
    open_rate: float = 0.01
    escalation: float = 0.10
    upper: float = 0.60
    leverage: float = 0.0
    burden_target: float = 0.05
    threat_credibility: float = 0.5
    exits: bool = True
    exit_margin: float = Field(default=0.02, ge=0.0, le=1.0)
    value_ratio: float = Field(default=1.0, ge=0.0, allow_inf_nan=False)
    cost_ceiling: float = Field(default=0.22, gt=0.0, le=1.0)
    unga_year: int = Field(default=2023, ge=1946, le=2100)
    stay_in: tuple[str, ...] = ("UN",)

    payoff_weights: ClassVar[dict[str, float]] = {
        "welfare": 1.0, "security": 0.5, "legitimacy": 0.0, "alignment": 0.0}

    def choose(self, obs: Observation, rng: np.random.Generator) -> list[Choice]:
        first = obs.period == 0 or not any(c.agent == obs.me for c in obs.history)
        if first and self.opening == "reciprocal":
            return [Choice(make_action("reciprocal_tariff", by=obs.me, floor=self.floor),
                           "reciprocal tariffs on every partner (USTR 2025 formula)"),
                    *self._burden(obs), *self._exits(obs)]
        out: list[Choice] = [*self._burden(obs), *self._exits(obs)]
        me = obs.members(obs.me)
        for code in obs.world.codes:
            if code in obs.world.expand(obs.me):
                continue
            theirs = obs.members(code)
            their_rate = float(obs.t[np.ix_(me, theirs)].max())
            my_rate = float(obs.t[np.ix_(theirs, me)].mean())
            if their_rate <= self.open_rate and my_rate > self.deal_rate + 1e-9:
                out.append(Choice(make_action("tariff", by=obs.me, on=[code],
                                              rate=self.deal_rate, basis="total"),
                                  f"{code} opened its market: a deal at "
                                  f"{100 * self.deal_rate:g}%"))
        for code in obs.coercers():
            best = self._escalation(obs, code)
            if best is not None:
                out.append(Choice(make_action("tariff", by=obs.me, on=[code], rate=best,
                                              basis="total"),
                                  f"{code} retaliated: escalation to {100 * best:.0f}% pays"))
        return out

    def _burden(self, obs: Observation) -> list[Choice]:
        """Rule 4: commitments by whether each ally meets the burden target."""
        s = obs.standing
        if s is None or s.milex_share is None or self.burden_target <= 0:
            return []
        given = s.commitments.get(obs.me, {})
        groups: dict[float, list[str]] = {}
        for ally in sorted(s.allies_of(obs.me)):
            share = float(s.milex_share[obs.world.index(ally)])
            if share != share:  # no military figures: no demand
                continue
            c = 1.0 if share >= self.burden_target - 1e-12 else self.threat_credibility
            if abs(given.get(ally, -1.0) - c) > 1e-12:
                groups.setdefault(c, []).append(ally)
        return [Choice(make_action("commitment", patron=obs.me, allies=allies, credibility=c),
                       f"allies below {100 * self.burden_target:g}% of GDP on defence: "
                       f"protection made conditional (credibility {c:g})" if c < 1.0 else
                       f"allies at {100 * self.burden_target:g}% of GDP on defence: "
                       "protection assured")
                for c, allies in sorted(groups.items())]

    def _exits(self, obs: Observation) -> list[Choice]:
        """Rule 5: leave where membership costs more than it returns."""
        if not self.exits or obs.memberships is None or obs.me not in obs.world.codes:
            return []
        table = membership_balance(obs.world, obs.memberships, obs.me, obs.date,
                                   unga_year=self.unga_year, value_ratio=self.value_ratio,
                                   ceiling=self.cost_ceiling)
        out = []
        for r in table.to_dict("records"):
            if r["organization"] in self.stay_in or not r["net"] > self.exit_margin:
                continue
            est = " (estimated)" if r["cost_estimated"] else ""
            out.append(Choice(
                make_action("withdraw", economy=obs.me, organization=r["organization"]),
                f"{r['organization']} costs {100 * r['cost']:.1f}% of its budget{est} and "
                f"returns {100 * r['return']:.1f}% (GDP share {100 * r['gdp_share']:.1f}% x "
                f"UNGA agreement {r['agreement']:.2f} x value {self.value_ratio:g}): exit"))
        return out

    def _escalation(self, obs: Observation, code: str) -> float | None:
        me, theirs = obs.members(obs.me), obs.members(code)
        now = float(obs.t[np.ix_(theirs, me)].mean())
        candidates = np.arange(now + self.escalation, self.upper + 1e-9, self.escalation)
        if candidates.size == 0:
            return None

        def payoff(t: np.ndarray) -> float:
            w = obs.evaluate(t)
            return obs.score(t, w) - self.leverage * obs.welfare(w, code)

        base = payoff(obs.t)
        scores = []
        for rate in candidates:
            change = tariff_change(obs.world, obs.me, [code], float(rate))
            scores.append(payoff(apply_change(obs.t, obs.t0, change, basis="total")))
        k = int(np.argmax(scores))
        return float(candidates[k]) if scores[k] > base + 1e-9 else None


