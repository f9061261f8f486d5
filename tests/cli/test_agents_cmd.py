"""``worldorder agents``: doctrines, a run with agents, a tournament (through the CLI)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.builders import AGENTS_SCENARIO
from worldorder.cli.app import app
from worldorder.errors import WorldorderError
from worldorder.runs import sql
from worldorder.runs.record import scan_runs

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
                            "--csv", str(tmp_path / "t.csv"), "--runs-dir",
                            str(tmp_path / "runs")],
                      terminal_width=80)
    assert r.exit_code == 0, r.output
    table = pd.read_csv(tmp_path / "t.csv")
    assert list(table["middle"]) == ["subordinate", "fortress"]
    assert "fortress" in r.output
    # kept as a run: the same table, queryable, with the command to run it again
    (rec,) = scan_runs(tmp_path / "runs")
    assert rec.kind == "command" and rec.status == "complete"
    assert rec.manifest["command"].startswith("worldorder agents tournament --us america_first")
    kept = sql("select * from agents_tournament", tmp_path / "runs").drop(columns="run_id")
    pd.testing.assert_frame_equal(kept[table.columns.tolist()], table, check_dtype=False)


def test_ecological_prints_and_keeps_the_replicator_shares(tmp_path: Path,
                                                           mini_dataset: Path) -> None:
    from worldorder.agents.tournament import ecological

    args = ["--us", "america_first", "--china", "reciprocator", "--middle",
            "subordinate,hedger", "--generations", "2", "--periods", "2", "--selection", "0.5",
            "--dataset", str(mini_dataset), "--middle-powers", "EU,CAN,JPN"]
    r = RUNNER.invoke(app, ["agents", "ecological", *args, "--csv", str(tmp_path / "e.csv"),
                            "--runs-dir", str(tmp_path / "runs")], terminal_width=80)
    assert r.exit_code == 0, r.output
    assert all(len(line) <= 80 for line in r.output.splitlines())
    want = ecological("america_first", "reciprocator", ["subordinate", "hedger"],
                      generations=2, periods=2, selection=0.5, dataset=str(mini_dataset),
                      middle_powers=["EU", "CAN", "JPN"])
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "e.csv"), want, check_dtype=False)
    final = want[want["generation"] == 2].set_index("doctrine")["share"]
    assert final.sum() == pytest.approx(1.0)
    assert "After 2 generations: " in r.output
    for d, x in final.items():
        short = {"subordinate": "subord"}.get(str(d), str(d))
        assert f"{short} {100 * x:.1f}%" in r.output
    kept = sql("select * from agents_ecological", tmp_path / "runs").drop(columns="run_id")
    pd.testing.assert_frame_equal(kept[want.columns.tolist()], want, check_dtype=False)


@pytest.mark.parametrize(("command", "args", "message"), [
    ("tournament", ["--us", "americafirst"], "error: --us: unknown doctrine 'americafirst'"),
    ("tournament", ["--middle", ""], "error: --middle: give at least one doctrine"),
    ("tournament", ["--seeds", "a"], "error: --seeds 'a': give whole numbers"),
    ("tournament", ["--middle-powers", "EU,XXX"],
     "error: --middle-powers: unknown economy or group 'XXX'"),
    ("tournament", ["--middle-powers", "EU,CHN"], "error: --middle-powers: CHN plays its own"),
    ("ecological", ["--china", "stabilizer"], "error: --china: unknown doctrine 'stabilizer'"),
    ("ecological", ["--fitness", "gdp"], "error: --fitness 'gdp': choose welfare or payoff"),
    ("ecological", ["--middle", "hedger,hedger"], "error: --middle: a doctrine is named twice"),
])
def test_bad_options_are_one_line_before_any_match(tmp_path: Path, mini_dataset: Path,
                                                   command: str, args: list[str],
                                                   message: str) -> None:
    r = RUNNER.invoke(app, ["agents", command, "--dataset", str(mini_dataset),
                            "--middle-powers", "EU,CAN,JPN", *args,  # the last one counts
                            "--runs-dir", str(tmp_path / "runs")], terminal_width=200)
    # the console script prints a WorldorderError as one 'error:' line (tests/cli/
    # test_error_lines.py); here it reaches the runner
    assert isinstance(r.exception, WorldorderError), r.output
    assert f"error: {r.exception}".startswith(message) and "\n" not in str(r.exception)
    assert not (tmp_path / "runs").exists()  # nothing was run, nothing kept
