"""The command line: real invocations of the console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.scenarios.test_scenarios import LIBERATION


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worldorder.cli.app", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def test_run_prints_and_writes(tmp_path: Path, mini_dataset: Path) -> None:
    sc = tmp_path / "lib.yaml"
    sc.write_text(LIBERATION.format(dataset=mini_dataset))
    r = cli("run", str(sc), "--out", str(tmp_path / "res"))
    assert r.returncode == 0, r.stderr
    assert "Imposers" in r.stdout and "USA" in r.stdout and "Largest losses" in r.stdout
    econ = pd.read_csv(tmp_path / "res" / "economies.csv")
    assert len(econ) == 8
    pol = pd.read_csv(tmp_path / "res" / "policies.csv")
    assert list(pol.columns) == ["imposer", "target", "rate_before", "rate_after"]
    # a second run into the same folder is refused and the first results stay
    again = cli("run", str(sc), "--out", str(tmp_path / "res"))
    assert again.returncode == 1 and "not empty" in again.stderr
    assert pd.read_csv(tmp_path / "res" / "economies.csv").equals(econ)


def test_default_output_folder_never_overwrites(tmp_path: Path, mini_dataset: Path) -> None:
    sc = tmp_path / "lib.yaml"
    sc.write_text(LIBERATION.format(dataset=mini_dataset))
    assert cli("run", str(sc), cwd=tmp_path).returncode == 0
    assert cli("run", str(sc), cwd=tmp_path).returncode == 0
    assert (tmp_path / "out" / "test-liberation" / "manifest.json").is_file()
    assert (tmp_path / "out" / "test-liberation-2" / "manifest.json").is_file()


def test_errors_are_one_line_without_traceback(tmp_path: Path, mini_dataset: Path) -> None:
    sc = tmp_path / "bad.yaml"
    sc.write_text(LIBERATION.format(dataset=mini_dataset).replace("rate: 0.10", "rate: x"))
    r = cli("run", str(sc))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad.yaml, line 6" in lines[0]
    r = cli("data", "show", str(tmp_path / "missing"))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "missing" in r.stderr


def test_data_show_and_listings(mini_dataset: Path) -> None:
    r = cli("data", "show", str(mini_dataset))
    assert r.returncode == 0, r.stderr
    assert "8 economies" in r.stdout and "synthetic, for tests" in r.stdout
    r = cli("scenarios")
    assert r.returncode == 0 and "liberation-day-2025" in r.stdout
    r = cli("actions")
    assert r.returncode == 0 and "reciprocal_tariff" in r.stdout
    assert cli("--version").stdout.startswith("worldorder ")


def test_optimal_tariff_command(mini_dataset: Path) -> None:
    r = cli("optimal-tariff", "USA", "--dataset", str(mini_dataset))
    assert r.returncode == 0, r.stderr
    assert "numerical optimum" in r.stdout and "closed form" in r.stdout
    r = cli("optimal-tariff", "XXX", "--dataset", str(mini_dataset))
    assert r.returncode == 1 and "unknown economy 'XXX'" in r.stderr
