"""Build the bundled dataset ``world-2024`` from the hand-entered tables in ``inputs/``.

Run from anywhere::

    python data-raw/world-2024/build.py [--reference DIR] [--out DIR]

The script reads the CSV files in ``inputs/`` (each row carries its source and a confidence
label) and the measured 2023 bilateral flows of ``trade-baci-2023`` in the project's reference
folder (``--reference``, else ``$WORLDORDER_REFERENCE``, else ``../shared/reference`` beside the
repository). US flows are the US Census Bureau's 2024 figures; every other pair starts from its
measured 2023 flow (CEPII BACI, aggregated to the dataset's economies) and is scaled by RAS to
published 2024 trade totals; only Taiwan's non-US pairs, absent from the 2023 data, are imputed
by a PPML gravity model. It writes the dataset folder ``src/worldorder/datasets/world-2024/``
(or ``--out``). Re-running it gives byte-identical files.

Only numpy, scipy and pandas are used (no statsmodels): PPML is fitted by iteratively
re-weighted least squares.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "inputs"
OUT = HERE.parent.parent / "src" / "worldorder" / "datasets" / "world-2024"
REFERENCE = HERE.parent.parent.parent / "shared" / "reference"
BACI_SOURCE = ("CEPII BACI HS22 V202501, 2023 (measured; Gaulier & Zignago 2010), as assembled in "
               "the replication package of Ignatenko et al. (2025)")
BACI_SCALED = ("estimated: " + BACI_SOURCE + ", aggregated to the dataset's economies and "
               "scaled by RAS to 2024 trade totals (SOURCES.md)")
BACI_CONFIDENCE = "estimated (measured 2023 flow scaled to 2024 totals)"

EU_REST = "EU-REST"
ROW = "ROW"
ORDER = [
    "USA",
    "CAN",
    "MEX",
    "BRA",
    "ARG",
    "DEU",
    "FRA",
    "ITA",
    "ESP",
    "NLD",
    "BEL",
    "POL",
    "SWE",
    "AUT",
    "IRL",
    "EU-REST",
    "GBR",
    "CHE",
    "NOR",
    "TUR",
    "RUS",
    "UKR",
    "CHN",
    "JPN",
    "KOR",
    "TWN",
    "IND",
    "IDN",
    "VNM",
    "THA",
    "MYS",
    "SGP",
    "PHL",
    "KHM",
    "BGD",
    "PAK",
    "AUS",
    "NZL",
    "SAU",
    "ARE",
    "QAT",
    "ISR",
    "IRN",
    "EGY",
    "ZAF",
    "NGA",
    "ROW",
]
EARTH_RADIUS_KM = 6371.0
TRADE_DECIMALS = 4
CENSUS_SOURCE = "US Census Bureau, U.S. Trade in Goods by Country, 2024"


# ---------------------------------------------------------------------------------------------
# Reading inputs
# ---------------------------------------------------------------------------------------------
def read_input(name: str) -> pd.DataFrame:
    """Read ``inputs/<name>.csv`` as strings with empty cells kept empty."""
    return pd.read_csv(INPUTS / f"{name}.csv", dtype=str, keep_default_na=False)


def num(series: pd.Series) -> np.ndarray:
    """Convert a string column to floats (empty cells become NaN)."""
    return pd.to_numeric(series.replace("", np.nan)).to_numpy(dtype=float)


@dataclass
class Economies:
    """The economies of the dataset with their attributes and locations.

    Attributes:
        table: One row per economy in ``ORDER`` with GDP, population, military expenditure,
            region, provenance columns and a representative location.
        points: For each economy, the locations ``(lat, lon, weight)`` its distances are
            averaged over (one point for a country; GDP-weighted members for aggregates).
        checks: Cross-checks printed in the summary and written to SOURCES.md.
    """

    table: pd.DataFrame
    points: dict[str, list[tuple[float, float, float]]]
    checks: dict[str, float] = field(default_factory=dict)


def centroid(points: Iterable[tuple[float, float, float]]) -> tuple[float, float]:
    """Weighted centroid on the sphere (weighted mean of unit vectors, projected back)."""
    xyz = np.zeros(3)
    for lat, lon, w in points:
        la, lo = math.radians(lat), math.radians(lon)
        xyz += w * np.array(
            [math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)]
        )
    x, y, z = xyz
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def load_economies() -> Economies:
    """Assemble the 47 economies: 45 countries, EU-REST (bottom-up) and ROW (residual)."""
    eco = read_input("economies").set_index("code")
    eur = read_input("eu_rest_members")
    rowc = read_input("row_constituents")
    coords = read_input("coordinates").set_index("code")
    tot = read_input("world_totals").set_index("item")
    world = {k: float(v) for k, v in tot["value"].items()}

    gdp = dict(zip(eco.index, num(eco["gdp"]), strict=True))
    pop = dict(zip(eco.index, num(eco["population"]), strict=True))
    mil = dict(zip(eco.index, num(eco["military_expenditure"]), strict=True))

    records: dict[str, dict[str, object]] = {}
    for code, r in eco.iterrows():
        records[str(code)] = {
            "name": r["name"],
            "region": r["region"],
            "gdp": gdp[code],
            "population": pop[code],
            "military_expenditure": mil[code],
            "gdp_source": r["gdp_source"],
            "gdp_confidence": r["gdp_confidence"],
            "population_source": r["population_source"],
            "population_confidence": r["population_confidence"],
            "military_source": r["military_source"],
            "military_confidence": r["military_confidence"],
        }
    # EU-REST: bottom-up sum of the 17 other EU member states.
    eg, ep, em = num(eur["gdp"]), num(eur["population"]), num(eur["military_expenditure"])
    members = " ".join(eur["iso3"])
    records[EU_REST] = {
        "name": "Rest of the European Union (17 member states)",
        "region": "Europe (EU)",
        "gdp": float(eg.sum()),
        "population": float(ep.sum()),
        "military_expenditure": float(em.sum()),
        "gdp_source": (
            "derived: sum over the 17 other EU members (" + members + ") of SIPRI "
            "Military Expenditure Database 2025 current-USD military expenditure "
            "divided by share of GDP; cross-checked against IMF WEO April 2025 EU27 "
            "GDP minus the listed EU members"
        ),
        "gdp_confidence": "derived (aggregate of SIPRI GDP denominators)",
        "population_source": "derived: sum of Eurostat 1 January 2024 populations of the 17",
        "population_confidence": "derived (from recalled Eurostat figures)",
        "military_source": "derived: sum of SIPRI Military Expenditure Database 2025 (2024, "
        "current USD) over the 17",
        "military_confidence": "derived (from the SIPRI workbook copy)",
    }
    listed = list(records)
    sum_gdp = sum(float(records[c]["gdp"]) for c in listed)  # type: ignore[arg-type]
    sum_pop = sum(float(records[c]["population"]) for c in listed)  # type: ignore[arg-type]
    sum_mil = float(
        np.nansum(
            [
                float(records[c]["military_expenditure"])  # type: ignore[arg-type]
                for c in listed
            ]
        )
    )
    no_mil = [c for c in listed if np.isnan(float(records[c]["military_expenditure"]))]  # type: ignore[arg-type]
    records[ROW] = {
        "name": "Rest of the world",
        "region": "Rest of the world",
        "gdp": world["world_gdp"] - sum_gdp,
        "population": world["world_population"] - sum_pop,
        "military_expenditure": world["world_military_expenditure"] - sum_mil,
        "gdp_source": (
            "derived: IMF WEO April 2025 world GDP 2024 (recalled, about USD 110 "
            "trillion) minus all other economies of the dataset"
        ),
        "gdp_confidence": "derived residual (±15%: world total recalled, vintages mixed)",
        "population_source": (
            "derived: UN WPP 2024 world population mid-2024 (recalled) minus "
            "all other economies of the dataset"
        ),
        "population_confidence": "derived residual",
        "military_source": (
            "derived: SIPRI world total 2024 (USD 2718 bn, fact sheet April "
            "2025, recalled) minus all other economies with a SIPRI figure; "
            "includes SIPRI's estimates for " + ", ".join(no_mil)
        ),
        "military_confidence": "derived residual (overstated by the economies SIPRI does not "
        "publish)",
    }
    table = pd.DataFrame.from_dict(records, orient="index").loc[ORDER]
    table.index.name = "code"

    points: dict[str, list[tuple[float, float, float]]] = {}
    place: dict[str, str] = {}
    for code, r in coords.iterrows():
        points[str(code)] = [(float(r["lat"]), float(r["lon"]), gdp[code])]
        place[str(code)] = r["place"]
    points[EU_REST] = [
        (float(a), float(b), float(w))
        for a, b, w in zip(eur["lat"], eur["lon"], eur["gdp"], strict=True)
    ]
    place[EU_REST] = "GDP-weighted centroid of the 17 capitals"
    # ROW constituents: GDP weights scaled up so that they add up to the ROW residual.
    row_scale = float(records[ROW]["gdp"]) / float(num(rowc["gdp_weight"]).sum())  # type: ignore[arg-type]
    points[ROW] = [
        (float(a), float(b), float(w) * row_scale)
        for a, b, w in zip(rowc["lat"], rowc["lon"], rowc["gdp_weight"], strict=True)
    ]
    place[ROW] = f"GDP-weighted centroid of the capitals of {len(rowc)} large ROW economies"
    lat, lon = zip(*(centroid(points[c]) for c in ORDER), strict=True)
    table["lat"] = np.round(lat, 2)
    table["lon"] = np.round(lon, 2)
    table["location"] = [place[c] for c in ORDER]

    checks = {
        "listed_gdp": sum_gdp,
        "world_gdp": world["world_gdp"],
        "share_world_gdp": sum_gdp / world["world_gdp"],
        "eu_rest_gdp": float(eg.sum()),
        "eu_rest_gdp_topdown": world["eu27_gdp"]
        - sum(
            gdp[c] for c in ["DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "POL", "SWE", "AUT", "IRL"]
        ),
        "eu_rest_pop_topdown": world["eu27_population"]
        - sum(
            pop[c] for c in ["DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "POL", "SWE", "AUT", "IRL"]
        ),
        "row_gdp_lower_bound": float(num(rowc["gdp_weight"]).sum()),
        "world_merchandise_exports": world["world_merchandise_exports"],
    }
    return Economies(table=table, points=points, checks=checks)


# ---------------------------------------------------------------------------------------------
# Pair characteristics
# ---------------------------------------------------------------------------------------------
def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_matrix(
    points: dict[str, list[tuple[float, float, float]]], theta: float
) -> np.ndarray:
    """Effective distance between economies (Head & Mayer 2002), for reporting.

    ``d_ij = (sum_k sum_l w_k w_l d_kl^theta)^(1/theta)`` over the GDP-weighted member points
    of each economy (one point for a country); with theta equal to the distance elasticity this
    is the distance at which one point would give the same gravity prediction.
    """
    n = len(ORDER)
    d = np.zeros((n, n))
    for i, a in enumerate(ORDER):
        for j, b in enumerate(ORDER):
            if i == j:
                continue
            pa, pb = points[a], points[b]
            wa = sum(w for *_, w in pa)
            wb = sum(w for *_, w in pb)
            m = sum(
                w1 * w2 * great_circle_km((x1, y1), (x2, y2)) ** theta
                for x1, y1, w1 in pa
                for x2, y2, w2 in pb
            ) / (wa * wb)
            d[i, j] = m ** (1 / theta)
    return d


def expand(token_list: str, groups: dict[str, list[str]]) -> list[str]:
    """Expand a space-separated list of economy codes and group names into codes."""
    out: list[str] = []
    for tok in token_list.split():
        out.extend(groups.get(tok, [tok]))
    for c in out:
        if c not in ORDER:
            raise ValueError(f"unknown economy or group {c!r}")
    return out


def load_groups() -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Read the bloc table and return it with a group -> members mapping."""
    g = read_input("groups")
    mapping: dict[str, list[str]] = {}
    for grp, sub in g.groupby("group", sort=False):
        mapping[str(grp)] = list(sub["member"])
    return g, mapping


