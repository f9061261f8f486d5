"""The Python API in a few lines: run a bundled scenario, then a variation of it.

Run: ``python examples/api_quickstart.py``.
"""

from __future__ import annotations

import worldorder as wo


def main() -> None:
    result = wo.simulate("liberation-day-2025")
    econ = result.economies.set_index("economy")
    print(econ.loc[["USA", "CHN", "CAN", "MEX", "DEU", "VNM"],
                   ["welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct"]]
          .round(2))
    print("solver:", result.solver)

    # The same tariffs in the Armington special case (Dekle-Eaton-Kortum exact hat algebra)
    scenario = wo.load_scenario("liberation-day-2025")
    variant = wo.Scenario.from_dict(
        scenario.model_dump(exclude={"policies"}) | {
            "name": "liberation-day-armington",
            "model": {"preset": "armington"},
            "policies": [{type(a).name: a.model_dump()} for a in scenario.policies],
        })
    alt = wo.simulate(variant).economies.set_index("economy")
    print("US welfare, ignatenko2025 vs armington (%):",
          round(econ.loc["USA", "welfare_pct"], 3), round(alt.loc["USA", "welfare_pct"], 3))

    # The optimal uniform US tariff, numerically and by the closed form, with deficits purged
    # first (Ossa 2014), the clean benchmark
    from worldorder.trade.instruments import optimal_tariff

    world = wo.load_world("world-2024")
    params = wo.resolve_params(world, "ignatenko2025", closure="balanced")
    print("optimal US tariff:", optimal_tariff(world, params, "USA"))


if __name__ == "__main__":
    main()
