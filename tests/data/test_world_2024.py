"""The bundled world-2024 dataset: coverage, provenance, and the US rows against the Census."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from worldorder import load_world, simulate
from worldorder.data.bundled import dataset_path

REQUIRED = [
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
]


@pytest.fixture(scope="module")
def world():
    return load_world("world-2024")


def test_coverage(world) -> None:
    assert set(REQUIRED) <= set(world.codes)
    assert "ROW" in world.codes and world.n >= 46
    named = world.economies.drop(index="ROW")["gdp"].sum()
    assert named / world.gdp.sum() >= 0.90
    eu = set(world.groups["EU"])
    assert {"DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "POL", "SWE", "AUT", "IRL"} <= eu
    assert len(eu) == 11  # ten members plus the rest of the EU as one economy
    assert world.units["trade"] == world.units["gdp"]


def test_every_row_names_its_source(world) -> None:
    folder = dataset_path("world-2024")
    for name in ("trade", "tariffs", "memberships", "alliances"):
        df = pd.read_csv(folder / f"{name}.csv", keep_default_na=False)
        assert "source" in df.columns, name
        assert (df["source"].str.strip() != "").all(), name
    econ = pd.read_csv(folder / "economies.csv", keep_default_na=False)
    assert (econ["gdp_source"].str.strip() != "").all()
    trade = pd.read_csv(folder / "trade.csv", keep_default_na=False)
    imputed = trade["source"].str.startswith("imputed")
    assert (trade.loc[imputed, "confidence"].str.contains("imputed")).all()
    assert (folder / "SOURCES.md").is_file()


def test_us_flows_match_the_census(world) -> None:
    facts = (
        Path(__file__).resolve().parents[2].parent
        / "shared"
        / "reference"
        / "facts"
        / "us_goods_trade_2024.csv"
    )
    if not facts.is_file():
        pytest.skip(f"reference facts not found at {facts}")
    census = pd.read_csv(facts).dropna(subset=["iso3"])
    usa = world.index("USA")
    checked = 0
    for _, r in census.iterrows():
        if r["iso3"] not in world.codes:
            continue
        k = world.index(r["iso3"])
        assert world.trade[usa, k] == pytest.approx(r["exports_usd_bn"], abs=0.01), r["iso3"]
        assert world.trade[k, usa] == pytest.approx(r["imports_usd_bn"], abs=0.01), r["iso3"]
        checked += 1
    assert checked >= 25
    world_row = pd.read_csv(facts).query("partner == 'World'").iloc[0]
    assert world.exports()[usa] == pytest.approx(world_row["exports_usd_bn"], rel=1e-4)
    assert world.imports()[usa] == pytest.approx(world_row["imports_usd_bn"], rel=1e-4)


def test_ustr_rates_from_the_dataset_match_the_published_ones() -> None:
    """EO 14257 Annex I: China 34%, EU 20%, Japan 24%, Korea 25%, Vietnam 46%, Taiwan 32%."""
    res = simulate("liberation-day-2025")
    t = res.notes["reciprocal_USA"].set_index("partner")["rate"]
    assert t["CHN"] == pytest.approx(0.34)
    assert t["EU"] == pytest.approx(0.20)
    assert t["KOR"] == pytest.approx(0.25)
    assert t["TWN"] == pytest.approx(0.32)
    # the rule halves the rounded charged figure; USTR halved the unrounded one
    assert t["JPN"] == pytest.approx(0.23)  # published 24% (46.2% / 2 rounded up)
    assert t["VNM"] == pytest.approx(0.45)  # published 46% (90.4% / 2 rounded up)
    assert t["GBR"] == pytest.approx(0.10)


def test_bundled_scenarios_run(world) -> None:
    for name in ("liberation-day-2025", "liberation-day-2025-retaliation", "us-china-2025"):
        res = simulate(name, world=world)
        assert res.solver["residual"] <= 1e-10
        assert not res.warnings, res.warnings
        econ = res.economies.set_index("economy")
        assert econ.loc["USA", "tariff_revenue_pct_gdp"] > 0.1
        assert econ.loc["USA", "price_index_pct"] > 0


BACI = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "trade-baci-2023"
BUILD = Path(__file__).resolve().parents[2] / "data-raw" / "world-2024" / "build.py"


def test_non_us_pairs_come_from_measured_flows(world) -> None:
    """Every non-US pair is a measured 2023 flow scaled to 2024 totals, a recalled 2024 figure or
    (Taiwan's pairs, absent from the 2023 data) imputed: nothing else is imputed."""
    trade = pd.read_csv(dataset_path("world-2024") / "trade.csv", keep_default_na=False)
    imputed = trade[trade["confidence"] == "imputed"]
    assert ((imputed["exporter"] == "TWN") | (imputed["importer"] == "TWN")).all()
    assert not ((imputed["exporter"] == "USA") | (imputed["importer"] == "USA")).any()
    scaled = trade["source"].str.contains("CEPII BACI")
    assert scaled.sum() > 1900
    assert trade.loc[scaled, "confidence"].str.startswith("estimated").all()
    prov = world.provenance_summary()
    assert prov.shares["imputed"] < 5.0  # was about 70% with gravity imputation
    assert prov.shares["measured"] == pytest.approx(
        100 * trade[trade["confidence"].str.startswith("verified")]["value"].sum()
        / trade["value"].sum())


@pytest.mark.skipif(not BACI.is_dir(), reason="reference data not available")
def test_scaled_flows_keep_the_measured_pattern(world) -> None:
    """RAS multiplies each flow by an exporter factor times an importer factor, so the ratio of
    two flows from one exporter changes only by the ratio of the importer factors: check that
    the rebuilt flows of Germany to France and to Italy keep BACI's proportion within the
    spread of the importers' scaling (a few percent)."""
    ref = pd.read_csv(BACI / "trade.csv").set_index(["exporter", "importer"])["value_kusd"]
    x = world.trade
    for exp, a, b in (("DEU", "FRA", "ITA"), ("JPN", "KOR", "AUS"), ("BRA", "ARG", "MEX")):
        got = x[world.index(exp), world.index(a)] / x[world.index(exp), world.index(b)]
        want = ref[(exp, a)] / ref[(exp, b)]
        assert got == pytest.approx(want, rel=0.35), (exp, a, b)


@pytest.mark.skipif(not BACI.is_dir(), reason="reference data not available")
def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "world-2024"
    subprocess.run([sys.executable, str(BUILD), "--reference", str(BACI.parent), "--out",
                    str(out)], check=True, capture_output=True)
    bundled = dataset_path("world-2024")
    names = sorted(p.name for p in bundled.iterdir())
    assert names == sorted(p.name for p in out.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(bundled, out, names, shallow=False)
    assert not mismatch and not errors, (mismatch, errors)
