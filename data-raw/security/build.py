"""Build the bundled security panels from the shared reference data.

Run from the repository root::

    .venv/bin/python data-raw/security/build.py [--reference DIR]

``DIR`` is the folder ``security`` of the shared reference data (default:
``../shared/reference/security`` beside the repository, or ``$WORLDORDER_REFERENCE/security``).
The script writes compact Parquet panels keyed by ISO3 code and year, ``panels.toml`` (each
panel's source, licence, coverage, columns and caveats, read by
``worldorder.data.panels.panel_sources``) and ``SOURCES.md`` into
``src/worldorder/datasets/security/``. Re-running it gives the same tables.

Country codes: COW state codes (``ccode``) are converted with ``country_converter`` through its
Gleditsch–Ward column (``GWcode``), which agrees with COW for most states, plus the manual fixes
in ``COW_FIXES`` (documented there and in SOURCES.md). States without an ISO 3166 code keep the
key ``COW<ccode>`` (e.g. ``COW245`` for Bavaria); retired ISO 3166-3 codes are used where they
exist (``DDR``, ``CSK``, ``YMD``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import country_converter as coco
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "src" / "worldorder" / "datasets" / "security"

# --- COW ccode -> ISO3 -------------------------------------------------------------------------
# country_converter has no COW column; its Gleditsch-Ward codes equal COW's except where listed
# here. Each fix says why.
COW_FIXES: dict[int, str] = {
    255: "DEU",  # Germany (Prussia) 1816-1945 and unified Germany from 1990 (GW uses 260)
    260: "DEU",  # German Federal Republic 1955-1990: the same ISO3 as unified Germany
    265: "DDR",  # German Democratic Republic 1954-1990: retired ISO 3166-3 code
    300: "COW300",  # Austria-Hungary 1816-1918 (Austria from 1918 is 305 = AUT)
    315: "CSK",  # Czechoslovakia 1918-1992 (GW maps 315 to Czechia): retired ISO 3166-3 code
    316: "CZE",  # Czech Republic from 1993
    345: "SRB",  # Yugoslavia 1878-2006 then Serbia: COW treats Serbia as the continuing state
    347: "XKX",  # Kosovo (user-assigned code, as the World Bank and the EU use)
    365: "RUS",  # Russia/USSR: COW treats Russia as the continuing state of the USSR
    678: "YEM",  # Yemen Arab Republic (North Yemen) 1926-1990: predecessor of unified Yemen
    679: "YEM",  # Yemen from 22 May 1990
    680: "YMD",  # Yemen People's Republic (South Yemen) 1967-1990: retired ISO 3166-3 code
    730: "COW730",  # Korea (Joseon) 1887-1905
    816: "VNM",  # Vietnam (Democratic Republic, then unified Vietnam)
    817: "COW817",  # Republic of Vietnam (South Vietnam) 1954-1975 (GW/coco map it to VNM)
    946: "KIR",  # Kiribati (GW 970)
    947: "TUV",  # Tuvalu (GW 973)
    955: "TON",  # Tonga (GW 972)
    970: "NRU",  # Nauru (COW 970; GW 970 is Kiribati)
}
# States of the 19th century without an ISO code: Hanover, Bavaria, Baden, Saxony, Wuerttemberg,
# Hesse Electoral, Hesse Grand Ducal, Mecklenburg-Schwerin, Papal States, Two Sicilies, Modena,
# Parma, Tuscany, Zanzibar.
for _c in (240, 245, 267, 269, 271, 273, 275, 280, 327, 329, 332, 335, 337, 511):
    COW_FIXES[_c] = f"COW{_c}"

# When two COW states map to one ISO3 code in the same year (a merger year), the successor
# that exists at the end of the year is kept.
SUCCESSOR = {260: 255, 678: 679}

SIPRI_NAME_FIXES = {
    "USSR": "RUS",  # 1987-1990 (the Russia row has no figures before 1992)
    "Yugoslavia": "SRB",  # 1958-1990, as COW 345
    "Czechoslovakia": "CSK",
    "German Democratic Republic": "DDR",
    "Yemen, North": "YEM",
    "Kosovo": "XKX",
    "Korea, North": "PRK",
    "Korea, South": "KOR",
    "Congo, DR": "COD",
    "Congo, Republic": "COG",
}
SIPRI_AGGREGATES = {
    "Africa", "North Africa", "sub-Saharan Africa", "Americas",
    "Central America and the Caribbean", "North America", "South America", "Asia & Oceania",
    "Oceania", "South Asia", "East Asia", "South East Asia", "Central Asia", "Europe",
    "Central Europe", "Eastern Europe", "Western Europe", "European Union", "Middle East",
}
AID_CODE_FIXES = {
    "CS-KM": "XKX",  # Kosovo
    "SCG": "SRB",  # Serbia and Montenegro (as COW 345)
    "YUF": "SRB",  # Yugoslavia (former)
    "SUN": "RUS",  # Soviet Union (former), as COW 365
}
AID_NAME_FIXES = {
    "Berlin, West": "DEU",
    "Czechoslovakia (former)": "CSK",
    "Germany (former East)": "DDR",
    "Luxembourg": "LUX",
    "Soviet Union (former)": "RUS",
    "Vietnam (former South)": "COW817",
    "Yemen (former P.D.R.)": "YMD",
    "Kosovo": "XKX",
}

# --- Alliance changes after ATOP 5.1 (which ends in 2018) --------------------------------------
# NATO members with accession dates (NATO, "Member countries", nato.int; accession = deposit of
# the instrument of accession with the US government).
NATO_SOURCE = "NATO, 'NATO member countries' (nato.int), accession dates"
NATO_ACCESSION = {
    "BEL": "1949-08-24", "CAN": "1949-08-24", "DNK": "1949-08-24", "FRA": "1949-08-24",
    "ISL": "1949-08-24", "ITA": "1949-08-24", "LUX": "1949-08-24", "NLD": "1949-08-24",
    "NOR": "1949-08-24", "PRT": "1949-08-24", "GBR": "1949-08-24", "USA": "1949-08-24",
    "GRC": "1952-02-18", "TUR": "1952-02-18", "DEU": "1955-05-06", "ESP": "1982-05-30",
    "CZE": "1999-03-12", "HUN": "1999-03-12", "POL": "1999-03-12", "BGR": "2004-03-29",
    "EST": "2004-03-29", "LVA": "2004-03-29", "LTU": "2004-03-29", "ROU": "2004-03-29",
    "SVK": "2004-03-29", "SVN": "2004-03-29", "ALB": "2009-04-01", "HRV": "2009-04-01",
    "MNE": "2017-06-05", "MKD": "2020-03-27", "FIN": "2023-04-04", "SWE": "2024-03-07",
}
# Other defence pacts that entered into force after 2018 (each pair both ways from the year).
ADDED_PACTS = [
    {
        "members": ["MLI", "BFA", "NER"], "year": 2023, "defense": 1, "consul": 1,
        "source": "Liptako-Gourma Charter establishing the Alliance of Sahel States, signed "
                  "16 Sep 2023 (Art. 6: an attack on one is an attack on all)",
    },
    {
        "members": ["RUS", "PRK"], "year": 2024, "defense": 1, "consul": 1,
        "source": "Treaty on Comprehensive Strategic Partnership between Russia and the DPRK, "
                  "signed 19 Jun 2024, in force 4 Dec 2024 (Art. 4: mutual military assistance)",
    },
]
ATOP_LAST = 2018
LAST_YEAR = 2024


def converter() -> coco.CountryConverter:
    """country_converter's table read so that 'NA' (Namibia's ISO2) stays a string.

    country_converter 1.3 reads its own table with ``na_values`` that pandas 3 applies before the
    string converters, turning Namibia's ISO2 code into a missing value and breaking the class;
    reading the table here and passing it as a DataFrame avoids that.
    """
    table = Path(coco.__file__).parent / "country_data.tsv"
    df = pd.read_csv(table, sep="\t", encoding="utf-8", dtype=str, keep_default_na=False,
                     na_values=[""])
    return coco.CountryConverter(country_data=df)


def cow_to_iso3(codes: pd.Series, cc: coco.CountryConverter) -> pd.Series:
    """ISO3 for COW state codes (GW via country_converter, then ``COW_FIXES``)."""
    uniq = sorted({int(c) for c in codes.dropna().unique()})
    rest = [c for c in uniq if c not in COW_FIXES]
    iso = cc.convert([str(c) for c in rest], src="GWcode", to="ISO3", not_found=None)
    iso = [iso] if isinstance(iso, str) else iso
    table = dict(zip(rest, iso, strict=True))
    missing = [c for c, i in table.items() if i is None or i == str(c)]
    if missing:
        raise SystemExit(f"COW codes without an ISO3 code: {missing}; add them to COW_FIXES")
    table.update(COW_FIXES)
    return codes.astype(int).map(table)


def resolve_mergers(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Drop the predecessor's row where two COW states share an ISO3 code and a year."""
    dup = df.duplicated(keys, keep=False)
    if not dup.any():
        return df
    drop = df["ccode"].isin(list(SUCCESSOR)) & dup
    out = df[~drop]
    if out.duplicated(keys).any():
        bad = out[out.duplicated(keys, keep=False)][["ccode", *keys]].head()
        raise SystemExit(f"duplicate keys after merging COW states:\n{bad}")
    return out


