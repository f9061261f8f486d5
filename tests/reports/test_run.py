"""Reading run folders and finding the run a user means."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.builders import DATED_ID, WORLD_ID
from worldorder.errors import WorldorderError
from worldorder.reports import ReportError, find_run, load_run


def test_load_run_reads_the_tables(world_run: Path) -> None:
    run = load_run(world_run)
    assert run.run_id == WORLD_ID
    assert run.dates == ["undated"] and run.last_date == "undated"
    assert len(run.economies) == 47 and set(run.flows["date"]) == {"undated"}
    assert run.names["USA"] == "United States"
    # constituents come from the bundled dataset when the manifest has none
    assert "BGR" in run.constituents["EU-REST"]


def test_load_run_dates_follow_the_manifest(dated_run: Path) -> None:
    run = load_run(dated_run)
    assert run.dates == ["2025-02-04", "2025-04-02", "2025-07-22"]
    assert len(run.at("economies", "2025-04-02")) == 47


def test_constituents_from_the_manifest(tmp_path: Path, world_run: Path) -> None:
    folder = shutil.copytree(world_run, tmp_path / "r")
    m = json.loads((folder / "manifest.json").read_text())
    m["dataset"]["constituents"] = {"EU-REST": ["DNK"]}
    (folder / "manifest.json").write_text(json.dumps(m))
    assert load_run(folder).constituents == {"EU-REST": ("DNK",)}


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: (f / "flows.parquet").unlink(), r"flows\.parquet: missing"),
    (lambda f: (f / "manifest.json").write_text("{"), r"manifest\.json: not valid JSON"),
    (lambda f: (f / "policies.parquet").write_text("x"), r"policies\.parquet: cannot be read"),
    (lambda f: (f / "manifest.json").write_text('{"status": "running"}'), "still running"),
    (lambda f: (f / "manifest.json").write_text('{"status": "failed", "error": "boom"}'),
     r"the run failed \(boom\)"),
])
def test_unreadable_run_folders_are_one_line_errors(tmp_path: Path, world_run: Path, change,
                                                    message: str) -> None:
    folder = shutil.copytree(world_run, tmp_path / "r")
    change(folder)
    with pytest.raises(ReportError, match=message) as err:
        load_run(folder)
    assert isinstance(err.value, WorldorderError) and "\n" not in str(err.value)


def test_find_run(runs_dir: Path, world_run: Path, dated_run: Path, mini_run: Path) -> None:
    assert find_run(world_run) == world_run
    assert find_run(WORLD_ID, runs_dir) == world_run
    assert find_run("us-2025-dated", runs_dir) == dated_run
    assert find_run("latest", runs_dir).name >= DATED_ID
    with pytest.raises(ReportError, match=r"no run .nothing-like-this. in "):
        find_run("nothing-like-this", runs_dir)
    with pytest.raises(ReportError, match="no runs folder"):
        find_run("x", runs_dir / "missing")
    with pytest.raises(ReportError, match="not a run folder"):
        find_run(runs_dir)
