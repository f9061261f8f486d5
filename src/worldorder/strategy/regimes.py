"""Carney's comparison: subordination, fortress or coalition for the middle powers.

Under the 2025 US tariffs (the ``us-2025`` record up to its first deal: the April rates, China at
145%), the middle powers can

* **subordinate**: each strikes a bilateral deal with the United States (the US charges it
  ``deal_rate`` all-in, 15% as in the Japanese, EU, Korean and Swiss deals, and it removes its
  tariffs on US goods);
* **build fortresses**: each raises a "strategic autonomy" tariff on everyone, a best response to
  the others' fortresses — by default in a world of fortresses where every economy but the
  hegemon does the same (the Nash equilibrium in uniform tariffs; Ossa 2014), or with only the
  middle powers raising them (``fortress="members"``);
* **form a coalition**: free trade among themselves and one joint optimal response to the US
  (Carney, Davos 2026: "collective investments in resilience are cheaper than everyone building
  their own fortresses"; "if we're not at the table, we're on the menu").

:func:`regime_scenarios` writes the three as scenarios (the bundled ``middle-powers``,
``middle-powers-subordination`` and ``middle-powers-fortress`` are these for the default list);
:func:`compare_regimes` runs them beside the status quo and tabulates each member's welfare.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = ["MIDDLE_POWERS", "REGIMES", "compare_regimes", "regime_scenarios", "regime_table"]

MIDDLE_POWERS = ("EU", "JPN", "KOR", "CAN", "GBR", "AUS", "MEX", "CHE", "NOR")
FORK = {"from": "us-2025", "at": "2025-05-08"}  # the April rates, before the first deal
DATE = "2025-06-01"
REGIMES = ("status_quo", "subordination", "fortress", "coalition")


def regime_scenarios(members: Sequence[str] = MIDDLE_POWERS, *, hegemon: str = "USA",
                     deal_rate: float = 0.15, dataset: str = "world-2024",
                     fortress: str = "everyone", world: Any = None
                     ) -> dict[str, dict[str, Any]]:
    """The status quo and the three regimes as scenario mappings (for ``Scenario.from_dict``).

    Args:
        members: The middle powers (economies or groups, e.g. ``EU``).
        hegemon: The economy whose tariffs are given.
        deal_rate: The all-in rate of the bilateral deals.
        dataset: Dataset of the scenarios.
        fortress: ``everyone``: every economy but the hegemon raises its autonomy tariff (a
            world of fortresses; the Nash equilibrium among all of them); ``members``: only the
            middle powers do, the rest of the world does not respond.
        world: The World (needed for ``fortress="everyone"``; loaded from ``dataset`` if None).
    """
    members = list(members)
    who = ", ".join(members)
    players = list(members)
    if fortress == "everyone":
        if world is None:
            from worldorder.data import load_world

            world = load_world(dataset)
        inside = set(world.expand(members)) | {hegemon}
        players += [c for c in world.codes if c not in inside]
    elif fortress != "members":
        raise ValueError(f"fortress: {fortress!r} is not 'everyone' or 'members'")
    scope = ("and so does every other economy but " + hegemon) if fortress == "everyone" else \
        "the rest of the world does not respond"

    def scenario(name: str, description: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
        return {"name": name, "description": description, "dataset": dataset, "fork": FORK,
                "steps": [{"date": DATE, "source": "counterfactual regime", **s} for s in steps]}

    return {
        "status_quo": scenario(
            "middle-powers-status-quo",
            f"The 2025 US tariffs (April rates) with no response by {who}.", []),
        "subordination": scenario(
            "middle-powers-subordination",
            f"Subordination: {who} each strike a bilateral deal with {hegemon} "
            f"({100 * deal_rate:g}% all-in on them; they remove their tariffs on {hegemon}).",
            [{"tariff_deal": {"imposer": hegemon, "partner": m, "rate": deal_rate,
                              "partner_rate": 0.0}} for m in members]),
        "fortress": scenario(
            "middle-powers-fortress",
            f"Fortress: {who} each raise a strategic-autonomy tariff on everyone, {scope}; each "
            "rate is a best response to the others' (a Nash equilibrium in uniform tariffs, "
            f"{hegemon}'s tariffs given).",
            [{"trade_war": {"players": players, "targets": "all"}}]),
        "coalition": scenario(
            "middle-powers",
            f"Coalition: {who} trade freely among themselves and respond to {hegemon} as one "
            "(the common optimal rate on its goods).",
            [{"coalition": {"members": members, "against": hegemon, "response": "optimal",
                            "internal": "free_trade"}}]),
    }


def compare_regimes(members: Sequence[str] = MIDDLE_POWERS, *, hegemon: str = "USA",
                    deal_rate: float = 0.15, world: Any = None, fortress: str = "everyone",
                    dataset: str = "world-2024") -> pd.DataFrame:
    """Each member's welfare (%) under the status quo and the three regimes, plus the hegemon.

    Rows are the members' economies (a group's members individually) and the hegemon; columns
    ``status_quo, subordination, fortress, coalition`` and ``best`` (the regime with the highest
    welfare for that economy).
    """
    from worldorder.scenarios.scenario import Scenario
    from worldorder.scenarios.timeline import simulate_timeline

    specs = regime_scenarios(members, hegemon=hegemon, deal_rate=deal_rate, dataset=dataset,
                             fortress=fortress, world=world)
    last: dict[str, pd.DataFrame] = {}
    for regime, data in specs.items():
        res = simulate_timeline(Scenario.from_dict(data), world=world)
        world = res.world
        econ = res.economies
        last[regime] = econ[econ["date"] == res.dates[-1]]
    rows = [*world.expand(list(members)), hegemon]
    return regime_table(last, rows)


def regime_table(last: dict[str, pd.DataFrame], rows: Sequence[str]) -> pd.DataFrame:
    """Welfare (%) of ``rows`` in each regime's last-date economies table, and ``best``: the
    regime (status quo included) with the highest welfare for that economy."""
    table = pd.DataFrame({regime: econ.set_index("economy").loc[list(rows), "welfare_pct"]
                          for regime, econ in last.items()})
    table["best"] = table[[r for r in REGIMES if r in table.columns]].idxmax(axis=1)
    return table