def build_milex(ref: Path, cc: coco.CountryConverter) -> pd.DataFrame:
    raw = pd.read_csv(ref / "sipri_milex_1949_2024_long.csv")
    raw = raw[~raw["Country"].isin(SIPRI_AGGREGATES)].copy()
    names = sorted(raw["Country"].unique())
    auto = [n for n in names if n not in SIPRI_NAME_FIXES]
    iso = cc.convert(auto, to="ISO3", not_found=None)
    table = dict(zip(auto, iso, strict=True))
    bad = [n for n, i in table.items() if i is None or len(str(i)) != 3]
    if bad:
        raise SystemExit(f"SIPRI names without ISO3: {bad}")
    table.update(SIPRI_NAME_FIXES)
    raw["iso3"] = raw["Country"].map(table)
    cols = {"const2023_usd_m": "milex_const2023_usd_m", "current_usd_m": "milex_current_usd_m",
            "share_gdp": "milex_share_gdp"}
    df = raw.rename(columns=cols)
    vals = list(cols.values())
    # SIPRI's workbook shows '...' (no data) and 'xxx' (country did not exist): both arrive
    # as empty or as 0 in the reshaped file. A zero is kept only where every measure is zero
    # or missing and the constant-price figure is zero (Costa Rica, Iceland, Panama, Haiti,
    # Mauritania: countries without armed forces or years without spending); a zero current
    # figure beside a positive constant-price figure (e.g. Russia 1992) is set to missing.
    cur_zero = (df["milex_current_usd_m"] == 0) & ~(df["milex_const2023_usd_m"] == 0)
    df.loc[cur_zero, "milex_current_usd_m"] = np.nan
    df = df.dropna(subset=vals, how="all")
    # USSR (1987-1990) and Russia are both mapped to RUS; Russia has no figures before 1992.
    df = df.sort_values(["iso3", "year", "Country"])
    if df.duplicated(["iso3", "year"]).any():
        raise SystemExit(df[df.duplicated(["iso3", "year"], keep=False)])
    # GDP at current prices implied by SIPRI's own two series: current milex / share of GDP
    # (SIPRI's GDP denominators come from the IMF).
    share = df["milex_share_gdp"].where(df["milex_share_gdp"] > 0)
    df["gdp_current_usd_m"] = df["milex_current_usd_m"] / share
    df = df.rename(columns={"Country": "sipri_name"})
    out = df[["iso3", "year", *vals, "gdp_current_usd_m", "sipri_name"]]
    return out.reset_index(drop=True).astype({"year": "int16"})


