"""Bundled security panels: country-year tables keyed by ISO3 code and year.

The panels (military expenditure, capabilities and CINC, alliance obligations, IGO memberships,
democracy scores, UNGA ideal points, US troops, bases and aid) are built by
``data-raw/security/build.py`` from the shared reference data and shipped as Parquet files in
``worldorder/datasets/security``; ``panel_sources(name)`` gives each one's source, licence,
coverage, columns and caveats.

Keys: ISO 3166 alpha-3 codes; retired ISO 3166-3 codes for dissolved states (``DDR``, ``CSK``,
``YMD``); ``XKX`` for Kosovo; ``COW<ccode>`` for states that never had an ISO code.

Aggregate economies of a trade dataset (``EU-REST``, ``ROW`` in ``world-2024``) are computed on
request by :func:`economy_panel`, never stored: sums of the constituents for amounts and
population-weighted means for scores (the rule of each column is in ``AGGREGATION``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from worldorder.errors import PanelError

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = [
    "AGGREGATION",
    "economy_panel",
    "load_panel",
    "panel_coverage",
    "panel_names",
    "panel_sources",
]

# How each per-economy panel aggregates its constituents into an aggregate economy:
# "sum" columns add up; "mean" columns are population-weighted means (NMC total population of the
# same year), or equal-weighted where a constituent's population is missing (e.g. after 2022);
# "ratio" columns are recomputed from two summed columns (numerator, denominator).
AGGREGATION: dict[str, dict[str, object]] = {
    "milex": {
        "sum": ["milex_const2023_usd_m", "milex_current_usd_m", "gdp_current_usd_m"],
        "ratio": {"milex_share_gdp": ("milex_current_usd_m", "gdp_current_usd_m")},
    },
    "nmc": {"sum": ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]},
    "igo": {"mean": ["igo_full", "igo_associate", "igo_observer", "igo_any"]},
    "democracy": {"mean": ["v2x_polyarchy", "polity2", "xm_qudsest"]},
    "unga": {
        "sum": ["nvotes"],
        "mean": ["ideal_point", "agree_us", "agree_china", "agree_russia", "agree_india",
                 "agree_brazil", "agree_israel"],
    },
    "us_troops": {"sum": ["troops_active", "army", "navy", "air_force", "marine_corps",
                          "reserve", "civilian"]},
    "us_aid": {"sum": ["obligations_current_usd", "obligations_constant_usd",
                       "disbursements_current_usd", "disbursements_constant_usd"]},
}


def _root() -> Path:
    return Path(str(resources.files("worldorder") / "datasets" / "security"))


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict]:
    path = _root() / "panels.toml"
    if not path.is_file():
        raise PanelError(f"the bundled security panels are missing ({path}); reinstall "
                         "worldorder or run data-raw/security/build.py")
    with path.open("rb") as f:
        return tomllib.load(f)


def panel_names() -> list[str]:
    """Names of the bundled panels."""
    return sorted(_catalogue())


def _meta(name: str) -> dict:
    cat = _catalogue()
    if name not in cat:
        raise PanelError(f"unknown panel {name!r} (panels: {', '.join(sorted(cat))})")
    return cat[name]


def panel_sources(name: str) -> dict:
    """A panel's provenance: title, source, licence, key, coverage, columns and caveats."""
    return dict(_meta(name))


def panel_coverage(name: str) -> tuple[int, int] | None:
    """First and last year of a panel (None for a snapshot without a year, e.g. ``us_bases``)."""
    m = _meta(name)
    if "first_year" not in m:
        return None
    return int(m["first_year"]), int(m["last_year"])


@lru_cache(maxsize=16)
def _read(name: str) -> pd.DataFrame:
    m = _meta(name)
    return pd.read_parquet(_root() / m["file"])


@lru_cache(maxsize=32)
def _read_years(name: str, years: tuple[int, ...],
                columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The rows of ``years`` of a panel, kept in Arrow before the conversion to pandas (a
    year of the alliances panel is some 8,500 of its 323,760 rows): the frame of ``_read(name)``
    filtered by year with its index reset, in the same order and types; with ``columns``
    (which must include ``year``), only those columns are read from the file."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(_root() / _meta(name)["file"], use_pandas_metadata=True,
                          columns=list(columns) if columns is not None else None)
    year = table.column("year")
    return table.filter(pc.is_in(year, value_set=pa.array(years, type=year.type))).to_pandas()


def _columns_to_read(name: str, columns: Iterable[str], min_votes: int | None
                     ) -> tuple[str, ...]:
    """The columns ``load_panel`` reads for ``columns``: those, and the ones its filters use
    (year, the ISO3 keys, ``nvotes``), in the file's order.

    Raises:
        PanelError: A column the panel does not have.
    """
    import pyarrow.parquet as pq

    have = pq.read_schema(_root() / _meta(name)["file"]).names
    wanted = list(columns)
    unknown = [c for c in wanted if c not in have]
    if unknown:
        raise PanelError(f"panel {name!r} has no column {unknown[0]!r} (columns: "
                         f"{', '.join(have)})")
    keep = {*wanted, "year", "iso3", "iso3_a", "iso3_b",
            *(["nvotes"] if min_votes is not None else [])}
    return tuple(c for c in have if c in keep)


