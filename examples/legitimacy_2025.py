"""US legitimacy and the rules-based order through the 2025 record, and its price in bargaining.

Runs ``us-2025``, computes the rules-based-order index (``RulesBasedOrder``) and US legitimacy
with every economy (``Legitimacy``, default parameters), then the Nash bargain the model
predicts with the EU, Japan and Korea at the legitimacy of February and of November 2025: same
threat (the April 2025 rate) and same end-2024 tariffs, so that only legitimacy differs.

    python examples/legitimacy_2025.py
"""

from __future__ import annotations

import numpy as np

from worldorder.scenarios.timeline import simulate_timeline
from worldorder.security.institutions import RulesBasedOrder
from worldorder.security.legitimacy import Legitimacy
from worldorder.strategy.bargaining import actual_deals_2025, bargain, dependence_weight
from worldorder.trade.evaluator import Evaluator

PARTNERS = ("EU", "JPN", "KOR")
SHOWN = ("EU", "JPN", "KOR", "CAN", "IND")


def in_force(dates: list[str], on: str) -> str:
    """The last date of the record on or before ``on``."""
    return max(d for d in dates if d <= on)


def main() -> None:
    run = simulate_timeline("us-2025")
    w = run.world
    order = RulesBasedOrder().compute(run)
    first, last = order.iloc[0], order.iloc[-1]
    comps = ["multilateralism", "mfn", "non_coercion", "institutions_intact", "index"]
    print("Rules-based order index (components and composite, equal weights)")
    for row in (first, last):
        print(f"  {row['date']:>10}: " + "  ".join(f"{c} {row[c]:.3f}" for c in comps))

    leg = Legitimacy().compute(run)
    dates = [d for d in leg["date"].unique() if d != "baseline"]
    feb, nov = in_force(dates, "2025-02-28"), in_force(dates, "2025-11-30")
    end = dates[-1]

    def r_of(code: str, date: str) -> float:
        sub = leg[(leg["date"] == date)].set_index("economy")["R"]
        members = w.expand(code)
        gdp = np.array([w.gdp[w.index(c)] for c in members])
        return float(np.average([sub[c] for c in members], weights=gdp))

    print("\nUS legitimacy R (1 = end 2024; EU = GDP-weighted over its members)")
    print("  economy  " + "  ".join(f"{d:>10}" for d in ("baseline", feb, nov, end)))
    for code in SHOWN:
        vals = [1.0, r_of(code, feb), r_of(code, nov), r_of(code, end)]
        print(f"  {code:7}  " + "  ".join(f"{v:10.3f}" for v in vals))

    ev = Evaluator(w, run.params)
    deals = actual_deals_2025().set_index("partner")
    print("\nPredicted deal with the US (rates all-in, transfer USD bn/yr, welfare %)")
    print("  partner  month  R      beta   US rate  P rate  transfer  W(US)   W(P)")
    for p in PARTNERS:
        thr = float(deals.loc[p, "threat_pct"]) / 100.0
        beta = dependence_weight(w, "USA", p)
        for label, date in (("Feb", feb), ("Nov", nov)):
            r = r_of(p, date)
            res = bargain(ev, "USA", p, ev.t0, thr, legitimacy=r)
            d = res.deal
            print(f"  {p:7}  {label:5}  {r:.3f}  {res.weight_hegemon:.3f}  "
                  f"{100 * d.hegemon_rate:6.2f}%  {100 * d.partner_rate:5.2f}%  "
                  f"{d.transfer:8.2f}  {d.welfare_hegemon:+.3f}  {d.welfare_partner:+.3f}")
        print(f"  {'':7}  (β from dependence alone: {beta:.3f})")


if __name__ == "__main__":
    main()