def build_cow_state_year(ref: Path, file: str, cc: coco.CountryConverter,
                         rename: dict[str, str] | None = None) -> pd.DataFrame:
    df = pd.read_csv(ref / file)
    df = df.dropna(subset=["ccode"])
    df["ccode"] = df["ccode"].astype(int)
    df["iso3"] = cow_to_iso3(df["ccode"], cc)
    df = resolve_mergers(df, ["iso3", "year"])
    if rename:
        df = df.rename(columns=rename)
    values = [c for c in df.columns if c not in ("iso3", "year", "ccode")]
    df = df.dropna(subset=values, how="all")  # rows without any figure (e.g. democracy 2020)
    cols = ["iso3", "year", "ccode", *values]
    out = df[cols].sort_values(["iso3", "year"]).reset_index(drop=True)
    return out.astype({"year": "int16", "ccode": "int16"})


def build_unga(ref: Path, cc: coco.CountryConverter) -> pd.DataFrame:
    raw = pd.read_csv(ref / "unga_ideal_points_bsv_jun2024.csv")
    raw = raw.dropna(subset=["ccode"])
    raw["ccode"] = raw["ccode"].astype(int)
    raw["iso3"] = cow_to_iso3(raw["ccode"], cc)
    raw["year"] = raw["session"] + 1945
    raw = resolve_mergers(raw, ["iso3", "year"])
    df = pd.DataFrame({
        "iso3": raw["iso3"], "year": raw["year"].astype("int16"),
        "ccode": raw["ccode"].astype("int16"), "session": raw["session"].astype("int16"),
        "nvotes": raw["NVotesAll"].astype("int32"), "ideal_point": raw["IdealPointAll"],
        "ideal_point_q5": raw["Q5%All"], "ideal_point_q95": raw["Q95%All"],
        "agree_us": raw["USAgree"], "agree_china": raw["ChinaAgree"],
        "agree_russia": raw["RUSSAgree"], "agree_india": raw["IndiaAgree"],
        "agree_brazil": raw["BrazilAgree"], "agree_israel": raw["IsraelAgree"],
    })
    return df.sort_values(["iso3", "year"]).reset_index(drop=True)