def _years(name: str, years: int | tuple[int, int] | Iterable[int] | None) -> list[int] | None:
    if years is None:
        return None
    if isinstance(years, int | np.integer):
        wanted = [int(years)]
    elif isinstance(years, tuple) and len(years) == 2:
        lo, hi = int(years[0]), int(years[1])
        if lo > hi:
            raise PanelError(f"panel {name!r}: empty year range {lo}-{hi}")
        wanted = list(range(lo, hi + 1))
    else:
        wanted = [int(y) for y in years]
    cov = panel_coverage(name)
    if cov is None:
        raise PanelError(f"panel {name!r} is a snapshot without years; do not pass years")
    bad = [y for y in wanted if not cov[0] <= y <= cov[1]]
    if bad:
        raise PanelError(f"panel {name!r} covers {cov[0]}-{cov[1]}; year {bad[0]} is outside it "
                         "(panels are not extrapolated)")
    return wanted


def load_panel(name: str, *, years: int | tuple[int, int] | Iterable[int] | None = None,
               economies: Iterable[str] | None = None,
               min_votes: int | None = None,
               columns: Iterable[str] | None = None) -> pd.DataFrame:
    """One bundled panel as a DataFrame (a fresh copy).

    Args:
        name: A panel of :func:`panel_names` (``milex``, ``nmc``, ``alliances``, ``unga``, ...).
        years: One year, an inclusive ``(first, last)`` range or a list of years; every year must
            lie within the panel's coverage.
        economies: ISO3 codes to keep (for ``alliances``: either side of the pair). A code the
            panel never mentions is an error.
        min_votes: ``unga`` only: drop country-sessions resting on fewer votes.
        columns: Keep only these columns, in this order (with ``years``, only they and the
            columns the filters use are read from the file: the same frame as
            ``load_panel(...)[columns]``, sooner).

    Raises:
        PanelError: Unknown panel, a year outside the coverage, an unknown economy or column,
            or ``min_votes`` for a panel other than ``unga``.
    """
    wanted = _years(name, years)
    keep = None if columns is None else [columns] if isinstance(columns, str) else list(columns)
    if wanted is None:
        df = _read(name)
    else:
        read = None if keep is None else _columns_to_read(name, keep, min_votes)
        df = _read_years(name, tuple(sorted(set(wanted))), read)
    if economies is not None:
        codes = [economies] if isinstance(economies, str) else list(economies)
        full = _read(name)
        cols = ["iso3_a", "iso3_b"] if "iso3_a" in full.columns else ["iso3"]
        known = set().union(*(set(full[c].astype(str)) for c in cols))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise PanelError(f"panel {name!r}: unknown economy {unknown[0]!r} (keys are ISO3 "
                             "codes such as 'USA'; for aggregates like 'EU-REST' use "
                             "economy_panel(name, world))")
        mask = np.zeros(len(df), dtype=bool)
        for c in cols:
            mask |= df[c].isin(codes).to_numpy()
        df = df[mask]
    if min_votes is not None:
        if name != "unga":
            raise PanelError(f"panel {name!r}: min_votes applies to the 'unga' panel only")
        df = df[df["nvotes"] >= int(min_votes)]
    if keep is not None:
        missing = [c for c in keep if c not in df.columns]
        if missing:
            raise PanelError(f"panel {name!r} has no column {missing[0]!r} (columns: "
                             f"{', '.join(map(str, df.columns))})")
        df = df[keep]
    return df.reset_index(drop=True).copy()


def _members(world: World, present: set[str]) -> dict[str, list[str]]:
    """ISO3 constituents of every economy of ``world``; ``ROW`` takes the rest of ``present``."""
    out: dict[str, list[str]] = {}
    covered: set[str] = set()
    for code in world.codes:
        if code in world.constituents:
            out[code] = list(world.constituents[code])
        elif code != "ROW":
            out[code] = [code]
        covered.update(out.get(code, []))
    if "ROW" in world.codes and "ROW" not in world.constituents:
        out["ROW"] = sorted(present - covered)
    return out


def _column(df: pd.DataFrame, c: str) -> np.ndarray | pd.Series:
    """A column as a NumPy array when its dtype is plain float or integer (else the Series)."""
    dt = df[c].dtype
    if isinstance(dt, np.dtype) and dt.kind in "fiu":
        return df[c].to_numpy()
    return df[c]


def _sum_min_count1(v: np.ndarray) -> object:
    """``Series.sum(min_count=1)`` of a float or integer array: NaN skipped, NaN if all are."""
    if v.dtype.kind != "f":
        return v.sum(dtype=np.int64 if v.dtype.kind == "i" else np.uint64)
    nan = np.isnan(v)
    if nan.all():
        return np.nan
    return np.where(nan, 0.0, v).sum() if nan.any() else v.sum()


