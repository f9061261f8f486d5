"""Run folders that are corrupt, crafted or left by killed runs (issue 12, items 2, 6 and 7)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.builders import RETALIATION, ScenarioWriter
from worldorder.cli.runs_cmd import runs_app
from worldorder.runs import RunError, RunRecord, compare, execute_run, list_runs, load_run, sql
from worldorder.runs.integrity import clean_stale, stale_reason
from worldorder.runs.manifest import check_manifest, read_manifest, write_manifest
from worldorder.runs.paths import temp_folder

runner = CliRunner()


def invoke(runs_dir: Path, *args: str):
    return runner.invoke(runs_app, [*args, "--runs-dir", str(runs_dir)])


@pytest.fixture
def two(write_scenario: ScenarioWriter, runs_dir: Path, clock) -> list[RunRecord]:
    return [execute_run(write_scenario(), runs_dir=runs_dir),
            execute_run(write_scenario(RETALIATION), runs_dir=runs_dir)]


def _status(runs_dir: Path) -> dict[str, str]:
    df = list_runs(runs_dir)
    return dict(zip(df["run_id"], df["status"], strict=True))


@pytest.mark.parametrize("damage", ["truncate", "replace", "remove"])
def test_a_corrupt_run_is_marked_and_the_others_stay_queryable(
        two: list[RunRecord], runs_dir: Path, damage: str) -> None:
    bad, good = two
    path = bad.path / "economies.parquet"
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "replace":  # a valid Parquet file, but not the one the run wrote
        shutil.copy(good.path / "policies.parquet", path)
    else:
        path.unlink()
    assert _status(runs_dir) == {bad.run_id: "corrupt", good.run_id: "complete"}
    assert "economies.parquet" in load_run(bad.run_id, runs_dir).error
    # every other run is still queryable; the runs table says which one is corrupt
    df = sql("select distinct run_id from economies", runs_dir)
    assert df["run_id"].tolist() == [good.run_id]
    runs = sql("select run_id, status from runs order by run_id", runs_dir)
    assert dict(zip(runs["run_id"], runs["status"], strict=True))[bad.run_id] == "corrupt"
    # show, compare and reading a table give one line
    r = invoke(runs_dir, "show", bad.run_id)
    assert r.exit_code == 0 and "corrupt" in r.output and "Traceback" not in r.output
    for call in (lambda: compare(bad.run_id, good.run_id, runs_dir),
                 lambda: compare(good.run_id, bad.run_id, runs_dir),
                 lambda: load_run(bad.run_id, runs_dir).economies()):
        with pytest.raises(RunError, match=r"is corrupt: economies\.parquet") as err:
            call()
        assert "\n" not in str(err.value)
    r = invoke(runs_dir, "list")
    assert r.exit_code == 0 and "1 corrupt run" in r.output


@pytest.mark.parametrize(("edit", "field"), [
    ({"status": "complete", "dates": "x"}, "dates"),
    ({"dates": [1, 2]}, "dates[0]"),
    ({"dataset": "not a mapping"}, "dataset"),
    ({"dataset": {"name": 5}}, "dataset.name"),
    ({"status": "done"}, "status"),
    ({"seed": True}, "seed"),
    ({"writer": {"pid": "1", "host": "h"}}, "writer.pid"),
    ({"files": {"economies": {"bytes": -1}}}, "files.economies.bytes"),
])
def test_manifests_are_validated(two: list[RunRecord], runs_dir: Path, edit: dict,
                                 field: str) -> None:
    rec = two[0]
    manifest = read_manifest(rec.path)
    assert check_manifest(manifest) is None
    write_manifest(rec.path, {**manifest, **edit})
    problem = check_manifest(read_manifest(rec.path))
    assert problem is not None and problem.startswith(f"manifest.json, field {field!r}")
    assert _status(runs_dir)[rec.run_id] == "broken"
    assert sql("select count(distinct run_id) as n from economies", runs_dir)["n"][0] == 1


def test_a_folder_with_a_manifest_is_not_automatically_a_run(tmp_path: Path,
                                                             runs_dir: Path) -> None:
    runs_dir.mkdir()
    fake = runs_dir / "20250101T000000Z-fake-00000000"
    fake.mkdir()
    (fake / "manifest.json").write_text('{"status": "complete"}')
    assert _status(runs_dir) == {fake.name: "broken"}
    from worldorder.reports import ReportError, render_report

    with pytest.raises(ReportError, match="not a valid run folder"):
        render_report(fake, tmp_path / "r.html")


def test_reports_never_follow_dataset_paths_in_a_manifest(
        two: list[RunRecord], tmp_path: Path, mini_dataset: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A copied run whose manifest names a dataset folder (its own, so the hash matches):
    the report must not load it."""
    from worldorder import data
    from worldorder.reports import render_report

    copy = shutil.copytree(two[0].path, tmp_path / "copied-run")
    manifest = read_manifest(copy)
    manifest["scenario"]["parsed"]["dataset"] = str(mini_dataset.resolve())
    write_manifest(copy, manifest)
    loaded: list[str] = []
    real = data.load_world

    def spy(source, *args, **kwargs):
        loaded.append(str(source))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(data, "load_world", spy)
    out = render_report(copy, tmp_path / "r.html")
    assert out.is_file() and loaded == []
    # what the report needs of the dataset came from the manifest
    assert manifest["dataset"]["groups"] == {"EU": ["DEU", "FRA"]}


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_temporary_runs_are_shown_and_stale_ones_cleaned(two: list[RunRecord],
                                                         runs_dir: Path) -> None:
    alive = {**read_manifest(two[0].path), "status": "running", "run_id": "live",
             "files": None}
    dead = {**alive, "writer": {**alive["writer"], "pid": _dead_pid()}}
    live_tmp = temp_folder(runs_dir, "20270101T000000Z-live-11111111")
    dead_tmp = temp_folder(runs_dir, "20270101T000001Z-killed-22222222")
    for folder, manifest in ((live_tmp, alive), (dead_tmp, dead)):
        folder.mkdir()
        write_manifest(folder, manifest)
    assert alive["writer"]["pid"] == os.getpid()
    status = _status(runs_dir)
    assert status["20270101T000000Z-live-11111111"] == "running"
    assert status["20270101T000001Z-killed-22222222"] == "stale"
    assert "ended without finishing" in stale_reason(dead_tmp, dead)
    runs = sql("select run_id, status from runs", runs_dir)
    assert "stale" in set(runs["status"]) and len(runs) == 4
    r = invoke(runs_dir, "list")
    assert "1 stale run" in r.output and "runs clean" in r.output
    r = invoke(runs_dir, "clean", "--dry-run")
    assert r.exit_code == 0 and "would remove 20270101T000001Z-killed" in r.output
    assert dead_tmp.is_dir()
    r = invoke(runs_dir, "clean")
    assert r.exit_code == 0 and "removed 20270101T000001Z-killed" in r.output
    assert not dead_tmp.exists() and live_tmp.is_dir()
    assert clean_stale(runs_dir) == []
    assert set(_status(runs_dir).values()) == {"complete", "running"}


def test_a_temporary_run_without_a_known_writer_is_stale_after_a_day(runs_dir: Path) -> None:
    runs_dir.mkdir()
    tmp = temp_folder(runs_dir, "20200101T000000Z-old-33333333")
    tmp.mkdir()
    (tmp / "manifest.json").write_text(json.dumps({"status": "running"}))
    assert stale_reason(tmp, {"status": "running"}) is None
    old = tmp.stat().st_mtime - 2 * 86400
    for p in (tmp, tmp / "manifest.json"):
        os.utime(p, (old, old))
    assert "unchanged for 48 hours" in stale_reason(tmp, {"status": "running"})