def build_alliances(ref: Path, cc: coco.CountryConverter) -> pd.DataFrame:
    raw = pd.read_csv(ref / "atop_v5_1_dyad_year.csv.gz")
    raw["iso3_a"] = cow_to_iso3(raw["ccode1"], cc)
    raw["iso3_b"] = cow_to_iso3(raw["ccode2"], cc)
    flags = ["defense", "offense", "neutral", "nonagg", "consul"]
    raw = raw.rename(columns={f"atop_{f}": f for f in flags})
    raw = raw[raw[flags].sum(axis=1) > 0]
    # Merger years: keep the successor's dyads (see SUCCESSOR); then one row per pair-year with
    # the union of obligations (a pair may hold several treaties).
    pred = raw["ccode1"].isin(list(SUCCESSOR)) | raw["ccode2"].isin(list(SUCCESSOR))
    key = ["iso3_a", "iso3_b", "year"]
    succ_keys = raw.loc[~pred, key].drop_duplicates()
    pred_rows = raw[pred].merge(succ_keys, on=key, how="left", indicator=True)
    pred_rows = pred_rows[pred_rows["_merge"] == "left_only"].drop(columns="_merge")
    raw = pd.concat([raw[~pred], pred_rows])
    raw = raw[raw["iso3_a"] != raw["iso3_b"]]
    atop = raw.groupby(key, as_index=False)[flags].max()
    atop["origin"] = "atop-5.1"
    atop["source"] = "ATOP 5.1 (Leeds et al. 2002)"

    # Carry the 2018 obligations forward to 2024 (no termination is known to us for any of them
    # except where a pair is replaced by an added pact below); flagged row by row.
    last = atop[atop["year"] == ATOP_LAST]
    carried = []
    for y in range(ATOP_LAST + 1, LAST_YEAR + 1):
        c = last.copy()
        c["year"] = y
        c["origin"] = "carried-forward"
        c["source"] = "ATOP 5.1 obligations of 2018 assumed in force (no termination recorded)"
        carried.append(c)
    added = []
    nato = {k: int(v[:4]) for k, v in NATO_ACCESSION.items()}
    for new, y0 in nato.items():
        if y0 <= ATOP_LAST:
            continue
        for y in range(y0, LAST_YEAR + 1):
            for other, y1 in nato.items():
                if other == new or y1 > y:
                    continue
                for a, b in ((new, other), (other, new)):
                    added.append({"iso3_a": a, "iso3_b": b, "year": y, "defense": 1,
                                  "offense": 0, "neutral": 0, "nonagg": 0, "consul": 1,
                                  "origin": "added",
                                  "source": f"{NATO_SOURCE}: {new} joined {NATO_ACCESSION[new]}"})
    for pact in ADDED_PACTS:
        for y in range(pact["year"], LAST_YEAR + 1):
            for a in pact["members"]:
                for b in pact["members"]:
                    if a != b:
                        added.append({"iso3_a": a, "iso3_b": b, "year": y,
                                      "defense": pact["defense"], "offense": 0, "neutral": 0,
                                      "nonagg": 0, "consul": pact["consul"], "origin": "added",
                                      "source": pact["source"]})
    add = pd.DataFrame(added)
    extra = pd.concat([*carried, add])
    # a pair both carried forward and added: one row, union of obligations, 'added' source wins
    extra = extra.sort_values("origin").groupby(key, as_index=False).agg(
        {**dict.fromkeys(flags, "max"), "origin": "first", "source": "first"})
    out = pd.concat([atop, extra]).sort_values(key).reset_index(drop=True)
    for f in flags:
        out[f] = out[f].astype("int8")
    out["year"] = out["year"].astype("int16")
    out["origin"] = out["origin"].astype("category")
    out["source"] = out["source"].astype("category")
    return out


def build_nato() -> pd.DataFrame:
    df = pd.DataFrame({"iso3": list(NATO_ACCESSION), "accession": list(NATO_ACCESSION.values())})
    df["accession_year"] = df["accession"].str[:4].astype("int16")
    df["source"] = NATO_SOURCE
    return df


def build_troops(ref: Path) -> pd.DataFrame:
    raw = pd.read_csv(ref / "us_troops_abroad_country_year_1950_2024.csv", keep_default_na=False,
                      na_values=[""])
    raw = raw[raw["iso3c"].notna() & (raw["iso3c"] != "NA")]
    # '1976tq' is the 1976 transition quarter (Jul-Sep 1976, when the US fiscal year moved):
    # dropped, so each row is one fiscal year
    raw = raw[raw["year"].astype(str).str.fullmatch(r"\d{4}")].copy()
    raw["year"] = raw["year"].astype(int)
    num = {"troops_ad": "troops_active", "army_ad": "army", "navy_ad": "navy",
           "air_force_ad": "air_force", "marine_corps_ad": "marine_corps",
           "total_selected_reserve": "reserve", "total_civilian": "civilian"}
    df = raw[["iso3c", "year", *num]].rename(columns={"iso3c": "iso3", **num})
    for c in num.values():
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df = df.groupby(["iso3", "year"], as_index=False).sum(min_count=1)
    return df.astype({"year": "int16"}).sort_values(["iso3", "year"]).reset_index(drop=True)


