"""The bundled security panels: keys, coverage, provenance, aggregation, errors, and checks
against the shared reference data (skipped when it is absent)."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worldorder.data import load_world
from worldorder.data.panels import (
    _one_row,
    _read,
    _sum_min_count1,
    economy_panel,
    load_panel,
    panel_coverage,
    panel_names,
    panel_sources,
)
from worldorder.errors import PanelError

PANELS = ["alliances", "democracy", "igo", "major_powers", "milex", "nato", "nmc", "unga",
          "us_aid", "us_bases", "us_troops"]


def test_every_panel_loads_with_a_unique_key_and_its_provenance() -> None:
    assert panel_names() == PANELS
    for name in PANELS:
        df = load_panel(name)
        meta = panel_sources(name)
        assert len(df) == meta["rows"] > 0, name
        assert not df.duplicated(meta["key"]).any(), name
        for k in ("source", "licence", "caveats", "columns", "title"):
            assert meta[k], (name, k)
        assert set(meta["columns"]) <= set(df.columns), name
        if "year" in df.columns:
            assert panel_coverage(name) == (df["year"].min(), df["year"].max())


def test_coverage_as_documented() -> None:
    assert panel_coverage("milex") == (1949, 2024)
    assert panel_coverage("nmc") == (1816, 2022)
    assert panel_coverage("unga") == (1946, 2023)
    assert panel_coverage("us_troops") == (1950, 2024)
    assert panel_coverage("us_aid") == (1946, 2022)
    assert panel_coverage("igo")[1] == 2014
    assert panel_coverage("democracy") == (1816, 2019)
    assert panel_coverage("alliances")[1] == 2024
    assert panel_coverage("us_bases") is None


def test_bundle_is_small() -> None:
    root = Path(str(resources.files("worldorder") / "datasets" / "security"))
    total = sum(p.stat().st_size for p in root.iterdir())
    assert total < 4 * 1024 * 1024


def test_cow_codes_are_mapped_with_the_documented_fixes() -> None:
    nmc = load_panel("nmc")
    code = nmc.drop_duplicates("ccode").set_index("ccode")["iso3"]
    assert code[2] == "USA" and code[365] == "RUS" and code[710] == "CHN"
    assert code[255] == "DEU" and code[260] == "DEU" and code[265] == "DDR"
    assert code[345] == "SRB" and code[315] == "CSK" and code[316] == "CZE"
    assert code[678] == "YEM" and code[679] == "YEM" and code[680] == "YMD"
    assert code[816] == "VNM" and code[817] == "COW817" and code[245] == "COW245"
    # 1990: the successor's row is kept where two COW states share an ISO3 code
    de = nmc[(nmc["iso3"] == "DEU") & (nmc["year"] == 1990)]
    assert de["ccode"].tolist() == [255]
    assert "XKX" not in set(load_panel("unga")["iso3"])  # Kosovo is no UN member
    assert "XKX" in set(load_panel("milex")["iso3"])


def test_cinc_sums_close_to_one_each_year() -> None:
    s = load_panel("nmc").groupby("year")["cinc"].sum()
    assert s.between(0.95, 1.1).all()


def test_alliances_are_directed_and_brought_to_2024_with_flagged_rows() -> None:
    a = load_panel("alliances")
    key = ["iso3_a", "iso3_b", "year"]
    rev = a[key].rename(columns={"iso3_a": "iso3_b", "iso3_b": "iso3_a"})
    both = a[key].merge(rev, on=key, how="left", indicator=True)
    one_way = int((both["_merge"] == "left_only").sum())
    # ATOP is directed: a few obligations are one-sided (guarantees such as Locarno's)
    assert one_way < 0.001 * len(a)
    added = a[a["origin"] == "added"]
    pairs = set(zip(added["iso3_a"], added["iso3_b"], added["year"], strict=True))
    assert all((b, x, y) in pairs for x, b, y in pairs)
    assert (added["source"].astype(str).str.len() > 10).all()
    swe = a[(a["iso3_a"] == "SWE") & (a["iso3_b"] == "USA") & (a["defense"] == 1)]
    assert swe["year"].min() == 2024
    fin = a[(a["iso3_a"] == "FIN") & (a["iso3_b"] == "USA") & (a["defense"] == 1)]
    assert fin["year"].min() == 2023
    mkd = a[(a["iso3_a"] == "MKD") & (a["iso3_b"] == "USA") & (a["defense"] == 1)]
    assert mkd["year"].min() == 2020
    rp = a[(a["iso3_a"] == "RUS") & (a["iso3_b"] == "PRK") & (a["defense"] == 1)]
    assert rp["year"].max() == 2024 and (rp["origin"] == "added").any()
    carried = a[a["origin"] == "carried-forward"]
    assert carried["year"].between(2019, 2024).all()
    assert (a.loc[a["year"] <= 2018, "origin"] == "atop-5.1").all()
    # the US-Japan treaty, in ATOP, carried forward
    assert ((a["iso3_a"] == "USA") & (a["iso3_b"] == "JPN") & (a["year"] == 2024)
            & (a["defense"] == 1)).any()


def test_nato_has_32_members_in_2024() -> None:
    nato = load_panel("nato")
    assert len(nato) == 32
    assert nato.set_index("iso3").loc["SWE", "accession"] == "2024-03-07"
    assert nato.set_index("iso3").loc["FIN", "accession"] == "2023-04-04"


def test_sipri_zero_placeholders_are_missing_and_gdp_is_implied() -> None:
    m = load_panel("milex", economies=["RUS"]).set_index("year")
    assert np.isnan(m.loc[1992, "milex_current_usd_m"])
    usa = load_panel("milex", years=2024, economies=["USA"]).iloc[0]
    assert usa["gdp_current_usd_m"] == pytest.approx(usa["milex_current_usd_m"]
                                                     / usa["milex_share_gdp"])


def test_unga_min_votes_drops_thin_sessions() -> None:
    all_ = load_panel("unga", years=2023)
    thick = load_panel("unga", years=2023, min_votes=10)
    assert len(thick) < len(all_)
    assert (thick["nvotes"] >= 10).all()
    tur = all_[all_["iso3"] == "TUR"]
    assert tur["nvotes"].iloc[0] == 2


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "gdp"}, "unknown panel 'gdp'"),
    ({"name": "milex", "years": 2030}, "covers 1949-2024; year 2030"),
    ({"name": "nmc", "years": (2020, 2024)}, "covers 1816-2022; year 2023"),
    ({"name": "milex", "economies": ["XYZ"]}, "unknown economy 'XYZ'"),
    ({"name": "milex", "min_votes": 5}, "unga"),
    ({"name": "us_bases", "years": 2018}, "snapshot"),
    ({"name": "milex", "years": (2024, 2020)}, "empty year range"),
])
def test_bad_requests_are_one_clear_error(kwargs: dict, message: str) -> None:
    name = kwargs.pop("name")
    with pytest.raises(PanelError, match=message.replace("(", r"\(")):
        load_panel(name, **kwargs)


def test_aggregates_are_sums_and_weighted_means_of_constituents() -> None:
    world = load_world("world-2024")
    eu_rest = list(world.constituents["EU-REST"])
    agg = economy_panel("milex", world, years=2024).set_index("economy")
    raw = load_panel("milex", years=2024).set_index("iso3")
    assert agg.loc["EU-REST", "milex_current_usd_m"] == pytest.approx(
        raw.reindex(eu_rest)["milex_current_usd_m"].sum())
    assert agg.loc["EU-REST", "milex_share_gdp"] == pytest.approx(
        raw.reindex(eu_rest)["milex_current_usd_m"].sum()
        / raw.reindex(eu_rest)["gdp_current_usd_m"].sum())
    assert agg.loc["USA", "milex_current_usd_m"] == raw.loc["USA", "milex_current_usd_m"]
    named = set(world.countries())
    rest = raw[~raw.index.isin(named)]
    assert agg.loc["ROW", "milex_current_usd_m"] == pytest.approx(
        rest["milex_current_usd_m"].sum())
    assert agg.loc["ROW", "n_constituents"] == len(rest)
    # population-weighted mean of democracy scores
    dem = economy_panel("democracy", world, years=2015).set_index("economy")
    d = load_panel("democracy", years=2015).set_index("iso3").reindex(eu_rest)
    pop = load_panel("nmc", years=2015).set_index("iso3").reindex(eu_rest)["tpop"]
    ok = d["polity2"].notna()
    expect = float((d["polity2"][ok] * pop[ok]).sum() / pop[ok].sum())
    assert dem.loc["EU-REST", "polity2"] == pytest.approx(expect)
    assert dem.loc["EU-REST", "weights"] == "population"
    # after 2022 (no NMC population) the mean is equal-weighted and says so
    un = economy_panel("unga", world, years=2023).set_index("economy")
    assert un.loc["EU-REST", "weights"] == "equal"


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.floats(-1e12, 1e12)), min_size=1, max_size=40),
       integers=st.lists(st.integers(-2**31, 2**31 - 1), min_size=1, max_size=40))
def test_array_sums_equal_pandas_sums_with_min_count_one(values: list, integers: list) -> None:
    # economy_panel sums constituents on NumPy arrays: the same number, bit for bit, as
    # Series.sum(min_count=1) (NaN skipped; NaN when every value is missing), and int64 for
    # integer columns as pandas gives
    x = np.array([np.nan if v is None else v for v in values], dtype=float)
    got, want = _sum_min_count1(x), pd.Series(x).sum(min_count=1)
    assert (np.isnan(got) and np.isnan(want)) or got == want
    for dt in (np.int32, np.int64):
        k = np.array(integers, dtype=np.int64).astype(dt)
        got_i, want_i = _sum_min_count1(k), pd.Series(k).sum(min_count=1)
        assert got_i == want_i and type(got_i) is type(want_i)


@settings(max_examples=80, deadline=None)
@given(v=st.one_of(st.just(float("nan")), st.floats(-1e6, 1e6)),
       w=st.one_of(st.just(float("nan")), st.floats(1e-3, 1e7)),
       k=st.integers(-2**31, 2**31 - 1))
def test_one_state_economy_is_its_arrays_of_one(v: float, w: float, k: int) -> None:
    # the shortcut for an economy of one state gives, bit for bit and type for type, what the
    # general formulas give on arrays of one element
    floats, ints = np.array([v]), np.array([k], dtype=np.int32)
    weights = np.array([w])
    rec: dict = {}
    _one_row(rec, 0, {"f": floats, "i": ints}, {"m": floats}, weights)
    want_f, want_i = _sum_min_count1(floats), _sum_min_count1(ints)
    assert (np.isnan(rec["f"]) and np.isnan(want_f)) or rec["f"] == want_f
    assert rec["i"] == want_i and type(rec["i"]) is type(want_i)
    ww = np.ones(1) if np.isnan(w) else weights
    ok = ~np.isnan(floats)
    want_m = float(np.sum(ww[ok] * floats[ok]) / np.sum(ww[ok])) if ok.any() else np.nan
    assert (np.isnan(rec["m"]) and np.isnan(want_m)) or rec["m"] == want_m
    assert rec["weights"] == ("equal" if np.isnan(w) else "population")


@pytest.mark.parametrize("name", [p for p in PANELS if panel_coverage(p) is not None])
def test_years_read_in_arrow_equal_the_full_panel_filtered(name: str) -> None:
    first, last = panel_coverage(name)  # type: ignore[misc]
    full = _read(name)
    for years in (last, (max(first, last - 2), last), [first, last]):
        wanted = [years] if isinstance(years, int) else (
            list(range(years[0], years[1] + 1)) if isinstance(years, tuple) else years)
        want = full[full["year"].isin(wanted)].reset_index(drop=True)
        pd.testing.assert_frame_equal(load_panel(name, years=years), want, check_exact=True)


@pytest.mark.parametrize(("name", "columns", "extra"), [
    ("alliances", ["iso3_a", "iso3_b", "defense"], {}),
    ("alliances", ["source", "iso3_b"], {"economies": ["USA"]}),
    ("milex", ["iso3", "gdp_current_usd_m", "milex_current_usd_m", "milex_share_gdp"], {}),
    ("nmc", ["tpop", "iso3", "cinc"], {}),
    ("unga", ["ideal_point"], {"min_votes": 20}),
    ("us_troops", "troops_active", {}),
])
def test_columns_read_alone_equal_the_columns_of_the_whole_panel(name: str, columns: object,
                                                                   extra: dict) -> None:
    last = panel_coverage(name)[1]  # type: ignore[index]
    for years in (last, (last - 1, last)):
        keep = [columns] if isinstance(columns, str) else list(columns)  # type: ignore[call-overload]
        want = load_panel(name, years=years, **extra)[keep]
        got = load_panel(name, years=years, columns=columns, **extra)  # type: ignore[arg-type]
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    whole = load_panel("nato", columns=["iso3"])
    pd.testing.assert_frame_equal(whole, load_panel("nato")[["iso3"]])
    with pytest.raises(PanelError, match="no column 'nope'"):
        load_panel(name, years=last, columns=["nope"])


def test_economy_panel_on_194_economies_matches_a_groupby_of_its_constituents() -> None:
    world = load_world("world-2023")
    agg = economy_panel("nmc", world, years=(2010, 2012))
    raw = load_panel("nmc", years=(2010, 2012))
    raw = raw[raw["iso3"].isin(world.codes)]
    want = raw.groupby(["iso3", "year"])["milex"].sum(min_count=1)
    got = agg.set_index(["economy", "year"])["milex"]
    both = want.index.intersection(got.index)
    assert len(both) > 450
    np.testing.assert_array_equal(got.loc[both].to_numpy(), want.loc[both].to_numpy())


def test_aggregation_refuses_dyadic_panels_and_bad_years() -> None:
    world = load_world("world-2024")
    with pytest.raises(PanelError, match="not a per-country panel"):
        economy_panel("alliances", world)
    with pytest.raises(PanelError, match="1949-2024"):
        economy_panel("milex", world, years=2025)


# ---------------------------------------------------------------- against ../shared/reference
def _facts(reference_dir) -> pd.DataFrame:
    f = reference_dir / "facts" / "country_basics.csv"
    if not f.is_file():
        pytest.skip(f"reference facts not found at {f}")
    return pd.read_csv(f)


def test_sipri_2024_matches_the_facts_table(reference_dir) -> None:
    facts = _facts(reference_dir).dropna(subset=["milex_2024_usd_bn"])
    m = load_panel("milex", years=2024).set_index("iso3")
    checked = 0
    for _, r in facts.iterrows():
        if r["iso3"] not in m.index or np.isnan(m.loc[r["iso3"], "milex_current_usd_m"]):
            continue
        got = m.loc[r["iso3"], "milex_current_usd_m"] / 1000
        assert got == pytest.approx(r["milex_2024_usd_bn"], rel=0.03, abs=0.6), r["iso3"]
        checked += 1
    assert checked >= 15


def test_panels_reproduce_the_raw_reference_files(reference_dir) -> None:
    sec = reference_dir / "security"
    if not sec.is_dir():
        pytest.skip(f"reference data not found at {sec}")
    raw = pd.read_csv(sec / "cow_nmc_v7_state_year.csv")
    nmc = load_panel("nmc")
    r = raw[(raw["ccode"] == 710)].set_index("year")["cinc"]
    p = nmc[nmc["iso3"] == "CHN"].set_index("year")["cinc"]
    pd.testing.assert_series_equal(r, p, check_names=False)
    # one row lost per merger year only (GFR 1990, YAR 1990)
    assert len(raw) - len(nmc) == 2
    ip = pd.read_csv(sec / "unga_ideal_points_bsv_jun2024.csv")
    us = ip[ip["ccode"] == 2].set_index("session")["IdealPointAll"]
    un = load_panel("unga", economies=["USA"]).set_index("session")["ideal_point"]
    pd.testing.assert_series_equal(us, un, check_names=False, check_index_type=False)


def test_cinc_china_passes_the_us_in_1995_as_the_readme_says(reference_dir) -> None:
    readme = reference_dir / "security" / "README.md"
    if not readme.is_file():
        pytest.skip("reference README not found")
    assert "since 1995" in readme.read_text()
    nmc = load_panel("nmc", years=(1946, 2022)).pivot_table(index="year", columns="iso3",
                                                             values="cinc")
    above = nmc["CHN"] > nmc["USA"]
    assert above.idxmax() == 1995
    assert above.loc[2003:].all() and not above.loc[2002]  # one year back in 2002


def test_the_build_script_reproduces_the_bundled_panels(reference_dir, tmp_path) -> None:
    sec = reference_dir / "security"
    if not (sec / "README.md").is_file():
        pytest.skip(f"reference data not found at {sec}")
    script = Path(__file__).resolve().parents[2] / "data-raw" / "security" / "build.py"
    r = subprocess.run([sys.executable, str(script), "--reference", str(sec), "--out",
                        str(tmp_path)], capture_output=True, text=True, timeout=600,
                       check=False)
    assert r.returncode == 0, r.stderr
    bundled = Path(str(resources.files("worldorder") / "datasets" / "security"))
    for name in PANELS:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / f"{name}.parquet"),
                                      load_panel(name), check_categorical=False)
    assert (tmp_path / "panels.toml").read_text() == (bundled / "panels.toml").read_text()
    assert (tmp_path / "SOURCES.md").read_text() == (bundled / "SOURCES.md").read_text()
