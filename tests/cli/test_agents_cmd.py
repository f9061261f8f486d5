"""``worldorder agents``: doctrines, a run with agents, a tournament (through the CLI)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from tests.builders import AGENTS_SCENARIO
from worldorder.cli.app import app

RUNNER = CliRunner()


def test_doctrines_are_listed() -> None:
    r = RUNNER.invoke(app, ["agents", "doctrines"], terminal_width=80)
    assert r.exit_code == 0
    for name in ("america_first", "reciprocator", "middle_power_coalition"):
        assert name in r.output


def test_agents_run_shows_choices_and_welfare(tmp_path: Path, mini_dataset: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(AGENTS_SCENARIO.format(dataset=mini_dataset, start="2026-01-01", every=1))
    r = RUNNER.invoke(app, ["agents", "run", str(path), "--runs-dir", str(tmp_path / "runs")],
                      terminal_width=80)
    assert r.exit_code == 0, r.output
    assert "reciprocal_tariff" in r.output and "Welfare of each agent" in r.output
    assert all(len(line) <= 80 for line in r.output.splitlines())
    assert "…" not in r.output  # nothing cut off


def test_tournament_table_and_csv(tmp_path: Path, mini_dataset: Path) -> None:
    r = RUNNER.invoke(app, ["agents", "tournament", "--us", "america_first", "--china",
                            "reciprocator", "--middle", "subordinate,fortress", "--periods", "2",
                            "--dataset", str(mini_dataset), "--middle-powers", "EU,CAN,JPN",
                            "--csv", str(tmp_path / "t.csv")],
                      terminal_width=80)
    assert r.exit_code == 0, r.output
    table = pd.read_csv(tmp_path / "t.csv")
    assert list(table["middle"]) == ["subordinate", "fortress"]
    assert "fortress" in r.output