def build_bases(ref: Path) -> pd.DataFrame:
    raw = pd.read_csv(ref / "us_bases_abroad_vine_updated.csv", encoding="latin-1",
                      keep_default_na=False,
                      na_values=[""])
    df = raw.rename(columns={"iso3c": "iso3", "basename": "site", "fundedsite": "funded_site"})
    df = df[["iso3", "countryname", "site", "lat", "lon", "base", "lilypad", "funded_site"]]
    for c in ("base", "lilypad", "funded_site"):
        df[c] = df[c].astype("int8")
    df = df.drop_duplicates()  # Naval Support Activity Naples appears twice, identically
    return df.sort_values(["iso3", "site"]).reset_index(drop=True)


def build_aid(ref: Path) -> pd.DataFrame:
    raw = pd.read_csv(ref / "us_foreign_aid_country_fy1946_2022.csv", keep_default_na=False,
                      na_values=[""])
    raw["iso3"] = raw["Country Code"].replace(AID_CODE_FIXES)
    by_name = raw["Country Name"].map(AID_NAME_FIXES)
    raw["iso3"] = by_name.fillna(raw["iso3"])
    # drop regional and world aggregates: their names end in 'Region' or are 'World'
    regional = raw["Country Name"].str.contains("Region|World", regex=True)
    raw = raw[~regional & raw["iso3"].str.fullmatch(r"[A-Z]{3}|COW\d+")]
    # The transition quarter '1976tq' (Jul-Sep 1976, when the fiscal year moved to October) is
    # folded into FY1976, which therefore spans 15 months.
    raw["Fiscal Year"] = raw["Fiscal Year"].astype(str).str.replace("tq", "", regex=False)
    raw["Fiscal Year"] = raw["Fiscal Year"].astype(int)
    keep = {"Obligations": "obligations", "Disbursements": "disbursements"}
    raw = raw[raw["Transaction Type Name"].isin(keep)]
    raw = raw.assign(kind=raw["Transaction Type Name"].map(keep))
    g = raw.groupby(["iso3", "Fiscal Year", "kind"])[["current_amount", "constant_amount"]].sum()
    w = g.unstack("kind")
    w.columns = [f"{k}_{'current' if a == 'current_amount' else 'constant'}_usd"
                 for a, k in w.columns]
    w = w.reset_index().rename(columns={"Fiscal Year": "year"})
    cols = ["obligations_current_usd", "obligations_constant_usd", "disbursements_current_usd",
            "disbursements_constant_usd"]
    return w[["iso3", "year", *cols]].astype({"year": "int16"}).sort_values(
        ["iso3", "year"]).reset_index(drop=True)


def build_major_powers(ref: Path, cc: coco.CountryConverter) -> pd.DataFrame:
    raw = pd.read_csv(ref / "cow_major_powers_v2016.csv")
    raw["iso3"] = cow_to_iso3(raw["ccode"], cc)
    return raw[["iso3", "ccode", "styear", "endyear"]].reset_index(drop=True)


COMMON_COW = ("COW state codes converted with country_converter (Gleditsch-Ward column) and the "
              "manual fixes of data-raw/security/build.py (COW_FIXES): Germany 255 and 260 -> "
              "DEU, GDR 265 -> DDR, Czechoslovakia 315 -> CSK, Yugoslavia/Serbia 345 -> SRB, "
              "Kosovo 347 -> XKX, Russia/USSR 365 -> RUS, Yemen 678/679 -> YEM, South Yemen "
              "680 -> YMD, Vietnam 816 -> VNM, South Vietnam 817 -> COW817, Pacific states "
              "946/947/955/970 -> KIR/TUV/TON/NRU, 19th-century states -> COW<ccode>; in a "
              "merger year (1990: 260/255, 678/679) the successor's row is kept.")
PEACESCIENCER = "Copied from the R package peacesciencer (S. Miller; GPL-2)."

