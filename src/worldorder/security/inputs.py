"""The bundled panels as the security layers use them on the dates of a simulation.

The panels end before the dates a scenario simulates (SIPRI in 2024, COW NMC in 2022, UNGA in
2023, US troops in 2024, ATOP brought to 2024). The layers therefore start every date from a
*base year* of each panel and move only what the simulation moves (GDP with the trade model's
real income, military spending with pledges, troops with ``troop_posture``); the years used are
recorded row by row in the ``security_basis`` table, so that no extrapolation is silent. A base
year outside a panel's coverage is an error (:class:`~worldorder.errors.PanelError`).

Each economy of a dataset is mapped to the ISO3 states it stands for: itself, the constituents
of an aggregate (``EU-REST``), and for ``ROW`` without listed constituents every state of the
panel not covered by another economy. Reads are cached per dataset and year (the panels are
read once per process).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from worldorder.data.panels import load_panel, panel_coverage
from worldorder.data.world import World
from worldorder.errors import PanelError

__all__ = ["CountryBase", "country_base", "economy_sums", "fractional_year", "home_map",
           "panel_year"]


def panel_year(panel: str, year: int, what: str) -> int:
    """``year`` if the panel covers it; else a :class:`PanelError` naming the parameter."""
    cov = panel_coverage(panel)
    if cov is None or not cov[0] <= year <= cov[1]:
        span = "no years" if cov is None else f"{cov[0]}-{cov[1]}"
        raise PanelError(f"security parameter {what} = {year}: panel {panel!r} covers {span} "
                         "(panels are not extrapolated; choose a year inside it)")
    return int(year)


def home_map(world: World, states: Sequence[str]) -> dict[str, str]:
    """ISO3 state -> the dataset economy that holds it (states held by none are left out)."""
    home: dict[str, str] = {}
    for code in world.codes:
        if code in world.constituents:
            home.update({c: code for c in world.constituents[code]})
        elif code != "ROW":
            home[code] = code
    if "ROW" in world.codes and "ROW" not in world.constituents:
        home.update({s: "ROW" for s in states if s not in home})
    return {s: home[s] for s in states if s in home}


@dataclass(frozen=True)
class CountryBase:
    """State-level base figures of one dataset.

    Attributes:
        table: One row per ISO3 state held by an economy of the dataset: ``iso3, economy,
            gdp`` (US$ m, SIPRI's implied GDP of ``milex_year``), ``milex`` (US$ m, current),
            ``share`` (milex / GDP), ``population`` (thousands, NMC ``cinc_year``), ``cinc``
            (``cinc_year``), ``troops`` (US active-duty troops hosted, ``troops_year``).
        us_allies: States with an ATOP defence obligation to the US in ``alliance_year``.
        defence: ``iso3 -> set of defence partners`` in ``alliance_year``.
        years: The panel years used, by panel.
    """

    table: pd.DataFrame
    us_allies: frozenset[str]
    defence: dict[str, frozenset[str]]
    years: dict[str, int]


def _key(world: World) -> tuple:
    return (world.name, tuple(world.codes),
            tuple(sorted((k, tuple(v)) for k, v in world.constituents.items())))


_CACHE: dict[tuple, CountryBase] = {}


def country_base(world: World, milex_year: int, cinc_year: int, troops_year: int,
                 alliance_year: int) -> CountryBase:
    """The state-level base of ``world`` (cached per dataset and years)."""
    key = (*_key(world), milex_year, cinc_year, troops_year, alliance_year)
    if key not in _CACHE:
        _CACHE[key] = _build(world, milex_year, cinc_year, troops_year, alliance_year)
    return _CACHE[key]


@lru_cache(maxsize=8)
def _defence(year: int) -> dict[str, frozenset[str]]:
    al = load_panel("alliances", years=year, columns=["iso3_a", "iso3_b", "defense"])
    al = al[al["defense"] == 1]
    out: dict[str, set[str]] = {}
    for a, b in zip(al["iso3_a"].astype(str), al["iso3_b"].astype(str), strict=True):
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def _build(world: World, milex_year: int, cinc_year: int, troops_year: int,
           alliance_year: int) -> CountryBase:
    years = {"milex": panel_year("milex", milex_year, "base_year"),
             "nmc": panel_year("nmc", cinc_year, "cinc_year"),
             "us_troops": panel_year("us_troops", troops_year, "troops_year"),
             "alliances": panel_year("alliances", alliance_year, "alliance_year")}
    mx = load_panel("milex", years=milex_year, columns=[
        "iso3", "gdp_current_usd_m", "milex_current_usd_m", "milex_share_gdp"])
    mx = mx.rename(columns={"gdp_current_usd_m": "gdp", "milex_current_usd_m": "milex",
                            "milex_share_gdp": "share"})
    nmc = load_panel("nmc", years=cinc_year, columns=["iso3", "tpop", "cinc"]).rename(
        columns={"tpop": "population"})
    tr = load_panel("us_troops", years=troops_year, columns=["iso3", "troops_active"]).rename(
        columns={"troops_active": "troops"})
    df = mx.merge(nmc, on="iso3", how="outer").merge(tr, on="iso3", how="left")
    home = home_map(world, sorted(set(df["iso3"].astype(str))))
    df = df[df["iso3"].isin(home)].copy()
    df.insert(1, "economy", df["iso3"].map(home))
    df["troops"] = df["troops"].fillna(0.0)
    # a state with GDP and spending but no share (or the reverse) keeps what it has
    df["share"] = df["share"].where(df["share"].notna(), df["milex"] / df["gdp"])
    defence = _defence(alliance_year)
    return CountryBase(table=df.sort_values("iso3", ignore_index=True),
                       us_allies=defence.get("USA", frozenset()), defence=defence,
                       years=years)


def economy_sums(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Sums of state-level ``columns`` by dataset economy (NaN where no state has data)."""
    return table.groupby("economy", sort=False)[list(columns)].sum(min_count=1)


def fractional_year(date: str) -> float:
    """``2025-07-02`` -> 2025.5 (day of year over the year's days); NaN for ``undated``."""
    try:
        d = pd.Timestamp(date)
    except ValueError:
        return float("nan")
    days = 366 if d.is_leap_year else 365
    return d.year + (d.day_of_year - 1) / days

