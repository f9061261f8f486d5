"""Build the bundled dataset ``world-2023`` (``src/worldorder/datasets/world-2023/``).

194 economies in 2023 with their measured bilateral goods trade (CEPII BACI), GDP (World Bank
WDI), military expenditure (SIPRI), population (COW NMC), baseline applied tariffs (as in
``world-2024``), blocs, organisation memberships and defence alliances (ATOP). Every row names
its source and confidence. Run from anywhere::

    .venv/bin/python data-raw/world-2023/build.py [--reference DIR] [--out DIR]

``--reference`` is the reference folder (default: ``$WORLDORDER_REFERENCE`` or
``../shared/reference`` beside the repository); ``--out`` the dataset folder to write (default:
the bundled one). The build is deterministic: two runs write byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import io
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
INPUTS = HERE / "inputs"
W24 = HERE.parent / "world-2024" / "inputs"
OUT = ROOT / "src" / "worldorder" / "datasets" / "world-2023"

NAME = "world-2023"
YEAR = 2023
NU_DEFAULT, NU_USA = 0.1143, 0.2705  # ignatenko2025 preset, for the absorption check only
TRADE_DECIMALS = 9  # USD billion to the dollar: BACI's kUSD values with 3 decimals are exact

BACI_SOURCE = ("CEPII BACI HS22 V202501, 2023, summed over products (Gaulier & Zignago 2010), "
               "as assembled in the replication package of Ignatenko et al. (2025)")
WDI_SOURCE = ("World Bank, World Development Indicators, NY.GDP.MKTP.CD, 2023 (current USD), as "
              "assembled in the replication package of Ignatenko et al. (2025)")
SIPRI_SOURCE = "SIPRI Military Expenditure Database, 2025 release (2023, current USD)"
COW_SOURCE = "COW National Material Capabilities v7.0, tpop (total population)"
TROOPS_REGION = ("region as coded in Allen, Flynn & Martinez Machain (2022) US troops data "
                 "(troopdata; World Bank regions)")
ATOP_SOURCE = ("ATOP v5.1 directed dyad-years (Leeds et al. 2002): defence obligation in force "
               "in 2018, the last year of ATOP v5.1")
MFN_SOURCE = "World Tariff Profiles 2024, trade-weighted average MFN applied duty"


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def read(path: Path, **kw: object) -> pd.DataFrame:
    """A CSV file as strings (empty cells empty)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)  # type: ignore[arg-type]


def reference_dir(arg: str | None) -> Path:
    """The reference folder: the argument, ``$WORLDORDER_REFERENCE`` or the default."""
    ref = Path(arg or os.environ.get("WORLDORDER_REFERENCE") or ROOT.parent / "shared"
               / "reference")
    if not (ref / "trade-baci-2023" / "trade.csv").is_file():
        raise SystemExit(f"{ref}: no trade-baci-2023/trade.csv (give --reference DIR)")
    return ref