META: dict[str, dict] = {
    "milex": {
        "title": "Military expenditure (SIPRI)",
        "source": "SIPRI Military Expenditure Database, 2025 release "
                  "(SIPRI-Milex-data-1949-2024), sheets 'Constant (2023) US$', 'Current US$', "
                  "'Share of GDP'",
        "licence": "(c) SIPRI; use with attribution (terms not checked against a copy)",
        "key": ["iso3", "year"],
        "columns": {
            "milex_const2023_usd_m": "US$ m at constant 2023 prices",
            "milex_current_usd_m": "US$ m at current prices",
            "milex_share_gdp": "military expenditure / GDP (fraction, 0.034 = 3.4%)",
            "gdp_current_usd_m": "derived: GDP in current US$ m implied by SIPRI "
                                 "(current milex / share of GDP; SIPRI's denominators are IMF "
                                 "figures); missing where either is missing",
            "sipri_name": "country name in the SIPRI workbook",
        },
        "caveats": [
            "Regional aggregates and the EU row are dropped. USSR (1987-1990) is coded RUS, "
            "Yugoslavia (1958-1990) SRB, North Yemen YEM, the GDR DDR, Czechoslovakia CSK.",
            "A zero current-US$ figure beside a positive constant-price figure (e.g. Russia "
            "1992) is a placeholder of the workbook and is set to missing; zeros of Costa Rica, "
            "Iceland, Panama, Haiti and Mauritania (no armed forces in those years) are kept.",
            "SIPRI's definition differs from NATO's; NATO's own percentages are not in this "
            "panel.",
        ],
    },
    "nmc": {
        "title": "National Material Capabilities and CINC (COW v7.0)",
        "source": "Singer, Bremer & Stuckey (1972), 'Capability Distribution, Uncertainty, and "
                  "Major Power War, 1820-1965'; COW National Material Capabilities v7.0. "
                  + PEACESCIENCER,
        "licence": "COW data: free for research use with citation (terms not checked)",
        "key": ["iso3", "year"],
        "columns": {
            "ccode": "COW state code", "milex": "military expenditure, thousands of current US$",
            "milper": "military personnel, thousands", "irst": "iron and steel, thousand tons",
            "pec": "primary energy consumption, thousand coal-ton equivalents",
            "tpop": "total population, thousands", "upop": "urban population, thousands",
            "cinc": "Composite Index of National Capability (share of the system, sums to 1 "
                    "over states each year)",
        },
        "caveats": [
            "CINC counts population and energy and so overstates poor, populous states "
            "(Beckley 2018); by CINC China passes the US in the 1990s.",
            COMMON_COW,
        ],
    },
    "alliances": {
        "title": "Alliance obligations, directed dyad-years (ATOP 5.1, brought to 2024)",
        "source": "Leeds, Ritter, Mitchell & Long (2002), 'Alliance Treaty Obligations and "
                  "Provisions, 1815-1944', International Interactions 28: 237-260; ATOP v5.1 "
                  "(atop5_1ddyr). " + PEACESCIENCER + " 2019-2024: see the row's source.",
        "licence": "ATOP: free with citation (terms not checked); added rows: cited facts",
        "key": ["iso3_a", "iso3_b", "year"],
        "columns": {
            "defense": "1 if a defence obligation links the pair",
            "offense": "1 if an offence obligation", "neutral": "1 if a neutrality obligation",
            "nonagg": "1 if a non-aggression pact", "consul": "1 if a consultation obligation",
            "origin": "atop-5.1 (the dataset), carried-forward (2018 obligations assumed to "
                      "continue in 2019-2024: estimated), added (a cited change after 2018)",
            "source": "the row's source",
        },
        "caveats": [
            "Only pairs with at least one obligation are stored; a missing pair-year means none.",
            "2019-2024: ATOP's 2018 obligations are carried forward (origin 'carried-forward', "
            "an assumption: no termination is recorded), plus added pacts: NATO accessions of "
            "North Macedonia (27 Mar 2020), Finland (4 Apr 2023) and Sweden (7 Mar 2024) with "
            "every member; the Alliance of Sahel States (Mali, Burkina Faso, Niger; "
            "Liptako-Gourma Charter, 16 Sep 2023); Russia-North Korea (treaty of 19 Jun 2024, in "
            "force 4 Dec 2024). An added pact counts from its year of entry into force.",
            COMMON_COW,
        ],
    },
    "nato": {
        "title": "NATO members and accession dates",
        "source": NATO_SOURCE,
        "licence": "facts (dates of public treaties)",
        "key": ["iso3"],
        "columns": {"accession": "date of accession (ISO)", "accession_year": "its year",
                    "source": "source"},
        "caveats": ["Membership as of 2024 (32 members); France left the integrated command "
                    "1966-2009 but stayed a member."],
    },
    "igo": {
        "title": "Intergovernmental-organisation memberships (COW IGO v3)",
        "source": "Pevehouse, Nordstrom, McManus & Jamison (2020), 'Tracking Organizations in "
                  "the World: The Correlates of War IGO Version 3.0 datasets', Journal of Peace "
                  "Research 57(3). " + PEACESCIENCER,
        "licence": "COW data: free for research use with citation (terms not checked)",
        "key": ["iso3", "year"],
        "columns": {"ccode": "COW state code", "igo_full": "full memberships",
                    "igo_associate": "associate memberships",
                    "igo_observer": "observer statuses", "igo_any": "memberships of any type"},
        "caveats": ["Ends in 2014.", COMMON_COW],
    },
    "democracy": {
        "title": "Democracy scores (V-Dem polyarchy, Polity2, UDS extended)",
        "source": "Coppedge et al., V-Dem v10 (2020), v2x_polyarchy; Marshall & Gurr, Polity5, "
                  "polity2; Marquez (2016), 'A Quick Method for Extending the Unified Democracy "
                  "Scores', xm_qudsest. " + PEACESCIENCER,
        "licence": "V-Dem CC BY-SA 4.0; Polity free for non-commercial use (neither checked)",
        "key": ["iso3", "year"],
        "columns": {"ccode": "COW state code", "v2x_polyarchy": "V-Dem electoral democracy "
                    "index, 0-1 (to 2019)", "polity2": "Polity2, -10 to 10 (to 2017)",
                    "xm_qudsest": "Marquez's extended unified democracy score (to 2017)"},
        "caveats": ["polyarchy ends in 2019, polity2 and xm_qudsest in 2017; state-years "
                    "without any score (all of 2020 in the source) are dropped.", COMMON_COW],
    },
    "unga": {
        "title": "UN General Assembly ideal points and agreement rates",
        "source": "Bailey, Strezhnev & Voeten (2017), 'Estimating Dynamic State Preferences "
                  "from United Nations Voting Data', Journal of Conflict Resolution 61(2): "
                  "430-456; Voeten, Strezhnev & Bailey, 'United Nations General Assembly Voting "
                  "Data', Harvard Dataverse hdl:1902.1/12379, June 2024 release",
        "licence": "Harvard Dataverse terms (believed CC0; not checked)",
        "key": ["iso3", "year"],
        "columns": {
            "ccode": "COW state code", "session": "UNGA session (year = session + 1945)",
            "nvotes": "votes the estimate rests on (flag thin sessions with it)",
            "ideal_point": "ideal point (all votes); higher = closer to the US-led position",
            "ideal_point_q5": "5% quantile", "ideal_point_q95": "95% quantile",
            "agree_us": "share of votes agreeing with the US",
            "agree_china": "with China", "agree_russia": "with Russia/USSR",
            "agree_india": "with India", "agree_brazil": "with Brazil",
            "agree_israel": "with Israel",
        },
        "caveats": ["Check nvotes: some country-sessions rest on a handful of votes (Turkiye, "
                    "session 78: 2 votes); load_panel('unga', min_votes=...) drops them.",
                    "China's agreement is missing before 1971 (the PRC's seat).", COMMON_COW],
    },
    "us_troops": {
        "title": "US military personnel abroad by host country",
        "source": "Allen, Flynn & Martinez Machain (2022), 'Global U.S. military deployment "
                  "data: 1950-2020', Conflict Management and Peace Science 39(3): 351-370, "
                  "updated to 2024; Kane (2005) for 1950-2005; DoD Defense Manpower Data Center. "
                  "From the R package troopdata (GPL >= 3)",
        "licence": "DMDC figures: US-government works (public domain)",
        "key": ["iso3", "year"],
        "columns": {"troops_active": "active-duty personnel", "army": "Army (active)",
                    "navy": "Navy (active)", "air_force": "Air Force (active)",
                    "marine_corps": "Marine Corps (active)",
                    "reserve": "selected reserve and guard", "civilian": "DoD civilians"},
        "caveats": ["Permanently assigned personnel only: rotational forces are not counted "
                    "(Poland shows about 300; Korea about 24,500 against the commonly cited "
                    "28,500).", "Includes the US itself and US territories (GUM, PRI, ...).",
                    "Rows without an ISO3 code (e.g. Aden) are dropped.",
                    "The 1976 transition quarter (a separate row in the source) is dropped."],
    },
    "us_bases": {
        "title": "US base sites abroad",
        "source": "Vine (2015), Base Nation, as updated by Allen, Flynn & Martinez Machain; from "
                  "the R package troopdata (data-raw/basedata.csv; GPL >= 3)",
        "licence": "cite Vine (2015) and Allen et al.",
        "key": ["iso3", "site"],
        "columns": {"countryname": "host", "site": "site name", "lat": "latitude",
                    "lon": "longitude", "base": "1 if a base", "lilypad": "1 if a lily pad "
                    "(small, austere site)", "funded_site": "1 if a funded site"},
        "caveats": ["A snapshot (to 2018), not a panel: no year column.",
                    "One exact duplicate row of the source (NSA Naples) is dropped.",
                    "Sites in US territories (Guam, Puerto Rico, ...) carry iso3 USA."],
    },
    "us_aid": {
        "title": "US foreign assistance by recipient (obligations and disbursements)",
        "source": "USAID / ForeignAssistance.gov, us_foreign_aid_country.csv (snapshot of "
                  "April 2022)",
        "licence": "US-government work (public domain)",
        "key": ["iso3", "year"],
        "columns": {
            "obligations_current_usd": "obligations, current US$ (the main series: the only "
                                       "transaction type covering FY1946-2022)",
            "obligations_constant_usd": "obligations, constant US$ as published "
                                        "(ForeignAssistance.gov's base year)",
            "disbursements_current_usd": "disbursements, current US$ (FY2001 on)",
            "disbursements_constant_usd": "disbursements, constant US$ (FY2001 on)",
        },
        "caveats": ["year is the US fiscal year (October to September).",
                    "FY2021 and FY2022 are incomplete (snapshot of April 2022).",
                    "FY1976 includes the transition quarter (Jul-Sep 1976): 15 months.",
                    "Regional and world aggregates are dropped; Kosovo CS-KM -> XKX, Serbia and "
                    "Montenegro and Yugoslavia -> SRB, Soviet Union -> RUS, South Vietnam -> "
                    "COW817, PDR Yemen -> YMD, West Berlin -> DEU."],
    },
    "major_powers": {
        "title": "COW major powers",
        "source": "COW State System Membership v2016. " + PEACESCIENCER,
        "licence": "COW data: free for research use with citation (terms not checked)",
        "key": ["iso3", "styear"],
        "columns": {"ccode": "COW code", "styear": "first year as a major power",
                    "endyear": "last year (2016 = still in 2016)"},
        "caveats": [COMMON_COW],
    },
}


