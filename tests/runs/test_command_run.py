"""A command's results kept as a run (``worldorder strategy ...``; issue 11, item 11)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.builders import mini_world
from worldorder.errors import WorldorderError
from worldorder.runs import RunError, list_runs, load_run, sql
from worldorder.runs.command_run import command_run
from worldorder.runs.manifest import check_manifest

TABLE = pd.DataFrame({"partner": ["JPN", "EU"], "rate": [0.12, 0.09], "ok": [True, False]})


def _keep(runs_dir: Path, **inputs: object):
    world = mini_world()
    with command_run("strategy-test", world=world, command="worldorder strategy test --x 1",
                     inputs={"x": 1, **inputs}, parameters={"preset": "ignatenko2025"},
                     runs_dir=runs_dir) as run:
        assert (runs_dir / f".{run.run_id}.tmp" / "manifest.json").is_file()  # running
        run.add_table("strategy_test", TABLE)
        run.results.update(core_nonempty=True, stable=["JPN+EU"])
        run.warnings.append("a warning")
    return run


def test_a_command_run_is_a_run(tmp_path: Path) -> None:
    runs_dir = tmp_path / "runs"
    run = _keep(runs_dir)
    rec = run.record
    assert rec is not None and rec.status == "complete" and rec.kind == "command"
    assert rec.path == runs_dir / run.run_id and rec.scenario == "strategy-test"
    m = rec.manifest
    assert check_manifest(m) is None
    assert m["command"] == "worldorder strategy test --x 1" and m["inputs"] == {"x": 1}
    assert m["tables"] == ["strategy_test"] and m["dates"] == []
    assert m["results"] == {"core_nonempty": True, "stable": ["JPN+EU"]}
    assert m["warnings"] == ["a warning"] and set(m["files"]) == {"strategy_test"}
    assert m["parameters"] == {"preset": "ignatenko2025"}
    pd.testing.assert_frame_equal(rec.table("strategy_test"), TABLE)
    assert "a warning" in (rec.path / "log.txt").read_text()
    # found by the readers: list, load by scenario name, SQL
    listed = list_runs(runs_dir)
    assert list(listed["run_id"]) == [run.run_id] and listed["status"][0] == "complete"
    assert load_run("strategy-test", runs_dir).run_id == run.run_id
    got = sql("select partner, rate, ok from strategy_test order by rate", runs_dir)
    assert got["partner"].tolist() == ["EU", "JPN"] and got["ok"].tolist() == [False, True]
    kinds = sql("select kind, dates from runs", runs_dir)
    assert kinds.to_dict("records") == [{"kind": "command", "dates": 0}]


def test_a_damaged_table_makes_the_run_corrupt(tmp_path: Path) -> None:
    run = _keep(tmp_path)
    (tmp_path / run.run_id / "strategy_test.parquet").unlink()
    assert load_run(run.run_id, tmp_path).status == "corrupt"


def test_an_error_inside_leaves_a_failed_run_and_goes_on(tmp_path: Path) -> None:
    with pytest.raises(WorldorderError, match="no equilibrium"), \
            command_run("strategy-test", world=mini_world(), command="c", inputs={},
                        runs_dir=tmp_path) as run:
        run.add_table("strategy_test", TABLE)
        raise WorldorderError("no equilibrium\nfor JPN")
    rec = load_run(run.run_id, tmp_path)
    assert rec.status == "failed" and rec.error == "no equilibrium for JPN"
    assert not list(tmp_path.glob("*/strategy_test.parquet"))  # tables are written at the end
    with pytest.raises(KeyboardInterrupt), \
            command_run("strategy-test", world=mini_world(), command="c", inputs={"y": 2},
                        runs_dir=tmp_path) as run2:
        raise KeyboardInterrupt
    assert load_run(run2.run_id, tmp_path).status == "interrupted"


@pytest.mark.parametrize("name", ["economies", "Strategy", "2x", "a-b", ""])
def test_table_names_are_checked(tmp_path: Path, name: str) -> None:
    with pytest.raises(RunError, match="table name"), \
            command_run("strategy-test", world=mini_world(), command="c", inputs={},
                        runs_dir=tmp_path) as run:
        run.add_table(name, TABLE)
    assert load_run(run.run_id, tmp_path).status == "failed"


def test_scenario_readers_refuse_a_command_run_in_one_line(tmp_path: Path) -> None:
    from worldorder.reports.run import ReportError
    from worldorder.reports.run import load_run as report_run
    from worldorder.runs import compare

    run = _keep(tmp_path)
    with pytest.raises(RunError, match="worldorder strategy test', not a scenario's"):
        compare(run.run_id, run.run_id, tmp_path)
    with pytest.raises(ReportError, match="not of a scenario: there is no report"):
        report_run(tmp_path / run.run_id)


def test_runs_list_shows_no_date_count_for_a_command_run(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from worldorder.cli.app import app

    run = _keep(tmp_path / "runs")
    out = CliRunner().invoke(app, ["runs", "list", "--runs-dir", str(tmp_path / "runs")],
                             env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    row = next(line for line in out.output.splitlines() if run.run_id in line)
    assert row.rstrip().endswith("–") and "complete" in row