def agreement_matrices(
    groups: dict[str, list[str]],
) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, int], str]]:
    """RTA dummy (reciprocal agreements) and zero-tariff preference matrix [importer, exporter].

    Returns:
        rta: symmetric 0/1 matrix of reciprocal trade agreements in force at end-2024.
        zero: 0/1 matrix, ``zero[i, j] = 1`` if importer i grants duty-free access to exporter j.
        why: for each zero-tariff (importer, exporter) cell, the agreement that zeroes it.
    """
    ag = read_input("agreements")
    pos = {c: k for k, c in enumerate(ORDER)}
    n = len(ORDER)
    rta = np.zeros((n, n))
    zero = np.zeros((n, n))
    why: dict[tuple[int, int], str] = {}
    for _, r in ag.iterrows():
        a = expand(r["side_a"], groups)
        b = expand(r["side_b"], groups) if r["side_b"] else a
        cells: list[tuple[int, int]] = []
        for x in a:
            for y in b:
                if x == y:
                    continue
                cells.append((pos[x], pos[y]))
                if r["kind"] != "unilateral":
                    cells.append((pos[y], pos[x]))
        for i, j in cells:
            if r["kind"] != "unilateral":
                rta[i, j] = 1.0
            if r["tariff_zero"] == "yes" and zero[i, j] == 0:
                zero[i, j] = 1.0
                why[(i, j)] = r["agreement"]
    return rta, zero, why


def contiguity_matrix() -> np.ndarray:
    """Symmetric 0/1 contiguity matrix from ``inputs/contiguity.csv``."""
    c = read_input("contiguity")
    pos = {k: i for i, k in enumerate(ORDER)}
    m = np.zeros((len(ORDER), len(ORDER)))
    for a, b in zip(c["a"], c["b"], strict=True):
        m[pos[a], pos[b]] = m[pos[b], pos[a]] = 1.0
    return m


# ---------------------------------------------------------------------------------------------
# PPML
# ---------------------------------------------------------------------------------------------
@dataclass
class PPMLResult:
    """A fitted Poisson pseudo-maximum-likelihood regression.

    Attributes:
        names: Regressor names.
        beta: Coefficients.
        se: Heteroskedasticity-robust (sandwich) standard errors.
        pseudo_r2: Squared correlation between observed and fitted values.
        n_obs: Number of observations.
        iterations: IRLS iterations used (printed by the build, not written into SOURCES.md:
            the last iterations change the coefficients by amounts near rounding, so the count
            depends on the machine's floating-point kernels while the fit does not).
        tol: The convergence criterion, the largest coefficient change of an iteration.
        converged: Whether that change fell below ``tol`` within the iteration limit.
    """

    names: list[str]
    beta: np.ndarray
    se: np.ndarray
    pseudo_r2: float
    n_obs: int
    iterations: int
    tol: float
    converged: bool


def ppml(
    y: np.ndarray,
    X: np.ndarray,
    names: list[str],
    offset: np.ndarray | None = None,
    tol: float = 1e-12,
    max_iter: int = 200,
) -> PPMLResult:
    """Fit E[y|X] = exp(X b + offset) by Poisson pseudo-maximum likelihood (IRLS)."""
    off = np.zeros_like(y) if offset is None else offset
    # Start from OLS on log(y + mean(y)/100) to stay clear of zeros.
    beta = np.linalg.lstsq(X, np.log(y + y.mean() / 100.0) - off, rcond=None)[0]
    it, converged = 0, False
    for it in range(1, max_iter + 1):  # noqa: B007  (it is reported)
        eta = X @ beta + off
        mu = np.exp(eta)
        z = eta - off + (y - mu) / mu
        W = mu
        XtW = X.T * W
        new = np.linalg.solve(XtW @ X, XtW @ z)
        if np.max(np.abs(new - beta)) < tol:
            beta, converged = new, True
            break
        beta = new
    mu = np.exp(X @ beta + off)
    bread = np.linalg.inv((X.T * mu) @ X)
    meat = (X.T * (y - mu) ** 2) @ X
    cov = bread @ meat @ bread
    r = np.corrcoef(y, mu)[0, 1]
    return PPMLResult(
        names=names,
        beta=beta,
        se=np.sqrt(np.diag(cov)),
        pseudo_r2=float(r * r),
        n_obs=len(y),
        iterations=it,
        tol=tol,
        converged=converged,
    )


# ---------------------------------------------------------------------------------------------
# Trade matrix
# ---------------------------------------------------------------------------------------------
@dataclass
class Cell:
    """Provenance of one trade flow."""

    kind: str  # census | census_recalled | recalled | derived | baci_us | ban | baci | imputed
    source: str
    confidence: str


@dataclass
class TradeBuild:
    """The calibrated trade matrix, its provenance and diagnostics."""

    value: np.ndarray
    cells: dict[tuple[int, int], Cell]
    fit: PPMLResult
    fit_free: PPMLResult
    fit_verified: PPMLResult
    n_fit_verified: int
    n_fit_recalled: int
    rta_coef: float
    dist_coef: float
    sanction_factors: dict[str, tuple[float, float]]
    ipf_iterations: int
    ipf_max_dev: float
    targets: pd.DataFrame
    eu_rest_note: str
    us_imputed: list[str]
    recalled_check: pd.DataFrame
    baci_us_scale: tuple[float, float]