def coverage(df: pd.DataFrame) -> tuple[int, int] | None:
    if "year" not in df.columns:
        return None
    return int(df["year"].min()), int(df["year"].max())


def toml_value(v: object) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write_meta(tables: dict[str, pd.DataFrame], out: Path) -> None:
    lines = ["# Provenance of the security panels; written by data-raw/security/build.py.", ""]
    md = ["# Security panels: sources", "",
          "Compact panels built by `data-raw/security/build.py` from the shared reference data "
          "(`../shared/reference/security`). Load them with "
          "`worldorder.data.panels.load_panel(name)`; `panel_sources(name)` returns this "
          "information.", ""]
    for name, df in tables.items():
        m = META[name]
        cov = coverage(df)
        lines.append(f"[{name}]")
        lines.append(f"file = {toml_value(name + '.parquet')}")
        for k in ("title", "source", "licence", "key", "caveats"):
            lines.append(f"{k} = {toml_value(m[k])}")
        if cov:
            lines.append(f"first_year = {cov[0]}")
            lines.append(f"last_year = {cov[1]}")
        lines.append(f"rows = {len(df)}")
        lines.append(f"[{name}.columns]")
        for c, d in m["columns"].items():
            lines.append(f"{c} = {toml_value(d)}")
        lines.append("")
        md += [f"## `{name}`: {m['title']}", "",
               f"- Source: {m['source']}", f"- Licence: {m['licence']}",
               f"- Key: {', '.join(m['key'])}; {len(df)} rows"
               + (f"; years {cov[0]}-{cov[1]}" if cov else ""), "- Columns:"]
        md += [f"  - `{c}`: {d}" for c, d in m["columns"].items()]
        md += ["- Caveats:"] + [f"  - {c}" for c in m["caveats"]] + [""]
    (out / "panels.toml").write_text("\n".join(lines), encoding="utf-8")
    (out / "SOURCES.md").write_text("\n".join(md), encoding="utf-8")


