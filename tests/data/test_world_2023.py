"""The bundled world-2023 dataset: coverage, provenance, the reference data it is built from, a
byte-identical rebuild, and the published Liberation Day results of Ignatenko et al. (2025)."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import worldorder as wo
from worldorder.data.bundled import dataset_path

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
BACI = REFERENCE / "trade-baci-2023"
BUILD = Path(__file__).resolve().parents[2] / "data-raw" / "world-2023" / "build.py"
# The US tariff schedule of Ignatenko, Macedoni, Lashkaripour & Simonovska (2025): the rates
# announced on 2 April 2025 by partner (applied as max(10%, rate)), file
# data/base_data/tariffs.csv of their replication package, in the order of country_labels.csv.
PAPER_TARIFFS = Path(__file__).with_name("ignatenko2025_us_tariffs.csv")


@pytest.fixture(scope="module")
def world() -> wo.World:
    return wo.load_world("world-2023")


def test_coverage_and_provenance(world: wo.World) -> None:
    assert world.n == 194
    assert "TWN" not in world.codes  # left out; SOURCES.md says how much that is
    assert "Taiwan" in (dataset_path("world-2023") / "SOURCES.md").read_text()
    prov = world.provenance_summary()
    assert prov.shares["measured"] == pytest.approx(100.0)
    assert prov.rows["measured"] == 25_398
    assert prov.sources_file is not None and prov.sources_file.endswith("SOURCES.md")
    assert set(world.groups["EU"]) >= {"DEU", "FRA", "BGR", "MLT"} and len(world.groups["EU"]) == 27
    assert len(world.groups["ASEAN"]) == 10
    assert len(world.members("NATO", on="2023-12-31")) == 31  # Sweden joined in March 2024
    assert len(world.members("NATO", on="2024-12-31")) == 32
    econ = world.economies
    assert (econ["gdp_confidence"] == "measured").all()
    assert econ["military_expenditure"].notna().sum() >= 140
    assert econ.loc["USA", "military_expenditure"] == pytest.approx(916, rel=0.02)  # SIPRI 2023


def test_every_tariff_row_says_where_it_comes_from() -> None:
    t = pd.read_csv(dataset_path("world-2023") / "tariffs.csv.gz", dtype=str,
                    keep_default_na=False)
    assert (t["source"] != "").all() and (t["confidence"] != "").all()
    imputed = t[t["confidence"] == "imputed"]
    assert imputed["source"].str.startswith("imputed").all()
    assert {"USA", "CHN", "DEU", "JPN"}.isdisjoint(imputed["importer"])
    us_on_china = t[(t["importer"] == "USA") & (t["exporter"] == "CHN")]["rate"]
    assert float(us_on_china.iloc[0]) == pytest.approx(0.208)  # Bown (PIIE), as world-2024
    inside_eu = t[(t["importer"] == "FRA") & (t["exporter"] == "BGR")]
    assert inside_eu.empty


@pytest.mark.skipif(not BACI.is_dir(), reason="reference data not available")
def test_trade_and_gdp_equal_the_reference(world: wo.World) -> None:
    ref = pd.read_csv(BACI / "trade.csv")
    x = world.trade
    got = x[[world.index(c) for c in ref["exporter"]], [world.index(c) for c in ref["importer"]]]
    np.testing.assert_allclose(got, ref["value_kusd"].to_numpy() / 1e6, rtol=1e-12, atol=1e-15)
    assert np.count_nonzero(x) == len(ref)
    gdp = pd.read_csv(BACI / "economies.csv").set_index("iso3")["gdp_usd"] / 1e9
    np.testing.assert_allclose(world.gdp, gdp.loc[world.codes].to_numpy(), rtol=1e-9)


@pytest.mark.skipif(not BACI.is_dir(), reason="reference data not available")
def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "world-2023"
    subprocess.run([sys.executable, str(BUILD), "--reference", str(REFERENCE), "--out",
                    str(out)], check=True, capture_output=True)
    bundled = dataset_path("world-2023")
    names = sorted(p.name for p in bundled.iterdir())
    assert names == sorted(p.name for p in out.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(bundled, out, names, shallow=False)
    assert not mismatch and not errors, (mismatch, errors)


def test_reproduces_ignatenko_et_al_table_1(world: wo.World) -> None:
    """Their case 1 (USTR tariffs, income-tax relief, no retaliation) on their data: zero
    baseline tariffs, the US charging max(10%, announced rate) on every partner. Published
    (Table 1): US welfare +1.13%, deficit -18.1%, exports/GDP -52.7%, imports/GDP -43.6%,
    employment +0.32%, prices +12.8%."""
    rates = pd.read_csv(PAPER_TARIFFS)
    assert list(rates["iso3"]) == world.codes
    base = world.with_tariffs(np.zeros((world.n, world.n)))
    us = world.index("USA")
    t1 = np.zeros((world.n, world.n))
    t1[:, us] = np.maximum(0.1, rates["applied_tariff"].to_numpy())
    t1[us, us] = 0.0
    out = wo.run_counterfactual(base, wo.resolve_params(base, "ignatenko2025"), t1)
    usa = out.economies.set_index("economy").loc["USA"]
    assert usa["welfare_pct"] == pytest.approx(1.13, abs=0.005)
    assert usa["trade_balance_change_pct"] == pytest.approx(-18.1, abs=0.05)
    assert usa["exports_to_gdp_pct"] == pytest.approx(-52.7, abs=0.05)
    assert usa["imports_to_gdp_pct"] == pytest.approx(-43.6, abs=0.05)
    assert usa["employment_pct"] == pytest.approx(0.32, abs=0.005)
    assert usa["price_index_pct"] == pytest.approx(12.8, abs=0.05)


def test_liberation_day_on_world_2023() -> None:
    res = wo.simulate("liberation-day-2025-world-2023")
    assert res.solver["residual"] <= 1e-10
    econ = res.economies.set_index("economy")
    assert len(econ) == 194
    assert econ.loc["USA", "tariff_revenue_pct_gdp"] > 0.5
    assert econ.loc["USA", "price_index_pct"] > 5
    assert econ.loc["CHN", "welfare_pct"] < 0