def ipf(
    x: np.ndarray,
    fixed: np.ndarray,
    row_t: dict[int, float],
    col_t: dict[int, float],
    blocks: list[tuple[list[int], list[int], float]],
    tol: float = 1e-10,
    max_iter: int = 20000,
) -> tuple[np.ndarray, int, float]:
    """Iterative proportional fitting of the free cells to row, column and block totals.

    Fixed cells are never changed; each target is met by scaling the free cells it covers.
    Rows and columns without a target float. Returns the matrix, the iterations used and the
    largest remaining relative deviation.
    """
    x = x.copy()
    free = ~fixed

    def scale(mask: np.ndarray, target: float, what: str) -> float:
        fixed_sum = float(x[mask & fixed].sum())
        free_sum = float(x[mask & free].sum())
        need = target - fixed_sum
        if need <= 0 or free_sum <= 0:
            raise ValueError(
                f"infeasible target for {what}: target {target:.3f}, fixed "
                f"{fixed_sum:.3f}, free {free_sum:.3f}"
            )
        x[mask & free] *= need / free_sum
        return abs(fixed_sum + free_sum - target) / target

    n = x.shape[0]
    dev = math.inf
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007  (it is reported)
        dev = 0.0
        for i, t in row_t.items():
            m = np.zeros((n, n), dtype=bool)
            m[i, :] = True
            dev = max(dev, scale(m, t, f"exports of {ORDER[i]}"))
        for j, t in col_t.items():
            m = np.zeros((n, n), dtype=bool)
            m[:, j] = True
            dev = max(dev, scale(m, t, f"imports of {ORDER[j]}"))
        for rows, cols, t in blocks:
            m = np.zeros((n, n), dtype=bool)
            m[np.ix_(rows, cols)] = True
            dev = max(dev, scale(m, t, "block"))
        if dev < tol:
            break
    return x, it, dev


def eu_rest_targets(baci: Baci, eur_usd: float) -> pd.DataFrame:
    """Export and import targets of EU-REST towards the other economies of the dataset.

    The 17 members' total goods exports and imports (Eurostat 2024, incl. intra-EU trade) minus
    their trade with each other, whose share is the measured one of 2023 (CEPII BACI): flows
    among the 17 over their total exports (imports).
    """
    eur = read_input("eu_rest_members")
    share_x, share_m = baci.eu_rest_intra_share
    x17 = float(num(eur["exports_eur"]).sum()) * eur_usd
    m17 = float(num(eur["imports_eur"]).sum()) * eur_usd
    return pd.DataFrame(
        {
            "exports": [x17 * (1 - share_x)],
            "imports": [m17 * (1 - share_m)],
            "source": [
                f"derived: Eurostat 2024 total goods trade of the 17 (recalled; exports "
                f"{x17:.1f}, imports {m17:.1f}) minus intra-EU-REST trade at its 2023 share "
                f"in CEPII BACI ({100 * share_x:.1f}% of exports, {100 * share_m:.1f}% of "
                "imports)"
            ],
            "confidence": ["derived (recalled totals, measured 2023 share)"],
        },
        index=pd.Index([EU_REST], name="code"),
    )


@dataclass
class Baci:
    """Measured 2023 flows (CEPII BACI) aggregated to the dataset's economies."""

    value: np.ndarray  # [exporter, importer], USD billion; zero for pairs with Taiwan
    covered: np.ndarray  # True where BACI covers both sides (every pair without Taiwan)
    eu_rest_intra_share: tuple[float, float]  # flows among the 17 / their exports, imports


def load_baci(reference: Path) -> Baci:
    """Read ``trade-baci-2023/trade.csv`` and aggregate it: a country of the dataset is itself,
    the 17 members of ``inputs/eu_rest_members.csv`` are EU-REST, every other one is ROW;
    flows inside an aggregate are dropped (the dataset does not record them)."""
    path = reference / "trade-baci-2023" / "trade.csv"
    if not path.is_file():
        raise SystemExit(f"{path}: not found (give --reference DIR)")
    t = pd.read_csv(path, dtype={"exporter": str, "importer": str, "value_kusd": float})
    eu17 = set(read_input("eu_rest_members")["iso3"])
    listed = set(ORDER) - {EU_REST, ROW}

    def agg(c: str) -> str:
        return c if c in listed else EU_REST if c in eu17 else ROW

    t["a"], t["b"] = t["exporter"].map(agg), t["importer"].map(agg)
    t["v"] = t["value_kusd"] / 1e6
    intra = float(t[(t["a"] == EU_REST) & (t["b"] == EU_REST)]["v"].sum())
    share = (intra / float(t[t["a"] == EU_REST]["v"].sum()),
             intra / float(t[t["b"] == EU_REST]["v"].sum()))
    t = t[t["a"] != t["b"]]
    pos = {c: k for k, c in enumerate(ORDER)}
    n = len(ORDER)
    value = np.zeros((n, n))
    np.add.at(value, (t["a"].map(pos).to_numpy(), t["b"].map(pos).to_numpy()),
              t["v"].to_numpy())
    covered = np.ones((n, n), dtype=bool)
    missing = [pos[c] for c in listed if c not in set(t["a"]) | set(t["b"])]  # Taiwan
    covered[missing, :] = False
    covered[:, missing] = False
    np.fill_diagonal(covered, False)
    return Baci(value=value, covered=covered, eu_rest_intra_share=share)