def fmt(v: float, decimals: int) -> str:
    """Fixed decimals without trailing zeros (empty for NaN), never '-0'."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    s = f"{v:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def cow_iso3(ref: Path) -> dict[int, str]:
    """COW state code -> ISO3, from the ISO3 columns of the UNGA and US-troops files (plus the
    aliases of ``inputs/code_aliases.csv``)."""
    sec = ref / "security"
    u = read(sec / "unga_ideal_points_bsv_jun2024.csv", usecols=["ccode", "iso3c"])
    t = read(sec / "us_troops_abroad_country_year_1950_2024.csv", usecols=["ccode", "iso3c"])
    out: dict[int, str] = {}
    for df in (u, t):
        for c, iso in zip(df["ccode"], df["iso3c"], strict=True):
            if iso and iso != "NA" and c:
                out.setdefault(int(float(c)), iso)
    al = read(INPUTS / "code_aliases.csv")
    for _, r in al[al["table"] == "cow"].iterrows():
        out[int(r["name_or_code"])] = r["iso3"]
    return out


# ---------------------------------------------------------------------------------------------
# Economies
# ---------------------------------------------------------------------------------------------
def build_economies(ref: Path) -> pd.DataFrame:
    """One row per economy: GDP (WDI), population (COW), military expenditure (SIPRI), region."""
    e = read(ref / "trade-baci-2023" / "economies.csv").sort_values("iso3", kind="stable")
    codes = list(e["iso3"])
    out = pd.DataFrame({"code": codes, "name": list(e["name"])}).set_index("code")
    out["gdp"] = [float(v) / 1e9 for v in e["gdp_usd"]]
    out["gdp_source"] = WDI_SOURCE
    out["gdp_confidence"] = "measured"

    # population: COW NMC, latest year up to 2023 of the COW state mapped to the economy
    sec = ref / "security"
    nmc = pd.read_csv(sec / "cow_nmc_v7_state_year.csv", usecols=["ccode", "year", "tpop"])
    nmc = nmc[nmc["tpop"].notna() & (nmc["year"] <= YEAR)]
    last = nmc.sort_values("year").groupby("ccode").tail(1).set_index("ccode")
    iso = cow_iso3(ref)
    best: dict[str, tuple[int, float]] = {}
    for cc, r in last.iterrows():
        c = iso.get(int(cc))
        if c in out.index and (c not in best or int(r["year"]) > best[c][0]):
            best[c] = (int(r["year"]), float(r["tpop"]) / 1e3)
    out["population"] = [best[c][1] if c in best else float("nan") for c in codes]
    out["population_source"] = [f"{COW_SOURCE}, {best[c][0]} (latest year in v7.0)"
                                if c in best else "not available (not a COW state)"
                                for c in codes]
    out["population_confidence"] = ["measured" if c in best else "" for c in codes]

    # military expenditure: SIPRI 2023, current USD m, matched by name
    s = pd.read_csv(sec / "sipri_milex_1949_2024_long.csv")
    s = s[(s["year"] == YEAR) & s["current_usd_m"].notna()]
    alias = read(INPUTS / "code_aliases.csv")
    by_name = {_norm(n): c for c, n in zip(e["iso3"], e["name"], strict=True)}
    by_name.update({_norm(r["name_or_code"]): r["iso3"]
                    for _, r in alias[alias["table"] == "sipri"].iterrows()})
    milex: dict[str, float] = {}
    for country, v in zip(s["Country"], s["current_usd_m"], strict=True):
        c = by_name.get(_norm(country))
        if c in out.index:
            milex[c] = float(v) / 1e3
    out["military_expenditure"] = [milex.get(c, float("nan")) for c in codes]
    out["military_source"] = [SIPRI_SOURCE if c in milex else "not in the SIPRI database"
                              for c in codes]
    out["military_confidence"] = ["measured" if c in milex else "" for c in codes]

    # region: World Bank regions as coded in the US-troops file, else inputs/regions.csv
    t = read(sec / "us_troops_abroad_country_year_1950_2024.csv",
             usecols=["iso3c", "region"]).drop_duplicates("iso3c")
    region = dict(zip(t["iso3c"], t["region"], strict=True))
    extra = read(INPUTS / "regions.csv").set_index("code")
    out["region"] = [region.get(c) or extra.loc[c, "region"] for c in codes]
    out["region_source"] = [TROOPS_REGION if region.get(c) else extra.loc[c, "source"]
                            for c in codes]
    return out


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalpha())


# ---------------------------------------------------------------------------------------------
# Trade
# ---------------------------------------------------------------------------------------------
def build_trade(ref: Path, codes: list[str]) -> pd.DataFrame:
    """BACI flows in USD billion, one row per non-zero pair, in matrix order."""
    t = read(ref / "trade-baci-2023" / "trade.csv")
    pos = {c: k for k, c in enumerate(codes)}
    unknown = sorted(set(t["exporter"]).union(t["importer"]) - set(codes))
    if unknown:
        raise SystemExit(f"trade-baci-2023/trade.csv: economies without GDP: {unknown}")
    t = t.assign(_a=t["exporter"].map(pos), _b=t["importer"].map(pos),
                 v=[float(x) / 1e6 for x in t["value_kusd"]])
    t = t[(t["_a"] != t["_b"]) & (t["v"] > 0)].sort_values(["_a", "_b"], kind="stable")
    return pd.DataFrame({"exporter": t["exporter"].to_numpy(), "importer": t["importer"].to_numpy(),
                         "value": t["v"].to_numpy(), "source": BACI_SOURCE,
                         "confidence": "measured"})


# ---------------------------------------------------------------------------------------------
# Tariffs, groups, memberships, alliances
# ---------------------------------------------------------------------------------------------
def load_groups() -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """``inputs/groups.csv`` and its group -> members mapping."""
    g = read(INPUTS / "groups.csv")
    return g, {str(k): list(v["member"]) for k, v in g.groupby("group", sort=False)}


def expand(tokens: str, groups: dict[str, list[str]], codes: set[str]) -> list[str]:
    """Economy codes of a space-separated list of codes and groups (codes not in the dataset,
    such as world-2024's aggregates and Taiwan, are dropped)."""
    out: list[str] = []
    for tok in tokens.split():
        out.extend(groups.get(tok, [tok]))
    return [c for c in out if c in codes]


def zero_tariff_pairs(groups: dict[str, list[str]], codes: list[str]
                      ) -> dict[tuple[str, str], str]:
    """(importer, exporter) -> the agreement of world-2024's table that makes the pair duty-free
    (customs unions, FTAs, LDC schemes), expanded to the members of this dataset's groups."""
    ag = read(W24 / "agreements.csv")
    known = set(codes)
    why: dict[tuple[str, str], str] = {}
    for _, r in ag.iterrows():
        if r["tariff_zero"] != "yes":
            continue
        a = expand(r["side_a"], groups, known)
        b = expand(r["side_b"], groups, known) if r["side_b"] else a
        for x in a:
            for y in b:
                if x == y:
                    continue
                why.setdefault((x, y), r["agreement"])
                if r["kind"] != "unilateral":
                    why.setdefault((y, x), r["agreement"])
    return why


def build_tariffs(codes: list[str], groups: dict[str, list[str]]
                  ) -> tuple[pd.DataFrame, float, int]:
    """Baseline applied tariffs (end-2024, before the 2025 measures), one row per duty > 0.

    The importer's trade-weighted MFN average (World Tariff Profiles 2024, as world-2024 reads
    it; the EU's for every EU member), the US-China rates of world-2024 (Bown, PIIE), zero
    inside the agreements of world-2024's table; importers without a figure get the median of
    the non-EU MFN averages, flagged ``imputed``.
    """
    mfn = read(W24 / "mfn_tariffs.csv").set_index("importer")
    over = read(W24 / "tariff_overrides.csv")
    over_map = {(r["importer"], r["exporter"]): r for _, r in over.iterrows()}
    eu = set(groups["EU"])
    non_eu = [float(r) for c, r in mfn["rate"].items() if c != "EU"]
    imputed_rate = float(np.median(non_eu))
    zero = zero_tariff_pairs(groups, codes)
    rows: list[tuple[str, str, float, str, str]] = []
    n_imputed_importers = 0
    for imp in codes:
        key = "EU" if imp in eu else imp
        has = key in mfn.index
        n_imputed_importers += not has
        for exp in codes:
            if exp == imp:
                continue
            if (imp, exp) in over_map:
                r = over_map[(imp, exp)]
                rows.append((imp, exp, float(r["rate"]), r["source"], r["confidence"]))
                continue
            if (imp, exp) in zero:
                continue
            if has:
                m = mfn.loc[key]
                rate = float(m["rate"])
                src = ("EU common external tariff; " if key == "EU" else "") + MFN_SOURCE
                conf = m["confidence"]
            else:
                rate, conf = imputed_rate, "imputed"
                src = ("imputed: median of the non-EU trade-weighted MFN averages of World "
                       "Tariff Profiles 2024 (no figure for this importer here; its "
                       "preferential agreements are not listed)")
            if rate > 0:
                rows.append((imp, exp, rate, src, conf))
    df = pd.DataFrame(rows, columns=["importer", "exporter", "rate", "source", "confidence"])
    return df, imputed_rate, n_imputed_importers


def build_memberships(codes: list[str]) -> pd.DataFrame:
    """world-2024's memberships (EU-REST expanded to its members) plus this dataset's extra
    rows, and UN membership of every sovereign economy not listed there."""
    known = set(codes)
    m24 = read(W24 / "memberships.csv")
    eu_rest = list(read(W24 / "eu_rest_members.csv")["iso3"])
    parts = [m24[m24["economy"].isin(known)]]
    rest = m24[m24["economy"] == "EU-REST"]
    for c in eu_rest:
        parts.append(rest.assign(economy=c, source=rest["source"]
                                 + " (world-2024 row of EU-REST, expanded to its members)"))
    extra = read(INPUTS / "memberships_extra.csv")
    parts.append(extra)
    m = pd.concat(parts, ignore_index=True)
    terr = set(read(INPUTS / "territories.csv")["code"])
    in_un = set(m.loc[m["organization"] == "UN", "economy"])
    un = [c for c in codes if c not in terr and c not in in_un]
    m = pd.concat([m, pd.DataFrame({
        "economy": un, "organization": "UN", "since": "", "until": "",
        "source": "United Nations, Member States (un.org): every economy of the dataset but the "
                  "territories of inputs/territories.csv (admission dates not given)",
        "confidence": "unverified (stable fact, dates left empty)"})], ignore_index=True)
    bad = sorted(set(m["economy"]) - known)
    if bad:
        raise SystemExit(f"memberships: unknown economies {bad}")
    order = {c: k for k, c in enumerate(codes)}
    m = m.assign(_k=m["economy"].map(order))
    m = m.sort_values(["organization", "_k", "since"], kind="stable").drop(columns="_k")
    return m.drop_duplicates(["economy", "organization", "since"]).reset_index(drop=True)


def build_alliances(ref: Path, codes: list[str], memberships: pd.DataFrame) -> pd.DataFrame:
    """Defence obligations: ATOP v5.1 pairs in force in 2018, plus NATO pairs of the members
    that joined after 2018 (North Macedonia 2020, Finland 2023, Sweden 2024)."""
    a = pd.read_csv(ref / "security" / "atop_v5_1_dyad_year.csv.gz",
                    usecols=["ccode1", "ccode2", "year", "atop_defense"])
    a = a[(a["atop_defense"] == 1) & (a["ccode1"] < a["ccode2"])]
    iso = cow_iso3(ref)
    order = {c: k for k, c in enumerate(codes)}
    rows: list[dict[str, str]] = []
    for (c1, c2), sub in a.groupby(["ccode1", "ccode2"], sort=True):
        years = sorted(set(sub["year"]))
        if years[-1] != 2018:
            continue
        x, y = iso.get(int(c1)), iso.get(int(c2))
        if x not in order or y not in order or x == y:
            continue
        start = years[-1]
        while start - 1 in years:
            start -= 1
        lo, hi = sorted((x, y), key=order.__getitem__)
        rows.append({"a": lo, "b": hi, "treaty": "defence obligation (ATOP v5.1)",
                     "since": str(start), "source": ATOP_SOURCE
                     + f"; in force without a break since {start}", "confidence": "measured"})
    nato = memberships[memberships["organization"] == "NATO"]
    since = dict(zip(nato["economy"], nato["since"], strict=True))
    new = {c: d for c, d in since.items() if d and d > "2018-12-31"}
    for c, d in sorted(new.items()):
        for other, d2 in since.items():
            if other == c or (other in new and (new[other], other) > (d, c)):
                continue  # each pair once, added by its later member
            lo, hi = sorted((c, other), key=order.__getitem__)
            rows.append({"a": lo, "b": hi, "treaty": "North Atlantic Treaty (accession after 2018)",
                         "since": max(d, d2), "source": "North Atlantic Treaty (1949), Art. 5; "
                         "NATO member countries and accession dates (nato.int)",
                         "confidence": "unverified (recalled dates)"})
    out = pd.DataFrame(rows)
    out = out.drop_duplicates(["a", "b", "treaty"])
    out = out.assign(_a=out["a"].map(order), _b=out["b"].map(order))
    out = out.sort_values(["treaty", "_a", "_b"], kind="stable").drop(columns=["_a", "_b"])
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------
def absorption(econ: pd.DataFrame, trade: pd.DataFrame) -> pd.DataFrame:
    """The model's derived domestic sales X_ii = E_i - M_i with E_i = GDP_i + T_i and
    T_i = (1-nu_i)(M_i - sum_k (1-nu_k) X_ik) (ignatenko2025; as main_baseline.m of the
    replication package), per economy."""
    codes = list(econ.index)
    pos = {c: k for k, c in enumerate(codes)}
    n = len(codes)
    x = np.zeros((n, n))
    x[trade["exporter"].map(pos), trade["importer"].map(pos)] = trade["value"].to_numpy()
    nu = np.full(n, NU_DEFAULT)
    nu[pos["USA"]] = NU_USA
    m, ex_w = x.sum(axis=0), (x * (1 - nu)[None, :]).sum(axis=1)
    t = (1 - nu) * (m - ex_w)
    e = econ["gdp"].to_numpy() + t
    return pd.DataFrame({"gdp": econ["gdp"].to_numpy(), "exports": x.sum(axis=1), "imports": m,
                         "domestic": e - m}, index=codes)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def write_csv(df: pd.DataFrame, out: Path, name: str) -> None:
    """A CSV with Unix line endings; gzip (no name, mtime 0: reproducible) when ``.gz``."""
    text = df.to_csv(index=False, lineterminator="\n")
    if name.endswith(".gz"):
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
            g.write(text.encode("utf-8"))
        (out / name).write_bytes(buf.getvalue())
    else:
        (out / name).write_text(text, encoding="utf-8")


def toml_str(s: str) -> str:
    """Quote a string for TOML."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


SOURCES = {
    "economies": (
        "GDP 2023 (to the dollar): World Bank WDI (NY.GDP.MKTP.CD), as in the replication "
        "package of Ignatenko et al. (2025). Military expenditure 2023: SIPRI Military "
        "Expenditure Database, 2025 release. Population: COW National Material Capabilities "
        "v7.0 (latest year, 2022); blank for the 11 territories. Region: World Bank regions. "
        "Row-by-row sources."
    ),
    "trade": (
        "CEPII BACI HS22 V202501, 2023 (Gaulier & Zignago 2010; Etalab Open Licence 2.0), "
        "summed over products, as assembled in the replication package of Ignatenko, Macedoni, "
        "Lashkaripour & Simonovska (2025): every pair measured; Taiwan is not among the "
        "economies. Domestic flows are not given: the model derives them from GDP as the "
        "replication does. Row-by-row source and confidence in the table."
    ),
    "tariffs": (
        "As world-2024 (baseline before the 2025 measures): WTO/ITC/UNCTAD World Tariff "
        "Profiles 2024 trade-weighted MFN averages for 36 importers (the EU's for all 27 "
        "members; recalled), US-China rates from Bown (PIIE), zero inside world-2024's "
        "agreements; other importers imputed (median MFN average), flagged row by row."
    ),
    "groups": "Official member lists: europa.eu, USTR (USMCA), asean.org, mercosur.int, "
              "gcc-sg.org, efta.int.",
    "memberships": (
        "world-2024's membership table (official lists as of 31 December 2024) for the "
        "economies it covers, expanded to the members of EU-REST; NATO, ASEAN, GCC and "
        "MERCOSUR members added; UN membership of every sovereign economy. Other "
        "organisations (WTO, WHO, Paris, ...) are listed only for world-2024's economies."
    ),
    "alliances": (
        "ATOP v5.1 (Leeds et al. 2002) defence obligations in force in 2018, and NATO "
        "accessions after 2018 (North Macedonia, Finland, Sweden)."
    ),
}


def write_toml(out: Path) -> None:
    """``dataset.toml``."""
    lines = [
        f'name = "{NAME}"',
        f"year = {YEAR}",
        "description = " + toml_str(
            "194 economies in 2023: measured bilateral goods trade (CEPII BACI), GDP (World "
            "Bank WDI), military expenditure (SIPRI), population (COW), baseline applied "
            "tariffs (as world-2024), blocs, memberships and defence alliances (ATOP). Taiwan "
            "is not included. See SOURCES.md."),
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
    lines += [f"{k} = {toml_str(v)}" for k, v in SOURCES.items()]
    (out / "dataset.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def taiwan_note(ref: Path, world_trade: float) -> list[str]:
    """What leaving Taiwan out means, with cited figures (world-2024's inputs, SIPRI)."""
    tot = read(W24 / "trade_totals.csv").set_index("code").loc["TWN"]
    wt = read(W24 / "world_totals.csv").set_index("item").loc["world_merchandise_exports"]
    us = read(W24 / "us_census_2024.csv").set_index("partner")
    tw_x, tw_m, world_x = float(tot["exports"]), float(tot["imports"]), float(wt["value"])
    s = pd.read_csv(ref / "security" / "sipri_milex_1949_2024_long.csv")
    tw_mil = s[(s["Country"] == "Taiwan") & (s["year"] == YEAR)]["current_usd_m"]
    us_x, us_m = float(us.loc["TWN", "us_exports"]), float(us.loc["TWN", "us_imports"])
    share = 100 * (tw_x + tw_m) / (2 * world_x)
    share_baci = 100 * (tw_x + tw_m) / (2 * world_trade + tw_x + tw_m)
    return [
        "## Taiwan",
        "",
        "Taiwan is not among the 194 economies: the World Development Indicators have no GDP for "
        "it and Ignatenko et al. (2025) dropped it; CEPII BACI lists its flows under 'Other "
        "Asia, n.e.s.', which the replication package does not carry. Its flows are therefore "
        "absent (neither imputed nor folded into another economy), and world totals here "
        "exclude them. How much that leaves out:",
        "",
        f"- Taiwan's goods trade in 2024: exports {tw_x:.1f} and imports {tw_m:.1f} USD bn "
        f"({tot['source']}; {tot['confidence']}), i.e. {share:.1f}% of world merchandise trade "
        f"(world exports {world_x:,.0f} bn: {wt['source']}; {wt['confidence']}), or about "
        f"{share_baci:.1f}% of this dataset's world trade with Taiwan added.",
        f"- US goods trade with Taiwan in 2024: exports {us_x:.2f}, imports {us_m:.2f} USD bn "
        f"(US Census Bureau, U.S. Trade in Goods by Country, 2024; verified), Taiwan being the "
        "US's 7th partner by total goods trade.",
        f"- Military expenditure 2023: {float(tw_mil.iloc[0]) / 1e3:.1f} USD bn "
        f"({SIPRI_SOURCE})." if len(tw_mil) else "",
        "",
        "Scenarios that name Taiwan (`TWN`) need `world-2024`, where it is an economy of its "
        "own.",
        "",
    ]


def write_sources(out: Path, econ: pd.DataFrame, trade: pd.DataFrame, tariffs: pd.DataFrame,
                  imputed_rate: float, n_imp: int, memberships: pd.DataFrame,
                  alliances: pd.DataFrame, absorb: pd.DataFrame, ref: Path) -> None:
    """``SOURCES.md``: sources, method, provenance shares and caveats."""
    world_trade = float(trade["value"].sum())
    n = len(econ)
    tconf = tariffs["confidence"].eq("imputed")
    neg = absorb.index[absorb["domestic"] <= 0].tolist()
    lines = [
        f"# {NAME}: sources and method",
        "",
        "Generated by `data-raw/world-2023/build.py` from the project's reference folder "
        "(`trade-baci-2023`, `security`) and the input tables of `data-raw/world-2024` and "
        "`data-raw/world-2023`; do not edit by hand.",
        "",
        f"{n} economies, year {YEAR}, values in USD billion. World GDP {econ['gdp'].sum():,.1f}; "
        f"world goods trade {world_trade:,.1f} in {len(trade):,} pairs.",
        "",
        "## Provenance of the trade value",
        "",
        "| class | rows | value (USD bn) | share |",
        "|---|---|---|---|",
        f"| measured (CEPII BACI 2023) | {len(trade):,} | {world_trade:,.1f} | 100.0% |",
        "| estimated | 0 | 0.0 | 0.0% |",
        "| imputed | 0 | 0.0 | 0.0% |",
        "",
        "## Tables",
        "",
        "### economies.csv",
        "",
        f"- `gdp`: {WDI_SOURCE}; every row measured.",
        f"- `military_expenditure`: {SIPRI_SOURCE}, matched by country name; "
        f"{int(econ['military_expenditure'].notna().sum())} economies have a figure, the others "
        "are blank (not in the SIPRI database).",
        f"- `population`: {COW_SOURCE} (thousands, converted to millions), the latest year "
        f"in v7.0 (2022), via the COW codes of the UNGA and US-troops files; "
        f"{int(econ['population'].notna().sum())} economies, blank for the territories that "
        "are not COW states. A 2022 figure, one year before the trade and GDP.",
        "- `region`: World Bank regions as coded in the US-troops data; 12 economies from "
        "`inputs/regions.csv` (recalled).",
        "",
        "### trade.csv.gz",
        "",
        f"{BACI_SOURCE}. Goods only, FOB values, thousand USD converted to USD billion (exactly: 9 "
        "decimals). A pair absent from BACI is zero. Licence: Etalab Open Licence 2.0 (CEPII).",
        "",
        "**Domestic flows** are not in the data (`domestic_flows = false`): the model derives "
        "each economy's purchases from itself as X_ii = max(E_i - M_i, 0), with expenditure "
        "E_i = GDP_i + T_i and T_i = (1 - nu_i)(M_i - sum_k (1 - nu_k) X_ik), exactly as "
        "`main_baseline.m` of the replication package of Ignatenko et al. (2025) does "
        "(`X_ii = E_i - tot_imports; X_ii(X_ii<0) = 0`). With nu = 0 this is GDP minus exports. "
        + (f"Under the ignatenko2025 preset, {len(neg)} economies would have E_i - M_i <= 0 "
           f"(domestic sales set to zero, as in the replication): {', '.join(neg)}."
           if neg else "Under the ignatenko2025 preset every economy has E_i - M_i > 0."),
        "",
        "### tariffs.csv.gz",
        "",
        "The baseline applied tariffs before the 2025 measures, read as world-2024 reads them "
        "(its `inputs/mfn_tariffs.csv`, `tariff_overrides.csv` and `agreements.csv`): each "
        "importer's trade-weighted average MFN applied duty (WTO/ITC/UNCTAD World Tariff "
        "Profiles 2024; recalled, ±0.3-1 pp), the EU's for every EU member, the US-China rates "
        "of Bown (PIIE), and zero for pairs inside the customs unions, FTAs and LDC schemes of "
        "world-2024's table, expanded to the full member lists of this dataset's groups (e.g. "
        "all ten ASEAN members in ACFTA and RCEP). "
        f"{n_imp} importers have no figure there: they charge {imputed_rate:.4f} (the median "
        "of the non-EU MFN averages) on every partner, and their rows say `imputed` "
        f"({int(tconf.sum()):,} of {len(tariffs):,} rows). Their own preferential agreements "
        "(e.g. AfCFTA, CAN, SACU, EAEU beyond world-2024's rows, Pacific Alliance) are not "
        "listed, so tariffs among small economies are overstated.",
        "",
        "### groups.csv, memberships.csv, alliances.csv",
        "",
        "- groups: EU (27), USMCA, ASEAN (10), MERCOSUR (4 full members in 2023), GCC (6), "
        "EFTA (3 in the data): official member lists.",
        f"- memberships ({len(memberships)} rows): {SOURCES['memberships']}",
        f"- alliances ({len(alliances)} pairs): {SOURCES['alliances']} One row per unordered "
        "pair; `since` is the first year of the unbroken obligation up to 2018.",
        "",
        *taiwan_note(ref, world_trade),
        "## Licences and citations",
        "",
        "- CEPII BACI: Gaulier, G. & Zignago, S. (2010), 'BACI: International Trade Database at "
        "the Product-Level. The 1994-2007 Version', CEPII Working Paper 2010-23. Etalab Open "
        "Licence 2.0.",
        "- World Bank, World Development Indicators: CC BY 4.0.",
        "- Ignatenko, A., Macedoni, L., Lashkaripour, A. & Simonovska, I. (2025), 'Making "
        "America Great Again? The Economic Impacts of Liberation Day Tariffs', Journal of "
        "International Economics (replication package: `data/base_data/trade_cepii.csv`, "
        "`gdp.csv`, `country_labels.csv`).",
        "- SIPRI Military Expenditure Database, 2025 release (© SIPRI; use with attribution).",
        "- Singer, Bremer & Stuckey (1972); COW National Material Capabilities v7.0.",
        "- Leeds, Ritter, Mitchell & Long (2002), 'Alliance Treaty Obligations and Provisions, "
        "1815-1944', International Interactions 28: 237-260; ATOP v5.1.",
        "- Allen, Flynn & Martinez Machain (2022), 'Global U.S. military deployment data: "
        "1950-2020', Conflict Management and Peace Science 39(3) (regions).",
        "",
    ]
    (out / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Build the dataset folder and print a summary."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", help="reference folder (trade-baci-2023, security)")
    ap.add_argument("--out", help="dataset folder to write (default: the bundled one)")
    args = ap.parse_args(argv)
    ref = reference_dir(args.reference)
    out = Path(args.out) if args.out else OUT
    out.mkdir(parents=True, exist_ok=True)

    econ = build_economies(ref)
    codes = list(econ.index)
    trade = build_trade(ref, codes)
    groups_df, groups = load_groups()
    tariffs, imputed_rate, n_imp = build_tariffs(codes, groups)
    memberships = build_memberships(codes)
    alliances = build_alliances(ref, codes, memberships)
    absorb = absorption(econ, trade)

    e = econ.reset_index()
    e_out = pd.DataFrame({
        "code": e["code"], "name": e["name"], "region": e["region"],
        "gdp": [fmt(v, 9) for v in e["gdp"]],
        "population": [fmt(v, 3) for v in e["population"]],
        "military_expenditure": [fmt(v, 4) for v in e["military_expenditure"]],
        "gdp_source": e["gdp_source"], "gdp_confidence": e["gdp_confidence"],
        "population_source": e["population_source"],
        "population_confidence": e["population_confidence"],
        "military_source": e["military_source"], "military_confidence": e["military_confidence"],
        "region_source": e["region_source"]})
    t_out = trade.assign(value=[fmt(v, TRADE_DECIMALS) for v in trade["value"]])
    tar_out = tariffs.assign(rate=[fmt(v, 4) for v in tariffs["rate"]])

    write_toml(out)
    write_csv(e_out, out, "economies.csv")
    write_csv(t_out, out, "trade.csv.gz")
    write_csv(tar_out, out, "tariffs.csv.gz")
    write_csv(groups_df, out, "groups.csv")
    write_csv(memberships, out, "memberships.csv")
    write_csv(alliances, out, "alliances.csv")
    write_sources(out, econ, trade, tariffs, imputed_rate, n_imp, memberships, alliances,
                  absorb, ref)

    print(f"{NAME} written to {out}")
    print(f"economies: {len(codes)}; world GDP {econ['gdp'].sum():,.1f} USD bn")
    print(f"trade rows: {len(trade):,} (all measured), world trade {trade['value'].sum():,.1f}")
    print(f"population: {int(econ['population'].notna().sum())}; military expenditure: "
          f"{int(econ['military_expenditure'].notna().sum())}")
    print(f"tariff rows: {len(tariffs):,} ({int(tariffs['confidence'].eq('imputed').sum()):,} "
          f"imputed, {n_imp} importers at {imputed_rate:.4f})")
    print(f"memberships: {len(memberships)}; alliance pairs: {len(alliances)}; groups: "
          f"{groups_df['group'].nunique()}")
    neg = absorb[absorb["domestic"] <= 0]
    print(f"economies with derived domestic sales <= 0 (set to zero by the model): "
          f"{', '.join(neg.index) or 'none'}")


if __name__ == "__main__":
    main()
