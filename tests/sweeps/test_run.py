"""Sweeps as runs: results, failed samples, fast path against the full scenario, resume, SQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.builders import mini_world, sweep_scenario
from worldorder.errors import SweepError
from worldorder.runs.query import sql
from worldorder.runs.record import load_run
from worldorder.sweeps.design import Design
from worldorder.sweeps.run import ECONOMIES, SAMPLES, execute_sweep, read_sweep
from worldorder.sweeps.solve import Plan, fixed_policy, solve_chunk
from worldorder.sweeps.spec import parse_noise, parse_param
from worldorder.trade.counterfactual import run_counterfactual
from worldorder.trade.params import resolve_params


def _design(samples: int = 12) -> Design:
    return Design(params=(parse_param("epsilon=uniform(3,8)"),
                          parse_param("kappa=grid(0.3,0.7)")), per_point=samples, seed=4)


def _tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (read_sweep(folder, SAMPLES).drop(columns="seconds"),
            read_sweep(folder, ECONOMIES))


def test_sample_is_the_counterfactual_at_its_parameters() -> None:
    """Each sample is the equilibrium of the scenario's policy at the drawn parameters,
    checked against an independent solve from the baseline."""
    w, sc = mini_world(), sweep_scenario()
    design = _design(3)
    plan = Plan.make(sc, w, design)
    assert plan.fast
    smp, econ = solve_chunk(plan, [0, 4])
    for i in (0, 4):
        v = design.values(i)
        p = resolve_params(w, "ignatenko2025", epsilon=v["epsilon"], kappa=v["kappa"])
        usa = w.index("USA")
        t1 = w.tariffs.copy()
        t1[:, usa] += 0.2  # an additional duty on the baseline's
        t1[usa, usa] = 0.0
        ref = run_counterfactual(w, p, t1).economies.set_index("economy")
        got = econ[econ["sample"] == i].set_index("economy")
        np.testing.assert_allclose(got["welfare_pct"], ref["welfare_pct"], atol=1e-8)
        np.testing.assert_allclose(got["price_index_pct"], ref["price_index_pct"], atol=1e-8)
    assert (smp["status"] == "ok").all()


def test_fast_path_equals_full_scenario() -> None:
    w, sc = mini_world(), sweep_scenario()
    design = _design(2)
    fast = solve_chunk(Plan.make(sc, w, design, fast=True), list(range(4)))[1]
    full = solve_chunk(Plan.make(sc, w, design, fast=False), list(range(4)))[1]
    np.testing.assert_allclose(fast["welfare_pct"], full["welfare_pct"], atol=1e-8)
    noisy = Design(params=(), noise=(parse_noise("flows=lognormal(0.1)"),), per_point=2)
    assert not fixed_policy(sc, noisy)


def test_failed_sample_is_recorded_with_its_reason(tmp_path: Path) -> None:
    w, sc = mini_world(), sweep_scenario()
    design = Design(params=(parse_param("kappa=grid(0.5,60)"),), per_point=1)
    rec = execute_sweep(sc, design, world=w, runs_dir=tmp_path)
    smp, econ = _tables(rec.path)
    assert list(smp["status"]) == ["ok", "failed"]
    assert "outside the model's domain" in smp["reason"].iloc[1]
    assert set(econ["sample"]) == {0}
    assert rec.manifest["sweep"]["failed"] == 1
    assert any("1 of 2 samples failed" in x for x in rec.manifest["warnings"])


def test_sweep_run_is_listed_verified_and_queryable(tmp_path: Path) -> None:
    w, sc = mini_world(), sweep_scenario()
    rec = execute_sweep(sc, _design(6), world=w, runs_dir=tmp_path)
    again = load_run(rec.run_id, tmp_path)
    assert again.status == "complete"
    assert "sweep_samples/part-00000" in again.manifest["files"]
    got = sql("select count(*) as n, count(distinct sample) as s from sweep_economies "
              f"where run_id = '{rec.run_id}'", tmp_path)
    assert (got["n"].iloc[0], got["s"].iloc[0]) == (12 * w.n, 12)
    # a truncated partition makes the run corrupt, as for any table
    part = rec.path / "sweep_economies" / "part-00000.parquet"
    part.write_bytes(part.read_bytes()[:-10])
    assert load_run(rec.run_id, tmp_path).status == "corrupt"


def test_interrupted_sweep_resumes_to_the_same_results(tmp_path: Path) -> None:
    w, sc = mini_world(), sweep_scenario()
    design = _design(30)  # 60 samples, partitions of 10
    whole = execute_sweep(sc, design, world=w, runs_dir=tmp_path / "a")

    def stop_after_two(done: int, total: int, label: str) -> None:
        if done >= 20:
            raise KeyboardInterrupt

    root = tmp_path / "b"
    with pytest.raises(KeyboardInterrupt):
        execute_sweep(sc, design, world=w, runs_dir=root, progress=stop_after_two)
    stopped = load_run("sweep-test", root)
    assert stopped.status == "interrupted"
    assert stopped.dates == ["undated"]  # the scenario's own run is kept for the resume
    assert len(list((stopped.path / SAMPLES).glob("part-*.parquet"))) == 2
    with pytest.raises(SweepError, match="other options"):
        execute_sweep(sc, _design(31), world=w, runs_dir=root, resume=stopped.run_id)
    resumed = execute_sweep(sc, design, world=w, runs_dir=root)  # found automatically
    assert resumed.run_id == stopped.run_id
    assert load_run(resumed.run_id, root).dates == ["undated"]
    assert resumed.manifest["sweep"]["solved_now"] == 40
    assert resumed.status == "complete"
    for a, b in zip(_tables(whole.path), _tables(resumed.path), strict=True):
        pd.testing.assert_frame_equal(a, b)
    with pytest.raises(SweepError, match="complete"):
        execute_sweep(sc, design, world=w, runs_dir=root, resume=resumed.run_id)


KILLED = """
import os, signal, sys
from tests.builders import mini_world, sweep_scenario
from worldorder.sweeps.design import Design
from worldorder.sweeps.run import execute_sweep
from worldorder.sweeps.spec import parse_param

def die(done, total, label):
    if done >= 20:
        os.kill(os.getpid(), signal.SIGKILL)

design = Design(params=(parse_param("epsilon=uniform(3,8)"), parse_param("kappa=grid(0.3,0.7)")),
                per_point=30, seed=4)
execute_sweep(sweep_scenario(), design, world=mini_world(), runs_dir=sys.argv[1], progress=die)
"""


def test_sweep_killed_outright_is_resumed(tmp_path: Path) -> None:
    """SIGKILL leaves a stale temporary folder; the same sweep continues it."""
    root = tmp_path / "runs"
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", KILLED, str(root)], cwd=repo, timeout=300,
                          check=False, capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    stale = load_run("sweep-test", root)
    assert stale.status == "stale" and stale.path.name.endswith(".tmp")
    w, sc = mini_world(), sweep_scenario()
    resumed = execute_sweep(sc, _design(30), world=w, runs_dir=root)
    assert resumed.run_id == stale.run_id and resumed.status == "complete"
    assert 0 < resumed.manifest["sweep"]["solved_now"] <= 40
    again = load_run(resumed.run_id, root)
    assert again.status == "complete" and again.dates == ["undated"]
    whole = execute_sweep(sc, _design(30), world=w, runs_dir=tmp_path / "whole")
    for a, b in zip(_tables(whole.path), _tables(resumed.path), strict=True):
        pd.testing.assert_frame_equal(a, b)