def build_trade(econ: Economies, groups: dict[str, list[str]], baci: Baci) -> TradeBuild:
    """US flows from the Census, other flows from the measured 2023 flows scaled to 2024 totals;
    Taiwan's non-US flows imputed by gravity."""
    n = len(ORDER)
    pos = {c: k for k, c in enumerate(ORDER)}
    gdp = econ.table["gdp"].to_numpy(dtype=float)
    contig = contiguity_matrix()
    rta, _, _ = agreement_matrices(groups)
    params = read_input("parameters").set_index("parameter")
    rta_coef = float(params.loc["rta_coefficient", "value"])
    dist_coef = float(params.loc["distance_coefficient", "value"])
    dist = distance_matrix(econ.points, dist_coef)

    cells: dict[tuple[int, int], Cell] = {}
    value = np.full((n, n), np.nan)
    fit_pairs: list[tuple[int, int]] = []
    n_fit_verified = 0

    # --- US Census ---------------------------------------------------------------------------
    cen = read_input("us_census_2024").set_index("partner")
    sanctioned = set(read_input("sanctions")["sanctioned"])
    us = pos["USA"]
    for partner, r in cen.iterrows():
        if partner in ("WORLD", "EU27"):
            continue
        j = pos[str(partner)]
        verified = r["confidence"].startswith("verified")
        kind = "census" if verified else "census_recalled"
        src = (
            CENSUS_SOURCE
            if verified
            else CENSUS_SOURCE + " (figure recalled, not read in the file)"
        )
        for (a, b), v in (((us, j), r["us_exports"]), ((j, us), r["us_imports"])):
            value[a, b] = float(v)
            cells[(a, b)] = Cell(kind, src, r["confidence"])
            if partner not in sanctioned:
                fit_pairs.append((a, b))
                n_fit_verified += int(verified)

    # --- recalled non-US pairs (2024 national statistics): held fixed --------------------
    rec = read_input("trade_pairs_recalled")
    for _, r in rec.iterrows():
        a, b = pos[r["exporter"]], pos[r["importer"]]
        value[a, b] = float(r["value"])
        cells[(a, b)] = Cell("recalled", r["source"], r["confidence"])
        if r["use_in_fit"] == "yes":
            fit_pairs.append((a, b))
    n_fit_recalled = len(fit_pairs) - n_fit_verified

    # --- PPML ------------------------------------------------------------------------------
    variables = {
        "ln_gdp_exporter": lambda i, j: math.log(gdp[i]),
        "ln_gdp_importer": lambda i, j: math.log(gdp[j]),
        "ln_distance": lambda i, j: math.log(dist[i, j]),
        "contiguity": lambda i, j: contig[i, j],
        "rta": lambda i, j: rta[i, j],
    }
    fixed_coef = {"ln_distance": dist_coef, "rta": rta_coef}

    def fit_on(pairs: list[tuple[int, int]], fix: dict[str, float]) -> PPMLResult:
        """PPML of the known flows on the gravity variables, ``fix`` entering as an offset."""
        free = [v for v in variables if v not in fix]
        X = np.column_stack(
            [np.ones(len(pairs))] + [np.array([variables[v](i, j) for i, j in pairs]) for v in free]
        )
        off = np.array([sum(c * variables[v](i, j) for v, c in fix.items()) for i, j in pairs])
        y = np.array([value[i, j] for i, j in pairs])
        return ppml(y, X, ["constant", *free], offset=off)

    fit = fit_on(fit_pairs, fixed_coef)
    fit_free = fit_on(fit_pairs, {})
    ver = [p for p in fit_pairs if cells[p].kind == "census"]
    fit_verified = fit_on(ver, {})

    all_pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
    coef = dict(zip(fit.names, fit.beta, strict=True)) | fixed_coef
    prior = np.zeros((n, n))
    for a, b in all_pairs:
        # Sum of the constituents' predictions (one point for a country): no aggregation bias
        # from a GDP elasticity below one, and nearby members weigh more.
        level = coef["constant"] + coef["contiguity"] * contig[a, b] + rta_coef * rta[a, b]
        prior[a, b] = sum(
            math.exp(
                level
                + coef["ln_gdp_exporter"] * math.log(w1)
                + coef["ln_gdp_importer"] * math.log(w2)
                + dist_coef * math.log(great_circle_km((x1, y1), (x2, y2)))
            )
            for x1, y1, w1 in econ.points[ORDER[a]]
            for x2, y2, w2 in econ.points[ORDER[b]]
        )

    # --- US partners outside the Census table: measured 2023 flows, scaled ---------------
    fit_note = (
        f"PPML gravity on {len(fit_pairs)} known pairs ({n_fit_verified} US Census 2024 "
        f"+ {n_fit_recalled} recalled)"
    )
    # BACI's US totals are FOB and of 2023; scale each partner's flows by the ratio of the
    # Census 2024 world totals to BACI's (one factor for exports, one for imports).
    sx = float(cen.loc["WORLD", "us_exports"]) / float(baci.value[us, :].sum())
    sm = float(cen.loc["WORLD", "us_imports"]) / float(baci.value[:, us].sum())
    us_imputed: list[str] = []
    for c in ORDER:
        j = pos[c]
        if c in ("USA", EU_REST, ROW) or c in cen.index:
            continue
        us_imputed.append(c)
        for (a, b), f in (((us, j), sx), ((j, us), sm)):
            value[a, b] = baci.value[a, b] * f
            cells[(a, b)] = Cell(
                "baci_us",
                "estimated: " + BACI_SOURCE + f", scaled by the ratio of the US Census 2024 to "
                f"the BACI 2023 US {'exports' if a == us else 'imports'} ({f:.4f}; partner not "
                "in the Census table available here)",
                "estimated (measured 2023 flow, scaled)")
    eu_listed = [c for c in groups["EU"] if c != EU_REST]
    imputed_eu = [c for c in eu_listed if c in us_imputed]
    for a_is_us, col in ((True, "us_exports"), (False, "us_imports")):
        eu_total = float(cen.loc["EU27", col])
        world_total = float(cen.loc["WORLD", col])
        j = pos[EU_REST]
        if a_is_us:
            listed = sum(value[us, pos[c]] for c in eu_listed)
            value[us, j] = eu_total - listed
        else:
            listed = sum(value[pos[c], us] for c in eu_listed)
            value[j, us] = eu_total - listed
        cell = (us, j) if a_is_us else (j, us)
        if value[cell] < 0:
            raise ValueError(f"negative US-EU-REST flow {value[cell]:.3f}")
        cells[cell] = Cell(
            "derived",
            "derived: "
            + CENSUS_SOURCE
            + ", EU-27 aggregate minus the listed EU members"
            + (f" ({', '.join(imputed_eu)} from BACI 2023, scaled)" if imputed_eu else ""),
            "derived (verified Census aggregates"
            + (", includes a scaled 2023 flow)" if imputed_eu else ")"),
        )
        k = pos[ROW]
        others = [pos[c] for c in ORDER if c not in ("USA", ROW)]
        if a_is_us:
            value[us, k] = world_total - sum(value[us, o] for o in others)
            cell = (us, k)
        else:
            value[k, us] = world_total - sum(value[o, us] for o in others)
            cell = (k, us)
        if value[cell] < 0:
            raise ValueError(f"negative US-ROW flow {value[cell]:.3f}")
        cells[cell] = Cell(
            "derived",
            "derived: "
            + CENSUS_SOURCE
            + ", world total minus all listed partners (partners "
            + ", ".join(us_imputed)
            + " from BACI 2023, scaled)",
            "derived (verified Census total; includes scaled 2023 flows)",
        )

    # --- bans ------------------------------------------------------------------------------
    for _, r in read_input("trade_bans").iterrows():
        a, b = pos[r["exporter"]], pos[r["importer"]]
        value[a, b] = 0.0
        cells[(a, b)] = Cell(
            "ban", f"set to zero: {r['reason']} ({r['source']})", "stated assumption"
        )

    # --- sanctions discount on the prior ---------------------------------------------------
    blocks_in = read_input("trade_blocks")
    blocks: list[tuple[list[int], list[int], float]] = []
    block_of: dict[tuple[int, int], str] = {}
    for _, r in blocks_in.iterrows():
        ex = [pos[c] for c in expand(r["exporters"], groups)]
        im = [pos[c] for c in expand(r["importers"], groups)]
        blocks.append((ex, im, float(r["value"])))
        for a in ex:
            for b in im:
                block_of[(a, b)] = r["source"]
    sanction_factors: dict[str, tuple[float, float]] = {}
    sanction_pairs: set[tuple[int, int]] = set()
    eu_idx = [pos[c] for c in groups["EU"]]
    for _, r in read_input("sanctions").iterrows():
        s = pos[r["sanctioned"]]
        coalition = [pos[c] for c in r["coalition"].split()] + eu_idx
        out_t = next(t for ex, im, t in blocks if ex == eu_idx and im == [s])
        in_t = next(t for ex, im, t in blocks if ex == [s] and im == eu_idx)
        f_out = out_t / sum(prior[e, s] for e in eu_idx)
        f_in = in_t / sum(prior[s, e] for e in eu_idx)
        sanction_factors[r["sanctioned"]] = (f_out, f_in)
        for c in coalition:
            prior[c, s] *= f_out
            prior[s, c] *= f_in
            sanction_pairs.update({(c, s), (s, c)})

    # --- calibration -----------------------------------------------------------------------
    fixed = ~np.isnan(value)
    np.fill_diagonal(fixed, True)
    # the measured 2023 flow where BACI covers the pair, else (Taiwan) the gravity prior
    x0 = np.where(fixed, np.nan_to_num(value), np.where(baci.covered, baci.value, prior))
    np.fill_diagonal(x0, 0.0)
    tt = read_input("trade_totals").set_index("code")
    tt = pd.concat([tt, eu_rest_targets(baci, float(params.loc["eur_usd", "value"]))])
    row_t = {pos[str(c)]: float(v) for c, v in tt["exports"].items()}
    col_t = {pos[str(c)]: float(v) for c, v in tt["imports"].items()}
    x, iters, dev = ipf(x0, fixed, row_t, col_t, blocks)

    for a, b in all_pairs:
        if (a, b) in cells:
            continue
        if baci.covered[a, b]:
            cells[(a, b)] = Cell("baci", BACI_SCALED, BACI_CONFIDENCE)
            continue
        src = f"imputed: {fit_note}, RAS-calibrated to 2024 trade totals"
        if (a, b) in block_of:
            src += "; EU block matched to Eurostat 2024"
        if (a, b) in sanction_pairs:
            src += "; sanctions discount"
        cells[(a, b)] = Cell("imputed", src + " (SOURCES.md)", "imputed")

    targets = tt.copy()
    check = rec[["exporter", "importer", "value", "source", "confidence"]].copy()
    check["value"] = num(check["value"])
    check["rebuilt"] = [x[pos[a], pos[b]] for a, b in zip(rec["exporter"], rec["importer"],
                                                         strict=True)]
    check["baci_2023"] = [baci.value[pos[a], pos[b]] if baci.covered[pos[a], pos[b]]
                          else float("nan")
                          for a, b in zip(rec["exporter"], rec["importer"], strict=True)]
    return TradeBuild(
        value=x,
        cells=cells,
        fit=fit,
        fit_free=fit_free,
        fit_verified=fit_verified,
        n_fit_verified=n_fit_verified,
        n_fit_recalled=n_fit_recalled,
        rta_coef=rta_coef,
        dist_coef=dist_coef,
        sanction_factors=sanction_factors,
        ipf_iterations=iters,
        ipf_max_dev=dev,
        targets=targets,
        eu_rest_note=str(tt.loc[EU_REST, "source"]).rsplit("(", 1)[-1].rstrip(")"),
        us_imputed=us_imputed,
        recalled_check=check,
        baci_us_scale=(sx, sm),
    )


# ---------------------------------------------------------------------------------------------
# Tariffs, memberships, alliances
# ---------------------------------------------------------------------------------------------
def build_tariffs(groups: dict[str, list[str]]) -> tuple[pd.DataFrame, float, list[str]]:
    """Baseline applied tariffs at end-2024, one row per (importer, exporter) with a duty.

    Returns the table, the imputed ROW rate and the list of zeroing notes.
    """
    mfn = read_input("mfn_tariffs").set_index("importer")
    over = read_input("tariff_overrides")
    _, zero, why = agreement_matrices(groups)
    eu = set(groups["EU"])
    non_eu = [float(r) for c, r in mfn["rate"].items() if c != "EU"]
    row_rate = float(np.median(non_eu))
    rows: list[dict[str, str]] = []
    over_map = {(r["importer"], r["exporter"]): r for _, r in over.iterrows()}
    for i, imp in enumerate(ORDER):
        key = "EU" if imp in eu else imp
        for j, exp in enumerate(ORDER):
            if i == j:
                continue
            if (imp, exp) in over_map:
                r = over_map[(imp, exp)]
                rows.append(
                    {
                        "importer": imp,
                        "exporter": exp,
                        "rate": f"{float(r['rate']):.4f}",
                        "source": r["source"],
                        "confidence": r["confidence"],
                    }
                )
                continue
            if zero[i, j]:
                continue
            if imp == ROW:
                rate = row_rate
                src = "imputed: median of the non-EU importers' MFN averages (SOURCES.md)"
                conf = "imputed"
            else:
                m = mfn.loc[key]
                rate = float(m["rate"])
                src = (
                    "EU common external tariff; " if key == "EU" else ""
                ) + "World Tariff Profiles 2024, trade-weighted average MFN applied duty"
                conf = m["confidence"]
            if rate <= 0:
                continue
            rows.append(
                {
                    "importer": imp,
                    "exporter": exp,
                    "rate": f"{rate:.4f}",
                    "source": src,
                    "confidence": conf,
                }
            )
    notes = sorted({v for v in why.values()})
    return pd.DataFrame(rows), row_rate, notes


