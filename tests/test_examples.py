"""Every example and the benchmark run (smoke tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False)


def test_api_quickstart(tmp_path: Path) -> None:
    r = run(str(ROOT / "examples" / "api_quickstart.py"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "USA" in r.stdout and "optimal US tariff" in r.stdout


def test_custom_dataset_with_300_economies_runs_through_the_cli(tmp_path: Path) -> None:
    r = run(str(ROOT / "examples" / "custom_dataset.py"), str(tmp_path), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    cli = run("-m", "worldorder.cli.app", "run", str(tmp_path / "bloc-tariff.yaml"), "--out",
              str(tmp_path / "res"), cwd=tmp_path)
    assert cli.returncode == 0, cli.stderr
    lines = (tmp_path / "res" / "economies.csv").read_text().splitlines()
    assert len(lines) == 301


def test_security_history_prints_the_issue_figures(tmp_path: Path) -> None:
    r = run(str(ROOT / "examples" / "security_history.py"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "China first passes the US on CINC in 1995" in out
    assert "2022: CHN 23.2%, USA 12.3%" in out
    assert "2014: 3 of 28" in out and "2024: 17 of 32" in out
    assert all(len(line) <= 80 for line in out.splitlines())


@pytest.mark.parametrize("args", [["--repeat", "1", "--samples", "2", "--sizes", "40,80"]])
def test_benchmark_runs(tmp_path: Path, args: list[str]) -> None:
    r = run(str(ROOT / "benchmarks" / "bench_solver.py"), *args, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "194 economies" in r.stdout and "median" in r.stdout


def test_startup_benchmark_runs(tmp_path: Path) -> None:
    r = run(str(ROOT / "benchmarks" / "bench_startup.py"), "--repeat", "1", "--economies", "50",
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "import worldorder" in r.stdout and "target <= 1.5 s" in r.stdout


def test_custom_layer_plugin_runs_us_2025_and_shows_its_table(tmp_path: Path) -> None:
    r = run(str(ROOT / "examples" / "custom_layer.py"), str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "organization_members" in r.stdout and "plugin action registered: True" in r.stdout
    assert "plugin doctrine registered: True" in r.stdout
    # the plugin's doctrine chose in the agents run: America First's reciprocal tariffs of the
    # first period are answered in the second, as its rule says
    assert ("CHN (grudger) on 2026-01-01: retaliation - USA raised its duties on CHN: answered "
            "in kind, never forgiven") in r.stdout
    assert "report data appendix lists organization_members: True" in r.stdout
    # the suspension recorded by the plugin's action shows in its own table
    assert "18 " in r.stdout and "19 " in r.stdout
