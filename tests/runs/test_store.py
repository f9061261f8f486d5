"""Executing runs: folder layout and names, manifest, Parquet schemas, statuses, atomicity."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from tests.builders import DATED, FAILS_AT_RUN, LIBERATION, ScenarioWriter
from worldorder import ScenarioError, load_scenario
from worldorder.data import load_world
from worldorder.progress import reporting
from worldorder.runs import RunError, execute_run, list_runs, load_run, store
from worldorder.runs.progress import RunProgress
from worldorder.runs.store import solver_steps
from worldorder.runs.tables import registered_schemas
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import simulate_timeline

WAR = """name: test-war
dataset: {dataset}
steps:
  - date: 2025-04-02
    tariff: {{by: USA, on: [CHN], rate: 0.20}}
  - date: 2025-06-01
    trade_war: {{players: [USA, CHN]}}
"""

# every registered table (the trade and politics layers', the engine's timeline) and the notes of
# the actions that ran (the USTR calculation of reciprocal_tariff)
FILES = {"manifest.json", "log.txt", "note_reciprocal.parquet",
         *(f"{t}.parquet" for t in registered_schemas())}
NAME = re.compile(r"^\d{8}T\d{6}Z-test-liberation-[0-9a-f]{8}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

S, F, INT, B = pa.string(), pa.float64(), pa.int64(), pa.bool_()
# written out from docs/run-format.md, not taken from the implementation
FORMAT = {
    "economies": [("date", S), ("economy", S), ("name", S)] + [(c, F) for c in (
        "welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct",
        "exports_to_gdp_pct", "imports_to_gdp_pct", "trade_balance_change_pct",
        "tariff_revenue", "tariff_revenue_pct_gdp", "nominal_wage_pct", "expenditure_pct",
        "exports_to_gdp_after", "imports_to_gdp_after", "domestic_share_after",
        "welfare_pct_step", "real_wage_pct_step", "employment_pct_step",
        "price_index_pct_step", "deficit_change_pp_gdp")],
    "flows": [("date", S), ("exporter", S), ("importer", S), ("value_before", F),
              ("value_after", F), ("change_pct", F), ("tariff_before", F),
              ("tariff_after", F)],
    "policies": [("date", S), ("imposer", S), ("target", S), ("rate_before", F),
                 ("rate_after", F)],
    "timeline": [("date", S), ("step", INT), ("action", S), ("summary", S), ("parties", S),
                 ("source", S), ("priced", B), ("details", S), ("origin", S), ("agent", S)],
}


def hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def strict_json(path: Path) -> dict:
    def bad(token: str) -> None:
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(path.read_text(), parse_constant=bad)


def test_folder_layout_and_name(write_scenario: ScenarioWriter, runs_dir: Path,
                                mini_dataset: Path) -> None:
    path = write_scenario()
    rec = execute_run(path, runs_dir=runs_dir)
    assert rec.path == runs_dir / rec.run_id and rec.path.is_dir()
    assert NAME.match(rec.run_id)
    digest = hashlib.sha256((path.read_text() + load_world(str(mini_dataset)).fingerprint())
                            .encode()).hexdigest()[:8]
    assert rec.run_id.endswith(f"-{digest}")
    stamp = datetime.strptime(rec.run_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 120
    assert {p.name for p in rec.path.iterdir()} == FILES
    assert [p.name for p in runs_dir.iterdir()] == [rec.run_id]  # no temporary folder left


def test_manifest_contents(write_scenario: ScenarioWriter, runs_dir: Path,
                           mini_dataset: Path) -> None:
    path = write_scenario()
    rec = execute_run(path, runs_dir=runs_dir)
    m = strict_json(rec.path / "manifest.json")
    assert m == rec.manifest
    assert list(m)[:2] == ["run_id", "status"]
    assert m["run_id"] == rec.run_id and m["status"] == "complete" and m["error"] is None
    assert m["scenario"]["name"] == "test-liberation"
    assert m["scenario"]["text"] == path.read_text()
    world = load_world(str(mini_dataset))
    assert m["dataset"] | {"units": None, "sources": None, "provenance": None} == {
        "name": "mini", "year": 2024, "sha256": world.fingerprint(), "economies": 8,
        "units": None, "sources": None, "constituents": {}, "provenance": None,
        "groups": {"EU": ["DEU", "FRA"]}}
    assert m["dataset"]["provenance"] == world.provenance_summary().as_dict()
    assert m["dataset"]["units"]["trade"] == "USD trillion"
    assert m["writer"]["pid"] == os.getpid()
    assert {t: f["bytes"] for t, f in m["files"].items()} == {
        p.stem: p.stat().st_size for p in rec.path.glob("*.parquet")}
    assert set(FORMAT) <= set(m["files"])
    assert m["parameters"]["preset"] == "ignatenko2025"
    assert m["dates"] == ["undated"]
    assert set(m["solver"]) == {"undated"}
    assert m["solver"]["undated"]["residual"] <= 1e-10
    assert {"total_seconds", "solve_seconds"} <= set(m["timings"])
    assert 0 < m["timings"]["solve_seconds"] <= m["timings"]["total_seconds"]
    assert ISO.match(m["created_utc"]) and ISO.match(m["finished_utc"])
    assert m["created_utc"] <= m["finished_utc"]
    assert m["seed"] == 0 and m["package"]["worldorder"] and m["warnings"] == []


def test_parquet_schemas_are_the_format(write_scenario: ScenarioWriter,
                                        runs_dir: Path) -> None:
    path = write_scenario()
    rec = execute_run(path, runs_dir=runs_dir)
    for table, fields in FORMAT.items():
        schema = pq.read_schema(rec.path / f"{table}.parquet")
        assert [(f.name, f.type) for f in schema] == fields, table
    # the stored values are the engine's
    res = simulate_timeline(load_scenario(path))
    pd.testing.assert_frame_equal(rec.economies(), res.economies, check_dtype=False,
                                  check_like=True)  # columns in the format's order
    pd.testing.assert_frame_equal(rec.flows(), res.flows, check_dtype=False)
    pd.testing.assert_frame_equal(rec.policies(), res.policies, check_dtype=False)
    timeline = rec.timeline()
    assert list(timeline["action"]) == ["tariff", "reciprocal_tariff"]
    assert list(timeline["step"]) == [0, 1] and timeline["priced"].all()


def test_runs_never_clash(write_scenario: ScenarioWriter, runs_dir: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    monkeypatch.setattr(store, "utc_now", lambda: fixed)
    path = write_scenario()
    first = execute_run(path, runs_dir=runs_dir)
    second = execute_run(path, runs_dir=runs_dir)
    # a temporary folder left by a writer still at work (or killed) holds its name too
    (runs_dir / f".{first.run_id}-3.tmp").mkdir()
    third = execute_run(path, runs_dir=runs_dir)
    assert first.run_id.startswith("20260301T120000Z-test-liberation-")
    assert second.run_id == f"{first.run_id}-2"
    assert third.run_id == f"{first.run_id}-4"
    for rec in (first, second, third):
        assert json.loads((rec.path / "manifest.json").read_text())["run_id"] == rec.run_id
    listed = list_runs(runs_dir).set_index("run_id")["status"]  # the temporary one too
    assert len(listed) == 4 and listed[f"{first.run_id}-3"] == "running"


def test_runs_dir_from_environment_or_current_folder(write_scenario: ScenarioWriter,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_scenario()
    monkeypatch.setenv("WORLDORDER_RUNS", str(tmp_path / "from-env"))
    rec = execute_run(path)
    assert rec.path.parent == tmp_path / "from-env"
    monkeypatch.delenv("WORLDORDER_RUNS")
    monkeypatch.chdir(tmp_path)
    rec = execute_run(path)
    assert rec.path.parent == Path("runs") and (tmp_path / "runs" / rec.run_id).is_dir()


def test_interrupt_keeps_the_folder_as_interrupted(write_scenario: ScenarioWriter,
                                                   runs_dir: Path) -> None:
    seen: list[tuple[int, int, str]] = []

    def interrupt(done: int, total: int, label: str) -> None:
        seen.append((done, total, label))
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute_run(write_scenario(DATED), runs_dir=runs_dir, progress=interrupt)
    assert seen == [(1, 3, "2025-02-04"), (2, 3, "2025-04-02")]
    (folder,) = list(runs_dir.iterdir())  # renamed into place, nothing hidden left
    assert not folder.name.startswith(".")
    m = strict_json(folder / "manifest.json")
    assert m["status"] == "interrupted" and "KeyboardInterrupt" in m["error"]
    assert m["run_id"] == folder.name and m["finished_utc"]
    log = (folder / "log.txt").read_text()
    assert "date 2025-02-04 done (1/3" in log and "interrupted" in log
    assert not (folder / "economies.parquet").exists()
    listed = list_runs(runs_dir)
    assert list(listed["status"]) == ["interrupted"]
    rec = load_run(folder.name, runs_dir)
    with pytest.raises(RunError, match="is interrupted: it has no economies table"):
        rec.economies()


def test_failing_scenario_is_recorded_as_failed(write_scenario: ScenarioWriter,
                                                runs_dir: Path) -> None:
    text = LIBERATION + FAILS_AT_RUN
    with pytest.raises(ScenarioError, match="JPN is not a member of NATO") as info:
        execute_run(write_scenario(text), runs_dir=runs_dir)
    (folder,) = list(runs_dir.iterdir())
    m = strict_json(folder / "manifest.json")
    assert m["status"] == "failed" and m["error"] == str(info.value)
    assert "\n" not in m["error"]
    assert m["dataset"]["name"] == "mini" and m["scenario"]["name"] == "test-liberation"
    assert "JPN is not a member of NATO" in (folder / "log.txt").read_text()
    assert hidden(runs_dir) == []


def test_unknown_names_make_no_folder(write_scenario: ScenarioWriter, runs_dir: Path) -> None:
    text = LIBERATION.replace("exempt: [CAN, MEX]}}\n  - recip", "exempt: [CAN, XYZ]}}\n"
                              "  - recip")
    with pytest.raises(ScenarioError, match="unknown economy or group 'XYZ'"):
        execute_run(write_scenario(text), runs_dir=runs_dir)
    assert not runs_dir.exists() or list(runs_dir.iterdir()) == []


def test_unreadable_scenario_makes_no_folder(write_scenario: ScenarioWriter,
                                             runs_dir: Path) -> None:
    with pytest.raises(ScenarioError, match="line 6"):
        execute_run(write_scenario(LIBERATION.replace("rate: 0.10", "rate: ten")),
                    runs_dir=runs_dir)
    assert not runs_dir.exists()


def test_same_scenario_twice_gives_identical_tables(write_scenario: ScenarioWriter,
                                                    runs_dir: Path) -> None:
    path = write_scenario()
    a = execute_run(path, runs_dir=runs_dir)
    b = execute_run(path, runs_dir=runs_dir)
    def run_hash(run_id: str) -> str:  # <UTC>-<scenario>-<hash>[-k], k when in the same second
        m = re.search(r"-([0-9a-f]{8})(?:-\d+)?$", run_id)
        assert m is not None, run_id
        return m.group(1)

    assert a.run_id != b.run_id and run_hash(a.run_id) == run_hash(b.run_id)
    pd.testing.assert_frame_equal(a.economies(), b.economies())
    pd.testing.assert_frame_equal(a.flows(), b.flows())
    pd.testing.assert_frame_equal(a.policies(), b.policies())


def test_dated_scenario_has_a_date_per_change(write_scenario: ScenarioWriter,
                                              runs_dir: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    rec = execute_run(write_scenario(DATED), runs_dir=runs_dir,
                      progress=lambda *a: calls.append(a))
    dates = ["2025-02-04", "2025-04-02", "2025-04-09"]
    assert [c[2] for c in calls] == dates
    assert rec.manifest["dates"] == dates and list(rec.manifest["solver"]) == dates
    econ = rec.economies()
    assert list(dict.fromkeys(econ["date"])) == dates and len(econ) == 3 * 8
    usa = econ[econ["economy"] == "USA"].set_index("date")
    level = 1 + usa["welfare_pct"] / 100
    step = 100 * (level / level.shift(1).fillna(1.0) - 1)
    pd.testing.assert_series_equal(usa["welfare_pct_step"], step, check_names=False)
    assert list(rec.timeline()["date"]) == dates
    assert rec.timeline()["source"].tolist() == ["a test", "", ""]
    log = (rec.path / "log.txt").read_text()
    for d in dates:
        assert f"date {d} solved: " in log and "Newton iteration" in log
        stats = rec.manifest["solver"][d]
        assert isinstance(stats["chord_steps"], int) and stats["iterations"] >= 1
        assert f"date {d} solved: {solver_steps(stats)}, " in log
    assert log.splitlines()[-1].endswith("s") and "run complete" in log


def test_solver_steps_names_newton_and_chord_steps() -> None:
    assert solver_steps({"iterations": 2, "chord_steps": 7}) == \
        "2 Newton iterations + 7 chord steps"
    assert solver_steps({"iterations": 1, "chord_steps": 1}) == \
        "1 Newton iteration + 1 chord step"
    # a run stored before chord steps were counted, or a date solved without them
    assert solver_steps({"iterations": 4}) == "4 Newton iterations"
    assert solver_steps({"iterations": 3, "chord_steps": 0}) == "3 Newton iterations"
    assert solver_steps({}) == solver_steps("?") == ""


def fake_result(scenario: Scenario, world, dates: list[str], extra: bool = False,
                drop: str | None = None) -> SimpleNamespace:
    """A TimelineResult-like object with several dates, built from one real solution."""
    one = simulate_timeline(scenario, world=world)
    econ = pd.concat([one.economies.assign(date=d) for d in dates], ignore_index=True)
    if extra:
        econ["gdp_after"] = 1.0
    if drop:
        econ = econ.drop(columns=drop)
    timeline = pd.concat([one.timeline.assign(date=d) for d in [*dates, "2025-12-31"]],
                         ignore_index=True)
    manifest = one.manifest() | {"dates": dates,
                                 "solver": {d: one.solver["undated"] for d in dates}}
    tables = {
        "economies": econ, "timeline": timeline,
        "flows": pd.concat([one.flows.assign(date=d) for d in dates], ignore_index=True),
        "policies": pd.concat([one.policies.assign(date=d) for d in dates], ignore_index=True)}
    return SimpleNamespace(scenario=scenario, dates=dates, warnings=["a data warning"],
                           tables=tables, schemas=one.schemas, manifest=lambda: manifest,
                           **tables)


def test_any_timeline_like_result_with_several_dates(write_scenario: ScenarioWriter,
                                                     runs_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    dates = ["2025-01-01", "2025-06-30", "2026-01-01"]

    def engine(scenario, *, world=None, progress=None):
        for k, d in enumerate(dates, start=1):
            progress(k, len(dates), d)
        return fake_result(scenario, world, dates, extra=True)

    monkeypatch.setattr(store, "simulate_timeline", engine)
    rec = execute_run(write_scenario(), runs_dir=runs_dir)
    assert rec.manifest["dates"] == dates and rec.manifest["warnings"] == ["a data warning"]
    schema = pq.read_schema(rec.path / "economies.parquet")
    assert schema.names[-1] == "gdp_after"  # the engine's extra columns follow the format's
    assert [(f.name, f.type) for f in schema][:-1] == FORMAT["economies"]
    log = (rec.path / "log.txt").read_text()
    assert "WARNING a data warning" in " ".join(log.split())
    assert "date 2025-12-31: trade policy unchanged, not solved" in log


def test_a_result_missing_a_column_fails_cleanly(write_scenario: ScenarioWriter,
                                                 runs_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "simulate_timeline", lambda sc, *, world=None, progress=None:
                        fake_result(sc, world, ["undated"], drop="name"))
    with pytest.raises(RunError, match="economies table lacks the column"):
        execute_run(write_scenario(), runs_dir=runs_dir)
    (rec,) = [load_run(p) for p in runs_dir.iterdir()]
    assert rec.status == "failed" and "lacks the column(s) name" in rec.error
    assert not any(p.suffix == ".part" for p in rec.path.iterdir())


def test_scenario_object_and_world_arguments(mini_dataset: Path, runs_dir: Path) -> None:
    world = load_world(str(mini_dataset))
    sc = Scenario.from_dict({"name": "in-code", "dataset": "not-used",
                             "policies": [{"tariff": {"by": "EU", "on": ["CHN"], "rate": 0.5}}]})
    rec = execute_run(sc, runs_dir=runs_dir, world=world)
    digest = hashlib.sha256((sc.model_dump_json() + world.fingerprint()).encode()).hexdigest()
    assert rec.run_id.endswith(f"-in-code-{digest[:8]}")
    assert rec.manifest["dataset"]["name"] == "mini"
    assert set(rec.policies()["imposer"]) == {"DEU", "FRA"}


def test_progress_bar_only_when_worth_it() -> None:
    def console() -> Console:
        return Console(file=io.StringIO(), force_terminal=True, width=80)

    with RunProgress("quick", console=console(), delay=60) as bar:
        bar(1, 1, "undated")
        assert not bar.shown
    with RunProgress("dated", console=console(), delay=60) as bar:
        bar(1, 3, "2025-01-01")
        assert bar.shown
        bar(3, 3, "2025-03-01")
    with RunProgress("slow", console=console(), delay=0.0) as bar:
        bar._timer.join(5)  # the timer shows the bar of a slow run before any date is done
        assert bar.shown


def test_progress_true_runs(write_scenario: ScenarioWriter, runs_dir: Path) -> None:
    rec = execute_run(write_scenario(DATED), runs_dir=runs_dir, progress=True)
    assert rec.manifest["status"] == "complete"


def test_bundled_liberation_day(runs_dir: Path) -> None:
    rec = execute_run("liberation-day-2025", runs_dir=runs_dir)
    assert rec.manifest["dataset"]["name"] == "world-2024"
    econ = rec.economies()
    assert len(econ) == 47 and set(econ["date"]) == {"undated"}
    assert econ.set_index("economy").loc["USA", "price_index_pct"] > 0
    assert load_run("liberation-day-2025", runs_dir).run_id == rec.run_id


def test_interrupt_while_writing_keeps_whole_tables(write_scenario: ScenarioWriter,
                                                    runs_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = store.write_table

    def write_then_stop(folder: Path, table: str, df: pd.DataFrame, schema=None) -> Path:
        if table == "flows":
            (folder / "flows.parquet.part").write_bytes(b"half a file")
            raise KeyboardInterrupt
        return real(folder, table, df, schema)

    monkeypatch.setattr(store, "write_table", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        execute_run(write_scenario(), runs_dir=runs_dir)
    (folder,) = list(runs_dir.iterdir())
    assert {p.name for p in folder.iterdir()} == {"manifest.json", "log.txt",
                                                  "timeline.parquet", "economies.parquet"}
    rec = load_run(folder)
    assert rec.status == "interrupted"
    assert rec.manifest["parameters"]["preset"] == "ignatenko2025"  # what was known is kept
    assert len(rec.economies()) == 8  # a whole table can still be read


def test_concurrent_runs_get_their_own_folders_and_logs(write_scenario: ScenarioWriter,
                                                        runs_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    fixed = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    monkeypatch.setattr(store, "utc_now", lambda: fixed)
    path = write_scenario(DATED)
    with ThreadPoolExecutor(4) as pool:
        records = list(pool.map(lambda _: execute_run(path, runs_dir=runs_dir), range(4)))
    ids = sorted(r.run_id for r in records)
    stem = ids[0]
    assert ids == sorted([stem, f"{stem}-2", f"{stem}-3", f"{stem}-4"])
    assert hidden(runs_dir) == []
    for rec in records:
        log = (rec.path / "log.txt").read_text()
        assert log.count("run 20260301T120000Z") == 1 and f"run {rec.run_id}:" in log
        assert log.count("solved:") == 3
        assert rec.manifest["status"] == "complete"


def test_progress_is_reported_from_inside_a_long_step(write_scenario: ScenarioWriter,
                                                       runs_dir: Path) -> None:
    """A trade war inside a date says which round and player it is on while it works, before
    the date is done (issue 11: the bar sat on one date for 42 s)."""
    heard: list[tuple[str, object]] = []
    execute_run(write_scenario(WAR), runs_dir=runs_dir,
                progress=lambda *a: heard.append(("date", a)),
                messages=lambda m: heard.append(("inside", m)))
    kinds = [k for k, _ in heard]
    assert kinds[-1] == "date" and heard[-1][1] == (2, 2, "2025-06-01")
    first_done = kinds.index("date")
    inside = [m for k, m in heard[first_done + 1:] if k == "inside"]
    assert inside, heard
    assert inside[0] == "trade war from baseline, round 1: USA 1/2"
    assert "trade war from baseline, round 1: CHN 2/2" in inside
    rounds = [int(str(m).split("round ")[1].split(":")[0]) for m in inside
              if str(m).startswith("trade war from baseline, round")]
    assert rounds == sorted(rounds) and rounds[-1] >= 2  # it moves, round after round
    # a run without handlers of its own lets a caller's handler hear them (the progress bar of
    # `strategy middle-powers` around its regime runs)
    outer: list[str] = []
    with reporting(outer.append):
        execute_run(write_scenario(WAR), runs_dir=runs_dir)
    assert outer == [m for k, m in heard if k == "inside"]
