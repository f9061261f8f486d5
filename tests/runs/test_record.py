"""Finding runs again: load_run by id, prefix, suffix, scenario name or path; list_runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.builders import DATED, RETALIATION, ScenarioWriter
from worldorder.errors import WorldorderError
from worldorder.runs import RunError, RunRecord, execute_run, list_runs, load_run


@pytest.fixture
def three_runs(write_scenario: ScenarioWriter, runs_dir: Path, clock) -> list[RunRecord]:
    """Two runs of test-liberation and one of test-retaliation, a few minutes apart."""
    lib = write_scenario()
    return [execute_run(lib, runs_dir=runs_dir),
            execute_run(write_scenario(RETALIATION), runs_dir=runs_dir),
            execute_run(lib, runs_dir=runs_dir)]


def test_load_run_by_id_prefix_suffix_name_and_path(three_runs: list[RunRecord],
                                                    runs_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first, retaliation, newest = three_runs
    assert first.run_id.startswith("20260101T000000Z-test-liberation-")
    assert load_run(first.run_id, runs_dir).run_id == first.run_id
    assert load_run("20260101T0000", runs_dir).run_id == first.run_id  # unique prefix
    assert load_run(retaliation.run_id[-8:], runs_dir).run_id == retaliation.run_id  # suffix
    assert load_run("test-liberation", runs_dir).run_id == newest.run_id  # newest of scenario
    assert load_run("test-retaliation", runs_dir).run_id == retaliation.run_id
    assert load_run(str(first.path), None).run_id == first.run_id  # a folder, anywhere
    assert load_run(first.path.resolve()).run_id == first.run_id
    monkeypatch.setenv("WORLDORDER_RUNS", str(runs_dir))
    assert load_run(newest.run_id).path == runs_dir / newest.run_id
    rec = load_run(first.run_id, runs_dir)
    assert rec.status == "complete" and rec.scenario == "test-liberation"
    assert rec.dataset == "mini" and rec.dates == ["undated"]


def test_unknown_and_ambiguous_references(three_runs: list[RunRecord], runs_dir: Path,
                                          tmp_path: Path) -> None:
    first = three_runs[0]
    with pytest.raises(RunError, match=r"run '2026' is ambiguous in .*: it matches "
                                       r"20260101T0.*; give more of the run id") as info:
        load_run("2026", runs_dir)
    assert "\n" not in str(info.value)
    # the two test-liberation runs share their hash
    with pytest.raises(RunError, match="ambiguous"):
        load_run(first.run_id[-8:], runs_dir)
    with pytest.raises(RunError, match=r"no run 'nope' in .*'worldorder runs list'"):
        load_run("nope", runs_dir)
    with pytest.raises(RunError, match="holds no runs"):
        load_run("nope", tmp_path / "empty")
    with pytest.raises(RunError, match="give a run id"):
        load_run("  ", runs_dir)
    assert issubclass(RunError, WorldorderError)


def test_list_runs_newest_first_with_broken_folders(three_runs: list[RunRecord],
                                                    runs_dir: Path) -> None:
    (runs_dir / "20250101T000000Z-no-manifest-00000000").mkdir()
    (runs_dir / "not-a-run").mkdir()
    (runs_dir / "not-a-run" / "manifest.json").write_text("{ this is not json")
    (runs_dir / "array").mkdir()
    (runs_dir / "array" / "manifest.json").write_text("[1, 2]")
    gone = runs_dir / "20270101T000000Z-lost-tables-11111111"
    gone.mkdir()
    (gone / "manifest.json").write_text(json.dumps({"status": "complete", "dates": "x",
                                                    "dataset": "not a mapping"}))
    (runs_dir / "README.txt").write_text("a stray file")
    being_written = "20260101T000500Z-test-liberation-abcdef12"
    (runs_dir / f".{being_written}.tmp").mkdir()  # just created: its manifest comes next
    (runs_dir / ".cache").mkdir()  # other hidden folders are not runs

    df = list_runs(runs_dir)
    assert list(df.columns) == ["run_id", "kind", "scenario", "dataset", "status",
                                "created_utc", "dates", "path", "error"]
    assert set(df["kind"]) == {"scenario"}
    assert list(df["run_id"][:5]) == [
        gone.name, being_written, three_runs[2].run_id, three_runs[1].run_id,
        three_runs[0].run_id]
    status = dict(zip(df["run_id"], df["status"], strict=True))
    assert status[gone.name] == "broken"
    assert "manifest.json, field 'scenario'" in df.set_index("run_id").loc[gone.name, "error"]
    assert status["20250101T000000Z-no-manifest-00000000"] == "broken"
    assert status["not-a-run"] == status["array"] == "broken"
    assert status[being_written] == "running"
    assert [status[r.run_id] for r in three_runs] == ["complete"] * 3
    assert len(df) == 8
    row = df.set_index("run_id").loc["20250101T000000Z-no-manifest-00000000"]
    assert row["scenario"] == "no-manifest" and row["created_utc"] == "2025-01-01T00:00:00Z"
    assert "missing or unreadable" in row["error"]
    assert df.set_index("run_id").loc[three_runs[0].run_id, "dates"] == 1
    # a broken folder can still be shown, and says why it has no tables
    rec = load_run(gone.name, runs_dir)
    with pytest.raises(RunError, match="has no economies table"):
        rec.economies()


def test_list_runs_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    df = list_runs(tmp_path / "nowhere")
    assert df.empty and "run_id" in df.columns


def test_tables_are_read_on_demand_and_protected(write_scenario: ScenarioWriter,
                                                 runs_dir: Path) -> None:
    rec = execute_run(write_scenario(DATED), runs_dir=runs_dir)
    again = load_run(rec.run_id, runs_dir)
    assert again._tables == {}
    econ = again.economies()
    econ["welfare_pct"] = 0.0
    assert (again.economies()["welfare_pct"] != 0.0).any()
    assert len(again.flows()) == 3 * 8 * 7
    assert set(again.policies()["imposer"]) == {"USA"}
    assert set(again._tables) == {"economies", "flows", "policies"}
    os.remove(rec.path / "timeline.parquet")
    with pytest.raises(RunError, match=r"has no timeline table \(timeline.parquet is missing"):
        again.timeline()
