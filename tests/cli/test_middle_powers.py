"""``worldorder strategy middle-powers``: the regimes as runs, Best with the status quo, corner
solutions flagged; on the test dataset (the real regimes fork the 2025 record of world-2024)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import worldorder.strategy.regimes as regimes
from worldorder.cli.runs_cmd import runs_app
from worldorder.cli.strategy_cmd import strategy_app
from worldorder.runs.record import list_runs, load_run
from worldorder.strategy.regimes import regime_table


def test_best_considers_the_status_quo() -> None:
    last = {r: pd.DataFrame({"economy": ["IRL", "CAN"], "welfare_pct": v}) for r, v in (
        ("status_quo", [0.78, -1.4]), ("subordination", [-2.0, -2.1]),
        ("fortress", [-1.6, 0.04]), ("coalition", [0.50, -0.76]))}
    table = regime_table(last, ["IRL", "CAN"])
    assert table.loc["IRL", "best"] == "status_quo"
    assert table.loc["CAN", "best"] == "fortress"


def test_middle_powers_keeps_runs_and_flags_corners(tmp_path: Path, mini_dataset: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"dataset": str(mini_dataset), "policies": [
        {"tariff": {"by": "USA", "on": "all", "rate": 0.2}}]}

    def scenarios(members, *, hegemon, deal_rate, dataset, fortress, world):
        return {
            "status_quo": {**base, "name": "mp-status-quo"},
            "subordination": {**base, "name": "mp-subordination", "policies": [
                *base["policies"], *({"tariff_deal": {"partner": m, "rate": deal_rate,
                                                      "partner_rate": 0.0}} for m in members)]},
            "fortress": {**base, "name": "mp-fortress", "policies": [
                *base["policies"], {"trade_war": {"players": [*members, "CHN"],
                                                  "upper": 0.05}}]},
            "coalition": {**base, "name": "mp-coalition", "policies": [
                *base["policies"], {"coalition": {"members": members, "against": hegemon}}]},
        }

    monkeypatch.setattr(regimes, "regime_scenarios", scenarios)
    monkeypatch.setenv("COLUMNS", "80")
    runs = tmp_path / "runs"
    r = CliRunner().invoke(strategy_app, ["middle-powers", "--members", "JPN,EU", "--dataset",
                                          str(mini_dataset), "--runs-dir", str(runs), "--csv",
                                          str(tmp_path / "mp.csv")])
    assert r.exit_code == 0, r.output
    assert max(len(ln) for ln in r.output.splitlines()) <= 80
    stored = list_runs(runs)
    assert sorted(stored["scenario"]) == ["mp-coalition", "mp-fortress", "mp-status-quo",
                                          "mp-subordination", "strategy-middle-powers"]
    assert (stored["status"] == "complete").all()
    flat = " ".join(r.output.split())
    assert "Fortress: Corner solution:" in flat and "at the 5% cap of the trade_war search" in flat
    assert "* a corner solution" in flat
    table = pd.read_csv(tmp_path / "mp.csv")
    assert sorted(table["economy"]) == ["DEU", "FRA", "JPN", "USA"]
    assert set(table["best"]) <= {"status_quo", "subordination", "fortress", "coalition"}
    assert table["run_fortress"].str.contains("mp-fortress").all()
    # the comparison itself is a run, naming the regime runs, with the same table
    rec = load_run("strategy-middle-powers", runs)
    assert rec.kind == "command" and rec.manifest["inputs"]["members"] == ["JPN", "EU"]
    assert set(rec.manifest["results"]["regime_runs"].values()) == set(stored["run_id"][
        stored["scenario"] != "strategy-middle-powers"])
    kept = rec.table("strategy_middle_powers")
    pd.testing.assert_frame_equal(kept[table.columns], table, check_dtype=False)
    assert kept.set_index("economy")["at_cap_fortress"].any()  # the corner, flagged per row
    shown = CliRunner().invoke(runs_app, ["show", "strategy-middle-powers", "--runs-dir",
                                          str(runs)])
    assert shown.exit_code == 0, shown.output
    # every line fits, but the run folder's path, kept whole to copy
    assert max(len(ln) for ln in shown.output.splitlines() if not ln.startswith("Folder")) <= 80
    flat = " ".join(shown.output.split())
    assert "Regime runs: status_quo " in flat and "Table strategy_middle_powers: 4 rows" in flat
