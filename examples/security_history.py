"""Power, polarity, offshore balancing and burden-sharing from the bundled security panels.

Run: ``python examples/security_history.py``. Prints, from the bundled data only:

1. CINC shares of the top five and the effective number of poles in 1990, 2010 and 2022;
2. the year China first passes the US on CINC (after 1945);
3. the offshore-balancing verdict for each region in 2022 (military and latent power);
4. NATO's rank correlation between GDP and the defence share of GDP (1960, 1990, 2014, 2024);
5. how many NATO allies spend at least 2% of GDP in 2014 and 2024 (SIPRI's measure);
6. the yearly cost in 2035 of the 5% pledge for the ten largest allies, and the US saving;
7. the spatial demand model estimated on the NATO panel.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from worldorder.data.panels import load_panel
from worldorder.security import (
    CoerciveBurdenSharing,
    PledgeCompliance,
    first_overtaking,
    get_model,
    patron_saving,
    pledge_baseline,
)
from worldorder.security.public_good import allies_at_or_above, exploitation_test


def polarity() -> None:
    print("1. CINC (COW NMC v7): top five shares and effective number of poles")
    table = get_model("polarity", index="cinc", system="all", top=5).table([1990, 2010, 2022])
    top5 = get_model("polarity", index="cinc", system=5).table([1990, 2010, 2022])
    for (_, r), (_, r5) in zip(table.iterrows(), top5.iterrows(), strict=True):
        print(f"   {r['year']}: {r['top']}")
        print(f"      effective poles {r['effective_poles']:.2f} ({r['n']} states), "
              f"{r5['effective_poles']:.2f} in the top 5; CON(top 5) {r5['con']:.3f}")
    year = first_overtaking("cinc", "USA", "CHN", range(1946, 2023))
    print(f"2. China first passes the US on CINC in {year} (after 1945; the US leads")
    print("   again in 2002 only)")


def offshore() -> None:
    print("3. Offshore balancing in 2022 (balancers' power / the rival's; holds if >= 1)")
    for name, params in (("offshore-balancing", {}), ("offshore-balancing-latent", {}),
                         ("offshore-balancing", {"index": "cinc"})):
        t = get_model(name, **params).table([2022])
        print(f"   {name} (index {t['index'].iloc[0]}):")
        print("     region         rival ratio implied  actual   US troops pacts")
        for _, r in t.iterrows():
            print(f"     {r['region']:14s} {r['leader']} {r['balancer_ratio']:5.2f} "
                  f"{r['implied_posture']:8s} {r['actual_posture']:8s}"
                  f" {r['us_troops']:7,.0f} {r['us_defence_pacts']:3d}")


def burden() -> None:
    print("4. NATO: Spearman rank correlation of GDP and defence share of GDP (SIPRI)")
    for y in (1960, 1990, 2014, 2024):
        e = exploitation_test(y)
        print(f"   {y}: {e['spearman']:+.2f} (p = {e['p_value']:.3f}, n = {e['n']}; "
              f"no data: {e['missing'] or '-'})")
    print("5. NATO allies at or above 2% of GDP (SIPRI)")
    for y in (2014, 2024):
        a = allies_at_or_above(y)
        nato = load_panel("nato")
        n = int((nato["accession_year"] <= y).sum())
        print(textwrap.fill(f"{y}: {len(a)} of {n} ({', '.join(a['iso3'])})", 78,
                            initial_indent="   ", subsequent_indent="         "))
        r = allies_at_or_above(y, decimals=1)
        print(f"         {len(r)} with shares rounded to 0.1% as SIPRI publishes them")
    base = pledge_baseline(2024)
    path = PledgeCompliance(target=0.05).path(base)
    coerced = CoerciveBurdenSharing(target=0.05, credibility=0.5).path(base)
    end = path[path["year"] == 2035].set_index("iso3")
    cend = coerced[coerced["year"] == 2035].set_index("iso3")
    top = base.dropna().nlargest(10, "gdp")["iso3"]
    print("6. The 5% pledge in 2035 (2024 GDP and prices, US$ bn): ten largest allies")
    print("                                       full compliance   coercive, c = 0.5")
    print("   ally  share24  spend24  spend35  extra/yr          extra/yr     gap")
    b = base.set_index("iso3")
    for c in top:
        print(f"   {c}   {b.loc[c, 'share']:6.2%}  {b.loc[c, 'milex'] / 1e3:7.1f}  "
              f"{end.loc[c, 'spending'] / 1e3:7.1f}  {end.loc[c, 'extra_cost'] / 1e3:8.1f}"
              f"          {cend.loc[c, 'extra_cost'] / 1e3:8.1f}  "
              f"{cend.loc[c, 'gap_to_pledge'] / 1e3:6.1f}")
    tot = end.loc[list(top), "extra_cost"].sum() / 1e3
    print(f"   ten largest: {tot:.1f} bn a year more in 2035; all allies: "
          f"{end['extra_cost'].sum() / 1e3:.1f} bn")
    core = PledgeCompliance(target=0.035).path(base)
    cend35 = core[core["year"] == 2035].set_index("iso3")
    core_top = cend35.loc[list(top), "extra_cost"].sum() / 1e3
    print(f"   the 3.5% core part alone: ten largest {core_top:.1f} bn, all allies "
          f"{cend35['extra_cost'].sum() / 1e3:.1f} bn")
    s = patron_saving(path)
    s35 = s[s["year"] == 2035].set_index("model")
    for m, r in s35.iterrows():
        print(f"   US saving in 2035 if it best-responds, {m}: {r['saving'] / 1e3:.1f} bn")
        print(f"     (US spending {r['patron_before'] / 1e3:.0f} -> "
              f"{r['patron_after'] / 1e3:.0f} bn)")


def spatial() -> None:
    print("7. Spatial demand m = rho W m + phi m(-1) + X beta + mu (NATO, 1993-2024, 2SLS)")
    for weights in ("alliance", "alliance-gdp"):
        est = get_model("spatial-demand", weights=weights).fit()
        print(f"   W = {weights}: n = {est.n_obs} ally-years, {est.n_units} allies, "
              f"first-stage F = {est.first_stage_f:.0f}")
        for r in est.table().itertuples():
            print(f"     {r.term:11s} {r.estimate:+.3f}  (s.e. {r.std_error:.3f})")


def main() -> None:
    pd.set_option("display.width", 80)
    polarity()
    offshore()
    burden()
    spatial()


if __name__ == "__main__":
    main()