def build_memberships() -> pd.DataFrame:
    """Organisation memberships as of end-2024 (checked codes)."""
    m = read_input("memberships")
    bad = sorted(set(m["economy"]) - set(ORDER))
    if bad:
        raise ValueError(f"unknown economies in memberships: {bad}")
    order = {c: k for k, c in enumerate(ORDER)}
    m = m.assign(_k=m["economy"].map(order))
    m = m.sort_values(["organization", "_k", "since"], kind="stable").drop(columns="_k")
    return m.reset_index(drop=True)


def build_alliances() -> pd.DataFrame:
    """Expand the treaty table into one row per unordered pair and treaty."""
    t = read_input("alliance_treaties")
    order = {c: k for k, c in enumerate(ORDER)}
    rows: list[dict[str, str]] = []
    for _, r in t.iterrows():
        pairs: list[tuple[str, str]] = []
        if r["members"]:
            mem = r["members"].split()
            pairs += [(a, b) for k, a in enumerate(mem) for b in mem[k + 1 :]]
        if r["pairs"]:
            pairs += [tuple(p.split()) for p in r["pairs"].split(";")]  # type: ignore[misc]
        for a, b in pairs:
            if a not in order or b not in order:
                raise ValueError(f"unknown economy in alliance {r['treaty']}: {a}, {b}")
            lo, hi = sorted((a, b), key=order.__getitem__)
            rows.append(
                {
                    "a": lo,
                    "b": hi,
                    "treaty": r["treaty"],
                    "since": r["since"],
                    "source": r["source"],
                    "confidence": r["confidence"],
                }
            )
    out = pd.DataFrame(rows)
    out["_a"] = out["a"].map(order)
    out["_b"] = out["b"].map(order)
    out = out.sort_values(["treaty", "_a", "_b"], kind="stable").drop(columns=["_a", "_b"])
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Checks and writing
# ---------------------------------------------------------------------------------------------
def absorption_check(econ: Economies, x: np.ndarray, nu: float) -> pd.DataFrame:
    """The model's baseline domestic sales E_i - M_i with T_i = (1-nu)(M_i - (1-nu) X_i)."""
    gdp = econ.table["gdp"].to_numpy(dtype=float)
    exports = x.sum(axis=1)
    imports = x.sum(axis=0)
    transfer = (1 - nu) * (imports - (1 - nu) * exports)
    expenditure = gdp + transfer
    return pd.DataFrame(
        {
            "gdp": gdp,
            "exports": exports,
            "imports": imports,
            "imports_over_gdp": imports / gdp,
            "exports_over_gdp": exports / gdp,
            "expenditure": expenditure,
            "domestic_sales": expenditure - imports,
            "domestic_share": (expenditure - imports) / expenditure,
        },
        index=ORDER,
    )


def fmt(v: float, decimals: int) -> str:
    """Format a number with fixed decimals (empty for NaN), avoiding '-0'."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    s = f"{v:.{decimals}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def write_csv(df: pd.DataFrame, name: str) -> None:
    """Write a table of strings with Unix line endings."""
    df.to_csv(OUT / name, index=False, lineterminator="\n")


def write_constituents() -> None:
    """Write ``constituents.csv``: the member countries of the aggregate EU-REST (ROW stands
    for every country not covered by another economy and is not listed)."""
    members = read_input("eu_rest_members")
    out = pd.DataFrame({"economy": "EU-REST", "country": members["iso3"],
                        "source": "EU member states (europa.eu) not listed individually"})
    write_csv(out, "constituents.csv")


def toml_str(s: str) -> str:
    """Quote a string for TOML."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_economies(econ: Economies) -> None:
    """Write ``economies.csv``."""
    t = econ.table
    out = pd.DataFrame(
        {
            "code": ORDER,
            "name": t["name"].to_numpy(),
            "region": t["region"].to_numpy(),
            "gdp": [fmt(v, 1) for v in t["gdp"]],
            "population": [fmt(v, 2) for v in t["population"]],
            "military_expenditure": [fmt(v, 2) for v in t["military_expenditure"]],
            "gdp_source": t["gdp_source"].to_numpy(),
            "gdp_confidence": t["gdp_confidence"].to_numpy(),
            "population_source": t["population_source"].to_numpy(),
            "population_confidence": t["population_confidence"].to_numpy(),
            "military_source": t["military_source"].to_numpy(),
            "military_confidence": t["military_confidence"].to_numpy(),
            "lat": [fmt(v, 2) for v in t["lat"]],
            "lon": [fmt(v, 2) for v in t["lon"]],
            "location": t["location"].to_numpy(),
        }
    )
    write_csv(out, "economies.csv")


def write_trade(tb: TradeBuild) -> pd.DataFrame:
    """Write ``trade.csv`` (long, exporter != importer) and return it."""
    rows = []
    for a, exp in enumerate(ORDER):
        for b, imp in enumerate(ORDER):
            if a == b:
                continue
            c = tb.cells[(a, b)]
            rows.append(
                {
                    "exporter": exp,
                    "importer": imp,
                    "value": fmt(float(tb.value[a, b]), TRADE_DECIMALS),
                    "source": c.source,
                    "confidence": c.confidence,
                    "kind": c.kind,
                }
            )
    df = pd.DataFrame(rows)
    write_csv(df.drop(columns="kind"), "trade.csv")
    return df


SOURCE_SUMMARY = {
    "economies": (
        "GDP 2024: IMF World Economic Outlook April 2025 (secondary tabulation); AUT, SWE, NZL, "
        "NGA, IRN and the 17 EU-REST members: SIPRI Military Expenditure Database 2025 GDP "
        "denominators; ROW = IMF world GDP 2024 (recalled) minus the rest. Population: UN World "
        "Population Prospects 2024; EU-REST: Eurostat 1 January 2024 (recalled). Military "
        "expenditure 2024: SIPRI Military Expenditure Database, 2025 release; ROW = SIPRI world "
        "total (fact sheet April 2025) minus the rest. Row-by-row sources and confidence in the "
        "table."
    ),
    "trade": (
        "US flows: US Census Bureau, U.S. Trade in Goods by Country, 2024 (verified); a few "
        "partners recalled, the others' flows from CEPII BACI 2023 scaled to the Census totals; "
        "EU-REST and ROW derived from the Census EU-27 and world totals. Other flows: measured "
        "2023 flows (CEPII BACI HS22 V202501, as assembled by Ignatenko et al. 2025) scaled by "
        "RAS to 2024 merchandise trade totals (national statistics / WTO World Trade "
        "Statistics, recalled) and to Eurostat EU-China, EU-Russia and EU-Iran totals; national "
        "customs statistics 2024 where recalled (GACC, MOTIE, Japan MOF, GSO Vietnam, MDIC "
        "Brazil, INEGI, Destatis, DGCI&S, TurkStat); Taiwan's non-US pairs imputed by PPML "
        "gravity. Row-by-row source and confidence in the table; method in SOURCES.md."
    ),
    "tariffs": (
        "WTO/ITC/UNCTAD World Tariff Profiles 2024, trade-weighted average MFN applied duties "
        "(recalled); US-China rates from Bown, PIIE 'US-China Trade War Tariffs: An Up-to-Date "
        "Chart' (early 2025, recalled); zero for pairs inside customs unions, FTAs and LDC "
        "schemes listed in SOURCES.md."
    ),
    "groups": "Official member lists: europa.eu, USTR (USMCA), asean.org, mercosur.int, "
    "gcc-sg.org, efta.int.",
    "memberships": (
        "Official membership lists (un.org, wto.org, who.int, unfccc.int, ohchr.org, "
        "icc-cpi.int, nato.int, opec.org, sectsco.org, asean.org, europa.eu, CPTPP and RCEP "
        "depositaries, unesco.org), as of 31 December 2024; dates partly recalled."
    ),
    "alliances": (
        "Treaty texts (North Atlantic Treaty 1949, TEU Art. 42(7), US-Japan 1960, US-ROK 1953, "
        "ANZUS 1951, US-Philippines 1951, Manila Pact 1954, Rio Treaty 1947, Arab League Joint "
        "Defence Treaty 1950, GCC Joint Defence Agreement 2000); cross-checked against ATOP "
        "v5.1 (Leeds et al. 2002)."
    ),
}