def default_reference() -> Path:
    env = os.environ.get("WORLDORDER_REFERENCE")
    if env:
        return Path(env) / "security"
    return ROOT.parent / "shared" / "reference" / "security"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, default=default_reference())
    ap.add_argument("--out", type=Path, default=OUT,
                    help="folder to write (default: the package's datasets/security)")
    args = ap.parse_args(argv)
    ref: Path = args.reference
    out: Path = args.out
    if not (ref / "README.md").is_file():
        print(f"error: reference folder {ref} not found (use --reference DIR)", file=sys.stderr)
        return 2
    cc = converter()
    tables = {
        "milex": build_milex(ref, cc),
        "nmc": build_cow_state_year(ref, "cow_nmc_v7_state_year.csv", cc),
        "alliances": build_alliances(ref, cc),
        "nato": build_nato(),
        "igo": build_cow_state_year(
            ref, "cow_igo_v3_state_year.csv", cc,
            {"sum_igo_full": "igo_full", "sum_igo_associate": "igo_associate",
             "sum_igo_observer": "igo_observer", "sum_igo_anytype": "igo_any"}),
        "democracy": build_cow_state_year(ref, "democracy_state_year_vdem10_polity_xm.csv", cc),
        "unga": build_unga(ref, cc),
        "us_troops": build_troops(ref),
        "us_bases": build_bases(ref),
        "us_aid": build_aid(ref),
        "major_powers": build_major_powers(ref, cc),
    }
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, df in tables.items():
        path = out / f"{name}.parquet"
        df.to_parquet(path, index=False, compression="zstd")
        size = path.stat().st_size
        total += size
        cov = coverage(df)
        span = f"{cov[0]}-{cov[1]}" if cov else "no year"
        print(f"{name:13s} {len(df):7d} rows  {span:10s} {size / 1024:8.1f} KiB")
    write_meta(tables, out)
    print(f"total {total / 1024 / 1024:.2f} MiB in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
