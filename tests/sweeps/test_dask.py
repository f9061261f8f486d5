"""A sweep on a Dask LocalCluster of two worker processes: bit-identical to the serial executor
and to a sweep interrupted serially and resumed on the cluster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.builders import mini_world, sweep_scenario
from worldorder.executor import BACKENDS, get_executor
from worldorder.sweeps.dask_backend import DaskExecutor, register
from worldorder.sweeps.design import Design
from worldorder.sweeps.run import ECONOMIES, SAMPLES, execute_sweep, read_sweep
from worldorder.sweeps.spec import parse_noise, parse_param


def _tables(folder: Path) -> list[pd.DataFrame]:
    return [read_sweep(folder, SAMPLES).drop(columns="seconds"), read_sweep(folder, ECONOMIES)]


def test_local_cluster_is_bit_identical_to_serial_and_to_a_resumed_sweep(tmp_path: Path
                                                                         ) -> None:
    w, sc = mini_world(), sweep_scenario()
    design = Design(params=(parse_param("epsilon=uniform(3,8)"),
                            parse_param("kappa=grid(0.3,0.7)")), per_point=25, seed=9)
    noisy = Design(params=(parse_param("epsilon[USA]=2,6"),),
                   noise=(parse_noise("flows=lognormal(0.1)"),), per_point=5, seed=2)
    serial = execute_sweep(sc, design, world=w, runs_dir=tmp_path / "serial")
    serial_noisy = execute_sweep(sc, noisy, world=w, runs_dir=tmp_path / "serial")

    def stop(done: int, total: int, label: str) -> None:
        if done >= 20:
            raise KeyboardInterrupt

    resumed_root = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        execute_sweep(sc, design, world=w, runs_dir=resumed_root, progress=stop)

    register()
    assert "dask" in BACKENDS
    with DaskExecutor(2, processes=True) as ex:
        assert ex.workers == 2  # connected: two single-threaded worker processes
        assert len(ex.client.nthreads()) == 2
        dask = execute_sweep(sc, design, world=w, runs_dir=tmp_path / "dask", executor=ex,
                             backend="dask")
        dask_noisy = execute_sweep(sc, noisy, world=w, runs_dir=tmp_path / "dask",
                                   executor=ex, backend="dask")
        resumed = execute_sweep(sc, design, world=w, runs_dir=resumed_root, executor=ex,
                                backend="dask")
        assert ex.map(abs, [-3, 2, -1]) == [3, 2, 1]
        with DaskExecutor(1, scheduler=ex.address) as remote:  # --scheduler ADDRESS
            assert remote.workers == 2
            other = execute_sweep(sc, design, world=w, runs_dir=tmp_path / "remote",
                                  executor=remote, backend="dask")
        assert len(ex.client.nthreads()) == 2  # closing a client leaves the cluster up
    assert resumed.manifest["sweep"]["solved_now"] == 30
    assert dask.manifest["sweep"]["workers"] == 2
    for a, b, c, d in zip(_tables(serial.path), _tables(dask.path), _tables(resumed.path),
                          _tables(other.path), strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        pd.testing.assert_frame_equal(a, c, check_exact=True)
        pd.testing.assert_frame_equal(a, d, check_exact=True)
    for a, b in zip(_tables(serial_noisy.path), _tables(dask_noisy.path), strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert isinstance(get_executor(2, backend="dask"), DaskExecutor)


def test_a_local_cluster_leaves_dasks_default_port_alone() -> None:
    """The user's other Dask cluster may hold port 8787 (Dask's dashboard and HTTP default):
    starting ours must neither take it nor warn that it is in use."""
    import socket
    import warnings

    held = socket.socket()
    try:
        held.bind(("", 8787))
        held.listen()
    except OSError:  # already held by another program: the check below holds all the same
        pass
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with DaskExecutor(1, processes=False) as ex:
                assert ex.map(abs, [-2]) == [2]
        assert not [w for w in caught if "already in use" in str(w.message)]
    finally:
        held.close()