def _one_row(rec: dict[str, object], i: int, sum_cols: Mapping[str, np.ndarray | pd.Series],
             mean_cols: Mapping[str, np.ndarray], weights: np.ndarray | None) -> None:
    """The sums and means of :func:`economy_panel` for an economy of one state (row ``i``),
    bit for bit those of its arrays of one element: a sum is the value (NaN stays NaN, integers
    widen as ``_sum_min_count1`` does), a weighted mean is (w v) / w, an equal-weighted one v."""
    for c, col in sum_cols.items():
        if not isinstance(col, np.ndarray):
            rec[c] = col.loc[[i]].sum(min_count=1)
        elif col.dtype.kind == "f":
            rec[c] = np.nan if np.isnan(col[i]) else col[i]
        else:
            rec[c] = (np.int64 if col.dtype.kind == "i" else np.uint64)(col[i])
    if not mean_cols:
        return
    w = float(weights[i]) if weights is not None else float("nan")
    equal = w != w
    rec["weights"] = "equal" if equal else "population"
    for c, col in mean_cols.items():
        v = float(col[i])
        rec[c] = np.nan if v != v else v if equal else w * v / w


def economy_panel(name: str, world: World, *,
                  years: int | tuple[int, int] | Iterable[int] | None = None,
                  rules: Mapping[str, object] | None = None) -> pd.DataFrame:
    """A per-country panel re-keyed by the economies of a dataset, aggregates included.

    Every economy ``e`` of ``world`` with constituents ``C(e)`` (``EU-REST``: its member states;
    ``ROW`` without listed constituents: every panel key of that year not covered by another
    economy) gets, per year,

    - sums ``x_e = Σ_{c∈C(e)} x_c`` for amounts (spending, troops, aid, population, CINC), over
      the constituents with data (``n_constituents`` counts them);
    - population-weighted means ``s_e = Σ w_c s_c / Σ w_c`` for scores (democracy, ideal points,
      agreement, IGO counts), with ``w_c`` the NMC population of the same year, and equal weights
      when any weight is missing (``weights`` says which);
    - ratios recomputed from summed parts (``milex_share_gdp = Σ milex / Σ GDP``).

    A named economy that is a single country keeps its own row. The rules are ``AGGREGATION``
    unless ``rules`` gives others (same layout).

    Raises:
        PanelError: For panels that are not per-country (``alliances``, ``us_bases``, ...) and
            for years outside the panel.
    """
    rule = dict(rules) if rules is not None else AGGREGATION.get(name)
    if rule is None:
        raise PanelError(f"panel {name!r} is not a per-country panel that can be aggregated "
                         f"(these are: {', '.join(sorted(AGGREGATION))})")
    df = load_panel(name, years=years)
    sums = list(rule.get("sum", []))
    means = list(rule.get("mean", []))
    ratios = dict(rule.get("ratio", {}))
    weights = None
    if means:
        pop = _read_years("nmc", tuple(sorted({int(y) for y in df["year"]})))[
            ["iso3", "year", "tpop"]]
        weights = df[["iso3", "year"]].merge(pop, on=["iso3", "year"], how="left")["tpop"]
        weights = weights.to_numpy(dtype=float)
    # the columns as arrays once (df has a RangeIndex, so labels are positions): one pass of
    # NumPy per economy instead of pandas indexing, the same sums in the same order
    sum_cols = {c: _column(df, c) for c in sums}
    mean_cols = {c: df[c].to_numpy(dtype=float) for c in means}
    rows = []
    for year, part in df.groupby("year", sort=True):
        idx = part.index.to_numpy()
        members = _members(world, set(part["iso3"]))
        pos = {c: i for i, c in zip(idx, part["iso3"], strict=True)}
        for econ, cs in members.items():
            rows_i = [pos[c] for c in cs if c in pos]
            if not rows_i:
                continue
            rec: dict[str, object] = {"economy": econ, "year": int(year),
                                      "n_constituents": len(rows_i)}
            if len(rows_i) == 1:  # a single state: the same numbers without array calls
                _one_row(rec, rows_i[0], sum_cols, mean_cols, weights)
                rows.append(rec)
                continue
            for c in sums:
                col = sum_cols[c]
                rec[c] = _sum_min_count1(col[rows_i]) if isinstance(col, np.ndarray) \
                    else col.loc[rows_i].sum(min_count=1)
            if means:
                w = weights[rows_i] if weights is not None else np.full(len(rows_i), np.nan)
                equal = bool(np.isnan(w).any())
                rec["weights"] = "equal" if equal else "population"
                for c in means:
                    v = mean_cols[c][rows_i]
                    ok = ~np.isnan(v)
                    ww = np.ones_like(v) if equal else w
                    rec[c] = float(np.sum(ww[ok] * v[ok]) / np.sum(ww[ok])) if ok.any() \
                        else np.nan
            rows.append(rec)
    out = pd.DataFrame(rows)
    for c, (num, den) in ratios.items():
        out[c] = out[num] / out[den].where(out[den] > 0)
    return out
