"""``worldorder security`` at 80 columns: on the bundled panels and data, on a user dataset
without the optional tables, and on a run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from tests.builders import random_world
from worldorder.cli.app import app
from worldorder.errors import WorldorderError

RUN = """name: sec-cli
description: An exit and a tariff, for the order command.
dataset: world-2024
steps:
  - date: 2025-01-20
    withdraw: {economy: USA, organization: WHO, effective: 2025-06-01}
  - date: 2025-03-04
    tariff: {by: USA, on: [JPN], rate: 0.2}
  - date: 2025-07-01
    tariff: {by: USA, on: [JPN], rate: 0.1}
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, ["security", *args], env={"COLUMNS": "80"})


def _fits(text: str) -> None:
    wide = [line for line in text.splitlines() if len(line) > 80]
    # notes are soft-wrapped by the terminal; tables and titles must fit
    assert all(not any(ch in line for ch in "┃│┏┡└") for line in wide), wide[:2]


def test_power_lists_shares_poles_and_the_offshore_verdicts(tmp_path: Path) -> None:
    out = tmp_path / "power.csv"
    r = invoke("power", "--year", "2022", "--top", "5", "--csv", str(out))
    assert r.exit_code == 0, r.output
    _fits(r.output)
    assert "CHN" in r.output and "effective poles" in r.output and "NE Asia" in r.output
    df = pd.read_csv(out)
    assert df["share"].sum() == pytest.approx(1.0)
    assert df.sort_values("share").iloc[-1]["iso3"] == "CHN"  # CINC: China passed the US
    r = invoke("power", "--index", "gdp", "--region", "europe", "--top", "3")
    assert r.exit_code == 0 and "Europe" in r.output and "NE Asia" not in r.output


def test_power_refuses_unknown_regions_and_years() -> None:
    r = invoke("power", "--region", "atlantis")
    assert isinstance(r.exception, WorldorderError) and "unknown region" in str(r.exception)
    r = invoke("power", "--year", "2030")
    assert isinstance(r.exception, WorldorderError) and "covers 1816-2022" in str(r.exception)


def test_alliances_price_the_pledge(tmp_path: Path, mini_dataset: Path) -> None:
    out = tmp_path / "paths.csv"
    r = invoke("alliances", "--csv", str(out))
    assert r.exit_code == 0, r.output
    _fits(r.output)
    assert "DEU" in r.output and "allies at 2% or more" in r.output
    assert "alliance pairs" in r.output
    paths = pd.read_csv(out)
    end = paths[paths["year"] == 2035]
    assert end["share"].min() == pytest.approx(0.05)  # every ally on the pledge by 2035
    ds = random_world(3, seed=1).save(tmp_path / "toy")
    r = invoke("alliances", "--dataset", str(ds))
    assert r.exit_code == 0 and "has no alliances table (alliances.csv)" in r.output


def test_alignment_on_the_bundled_data_and_a_user_dataset(mini_dataset: Path,
                                                          tmp_path: Path) -> None:
    r = invoke("alignment", "--k", "2")
    assert r.exit_code == 0, r.output
    _fits(r.output)
    assert "CAN" in r.output and "Hedging" in r.output
    # the mini dataset has NATO but none of the other clubs: the component is left out
    r = invoke("alignment", "--dataset", str(mini_dataset), "--k", "2")
    assert r.exit_code == 0, r.output
    assert "the membership component is left out" in r.output
    toy = random_world(3, seed=1).save(tmp_path / "toy")
    r = invoke("alignment", "--dataset", str(toy))
    assert isinstance(r.exception, WorldorderError) and "no economy USA" in str(r.exception)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sec-runs")
    sc = root / "sec-cli.yaml"
    sc.write_text(RUN)
    res = CliRunner().invoke(app, ["run", str(sc), "--runs-dir", str(root / "runs")])
    assert res.exit_code == 0, res.output
    return root / "runs"


def test_order_on_a_run(runs: Path, tmp_path: Path) -> None:
    out = tmp_path / "order.csv"
    r = invoke("order", "sec-cli", "--runs-dir", str(runs), "--all", "--csv", str(out))
    assert r.exit_code == 0, r.output
    _fits(r.output)
    df = pd.read_csv(out)
    # the clock's dates are the steps': the exit (effective 1 June) counts from 1 July
    assert list(df["date"]) == ["2025-01-20", "2025-03-04", "2025-07-01"]
    assert df["multilateralism"].iloc[2] < df["multilateralism"].iloc[1] == \
        df["multilateralism"].iloc[0]
    assert df["mfn"].iloc[1] < df["mfn"].iloc[0]
    r = invoke("order", "sec-cli", "--runs-dir", str(runs), "--year", "2024")
    assert isinstance(r.exception, WorldorderError) and "no date in 2024" in str(r.exception)
    r = invoke("alignment", "--run", "sec-cli", "--runs-dir", str(runs), "--k", "2")
    assert r.exit_code == 0, r.output
    assert "Alignment at 2025-07-01" in r.output


def test_order_on_a_run_without_the_security_tables(runs: Path, tmp_path: Path) -> None:
    import shutil

    old = tmp_path / "runs"
    shutil.copytree(runs, old)
    folder = next(p for p in old.iterdir() if p.is_dir() and "sec-cli" in p.name)
    (folder / "order_index.parquet").unlink()
    r = invoke("order", "sec-cli", "--runs-dir", str(old))
    assert isinstance(r.exception, WorldorderError)
    assert "has no order_index table" in str(r.exception)


def test_alignment_of_a_run_on_a_dataset_without_the_powers(tmp_path: Path) -> None:
    toy = random_world(3, seed=1).save(tmp_path / "toy")
    sc = tmp_path / "toy.yaml"
    sc.write_text(f"name: toy\ndataset: {toy}\nsteps:\n  - date: 2025-02-01\n"
                  "    tariff: {by: E00, on: [E01], rate: 0.2}\n")
    res = CliRunner().invoke(app, ["run", str(sc), "--runs-dir", str(tmp_path / "runs")])
    assert res.exit_code == 0, res.output
    r = invoke("alignment", "--run", "toy", "--runs-dir", str(tmp_path / "runs"))
    assert isinstance(r.exception, WorldorderError) and "lacks USA or CHN" in str(r.exception)
