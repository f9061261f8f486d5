"""``worldorder strategy``: bargaining and coalitions from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

strategy_app = typer.Typer(help="Strategic responses: coercive bargaining, coalitions.",
                           no_args_is_help=True)
console = Console(width=None if __import__("sys").stdout.isatty() else 160)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def _model(dataset: str, preset: str, closure: str) -> tuple:
    from worldorder.data import load_world
    from worldorder.errors import WorldorderError
    from worldorder.trade.evaluator import Evaluator
    from worldorder.trade.params import resolve_params

    world = load_world(dataset)
    try:
        params = resolve_params(world, preset, closure=closure)
    except ValueError as exc:
        raise WorldorderError(str(exc)) from None
    return world, Evaluator(world, params)


@strategy_app.command("bargain")
def bargain_cmd(
    hegemon: Annotated[str, typer.Option(help="The economy that threatens.")] = "USA",
    partners: Annotated[str, typer.Option(help="Comma-separated partners (economies or "
                                          "groups).")] = "EU,JPN,KOR,GBR,VNM,IDN,PHL,CHE,IND",
    threat: Annotated[float | None, typer.Option(help="Threatened additional tariff for "
                                                 "partners without a recorded 2025 threat "
                                                 "(0.25 = 25%).")] = 0.25,
    weight: Annotated[float | None, typer.Option(help="The hegemon's bargaining weight "
                                                 "(default: from mutual dependence).")] = None,
    realisation: Annotated[float, typer.Option(help="Share of headline pledges realised.")
                           ] = 0.5,
    pledge_years: Annotated[float, typer.Option(help="Years over which pledges are spread.")
                            ] = 4.0,
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    preset: Annotated[str, typer.Option(help="Model preset.")] = "ignatenko2025",
    closure: Annotated[str, typer.Option(help="fixed_transfers, balanced or proportional.")
                       ] = "fixed_transfers",
) -> None:
    """Threat, trade war and Nash-bargained deal for each partner, beside the actual 2025 deal.

    Rates are all-in tariffs; welfare in percent (income-weighted over a group's members);
    the pledge is the realised annual transfer, and its headline equivalent over the stated
    years at the stated realisation."""
    from worldorder.strategy.bargaining import actual_deals_2025, bargain

    world, ev = _model(dataset, preset, closure)
    deals = actual_deals_2025().set_index("partner")
    unit = world.units.get("trade", "")
    t = Table(title=f"{hegemon}'s threats and deals ({preset}, {closure}); rates all-in, "
              "welfare % (H / P)", title_justify="left", header_style="bold", pad_edge=False)
    for col in ("Partner", "β(H)", "Threat", "W threat", "War H/P", "W war", "Deal H/P",
                "Pledge/yr", "W deal", "Actual 2025 deal", "W actual"):
        t.add_column(col, justify="left" if col in ("Partner", "Actual 2025 deal") else "right",
                     no_wrap=col != "Actual 2025 deal",
                     min_width=24 if col == "Actual 2025 deal" else None)
    for partner in _codes(partners):
        row = deals.loc[partner].to_dict() if partner in deals.index else None
        thr = row["threat_pct"] / 100.0 if row else float(threat or 0.0)
        res = bargain(ev, hegemon, partner, ev.t0, thr, weight=weight, actual=row,
                      pledge_years=pledge_years, realisation=realisation)

        def pair(a: float, b: float) -> str:
            return f"{a:+.2f} / {b:+.2f}"

        def rates(a: float, b: float) -> str:
            return f"{100 * a:.0f}% / {100 * b:.0f}%"

        actual, actual_w = "–", "–"
        if row:
            pl = []
            for key, label in (("investment_usd_bn", "inv"), ("purchases_usd_bn", "buy")):
                v = row.get(key)
                if v == v and v:  # not NaN, not zero
                    pl.append(f"{label} ${v:g}bn")
            basis = "all-in" if row["deal_basis"] == "all-in" else "+"
            actual = f"{row['deal_pct']:g}% {basis} {str(row['deal_date'])[:7]}" + \
                (f"; {', '.join(pl)}" if pl else "")
        if res.actual is not None:
            actual_w = pair(res.actual.welfare_hegemon, res.actual.welfare_partner)
        t.add_row(partner, f"{res.weight_hegemon:.2f}", f"+{100 * thr:.0f}%",
                  pair(res.threat.welfare_hegemon, res.threat.welfare_partner),
                  rates(res.war.hegemon_rate, res.war.partner_rate),
                  pair(res.war.welfare_hegemon, res.war.welfare_partner),
                  rates(res.deal.hegemon_rate, res.deal.partner_rate),
                  f"{res.deal.transfer:,.1f}",
                  pair(res.deal.welfare_hegemon, res.deal.welfare_partner), actual, actual_w)
    console.print(t)
    console.print(f"[dim]W: welfare change in % for H / P. Pledge/yr: realised annual transfer "
                  f"from P to H in {unit}. Threat: the April 2025 rate (additional) for "
                  f"partners in the bundled record, else --threat. War: alternating best "
                  f"responses from the threat. "
                  f"Deal: Nash bargaining solution over both rates and an annual transfer "
                  f"(realised pledge); actual pledges are evaluated at {100 * realisation:g}% "
                  f"realised over {pledge_years:g} years, purchases as a demand shift.[/dim]",
                  soft_wrap=True)


def _us_tariffs(ev: object, scenario: str) -> object:
    """The tariff matrix at the last date of ``scenario`` (on the evaluator's World)."""
    from worldorder.scenarios.timeline import simulate_timeline

    res = simulate_timeline(scenario, world=ev.world)  # type: ignore[attr-defined]
    return res.tariff_history[list(res.tariff_history)[-1]]


@strategy_app.command("coalitions")
def coalitions_cmd(
    candidates: Annotated[str, typer.Option(help="Comma-separated candidates (economies or "
                                            "groups; a group is one player).")
                          ] = "EU,JPN,KOR,CAN,GBR,AUS,MEX,CHE,NOR",
    hegemon: Annotated[str, typer.Option(help="The economy the coalition answers.")] = "USA",
    scenario: Annotated[str, typer.Option(help="Scenario whose last tariffs are the starting "
                                          "point.")] = "liberation-day-2025",
    response: Annotated[str, typer.Option(help="optimal, mirror or none.")] = "optimal",
    top: Annotated[int, typer.Option(help="Coalitions to list.")] = 10,
    workers: Annotated[int | None, typer.Option(help="Processes (default: all CPUs).")] = None,
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
    preset: Annotated[str, typer.Option(help="Model preset.")] = "ignatenko2025",
    closure: Annotated[str, typer.Option(help="fixed_transfers, balanced or proportional.")
                       ] = "fixed_transfers",
) -> None:
    """Every coalition of the candidates against the hegemon: values, stability, core, Shapley.

    A coalition trades freely inside and answers the hegemon as one (``--response``); its value
    is the money-metric welfare gain of its members. Exhaustive up to 12 candidates."""
    from worldorder.strategy.coalition_games import core_nonempty, least_core, shapley
    from worldorder.strategy.coalitions import coalition_outcomes, stable_coalitions

    world, ev = _model(dataset, preset, closure)
    t = _us_tariffs(ev, scenario)
    tab = coalition_outcomes(ev, _codes(candidates), hegemon, t, response=response,  # type: ignore[arg-type]
                             workers=workers)
    unit = world.units.get("trade", "")
    frame = tab.frame().sort_values("surplus", ascending=False)
    table = Table(title=f"Coalitions against {hegemon} after {scenario} ({response} response; "
                  f"{len(tab.masks)} coalitions{'' if tab.exhaustive else ', heuristic'}); "
                  f"values in {unit}", title_justify="left", header_style="bold",
                  pad_edge=False)
    cols = [("coalition", "Coalition"), ("size", "Size"), ("rate", "Rate on " + hegemon),
            ("value", "Value"), ("surplus", "Surplus"), ("welfare_pct", "Members' welfare %"),
            ("hegemon_welfare_pct", f"{hegemon} welfare %")]
    for _, label in cols:
        table.add_column(label, justify="left" if label == "Coalition" else "right")
    for _, row in frame.head(top).iterrows():
        table.add_row(str(row["coalition"]), str(int(row["size"])),
                      "–" if row["rate"] != row["rate"] else f"{100 * row['rate']:.1f}%",
                      f"{row['value']:,.1f}", f"{row['surplus']:,.1f}",
                      f"{row['welfare_pct']:+.3f}", f"{row['hegemon_welfare_pct']:+.3f}")
    console.print(table)
    stable = stable_coalitions(tab, min_size=2)
    console.print(f"Stable coalitions (internally and externally, size ≥ 2): "
                  f"{'; '.join('+'.join(c) for c in stable) if stable else 'none'}")
    if tab.exhaustive:
        game = tab.game(relative_to="status_quo")
        ok, _ = core_nonempty(game, tab.players)
        eps, _ = least_core(game, tab.players)
        console.print(f"Core of the TU game (worth = members' money-metric gain over the status "
                      f"quo, {unit}): "
                      f"{'non-empty' if ok else 'empty'} (least-core ε = {eps:,.3f})")
        sh = shapley(game, tab.players)
        console.print("Shapley values (" + unit + "): " +
                      ", ".join(f"{p} {v:,.2f}" for p, v in sh.items()))


@strategy_app.command("middle-powers")
def middle_powers_cmd(
    members: Annotated[str, typer.Option(help="Comma-separated middle powers.")
                       ] = "EU,JPN,KOR,CAN,GBR,AUS,MEX,CHE,NOR",
    hegemon: Annotated[str, typer.Option(help="The economy whose tariffs are given.")] = "USA",
    deal_rate: Annotated[float, typer.Option(help="All-in rate of the bilateral deals.")
                         ] = 0.15,
    fortress: Annotated[str, typer.Option(help="everyone (a world of fortresses) or members.")
                        ] = "everyone",
    dataset: Annotated[str, typer.Option(help="Bundled dataset or folder.")] = "world-2024",
) -> None:
    """Carney's comparison: subordination, fortress or coalition under the 2025 US tariffs."""
    from worldorder.data import load_world
    from worldorder.strategy.regimes import compare_regimes

    world = load_world(dataset)
    table = compare_regimes(_codes(members), hegemon=hegemon, deal_rate=deal_rate,
                            world=world, fortress=fortress, dataset=dataset)
    t = Table(title=f"Welfare (%) of the middle powers under the 2025 {hegemon} tariffs (April "
              "rates)", title_justify="left", header_style="bold", pad_edge=False)
    for col in ("Economy", "Status quo", "Subordination", "Fortress", "Coalition", "Best"):
        t.add_column(col, justify="left" if col in ("Economy", "Best") else "right")
    for code, row in table.iterrows():
        t.add_row(str(code), *[f"{row[c]:+.2f}" for c in ("status_quo", "subordination",
                                                         "fortress", "coalition")],
                  str(row["best"]))
    console.print(t)
    console.print(f"[dim]Subordination: bilateral deals ({100 * deal_rate:g}% all-in, no "
                  f"tariffs on {hegemon}). Fortress: autonomy tariffs on everyone, a Nash "
                  f"equilibrium ({fortress}). Coalition: internal free trade and one optimal "
                  f"response to {hegemon}. Scenarios: middle-powers, middle-powers-"
                  "subordination, middle-powers-fortress.[/dim]", soft_wrap=True)
