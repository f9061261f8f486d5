"""``worldorder sweep`` and ``worldorder sensitivity`` as a user runs them, at 80 columns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.builders import mini_world
from worldorder.runs.record import load_run
from worldorder.sweeps.run import ECONOMIES, read_sweep

SCENARIO = """name: sweep-cli
dataset: {dataset}
policies:
  - tariff: {{by: USA, on: all, rate: 0.2}}
"""


def cli(*args: str, runs: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "80", "WORLDORDER_RUNS": str(runs)}
    return subprocess.run([sys.executable, "-m", "worldorder.cli.app", *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def _scenario(tmp_path: Path) -> Path:
    data = mini_world().save(tmp_path / "mini")
    path = tmp_path / "sweep.yaml"
    path.write_text(SCENARIO.format(dataset=data), encoding="utf-8")
    return path


def test_sweep_prints_bands_and_keeps_the_samples(tmp_path: Path) -> None:
    sc, runs = _scenario(tmp_path), tmp_path / "runs"
    out = cli("sweep", str(sc), "--param", "epsilon=uniform(3,8)", "--param",
              "kappa=grid(0.3,0.7)", "--samples", "10", "--economies", "USA,CHN", runs=runs)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "20 samples" in text and "this process" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    rec = load_run("sweep-cli", runs)
    econ = read_sweep(rec.path, ECONOMIES)
    usa = econ.loc[econ["economy"] == "USA", "welfare_pct"].to_numpy()
    row = next(ln for ln in text.splitlines() if ln.strip().startswith("USA"))
    assert f"{np.percentile(usa, 50):+.2f}" in row
    assert "What moves USA's welfare most" in text
    shown = cli("runs", "show", rec.run_id, runs=runs)
    assert shown.returncode == 0 and "Sweep      20 samples (0 failed)" in shown.stdout
    query = cli("runs", "sql", "select count(*) as n from sweep_samples", runs=runs)
    assert query.returncode == 0 and "20" in query.stdout


def test_bad_specification_is_one_line_before_any_work(tmp_path: Path) -> None:
    sc, runs = _scenario(tmp_path), tmp_path / "runs"
    out = cli("sweep", str(sc), "--param", "epsilon=unifrom(3,8)", runs=runs)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "error: --param 'epsilon=unifrom(3,8)' (column 9): unknown distribution 'unifrom' "
        "(choose from uniform, loguniform, normal, triangular, choice, grid, a list of "
        "values or a number)"]
    assert not runs.exists()
    none = cli("sweep", str(sc), runs=runs)
    assert none.returncode == 1 and "give at least one --param or --noise" in none.stderr


def test_sensitivity_table_fits_80_columns(tmp_path: Path) -> None:
    sc, runs = _scenario(tmp_path), tmp_path / "runs"
    out = cli("sensitivity", str(sc), runs=runs)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    for name, values in (("epsilon", ("2", "4", "8")), ("kappa", ("0", "0.5", "1")),
                         ("psi", ("0", "0.1675", "0.24"))):
        for v in values:
            assert any(line.split()[:2] == [name, v] for line in lines if line.split())
    assert not runs.exists()  # a quick look: nothing is stored