def write_toml() -> None:
    """Write ``dataset.toml``."""
    lines = [
        'name = "world-2024"',
        "year = 2024",
        "description = "
        + toml_str(
            "45 countries, the rest of the EU (EU-REST) and the rest of the world (ROW) in "
            "2024: GDP, population, military expenditure, bilateral goods trade (US Census for "
            "US flows; other flows measured in 2023 by CEPII BACI and scaled to 2024 totals, "
            "Taiwan's imputed by gravity), "
            "end-2024 applied tariffs, blocs, organisation memberships and mutual-defence "
            "treaties. See SOURCES.md."
        ),
        'currency = "USD"',
        "domestic_flows = false",
        "",
        "[units]",
        'trade = "USD billion"',
        'gdp = "USD billion"',
        'military_expenditure = "USD billion"',
        'population = "million"',
        "",
        "[sources]",
    ]
    lines += [f"{k} = {toml_str(v)}" for k, v in SOURCE_SUMMARY.items()]
    (OUT / "dataset.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def coef_table(res: PPMLResult) -> list[str]:
    """Markdown rows of a PPML coefficient table."""
    out = ["| regressor | coefficient | robust s.e. |", "|---|---:|---:|"]
    out += [
        f"| {n} | {b:.4f} | {s:.4f} |" for n, b, s in zip(res.names, res.beta, res.se, strict=True)
    ]
    return out


def provenance_value(trade: pd.DataFrame) -> dict[str, float]:
    """Trade value by class of provenance (measured, estimated, imputed), as the package's
    ``World.provenance_summary`` classes the rows."""
    conf = trade["confidence"].str.lower()
    cls = np.where(conf.str.startswith("imputed"), "imputed",
                   np.where(conf.str.startswith(("verified", "measured")), "measured",
                            "estimated"))
    v = trade["value"].astype(float)
    return {k: float(v[cls == k].sum()) for k in ("measured", "estimated", "imputed")}


def write_sources(
    econ: Economies,
    tb: TradeBuild,
    trade: pd.DataFrame,
    absorb: pd.DataFrame,
    row_rate: float,
    zero_notes: list[str],
    n_tariff_rows: int,
) -> None:
    """Write ``SOURCES.md`` (human-readable provenance, method, fit statistics, caveats)."""
    ck = econ.checks
    kinds = (
        trade["kind"]
        .value_counts()
        .reindex(
            ["census", "census_recalled", "recalled", "derived", "baci_us", "ban", "baci",
             "imputed"],
            fill_value=0,
        )
    )
    kind_label = {
        "census": "US Census Bureau 2024 (verified)",
        "census_recalled": "US Census Bureau 2024 (recalled, unverified)",
        "recalled": "national customs statistics 2024 (recalled, unverified)",
        "derived": "derived from Census aggregates (US-EU-REST, US-ROW)",
        "baci_us": "US pairs outside the Census table: BACI 2023, scaled to Census totals",
        "ban": "set to zero (trade ban)",
        "baci": "measured 2023 flow (CEPII BACI), RAS-scaled to 2024 totals",
        "imputed": "imputed by PPML gravity + calibration (Taiwan's non-US pairs)",
    }
    sf = tb.sanction_factors
    trade_total = float(trade["value"].astype(float).sum())
    hi = absorb.sort_values("imports_over_gdp", ascending=False).head(8)
    tt = tb.targets
    L: list[str] = []
    L += [
        "# world-2024: sources and method",
        "",
        "Generated by `data-raw/world-2024/build.py` from the hand-entered tables in "
        "`data-raw/world-2024/inputs/`. Every row of every table names its source and a "
        "confidence label: `verified` (read in a copy of the publication), `unverified "
        "(recalled)` (from memory, with the publication named: check before relying on it), "
        "`derived` (arithmetic on other figures), `imputed` (model estimate) or `stated "
        "assumption`.",
        "",
        "Units: USD billion (current, 2024) for GDP, trade and military expenditure; million "
        "people for population. Trade is merchandise (goods) trade only, between different "
        "economies (`domestic_flows = false`).",
        "",
        "## Economies (`economies.csv`)",
        "",
        "47 economies: 45 countries, `EU-REST` (the other 17 EU member states: "
        "BGR HRV CYP CZE DNK EST FIN GRC HUN LVA LTU LUX MLT PRT ROU SVK SVN) and `ROW`.",
        "",
        "- GDP 2024: IMF World Economic Outlook, April 2025 (figures from a secondary "
        "tabulation, ±2%). Austria, Sweden, New Zealand, Nigeria and Iran are not in that "
        "tabulation: their GDP is SIPRI's GDP denominator (SIPRI Military Expenditure Database "
        "2025, current-USD military expenditure divided by its share of GDP), marked "
        "`derived`.",
        f"- EU-REST: sum over the 17 members of the same SIPRI GDP denominators = "
        f"{ck['eu_rest_gdp']:.1f}; cross-check: IMF WEO April 2025 EU27 GDP (recalled) minus "
        f"the ten listed members = {ck['eu_rest_gdp_topdown']:.1f}.",
        f"- ROW: IMF WEO world GDP 2024 (recalled, USD {ck['world_gdp']:,.0f} bn) minus the "
        f"other 46 economies = {econ.table.loc[ROW, 'gdp']:.1f}. The 26 largest ROW economies "
        f"alone (SIPRI denominators, Hong Kong recalled) sum to {ck['row_gdp_lower_bound']:.1f}"
        ", so the residual is plausible but uncertain (±15%).",
        f"- The 46 named economies cover {100 * ck['share_world_gdp']:.1f}% of world GDP.",
        "- Population: UN World Population Prospects 2024 (mid-2024; secondary tabulation or "
        "recalled); EU-REST from Eurostat 1 January 2024 (recalled); ROW residual.",
        "- Military expenditure 2024: SIPRI Military Expenditure Database, 2025 release "
        "(current USD). SIPRI publishes no figure for Vietnam, the UAE and Qatar: left empty. "
        "ROW = SIPRI world total USD 2718 bn (recalled) minus the rest, so ROW also carries "
        "SIPRI's regional estimates for the three.",
        "- Locations: capital cities (Tel Aviv for Israel), CEPII GeoDist `distcap` "
        "convention; for EU-REST and ROW the `lat`/`lon` columns are GDP-weighted centroids "
        "(informational).",
        "",
        "## Trade (`trade.csv`)",
        "",
        "Rows by source type:",
        "",
        "| source type | rows |",
        "|---|---:|",
    ]
    L += [f"| {kind_label[k]} | {v} |" for k, v in kinds.items()]
    L += [
        "",
        "### US flows",
        "US exports to X are the flow USA→X and US imports from X the flow X→USA, from the US "
        "Census Bureau, *U.S. Trade in Goods by Country*, 2024 annual (exports: total exports, "
        "Census basis; imports: general imports, customs value). The Census figures for "
        "Cambodia, Bangladesh, Pakistan, South Africa, the Philippines, Russia and Iran are "
        "recalled (they are outside the top-32 table available); the first five are consistent "
        "with the 2024 deficits behind the April 2025 reciprocal-tariff formula.",
        f"- Partners outside the Census table available here ({', '.join(tb.us_imputed)}): "
        "their measured 2023 flows with the US (CEPII BACI), scaled by the ratio of the Census "
        "2024 world total to BACI's 2023 US total (exports ×"
        f"{tb.baci_us_scale[0]:.4f}, imports ×{tb.baci_us_scale[1]:.4f}; BACI values imports "
        "FOB, the Census at customs value), marked `estimated`.",
        "- US–EU-REST = Census EU-27 aggregate minus the ten listed EU members (Austria from "
        "BACI, scaled).",
        "- US–ROW = Census world total minus all listed partners (incl. the scaled ones).",
        "",
        "### Other flows: measured in 2023, scaled to 2024",
        "Every non-US pair starts from its measured 2023 flow: CEPII BACI HS22 V202501, 2023 "
        "(Gaulier & Zignago 2010; Etalab Open Licence 2.0), summed over products, as assembled "
        "in the replication package of Ignatenko et al. (2025) and kept in the project's "
        "reference folder (`trade-baci-2023`), aggregated to this dataset's economies (the 17 "
        "EU-REST members summed, every other country of BACI's 194 in ROW; flows inside an "
        "aggregate dropped). These flows are then scaled by RAS (below) to the 2024 totals, "
        "which keeps the measured pattern of each economy's partners and matches its 2024 "
        "exports and imports. Rows say `estimated (measured 2023 flow scaled to 2024 totals)`.",
        "",
        "Taiwan is not in the 2023 data (the study dropped it): its non-US pairs are the only "
        "flows still imputed by the gravity model below, and their rows say `imputed`. The "
        "recalled 2024 pairs of `inputs/trade_pairs_recalled.csv` are held fixed; against the "
        "measured 2023 flows they compare as follows (USD bn):",
        "",
        "| exporter | importer | recalled 2024 | BACI 2023 |",
        "|---|---|---:|---:|",
        *[f"| {r['exporter']} | {r['importer']} | {r['value']:.1f} | "
          + ("–" if r['baci_2023'] != r['baci_2023'] else f"{r['baci_2023']:.1f}") + " |"
          for _, r in tb.recalled_check.iterrows()],
        "",
        "Provenance of the trade value after the rebuild: "
        + ", ".join(f"{k} {v:,.1f} bn ({100 * v / trade_total:.1f}%)"
                    for k, v in provenance_value(trade).items()) + ".",
        "",
        "### Gravity model (Taiwan's non-US pairs only)",
        "Before the measured 2023 flows were used, this model imputed every non-US pair; it "
        "now supplies only the starting values of Taiwan's pairs with economies other than the "
        "US, which RAS then scales to Taiwan's 2024 totals. "
        "PPML (Poisson pseudo-maximum likelihood, Santos Silva & Tenreyro 2006), fitted by "
        "iteratively re-weighted least squares with numpy:",
        "",
        "    E[X_ij] = exp(b0 + b1 ln GDP_i + b2 ln GDP_j + b3 ln dist_ij + b4 contig_ij"
        " + b_rta RTA_ij)",
        "",
        f"Fitted on {tb.fit.n_obs} known pairs: {tb.n_fit_verified} verified US Census 2024 "
        f"pairs and {tb.n_fit_recalled} recalled pairs (the recalled Census partners and the "
        "recalled non-US pairs with `use_in_fit = yes`; pairs with Russia and Iran are left "
        "out because sanctions distort them).",
        "Distances: great-circle km between capitals (`inputs/coordinates.csv`). Contiguity: "
        "`inputs/contiguity.csv`. RTA: reciprocal agreements in force at end-2024 in "
        "`inputs/agreements.csv` (customs unions, FTAs, RCEP and partial agreements included).",
        "",
        f"The distance and RTA coefficients are fixed at {tb.dist_coef} and {tb.rta_coef}: the "
        "medians of all gravity estimates in the meta-analysis of Head & Mayer (2014), "
        "'Gravity Equations: Workhorse, Toolkit, and Cookbook', Handbook of International "
        "Economics vol. 4 ch. 3 (recalled). The known pairs do not identify them: they form a "
        "star around the US (plus China), so distance is confounded with partner identity "
        "(the large Asian suppliers are the farthest partners) and the RTA dummy varies only "
        "through a handful of US agreements; the free fits below give a distance elasticity "
        "near zero or even positive, which would make the imputed intra-European and "
        "intra-Asian flows far too small. The remaining coefficients are estimated with the "
        "fixed terms as an offset. Used model:",
        "",
    ]
    L += coef_table(tb.fit)
    L += [
        "",
        f"Pseudo-R² (squared correlation of observed and fitted) = {tb.fit.pseudo_r2:.4f}; "
        f"{tb.fit.n_obs} observations; "
        + (f"IRLS converged (largest coefficient change below {tb.fit.tol:g})."
           if tb.fit.converged else f"IRLS did NOT converge in {tb.fit.iterations} iterations."),
        "",
        "Diagnostic, all coefficients free (same 84 pairs):".replace("84", str(tb.fit.n_obs)),
        "",
    ]
    L += coef_table(tb.fit_free)
    L += [
        "",
        f"Pseudo-R² = {tb.fit_free.pseudo_r2:.4f}.",
        "",
        f"Diagnostic, verified Census pairs only ({tb.fit_verified.n_obs} observations, all "
        "coefficients free):",
        "",
    ]
    L += coef_table(tb.fit_verified)
    L += [
        "",
        f"Pseudo-R² = {tb.fit_verified.pseudo_r2:.4f}.",
        "",
        "Aggregates: the prediction for a pair involving EU-REST or ROW is the sum of the "
        "predictions for their constituent economies (EU-REST: the 17 member states with their "
        "GDPs; ROW: the 26 largest ROW economies of `inputs/row_constituents.csv`, their GDPs "
        "scaled up to the ROW total), each at its own capital. This avoids the aggregation "
        "bias of a GDP elasticity below one and lets near members weigh more, as in the "
        "Head & Mayer (2002) effective distance. The `lat`/`lon` of the aggregates in "
        "`economies.csv` (GDP-weighted centroids) are informational only.",
        "",
        "### Sanctions",
        "(Applies to the gravity prior, i.e. only to Taiwan's pairs with Russia and Iran; the "
        "measured flows already reflect the sanctions.) "
        "Gravity ignores sanctions. For Russia and Iran the gravity prior of their flows with "
        "the EU, GBR, CAN, JPN, KOR, AUS, NZL, CHE, NOR and TWN is multiplied by the factor "
        "that makes the uncalibrated EU flows match Eurostat 2024 (recalled): ",
    ]
    L += [
        f"- {s}: exports to the coalition ×{f_out:.4f}, imports from it ×{f_in:.4f}".replace(
            "exports to the coalition", "coalition exports to " + s
        ).replace("imports from it", "coalition imports from " + s)
        for s, (f_out, f_in) in sf.items()
    ]
    L += [
        "",
        "Trade between Russia and Ukraine and between Israel and Iran is set to zero "
        "(`inputs/trade_bans.csv`).",
        "",
        "### Calibration",
        "Iterative proportional fitting (RAS) of the free cells (measured 2023 flows and "
        "Taiwan's gravity prior) so that each economy's "
        "total exports and imports match its 2024 merchandise trade totals "
        "(`inputs/trade_totals.csv`: national statistics and WTO World Trade Statistics, "
        "recalled, with the stated tolerance) and the EU27 blocks with China, Russia and Iran "
        "match Eurostat 2024 (recalled, `inputs/trade_blocks.csv`). US Census cells, recalled "
        "pairs and bans are held fixed. EU-REST's targets are its 17 members' Eurostat 2024 "
        "totals (recalled) less their trade with each other at its measured 2023 share ("
        + tb.eu_rest_note + "). ROW has no target: its totals follow from the others. A "
        "target far from BACI's 2023 total scales all of that economy's flows alike: Iran's "
        "2024 exports (recalled) are several times BACI's mirror figure for 2023 (oil sold to "
        "China is recorded under other origins), so its scaled flows are uncertain. "
        f"Converged in {tb.ipf_iterations} iterations (largest relative deviation "
        f"{tb.ipf_max_dev:.1e}).",
        "",
        "Target totals (USD bn) and the calibrated matrix:",
        "",
        "| economy | exports target | imports target | exports | imports |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in ORDER:
        tx = f"{float(tt.loc[c, 'exports']):.1f}" if c in tt.index else "–"
        tm = f"{float(tt.loc[c, 'imports']):.1f}" if c in tt.index else "–"
        L.append(
            f"| {c} | {tx} | {tm} | {absorb.loc[c, 'exports']:.1f} | "
            f"{absorb.loc[c, 'imports']:.1f} |"
        )
    total = float(absorb["exports"].sum())
    L += [
        "",
        f"Sum of all flows in the matrix: {total:,.1f}; WTO world merchandise exports 2024 "
        f"(recalled) {ck['world_merchandise_exports']:,.0f}: the difference "
        f"({ck['world_merchandise_exports'] - total:,.1f}) is trade inside ROW and inside "
        "EU-REST, which the dataset does not record.",
        "",
        "### Domestic-absorption check",
        "The model's baseline sets T_i = (1−ν)(M_i − (1−ν)X_i) with ν = 0.11, expenditure "
        "E_i = GDP_i + T_i, and needs domestic sales E_i − M_i > 0. All economies pass; the "
        "most open ones:",
        "",
        "| economy | GDP | imports | imports/GDP | exports/GDP | E − M | (E − M)/E |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c, r in hi.iterrows():
        L.append(
            f"| {c} | {r['gdp']:.1f} | {r['imports']:.1f} | {r['imports_over_gdp']:.3f} "
            f"| {r['exports_over_gdp']:.3f} | {r['domestic_sales']:.1f} | "
            f"{r['domestic_share']:.3f} |"
        )
    L += [
        "",
        "## Tariffs (`tariffs.csv`)",
        "",
        "Baseline applied tariffs at the end of 2024, as ad-valorem fractions; absent pairs "
        f"are zero ({n_tariff_rows} rows).",
        "",
        "- Each importer's trade-weighted average MFN applied duty from WTO/ITC/UNCTAD *World "
        "Tariff Profiles 2024* (latest trade-weighted year shown there; recalled, ±1 pp), "
        "applied to every partner without a preference. The EU members and EU-REST share the "
        "EU common external tariff.",
        f"- ROW as importer: the median of the non-EU importers' averages, {row_rate:.4f} "
        "(imputed).",
        "- US–China: 20.8% on US imports from China and 21.1% on Chinese imports from the US "
        "(Bown, PIIE, 'US-China Trade War Tariffs: An Up-to-Date Chart', position before the "
        "2025 measures; recalled), replacing MFN.",
        "- Zero for pairs covered by these agreements (approximation: FTAs treated as fully "
        "duty-free, rules of origin, phase-ins and exclusions ignored; unilateral LDC and "
        "GSP+ schemes zero the importer's side only):",
        "",
    ]
    L += [f"  - {z}" for z in zero_notes]
    L += [
        "",
        "- Agreements kept at MFN because their cuts are partial or still phasing in "
        "(RCEP without an earlier FTA, China–Korea, China–Pakistan, India's FTAs, SAFTA, "
        "EAEU–Iran) count in the gravity RTA dummy but not here: an upper bound on those "
        "duties.",
        "- Not modelled: US Section 232 steel/aluminium and Section 201 duties, trade remedies, "
        "the EU and Canadian duties on Chinese electric vehicles (2024), column-2 rates and "
        "import bans on Russia, Mexico's April 2024 MFN increases, Switzerland's abolition of "
        "industrial tariffs on 2024-01-01 (its figure predates it).",
        "",
        "## Groups, memberships and alliances",
        "",
        "- `groups.csv`: EU (ten members + EU-REST), USMCA, ASEAN (the seven in the dataset), "
        "MERCOSUR (BRA, ARG), GCC (SAU, ARE, QAT), EFTA (CHE, NOR).",
        "- `memberships.csv`: UN, WTO, WHO, PARIS (Paris Agreement), UNHRC, ICC, NATO, G7, "
        "G20, BRICS, CPTPP, RCEP, SCO, OPEC, EU, ASEAN, USMCA, GCC, MERCOSUR, UNESCO as of "
        "31 December 2024. The US withdrawals of 2025 (WHO, Paris, UNHRC, UNESCO) are not "
        "here: they are scenario events. UNHRC rows are members serving in December 2024 "
        "(terms in the source). EU-REST appears only where all 17 members share the "
        "membership (UN, WTO, WHO, PARIS, ICC, EU, UNESCO), with an empty `since`; ROW has no "
        "memberships (it mixes members and non-members of everything). Past memberships "
        "(GBR in the EU, RUS in the G8, QAT in OPEC, PHL in the ICC, ISR in UNESCO) carry an "
        "`until` date.",
        "- `alliances.csv`: one row per unordered pair and treaty of mutual-defence "
        "commitments in force at end-2024: NATO (13 members in the dataset, Sweden from "
        "2024-03-07), the EU mutual-assistance clause (Art. 42(7) TEU), US–Japan, US–Korea, "
        "ANZUS (US–AUS and AUS–NZL; US obligations to New Zealand suspended since 1986), "
        "US–Philippines, the Manila Pact (US–Thailand), the Rio Treaty (USA, BRA, ARG; Mexico "
        "left in 2004), the Arab League joint-defence treaty (EGY, SAU, QAT, ARE) and the GCC "
        "Joint Defence Agreement. Left out: the 1959 US–Pakistan executive agreement, the "
        "Taiwan Relations Act (not a treaty), the Five Power Defence Arrangements "
        "(consultative), CSTO and the 2024 Russia–North Korea treaty (partners in ROW), and the "
        "2025 Saudi–Pakistan agreement (after end-2024). Cross-checked against ATOP v5.1 "
        "defence dyads for 2018.",
        "",
        "## Caveats",
        "",
        "- Non-US bilateral flows are measured 2023 flows scaled to 2024 totals: their "
        "pattern is measured, their 2024 level an estimate (Taiwan's non-US pairs are "
        "imputed). The recalled figures (totals, non-US pairs, tariffs, dates) should be "
        "checked against the publications named before being relied upon.",
        "- Mirror statistics differ: US flows are US-reported (exports FOB, imports customs "
        "value), other known pairs are mostly importer-reported; totals are each reporter's "
        "own. The matrix mixes them by construction.",
        "- Highly open economies (see the table above: Singapore, the UAE, the Netherlands, "
        "Belgium, Vietnam, Malaysia) have imports of 50–90% of GDP because re-exports and "
        "transit trade are in the goods totals while GDP is value added; domestic sales stay "
        "positive but small for some of them.",
        "- RAS scales all of an economy's free flows by the same factors: where a 2024 total "
        "(national statistics, CIF imports, including trade with Taiwan) differs from BACI's "
        "2023 total (reconciled mirror flows, FOB), the difference is spread over all its "
        "partners (e.g. Russia's and Korea's imports, Iran's exports).",
        "- Turkey halted trade with Israel in May 2024; the 2024 flows are scaled from 2023 "
        "without this break.",
        "- EU-REST and ROW flows are aggregates: trade inside them is not recorded, and the "
        "gravity distances for them are GDP-weighted averages.",
        "- ROW GDP is a residual of a recalled world total (±15%), and ROW military "
        "expenditure includes SIPRI's estimates for Vietnam, the UAE and Qatar.",
        "",
    ]
    (OUT / "SOURCES.md").write_text("\n".join(L), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Build the dataset folder and print a summary."""
    global OUT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", help="reference folder (with trade-baci-2023/)")
    ap.add_argument("--out", help="dataset folder to write (default: the bundled one)")
    args = ap.parse_args(argv)
    reference = Path(args.reference or os.environ.get("WORLDORDER_REFERENCE") or REFERENCE)
    if args.out:
        OUT = Path(args.out)
    OUT.mkdir(parents=True, exist_ok=True)
    econ = load_economies()
    groups_df, groups = load_groups()
    tb = build_trade(econ, groups, load_baci(reference))
    nu = float(read_input("parameters").set_index("parameter").loc["nu", "value"])
    tariffs, row_rate, zero_notes = build_tariffs(groups)
    memberships = build_memberships()
    alliances = build_alliances()

    # Rounded values are what the dataset holds: check on them.
    x = np.array([[float(fmt(float(v), TRADE_DECIMALS)) for v in r] for r in tb.value])
    np.fill_diagonal(x, 0.0)
    if (x < 0).any():
        raise ValueError("negative trade flow")
    absorb = absorption_check(econ, x, nu)

    write_toml()
    write_economies(econ)
    trade = write_trade(tb)
    write_csv(tariffs, "tariffs.csv")
    write_csv(groups_df, "groups.csv")
    write_csv(memberships, "memberships.csv")
    write_csv(alliances, "alliances.csv")
    write_constituents()
    write_sources(econ, tb, trade, absorb, row_rate, zero_notes, len(tariffs))

    ck = econ.checks
    print(f"world-2024 written to {OUT}")
    print(f"economies: {len(ORDER)} (45 countries + EU-REST + ROW)")
    print(
        f"GDP of the 46 named economies: {ck['listed_gdp']:,.1f} of world "
        f"{ck['world_gdp']:,.0f} = {100 * ck['share_world_gdp']:.1f}% "
        f"({'ok' if ck['share_world_gdp'] >= 0.9 else 'BELOW 90%'})"
    )
    print(
        f"EU-REST GDP bottom-up {ck['eu_rest_gdp']:.1f} vs EU27 minus listed "
        f"{ck['eu_rest_gdp_topdown']:.1f}; ROW GDP {econ.table.loc[ROW, 'gdp']:.1f} "
        f"(lower bound from 26 ROW economies {ck['row_gdp_lower_bound']:.1f})"
    )
    print(f"trade rows: {len(trade)}; by source type:")
    for k, v in trade["kind"].value_counts().sort_index().items():
        print(f"  {k:16s} {v:5d}")
    used = f"PPML used (distance {tb.dist_coef}, RTA {tb.rta_coef} fixed)"
    for label, res in (
        (used, tb.fit),
        ("PPML diagnostic, all coefficients free", tb.fit_free),
        ("PPML diagnostic, verified Census pairs only", tb.fit_verified),
    ):
        print(f"{label}: n = {res.n_obs}, pseudo-R2 = {res.pseudo_r2:.4f}")
        for nme, b, s in zip(res.names, res.beta, res.se, strict=True):
            print(f"  {nme:16s} {b:9.4f}  (robust s.e. {s:.4f})")
    for s, (f_out, f_in) in tb.sanction_factors.items():
        print(f"sanctions factor {s}: coalition exports x{f_out:.4f}, imports x{f_in:.4f}")
    print(f"PPML: {tb.fit.iterations} IRLS iterations, converged {tb.fit.converged}")
    print(f"IPF: {tb.ipf_iterations} iterations, max relative deviation {tb.ipf_max_dev:.2e}")
    print(
        f"sum of flows {absorb['exports'].sum():,.1f} vs world merchandise exports "
        f"{ck['world_merchandise_exports']:,.0f}; ROW exports {absorb.loc[ROW, 'exports']:.1f}"
        f", imports {absorb.loc[ROW, 'imports']:.1f}; EU-REST exports "
        f"{absorb.loc[EU_REST, 'exports']:.1f}, imports {absorb.loc[EU_REST, 'imports']:.1f}"
    )
    print(
        f"tariff rows: {len(tariffs)} (ROW importer rate {row_rate:.4f}); memberships: "
        f"{len(memberships)}; alliance pairs: {len(alliances)}; groups: "
        f"{groups_df['group'].nunique()}"
    )
    print(
        f"domestic-absorption check (nu = {nu}): E_i = GDP_i + (1-nu)(M_i - (1-nu)X_i), "
        "need E_i - M_i > 0"
    )
    print(f"  {'code':8s} {'GDP':>9s} {'imports':>9s} {'M/GDP':>6s} {'E-M':>9s} {'(E-M)/E':>8s}")
    for c, r in absorb.sort_values("imports_over_gdp", ascending=False).iterrows():
        flag = "" if r["domestic_sales"] > 0 else "  FAIL"
        print(
            f"  {c:8s} {r['gdp']:9.1f} {r['imports']:9.1f} {r['imports_over_gdp']:6.3f} "
            f"{r['domestic_sales']:9.1f} {r['domestic_share']:8.3f}{flag}"
        )
    bad = absorb.index[absorb["domestic_sales"] <= 0].tolist()
    print("  all economies have positive domestic sales" if not bad else f"  FAILED: {bad}")
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
